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

/// A slug for `text` that is never empty: text with no letters or digits gets a stable
/// hex name from its bytes.
pub fn slugify_nonempty(text: &str) -> String {
    let s = slugify(text);
    if !s.is_empty() {
        return s;
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("x{:012x}", hash & 0xffff_ffff_ffff)
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
}
