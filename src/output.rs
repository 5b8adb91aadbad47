//! Writing the built site: every file goes into a fresh staging folder beside the output
//! folder, which is swapped in whole only when the build succeeded. A failed or killed build
//! leaves the previous output exactly as it was.

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
    /// Whether there is a previous output whose unchanged files can be linked.
    previous: bool,
    committed: bool,
}

impl Output {
    /// Starts writing a new output for `target`, refusing folders papershelf did not make.
    pub fn begin(target: &Path) -> Result<Output, Error> {
        if target.exists() && !looks_like_output(target) {
            return Err(Error::Usage(format!(
                "{} exists and does not look like a papershelf output folder (no index.html or .nojekyll); \
                 pick another --output or remove it yourself",
                target.display()
            )));
        }
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
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
        Ok(Output { target: target.to_path_buf(), staging, dir, previous: target.is_dir(), committed: false })
    }

    /// Writes one file, `rel` being its path below the output folder. A file the previous
    /// output already holds with the same bytes is hard-linked instead of written again: on a
    /// disk, creating and later deleting thousands of unchanged files costs more than the
    /// build, while a link (and unlinking the old name after the swap) is cheap.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        use rustix::fs::{Mode, OFlags};
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
            let _ = std::fs::remove_dir_all(&self.staging);
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
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes one file of a live output folder in place, atomically (a temporary file renamed
/// over it), and only when its bytes differ. Returns whether it changed.
pub fn write_in_place(dir: &Path, rel: &str, bytes: &[u8]) -> Result<bool, Error> {
    let path = dir.join(rel);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let mut tmp =
        tempfile::Builder::new().prefix(".papershelf-").tempfile_in(parent).map_err(|e| Error::io(parent, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| Error::io(&path, e))?;
    tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(true)
}

/// Removes one page of a live output folder, and its folder when that is left empty.
/// Returns whether there was anything to remove.
pub fn remove_in_place(dir: &Path, rel: &str) -> Result<bool, Error> {
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

fn looks_like_output(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            entries.next().is_none() || dir.join("index.html").exists() || dir.join(".nojekyll").exists()
        }
        Err(_) => false,
    }
}

/// Removes staging folders left by builds that were killed.
fn remove_stale(parent: &Path, target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let prefix = format!(".{name}.papershelf-new-");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that live across the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    // Filesystems without RENAME_EXCHANGE: two renames, the old output kept until the last.
    if matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) { swap_by_renames(a, b) } else { Err(err) }
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
    fn swaps_whole_and_drops_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"one").unwrap();
        out.write("a/b/index.html", b"x").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"one");

        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"two").unwrap();
        drop(out);
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"one", "a dropped build changes nothing");

        let out = Output::begin(&target).unwrap();
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
        let out = Output::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("same.txt", b"same").unwrap();
        out.write("changed.txt", b"one").unwrap();
        out.commit().unwrap();
        let inode = |f: &str| std::fs::metadata(target.join(f)).unwrap().ino();
        let (same, changed) = (inode("same.txt"), inode("changed.txt"));
        let out = Output::begin(&target).unwrap();
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
        std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
        assert!(Output::begin(dir.path()).is_err());
    }
}
