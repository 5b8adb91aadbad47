//! `papershelf enrich`: for every paper of `content/` with an arXiv id, fetches what the arXiv
//! query API ([`arxiv`]) and the Hugging Face papers API ([`hf`]) say about it, and keeps it
//! in a file of its own under `data/arxiv/` ([`store`]), never in a content file. A paper
//! already fetched is not asked for again unless `--force`. An outage stops the run with the
//! host named; every file written before it is whole (each is written atomically). The
//! build applies the files offline (`crate::metadata`). [`daily`] is `import --hf-daily`.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **enrich** (`src/enrich/`): `mod.rs` is the command: list the arXiv ids of the content (or
//! those `--only` names), skip those whose record is complete (unless `--force`), then per batch
//! of 100: one arXiv request, one Hugging Face request per paper, and each paper's file written
//! (atomically, `write::write_new`) as soon as it is complete. `client.rs` is the blocking ureq
//! client: base URLs from `PAPERSHELF_ARXIV_API` / `PAPERSHELF_HF_API`, one arXiv request per
//! interval (`PAPERSHELF_ARXIV_INTERVAL_MS`, 3 s), three retries with doubling waits for 429, 503,
//! "Rate exceeded." and 5xx, and every other failure an `Outage` naming the host, which ends the
//! run with `Error::Fetch` (exit 1) after writing what the batch had. `arxiv.rs` parses the Atom
//! answer with quick-xml (Error entries, unwrapping, entries in any order); `hf.rs` the JSON with
//! serde_json; `store.rs` is the file format (`Record` with an `[arxiv]` and a `[huggingface]`
//! part; an absent part is fetched next time, an answer of "no such paper" is kept as
//! `missing`/`listed = false`). `limits.rs` bounds every record, whoever wrote it: dates must be
//! `YYYY-MM-DD` or RFC 3339 (kept as their day) or are dropped; authors ≤ 5,000, categories and
//! keywords ≤ 50, titles, abstracts and other texts cut; `arxiv::parse` and `enrich` check each
//! answer (a warning naming the paper's content file and id), and `store::read_checked` each file
//! as it is read (a warning at the field's line; the build goes on; a file over 16 MB is an
//! error). `daily.rs` is `import --hf-daily DATE`. The progress bar (indicatif) is hidden when
//! stderr is not a terminal or `CI` is set.

pub mod arxiv;
pub mod client;
pub mod daily;
pub mod hf;
pub mod limits;
pub mod store;

use std::io::IsTerminal;
use std::path::Path;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::content::Source;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use client::{Client, Outage};
use store::{ArxivPart, HfPart, Record};

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fetch again what was fetched before.
    pub force: bool,
    /// Only the papers listed on these days or with these arXiv ids (all when empty).
    pub only: Vec<String>,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Papers with an arXiv id (after `--only`).
    pub papers: usize,
    /// Papers whose file was written.
    pub fetched: usize,
    /// Papers that had everything already.
    pub up_to_date: usize,
    /// Papers Hugging Face does not list (not an error).
    pub not_listed: usize,
    /// Requests sent, retries included.
    pub requests: usize,
    /// Papers arXiv does not know, and other problems worth a look.
    pub warnings: Vec<Diagnostic>,
}

/// A paper to fetch: its id (without version), where it is listed, and its record so far.
struct Todo {
    id: String,
    source: Source,
    record: Record,
}

/// Fetches the metadata of every paper of the site at `root` that lacks it (all with
/// `force`), writing one file per paper as soon as it is complete.
pub fn enrich(root: &Path, options: &Options) -> Result<Report, Error> {
    fail_on_errors(store::check_folder(root).err().into_iter().collect())?;
    crate::write::remove_stale_temps(&root.join(store::DIR));
    let (papers, warnings) = papers(root, &options.only)?;
    let mut report = Report { papers: papers.len(), warnings, ..Report::default() };
    let mut todo = Vec::new();
    let mut broken = Vec::new();
    for (id, source) in papers {
        let record = match store::read(root, &id) {
            Ok(r) => r,
            Err(_) if options.force => None,
            Err(d) => {
                broken.push(d);
                continue;
            }
        };
        let record = record.unwrap_or_else(|| Record { id: id.clone(), ..Record::default() });
        if options.force || record.arxiv.is_none() || record.huggingface.is_none() {
            todo.push(Todo { id, source, record });
        } else {
            report.up_to_date += 1;
        }
    }
    fail_on_errors(broken)?;
    if todo.is_empty() {
        return Ok(report);
    }
    let mut client = Client::from_env(progress(todo.len()))?;
    let mut result = Ok(());
    for chunk in todo.chunks_mut(arxiv::BATCH) {
        result = fetch_chunk(root, &mut client, chunk, options.force, &mut report);
        if result.is_err() {
            break;
        }
    }
    client.progress.finish_and_clear();
    report.requests = client.requests;
    match result {
        Ok(()) => Ok(report),
        Err(Stop::Failed(e)) => Err(e),
        Err(Stop::Outage(o)) => Err(outage_error(&o, &report, todo.len())),
    }
}

/// Why a run stopped early.
enum Stop {
    Outage(Outage),
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed(e)
    }
}

impl From<Outage> for Stop {
    fn from(o: Outage) -> Self {
        Stop::Outage(o)
    }
}

/// The message of an outage: the host, what failed, what was kept and what to do.
fn outage_error(o: &Outage, report: &Report, todo: usize) -> Error {
    let left = todo - report.fetched;
    Error::Fetch(format!(
        "{} failed: {}. Fetched before it stopped: {} of {todo} papers, saved in {}/ (each file whole); \
         `papershelf build` uses them. Run `papershelf enrich` again later to fetch the other {left}.",
        o.host,
        o.what,
        report.fetched,
        store::DIR
    ))
}

/// Fetches one batch: one arXiv request (more when arXiv answers an Error entry), then each
/// paper's Hugging Face page; writes each paper's file as soon as it is complete. On an
/// outage, the papers of the batch whose arXiv part was fetched are written with it alone.
fn fetch_chunk(
    root: &Path,
    client: &mut Client,
    chunk: &mut [Todo],
    force: bool,
    report: &mut Report,
) -> Result<(), Stop> {
    let ask: Vec<String> = chunk.iter().filter(|t| force || t.record.arxiv.is_none()).map(|t| t.id.clone()).collect();
    let mut cut = Vec::new();
    let mut found = if ask.is_empty() { HashMap::default() } else { fetch_arxiv(client, &ask, &mut cut)? };
    for todo in chunk.iter_mut() {
        for (_, what) in cut.iter().filter(|(id, _)| *id == todo.id) {
            report.warnings.push(bounded_warning(todo, "arXiv", what));
        }
        if let Some(part) = found.remove(&todo.id) {
            if let Some(why) = &part.missing {
                report.warnings.push(missing_warning(todo, why));
            }
            todo.record.arxiv = Some(part);
        }
    }
    for (i, todo) in chunk.iter_mut().enumerate() {
        if force || todo.record.huggingface.is_none() {
            match fetch_hf(client, &todo.id) {
                Ok(mut part) => {
                    for problem in limits::check_hf(&mut part) {
                        report.warnings.push(bounded_warning(todo, "Hugging Face", &problem.message));
                    }
                    todo.record.huggingface = Some(part);
                }
                Err(o) => {
                    save_partial(root, &chunk[i..], &ask)?;
                    return Err(o.into());
                }
            }
        }
        if todo.record.huggingface.as_ref().is_some_and(|h| !h.listed) {
            report.not_listed += 1;
        }
        store::write(root, &todo.record)?;
        report.fetched += 1;
        client.progress.inc(1);
    }
    Ok(())
}

/// Writes the papers whose arXiv part was just fetched, without their Hugging Face part (the
/// next run asks for it).
fn save_partial(root: &Path, rest: &[Todo], asked: &[String]) -> Result<(), Error> {
    for todo in rest.iter().filter(|t| asked.contains(&t.id) && t.record.arxiv.is_some()) {
        store::write(root, &todo.record)?;
    }
    Ok(())
}

/// A warning naming the paper (where it is listed, and its id) whose answer from `service`
/// was cut or had a field dropped.
fn bounded_warning(todo: &Todo, service: &str, what: &str) -> Diagnostic {
    Diagnostic::warning(&todo.source.file, format!("{service}'s answer for {}: {what}", todo.id))
        .at_line(todo.source.line)
        .with_hint("the rest of the record is kept; a field the site should show can be written in the content file")
}

fn missing_warning(todo: &Todo, why: &str) -> Diagnostic {
    Diagnostic::warning(&todo.source.file, format!("arXiv has no paper {}: {why}", todo.id))
        .at_line(todo.source.line)
        .with_hint("check the arXiv id; the paper is built without arXiv's metadata (`enrich --force` asks again)")
}

/// The arXiv part of each of `ids`: the paper, or why arXiv has none. arXiv answers a batch
/// holding a malformed id with one Error entry for the whole batch, naming that id: it is
/// set aside and the rest asked again. An id arXiv does not know is simply absent.
/// What arXiv's answers had cut or dropped ([`limits`]) is added to `cut` (id, what).
fn fetch_arxiv(
    client: &mut Client,
    ids: &[String],
    cut: &mut Vec<(String, String)>,
) -> Result<HashMap<String, ArxivPart>, Outage> {
    let mut out: HashMap<String, ArxivPart> = HashMap::default();
    let mut pending: Vec<String> = ids.to_vec();
    while !pending.is_empty() {
        let url = arxiv::query_url(&client.arxiv_base, &pending);
        let body = client.arxiv(&url)?;
        let feed = arxiv::parse(&body).map_err(|e| Outage {
            host: client::host(&url),
            what: format!("it answered what papershelf cannot read: {e}"),
        })?;
        cut.extend(feed.warnings.into_iter().filter(|(id, _)| pending.contains(id)));
        for (id, part) in feed.papers {
            if pending.contains(&id) {
                out.insert(id, part);
            }
        }
        let mut named = false;
        for message in &feed.errors {
            let id = arxiv::id_in_error(message, &pending).or((pending.len() == 1).then(|| &pending[0]));
            if let Some(id) = id {
                out.insert(id.clone(), missing(format!("arXiv answered \"{message}\"")));
                named = true;
            }
        }
        pending.retain(|id| !out.contains_key(id));
        if !named && !feed.errors.is_empty() {
            // An error naming none of the ids: ask for each alone, to learn which it was.
            for id in std::mem::take(&mut pending) {
                out.extend(fetch_arxiv(client, std::slice::from_ref(&id), cut)?);
            }
        } else if !named {
            for id in pending.drain(..) {
                out.insert(id, missing("arXiv lists no paper with this id".into()));
            }
        }
    }
    Ok(out)
}

fn missing(why: String) -> ArxivPart {
    ArxivPart { missing: Some(why), ..ArxivPart::default() }
}

/// The Hugging Face part of paper `id`; a 404 is a paper it does not list.
fn fetch_hf(client: &mut Client, id: &str) -> Result<HfPart, Outage> {
    let url = hf::paper_url(&client.hf_base, id);
    match client.hf(&url)? {
        None => Ok(HfPart { listed: false, ..HfPart::default() }),
        Some(body) => {
            hf::parse_paper(&body).map(|p| p.part()).map_err(|what| Outage { host: client::host(&url), what })
        }
    }
}

/// A progress bar on a terminal (counts, elapsed time and the rate limit's wait); nothing in
/// CI or when stderr is not a terminal.
fn progress(total: usize) -> ProgressBar {
    if std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("{spinner} fetching metadata {pos}/{len} [{bar:30}] {elapsed} {msg}")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Papers by arXiv id (without version), each with its first listing.
type Listed = Vec<(String, Source)>;

/// The papers of the site with an arXiv id (without version, first listing each), in the
/// order of their days, kept to those `only` names; with the warnings of reading content.
fn papers(root: &Path, only: &[String]) -> Result<(Listed, Vec<Diagnostic>), Error> {
    let (content, diagnostics) = crate::content::load(root);
    let warnings = fail_on_errors(diagnostics)?;
    let mut entries: Vec<_> = content.entries.iter().filter(|e| e.arxiv.is_some()).collect();
    entries.sort_by_key(|e| (e.date, e.weight.unwrap_or(i64::MAX), &e.source));
    let mut dates = HashSet::default();
    let mut ids = HashSet::default();
    for arg in only {
        let arg = arg.trim();
        if let Ok(date) = NaiveDate::parse_from_str(arg, "%Y-%m-%d") {
            dates.insert(date);
        } else if crate::arxiv::is_id(arg) {
            ids.insert(crate::arxiv::base_id(arg).to_string());
        } else {
            return Err(Error::Usage(format!(
                "--only {arg:?}: give a day (YYYY-MM-DD) or an arXiv id such as 2410.16256"
            )));
        }
    }
    let wanted = |date: &NaiveDate, id: &str| only.is_empty() || dates.contains(date) || ids.contains(id);
    let mut seen = HashSet::default();
    let mut out = Vec::new();
    for e in entries {
        let id = crate::arxiv::base_id(e.arxiv.as_deref().unwrap_or_default()).to_string();
        if wanted(&e.date, &id) && seen.insert(id.clone()) {
            out.push((id, e.source.clone()));
        }
    }
    let listed_days: HashSet<NaiveDate> =
        content.entries.iter().filter(|e| e.arxiv.is_some()).map(|e| e.date).collect();
    if let Some(d) = dates.iter().find(|d| !listed_days.contains(d)) {
        return Err(Error::Usage(format!("--only {d}: no paper with an arXiv id is listed on that day")));
    }
    if let Some(id) = ids.iter().find(|id| !out.iter().any(|(o, _)| o == *id)) {
        return Err(Error::Usage(format!("--only {id}: no paper in content/ has that arXiv id")));
    }
    Ok((out, warnings))
}
