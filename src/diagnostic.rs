//! Diagnostics: one problem found in a site's files, with its file, position and a hint,
//! printed rustc-style. Every phase reports problems as a list of these.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the command, warnings are printed and let it go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pointing at a file and, where known, a line and column in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the position points into, and the width of the caret under it.
    pub snippet: Option<(String, usize)>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the diagnostic at a byte span of `source`, the whole text of its file.
    pub fn at(self, source: &str, span: std::ops::Range<usize>) -> Self {
        self.at_indexed(source, &LineIndex::new(source), span)
    }

    /// [`Diagnostic::at`] with the lines of `source` already indexed: a reader that points
    /// at many places in one file (each paper of a day file) indexes it once, so finding
    /// every position costs a binary search, not a count of the lines before it.
    pub fn at_indexed(mut self, source: &str, lines: &LineIndex, span: std::ops::Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line = lines.line_of(start);
        let line_start = lines.starts[line - 1];
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        self.line = Some(line);
        self.column = Some(column);
        self.snippet = is_plain_text(lines, line_text).then(|| (line_text.to_string(), width));
        self
    }

    /// Drops the source line: for a position in a file that is not text (not UTF-8), whose
    /// lines must not be echoed.
    pub fn without_snippet(mut self) -> Self {
        self.snippet = None;
        self
    }

    /// Points the diagnostic at a 1-based line, without a column.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Adds the `help:` line telling the user what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col`, as far as it is known.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let (Some(line), Some(col), Some((text, width))) = (self.line, self.column, &self.snippet) {
            let gutter = " ".repeat(line.to_string().len());
            writeln!(f, "{gutter} --> {}", self.location())?;
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {text}")?;
            let pad: String = text.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(f, "{gutter} | {pad}{}", "^".repeat(*width))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Diagnostics sorted the way a user reads them: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
}

/// The known name nearest to `unknown`, if any is close enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A path as shown to the user: relative to the site root when it lies below it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Where each line of a text starts, for finding the line of a byte offset by binary search.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Whether the text holds a NUL byte: then none of its lines is shown.
    has_nul: bool,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let newlines = memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1);
        let has_nul = memchr::memchr(0, source.as_bytes()).is_some();
        LineIndex { starts: std::iter::once(0).chain(newlines).collect(), has_nul }
    }

    /// The 1-based line that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// Whether a line of a file may be shown: never a line of a file holding NUL, nor one with a
/// control character other than a tab. Such a file is not a site's text (`/proc/self/environ`
/// behind a symlink is NUL-separated), and a terminal or CI log must not get its bytes.
fn is_plain_text(lines: &LineIndex, line: &str) -> bool {
    !lines.has_nul && !line.chars().any(|c| c.is_control() && c != '\t')
}

/// The largest char boundary of `s` at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column() {
        let src = "+++\ntitle = \"x\"\ndate = \"2024-13-01\"\n+++\n";
        let start = src.find("\"2024").unwrap();
        let d = Diagnostic::error("a.md", "invalid date").at(src, start..start + 12);
        assert_eq!(d.location(), "a.md:3:8");
        let text = d.to_string();
        assert!(text.contains("3 | date = \"2024-13-01\""), "{text}");
        assert!(text.contains("|        ^^^^^^^^^^^^"), "{text}");
    }

    #[test]
    fn lines_of_binary_files_are_never_shown() {
        let src = "A=s3cr3t\0B=x\nC=1\n";
        let d = Diagnostic::error("a.toml", "bad").at(src, 0..1);
        assert_eq!(d.location(), "a.toml:1:1");
        assert!(!d.to_string().contains("s3cr3t"), "{d}");
        let src = "ok = 1\nkey\u{1b}[2J = s3cr3t\n";
        let d = Diagnostic::error("a.toml", "bad").at(src, 8..9);
        assert!(!d.to_string().contains("s3cr3t"), "{d}");
        let d = Diagnostic::error("a.toml", "bad").at("a\tb = s3cr3t\n", 0..1);
        assert!(d.to_string().contains("s3cr3t"), "a tab is text: {d}");
    }

    #[test]
    fn nearest_name_for_typos() {
        let known = ["title", "authors", "arxiv", "tags"];
        assert_eq!(nearest("authros", &known), Some("authors"));
        assert_eq!(nearest("titel", &known), Some("title"));
        assert_eq!(nearest("zzzzzzzz", &known), None);
    }

    #[test]
    fn line_index_finds_every_line() {
        let src = "a\nbc\n\nd";
        let lines = LineIndex::new(src);
        let expect = [1, 1, 2, 2, 2, 3, 4, 4];
        for (offset, line) in expect.iter().enumerate() {
            assert_eq!(lines.line_of(offset), *line, "offset {offset}");
        }
    }
}
