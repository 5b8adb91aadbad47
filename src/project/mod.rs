//! A site kept in memory between builds, for `serve`: the config and every content file as
//! last read, so a change re-reads only the files that changed, and re-renders only the pages
//! that show them. `build` uses the same type for its one full build.

mod files;
mod in_place;
mod patch;
mod pending;
mod plan;
mod update;
pub use pending::{RelatedDone, RelatedJob, RelatedState};

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;

use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::model::{self, Site};
use crate::render::templates::Templates;
use crate::render::{Page, Renderer, TeaserCache, templates};
use crate::timing::Timings;

/// A content file as last read: its stamp (to see whether it changed) and what it held.
#[derive(Debug, Clone)]
struct Loaded {
    stamp: (Option<SystemTime>, u64),
    content: Content,
    diagnostics: Vec<Diagnostic>,
}

/// A content file's path as a map key. Ordered as `Path` orders the clean paths a walk
/// yields (component by component), by comparing bytes with `/` below every other byte:
/// `Path`'s own comparison parses components on every call, which made filling the maps of a
/// 10,000-file site cost ~0.1 s.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileKey(PathBuf);

impl Ord for FileKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::os::unix::ffi::OsStrExt;
        let (a, b) = (self.0.as_os_str().as_bytes(), other.0.as_os_str().as_bytes());
        let rank = |c: u8| if c == b'/' { 0 } else { c };
        match a.iter().zip(b).find(|(x, y)| x != y) {
            Some((&x, &y)) => rank(x).cmp(&rank(y)),
            None => a.len().cmp(&b.len()),
        }
    }
}

impl PartialOrd for FileKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn key(path: &Path) -> FileKey {
    FileKey(path.to_path_buf())
}

/// The site as last read and built.
pub struct Project {
    pub root: PathBuf,
    pub options: Options,
    pub config: Config,
    files: BTreeMap<FileKey, Loaded>,
    walk_diagnostics: Vec<Diagnostic>,
    /// The model behind the output as last written, for incremental updates.
    built: Option<Site>,
    /// The templates, loaded once and again after a template or config change.
    tera: Option<Templates>,
    teasers: TeaserCache,
    /// What the site-wide index pages showed when last written (see `plan::fingerprints`).
    fingerprints: HashMap<Page, u64>,
    /// The records `papershelf enrich` stored under `data/`, as read so far.
    stored: crate::enrich::store::Cache,
    /// The related papers behind the output (of `built`), for updates to compare with.
    related: crate::render::related::Related,
    /// Whether `related` is behind `built` (`serve`; see [`RelatedState`]).
    related_state: RelatedState,
    /// The generation of [`Project::related_state`], shared with the jobs handed out.
    newest: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The search index behind the output, for text edits.
    search: Option<crate::render::search::SearchIndex>,
    /// What each file changed since the last build held at that build (none: it was not there).
    replaced: BTreeMap<FileKey, Option<Loaded>>,
    /// Whether the last model made had no diagnostic at all (see [`Project::title_patch`]).
    last_clean: bool,
    /// The static files of the last full build, by their path in the output (a change to
    /// one takes a full build; updates only need to know which embedded files they replace).
    statics: BTreeMap<String, PathBuf>,
}

/// What one build or update wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files whose bytes changed (written or removed).
    pub changed: usize,
    /// Files rendered, changed or not.
    pub rendered: usize,
    /// Of those, HTML pages.
    pub pages: usize,
    pub papers: usize,
    pub days: usize,
    pub warnings: Vec<Diagnostic>,
    /// Internal links that resolve to nothing (checked on full builds).
    pub broken_links: Vec<crate::linkcheck::Broken>,
    /// Every file a full build wrote, with their bytes.
    pub size: Option<crate::output::SiteSize>,
    /// External links with the pages using them (collected on full builds).
    pub external_links: std::collections::BTreeMap<String, Vec<String>>,
}

/// What to build, beyond the site's own config.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub mode: Mode,
}

/// What the project is run for: the one switch for what differs between the commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// `papershelf build` (and tests): full builds, and updates that compute the related
    /// papers on their path. [`Project::build_once`] is the one-off build.
    #[default]
    Build,
    /// `papershelf check --links`: one build into a temporary folder; with `external`, the
    /// external links are listed for checking.
    Check { external: bool },
    /// `papershelf serve`: rendered teasers kept between builds, and a text edit's related
    /// papers computed off the edit's path ([`RelatedState`]).
    Serve,
}

/// Reads site.toml and applies the command line's overrides.
pub fn load_config(root: &Path, options: &Options) -> Result<Config, Error> {
    let mut config = Config::load(root).map_err(Error::Problems)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(Error::Usage)?;
    }
    Ok(config)
}

impl Project {
    /// Reads the config and every content file.
    pub fn open(root: &Path, options: Options) -> Result<Project, Error> {
        let config = load_config(root, &options)?;
        Ok(Project::with_config(root, options, config))
    }

    /// Like [`Project::open`], but problems of site.toml are returned beside the project (read
    /// with a stand-in config) instead of ending it: `check` reports them with the content's.
    pub fn open_checking(root: &Path, options: Options) -> Result<(Project, Vec<Diagnostic>), Error> {
        match load_config(root, &options) {
            Ok(config) => Ok((Project::with_config(root, options, config), Vec::new())),
            Err(Error::Problems(d)) => Ok((Project::with_config(root, options, Config::stand_in()), d)),
            Err(e) => Err(e),
        }
    }

    fn with_config(root: &Path, options: Options, config: Config) -> Project {
        let mut teasers = TeaserCache::default();
        teasers.keep = !matches!(options.mode, Mode::Check { .. });
        let mut project = Project {
            root: root.to_path_buf(),
            options,
            config,
            files: BTreeMap::new(),
            walk_diagnostics: Vec::new(),
            built: None,
            tera: None,
            teasers,
            fingerprints: HashMap::default(),
            replaced: BTreeMap::new(),
            last_clean: false,
            statics: BTreeMap::new(),
            search: None,
            stored: Default::default(),
            related: Default::default(),
            related_state: RelatedState::default(),
            newest: Default::default(),
        };
        project.scan();
        project
    }

    /// Re-reads site.toml; the next build must be a full one.
    pub fn reload_config(&mut self) -> Result<(), Error> {
        self.config = load_config(&self.root, &self.options)?;
        self.invalidate();
        Ok(())
    }

    /// Forgets the last output, so the next build is a full one (after a template, static or
    /// `data/` change).
    pub fn invalidate(&mut self) {
        self.built = None;
        self.tera = None;
        self.teasers.clear_rendered();
    }

    /// Forgets the records read from `data/`, so the next build reads them again (after a
    /// change under `data/`; a template or static edit keeps them).
    pub fn forget_records(&mut self) {
        self.stored.clear();
    }

    /// Whether the output folder holds the last build as a whole: false before the first
    /// build, after [`Project::invalidate`], and after an update that failed while writing
    /// in place (some pages new, some old); the next update then builds everything.
    pub fn output_is_current(&self) -> bool {
        self.built.is_some()
    }

    /// The templates, loaded on first use.
    fn templates(&mut self) -> Result<&Templates, Vec<Diagnostic>> {
        if self.tera.is_none() {
            self.tera = Some(templates::load(&self.root, &self.config)?);
        }
        Ok(self.tera.as_ref().expect("just loaded"))
    }

    /// Re-reads the content files that are new or changed since the last scan and forgets the
    /// removed ones; returns the paths of all of them.
    pub fn scan(&mut self) -> Vec<PathBuf> {
        let mut timings = Timings::start();
        let (paths, diagnostics) = content::list(&self.root);
        timings.step("list");
        self.walk_diagnostics = diagnostics;
        let present: HashSet<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let mut changed: Vec<PathBuf> =
            self.files.keys().filter(|k| !present.contains(k.0.as_path())).map(|k| k.0.clone()).collect();
        let files = &self.files;
        let reloaded: Vec<(PathBuf, Loaded)> = paths
            .into_par_iter()
            .filter_map(|path| {
                let stamp = stamp(&path);
                if files.get(&key(&path)).map(|l| l.stamp) == Some(stamp) {
                    return None;
                }
                let (content, diagnostics) = content::load_file(&self.root, &path);
                Some((path, Loaded { stamp, content, diagnostics }))
            })
            .collect();
        timings.step("read");
        for p in &changed {
            self.replace(p, None);
        }
        for (path, loaded) in reloaded {
            self.replace(&path, Some(loaded));
            changed.push(path);
        }
        changed
    }

    /// Sets what a file holds (none: it is gone), remembering what it held at the last build.
    fn replace(&mut self, path: &Path, loaded: Option<Loaded>) {
        let old = match loaded {
            Some(l) => self.files.insert(key(path), l),
            None => self.files.remove(&key(path)),
        };
        self.replaced.entry(key(path)).or_insert(old);
    }

    /// Like [`Project::scan`], but looks only at `paths` (as reported by a file watcher): the
    /// content files among them. Other paths are left out (an editor's temporary or backup
    /// file, already gone or never read), unless they are folders, new or removed, whose
    /// files were not reported one by one: then everything is scanned.
    pub fn scan_paths(&mut self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let content_dir = self.root.join("content");
        let mut files: Vec<&PathBuf> = Vec::new();
        for p in paths {
            let Ok(rel) = p.strip_prefix(&content_dir) else { continue };
            let content_name = content::is_content_file(rel);
            let known = self.files.contains_key(&key(p));
            if p.is_dir() {
                return self.scan();
            }
            if content_name && (known || p.is_file()) {
                files.push(p);
            } else if !p.exists()
                && !known
                && self.files.range(key(p)..).next().is_some_and(|(k, _)| k.0.starts_with(p))
            {
                // A removed folder: the files that were below it.
                return self.scan();
            }
        }
        let paths = files;
        let mut changed = Vec::new();
        for path in paths {
            let stamp = stamp(path);
            if !path.is_file() {
                if self.files.contains_key(&key(path)) {
                    self.replace(path, None);
                    changed.push(path.clone());
                }
            } else if self.files.get(&key(path)).map(|l| l.stamp) != Some(stamp) {
                let (content, diagnostics) = content::load_file(&self.root, path);
                self.replace(path, Some(Loaded { stamp, content, diagnostics }));
                changed.push(path.clone());
            }
        }
        changed
    }

    /// The model of everything read, with every diagnostic of reading and assembling it.
    pub fn assemble(&self) -> (Site, Vec<Diagnostic>) {
        let mut content = Content::default();
        let mut diagnostics = self.walk_diagnostics.clone();
        for loaded in self.files.values() {
            content.extend(loaded.content.clone());
            diagnostics.extend(loaded.diagnostics.iter().cloned());
        }
        self.model_of(content, diagnostics)
    }

    /// [`Project::assemble`] for a one-off build ([`Project::build_once`]): the files'
    /// contents move into the model instead of being copied.
    fn assemble_once(&mut self) -> (Site, Vec<Diagnostic>) {
        let mut content = Content::default();
        let mut diagnostics = std::mem::take(&mut self.walk_diagnostics);
        for loaded in self.files.values_mut() {
            content.extend(std::mem::take(&mut loaded.content));
            diagnostics.append(&mut loaded.diagnostics);
        }
        self.files.clear();
        self.model_of(content, diagnostics)
    }

    fn model_of(&self, mut content: Content, mut diagnostics: Vec<Diagnostic>) -> (Site, Vec<Diagnostic>) {
        content::jsonl::merge(&mut content, &mut diagnostics, &self.config.language);
        diagnostics.extend(crate::metadata::apply_stored(&self.root, &mut content, &self.stored));
        let (mut site, d) = model::assemble_as(content, self.options.drafts, self.config.paper_urls);
        site.author_page_min = self.config.author_page_min;
        diagnostics.extend(d);
        (site, diagnostics)
    }

    /// Builds everything into `target`, through a staging folder swapped in at the end.
    pub fn build_full(&mut self, target: &Path) -> Result<Written, Error> {
        self.build_from(target, false)
    }

    /// One build, and the project dropped (`papershelf build`, `check --links`): the files'
    /// contents move into the model instead of being copied, and freeing it all (~20 ms at
    /// 10,000 papers) is left to a pool thread.
    pub fn build_once(mut self, target: &Path) -> Result<Written, Error> {
        self.teasers.keep = false;
        let written = self.build_from(target, true);
        rayon::spawn(move || drop(self));
        written
    }

    fn build_from(&mut self, target: &Path, once: bool) -> Result<Written, Error> {
        let mut timings = Timings::start();
        let (site, mut diagnostics) = if once { self.assemble_once() } else { self.assemble() };
        self.last_clean = diagnostics.is_empty();
        timings.step("assemble");
        if let Err(d) = self.templates() {
            diagnostics.extend(d);
        }
        let mut warnings = fail_on_errors(diagnostics)?;
        let tera = self.tera.as_ref().expect("no errors means the templates loaded");
        let related = crate::render::related::Related::compute(&site);
        timings.step("related papers");
        let renderer = Renderer::new(&self.config, &site, tera, &self.teasers).with_related(&related);
        timings.step("renderer");
        self.teasers.retain(&site);
        let output = crate::output::Output::begin(target, &self.root)?;
        let pages = renderer.pages();
        // Every file the output will hold is known before a page is rendered, so each page's
        // links are checked as it is written, and nothing of it kept.
        let (statics, static_warnings) = files::static_files(&self.root, &self.config)?;
        warnings.extend(static_warnings);
        let extra = files::extra_files(&self.config, &renderer, &statics);
        timings.step("extra");
        let files: HashSet<String> = pages
            .iter()
            .map(|&p| renderer.file(p))
            .chain(pages.iter().flat_map(|&p| crate::render::urls::beside_paths(&site, p)))
            .chain(extra.iter().map(|(rel, _)| rel.clone()))
            .chain(statics.keys().cloned())
            .collect();
        fail_on_errors(collisions(&files))?;
        let checker = crate::linkcheck::Checker::new(
            files,
            &self.config.base_url,
            self.options.mode == Mode::Check { external: true },
        );
        let write = |rel: &str, bytes: &[u8]| output.write(rel, bytes);
        let (search, index_time) = pages_and_index(&renderer, &pages, &checker, &site, once, write)?;
        timings.note("search index", index_time);
        timings.step("pages");
        for (rel, bytes) in &extra {
            output.write(rel, bytes)?;
        }
        statics.par_iter().try_for_each(|(rel, source)| output.copy(rel, source))?;
        let (broken_links, external_links) = checker.finish(|rel| output.read(rel));
        timings.step("write extra, links");
        let size = output.size();
        output.commit()?;
        timings.step("commit");
        let written = Written {
            changed: size.files,
            rendered: size.files,
            size: Some(size),
            pages: pages.len(),
            papers: site.papers.len(),
            days: site.days.len(),
            warnings,
            broken_links,
            external_links,
        };
        self.fingerprints = plan::fingerprints(&site);
        renderer.finish();
        self.statics = statics;
        self.search = search;
        self.related = related;
        self.model_written(false);
        self.built = Some(site);
        self.replaced.clear();
        Ok(written)
    }
}

fn stamp(path: &Path) -> (Option<SystemTime>, u64) {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    }
}

/// Output paths that name one file on a case-insensitive or normalising file system (macOS,
/// Windows: `Foo.png` and `foo.png`, or an `é` composed and decomposed): an error each.
fn collisions(files: &HashSet<String>) -> Vec<Diagnostic> {
    let mut sorted: Vec<&str> = files.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    crate::safe::collisions(sorted)
        .into_iter()
        .map(|(a, b)| {
            Diagnostic::error(b, format!("the output files {a:?} and {b:?} are one file on macOS and Windows"))
                .with_hint("rename one of them (in static/, or the slug it comes from)")
        })
        .collect()
}

/// Renders `pages` and writes the search index of `site`. A one-off build (`once`) writes the
/// index first and frees it before the pages render (alongside them, its postings were ~250 MB
/// on top of the pages' peak at 100,000 papers); `serve` keeps it for its updates and makes it
/// while the pages render. Returns the index when kept, and the time it took.
fn pages_and_index(
    renderer: &Renderer<'_>,
    pages: &[Page],
    checker: &crate::linkcheck::Checker,
    site: &Site,
    once: bool,
    write: impl Fn(&str, &[u8]) -> Result<(), Error> + Sync + Copy,
) -> Result<(Option<crate::render::search::SearchIndex>, std::time::Duration), Error> {
    let index = || {
        let started = std::time::Instant::now();
        let search = crate::render::search::SearchIndex::build(site);
        search.write_files(site, write)?;
        Ok::<_, Error>((search, started.elapsed()))
    };
    if once {
        let (_, index_time) = index()?;
        files::render_pages(renderer, pages, Some(checker), write)?;
        return Ok((None, index_time));
    }
    let (rendered, indexed) = rayon::join(|| files::render_pages(renderer, pages, Some(checker), write), index);
    rendered?;
    let (search, index_time) = indexed?;
    Ok((Some(search), index_time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_keys_sort_as_paths_do() {
        let names = [
            "/s/content/2024-10-22.md",
            "/s/content/2024-10-22/a.md",
            "/s/content/2024-10-22/b-c.md",
            "/s/content/2024-10-22/b.md",
            "/s/content/2024-10-22-x/a.md",
            "/s/content/2024-10-2/z.md",
            "/s/content/a b/é.md",
            "/s/content/a/b/c.md",
            "/s/content/a.toml",
            "/s/content/a",
        ];
        let mut by_path: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut by_key: Vec<FileKey> = names.iter().map(|n| key(Path::new(n))).collect();
        by_path.sort();
        by_key.sort();
        assert_eq!(by_path, by_key.into_iter().map(|k| k.0).collect::<Vec<_>>());
    }
}
