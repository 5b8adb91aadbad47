//! What the summary generator's words mean: the canonical parts a label names ("Main research
//! question/objective" → Objective), the chatter it opens with ("Here's a concise summary …:"),
//! and the sentences that open each part of a prose summary ("The key methodology involves …").
//! Pure functions over `&str`, used by the splitter in `super`.

/// The one-line summary.
pub const TLDR: &str = "TL;DR";
pub const OBJECTIVE: &str = "Objective";
pub const METHOD: &str = "Method";
pub const RESULTS: &str = "Results";
pub const IMPLICATIONS: &str = "Implications";
pub const LIMITATIONS: &str = "Limitations";

/// Words in a label (lower case) and the part they name, tried in order: "Main research
/// question or objective" is an Objective, "Key methodology used" a Method.
const LABEL_WORDS: &[(&[&str], &str)] = &[
    (&["summary", "tl;dr", "tldr", "one-line", "1-line", "one line", "1 line"], TLDR),
    (&["research question", "main question", "objective", "aims", "goal", "purpose"], OBJECTIVE),
    (&["method", "approach"], METHOD),
    (&["result", "finding"], RESULTS),
    (&["implication", "takeaway"], IMPLICATIONS),
    (&["limitation"], LIMITATIONS),
];

/// The canonical part a label names, ignoring case and any instruction in parentheses
/// ("Primary results (include one specific quantitative finding)" → Results); none when it
/// names no known part.
pub fn canonical(label: &str) -> Option<&'static str> {
    let lower = without_instruction(label).to_lowercase();
    LABEL_WORDS.iter().find(|(words, _)| words.iter().any(|w| lower.contains(w))).map(|&(_, part)| part)
}

/// A label without a trailing instruction in parentheses and without its colon:
/// "Principal implication (e.g., for engineers):" → "Principal implication".
pub fn without_instruction(label: &str) -> &str {
    let label = label.trim().trim_end_matches(':').trim_end();
    match label.strip_suffix(')').and_then(|l| l.rfind('(')) {
        Some(open) if open > 0 => label[..open].trim_end().trim_end_matches(':').trim_end(),
        _ => label,
    }
}

/// The words the generator's labels are made of (lower case).
const LABEL_VOCABULARY: &[&str] = &[
    "a",
    "1-line",
    "one-line",
    "line",
    "summary",
    "tl;dr",
    "main",
    "key",
    "primary",
    "principal",
    "core",
    "research",
    "question",
    "questions",
    "or",
    "objective",
    "objectives",
    "methodology",
    "methodologies",
    "method",
    "methods",
    "used",
    "result",
    "results",
    "finding",
    "findings",
    "implication",
    "implications",
    "for",
    "ai",
    "practitioners",
    "limitation",
    "limitations",
    "/",
];

/// Whether text before a colon is a label the generator writes without bold ("Key methodology
/// used", "Main research question/objective"): at most eight words, all label words, the
/// instruction in parentheses aside. A sentence ("The key methodology involves two stages")
/// is not one.
pub fn is_plain_label(text: &str) -> bool {
    let words: Vec<String> = without_instruction(text)
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty() && words.len() <= 8 && words.iter().all(|w| LABEL_VOCABULARY.contains(&w.as_str()))
}

/// How the generator's chatter opens (lower case).
const CHATTER_OPENERS: &[&str] = &[
    "here is",
    "here's",
    "here’s",
    "okay, here",
    "okay here",
    "ok, here",
    "sure, here",
    "sure! here",
    "certainly",
    "summary of the",
];

/// The length of the generator's opening chatter ("Here's a concise summary of the paper
/// \"X: Y\", strictly following your guidelines:"): a sentence that opens like chatter, speaks
/// of a summary and ends at its first colon outside quotes, followed by a space or the end.
pub fn chatter_len(text: &str) -> Option<usize> {
    let head: String = text.chars().take(16).collect::<String>().to_lowercase();
    if !CHATTER_OPENERS.iter().any(|o| head.starts_with(o)) {
        return None;
    }
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '“' => quoted = true,
            '”' => quoted = false,
            ':' if !quoted => {
                let end = i + 1;
                let after_ok = text[end..].is_empty() || text[end..].starts_with(char::is_whitespace);
                let said = &text[..end];
                return (after_ok && said.to_lowercase().contains("summary")).then_some(end);
            }
            '.' | '!' | '?' if !quoted && text[i + 1..].starts_with(char::is_whitespace) => return None,
            _ => {}
        }
        if i > 600 {
            return None;
        }
    }
    None
}

/// The sentence openings (lower case) that start each part of a prose summary, in the
/// order the parts come.
const PROSE_PARTS: &[(&str, &[&str])] = &[
    (
        OBJECTIVE,
        &[
            "the main research objective",
            "the main research question",
            "the main research goal",
            "the primary research objective",
            "the primary research question",
            "the central research question",
            "the research question",
            "the primary objective",
            "the main objective",
            "the core objective",
            "the key objective",
            "the research objective",
            "the study's objective",
            "the objective",
            "the primary goal",
            "the main goal",
            "the goal",
            "the research aims",
            "the research aimed",
            "the study aims",
            "the paper aims",
            "the work aims",
            "the authors aim",
            "this research aims",
            "this paper aims",
            "this study aims",
            "this work aims",
            "the paper's objective",
            "the paper's main objective",
            "the paper's primary objective",
            "its primary objective",
            "its main objective",
            "its objective",
        ],
    ),
    (
        METHOD,
        &[
            "the key methodology",
            "the core methodology",
            "the main methodology",
            "the primary methodology",
            "the methodology",
            "key methodology",
            "methodologically",
            "the method ",
            "the key method",
            "the approach",
            "the core approach",
            "the key approach",
        ],
    ),
    (
        RESULTS,
        &[
            "the primary result",
            "primary results",
            "a primary result",
            "the primary finding",
            "primary findings",
            "a key result",
            "the key result",
            "key results",
            "a key finding",
            "the key finding",
            "key findings",
            "the main result",
            "main results",
            "the main finding",
            "the results",
            "results show",
            "results demonstrate",
            "results indicate",
            "experimental results",
            "experiments show",
            "experiments demonstrate",
            "evaluation shows",
            "evaluations show",
        ],
    ),
    (
        IMPLICATIONS,
        &[
            "the principal implication",
            "principal implication",
            "the main implication",
            "the key implication",
            "the primary implication",
            "the implication",
            "for ai practitioners",
            "for practitioners",
            "ai practitioners",
            "practitioners can",
            "this provides ai practitioners",
            "this offers ai practitioners",
            "this allows ai practitioners",
            "this enables ai practitioners",
            "this gives ai practitioners",
            "this work provides ai practitioners",
            "this implies",
        ],
    ),
];

/// Where the parts of a prose summary begin. The first sentence opening each part with its
/// usual phrase anchors it (a part may be missing, the order is kept); with at least two
/// anchors, a missing method or results part is placed as the generator writes them, one
/// sentence each: the method is the sentence after the objective's, the results the first
/// later sentence that reports an outcome ("achieves", "outperforms", a percentage). Returns
/// (offset, part) pairs, or none unless at least three parts are found.
pub fn prose_parts(text: &str) -> Option<Vec<(usize, &'static str)>> {
    let starts = sentence_starts(text);
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    let mut next = 0;
    for &start in &starts {
        let opening: String = text[start..].chars().take(40).collect::<String>().to_lowercase();
        let hit = PROSE_PARTS
            .iter()
            .enumerate()
            .skip(next)
            .find(|(_, (_, phrases))| phrases.iter().any(|p| opening.starts_with(p)));
        if let Some((k, &(part, _))) = hit {
            found.push((start, part));
            next = k + 1;
        }
    }
    if found.len() < 2 {
        return None;
    }
    fill_gaps(text, &starts, &mut found);
    (found.len() >= 3).then_some(found)
}

/// Places a missing method and results part (see [`prose_parts`]).
fn fill_gaps(text: &str, starts: &[usize], found: &mut Vec<(usize, &'static str)>) {
    let has = |found: &[(usize, &str)], part: &str| found.iter().any(|f| f.1 == part);
    if !has(found, METHOD) && has(found, OBJECTIVE) {
        let later = sentences_within(text, starts, found, OBJECTIVE);
        let method = match later.as_slice() {
            [(_, only)] if !has(found, RESULTS) && reports_outcome(only) => None,
            [(at, _), ..] => Some(*at),
            [] => None,
        };
        if let Some(at) = method {
            found.push((at, METHOD));
            found.sort_by_key(|f| f.0);
        }
    }
    if !has(found, RESULTS) {
        let Some(&(_, before)) = found.iter().rev().find(|f| matches!(f.1, METHOD | OBJECTIVE)) else { return };
        let later = sentences_within(text, starts, found, before);
        if let Some(&(at, _)) = later.iter().find(|(_, sentence)| reports_outcome(sentence)) {
            found.push((at, RESULTS));
            found.sort_by_key(|f| f.0);
        }
    }
}

/// The sentences of a found part after its first one, with their offsets.
fn sentences_within<'t>(text: &'t str, starts: &[usize], found: &[(usize, &str)], part: &str) -> Vec<(usize, &'t str)> {
    let Some(i) = found.iter().position(|f| f.1 == part) else { return Vec::new() };
    let end = found.get(i + 1).map_or(text.len(), |f| f.0);
    let inside: Vec<usize> = starts.iter().copied().filter(|&s| s > found[i].0 && s < end).collect();
    inside.iter().enumerate().map(|(k, &s)| (s, &text[s..inside.get(k + 1).copied().unwrap_or(end)])).collect()
}

/// Whether a sentence reports an outcome: a percentage or a verb of results.
fn reports_outcome(sentence: &str) -> bool {
    const VERBS: &[&str] = &[
        "achiev",
        "outperform",
        "surpass",
        "improv",
        "reach",
        "attain",
        "yield",
        "show",
        "demonstrat",
        "reveal",
        "found",
        "score",
        "reduc",
        "increas",
        "exceed",
        "match",
    ];
    let lower = sentence.to_lowercase();
    lower.contains('%') || VERBS.iter().any(|v| lower.contains(v))
}

/// The offsets where sentences start: the start of the text, and every capital letter (or
/// bold label) that follows `.`, `!` or `?` (and any closing quote or bracket) and whitespace.
pub fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut after_stop = false;
    let mut spaced = false;
    for (i, c) in text.char_indices() {
        if after_stop && spaced && !c.is_whitespace() {
            if c.is_uppercase() || text[i..].starts_with("**") {
                starts.push(i);
            }
            after_stop = false;
        }
        if matches!(c, '.' | '!' | '?') {
            after_stop = true;
            spaced = false;
        } else if c.is_whitespace() {
            spaced = after_stop;
        } else if after_stop && !spaced && !matches!(c, '"' | '\'' | ')' | ']' | '”' | '’') {
            after_stop = false;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_canonical_parts() {
        for (label, part) in [
            ("Summary", Some(TLDR)),
            ("1-line summary:", Some(TLDR)),
            ("One-line summary", Some(TLDR)),
            ("A 1-line summary", Some(TLDR)),
            ("1-Line Summary", Some(TLDR)),
            ("TL;DR", Some(TLDR)),
            ("Main research question/objective", Some(OBJECTIVE)),
            ("Main Research Question/Objective:", Some(OBJECTIVE)),
            ("Main research question or objective", Some(OBJECTIVE)),
            ("Research Objective", Some(OBJECTIVE)),
            ("Objective", Some(OBJECTIVE)),
            ("Key methodology used", Some(METHOD)),
            ("Methodology", Some(METHOD)),
            ("Primary results (include one specific quantitative finding)", Some(RESULTS)),
            ("Key Results", Some(RESULTS)),
            (
                "Principal implication for AI practitioners (e.g., AI/ML/Software Engineers, Data Scientist)",
                Some(IMPLICATIONS),
            ),
            ("Implication for AI Practitioners", Some(IMPLICATIONS)),
            ("Principal Implication", Some(IMPLICATIONS)),
            ("Limitations", Some(LIMITATIONS)),
            ("Background", None),
            ("Questions", None),
        ] {
            assert_eq!(canonical(label), part, "{label}");
        }
    }

    #[test]
    fn instructions_in_parentheses_are_not_part_of_a_label() {
        assert_eq!(
            without_instruction("Primary results (include one specific quantitative finding):"),
            "Primary results"
        );
        assert_eq!(without_instruction("Background (context)"), "Background");
        assert_eq!(without_instruction("(all of it)"), "(all of it)");
        assert_eq!(without_instruction("Key Results:"), "Key Results");
    }

    #[test]
    fn chatter_is_the_opening_sentence_up_to_its_colon() {
        for (text, chatter) in [
            ("Here's a concise summary of the paper:  i) X.", Some("Here's a concise summary of the paper:")),
            (
                "Here is a concise summary of the research paper \"SynerGen-VL: Towards X\":  i) Y.",
                Some("Here is a concise summary of the research paper \"SynerGen-VL: Towards X\":"),
            ),
            (
                "Okay, here is a concise summary of the paper, strictly following your guidelines:  i) X.",
                Some("Okay, here is a concise summary of the paper, strictly following your guidelines:"),
            ),
            (
                "Here's a summary of the research paper, adhering to your guidelines:\n\nThe paper introduces X.",
                Some("Here's a summary of the research paper, adhering to your guidelines:"),
            ),
            ("Here we introduce X: a model. It works.", None),
            ("Here is a model. Summary: it works.", None),
            ("This paper introduces X: a model.", None),
            ("Here's a concise summary:x", None),
        ] {
            assert_eq!(chatter_len(text).map(|n| &text[..n]), chatter, "{text}");
        }
    }

    #[test]
    fn prose_parts_open_at_their_usual_phrases() {
        let text = "X is a model. The main objective is to do Y. The key methodology involves Z. \
                    Primary results show 95% accuracy. For AI practitioners, this means W.";
        let parts = prose_parts(text).unwrap();
        let named: Vec<(&str, &str)> = parts.iter().map(|&(at, p)| (p, &text[at..at + 6])).collect();
        assert_eq!(named, [(OBJECTIVE, "The ma"), (METHOD, "The ke"), (RESULTS, "Primar"), (IMPLICATIONS, "For AI")]);
        // Phrases inside a sentence, or out of order, open nothing.
        assert_eq!(prose_parts("We study it. We note the main objective is X. The methodology is Y."), None);
        assert_eq!(
            prose_parts(
                "Primary results show X. The methodology is Y. The main objective is Z. For AI practitioners, W."
            ),
            None
        );
        // A part may be missing; a sentence after a closing quote still starts one.
        let text = "The research aims to find \"X.\" The methodology is Y. For AI practitioners, W.";
        assert_eq!(
            prose_parts(text).unwrap().iter().map(|p| p.1).collect::<Vec<_>>(),
            [OBJECTIVE, METHOD, IMPLICATIONS]
        );
    }

    #[test]
    fn sentences_start_after_stops_and_space() {
        assert_eq!(sentence_starts("A b. C d! E f? g h. (I) J.\" K"), [0, 5, 10, 28]);
    }
}
