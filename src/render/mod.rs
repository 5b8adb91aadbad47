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
pub mod feeds;
pub mod kind;
pub mod markdown;
mod period_page;
pub mod periods;
pub mod related;
pub mod search;
pub mod templates;
pub mod tldr;
pub mod urls;
pub mod views;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use tera::value::{Key, Map};
use tera::{Context, Value};

use crate::arxiv;
use crate::config::Config;
use crate::content::summary::Summary;
use crate::diagnostic::Diagnostic;
use crate::model::{Paper, Site};
use crate::slug::slugify_nonempty;
pub use kind::{PageKind, Refresh, site_wide};
use markdown::{Markdown, Tex};
use related::Related;
use templates::Templates;
pub use urls::{List, Page, page_file, page_path};
use views::*;

/// How many authors a paper's line in a list names before "and N more" (its own page names all).
pub const BYLINE_AUTHORS: usize = 8;
/// How many authors a line of an author's or a tag's page names ([`PaperLine`]).
pub const LINE_AUTHORS: usize = 3;

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

    /// Paper `i` as listed.
    fn teaser(&self, i: usize) -> &Teaser {
        self.teasers[i].get_or_init(|| {
            let p = &self.site.papers[i];
            let text = self.cache.text(p, &self.markdown);
            Teaser {
                title_html: text.title_html,
                title_text: text.title_text,
                url: self.url(Page::Paper(i)),
                slug: p.slug.clone(),
                arxiv: p.arxiv.clone(),
                authors: p.authors.iter().take(BYLINE_AUTHORS).map(|&a| self.author_link(a)).collect(),
                more_authors: p.authors.len().saturating_sub(BYLINE_AUTHORS),
                tags: p.tags.iter().map(|&t| self.tag_link(t)).collect(),
                links: links(p)
                    .into_iter()
                    .filter(|l| matches!(l.name.as_str(), "arxiv" | "pdf" | "huggingface" | "code" | "project"))
                    .collect(),
                teaser: text.teaser,
                tldr: text.tldr.head,
                tldr_more: text.tldr.tail,
                upvotes: p.fetched.as_ref().and_then(|f| f.upvotes),
                date: p.dates.last().map(ToString::to_string).unwrap_or_default(),
                bib_url: urls::join(&self.base, &urls::paper_bib_path(&p.slug)),
                coins: cite::coins(p, self.site, &self.permalink(Page::Paper(i))),
            }
        })
    }

    /// Paper `i`'s BibTeX entry, made once: its page shows it and its `.bib` file holds it.
    fn bibtex(&self, i: usize) -> &str {
        self.bibtex[i].get_or_init(|| cite::bibtex(&self.site.papers[i], self.site, &self.permalink(Page::Paper(i))))
    }

    /// Whether paper `i`'s teaser differs from `old` (its [`listed_text`] before an edit).
    pub fn teaser_changed(&self, i: usize, old: &str) -> bool {
        let t = self.teaser(i);
        old.split_once('\n') != Some((t.teaser.as_str(), &format!("{}{}", t.tldr, t.tldr_more)))
    }

    /// The link to author `a`, made once and shared by every paper of theirs.
    fn author_link(&self, a: usize) -> LinkView {
        self.term_links.0[a].get_or_init(|| self.term_link(&self.site.authors[a], "authors")).clone()
    }

    /// The link to tag `t`, made once and shared by every paper of it.
    fn tag_link(&self, t: usize) -> LinkView {
        self.term_links.1[t].get_or_init(|| self.term_link(&self.site.tags[t], "tags")).clone()
    }

    fn term_link(&self, term: &crate::model::Term, kind: &str) -> LinkView {
        let url = urls::join(&self.base, &urls::term_path(kind, &term.slug));
        LinkView { name: term.name.as_str().into(), url: url.into() }
    }

    fn term_summaries(&self, terms: &[crate::model::Term], kind: &str) -> Vec<TermSummary> {
        terms
            .iter()
            .map(|t| TermSummary {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: urls::join(&self.base, &urls::term_path(kind, &t.slug)),
                feed_url: urls::join(&self.base, &urls::term_feed_path(kind, &t.slug)),
                count: t.papers.len(),
            })
            .collect()
    }

    fn authors(&self) -> &[TermSummary] {
        self.authors.get_or_init(|| self.term_summaries(&self.site.authors, "authors"))
    }

    fn tags(&self) -> &[TermSummary] {
        self.tags.get_or_init(|| self.term_summaries(&self.site.tags, "tags"))
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
        let lists = lists.chain((0..self.site.authors.len()).map(List::Author));
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
            Page::Author(i) => self.term_feed("authors", i),
            Page::Tag(i) => self.term_feed("tags", i),
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

    /// What the template of `shown` (page `n` of its list) receives beside `site`, `page` and
    /// `pagination`.
    fn fill(&self, ctx: &mut Context, shown: Page, n: u32) -> Result<(), Diagnostic> {
        match shown {
            Page::Home => {
                // Days without papers are left out of the home page, counts and navigation.
                let listed = || self.days.iter().enumerate().rev().filter(|(_, d)| d.count > 0);
                let newest = listed().next().map(|(i, _)| i).or(self.site.days.len().checked_sub(1));
                let latest = newest.map(|i| self.day_value(i, 1)).transpose()?;
                let recent: Vec<&DaySummary> = listed().skip(1).take(self.config.recent_days).map(|(_, d)| d).collect();
                let last = newest;
                ctx.insert_value("latest", latest.unwrap_or_else(Value::none));
                ctx.insert("latest_pagination", &last.and_then(|i| self.pagination(List::Day(i), 1)));
                ctx.insert("days", &recent);
            }
            Page::Day(i) => ctx.insert_value("day", self.day_value(i, n)?),
            Page::Paper(i) => ctx.insert("paper", &self.paper_view(i)),
            Page::Authors => {
                ctx.insert("taxonomy", &self.taxonomy("authors"));
                ctx.insert("terms", &self.author_index(n));
                ctx.insert("letters", self.letters());
                ctx.insert("top", &if n == 1 { self.top_authors() } else { Vec::new() });
            }
            Page::Tags => {
                ctx.insert("taxonomy", &self.taxonomy("tags"));
                ctx.insert("terms", self.slice(List::Tags, self.tags(), n));
                ctx.insert("letters", &Vec::<LetterLink>::new());
                ctx.insert("top", &Vec::<&TermSummary>::new());
            }
            Page::Author(i) => {
                ctx.insert("taxonomy", &self.taxonomy("authors"));
                let papers = self.slice(List::Author(i), &self.site.authors[i].papers, n);
                ctx.insert_value("term", self.term_value(&self.authors()[i], papers)?);
            }
            Page::Tag(i) => {
                ctx.insert("taxonomy", &self.taxonomy("tags"));
                let papers = self.slice(List::Tag(i), &self.site.tags[i].papers, n);
                ctx.insert_value("term", self.term_value(&self.tags()[i], papers)?);
            }
            Page::Archive => {
                let mut months = archive::months(self.site, &self.days);
                let range = self.range(List::Archive, months.len(), n);
                self.link_periods(&mut months[range.clone()]);
                ctx.insert("months", &months[range]);
                let mut stats = archive::stats(self.site, &self.days, self.authors(), self.tags());
                // The chart links each month where it is: on the archive page that shows it.
                for bar in &mut stats.per_month {
                    let at = months.iter().position(|m| m.id == bar.id).unwrap_or(0);
                    let page = List::Archive.page_of(at, months.len(), self.config.paginate_by);
                    bar.url = format!("{}#{}", self.url(page), bar.id);
                }
                ctx.insert("stats", &stats);
            }
            Page::Search => {
                ctx.insert("tags", self.tags());
                let day = |d: Option<&crate::model::Day>| d.map(|d| d.date.to_string()).unwrap_or_default();
                ctx.insert("first_date", &day(self.site.days.first()));
                ctx.insert("last_date", &day(self.site.days.last()));
            }
            Page::Saved => ctx.insert("paper_url", &urls::join(&self.base, &urls::paper_path("{slug}"))),
            Page::Period(p) => self.fill_period(ctx, p, n)?,
            Page::NotFound | Page::More(..) => {}
        }
        Ok(())
    }

    /// Page `n`'s part of `items`, the whole of `list`.
    fn slice<'s, T>(&self, list: List, items: &'s [T], n: u32) -> &'s [T] {
        &items[self.range(list, items.len(), n)]
    }

    /// Which of the `len` entries of `list` page `n` shows.
    fn range(&self, list: List, len: usize, n: u32) -> std::ops::Range<usize> {
        list.range(len, self.config.paginate_by, n)
    }

    /// The links between the pages of `list`, on page `n`; none for a list of one page. A
    /// long list links its first and last pages and the two on each side of `n`.
    fn pagination(&self, list: List, n: u32) -> Option<PaginationView> {
        let total = list.pages(self.site, self.config.paginate_by);
        if total <= 1 {
            return None;
        }
        let url = |k: u32| self.url(list.page(k));
        let mut pages: Vec<PageLink> = Vec::new();
        for k in 1..=total {
            if k == 1 || k == total || k.abs_diff(n) <= 2 {
                pages.push(PageLink { n: k, url: url(k), current: k == n });
            } else if pages.last().is_some_and(|p| p.n != 0) {
                pages.push(PageLink { n: 0, url: String::new(), current: false });
            }
        }
        let per = list.per_page(self.config.paginate_by);
        Some(PaginationView {
            current: n,
            total,
            first: (n as usize - 1) * per + 1,
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages,
        })
    }

    /// Every author, in index order: by family name (the last word of the name; a one-word
    /// name such as a username is its own), then by the whole name; each with the letter its
    /// folded family name starts with (`other` for a digit or another script).
    fn authors_by_family(&self) -> &[(usize, String)] {
        self.by_family.get_or_init(|| {
            let key = |i: usize| {
                let name = &self.site.authors[i].name;
                let family = search::fold_text(name.split_whitespace().last().unwrap_or(name));
                (family, search::fold_text(name), i)
            };
            let mut keyed: Vec<(String, String, usize)> = (0..self.site.authors.len()).map(key).collect();
            keyed.sort_unstable();
            let letter = |family: &str| {
                let first = family.chars().next().filter(char::is_ascii_alphabetic);
                first.map_or_else(|| "other".to_string(), |c| c.to_string())
            };
            keyed.into_iter().map(|(family, _, i)| (i, letter(&family))).collect()
        })
    }

    /// Page `n` of the authors index, each author with the letter of its family name where a
    /// new letter starts.
    fn author_index(&self, n: u32) -> Vec<IndexEntry<'_>> {
        let order = self.authors_by_family();
        let range = self.range(List::Authors, order.len(), n);
        let start = range.start;
        order[range]
            .iter()
            .enumerate()
            .map(|(k, (i, letter))| {
                let starts = (start + k).checked_sub(1).is_none_or(|j| order[j].1 != *letter);
                IndexEntry { term: &self.authors()[*i], letter: starts.then(|| letter.clone()) }
            })
            .collect()
    }

    /// Where each letter's run of the authors index starts: the page and anchor.
    fn letters(&self) -> &[LetterLink] {
        self.letters.get_or_init(|| self.make_letters())
    }

    fn make_letters(&self) -> Vec<LetterLink> {
        let order = self.authors_by_family();
        let starts = (0..order.len()).filter(|&k| k == 0 || order[k - 1].1 != order[k].1);
        starts
            .map(|k| {
                let letter = &order[k].1;
                let page = List::Authors.page_of(k, order.len(), self.config.paginate_by);
                let label = if letter == "other" { "#".into() } else { letter.to_uppercase() };
                LetterLink { label, url: format!("{}#letter-{letter}", self.url(page)) }
            })
            .collect()
    }

    /// The authors with the most papers (at least two), for the first page of the index.
    fn top_authors(&self) -> Vec<&TermSummary> {
        let mut top: Vec<&TermSummary> = self.authors().iter().filter(|t| t.count >= 2).collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        top.truncate(24);
        top
    }

    /// Which taxonomy a term page or index shows: `authors` or `tags`.
    fn taxonomy(&self, kind: &'static str) -> TaxonomyView {
        let (title, singular, index, count) = match kind {
            "authors" => ("Authors", "author", Page::Authors, self.site.authors.len()),
            _ => ("Tags", "tag", Page::Tags, self.site.tags.len()),
        };
        TaxonomyView { kind, title, singular, url: self.url(index), count }
    }

    /// Page `n` of day `i` as its page (and the home page) sees it.
    fn day_value(&self, i: usize, n: u32) -> Result<Value, Diagnostic> {
        let day = &self.site.days[i];
        let view = DayView {
            summary: &self.days[i],
            intro_html: day.intro.as_deref().map(|t| self.markdown.render(t)),
            prev: self.days[..i].iter().rev().find(|d| d.count > 0),
            next: self.days.iter().skip(i + 1).find(|d| d.count > 0),
            week: self.period_link(periods::Period::week_of(day.date)),
            month: self.period_link(periods::Period::month_of(day.date)),
        };
        Ok(with_papers(Value::from_serializable(&view), self.list(self.slice(List::Day(i), &day.papers, n))?))
    }

    /// An author or tag as its page sees it: its summary and its papers.
    fn term_value(&self, summary: &TermSummary, papers: &[usize]) -> Result<Value, Diagnostic> {
        // Term pages list a line per paper: no rendered teaser needed.
        let lines = papers.iter().map(|&p| self.line(p).clone()).collect();
        Ok(with_papers(Value::from_serializable(summary), lines))
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

    /// Papers as listed, each with its teaser rendered.
    fn list(&self, papers: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        // A long list (a tag page) is made on every core: in `serve` it is most of an update.
        if papers.len() > 64 {
            use rayon::prelude::*;
            return papers.par_iter().map(|&p| self.item(p)).collect();
        }
        papers.iter().map(|&p| self.item(p)).collect()
    }

    /// Paper `i` as a line of a term page, made once.
    fn line(&self, i: usize) -> &Value {
        self.lines[i].get_or_init(|| {
            let t = self.teaser(i);
            let shown = t.authors.len().min(LINE_AUTHORS);
            Value::from_serializable(&PaperLine {
                title_html: &t.title_html,
                title_text: &t.title_text,
                url: &t.url,
                slug: &t.slug,
                arxiv: t.arxiv.as_deref(),
                authors: &t.authors[..shown],
                more_authors: t.authors.len() - shown + t.more_authors,
                date: &t.date,
            })
        })
    }

    /// Paper `i` as a list item: its fields and `html`, the rendered teaser. A one-off build
    /// shows it on its day's page alone (author and tag pages show a line from its fields), so
    /// it is made when asked and not kept; `serve` keeps it between rebuilds
    /// ([`TeaserCache`]), where one edit re-renders the lists around a paper.
    fn item(&self, i: usize) -> Result<Value, Diagnostic> {
        let cell = &self.items[i];
        if let Some(item) = cell.get() {
            return Ok(item.clone());
        }
        let teaser = self.teaser(i);
        let key = &self.site.papers[i].key;
        if self.cache.keep {
            let cache = self.cache.items.lock().expect("teaser cache lock");
            let cached = cache.get(key).and_then(|(view, item)| (view == teaser).then(|| item.clone()));
            drop(cache);
            if let Some(item) = cached {
                return Ok(cell.get_or_init(|| item).clone());
            }
        }
        let fields = Value::from_serializable(teaser);
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("p", fields.clone());
        let html = self.templates.render("teaser.html", &ctx)?;
        drop(ctx);
        let mut item = fields.into_map().unwrap_or_default();
        item.insert(Key::Str("html"), Value::from(html));
        let item = Value::from(item);
        if !self.cache.keep {
            return Ok(item);
        }
        self.cache.items.lock().expect("teaser cache lock").insert(key.clone(), (teaser.clone(), item.clone()));
        Ok(cell.get_or_init(|| item).clone())
    }

    fn paper_view(&self, i: usize) -> PaperView<'_> {
        let paper = &self.site.papers[i];
        let teaser = self.teaser(i);
        let day_of = |d: &NaiveDate| self.site.day_index(*d).expect("every date of a paper has its day");
        let first_day = day_of(&paper.dates[0]);
        let in_day = &self.site.days[first_day].papers;
        let position = in_day.iter().position(|&p| p == i).unwrap_or(0);
        let neighbour = |j: usize| {
            let t = self.teaser(j);
            Neighbour { title_html: &t.title_html, title_text: &t.title_text, url: &t.url }
        };
        let mut ids: HashMap<String, usize> = HashMap::new();
        let tex = Tex::of(&paper.summary);
        let sections = paper
            .summary
            .sections
            .iter()
            .map(|s| {
                let mut id = slugify_nonempty(&s.heading);
                let n = ids.entry(id.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    id = format!("{id}-{n}");
                }
                let kind = SectionView::kind_of(&s.heading);
                let html = self.markdown.render_tex(&s.body, tex);
                SectionView { id, heading: Markdown::plain_text(&s.heading), kind, html }
            })
            .collect();
        PaperView {
            title_html: &teaser.title_html,
            title_text: &teaser.title_text,
            slug: &paper.slug,
            url: &teaser.url,
            permalink: urls::join(&self.config.base_url, &page_path(self.site, Page::Paper(i))),
            arxiv: paper.arxiv.as_deref(),
            authors: paper.authors.iter().map(|&a| self.author_link(a)).collect(),
            tags: &teaser.tags,
            dates: paper.dates.iter().map(|d| &self.days[day_of(d)]).collect(),
            date: &teaser.date,
            links: links(paper),
            lead_html: paper.summary.lead.as_deref().map(|l| self.markdown.render_tex(l, tex)),
            sections,
            questions: paper.summary.questions.iter().map(|q| self.markdown.render_inline_tex(q, tex)).collect(),
            bibtex: self.bibtex(i),
            bib_url: &teaser.bib_url,
            citation: cite::citation(paper, self.site, &self.permalink(Page::Paper(i))),
            related: self.related_views(i),
            abstract_text: paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref()),
            upvotes: paper.fetched.as_ref().and_then(|f| f.upvotes),
            venue: paper.fetched.as_ref().and_then(|f| f.venue.as_deref()),
            doi: paper.fetched.as_ref().and_then(|f| f.doi.as_deref()),
            submitted: paper.fetched.as_ref().and_then(|f| f.submitted.as_deref()),
            comment: paper.fetched.as_ref().and_then(|f| f.comment.as_deref()),
            description: truncate_text(&teaser.teaser, 200),
            prev: position.checked_sub(1).map(|j| neighbour(in_day[j])),
            next: in_day.get(position + 1).map(|&j| neighbour(j)),
            day: &self.days[first_day],
        }
    }
}

/// The parts of a teaser made from Markdown (the costly part), computed once per paper and
/// kept between rebuilds: an entry is reused while the paper's title and summary are the same
/// (the summary compared by identity: it is re-made only when its file is read again).
#[derive(Default)]
pub struct TeaserCache {
    entries: Mutex<HashMap<String, CachedText>>,
    /// List items (teaser fields and rendered teaser) by paper key, with the teaser they were
    /// made from: reused while it is the same (the templates are the same for the cache's
    /// life; see `clear_rendered`).
    items: Mutex<HashMap<String, MadeItems>>,
    /// Whether to keep anything between builds at all: worth it for a preview that rebuilds,
    /// not for a one-off build, where filling the caches would only cost time and memory.
    pub keep: bool,
}

/// A teaser and the list item made from it.
type MadeItems = (Teaser, Value);

struct CachedText {
    title: String,
    summary: Arc<Summary>,
    text: TeaserText,
}

#[derive(Clone)]
struct TeaserText {
    title_html: String,
    title_text: String,
    teaser: String,
    tldr: tldr::Tldr,
}

impl TeaserCache {
    /// The teaser text of `paper`, from the cache while its title and summary are unchanged.
    fn text(&self, paper: &Paper, markdown: &Markdown) -> TeaserText {
        let make = || TeaserText {
            title_html: markdown.render_inline_tex(&paper.title, Tex::of(&paper.summary)),
            title_text: Markdown::plain_text(&paper.title),
            teaser: teaser_text(paper),
            tldr: tldr::tldr(paper),
        };
        if !self.keep {
            return make();
        }
        {
            let entries = self.entries.lock().expect("teaser cache lock");
            if let Some(c) = entries.get(&paper.key)
                && c.title == paper.title
                && Arc::ptr_eq(&c.summary, &paper.summary)
            {
                return c.text.clone();
            }
        }
        let text = make();
        let cached = CachedText { title: paper.title.clone(), summary: Arc::clone(&paper.summary), text: text.clone() };
        self.entries.lock().expect("teaser cache lock").insert(paper.key.clone(), cached);
        text
    }

    /// Forgets the papers that are no longer in `site`.
    pub fn retain(&self, site: &Site) {
        let keys: std::collections::HashSet<&str> = site.papers.iter().map(|p| p.key.as_str()).collect();
        self.entries.lock().expect("teaser cache lock").retain(|k, _| keys.contains(k.as_str()));
        self.items.lock().expect("teaser cache lock").retain(|k, _| keys.contains(k.as_str()));
    }

    /// Forgets the rendered teasers (the templates or the site's settings changed).
    pub fn clear_rendered(&self) {
        self.items.lock().expect("teaser cache lock").clear();
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

/// `view` (a map) with the list items `papers` added.
fn with_papers(view: Value, papers: Vec<Value>) -> Value {
    match view.into_map() {
        Some(mut map) => {
            map.insert(Key::Str("papers"), Value::from(papers));
            Value::from(map)
        }
        None => Value::none(),
    }
}

/// `base_url` without its scheme and final `/`, as web searches take a site
/// (`https://user.github.io/repo/` → `user.github.io/repo`).
fn search_site(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_string()
}

/// A paper's links: the arXiv abstract, PDF and Hugging Face page derived from its id unless
/// given, then the others in the order written.
fn links(paper: &Paper) -> Vec<PaperLink> {
    let given = |name: &str| paper.links.iter().find(|(n, _)| n == name).map(|(_, u)| u.clone());
    let stars = paper.fetched.as_ref().and_then(|f| f.code_stars);
    let mut out = Vec::new();
    let mut push = |name: &str, url: Option<String>| {
        if let Some(url) = url {
            out.push(PaperLink { name: name.to_string(), label: label(name, stars), url });
        }
    };
    let id = paper.arxiv.as_deref();
    push("arxiv", given("arxiv").or_else(|| id.map(arxiv::abs_url)));
    push("pdf", given("pdf").or_else(|| id.map(arxiv::pdf_url)));
    push("huggingface", given("huggingface").or_else(|| id.map(arxiv::hf_url)));
    for (name, url) in &paper.links {
        if !matches!(name.as_str(), "arxiv" | "pdf" | "huggingface") {
            push(name, Some(url.clone()));
        }
    }
    // The DOI arXiv gives, as a link, unless one named `doi` is written by hand.
    let doi = paper.fetched.as_ref().and_then(|f| f.doi.as_deref()).map(|d| format!("https://doi.org/{d}"));
    if given("doi").is_none() {
        push("doi", doi.and_then(|u| crate::safe::publishable_web_url(&u)));
    }
    out
}

/// A link's label; the `code` link's says its repository's stars when they are known.
fn label(name: &str, stars: Option<u64>) -> String {
    match name {
        "code" if stars.is_some() => format!("Code ★ {}", stars.unwrap_or_default()),
        "arxiv" => "arXiv".into(),
        "pdf" => "PDF".into(),
        "huggingface" => "Hugging Face".into(),
        "github" => "GitHub".into(),
        "doi" => "DOI".into(),
        other => {
            let mut chars = other.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>().replace(['-', '_'], " ")
            })
        }
    }
}

/// What a list shows of a paper's text: its teaser and, after a line break, its TL;DR (see
/// [`Renderer::teaser_changed`]).
pub fn listed_text(paper: &Paper) -> String {
    let t = tldr::tldr(paper);
    format!("{}\n{}{}", teaser_text(paper), t.head, t.tail)
}

/// A short plain-text teaser that starts with substance: the one-line summary or the objective
/// where the summary has them, else its first section (or lead); never the generator's
/// chatter (kept apart in `Summary::chatter`) nor a label.
pub fn teaser_text(paper: &Paper) -> String {
    use crate::content::summary::{OBJECTIVE, TLDR};
    let sections = &paper.summary.sections;
    let substance = [TLDR, OBJECTIVE]
        .iter()
        .find_map(|&part| sections.iter().find(|s| s.heading == part && !s.body.trim().is_empty()))
        .or(sections.first());
    // A paper without a summary (a daily-arXiv row whose summariser failed) is teased by
    // its abstract.
    let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
    let source = substance.map(|s| s.body.as_str()).or(paper.summary.lead.as_deref()).or(abstract_text).unwrap_or("");
    teaser_of(source)
}

/// The teaser of a Markdown source: its plain text cut to 280 characters. When the first
/// block alone has more, only it is read: blocks are parsed independently unless link
/// references or footnotes (`[`) tie them, so its text starts the whole text.
pub(crate) fn teaser_of(source: &str) -> String {
    const MAX: usize = 280;
    if !source.contains('[') {
        let mut at = 0;
        let mut seen_text = false;
        for line in source.split_inclusive('\n') {
            // Blank as CommonMark has it: only spaces, tabs and line ends (not Unicode spaces).
            if line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)) {
                if seen_text {
                    let first = Markdown::plain_text(&source[..at]);
                    if first.chars().count() > MAX {
                        return truncate_text(&first, MAX);
                    }
                    break;
                }
            } else {
                seen_text = true;
            }
            at += line.len();
        }
    }
    truncate_text(&Markdown::plain_text(source), MAX)
}

/// Cuts text to at most `max` characters at a word boundary, adding an ellipsis.
pub fn truncate_text(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
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

    #[test]
    fn a_teaser_read_from_the_first_block_is_the_teaser_of_the_whole_text() {
        let long = "Word ".repeat(70);
        for source in [
            format!("{long}with **bold** and `code` and *emphasis* and $x^2$.\n\nSecond paragraph."),
            format!("{long}\n\n{long}"),
            format!("Short first.\n\n{long}"),
            format!("```\n{long}\n\n{long}\n```\n\nAfter."),
            format!("<div>\n{long}\n\n{long}</div>"),
            format!("{long}[ref]\n\n[ref]: https://example.com"),
            format!("{long}[^1]\n\n[^1]: A note."),
            format!("- {long}\n\n- {long}"),
            format!("{long}\n===\n\nText."),
            format!("\n\n  \n{long} first block after blank lines.\n\nSecond."),
            format!("*{long}\n\u{a0}\nend.*"),
        ] {
            assert_eq!(teaser_of(&source), truncate_text(&Markdown::plain_text(&source), 280), "{source:?}");
        }
    }
}
