//! Rendering: the model and config into pages in memory. Builds the small views each
//! template needs ([`views`]), renders them through Tera, and writes the feed, sitemap and
//! other generated files. No disk writes here; `output` does that.

pub mod archive;
pub mod cite;
pub mod feeds;
pub mod markdown;
pub mod related;
pub mod search;
pub mod templates;
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
use markdown::Markdown;
use related::Related;
use templates::Templates;
pub use urls::{Page, page_file, page_path};
use views::*;

/// How many authors a paper's line in a list names before "and N more" (its own page names all).
pub const BYLINE_AUTHORS: usize = 8;

/// The page kinds, in the order of the renderer's header cache.
const CHROME_KINDS: [&str; 11] =
    ["home", "day", "paper", "authors", "author", "tags", "tag", "archive", "search", "404", "saved"];

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
    chrome: [OnceLock<Value>; 11],
    /// Each paper as a list item (its teaser's fields and `html`, the rendered teaser): made
    /// once, shared by every list.
    items: Vec<OnceLock<Value>>,
    days: Vec<DaySummary>,
    authors: OnceLock<Vec<TermSummary>>,
    tags: OnceLock<Vec<TermSummary>>,
    /// Each paper's whole summary as HTML for the feeds (see `feeds.rs`), made on first use.
    feed_html: Vec<OnceLock<String>>,
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
            feed_url: format!("{base}{}", urls::FEED),
            search_url: format!("{base}{}", page_path(site, Page::Search)),
            archive_url: format!("{base}{}", page_path(site, Page::Archive)),
            tags_url: format!("{base}{}", page_path(site, Page::Tags)),
            authors_url: format!("{base}{}", page_path(site, Page::Authors)),
            json_feed_url: format!("{base}{}", urls::JSON_FEED),
            opml_url: format!("{base}{}", urls::OPML),
            saved_url: format!("{base}{}", page_path(site, Page::Saved)),
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
                url: format!("{base}{}", page_path(site, Page::Day(i))),
                count: d.papers.len(),
                bib_url: format!("{base}{}", urls::day_bib_path(d.date)),
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
            chrome: Default::default(),
            days,
            authors: OnceLock::new(),
            tags: OnceLock::new(),
            feed_html: (0..site.papers.len()).map(|_| OnceLock::new()).collect(),
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
        let made = (self.teasers, self.items, self.chrome, self.authors, self.tags, self.feed_html);
        rayon::spawn(move || drop(made));
    }

    /// Paper `i` as listed.
    fn teaser(&self, i: usize) -> &Teaser {
        self.teasers[i].get_or_init(|| {
            let p = &self.site.papers[i];
            let text = self.cache.text(p, &self.markdown);
            let link = |t: &crate::model::Term, kind: &str| self.term_link(t, kind);
            Teaser {
                title_html: text.title_html,
                title_text: text.title_text,
                url: self.url(Page::Paper(i)),
                slug: p.slug.clone(),
                arxiv: p.arxiv.clone(),
                authors: p
                    .authors
                    .iter()
                    .take(BYLINE_AUTHORS)
                    .map(|&a| link(&self.site.authors[a], "authors"))
                    .collect(),
                more_authors: p.authors.len().saturating_sub(BYLINE_AUTHORS),
                tags: p.tags.iter().map(|&t| link(&self.site.tags[t], "tags")).collect(),
                teaser: text.teaser,
                date: p.dates.last().map(ToString::to_string).unwrap_or_default(),
                bib_url: format!("{}{}", self.base, urls::paper_bib_path(&p.slug)),
                coins: cite::coins(p, self.site, &self.permalink(Page::Paper(i))),
            }
        })
    }

    /// Whether paper `i`'s teaser differs from `old` (its teaser text before an edit).
    pub fn teaser_changed(&self, i: usize, old: &str) -> bool {
        self.teaser(i).teaser != old
    }

    fn term_link(&self, term: &crate::model::Term, kind: &str) -> LinkView {
        LinkView { name: term.name.clone(), url: format!("{}{}", self.base, urls::term_path(kind, &term.slug)) }
    }

    fn term_summaries(&self, terms: &[crate::model::Term], kind: &str) -> Vec<TermSummary> {
        terms
            .iter()
            .map(|t| TermSummary {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: format!("{}{}", self.base, urls::term_path(kind, &t.slug)),
                feed_url: format!("{}{}", self.base, urls::term_feed_path(kind, &t.slug)),
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

    /// Every page of the site.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = vec![Page::Home, Page::Authors, Page::Tags, Page::Archive, Page::Search, Page::NotFound];
        pages.push(Page::Saved);
        pages.extend((0..self.site.days.len()).map(Page::Day));
        pages.extend((0..self.site.papers.len()).map(Page::Paper));
        pages.extend((0..self.site.authors.len()).map(Page::Author));
        pages.extend((0..self.site.tags.len()).map(Page::Tag));
        pages
    }

    /// The page's path below the output folder, as used in URLs (`papers/x/`, `404.html`).
    pub fn path(&self, page: Page) -> String {
        page_path(self.site, page)
    }

    /// The page's URL below the site's base path (`/repo/papers/x/`).
    pub fn url(&self, page: Page) -> String {
        format!("{}{}", self.base, page_path(self.site, page))
    }

    /// The page's absolute URL (`https://example.com/repo/papers/x/`).
    pub fn permalink(&self, page: Page) -> String {
        format!("{}{}", self.config.base_url, page_path(self.site, page))
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
            Page::Paper(i) => cite::bibtex(&site.papers[i], site, &self.permalink(page)) + "\n",
            Page::Day(i) => cite::bib_file(site, &site.days[i].papers, |p| self.permalink(Page::Paper(p))),
            Page::Author(i) => self.term_feed("authors", i),
            Page::Tag(i) => self.term_feed("tags", i),
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
        let template = match page {
            Page::Home => "index.html",
            Page::NotFound => "404.html",
            Page::Authors | Page::Tags => "terms.html",
            Page::Author(_) | Page::Tag(_) => "term.html",
            _ => &format!("{kind}.html"),
        };
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("chrome", self.chrome(CHROME_KINDS.iter().position(|k| *k == kind).unwrap_or(0))?.clone());
        ctx.insert(
            "page",
            &PageView {
                url: format!("{}{path}", self.site_view.base_path),
                permalink: format!("{}{path}", self.site_view.base_url),
                path,
                kind,
            },
        );
        match page {
            Page::Home => {
                let latest = self.site.days.len().checked_sub(1).map(|i| self.day_value(i)).transpose()?;
                let recent: Vec<&DaySummary> = self.days.iter().rev().skip(1).take(self.config.recent_days).collect();
                ctx.insert_value("latest", latest.unwrap_or_else(Value::none));
                ctx.insert("days", &recent);
            }
            Page::Day(i) => ctx.insert_value("day", self.day_value(i)?),
            Page::Paper(i) => ctx.insert("paper", &self.paper_view(i)),
            Page::Authors => {
                ctx.insert("taxonomy", &self.taxonomy("authors"));
                ctx.insert("terms", self.authors());
            }
            Page::Tags => {
                ctx.insert("taxonomy", &self.taxonomy("tags"));
                ctx.insert("terms", self.tags());
            }
            Page::Author(i) => {
                ctx.insert("taxonomy", &self.taxonomy("authors"));
                ctx.insert_value("term", self.term_value(&self.authors()[i], &self.site.authors[i].papers)?);
            }
            Page::Tag(i) => {
                ctx.insert("taxonomy", &self.taxonomy("tags"));
                ctx.insert_value("term", self.term_value(&self.tags()[i], &self.site.tags[i].papers)?);
            }
            Page::Archive => {
                ctx.insert("months", &archive::months(self.site, &self.days));
                ctx.insert("stats", &archive::stats(self.site, &self.days, self.authors(), self.tags()));
            }
            Page::Search => {
                ctx.insert("tags", self.tags());
                let day = |d: Option<&crate::model::Day>| d.map(|d| d.date.to_string()).unwrap_or_default();
                ctx.insert("first_date", &day(self.site.days.first()));
                ctx.insert("last_date", &day(self.site.days.last()));
            }
            Page::Saved => ctx.insert("paper_url", &format!("{}{}", self.base, urls::paper_path("{slug}"))),
            Page::NotFound => {}
        }
        self.templates.render_to(template, &ctx, out)
    }

    /// Which taxonomy a term page or index shows: `authors` or `tags`.
    fn taxonomy(&self, kind: &'static str) -> TaxonomyView {
        let (title, singular, index) = match kind {
            "authors" => ("Authors", "author", Page::Authors),
            _ => ("Tags", "tag", Page::Tags),
        };
        TaxonomyView { kind, title, singular, url: self.url(index) }
    }

    /// Day `i` as its page (and the home page) sees it.
    fn day_value(&self, i: usize) -> Result<Value, Diagnostic> {
        let day = &self.site.days[i];
        let view = DayView {
            summary: &self.days[i],
            intro_html: day.intro.as_deref().map(|t| self.markdown.render(t)),
            prev: i.checked_sub(1).map(|j| &self.days[j]),
            next: self.days.get(i + 1),
        };
        Ok(with_papers(Value::from_serializable(&view), self.list(&day.papers)?))
    }

    /// An author or tag as its page sees it: its summary and its papers.
    fn term_value(&self, summary: &TermSummary, papers: &[usize]) -> Result<Value, Diagnostic> {
        Ok(with_papers(Value::from_serializable(summary), self.list(papers)?))
    }

    /// `chrome` for the page kind `CHROME_KINDS[i]`: its header and the footer. They show the
    /// site and at most which page kind is current, so each is rendered once, not per page.
    fn chrome(&self, i: usize) -> Result<&Value, Diagnostic> {
        if let Some(chrome) = self.chrome[i].get() {
            return Ok(chrome);
        }
        let render = |template: &str| {
            let mut ctx = Context::new();
            ctx.insert_value("site", self.site_value.clone());
            ctx.insert("page", &serde_json::json!({ "kind": CHROME_KINDS[i] }));
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
            return papers.par_iter().map(|&p| self.item(p).cloned()).collect();
        }
        papers.iter().map(|&p| self.item(p).cloned()).collect()
    }

    /// Paper `i` as a list item, made once per build (a paper is listed on its days, authors
    /// and tags: rendering its teaser once saves most of the cost of those pages).
    fn item(&self, i: usize) -> Result<&Value, Diagnostic> {
        let cell = &self.items[i];
        if let Some(item) = cell.get() {
            return Ok(item);
        }
        let teaser = self.teaser(i);
        let key = &self.site.papers[i].key;
        if self.cache.keep {
            let cache = self.cache.items.lock().expect("teaser cache lock");
            let cached = cache.get(key).and_then(|(view, item)| (view == teaser).then(|| item.clone()));
            drop(cache);
            if let Some(item) = cached {
                return Ok(cell.get_or_init(|| item));
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
        if self.cache.keep {
            self.cache.items.lock().expect("teaser cache lock").insert(key.clone(), (teaser.clone(), item.clone()));
        }
        Ok(cell.get_or_init(|| item))
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
                SectionView { id, heading: Markdown::plain_text(&s.heading), kind, html: self.markdown.render(&s.body) }
            })
            .collect();
        PaperView {
            title_html: &teaser.title_html,
            title_text: &teaser.title_text,
            slug: &paper.slug,
            url: &teaser.url,
            permalink: format!("{}{}", self.config.base_url, page_path(self.site, Page::Paper(i))),
            arxiv: paper.arxiv.as_deref(),
            authors: paper.authors.iter().map(|&a| self.term_link(&self.site.authors[a], "authors")).collect(),
            tags: &teaser.tags,
            dates: paper.dates.iter().map(|d| &self.days[day_of(d)]).collect(),
            date: &teaser.date,
            links: links(paper),
            lead_html: paper.summary.lead.as_deref().map(|l| self.markdown.render(l)),
            sections,
            questions: paper.summary.questions.iter().map(|q| self.markdown.render_inline(q)).collect(),
            bibtex: cite::bibtex(paper, self.site, &self.permalink(Page::Paper(i))),
            bib_url: &teaser.bib_url,
            citation: cite::citation(paper, self.site, &self.permalink(Page::Paper(i))),
            related: self.related_views(i),
            abstract_text: paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref()),
            upvotes: paper.fetched.as_ref().and_then(|f| f.upvotes),
            venue: paper.fetched.as_ref().and_then(|f| f.venue.as_deref()),
            doi: paper.fetched.as_ref().and_then(|f| f.doi.as_deref()),
            submitted: paper.fetched.as_ref().and_then(|f| f.submitted.as_deref()),
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
}

impl TeaserCache {
    /// The teaser text of `paper`, from the cache while its title and summary are unchanged.
    fn text(&self, paper: &Paper, markdown: &Markdown) -> TeaserText {
        let make = || TeaserText {
            title_html: markdown.render_inline(&paper.title),
            title_text: Markdown::plain_text(&paper.title),
            teaser: teaser_text(paper),
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

/// A paper's links: the arXiv abstract, PDF and Hugging Face page derived from its id unless
/// given, then the others in the order written.
fn links(paper: &Paper) -> Vec<PaperLink> {
    let given = |name: &str| paper.links.iter().find(|(n, _)| n == name).map(|(_, u)| u.clone());
    let mut out = Vec::new();
    let mut push = |name: &str, url: Option<String>| {
        if let Some(url) = url {
            out.push(PaperLink { name: name.to_string(), label: label(name), url });
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
        push("doi", doi.filter(|u| crate::safe::is_safe_url(u)));
    }
    out
}

fn label(name: &str) -> String {
    match name {
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
    let source = substance.map(|s| s.body.as_str()).or(paper.summary.lead.as_deref()).unwrap_or("");
    teaser_of(source)
}

/// Checks [`teaser_of`] against the plain text of the whole source (for the fuzz checks).
pub fn check_teaser(source: &str) {
    assert_eq!(teaser_of(source), truncate_text(&Markdown::plain_text(source), 280), "{source:?}");
}

/// The teaser of a Markdown source: its plain text cut to 280 characters. When the first
/// block alone has more, only it is read: blocks are parsed independently unless link
/// references or footnotes (`[`) tie them, so its text starts the whole text.
fn teaser_of(source: &str) -> String {
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
