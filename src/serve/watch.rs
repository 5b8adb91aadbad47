//! The rebuild side of `serve`: watches the site's files with notify (debounced), decides how
//! much to rebuild from what changed (content: incremental; templates, themes, static files,
//! fetched metadata in `data/` or site.toml: everything), and tells the browsers once the new files are in place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{Notice, Shared};
use crate::error::Error;
use crate::project::Options;
use crate::project::{Project, RelatedDone, Written};

/// What the rebuild thread waits for: changed paths from the watcher, or related papers
/// computed off the edit's path (see [`Project::related_job`]).
enum Message {
    Paths(Vec<PathBuf>),
    Related(RelatedDone),
}

/// How long the watcher waits for more events after one arrives: an editor's save is often
/// several events (write, rename, chmod) within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// What kind of change a batch of events is.
#[derive(Debug, Default, PartialEq, Eq)]
struct Change {
    config: bool,
    layout: bool,
    /// Something under `data/` changed (a `layout` change whose records must be read again).
    data: bool,
    content: BTreeSet<PathBuf>,
}

/// The folders whose changes are watched, below the site root.
const WATCHED: [&str; 5] = ["content", "templates", "themes", "static", "data"];

/// Builds the site once, then watches and rebuilds on a thread of its own, for as long as
/// the process runs.
pub fn start(root: &Path, options: Options, origin: &str, shared: Arc<Shared>) -> Result<(), Error> {
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let (tx, rx) = std::sync::mpsc::channel::<Message>();
    let jobs = tx.clone();
    // Reads (our own builds read every file) are not changes: only creations, writes,
    // renames and removals are passed on.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| match event {
        Ok(e) if !matches!(e.kind, EventKind::Access(_)) => {
            let _ = tx.send(Message::Paths(e.paths));
        }
        Ok(_) => {}
        Err(e) => crate::errln!("watch error: {e}"),
    })
    .map_err(|e| Error::Serve(format!("cannot watch files: {e}")))?;
    // The root itself only for site.toml and for watched folders created later.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Serve(format!("cannot watch {}: {e}", root.display())))?;
    let mut rebuilder = Rebuilder {
        root,
        options,
        origin: origin.to_string(),
        shared,
        project: None,
        watcher,
        watching: Vec::new(),
        mixed: false,
        jobs,
        related_pool: rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "related papers".into())
            .build()
            .map_err(|e| Error::Serve(format!("cannot start a thread: {e}")))?,
    };
    rebuilder.watch_folders();
    rebuilder.full("initial build");
    std::thread::spawn(move || rebuilder.run(rx));
    Ok(())
}

struct Rebuilder {
    root: PathBuf,
    options: Options,
    origin: String,
    shared: Arc<Shared>,
    project: Option<Project>,
    watcher: RecommendedWatcher,
    /// The watched folders that exist and are watched recursively.
    watching: Vec<PathBuf>,
    /// An update failed part-way and so did the whole build after it: the preview may hold
    /// some pages new, some old, until a rebuild succeeds.
    mixed: bool,
    /// Where the thread computing related papers sends them.
    jobs: Sender<Message>,
    /// One thread for related papers, so that the next edit keeps the other cores.
    related_pool: rayon::ThreadPool,
}

impl Rebuilder {
    /// Watches each of the site's folders that exists and is not watched yet.
    fn watch_folders(&mut self) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watching.contains(&path) {
                match self.watcher.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => self.watching.push(path),
                    Err(e) => crate::errln!("cannot watch {}: {e}", path.display()),
                }
            }
        }
        // A removed folder is forgotten, so it is watched again if it comes back.
        self.watching.retain(|p| p.is_dir());
    }

    fn run(mut self, events: Receiver<Message>) {
        let mut done = None;
        while let Ok(message) = events.recv() {
            let mut paths = match message {
                Message::Paths(paths) => paths,
                Message::Related(related) => {
                    self.settle(related);
                    continue;
                }
            };
            // Gather the rest of the burst, so one save (or many at once) is one rebuild.
            while let Ok(more) = events.recv_timeout(DEBOUNCE) {
                match more {
                    Message::Paths(more) => paths.extend(more),
                    Message::Related(related) => done = Some(related),
                }
            }
            if let Some(related) = done.take() {
                self.settle(related);
            }
            self.watch_folders();
            let change = self.classify(&paths);
            if change == Change::default() {
                continue;
            }
            let what = describe(&self.root, &paths);
            if change.config || change.layout || self.project.is_none() {
                if change.config {
                    self.project = None;
                } else if let Some(p) = self.project.as_mut() {
                    p.invalidate();
                    if change.data {
                        p.forget_records();
                    }
                }
                self.full(&what);
            } else {
                self.incremental(&what, &paths);
            }
        }
    }

    fn classify(&self, paths: &[PathBuf]) -> Change {
        let mut change = Change::default();
        for path in paths {
            let Ok(rel) = path.strip_prefix(&self.root) else { continue };
            let first =
                rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
            let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                continue;
            }
            match first.as_str() {
                "site.toml" => change.config = true,
                // `data/` (what `papershelf enrich` fetched) can touch any paper: rebuild all.
                "templates" | "themes" | "static" => change.layout = true,
                "data" => (change.layout, change.data) = (true, true),
                "content" => {
                    change.content.insert(path.clone());
                }
                _ => {}
            }
        }
        change
    }

    /// Reads everything again and builds the whole site.
    fn full(&mut self, what: &str) {
        let start = Instant::now();
        let result = self.build_all();
        self.finish(what, start, result);
    }

    /// Reads everything and builds the whole site into a staging folder swapped in whole; a
    /// panic (a bug) is reported as an error, and the project is opened afresh next time.
    fn build_all(&mut self) -> Result<Written, Error> {
        let output = self.shared.output.clone();
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.open().and_then(|p| {
                p.scan();
                p.build_full(&output)
            })
        }));
        built.unwrap_or_else(|_| {
            self.project = None;
            Err(bug())
        })
    }

    /// Re-reads the changed content files and rewrites the pages they touch.
    fn incremental(&mut self, what: &str, paths: &[PathBuf]) {
        let start = Instant::now();
        let output = self.shared.output.clone();
        let in_place = self.project.as_ref().is_some_and(Project::output_is_current);
        // A bug must not end the preview: a rebuild that panics is reported, and the whole
        // site is built again.
        let updated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.open().and_then(|p| {
                let changed = p.scan_paths(paths);
                // Events that change no content file (an image, an editor's lock file, a
                // chmod): the output is already right, and the browsers need no reload.
                if changed.is_empty() && p.output_is_current() {
                    return Ok(None);
                }
                p.update(&output, &changed).map(Some)
            })
        }));
        let current = self.project.as_ref().is_some_and(Project::output_is_current);
        let result = match updated {
            Ok(Ok(None)) => return,
            // Failed before writing (a bad save), or a whole build that failed (atomic):
            // the output is what it was.
            Ok(Err(e)) if current || !in_place => Err(e),
            Ok(Err(e)) => self.rebuild_whole(what, &e),
            Ok(Ok(Some(written))) => Ok(written),
            Err(_) => {
                self.project = None;
                self.rebuild_whole(what, &bug())
            }
        };
        self.finish(what, start, result);
        self.start_related_job();
    }

    /// When a good save left the related papers behind, computes them on a thread of their
    /// own; [`Rebuilder::settle`] writes the pages they change. A bad save starts none: the
    /// job of the last good one is still current.
    fn start_related_job(&mut self) {
        if let Some(job) = self.project.as_mut().and_then(Project::related_job) {
            let jobs = self.jobs.clone();
            // Inside the one-thread pool, the computation's parallel steps run on that thread.
            self.related_pool.spawn(move || {
                if !job.overtaken() {
                    let _ = jobs.send(Message::Related(job.run()));
                }
            });
        }
    }

    /// Writes the paper pages whose related papers changed, and has the browsers showing one
    /// of them reload.
    fn settle(&mut self, done: RelatedDone) {
        let start = Instant::now();
        let output = self.shared.output.clone();
        let Some(project) = self.project.as_mut() else { return };
        match project.settle_related(&output, done) {
            Ok(Some((written, urls))) if written.changed > 0 => {
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                crate::outln!("related papers: {} of {} pages rewritten in {ms:.0} ms", written.changed, written.pages);
                let _ = self.shared.notices.send(Notice::Changed(urls.join(" ")));
            }
            Ok(_) => {}
            Err(e) => self.finish("related papers", start, Err(e)),
        }
    }

    /// After an in-place update failed part-way (some pages written, some not), builds
    /// everything into a staging folder swapped in whole, so the preview is one site again.
    /// When that fails too, the preview is marked as possibly mixed.
    fn rebuild_whole(&mut self, what: &str, failed: &Error) -> Result<Written, Error> {
        crate::err_text!("{}", error_text(failed));
        crate::errln!("{what}: the update failed part-way; building the whole site again");
        let result = self.build_all();
        self.mixed |= result.is_err();
        result
    }

    /// The project, opened again after site.toml changed (with the served URL as base_url).
    fn open(&mut self) -> Result<&mut Project, Error> {
        if self.project.is_none() {
            let base_path = crate::config::Config::load(&self.root).map_err(Error::Problems)?.base_path();
            *self.shared.base_path.lock().unwrap_or_else(PoisonError::into_inner) = base_path.clone();
            let options = Options { base_url: Some(format!("{}{base_path}", self.origin)), ..self.options.clone() };
            self.project = Some(Project::open(&self.root, options)?);
        }
        Ok(self.project.as_mut().expect("just opened"))
    }

    /// Logs the outcome of a rebuild, truthfully about what is served, and tells the browsers.
    fn finish(&mut self, what: &str, start: Instant, result: Result<Written, Error>) {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(written) => {
                for w in &written.warnings {
                    crate::err_text!("{w}");
                }
                crate::outln!(
                    "{what}: {} of {} files rewritten ({} papers, {} days) in {ms:.0} ms",
                    written.changed,
                    written.rendered,
                    written.papers,
                    written.days
                );
                self.mixed = false;
                *self.shared.problem.lock().unwrap_or_else(PoisonError::into_inner) = None;
                let _ = self.shared.notices.send(Notice::Reload);
            }
            Err(e) => {
                let mut text = error_text(&e);
                crate::err_text!("{text}");
                if self.mixed {
                    let note = "the preview may be inconsistent (some pages new, some old) until a save rebuilds it";
                    crate::errln!("{what}: not rebuilt; {note}");
                    text.push_str(note);
                    text.push('\n');
                } else {
                    crate::errln!("{what}: not rebuilt; the last good site is still served");
                }
                *self.shared.problem.lock().unwrap_or_else(PoisonError::into_inner) = Some(text.clone());
                let _ = self.shared.notices.send(Notice::Problem(text));
            }
        }
    }
}

/// What a rebuild that panicked is reported as.
fn bug() -> Error {
    Error::Serve("papershelf failed while rebuilding (a bug: please report it)".into())
}

/// The whole error as the terminal shows it.
fn error_text(error: &Error) -> String {
    match error {
        Error::Problems(list) => {
            let mut text: String = list.iter().map(ToString::to_string).collect();
            text.push_str(&format!("error: {error}\n"));
            text
        }
        other => format!("error: {other}\n"),
    }
}

/// A short description of what changed, for the log line.
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    let mut names: Vec<String> =
        paths.iter().map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()).collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "change".into(),
        1 => format!("{} changed", names[0]),
        n => format!("{} and {} more changed", names[0], n - 1),
    }
}
