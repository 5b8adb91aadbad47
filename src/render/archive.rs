//! The archive's month list with an inline SVG calendar of papers per day (and its legend),
//! and its figures (papers per month as a labelled bar table, top tags and authors), all made
//! at build time. Days without papers are left out: they are neither listed nor counted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::markdown::escape;
use super::views::{DaySummary, LevelView, MonthBar, MonthView, StatsView, TermSummary};
use crate::model::Site;

const CELL: u32 = 22;
const GAP: u32 = 4;

/// The archive's months with papers, newest first, and their days, newest first.
pub fn months<'a>(site: &Site, days: &'a [DaySummary]) -> Vec<MonthView<'a>> {
    let max = site.days.iter().map(|d| d.papers.len()).max().unwrap_or(0);
    let mut by_month: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for (i, d) in site.days.iter().enumerate().filter(|(_, d)| !d.papers.is_empty()) {
        by_month.entry((d.date.year(), d.date.month())).or_default().push(i);
    }
    by_month
        .into_iter()
        .rev()
        .map(|((year, month), indices)| {
            let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a real month");
            // Newest first, like the months.
            let listed: Vec<&DaySummary> = indices.iter().rev().map(|&i| &days[i]).collect();
            MonthView {
                id: format!("{year}-{month:02}"),
                label: first.format("%B %Y").to_string(),
                count: listed.iter().map(|d| d.count).sum(),
                calendar_svg: calendar(first, &listed, max),
                days: listed,
                page: None,
                weeks: Vec::new(),
            }
        })
        .collect()
}

/// The intensity class of a day with `count` papers when the busiest day has `max`.
fn level(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 { 0 } else { 1 + (count * 4 - 1) / max.max(1) }.min(4)
}

/// The calendar's legend: the papers-a-day range of each intensity class in use.
pub fn legend(site: &Site) -> Vec<LevelView> {
    legend_for(site.days.iter().map(|d| d.papers.len()).max().unwrap_or(0))
}

/// The legend when the busiest day has `max` papers.
fn legend_for(max: usize) -> Vec<LevelView> {
    let mut levels: Vec<LevelView> = Vec::new();
    for count in 1..=max {
        let level = level(count, max);
        match levels.last_mut() {
            Some(last) if last.level == level => last.to = count,
            _ => levels.push(LevelView { level, from: count, to: count }),
        }
    }
    levels
}

/// A month as a calendar grid (weeks as rows, Monday first); each digest day is a link.
fn calendar(first: NaiveDate, days: &[&DaySummary], max: usize) -> String {
    let by_day: BTreeMap<u32, &DaySummary> =
        days.iter().filter_map(|d| d.date.parse::<NaiveDate>().ok().map(|n| (n.day(), *d))).collect();
    let offset = first.weekday().num_days_from_monday();
    let length = days_in_month(first);
    let rows = (offset + length).div_ceil(7);
    let step = CELL + GAP;
    let header = 16;
    let width = 7 * step - GAP;
    let height = header + rows * step - GAP;
    let total: usize = days.iter().map(|d| d.count).sum();
    let label = format!(
        "{}: {total} paper{} on {} day{}",
        first.format("%B %Y"),
        plural(total),
        days.len(),
        plural(days.len())
    );
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        "<svg class=\"calendar\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(&label)
    );
    for (i, name) in ["M", "T", "W", "T", "F", "S", "S"].iter().enumerate() {
        let x = i as u32 * step + CELL / 2;
        let _ = write!(
            svg,
            "<text class=\"cal-head\" x=\"{x}\" y=\"11\" text-anchor=\"middle\" aria-hidden=\"true\">{name}</text>"
        );
    }
    for day in 1..=length {
        let cell = offset + day - 1;
        let x = (cell % 7) * step;
        let y = header + (cell / 7) * step;
        let tx = x + CELL / 2;
        let ty = y + CELL / 2 + 4;
        match by_day.get(&day) {
            Some(d) => {
                let title = format!("{}: {} paper{}", d.date_long, d.count, plural(d.count));
                let level = level(d.count, max);
                let _ = write!(
                    svg,
                    "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><rect class=\"cal-{level}\" x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" rx=\"4\"/><text class=\"on-{level}\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\">{day}</text></a>",
                    escape(&d.url),
                    escape(&title),
                    escape(&title),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<rect class=\"cal-empty\" x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" rx=\"4\"/><text class=\"cal-off\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" aria-hidden=\"true\">{day}</text>"
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn days_in_month(first: NaiveDate) -> u32 {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map_or(31, |n| (n - first).num_days() as u32)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The archive's figures: counts, papers per month, top tags and authors.
pub fn stats<'a>(
    site: &Site,
    days: &[DaySummary],
    authors: &'a [TermSummary],
    tags: &'a [TermSummary],
) -> StatsView<'a> {
    let top = |terms: &'a [TermSummary]| {
        let mut sorted: Vec<&TermSummary> = terms.iter().collect();
        sorted.sort_by(|a, b| b.count.cmp(&a.count).then(a.slug.cmp(&b.slug)));
        sorted.truncate(10);
        sorted
    };
    StatsView {
        papers: site.papers.len(),
        days: days.iter().filter(|d| d.count > 0).count(),
        authors: site.authors.len(),
        tags: site.tags.len(),
        per_month: per_month(site, days),
        levels: legend(site),
        top_tags: top(tags),
        top_authors: top(authors),
    }
}

/// Papers per month, oldest first, each with its bar's length relative to the busiest month.
fn per_month(site: &Site, days: &[DaySummary]) -> Vec<MonthBar> {
    let mut counts: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for (d, s) in site.days.iter().zip(days).filter(|(_, s)| s.count > 0) {
        *counts.entry((d.date.year(), d.date.month())).or_default() += s.count;
    }
    let max = counts.values().copied().max().unwrap_or(1).max(1);
    counts
        .into_iter()
        .filter_map(|((year, month), count)| {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            Some(MonthBar {
                id: format!("{year}-{month:02}"),
                label: first.format("%b %Y").to_string(),
                count,
                percent: (count * 100).div_ceil(max) as u32,
                url: String::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level(0, 10), 0);
        assert_eq!(level(1, 10), 1);
        assert_eq!(level(10, 10), 4);
        assert_eq!(level(5, 10), 2);
    }

    #[test]
    fn the_legend_covers_every_count_once() {
        let ranges: Vec<(usize, usize, usize)> = legend_for(46).iter().map(|l| (l.level, l.from, l.to)).collect();
        assert_eq!(ranges, [(1, 1, 11), (2, 12, 23), (3, 24, 34), (4, 35, 46)]);
        assert_eq!(legend_for(1).len(), 1);
        assert!(legend_for(0).is_empty());
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()), 29);
        assert_eq!(days_in_month(NaiveDate::from_ymd_opt(2024, 12, 1).unwrap()), 31);
    }
}
