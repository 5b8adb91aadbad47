//! The daily-arXiv JSON Lines form (`dw-dengwei/daily-arXiv-ai-enhanced` and its forks): one
//! file a day, `YYYY-MM-DD.jsonl` (the crawl) or `YYYY-MM-DD_AI_enhanced_<Language>.jsonl`
//! (the same rows with an `AI` object), one JSON object a line. Each row becomes an [`Entry`]
//! on the file's day: `id` the arXiv id, `title`, `authors` (real names), `categories` as tags
//! ("Name (code)", `crate::categories`), `code_url` as the `code` link, and the abstract
//! (`summary`), the `comment` and `code_stars` riding along in [`Fetched`]. The `AI` object
//! becomes the summary's parts: TL;DR (`tldr`, or `task`), Motivation, Method, Results
//! (`result`), Conclusion, then every other key as a part of its own, so no word is dropped.
//! A failed run's value ("Method extraction failed") is not a part, and the row gets a
//! warning. A malformed line is an error at its line; the other lines are still read.
//!
//! [`merge`] runs over everything read: the crawl and the enhanced file of one day hold the
//! same rows, so a row of the crawl whose id the day's chosen enhanced file lists is left
//! out, and of several enhanced files of a day (Chinese, English) one is read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::summary::{METHOD, RESULTS, Section, Summary, TLDR};
use super::{Content, Entry, Fetched, MAX_TAGS, Source};
use crate::diagnostic::{Diagnostic, Severity};

/// The `AI` keys that are the summary's canonical parts, in the order shown, with their
/// headings. `task` stands for `tldr` on the days that have it in its place.
const PARTS: &[(&str, &str)] = &[
    ("tldr", TLDR),
    ("motivation", "Motivation"),
    ("method", METHOD),
    ("result", RESULTS),
    ("conclusion", "Conclusion"),
];

const ROW_HINT: &str = "each line is one JSON object with at least \"id\" (an arXiv id) and \"title\" (a string)";

/// What a `.jsonl` file's name says: its day, and the language of its `AI` fields when it is
/// an `_AI_enhanced_<Language>` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub date: NaiveDate,
    pub language: Option<String>,
}

/// Reads the name (`stem`, without `.jsonl`): none when it does not start with a day.
pub fn file_name(stem: &str) -> Option<FileName> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &stem[10..];
    let language = match rest {
        "" => None,
        _ => Some(rest.strip_prefix("_AI_enhanced_").unwrap_or(rest.trim_start_matches(['_', '-'])).to_string()),
    };
    Some(FileName { date, language })
}

/// Reads one `.jsonl` file (`text`, shown as `shown`) into `out`; returns its problems.
pub fn read(text: &str, shown: &Path, out: &mut Content) -> Vec<Diagnostic> {
    let stem = shown.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let Some(name) = file_name(stem) else {
        return vec![Diagnostic::error(shown, "a .jsonl file must be named after its day").with_hint(
            "name it YYYY-MM-DD.jsonl or YYYY-MM-DD_AI_enhanced_<Language>.jsonl, as daily-arXiv-ai-enhanced does",
        )];
    };
    let mut diagnostics = Vec::new();
    // The rows read, each with its failed keys; a day's file lists a paper once per category
    // query that found it (the real files repeat a third of their ids), so an id already read
    // is the same row again: the one with the fewest failed parts is kept, at its first place.
    let mut rows: Vec<(Entry, Vec<String>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = i + 1;
        match row(line, name.date, Source { file: shown.into(), line: at }, rows.len() + 1) {
            Ok((entry, failed)) => {
                let id = crate::arxiv::base_id(entry.arxiv.as_deref().unwrap_or("")).to_string();
                match seen.get(&id) {
                    Some(&k) if failed.len() < rows[k].1.len() => {
                        let weight = rows[k].0.weight;
                        rows[k] = (Entry { weight, ..entry }, failed);
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(id, rows.len());
                        rows.push((entry, failed));
                    }
                }
            }
            Err(message) => diagnostics.push(Diagnostic::error(shown, message).at_line(at).with_hint(ROW_HINT)),
        }
    }
    for (entry, failed) in rows {
        if !failed.is_empty() {
            diagnostics.push(failed_warning(shown, entry.source.line, &entry, &failed));
        }
        out.entries.push(entry);
    }
    diagnostics.sort_by_key(|d| d.line);
    diagnostics
}

fn failed_warning(shown: &Path, line: usize, entry: &Entry, failed: &[String]) -> Diagnostic {
    let id = entry.arxiv.as_deref().unwrap_or("");
    Diagnostic::warning(
        shown,
        format!("{id}: the summariser failed on {} ({}); not shown", failed.join(", "), entry.title),
    )
    .at_line(line)
    .with_hint("the paper shows its abstract instead; run the summariser again for this row to fill them")
}

/// One row: its entry and the `AI` keys whose values are a failed run's; or what is wrong.
fn row(line: &str, date: NaiveDate, source: Source, weight: usize) -> Result<(Entry, Vec<String>), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let Value::Object(obj) = value else {
        return Err(format!("the line is JSON {}, not an object", kind(&value)));
    };
    let id = string(&obj, "id")?.ok_or("missing field `id`")?.trim().to_string();
    if !crate::arxiv::is_id(&id) {
        return Err(format!("invalid arXiv id {id:?} in field `id`"));
    }
    let title = super::one_line(&string(&obj, "title")?.ok_or("missing field `title`")?);
    if title.is_empty() {
        return Err("the row's title is empty".into());
    }
    let (summary, failed) = match obj.get("AI") {
        None | Some(Value::Null) => (Summary::default(), Vec::new()),
        Some(Value::Object(ai)) => parts(ai),
        Some(other) => return Err(format!("field `AI` must be an object, not {}", kind(other))),
    };
    let fetched = Fetched {
        abstract_text: string(&obj, "summary")?.map(|s| super::one_line(&s)).filter(|s| !s.is_empty()),
        comment: string(&obj, "comment")?.map(|s| super::one_line(&s)).filter(|s| !s.is_empty()),
        code_stars: stars(obj.get("code_stars")),
        ..Fetched::default()
    };
    let links = string(&obj, "code_url")?
        .and_then(|u| crate::safe::publishable_web_url(u.trim()))
        .map(|u| ("code".to_string(), u))
        .into_iter()
        .collect();
    let entry = Entry {
        date,
        title,
        authors: strings(&obj, "authors")?,
        authors_from_table: false,
        arxiv: Some(id),
        links,
        tags: tags(&strings(&obj, "categories")?),
        slug: None,
        questions: Vec::new(),
        draft: false,
        weight: Some(weight as i64),
        summary: Arc::new(summary),
        fetched: Some(Arc::new(fetched)),
        source,
    };
    Ok((entry, failed))
}

/// The `AI` object as summary parts (canonical ones first, then the others by key), and the
/// keys left out because they hold a failed run's value.
fn parts(ai: &Map<String, Value>) -> (Summary, Vec<String>) {
    let mut sections = Vec::new();
    let mut failed = Vec::new();
    let mut push = |key: &str, heading: String, value: &Value| {
        let body = text_of(value);
        if is_failed(&body) {
            failed.push(key.to_string());
        } else if !body.trim().is_empty() {
            sections.push(Section { heading, label: None, body: body.trim().to_string() });
        }
    };
    let tldr_key = if ai.contains_key("tldr") { "tldr" } else { "task" };
    for &(key, heading) in PARTS {
        let key = if key == "tldr" { tldr_key } else { key };
        if let Some(v) = ai.get(key) {
            push(key, heading.to_string(), v);
        }
    }
    let canonical: Vec<&str> = PARTS.iter().map(|p| p.0).chain([tldr_key]).collect();
    for (key, v) in ai.iter().filter(|(k, _)| !canonical.contains(&k.as_str())) {
        push(key, heading_of(key), v);
    }
    (Summary { sections, ..Summary::default() }, failed)
}

/// Whether `value` is what a failed summariser run writes in place of a part: "Summary
/// generation failed", "Motivation analysis unavailable", "Method extraction failed",
/// "Result analysis unavailable", "Conclusion extraction failed", "Error", and the like.
pub fn is_failed(value: &str) -> bool {
    let v = value.trim().trim_end_matches(['.', '!', '。']).trim().to_lowercase();
    if matches!(v.as_str(), "error" | "failed" | "n/a" | "null" | "none" | "unavailable") {
        return true;
    }
    // "<Part> <step> failed/unavailable": a few words naming a step of the summariser, so that
    // a short sentence of a summary ("All baselines failed") is never taken for one.
    let words: Vec<&str> = v.split_whitespace().collect();
    let step = ["generation", "extraction", "analysis", "summary", "summarization", "processing", "translation"];
    let english = words.len() <= 5
        && (v.ends_with(" failed") || v.ends_with(" unavailable") || v.ends_with(" not available"))
        && words.iter().any(|w| step.contains(w));
    let error = v.starts_with("error:") && v.chars().count() <= 80;
    // 生成失败 ("generation failed"), 分析不可用: a short Chinese note, never a sentence.
    let chinese = v.chars().count() <= 10 && (v.ends_with("失败") || v.ends_with("不可用"));
    english || error || chinese
}

/// A key as a heading: `ai_comment` → "AI comment", `abstract_translation` → "Abstract
/// translation".
fn heading_of(key: &str) -> String {
    let words: Vec<String> = key
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| match w {
            "ai" | "llm" | "tldr" => w.to_uppercase(),
            _ if i == 0 => {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
            _ => w.to_string(),
        })
        .collect();
    if words.is_empty() { key.to_string() } else { words.join(" ") }
}

/// A part's value as text: a string as it is, a list of strings joined with commas, anything
/// else as its JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// Categories as tags: "Computer Vision and Pattern Recognition (cs.CV)", or the code itself
/// when it is shaped like an arXiv category papershelf does not know; ACM and MSC classes
/// ("I.2.7; H.3", "68T05"), which the real files carry among categories as arXiv lists them,
/// are left out as `metadata` leaves them out of fetched categories. At most [`MAX_TAGS`].
fn tags(categories: &[String]) -> Vec<String> {
    let arxiv_shaped = |c: &str| {
        let (archive, sub) = c.split_once('.').unwrap_or((c, "x"));
        archive.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && !archive.is_empty()
            && !sub.is_empty()
            && sub.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
    };
    let mut out: Vec<String> = Vec::new();
    for code in categories.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let Some(tag) = crate::categories::tag(code).or_else(|| arxiv_shaped(code).then(|| code.to_string())) else {
            continue;
        };
        if !out.contains(&tag) && out.len() < MAX_TAGS {
            out.push(tag);
        }
    }
    out
}

fn stars(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Field `key`: a string, or none when absent or null; an error for any other type.
fn string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("field `{key}` must be a string, not {}", kind(other))),
    }
}

/// Field `key`: a list of strings (a single string counts as a list of one).
fn strings(obj: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    let wrong = |v: &Value| format!("field `{key}` must be a list of strings, not {}", kind(v));
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![super::one_line(s)].into_iter().filter(|s| !s.is_empty()).collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(super::one_line).ok_or_else(|| wrong(v)))
            .filter(|s| s.as_ref().map_or(true, |s| !s.is_empty()))
            .collect(),
        Some(other) => Err(wrong(other)),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The `_AI_enhanced_<Language>` language a site's `language` code prefers ("zh-CN" →
/// "Chinese"); English for any other.
pub fn preferred_language(code: &str) -> &'static str {
    let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "zh" => "Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        _ => "English",
    }
}

/// Reads the files of each day as one (see the module's documentation): of a day's enhanced
/// files, the one in `language` (a site's `language` code), else English, else the first by
/// name is read and the others' entries and warnings dropped; a crawl row whose id the chosen
/// file lists is dropped.
pub fn merge(content: &mut Content, diagnostics: &mut Vec<Diagnostic>, language: &str) {
    let preferred = preferred_language(language);
    // Each day's enhanced files, by language.
    let mut days: BTreeMap<NaiveDate, BTreeMap<String, &Path>> = BTreeMap::new();
    for e in &content.entries {
        let file = e.source.file.as_path();
        if let Some((date, Some(lang))) = jsonl_name(file).map(|n| (n.date, n.language)) {
            days.entry(date).or_default().entry(lang).or_insert(file);
        }
    }
    let mut dropped: HashSet<PathBuf> = HashSet::new();
    let mut chosen: HashSet<PathBuf> = HashSet::new();
    for enhanced in days.values() {
        let pick = enhanced.get(preferred).or_else(|| enhanced.get("English")).or_else(|| enhanced.values().next());
        if let Some(pick) = pick {
            chosen.insert(pick.to_path_buf());
            dropped.extend(enhanced.values().filter(|p| *p != pick).map(|p| p.to_path_buf()));
        }
    }
    if chosen.is_empty() {
        return;
    }
    let enhanced_ids: HashSet<(NaiveDate, String)> = content
        .entries
        .iter()
        .filter(|e| chosen.contains(&e.source.file))
        .filter_map(|e| Some((e.date, crate::arxiv::base_id(e.arxiv.as_deref()?).to_string())))
        .collect();
    content.entries.retain(|e| {
        if dropped.contains(&e.source.file) {
            return false;
        }
        let crawl = jsonl_name(&e.source.file).is_some_and(|n| n.language.is_none());
        let id = e.arxiv.as_deref().map(crate::arxiv::base_id).unwrap_or("");
        !(crawl && enhanced_ids.contains(&(e.date, id.to_string())))
    });
    diagnostics.retain(|d| !(d.severity == Severity::Warning && dropped.contains(&d.file)));
}

fn jsonl_name(file: &Path) -> Option<FileName> {
    if file.extension().is_none_or(|x| x != "jsonl") {
        return None;
    }
    file_name(file.file_stem()?.to_str()?)
}

/// An entry of a row with `fetched`, for other modules' tests.
#[cfg(test)]
pub(crate) fn tests_entry(fetched: Fetched) -> Entry {
    let date = NaiveDate::from_ymd_opt(2025, 1, 2).expect("a day");
    let source = Source { file: "content/2025-01-02.jsonl".into(), line: 1 };
    let (mut entry, _) = row(r#"{"id": "2501.00001", "title": "T"}"#, date, source, 1).expect("a row");
    entry.fetched = Some(Arc::new(fetched));
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(name: &str, lines: &[&str]) -> (Content, Vec<Diagnostic>) {
        let mut out = Content::default();
        let d = read(&lines.join("\n"), Path::new(name), &mut out);
        (out, d)
    }

    fn entry(ai: &str, more: &str) -> Entry {
        let line =
            format!(r#"{{"id": "2501.00001", "title": "T", "authors": ["A B"], "summary": "S"{more}, "AI": {ai}}}"#);
        let (c, d) = read_one("content/2025-01-02_AI_enhanced_English.jsonl", &[&line]);
        assert_eq!(c.entries.len(), 1, "{d:?}");
        c.entries.into_iter().next().unwrap()
    }

    fn headings(e: &Entry) -> Vec<(&str, &str)> {
        e.summary.sections.iter().map(|s| (s.heading.as_str(), s.body.as_str())).collect()
    }

    #[test]
    fn tldr_and_task_are_both_the_tldr() {
        assert_eq!(headings(&entry(r#"{"tldr": "x", "method": "m"}"#, "")), [(TLDR, "x"), (METHOD, "m")]);
        assert_eq!(headings(&entry(r#"{"task": "y", "result": "r"}"#, "")), [(TLDR, "y"), (RESULTS, "r")]);
        // Both: `task` is kept as a part of its own.
        assert_eq!(headings(&entry(r#"{"tldr": "x", "task": "y"}"#, "")), [(TLDR, "x"), ("Task", "y")]);
    }

    #[test]
    fn further_ai_keys_are_further_parts() {
        let e =
            entry(r#"{"tldr": "x", "keywords": ["a", "b"], "ai_comment": "c", "abstract_translation": "译文"}"#, "");
        assert_eq!(
            headings(&e),
            [(TLDR, "x"), ("Abstract translation", "译文"), ("AI comment", "c"), ("Keywords", "a, b")]
        );
    }

    #[test]
    fn failed_run_values_are_left_out_with_a_warning() {
        for v in [
            "Summary generation failed",
            "Motivation analysis unavailable",
            "Method extraction failed",
            "Result analysis unavailable",
            "Conclusion extraction failed",
            "Error",
        ] {
            assert!(is_failed(v), "{v}");
        }
        assert!(is_failed("摘要生成失败") && is_failed("Error: rate limit exceeded"));
        for kept in [
            "The method failed on long inputs, which the authors study in depth.",
            "All baselines failed.",
            "Ground truth unavailable",
            "该方法在长序列上的检索任务中失败",
        ] {
            assert!(!is_failed(kept), "{kept}");
        }
        let line = r#"{"id": "2501.00001", "title": "T", "AI": {"tldr": "Error", "method": "M", "result": "Result analysis unavailable"}}"#;
        let (c, d) = read_one("content/2025-01-02_AI_enhanced_English.jsonl", &["", line]);
        assert_eq!(headings(&c.entries[0]), [(METHOD, "M")]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].location(), "content/2025-01-02_AI_enhanced_English.jsonl:2");
        assert!(d[0].message.contains("tldr, result"), "{}", d[0].message);
    }

    #[test]
    fn a_null_comment_is_none_and_a_string_is_kept() {
        let f = |e: Entry| e.fetched.unwrap().comment.clone();
        assert_eq!(f(entry("{}", r#", "comment": null"#)), None);
        assert_eq!(f(entry("{}", r#", "comment": "8 pages,\n 2 figures""#)).as_deref(), Some("8 pages, 2 figures"));
    }

    #[test]
    fn code_url_with_and_without_stars() {
        let e = entry("{}", r#", "code_url": "https://github.com/a/b", "code_stars": 12"#);
        assert_eq!(e.links, [("code".to_string(), "https://github.com/a/b".to_string())]);
        assert_eq!(e.fetched.unwrap().code_stars, Some(12));
        let e = entry("{}", r#", "code_url": "https://github.com/a/b""#);
        assert_eq!(e.links.len(), 1);
        assert_eq!(e.fetched.unwrap().code_stars, None);
        let e = entry("{}", r#", "code_url": "javascript:alert(1)", "code_stars": "7""#);
        assert!(e.links.is_empty());
    }

    #[test]
    fn a_malformed_line_is_an_error_at_its_line_and_the_rest_is_read() {
        let ok = r#"{"id": "2501.00001", "title": "T"}"#;
        let last = r#"{"id": "2501.00009", "title": "Last"}"#;
        let (c, d) = read_one(
            "content/2025-01-02.jsonl",
            &[ok, r#"{"id": "2501.1"#, r#"{"id": "2501.00002"}"#, r#"{"id": "2501.00003", "title": 5}"#, "[1]", last],
        );
        assert_eq!(c.entries.len(), 2);
        let at: Vec<String> = d.iter().map(Diagnostic::location).collect();
        assert_eq!(at, ["2", "3", "4", "5"].map(|n| format!("content/2025-01-02.jsonl:{n}")));
        assert!(d.iter().all(|d| d.severity == Severity::Error && d.hint.is_some()));
        assert!(d[2].message.contains("`title` must be a string, not a number"), "{}", d[2].message);
    }

    #[test]
    fn chinese_ai_text_beside_an_english_abstract_with_tex() {
        let e = entry(r#"{"tldr": "提出一种扩散模型。"}"#, "");
        assert_eq!(headings(&e), [(TLDR, "提出一种扩散模型。")]);
        let line = r#"{"id": "2501.00001", "title": "T", "summary": "Frames in $SE(3)$\n  reach $x < 2$.", "AI": {"tldr": "在 $SE(3)$ 上扩散。"}}"#;
        let (c, _) = read_one("content/2025-01-03_AI_enhanced_Chinese.jsonl", &[line]);
        let f = c.entries[0].fetched.clone().unwrap();
        assert_eq!(f.abstract_text.as_deref(), Some("Frames in $SE(3)$ reach $x < 2$."));
    }

    #[test]
    fn categories_are_named_tags_and_authors_are_real() {
        let e = entry("{}", r#", "categories": ["cs.CV", "cs.CV", "xx.YY", "I.2.7; H.3", "68T05, 68T45"]"#);
        assert_eq!(e.tags, ["Computer Vision and Pattern Recognition (cs.CV)", "xx.YY"]);
        assert!(!e.authors_from_table);
        assert_eq!(e.authors, ["A B"]);
    }

    #[test]
    fn an_id_repeated_in_a_file_is_one_row_the_one_with_fewest_failed_parts() {
        let row = |tldr: &str| format!(r#"{{"id": "2501.00001", "title": "T", "AI": {{"tldr": "{tldr}"}}}}"#);
        let other = r#"{"id": "2501.00002", "title": "U"}"#;
        let (failed, good) = (row("Summary generation failed"), row("Good."));
        let (c, d) = read_one("content/2025-01-02.jsonl", &[&failed, other, &good, &row("Later.")]);
        let got: Vec<(&str, Option<i64>, usize)> =
            c.entries.iter().map(|e| (e.arxiv.as_deref().unwrap(), e.weight, e.source.line)).collect();
        assert_eq!(got, [("2501.00001", Some(1), 3), ("2501.00002", Some(2), 2)]);
        assert_eq!(headings(&c.entries[0]), [(TLDR, "Good.")]);
        assert!(d.is_empty(), "the failed copy is not the one read: {d:?}");
    }

    #[test]
    fn the_file_name_gives_the_day() {
        let n = file_name("2025-01-02_AI_enhanced_Chinese").unwrap();
        assert_eq!((n.date.to_string(), n.language.as_deref()), ("2025-01-02".into(), Some("Chinese")));
        assert_eq!(file_name("2025-01-02").unwrap().language, None);
        assert!(file_name("notes").is_none());
        let (c, d) = read_one("content/notes.jsonl", &[r#"{"id": "2501.00001", "title": "T"}"#]);
        assert!(c.entries.is_empty());
        assert!(d[0].message.contains("named after its day") && d[0].file == Path::new("content/notes.jsonl"));
    }

    fn day(name: &str, ids: &[&str], ai: &str) -> Content {
        let lines: Vec<String> =
            ids.iter().map(|id| format!(r#"{{"id": "{id}", "title": "T{id}", "AI": {{"tldr": "{ai}"}}}}"#)).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        read_one(name, &lines).0
    }

    #[test]
    fn a_days_crawl_and_enhanced_files_are_read_as_one() {
        let mut content = Content::default();
        content.extend(day("c/2025-01-02.jsonl", &["2501.00001", "2501.00002", "2501.00003"], "x"));
        content.extend(day("c/2025-01-02_AI_enhanced_Chinese.jsonl", &["2501.00001", "2501.00002"], "中文"));
        content.extend(day("c/2025-01-02_AI_enhanced_English.jsonl", &["2501.00001", "2501.00002"], "English"));
        let warn = Diagnostic::warning("c/2025-01-02_AI_enhanced_Chinese.jsonl", "failed");
        let mut diagnostics = vec![warn];
        merge(&mut content.clone(), &mut diagnostics, "en");
        assert!(diagnostics.is_empty(), "the unread file's warnings go with it");
        for (language, tldr) in [("en", "English"), ("zh-CN", "中文"), ("de", "English")] {
            let mut c = content.clone();
            merge(&mut c, &mut Vec::new(), language);
            let got: Vec<(&str, &str)> =
                c.entries.iter().map(|e| (e.arxiv.as_deref().unwrap(), e.summary.sections[0].body.as_str())).collect();
            assert_eq!(got, [("2501.00003", "x"), ("2501.00001", tldr), ("2501.00002", tldr)], "{language}");
        }
    }
}
