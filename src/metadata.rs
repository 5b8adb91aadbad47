//! Applies the metadata `papershelf enrich` fetched (`data/arxiv/<id>.toml`) to the entries
//! read from `content/`, before the model is assembled, so that author pages, tags and search
//! see it like any other field. What a person wrote wins:
//!
//! - authors: the fetched full list (arXiv's, else Hugging Face's) replaces a table digest's
//!   short cell (and a paper file's `authors_from_digest = true` list, or an empty one);
//!   authors written by hand stay as written;
//! - tags: arXiv categories are added after the tags written by hand, as their readable names
//!   with the code kept ("Computer Vision and Pattern Recognition (cs.CV)"; see
//!   `crate::categories`); a tag written by hand with the same slug is not repeated;
//! - links: Hugging Face's code repository (`code`) and project page (`project`) are added
//!   unless the entry has a link of that name (or `github` for the code);
//! - abstract, upvotes, venue, DOI and first-submitted day ride along as `Entry::fetched`.
//!
//! Titles are never replaced. Input: the content and the site root; output: the entries
//! changed in place and the problems of unreadable `data/` files.

use std::path::Path;
use std::sync::Arc;

use crate::arxiv::base_id;
use crate::content::{Content, Entry, Fetched};
use crate::diagnostic::Diagnostic;
use crate::enrich::store::{self, Record};

/// Reads the records of the papers in `content` from `<root>/data/` (those not in `cache`)
/// and applies them.
pub fn apply_stored(root: &Path, content: &mut Content, cache: &store::Cache) -> Vec<Diagnostic> {
    let mut ids: Vec<String> =
        content.entries.iter().filter_map(|e| e.arxiv.as_deref()).map(|id| base_id(id).to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    let (records, problems) = store::read_all(root, &ids, cache);
    if records.is_empty() {
        return problems;
    }
    for entry in &mut content.entries {
        if let Some(record) = entry.arxiv.as_deref().and_then(|id| records.get(base_id(id))) {
            apply(entry, record);
        }
    }
    problems
}

/// Applies one paper's record to one of its entries.
pub fn apply(entry: &mut Entry, record: &Record) {
    let arxiv = record.arxiv.as_ref().filter(|a| a.missing.is_none());
    let hf = record.huggingface.as_ref().filter(|h| h.listed);
    let fetched_authors = match (arxiv, hf) {
        (Some(a), _) if !a.authors.is_empty() => &a.authors,
        (_, Some(h)) => &h.authors,
        _ => &entry.authors,
    };
    if (entry.authors_from_table || entry.authors.is_empty()) && !fetched_authors.is_empty() {
        entry.authors = fetched_authors.clone();
        entry.authors_from_table = false;
    }
    if let Some(a) = arxiv {
        let have: Vec<String> = entry.tags.iter().map(|t| crate::slug::slugify_nonempty(t)).collect();
        for tag in a.categories.iter().filter_map(|c| crate::categories::tag(c)) {
            if !have.contains(&crate::slug::slugify_nonempty(&tag)) && !entry.tags.contains(&tag) {
                entry.tags.push(tag);
            }
        }
    }
    if let Some(h) = hf {
        let has = |names: &[&str]| entry.links.iter().any(|(n, _)| names.contains(&n.as_str()));
        let safe = |u: &Option<String>| u.as_deref().and_then(crate::safe::publishable_web_url);
        let code = safe(&h.github).filter(|_| !has(&["code", "github"]));
        let project = safe(&h.project).filter(|_| !has(&["project"]));
        entry.links.extend(code.map(|u| ("code".to_string(), u)));
        entry.links.extend(project.map(|u| ("project".to_string(), u)));
    }
    // What the content gave (a daily-arXiv row's abstract, comment and stars) stays where
    // nothing was fetched in its place.
    let given = entry.fetched.as_deref().cloned().unwrap_or_default();
    let fetched = Fetched {
        abstract_text: arxiv
            .and_then(|a| a.abstract_text.clone())
            .or_else(|| hf.and_then(|h| h.abstract_text.clone()))
            .or(given.abstract_text),
        upvotes: hf.and_then(|h| h.upvotes).or(given.upvotes),
        venue: arxiv.and_then(|a| venue(a.journal_ref.as_deref(), a.comment.as_deref())).or(given.venue),
        doi: arxiv.and_then(|a| a.doi.clone()).or(given.doi),
        submitted: arxiv.and_then(|a| a.published.clone()).or(given.submitted),
        comment: given.comment,
        code_stars: given.code_stars,
    };
    if fetched != Fetched::default() {
        entry.fetched = Some(Arc::new(fetched));
    }
}

/// Conferences and journals a comment names when it says where a paper appears.
const VENUES: &[&str] = &[
    "AAAI",
    "ACL",
    "AISTATS",
    "CHI",
    "COLING",
    "COLM",
    "CoRL",
    "CVPR",
    "EACL",
    "ECCV",
    "EMNLP",
    "ICASSP",
    "ICCV",
    "ICLR",
    "ICML",
    "ICRA",
    "IJCAI",
    "Interspeech",
    "INTERSPEECH",
    "IROS",
    "JMLR",
    "KDD",
    "MICCAI",
    "NAACL",
    "NeurIPS",
    "RSS",
    "SIGGRAPH",
    "SIGIR",
    "TACL",
    "TMLR",
    "TPAMI",
    "UAI",
    "WACV",
    "WWW",
];

/// Where the paper appears: the journal reference when there is one, else the part of the
/// comment that names a venue ("Accepted to NeurIPS 2024." → "NeurIPS 2024").
pub fn venue(journal_ref: Option<&str>, comment: Option<&str>) -> Option<String> {
    if let Some(j) = journal_ref.map(str::trim).filter(|j| !j.is_empty()) {
        return Some(j.to_string());
    }
    let comment = comment?;
    let clauses = comment.split(['.', ';', '\n']).map(str::trim);
    // "NeurIPS", or "ICLR2025": a venue's name, perhaps with its year run on.
    let is_venue = |word: &str| {
        VENUES.iter().any(|v| word.strip_prefix(v).is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit())))
    };
    let named = |clause: &str| clause.split(|c: char| !c.is_alphanumeric()).any(is_venue);
    let clause = clauses.into_iter().find(|c| named(c))?;
    let lower = clause.to_lowercase();
    let mut rest = clause;
    for prefix in [
        "accepted by ",
        "accepted to ",
        "accepted at ",
        "accepted in ",
        "accepted as ",
        "to appear in ",
        "to appear at ",
        "published in ",
        "published at ",
        "appears in ",
    ] {
        if lower.starts_with(prefix) {
            rest = &clause[prefix.len()..];
            break;
        }
    }
    let rest = rest.trim().trim_start_matches("the ").trim_end_matches([',', ':', ')']).trim();
    (!rest.is_empty() && rest.chars().count() <= 120).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_content_gave_stays_where_nothing_was_fetched_in_its_place() {
        let given = Fetched {
            abstract_text: Some("From the row.".into()),
            comment: Some("8 pages".into()),
            code_stars: Some(3),
            ..Fetched::default()
        };
        let mut entry = crate::content::jsonl::tests_entry(given);
        let arxiv = store::ArxivPart { doi: Some("10.1/x".into()), ..store::ArxivPart::default() };
        apply(&mut entry, &Record { id: "2501.00001".into(), arxiv: Some(arxiv), huggingface: None });
        let f = entry.fetched.unwrap();
        assert_eq!(f.abstract_text.as_deref(), Some("From the row."));
        assert_eq!((f.comment.as_deref(), f.code_stars, f.doi.as_deref()), (Some("8 pages"), Some(3), Some("10.1/x")));
    }

    #[test]
    fn venues_from_comments() {
        let cases: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
            (None, Some("Accepted to NeurIPS 2024. 20 pages, 5 figures"), Some("NeurIPS 2024")),
            (None, Some("Technical Report, Code and Models: https://github.com/x/y"), None),
            (None, Some("EMNLP 2024 Findings; code at https://x.org"), Some("EMNLP 2024 Findings")),
            (None, Some("accepted by the ICLR2025 main track"), Some("ICLR2025 main track")),
            (
                Some("Phys. Rev. D 76, 013009 (2007)"),
                Some("Accepted to ICML 2024"),
                Some("Phys. Rev. D 76, 013009 (2007)"),
            ),
            (None, Some("12 pages"), None),
            (None, None, None),
        ];
        for (journal, comment, want) in cases {
            assert_eq!(venue(*journal, *comment).as_deref(), *want, "{comment:?}");
        }
    }
}
