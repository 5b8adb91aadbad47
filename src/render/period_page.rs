//! What a week's or a month's page receives (`period.html`), its Atom feed, and the links to
//! periods from day pages and the archive. Which papers and in what order: `periods.rs`.

use tera::value::{Key, Map};
use tera::{Context, Value};

use super::Renderer;
use super::feeds::FeedHead;
use super::periods::{self, Order, Period};
use super::urls::{self, List, Page};
use super::views::{MonthView, PeriodLink, PeriodView};
use crate::diagnostic::Diagnostic;

/// How many of a period's most upvoted papers its first page shows as teasers (the rest, and
/// every paper of a period without upvotes, one line each: the days show every teaser, and
/// a teaser per paper made the weeks and months a third of a large site's bytes).
pub const PERIOD_TEASERS: usize = 10;

/// A period's order and papers (`periods::ordered`), shared by its pages and its feed.
pub(super) type PeriodPapers = std::sync::Arc<(Order, Vec<usize>)>;

impl Renderer<'_> {
    /// `period`'s papers in order, made once (a month has a page per 50 papers: each made
    /// them again, sorting the whole month). The lock only finds the period's cell: the sort
    /// runs outside it, so workers rendering other periods do not wait for it.
    fn period_papers(&self, period: Period) -> PeriodPapers {
        let cell = self.periods.lock().expect("period lists lock").entry(period).or_default().clone();
        cell.get_or_init(|| std::sync::Arc::new(periods::ordered(self.site, period))).clone()
    }

    /// A link to `period` with its title, if it has a page.
    pub(super) fn period_link(&self, period: Period) -> Option<PeriodLink> {
        period.is_listed(self.site).then(|| PeriodLink { title: period.title(), url: self.url(Page::Period(period)) })
    }

    /// The archive's `months` with links to their pages and to the weeks of their days.
    pub(super) fn link_periods(&self, months: &mut [MonthView<'_>]) {
        for month in months {
            let dates = month.days.iter().rev().filter_map(|d| d.date.parse::<chrono::NaiveDate>().ok());
            let mut weeks: Vec<Period> = dates.clone().map(Period::week_of).collect();
            weeks.dedup();
            month.weeks = weeks.into_iter().filter_map(|w| self.period_link(w)).collect();
            month.page = dates.map(Period::month_of).next().and_then(|m| self.period_link(m));
        }
    }

    /// Page `n` of `period`: `period` (its view) and `sections`, its papers in runs under one
    /// heading each (a tag when grouped by tag; one run without a heading otherwise).
    pub(super) fn fill_period(&self, ctx: &mut Context, period: Period, n: u32) -> Result<(), Diagnostic> {
        let made = self.period_papers(period);
        let (order, papers) = (made.0, &made.1);
        let (first, last) = period.span();
        let view = PeriodView {
            kind: period.dir(),
            title: period.title(),
            dates: period.dates(),
            first: first.to_string(),
            last: last.to_string(),
            count: papers.len(),
            order: order.name(),
            feed_url: urls::join(&self.base, &urls::period_feed_path(period)),
        };
        ctx.insert("period", &view);
        let shown = &papers[self.range(List::Period(period), papers.len(), n)];
        let mut sections: Vec<Value> = Vec::new();
        let mut start = 0;
        while start < shown.len() {
            let tag = (order == Order::Tags).then(|| self.site.papers[shown[start]].tags.first().copied()).flatten();
            let len = if order == Order::Tags {
                shown[start..].iter().take_while(|&&p| self.site.papers[p].tags.first().copied() == tag).count()
            } else {
                shown.len()
            };
            let mut map = Map::default();
            let heading = tag.map(|t| self.tag_link(t)).map(|l| Value::from_serializable(&l));
            let heading = heading.unwrap_or_else(|| {
                if order == Order::Tags { Value::from_serializable(&UNTAGGED) } else { Value::none() }
            });
            map.insert(Key::Str("tag"), heading);
            // The most upvoted few as teasers, first on page 1; every other paper a line.
            let run = &shown[start..start + len];
            let teasers =
                if n == 1 && order == Order::Upvotes && start == 0 { run.len().min(PERIOD_TEASERS) } else { 0 };
            map.insert(Key::Str("papers"), Value::from(self.list(&run[..teasers])?));
            let lines: Vec<Value> = run[teasers..].iter().map(|&p| self.line(p).clone()).collect();
            map.insert(Key::Str("lines"), Value::from(lines));
            sections.push(Value::from(map));
            start += len;
        }
        ctx.insert_value("sections", Value::from(sections));
        Ok(())
    }

    /// The Atom feed of `period`: its papers in its page's order, as many as the feeds carry,
    /// each as lean as in a tag's feed.
    pub fn period_feed(&self, period: Period) -> String {
        let base = &self.config.base_url;
        let head = FeedHead {
            title: format!("{} · {}", period.title(), self.config.title),
            self_url: urls::join(base, &urls::period_feed_path(period)),
            page_url: urls::join(base, &urls::period_path(period)),
        };
        let made = self.period_papers(period);
        let papers = &made.1[..made.1.len().min(self.config.feed_limit)];
        self.atom(&head, papers, false)
    }
}

/// The heading of the papers without a tag, last on a page grouped by tag.
#[derive(serde::Serialize)]
struct Untagged {
    name: &'static str,
    url: &'static str,
}

const UNTAGGED: Untagged = Untagged { name: "Untagged", url: "" };
