//! A list row's TL;DR: the summary's TL;DR part where it has one, else the first sentence of
//! its substance (the objective, the first part or the lead), as plain text of at most
//! [`MAX_CHARS`] characters, cut only between words. A phone shows the first
//! [`PHONE_CHARS`] (`head`) and hides the rest (`tail`), also cut between words, so that a
//! row's text stays within three lines on a 390 px screen.

use crate::content::summary::{OBJECTIVE, TLDR};
use crate::model::Paper;

use super::markdown::Markdown;

/// The longest TL;DR a list row shows.
pub const MAX_CHARS: usize = 200;
/// The part of it a phone shows (three lines of a 390 px screen).
pub const PHONE_CHARS: usize = 105;

/// A row's TL;DR, split where a phone stops reading it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tldr {
    /// The first [`PHONE_CHARS`] characters or fewer, ending between two words.
    pub head: String,
    /// The rest (empty when the head is everything), starting with its space.
    pub tail: String,
}

/// The TL;DR of `paper`.
pub fn tldr(paper: &Paper) -> Tldr {
    let sections = &paper.summary.sections;
    let nonempty = |s: &&crate::content::summary::Section| !s.body.trim().is_empty();
    if let Some(t) = sections.iter().filter(nonempty).find(|s| s.heading == TLDR) {
        return split(&cut(&Markdown::plain_text(&t.body), MAX_CHARS));
    }
    let substance = sections.iter().filter(nonempty).find(|s| s.heading == OBJECTIVE).or(sections.first());
    // A paper without a summary (a failed daily-arXiv run) reads by its abstract.
    let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
    let source = substance.map(|s| s.body.as_str()).or(paper.summary.lead.as_deref()).or(abstract_text).unwrap_or("");
    split(&cut(first_sentence(&Markdown::plain_text(source)), MAX_CHARS))
}

/// The first sentence of `text` (all of it when it has one sentence).
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let starts = crate::content::summary::sentence_starts(text);
    starts.get(1).map_or(text, |&end| text[..end].trim_end())
}

/// `text` cut to at most `max` characters between two words, with an ellipsis when cut.
/// Its spaces are collapsed first; a first word longer than `max` leaves nothing.
fn cut(text: &str, max: usize) -> String {
    let text = crate::content::one_line(text);
    if text.chars().count() <= max {
        return text;
    }
    cut_between_words(&text, max).unwrap_or_default()
}

/// `text` (longer than `max` characters) cut to at most `max` between two words, with an
/// ellipsis; `None` when no break between words falls within `max` characters.
pub(super) fn cut_between_words(text: &str, max: usize) -> Option<String> {
    let within: String = text.chars().take(max).collect();
    // The next character is a space when the cut falls between words already.
    let next = text.chars().nth(max);
    let whole = next.is_some_and(|c| c.is_whitespace() || super::search::is_cjk(c))
        || within.chars().last().is_some_and(super::search::is_cjk);
    let end = if whole { within.len() } else { last_break(&within)? };
    let kept = within[..end].trim_end_matches([',', ';', ':', ' ', '—', '-', '，', '、', '；', '：']);
    (!kept.is_empty()).then(|| format!("{kept}…"))
}

/// The last place `text` may be cut between words: before a space, or beside a Chinese,
/// Japanese or Korean character (their text has no spaces, and each character is a word's
/// worth of a line break).
fn last_break(text: &str) -> Option<usize> {
    let mut prev_cjk = false;
    let mut last = None;
    for (i, c) in text.char_indices() {
        let cjk = super::search::is_cjk(c);
        if i > 0 && (c == ' ' || prev_cjk || cjk) {
            last = Some(i);
        }
        prev_cjk = cjk;
    }
    last
}

/// `text` split after the last word that ends within [`PHONE_CHARS`] characters.
fn split(text: &str) -> Tldr {
    if text.chars().count() <= PHONE_CHARS {
        return Tldr { head: text.to_string(), tail: String::new() };
    }
    let within: String = text.chars().take(PHONE_CHARS + 1).collect();
    match last_break(&within).filter(|&at| at > 0) {
        Some(at) => Tldr { head: text[..at].to_string(), tail: text[at..].to_string() },
        None => Tldr { head: text.to_string(), tail: String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_between_words_with_an_ellipsis() {
        let text = "word ".repeat(60);
        let got = cut(&text, MAX_CHARS);
        assert!(got.chars().count() <= MAX_CHARS + 1, "{got}");
        assert!(got.ends_with("word…"), "{got}");
        assert_eq!(cut("short text", MAX_CHARS), "short text");
        // A cut that falls just before a space keeps the whole last word.
        assert_eq!(cut("abc def ghi", 7), "abc def…");
        assert_eq!(cut("abc defgh ij", 7), "abc…");
        assert_eq!(cut("abcdefghij", 4), "");
        // Chinese has no spaces: it is cut between characters.
        assert_eq!(cut(&"扩散模型".repeat(60), 10), format!("{}…", "扩散模型扩散模型扩散"));
        assert_eq!(split(&"扩散".repeat(100)).head.chars().count(), PHONE_CHARS);
    }

    #[test]
    fn the_first_sentence_ends_at_its_stop() {
        assert_eq!(first_sentence("This aims at X. It uses Y."), "This aims at X.");
        assert_eq!(first_sentence("One sentence only"), "One sentence only");
        assert_eq!(first_sentence("Uses 3.5 points. Then more."), "Uses 3.5 points.");
    }

    #[test]
    fn a_phone_reads_a_head_ending_between_words() {
        let text = cut(&"several words ".repeat(30), MAX_CHARS);
        let t = split(&text);
        assert!(t.head.chars().count() <= PHONE_CHARS, "{}", t.head);
        assert!(t.tail.starts_with(' '));
        assert_eq!(format!("{}{}", t.head, t.tail), text);
        assert!(!t.head.ends_with(' ') && (t.head.ends_with("several") || t.head.ends_with("words")));
    }
}
