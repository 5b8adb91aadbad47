//! The content layer: walks `content/` and reads its four forms (paper files, day files,
//! table digests, daily-arXiv JSON Lines) into [`Entry`]s, one per paper listing, and [`DayInfo`]s, with every
//! problem of every file reported as a positioned [`Diagnostic`]. No rendering here.

mod day;
pub mod frontmatter;
pub mod jsonl;
mod paper;
pub mod summary;
pub mod table;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, display_path};
use day::{read_day_file, read_day_info};
use paper::read_paper_file;
use summary::Summary;
use walk::folder_date;

const DATE_HINT: &str = "dates are written YYYY-MM-DD, e.g. 2024-10-22, and must exist in the calendar";

/// Where an entry was read from: the file (relative to the site root) and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub file: PathBuf,
    pub line: usize,
}

/// One paper as listed on one day, in any of the three forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub date: NaiveDate,
    pub title: String,
    pub authors: Vec<String>,
    /// The authors are a table digest's short cell (Hugging Face usernames, cut to a few),
    /// read from the digest or marked `authors_from_digest` by `import`: a fetched full list
    /// replaces them (see `metadata`), where authors written by hand win.
    pub authors_from_table: bool,
    pub arxiv: Option<String>,
    pub links: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub questions: Vec<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    /// The summary, split into its parts when the file is read (once per file, so a
    /// rebuild after an edit splits only the edited file's summaries).
    pub summary: Arc<Summary>,
    /// What `papershelf enrich` fetched for the paper (from `data/`), set by
    /// `metadata::apply`; none when nothing was fetched or the entry has no arXiv id.
    pub fetched: Option<Arc<Fetched>>,
    pub source: Source,
}

/// Facts about a paper fetched from arXiv and Hugging Face that the model carries as they are
/// (authors, tags and links are merged into the entry's own fields instead). Plain text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fetched {
    /// The arXiv abstract, its hard wrapping undone: plain text, never Markdown.
    pub abstract_text: Option<String>,
    /// Upvotes on Hugging Face Daily Papers.
    pub upvotes: Option<u64>,
    /// Where the paper was published or accepted, from the journal reference or the comment.
    pub venue: Option<String>,
    pub doi: Option<String>,
    /// The day of the first arXiv version, `YYYY-MM-DD`.
    pub submitted: Option<String>,
    /// The arXiv comment ("Accepted at ISED 2025, 8 pages"), as a daily-arXiv row gives it.
    pub comment: Option<String>,
    /// The stars of the `code` link's repository, as a daily-arXiv row gives them.
    pub code_stars: Option<u64>,
}

/// A day's own fields (from a day file, `_day.toml` or a table digest's heading).
#[derive(Debug, Clone, PartialEq)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub title: Option<String>,
    pub intro: Option<String>,
    pub source: Source,
}

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub entries: Vec<Entry>,
    pub days: Vec<DayInfo>,
}

/// Reads every file under `<root>/content`, in parallel, in a stable order.
pub fn load(root: &Path) -> (Content, Vec<Diagnostic>) {
    let (files, mut diagnostics) = list(root);
    let results: Vec<(Content, Vec<Diagnostic>)> = files.par_iter().map(|path| load_file(root, path)).collect();
    let mut content = Content::default();
    for (c, d) in results {
        content.extend(c);
        diagnostics.extend(d);
    }
    (content, diagnostics)
}

impl Content {
    /// Adds everything read from another file.
    pub fn extend(&mut self, other: Content) {
        self.entries.extend(other.entries);
        self.days.extend(other.days);
    }
}

/// Reads one file of `content/` by its kind.
pub fn load_file(root: &Path, path: &Path) -> (Content, Vec<Diagnostic>) {
    let shown = display_path(root, path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !is_content_file(path.strip_prefix(root.join("content")).unwrap_or(path)) {
        return (Content::default(), Vec::new());
    }
    if let Err(d) = crate::sitefs::check_file(root, path) {
        return (Content::default(), vec![d]);
    }
    let text = match read_text(path, &shown) {
        Ok(t) => t,
        Err(d) => return (Content::default(), vec![d]),
    };
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let folder = path.parent().and_then(|p| p.file_name()).and_then(|s| s.to_str()).unwrap_or("");
    let mut out = Content::default();
    let mut diagnostics = Vec::new();
    let result = if ext == "jsonl" {
        let d = jsonl::read(&text, &shown, &mut out);
        if d.is_empty() { Ok(()) } else { Err(d) }
    } else if ext == "md" && !frontmatter::has_front_matter(&text) {
        read_table_digest(&text, &shown, &mut out)
    } else if ext == "toml" && path.parent() == Some(root.join("content").as_path()) {
        match folder_date(name, &shown) {
            Ok(Some(date)) => read_day_file(&text, &shown, date, &mut out),
            Ok(None) => Err(vec![
                Diagnostic::error(&shown, "a .toml file directly in content/ must be named after its day")
                    .with_hint("name it content/YYYY-MM-DD.toml, or move paper files into content/YYYY-MM-DD/"),
            ]),
            Err(d) => Err(vec![d]),
        }
    } else if ext == "toml" && name == "_day" {
        match folder_date(folder, &shown) {
            Ok(Some(date)) => read_day_info(&text, &shown, date, &mut out),
            Ok(None) => Err(vec![
                Diagnostic::error(&shown, "_day.toml must be in a folder named after its day")
                    .with_hint("move it to content/YYYY-MM-DD/_day.toml"),
            ]),
            Err(d) => Err(vec![d]),
        }
    } else {
        let default_date = folder_date(folder, &shown);
        match default_date {
            Err(d) => Err(vec![d]),
            Ok(date) => read_paper_file(&text, &shown, ext, date, &mut out),
        }
    };
    if let Err(d) = result {
        diagnostics.extend(d);
    }
    for entry in &mut out.entries {
        limit_tex(entry, &shown, &mut diagnostics);
        let chars = entry.title.chars().count();
        if chars > MAX_TITLE_CHARS {
            diagnostics.push(
                Diagnostic::warning(&shown, format!("a title is {chars} characters long"))
                    .at_line(entry.source.line)
                    .with_hint("it is published as written; check that a row or the front matter is not broken"),
            );
        }
    }
    (out, diagnostics)
}

/// The largest content file papershelf reads: far above any real digest (the largest day of
/// the public archive is 120 KB), and low enough that memory stays bounded.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The most TeX (bytes between dollars) rendered as MathML for one paper: far above any real
/// summary, and low enough that what one source byte can cost stays bounded (MathML is some
/// 30 times its TeX). Past it, the paper's TeX is shown as written, with a warning.
pub const MAX_TEX_BYTES: usize = 32 * 1024;

/// Marks a paper whose title and summary hold more than [`MAX_TEX_BYTES`] of TeX to show it
/// as written, and says so.
fn limit_tex(entry: &mut Entry, shown: &Path, diagnostics: &mut Vec<Diagnostic>) {
    let s = &entry.summary;
    let texts = [&entry.title].into_iter().chain(&s.lead).chain(s.sections.iter().map(|x| &x.body)).chain(&s.questions);
    let bytes: usize = texts.map(|t| tex_bytes(t)).sum();
    if bytes <= MAX_TEX_BYTES {
        return;
    }
    if let Some(summary) = Arc::get_mut(&mut entry.summary) {
        summary.tex_as_source = true;
    }
    diagnostics.push(
        Diagnostic::warning(
            shown,
            format!("the paper holds more TeX than papershelf renders (about {bytes} bytes); it is shown as written"),
        )
        .at_line(entry.source.line)
        .with_hint(format!("papershelf renders up to {MAX_TEX_BYTES} bytes of TeX per paper as MathML")),
    );
}

/// Hard-wrapped text joined again: every run of white space (line breaks and the indentation
/// that follows them) becomes one space. For fetched records and daily-arXiv rows alike.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What rendering one formula of `tex` counts against [`MAX_TEX_BYTES`]: its bytes, and a
/// little for the markup every formula has, so that many tiny formulas count too.
pub fn tex_cost(tex: &str) -> usize {
    tex.len() + 16
}

/// About what the TeX of `text` costs ([`tex_cost`] of each span between dollars: an upper
/// bound, read without the Markdown parser).
fn tex_bytes(text: &str) -> usize {
    let mut dollars = memchr::memchr_iter(b'$', text.as_bytes());
    let mut bytes = 0;
    while let (Some(open), Some(close)) = (dollars.next(), dollars.next()) {
        bytes += tex_cost(&text[open + 1..close]);
    }
    bytes
}

/// Titles longer than this get a warning.
const MAX_TITLE_CHARS: usize = 1000;

fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            shown,
            format!(
                "the file is {:.1} MB; papershelf reads content files of at most {} MB",
                size as f64 / 1e6,
                MAX_FILE_BYTES >> 20
            ),
        )
        .with_hint("split it: one digest or paper file per day"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::InvalidFilename {
            "the path is longer than the system allows: shorten the file or folder names"
        } else {
            "check that the file exists and is readable"
        };
        Diagnostic::error(shown, format!("cannot read file: {e}")).with_hint(hint)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        Diagnostic::error(shown, format!("the file is not valid UTF-8 (bad byte at offset {valid})"))
            .at(&prefix, valid..valid)
            .without_snippet()
            .with_hint("save the file as UTF-8")
    })
}

fn read_table_digest(text: &str, shown: &Path, out: &mut Content) -> Result<(), Vec<Diagnostic>> {
    if !table::is_table_digest(text) {
        return Err(vec![Diagnostic::error(shown, "neither a paper file nor a table digest").at_line(1).with_hint(
            "start a paper file with a `+++` line of TOML front matter, or a digest with `## Papers for YYYY-MM-DD`",
        )]);
    }
    let (digest, errors) = table::parse(text);
    let diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(|e| Diagnostic::error(shown, e.message).at_line(e.line).with_hint(e.hint)).collect();
    if let Some(digest) = digest {
        out.days.push(DayInfo {
            date: digest.date,
            title: None,
            intro: None,
            source: Source { file: shown.into(), line: 1 },
        });
        for (i, row) in digest.rows.into_iter().enumerate() {
            out.entries.push(Entry {
                date: digest.date,
                title: row.title,
                authors: row.authors,
                authors_from_table: true,
                arxiv: row.arxiv,
                links: row.links,
                tags: Vec::new(),
                slug: None,
                questions: Vec::new(),
                draft: false,
                weight: Some(i as i64 + 1),
                summary: Arc::new(summary::split(&row.summary)),
                fetched: None,
                source: Source { file: shown.into(), line: row.line },
            });
        }
    }
    if diagnostics.is_empty() { Ok(()) } else { Err(diagnostics) }
}

pub use paper::{MAX_TAGS, PAPER_KEYS};
pub use walk::{is_content_file, list};
