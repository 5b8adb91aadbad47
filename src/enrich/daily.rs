//! `papershelf import --hf-daily DATE`: a paper file for each of that day's Hugging Face daily
//! papers (`content/DATE/<slug>.md`: title, authors, arXiv id, and the abstract as a summary
//! clearly marked as a placeholder), and what Hugging Face said (upvotes, code) in the paper's
//! `data/` file when it has none. Never overwrites a file.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use indicatif::ProgressBar;

use super::client::{self, Client};
use super::hf::{self, Paper};
use super::store::{self, Record};
use crate::diagnostic::{Diagnostic, display_path};
use crate::error::Error;
use crate::import::{Report, escape_block_start, toml_list, toml_string, unused_name};
use crate::slug::paper_slug;
use crate::write::{Outcome, write_new};

/// The heading of the placeholder summary: what the page shows until someone writes one.
pub const PLACEHOLDER: &str = "Placeholder: the imported abstract";

/// Imports the daily papers of `date` into `<root>/content/<date>/`.
pub fn import_daily(root: &Path, date: &str) -> Result<Report, Error> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("--hf-daily {date:?}: write the day as YYYY-MM-DD, e.g. 2024-10-22")))?;
    let mut client = Client::from_env(ProgressBar::hidden())?;
    let url = hf::daily_url(&client.hf_base, &date.to_string());
    let host = client::host(&url);
    let body = client
        .hf(&url)
        .map_err(|o| Error::Fetch(format!("{} failed: {}; nothing was written", o.host, o.what)))?
        .ok_or_else(|| Error::Fetch(format!("{host} has no daily papers for {date} (HTTP 404)")))?;
    let papers = hf::parse_daily(&body).map_err(|e| Error::Fetch(format!("{host}: {e}; nothing was written")))?;
    if papers.is_empty() {
        return Err(Error::Fetch(format!("{host} lists no daily papers for {date}; nothing was written")));
    }
    let mut report = Report::default();
    let mut used = std::collections::HashSet::new();
    for (i, paper) in papers.iter().enumerate() {
        let shown_url = hf::paper_url(&client.hf_base, &paper.id);
        if !crate::arxiv::is_id(&paper.id) || paper.title().is_empty() {
            report.warnings.push(
                Diagnostic::warning(shown_url, format!("skipped: no arXiv id or no title (id {:?})", paper.id))
                    .with_hint("Hugging Face lists it oddly; add it by hand with `papershelf new`"),
            );
            continue;
        }
        let name = unused_name(&paper_slug(&paper.title()), i + 1, |n| used.insert(n.to_string()));
        let path = root.join("content").join(date.to_string()).join(format!("{name}.md"));
        let shown = display_path(root, &path);
        match write_new(&path, paper_file(paper, date, i + 1).as_bytes(), false)? {
            Outcome::Written => report.written.push(shown),
            Outcome::Unchanged => report.unchanged.push(shown),
            Outcome::Kept => report.kept.push(shown),
        }
        keep_hf_part(root, paper)?;
    }
    Ok(report)
}

/// Writes what Hugging Face said into the paper's `data/` file when it has no file yet, so
/// that its upvotes and code link show without another request (`enrich` adds arXiv's part).
fn keep_hf_part(root: &Path, paper: &Paper) -> Result<(), Error> {
    let id = crate::arxiv::base_id(&paper.id).to_string();
    if store::path(root, &id).exists() {
        return Ok(());
    }
    let record = Record { id, arxiv: None, huggingface: Some(paper.part()) };
    write_new(&store::path(root, &record.id), store::to_text(&record).as_bytes(), false).map(|_| ())
}

impl Paper {
    /// The title, its line breaks undone.
    pub fn title(&self) -> String {
        crate::content::one_line(&self.title)
    }
}

/// The paper file of one daily paper.
pub fn paper_file(paper: &Paper, date: NaiveDate, weight: usize) -> String {
    let mut out = String::from("+++\n");
    let _ = writeln!(out, "title = {}", toml_string(&paper.title()));
    let _ = writeln!(out, "date = {date}");
    let _ = writeln!(out, "weight = {weight}");
    let _ = writeln!(out, "authors = {}", toml_list(&paper.author_names()));
    let _ = writeln!(out, "arxiv = {}", toml_string(crate::arxiv::base_id(&paper.id)));
    out.push_str("+++\n\n");
    let _ = writeln!(out, "## {PLACEHOLDER}\n");
    let upvotes = paper.upvotes.map(|n| format!(" ({n} upvotes)")).unwrap_or_default();
    let _ = writeln!(
        out,
        "*This is the paper's abstract, imported from Hugging Face Daily Papers{upvotes} by \
         `papershelf import --hf-daily`: not a summary yet. Write the summary in its place and \
         remove this section.*\n"
    );
    let text = crate::content::one_line(&paper.summary);
    if text.is_empty() {
        out.push_str("(Hugging Face gave no abstract.)\n");
    } else {
        out.push_str(&escape_block_start(&literal(&text)));
        out.push('\n');
    }
    out
}

/// Text that Markdown shows exactly as written: every character Markdown could act on
/// (emphasis, links, HTML, TeX dollars, entities) is backslash-escaped.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' | '$' | '&' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_marked_and_its_text_literal() {
        let paper = Paper {
            id: "2410.16256".into(),
            title: "A\n  title".into(),
            summary: "We show $x$ and *y* <script>.".into(),
            upvotes: Some(7),
            ..Paper::default()
        };
        let text = paper_file(&paper, "2024-10-22".parse().unwrap(), 1);
        assert!(text.contains("title = \"A title\"\n"), "{text}");
        assert!(text.contains("## Placeholder: the imported abstract\n"), "{text}");
        assert!(text.contains("(7 upvotes)"), "{text}");
        assert!(text.contains(r"We show \$x\$ and \*y\* \<script\>."), "{text}");
    }
}
