//! A site kept in memory between builds, for `serve`: the config and every content file as
//! last read, so a change re-reads only the files that changed, and re-renders only the pages
//! that show them. `build` uses the same type for its one full build.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::build::{self, Options};
use crate::config::Config;
use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::model::{self, Site};
use crate::render::{Page, Renderer};

/// A content file as last read: its stamp (to see whether it changed) and what it held.
#[derive(Debug, Clone)]
struct Loaded {
    stamp: (Option<SystemTime>, u64),
    content: Content,
    diagnostics: Vec<Diagnostic>,
}

/// The site as last read and built.
pub struct Project {
    pub root: PathBuf,
    pub options: Options,
    pub config: Config,
    files: BTreeMap<PathBuf, Loaded>,
    walk_diagnostics: Vec<Diagnostic>,
    /// The model behind the output as last written, for incremental updates.
    built: Option<Site>,
}

/// What one build or update wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files whose bytes changed (written or removed).
    pub changed: usize,
    /// Files rendered, changed or not.
    pub rendered: usize,
    pub papers: usize,
    pub days: usize,
    pub warnings: Vec<Diagnostic>,
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
        };
        project.scan();
        Ok(project)
    }

    /// Re-reads site.toml; the next build must be a full one.
    pub fn reload_config(&mut self) -> Result<(), Error> {
        self.config = build::load_config(&self.root, &self.options)?;
        self.built = None;
        Ok(())
    }

    /// Forgets the last output, so the next build is a full one (after a template change).
    pub fn invalidate(&mut self) {
        self.built = None;
    }

    /// Re-reads the content files that are new or changed since the last scan and forgets the
    /// removed ones; returns the paths of all of them.
    pub fn scan(&mut self) -> BTreeSet<PathBuf> {
        let (paths, diagnostics) = content::list(&self.root);
        self.walk_diagnostics = diagnostics;
        let present: HashSet<&PathBuf> = paths.iter().collect();
        let mut changed: BTreeSet<PathBuf> = self.files.keys().filter(|p| !present.contains(p)).cloned().collect();
        let stale: Vec<(PathBuf, (Option<SystemTime>, u64))> = paths
            .iter()
            .filter_map(|p| {
                let stamp = stamp(p);
                (self.files.get(p).map(|l| l.stamp) != Some(stamp)).then(|| (p.clone(), stamp))
            })
            .collect();
        let reloaded: Vec<(PathBuf, Loaded)> = stale
            .into_par_iter()
            .map(|(path, stamp)| {
                let (content, diagnostics) = content::load_file(&self.root, &path);
                (path, Loaded { stamp, content, diagnostics })
            })
            .collect();
        for p in &changed {
            self.files.remove(p);
        }
        for (path, loaded) in reloaded {
            changed.insert(path.clone());
            self.files.insert(path, loaded);
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
        let (site, d) = model::assemble(content, self.options.drafts);
        diagnostics.extend(d);
        (site, diagnostics)
    }

    /// Builds everything into `target`, through a staging folder swapped in at the end.
    pub fn build_full(&mut self, target: &Path) -> Result<Written, Error> {
        let (site, mut diagnostics) = self.assemble();
        let renderer = Renderer::new(&self.root, &self.config, &site);
        if let Err(d) = &renderer {
            diagnostics.extend(d.iter().cloned());
        }
        let warnings = fail_on_errors(diagnostics)?;
        let renderer = renderer.expect("no errors means the renderer was made");
        let output = crate::output::Output::begin(target)?;
        let pages = renderer.pages();
        build::render_pages(&renderer, &pages, |rel, bytes| output.write(rel, bytes))?;
        let extra = build::extra_files(&self.root, &self.config, &renderer)?;
        for (rel, bytes) in &extra {
            output.write(rel, bytes)?;
        }
        output.commit()?;
        let written = Written {
            changed: pages.len() + extra.len(),
            rendered: pages.len() + extra.len(),
            papers: site.papers.len(),
            days: site.days.len(),
            warnings,
        };
        self.built = Some(site);
        Ok(written)
    }

    /// Brings `target` up to date after `changed` content files changed: re-renders the pages
    /// that show the papers and days those files hold (before and after the change), the
    /// lists and indexes, and removes pages that no longer exist. Falls back to a full build
    /// when there is no previous output to update.
    pub fn update(&mut self, target: &Path, changed: &BTreeSet<PathBuf>) -> Result<Written, Error> {
        let Some(old) = self.built.take() else { return self.build_full(target) };
        if !target.is_dir() {
            return self.build_full(target);
        }
        let (site, mut diagnostics) = self.assemble();
        let renderer = Renderer::new(&self.root, &self.config, &site);
        if let Err(d) = &renderer {
            diagnostics.extend(d.iter().cloned());
        }
        let warnings = match fail_on_errors(diagnostics) {
            Ok(w) => w,
            Err(e) => {
                self.built = Some(old);
                return Err(e);
            }
        };
        let renderer = renderer.expect("no errors means the renderer was made");
        let keys = self.changed_keys(changed, &old, &site);
        let old_renderer_paths = affected_paths(&old, &keys);
        let new_pages = affected_pages(&site, &keys);
        let new_paths: HashSet<String> = new_pages.iter().map(|&p| renderer.file(p)).collect();
        let all_new: HashSet<String> = renderer.pages().into_iter().map(|p| renderer.file(p)).collect();

        let mut written = Written { papers: site.papers.len(), days: site.days.len(), warnings, ..Written::default() };
        let changed_count = std::sync::atomic::AtomicUsize::new(0);
        build::render_pages(&renderer, &new_pages, |rel, bytes| {
            if crate::output::write_in_place(target, rel, bytes)? {
                changed_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })?;
        written.rendered = new_pages.len();
        for (rel, bytes) in build::extra_files(&self.root, &self.config, &renderer)? {
            written.rendered += 1;
            if crate::output::write_in_place(target, &rel, &bytes)? {
                changed_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        for rel in old_renderer_paths.iter().filter(|p| !new_paths.contains(*p) && !all_new.contains(*p)) {
            if crate::output::remove_in_place(target, rel)? {
                changed_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        written.changed = changed_count.into_inner();
        self.built = Some(site);
        Ok(written)
    }

    /// What the changed files touch, in the old model and the new one: the papers they list,
    /// the papers beside those in their days, the days, authors and tags they appear under.
    fn changed_keys(&self, changed: &BTreeSet<PathBuf>, old: &Site, new: &Site) -> Keys {
        let shown: HashSet<PathBuf> = changed.iter().map(|p| crate::diagnostic::display_path(&self.root, p)).collect();
        let mut keys = Keys::default();
        for site in [old, new] {
            let day_index: HashMap<_, _> = site.days.iter().enumerate().map(|(i, d)| (d.date, i)).collect();
            for (index, paper) in site.papers.iter().enumerate() {
                if !paper.sources.iter().any(|s| shown.contains(&s.file)) {
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
    for (i, day) in site.days.iter().enumerate() {
        if keys.days.contains(&day.date) {
            // A day's neighbours link to it with its date and count.
            let last = site.days.len() - 1;
            pages.extend((i.saturating_sub(1)..=(i + 1).min(last)).map(Page::Day));
        }
    }
    pages.extend(
        site.papers.iter().enumerate().filter(|(_, p)| keys.papers.contains(&p.key)).map(|(i, _)| Page::Paper(i)),
    );
    pages.extend(
        site.authors.iter().enumerate().filter(|(_, a)| keys.authors.contains(&a.slug)).map(|(i, _)| Page::Author(i)),
    );
    pages.extend(site.tags.iter().enumerate().filter(|(_, t)| keys.tags.contains(&t.slug)).map(|(i, _)| Page::Tag(i)));
    let mut out: Vec<Page> = pages.into_iter().collect();
    out.extend([Page::Home, Page::Authors, Page::Tags, Page::Archive, Page::Search, Page::NotFound]);
    out
}

/// The output files of the pages of `site` that showed the changed things.
fn affected_paths(site: &Site, keys: &Keys) -> HashSet<String> {
    affected_pages(site, keys).into_iter().map(|p| crate::render::page_file(site, p)).collect()
}

fn stamp(path: &Path) -> (Option<SystemTime>, u64) {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    }
}
