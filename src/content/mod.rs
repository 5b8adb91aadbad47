//! The content layer: walks `content/` and reads its four forms (paper files, day files,
//! table digests, daily-arXiv JSON Lines) into [`Entry`]s, one per paper listing, and [`DayInfo`]s, with every
//! problem of every file reported as a positioned [`Diagnostic`]. No rendering here.

pub mod frontmatter;
pub mod jsonl;
pub mod summary;
pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, LineIndex, display_path};
use crate::tomlread::{self, Origin};
use summary::Summary;

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
const DAY_KEYS: &[&str] = &["title", "intro", "papers"];
const DAY_INFO_KEYS: &[&str] = &["title", "intro"];
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

#[derive(Debug, Default, Deserialize)]
struct PaperFields {
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
    weight: Option<i64>,
    summary: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct DayFields {
    title: Option<String>,
    intro: Option<String>,
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

/// Every file below `<root>/content` that papershelf may read, sorted, skipping hidden and
/// editor files; folders that cannot be walked (a symlink loop, no permission) and symlinks
/// leading out of the site (`sitefs::walk`) are reported.
pub fn list(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join("content");
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::error("content", "the site has no content/ folder")
                .with_hint("create content/ and put digests in it, or run `papershelf new DATE TITLE`"),
        );
        return (files, diagnostics);
    }
    let walk = crate::sitefs::walk(root, "content", crate::diagnostic::Severity::Error, is_ignored);
    diagnostics.extend(walk.problems);
    for e in walk.entries {
        if !e.file_type().is_file() {
            diagnostics.push(
                Diagnostic::warning(
                    display_path(root, e.path()),
                    "skipped: not a regular file (a FIFO, socket or device)",
                )
                .with_hint("content/ holds only digests and paper files; move it elsewhere"),
            );
        } else if is_content_file(e.path().strip_prefix(&dir).unwrap_or(e.path())) {
            files.push(e.into_path());
        }
    }
    (files, diagnostics)
}

impl Content {
    /// Adds everything read from another file.
    pub fn extend(&mut self, other: Content) {
        self.entries.extend(other.entries);
        self.days.extend(other.days);
    }
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Whether `rel`, a path below `content/`, is a content file: a `.md` or `.toml` file with no
/// hidden or editor's name along its path. The one answer for the walk ([`list`]), the
/// loader ([`load_file`]) and `serve`'s watched paths (`Project::scan_paths`).
pub fn is_content_file(rel: &Path) -> bool {
    rel.extension().is_some_and(|x| x == "md" || x == "toml" || x == "jsonl")
        && rel.components().all(|c| !is_ignored(&c.as_os_str().to_string_lossy()))
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

/// The date a folder or file name stands for; none when the name is not date-shaped.
fn folder_date(name: &str, shown: &Path) -> Result<Option<NaiveDate>, Diagnostic> {
    let b = name.as_bytes();
    let date_shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !date_shaped {
        return Ok(None);
    }
    NaiveDate::parse_from_str(name, "%Y-%m-%d").map(Some).map_err(|_| {
        Diagnostic::error(shown, format!("invalid date {name:?} in the file or folder name")).with_hint(DATE_HINT)
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

fn read_paper_file(
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

fn read_day_file(text: &str, shown: &Path, date: NaiveDate, out: &mut Content) -> Result<(), Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let origin = Origin { file: shown, source: text, offset: 0, lines: &lines };
    let mut table = tomlread::parse(text, origin)?;
    let mut diagnostics = tomlread::unknown_keys(table.get_ref(), DAY_KEYS, "a day file", origin);
    let papers = table.get_mut().remove("papers");
    let fields: DayFields = tomlread::deserialize(table, DAY_INFO_KEYS, "a day file", origin).unwrap_or_else(|d| {
        diagnostics.extend(d);
        DayFields::default()
    });
    out.days.push(DayInfo {
        date,
        title: fields.title,
        intro: fields.intro,
        source: Source { file: shown.into(), line: 1 },
    });
    let papers = match papers.map(Spanned::into_inner) {
        None => Vec::new(),
        Some(toml::de::DeValue::Array(items)) => items.into_iter().collect::<Vec<_>>(),
        Some(_) => {
            diagnostics.push(
                Diagnostic::error(shown, "`papers` must be an array of tables")
                    .with_hint("write each paper as a [[papers]] table"),
            );
            Vec::new()
        }
    };
    for (i, value) in papers.into_iter().enumerate() {
        let span = value.span();
        let line = origin.line_of(span.start);
        let result =
            tomlread::deserialize_value::<PaperFields>(value, PAPER_KEYS, "a paper", origin).and_then(|mut fields| {
                fields.weight.get_or_insert(i as i64 + 1);
                paper_entry(fields, None, Some(date), origin, span, line)
            });
        match result {
            Ok(entry) => out.entries.push(entry),
            Err(d) => diagnostics.extend(d),
        }
    }
    if diagnostics.is_empty() { Ok(()) } else { Err(diagnostics) }
}

fn read_day_info(text: &str, shown: &Path, date: NaiveDate, out: &mut Content) -> Result<(), Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let origin = Origin { file: shown, source: text, offset: 0, lines: &lines };
    let table = tomlread::parse(text, origin)?;
    let fields: DayFields = tomlread::deserialize(table, DAY_INFO_KEYS, "_day.toml", origin)?;
    out.days.push(DayInfo {
        date,
        title: fields.title,
        intro: fields.intro,
        source: Source { file: shown.into(), line: 1 },
    });
    Ok(())
}

/// Validates a paper's fields into an entry. `span` is the paper's table, for errors about
/// missing fields; `line` is where the paper starts.
fn paper_entry(
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

    /// The fastest of three runs of `f`, in seconds.
    fn best_of_three(f: impl Fn()) -> f64 {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                f();
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn day_files_are_read_in_linear_time() {
        let day = |n: usize| (0..n).map(|i| format!("[[papers]]\ntitle = \"P{i}\"\n\n")).collect::<String>();
        let read = |text: &str| {
            let mut out = Content::default();
            let date = NaiveDate::from_ymd_opt(2024, 10, 22).unwrap();
            read_day_file(text, Path::new("content/2024-10-22.toml"), date, &mut out).unwrap();
            assert_eq!(out.entries.last().unwrap().source.line, text.lines().count() - 2);
        };
        let (small, large) = (day(5_000), day(20_000));
        let ratio = best_of_three(|| read(&large)) / best_of_three(|| read(&small));
        // Four times the papers: about four times the time (it was sixteen: each paper's line
        // was found by counting the lines before it).
        assert!(ratio < 8.0, "4× the papers took {ratio:.1}× the time");
    }

    #[test]
    fn tags_past_the_cap_are_an_error_at_their_line() {
        let tags: Vec<String> = (0..=MAX_TAGS).map(|i| format!("\"t{i}\"")).collect();
        let text = format!("title = \"x\"\ndate = 2024-10-22\ntags = [{}]\n", tags.join(", "));
        let mut out = Content::default();
        let errors = read_paper_file(&text, Path::new("content/x.toml"), "toml", None, &mut out).unwrap_err();
        assert_eq!(errors[0].location(), "content/x.toml:3:8", "{errors:?}");
        assert!(errors[0].message.contains(&format!("{} tags", MAX_TAGS + 1)), "{errors:?}");
    }

    #[test]
    fn date_shaped_names() {
        let p = Path::new("x");
        assert_eq!(folder_date("2024-10-22", p).unwrap(), NaiveDate::from_ymd_opt(2024, 10, 22));
        assert_eq!(folder_date("notes", p).unwrap(), None);
        assert!(folder_date("2024-02-30", p).is_err());
    }
}
