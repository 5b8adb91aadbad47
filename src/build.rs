//! `papershelf build`: the whole pipeline, top to bottom. Reads the config and content,
//! assembles the model, renders every page in parallel into a staging folder, and swaps it
//! in. Every problem of every phase is reported; any error leaves the old output untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::linkcheck::{Broken, Checker};
use crate::project::Project;
use crate::render::{Page, Renderer, templates};

/// What to build, beyond the site's own config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub output: PathBuf,
    pub files: usize,
    pub papers: usize,
    pub days: usize,
    pub millis: u128,
    pub warnings: Vec<Diagnostic>,
    /// Internal links of the output that resolve to nothing.
    pub broken_links: Vec<Broken>,
}

/// Reads site.toml and applies the command line's overrides.
pub fn load_config(root: &Path, options: &Options) -> Result<Config, Error> {
    let mut config = Config::load(root).map_err(Error::Problems)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(Error::Usage)?;
    }
    Ok(config)
}

/// Builds the site at `root`.
pub fn build(root: &Path, options: &Options) -> Result<Report, Error> {
    let start = Instant::now();
    let mut project = Project::open(root, options.clone())?;
    let target = options.output.clone().unwrap_or_else(|| root.join(&project.config.output_dir));
    let written = project.build_full(&target)?;
    // Freeing the model and everything read (~20 ms at 10,000 papers) is left to a pool
    // thread: the command reports and ends meanwhile.
    rayon::spawn(move || drop(project));
    Ok(Report {
        output: target,
        files: written.rendered,
        papers: written.papers,
        days: written.days,
        millis: start.elapsed().as_millis(),
        warnings: written.warnings,
        broken_links: written.broken_links,
    })
}

/// Renders `pages` in parallel and hands each to `write`, and to the link `checker` when given.
/// All template errors are reported, each distinct message once (an error in a shared
/// template repeats on every page).
pub fn render_pages(
    renderer: &Renderer<'_>,
    pages: &[Page],
    checker: Option<&Checker>,
    write: impl Fn(&str, &[u8]) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let by_kind = crate::timing::PerKind::new();
    let mut errors: Vec<Diagnostic> = pages
        .par_iter()
        // Each worker renders into one buffer, reused page after page.
        .map_init(
            || Vec::with_capacity(64 * 1024),
            |buffer: &mut Vec<u8>, &page| {
                buffer.clear();
                let file = renderer.file(page);
                let started = by_kind.start();
                if let Err(d) = renderer.render_to(page, buffer) {
                    return Some(d);
                }
                by_kind.add(page.kind(), started);
                if let Err(e) = write(&file, buffer) {
                    return Some(Diagnostic::error(file, e.to_string()));
                }
                if let Some(checker) = checker {
                    checker.page(&file, std::str::from_utf8(buffer).expect("Tera writes UTF-8"));
                }
                None
            },
        )
        .flatten()
        .collect();
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    errors.dedup_by(|a, b| a.file == b.file && a.message == b.message);
    fail_on_errors(errors).map(drop)
}

/// The files that are not pages, but for the search index ([`crate::render::search::SearchIndex`])
/// and the static files copied from the site's folders ([`static_files`]): feed, sitemap,
/// robots.txt, `.nojekyll`, `CNAME`, and the default theme's embedded static files that
/// `statics` does not replace.
pub fn extra_files(
    config: &Config,
    renderer: &Renderer<'_>,
    statics: &BTreeMap<String, PathBuf>,
) -> Vec<(String, Vec<u8>)> {
    let (feed, sitemap) = rayon::join(|| renderer.feed(), || renderer.sitemap());
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("feed.xml".into(), feed.into_bytes()),
        ("sitemap.xml".into(), sitemap.into_bytes()),
        ("robots.txt".into(), renderer.robots().into_bytes()),
        (".nojekyll".into(), Vec::new()),
    ];
    if let Some(domain) = config.cname.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        files.push(("CNAME".into(), format!("{domain}\n").into_bytes()));
    }
    if config.theme.is_none() {
        let embedded = templates::DEFAULT_STATIC.iter().filter(|(n, _)| !statics.contains_key(*n));
        files.extend(embedded.map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())));
    }
    files
}

/// The static files to copy into the output, by their path there: the theme's (when the site
/// names one) with the site's `static/` over them. Only listed here: a build copies each,
/// never reading a whole file into memory. A name that cannot be published portably (a
/// control character, a backslash, a Windows device name) is an error naming the file.
pub fn static_files(root: &Path, config: &Config) -> Result<BTreeMap<String, PathBuf>, Error> {
    let mut files = BTreeMap::new();
    let mut problems = Vec::new();
    if let Some(theme) = &config.theme {
        list_tree(root, &root.join("themes").join(theme).join("static"), &mut files, &mut problems)?;
    }
    list_tree(root, &root.join("static"), &mut files, &mut problems)?;
    fail_on_errors(problems)?;
    Ok(files)
}

/// Adds every file below `dir` (if it exists), replacing same-named earlier ones.
fn list_tree(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walked below dir").to_string_lossy().into_owned();
        match crate::safe::static_path_problem(&rel) {
            None => {
                files.insert(rel, entry.into_path());
            }
            Some(problem) => problems.push(
                Diagnostic::error(crate::diagnostic::display_path(root, entry.path()), problem)
                    .with_hint("rename the file: static files are published under their own names"),
            ),
        }
    }
    Ok(())
}
