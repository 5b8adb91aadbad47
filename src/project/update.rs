//! Incremental updates for `serve`: after an edit, only the pages that show what changed are
//! rendered again and written in place; pages that no longer exist are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Project, Written, files};
use crate::content::Entry;
use crate::content::Source;
use crate::content::summary::Summary;
use crate::error::{Error, fail_on_errors};
use crate::model::{self, Site};
use crate::render::related::Related;
use crate::render::{List, Page, Renderer};
use crate::timing::Timings;

impl Project {
    /// Brings `target` up to date after `changed` content files changed: re-renders the pages
    /// that show the papers and days those files hold (before and after the change), the
    /// lists and indexes, and removes pages that no longer exist. Falls back to a full build
    /// when there is no previous output to update.
    pub fn update(&mut self, target: &Path, changed: &[PathBuf]) -> Result<Written, Error> {
        if self.built.is_none() || !target.is_dir() {
            return self.build_full(target);
        }
        self.generation += 1;
        if let Some(patches) = self.summary_only_patches() {
            return self.update_summaries(target, patches);
        }
        let old = self.built.take().expect("checked above");
        let (site, warnings) = match self.next_model(&old) {
            Ok(next) => next,
            Err(e) => {
                self.built = Some(old);
                return Err(e);
            }
        };
        let mut timings = Timings::start();
        // Every file changed since the output was written, not only this scan's: after a
        // failed update (a broken file), the files changed meanwhile (a paper deleted, say)
        // are still to be shown, or their pages removed.
        let since_built: Vec<PathBuf> =
            self.replaced.keys().map(|k| k.0.clone()).chain(changed.iter().cloned()).collect();
        let keys = self.changed_keys(&since_built, &old, &site);
        let mut plan = Plan::new(&old, &site, &keys, &mut self.fingerprints, self.config.paginate_by);
        // Any edit of text can change any paper's related list: the pages whose list, as
        // shown, changed are rendered again. Deferred (`serve`), the lists are carried over
        // by paper key until `settle_related`, and the pages showing a paper whose title,
        // slug or date changed are rendered again now.
        let deferred = self.defer_related;
        let related = if deferred { self.related.remap(&old, &site) } else { Related::compute(&site) };
        plan.add(related.changed(&site, &self.related, &old).into_iter().map(Page::Paper));
        timings.step("affected");
        let mut written = self.write_plan(target, &old, &site, &keys, &plan, &related)?;
        written.warnings = warnings;
        self.related = related;
        self.related_stale = deferred;
        self.built = Some(site);
        self.replaced.clear();
        Ok(written)
    }

    /// The model after the edit (the old one patched when only titles and text changed), with
    /// its warnings, and the templates loaded; the errors of either otherwise.
    fn next_model(&mut self, old: &Site) -> Result<(Site, Vec<crate::diagnostic::Diagnostic>), Error> {
        let (site, mut diagnostics) = match self.title_patch(old) {
            Some(site) => (site, self.walk_diagnostics.clone()),
            None => self.assemble(),
        };
        self.last_clean = diagnostics.is_empty();
        if let Err(d) = self.templates() {
            diagnostics.extend(d);
        }
        Ok((site, fail_on_errors(diagnostics)?))
    }

    /// Carries out `plan` in `target`: the pages, the other files and the search index are
    /// brought up to date side by side, then the pages that are gone removed.
    fn write_plan(
        &mut self,
        target: &Path,
        old: &Site,
        site: &Site,
        keys: &Keys,
        plan: &Plan,
        related: &Related,
    ) -> Result<Written, Error> {
        let mut timings = Timings::start();
        let tera = self.tera.as_ref().expect("next_model loaded the templates");
        let renderer = Renderer::new(&self.config, site, tera, &self.teasers).with_related(related);
        // Every page's header links to the tags only when there are some: when the first tag
        // comes or the last one goes, every page changes.
        let every;
        let plan_pages = if old.tags.is_empty() != site.tags.is_empty() {
            every = renderer.pages();
            &every
        } else {
            &plan.pages
        };
        let writer = InPlace::new(target);
        let changed_papers = search_changes(old, site, keys);
        let search = &mut self.search;
        let (statics, config) = (&self.statics, &self.config);
        let (rendered, (extra, (index, prune_dirs))) = rayon::join(
            || files::render_pages(&renderer, plan_pages, None, |rel, bytes| writer.write(rel, bytes)),
            || {
                rayon::join(
                    || -> Result<usize, Error> {
                        // Static files are unchanged by a content edit (their changes take a full
                        // build): the last full build's list says which embedded files they
                        // replace, without walking static/ on every save.
                        let extra = files::extra_files(config, &renderer, statics);
                        extra.par_iter().try_for_each(|(rel, bytes)| writer.write(rel, bytes))?;
                        let written = |rel: &str| extra.iter().any(|(r, _)| r == rel) || statics.contains_key(rel);
                        remove_stale_sitemaps(target, written, |rel| writer.remove(rel))?;
                        Ok(extra.len())
                    },
                    || refresh_search(search, site, &changed_papers),
                )
            },
        );
        rendered?;
        let rendered = plan_pages.len() + extra? + index.len();
        timings.step("pages, extra, search");
        writer.count(write_index(target, &index, &prune_dirs, |rel, bytes| writer.write(rel, bytes))?);
        for rel in &plan.gone {
            writer.remove(rel)?;
        }
        timings.step("index files, removals");
        Ok(Written {
            changed: writer.changed(),
            rendered,
            pages: plan_pages.len(),
            papers: site.papers.len(),
            days: site.days.len(),
            ..Written::default()
        })
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
                let key = model::key_of(b);
                if !same_but_text || model::key_of(a) != key || (a.draft && !self.options.drafts) {
                    return None;
                }
                // Only a paper's first listing gives its fields.
                let Some(i) = old.papers.iter().position(|p| p.source == b.source && p.key == key) else {
                    continue;
                };
                let site = site.get_or_insert_with(|| old.clone());
                if site.papers[i].title != b.title
                    && !model::retitle(site, i, &b.title, model::fixed_slug(b, self.config.paper_urls).is_some())
                {
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
        // Deferred, the pages are rendered with the related lists they had, brought up to date
        // by `settle_related` when the whole site's lists are computed.
        let (related, deferred) = if self.defer_related {
            (std::mem::take(&mut self.related), true)
        } else {
            (Related::compute(&site), false)
        };
        timings.step("patch, related papers");
        let result = self.write_patched(target, &site, &changed_papers, &related, deferred);
        if result.is_ok() || deferred {
            self.related = related;
        }
        if result.is_ok() {
            self.built = Some(site);
            self.related_stale |= deferred;
        }
        self.replaced.clear();
        result
    }

    /// When an edit left the related papers behind, what computing them takes: the model's
    /// papers (shared, not copied), to run on another thread.
    pub fn related_job(&self) -> Option<RelatedJob> {
        let site = self.built.as_ref().filter(|_| self.related_stale)?;
        Some(RelatedJob { papers: site.papers.clone(), generation: self.generation })
    }

    /// Brings the related papers up to date with `done` (from [`Project::related_job`]): the
    /// paper pages whose list changed are rendered again; what was written and those pages'
    /// URLs. None when the site changed since the job was made (a newer job follows).
    pub fn settle_related(
        &mut self,
        target: &Path,
        done: RelatedDone,
    ) -> Result<Option<(Written, Vec<String>)>, Error> {
        if done.generation != self.generation || !self.related_stale {
            return Ok(None);
        }
        self.templates().map_err(Error::Problems)?;
        let site = self.built.as_ref().expect("a job is made from the built model");
        let pages: Vec<Page> = done.related.changed_in_place(&self.related).into_iter().map(Page::Paper).collect();
        let tera = self.tera.as_ref().expect("just loaded");
        let renderer = Renderer::new(&self.config, site, tera, &self.teasers).with_related(&done.related);
        let writer = InPlace::new(target);
        files::render_pages(&renderer, &pages, None, |rel, bytes| writer.write(rel, bytes))?;
        let (papers, days) = (site.papers.len(), site.days.len());
        let written = Written {
            changed: writer.changed(),
            rendered: pages.len(),
            pages: pages.len(),
            papers,
            days,
            ..Written::default()
        };
        let urls = pages.iter().map(|&p| renderer.url(p)).collect();
        self.related = done.related;
        self.related_stale = false;
        Ok(Some((written, urls)))
    }

    /// Renders the pages of the papers in `changed` (each with its teaser text and search
    /// terms before the edit) and, where the teaser changed, the lists showing it.
    fn write_patched(
        &mut self,
        target: &Path,
        site: &Site,
        changed: &[(usize, String, Vec<String>)],
        related: &Related,
        deferred: bool,
    ) -> Result<Written, Error> {
        let mut timings = Timings::start();
        self.templates().map_err(Error::Problems)?;
        let tera = self.tera.as_ref().expect("just loaded");
        let renderer = Renderer::new(&self.config, site, tera, &self.teasers).with_related(related);
        let mut pages: BTreeSet<Page> = changed.iter().map(|(i, _, _)| Page::Paper(*i)).collect();
        // The text relates papers; the teaser is in the lists and in the feeds of the paper's
        // authors and tags (the site's feeds, with whole summaries, are written below).
        if !deferred {
            pages.extend(related.changed_in_place(&self.related).into_iter().map(Page::Paper));
        }
        let mut feeds: BTreeSet<Page> = BTreeSet::new();
        for (i, old, _) in changed {
            let i = *i;
            let paper = &site.papers[i];
            if renderer.teaser_changed(i, old) {
                feeds.extend(paper.authors.iter().map(|&a| Page::Author(a)));
                feeds.extend(paper.tags.iter().map(|&t| Page::Tag(t)));
                pages.insert(Page::Home);
                let days = paper.dates.iter().filter_map(|d| site.day_index(*d)).map(List::Day);
                let terms = paper.authors.iter().map(|&a| List::Author(a));
                let lists = days.chain(terms).chain(paper.tags.iter().map(|&t| List::Tag(t)));
                pages.extend(lists.map(|list| page_showing(site, list, i, self.config.paginate_by)));
            }
        }
        let pages: Vec<Page> = pages.into_iter().collect();
        timings.step("affected");
        let writer = InPlace::new(target);
        let write = |rel: &str, bytes: &[u8]| writer.write(rel, bytes);
        // The pages and the search index (the text is searchable: the term groups whose
        // postings changed are rewritten) are brought up to date side by side.
        let search = self.search.get_or_insert_with(|| crate::render::search::SearchIndex::build(site));
        let changes: Vec<(usize, Vec<String>)> = changed.iter().map(|(i, _, terms)| (*i, terms.clone())).collect();
        let (rendered, groups) = rayon::join(
            || {
                files::render_pages(&renderer, &pages, None, write)?;
                for (rel, bytes) in feeds.iter().filter(|p| !pages.contains(p)).flat_map(|&p| renderer.beside(p)) {
                    write(&rel, &bytes)?;
                }
                write(crate::render::urls::JSON_FEED, renderer.json_feed().as_bytes())?;
                write(crate::render::urls::FEED, renderer.feed().as_bytes())
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
        // Results show a snippet of the summary: the changed papers' result data too.
        index.extend(search.changed_doc_files(site, &changes));
        let index_files = index.len();
        writer.count(write_index(target, &index, &dirs, write)?);
        timings.step("search files");
        Ok(Written {
            changed: writer.changed(),
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
            for (index, paper) in site.papers.iter().enumerate() {
                if !paper.sources.iter().any(|s| shown.contains(&s.file)) && !moved.contains(paper.key.as_str()) {
                    continue;
                }
                keys.papers.insert(paper.key.clone());
                keys.days.extend(paper.dates.iter().copied());
                keys.authors.extend(paper.authors.iter().map(|&a| site.authors[a].slug.clone()));
                keys.tags.extend(paper.tags.iter().map(|&t| site.tags[t].slug.clone()));
                for date in &paper.dates {
                    let Some(day) = site.day_index(*date) else { continue };
                    let list = &site.days[day].papers;
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

/// What an update writes: the pages to render, and the files of pages that are gone.
struct Plan {
    pages: Vec<Page>,
    gone: Vec<String>,
}

impl Plan {
    /// The pages of `site` that show what `keys` names (the big index pages only when their
    /// `fingerprints` changed), and the files of the pages of `old` showing it that `site`
    /// no longer has.
    fn new(old: &Site, site: &Site, keys: &Keys, fingerprints: &mut HashMap<Page, u64>, per_page: usize) -> Plan {
        let old_pages = with_list_pages(old, affected_pages(old, keys), per_page);
        let mut pages = affected_pages(site, keys);
        pages.retain(|&page| match page {
            Page::Authors | Page::Tags | Page::Archive | Page::Search => {
                let print = index_fingerprint(site, page);
                fingerprints.insert(page, print) != Some(print)
            }
            _ => true,
        });
        let pages = with_list_pages(site, pages, per_page);
        let new_paths: HashSet<String> = pages.iter().map(|&p| crate::render::page_file(site, p)).collect();
        // Rarely needed (a renamed or removed paper, author or tag, a list one page shorter):
        // is the page still in the site?
        // A page that is gone takes the files beside it along.
        let gone = old_pages
            .into_iter()
            .map(|p| (crate::render::page_file(old, p), p))
            .filter(|(file, _)| {
                !new_paths.contains(file) && crate::render::urls::page_at(site, file, per_page).is_none()
            })
            .flat_map(|(file, p)| std::iter::once(file).chain(crate::render::urls::beside_paths(old, p)))
            .collect();
        Plan { pages, gone }
    }

    /// Adds `pages` to render, those not already planned.
    fn add(&mut self, pages: impl IntoIterator<Item = Page>) {
        let planned: HashSet<Page> = self.pages.iter().copied().collect();
        let mut new: Vec<Page> = pages.into_iter().filter(|p| !planned.contains(p)).collect();
        new.dedup();
        self.pages.extend(new);
    }
}

/// The related papers of a snapshot of the model's papers, to compute off the edit's path.
pub struct RelatedJob {
    papers: Vec<Arc<crate::model::Paper>>,
    generation: u64,
}

/// A [`RelatedJob`] done.
pub struct RelatedDone {
    related: Related,
    generation: u64,
}

impl RelatedJob {
    pub fn run(self) -> RelatedDone {
        RelatedDone { related: Related::of_papers(&self.papers), generation: self.generation }
    }
}

/// Writes files of a live output folder in place (each atomically, only when its bytes
/// differ) and counts the files changed: the one writer of every kind of update.
struct InPlace<'a> {
    target: &'a Path,
    changed: std::sync::atomic::AtomicUsize,
}

impl<'a> InPlace<'a> {
    fn new(target: &'a Path) -> Self {
        InPlace { target, changed: std::sync::atomic::AtomicUsize::new(0) }
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if crate::output::write_in_place(self.target, rel, bytes)? {
            self.count(1);
        }
        Ok(())
    }

    fn remove(&self, rel: &str) -> Result<(), Error> {
        if crate::output::remove_in_place(self.target, rel)? {
            self.count(1);
        }
        Ok(())
    }

    /// Counts `n` more files changed (written or removed).
    fn count(&self, n: usize) {
        self.changed.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    fn changed(&self) -> usize {
        self.changed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Each changed paper of `site` with the terms it was indexed under in `old`.
fn search_changes(old: &Site, site: &Site, keys: &Keys) -> Vec<(usize, Vec<String>)> {
    let old_index: HashMap<&str, usize> = old
        .papers
        .iter()
        .enumerate()
        .filter(|(_, p)| keys.papers.contains(&p.key))
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    site.papers
        .iter()
        .enumerate()
        .filter(|(_, p)| keys.papers.contains(&p.key))
        .map(|(i, p)| {
            let terms = old_index.get(p.key.as_str()).map(|&o| crate::render::search::terms_of(old, o));
            (i, terms.unwrap_or_default())
        })
        .collect()
}

/// The search index files to write and the term-group folders to prune: updated for the
/// changed papers while the docs keep their order, rebuilt otherwise.
fn refresh_search(
    search: &mut Option<crate::render::search::SearchIndex>,
    site: &Site,
    changed: &[(usize, Vec<String>)],
) -> (Vec<crate::render::search::File>, Vec<String>) {
    use crate::render::search;
    match search.as_mut().and_then(|s| s.refresh(site, changed)) {
        Some((files, groups)) => (files, groups.iter().map(|g| search::group_dir(g)).collect()),
        None => {
            let built = search::SearchIndex::build(site);
            let files = built.files(site);
            *search = Some(built);
            (files, search::DIRS.iter().map(std::string::ToString::to_string).collect())
        }
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
        // Days without papers are skipped by prev/next: the neighbours may be further away.
        let listed = |i: &usize| !site.days[*i].papers.is_empty();
        let first = (0..at).rev().find(listed).unwrap_or(at.saturating_sub(1));
        let last = (end.saturating_sub(1)..site.days.len()).find(listed).map_or(end, |i| i + 1);
        pages.extend((first..last.min(site.days.len())).map(Page::Day));
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
pub(super) fn index_fingerprint(site: &Site, page: Page) -> u64 {
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

/// The page of `list` that shows paper `paper`.
fn page_showing(site: &Site, list: List, paper: usize, per_page: usize) -> Page {
    let at = list.papers(site).and_then(|papers| papers.iter().position(|&p| p == paper)).unwrap_or(0);
    list.page(u32::try_from(at / list.per_page(per_page) + 1).unwrap_or(u32::MAX))
}

/// `pages` with every further page of the lists among them (a day's page 2, 3…).
fn with_list_pages(site: &Site, pages: Vec<Page>, per_page: usize) -> Vec<Page> {
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        out.push(page);
        if let Some((list, 1)) = page.list() {
            out.extend((2..=list.pages(site, per_page)).map(|n| list.page(n)));
        }
    }
    out
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

/// Removes the numbered sitemap parts in `target` that are no longer `written` (by the build
/// or as the site's own static files): a site that shrank below
/// [`crate::render::urls::SITEMAP_URLS`] pages, or by a part.
fn remove_stale_sitemaps(
    target: &Path,
    written: impl Fn(&str) -> bool,
    mut remove: impl FnMut(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    use crate::render::urls::sitemap_part;
    let mut n = 1;
    while written(&sitemap_part(n)) {
        n += 1;
    }
    while target.join(sitemap_part(n)).is_file() {
        if !written(&sitemap_part(n)) {
            remove(&sitemap_part(n))?;
        }
        n += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_parts_beyond_the_written_ones_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap-4.xml", "sitemap-6.xml"]
        {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        // Written: the build's index and first part, and the site's own static sitemap-3.xml.
        let written = |rel: &str| ["sitemap.xml", "sitemap-1.xml", "sitemap-3.xml"].contains(&rel);
        let mut removed = Vec::new();
        remove_stale_sitemaps(dir.path(), written, |rel| {
            removed.push(rel.to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(removed, ["sitemap-2.xml", "sitemap-4.xml"]);
    }
}
