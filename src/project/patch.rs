//! The fast paths of an update: when the changed files list the same papers with the same
//! fields, only titles and summaries are patched into the old model ([`Project::title_patch`])
//! or, for summaries alone, only the pages showing them are rendered again
//! ([`Project::update_summaries`]). Both pair the entries of each changed file before and
//! after the save in one loop ([`Project::paired_entries`]).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::in_place::{InPlace, write_index};
use super::plan::page_showing;
use super::{Project, Written, files};
use crate::content::summary::Summary;
use crate::content::{Entry, Source};
use crate::error::Error;
use crate::model::{self, Site};
use crate::render::related::Related;
use crate::render::{List, Page, Renderer};
use crate::timing::Timings;

impl Project {
    /// Each entry of the files changed since the last build, before and after, when every
    /// one of those files read cleanly both times and lists as many entries on the same days;
    /// none otherwise (the fast paths do not apply).
    fn paired_entries(&self) -> Option<Vec<(&Entry, &Entry)>> {
        let mut pairs = Vec::new();
        for (path, before) in &self.replaced {
            let (before, after) = (before.as_ref()?, self.files.get(path)?);
            if !before.diagnostics.is_empty() || !after.diagnostics.is_empty() {
                return None;
            }
            let (a, b) = (&before.content, &after.content);
            if a.days != b.days || a.entries.len() != b.entries.len() {
                return None;
            }
            pairs.extend(a.entries.iter().zip(&b.entries));
        }
        Some(pairs)
    }

    /// When every changed file still lists the same papers (by key) with the same fields but
    /// their titles and summaries, `old` with those patched in: what [`Project::assemble`]
    /// would make, without re-reading the model of every file (a title edit in `serve`).
    /// None when anything else changed, or a new title would change another paper's slug.
    pub(super) fn title_patch(&self, old: &Site) -> Option<Site> {
        // The model's warnings (a paper listed twice names its title) are made again only by
        // a whole assemble: patch only a model that had none.
        if !self.last_clean {
            return None;
        }
        let mut site: Option<Site> = None;
        for (a, b) in self.paired_entries()? {
            let same_but_text = Entry { title: b.title.clone(), summary: Arc::clone(&b.summary), ..a.clone() } == *b;
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
        site
    }

    /// When every changed file still lists the same papers with the same fields and only
    /// summaries differ (the most common edit: fixing the text), the new summaries by paper
    /// key; otherwise none.
    pub(super) fn summary_only_patches(&self) -> Option<Vec<(String, Source, Arc<Summary>)>> {
        let mut patches = Vec::new();
        for (a, b) in self.paired_entries()? {
            let same_but_summary = Entry { summary: Arc::clone(&b.summary), ..a.clone() } == *b;
            if !same_but_summary {
                return None;
            }
            if *a.summary != *b.summary {
                patches.push((model::key_of(b), b.source.clone(), Arc::clone(&b.summary)));
            }
        }
        Some(patches)
    }

    /// The fast path of [`Project::update`]: new summaries patched into the model, and only
    /// the pages showing them rendered again (the paper; where its teaser changed, the lists
    /// it is in; the feed).
    pub(super) fn update_summaries(
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
                changed_papers.push((i, crate::render::listed_text(&site.papers[i]), terms));
                Arc::make_mut(&mut site.papers[i]).summary = summary;
            }
        }
        // Deferred, the pages are rendered with the related lists they had, brought up to date
        // by `settle_related` when the whole site's lists are computed.
        let deferred = self.options.mode == super::Mode::Serve;
        let related = (!deferred).then(|| Related::compute(&site));
        timings.step("patch, related papers");
        let result = self.write_patched(target, &site, &changed_papers, related.as_ref());
        if result.is_ok() {
            if let Some(related) = related {
                self.related = related;
            }
            self.model_written(deferred);
            self.built = Some(site);
        }
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
        related: Option<&Related>,
    ) -> Result<Written, Error> {
        let mut timings = Timings::start();
        self.templates().map_err(Error::Problems)?;
        let tera = self.tera.as_ref().expect("just loaded");
        // Deferred (no new lists), the pages show the lists they had.
        let shown = related.unwrap_or(&self.related);
        let renderer = Renderer::new(&self.config, site, tera, &self.teasers).with_related(shown);
        let mut pages: BTreeSet<Page> = changed.iter().map(|(i, _, _)| Page::Paper(*i)).collect();
        // The text relates papers; the teaser is in the lists (the site's feeds, with whole
        // summaries, are written below; the feeds of authors, tags, weeks and months are lean,
        // without text, so a summary edit leaves them as they are).
        if let Some(related) = related {
            pages.extend(related.changed_in_place(&self.related).into_iter().map(Page::Paper));
        }
        for (i, old, _) in changed {
            let i = *i;
            let paper = &site.papers[i];
            if renderer.teaser_changed(i, old) {
                pages.insert(Page::Home);
                // Author and tag pages list a line per paper (title, date, authors): no
                // summary, so a summary edit leaves them as they are.
                let periods = paper.dates.iter().flat_map(|d| crate::render::periods::of_date(*d)).map(List::Period);
                let days = paper.dates.iter().filter_map(|d| site.day_index(*d)).map(List::Day);
                let lists = days.chain(periods);
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
            index.push((crate::render::search::META.to_string(), search.meta_file()));
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
}
