//! What each page's template receives: `Renderer::fill` and the views it is made of (a day,
//! a term, a paper, the authors index, pagination).
use std::collections::HashMap;

use chrono::NaiveDate;
use tera::value::Key;
use tera::{Context, Value};

use super::markdown::{Markdown, Tex};
use super::teaser::{links, truncate_text};
use super::urls::TermKind;
use super::views::*;
use super::{List, Page, Renderer, archive, cite, page_path, search, urls};
use crate::diagnostic::Diagnostic;
use crate::model::{Paper, Site};
use crate::slug::slugify_nonempty;

/// How many authors a paper's page names in its byline; the rest are one click away.
pub const PAGE_AUTHORS: usize = 20;
/// How many of a paper's authors its page links (the others are named as text).
pub const LINKED_AUTHORS: usize = 500;

/// The names of paper's authors past [`LINKED_AUTHORS`], comma-separated.
fn unlinked_names(site: &Site, paper: &Paper) -> String {
    let names: Vec<&str> = paper.authors.iter().skip(LINKED_AUTHORS).map(|&a| site.authors[a].name.as_str()).collect();
    names.join(", ")
}

impl Renderer<'_> {
    /// What the template of `shown` (page `n` of its list) receives beside `site`, `page` and
    /// `pagination`.
    pub(super) fn fill(&self, ctx: &mut Context, shown: Page, n: u32) -> Result<(), Diagnostic> {
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
                ctx.insert("taxonomy", &self.taxonomy(TermKind::Author));
                ctx.insert("terms", &self.author_index(n));
                ctx.insert("letters", self.letters());
                ctx.insert("top", &if n == 1 { self.top_authors() } else { Vec::new() });
            }
            Page::Tags => {
                ctx.insert("taxonomy", &self.taxonomy(TermKind::Tag));
                ctx.insert("terms", self.slice(List::Tags, self.tags(), n));
                ctx.insert("letters", &Vec::<LetterLink>::new());
                ctx.insert("top", &Vec::<&TermSummary>::new());
            }
            Page::Author(i) => {
                ctx.insert("taxonomy", &self.taxonomy(TermKind::Author));
                let papers = self.slice(List::Author(i), &self.site.authors[i].papers, n);
                ctx.insert_value("term", self.term_value(&self.authors()[i], papers)?);
            }
            Page::Tag(i) => {
                ctx.insert("taxonomy", &self.taxonomy(TermKind::Tag));
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
    pub(super) fn range(&self, list: List, len: usize, n: u32) -> std::ops::Range<usize> {
        list.range(len, self.config.paginate_by, n)
    }

    /// The links between the pages of `list`, on page `n`; none for a list of one page. A
    /// long list links its first and last pages and the two on each side of `n`.
    pub(super) fn pagination(&self, list: List, n: u32) -> Option<PaginationView> {
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

    /// The authors with the most papers (at least two, and a page), for the first page of the
    /// index.
    fn top_authors(&self) -> Vec<&TermSummary> {
        let paged = |(i, t): &(usize, &TermSummary)| t.count >= 2 && self.site.author_has_page(*i);
        let mut top: Vec<&TermSummary> = self.authors().iter().enumerate().filter(paged).map(|(_, t)| t).collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        top.truncate(24);
        top
    }

    /// Which taxonomy a term page or index shows: authors or tags.
    fn taxonomy(&self, kind: TermKind) -> TaxonomyView {
        let (title, singular) = match kind {
            TermKind::Author => ("Authors", "author"),
            TermKind::Tag => ("Tags", "tag"),
        };
        let (url, count) = (self.url(kind.index()), kind.terms(self.site).len());
        TaxonomyView { kind: kind.segment(), title, singular, url, count }
    }

    /// Page `n` of day `i` as its page (and the home page) sees it.
    fn day_value(&self, i: usize, n: u32) -> Result<Value, Diagnostic> {
        let day = &self.site.days[i];
        let view = DayView {
            summary: &self.days[i],
            intro_html: day.intro.as_deref().map(|t| self.markdown.render(t)),
            prev: self.days[..i].iter().rev().find(|d| d.count > 0),
            next: self.days.iter().skip(i + 1).find(|d| d.count > 0),
            week: self.period_link(super::periods::Period::week_of(day.date)),
            month: self.period_link(super::periods::Period::month_of(day.date)),
        };
        Ok(with_papers(Value::from_serializable(&view), self.list(self.slice(List::Day(i), &day.papers, n))?))
    }

    /// An author or tag as its page sees it: its summary and its papers.
    fn term_value(&self, summary: &TermSummary, papers: &[usize]) -> Result<Value, Diagnostic> {
        // Term pages list a line per paper: no rendered teaser needed.
        let lines = papers.iter().map(|&p| self.line(p).clone()).collect();
        Ok(with_papers(Value::from_serializable(summary), lines))
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
                let lang = crate::lang::differing(&s.body, &self.config.language);
                SectionView { id, heading: Markdown::plain_text(&s.heading), kind, html, lang }
            })
            .collect();
        let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
        let lang_of = |text: &str| crate::lang::differing(text, &self.config.language);
        PaperView {
            title_html: &teaser.title_html,
            title_text: &teaser.title_text,
            title_lang: teaser.title_lang,
            lead_lang: paper.summary.lead.as_deref().and_then(lang_of),
            abstract_lang: abstract_text.and_then(lang_of),
            slug: &paper.slug,
            url: &teaser.url,
            permalink: urls::join(&self.config.base_url, &page_path(self.site, Page::Paper(i))),
            arxiv: paper.arxiv.as_deref(),
            authors: paper.authors.iter().take(PAGE_AUTHORS).map(|&a| self.author_link(a)).collect(),
            more_authors: paper
                .authors
                .iter()
                .take(LINKED_AUTHORS)
                .skip(PAGE_AUTHORS)
                .map(|&a| self.author_link(a))
                .collect(),
            unlinked_authors: unlinked_names(self.site, paper),
            author_count: paper.authors.len(),
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
            abstract_text,
            upvotes: paper.fetched.as_ref().and_then(|f| f.upvotes),
            venue: paper.fetched.as_ref().and_then(|f| f.venue.as_deref()),
            doi: paper.fetched.as_ref().and_then(|f| f.doi.as_deref()),
            submitted: paper.fetched.as_ref().and_then(|f| f.submitted.as_deref()),
            comment: paper.fetched.as_ref().and_then(|f| f.comment.as_deref()),
            description: truncate_text(&teaser.teaser, 160),
            prev: position.checked_sub(1).map(|j| neighbour(in_day[j])),
            next: in_day.get(position + 1).map(|&j| neighbour(j)),
            day: &self.days[first_day],
        }
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
