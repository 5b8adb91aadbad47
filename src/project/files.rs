//! The files of a build that are not made one page at a time by the renderer's caller:
//! pages rendered in parallel into a writer, the generated extra files (feed, sitemap,
//! robots.txt, `.nojekyll`, `CNAME`, embedded theme files) and the static files to copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::linkcheck::Checker;
use crate::render::{Page, Renderer, templates, urls};

/// Renders `pages` in parallel and hands each to `write` with the files made beside it
/// (`Renderer::beside`), and to the link `checker` when given.
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
                by_kind.add(page.kind().name(), started);
                if let Err(e) = write(&file, buffer) {
                    return Some(Diagnostic::error(file, e.to_string()));
                }
                for (rel, bytes) in renderer.beside(page) {
                    if let Err(e) = write(&rel, &bytes) {
                        return Some(Diagnostic::error(rel, e.to_string()));
                    }
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
/// robots.txt, the JSON Feed, the OPML list of feeds, `.nojekyll`, `CNAME`, and the default theme's embedded static files that
/// `statics` does not replace.
pub fn extra_files(
    config: &Config,
    renderer: &Renderer<'_>,
    statics: &BTreeMap<String, PathBuf>,
) -> Vec<(String, Vec<u8>)> {
    let (feed, sitemaps) = rayon::join(|| renderer.feed(), || renderer.sitemaps());
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (urls::FEED.into(), feed.into_bytes()),
        (urls::ROBOTS.into(), renderer.robots().into_bytes()),
        (urls::JSON_FEED.into(), renderer.json_feed().into_bytes()),
        (urls::OPML.into(), renderer.opml().into_bytes()),
        (".nojekyll".into(), Vec::new()),
    ];
    files.extend(sitemaps.into_iter().map(|(name, xml)| (name, xml.into_bytes())));
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
/// control character, a backslash, a Windows device name) is an error naming the file, and so
/// is a symlink leading out of the site; a broken symlink is a warning (returned).
pub fn static_files(root: &Path, config: &Config) -> Result<(BTreeMap<String, PathBuf>, Vec<Diagnostic>), Error> {
    let mut files = BTreeMap::new();
    let mut problems = Vec::new();
    if let Some(theme) = &config.theme {
        list_tree(root, &format!("themes/{theme}/static"), &mut files, &mut problems);
    }
    list_tree(root, "static", &mut files, &mut problems);
    let warnings = fail_on_errors(problems)?;
    Ok((files, warnings))
}

/// Adds every file below the site's folder `rel` (if it exists), replacing same-named earlier
/// ones. Symlinks are followed while they stay inside the site; one leading out is an error
/// naming it, a broken one a warning (`sitefs::walk`): none is dropped in silence.
fn list_tree(root: &Path, rel: &str, files: &mut BTreeMap<String, PathBuf>, problems: &mut Vec<Diagnostic>) {
    let dir = root.join(rel);
    let walk = crate::sitefs::walk(root, rel, crate::diagnostic::Severity::Warning, |_| false);
    problems.extend(walk.problems);
    for entry in walk.entries {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).expect("walked below dir").to_string_lossy().into_owned();
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
}
