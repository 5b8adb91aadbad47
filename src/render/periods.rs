//! Weeks and months: a page for each ISO week (`week/2024-W43/`) and each calendar month
//! (`month/2024-10/`) with papers, listing that period's papers once each: the most upvoted
//! first where any has upvotes, else grouped by tag (a paper under its first tag), else in day
//! order. Plain data made from the [`Site`]: nothing is stored, so an edit cannot leave a
//! period stale.

use chrono::{Datelike, NaiveDate, Weekday};
use rustc_hash::FxHashSet as HashSet;

use crate::model::Site;

/// An ISO week (year of the week, week 1–53) or a calendar month (year, month 1–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Week(i32, u32),
    Month(i32, u32),
}

/// How a period's papers are ordered: see [`ordered`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The most upvoted first (some paper has Hugging Face upvotes).
    Upvotes,
    /// Grouped by each paper's first tag (no upvotes, some tags).
    Tags,
    /// As the days list them, oldest day first.
    Days,
}

impl Order {
    /// The order's name, as templates see it in `period.order`.
    pub fn name(self) -> &'static str {
        match self {
            Order::Upvotes => "upvotes",
            Order::Tags => "tags",
            Order::Days => "days",
        }
    }
}

impl Period {
    /// The ISO week of `date`.
    pub fn week_of(date: NaiveDate) -> Period {
        let w = date.iso_week();
        Period::Week(w.year(), w.week())
    }

    /// The month of `date`.
    pub fn month_of(date: NaiveDate) -> Period {
        Period::Month(date.year(), date.month())
    }

    /// The folder of its kind's pages: `week` or `month`.
    pub fn dir(self) -> &'static str {
        match self {
            Period::Week(..) => "week",
            Period::Month(..) => "month",
        }
    }

    /// Its name in URLs: `2024-W43`, `2024-10`.
    pub fn slug(self) -> String {
        match self {
            Period::Week(y, w) => format!("{y}-W{w:02}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    /// The period named `slug` in folder `dir` (the inverse of [`Period::dir`] and
    /// [`Period::slug`]), if it is a real week or month written the one way papershelf writes it.
    pub fn parse(dir: &str, slug: &str) -> Option<Period> {
        let period = match dir {
            "week" => {
                let (y, w) = slug.split_once("-W")?;
                Period::Week(y.parse().ok()?, w.parse().ok()?)
            }
            "month" => {
                let (y, m) = slug.split_once('-')?;
                Period::Month(y.parse().ok()?, m.parse().ok()?)
            }
            _ => return None,
        };
        (period.first_day().is_some() && period.slug() == slug).then_some(period)
    }

    /// Its first day (a Monday for a week), if it is a real period.
    fn first_day(self) -> Option<NaiveDate> {
        match self {
            Period::Week(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Mon),
            Period::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
        }
    }

    /// Its first and last days.
    pub fn span(self) -> (NaiveDate, NaiveDate) {
        let first = self.first_day().unwrap_or_default();
        let last = match self {
            Period::Week(..) => first.checked_add_days(chrono::Days::new(6)),
            Period::Month(..) => first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()),
        }
        .unwrap_or(first);
        (first, last)
    }

    /// Its title: "Week 43 of 2024", "October 2024".
    pub fn title(self) -> String {
        match self {
            Period::Week(y, w) => format!("Week {w} of {y}"),
            Period::Month(..) => self.span().0.format("%B %Y").to_string(),
        }
    }

    /// Its days in words: "21 October – 27 October 2024", "1–31 October 2024".
    pub fn dates(self) -> String {
        let (first, last) = self.span();
        if first.year() != last.year() {
            format!("{} – {}", first.format("%-d %B %Y"), last.format("%-d %B %Y"))
        } else if first.month() != last.month() {
            format!("{} – {}", first.format("%-d %B"), last.format("%-d %B %Y"))
        } else {
            format!("{}–{}", first.day(), last.format("%-d %B %Y"))
        }
    }

    /// The indices of its days in `site.days` (which are sorted by date).
    pub fn days(self, site: &Site) -> std::ops::Range<usize> {
        let (first, last) = self.span();
        site.days.partition_point(|d| d.date < first)..site.days.partition_point(|d| d.date <= last)
    }

    /// Whether it has a page: whether any of its days lists a paper.
    pub fn is_listed(self, site: &Site) -> bool {
        site.days[self.days(site)].iter().any(|d| !d.papers.is_empty())
    }

    /// Its papers, each once, in day order (a paper listed on two of its days at the first).
    pub fn papers(self, site: &Site) -> Vec<usize> {
        let mut seen = HashSet::default();
        site.days[self.days(site)].iter().flat_map(|d| d.papers.iter().copied()).filter(|&p| seen.insert(p)).collect()
    }
}

/// The weeks with papers, then the months with papers, each oldest first.
pub fn all(site: &Site) -> Vec<Period> {
    let listed = || site.days.iter().filter(|d| !d.papers.is_empty()).map(|d| d.date);
    // Dates are sorted, so each period's days are together.
    let mut out: Vec<Period> = listed().map(Period::week_of).chain(listed().map(Period::month_of)).collect();
    out.dedup();
    out
}

/// The periods of both kinds that `date` is in.
pub fn of_date(date: NaiveDate) -> [Period; 2] {
    [Period::week_of(date), Period::month_of(date)]
}

/// The papers of `period` in the order its page lists them, and which order that is: the most
/// upvoted first (then day order) when any has upvotes; else grouped by first tag, the biggest
/// group first (then by tag slug), untagged papers last, day order within a group; else day
/// order.
pub fn ordered(site: &Site, period: Period) -> (Order, Vec<usize>) {
    let mut papers = period.papers(site);
    let upvotes = |p: usize| site.papers[p].fetched.as_ref().and_then(|f| f.upvotes);
    let first_tag = |p: usize| site.papers[p].tags.first().copied();
    if papers.iter().any(|&p| upvotes(p).is_some()) {
        papers.sort_by_key(|&p| std::cmp::Reverse(upvotes(p)));
        return (Order::Upvotes, papers);
    }
    if papers.iter().any(|&p| first_tag(p).is_some()) {
        let mut sizes = rustc_hash::FxHashMap::<Option<usize>, usize>::default();
        for &p in &papers {
            *sizes.entry(first_tag(p)).or_default() += 1;
        }
        papers.sort_by_key(|&p| {
            let tag = first_tag(p);
            (tag.is_none(), std::cmp::Reverse(sizes[&tag]), tag)
        });
        return (Order::Tags, papers);
    }
    (Order::Days, papers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_and_found_one_way() {
        let date = NaiveDate::from_ymd_opt(2024, 10, 23).unwrap();
        let [week, month] = of_date(date);
        assert_eq!((week.slug(), month.slug()), ("2024-W43".to_string(), "2024-10".to_string()));
        assert_eq!(Period::parse("week", "2024-W43"), Some(week));
        assert_eq!(Period::parse("month", "2024-10"), Some(month));
        for (dir, odd) in [("week", "2024-W54"), ("week", "2024-W4"), ("month", "2024-13"), ("month", "2024-1")] {
            assert_eq!(Period::parse(dir, odd), None, "{odd}");
        }
        assert_eq!(week.dates(), "21–27 October 2024");
        assert_eq!(month.dates(), "1–31 October 2024");
        assert_eq!(Period::week_of(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).slug(), "2025-W01");
        assert_eq!(Period::Week(2025, 1).dates(), "30 December 2024 – 5 January 2025");
    }
}
