//! Incremental updates for `serve`: after an edit, only the pages that show what changed are
//! rendered again and written in place; pages that no longer exist are removed. The seams:
//! [`super::plan`] says what changed and which pages show it, [`super::patch`] is the fast
//! path of an edit of titles and text only, [`super::in_place`] writes the live folder.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **Incremental rebuilds** (`src/project/update.rs`, with `plan.rs` for what changed and which
//! pages show it, `patch.rs` for the title- and text-only fast paths, `in_place.rs` for writing
//! the live folder): `Project` keeps the config and every content file as last read (with its
//! mtime and size). `scan` re-reads only the files that changed (`scan_paths`, from the watcher,
//! only the content files among the reported paths: an editor's temporary files are left out);
//! `update` makes the new model (`next_model`), a `Plan` (the pages to render, the files of pages
//! that are gone), and carries it out with one `InPlace` writer; it renders only the pages that
//! show what the changed files touch, in the old model and the new: those papers and the papers
//! beside them (and any paper whose slug moved), their days and the days beside those (or that
//! become neighbours when a day is gone), their authors and tags, and the site-wide pages (home,
//! indexes, archive, feed, sitemap). When the changed files list the same papers with only new
//! titles and text, the new model is the old one patched (`model::retitle` gives the new slug, and
//! declines when a full assemble could settle slugs differently); papers are `Arc`-shared in
//! `Site`, so the copy costs reference counts. Pages, the other files and the search index are
//! updated side by side. Each file is written in place through a temporary file and a rename, only
//! when its bytes differ; pages that no longer exist are removed. A test checks after each kind of
//! edit that the result equals a full build byte for byte, and another after each save of random
//! sequences (create, edit, break, fix, delete, rename). An update plans from every file changed
//! since the output was written (`replaced`, kept until an update or build succeeds), not only the
//! last scan's: a file deleted while another was broken has its pages removed when the broken one
//! is fixed. An edit that changes only summaries takes a faster path: the new summaries are
//! patched into the model and only the paper, the lists its teaser is in (when the teaser
//! changed), the feed and the touched search-index groups and result-data files are rewritten (a
//! paper's old postings are found from its terms before the edit), with the feeds of its authors
//! and tags (which carry whole summaries) and the JSON Feed. Related papers depend on every
//! paper's text, so after any edit `Related::compute` runs again on the new model and
//! `Related::changed` lists the papers whose related list, as a page shows it (slugs, titles,
//! dates), differs from the last build's: their pages are rendered again on either path. What a
//! run does is one `project::Mode` (`Build`, `Check { external }`, `Serve`). In `Mode::Serve` an
//! update does not wait for the related papers (seconds at 100,000 papers): pages are written with
//! the lists they had, and `Project::related_state` is `RelatedState::Pending`
//! (`project/pending.rs`). `Project::related_job` hands one snapshot of the model (papers are
//! `Arc`-shared) per good save to a one-thread pool in `watch.rs`, and `Project::settle_related`
//! writes the pages whose list changed when the result comes back, unless a newer good save
//! overtook it (`RelatedJob::overtaken`; the generation goes up only in `Project::model_written`,
//! after a model was written, so a bad save leaves the running job current). The browsers get a
//! `changed` event with those pages' paths, and only one showing such a page reloads. In
//! `Mode::Build` an update computes them on its path; tests settle a deferred edit and compare it
//! with a full build byte for byte. A page that is gone takes the files beside it (`beside_paths`
//! of the old model) along. Rendered teasers are kept between builds (`TeaserCache::keep`) except
//! by the one-off `Project::build_once` and `Mode::Check`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::in_place::{InPlace, refresh_search, remove_stale_sitemaps, write_index};
use super::plan::{Plan, search_changes};
use super::{Project, RelatedDone, Written, files};
use crate::error::{Error, fail_on_errors};
use crate::model::Site;
use crate::render::related::Related;
use crate::render::{Page, Renderer};
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
        timings.step("changed keys");
        let mut plan = Plan::new(&old, &site, &keys, &mut self.fingerprints, self.config.paginate_by);
        timings.step("plan");
        // Any edit of text can change any paper's related list: the pages whose list, as
        // shown, changed are rendered again. Deferred (`serve`), the lists are carried over
        // by paper key until `settle_related`, and the pages showing a paper whose title,
        // slug or date changed are rendered again now.
        let deferred = self.options.mode == super::Mode::Serve;
        let related = if deferred { self.related.remap(&old, &site) } else { Related::compute(&site) };
        plan.add(related.changed(&site, &self.related, &old).into_iter().map(Page::Paper));
        timings.step("affected");
        let mut written = self.write_plan(target, &old, &site, &keys, &plan, &related)?;
        written.warnings = warnings;
        self.related = related;
        self.model_written(deferred);
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
        keys: &super::plan::Keys,
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

    /// Brings the related papers up to date with `done` (from [`Project::related_job`]): the
    /// paper pages whose list changed are rendered again; what was written and those pages'
    /// URLs. None when the site changed since the job was made (a newer job follows).
    pub fn settle_related(
        &mut self,
        target: &Path,
        done: RelatedDone,
    ) -> Result<Option<(Written, Vec<String>)>, Error> {
        if !self.settles(&done) {
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
        self.related_settled();
        Ok(Some((written, urls)))
    }
}
