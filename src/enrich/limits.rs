//! The bounds a fetched record keeps, whoever wrote it: an API's answer (checked as it is
//! parsed) or a `data/arxiv/*.toml` file (checked as it is read, since it may be edited by
//! hand). Dates must be days (`YYYY-MM-DD`) or RFC 3339 timestamps (kept as their day);
//! lists and texts are cut to sizes far above any real paper's. What is dropped or cut is a
//! [`Problem`] naming the field, which the caller turns into a warning: the record is kept.

use chrono::{DateTime, NaiveDate};

use super::store::{ArxivPart, HfPart};

/// Authors kept (the longest real author lists are about 3,000 names).
pub const MAX_AUTHORS: usize = 5_000;
/// Categories kept (arXiv papers have a handful).
pub const MAX_CATEGORIES: usize = 50;
/// Keywords kept.
pub const MAX_KEYWORDS: usize = 50;
/// Characters kept of a title (arXiv's longest are a few hundred).
pub const MAX_TITLE: usize = 1_000;
/// Characters kept of an abstract (arXiv allows 1,920).
pub const MAX_ABSTRACT: usize = 10_000;
/// Characters kept of any other text: a name, a category, a keyword, a comment, a URL.
pub const MAX_TEXT: usize = 1_000;

/// A field of a record that was dropped or cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field's key in the record's file (`published`, `authors`).
    pub key: &'static str,
    /// What was wrong and what was done.
    pub message: String,
}

/// The day of `value`: itself when it is `YYYY-MM-DD`, the date part of an RFC 3339 timestamp
/// (`2024-10-21T17:56:51Z` → `2024-10-21`), none otherwise.
pub fn day(value: &str) -> Option<String> {
    let value = value.trim();
    let b = value.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    let digits = shaped && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if digits && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
        return Some(value.to_string());
    }
    DateTime::parse_from_rfc3339(value).ok().map(|t| t.date_naive().format("%Y-%m-%d").to_string())
}

/// Checks and bounds the arXiv part of a record in place.
pub fn check_arxiv(part: &mut ArxivPart) -> Vec<Problem> {
    let mut problems = Vec::new();
    date(&mut part.published, "published", &mut problems);
    date(&mut part.updated, "updated", &mut problems);
    text(&mut part.title, "title", MAX_TITLE, &mut problems);
    list(&mut part.authors, "authors", MAX_AUTHORS, &mut problems);
    list(&mut part.categories, "categories", MAX_CATEGORIES, &mut problems);
    for (key, value) in [
        ("primary_category", &mut part.primary_category),
        ("comment", &mut part.comment),
        ("journal_ref", &mut part.journal_ref),
        ("doi", &mut part.doi),
        ("missing", &mut part.missing),
    ] {
        optional(value, key, MAX_TEXT, &mut problems);
    }
    optional(&mut part.abstract_text, "abstract", MAX_ABSTRACT, &mut problems);
    problems
}

/// Checks and bounds the Hugging Face part of a record in place.
pub fn check_hf(part: &mut HfPart) -> Vec<Problem> {
    let mut problems = Vec::new();
    list(&mut part.authors, "authors", MAX_AUTHORS, &mut problems);
    list(&mut part.keywords, "keywords", MAX_KEYWORDS, &mut problems);
    optional(&mut part.github, "github", MAX_TEXT, &mut problems);
    optional(&mut part.project, "project", MAX_TEXT, &mut problems);
    optional(&mut part.abstract_text, "abstract", MAX_ABSTRACT, &mut problems);
    problems
}

/// A date kept as its day, or dropped when it is none.
fn date(value: &mut Option<String>, key: &'static str, problems: &mut Vec<Problem>) {
    let Some(given) = value.take() else { return };
    *value = day(&given);
    if value.is_none() {
        let shown: String = given.chars().take(40).collect();
        problems.push(Problem {
            key,
            message: format!("`{key}` {shown:?} is not a date (YYYY-MM-DD or RFC 3339): it is dropped"),
        });
    }
}

/// A list cut to `max` items, each cut to [`MAX_TEXT`] characters.
fn list(items: &mut Vec<String>, key: &'static str, max: usize, problems: &mut Vec<Problem>) {
    if items.len() > max {
        let had = items.len();
        items.truncate(max);
        problems.push(Problem { key, message: format!("`{key}` has {had} items: the first {max} are kept") });
    }
    let long = items.iter_mut().map(|item| cut(item, MAX_TEXT)).filter(|&was| was).count();
    if long > 0 {
        problems.push(Problem { key, message: format!("{long} of `{key}` are over {MAX_TEXT} characters: cut") });
    }
}

fn optional(value: &mut Option<String>, key: &'static str, max: usize, problems: &mut Vec<Problem>) {
    if let Some(v) = value {
        text(v, key, max, problems);
    }
}

fn text(value: &mut String, key: &'static str, max: usize, problems: &mut Vec<Problem>) {
    let had = value.len();
    if cut(value, max) {
        problems.push(Problem { key, message: format!("`{key}` is {had} bytes long: cut to {max} characters") });
    }
}

/// Cuts `value` to `max` characters; true when it was longer.
fn cut(value: &mut String, max: usize) -> bool {
    match value.char_indices().nth(max) {
        Some((at, _)) => {
            value.truncate(at);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_or_timestamps() {
        assert_eq!(day("2024-10-21").as_deref(), Some("2024-10-21"));
        assert_eq!(day("2024-10-21T17:56:51Z").as_deref(), Some("2024-10-21"));
        assert_eq!(day("2024-10-21T23:56:51-04:00").as_deref(), Some("2024-10-21"));
        for bad in ["2024-10-21<script>", "2024-02-30", "2024-1-5", "+2024-10-21", "", "yesterday", "2024-10-21T"] {
            assert_eq!(day(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hostile_parts_are_bounded_and_named() {
        let mut part = ArxivPart {
            published: Some("2024-10-21<script>".into()),
            updated: Some("2024-10-22T01:00:00Z".into()),
            title: "t".repeat(MAX_TITLE + 5),
            authors: vec!["A".into(); 200_000],
            categories: vec!["cs.CL".into(); 60],
            abstract_text: Some("é".repeat(MAX_ABSTRACT + 1)),
            ..ArxivPart::default()
        };
        let problems = check_arxiv(&mut part);
        let keys: Vec<&str> = problems.iter().map(|p| p.key).collect();
        assert_eq!(keys, ["published", "title", "authors", "categories", "abstract"], "{problems:?}");
        assert_eq!(part.published, None);
        assert_eq!(part.updated.as_deref(), Some("2024-10-22"));
        assert_eq!((part.authors.len(), part.categories.len()), (MAX_AUTHORS, MAX_CATEGORIES));
        assert_eq!(part.title.len(), MAX_TITLE);
        assert_eq!(part.abstract_text.as_ref().unwrap().chars().count(), MAX_ABSTRACT);
        assert!(problems[2].message.contains("200000 items: the first 5000 are kept"), "{problems:?}");
        assert!(check_arxiv(&mut part).is_empty(), "a bounded part passes again");
        let mut hf = HfPart { keywords: vec!["k".into(); 51], authors: vec!["x".repeat(2_000)], ..HfPart::default() };
        let problems = check_hf(&mut hf);
        assert_eq!(problems.iter().map(|p| p.key).collect::<Vec<_>>(), ["authors", "keywords"]);
        assert_eq!((hf.keywords.len(), hf.authors[0].len()), (MAX_KEYWORDS, MAX_TEXT));
    }
}
