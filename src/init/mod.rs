//! `papershelf init DIR`: a new, working site: `site.toml` with every option commented, one
//! sample day of paper files, `templates/` with a note on overriding, and a GitHub Pages
//! workflow. Refuses a folder that is not empty unless forced, and never overwrites a file.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::write::{Outcome, write_new};

/// Where `init`'s workflow installs papershelf from.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

const SITE_TOML: &str = include_str!("site.toml");
const TEMPLATES_README: &str = include_str!("templates-README.md");
const WORKFLOW: &str = include_str!("pages.yml");
/// The optional workflow that commits `data/` back (run by hand).
const ENRICH_WORKFLOW: &str = include_str!("enrich.yml");
const SAMPLE_DAY: &str =
    "title = \"A first digest\"\nintro = \"Edit or replace these papers; each one is a file in this folder.\"\n";
const SAMPLE_PAPERS: &[(&str, &str)] = &[
    (
        "compassjudger-1.md",
        "+++\ntitle = \"CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution\"\nauthors = [\"Maosong Cao\", \"Alexander Lam\", \"Haodong Duan\", \"Hongwei Liu\", \"Songyang Zhang\", \"Kai Chen\"]\narxiv = \"2410.16256\"\ntags = [\"evaluation\", \"llm-judges\"]\nquestions = [\n  \"How does CompassJudger-1 compare with GPT-4 as a judge on tasks outside JudgerBench?\",\n]\n+++\n\n## Objective\n\nBuild an open-source, all-in-one judge model for subjective evaluation of LLMs, with a benchmark (JudgerBench) to test judges.\n\n## Method\n\nTrain on public judge data, self-collected evaluation data, reward data and general SFT data, with balanced sampling.\n\n## Results\n\n95.9% correlation with GPT-4 on JudgerBench-B.\n",
    ),
    (
        "sam2long.md",
        "+++\ntitle = \"SAM2Long: Enhancing SAM 2 for Long Video Segmentation with a Training-Free Memory Tree\"\nauthors = [\"Shuangrui Ding\", \"Rui Qian\", \"Xiaoyi Dong\", \"Pan Zhang\", \"Yuhang Zang\", \"Yuhang Cao\", \"Dahua Lin\", \"Jiaqi Wang\"]\narxiv = \"2410.16268\"\ntags = [\"video\", \"segmentation\"]\n\n[links]\ncode = \"https://github.com/Mark12Ding/SAM2Long\"\n+++\n\n## Objective\n\nImprove SAM 2's long-term video object segmentation under occlusion and reappearance.\n\n## Method\n\nA training-free, constrained tree memory that keeps several segmentation pathways and picks object-aware memories.\n\n## Results\n\nOn SA-V test, SAM2Long-L improves J&F by 5.3 points over SAM 2-L.\n",
    ),
];

/// What `init` wrote and what it found already there.
#[derive(Debug, Default)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// The files of a new site, as (path below the site, text).
pub fn files() -> Vec<(String, String)> {
    let git = if REPOSITORY.is_empty() { "https://github.com/papershelf/papershelf" } else { REPOSITORY };
    let fill = |text: &str| text.replace("__GIT__", git).replace("__TAG__", concat!("v", env!("CARGO_PKG_VERSION")));
    let mut files = vec![
        ("site.toml".to_string(), SITE_TOML.to_string()),
        ("templates/README.md".to_string(), TEMPLATES_README.to_string()),
        (".github/workflows/pages.yml".to_string(), fill(WORKFLOW)),
        (".github/workflows/enrich.yml".to_string(), fill(ENRICH_WORKFLOW)),
        (".gitignore".to_string(), "/public\n/.papershelf\n".to_string()),
        ("content/2024-10-22/_day.toml".to_string(), SAMPLE_DAY.to_string()),
    ];
    for (name, text) in SAMPLE_PAPERS {
        files.push((format!("content/2024-10-22/{name}"), text.to_string()));
    }
    files
}

/// Creates a site in `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Report, Error> {
    if dir.is_file() {
        return Err(Error::Usage(format!("{} is a file, not a folder", dir.display())));
    }
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if non_empty && !force {
        return Err(Error::Usage(format!(
            "{} is not empty; pick an empty or new folder, or pass --force to add the site's files (existing files are kept)",
            dir.display()
        )));
    }
    let mut report = Report::default();
    for (rel, text) in files() {
        let path = dir.join(&rel);
        match write_new(&path, text.as_bytes(), false)? {
            Outcome::Written => report.written.push(path),
            Outcome::Unchanged | Outcome::Kept => report.kept.push(path),
        }
    }
    Ok(report)
}
