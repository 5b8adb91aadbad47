//! The summary splitter: turns an LLM-written summary into its parts. The generator's opening
//! chatter ("Here's a concise summary …:") is set apart. A summary that then begins with
//! `a) … b) …`, `i) … ii) …` or `1. … 2. …` becomes sections, each named by the canonical part
//! its label or its position stands for (TL;DR, Objective, Method, Results, Implications,
//! Limitations; see `parts.rs`); prose that opens its parts with the usual phrases ("The main
//! objective is …", "The key methodology involves …") is split before them; a trailing
//! `Follow-up questions: 1. … 2. …` becomes questions; anything else stays one section. Every
//! word of the source is kept: chatter and labels are stored beside the parts (not shown),
//! and only the markers (`a)`, `ii)`, `3.`) are consumed.

mod parts;
pub use parts::sentence_starts;

use serde::Serialize;

pub use parts::{IMPLICATIONS, LIMITATIONS, METHOD, OBJECTIVE, RESULTS, TLDR};

/// A summary arranged into its parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// The generator's own opening ("Here's a concise summary…, following your guidelines:"):
    /// kept, never shown.
    pub chatter: Option<String>,
    /// Other text before the first part, shown before the parts.
    pub lead: Option<String>,
    pub sections: Vec<Section>,
    pub questions: Vec<String>,
    /// True when the paper holds more TeX than papershelf renders for one file
    /// ([`crate::content::MAX_TEX_BYTES`]): its TeX is then shown as written.
    #[serde(skip)]
    pub tex_as_source: bool,
}

/// One part of a summary: its name, the label the source gave it, and its Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The part's name on pages: a canonical part (TL;DR, Objective, Method, Results,
    /// Implications, Limitations), or the source's own label when it names none of them.
    pub heading: String,
    /// The label as the source wrote it, when that is not the heading ("Main research
    /// question/objective"): kept so that importing loses no word, never shown.
    pub label: Option<String>,
    pub body: String,
}

/// A way of numbering parts: its markers in order and the part each position stands for.
struct Form {
    markers: &'static [&'static str],
    names: &'static [&'static str],
    /// Numbered parts (`1. … 2. …`) look like any numbered list, so they count only when they
    /// open the summary, number at least three parts and label at least two of them.
    numbered: bool,
}

const FORMS: &[Form] = &[
    Form {
        markers: &["a)", "b)", "c)", "d)", "e)", "f)", "g)", "h)"],
        names: &[OBJECTIVE, METHOD, RESULTS, IMPLICATIONS, LIMITATIONS],
        numbered: false,
    },
    Form { markers: &["i)", "ii)", "iii)", "iv)", "v)", "vi)", "vii)", "viii)"], names: ROMAN_NAMES, numbered: false },
    Form { markers: &["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."], names: ROMAN_NAMES, numbered: true },
];
const ROMAN_NAMES: &[&str] = &[TLDR, OBJECTIVE, METHOD, RESULTS, IMPLICATIONS];
/// The heading of a summary that has no parts.
pub const PLAIN_HEADING: &str = "Summary";

/// Splits a summary written on one line (a table cell) or as Markdown prose.
pub fn split(text: &str) -> Summary {
    let (head, questions) = split_questions(text);
    let (chatter, rest) = split_chatter(head.trim());
    let mut summary = split_parts(rest)
        .or_else(|| split_labelled_prose(rest))
        .or_else(|| split_prose(rest))
        .unwrap_or_else(|| plain(rest));
    summary.chatter = chatter;
    summary.questions = questions;
    summary
}

/// Splits a paper file's Markdown body: chatter, then lettered, roman or numbered parts as in
/// [`split`]; otherwise `## ` headings (outside code fences) start sections, named by the part
/// they stand for, and text before the first heading is the lead; a single paragraph with no
/// heading is split at its usual phrases. A trailing follow-up questions list becomes questions.
pub fn split_markdown(text: &str) -> Summary {
    let (head, questions) = split_questions(text);
    let (chatter, rest) = split_chatter(head.trim());
    let mut summary = split_parts(rest).unwrap_or_else(|| split_headings(rest));
    summary.chatter = chatter;
    summary.questions = questions;
    summary
}

fn split_headings(head: &str) -> Summary {
    let mut lead = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in head.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(h) = line.strip_prefix("## ") {
            sections.push(named(h.trim().trim_end_matches('#').trim(), String::new()));
            continue;
        }
        let target = match sections.last_mut() {
            Some(s) => &mut s.body,
            None => &mut lead,
        };
        target.push_str(line);
        target.push('\n');
    }
    for s in &mut sections {
        s.body = s.body.trim().to_string();
    }
    let lead = lead.trim();
    if sections.is_empty() {
        let one_paragraph = !lead.contains("\n\n");
        let prose = one_paragraph.then(|| split_labelled_prose(lead).or_else(|| split_prose(lead))).flatten();
        return prose.unwrap_or_else(|| plain(lead));
    }
    Summary { lead: (!lead.is_empty()).then(|| lead.to_string()), sections, ..Summary::default() }
}

fn plain(text: &str) -> Summary {
    let sections = if text.is_empty() {
        Vec::new()
    } else {
        vec![Section { heading: PLAIN_HEADING.into(), label: None, body: text.to_string() }]
    };
    Summary { sections, ..Summary::default() }
}

/// The place of a canonical part in the order the generator writes them.
fn rank(part: &str) -> usize {
    [TLDR, OBJECTIVE, METHOD, RESULTS, IMPLICATIONS, LIMITATIONS].iter().position(|&p| p == part).unwrap_or(usize::MAX)
}

/// A section named from a label: the canonical part it names, or the label itself (without
/// an instruction in parentheses).
fn named(label: &str, body: String) -> Section {
    let heading = match parts::canonical(label) {
        Some(part) => part,
        None => parts::without_instruction(label),
    };
    let label = (label != heading).then(|| label.to_string());
    Section { heading: heading.to_string(), label, body }
}

/// Sets the generator's opening chatter apart from the rest (both trimmed).
fn split_chatter(text: &str) -> (Option<String>, &str) {
    match parts::chatter_len(text) {
        Some(n) => (Some(text[..n].to_string()), text[n..].trim()),
        None => (None, text),
    }
}

/// Splits prose whose sentences open with the generator's labels, plain or bold, with no
/// markers ("Summary: … Main research question or objective: … Key methodology used: …"),
/// when at least three parts are labelled, in order. Text before the first label is the
/// one-line summary.
fn split_labelled_prose(text: &str) -> Option<Summary> {
    let mut found: Vec<(usize, &str, usize)> = Vec::new();
    for start in parts::sentence_starts(text) {
        let Some((label, body_start)) = label_at(text, start) else { continue };
        let Some(part) = parts::canonical(label) else { continue };
        if found.last().is_none_or(|last| rank(parts::canonical(last.1).unwrap_or_default()) < rank(part)) {
            found.push((start, label, body_start));
        }
    }
    if found.len() < 3 {
        return None;
    }
    let mut sections = Vec::new();
    let before = text[..found[0].0].trim();
    if !before.is_empty() {
        sections.push(Section { heading: TLDR.into(), label: None, body: before.to_string() });
    }
    for (i, &(_, label, body_start)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |next| next.0);
        sections.push(named(label, text[body_start..end].trim().to_string()));
    }
    Some(Summary { sections, ..Summary::default() })
}

/// The longest label (with its instruction and markers) [`label_at`] looks for, in bytes.
const MAX_LABEL_BYTES: usize = 400;

/// The generator's label opening the text at `start` (`Key methodology used:` or
/// `**Primary results:**`), and where the text after it begins.
fn label_at(text: &str, start: usize) -> Option<(&str, usize)> {
    // A label is a few words (and an instruction in parentheses): looking no further than
    // this keeps splitting linear however long the text is, with a label at every sentence.
    let window = (start + MAX_LABEL_BYTES).min(text.len());
    let text = &text[..crate::diagnostic::floor_char_boundary(text, window)];
    let rest = &text[start..];
    let (label, after) = match rest.strip_prefix("**") {
        Some(bold) => {
            let end = bold.find("**")?;
            let inner = &bold[..end];
            let after = start + 2 + end + 2;
            match inner.strip_suffix(':') {
                Some(label) => (label, after),
                None => (inner, after + text[after..].starts_with(':').then_some(1)?),
            }
        }
        None => {
            let (label, _) = rest.split_once(':')?;
            (label, start + label.len() + 1)
        }
    };
    parts::is_plain_label(label).then(|| (label.trim(), after))
}

/// Splits prose whose parts open with their usual phrases; the text before the first part,
/// when there is any, is the one-line summary.
fn split_prose(text: &str) -> Option<Summary> {
    let found = parts::prose_parts(text)?;
    let mut sections = Vec::new();
    let before = text[..found[0].0].trim();
    if !before.is_empty() {
        sections.push(Section { heading: TLDR.into(), label: None, body: before.to_string() });
    }
    for (i, &(at, part)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |next| next.0);
        // "Principal implication for AI practitioners: …" opens with its label.
        let section = match label_at(text, at).filter(|&(label, _)| parts::canonical(label) == Some(part)) {
            Some((label, after)) => named(label, text[after..end].trim().to_string()),
            None => Section { heading: part.into(), label: None, body: text[at..end].trim().to_string() },
        };
        sections.push(section);
    }
    Some(Summary { sections, ..Summary::default() })
}

/// Finds a trailing "Follow-up questions" label followed by a numbered list, and returns the
/// text before it and the questions.
fn split_questions(text: &str) -> (&str, Vec<String>) {
    let lower = text.to_ascii_lowercase();
    for label in ["follow-up questions", "follow up questions", "followup questions"] {
        let mut search_end = lower.len();
        while let Some(at) = lower[..search_end].rfind(label) {
            search_end = at;
            let after = &text[at + label.len()..];
            let rest = after.trim_start_matches(['*', ':', ' ', '#']).trim_start();
            let Some(questions) = numbered_items(rest) else { continue };
            let mut head = &text[..at];
            head = head.trim_end();
            head = head.trim_end_matches('*').trim_end_matches('#').trim_end();
            return (head, questions);
        }
    }
    (text, Vec::new())
}

/// Splits `1. … 2. … 3. …` (each number in sequence, after whitespace) into its items; the
/// text must start with `1.` or `1)`.
fn numbered_items(text: &str) -> Option<Vec<String>> {
    let mut rest = strip_number(text, 1)?;
    let mut items = Vec::new();
    let mut n = 2;
    loop {
        match find_number(rest, n) {
            Some((end, next)) => {
                items.push(rest[..end].trim().to_string());
                rest = next;
                n += 1;
            }
            None => {
                items.push(rest.trim().to_string());
                break;
            }
        }
    }
    items.iter().all(|q| !q.is_empty()).then_some(items)
}

fn strip_number(text: &str, n: usize) -> Option<&str> {
    let digits = n.to_string();
    let rest = text.strip_prefix(digits.as_str())?;
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    rest.starts_with(char::is_whitespace).then_some(rest)
}

/// The position of the marker `n.` that starts a new item (after whitespace), and the text after it.
fn find_number(text: &str, n: usize) -> Option<(usize, &str)> {
    let digits = n.to_string();
    let mut from = 0;
    while let Some(i) = text[from..].find(digits.as_str()) {
        let at = from + i;
        from = at + digits.len();
        let before_ok = text[..at].ends_with(char::is_whitespace);
        if before_ok && let Some(rest) = strip_number(&text[at..], n) {
            return Some((at, rest));
        }
    }
    None
}

/// Splits a summary into lettered, roman or numbered parts, if it begins with `a)`, `i)` or
/// `1.` (after an optional lead ending in `:`) and has enough parts in sequence.
fn split_parts(text: &str) -> Option<Summary> {
    FORMS.iter().find_map(|form| split_form(text, form))
}

fn split_form(text: &str, form: &Form) -> Option<Summary> {
    let first = find_marker(text, form.markers[0], 0, true)?;
    let lead = text[..first.0].trim();
    let lead_ok = lead.is_empty()
        || !form.numbered && (lead.ends_with(':') || lead.ends_with(":**")) && lead.chars().count() <= 400;
    if !lead_ok {
        return None;
    }
    let mut starts = vec![first];
    for m in &form.markers[1..] {
        let from = starts.last().map_or(0, |s| s.1);
        match find_marker(text, m, from, false) {
            Some(found) => starts.push(found),
            None => break,
        }
    }
    if starts.len() < if form.numbered { 3 } else { 2 } {
        return None;
    }
    let (mut sections, labelled): (Vec<Section>, Vec<bool>) = starts
        .iter()
        .enumerate()
        .map(|(i, &(at, body_start))| {
            let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
            let bold_open = text[at..].starts_with("**");
            section(text[body_start..end].trim(), bold_open, form.names.get(i).copied(), i)
        })
        .unzip();
    if form.numbered && labelled.iter().filter(|&&l| l).count() < 2 {
        return None;
    }
    let mut lead = (!lead.is_empty()).then(|| lead.to_string());
    // `**Summary:** i) The paper …`: a lone bold label before the first marker labels that part.
    if let Some(label) = lead.as_deref().and_then(lone_bold_label)
        && !labelled[0]
    {
        let body = std::mem::take(&mut sections[0].body);
        sections[0] = named(label, body);
        lead = None;
    }
    Some(Summary { lead, sections, ..Summary::default() })
}

/// `**Label:**` alone, as its label.
fn lone_bold_label(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("**")?.strip_suffix("**")?;
    let label = inner.strip_suffix(':')?.trim();
    (!label.is_empty() && !label.contains("**")).then_some(label)
}

/// Finds `marker` (`a)`, `ii)`, `3.`) at or after `from`, where it starts a part: at the very
/// start, or after whitespace that follows the end of a sentence or label (not in the middle
/// of prose such as "two things, a) … and b) …"). Returns the marker's start and the start of
/// the part's text.
fn find_marker(text: &str, marker: &str, from: usize, first: bool) -> Option<(usize, usize)> {
    let mut pos = from;
    while let Some(i) = memchr::memmem::find(&text.as_bytes()[pos..], marker.as_bytes()) {
        let at = pos + i;
        pos = at + marker.len();
        // `**i) Summary:**`: the bold opens before the marker; the part starts at the `**`.
        let at = if text[..at].ends_with("**") { at - 2 } else { at };
        let before = &text[..at];
        let after_ok = text[pos..].is_empty() || text[pos..].starts_with(char::is_whitespace);
        if !after_ok {
            continue;
        }
        if before.is_empty() {
            return Some((at, pos));
        }
        if !before.ends_with(char::is_whitespace) {
            continue;
        }
        let prev = before.trim_end().chars().last();
        let boundary = match prev {
            None => true,
            Some(c) if first => c == ':' || before.trim_end().ends_with(":**"),
            Some(c) => {
                matches!(c, '.' | '!' | '?' | ':' | ';' | ')' | ']' | '"' | '\'' | '*' | '”' | '’' | '`' | '%')
                    || c.is_ascii_digit()
            }
        };
        if boundary {
            return Some((at, pos));
        }
    }
    None
}

/// A part's section, and whether the source labelled it: named from its bold label
/// (`**Main objective:**`), or from a plain label (`Key methodology used:`) that names the
/// part its position stands for, and otherwise by its position.
fn section(body: &str, bold_open: bool, positional: Option<&str>, index: usize) -> (Section, bool) {
    if bold_open && let Some(end) = body.find("**") {
        let label = body[..end].trim().trim_end_matches(':').trim();
        let rest = body[end + 2..].trim_start_matches(':').trim();
        if !label.is_empty() {
            return (named(label, rest.to_string()), true);
        }
    }
    if let Some(rest) = body.strip_prefix("**")
        && let Some(end) = rest.find("**")
    {
        let label = rest[..end].trim();
        let after = &rest[end + 2..];
        let after_colon = after.strip_prefix(':');
        let bare = label.trim_end_matches(':').trim();
        let is_label = label.ends_with(':') || after_colon.is_some() || parts::canonical(bare).is_some();
        if is_label && !bare.is_empty() {
            return (named(bare, after_colon.unwrap_or(after).trim().to_string()), true);
        }
    }
    if let Some((label, rest)) = body.split_once(':')
        && parts::is_plain_label(label)
        && positional.is_some()
        && parts::canonical(label) == positional
    {
        return (named(label.trim(), rest.trim().to_string()), true);
    }
    let heading = positional.map_or_else(|| format!("Part {}", index + 1), str::to_string);
    (Section { heading, label: None, body: body.to_string() }, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(s: &Summary) -> Vec<&str> {
        s.sections.iter().map(|s| s.heading.as_str()).collect()
    }

    #[test]
    fn long_prose_is_split_in_linear_time() {
        let best_of_three = |f: &dyn Fn()| {
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    f();
                    started.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let text = "The method works well. ".repeat(100_000);
        // Against finding the sentences alone, back to back, so that a busy machine slows
        // both: splitting costs a small multiple of that. Looking for a label up to the end of
        // the text from every sentence (as before) made it thousands of times more.
        let sentences = best_of_three(&|| drop(std::hint::black_box(parts::sentence_starts(&text))));
        let ratio = best_of_three(&|| drop(std::hint::black_box(split(&text)))) / sentences;
        assert!(ratio < 30.0, "splitting 100,000 sentences took {ratio:.1}× finding them");
    }

    #[test]
    fn lettered_with_questions() {
        let s = split(
            "a) This research aims to X.   b) Trained on Y.  c) Got 95.9%.  d) Use it.  e) No details.  Follow-up Questions:  1. What architecture?  2. How does it compare, e.g. 3.5 points?  3. How to adapt?   ",
        );
        assert_eq!(headings(&s), ["Objective", "Method", "Results", "Implications", "Limitations"]);
        assert_eq!(s.sections[0].body, "This research aims to X.");
        assert_eq!(s.sections[4].body, "No details.");
        assert_eq!(s.questions, ["What architecture?", "How does it compare, e.g. 3.5 points?", "How to adapt?"]);
        assert!(s.lead.is_none());
    }

    #[test]
    fn bold_labels_name_sections() {
        let s = split(
            "a) **Objective:** Find X. b) **Methodology:** Do Y. c) **Key Results:** Z. d) **Implications for AI Practitioners:** W. **Follow-up Questions:** 1. Q1? 2. Q2?",
        );
        assert_eq!(headings(&s), ["Objective", "Method", "Results", "Implications"]);
        assert_eq!(s.sections[1].label.as_deref(), Some("Methodology"));
        assert_eq!(s.sections[0].label, None, "a label that is its part's name is not kept twice");
        assert_eq!(s.sections[3].body, "W.");
        assert_eq!(s.questions, ["Q1?", "Q2?"]);
    }

    #[test]
    fn roman_with_lead() {
        let s = split(
            "Here is a concise summary of the research paper \"LiFT: Leveraging Feedback\":  i) LiFT aligns models. ii) **Main research question or objective:** How to align? iii) **Key methodology:** Train a reward model. iv) **Primary results:** 0.5 better. v) **Principal implication for AI practitioners:** Use it.",
        );
        assert_eq!(
            s.chatter.as_deref(),
            Some("Here is a concise summary of the research paper \"LiFT: Leveraging Feedback\":")
        );
        assert_eq!(s.lead, None);
        assert_eq!(headings(&s), ROMAN_NAMES);
        let labels: Vec<Option<&str>> = s.sections.iter().map(|s| s.label.as_deref()).collect();
        assert_eq!(
            labels,
            [
                None,
                Some("Main research question or objective"),
                Some("Key methodology"),
                Some("Primary results"),
                Some("Principal implication for AI practitioners")
            ]
        );
        assert_eq!(s.sections[0].body, "LiFT aligns models.");
    }

    #[test]
    fn bold_opened_markers() {
        let s = split(
            "Here's a summary of \"X: Y\":  **i) Summary:** X does Y. **ii) Main research question/objective:** Why? **iii) Key methodology:** Z.",
        );
        assert_eq!(headings(&s), [TLDR, OBJECTIVE, METHOD]);
        assert_eq!(s.chatter.as_deref(), Some("Here's a summary of \"X: Y\":"));
        assert_eq!(s.sections[0].body, "X does Y.");
        assert_eq!(s.sections[2].body, "Z.");
    }

    #[test]
    fn roman_without_lead() {
        let s = split("i) One line. ii) Objective text. iii) Method text. iv) Results text. v) Implication text.");
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[4].body, "Implication text.");
    }

    #[test]
    fn list_inside_prose_stays_prose() {
        let text = "The model handles two cases: a) short inputs, and b) long inputs. It also i) reads and ii) writes.";
        let s = split(text);
        assert_eq!(headings(&s), [PLAIN_HEADING]);
        assert_eq!(s.sections[0].body, text);
    }

    #[test]
    fn prose_with_questions() {
        let s = split("A plain summary of it.  Follow-up questions:  1. Why?  2. How?");
        assert_eq!(s.sections[0].body, "A plain summary of it.");
        assert_eq!(s.questions, ["Why?", "How?"]);
    }

    #[test]
    fn markdown_body_with_headings_and_questions() {
        let s = split_markdown(
            "Lead line.\n\n## Objective\n\nFind X.\n\n```\n## not a heading\n```\n\n## Method\n\nDo Y.\n\n**Follow-up questions**\n\n1. How does it scale?\n2. Why?\n",
        );
        assert_eq!(s.lead.as_deref(), Some("Lead line."));
        assert_eq!(headings(&s), ["Objective", "Method"]);
        assert!(s.sections[0].body.contains("## not a heading"));
        assert_eq!(s.questions, ["How does it scale?", "Why?"]);
    }

    #[test]
    fn markdown_body_without_headings_is_one_section() {
        let s = split_markdown("Para one.\n\nPara two.\n");
        assert_eq!(headings(&s), [PLAIN_HEADING]);
        assert_eq!(s.sections[0].body, "Para one.\n\nPara two.");
    }

    /// Every word of the source is in the parts, the chatter, the labels or the questions;
    /// only markers are consumed.
    fn assert_keeps_every_word(text: &str, s: &Summary) {
        let mut kept: Vec<&str> = Vec::new();
        kept.extend(s.chatter.as_deref());
        kept.extend(s.lead.as_deref());
        for sec in &s.sections {
            kept.push(sec.label.as_deref().unwrap_or(&sec.heading));
            kept.push(&sec.body);
        }
        kept.extend(s.questions.iter().map(String::as_str));
        // Words compared whole and counted: a word kept once stands for one occurrence only,
        // and `A.` is a word (only a number before the dot makes a marker).
        let mut left: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for w in kept.join(" ").split_whitespace() {
            *left.entry(w.trim_matches(|c: char| c == '*' || c == ':').to_string()).or_default() += 1;
        }
        for w in text.split_whitespace() {
            let w = w.trim_matches(|c: char| c == '*' || c == ':');
            let marker = |end: char, part: fn(char) -> bool| {
                w.len() >= 2 && w.len() <= 5 && w.ends_with(end) && w[..w.len() - 1].chars().all(part)
            };
            let is_marker = marker(')', |c| c.is_ascii_lowercase())
                || marker('.', |c| c.is_ascii_digit())
                || ["Follow-Up", "Follow-up", "Questions", "questions"].contains(&w);
            if is_marker || w.is_empty() {
                continue;
            }
            let count = left.get_mut(w).filter(|n| **n > 0);
            assert!(count.is_some(), "lost {w:?} from {text:?}");
            *count.unwrap() -= 1;
        }
    }

    #[test]
    fn keeps_every_word() {
        for text in [
            "Here's a concise summary:  i) **TL;DR:** A. ii) B b. iii) C (c). iv) D 4.5%. v) E.  Follow-Up Questions: 1. Q one? 2. Q two?",
            GRANITE,
            QWEN,
            PROSE,
            "Here's a summary of the paper, adhering to your guidelines:  Plain words only, nothing else.",
            "**Summary:** i) A. ii) B.",
        ] {
            assert_keeps_every_word(text, &split(text));
        }
    }

    /// The numbered form, as in Granite Guardian (2412.07724).
    const GRANITE: &str = "Okay, here is a concise summary of the Granite Guardian AI research paper, following your specified guidelines:  1. **Summary:** The paper introduces Granite Guardian. 2. **Main research question/objective:** To develop a risk detector. 3. **Key methodology:** Fine-tuning of Granite 3.0 models. 4. **Primary results:** An AUC score of 0.871 on harmful content benchmarks. 5. **Principal implication for AI practitioners:** Use it.";

    /// Bold roman labels without colons, with the generator's instructions in parentheses, as
    /// in Qwen2.5 (2412.15115).
    const QWEN: &str = "Here's a concise summary of the Qwen2.5 Technical Report, strictly following the specified guidelines:  **i) A 1-line summary** Qwen2.5 is a series of models.  **ii) Main research question or objective** The main objective was to develop Qwen2.5.  **iii) Key methodology used** Scaling pre-training data to 18 trillion tokens.  **iv) Primary results (include one specific quantitative finding)** A score of 83.1 on the MATH benchmark.  **v) Principal implication for AI practitioners (e.g., AI/ML/Software Engineers, Data Scientist)** Build on it.";

    /// The prose form: five sentences, each part opened by its usual phrase.
    const PROSE: &str = "X is a model for Y. The main research objective is to find Z. The key methodology involves training on W. Primary results show a 12% gain. The principal implication for AI practitioners is V.";

    #[test]
    fn numbered_parts_with_bold_labels() {
        let s = split(GRANITE);
        assert!(s.chatter.as_deref().unwrap().starts_with("Okay, here is a concise summary"));
        assert_eq!(s.lead, None);
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[0].label.as_deref(), Some("Summary"));
        assert_eq!(s.sections[3].body, "An AUC score of 0.871 on harmful content benchmarks.");
        assert_eq!(s.sections[4].body, "Use it.");
    }

    #[test]
    fn numbered_parts_with_plain_labels() {
        let s = split(
            "1. Summary: G2PT generates graphs. 2. Main research question or objective: The main objective is X. 3. Key methodology used: Sequences. 4. Primary results: 95% validity. 5. Principal implication for AI practitioners: Use it.",
        );
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[2].label.as_deref(), Some("Key methodology used"));
        assert_eq!(s.sections[2].body, "Sequences.");
    }

    #[test]
    fn a_numbered_list_without_labels_is_not_parts() {
        for text in ["1. First point. 2. Second point. 3. Third point.", "1. Wash.\n2. Rinse.\n3. Repeat.\n"] {
            assert_eq!(headings(&split(text)), [PLAIN_HEADING], "{text}");
            assert_eq!(headings(&split_markdown(text)), [PLAIN_HEADING], "{text}");
        }
    }

    #[test]
    fn bold_labels_without_colons_and_instructions_in_them() {
        let s = split(QWEN);
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[3].body, "A score of 83.1 on the MATH benchmark.");
        assert_eq!(s.sections[3].label.as_deref(), Some("Primary results (include one specific quantitative finding)"));
        assert_eq!(s.sections[0].body, "Qwen2.5 is a series of models.");
    }

    #[test]
    fn plain_labels_name_parts_only_when_they_are_labels() {
        let s = split(
            "i) X does Y. ii) Main research question or objective: How? iii) The key methodology involves two stages: A and B. iv) Results: 3.5 points.",
        );
        assert_eq!(headings(&s), [TLDR, OBJECTIVE, METHOD, RESULTS]);
        assert_eq!(s.sections[1].body, "How?");
        assert_eq!(s.sections[2].label, None);
        assert_eq!(s.sections[2].body, "The key methodology involves two stages: A and B.");
        assert_eq!(s.sections[3].body, "3.5 points.");
    }

    #[test]
    fn a_lone_bold_label_before_the_first_marker_labels_it() {
        let s =
            split("Here is a summary of \"VidTok\":  **Summary:** i)  VidTok tokenizes. ii) The main objective is X.");
        assert_eq!(s.lead, None);
        assert_eq!(headings(&s), [TLDR, OBJECTIVE]);
        assert_eq!(s.sections[0].label.as_deref(), Some("Summary"));
        assert_eq!(s.sections[0].body, "VidTok tokenizes.");
    }

    #[test]
    fn prose_is_split_at_its_usual_phrases() {
        let s = split(PROSE);
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[0].body, "X is a model for Y.");
        assert_eq!(s.sections[3].body, "Primary results show a 12% gain.");
        assert!(s.sections.iter().all(|s| s.label.is_none()));
        // The generator's five sentences with no phrase for the method and results.
        let s = split(
            "Here's a concise summary of the research paper, adhering to your guidelines:  CAF is a model. The research aimed to speed up Y. CAF adds an acceleration term. On CIFAR-10, CAF achieved an FID of 1.39. AI practitioners can use CAF.",
        );
        assert!(s.chatter.is_some());
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[2].body, "CAF adds an acceleration term.");
        assert_eq!(s.sections[3].body, "On CIFAR-10, CAF achieved an FID of 1.39.");
    }

    #[test]
    fn prose_with_plain_labels_and_no_markers() {
        let text = "Summary: This paper applies CoT to images. Main research question or objective: Can it help? Key methodology used: Reward models. They also propose PARM. Primary results: +24% on GenEval. Principal implication for AI practitioners: Use PARM.";
        let s = split(text);
        assert_eq!(headings(&s), ROMAN_NAMES);
        assert_eq!(s.sections[2].body, "Reward models. They also propose PARM.");
        assert_eq!(s.sections[1].label.as_deref(), Some("Main research question or objective"));
        assert_keeps_every_word(text, &s);
        let text = "X parses figures. **Main research question or objective:** How? **Key methodology:** Steps. **Primary results**: 6% better.";
        let s = split(text);
        assert_eq!(headings(&s), [TLDR, OBJECTIVE, METHOD, RESULTS]);
        assert_eq!(s.sections[0].body, "X parses figures.");
        assert_eq!(s.sections[3].body, "6% better.");
        assert_keeps_every_word(text, &s);
    }

    #[test]
    fn chatter_before_prose_without_parts_is_set_apart() {
        let s = split("Here's a summary of the paper, strictly adhering to your guidelines:  The paper introduces X.");
        assert_eq!(s.chatter.as_deref(), Some("Here's a summary of the paper, strictly adhering to your guidelines:"));
        assert_eq!(headings(&s), [PLAIN_HEADING]);
        assert_eq!(s.sections[0].body, "The paper introduces X.");
    }

    #[test]
    fn markdown_headings_are_named_by_their_part() {
        let s = split_markdown(
            "Here's a summary of the paper:\n\n## Main research question or objective\n\nHow?\n\n## Background\n\nContext.\n",
        );
        assert!(s.chatter.is_some());
        assert_eq!(s.lead, None);
        assert_eq!(headings(&s), [OBJECTIVE, "Background"]);
        assert_eq!(s.sections[0].label.as_deref(), Some("Main research question or objective"));
        // A single paragraph is split as prose is; several paragraphs are left as written.
        assert_eq!(headings(&split_markdown(PROSE)), ROMAN_NAMES);
        assert_eq!(headings(&split_markdown(&PROSE.replace(". ", ".\n\n"))), [PLAIN_HEADING]);
    }
}
