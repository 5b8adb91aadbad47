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
    let mut tmp = tempfile::Builder::new().prefix(".papershelf-").tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
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
}
