//! `papershelf import` and `new`: table digests with every quirk become paper files with
//! exactly the right fields and no word lost; importing twice changes nothing; nothing is
//! overwritten without --force.

use papershelf::model::{Site, assemble};

use crate::support::TestSite;

/// A digest written in the published format, with quirks the public archive does not have
/// (CRLF, a BOM, escaped pipes) beside the ones it does.
const QUIRKY: &str = "\u{feff}\r\n\r\n## Papers for 2025-02-14\r\n\r\n| Title | Authors | Summary |\r\n|-------|---------|---------|\r\n\
| Pipes \\| and <think> tags in $O(n^2)$ titles (Read more on [arXiv](https://arxiv.org/abs/2502.11111) or [HuggingFace](https://huggingface.co/papers/2502.11111))| José Álvarez, ann_lee | Here is a concise summary of the paper \"Pipes: A Study\":  i) **TL;DR:** It studies P(a\\|b) and |x|. ii) **Objective:** To find <b>bold</b> claims. iii) Method uses `a|b` code. iv) Results: about $5 per run, Earn $1 Million. v) Implications for Ω-practitioners.   |\r\n\
| A title broken\r\n  across two lines (Read more on [arXiv](https://arxiv.org/abs/2502.22222) or [HuggingFace](https://huggingface.co/papers/2502.22222))|  | a) **Objective:** Find X. b) Do Y with *emphasis*. c) Got 3.5 points. d) Use it. e) Limits.  **Follow-up Questions:** 1. Why 3.5? 2. How, e.g. 2. steps?  |\r\n\
| Only Hugging Face (Read more on [HuggingFace](https://huggingface.co/papers/2502.33333))| Bo | A prose summary that mentions a) one and b) two inline. Follow-up questions: 1. First? 2. Second? 3. Third? |\r\n";

fn load(site: &TestSite) -> Site {
    let (content, diagnostics) = papershelf::content::load(site.path());
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let (model, diagnostics) = assemble(content, false);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    model
}

#[test]
fn quirky_digest_reads_exactly() {
    let site = TestSite::new();
    site.write("content/digest.md", QUIRKY);
    let model = load(&site);
    assert_eq!(model.papers.len(), 3);
    let p = model.paper_by_arxiv("2502.11111").unwrap();
    assert_eq!(p.title, "Pipes | and <think> tags in $O(n^2)$ titles");
    let names: Vec<&str> = p.authors.iter().map(|&a| model.authors[a].name.as_str()).collect();
    assert_eq!(names, ["José Álvarez", "ann_lee"]);
    assert_eq!(p.summary.chatter.as_deref(), Some("Here is a concise summary of the paper \"Pipes: A Study\":"));
    assert_eq!(p.summary.lead, None);
    let headings: Vec<&str> = p.summary.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["TL;DR", "Objective", "Method", "Results", "Implications"]);
    assert_eq!(p.summary.sections[0].body, "It studies P(a|b) and |x|.");
    assert_eq!(p.summary.sections[2].body, "Method uses `a|b` code.");

    let p = model.paper_by_arxiv("2502.22222").unwrap();
    assert_eq!(p.title, "A title broken across two lines");
    assert!(p.authors.is_empty());
    let headings: Vec<&str> = p.summary.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["Objective", "Method", "Results", "Implications", "Limitations"]);
    assert_eq!(p.summary.questions, ["Why 3.5?", "How, e.g. 2. steps?"]);

    let p = model.paper_by_arxiv("2502.33333").unwrap();
    assert_eq!(p.title, "Only Hugging Face");
    assert_eq!(p.summary.sections.len(), 1, "a) inside prose is prose");
    assert_eq!(p.summary.sections[0].body, "A prose summary that mentions a) one and b) two inline.");
    assert_eq!(p.summary.questions, ["First?", "Second?", "Third?"]);
}

#[test]
fn import_round_trips_and_is_idempotent() {
    let source = TestSite::new();
    source.write("content/digest.md", QUIRKY);
    let direct = load(&source);

    let site = TestSite::new();
    let digest = source.path().join("content/digest.md");
    let run = site.run(&["import", digest.to_str().unwrap()]);
    run.success();
    assert!(run.stdout.contains("3 written"), "{}", run.stdout);
    let imported = load(&site);
    assert_eq!(imported.papers.len(), direct.papers.len());
    for (a, b) in direct.papers.iter().zip(&imported.papers) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.arxiv, b.arxiv);
        assert_eq!(a.dates, b.dates);
        assert_eq!(a.summary, b.summary, "{}", a.title);
        let names = |s: &Site, p: &papershelf::model::Paper| {
            p.authors.iter().map(|&i| s.authors[i].name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(&direct, a), names(&imported, b));
    }
    let file = site.read("content/2025-02-14/pipes-and-think-tags-in-o-n-2-titles.md");
    assert!(
        file.starts_with("+++\ntitle = \"Pipes | and <think> tags in $O(n^2)$ titles\"\ndate = 2025-02-14\n"),
        "{file}"
    );

    let again = site.run(&["import", digest.to_str().unwrap()]);
    again.success();
    assert!(again.stdout.contains("0 written, 3 unchanged"), "{}", again.stdout);
}

#[test]
fn import_never_overwrites_without_force() {
    let site = TestSite::new();
    let src = TestSite::new();
    src.write("d.md", QUIRKY);
    let digest = src.path().join("d.md");
    site.run(&["import", digest.to_str().unwrap()]).success();
    let rel = "content/2025-02-14/only-hugging-face.md";
    site.write(rel, "+++\ntitle = \"Edited by hand\"\n+++\n");
    let run = site.run(&["import", digest.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("only-hugging-face.md: exists with other content; left as it is"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(site.read(rel), "+++\ntitle = \"Edited by hand\"\n+++\n");
    site.run(&["import", "--force", digest.to_str().unwrap()]).success();
    assert!(site.read(rel).contains("title = \"Only Hugging Face\""));
}

#[test]
fn new_writes_a_stub_once() {
    let site = TestSite::new();
    let run = site.run(&["new", "2024-10-22", "PUMA: Multi-granular generation"]);
    run.success();
    assert!(run.stdout.contains("content/2024-10-22/puma-multi-granular-generation.md"), "{}", run.stdout);
    site.run(&["check"]).success();
    let again = site.run(&["new", "2024-10-22", "PUMA: Multi-granular generation"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

/// `new` and `import` wrote 0600 files (tempfile's mode) whatever the umask, and left a killed
/// run's `.papershelf-XXXXXX` files in the day's folder for ever.
#[test]
fn new_and_import_take_the_umask_and_remove_stale_temporaries() {
    use crate::support::{command_under_umask, mode, stale_temp};
    let site = TestSite::new();
    let day = site.path().join("content/2024-10-22");
    std::fs::create_dir_all(&day).unwrap();
    stale_temp(&day.join(".papershelf-Xy12Zw"));
    let run = |args: &[&str]| {
        let out = command_under_umask("022").arg("--root").arg(site.path()).args(args).output().unwrap();
        crate::support::Run::from(out)
    };
    run(&["new", "2024-10-22", "PUMA"]).success();
    assert_eq!(mode(&day.join("puma.md")), 0o644);
    assert!(!day.join(".papershelf-Xy12Zw").exists(), "new removes a stale temporary file");
    let source = TestSite::new();
    source.write("content/digest.md", QUIRKY);
    let digest = source.path().join("content/digest.md");
    let imported = site.path().join("content/2025-02-14");
    std::fs::create_dir_all(&imported).unwrap();
    stale_temp(&imported.join(".papershelf-Xy12Zw"));
    run(&["import", digest.to_str().unwrap()]).success();
    assert!(!imported.join(".papershelf-Xy12Zw").exists(), "import removes a stale temporary file");
    let written: Vec<_> = std::fs::read_dir(&imported).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!written.is_empty());
    for file in written {
        assert_eq!(mode(&file), 0o644, "{}", file.display());
    }
}
