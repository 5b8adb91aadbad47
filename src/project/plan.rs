//! What a save changed and which pages show it: the keys of the papers, days and terms the
//! changed files touch ([`Project::changed_keys`]), the pages of the old and new model showing
//! them ([`affected_pages`]), and the [`Plan`] of pages to render and files to remove.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Project;
use crate::model::Site;
use crate::render::urls::{TermKind, term_has_page};
use crate::render::{List, Page, Refresh};

impl Project {
    /// What the changed files touch, in the old model and the new one: the papers they list,
    /// the papers beside those in their days, the days, authors and tags they appear under.
    pub(super) fn changed_keys(&self, changed: &[PathBuf], old: &Site, new: &Site) -> Keys {
        let shown: HashSet<PathBuf> = changed.iter().map(|p| crate::diagnostic::display_path(&self.root, p)).collect();
        // A paper can change without its file changing: another paper's new title can take
        // its slug, or free the one it had to leave; an author or tag it has can be named
        // by another spelling (a term shows its first), or get or lose a page.
        let old_slugs: HashMap<&str, &str> = old.papers.iter().map(|p| (p.key.as_str(), p.slug.as_str())).collect();
        let mut moved: HashSet<&str> = new
            .papers
            .iter()
            .filter(|p| old_slugs.get(p.key.as_str()).is_some_and(|s| *s != p.slug))
            .map(|p| p.key.as_str())
            .collect();
        // One pass a kind of term: renamed (another spelling first), or an author crossing
        // `author_page_min` (every paper naming them links to their page, or to the search).
        for kind in [TermKind::Author, TermKind::Tag] {
            let old_terms = kind.terms(old);
            let old_index: HashMap<&str, usize> =
                old_terms.iter().enumerate().map(|(o, t)| (t.slug.as_str(), o)).collect();
            for (i, term) in kind.terms(new).iter().enumerate() {
                let Some(&o) = old_index.get(term.slug.as_str()) else { continue };
                if old_terms[o].name != term.name || term_has_page(old, kind, o) != term_has_page(new, kind, i) {
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
pub(super) struct Plan {
    pub(super) pages: Vec<Page>,
    pub(super) gone: Vec<String>,
}

impl Plan {
    /// The pages of `site` that show what `keys` names (the big index pages only when their
    /// `fingerprints` changed), and the files of the pages of `old` showing it that `site`
    /// no longer has.
    pub(super) fn new(
        old: &Site,
        site: &Site,
        keys: &Keys,
        fingerprints: &mut HashMap<Page, u64>,
        per_page: usize,
    ) -> Plan {
        let old_pages = with_list_pages(old, affected_pages(old, keys), per_page);
        let mut pages = affected_pages(site, keys);
        pages.retain(|&page| match page.refresh() {
            Some(Refresh::Fingerprint) => {
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
    pub(super) fn add(&mut self, pages: impl IntoIterator<Item = Page>) {
        let planned: HashSet<Page> = self.pages.iter().copied().collect();
        let mut new: Vec<Page> = pages.into_iter().filter(|p| !planned.contains(p)).collect();
        new.dedup();
        self.pages.extend(new);
    }
}

/// Each changed paper of `site` with the terms it was indexed under in `old`.
pub(super) fn search_changes(old: &Site, site: &Site, keys: &Keys) -> Vec<(usize, Vec<String>)> {
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

/// What changed: paper keys, day dates, author and tag slugs.
#[derive(Debug, Default)]
pub(super) struct Keys {
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
        // Its week and month list its papers (a period with none has no page: the old
        // model's then names the page that is gone).
        let periods = crate::render::periods::of_date(*date).into_iter().filter(|p| p.is_listed(site));
        pages.extend(periods.map(Page::Period));
    }
    pages.extend(
        site.papers.iter().enumerate().filter(|(_, p)| keys.papers.contains(&p.key)).map(|(i, _)| Page::Paper(i)),
    );
    pages.extend(
        (site.authors.iter().enumerate())
            .filter(|&(i, a)| keys.authors.contains(&a.slug) && site.author_has_page(i))
            .map(|(i, _)| Page::Author(i)),
    );
    pages.extend(site.tags.iter().enumerate().filter(|(_, t)| keys.tags.contains(&t.slug)).map(|(i, _)| Page::Tag(i)));
    let mut out: Vec<Page> = pages.into_iter().collect();
    out.extend(crate::render::site_wide().filter(|(_, refresh)| *refresh != Refresh::Never).map(|(page, _)| page));
    out
}

/// The fingerprint of each site-wide page that `serve` renders again only when it changed.
pub(super) fn fingerprints(site: &Site) -> HashMap<Page, u64> {
    crate::render::site_wide()
        .filter(|(_, refresh)| *refresh == Refresh::Fingerprint)
        .map(|(page, _)| (page, index_fingerprint(site, page)))
        .collect()
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

/// The page of `list` that shows paper `paper`.
pub(super) fn page_showing(site: &Site, list: List, paper: usize, per_page: usize) -> Page {
    let at = list.papers(site).and_then(|papers| papers.iter().position(|&p| p == paper)).unwrap_or(0);
    list.page_of(at, list.len(site), per_page)
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
