//! `papershelf import` and `papershelf new`: turn table digests and daily-arXiv JSON Lines
//! files into paper files
//! (`content/<date>/<slug>.md`, TOML front matter, summary sections as `## ` headings), and
//! write a stub for a new paper. Files are written atomically and never overwritten unless
//! forced; importing the same digest twice changes nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::summary::{self, Summary};
use crate::content::table::{self, Row};
use crate::content::{Entry, jsonl};
use crate::diagnostic::{Diagnostic, display_path};
use crate::error::{Error, fail_on_errors};
use crate::slug::paper_slug;
use crate::write::{Outcome, write_new};

/// What an import did, file by file.
#[derive(Debug, Default)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Files that exist with other content, left as they were.
    pub kept: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// The `language` of the site at `root`, which picks a day's enhanced JSON Lines file as
/// `build` does: English where there is no `site.toml` yet; a `site.toml` that cannot be read
/// is an error, as it is for `build`.
fn site_language(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> String {
    if !root.join("site.toml").exists() {
        return crate::config::DEFAULT_LANGUAGE.to_string();
    }
    crate::config::Config::load(root).map(|c| c.language).unwrap_or_else(|errors| {
        diagnostics.extend(errors);
        crate::config::DEFAULT_LANGUAGE.to_string()
    })
}

/// Imports every table digest and daily-arXiv JSON Lines file in `paths` (files, or folders
/// searched for `.md` and `.jsonl` files) into `<root>/content`.
pub fn import(root: &Path, paths: &[PathBuf], force: bool) -> Result<Report, Error> {
    let files = input_files(paths)?;
    let mut diagnostics = Vec::new();
    // Each paper's day, weight, title and file text.
    let mut papers: Vec<(NaiveDate, usize, String, String)> = Vec::new();
    let mut rows = crate::content::Content::default();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        if file.extension().is_some_and(|x| x == "jsonl") {
            diagnostics.extend(jsonl::read(&text, file, &mut rows));
            continue;
        }
        let (digest, errors) = table::parse(&text);
        diagnostics
            .extend(errors.into_iter().map(|e| Diagnostic::error(file, e.message).at_line(e.line).with_hint(e.hint)));
        if let Some(d) = digest {
            papers.extend(d.rows.into_iter().enumerate().map(|(i, row)| {
                let text = paper_file(&row, d.date, i + 1);
                (d.date, i + 1, row.title, text)
            }));
        }
    }
    if !rows.entries.is_empty() {
        let language = site_language(root, &mut diagnostics);
        jsonl::merge(&mut rows, &mut diagnostics, &language);
    }
    papers.extend(rows.entries.iter().map(|e| {
        let weight = e.weight.unwrap_or(1) as usize;
        (e.date, weight, e.title.clone(), jsonl_paper_file(e, weight))
    }));
    let warnings = fail_on_errors(diagnostics)?;
    let mut report = Report { warnings, ..Report::default() };
    let mut used = std::collections::HashSet::new();
    let mut cleaned = std::collections::HashSet::new();
    for (date, weight, title, text) in papers {
        let dir = root.join("content").join(date.to_string());
        if cleaned.insert(date) {
            crate::write::remove_stale_temps(&dir);
        }
        let name = unused_name(&paper_slug(&title), weight, |n| used.insert((date, n.to_string())));
        let path = dir.join(format!("{name}.md"));
        let shown = display_path(root, &path);
        match write_new(&path, text.as_bytes(), force)? {
            Outcome::Written => report.written.push(shown),
            Outcome::Unchanged => report.unchanged.push(shown),
            Outcome::Kept => report.kept.push(shown),
        }
    }
    Ok(report)
}

/// The files `paths` name: each file, and the `.md` and `.jsonl` files below each folder.
fn input_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            for e in walkdir::WalkDir::new(path).sort_by_file_name().into_iter().filter_map(Result::ok) {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md" || x == "jsonl") {
                    files.push(e.into_path());
                }
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(Error::Usage(format!("{}: no such file or folder", path.display())));
        }
    }
    Ok(files)
}

/// The text of a paper file for one daily-arXiv row: its fields, its parts as `## `
/// headings, then its abstract and comment as parts of their own (a paper file has no field
/// for them), so no word is lost; the code's stars are kept as a TOML comment.
pub fn jsonl_paper_file(entry: &Entry, weight: usize) -> String {
    let mut out = front_matter_head(&entry.title, entry.date, weight, &entry.authors);
    if let Some(id) = &entry.arxiv {
        let _ = writeln!(out, "arxiv = {}", toml_string(id));
    }
    if !entry.tags.is_empty() {
        let _ = writeln!(out, "tags = {}", toml_list(&entry.tags));
    }
    let fetched = entry.fetched.as_deref().cloned().unwrap_or_default();
    if let Some(stars) = fetched.code_stars {
        let _ = writeln!(out, "# code_stars = {stars}");
    }
    links_table(&mut out, &entry.links);
    out.push_str("+++\n\n");
    let mut summary = (*entry.summary).clone();
    for (heading, text) in [("Abstract", fetched.abstract_text), ("Comment", fetched.comment)] {
        if let Some(body) = text {
            summary.sections.push(summary::Section { heading: heading.into(), label: None, body });
        }
    }
    out.push_str(&body(&summary));
    out
}

/// A TOML basic string holding `s`.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A one-line TOML array of strings.
pub(crate) fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The text of a paper file for one digest row.
pub fn paper_file(row: &Row, date: NaiveDate, weight: usize) -> String {
    let summary = summary::split(&row.summary);
    let mut out = front_matter_head(&row.title, date, weight, &row.authors);
    // A digest's author cell is a short list of Hugging Face usernames: marked, so that the
    // full list `papershelf enrich` fetches replaces it (delete the line to keep it as it is).
    out.push_str(
        "authors_from_digest = true
",
    );
    if let Some(id) = &row.arxiv {
        let _ = writeln!(out, "arxiv = {}", toml_string(id));
    }
    if !summary.questions.is_empty() {
        out.push_str("questions = [\n");
        for q in &summary.questions {
            let _ = writeln!(out, "  {},", toml_string(q));
        }
        out.push_str("]\n");
    }
    let derived = row.arxiv.as_deref().map(crate::arxiv::hf_url);
    let links: Vec<(String, String)> = (row.links.iter())
        .filter(|(name, url)| !(name == "huggingface" && Some(url) == derived.as_ref()))
        .cloned()
        .collect();
    links_table(&mut out, &links);
    out.push_str("+++\n\n");
    out.push_str(&body(&summary));
    out
}

/// A paper file's first lines, in both forms: the opening `+++`, title, date, weight and
/// authors.
fn front_matter_head(title: &str, date: NaiveDate, weight: usize, authors: &[String]) -> String {
    let mut out = String::from("+++\n");
    let _ = writeln!(out, "title = {}", toml_string(title));
    let _ = writeln!(out, "date = {date}");
    let _ = writeln!(out, "weight = {weight}");
    let _ = writeln!(out, "authors = {}", toml_list(authors));
    out
}

/// The `[links]` table of a paper file, when it has links.
fn links_table(out: &mut String, links: &[(String, String)]) {
    if links.is_empty() {
        return;
    }
    out.push_str("\n[links]\n");
    for (name, url) in links {
        let _ = writeln!(out, "{} = {}", toml_key(name), toml_string(url));
    }
}

fn toml_key(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// The Markdown body: the chatter and the lead, then each section under a `## ` heading with
/// the source's own label (a summary without parts is written as it is, with no heading).
fn body(summary: &Summary) -> String {
    let mut out = String::new();
    for lead in summary.chatter.iter().chain(&summary.lead) {
        out.push_str(&escape_block_start(lead));
        out.push_str("\n\n");
    }
    match summary.sections.as_slice() {
        [only] if only.heading == summary::PLAIN_HEADING && summary.lead.is_none() => {
            out.push_str(&escape_block_start(&only.body));
            out.push('\n');
        }
        sections => {
            for s in sections {
                let label = crate::content::one_line(s.label.as_deref().unwrap_or(&s.heading));
                let _ = write!(out, "## {label}\n\n{}\n\n", escape_block_start(&s.body));
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// A line of a summary starting with `#`, `>`, `-` or a number would read as a Markdown block
/// (a heading would even start a new part); a backslash keeps it a line of the same words.
/// Every line: a daily-arXiv row's parts can span several.
pub(crate) fn escape_block_start(text: &str) -> String {
    let line = |line: &str| {
        let first = line.chars().next();
        let starts_block = matches!(first, Some('#' | '>' | '-' | '+' | '=' | '|'))
            || (first.is_some_and(|c| c.is_ascii_digit())
                && line.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', ')']));
        if starts_block { format!("\\{line}") } else { line.to_string() }
    };
    text.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// The stub of a new paper file, and where it goes.
pub fn new_paper(root: &Path, date: &str, title: &str) -> Result<PathBuf, Error> {
    let date: NaiveDate = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("invalid date {date:?}: write it as YYYY-MM-DD, e.g. 2024-10-22")))?;
    if title.trim().is_empty() {
        return Err(Error::Usage("the title is empty".into()));
    }
    let name = paper_slug(title);
    let path = root.join("content").join(date.to_string()).join(format!("{name}.md"));
    let text = format!(
        "+++\ntitle = {}\nauthors = []\n# arxiv = \"2410.16256\"\ntags = []\n+++\n\nWrite the summary here, in Markdown.\n\n## Objective\n\n## Method\n\n## Results\n",
        toml_string(title.trim())
    );
    let shown = display_path(root, &path);
    crate::write::remove_stale_temps(path.parent().expect("content/DATE/NAME.md"));
    match write_new(&path, text.as_bytes(), false)? {
        Outcome::Written => Ok(shown),
        Outcome::Unchanged | Outcome::Kept => Err(Error::Problems(vec![
            Diagnostic::error(shown, "the file already exists")
                .with_hint("pick another title, or edit the existing file"),
        ])),
    }
}

/// `base`, or `base-N` (N counting up from `first`) when `claim` finds the name already
/// taken on that day: two papers with one title keep a file each.
pub(crate) fn unused_name(base: &str, first: usize, mut claim: impl FnMut(&str) -> bool) -> String {
    if claim(base) {
        return base.to_string();
    }
    (first..).map(|n| format!("{base}-{n}")).find(|name| claim(name)).expect("an unbounded count")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_that_would_start_a_block_is_kept_a_line() {
        let text = "First line.\n## Method\n- a dash\n1. a number\nplain";
        assert_eq!(escape_block_start(text), "First line.\n\\## Method\n\\- a dash\n\\1. a number\nplain");
        assert_eq!(escape_block_start("# one line"), "\\# one line");
    }

    #[test]
    fn a_name_taken_twice_counts_on_past_names_already_used() {
        // Three papers titled "Same" on one day, the second at weight 3, while "same-3" is
        // the slug of another title already imported that day.
        let mut used = std::collections::HashSet::from(["same-3".to_string()]);
        let mut claim = |n: &str| used.insert(n.to_string());
        assert_eq!(unused_name("same", 2, &mut claim), "same");
        assert_eq!(unused_name("same", 3, &mut claim), "same-4");
        assert_eq!(unused_name("same", 3, &mut claim), "same-5");
    }
}
