//! The errors a command can end with, and the exit code each maps to.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's files: content, config or templates (exit 1).
    #[error("{} found", count(.0))]
    Problems(Vec<Diagnostic>),
    /// The command line asks for something impossible (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The preview server could not listen, start, watch or keep running (exit 1): a fault
    /// of the machine at run time, not of the command line.
    #[error("{0}")]
    Serve(String),
    /// A web service papershelf fetches from (arXiv, Hugging Face) could not be reached or kept
    /// failing: the message names the host and what was kept (exit 1).
    #[error("{0}")]
    Fetch(String),
    /// A file or folder could not be read or written (exit 1).
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn count(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let files: std::collections::BTreeSet<_> = diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.file).collect();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!("{errors} problem{} in {} file{}", s(errors), files.len(), s(files.len()))
}

impl Error {
    /// The process exit code: 1 for content, network, server and I/O errors, 2 for usage errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Problems(_) | Error::Serve(_) | Error::Fetch(_) | Error::Io { .. } => 1,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// Splits diagnostics into errors, failing with all of them, and warnings, which are returned.
pub fn fail_on_errors(mut diagnostics: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Error> {
    crate::diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) { Err(Error::Problems(diagnostics)) } else { Ok(diagnostics) }
}
