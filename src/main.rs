//! The papershelf binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = papershelf::cli::Cli::parse();
    std::process::ExitCode::from(papershelf::cli::run(cli))
}
