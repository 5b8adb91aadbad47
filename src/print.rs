//! Printing that survives a closed stdout or stderr: `papershelf build | head -1` must not
//! panic when `head` exits. `println!` panics on a write error (Rust ignores SIGPIPE, so a
//! closed pipe is an `EPIPE` error); these macros write to the locked handle and drop the
//! error, so the command ends with its own exit code.

use std::fmt::Arguments;
use std::io::Write;

/// Writes to stdout, ignoring a closed or failing stream.
pub fn stdout(args: Arguments<'_>, newline: bool) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|()| if newline { out.write_all(b"\n") } else { Ok(()) });
}

/// Writes to stderr, ignoring a closed or failing stream.
pub fn stderr(args: Arguments<'_>, newline: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| if newline { err.write_all(b"\n") } else { Ok(()) });
}

/// `println!` that never panics.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::print::stdout(format_args!($($arg)*), true) };
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::print::stderr(format_args!($($arg)*), true) };
}

/// `eprint!` that never panics.
#[macro_export]
macro_rules! err_text {
    ($($arg:tt)*) => { $crate::print::stderr(format_args!($($arg)*), false) };
}
