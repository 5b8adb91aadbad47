//! Closed pipes: `papershelf build | head -1` and the like. Rust ignores SIGPIPE, so a write to
//! a closed stdout or stderr is an error, on which `println!` panics (exit 101); every command
//! must end quietly with its own exit code instead.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::TestSite;

/// Runs papershelf with stdout closed before it writes (and stderr too when `close_stderr`);
/// returns the exit code (-1 for a signal) and stderr.
fn run_with_closed_output(site: &TestSite, args: &[&str], close_stderr: bool) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_papershelf"))
        .arg("--root")
        .arg(site.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `papershelf build | head -0`: the reading end is gone before the first line.
    drop(child.stdout.take());
    let mut stderr = String::new();
    if close_stderr {
        drop(child.stderr.take());
    } else {
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    }
    (child.wait().unwrap().code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_pipe_ends_a_command_quietly_with_its_own_exit_code() {
    let site = TestSite::new();
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"First paper\"\nauthors = [\"Ann Lee\"]\n+++\n\nText.\n");
    // A broken link, so the build prints a warning to stderr too.
    site.write("content/2024-10-22/third.md", "+++\ntitle = \"Third\"\n+++\n\nSee [this](/no/such/page/).\n");
    let new_site = site.path().join("new-site");
    for (args, code) in
        [(&["build"][..], 0), (&["check"][..], 0), (&["init", new_site.to_str().unwrap(), "--force"][..], 0)]
    {
        let (got, stderr) = run_with_closed_output(&site, args, false);
        assert_eq!(got, code, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let (got, _) = run_with_closed_output(&site, args, true);
        assert_eq!(got, code, "{args:?} with stderr closed too");
    }
    let (got, stderr) = run_with_closed_output(&site, &["new", "2024-10-23", "A new paper"], false);
    assert_eq!((got, stderr.as_str()), (0, ""));
    assert_eq!(run_with_closed_output(&site, &["new", "2024-10-23", "Another paper"], true).0, 0);
    site.write("content/2024-10-22/broken.md", "+++\ntitle = \"Broken\ndate = 2024-13-01\n+++\n");
    assert_eq!(run_with_closed_output(&site, &["build"], true).0, 1, "a failed build still says so");
}
