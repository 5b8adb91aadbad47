//! Splits a paper file into its TOML front matter (between `+++` lines) and its Markdown body.

/// A file split at its front matter: the TOML text, its byte offset in the file, and the body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub toml: &'a str,
    pub toml_offset: usize,
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file opens with `+++` but never closes it.
    Unclosed,
}

/// True when the file opens with a `+++` line (after an optional BOM).
pub fn has_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.split('\n').next().unwrap_or("");
    first.trim_end() == "+++"
}

/// Splits `text`, which must start with a `+++` line, at its closing `+++` line.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let after_open = text[bom..].find('\n').map_or(text.len(), |i| bom + i + 1);
    let mut pos = after_open;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split { toml: &text[after_open..pos], toml_offset: after_open, body: &text[body_start..] });
        }
        pos = end + 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ntitle = \"x\"\n+++\n\nBody\n").unwrap();
        assert_eq!(s.toml, "title = \"x\"\n");
        assert_eq!(s.toml_offset, 4);
        assert_eq!(s.body, "\nBody\n");
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nBody";
        assert!(has_front_matter(text));
        let s = split(text).unwrap();
        assert_eq!(s.toml, "title = \"x\"\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn unclosed_front_matter() {
        assert_eq!(split("+++\ntitle = \"x\"\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn empty_front_matter_at_end() {
        let s = split("+++\n+++").unwrap();
        assert_eq!(s.toml, "");
        assert_eq!(s.body, "");
    }
}
