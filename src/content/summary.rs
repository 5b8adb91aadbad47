//! The summary splitter: turns an LLM-written summary into its parts. A summary that begins
//! (after an optional lead ending in `:`) with `a) … b) …` or `i) … ii) …` becomes named
//! sections; a trailing `Follow-up questions: 1. … 2. …` becomes questions; anything else
//! stays one section. Every word of the source is kept; only the markers are consumed.

use serde::Serialize;

/// A summary arranged into its parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Text before the first part ("Here's a concise summary…:").
    pub lead: Option<String>,
    pub sections: Vec<Section>,
    pub questions: Vec<String>,
}

/// One part of a summary: its heading and its Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

const LETTERS: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h"];
const LETTER_NAMES: &[&str] = &["Objective", "Method", "Results", "Implications", "Limitations"];
const ROMANS: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"];
const ROMAN_NAMES: &[&str] = &["TL;DR", "Objective", "Method", "Results", "Implications"];
/// The heading of a summary that has no parts.
pub const PLAIN_HEADING: &str = "Summary";

/// Splits a summary written on one line (a table cell) or as Markdown prose.
pub fn split(text: &str) -> Summary {
    let (head, questions) = split_questions(text);
    let mut summary = split_parts(head.trim()).unwrap_or_else(|| Summary {
        lead: None,
        sections: plain_section(head.trim()),
        questions: Vec::new(),
    });
    summary.questions = questions;
    summary
}

/// Splits a paper file's Markdown body: lettered or roman parts as in [`split`], otherwise
/// `## ` headings (outside code fences) start sections, and text before the first heading is
/// the lead. A trailing follow-up questions list becomes questions.
pub fn split_markdown(text: &str) -> Summary {
    let (head, questions) = split_questions(text);
    let head = head.trim();
    if let Some(mut s) = split_parts(head) {
        s.questions = questions;
        return s;
    }
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
            sections.push(Section { heading: h.trim().trim_end_matches('#').trim().to_string(), body: String::new() });
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
    let lead = lead.trim().to_string();
    if sections.is_empty() {
        return Summary { lead: None, sections: plain_section(&lead), questions };
    }
    Summary { lead: (!lead.is_empty()).then_some(lead), sections, questions }
}

fn plain_section(text: &str) -> Vec<Section> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![Section { heading: PLAIN_HEADING.into(), body: text.to_string() }]
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

/// Splits a summary into lettered or roman parts, if it begins with `a)` or `i)` (after an
/// optional lead ending in `:`) and has at least two parts in sequence.
fn split_parts(text: &str) -> Option<Summary> {
    for (markers, names) in [(LETTERS, LETTER_NAMES), (ROMANS, ROMAN_NAMES)] {
        let Some(first) = find_marker(text, markers[0], 0, true) else { continue };
        let lead = text[..first.0].trim();
        if !lead.is_empty() && (!lead.ends_with(':') || lead.chars().count() > 400) {
            continue;
        }
        let mut starts = vec![first];
        for m in &markers[1..] {
            let from = starts.last().map_or(0, |s| s.1);
            match find_marker(text, m, from, false) {
                Some(found) => starts.push(found),
                None => break,
            }
        }
        if starts.len() < 2 {
            continue;
        }
        let sections = starts
            .iter()
            .enumerate()
            .map(|(i, &(_, body_start))| {
                let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
                let bold_open = text[starts[i].0..].starts_with("**");
                section(text[body_start..end].trim(), bold_open, names.get(i).copied(), i)
            })
            .collect();
        return Some(Summary { lead: (!lead.is_empty()).then(|| lead.to_string()), sections, questions: Vec::new() });
    }
    None
}

/// Finds `marker)` at or after `from`, where it starts a part: at the very start, or after
/// whitespace that follows the end of a sentence or label (not in the middle of prose such as
/// "two things, a) … and b) …"). Returns the marker's start and the start of the part's text.
fn find_marker(text: &str, marker: &str, from: usize, first: bool) -> Option<(usize, usize)> {
    let needle = format!("{marker})");
    let mut pos = from;
    while let Some(i) = memchr::memmem::find(&text.as_bytes()[pos..], needle.as_bytes()) {
        let at = pos + i;
        pos = at + needle.len();
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
            Some(c) if first => c == ':',
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

/// A part's section: named from its bold label (`**Main objective:**`) when it has one,
/// otherwise by its position.
fn section(body: &str, bold_open: bool, positional: Option<&str>, index: usize) -> Section {
    if bold_open && let Some(end) = body.find("**") {
        let label = body[..end].trim().trim_end_matches(':').trim();
        let rest = body[end + 2..].trim_start_matches(':').trim();
        if !label.is_empty() {
            return Section { heading: label.to_string(), body: rest.to_string() };
        }
    }
    if let Some(rest) = body.strip_prefix("**")
        && let Some(end) = rest.find("**")
    {
        let label = rest[..end].trim();
        let after = &rest[end + 2..];
        let label_has_colon = label.ends_with(':');
        let after_colon = after.strip_prefix(':');
        if (label_has_colon || after_colon.is_some()) && !label.trim_end_matches(':').is_empty() {
            let body = after_colon.unwrap_or(after).trim();
            return Section { heading: label.trim_end_matches(':').trim().to_string(), body: body.to_string() };
        }
    }
    let heading = positional.map_or_else(|| format!("Part {}", index + 1), str::to_string);
    Section { heading, body: body.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(s: &Summary) -> Vec<&str> {
        s.sections.iter().map(|s| s.heading.as_str()).collect()
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
        assert_eq!(headings(&s), ["Objective", "Methodology", "Key Results", "Implications for AI Practitioners"]);
        assert_eq!(s.sections[3].body, "W.");
        assert_eq!(s.questions, ["Q1?", "Q2?"]);
    }

    #[test]
    fn roman_with_lead() {
        let s = split(
            "Here is a concise summary of the research paper \"LiFT: Leveraging Feedback\":  i) LiFT aligns models. ii) **Main research question or objective:** How to align? iii) **Key methodology:** Train a reward model. iv) **Primary results:** 0.5 better. v) **Principal implication for AI practitioners:** Use it.",
        );
        assert_eq!(
            s.lead.as_deref(),
            Some("Here is a concise summary of the research paper \"LiFT: Leveraging Feedback\":")
        );
        assert_eq!(
            headings(&s),
            [
                "TL;DR",
                "Main research question or objective",
                "Key methodology",
                "Primary results",
                "Principal implication for AI practitioners"
            ]
        );
        assert_eq!(s.sections[0].body, "LiFT aligns models.");
    }

    #[test]
    fn bold_opened_markers() {
        let s = split(
            "Here's a summary of \"X: Y\":  **i) Summary:** X does Y. **ii) Main research question/objective:** Why? **iii) Key methodology:** Z.",
        );
        assert_eq!(headings(&s), ["Summary", "Main research question/objective", "Key methodology"]);
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

    #[test]
    fn keeps_every_word() {
        let text = "Here's a concise summary:  i) **TL;DR:** A. ii) B b. iii) C (c). iv) D 4.5%. v) E.  Follow-Up Questions: 1. Q one? 2. Q two?";
        let s = split(text);
        let mut words: Vec<String> = Vec::new();
        words.extend(s.lead.iter().map(std::string::ToString::to_string));
        for sec in &s.sections {
            words.push(sec.heading.clone());
            words.push(sec.body.clone());
        }
        words.extend(s.questions.clone());
        let joined = words.join(" ");
        for w in text.split_whitespace() {
            let w = w.trim_matches(|c: char| c == '*' || c == ':');
            let is_marker = ["i)", "ii)", "iii)", "iv)", "v)", "1.", "2.", "Follow-Up", "Questions"].contains(&w);
            assert!(is_marker || joined.contains(w), "lost {w:?}");
        }
    }
}
