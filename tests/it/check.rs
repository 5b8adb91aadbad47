//! `papershelf check`: every problem of every file in one run, each with its file, line,
//! column and hint, and only the broken files blamed.

use crate::support::TestSite;

#[test]
fn lists_every_broken_file_with_position_and_hint() {
    let site = TestSite::from_fixture("broken");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    let err = &run.stderr;
    assert!(err.contains("error: content/2024-10-22/puma.md:4:8: invalid date \"2024-13-01\" in field date"), "{err}");
    assert!(err.contains("help: dates are written YYYY-MM-DD"), "{err}");
    assert!(err.contains("error: content/2024-10-22/typo.md:3:1: unknown field `authros` in a paper"), "{err}");
    assert!(err.contains("help: did you mean `authors`?"), "{err}");
    assert!(err.contains("content/2024-10-22/bad-toml.md:2:"), "{err}");
    assert!(err.contains("content/2024-10-22/bad-arxiv.md:3:9: invalid arXiv id"), "{err}");
    assert!(!err.contains("good.md"), "the good file is not blamed: {err}");
    assert!(err.contains("4 problems in 4 files"), "{err}");
}

#[test]
fn clean_site_passes() {
    let site = TestSite::from_fixture("broken");
    for f in ["bad-toml", "puma", "typo", "bad-arxiv"] {
        std::fs::remove_file(site.path().join(format!("content/2024-10-22/{f}.md"))).unwrap();
    }
    let run = site.run(&["check"]);
    run.success();
    assert!(run.stdout.contains("1 paper"), "{}", run.stdout);
}

#[test]
fn unclosed_front_matter_and_bad_folder_date() {
    let site = TestSite::new();
    site.write("content/2024-10-22/open.md", "+++\ntitle = \"x\"\n\nBody\n");
    site.write("content/2024-02-30/p.md", "+++\ntitle = \"y\"\n+++\n");
    site.write("content/2024-10-22/notes.md", "Just some notes.\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/2024-10-22/open.md:1:1: the front matter opened with `+++` is never closed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/2024-02-30/p.md: invalid date \"2024-02-30\""), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/2024-10-22/notes.md:1: neither a paper file nor a table digest"),
        "{}",
        run.stderr
    );
}

#[test]
fn day_file_papers_are_checked_each_at_its_line() {
    let site = TestSite::new();
    site.write(
        "content/2024-10-23.toml",
        "title = \"A themed day\"\n\n[[papers]]\ntitle = \"One\"\narxiv = \"2410.00003\"\n\n[[papers]]\ntitel = \"Two\"\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/2024-10-23.toml:8:1: unknown field `titel` in a paper"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `title`?"), "{}", run.stderr);
}

#[test]
fn site_toml_problems() {
    let site = TestSite::new();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.com/\"\nthem = \"x\"\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml:3:1: unknown field `them` in site.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `theme`?"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::new();
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    assert_eq!(site.run(&["new", "2024-13-01", "T"]).code, 2);
}
