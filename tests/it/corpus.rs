//! Reads the whole public archive in `../shared/corpus` (300 days, 4,904 rows) and checks the
//! counts and a sample of exact fields from each format variant. Skipped, with a printed
//! reason, where the corpus is absent.

use std::path::Path;

use papershelf::content::Content;
use papershelf::model::{Paper, Site, assemble};

use crate::support::corpus;

fn load(dir: &Path) -> Site {
    // The corpus folder itself stands in for `content/`: read it through a site root whose
    // content/ is a link to it.
    let root = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.join("daily"), root.path().join("content")).unwrap();
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
fn roman_summaries_with_and_without_lead() {
    let Some(dir) = corpus() else { return };
    let site = load(&dir);
    // About 204 rows open with a preamble ("Here's a concise summary…:", "Okay, here is…:"); a
    // few of those number their parts 1., 2. and stay prose.
    let with_lead = site.papers.iter().filter(|p| p.summary.lead.is_some() && p.summary.sections.len() >= 3).count();
    assert!((200..=215).contains(&with_lead), "roman with lead {with_lead}");
    // 759 rows begin directly with i).
    let direct =
        site.papers.iter().filter(|p| p.summary.lead.is_none() && headings(p).first() == Some(&"TL;DR")).count();
    assert!((755..=760).contains(&direct), "roman without lead {direct}");
    let p = paper(&site, "2412.13147");
    assert_eq!(headings(p)[0], "Summary");
    assert!(p.summary.lead.as_deref().unwrap().starts_with("Here's a concise summary of the research paper"));
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
        p.summary.lead.as_deref(),
        Some(
            "Here's a concise summary of the research paper \"Euclid: Supercharging Multimodal LLMs with Synthetic High-Fidelity Visual Descriptions\":"
        )
    );
    assert_eq!(p.summary.sections[0].heading, "Summary");
    assert_eq!(p.summary.sections[1].heading, "Main research question or objective");
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
