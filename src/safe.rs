//! What content may put into the site's paths and links. One check for each, used by every
//! reader (paper files, day files, table digests, Markdown, config) and again by the writer:
//! a path segment that comes from content is one plain, portable name; a link is http(s) or a
//! relative path that stays on the site's host.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **Safety** (`src/safe.rs`, a leaf): the one check for each thing content can put into a path or
//! a link. `segment_problem` (a slug: lower-case `a-z`, digits, `-`, `_`, ≤ 200 bytes, no Windows
//! device name), `is_inside` (the writer's own check of every relative path),
//! `static_path_problem`, `collisions` (case and Unicode-normalisation twins among output files),
//! and `is_safe_url` (entities, case, tab/newline and `\` normalised as a browser does, then the
//! WHATWG parser of the `url` crate: http(s) with a host, or relative and on the site; Unicode
//! spaces and invisible format characters refused anywhere; `is_web_url` is its absolute half, for
//! links to other sites fetched from a service). A link is published through `publishable_url` /
//! `publishable_web_url`, which return exactly the string that was checked. Paper files, day
//! files, table digests, Markdown, `slug::slugify_nonempty` and `slug::paper_slug` (a title's slug
//! cut to 80 bytes, still one safe segment after the cut: the one rule for pages, `import` and
//! `new`) all go through it.

/// The longest path segment made from content, in bytes: file systems refuse names over 255,
/// and a page is `<segment>/index.html` below a few more.
pub const MAX_SEGMENT: usize = 200;

/// Names Windows reserves in every folder (with or without an extension): a site checked out
/// there must not hold them.
const DEVICE_NAMES: &[&str] = &["con", "prn", "aux", "nul", "conin$", "conout$"];

/// Why a slug or other content-made path segment is refused, or `None` when it is safe: non-empty,
/// at most [`MAX_SEGMENT`] bytes, only lower-case ASCII letters, digits, `-` and `_` (so no
/// `/`, `\`, `.` or `..`, no case or Unicode-normalisation twins), and not a Windows device name.
pub fn segment_problem(segment: &str) -> Option<String> {
    if segment.is_empty() {
        return Some("it is empty".into());
    }
    if segment.len() > MAX_SEGMENT {
        return Some(format!("it is {} bytes long; the limit is {MAX_SEGMENT}", segment.len()));
    }
    if let Some(c) = segment.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '_')) {
        return Some(format!("it contains {c:?}; a slug is lower-case letters a-z, digits, `-` and `_`"));
    }
    if is_device_name(segment) {
        return Some(format!("{segment:?} is a device name on Windows"));
    }
    None
}

/// True for names Windows reserves (`con`, `nul`, `com1`, `lpt9`, also as `con.txt`).
pub fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
    };
    DEVICE_NAMES.contains(&stem.as_str()) || numbered("com") || numbered("lpt")
}

/// True when `rel` is a relative path that stays inside the folder it is joined to: segments
/// separated by `/`, none empty, `.` or `..`, no backslash, NUL or other control character,
/// each at most 255 bytes. The writer checks every path with it, whatever made the path.
pub fn is_inside(rel: &str) -> bool {
    !rel.is_empty()
        && rel.split('/').all(|s| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.len() <= 255
                && !s.contains(['\\', ':'])
                && !s.contains(char::is_control)
        })
}

/// Why a file name from the site's own folders (`static/`, a theme) cannot be published as it
/// is, or `None`: it must be a path [`is_inside`] allows and portable (no Windows device name,
/// no `<>:"|?*`).
pub fn static_path_problem(rel: &str) -> Option<String> {
    if !is_inside(rel) {
        return Some("the name holds a control character, a backslash or a colon".into());
    }
    if let Some(s) = rel.split('/').find(|s| s.contains(['<', '>', '"', '|', '?', '*'])) {
        return Some(format!("{s:?} holds a character that is not allowed in file names on Windows"));
    }
    if let Some(s) = rel.split('/').find(|s| is_device_name(s)) {
        return Some(format!("{s:?} is a device name on Windows"));
    }
    None
}

/// Pairs of paths (in the order given) that are one path where file names ignore case or
/// Unicode normalisation: the first path of each pair is the one seen first.
pub fn collisions<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, &'a str)> {
    use unicode_normalization::UnicodeNormalization;
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for path in paths {
        // Nearly every output path is ASCII: its own NFC form.
        let folded: String =
            if path.is_ascii() { path.to_ascii_lowercase() } else { path.nfc().flat_map(char::to_lowercase).collect() };
        match seen.get(&folded) {
            Some(first) => out.push((*first, path)),
            None => {
                seen.insert(folded, path);
            }
        }
    }
    out
}

/// The URL as a browser reads it: HTML character references decoded, ASCII tab and newlines
/// removed anywhere, leading and trailing spaces and control characters trimmed, and `\` read
/// as `/` (browsers do so for http(s) and relative URLs).
pub fn normalise_url(url: &str) -> String {
    let decoded = decode_entities(url);
    let trimmed = decoded.trim_matches(|c: char| c <= ' ');
    trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).map(|c| if c == '\\' { '/' } else { c }).collect()
}

/// True for URLs safe to publish as links: absolute http(s) URLs with a host, and relative
/// paths and fragments that stay on the site's host. Checked on the URL as a browser reads it
/// ([`normalise_url`]) with the WHATWG parser browsers follow (the `url` crate), so
/// `JaVaScRiPt:`, `java&#x09;script:`, `\\evil.com` and `/\evil.com` are all refused.
pub fn is_safe_url(url: &str) -> bool {
    publishable_url(url).is_some()
}

/// The URL to publish for `url`, or `None` when it is not safe ([`is_safe_url`]): exactly the
/// string that was checked, the URL as a browser reads it. Every link from content, data files
/// and fetched records is published through it, so no later trim can turn a checked relative
/// URL (`"\u{3000}javascript:…"`) into another one. Unicode spaces and invisible format
/// characters (U+00A0, U+3000, zero-width and bidirectional marks) are refused anywhere.
pub fn publishable_url(url: &str) -> Option<String> {
    let url = normalise_url(url);
    if url.is_empty() || url.chars().any(|c| c.is_control() || is_hidden_space(c)) {
        return None;
    }
    if is_absolute(&url) {
        return is_normalised_web_url(&url).then_some(url);
    }
    // Relative: resolved against a page of a stand-in site, it must stay on that site.
    let page = url::Url::parse("https://site.invalid/base/page/").expect("a valid base");
    let on_site = page.join(&url).is_ok_and(|u| u.scheme() == "https" && u.host_str() == Some("site.invalid"));
    on_site.then_some(url)
}

/// The absolute http(s) URL to publish for a link to another site ([`is_web_url`]), as checked.
pub fn publishable_web_url(url: &str) -> Option<String> {
    publishable_url(url).filter(|u| is_absolute(u))
}

/// Whitespace other than the ASCII space, and the invisible format characters (zero-width,
/// bidirectional controls, the BOM): nothing a real URL holds, and what hides a scheme.
fn is_hidden_space(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// True for absolute http(s) URLs with a host, read as a browser reads them: what a link to
/// another site must be (a code or project link fetched from Hugging Face, a service's base URL).
pub fn is_web_url(url: &str) -> bool {
    publishable_web_url(url).is_some()
}

/// [`is_web_url`] of a URL already read as a browser reads it: normalising twice would decode
/// character references twice (`&amp;#x40;` → `@`), which a browser does not.
fn is_normalised_web_url(url: &str) -> bool {
    is_absolute(url)
        && !url.chars().any(char::is_control)
        && url::Url::parse(url).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()))
}

fn is_absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Decodes the character references a browser decodes in an attribute (`&#106;`, `&#x6a;`,
/// `&colon;`, `&Tab;`, `&NewLine;`, `&amp;`…); unknown names stay as they are.
fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The character of the reference at the start of `s` and its length (`;` optional, as
/// browsers allow for numeric ones).
fn entity(s: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] = &[
        ("&colon;", ':'),
        ("&tab;", '\t'),
        ("&newline;", '\n'),
        ("&amp;", '&'),
        ("&sol;", '/'),
        ("&bsol;", '\\'),
        ("&lpar;", '('),
        ("&rpar;", ')'),
        ("&period;", '.'),
        ("&nbsp;", '\u{a0}'),
    ];
    let head: String = s.chars().take(12).collect::<String>().to_ascii_lowercase();
    if let Some((name, c)) = NAMED.iter().find(|(name, _)| head.starts_with(name)) {
        return Some((*c, name.len()));
    }
    let body = s.strip_prefix("&#")?;
    let (radix, digits_at) = if body.starts_with(['x', 'X']) { (16, 3) } else { (10, 2) };
    let digits: String = s[digits_at..].chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return None;
    }
    let value = u32::from_str_radix(&digits[..digits.len().min(8)], radix).ok()?;
    let mut len = digits_at + digits.len();
    if s[len..].starts_with(';') {
        len += 1;
    }
    Some((char::from_u32(value).filter(|c| *c != '\0').unwrap_or('\u{fffd}'), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_are_absolute_http_with_a_host() {
        for ok in ["https://github.com/x/y", "HTTPS://GitHub.com/x", " http://x.org ", "https://x.org:8080/a?b#c"] {
            assert!(is_web_url(ok) && is_safe_url(ok), "{ok}");
        }
        for bad in ["http-docs/x", "/abs/1", "//evil.com/x", "https://", "javascript:alert(1)", "ftp://x.org/", "é"] {
            assert!(!is_web_url(bad), "{bad}");
        }
        // References are decoded once, as a browser does: `&amp;#x01;` is the text `&#x01;`,
        // not a control character.
        assert!(is_safe_url("https://x.org/a&amp;#x01;b"));
    }

    #[test]
    fn safe_urls() {
        for ok in
            ["https://x.org/a", "http://x", "../a/", "a.pdf", "#sec", "/abs/1", " https://x.org ", "HTTPS://X.ORG"]
        {
            assert!(is_safe_url(ok), "{ok}");
        }
        let bad = [
            "javascript:alert(1)",
            "JavaScript:x",
            " \u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:alert(1)",
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#0000106avascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.com/x",
            "/\\evil.com/b",
            "\\\\evil.com/c",
            "\\/evil.com",
            "/\t/evil.com/a",
            " //evil.com",
            "",
            "   ",
        ];
        for url in bad {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }

    #[test]
    fn segments() {
        for ok in ["puma", "a-b_c", "x0123", "com10", "console"] {
            assert_eq!(segment_problem(ok), None, "{ok}");
        }
        let long = "a".repeat(MAX_SEGMENT + 1);
        let bad = [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "a\\b",
            "/etc",
            "C:\\x",
            "Puma",
            "caf\u{e9}",
            "cafe\u{301}",
            "con",
            "NUL",
            "com1",
            "lpt9",
            "aux",
            "a b",
            "a\0b",
            &long,
        ];
        for s in bad {
            assert!(segment_problem(s).is_some(), "{s:?}");
        }
    }

    #[test]
    fn inside() {
        for ok in ["index.html", "papers/x/index.html", "search/a.json", ".nojekyll"] {
            assert!(is_inside(ok), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a\\..\\b", "a/\0", "c:/x", "a/"] {
            assert!(!is_inside(bad), "{bad:?}");
        }
    }

    #[test]
    fn case_and_normalisation_twins() {
        let found = collisions(["a/Foo.png", "a/foo.png", "caf\u{e9}.css", "cafe\u{301}.css", "b.css"]);
        assert_eq!(found, [("a/Foo.png", "a/foo.png"), ("caf\u{e9}.css", "cafe\u{301}.css")]);
    }

    #[test]
    fn device_names() {
        for name in ["con", "CON", "con.txt", "aux", "com1", "LPT3.html", "nul"] {
            assert!(is_device_name(name), "{name}");
        }
        for name in ["cons", "com", "com0", "lpt10", "icon"] {
            assert!(!is_device_name(name), "{name}");
        }
    }
}
