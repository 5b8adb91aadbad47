//! `papershelf build`: one full build of the site into its output folder, through the
//! pipeline that [`Project`] owns. Any error leaves the old output untouched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::linkcheck::Broken;
use crate::project::{Mode, Options, Project};

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub output: PathBuf,
    pub files: usize,
    /// Every file written and their bytes.
    pub size: crate::output::SiteSize,
    pub papers: usize,
    pub days: usize,
    pub millis: u128,
    pub warnings: Vec<Diagnostic>,
    /// Internal links of the output that resolve to nothing.
    pub broken_links: Vec<Broken>,
}

/// Builds the site at `root`.
pub fn build(root: &Path, options: &Options) -> Result<Report, Error> {
    let start = Instant::now();
    let project = Project::open(root, Options { mode: Mode::Build, ..options.clone() })?;
    let target = options.output.clone().unwrap_or_else(|| root.join(&project.config.output_dir));
    // The project is dropped on a pool thread: the command reports and ends meanwhile.
    let written = project.build_once(&target)?;
    Ok(Report {
        output: target,
        files: written.rendered,
        size: written.size.unwrap_or_default(),
        papers: written.papers,
        days: written.days,
        millis: start.elapsed().as_millis(),
        warnings: written.warnings,
        broken_links: written.broken_links,
    })
}
