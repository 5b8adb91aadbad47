//! The test harness: a site in a temporary folder, the real binary run on it, and helpers to
//! read what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A site in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

/// What a run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The staging folders of builds (`.<name>.papershelf-new-…`) left in `dir`.
pub fn staging_leftovers(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("papershelf-new"))
        .map(|e| e.path())
        .collect()
}

/// The papershelf binary run under `umask` (through `sh`, which sets it and `exec`s): add
/// `--root` and the arguments.
pub fn command_under_umask(umask: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(format!("umask {umask} && exec \"$0\" \"$@\"")).arg(env!("CARGO_BIN_EXE_papershelf"));
    command
}

/// The permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o7777
}

/// Makes a file papershelf would take for a killed run's temporary file, an hour old.
pub fn stale_temp(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600)).unwrap();
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus (`$PAPERSHELF_CORPUS`, or `../shared/corpus` beside the repository), or
/// none with a printed reason; a failure instead when `PAPERSHELF_REQUIRE_CORPUS` is set (as
/// `.ci/run` sets it where the corpus is present), so that CI never skips in silence.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PAPERSHELF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if dir.join("daily").is_dir() {
        return Some(dir);
    }
    let reason = format!("{} is absent (set PAPERSHELF_CORPUS to the corpus folder)", dir.display());
    assert!(std::env::var_os("PAPERSHELF_REQUIRE_CORPUS").is_none(), "{reason}");
    eprintln!("skipped: {reason}");
    None
}

impl TestSite {
    /// An empty site with a minimal site.toml.
    pub fn new() -> Self {
        let site = TestSite { dir: tempfile::tempdir().unwrap() };
        site.write("site.toml", "title = \"Test digest\"\nbase_url = \"https://example.com/\"\n");
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        site
    }

    /// A copy of the fixture site `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Self {
        let site = TestSite { dir: tempfile::tempdir().unwrap() };
        copy_dir(&fixture(name), site.path());
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Adds a line to `site.toml`, such as `author_page_min = 1` for a site whose tests visit
    /// the pages of authors with few papers.
    pub fn configure(&self, line: &str) -> &Self {
        let config = self.read("site.toml");
        self.write("site.toml", format!("{config}{line}\n"))
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.path().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Runs `papershelf --root <site> ARGS…`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_papershelf"))
            .arg("--root")
            .arg(self.path())
            .args(args)
            .output()
            .expect("run papershelf");
        Run::from(out)
    }
}

/// A copy of the repository's own sample site (site.toml and content/).
pub fn sample_site() -> TestSite {
    let site = TestSite { dir: tempfile::tempdir().unwrap() };
    let root = repo_root();
    std::fs::copy(root.join("site.toml"), site.path().join("site.toml")).unwrap();
    copy_dir(&root.join("content"), &site.path().join("content"));
    site
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Sends `signal` to the process `pid` (a child the test started).
pub fn signal_process(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(pid as i32).expect("a child's pid is positive");
    let _ = rustix::process::kill_process(pid, signal);
}
