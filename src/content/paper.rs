//! Paper files (TOML or Markdown with front matter) and the paper fields every form shares:
//! `PaperFields` checked into an `Entry` by `paper_entry`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::{Content, DATE_HINT, Entry, Source, frontmatter, summary};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::tomlread::{self, Origin};

/// Every field a paper accepts, in a paper file, a day file's `[[papers]]` or front matter.
pub const PAPER_KEYS: &[&str] = &[
    "title",
    "authors",
    "authors_from_digest",
    "arxiv",
    "links",
    "tags",
    "date",
    "slug",
    "questions",
    "draft",
    "weight",
    "summary",
];

#[derive(Debug, Default, Deserialize)]
pub(super) struct PaperFields {
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    authors_from_digest: bool,
    arxiv: Option<Spanned<String>>,
    #[serde(default)]
    links: BTreeMap<String, Spanned<String>>,
    tags: Option<Spanned<Vec<String>>>,
    date: Option<Spanned<toml::Value>>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    questions: Vec<String>,
    #[serde(default)]
    draft: bool,
    pub(super) weight: Option<i64>,
    summary: Option<String>,
}

pub(super) fn read_paper_file(
    text: &str,
    shown: &Path,
    ext: &str,
    folder_date: Option<NaiveDate>,
    out: &mut Content,
) -> Result<(), Vec<Diagnostic>> {
    let (toml_text, offset, body) = if ext == "md" {
        let split = frontmatter::split(text).map_err(|_| {
            vec![
                Diagnostic::error(shown, "the front matter opened with `+++` is never closed")
                    .at(text, 0..3)
                    .with_hint("add a line `+++` after the last field"),
            ]
        })?;
        (split.toml, split.toml_offset, Some(split.body))
    } else {
        (text, 0, None)
    };
    let lines = LineIndex::new(text);
    let origin = Origin { file: shown, source: text, offset, lines: &lines };
    let table = tomlread::parse(toml_text, origin)?;
    let span = table.span();
    let fields: PaperFields = tomlread::deserialize(table, PAPER_KEYS, "a paper", origin)?;
    let line = 1;
    let entry = paper_entry(fields, body, folder_date, origin, span, line)?;
    out.entries.push(entry);
    Ok(())
}

/// Validates a paper's fields into an entry. `span` is the paper's table, for errors about
/// missing fields; `line` is where the paper starts.
pub(super) fn paper_entry(
    f: PaperFields,
    body: Option<&str>,
    folder_date: Option<NaiveDate>,
    origin: Origin<'_>,
    span: std::ops::Range<usize>,
    line: usize,
) -> Result<Entry, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at_start = span.start..span.start.saturating_add(1).min(span.end.max(span.start));
    let title = f.title.as_deref().map(str::trim).unwrap_or("");
    if title.is_empty() {
        let d = match f.title {
            Some(_) => origin.error(at_start.clone(), "the paper's title is empty"),
            None => Diagnostic::error(origin.file, "missing field `title`").at_line(line),
        };
        errors.push(d.with_hint("add `title = \"…\"`"));
    }
    let date = entry_date(&f.date, folder_date, origin, line, &mut errors);
    check_id_and_slug(&f, origin, &mut errors);
    let links = entry_links(&f.links, origin, &mut errors);
    check_tags(&f.tags, origin, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let body_text = match body {
        Some(b) if !b.trim().is_empty() => b.to_string(),
        _ => f.summary.unwrap_or_default(),
    };
    let mut summary = summary::split_markdown(&body_text);
    if !f.questions.is_empty() {
        summary.questions = f.questions.clone();
    }
    Ok(Entry {
        date: date.expect("checked above"),
        title: title.to_string(),
        authors: f.authors.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        authors_from_table: f.authors_from_digest,
        arxiv: f.arxiv.map(toml::Spanned::into_inner),
        links,
        tags: f
            .tags
            .map(Spanned::into_inner)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        slug: f.slug.map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty()),
        questions: f.questions,
        draft: f.draft,
        weight: f.weight,
        summary: Arc::new(summary),
        fetched: None,
        source: Source { file: origin.file.to_path_buf(), line },
    })
}

/// The most tags one paper may have. Each tag is a page and a feed listing its papers with
/// their tags, so a paper's tag count multiplies what it costs: 5,000 tags on one paper
/// made 728 MB of feeds. Real papers have a handful (with arXiv categories, rarely 15).
pub const MAX_TAGS: usize = 50;

fn check_tags(tags: &Option<Spanned<Vec<String>>>, origin: Origin<'_>, errors: &mut Vec<Diagnostic>) {
    if let Some(tags) = tags
        && tags.get_ref().len() > MAX_TAGS
    {
        let count = tags.get_ref().len();
        let at = tags.span().start..tags.span().start + 1;
        errors.push(
            origin
                .error(at, format!("the paper has {count} tags; a paper may have at most {MAX_TAGS}"))
                .with_hint("keep the tags a reader would browse by, and put the rest into the summary"),
        );
    }
}

/// The paper's date: its `date` field, or else its folder's; an error when neither is valid.
fn entry_date(
    field: &Option<Spanned<toml::Value>>,
    folder_date: Option<NaiveDate>,
    origin: Origin<'_>,
    line: usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let Some(value) = field else {
        if folder_date.is_none() {
            errors.push(
                Diagnostic::error(origin.file, "the paper has no date")
                    .at_line(line)
                    .with_hint("add `date = 2024-10-22`, or put the file in a folder named content/YYYY-MM-DD/"),
            );
        }
        return folder_date;
    };
    let date = parse_date(value.get_ref());
    if date.is_none() {
        let shown = match value.get_ref() {
            toml::Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        };
        errors.push(origin.error(value.span(), format!("invalid date {shown} in field date")).with_hint(DATE_HINT));
    }
    date
}

/// Errors for an `arxiv` id that is not one and a `slug` that cannot name a page.
fn check_id_and_slug(f: &PaperFields, origin: Origin<'_>, errors: &mut Vec<Diagnostic>) {
    if let Some(id) = &f.arxiv
        && !crate::arxiv::is_id(id.get_ref())
    {
        errors.push(
            origin
                .error(id.span(), format!("invalid arXiv id {:?} in field arxiv", id.get_ref()))
                .with_hint("write the id alone, such as 2410.16256 or 2410.16256v2"),
        );
    }
    if let Some(slug) = &f.slug
        && let Some(problem) = slug_problem(slug.get_ref())
    {
        let fixed = crate::slug::slugify_nonempty(slug.get_ref());
        errors.push(
            origin
                .error(slug.span(), format!("slug {:?} cannot name a page: {problem}", slug.get_ref()))
                .with_hint(format!("write it as {fixed:?}, or leave `slug` out to make one from the title")),
        );
    }
}

/// The paper's named links, each URL published as checked ([`crate::safe::publishable_url`]).
fn entry_links(
    links: &BTreeMap<String, Spanned<String>>,
    origin: Origin<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, url) in links {
        if let Some(published) = crate::safe::publishable_url(url.get_ref()) {
            out.push((name.clone(), published));
        } else {
            errors.push(
                origin
                    .error(
                        url.span(),
                        format!("link `{name}` has a URL papershelf will not publish: {:?}", url.get_ref()),
                    )
                    .with_hint("links must be http://, https:// or relative URLs"),
            );
        }
    }
    out
}

/// Why an explicit `slug` cannot name a page folder (blank slugs fall back to the title's).
fn slug_problem(slug: &str) -> Option<String> {
    let slug = slug.trim();
    if slug.is_empty() { None } else { crate::safe::segment_problem(slug) }
}

fn parse_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_past_the_cap_are_an_error_at_their_line() {
        let tags: Vec<String> = (0..=MAX_TAGS).map(|i| format!("\"t{i}\"")).collect();
        let text = format!("title = \"x\"\ndate = 2024-10-22\ntags = [{}]\n", tags.join(", "));
        let mut out = Content::default();
        let errors = read_paper_file(&text, Path::new("content/x.toml"), "toml", None, &mut out).unwrap_err();
        assert_eq!(errors[0].location(), "content/x.toml:3:8", "{errors:?}");
        assert!(errors[0].message.contains(&format!("{} tags", MAX_TAGS + 1)), "{errors:?}");
    }
}
