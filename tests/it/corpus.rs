//! Reads the whole public archive in `../shared/corpus` (300 days, 4,904 rows) and checks the
//! counts and a sample of exact fields from each format variant. Skipped, with a printed
//! reason, where the corpus is absent.

use std::path::Path;

use papershelf::content::Content;
use papershelf::model::{Paper, Site, assemble};

use crate::support::corpus;

fn load(dir: &Path) -> Site {
    // The corpus folder itself stands in for `content/`: copied (7 MB), since a link leading
    // out of the site is not followed.
    let root = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&dir.join("daily"), &root.path().join("content"));
    let (content, diagnostics): (Content, _) = papershelf::content::load(root.path());
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let (site, diagnostics) = assemble(content, false);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    site
}

fn paper<'a>(site: &'a Site, id: &str) -> &'a Paper {
    site.paper_by_arxiv(id).unwrap_or_else(|| panic!("no paper {id}"))
}

fn authors(site: &Site, p: &Paper) -> Vec<String> {
    p.authors.iter().map(|&a| site.authors[a].name.clone()).collect()
}

fn headings(p: &Paper) -> Vec<&str> {
    p.summary.sections.iter().map(|s| s.heading.as_str()).collect()
}

#[test]
fn whole_corpus_reads_with_exact_counts() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    assert_eq!(site.days.len(), 300);
    assert_eq!(site.listings(), 4904);
    assert_eq!(site.papers.len(), 4894);
    let empty: Vec<String> = site.days.iter().filter(|d| d.papers.is_empty()).map(|d| d.date.to_string()).collect();
    assert_eq!(
        empty,
        ["2025-10-15", "2025-10-16", "2025-10-17", "2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23"]
    );
    let twice: Vec<&Paper> = site.papers.iter().filter(|p| p.dates.len() == 2).map(|p| &**p).collect();
    assert_eq!(twice.len(), 10);
    let p = paper(&site, "2412.18525");
    assert_eq!(p.dates.iter().map(std::string::ToString::to_string).collect::<Vec<_>>(), ["2024-12-31", "2025-01-01"]);
    // Every paper has a title, and every summary kept some text.
    assert!(site.papers.iter().all(|p| !p.title.is_empty() && !p.summary.sections.is_empty()));
    // Structured summaries: 245 lettered rows, 204 + 759 roman rows.
    let lettered = site
        .papers
        .iter()
        .filter(|p| {
            headings(p).first() == Some(&"Objective")
                || p.summary.sections.len() >= 4
                    && p.summary.sections.len() <= 5
                    && p.summary.lead.is_none()
                    && headings(p)[0] != "TL;DR"
        })
        .count();
    assert!(lettered >= 240, "lettered {lettered}");
    let with_questions = site.papers.iter().filter(|p| !p.summary.questions.is_empty()).count();
    assert!((330..=345).contains(&with_questions), "with questions {with_questions}");
}

#[test]
fn link_column_variant() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let p = paper(&site, "2409.02889");
    assert_eq!(p.title, "LongLLaVA: Scaling Multi-modal LLMs to 1000 Images Efficiently via Hybrid Architecture");
    assert_eq!(authors(&site, p), ["Benyou Wang", "Chen Zhang", "Shunian Chen", "Xidong Wang", "songdj"]);
    assert_eq!(p.dates[0].to_string(), "2024-09-05");
}

#[test]
fn dash_link_variant() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let p = paper(&site, "2409.03810");
    assert_eq!(p.title, "How Do Your Code LLMs Perform? Empowering Code Instruction Tuning with High-Quality Data");
    assert_eq!(authors(&site, p), ["mdizhang", "bitwjg", "dongguanting", "fudayuan", "banksy235"]);
}

#[test]
fn lettered_summary_with_questions() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let p = paper(&site, "2410.16256");
    assert_eq!(p.title, "CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution");
    assert_eq!(headings(p), ["Objective", "Method", "Results", "Implications", "Limitations"]);
    assert!(
        p.summary.sections[0].body.starts_with("This research aims to develop an open-source, all-in-one judge LLM")
    );
    assert_eq!(p.summary.questions.len(), 3);
    assert!(p.summary.questions[0].starts_with("What specific model architecture and hyperparameters"));
}

#[test]
fn broken_title_and_empty_authors() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let p = paper(&site, "2505.07608");
    assert_eq!(
        p.title,
        "MiMo: Unlocking the Reasoning Potential of Language Model -- From Pretraining to Posttraining"
    );
    let p = paper(&site, "2510.24701");
    assert_eq!(p.title, "Tongyi DeepResearch Technical Report");
    assert!(p.authors.is_empty());
}

#[test]
fn unescaped_pipes_and_markup_are_kept() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let all: String = site
        .papers
        .iter()
        .flat_map(|p| {
            p.summary.sections.iter().map(|s| s.body.as_str()).chain(p.summary.questions.iter().map(String::as_str))
        })
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "Conf(Vᵢ|Xᵢ)",
        "I(Output; Past | Input)",
        "P(CC|CA)(q)",
        "p(doc2|doc1)",
        "|G-1|",
        "<TRK>",
        "`mle-solver`",
        "Mask\\_IoU",
    ] {
        assert!(all.contains(needle), "lost {needle:?}");
    }
    assert!(site.papers.iter().any(|p| p.title.contains("<think>")));
    assert!(site.papers.iter().any(|p| p.title.contains("$\\text{Transformer}^2$")));
}

#[test]
fn roman_summaries_with_and_without_chatter() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    // About 204 roman rows open with chatter ("Here's a concise summary…:", "Okay, here is…:"),
    // as do about 30 prose and numbered ones; it is set apart, never a lead.
    let chatter = site.papers.iter().filter(|p| p.summary.chatter.is_some()).count();
    assert!((230..=240).contains(&chatter), "chatter {chatter}");
    assert!(site.papers.iter().all(|p| p.summary.lead.is_none()), "no lead left in the corpus");
    let p = paper(&site, "2412.13147");
    assert_eq!(headings(p)[0], "TL;DR");
    assert_eq!(p.summary.sections[0].label.as_deref(), Some("Summary"));
    assert!(p.summary.chatter.as_deref().unwrap().starts_with("Here's a concise summary of the research paper"));
}

/// The canonical parts every label variant of the archive maps to.
const CANONICAL: &[&str] = &["TL;DR", "Objective", "Method", "Results", "Implications", "Limitations"];

#[test]
fn every_label_variant_becomes_a_canonical_part() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    let mut structured = 0;
    for p in &site.papers {
        let hs = headings(p);
        if hs == [papershelf::content::summary::PLAIN_HEADING] {
            continue;
        }
        structured += 1;
        assert!(hs.iter().all(|h| CANONICAL.contains(h)), "{:?}: {hs:?}", p.arxiv);
    }
    // 4,894 papers: all but about 620 prose summaries with no recognisable parts.
    assert!(structured >= 4250, "structured {structured}");
    let p = paper(&site, "2412.07724");
    assert_eq!(headings(p), ["TL;DR", "Objective", "Method", "Results", "Implications"]);
    assert!(p.summary.sections[3].body.contains("AUC score of 0.871"));
    let p = paper(&site, "2412.15115");
    assert_eq!(headings(p), ["TL;DR", "Objective", "Method", "Results", "Implications"]);
    assert!(p.summary.sections[3].body.contains("83.1 on the MATH benchmark"));
}

/// Every word of every summary in the archive is on its page: in a part, the lead or a
/// question. Only the markers (`a)`, `ii)`, `3.`), the generator's chatter and the labels
/// (shown as their canonical part) are left out.
#[test]
fn every_word_of_every_summary_is_kept() {
    let Some(dir) = corpus() else { return };
    let mut rows = 0;
    for entry in walkdir::WalkDir::new(dir.join("daily")).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let (digest, errors) = papershelf::content::table::parse(&text);
        assert!(errors.is_empty());
        for row in digest.unwrap().rows {
            rows += 1;
            assert_keeps_substance(&row.summary);
        }
    }
    assert_eq!(rows, 4904);
}

fn assert_keeps_substance(source: &str) {
    let s = papershelf::content::summary::split(source);
    let mut left_out: Vec<&str> = s.chatter.iter().map(String::as_str).collect();
    let mut shown: Vec<&str> = s.lead.iter().map(String::as_str).collect();
    for sec in &s.sections {
        left_out.push(sec.label.as_deref().unwrap_or(&sec.heading));
        shown.push(&sec.body);
    }
    shown.extend(s.questions.iter().map(String::as_str));
    let trim = |w: &str| w.trim_matches(|c: char| c == '*' || c == ':').to_string();
    let left_out: std::collections::HashSet<String> =
        left_out.iter().flat_map(|t| t.split_whitespace()).map(trim).collect();
    let shown = shown.join(" ");
    for w in source.split_whitespace().map(trim) {
        let marker =
            w.len() <= 5 && w.ends_with([')', '.']) && w[..w.len() - 1].chars().all(|c| c.is_ascii_alphanumeric());
        let questions_label =
            ["Follow-up", "Follow-Up", "Follow", "Up", "up", "Questions", "questions"].contains(&w.as_str());
        assert!(marker || questions_label || left_out.contains(&w) || shown.contains(&w), "lost {w:?} from {source:?}");
    }
}
/// The corpus files copied into `tests/fixtures/corpus-sample` (one per variant), read by the
/// real binary: always runs, even without `../shared/corpus`.
#[test]
fn corpus_sample_fixture_checks_clean_with_exact_counts() {
    let site = crate::support::TestSite::from_fixture("corpus-sample");
    let run = site.run(&["check"]);
    run.success();
    // 198 rows in 11 files; `grep -o 'arxiv.org/abs/[0-9.v]*' | sort -u` finds 188 ids.
    assert!(run.stdout.contains("188 papers (198 listings) on 11 days"), "{}", run.stdout);
    let (content, diagnostics) = papershelf::content::load(site.path());
    assert!(diagnostics.is_empty());
    let (model, _) = assemble(content, false);
    let p = model.paper_by_arxiv("2412.08737").unwrap();
    assert_eq!(p.title, "Euclid: Supercharging Multimodal LLMs with Synthetic High-Fidelity Visual Descriptions");
    assert_eq!(
        p.summary.chatter.as_deref(),
        Some(
            "Here's a concise summary of the research paper \"Euclid: Supercharging Multimodal LLMs with Synthetic High-Fidelity Visual Descriptions\":"
        )
    );
    assert_eq!(p.summary.lead, None);
    assert_eq!(p.summary.sections[0].heading, "TL;DR");
    assert_eq!(p.summary.sections[1].heading, "Objective");
    assert_eq!(p.summary.sections[1].label.as_deref(), Some("Main research question or objective"));
    assert_eq!(p.summary.sections.len(), 5);
    let p = model.paper_by_arxiv("2505.07608").unwrap();
    assert_eq!(
        p.title,
        "MiMo: Unlocking the Reasoning Potential of Language Model -- From Pretraining to Posttraining"
    );
    let empty = model.days.iter().find(|d| d.date.to_string() == "2025-10-15").unwrap();
    assert!(empty.papers.is_empty());
    let p = model.paper_by_arxiv("2409.03810").unwrap();
    assert!(p.title.ends_with("with High-Quality Data"), "{}", p.title);
}

/// The check on the built archive, under a sub-path: no heading or part label quotes
/// the generator's instructions, no page shows its chatter (papers, days, teasers), and the
/// pages of Qwen2.5 and Granite Guardian keep their figures in labelled parts. One build.
#[test]
fn built_corpus_shows_labelled_parts_and_no_chatter() {
    let Some(dir) = corpus() else { return };
    let site = crate::support::TestSite::new();
    crate::support::copy_dir(&dir.join("daily"), &site.path().join("content/daily"));
    site.run(&["build", "--base-url", "https://user.github.io/papers/"]).success();
    let out = site.path().join("public");
    let chatter = ["concise summary of", "summary of the", "your guidelines", "specified guidelines", "Okay, here is"];
    let instructions =
        ["(include", "e.g.,", "Main research", "Key methodology", "Primary results", "Principal implication"];
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        if e.file_name() != "index.html" {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(e.path()).unwrap();
        for c in chatter {
            assert!(!html.contains(c), "{} shows chatter {c:?}", e.path().display());
        }
        for label in tag_texts(&html, &["h1", "h2", "h3", "h4", "dt"]) {
            assert!(!instructions.iter().any(|i| label.contains(i)), "{}: heading {label:?}", e.path().display());
        }
    }
    assert!(pages > 5000, "{pages} pages");
    for (slug, figure) in [("2412.15115", "83.1 on the MATH"), ("2412.07724", "AUC score of 0.871")] {
        let html = std::fs::read_to_string(out.join("papers").join(slug).join("index.html")).unwrap();
        let part = html.split("<div class=\"part").find(|p| p.contains(figure)).unwrap_or_else(|| panic!("{slug}"));
        assert!(part.starts_with("\" id=\"results\"><dt>Results</dt><dd>"), "{slug}: {part}");
        assert!(html.contains("<div class=\"part part-tldr\" id=\"tl-dr\"><dt>TL;DR</dt>"), "{slug}");
    }
}

/// The text inside each of these elements.
fn tag_texts(html: &str, tags: &[&str]) -> Vec<String> {
    let mut texts = Vec::new();
    for tag in tags {
        for piece in html.split(&format!("<{tag}")).skip(1) {
            let Some(open_end) = piece.find('>') else { continue };
            let inner = &piece[open_end + 1..];
            let end = inner.find(&format!("</{tag}>")).unwrap_or(inner.len());
            texts.push(inner[..end].to_string());
        }
    }
    texts
}
