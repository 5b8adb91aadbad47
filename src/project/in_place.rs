//! Writing a live output folder in place, for updates: each file atomically and only when
//! its bytes differ ([`InPlace`]), the search index's files and folders, stale sitemap parts.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::error::Error;
use crate::model::Site;

/// Writes files of a live output folder in place (each atomically, only when its bytes
/// differ) and counts the files changed: the one writer of every kind of update.
pub(super) struct InPlace<'a> {
    target: &'a Path,
    changed: std::sync::atomic::AtomicUsize,
}

impl<'a> InPlace<'a> {
    pub(super) fn new(target: &'a Path) -> Self {
        InPlace { target, changed: std::sync::atomic::AtomicUsize::new(0) }
    }

    pub(super) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if crate::output::write_in_place(self.target, rel, bytes)? {
            self.count(1);
        }
        Ok(())
    }

    pub(super) fn remove(&self, rel: &str) -> Result<(), Error> {
        if crate::output::remove_in_place(self.target, rel)? {
            self.count(1);
        }
        Ok(())
    }

    /// Counts `n` more files changed (written or removed).
    pub(super) fn count(&self, n: usize) {
        self.changed.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    pub(super) fn changed(&self) -> usize {
        self.changed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The search index files to write and the term-group folders to prune: updated for the
/// changed papers while the docs keep their order, rebuilt otherwise.
pub(super) fn refresh_search(
    search: &mut Option<crate::render::search::SearchIndex>,
    site: &Site,
    changed: &[(usize, Vec<String>)],
) -> (Vec<crate::render::search::File>, Vec<String>) {
    use crate::render::search;
    match search.as_mut().and_then(|s| s.refresh(site, changed)) {
        Some((files, groups)) => (files, groups.iter().map(|g| search::group_dir(g)).collect()),
        None => {
            let built = search::SearchIndex::build(site);
            let files = built.files(site);
            *search = Some(built);
            (files, search::DIRS.iter().map(std::string::ToString::to_string).collect())
        }
    }
}

/// Writes the search index files `files` in place, and removes below each term group's
/// folder in `dirs` the shards no longer made, and the group's list when the group is gone.
/// Returns how many files were removed.
pub(super) fn write_index(
    target: &Path,
    files: &[crate::render::search::File],
    dirs: &[String],
    write: impl Fn(&str, &[u8]) -> Result<(), Error> + Sync,
) -> Result<usize, Error> {
    files.par_iter().try_for_each(|(rel, bytes)| write(rel, bytes))?;
    let keep: HashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let mut removed = 0;
    for dir in dirs {
        removed += crate::output::prune(target, dir, &keep)?;
        let list = format!("{dir}.json.gz");
        if dir.starts_with("search/idx/")
            && !keep.contains(list.as_str())
            && crate::output::remove_in_place(target, &list)?
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes the numbered sitemap parts in `target` that are no longer `written` (by the build
/// or as the site's own static files): a site that shrank below
/// [`crate::render::urls::SITEMAP_URLS`] pages, or by a part.
pub(super) fn remove_stale_sitemaps(
    target: &Path,
    written: impl Fn(&str) -> bool,
    mut remove: impl FnMut(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    use crate::render::urls::sitemap_part;
    let mut n = 1;
    while written(&sitemap_part(n)) {
        n += 1;
    }
    while target.join(sitemap_part(n)).is_file() {
        if !written(&sitemap_part(n)) {
            remove(&sitemap_part(n))?;
        }
        n += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_parts_beyond_the_written_ones_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap-4.xml", "sitemap-6.xml"]
        {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        // Written: the build's index and first part, and the site's own static sitemap-3.xml.
        let written = |rel: &str| ["sitemap.xml", "sitemap-1.xml", "sitemap-3.xml"].contains(&rel);
        let mut removed = Vec::new();
        remove_stale_sitemaps(dir.path(), written, |rel| {
            removed.push(rel.to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(removed, ["sitemap-2.xml", "sitemap-4.xml"]);
    }
}
