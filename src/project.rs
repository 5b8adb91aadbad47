//! A site kept in memory between builds, for `serve`: the config and every content file as
//! last read, so a change re-reads only the files that changed, and re-renders only the pages
//! that show them. `build` uses the same type for its one full build.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::build::{self, Options};
use crate::config::Config;
use std::sync::Arc;

use crate::content::summary::Summary;
use crate::content::{self, Content, Entry, Source};
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
    /// What the site-wide index pages showed when last written (see [`index_fingerprint`]).
    fingerprints: HashMap<Page, u64>,
    /// The search index behind the output, for text edits.
    search: Option<crate::render::search::SearchIndex>,
    /// Whether full builds list the external links (for `check --links --external`).
    pub collect_external: bool,
    /// What each file changed since the last build held at that build (none: it was not there).
    replaced: BTreeMap<FileKey, Option<Loaded>>,
    /// Whether the last model made had no diagnostic at all (see [`Project::title_patch`]).
    last_clean: bool,
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
    /// External links with the pages using them (collected on full builds).
    pub external_links: std::collections::BTreeMap<String, Vec<String>>,
}

impl Project {
    /// Reads the config and every content file.
    pub fn open(root: &Path, options: Options) -> Result<Project, Error> {
        let config = build::load_config(root, &options)?;
        let mut project = Project {
            root: root.to_path_buf(),
            options,
            config,
            files: BTreeMap::new(),
            walk_diagnostics: Vec::new(),
            built: None,
            tera: None,
            teasers: TeaserCache::default(),
            fingerprints: HashMap::default(),
            replaced: BTreeMap::new(),
            last_clean: false,
            collect_external: false,
            search: None,
        };
        project.scan();
        Ok(project)
    }

    /// Re-reads site.toml; the next build must be a full one.
    pub fn reload_config(&mut self) -> Result<(), Error> {
        self.config = build::load_config(&self.root, &self.options)?;
        self.invalidate();
        Ok(())
    }

    /// Forgets the last output, so the next build is a full one (after a template change).
    pub fn invalidate(&mut self) {
        self.built = None;
        self.tera = None;
        self.teasers.clear_rendered();
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
            let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let content_name = p.extension().is_some_and(|x| x == "md" || x == "toml") && !hidden;
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
        diagnostics.extend(crate::metadata::apply_stored(&self.root, &mut content));
        let (site, d) = model::assemble(content, self.options.drafts);
        diagnostics.extend(d);
        (site, diagnostics)
    }

    /// Builds everything into `target`, through a staging folder swapped in at the end.
    pub fn build_full(&mut self, target: &Path) -> Result<Written, Error> {
        let mut timings = Timings::start();
        let (site, mut diagnostics) = self.assemble();
        self.last_clean = diagnostics.is_empty();
        timings.step("assemble");
        if let Err(d) = self.templates() {
            diagnostics.extend(d);
        }
        let warnings = fail_on_errors(diagnostics)?;
        let tera = self.tera.as_ref().expect("no errors means the templates loaded");
        let renderer = Renderer::new(&self.config, &site, tera, &self.teasers);
        timings.step("renderer");
        self.teasers.retain(&site);
        let output = crate::output::Output::begin(target, &self.root)?;
        let pages = renderer.pages();
        // Every file the output will hold is known before a page is rendered, so each page's
        // links are checked as it is written, and nothing of it kept.
        let statics = build::static_files(&self.root, &self.config)?;
        let extra = build::extra_files(&self.config, &renderer, &statics);
        timings.step("extra");
        let files: HashSet<String> = pages
            .iter()
            .map(|&p| renderer.file(p))
            .chain(extra.iter().map(|(rel, _)| rel.clone()))
            .chain(statics.keys().cloned())
            .collect();
        fail_on_errors(collisions(&files))?;
        let checker = crate::linkcheck::Checker::new(files, &self.config.base_url, self.collect_external);
        // The search index (which no page links to) is built and written while the pages render.
        let (rendered, indexed) = rayon::join(
            || build::render_pages(&renderer, &pages, Some(&checker), |rel, bytes| output.write(rel, bytes)),
            || {
                let started = std::time::Instant::now();
                let search = crate::render::search::SearchIndex::build(&site);
                let files = search.files(&site);
                files.par_iter().try_for_each(|(rel, bytes)| output.write(rel, bytes))?;
                Ok::<_, Error>((search, files.len(), started.elapsed()))
            },
        );
        rendered?;
        let (search, index_files, index_time) = indexed?;
        timings.note("search index (alongside the pages)", index_time);
        timings.step("pages and index");
        for (rel, bytes) in &extra {
            output.write(rel, bytes)?;
        }
        statics.par_iter().try_for_each(|(rel, source)| output.copy(rel, source))?;
        let extra = extra.len() + statics.len() + index_files;
        let (broken_links, external_links) = checker.finish(|rel| output.read(rel));
        timings.step("write extra, links");
        output.commit()?;
        timings.step("commit");
        let written = Written {
            changed: pages.len() + extra,
            rendered: pages.len() + extra,
            pages: pages.len(),
            papers: site.papers.len(),
            days: site.days.len(),
            warnings,
            broken_links,
            external_links,
        };
        self.fingerprints = [Page::Authors, Page::Tags, Page::Archive, Page::Search]
            .into_iter()
            .map(|p| (p, index_fingerprint(&site, p)))
            .collect();
        renderer.finish();
        self.search = Some(search);
        self.built = Some(site);
        self.replaced.clear();
        Ok(written)
    }

    /// Keeps what makes the next update fast (rendered teasers) across builds: for `serve`.
    pub fn keep_caches(&mut self) {
        self.teasers.keep = true;
    }

    /// Brings `target` up to date after `changed` content files changed: re-renders the pages
    /// that show the papers and days those files hold (before and after the change), the
    /// lists and indexes, and removes pages that no longer exist. Falls back to a full build
    /// when there is no previous output to update.
    pub fn update(&mut self, target: &Path, changed: &[PathBuf]) -> Result<Written, Error> {
        if self.built.is_none() || !target.is_dir() {
            return self.build_full(target);
        }
        if let Some(patches) = self.summary_only_patches() {
            return self.update_summaries(target, patches);
        }
        let Some(old) = self.built.take() else { return self.build_full(target) };
        let mut timings = Timings::start();
        let (site, mut diagnostics) = match self.title_patch(&old) {
            Some(site) => (site, self.walk_diagnostics.clone()),
            None => self.assemble(),
        };
        self.last_clean = diagnostics.is_empty();
        timings.step("assemble");
        if let Err(d) = self.templates() {
            diagnostics.extend(d);
        }
        let warnings = match fail_on_errors(diagnostics) {
            Ok(w) => w,
            Err(e) => {
                self.built = Some(old);
                return Err(e);
            }
        };
        let tera = self.tera.as_ref().expect("no errors means the templates loaded");
        let renderer = Renderer::new(&self.config, &site, tera, &self.teasers);
        timings.step("renderer");
        let keys = self.changed_keys(changed, &old, &site);
        let old_renderer_paths = affected_paths(&old, &keys);
        let mut new_pages = affected_pages(&site, &keys);
        // The big index pages are re-rendered only when what they show changed.
        new_pages.retain(|&page| match page {
            Page::Authors | Page::Tags | Page::Archive | Page::Search => {
                let print = index_fingerprint(&site, page);
                self.fingerprints.insert(page, print) != Some(print)
            }
            _ => true,
        });
        let new_paths: HashSet<String> = new_pages.iter().map(|&p| renderer.file(p)).collect();
        let gone: Vec<&String> = old_renderer_paths.iter().filter(|p| !new_paths.contains(*p)).collect();
        // Rarely needed (a renamed or removed paper, author or tag): is the page still in the site?
        let gone: Vec<&String> = gone.into_iter().filter(|rel| !crate::render::page_exists(&site, rel)).collect();
        timings.step("affected");

        let mut written = Written { papers: site.papers.len(), days: site.days.len(), warnings, ..Written::default() };
        let changed_count = std::sync::atomic::AtomicUsize::new(0);
        let write = |rel: &str, bytes: &[u8]| -> Result<(), Error> {
            if crate::output::write_in_place(target, rel, bytes)? {
                changed_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        };
        // Each changed paper with the terms it was indexed under (from the site before).
        let old_index: HashMap<&str, usize> = old
            .papers
            .iter()
            .enumerate()
            .filter(|(_, p)| keys.papers.contains(&p.key))
            .map(|(i, p)| (p.key.as_str(), i))
            .collect();
        let changed_papers: Vec<(usize, Vec<String>)> = site
            .papers
            .iter()
            .enumerate()
            .filter(|(_, p)| keys.papers.contains(&p.key))
            .map(|(i, p)| {
                (
                    i,
                    old_index
                        .get(p.key.as_str())
                        .map(|&o| crate::render::search::terms_of(&old, o))
                        .unwrap_or_default(),
                )
            })
            .collect();
        // The pages, the other files and the search index are brought up to date side by side.
        let search = &mut self.search;
        let (root, config) = (&self.root, &self.config);
        let (rendered, (extra, (index, prune_dirs))) = rayon::join(
            || build::render_pages(&renderer, &new_pages, None, write),
            || {
                rayon::join(
                    || -> Result<usize, Error> {
                        // Static files are unchanged by a content edit (their changes take a full
                        // build); only which embedded files they replace is needed here.
                        let statics = build::static_files(root, config)?;
                        let extra = build::extra_files(config, &renderer, &statics);
                        extra.par_iter().try_for_each(|(rel, bytes)| write(rel, bytes))?;
                        Ok(extra.len())
                    },
                    || {
                        // Updated for the changed papers while the docs keep their order,
                        // rebuilt otherwise.
                        match search.as_mut().and_then(|s| s.refresh(&site, &changed_papers)) {
                            Some((files, groups)) => {
                                (files, groups.iter().map(|g| crate::render::search::group_dir(g)).collect())
                            }
                            None => {
                                let built = crate::render::search::SearchIndex::build(&site);
                                let files = built.files(&site);
                                *search = Some(built);
                                (files, crate::render::search::DIRS.iter().map(|d| d.to_string()).collect::<Vec<_>>())
                            }
                        }
                    },
                )
            },
        );
        rendered?;
        written.rendered = new_pages.len() + extra? + index.len();
        written.pages = new_pages.len();
        timings.step("pages, extra, search");
        let removed = write_index(target, &index, &prune_dirs, write)?;
        changed_count.fetch_add(removed, std::sync::atomic::Ordering::Relaxed);
        for rel in gone {
            if crate::output::remove_in_place(target, rel)? {
                changed_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        timings.step("index files, removals");
        written.changed = changed_count.into_inner();
        self.built = Some(site);
        self.replaced.clear();
        Ok(written)
    }

    /// When every changed file still lists the same papers (by key) with the same fields but
    /// their titles and summaries, `old` with those patched in: what [`Project::assemble`]
    /// would make, without re-reading the model of every file (a title edit in `serve`).
    /// None when anything else changed, or a new title would change another paper's slug.
    fn title_patch(&self, old: &Site) -> Option<Site> {
        // The model's warnings (a paper listed twice names its title) are made again only by
        // a whole assemble: patch only a model that had none.
        if !self.last_clean {
            return None;
        }
        let mut site: Option<Site> = None;
        for (path, before) in &self.replaced {
            let (before, after) = (before.as_ref()?, self.files.get(path)?);
            if !before.diagnostics.is_empty() || !after.diagnostics.is_empty() {
                return None;
            }
            if before.content.days != after.content.days || before.content.entries.len() != after.content.entries.len()
            {
                return None;
            }
            for (a, b) in before.content.entries.iter().zip(&after.content.entries) {
                let same_but_text =
                    Entry { title: b.title.clone(), summary: Arc::clone(&b.summary), ..a.clone() } == *b;
                if !same_but_text || model::key_of(a) != model::key_of(b) || (a.draft && !self.options.drafts) {
                    return None;
                }
                // Only a paper's first listing gives its fields.
                let Some(i) = old.papers.iter().position(|p| p.key == model::key_of(b) && p.source == b.source) else {
                    continue;
                };
                let site = site.get_or_insert_with(|| old.clone());
                if site.papers[i].title != b.title && !model::retitle(site, i, &b.title, b.slug.is_some()) {
                    return None;
                }
                Arc::make_mut(&mut site.papers[i]).summary = Arc::clone(&b.summary);
            }
        }
        site
    }

    /// When every changed file still lists the same papers with the same fields and only
    /// summaries differ (the most common edit: fixing the text), the new summaries by paper
    /// key; otherwise none.
    fn summary_only_patches(&self) -> Option<Vec<(String, Source, Arc<Summary>)>> {
        let mut patches = Vec::new();
        for (path, old) in &self.replaced {
            let (old, new) = (old.as_ref()?, self.files.get(path)?);
            if !old.diagnostics.is_empty() || !new.diagnostics.is_empty() {
                return None;
            }
            if old.content.days != new.content.days || old.content.entries.len() != new.content.entries.len() {
                return None;
            }
            for (a, b) in old.content.entries.iter().zip(&new.content.entries) {
                let same_but_summary = Entry { summary: Arc::clone(&b.summary), ..a.clone() } == *b;
                if !same_but_summary {
                    return None;
                }
                if *a.summary != *b.summary {
                    patches.push((model::key_of(b), b.source.clone(), Arc::clone(&b.summary)));
                }
            }
        }
        Some(patches)
    }

    /// The fast path of [`Project::update`]: new summaries patched into the model, and only
    /// the pages showing them rendered again (the paper; where its teaser changed, the lists
    /// it is in; the feed).
    fn update_summaries(
        &mut self,
        target: &Path,
        patches: Vec<(String, Source, Arc<Summary>)>,
    ) -> Result<Written, Error> {
        let mut timings = Timings::start();
        let mut site = self.built.take().expect("checked by the caller");
        let mut changed_papers = Vec::new();
        for (key, source, summary) in patches {
            // Only a paper's first listing gives its fields; a later listing's text is unused.
            if let Some(i) = site.papers.iter().position(|p| p.key == key && p.source == source) {
                let terms = crate::render::search::terms_of(&site, i);
                changed_papers.push((i, crate::render::teaser_text(&site.papers[i]), terms));
                Arc::make_mut(&mut site.papers[i]).summary = summary;
            }
        }
        timings.step("patch");
        let result = self.write_patched(target, &site, &changed_papers);
        self.built = Some(site);
        self.replaced.clear();
        result
    }

    /// Renders the pages of the papers in `changed` (each with its teaser text and search
    /// terms before the edit) and, where the teaser changed, the lists showing it.
    fn write_patched(
        &mut self,
        target: &Path,
        site: &Site,
        changed: &[(usize, String, Vec<String>)],
    ) -> Result<Written, Error> {
        let mut timings = Timings::start();
        self.templates().map_err(Error::Problems)?;
        let tera = self.tera.as_ref().expect("just loaded");
        let renderer = Renderer::new(&self.config, site, tera, &self.teasers);
        let mut pages: BTreeSet<Page> = changed.iter().map(|(i, _, _)| Page::Paper(*i)).collect();
        let day_index: HashMap<_, _> = site.days.iter().enumerate().map(|(i, d)| (d.date, i)).collect();
        for (i, old, _) in changed {
            let i = *i;
            let paper = &site.papers[i];
            if renderer.teaser_changed(i, old) {
                pages.insert(Page::Home);
                pages.extend(paper.dates.iter().map(|d| Page::Day(day_index[d])));
                pages.extend(paper.authors.iter().map(|&a| Page::Author(a)));
                pages.extend(paper.tags.iter().map(|&t| Page::Tag(t)));
            }
        }
        let pages: Vec<Page> = pages.into_iter().collect();
        timings.step("affected");
        let count = std::sync::atomic::AtomicUsize::new(0);
        let write = |rel: &str, bytes: &[u8]| -> Result<(), Error> {
            if crate::output::write_in_place(target, rel, bytes)? {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        };
        // The pages and the search index (the text is searchable: the term groups whose
        // postings changed are rewritten) are brought up to date side by side.
        let search = self.search.get_or_insert_with(|| crate::render::search::SearchIndex::build(site));
        let changes: Vec<(usize, Vec<String>)> = changed.iter().map(|(i, _, terms)| (*i, terms.clone())).collect();
        let (rendered, groups) = rayon::join(
            || {
                build::render_pages(&renderer, &pages, None, write)?;
                write("feed.xml", renderer.feed().as_bytes())
            },
            || search.update(site, &changes),
        );
        rendered?;
        timings.step("pages, feed, search");
        let dirs: Vec<String> = groups.iter().map(|(group, _)| crate::render::search::group_dir(group)).collect();
        let mut index: Vec<crate::render::search::File> = groups.into_iter().flat_map(|(_, files)| files).collect();
        if !dirs.is_empty() {
            index.push(("search/meta.json".to_string(), search.meta_file()));
        }
        let index_files = index.len();
        count.fetch_add(write_index(target, &index, &dirs, write)?, std::sync::atomic::Ordering::Relaxed);
        timings.step("search files");
        Ok(Written {
            changed: count.into_inner(),
            rendered: pages.len() + 1 + index_files,
            pages: pages.len(),
            papers: site.papers.len(),
            days: site.days.len(),
            ..Written::default()
        })
    }

    /// What the changed files touch, in the old model and the new one: the papers they list,
    /// the papers beside those in their days, the days, authors and tags they appear under.
    fn changed_keys(&self, changed: &[PathBuf], old: &Site, new: &Site) -> Keys {
        let shown: HashSet<PathBuf> = changed.iter().map(|p| crate::diagnostic::display_path(&self.root, p)).collect();
        // A paper can change without its file changing: another paper's new title can take
        // its slug, or free the one it had to leave; an author or tag it has can be named
        // by another spelling (a term shows its first).
        let old_slugs: HashMap<&str, &str> = old.papers.iter().map(|p| (p.key.as_str(), p.slug.as_str())).collect();
        let mut moved: HashSet<&str> = new
            .papers
            .iter()
            .filter(|p| old_slugs.get(p.key.as_str()).is_some_and(|s| *s != p.slug))
            .map(|p| p.key.as_str())
            .collect();
        for (old_terms, new_terms) in [(&old.authors, &new.authors), (&old.tags, &new.tags)] {
            let old_names: HashMap<&str, &str> = old_terms.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
            for term in new_terms {
                if old_names.get(term.slug.as_str()).is_some_and(|name| *name != term.name) {
                    moved.extend(term.papers.iter().map(|&p| new.papers[p].key.as_str()));
                }
            }
        }
        let mut keys = Keys::default();
        for site in [old, new] {
            let day_index: HashMap<_, _> = site.days.iter().enumerate().map(|(i, d)| (d.date, i)).collect();
            for (index, paper) in site.papers.iter().enumerate() {
                if !paper.sources.iter().any(|s| shown.contains(&s.file)) && !moved.contains(paper.key.as_str()) {
                    continue;
                }
                keys.papers.insert(paper.key.clone());
                keys.days.extend(paper.dates.iter().copied());
                keys.authors.extend(paper.authors.iter().map(|&a| site.authors[a].slug.clone()));
                keys.tags.extend(paper.tags.iter().map(|&t| site.tags[t].slug.clone()));
                for date in &paper.dates {
                    let list = &site.days[day_index[date]].papers;
                    if let Some(pos) = list.iter().position(|&p| p == index) {
                        let beside = &list[pos.saturating_sub(1)..(pos + 2).min(list.len())];
                        keys.papers.extend(beside.iter().map(|&n| site.papers[n].key.clone()));
                    }
                }
            }
            for day in &site.days {
                if day.sources.iter().any(|s| shown.contains(&s.file)) {
                    keys.days.insert(day.date);
                }
            }
        }
        keys
    }
}

/// What changed: paper keys, day dates, author and tag slugs.
#[derive(Debug, Default)]
struct Keys {
    papers: HashSet<String>,
    days: HashSet<chrono::NaiveDate>,
    authors: HashSet<String>,
    tags: HashSet<String>,
}

/// The pages of `site` that show any of the changed things, plus the site-wide pages.
fn affected_pages(site: &Site, keys: &Keys) -> Vec<Page> {
    let mut pages: BTreeSet<Page> = BTreeSet::new();
    for date in &keys.days {
        // A day's neighbours link to it with its date and count; those of a day that is gone
        // link to each other now.
        let at = site.days.partition_point(|d| d.date < *date);
        let here = site.days.get(at).is_some_and(|d| d.date == *date);
        let end = if here { at + 2 } else { at + 1 };
        pages.extend((at.saturating_sub(1)..end.min(site.days.len())).map(Page::Day));
    }
    pages.extend(
        site.papers.iter().enumerate().filter(|(_, p)| keys.papers.contains(&p.key)).map(|(i, _)| Page::Paper(i)),
    );
    pages.extend(
        site.authors.iter().enumerate().filter(|(_, a)| keys.authors.contains(&a.slug)).map(|(i, _)| Page::Author(i)),
    );
    pages.extend(site.tags.iter().enumerate().filter(|(_, t)| keys.tags.contains(&t.slug)).map(|(i, _)| Page::Tag(i)));
    let mut out: Vec<Page> = pages.into_iter().collect();
    // The 404 page shows nothing of the content.
    out.extend([Page::Home, Page::Authors, Page::Tags, Page::Archive, Page::Search]);
    out
}

/// A hash of everything an index page shows: names, slugs and counts of the authors or
/// tags; dates, titles and counts of the days for the archive (and its figures); the tags
/// and the first and last day for the search page's filters.
fn index_fingerprint(site: &Site, page: Page) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let terms = |h: &mut std::collections::hash_map::DefaultHasher, terms: &[crate::model::Term]| {
        for t in terms {
            (&t.name, &t.slug, t.papers.len()).hash(h);
        }
    };
    match page {
        Page::Authors => terms(&mut h, &site.authors),
        Page::Tags => terms(&mut h, &site.tags),
        Page::Search => {
            terms(&mut h, &site.tags);
            (site.days.first().map(|d| d.date), site.days.last().map(|d| d.date)).hash(&mut h);
        }
        _ => {
            for d in &site.days {
                (d.date, &d.title, d.papers.len()).hash(&mut h);
            }
            site.papers.len().hash(&mut h);
            terms(&mut h, &site.authors);
            terms(&mut h, &site.tags);
        }
    }
    h.finish()
}

/// The output files of the pages of `site` that showed the changed things.
fn affected_paths(site: &Site, keys: &Keys) -> HashSet<String> {
    affected_pages(site, keys).into_iter().map(|p| crate::render::page_file(site, p)).collect()
}

/// Writes the search index files `files` in place, and removes below each term group's
/// folder in `dirs` the shards no longer made, and the group's list when the group is gone.
/// Returns how many files were removed.
fn write_index(
    target: &Path,
    files: &[crate::render::search::File],
    dirs: &[String],
    write: impl Fn(&str, &[u8]) -> Result<(), Error> + Sync,
) -> Result<usize, Error> {
    files.par_iter().try_for_each(|(rel, bytes)| write(rel, bytes))?;
    let keep: HashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let mut removed = 0;
    for dir in dirs {
        removed += crate::output::prune(target, dir, &keep)?;
        let list = format!("{dir}.json");
        if dir.starts_with("search/idx/")
            && !keep.contains(list.as_str())
            && crate::output::remove_in_place(target, &list)?
        {
            removed += 1;
        }
    }
    Ok(removed)
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
