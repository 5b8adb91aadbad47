//! Writing the built site: every file goes into a fresh staging folder beside the output
//! folder, which is swapped in whole only when the build succeeded. A failed build leaves the
//! previous output exactly as it was. The swap itself is atomic on Linux only
//! (`renameat2(RENAME_EXCHANGE)`, see `exchange`): elsewhere (macOS), and on Linux file systems
//! without it, it is two renames (`swap_by_renames`), and a kill between them leaves no output
//! folder, the old one kept beside it.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **output** (`src/output.rs`): `check_target` refuses an output folder that is the site or holds
//! it, or, when it has no `.papershelf-output` marker (which every build writes), holds a site's
//! sources or any file; a folder with the marker is papershelf's output whatever names its static
//! files gave it. Every file goes into a staging folder beside the output folder, under an `flock`
//! of the parent folder (a second build waits); `commit` swaps it in (`exchange`) and removes the
//! old tree. The swap is atomic on Linux only: `renameat2(RENAME_EXCHANGE)` (rustix's
//! `renameat_with`). Elsewhere (macOS), and on Linux file systems without `RENAME_EXCHANGE`, it is
//! two renames (`swap_by_renames`): a kill between them leaves no output folder (the old one is
//! beside it, named after the staging folder with `.old`). Dropping an uncommitted `Output`
//! removes the staging folder. Files and folders are made relative to the open staging folder
//! (`mkdirat`/`openat` through rustix), so each write walks a short path. A file the previous
//! output holds with the same bytes is hard-linked into the staging folder instead of written, so
//! a rebuild on a disk neither recreates nor frees thousands of unchanged files.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// A build's output being written.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    /// The staging folder, open: files are made relative to it (`mkdirat`, `openat`), so
    /// each of thousands of writes walks two or three path components instead of the whole
    /// absolute path.
    dir: rustix::fd::OwnedFd,
    /// The output's parent folder, open and locked (`flock`) while this build writes.
    _lock: rustix::fd::OwnedFd,
    /// Whether there is a previous output whose unchanged files can be linked.
    previous: bool,
    committed: bool,
    /// What has been written so far: files, bytes, bytes by top-level folder.
    tally: std::sync::Mutex<SiteSize>,
}

/// The size of a built site: every file written, the sum of their sizes (what GitHub Pages
/// counts against its 1 GB limit) and the bytes below each top-level folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteSize {
    pub files: usize,
    pub bytes: u64,
    /// Bytes by top-level folder (`papers`, `authors`, …); files at the top are not counted here.
    pub folders: std::collections::HashMap<String, u64>,
}

/// GitHub Pages' limit on a published site (<https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits>).
pub const PAGES_LIMIT_BYTES: u64 = 1_000_000_000;

impl SiteSize {
    fn add(&mut self, rel: &str, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
        if let Some((top, _)) = rel.split_once('/') {
            // A folder's name is made once, not per file (this runs for every file written).
            match self.folders.get_mut(top) {
                Some(sum) => *sum += bytes,
                None => drop(self.folders.insert(top.to_string(), bytes)),
            }
        }
    }

    /// The `n` largest top-level folders, largest first (ties by name).
    pub fn largest_folders(&self, n: usize) -> Vec<(&str, u64)> {
        let mut folders: Vec<(&str, u64)> = self.folders.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        folders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        folders.truncate(n);
        folders
    }

    /// A warning when the site passes GitHub Pages' limit, naming its three largest folders.
    pub fn over_pages_limit(&self) -> Option<String> {
        if self.bytes <= PAGES_LIMIT_BYTES {
            return None;
        }
        let folders: Vec<String> =
            self.largest_folders(3).into_iter().map(|(name, b)| format!("{name}/ {}", human_bytes(b))).collect();
        Some(format!(
            "the site is {}, over GitHub Pages' limit of 1 GB for a published site; largest folders: {}",
            human_bytes(self.bytes),
            folders.join(", ")
        ))
    }
}

/// Bytes in decimal units, as GitHub states its limits: `812 B`, `45.6 KB`, `1.23 GB`.
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} KB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.2} GB", b / 1e9),
    }
}

/// The file papershelf writes into every output folder. A folder is replaced by a build only
/// when it holds this file (or is empty): nothing else is taken for papershelf's own output.
pub const MARKER: &str = ".papershelf-output";
const MARKER_TEXT: &str = "This folder is written by papershelf: each build replaces all of it.\n";

impl Output {
    /// Starts writing a new output for `target` of the site at `site_root`, refusing folders
    /// papershelf did not make ([`check_target`]). Holds a lock on the output's parent folder
    /// until dropped, so a second build into the same place waits for the first.
    pub fn begin(target: &Path, site_root: &Path) -> Result<Output, Error> {
        check_target(target, site_root)?;
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let lock = lock(&parent)?;
        remove_stale(&parent, target);
        let name = target.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.papershelf-new-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?
            .keep();
        let dir = rustix::fs::open(
            &staging,
            rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .map_err(|e| Error::io(&staging, e.into()))?;
        let output = Output {
            target: target.to_path_buf(),
            staging,
            dir,
            _lock: lock,
            previous: target.is_dir(),
            committed: false,
            tally: Default::default(),
        };
        output.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(output)
    }

    /// Writes one file, `rel` being its path below the output folder. A file the previous
    /// output already holds with the same bytes is hard-linked instead of written again: on a
    /// disk, creating and later deleting thousands of unchanged files costs more than the
    /// build, while a link (and unlinking the old name after the swap) is cheap.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        use rustix::fs::{Mode, OFlags};
        inside(&self.staging, rel)?;
        self.count(rel, bytes.len() as u64);
        let path = || self.staging.join(rel);
        if let Some((parent, _)) = rel.rsplit_once('/') {
            // Most pages are the only file of their own new folder: try making just it first.
            match rustix::fs::mkdirat(&self.dir, parent, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(_) => {
                    let parent = self.staging.join(parent);
                    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
                }
            }
        }
        if self.previous {
            let old = self.target.join(rel);
            let same = std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && std::fs::read(&old).is_ok_and(|b| b == bytes);
            if same && std::fs::hard_link(&old, path()).is_ok() {
                return Ok(());
            }
        }
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let file = rustix::fs::openat(&self.dir, rel, flags, Mode::from_raw_mode(0o666))
            .map_err(|e| Error::io(path(), e.into()))?;
        std::io::Write::write_all(&mut std::fs::File::from(file), bytes).map_err(|e| Error::io(path(), e))
    }

    /// Copies the file at `source` to `rel`, streaming it (a static file may be large).
    pub fn copy(&self, rel: &str, source: &Path) -> Result<(), Error> {
        inside(&self.staging, rel)?;
        let path = self.staging.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let bytes = std::fs::copy(source, &path).map_err(|e| Error::io(source, e))?;
        self.count(rel, bytes);
        Ok(())
    }

    fn count(&self, rel: &str, bytes: u64) {
        self.tally.lock().unwrap_or_else(std::sync::PoisonError::into_inner).add(rel, bytes);
    }

    /// Every file written so far and their bytes.
    pub fn size(&self) -> SiteSize {
        self.tally.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// A file written so far, as text.
    pub fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.staging.join(rel)).ok()
    }

    /// Swaps the staging folder in place of the output folder, atomically where the system
    /// allows (Linux `renameat2` with `RENAME_EXCHANGE`), then removes the old output.
    pub fn commit(mut self) -> Result<(), Error> {
        if self.target.exists() {
            exchange(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))?;
            // The staging path now holds the old output.
            remove_tree(&self.staging);
        } else {
            std::fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.staging);
        }
    }
}

/// Writes one file of a live output folder in place, atomically (a temporary file renamed
/// over it), and only when its bytes differ. Returns whether it changed.
pub fn write_in_place(dir: &Path, rel: &str, bytes: &[u8]) -> Result<bool, Error> {
    inside(dir, rel)?;
    let path = dir.join(rel);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let mut tmp = crate::write::temp_builder().tempfile_in(parent).map_err(|e| Error::io(parent, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| Error::io(&path, e))?;
    tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(true)
}

/// Removes one page of a live output folder, and its folder when that is left empty.
/// Returns whether there was anything to remove.
pub fn remove_in_place(dir: &Path, rel: &str) -> Result<bool, Error> {
    inside(dir, rel)?;
    let path = dir.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {
            if let Some(parent) = path.parent().filter(|p| *p != dir) {
                let _ = std::fs::remove_dir(parent);
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Removes the files below `dir/sub` that are not in `keep` (paths relative to `dir`), such as
/// search index shards that a rebuild no longer makes. Returns how many were removed.
pub fn prune<S: std::hash::BuildHasher>(
    dir: &Path,
    sub: &str,
    keep: &std::collections::HashSet<&str, S>,
) -> Result<usize, Error> {
    let root = dir.join(sub);
    if !root.is_dir() {
        return Ok(0);
    }
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walked below dir").to_string_lossy().replace('\\', "/");
        if !keep.contains(rel.as_str()) {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses an output folder that is not papershelf's to replace: the site folder or any folder
/// holding it, a file, and a folder without papershelf's [`MARKER`] that holds a site's
/// sources (`site.toml`, `content/`, `.git`) or any file. A folder with the marker is a
/// previous output, whatever names it holds.
pub fn check_target(target: &Path, site_root: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site into {}: {why}; a build replaces its output folder whole. \
             Pick another --output (or output_dir in site.toml), such as public/",
            target.display()
        )))
    };
    let real_target = resolve(target);
    let real_root = resolve(site_root);
    if real_root.starts_with(&real_target) {
        return refuse("it is the site folder or holds it");
    }
    let Ok(meta) = std::fs::symlink_metadata(target) else { return Ok(()) };
    if !meta.is_dir() {
        return refuse("it is not a folder");
    }
    // papershelf's own output first, whatever names its static files gave it (a `content/`
    // or `site.toml` of `static/` is published as is).
    if target.join(MARKER).is_file() {
        return Ok(());
    }
    if let Some(source) = ["site.toml", "content", ".git"].iter().find(|n| target.join(n).exists()) {
        return refuse(&format!("it holds {source}, the sources of a site"));
    }
    let empty = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?.next().is_none();
    if !empty && !target.join(MARKER).is_file() {
        return refuse(&format!(
            "it holds files that papershelf did not write (no {MARKER} in it); if it is an old papershelf output, remove it yourself once"
        ));
    }
    Ok(())
}

/// `path` made absolute with every existing part's symlinks resolved and `..` applied, so two
/// spellings of one folder compare equal.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// Refuses a path that would leave the folder it is written below, whatever made it: the
/// writer's own check, behind the readers' checks of every slug.
fn inside(dir: &Path, rel: &str) -> Result<(), Error> {
    if crate::safe::is_inside(rel) {
        return Ok(());
    }
    let message = format!("refused to write {rel:?}: the path leaves the output folder");
    Err(Error::io(dir, std::io::Error::new(std::io::ErrorKind::InvalidInput, message)))
}

/// Opens `dir` and takes an exclusive `flock` on it, waiting (said aloud) while another
/// papershelf build holds it.
fn lock(dir: &Path) -> Result<rustix::fd::OwnedFd, Error> {
    use rustix::fs::{FlockOperation, Mode, OFlags, flock};
    let fd = rustix::fs::open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .map_err(|e| Error::io(dir, e.into()))?;
    if flock(&fd, FlockOperation::NonBlockingLockExclusive).is_err() {
        crate::errln!("waiting for another papershelf build writing into {} to finish", dir.display());
        flock(&fd, FlockOperation::LockExclusive).map_err(|e| Error::io(dir, e.into()))?;
    }
    Ok(fd)
}

/// Removes a folder papershelf made, also when parts of it were made read-only (a build's
/// old output that someone `chmod -w`-ed): those are made writable first.
fn remove_tree(path: &Path) {
    if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(path).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o755));
        }
    }
    if let Err(e) = std::fs::remove_dir_all(path) {
        crate::errln!("warning: could not remove {}: {e}; remove it yourself", path.display());
    }
}

/// Removes staging folders left by builds that were killed.
fn remove_stale(parent: &Path, target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let prefix = format!(".{name}.papershelf-new-");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                remove_tree(&e.path());
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Filesystems without RENAME_EXCHANGE: two renames, the old output kept until the last.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => swap_by_renames(a, b),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    swap_by_renames(a, b)
}

fn swap_by_renames(new: &Path, target: &Path) -> std::io::Result<()> {
    let old = new.with_extension("old");
    std::fs::rename(target, &old)?;
    std::fs::rename(new, target)?;
    std::fs::rename(&old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_over_a_gigabyte_is_warned_about_with_its_largest_folders() {
        let mut size = SiteSize::default();
        size.add(".papershelf-output", 70);
        size.add("papers/a/index.html", 300_000_000);
        size.add("authors/b/index.html", 500_000_000);
        size.add("search/c.json", 150_000_000);
        size.add("tags/d/index.html", 40_000_000);
        assert_eq!((size.files, size.bytes), (5, 990_000_070));
        assert_eq!(size.over_pages_limit(), None);
        size.add("search/e.json", 60_000_000);
        let warning = size.over_pages_limit().expect("over 1 GB");
        assert_eq!(
            warning,
            "the site is 1.05 GB, over GitHub Pages' limit of 1 GB for a published site; \
             largest folders: authors/ 500.0 MB, papers/ 300.0 MB, search/ 210.0 MB"
        );
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(45_600), "45.6 KB");
    }

    #[test]
    fn swaps_whole_and_drops_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = Output::begin(&target, dir.path()).unwrap();
        out.write("index.html", b"one").unwrap();
        out.write("a/b/index.html", b"x").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"one");

        let out = Output::begin(&target, dir.path()).unwrap();
        out.write("index.html", b"two").unwrap();
        drop(out);
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"one", "a dropped build changes nothing");

        let out = Output::begin(&target, dir.path()).unwrap();
        out.write("index.html", b"three").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"three");
        assert!(!target.join("a").exists(), "old files are gone");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging left");
    }

    #[test]
    fn unchanged_files_are_linked_not_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = Output::begin(&target, dir.path()).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("same.txt", b"same").unwrap();
        out.write("changed.txt", b"one").unwrap();
        out.commit().unwrap();
        let inode = |f: &str| std::fs::metadata(target.join(f)).unwrap().ino();
        let (same, changed) = (inode("same.txt"), inode("changed.txt"));
        let out = Output::begin(&target, dir.path()).unwrap();
        out.write("same.txt", b"same").unwrap();
        out.write("changed.txt", b"two").unwrap();
        out.commit().unwrap();
        assert_eq!(inode("same.txt"), same, "the unchanged file is the same file");
        assert_ne!(inode("changed.txt"), changed);
        assert_eq!(std::fs::read(target.join("changed.txt")).unwrap(), b"two");
        assert_eq!(std::fs::metadata(target.join("same.txt")).unwrap().nlink(), 1, "the old name is gone");
    }

    #[test]
    fn refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("thesis.tex"), "precious").unwrap();
        std::fs::write(target.join("index.html"), "looks like a site").unwrap();
        std::fs::write(target.join(".nojekyll"), "").unwrap();
        assert!(Output::begin(&target, dir.path()).is_err(), "index.html and .nojekyll are not enough");
        assert!(target.join("thesis.tex").exists());
    }

    /// tempfile makes its files 0600: `new`, `import`, `enrich` and `serve`'s in-place writes
    /// left files the group and a web server could not read. (One test sets the umask, which
    /// is the process's, for both writers.)
    #[test]
    fn files_written_through_a_temporary_file_take_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
        let written = crate::write::write_new(&dir.path().join("new.md"), b"one", false)
            .and_then(|_| write_in_place(dir.path(), "a/index.html", b"page"));
        rustix::process::umask(old);
        written.unwrap();
        for file in ["new.md", "a/index.html"] {
            let mode = std::fs::metadata(dir.path().join(file)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "{file}");
        }
    }

    #[test]
    fn an_output_is_known_by_its_marker_whatever_names_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        for round in 0..2 {
            let out = Output::begin(&target, dir.path()).unwrap_or_else(|e| panic!("build {round}: {e}"));
            out.write("site.toml", b"title = \"a static file\"").unwrap();
            out.write("content/x.txt", b"a static file").unwrap();
            out.write(".git/HEAD", b"a static file").unwrap();
            out.commit().unwrap();
        }
        let site = dir.path().join("other-site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::write(site.join("site.toml"), "").unwrap();
        std::fs::write(site.join(".papershelf-outputs"), "").unwrap();
        assert!(Output::begin(&site, dir.path()).is_err(), "a site folder without the marker is refused");
        std::fs::create_dir_all(dir.path().join("empty/content")).unwrap();
        assert!(Output::begin(&dir.path().join("empty"), dir.path()).is_err(), "content/ alone is refused");
    }
}
