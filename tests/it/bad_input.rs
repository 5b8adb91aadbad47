//! Hostile and broken input: every case gets a clear error (or a warning where the site can
//! still be built) naming the file, and none makes papershelf panic, hang or lose a file.

use std::time::{Duration, Instant};

use crate::support::{Run, TestSite};

/// Runs `check` then `build`; neither may panic, and both must finish in time.
fn check_and_build(site: &TestSite) -> (Run, Run) {
    let start = Instant::now();
    let check = site.run(&["check"]);
    let build = site.run(&["build"]);
    for run in [&check, &build] {
        assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
        assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    }
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    (check, build)
}

fn good_paper(site: &TestSite) {
    site.write("content/2024-10-22/good.md", "+++\ntitle = \"A good paper\"\n+++\n\nFine.\n");
}

#[test]
fn non_utf8_and_empty_files_are_named() {
    let site = TestSite::new();
    good_paper(&site);
    site.write("content/2024-10-22/latin1.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n".as_slice());
    site.write("content/2024-10-22/empty.md", "");
    site.write("content/2024-10-22/empty.toml", "");
    let (check, build) = check_and_build(&site);
    assert_eq!(check.code, 1);
    let err = &check.stderr;
    assert!(err.contains("content/2024-10-22/latin1.md:2:") && err.contains("not valid UTF-8"), "{err}");
    assert!(err.contains("content/2024-10-22/empty.md:1: neither a paper file nor a table digest"), "{err}");
    assert!(err.contains("content/2024-10-22/empty.toml:1: missing field `title`"), "{err}");
    assert!(!err.contains("good.md"));
    assert_eq!(build.code, 1);
}

#[test]
fn a_50_mb_digest_is_refused_quickly_with_bounded_memory() {
    let site = TestSite::new();
    good_paper(&site);
    let row = format!("| T (Read more on [arXiv](https://arxiv.org/abs/2401.00001)) | A | {} |\n", "word ".repeat(400));
    let mut digest = String::from("## Papers for 2024-01-02\n\n| Title | Authors | Summary |\n|---|---|---|\n");
    while digest.len() < 50 * 1024 * 1024 {
        digest.push_str(&row);
    }
    site.write("content/huge.md", &digest);
    let (check, _) = check_and_build(&site);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("content/huge.md: the file is 52.4 MB; papershelf reads content files of at most 16 MB"),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("help: split it"), "{}", check.stderr);
}

#[test]
fn a_100000_character_title_builds_with_a_warning() {
    let site = TestSite::new();
    let title = "Long ".repeat(20_000);
    site.write("content/2024-10-22/long.md", format!("+++\ntitle = \"{}\"\n+++\n\nText.\n", title.trim()));
    let (check, build) = check_and_build(&site);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("warning: content/2024-10-22/long.md:1: a title is 99999 characters long"),
        "{}",
        check.stderr
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    let slug_dir = std::fs::read_dir(site.path().join("public/papers")).unwrap().next().unwrap().unwrap();
    assert!(slug_dir.file_name().len() <= 80, "the slug is cut");
}

#[test]
fn deeply_nested_markdown_does_not_overflow_the_stack() {
    let site = TestSite::new();
    let quotes = ">".repeat(100_000);
    let lists: String = (0..2_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    let brackets = "[".repeat(50_000) + &"]".repeat(50_000);
    let emphasis = "*a ".repeat(30_000);
    site.write(
        "content/2024-10-22/nested.md",
        format!("+++\ntitle = \"Nested\"\n+++\n\n{quotes} deep\n\n{lists}\n{brackets}\n\n{emphasis}\n"),
    );
    let (check, build) = check_and_build(&site);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(build.code, 0, "{}", build.stderr);
}

#[test]
fn duplicate_slugs_from_two_files_name_both() {
    let site = TestSite::new();
    site.write("content/2024-10-22/a.md", "+++\ntitle = \"One\"\nslug = \"same\"\n+++\n");
    site.write("content/2024-10-23/b.md", "+++\ntitle = \"Two\"\nslug = \"same\"\n+++\n");
    let (check, _) = check_and_build(&site);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("content/2024-10-23/b.md:1: slug \"same\" is already used by another paper"),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("content/2024-10-22/a.md:1 has the same slug"), "{}", check.stderr);
}

#[test]
fn impossible_dates_symlink_loops_and_dangling_links_are_named() {
    let site = TestSite::new();
    good_paper(&site);
    site.write("content/2024-02-30/p.md", "+++\ntitle = \"Leap\"\n+++\n");
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("content/2024-10-22/loop")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/paper.md", site.path().join("content/2024-10-22/ghost.md")).unwrap();
    let (check, _) = check_and_build(&site);
    assert_eq!(check.code, 1);
    let err = &check.stderr;
    assert!(err.contains("content/2024-02-30/p.md: invalid date \"2024-02-30\""), "{err}");
    assert!(err.contains("content/2024-10-22/loop: cannot read: a symlink loop"), "{err}");
    assert!(err.contains("content/2024-10-22/ghost.md"), "{err}");
}

#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let site = TestSite::new();
    site.write("content/2024-10-22/secret.md", "+++\ntitle = \"x\"\n+++\n");
    let path = site.path().join("content/2024-10-22/secret.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"));
    command.arg("--root").arg(site.path()).arg("check");
    if rustix::process::geteuid().is_root() {
        // Root reads any file: run the check as `nobody`, who may enter the site but not
        // read the file.
        for dir in ["", "content", "content/2024-10-22"] {
            std::fs::set_permissions(site.path().join(dir), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::set_permissions(site.path().join("site.toml"), std::fs::Permissions::from_mode(0o644)).unwrap();
        command.uid(65534).gid(65534);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/2024-10-22/secret.md: cannot read file: Permission denied"), "{stderr}");
}

#[test]
fn a_file_deleted_during_a_build_is_an_error_naming_it() {
    // What the build sees when a file listed a moment ago is gone when it is read.
    let site = TestSite::new();
    let path = site.path().join("content/2024-10-22/gone.md");
    let (content, diagnostics) = papershelf::content::load_file(site.path(), &path);
    assert!(content.entries.is_empty());
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].to_string().contains("content/2024-10-22/gone.md: cannot read file"), "{}", diagnostics[0]);
}

#[test]
fn unsafe_link_urls_are_refused_and_markdown_ones_shown_as_text() {
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n[links]\ncode = \"javascript:alert(1)\"\n+++\n");
    let (check, _) = check_and_build(&site);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("content/2024-10-22/x.md:4:8: link `code` has a URL papershelf will not publish"),
        "{}",
        check.stderr
    );
}
