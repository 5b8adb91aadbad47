//! `papershelf check`: reads and validates the whole site, writes nothing, and reports every
//! problem at once.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};

/// What a clean check found.
#[derive(Debug)]
pub struct Summary {
    pub warnings: Vec<Diagnostic>,
    /// One line for the user: what was checked.
    pub line: String,
}

/// Checks the site at `root`.
pub fn check(root: &Path) -> Result<Summary, Error> {
    let mut diagnostics = Vec::new();
    if let Err(d) = Config::load(root) {
        diagnostics.extend(d);
    }
    let (content, d) = crate::content::load(root);
    diagnostics.extend(d);
    let (site, d) = crate::model::assemble(content, true);
    diagnostics.extend(d);
    let warnings = fail_on_errors(diagnostics)?;
    let line = format!(
        "checked: {} papers ({} listings) on {} days, {} authors, {} tags; no problems",
        site.papers.len(),
        site.listings(),
        site.days.len(),
        site.authors.len(),
        site.tags.len()
    );
    Ok(Summary { warnings, line })
}
