//! The fetched metadata on disk: one hand-readable TOML file per paper,
//! `data/arxiv/<id>.toml`, with a part for what arXiv said and a part for what Hugging Face
//! said. `enrich` writes them (each atomically); builds read them, offline, bounded by
//! [`super::limits`] as they are read (a file may have been edited by hand).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, display_path};
use crate::error::Error;

/// The folder below the site root that holds one file per paper.
pub const DIR: &str = "data/arxiv";

/// The first lines of every file, for whoever opens one in a pull request.
const HEADER: &str = "# Fetched by `papershelf enrich` from the arXiv API and the Hugging Face papers API.\n\
# Builds read this file offline. A field written in a content file wins over it; to change\n\
# what the site shows, edit the content file. `papershelf enrich --force` fetches it again.\n\n";

/// Everything fetched for one paper. A part that is absent has not been fetched yet (an
/// earlier run stopped before it): the next `enrich` asks for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The arXiv id without its version.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<ArxivPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub huggingface: Option<HfPart>,
}

/// What the arXiv API says about a paper.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArxivPart {
    /// Set when arXiv has no such paper: what it answered. The other fields are then empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// The latest version's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The first version's day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The latest version's day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_category: Option<String>,
    /// Every category, the primary one first (ACM and MSC classes included, as arXiv lists them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// The abstract, its hard wrapping undone. Last, as the longest field.
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
}

/// What the Hugging Face papers API says about a paper.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HfPart {
    /// False when Hugging Face does not list the paper (it answered 404).
    pub listed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upvotes: Option<u64>,
    /// The paper's code repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub github: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The abstract as Hugging Face has it (used when arXiv's is missing).
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
}

/// The file of the paper `id` (any version): `data/arxiv/2410.16256.toml`; an old-style id's
/// slash becomes `_` (`hep-th_9901001.toml`).
pub fn path(root: &Path, id: &str) -> PathBuf {
    // Every caller passes an id checked with `arxiv::is_id` (from content or asked of
    // arXiv); the check is made here too, as the last word before a file name.
    assert!(crate::arxiv::is_id(id), "data/arxiv/ file for an unchecked id {id:?}");
    let name = format!("{}.toml", crate::arxiv::base_id(id).replace('/', "_"));
    root.join(DIR).join(name)
}

/// The largest record file read (a real one is a few kilobytes; the bounds of
/// [`super::limits`] keep any that `enrich` writes far below it).
pub const MAX_FILE: u64 = 16 << 20;

/// The record of paper `id`, none when it has no file yet; a file that cannot be read is a
/// positioned error, and a file that is a symlink leading out of the site an error naming it
/// (its folders are checked once, by [`check_folder`]). What [`super::limits`] drops or cuts
/// is dropped or cut (see [`read_checked`] for the warnings).
pub fn read(root: &Path, id: &str) -> Result<Option<Record>, Diagnostic> {
    read_checked(root, id).map(|r| r.map(|(record, _)| record))
}

/// [`read`], with a warning at the line of each field that was dropped or cut: the file may
/// have been edited by hand, or by someone hostile.
pub fn read_checked(root: &Path, id: &str) -> Result<Option<(Record, Vec<Diagnostic>)>, Diagnostic> {
    let path = path(root, id);
    let shown = display_path(root, &path);
    crate::sitefs::check_file(root, &path)?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE {
        return Err(Diagnostic::error(&shown, format!("the file is {size} bytes: records are limited to {MAX_FILE}"))
            .with_hint("remove it and run `papershelf enrich` to fetch it again"));
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(&shown, format!("cannot read file: {e}"))
                .with_hint("`papershelf enrich --force` writes it again"));
        }
    };
    let hint = "fix the file by hand, or remove it and run `papershelf enrich` to fetch it again";
    let mut record: Record = toml::from_str(&text).map_err(|e| {
        let d = Diagnostic::error(&shown, e.message().trim().replace('\n', " "));
        match e.span() {
            Some(span) => d.at(&text, span),
            None => d,
        }
        .with_hint(hint)
    })?;
    if crate::arxiv::base_id(&record.id) != crate::arxiv::base_id(id) {
        return Err(Diagnostic::error(&shown, format!("the file is named for {id} but holds id {:?}", record.id))
            .with_hint(hint));
    }
    let warnings = check(&mut record, &text, &shown);
    Ok(Some((record, warnings)))
}

/// Bounds `record` (read from `text`, the file `shown`), with a warning at the line of each
/// field dropped or cut.
fn check(record: &mut Record, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let arxiv = record.arxiv.as_mut().map(super::limits::check_arxiv).unwrap_or_default();
    let hf = record.huggingface.as_mut().map(super::limits::check_hf).unwrap_or_default();
    let parts = arxiv.into_iter().map(|p| ("arxiv", p)).chain(hf.into_iter().map(|p| ("huggingface", p)));
    parts
        .map(|(section, problem)| {
            let d = Diagnostic::warning(shown, problem.message);
            match key_line(text, section, problem.key) {
                Some(line) => d.at_line(line),
                None => d,
            }
            .with_hint(
                "the build goes on without it; fix the file by hand, or `papershelf enrich --force` fetches it again",
            )
        })
        .collect()
}

/// The line (from 1) of `key = …` in the table `[section]` of `text`.
fn key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') && !line.starts_with("[[") {
            inside = line.trim_start_matches('[').trim_end_matches(']').trim() == section;
            continue;
        }
        let rest = line.strip_prefix(key).or_else(|| line.strip_prefix(&format!("\"{key}\"")));
        if inside && rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(i + 1);
        }
    }
    None
}

/// An error when `data/` or `data/arxiv/` is a symlink leading out of the site.
pub fn check_folder(root: &Path) -> Result<(), Diagnostic> {
    crate::sitefs::check_below(root, DIR)
}

/// The records read so far, by base id: `None` for a paper with no file, an error for a file
/// that cannot be read. `serve` keeps it between rebuilds (a change under `data/` rebuilds
/// everything and clears it), so a save does not read and parse every record again.
#[derive(Debug, Default)]
pub struct Cache(std::sync::Mutex<HashMap<String, Read>>);

/// A record file as read: its record with the warnings of reading it, none for no file, or
/// its problem.
type Read = Result<Option<(std::sync::Arc<Record>, Vec<Diagnostic>)>, Diagnostic>;

impl Cache {
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// The records of the papers `ids` (base ids) that have a file, read in parallel (those not
/// in `cache` yet), and the problems of the files: errors for those that could not be read,
/// warnings for fields dropped or cut ([`read_checked`]).
pub fn read_all(
    root: &Path,
    ids: &[String],
    cache: &Cache,
) -> (HashMap<String, std::sync::Arc<Record>>, Vec<Diagnostic>) {
    if let Err(d) = check_folder(root) {
        return (HashMap::default(), vec![d]);
    }
    if !root.join(DIR).is_dir() {
        return (HashMap::default(), Vec::new());
    }
    let lock = || cache.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let missing: Vec<&String> = {
        let known = lock();
        ids.iter().filter(|id| !known.contains_key(id.as_str())).collect()
    };
    let fresh: Vec<(String, Read)> = missing
        .par_iter()
        .map(|&id| (id.clone(), read_checked(root, id).map(|r| r.map(|(r, w)| (r.into(), w)))))
        .collect();
    let mut known = lock();
    known.extend(fresh);
    let (mut records, mut problems) = (HashMap::default(), Vec::new());
    for id in ids {
        match known.get(id.as_str()) {
            Some(Ok(Some((r, warnings)))) => {
                records.insert(id.clone(), std::sync::Arc::clone(r));
                problems.extend(warnings.iter().cloned());
            }
            Some(Err(d)) => problems.push(d.clone()),
            _ => {}
        }
    }
    (records, problems)
}

/// The text of a record's file.
pub fn to_text(record: &Record) -> String {
    let mut record = record.clone();
    // What Hugging Face repeats of arXiv's answer is kept once, in arXiv's part.
    if let (Some(a), Some(h)) = (&record.arxiv, &mut record.huggingface) {
        if h.authors == a.authors {
            h.authors.clear();
        }
        if h.abstract_text == a.abstract_text {
            h.abstract_text = None;
        }
    }
    let body = toml::to_string_pretty(&record).expect("a record is plain strings, numbers and lists");
    // A blank line before each part, as a person would write it.
    format!("{HEADER}{}", body.replace("\n[", "\n\n["))
}

/// Writes a record's file atomically (a temporary file renamed over the old one), so a run
/// stopped at any moment leaves every file whole.
pub fn write(root: &Path, record: &Record) -> Result<(), Error> {
    crate::write::write_new(&path(root, &record.id), to_text(record).as_bytes(), true).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let record = Record {
            id: "2410.16256".into(),
            arxiv: Some(ArxivPart {
                version: Some(1),
                title: "CompassJudger-1".into(),
                authors: vec!["Maosong Cao".into(), "Kai Chen".into()],
                categories: vec!["cs.CL".into()],
                abstract_text: Some("Efficient \"quotes\" and $x$ and <b>.".into()),
                ..ArxivPart::default()
            }),
            huggingface: Some(HfPart { listed: false, ..HfPart::default() }),
        };
        write(dir.path(), &record).unwrap();
        let text = std::fs::read_to_string(path(dir.path(), "2410.16256v2")).unwrap();
        assert!(text.starts_with("# Fetched by `papershelf enrich`"), "{text}");
        assert_eq!(read(dir.path(), "2410.16256").unwrap(), Some(record));
        assert_eq!(read(dir.path(), "2410.99999").unwrap(), None);
        assert_eq!(path(dir.path(), "hep-th/9901001").file_name().unwrap(), "hep-th_9901001.toml");
    }

    #[test]
    fn a_hostile_file_is_bounded_with_positioned_warnings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        let authors = format!("[{}]", vec!["\"A\""; 6_000].join(", "));
        let text = format!(
            "id = \"2410.16256\"\n\n[arxiv]\ntitle = \"T\"\nauthors = {authors}\npublished = \"2024-10-21<script>\"\nupdated = \"2024-10-22T01:00:00Z\"\n\n[huggingface]\nlisted = true\nkeywords = [{}]\n",
            vec!["\"k\""; 51].join(",")
        );
        std::fs::write(path(dir.path(), "2410.16256"), text).unwrap();
        let (record, warnings) = read_checked(dir.path(), "2410.16256").unwrap().unwrap();
        let arxiv = record.arxiv.unwrap();
        assert_eq!((arxiv.published, arxiv.updated.as_deref()), (None, Some("2024-10-22")));
        assert_eq!(arxiv.authors.len(), super::super::limits::MAX_AUTHORS);
        assert_eq!(record.huggingface.unwrap().keywords.len(), super::super::limits::MAX_KEYWORDS);
        let at: Vec<(Option<usize>, bool)> = warnings.iter().map(|d| (d.line, d.is_error())).collect();
        assert_eq!(at, [(Some(6), false), (Some(5), false), (Some(11), false)], "{warnings:?}");
        assert!(warnings[0].message.contains("\"2024-10-21<script>\" is not a date"), "{warnings:?}");
        assert_eq!(warnings[0].file, Path::new("data/arxiv/2410.16256.toml"));
        // A file too large to be a record is not read at all.
        let huge = std::fs::File::create(path(dir.path(), "2410.20000")).unwrap();
        huge.set_len(MAX_FILE + 1).unwrap();
        let d = read_checked(dir.path(), "2410.20000").unwrap_err();
        assert!(d.is_error() && d.message.contains("records are limited to"), "{d:?}");
    }

    #[test]
    fn a_broken_file_is_a_positioned_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(path(dir.path(), "2410.16256"), "id = \"2410.16256\"\n[arxiv]\nauthor = [\"A\"]\n").unwrap();
        let d = read(dir.path(), "2410.16256").unwrap_err();
        assert_eq!(d.file, Path::new("data/arxiv/2410.16256.toml"));
        assert_eq!(d.line, Some(3));
    }
}
