//! Day files: `content/YYYY-MM-DD.toml` (a day and its `[[papers]]`) and
//! `content/YYYY-MM-DD/_day.toml` (a day's title and intro).

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::paper::{PAPER_KEYS, PaperFields, paper_entry};
use super::{Content, DayInfo, Source};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::tomlread::{self, Origin};

const DAY_KEYS: &[&str] = &["title", "intro", "papers"];
const DAY_INFO_KEYS: &[&str] = &["title", "intro"];

#[derive(Debug, Default, Deserialize)]
struct DayFields {
    title: Option<String>,
    intro: Option<String>,
}

pub(super) fn read_day_file(
    text: &str,
    shown: &Path,
    date: NaiveDate,
    out: &mut Content,
) -> Result<(), Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let origin = Origin { file: shown, source: text, offset: 0, lines: &lines };
    let mut table = tomlread::parse(text, origin)?;
    let mut diagnostics = tomlread::unknown_keys(table.get_ref(), DAY_KEYS, "a day file", origin);
    let papers = table.get_mut().remove("papers");
    let fields: DayFields = tomlread::deserialize(table, DAY_INFO_KEYS, "a day file", origin).unwrap_or_else(|d| {
        diagnostics.extend(d);
        DayFields::default()
    });
    out.days.push(DayInfo {
        date,
        title: fields.title,
        intro: fields.intro,
        source: Source { file: shown.into(), line: 1 },
    });
    let papers = match papers.map(Spanned::into_inner) {
        None => Vec::new(),
        Some(toml::de::DeValue::Array(items)) => items.into_iter().collect::<Vec<_>>(),
        Some(_) => {
            diagnostics.push(
                Diagnostic::error(shown, "`papers` must be an array of tables")
                    .with_hint("write each paper as a [[papers]] table"),
            );
            Vec::new()
        }
    };
    for (i, value) in papers.into_iter().enumerate() {
        let span = value.span();
        let line = origin.line_of(span.start);
        let result =
            tomlread::deserialize_value::<PaperFields>(value, PAPER_KEYS, "a paper", origin).and_then(|mut fields| {
                fields.weight.get_or_insert(i as i64 + 1);
                paper_entry(fields, None, Some(date), origin, span, line)
            });
        match result {
            Ok(entry) => out.entries.push(entry),
            Err(d) => diagnostics.extend(d),
        }
    }
    if diagnostics.is_empty() { Ok(()) } else { Err(diagnostics) }
}

pub(super) fn read_day_info(
    text: &str,
    shown: &Path,
    date: NaiveDate,
    out: &mut Content,
) -> Result<(), Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let origin = Origin { file: shown, source: text, offset: 0, lines: &lines };
    let table = tomlread::parse(text, origin)?;
    let fields: DayFields = tomlread::deserialize(table, DAY_INFO_KEYS, "_day.toml", origin)?;
    out.days.push(DayInfo {
        date,
        title: fields.title,
        intro: fields.intro,
        source: Source { file: shown.into(), line: 1 },
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fastest of three runs of `f`, in seconds.
    fn best_of_three(f: impl Fn()) -> f64 {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                f();
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn day_files_are_read_in_linear_time() {
        let day = |n: usize| (0..n).map(|i| format!("[[papers]]\ntitle = \"P{i}\"\n\n")).collect::<String>();
        let read = |text: &str| {
            let mut out = Content::default();
            let date = NaiveDate::from_ymd_opt(2024, 10, 22).unwrap();
            read_day_file(text, Path::new("content/2024-10-22.toml"), date, &mut out).unwrap();
            assert_eq!(out.entries.last().unwrap().source.line, text.lines().count() - 2);
        };
        // Measured against parsing the same TOML alone, back to back, so that a busy machine
        // slows both: reading costs a small multiple of parsing. Finding each paper's line by
        // counting the lines before it (as before the line index) made it hundreds of times more.
        let text = day(20_000);
        let parse = best_of_three(|| drop(std::hint::black_box(toml::de::DeTable::parse_recoverable(&text))));
        let ratio = best_of_three(|| read(&text)) / parse;
        assert!(ratio < 25.0, "reading 20,000 papers took {ratio:.1}× parsing them");
    }
}
