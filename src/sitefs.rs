//! Reading the site's own folders: nothing papershelf reads, prints or publishes comes from
//! outside the site folder through a symlink. A pull request to a digest repository is built
//! by CI, so a committed link such as `data/arxiv/x.toml -> /proc/self/environ` or
//! `static -> ~/.ssh` must not put the runner's secrets into the log or the site. A link that
//! resolves inside the site is followed, except into a hidden folder (`.git`, whose `config`
//! can hold CI credentials); any other link is an error naming the link, never its target.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity, display_path};

/// The site folder as the system resolves it (symlinks and `..` applied).
pub fn real_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()))
}

/// Whether `path` resolves outside the site whose resolved folder is `real_root`, or into a
/// hidden folder or file of it. A path that does not resolve (a broken link, nothing there)
/// leads nowhere: reading it fails on its own.
pub fn leaves(real_root: &Path, path: &Path) -> bool {
    let Ok(real) = path.canonicalize() else { return false };
    match real.strip_prefix(real_root) {
        Ok(rel) => {
            rel.components().any(|c| matches!(c, Component::Normal(n) if n.as_encoded_bytes().starts_with(b".")))
        }
        Err(_) => true,
    }
}

/// The error for a link that leads out of the site, naming the link (relative to the site).
pub fn outside_error(root: &Path, link: &Path) -> Diagnostic {
    Diagnostic::error(
        display_path(root, link),
        "a symlink that leads out of the site folder (or into a hidden folder of it): not followed",
    )
    .with_hint("papershelf reads only the site's own files: copy the file in, or link to one inside the site")
}

/// Checks one file the site names (a record of `data/arxiv/`, a content file reported by the
/// watcher): an error when the file itself is a symlink that leads out. One `lstat` for a
/// plain file; its folders are checked once by the caller ([`check_below`]).
pub fn check_file(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && leaves(&real_root(root), path) { Err(outside_error(root, path)) } else { Ok(()) }
}

/// Checks the folder `rel` of the site (`static`, `data/arxiv`, `themes/x/templates`) and each
/// folder above it: an error naming the first that is a link leading out.
pub fn check_below(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    let real = real_root(root);
    let mut path = root.to_path_buf();
    for part in Path::new(rel).components() {
        path.push(part);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) && leaves(&real, &path) {
            return Err(outside_error(root, &path));
        }
    }
    Ok(())
}

/// What [`walk`] found: every entry that is not a folder (files, and special files for the
/// caller to judge), sorted by path, and the problems met.
#[derive(Debug, Default)]
pub struct Walk {
    pub entries: Vec<walkdir::DirEntry>,
    pub problems: Vec<Diagnostic>,
}

/// Walks the folder `rel` of the site at `root`, sorted, following symlinks that stay inside
/// the site ([`leaves`]): a link leading out is an error naming it, and is not followed. A
/// folder that cannot be walked (a symlink loop, no permission) is an error; a broken link is
/// reported with `broken` severity. Names for which `skip` is true are left out; a folder
/// that is not there holds nothing.
pub fn walk(root: &Path, rel: &str, broken: Severity, skip: impl Fn(&str) -> bool) -> Walk {
    let mut out = Walk::default();
    if let Err(d) = check_below(root, rel) {
        out.problems.push(d);
        return out;
    }
    let dir = root.join(rel);
    if !dir.is_dir() {
        return out;
    }
    let real = real_root(root);
    let mut walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(e.file_name().to_str().unwrap_or("")));
    while let Some(item) = walker.next() {
        match item {
            Ok(e) if e.depth() > 0 && e.path_is_symlink() && leaves(&real, e.path()) => {
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                out.problems.push(outside_error(root, e.path()));
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => out.entries.push(e),
            Err(e) => out.problems.push(walk_error(root, &dir, &e, broken)),
        }
    }
    out
}

fn walk_error(root: &Path, dir: &Path, e: &walkdir::Error, broken: Severity) -> Diagnostic {
    let path = e.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let shown = display_path(root, &path);
    let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && !path.exists() && e.loop_ancestor().is_none() {
        let d = Diagnostic {
            severity: broken,
            ..Diagnostic::error(shown, "a broken symlink: what it points to does not exist")
        };
        return d.with_hint("remove the link, or create the file it points to");
    }
    let what = if e.loop_ancestor().is_some() { "a symlink loop".to_string() } else { e.to_string() };
    let too_long = e.io_error().is_some_and(|e| e.kind() == std::io::ErrorKind::InvalidFilename);
    let hint = if too_long {
        "the path is longer than the system allows: shorten the file or folder names"
    } else {
        "remove the link or fix the folder's permissions"
    };
    Diagnostic::error(shown, format!("cannot read: {what}")).with_hint(hint)
}
