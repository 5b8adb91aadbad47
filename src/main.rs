//! The papershelf binary: parse arguments, run the command, exit with its code.

use clap::Parser;

// A build allocates and frees millions of small strings (template values, escaped text);
// mimalloc handles that pattern markedly faster than the system allocator (see bench/).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` of mimalloc v3's `mimalloc.h` (the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // mimalloc returns freed memory to the OS after 10 ms by default, and takes it back (as
    // zeroed 2 MiB huge pages) moments later: a build refaulted gigabytes that way (at 50,000
    // papers, 6.2 s with a one-second delay, 5.2 s with ten). Ten seconds keeps it for a
    // build and still returns it when `serve` goes idle.
    // MIMALLOC_PURGE_DELAY in the environment (mimalloc reads it itself) wins, for measuring.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // The crate's one `unsafe` (the lints deny it everywhere else).
        // SAFETY: mi_option_set stores an integer option; it may be called at any time.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10_000);
        }
    }
    let cli = papershelf::cli::Cli::parse();
    std::process::ExitCode::from(papershelf::cli::run(cli))
}
