//! `papershelf check`: reads and validates the whole site, writes nothing, and reports every
//! problem at once.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::project::{Mode, Options, Project};

/// What a clean check found.
#[derive(Debug)]
pub struct Summary {
    pub warnings: Vec<Diagnostic>,
    /// One line for the user: what was checked.
    pub line: String,
}

/// Checks the site at `root`.
pub fn check(root: &Path) -> Result<Summary, Error> {
    let options = Options { drafts: true, ..Options::default() };
    let (project, mut diagnostics) = Project::open_checking(root, options)?;
    let (site, d) = project.assemble();
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

/// Builds the site into a temporary folder and checks its links: every internal link, anchor
/// and asset must resolve under the base path; with `external`, external links must answer
/// over HTTP. Every broken link is an error naming its page.
pub fn check_links(root: &Path, external: bool) -> Result<String, Error> {
    let temp = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let project = Project::open(root, Options { mode: Mode::Check { external }, ..Options::default() })?;
    let written = project.build_once(&temp.path().join("site"))?;
    let mut broken = written.broken_links;
    let externals = written.external_links.len();
    if external {
        let cache = root.join(".papershelf").join("link-cache.json");
        broken.extend(crate::linkcheck::check_external(
            &written.external_links,
            &cache,
            std::time::Duration::from_secs(15),
            8,
        ));
    }
    if broken.is_empty() {
        let ext = if external { format!(" and {externals} external links") } else { String::new() };
        return Ok(format!("links: every internal link of {} pages resolves{ext}", written.pages));
    }
    let problems = broken
        .into_iter()
        .map(|b| {
            Diagnostic::error(b.page, format!("broken link {}: {}", b.link, b.reason))
                .with_hint("fix the link in the content or template that makes this page")
        })
        .collect();
    Err(Error::Problems(problems))
}
