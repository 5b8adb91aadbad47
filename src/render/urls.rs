//! The site's URL layout: the one place that says where each page lives (`page_path`) and,
//! the other way round, which page lives at a path (`page_at`). Every link, feed entry,
//! sitemap line and search result is made from these.

use crate::model::Site;

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
}

impl Page {
    /// The page's kind, as templates see it in `page.kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Day(_) => "day",
            Page::Paper(_) => "paper",
            Page::Authors => "authors",
            Page::Author(_) => "author",
            Page::Tags => "tags",
            Page::Tag(_) => "tag",
            Page::Archive => "archive",
            Page::Search => "search",
            Page::Saved => "saved",
            Page::NotFound => "404",
        }
    }
}

/// The site's Atom feed, sitemap and robots.txt.
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The site's JSON Feed 1.1, beside the Atom feed.
pub const JSON_FEED: &str = "feed.json";
/// The OPML list of the site's feeds (the site's, every tag's, authors' with two papers or more).
pub const OPML: &str = "feeds.opml";
/// The name of a tag's or author's Atom feed, in the folder of the term's page.
const TERM_FEED: &str = "feed.xml";

/// A page's path below the output folder, as used in URLs (`papers/x/`, `404.html`).
pub fn page_path(site: &Site, page: Page) -> String {
    match page {
        Page::Home => String::new(),
        Page::Day(i) => format!("{}/", site.days[i].date),
        Page::Paper(i) => paper_path(&site.papers[i].slug),
        Page::Authors => "authors/".into(),
        Page::Author(i) => term_path("authors", &site.authors[i].slug),
        Page::Tags => "tags/".into(),
        Page::Tag(i) => term_path("tags", &site.tags[i].slug),
        Page::Archive => "archive/".into(),
        Page::Search => "search/".into(),
        Page::Saved => "saved/".into(),
        Page::NotFound => "404.html".into(),
    }
}

/// The path of the paper page with this slug.
pub fn paper_path(slug: &str) -> String {
    format!("papers/{slug}/")
}

/// The path of an author's (`kind` "authors") or tag's ("tags") page.
pub fn term_path(kind: &str, slug: &str) -> String {
    format!("{kind}/{slug}/")
}

/// The Atom feed of an author (`kind` "authors") or a tag ("tags"), beside its page.
pub fn term_feed_path(kind: &str, slug: &str) -> String {
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
/// day's BibTeX, an author's and a tag's feed.
pub fn beside_paths(site: &Site, page: Page) -> Vec<String> {
    match page {
        Page::Paper(i) => vec![paper_bib_path(&site.papers[i].slug)],
        Page::Day(i) => vec![day_bib_path(site.days[i].date)],
        Page::Author(i) => vec![term_feed_path("authors", &site.authors[i].slug)],
        Page::Tag(i) => vec![term_feed_path("tags", &site.tags[i].slug)],
        _ => Vec::new(),
    }
}

/// The file a page is written to: `<path>index.html`, or the path itself for `404.html`.
pub fn page_file(site: &Site, page: Page) -> String {
    let path = page_path(site, page);
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path }
}

/// The page of `site` written to `rel` (a file below the output folder), if any: the inverse
/// of [`page_file`], for the few pages an update may have to remove.
pub fn page_at(site: &Site, rel: &str) -> Option<Page> {
    if rel == "404.html" {
        return Some(Page::NotFound);
    }
    let dir = rel.strip_suffix("index.html")?;
    let mut parts = dir.trim_end_matches('/').splitn(2, '/');
    match (parts.next().unwrap_or(""), parts.next()) {
        ("", None) => Some(Page::Home),
        ("authors", None) => Some(Page::Authors),
        ("tags", None) => Some(Page::Tags),
        ("archive", None) => Some(Page::Archive),
        ("search", None) => Some(Page::Search),
        ("saved", None) => Some(Page::Saved),
        ("papers", Some(slug)) => site.papers.iter().position(|p| p.slug == slug).map(Page::Paper),
        ("authors", Some(slug)) => site.authors.iter().position(|a| a.slug == slug).map(Page::Author),
        ("tags", Some(slug)) => site.tags.iter().position(|t| t.slug == slug).map(Page::Tag),
        (date, None) => date.parse().ok().and_then(|d| site.day_index(d)).map(Page::Day),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
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
        assert!(pages.len() > 8);
        for page in pages {
            assert_eq!(page_at(&site, &page_file(&site, page)), Some(page), "{page:?}");
        }
        assert_eq!(page_at(&site, "papers/none/index.html"), None);
        assert_eq!(page_at(&site, "1999-01-01/index.html"), None);
        assert_eq!(page_at(&site, "style.css"), None);
    }
}
