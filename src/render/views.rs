//! The views templates receive: small serialisable structs holding exactly what a page shows,
//! never the whole site. `docs/templates.md` documents every field.

use serde::Serialize;

/// The site-wide fields every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub author: String,
    pub home_url: String,
    pub feed_url: String,
    pub search_url: String,
    pub archive_url: String,
    pub tags_url: String,
    /// Whether any paper has a tag: without tags, no page links to the (empty) tags index.
    pub has_tags: bool,
    pub authors_url: String,
    /// The site as a web search's `sites` filter (`user.github.io/repo`): where the search
    /// forms send a query when JavaScript is off.
    pub search_site: String,
    /// The JSON Feed beside the Atom feed, and the OPML list of every feed.
    pub json_feed_url: String,
    pub opml_url: String,
    /// The papers saved in this browser.
    pub saved_url: String,
    pub generator: String,
}

/// The page being rendered, as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub path: String,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
}

/// A link to an author or a tag: made once per term and shared (an author is linked from
/// every teaser of their papers: hundreds of thousands of copies at 100,000 papers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    pub name: std::sync::Arc<str>,
    pub url: std::sync::Arc<str>,
}

/// A day as listed: in the recent days, the archive, a paper's dates, prev/next.
#[derive(Debug, Clone, Serialize)]
pub struct DaySummary {
    pub date: String,
    pub date_long: String,
    pub title: Option<String>,
    pub url: String,
    pub count: usize,
    /// The BibTeX file of all the day's papers.
    pub bib_url: String,
}

/// A day's digest page. Its `papers` (list items: the teaser's fields and `html`, the rendered
/// `teaser.html`) are added to its value by the renderer, which makes each item once.
#[derive(Debug, Serialize)]
pub struct DayView<'a> {
    #[serde(flatten)]
    pub summary: &'a DaySummary,
    pub intro_html: Option<String>,
    pub prev: Option<&'a DaySummary>,
    pub next: Option<&'a DaySummary>,
    /// The day's week and month pages (none for a day without papers).
    pub week: Option<PeriodLink>,
    pub month: Option<PeriodLink>,
}

/// A link to a week's or a month's page.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    /// "Week 43 of 2024", "October 2024".
    pub title: String,
    pub url: String,
}

/// A week's or a month's page (`period.html`), as `period`; its papers come as `sections`.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    /// `week` or `month`.
    pub kind: &'static str,
    pub title: String,
    /// Its days in words: "21–27 October 2024".
    pub dates: String,
    /// Its first and last days (`YYYY-MM-DD`).
    pub first: String,
    pub last: String,
    /// How many papers it lists (each once).
    pub count: usize,
    /// `upvotes` (most upvoted first), `tags` (grouped by first tag) or `days` (day order).
    pub order: &'static str,
    pub feed_url: String,
}

/// A paper in a list: computed once per build, shared by every list it appears in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Teaser {
    pub title_html: String,
    pub title_text: String,
    pub url: String,
    pub slug: String,
    pub arxiv: Option<String>,
    /// The first [`super::BYLINE_AUTHORS`] authors; lists fold the rest into "and N more".
    pub authors: Vec<LinkView>,
    pub more_authors: usize,
    pub tags: Vec<LinkView>,
    /// The links a list shows inline: arXiv, PDF, Hugging Face, code and project page.
    pub links: Vec<PaperLink>,
    pub teaser: String,
    /// The row's TL;DR (`render::tldr`): what a phone shows, and the rest a wider screen shows.
    pub tldr: String,
    pub tldr_more: String,
    /// Hugging Face upvotes, where `enrich` fetched them.
    pub upvotes: Option<u64>,
    /// The `lang` of the title and of the teaser text where their script differs from the
    /// site's `language` ([`crate::lang::differing`]): `zh`, `ja`, `ko`, or `en` on a CJK site.
    pub title_lang: Option<&'static str>,
    pub teaser_lang: Option<&'static str>,
    /// The latest day the paper is listed on.
    pub date: String,
    /// The paper's BibTeX file.
    pub bib_url: String,
}

/// A paper as a line of an author's or a tag's page: the teaser's fields but the teaser text,
/// links, tags and BibTeX, and only the first [`super::LINE_AUTHORS`] authors. Made
/// once per paper and shared by every page listing it: a paper is on a page per author and
/// per tag, and at 100,000 papers whole teasers held for all of them took most of a build's
/// memory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperLine<'a> {
    pub title_html: &'a str,
    pub title_text: &'a str,
    pub url: &'a str,
    pub slug: &'a str,
    pub arxiv: Option<&'a str>,
    pub authors: &'a [LinkView],
    pub more_authors: usize,
    pub date: &'a str,
}

/// A named link of a paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperLink {
    pub name: String,
    pub label: String,
    pub url: String,
}

/// One part of a paper's summary.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    /// The part's name: TL;DR, Objective, Method, Results, Implications, Limitations, or a
    /// label of the content's own; never the generator's wording of its instructions.
    pub heading: String,
    /// `tldr` (the one-line summary), `part` (any other part) or `text` (a summary with no
    /// parts, shown without a label).
    pub kind: &'static str,
    pub html: String,
    /// The part's `lang` where its script differs from the site's (as [`Teaser::title_lang`]).
    pub lang: Option<&'static str>,
}

impl SectionView {
    /// The kind of a part with this heading (see [`SectionView::kind`]).
    pub fn kind_of(heading: &str) -> &'static str {
        use crate::content::summary::{PLAIN_HEADING, TLDR};
        match heading {
            TLDR => "tldr",
            PLAIN_HEADING => "text",
            _ => "part",
        }
    }
}

/// The previous or next paper in a day.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbour<'a> {
    pub title_html: &'a str,
    pub title_text: &'a str,
    pub url: &'a str,
}

/// A paper's own page.
#[derive(Debug, Serialize)]
pub struct PaperView<'a> {
    pub title_html: &'a str,
    pub title_text: &'a str,
    /// The `lang` of the title, the lead and the abstract where their script differs from the
    /// site's (as [`Teaser::title_lang`]).
    pub title_lang: Option<&'static str>,
    pub lead_lang: Option<&'static str>,
    pub abstract_lang: Option<&'static str>,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub arxiv: Option<&'a str>,
    /// The first [`super::PAGE_AUTHORS`] authors, shown in the byline.
    pub authors: Vec<LinkView>,
    /// The others up to [`super::LINKED_AUTHORS`], linked, behind "et al. (N authors)".
    pub more_authors: Vec<LinkView>,
    /// The names of the others past those, as text (a paper with thousands of authors stays
    /// under 300 KB).
    pub unlinked_authors: String,
    /// How many authors the paper has.
    pub author_count: usize,
    pub tags: &'a [LinkView],
    pub dates: Vec<&'a DaySummary>,
    /// The latest day it is listed on.
    pub date: &'a str,
    pub links: Vec<PaperLink>,
    pub lead_html: Option<String>,
    pub sections: Vec<SectionView>,
    pub questions: Vec<String>,
    /// The paper's BibTeX entry, and its file.
    pub bibtex: &'a str,
    pub bib_url: &'a str,
    /// The Highwire `citation_*` fields.
    pub citation: super::cite::CitationView,
    /// The nearest papers by text, best first.
    pub related: Vec<RelatedView<'a>>,
    /// From `papershelf enrich` (`data/`): the arXiv abstract as plain text (templates show
    /// it escaped, never as Markdown or HTML), Hugging Face upvotes, the venue, the DOI and
    /// the day of arXiv's first version. Each is none when not fetched.
    pub abstract_text: Option<&'a str>,
    pub upvotes: Option<u64>,
    pub venue: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub submitted: Option<&'a str>,
    /// The arXiv comment a daily-arXiv row gives ("Accepted at ISED 2025, 8 pages").
    pub comment: Option<&'a str>,
    pub description: String,
    pub prev: Option<Neighbour<'a>>,
    pub next: Option<Neighbour<'a>>,
    pub day: &'a DaySummary,
}

/// A related paper, as a paper page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedView<'a> {
    pub title_html: &'a str,
    pub title_text: &'a str,
    pub url: &'a str,
    /// The latest day it is listed on.
    pub date: &'a str,
    /// Why it is listed, in a line: "same authors", "both tagged …", "both about …".
    pub reason: String,
}

/// An author or tag in an index.
#[derive(Debug, Clone, Serialize)]
pub struct TermSummary {
    pub name: String,
    pub slug: String,
    /// Its page, or for an author without one, the search page filtered to them.
    pub url: String,
    /// Its Atom feed, when it has a page.
    pub feed_url: Option<String>,
    pub count: usize,
}

/// A month of the archive.
#[derive(Debug, Serialize)]
pub struct MonthView<'a> {
    pub id: String,
    pub label: String,
    pub count: usize,
    pub days: Vec<&'a DaySummary>,
    pub calendar_svg: String,
    /// The month's page and the pages of the weeks with its papers (filled by the renderer).
    pub page: Option<PeriodLink>,
    pub weeks: Vec<PeriodLink>,
}

/// The archive's figures.
#[derive(Debug, Serialize)]
pub struct StatsView<'a> {
    pub papers: usize,
    pub days: usize,
    pub authors: usize,
    pub tags: usize,
    /// Papers per month, oldest first.
    pub per_month: Vec<MonthBar>,
    /// The calendar's colour classes and the papers-a-day range each stands for.
    pub levels: Vec<LevelView>,
    pub top_tags: Vec<&'a TermSummary>,
    pub top_authors: Vec<&'a TermSummary>,
}

/// The taxonomy a term page or index shows (`term.html`, `terms.html`).
#[derive(Debug, Serialize)]
pub struct TaxonomyView {
    /// `authors` or `tags`.
    pub kind: &'static str,
    pub title: &'static str,
    pub singular: &'static str,
    /// Its index page.
    pub url: String,
    /// How many authors or tags the site has (its index lists them over several pages).
    pub count: usize,
}

/// The links between the pages of a long list (`pagination`; none for a list of one page).
#[derive(Debug, Serialize)]
pub struct PaginationView {
    /// This page's number, from 1.
    pub current: u32,
    pub total: u32,
    /// The place in the whole list of this page's first item, from 1 (`<ol start>`).
    pub first: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The pages to link: the first, the last and those near `current`; `n` 0 marks a gap.
    pub pages: Vec<PageLink>,
}

/// One page of a long list.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub n: u32,
    pub url: String,
    pub current: bool,
}

/// An author on a page of the authors index, sorted by family name.
#[derive(Debug, Serialize)]
pub struct IndexEntry<'a> {
    #[serde(flatten)]
    pub term: &'a TermSummary,
    /// The family name's first letter when this entry starts that letter's run, for a heading.
    pub letter: Option<String>,
}

/// A letter of the authors index, linking to where its names start.
#[derive(Debug, Serialize)]
pub struct LetterLink {
    pub label: String,
    pub url: String,
}

/// A month in the archive's papers-per-month chart.
#[derive(Debug, Serialize)]
pub struct MonthBar {
    /// The month's id on the archive page (`2024-10`).
    pub id: String,
    /// `Oct 2024`.
    pub label: String,
    pub count: usize,
    /// The bar's length, in percent of the busiest month's.
    pub percent: u32,
    /// Where the month is shown: its archive page and anchor.
    pub url: String,
}

/// A colour class of the calendar (`cal-1` … `cal-4`) and the papers a day it stands for.
#[derive(Debug, Serialize)]
pub struct LevelView {
    pub level: usize,
    pub from: usize,
    pub to: usize,
}
