//! Rendering: the model and config into pages in memory. Builds the small views each
//! template needs ([`views`]), renders them through Tera, and writes the feed, sitemap and
//! other generated files. No disk writes here; `output` does that.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **render** (`src/render/`): `templates.rs` loads the Tera 2 templates (theme, site overrides,
//! `theme/<name>` aliases) and turns Tera errors into positioned diagnostics. `Renderer::new`
//! prepares what every list shares, made on first use and kept (teasers, day and term summaries,
//! the header and footer, and each paper's line for author and tag pages (`PaperLine`: a light
//! value, so that what a 100,000-paper build holds stays small; a day's list items, whole teasers,
//! are made when asked and kept only by `serve`); `render_to(page, buffer)` builds the page's
//! small view (`views.rs`) and runs Tera into a worker's reused buffer. `markdown.rs` is
//! pulldown-cmark with raw HTML shown as text, unsafe links kept as text, TeX → MathML
//! (pulldown-latex: the TeX's text and annotation escaped first, the MathML then held to
//! `allow_listed`, the writer's own elements and attributes; at most `content::MAX_TEX_BYTES` of
//! TeX per paper (`Tex::of`, set where content is read, with a warning) and per text, the rest
//! shown as written) and syntect highlighting into `hl-` CSS classes. `feeds.rs` writes the Atom
//! feeds (the site's and one per author and tag; a term's feed holds its 10 newest papers with
//! their teasers, the site's feed whole summaries, made once), the JSON Feed 1.1, the OPML list of
//! feeds, sitemap and robots (over 50,000 pages, `urls::SITEMAP_URLS`, `sitemap.xml` is an index
//! of `sitemap-N.xml` parts, as sitemaps.org requires; `serve` removes parts a shrinking site no
//! longer has); XML text goes through `xml_escape`, which drops what XML 1.0 forbids. `related.rs`
//! finds each paper's 5 nearest papers by text (`Related::compute`, once per build, on every core,
//! before the renderer: BM25-weighted vectors of title, summary and fetched abstract, candidates
//! only from the postings of each paper's 16 heaviest terms, each paper keeping its 64 heaviest
//! terms (a word and its count packed in one `u64` while counting: memory bounded per paper),
//! terms in over 5% of papers skipped, lists capped at 256, one scratch space per worker thread,
//! the best 24 candidates scored by exact cosine plus a little for shared authors and tags; ties
//! by index, sums in a fixed order, so the result is deterministic) and is handed to the renderer
//! with `Renderer::with_related`. `cite.rs` makes BibTeX entries and files (keys unique within a
//! file: `a`, `b`, … suffixes; every field written by `write_entry` through `tex_text`/`tex_name`
//! (backslash, braces, `and` in a name and TeX specials escaped, braces always balanced) or
//! `bib_url` (percent-encoded), so no content starts a command), the Highwire `citation_*` view
//! and COinS context objects. Files that belong to a page (a paper's and a day's `.bib`, an
//! author's and a tag's feed: `urls::beside_paths`) are made by `Renderer::beside` and written
//! with their page by `render_pages`, so every way of rendering a page (full build, update) writes
//! them too; `archive.rs` draws each month's calendar as inline SVG and gives the per-month
//! counts, the calendar's legend and the months (days without papers left out: they are unlinked
//! and uncounted everywhere, prev/next skipping them); `search.rs` builds the search index
//! (`SearchIndex`, on the second rayon task while pages render, and updated in place by `serve`),
//! sharded so that a query fetches a few small files (terms grouped by their first two characters,
//! each group split by prefix until every shard is under 16 KB; docs numbered in date order so a
//! date range is an id range; each doc's result data carries its teaser cut to 200 characters,
//! which search.js takes snippets from). The contract between the build and `search.js` is data,
//! not comments: `search/meta.json` (version 3) carries how text is folded into terms (NFKD, marks
//! stripped, lower-cased, then `FOLD_MAP`: `ł`→`l`, `ß`→`ss`…), the stopwords, the term lengths,
//! and `author_letters` (the letters of author names, as written and in their other case, that
//! folding would drop from an `@` slug, spelled as `slug::slugify` spells the written form:
//! `张`→`zhang `, so an author filter typed in the name's own script finds the build's slug; a slug
//! that `slugify_nonempty` hashes, for a name without letters or over 100 bytes, is found only by
//! a prefix), and search.js applies them before reading a query. `search::FOLD_CASES` are checked
//! by the unit test and, in Chromium, against search.js's own folding (tests/it/browser.rs).
//!
//! **Long lists** (`render/urls.rs`, `Renderer::pages`): a day, an author, a tag, the authors and
//! tags indexes and the archive are `List`s; page 1 is the list's own `Page`, pages 2… are
//! `Page::More(list, n)` at `<list path>page/N/`. `paginate_by` (papers, default 50),
//! `NAMES_PER_PAGE` (300) and `MONTHS_PER_PAGE` (12) size the pages; `Renderer::slice` cuts a list
//! for page `n` and `pagination` links its pages. Incremental updates expand each affected list to
//! all its pages (`with_list_pages`), and `page_at` reads `…/page/N/` back to decide whether a
//! page of the old site still exists. Every rendered page loses the templates' indentation
//! (`strip_indentation`, outside `<pre>`/`<textarea>`); the search index of a full build is
//! written as it is made (`SearchIndex::write_files`), never held whole.

pub mod archive;
pub mod cite;
mod context;
pub mod feeds;
pub mod kind;
pub mod markdown;
mod period_page;
pub mod periods;
pub mod related;
pub mod search;
mod teaser;
pub mod templates;
pub mod tldr;
pub mod urls;
pub mod views;

use std::sync::OnceLock;

use tera::value::{Key, Map};
use tera::{Context, Value};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
pub use context::{LINKED_AUTHORS, PAGE_AUTHORS};
pub use kind::{PageKind, Refresh, site_wide};
use markdown::Markdown;
use related::Related;
pub(crate) use teaser::teaser_of;
pub use teaser::{BYLINE_AUTHORS, LINE_AUTHORS, TeaserCache, listed_text, teaser_text, truncate_text};
use templates::Templates;
pub use urls::{List, Page, page_file, page_path};
use views::*;

/// Everything needed to render any page, shared by all threads. What lists share (teasers,
/// term summaries) is computed on first use and kept, so making a renderer costs little and
/// an incremental rebuild pays only for the pages it renders.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    templates: &'a Templates,
    markdown: Markdown,
    cache: &'a TeaserCache,
    base: String,
    site_view: SiteView,
    /// `site_view` as a template value (Tera 2 values share their contents: cloning one into
    /// each page's context costs a reference count).
    site_value: Value,
    teasers: Vec<OnceLock<Teaser>>,
    /// `chrome` of each page kind: its header and the footer, rendered once (see
    /// [`Renderer::chrome`]).
    chrome: [OnceLock<Value>; PageKind::COUNT],
    /// Each paper as a list item (its teaser's fields and `html`, the rendered teaser): made
    /// once, shared by every list.
    items: Vec<OnceLock<Value>>,
    /// Each paper as a line of author and tag pages ([`PaperLine`]), made once.
    lines: Vec<OnceLock<Value>>,
    /// The link to each author and each tag, made once ([`Renderer::author_link`]).
    term_links: (Vec<OnceLock<LinkView>>, Vec<OnceLock<LinkView>>),
    days: Vec<DaySummary>,
    authors: OnceLock<Vec<TermSummary>>,
    tags: OnceLock<Vec<TermSummary>>,
    /// The authors in index order (see [`Renderer::authors_by_family`]).
    by_family: OnceLock<Vec<(usize, String)>>,
    letters: OnceLock<Vec<LetterLink>>,
    /// Each paper's whole summary as HTML for the feeds (see `feeds.rs`), made on first use.
    feed_html: Vec<OnceLock<String>>,
    /// Each paper's BibTeX entry, made once for its page and its `.bib` file.
    bibtex: Vec<OnceLock<String>>,
    /// Each week's and month's papers in their order, made once for all its pages and its feed.
    periods:
        std::sync::Mutex<rustc_hash::FxHashMap<periods::Period, std::sync::Arc<OnceLock<period_page::PeriodPapers>>>>,
    /// Every paper's related papers, computed once per build (see [`Renderer::with_related`]).
    related: Option<&'a Related>,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering of `site` through the loaded templates.
    pub fn new(config: &'a Config, site: &'a Site, templates: &'a Templates, cache: &'a TeaserCache) -> Self {
        let base = config.base_path();
        let site_view = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            base_path: base.clone(),
            language: config.language.clone(),
            author: config.author.clone(),
            home_url: base.clone(),
            feed_url: urls::join(&base, urls::FEED),
            search_url: urls::join(&base, &page_path(site, Page::Search)),
            archive_url: urls::join(&base, &page_path(site, Page::Archive)),
            tags_url: urls::join(&base, &page_path(site, Page::Tags)),
            has_tags: !site.tags.is_empty(),
            authors_url: urls::join(&base, &page_path(site, Page::Authors)),
            search_site: search_site(&config.base_url),
            json_feed_url: urls::join(&base, urls::JSON_FEED),
            opml_url: urls::join(&base, urls::OPML),
            saved_url: urls::join(&base, &page_path(site, Page::Saved)),
            generator: concat!("papershelf ", env!("CARGO_PKG_VERSION")).to_string(),
        };
        let days = site
            .days
            .iter()
            .enumerate()
            .map(|(i, d)| DaySummary {
                date: d.date.to_string(),
                date_long: d.date.format("%A, %-d %B %Y").to_string(),
                title: d.title.clone(),
                url: urls::join(&base, &page_path(site, Page::Day(i))),
                count: d.papers.len(),
                bib_url: urls::join(&base, &urls::day_bib_path(d.date)),
            })
            .collect();
        Renderer {
            config,
            site,
            templates,
            markdown: Markdown::default(),
            cache,
            base,
            site_value: Value::from_serializable(&site_view),
            site_view,
            teasers: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
            items: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
            lines: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
            term_links: (
                (0..site.authors.len()).map(|_| OnceLock::new()).collect(),
                (0..site.tags.len()).map(|_| OnceLock::new()).collect(),
            ),
            chrome: Default::default(),
            days,
            authors: OnceLock::new(),
            tags: OnceLock::new(),
            by_family: OnceLock::new(),
            letters: OnceLock::new(),
            feed_html: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
            bibtex: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
            periods: std::sync::Mutex::default(),
            related: None,
        }
    }

    /// The renderer with every paper's related papers (computed once per build by
    /// [`Related::compute`]); without them, paper pages list none.
    pub fn with_related(mut self, related: &'a Related) -> Self {
        self.related = Some(related);
        self
    }

    /// Ends rendering, freeing what the renderer made (teasers, list items: hundreds of
    /// thousands of small allocations at 10,000 papers, ~50 ms) on a pool thread rather than
    /// on the caller's path.
    pub fn finish(self) {
        let made = (
            self.teasers,
            self.items,
            self.lines,
            self.term_links,
            self.chrome,
            self.authors,
            self.tags,
            self.feed_html,
            self.bibtex,
        );
        rayon::spawn(move || drop(made));
    }

    /// Paper `i`'s BibTeX entry, made once: its page shows it and its `.bib` file holds it.
    fn bibtex(&self, i: usize) -> &str {
        self.bibtex[i].get_or_init(|| cite::bibtex(&self.site.papers[i], self.site, &self.permalink(Page::Paper(i))))
    }

    /// Every page of the site, long lists with all their pages.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = Vec::new();
        for (page, _) in site_wide() {
            match page.list() {
                Some((list, _)) => pages.extend(self.list_pages(list)),
                None => pages.push(page),
            }
        }
        pages.extend((0..self.site.papers.len()).map(Page::Paper));
        let lists = (0..self.site.days.len()).map(List::Day);
        let authors = (0..self.site.authors.len()).filter(|&a| self.site.author_has_page(a));
        let lists = lists.chain(authors.map(List::Author));
        let lists = lists.chain((0..self.site.tags.len()).map(List::Tag));
        for list in lists.chain(periods::all(self.site).into_iter().map(List::Period)) {
            pages.extend(self.list_pages(list));
        }
        pages
    }

    /// Every page of `list`: its own, then pages 2, 3…
    pub fn list_pages(&self, list: List) -> impl Iterator<Item = Page> + use<> {
        (1..=list.pages(self.site, self.config.paginate_by)).map(move |n| list.page(n))
    }

    /// The page's path below the output folder, as used in URLs (`papers/x/`, `404.html`).
    pub fn path(&self, page: Page) -> String {
        page_path(self.site, page)
    }

    /// The page's URL below the site's base path (`/repo/papers/x/`).
    pub fn url(&self, page: Page) -> String {
        urls::join(&self.base, &page_path(self.site, page))
    }

    /// The page's absolute URL (`https://example.com/repo/papers/x/`).
    pub fn permalink(&self, page: Page) -> String {
        urls::join(&self.config.base_url, &page_path(self.site, page))
    }

    /// The file a page is written to.
    pub fn file(&self, page: Page) -> String {
        page_file(self.site, page)
    }

    /// The files made with a page, beside it ([`urls::beside_paths`]): a paper's BibTeX
    /// entry, a day's BibTeX file of all its papers, an author's or a tag's Atom feed.
    pub fn beside(&self, page: Page) -> Vec<(String, Vec<u8>)> {
        let site = self.site;
        let text = match page {
            Page::Paper(i) => format!("{}\n", self.bibtex(i)),
            Page::Day(i) => cite::bib_file(site, &site.days[i].papers, |p| self.permalink(Page::Paper(p))),
            Page::Author(i) => self.term_feed(urls::TermKind::Author, i),
            Page::Tag(i) => self.term_feed(urls::TermKind::Tag, i),
            Page::Period(p) => self.period_feed(p),
            _ => return Vec::new(),
        };
        let path = urls::beside_paths(site, page).swap_remove(0);
        vec![(path, text.into_bytes())]
    }

    /// Renders one page to HTML at the end of `out` (a build reuses one buffer per worker:
    /// no page grows a fresh one).
    pub fn render_to(&self, page: Page, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        let path = self.path(page);
        let kind = page.kind();
        // Page 2 of a list renders as its first page does, with the list's part for page 2.
        let (shown, n) = match page {
            Page::More(list, n) => (list.first(), n),
            other => (other, 1),
        };
        let template = kind.template();
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("chrome", self.chrome(kind)?.clone());
        ctx.insert(
            "page",
            &PageView {
                url: urls::join(&self.site_view.base_path, &path),
                permalink: urls::join(&self.site_view.base_url, &path),
                path,
                kind: kind.name(),
            },
        );
        let list = shown.list().map(|(list, _)| list);
        ctx.insert("pagination", &list.and_then(|l| self.pagination(l, n)));
        self.fill(&mut ctx, shown, n)?;
        let start = out.len();
        self.templates.render_to(template, &ctx, out)?;
        strip_indentation(out, start);
        Ok(())
    }

    /// `chrome` for pages of `kind`: its header and the footer. They show the site and at
    /// most which page kind is current, so each is rendered once, not per page.
    fn chrome(&self, kind: PageKind) -> Result<&Value, Diagnostic> {
        let i = kind.index();
        if let Some(chrome) = self.chrome[i].get() {
            return Ok(chrome);
        }
        let render = |template: &str| {
            let mut ctx = Context::new();
            ctx.insert_value("site", self.site_value.clone());
            ctx.insert("page", &serde_json::json!({ "kind": kind.name() }));
            self.templates.render(template, &ctx)
        };
        let mut map = Map::default();
        map.insert(Key::Str("header"), Value::normal_string(&render("header.html")?));
        map.insert(Key::Str("footer"), Value::normal_string(&render("footer.html")?));
        Ok(self.chrome[i].get_or_init(|| Value::from(map)))
    }
}

/// Removes the spaces and tabs that begin lines of the HTML in `out[start..]`, but inside
/// `<pre>` and `<textarea>`: the templates' indentation, ~5% of a page, changes nothing a
/// browser shows (a line break already separates the words around it).
fn strip_indentation(out: &mut Vec<u8>, start: usize) {
    let (mut write, mut read) = (start, start);
    let mut at_line_start = false;
    while read < out.len() {
        if at_line_start {
            read += out[read..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        }
        // Copy up to and including the next line break or tag start.
        let stop = memchr::memchr2(b'\n', b'<', &out[read..]).map_or(out.len(), |i| read + i + 1);
        at_line_start = out[stop - 1] == b'\n';
        let keep = if out[stop - 1] == b'<' { verbatim_end(&out[stop - 1..]) } else { None };
        // A <pre> or <textarea> is copied whole, up to its end tag.
        let end = keep.map_or(stop, |close| find_ignore_case(out, stop, close));
        out.copy_within(read..end, write);
        write += end - read;
        read = end;
    }
    out.truncate(write);
}

/// The end tag of the element opening `tag` when its text is kept as written.
fn verbatim_end(tag: &[u8]) -> Option<&'static [u8]> {
    if starts_with_ignore_case(tag, b"<pre") {
        Some(b"</pre")
    } else if starts_with_ignore_case(tag, b"<textarea") {
        Some(b"</textarea")
    } else {
        None
    }
}

/// Where `needle` (starting with `<`) next begins in `text[from..]`, or the end of `text`.
fn find_ignore_case(text: &[u8], from: usize, needle: &[u8]) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'<', &text[at..]) {
        if starts_with_ignore_case(&text[at + i..], needle) {
            return at + i;
        }
        at += i + 1;
    }
    text.len()
}

fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// `base_url` without its scheme and final `/`, as web searches take a site
/// (`https://user.github.io/repo/` → `user.github.io/repo`).
fn search_site(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_but_not_in_pre() {
        let mut out =
            b"keep\n<ul>\n  <li>a</li>\n\t<li>b</li>\n</ul>\n<pre>x\n    y</pre>\n  <PRE class=c>\n  z</PRE>\n  w"
                .to_vec();
        strip_indentation(&mut out, 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "keep\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre>x\n    y</pre>\n<PRE class=c>\n  z</PRE>\nw"
        );
    }

    /// The byte-at-a-time definition `strip_indentation` must agree with.
    fn strip_indentation_slowly(text: &[u8]) -> Vec<u8> {
        let (mut out, mut keep_until, mut at_line_start) = (Vec::new(), None::<&[u8]>, false);
        for (at, &b) in text.iter().enumerate() {
            if at_line_start && keep_until.is_none() && (b == b' ' || b == b'\t') {
                continue;
            }
            at_line_start = b == b'\n';
            if b == b'<' {
                match keep_until {
                    Some(end) if starts_with_ignore_case(&text[at..], end) => keep_until = None,
                    None => keep_until = verbatim_end(&text[at..]),
                    _ => {}
                }
            }
            out.push(b);
        }
        out
    }

    #[test]
    fn indentation_is_stripped_as_the_slow_definition_says() {
        let pieces: [&[u8]; 10] =
            [b" ", b"\t", b"\n", b"<pre>", b"</pre>", b"<TEXTAREA>", b"</textarea>", b"x", b"<p>", b"<"];
        let mut state = 0x2545_f491_u32;
        for _ in 0..3000 {
            let mut text = Vec::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                text.extend_from_slice(pieces[state as usize % pieces.len()]);
            }
            let mut fast = text.clone();
            strip_indentation(&mut fast, 0);
            assert_eq!(fast, strip_indentation_slowly(&text), "{}", String::from_utf8_lossy(&text));
        }
    }
}
