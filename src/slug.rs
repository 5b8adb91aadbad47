//! Slugs: the stable, URL-safe names of papers, authors and tags.

/// Lower-case ASCII words joined by `-`, transliterating other scripts (`José` → `jose`).
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A slug cut to at most `max` bytes at a word boundary.
pub fn truncate(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(i) if i > 0 => &slug[..i],
        _ => &slug[..max],
    }
}

/// The longest term slug (authors, tags), in bytes. Longer ones are cut at a word and end
/// in a hash of the whole name, so two long names that share a beginning stay two terms.
pub const MAX_TERM_SLUG: usize = 100;

/// A slug for `text` that is never empty and is always one safe path segment
/// ([`crate::safe::segment_problem`]): text with no letters or digits gets a stable hex name
/// from its bytes, a name too long for a file name is cut and given a hash of the whole, and
/// a Windows device name (`con`, `nul`, `com1`) gets a suffix.
pub fn slugify_nonempty(text: &str) -> String {
    let s = slugify(text);
    if s.is_empty() {
        return format!("x{:012x}", hash(text) & 0xffff_ffff_ffff);
    }
    if s.len() > MAX_TERM_SLUG {
        return format!("{}-{:08x}", truncate(&s, MAX_TERM_SLUG - 9), hash(text) & 0xffff_ffff);
    }
    if crate::safe::is_device_name(&s) {
        return format!("{s}-0");
    }
    s
}

/// The longest paper slug, in bytes; longer titles are cut at a word.
pub const MAX_PAPER_SLUG: usize = 80;

/// A paper's slug from its title: [`slugify_nonempty`] cut to [`MAX_PAPER_SLUG`] at a word,
/// still one safe path segment after the cut (cutting "Con" + a long word leaves `con`).
pub fn paper_slug(title: &str) -> String {
    let cut = truncate(&slugify_nonempty(&without_tex_commands(title)), MAX_PAPER_SLUG).to_string();
    if crate::safe::is_device_name(&cut) { format!("{cut}-0") } else { cut }
}

/// `text` without TeX's command names (`\\textbf`, `\\mathrm`): a title's
/// `$\\textbf{Only-IF}$` is slugged as `only-if`, not `textbf-only-if`. Text that is nothing
/// but commands keeps them (a slug of something beats a hash).
fn without_tex_commands(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\\') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_alphabetic) {
            while chars.next_if(char::is_ascii_alphabetic).is_some() {}
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    if slugify(&out).is_empty() { text.into() } else { out.into() }
}

/// FNV-1a: a stable hash (the same on every machine and run) for names made from text.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            ("CompassJudger-1: All-in-one Judge", "compassjudger-1-all-in-one-judge"),
            ("José Álvarez", "jose-alvarez"),
            ("  --Hello,  World!-- ", "hello-world"),
            ("$\\text{Transformer}^2$", "text-transformer-2"),
            ("<think>", "think"),
            ("Top-$nσ$", "top-ns"),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn truncates_at_word_boundary() {
        assert_eq!(truncate("abc-def-ghi", 8), "abc-def");
        assert_eq!(truncate("abc", 8), "abc");
        assert_eq!(truncate("abcdefghij", 4), "abcd");
    }

    #[test]
    fn never_empty() {
        assert!(!slugify_nonempty("***").is_empty());
        assert_eq!(slugify_nonempty("***"), slugify_nonempty("***"));
        assert_ne!(slugify_nonempty("***"), slugify_nonempty("+++"));
    }

    #[test]
    fn always_one_safe_segment() {
        let long_a = format!("{} Alpha", "Name ".repeat(80));
        let long_b = format!("{} Beta", "Name ".repeat(80));
        for text in ["Con", "NUL", "com1", "../../etc", "a/b\\c", ".", "..", "", &long_a, "\u{1}\u{7f}", "Zoë Ångström"]
        {
            let slug = slugify_nonempty(text);
            assert_eq!(crate::safe::segment_problem(&slug), None, "{text:?} → {slug:?}");
        }
        assert_ne!(slugify_nonempty(&long_a), slugify_nonempty(&long_b), "long names stay apart");
    }

    #[test]
    fn a_paper_slug_cut_to_a_device_name_is_still_a_safe_segment() {
        let long_word = "x".repeat(85);
        for title in [format!("Con {long_word}"), format!("NUL: {long_word}"), format!("com1 {long_word} more")] {
            let slug = paper_slug(&title);
            assert!(slug.len() <= MAX_PAPER_SLUG + 2, "{slug:?}");
            assert_eq!(crate::safe::segment_problem(&slug), None, "{title:?} → {slug:?}");
        }
        assert_eq!(paper_slug("CompassJudger-1: All-in-one"), "compassjudger-1-all-in-one");
    }

    #[test]
    fn tex_commands_stay_out_of_paper_slugs() {
        assert_eq!(
            paper_slug("$\\textbf{Only-IF}$: Revealing the Decisive Effect"),
            "only-if-revealing-the-decisive-effect"
        );
        assert_eq!(paper_slug("$\\text{Transformer}^2$: Self-adaptive LLMs"), "transformer-2-self-adaptive-llms");
        assert_eq!(paper_slug("A $\\mathcal{O}(n)$ bound, \\& more"), "a-o-n-bound-more");
        assert_eq!(paper_slug("$\\alpha$"), "alpha");
    }
}
