//! Listing `content/`: which files are content and the dates their names stand for.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::DATE_HINT;
use crate::diagnostic::{Diagnostic, display_path};

/// Every file below `<root>/content` that papershelf may read, sorted, skipping hidden and
/// editor files; folders that cannot be walked (a symlink loop, no permission) and symlinks
/// leading out of the site (`sitefs::walk`) are reported.
pub fn list(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join("content");
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::error("content", "the site has no content/ folder")
                .with_hint("create content/ and put digests in it, or run `papershelf new DATE TITLE`"),
        );
        return (files, diagnostics);
    }
    let walk = crate::sitefs::walk(root, "content", crate::diagnostic::Severity::Error, is_ignored);
    diagnostics.extend(walk.problems);
    for e in walk.entries {
        if !e.file_type().is_file() {
            diagnostics.push(
                Diagnostic::warning(
                    display_path(root, e.path()),
                    "skipped: not a regular file (a FIFO, socket or device)",
                )
                .with_hint("content/ holds only digests and paper files; move it elsewhere"),
            );
        } else if is_content_file(e.path().strip_prefix(&dir).unwrap_or(e.path())) {
            files.push(e.into_path());
        }
    }
    (files, diagnostics)
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Whether `rel`, a path below `content/`, is a content file: a `.md` or `.toml` file with no
/// hidden or editor's name along its path. The one answer for the walk ([`list`]), the
/// loader ([`super::load_file`]) and `serve`'s watched paths (`Project::scan_paths`).
pub fn is_content_file(rel: &Path) -> bool {
    rel.extension().is_some_and(|x| x == "md" || x == "toml" || x == "jsonl")
        && rel.components().all(|c| !is_ignored(&c.as_os_str().to_string_lossy()))
}

/// The date a folder or file name stands for; none when the name is not date-shaped.
pub(super) fn folder_date(name: &str, shown: &Path) -> Result<Option<NaiveDate>, Diagnostic> {
    let b = name.as_bytes();
    let date_shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !date_shaped {
        return Ok(None);
    }
    NaiveDate::parse_from_str(name, "%Y-%m-%d").map(Some).map_err(|_| {
        Diagnostic::error(shown, format!("invalid date {name:?} in the file or folder name")).with_hint(DATE_HINT)
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_shaped_names() {
        let p = Path::new("x");
        assert_eq!(folder_date("2024-10-22", p).unwrap(), NaiveDate::from_ymd_opt(2024, 10, 22));
        assert_eq!(folder_date("notes", p).unwrap(), None);
        assert!(folder_date("2024-02-30", p).is_err());
    }
}
