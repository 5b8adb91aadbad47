//! Page kinds, as the compiler checks them: every [`Page`] has a [`PageKind`], and every
//! fact about a kind (its name for templates, its template, whether it is a site-wide page
//! and what makes it change in `serve`) is an exhaustive `match` here. A new kind that one
//! of them forgets does not compile. ARCHITECTURE.md has the checklist "adding a page kind".

use super::periods::Period;
use super::urls::Page;

/// What a page is, as templates see it in `page.kind` ([`PageKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    Home,
    Day,
    Paper,
    Authors,
    Author,
    Tags,
    Tag,
    Archive,
    Search,
    NotFound,
    Saved,
    Week,
    Month,
}

/// When `serve` renders a site-wide page again after a content edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The page shows nothing of the content (404, saved papers): only a full build writes it.
    Never,
    /// On every edit (the home page shows the newest day and the latest papers).
    Always,
    /// When what it shows changed (see `project::update`'s `index_fingerprint`): the big
    /// indexes, which every edit would otherwise rewrite.
    Fingerprint,
}

impl PageKind {
    /// Every kind, in declaration order: `ALL[k.index()] == k`.
    pub const ALL: [PageKind; 13] = [
        PageKind::Home,
        PageKind::Day,
        PageKind::Paper,
        PageKind::Authors,
        PageKind::Author,
        PageKind::Tags,
        PageKind::Tag,
        PageKind::Archive,
        PageKind::Search,
        PageKind::NotFound,
        PageKind::Saved,
        PageKind::Week,
        PageKind::Month,
    ];

    /// How many kinds there are: the size of per-kind caches (the renderer's headers).
    pub const COUNT: usize = PageKind::ALL.len();

    /// The kind's place in [`PageKind::ALL`], for per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind's name, as templates see it in `page.kind`.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Day => "day",
            PageKind::Paper => "paper",
            PageKind::Authors => "authors",
            PageKind::Author => "author",
            PageKind::Tags => "tags",
            PageKind::Tag => "tag",
            PageKind::Archive => "archive",
            PageKind::Search => "search",
            PageKind::NotFound => "404",
            PageKind::Saved => "saved",
            PageKind::Week => "week",
            PageKind::Month => "month",
        }
    }

    /// The template a page of this kind is rendered with.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home => "index.html",
            PageKind::Day => "day.html",
            PageKind::Paper => "paper.html",
            PageKind::Authors | PageKind::Tags => "terms.html",
            PageKind::Author | PageKind::Tag => "term.html",
            PageKind::Archive => "archive.html",
            PageKind::Search => "search.html",
            PageKind::NotFound => "404.html",
            PageKind::Saved => "saved.html",
            PageKind::Week | PageKind::Month => "period.html",
        }
    }

    /// The one page of a site-wide kind (a kind with one page per site, not one per paper,
    /// day or term), and when `serve` renders it again; none for the other kinds.
    pub fn site_wide(self) -> Option<(Page, Refresh)> {
        let page = match self {
            PageKind::Home => (Page::Home, Refresh::Always),
            PageKind::Authors => (Page::Authors, Refresh::Fingerprint),
            PageKind::Tags => (Page::Tags, Refresh::Fingerprint),
            PageKind::Archive => (Page::Archive, Refresh::Fingerprint),
            PageKind::Search => (Page::Search, Refresh::Fingerprint),
            PageKind::NotFound => (Page::NotFound, Refresh::Never),
            PageKind::Saved => (Page::Saved, Refresh::Never),
            PageKind::Day | PageKind::Paper | PageKind::Author | PageKind::Tag => return None,
            PageKind::Week | PageKind::Month => return None,
        };
        Some(page)
    }
}

impl Page {
    /// The page's kind (page 2 of a list has the list's kind).
    pub fn kind(self) -> PageKind {
        match self {
            Page::Home => PageKind::Home,
            Page::Day(_) => PageKind::Day,
            Page::Paper(_) => PageKind::Paper,
            Page::Authors => PageKind::Authors,
            Page::Author(_) => PageKind::Author,
            Page::Tags => PageKind::Tags,
            Page::Tag(_) => PageKind::Tag,
            Page::Archive => PageKind::Archive,
            Page::Search => PageKind::Search,
            Page::Saved => PageKind::Saved,
            Page::NotFound => PageKind::NotFound,
            Page::Period(Period::Week(..)) => PageKind::Week,
            Page::Period(Period::Month(..)) => PageKind::Month,
            Page::More(list, _) => list.first().kind(),
        }
    }

    /// When `serve` renders this page again, if it is a site-wide page (its kind's one page).
    pub fn refresh(self) -> Option<Refresh> {
        self.kind().site_wide().filter(|(page, _)| *page == self).map(|(_, refresh)| refresh)
    }
}

/// The site-wide pages ([`PageKind::site_wide`]) with when `serve` renders each again: the
/// one list that the build's pages, `serve`'s plan and its index fingerprints all use.
pub fn site_wide() -> impl Iterator<Item = (Page, Refresh)> {
    PageKind::ALL.into_iter().filter_map(PageKind::site_wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_at_its_index() {
        for (i, kind) in PageKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i, "{kind:?}");
        }
        // The last variant closes the list: a kind added after it is missing from ALL.
        assert_eq!(PageKind::Month.index() + 1, PageKind::COUNT);
        let names: std::collections::BTreeSet<&str> = PageKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), PageKind::COUNT);
    }

    #[test]
    fn site_wide_pages_are_their_kinds_and_pages_of_lists_are_not_site_wide() {
        for (page, _) in site_wide() {
            assert_eq!(page.kind().site_wide().map(|(p, _)| p), Some(page));
            assert!(page.refresh().is_some());
        }
        assert_eq!(site_wide().count(), 7);
        let more = Page::More(super::super::urls::List::Authors, 2);
        assert_eq!(more.kind(), PageKind::Authors);
        assert_eq!(more.refresh(), None);
        assert_eq!(Page::Paper(0).refresh(), None);
    }
}
