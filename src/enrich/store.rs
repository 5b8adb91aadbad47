//! The fetched metadata on disk: one hand-readable TOML file per paper,
//! `data/arxiv/<id>.toml`, with a part for what arXiv said and a part for what Hugging Face
//! said. `enrich` writes them (each atomically); builds read them, offline.

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

/// The record of paper `id`, none when it has no file yet; a file that cannot be read is a
/// positioned error, and a file that is a symlink leading out of the site an error naming it
/// (its folders are checked once, by [`check_folder`]).
pub fn read(root: &Path, id: &str) -> Result<Option<Record>, Diagnostic> {
    let path = path(root, id);
    let shown = display_path(root, &path);
    crate::sitefs::check_file(root, &path)?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(&shown, format!("cannot read file: {e}"))
                .with_hint("`papershelf enrich --force` writes it again"));
        }
    };
    let hint = "fix the file by hand, or remove it and run `papershelf enrich` to fetch it again";
    let record: Record = toml::from_str(&text).map_err(|e| {
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
    Ok(Some(record))
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

/// A record file as read: its record, none for no file, or its problem.
type Read = Result<Option<std::sync::Arc<Record>>, Diagnostic>;

impl Cache {
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// The records of the papers `ids` (base ids) that have a file, read in parallel (those not
/// in `cache` yet), and the problems of the files that could not be read.
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
    let fresh: Vec<(String, Read)> =
        missing.par_iter().map(|&id| (id.clone(), read(root, id).map(|r| r.map(std::sync::Arc::new)))).collect();
    let mut known = lock();
    known.extend(fresh);
    let (mut records, mut problems) = (HashMap::default(), Vec::new());
    for id in ids {
        match known.get(id.as_str()) {
            Some(Ok(Some(r))) => drop(records.insert(id.clone(), std::sync::Arc::clone(r))),
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
    fn a_broken_file_is_a_positioned_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(path(dir.path(), "2410.16256"), "id = \"2410.16256\"\n[arxiv]\nauthor = [\"A\"]\n").unwrap();
        let d = read(dir.path(), "2410.16256").unwrap_err();
        assert_eq!(d.file, Path::new("data/arxiv/2410.16256.toml"));
        assert_eq!(d.line, Some(3));
    }
}
