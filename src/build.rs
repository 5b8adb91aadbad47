//! `papershelf build`: the whole pipeline, top to bottom. Reads the config and content,
//! assembles the model, renders every page in parallel into a staging folder, and swaps it
//! in. Every problem of every phase is reported; any error leaves the old output untouched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::output::Output;
use crate::render::{Renderer, templates};

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
    let config = load_config(root, options)?;
    let (content, mut diagnostics) = crate::content::load(root);
    let (site, d) = crate::model::assemble(content, options.drafts);
    diagnostics.extend(d);
    let renderer = Renderer::new(root, &config, &site);
    let renderer = match renderer {
        Ok(r) => Some(r),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    let mut warnings = fail_on_errors(diagnostics)?;
    let renderer = renderer.expect("no errors means the renderer was made");

    let target = options.output.clone().unwrap_or_else(|| root.join(&config.output_dir));
    let output = Output::begin(&target)?;
    let pages = renderer.pages();
    let errors: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|&page| {
            let result = renderer.render(page).map_err(Some).and_then(|html| {
                output
                    .write(&renderer.file(page), html.as_bytes())
                    .map_err(|e| Some(Diagnostic::error(renderer.file(page), e.to_string())))
            });
            result.err().flatten()
        })
        .collect();
    // A template error repeats on every page using it: report each message once.
    let mut errors = errors;
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    errors.dedup_by(|a, b| a.file == b.file && a.message == b.message);
    warnings.extend(fail_on_errors(errors)?);

    let mut files = pages.len();
    for (name, text) in
        [("feed.xml", renderer.feed()), ("sitemap.xml", renderer.sitemap()), ("robots.txt", renderer.robots())]
    {
        output.write(name, text.as_bytes())?;
        files += 1;
    }
    output.write(".nojekyll", b"")?;
    files += 1;
    if let Some(domain) = config.cname.as_deref().filter(|d| !d.trim().is_empty()) {
        output.write("CNAME", format!("{}\n", domain.trim()).as_bytes())?;
        files += 1;
    }
    files += copy_static(root, &config, &output)?;
    output.commit()?;
    Ok(Report {
        output: target,
        files,
        papers: site.papers.len(),
        days: site.days.len(),
        millis: start.elapsed().as_millis(),
        warnings,
    })
}

/// Copies the theme's static files, then the site's `static/` over them.
fn copy_static(root: &Path, config: &Config, output: &Output) -> Result<usize, Error> {
    let mut count = 0;
    let theme_static = config.theme.as_ref().map(|t| root.join("themes").join(t).join("static"));
    match &theme_static {
        None => {
            for (name, text) in templates::DEFAULT_STATIC {
                output.write(name, text.as_bytes())?;
                count += 1;
            }
        }
        Some(dir) => count += copy_tree(dir, output)?,
    }
    count += copy_tree(&root.join("static"), output)?;
    Ok(count)
}

fn copy_tree(dir: &Path, output: &Output) -> Result<usize, Error> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walked below dir");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        output.write(&rel.to_string_lossy(), &bytes)?;
        count += 1;
    }
    Ok(count)
}
