//! The papershelf binary: parse arguments, run the command, exit with its code.

use clap::Parser;

// A build allocates and frees millions of small strings (template values, escaped text);
// mimalloc handles that pattern markedly faster than the system allocator (see bench/).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = papershelf::cli::Cli::parse();
    std::process::ExitCode::from(papershelf::cli::run(cli))
}
