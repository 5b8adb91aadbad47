//! The site's URL layout: the one place that says where each page lives (`page_path`) and,
//! the other way round, which page lives at a path (`page_at`). Every link, feed entry,
//! sitemap line and search result is made from these.

use std::borrow::Cow;

use super::periods::Period;
use crate::model::{Site, Term};

/// One file of the built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Home,
    Day(usize),
    Paper(usize),
    Authors,
    Author(usize),
    Tags,
    Tag(usize),
    Archive,
    Search,
    /// The papers saved in this browser (filled by `saved.js` from localStorage).
    Saved,
    NotFound,
    /// A week's or a month's papers (`week/2024-W43/`, `month/2024-10/`), if it has any.
    Period(Period),
    /// Page `n` (2 or more) of a long list; page 1 is the list's own page.
    More(List, u32),
}

/// A list long enough to be split into pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// A day's papers.
    Day(usize),
    /// An author's papers.
    Author(usize),
    /// A tag's papers.
    Tag(usize),
    /// The index of every author, by family name.
    Authors,
    /// The index of every tag.
    Tags,
    /// The archive's months, newest first.
    Archive,
    /// A week's or a month's papers.
    Period(Period),
}

/// How many names a page of the authors or tags index holds.
pub const NAMES_PER_PAGE: usize = 300;
/// How many months (calendars and day lists) a page of the archive holds.
pub const MONTHS_PER_PAGE: usize = 12;

impl List {
    /// The list's own page: its first page.
    pub fn first(self) -> Page {
        match self {
            List::Day(i) => Page::Day(i),
            List::Author(i) => Page::Author(i),
            List::Tag(i) => Page::Tag(i),
            List::Authors => Page::Authors,
            List::Tags => Page::Tags,
            List::Archive => Page::Archive,
            List::Period(p) => Page::Period(p),
        }
    }

    /// The papers of a list of papers (a day, an author, a tag, a week or month), in their
    /// order; none for the indexes and the archive.
    pub fn papers(self, site: &Site) -> Option<Cow<'_, [usize]>> {
        match self {
            List::Day(i) => Some(Cow::Borrowed(&site.days[i].papers)),
            List::Author(i) => Some(Cow::Borrowed(&site.authors[i].papers)),
            List::Tag(i) => Some(Cow::Borrowed(&site.tags[i].papers)),
            List::Period(p) => Some(Cow::Owned(super::periods::ordered(site, p).1)),
            List::Authors | List::Tags | List::Archive => None,
        }
    }

    /// How many entries the list has in `site`.
    pub fn len(self, site: &Site) -> usize {
        match self {
            List::Authors => site.authors.len(),
            List::Tags => site.tags.len(),
            List::Archive => site.months(),
            List::Period(p) => p.papers(site).len(),
            List::Day(_) | List::Author(_) | List::Tag(_) => self.papers(site).map_or(0, |p| p.len()),
        }
    }

    /// How many entries one page shows: `per_page` papers, or [`NAMES_PER_PAGE`] names.
    pub fn per_page(self, per_page: usize) -> usize {
        match self {
            List::Authors | List::Tags => NAMES_PER_PAGE,
            List::Archive => MONTHS_PER_PAGE,
            _ => per_page.max(1),
        }
    }

    /// How many pages the list takes (at least one; see [`page_count`]).
    pub fn pages(self, site: &Site, per_page: usize) -> u32 {
        u32::try_from(page_count(self.len(site), self.per_page(per_page))).unwrap_or(u32::MAX)
    }

    /// The page showing entry `at` (from 0) of the list's `len` entries.
    pub fn page_of(self, at: usize, len: usize, per_page: usize) -> Page {
        let per = self.per_page(per_page);
        let n = (at / per + 1).min(page_count(len, per));
        self.page(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Which of the list's `len` entries page `n` shows: `per_page` each, the last page also
    /// the short remainder it absorbs ([`page_count`]).
    pub fn range(self, len: usize, per_page: usize, n: u32) -> std::ops::Range<usize> {
        let per = self.per_page(per_page);
        let start = (n.saturating_sub(1) as usize).saturating_mul(per).min(len);
        let last = n as usize >= page_count(len, per);
        start..if last { len } else { (start + per).min(len) }
    }

    /// Page `n` (from 1) of the list.
    pub fn page(self, n: u32) -> Page {
        if n <= 1 { self.first() } else { Page::More(self, n) }
    }
}

/// How many pages `len` entries take at `per` a page (at least one). A remainder of at most
/// a tenth of a page joins the page before it: 51 papers at 50 a page are one page of 51,
/// not 50 and a page of 1.
pub fn page_count(len: usize, per: usize) -> usize {
    let per = per.max(1);
    let full = len.div_ceil(per).max(1);
    let remainder = len % per;
    if full > 1 && remainder != 0 && remainder <= per / 10 { full - 1 } else { full }
}

impl Page {
    /// The list this page shows a part of, and which page of it (1 for a list's own page).
    pub fn list(self) -> Option<(List, u32)> {
        let list = match self {
            Page::Day(i) => List::Day(i),
            Page::Author(i) => List::Author(i),
            Page::Tag(i) => List::Tag(i),
            Page::Authors => List::Authors,
            Page::Tags => List::Tags,
            Page::Archive => List::Archive,
            Page::Period(p) => List::Period(p),
            Page::More(list, n) => return Some((list, n)),
            _ => return None,
        };
        Some((list, 1))
    }
}

/// The site's Atom feed, sitemap and robots.txt.
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
/// The most URLs one sitemap may list (sitemaps.org; search engines ignore a longer one). A
/// site with more pages has [`SITEMAP`] as an index of numbered parts ([`sitemap_part`]).
pub const SITEMAP_URLS: usize = 50_000;
pub const ROBOTS: &str = "robots.txt";
/// The site's JSON Feed 1.1, beside the Atom feed.
pub const JSON_FEED: &str = "feed.json";
/// The OPML list of the site's feeds (the site's, every tag's, every author page's).
pub const OPML: &str = "feeds.opml";
/// The name of a tag's or author's Atom feed, in the folder of the term's page.
const TERM_FEED: &str = "feed.xml";

/// A URL of the site: `base` (the base path, `/sub/`, or the base URL,
/// `https://example.com/sub/`, both ending in `/`) followed by `path`, a path below the output
/// folder as this module makes it. Every link the renderer and the feeds make goes through it.
pub fn join(base: &str, path: &str) -> String {
    let mut url = String::with_capacity(base.len() + path.len());
    url.push_str(base);
    url.push_str(path);
    url
}

/// Part `n` (from 1) of a sitemap too long for one file, beside [`SITEMAP`].
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// A page's path below the output folder, as used in URLs (`papers/x/`, `404.html`).
pub fn page_path(site: &Site, page: Page) -> String {
    match page {
        Page::Home => String::new(),
        Page::Day(i) => format!("{}/", site.days[i].date),
        Page::Paper(i) => paper_path(&site.papers[i].slug),
        Page::Authors => TermKind::Author.index_path(),
        Page::Author(i) => term_path(TermKind::Author, &site.authors[i].slug),
        Page::Tags => TermKind::Tag.index_path(),
        Page::Tag(i) => term_path(TermKind::Tag, &site.tags[i].slug),
        Page::Archive => "archive/".into(),
        Page::Search => "search/".into(),
        Page::Saved => "saved/".into(),
        Page::NotFound => "404.html".into(),
        Page::Period(p) => period_path(p),
        Page::More(list, n) => format!("{}page/{n}/", page_path(site, list.first())),
    }
}

/// The path of a week's or a month's page: `week/2024-W43/`, `month/2024-10/`.
pub fn period_path(period: Period) -> String {
    format!("{}/{}/", period.dir(), period.slug())
}

/// The Atom feed of a week or a month, beside its page.
pub fn period_feed_path(period: Period) -> String {
    format!("{}{TERM_FEED}", period_path(period))
}

/// The path of the paper page with this slug.
pub fn paper_path(slug: &str) -> String {
    format!("papers/{slug}/")
}

/// The two kinds of term: an author or a tag, each with an index page and a page per term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    Author,
    Tag,
}

impl TermKind {
    /// The folder of the kind's index and of its terms' pages (`authors`, `tags`); also
    /// `taxonomy.kind` in templates.
    pub const fn segment(self) -> &'static str {
        match self {
            TermKind::Author => "authors",
            TermKind::Tag => "tags",
        }
    }

    /// The kind whose folder is `segment`.
    pub fn from_segment(segment: &str) -> Option<TermKind> {
        [TermKind::Author, TermKind::Tag].into_iter().find(|k| k.segment() == segment)
    }

    /// The path of the kind's index page (`authors/`).
    pub fn index_path(self) -> String {
        format!("{}/", self.segment())
    }

    /// The kind's index page.
    pub const fn index(self) -> Page {
        match self {
            TermKind::Author => Page::Authors,
            TermKind::Tag => Page::Tags,
        }
    }

    /// The page of term `i` of this kind.
    pub const fn page(self, i: usize) -> Page {
        match self {
            TermKind::Author => Page::Author(i),
            TermKind::Tag => Page::Tag(i),
        }
    }

    /// The site's terms of this kind.
    pub fn terms(self, site: &Site) -> &[Term] {
        match self {
            TermKind::Author => &site.authors,
            TermKind::Tag => &site.tags,
        }
    }
}

/// The path of an author's or a tag's page.
pub fn term_path(kind: TermKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.segment())
}

/// Where a link to term `i` of `kind` leads: its page, or for an author without one (fewer
/// papers than `author_page_min`, see [`Site::author_has_page`]) the search page filtered to
/// them: `search/?by=Ann+Lee`, the papers by that whole name and nobody else's (the search
/// shows it as the author filter `"Ann Lee"`, quoted).
pub fn term_link_path(site: &Site, kind: TermKind, i: usize) -> String {
    let term = &kind.terms(site)[i];
    if kind == TermKind::Author && !site.author_has_page(i) {
        return format!("search/?by={}", query_value(&term.name));
    }
    term_path(kind, &term.slug)
}

/// `text` as a query value (`application/x-www-form-urlencoded`, as a form sends it: a space
/// is `+`; letters, digits and `-._~` as written; every other byte percent-encoded).
fn query_value(text: &str) -> String {
    const KEPT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b' ');
    percent_encoding::utf8_percent_encode(text, KEPT).to_string().replace(' ', "+")
}

/// Whether term `i` of `kind` has a page (every tag; an author with enough papers).
pub fn term_has_page(site: &Site, kind: TermKind, i: usize) -> bool {
    kind == TermKind::Tag || site.author_has_page(i)
}

/// The Atom feed of an author or a tag, beside its page.
pub fn term_feed_path(kind: TermKind, slug: &str) -> String {
    format!("{}{TERM_FEED}", term_path(kind, slug))
}

/// The BibTeX file of the paper with this slug, beside its page, named after it (so a
/// download keeps a telling name): `papers/<slug>/<slug>.bib`.
pub fn paper_bib_path(slug: &str) -> String {
    format!("{}{slug}.bib", paper_path(slug))
}

/// The BibTeX file of a day's papers, beside its page: `<date>/<date>.bib`.
pub fn day_bib_path(date: chrono::NaiveDate) -> String {
    format!("{date}/{date}.bib")
}

/// The files written beside a page, made with it (see `Renderer::beside`): a paper's and a
/// day's BibTeX, an author's, a tag's, a week's and a month's feed.
pub fn beside_paths(site: &Site, page: Page) -> Vec<String> {
    match page {
        Page::Paper(i) => vec![paper_bib_path(&site.papers[i].slug)],
        Page::Day(i) => vec![day_bib_path(site.days[i].date)],
        Page::Author(i) => vec![term_feed_path(TermKind::Author, &site.authors[i].slug)],
        Page::Tag(i) => vec![term_feed_path(TermKind::Tag, &site.tags[i].slug)],
        Page::Period(p) => vec![period_feed_path(p)],
        _ => Vec::new(),
    }
}

/// The file a page is written to: `<path>index.html`, or the path itself for `404.html`.
pub fn page_file(site: &Site, page: Page) -> String {
    let path = page_path(site, page);
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path }
}

/// The page of `site` written to `rel` (a file below the output folder), if any, with lists
/// split into pages of `per_page`: the inverse of [`page_file`], for the few pages an update
/// may have to remove.
pub fn page_at(site: &Site, rel: &str, per_page: usize) -> Option<Page> {
    if rel == "404.html" {
        return Some(Page::NotFound);
    }
    let dir = rel.strip_suffix("index.html")?;
    if let Some((list_dir, n)) = dir.strip_suffix('/').and_then(|d| d.rsplit_once("/page/")) {
        let number: u32 = n.parse().ok().filter(|v| *v >= 2 && !n.starts_with('0'))?;
        let (list, _) = page_at(site, &format!("{list_dir}/index.html"), per_page)?.list()?;
        return (number <= list.pages(site, per_page)).then_some(Page::More(list, number));
    }
    if dir == "page/" || dir.starts_with("page/") {
        return None;
    }
    let mut parts = dir.trim_end_matches('/').splitn(2, '/');
    let (first, rest) = (parts.next().unwrap_or(""), parts.next());
    if let Some(kind) = TermKind::from_segment(first) {
        return match rest {
            None => Some(kind.index()),
            Some(slug) => kind
                .terms(site)
                .iter()
                .position(|t| t.slug == slug)
                .filter(|&i| term_has_page(site, kind, i))
                .map(|i| kind.page(i)),
        };
    }
    match (first, rest) {
        ("", None) => Some(Page::Home),
        ("archive", None) => Some(Page::Archive),
        ("search", None) => Some(Page::Search),
        ("saved", None) => Some(Page::Saved),
        ("papers", Some(slug)) => site.papers.iter().position(|p| p.slug == slug).map(Page::Paper),
        (dir @ ("week" | "month"), Some(slug)) => {
            Period::parse(dir, slug).filter(|p| p.is_listed(site)).map(Page::Period)
        }
        (date, None) => date.parse().ok().and_then(|d| site.day_index(d)).map(Page::Day),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_short_remainder_joins_the_last_page() {
        assert_eq!(
            [0, 1, 50, 51, 55, 56, 100, 105, 106].map(|n| super::page_count(n, 50)),
            [1, 1, 1, 1, 1, 2, 2, 2, 3]
        );
        assert_eq!(super::page_count(4, 3), 2, "a tenth of a small page is nothing");
        assert_eq!(List::Archive.range(13, 50, 2), 12..13);
        let day = List::Day(0);
        assert_eq!((day.range(51, 50, 1), day.range(106, 50, 2), day.range(106, 50, 3)), (0..51, 50..100, 100..106));
        assert_eq!(day.page_of(50, 51, 50), Page::Day(0));
    }

    use super::*;

    #[test]
    fn every_page_is_found_at_its_own_file() {
        let site = crate::model::tests::sample_site();
        let mut pages = vec![Page::Home, Page::Authors, Page::Tags, Page::Archive, Page::Search, Page::NotFound];
        pages.push(Page::Saved);
        pages.extend((0..site.days.len()).map(Page::Day));
        pages.extend((0..site.papers.len()).map(Page::Paper));
        pages.extend((0..site.authors.len()).map(Page::Author));
        pages.extend((0..site.tags.len()).map(Page::Tag));
        // 2024-12-31 and 2025-01-01 are in one ISO week (2025-W01) and in two months.
        let periods = super::super::periods::all(&site);
        assert_eq!(periods, [Period::Week(2025, 1), Period::Month(2024, 12), Period::Month(2025, 1)]);
        pages.extend(periods.into_iter().map(Page::Period));
        pages.push(Page::More(List::Period(Period::Week(2025, 1)), 2));
        assert!(pages.len() > 8);
        // One paper a page: Ann's papers and the second day take two pages each.
        pages.extend([Page::More(List::Author(0), 2), Page::More(List::Day(1), 2), Page::More(List::Day(1), 3)]);
        for page in pages {
            assert_eq!(page_at(&site, &page_file(&site, page), 1), Some(page), "{page:?}");
        }
        for gone in ["papers/none/index.html", "1999-01-01/index.html", "style.css", "2025-01-01/page/4/index.html"]
            .into_iter()
            .chain(["week/2025-W02/index.html", "month/2024-11/index.html", "week/2025-W1/index.html"])
            .chain(["month/2025-1/index.html", "week/2025-W01/page/9/index.html", "week/index.html"])
        {
            assert_eq!(page_at(&site, gone, 1), None, "{gone}");
        }
        for odd in ["2025-01-01/page/1/index.html", "2025-01-01/page/02/index.html", "page/2/index.html"] {
            assert_eq!(page_at(&site, odd, 1), None, "{odd}");
        }
        assert_eq!(page_file(&site, Page::More(List::Tag(0), 2)), "tags/llm/page/2/index.html");
    }

    #[test]
    fn term_kinds_spell_their_folders_once() {
        use super::*;
        assert_eq!(term_path(TermKind::Author, "ann"), "authors/ann/");
        assert_eq!(term_feed_path(TermKind::Tag, "llm"), format!("tags/llm/{TERM_FEED}"));
        assert_eq!((TermKind::Author.index_path(), TermKind::Tag.index_path()), ("authors/".into(), "tags/".into()));
        for kind in [TermKind::Author, TermKind::Tag] {
            assert_eq!(TermKind::from_segment(kind.segment()), Some(kind));
        }
        assert_eq!(TermKind::from_segment("papers"), None);
    }
}
