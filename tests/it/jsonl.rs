//! daily-arXiv JSON Lines (`content/**/*.jsonl`): the fixture site `tests/fixtures/jsonl/site`
//! holds every quirk of the published files (tldr or task, further AI keys, failed-run values,
//! a null comment, code with and without stars, one id on two days, a day's crawl beside its
//! English and Chinese enhanced files, an id listed twice in one file (the second time with a
//! failed run and an ACM class among its categories), Chinese AI text beside an English
//! abstract with TeX);
//! `tests/fixtures/jsonl/malformed` holds a file with broken lines.

use std::path::Path;

use crate::support::{TestSite, fixture};

const FAILED: &[&str] = &[
    "Summary generation failed",
    "Motivation analysis unavailable",
    "Method extraction failed",
    "Result analysis unavailable",
    "Conclusion extraction failed",
];
const ENGLISH: &str = "content/data/2025-01-02_AI_enhanced_English.jsonl";

fn built() -> (TestSite, std::path::PathBuf) {
    let site = TestSite::from_fixture("jsonl/site");
    let out = site.path().join("public");
    site.run(&["build", "--output", out.to_str().unwrap()]).success();
    (site, out)
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel).join("index.html")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_rows_paper_page_shows_every_field() {
    let (_site, out) = built();
    let p = page(&out, "papers/2501.00001");
    for want in [
        "Sparse Attention for Long Video Generation",
        // Below `author_page_min`, an author's name links to the search filtered to them.
        ">Wei Zhang</a>, <a href=\"/search/?by=Ana+Lopez\">Ana Lopez</a>",
        "<p class=\"meta paper-comment\">Accepted at ISED 2025, 8 pages</p>",
        "href=\"https://github.com/example/sparse-video\">Code ★ 128</a>",
        "<dt>TL;DR</dt><dd><p>Sparse attention makes long video generation cheap.</p>",
        "<dt>Motivation</dt><dd><p>Full attention is quadratic in video length.</p>",
        "<dt>Results</dt><dd><p>4x faster at equal FID.</p>",
        "<dt>Conclusion</dt>",
        "<dt>Keywords</dt><dd><p>sparse attention, video diffusion</p>",
        "<dt>AI comment</dt>",
        "<h2>Abstract</h2>",
        "Our method scales as $O(n \\log n)$ in the sequence length.",
        "datetime=\"2025-01-02\"",
        "datetime=\"2025-01-03\"",
        "Computer Vision and Pattern Recognition (cs.CV)</a>",
    ] {
        assert!(p.contains(want), "missing {want:?}");
    }
    // The English enhanced file of 2025-01-02 was read, not the Chinese one.
    assert!(!p.contains("稀疏注意力"), "the Chinese file of a day with an English one is not read");
    assert!(!p.contains("I.2.10"), "ACM classes are not tags");
    // `task` is the TL;DR; no comment, and no stars, where none are given.
    let b = page(&out, "papers/2501.00002");
    assert!(b.contains("<dt>TL;DR</dt><dd><p>A benchmark for graph reasoning.</p>"));
    assert!(b.contains(">Code</a>") && !b.contains("paper-comment"));
    assert!(!b.contains("<dt>Motivation</dt>") && b.contains("<dt>Results</dt>"));
}

#[test]
fn chinese_parts_beside_an_english_abstract_with_tex() {
    let (_site, out) = built();
    let p = page(&out, "papers/2501.00005");
    assert!(p.contains("<dt>TL;DR</dt><dd lang=\"zh\"><p>提出一种用于蛋白质设计的扩散模型。</p>"), "{p}");
    assert!(p.contains("<dt>Abstract translation</dt>"));
    assert!(p.contains("<math"), "TeX in a part is MathML");
    assert!(p.contains("We propose a diffusion model over $SE(3)$ frames for protein backbones"));
    assert!(p.contains("Biomolecules (q-bio.BM)"), "{p}");
}

#[test]
fn failed_runs_show_the_abstract_and_reach_no_file() {
    let (_site, out) = built();
    let d = page(&out, "papers/2501.00004");
    assert!(!d.contains("class=\"parts\""), "no summary parts");
    assert!(d.contains("Robots that grasp transparent objects."));
    let day = page(&out, "2025-01-02");
    assert!(day.contains("Robots that grasp transparent objects."), "the abstract is the teaser");
    for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        for f in FAILED {
            assert!(!text.contains(f), "{f:?} in {}", entry.path().display());
        }
    }
}

#[test]
fn a_day_lists_each_paper_once_and_tags_list_them() {
    let (_site, out) = built();
    let day = page(&out, "2025-01-02");
    let count = |slug: &str| day.matches(&format!("href=\"/papers/{slug}/\"")).count();
    let once = count("2501.00003");
    assert!(once > 0, "a row only in the crawl is listed");
    for slug in ["2501.00001", "2501.00002", "2501.00004"] {
        assert_eq!(count(slug), once, "{slug} listed as often as a paper listed once");
    }
    let next = page(&out, "2025-01-03");
    assert!(next.contains("href=\"/papers/2501.00001/\""), "one id, two days");
    let tag = page(&out, "tags/computer-vision-and-pattern-recognition-cs-cv");
    assert!(tag.contains("Sparse Attention for Long Video Generation"));
    assert!(page(&out, "tags/robotics-cs-ro").contains("Everything Failed Here"));
}

#[test]
fn check_lists_each_failed_row_with_file_and_line() {
    let site = TestSite::from_fixture("jsonl/site");
    let run = site.run(&["check"]);
    run.success();
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0]
            .starts_with(&format!("warning: {ENGLISH}:2: 2501.00002: the summariser failed on motivation, method"))
    );
    assert!(warnings[1].starts_with(&format!("warning: {ENGLISH}:3: 2501.00004")));
    assert!(run.stdout.contains("5 papers (6 listings) on 2 days"), "{}", run.stdout);
    // The summary does not call a site with warnings one without problems.
    assert!(run.stdout.trim_end().ends_with("; no errors, 2 warnings"), "{}", run.stdout);
}

#[test]
fn malformed_lines_are_errors_at_their_line() {
    let site = TestSite::from_fixture("jsonl/site");
    let name = "2025-01-04_AI_enhanced_English.jsonl";
    std::fs::copy(fixture("jsonl/malformed").join(name), site.path().join("content").join(name)).unwrap();
    let run = site.run(&["check"]);
    assert_ne!(run.code, 0);
    for (line, what) in [
        (2, "not a JSON object"),
        (3, "missing field `title`"),
        (4, "field `categories` must be a list of strings, not a number"),
        (5, "invalid arXiv id \"not-an-id\""),
    ] {
        let want = format!("error: content/{name}:{line}: {what}");
        assert!(run.stderr.contains(&want), "missing {want:?} in {}", run.stderr);
    }
    assert!(run.stderr.contains("help: each line is one JSON object"));
    assert!(run.stderr.contains("4 problems in 1 file"), "{}", run.stderr);
}

#[test]
fn a_jsonl_file_keeps_the_size_limit_and_symlink_rules() {
    let site = TestSite::from_fixture("jsonl/site");
    let big = format!("{}\n", " ".repeat(17 * 1024 * 1024));
    site.write("content/2025-01-05.jsonl", big);
    let run = site.run(&["check"]);
    assert!(run.stderr.contains("content/2025-01-05.jsonl: the file is 17.8 MB"), "{}", run.stderr);
    std::fs::remove_file(site.path().join("content/2025-01-05.jsonl")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.jsonl"), "{\"id\": \"2501.00001\", \"title\": \"Secret\"}\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.jsonl"), site.path().join("content/2025-01-06.jsonl")).unwrap();
    let run = site.run(&["check"]);
    assert!(run.stderr.contains("content/2025-01-06.jsonl: a symlink that leads out of the site"), "{}", run.stderr);
    assert!(!run.stderr.contains("Secret") && !run.stdout.contains("Secret"));
}

#[test]
fn import_reads_a_days_enhanced_file_in_the_sites_language_as_build_does() {
    let source = fixture("jsonl/site/content/data");
    let site = TestSite::new();
    site.configure("language = \"zh-CN\"");
    site.run(&["import", source.to_str().unwrap()]).success();
    let file = site.read("content/2025-01-02/sparse-attention-for-long-video-generation.md");
    assert!(file.contains("## TL;DR\n\n稀疏注意力让长视频生成更便宜。\n"), "{file}");
    // A site.toml that cannot be read stops the import, as it stops a build.
    let broken = TestSite::new();
    broken.configure("language = [");
    let run = broken.run(&["import", source.to_str().unwrap()]);
    assert!(run.code != 0 && run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(!broken.path().join("content/2025-01-02").exists(), "nothing written");
}

#[test]
fn import_writes_paper_files_that_read_back_the_same() {
    let source = fixture("jsonl/site/content/data");
    let site = TestSite::new();
    let run = site.run(&["import", source.to_str().unwrap()]);
    run.success();
    assert!(run.stdout.contains("6 written"), "{}", run.stdout);
    let file = site.read("content/2025-01-02/sparse-attention-for-long-video-generation.md");
    for want in [
        "title = \"Sparse Attention for Long Video Generation\"\ndate = 2025-01-02\n",
        "authors = [\"Wei Zhang\", \"Ana Lopez\"]\narxiv = \"2501.00001\"\n",
        "# code_stars = 128\n",
        "[links]\ncode = \"https://github.com/example/sparse-video\"\n",
        "## TL;DR\n\nSparse attention makes long video generation cheap.\n",
        "## Keywords\n\nsparse attention, video diffusion\n",
        "## Abstract\n\nWe study sparse attention",
        "## Comment\n\nAccepted at ISED 2025, 8 pages\n",
    ] {
        assert!(file.contains(want), "missing {want:?} in\n{file}");
    }
    let out = site.path().join("public");
    site.run(&["build", "--output", out.to_str().unwrap()]).success();
    // Never overwritten: an edit stays, and a second import changes nothing.
    site.write("content/2025-01-02/only-in-the-crawl.md", "edited");
    let again = site.run(&["import", source.to_str().unwrap()]);
    assert!(again.stdout.contains("0 written, 5 unchanged, 1 kept"), "{}", again.stdout);
    assert_eq!(site.read("content/2025-01-02/only-in-the-crawl.md"), "edited");
}
