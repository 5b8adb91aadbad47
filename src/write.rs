//! Writing single files safely: atomically (a temporary file renamed into place), and never
//! over an existing file unless asked to.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// What happened to a file we were asked to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    /// The file already holds exactly these bytes.
    Unchanged,
    /// The file exists with other content and `force` was not given.
    Kept,
}

/// Writes `bytes` to `path` atomically. An existing file with other content is kept unless
/// `force`; one with the same content is left untouched.
pub fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<Outcome, Error> {
    if let Ok(existing) = std::fs::read(path) {
        if existing == bytes {
            return Ok(Outcome::Unchanged);
        }
        if !force {
            return Ok(Outcome::Kept);
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = temp_builder().tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path().to_path_buf(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    if force {
        tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    } else {
        match tmp.persist_noclobber(path) {
            Ok(_) => {}
            // Created by someone else between our check and the rename: keep theirs.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(Outcome::Kept),
            Err(e) => return Err(Error::io(path, e.error)),
        }
    }
    Ok(Outcome::Written)
}

/// The name every temporary file of papershelf starts with (then tempfile's 6 random
/// letters and digits).
pub const TEMP_PREFIX: &str = ".papershelf-";
const TEMP_RANDOM: usize = 6;

/// How papershelf makes a temporary file that will be renamed into a site or output file:
/// named `.papershelf-XXXXXX` and created with mode 0666, which the system narrows by the
/// umask as an editor's files are (tempfile's default, 0600, left `enrich`'s and `new`'s
/// files unreadable to the group and the web server).
pub fn temp_builder() -> tempfile::Builder<'static, 'static> {
    use std::os::unix::fs::PermissionsExt;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).rand_bytes(TEMP_RANDOM).permissions(std::fs::Permissions::from_mode(0o666));
    builder
}

/// Removes the temporary files a killed run left in `dir` (`.papershelf-XXXXXX` files, older
/// than a minute so that a run writing there now keeps its own). Called at the start of a run
/// that writes into `dir`; what cannot be removed is left.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(random) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else { continue };
        // `.papershelf-output` is an output folder's marker (`output::MARKER`), not a leftover.
        if random.len() != TEMP_RANDOM || !random.bytes().all(|b| b.is_ascii_alphanumeric()) || random == "output" {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let age = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).unwrap_or_default();
        if meta.is_file() && age >= STALE_AFTER {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How old a temporary file must be before another run takes it for a killed run's leftover.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.md");
        assert_eq!(write_new(&p, b"one", false).unwrap(), Outcome::Written);
        assert_eq!(write_new(&p, b"one", false).unwrap(), Outcome::Unchanged);
        assert_eq!(write_new(&p, b"two", false).unwrap(), Outcome::Kept);
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert_eq!(write_new(&p, b"two", true).unwrap(), Outcome::Written);
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers = std::fs::read_dir(p.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files left behind");
    }

    #[test]
    fn stale_temporary_files_are_removed_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for name in [".papershelf-aB3xYz", ".papershelf-Q1w2E3", ".papershelf-output", "paper.toml", ".papershelf-abc"]
        {
            let f = std::fs::File::create(dir.path().join(name)).unwrap();
            if name != ".papershelf-Q1w2E3" {
                f.set_modified(old).unwrap();
            }
        }
        remove_stale_temps(dir.path());
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, [".papershelf-Q1w2E3", ".papershelf-abc", ".papershelf-output", "paper.toml"]);
    }
}
