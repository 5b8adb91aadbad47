//! The site configuration: reads `site.toml` into a typed [`Config`], with defaults for every
//! key but `title` and `base_url`, and derives the base path used by every internal link.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::tomlread::{self, Origin};

/// Every key `site.toml` accepts.
pub const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "cname",
    "theme",
    "recent_days",
    "feed_limit",
    "output_dir",
    "paginate_by",
    "paper_urls",
    "author_page_min",
];

/// The site's settings, as read from `site.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: String,
    /// A custom domain for GitHub Pages, written to `CNAME`.
    #[serde(default)]
    pub cname: Option<String>,
    /// A theme folder under `themes/`; none means the built-in default theme.
    #[serde(default)]
    pub theme: Option<String>,
    /// How many days the home page lists.
    #[serde(default = "default_recent_days")]
    pub recent_days: usize,
    /// How many papers the Atom feed holds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// How many papers a page of a day, an author or a tag lists; longer lists continue on
    /// pages 2, 3… under the list's own path (`/tags/llm/page/2/`).
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// What names a paper's page: its arXiv id (`/papers/2410.13861/`, the default) or its
    /// title's slug. A `slug` field wins either way; a paper without an id keeps its title's.
    #[serde(default)]
    pub paper_urls: PaperUrls,
    /// How many papers an author needs for a page and a feed of their own
    /// (`/authors/<slug>/`); every other author's name links to the search page filtered to
    /// them. The authors index lists every author either way.
    #[serde(default = "default_author_page_min")]
    pub author_page_min: usize,
}

/// `paper_urls`: what a paper's page is named after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperUrls {
    /// The arXiv id without version (`papers/2410.13861/`): survives title corrections.
    #[default]
    Arxiv,
    /// The title's slug (`papers/some-title/`).
    Title,
}

/// The `language` of a site that names none.
pub const DEFAULT_LANGUAGE: &str = "en";

fn default_language() -> String {
    DEFAULT_LANGUAGE.into()
}
fn default_recent_days() -> usize {
    14
}
fn default_feed_limit() -> usize {
    50
}
fn default_paginate_by() -> usize {
    50
}
/// The default of `author_page_min`: see `docs/performance.md` for how it was chosen (most
/// authors of a big digest appear on one or two papers; a page and a feed each would be most
/// of the site's files).
pub const DEFAULT_AUTHOR_PAGE_MIN: usize = 8;
fn default_author_page_min() -> usize {
    DEFAULT_AUTHOR_PAGE_MIN
}
fn default_output_dir() -> PathBuf {
    "public".into()
}

impl Config {
    /// Reads `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let shown = Path::new("site.toml");
        crate::sitefs::check_file(root, &path).map_err(|d| vec![d])?;
        let bytes = std::fs::read(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::InvalidFilename {
                "the path is longer than the system allows: pass a shorter --root".to_string()
            } else {
                format!(
                    "run papershelf in a site folder (one with site.toml and content/), pass --root DIR, or create one with `papershelf init {}`",
                    root.display()
                )
            };
            vec![Diagnostic::error(shown, format!("cannot read site.toml: {e}")).with_hint(hint)]
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            vec![
                Diagnostic::error(shown, format!("site.toml is not valid UTF-8 (bad byte at offset {valid})"))
                    .at(&prefix, valid..valid)
                    .without_snippet()
                    .with_hint("save site.toml as UTF-8"),
            ]
        })?;
        Config::parse(&text, shown)
    }

    /// Parses the text of a `site.toml`; `file` is the path shown in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let lines = crate::diagnostic::LineIndex::new(text);
        let origin = Origin { file, source: text, offset: 0, lines: &lines };
        let table = tomlread::parse(text, origin)?;
        let base_span = table.get_ref().get("base_url").map(toml::Spanned::span);
        let cname_span = table.get_ref().get("cname").map(toml::Spanned::span);
        let span_of = |key: &str| table.get_ref().get(key).map(toml::Spanned::span);
        let counts_at = ["paginate_by", "author_page_min"].map(|key| (key, span_of(key)));
        let mut config: Config = tomlread::deserialize(table, KEYS, "site.toml", origin)?;
        if let Err(message) = config.set_base_url(&config.base_url.clone()) {
            let d = match base_span {
                Some(span) => origin.error(span, message),
                None => Diagnostic::error(file, message),
            };
            return Err(vec![d.with_hint("write it as https://example.com/ or https://user.github.io/repo/")]);
        }
        let counts = [
            ("paginate_by", config.paginate_by, "how many papers a page lists, e.g. paginate_by = 50"),
            (
                "author_page_min",
                config.author_page_min,
                "how many papers give an author a page, e.g. author_page_min = 8",
            ),
        ];
        for (key, value, what) in counts {
            let span = counts_at.iter().find(|(k, _)| *k == key).and_then(|(_, s)| s.clone());
            if value == 0 {
                let message = format!("{key} must be at least 1");
                let d = match span {
                    Some(span) => origin.error(span, message),
                    None => Diagnostic::error(file, message),
                };
                return Err(vec![d.with_hint(format!("write {what}"))]);
            }
        }
        if let Some(problem) = config.cname.as_deref().and_then(cname_problem) {
            let d = match cname_span {
                Some(span) => origin.error(span, problem),
                None => Diagnostic::error(file, problem),
            };
            return Err(vec![d.with_hint("write the domain alone, such as cname = \"papers.example.org\"")]);
        }
        Ok(config)
    }

    /// A config with every default, for reading a site whose site.toml has problems.
    pub fn stand_in() -> Config {
        Config::parse("title = \"\"\nbase_url = \"https://example.invalid/\"\n", Path::new("site.toml"))
            .expect("the stand-in config parses")
    }

    /// Sets `base_url`, normalised to end in `/` and percent-encoded; it must be an absolute
    /// http(s) URL.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url {url:?} must start with https:// or http://"))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
            && !host.starts_with(['.', '-', ':']);
        if !host_ok {
            return Err(format!("base_url {url:?} has no valid host name"));
        }
        if rest.contains(|c: char| c.is_control() || c.is_whitespace() || "?#\\\"<>`".contains(c)) {
            return Err(format!("base_url {url:?} holds a space, a control character or one of ?#\\\"<>`"));
        }
        if path.contains("//") || path.split('/').any(|s| s == "." || s == "..") {
            return Err(format!("base_url {url:?} has an empty, `.` or `..` part in its path"));
        }
        // As a browser sends it: a path written with non-ASCII letters ("/café/") is
        // percent-encoded, so links, the preview's sub-path and redirects all match.
        let url = url::Url::parse(url).map_err(|e| format!("base_url {url:?} is not a URL: {e}"))?;
        let url = url.as_str();
        self.base_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/repo/`).
    pub fn base_path(&self) -> String {
        let rest = self.base_url.split_once("://").map_or("", |(_, r)| r);
        match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        }
    }
}

/// Why `cname` cannot go into GitHub Pages' `CNAME` file, or `None`: it must be one domain
/// name (letters, digits, `-` and `.`; no scheme, path, space or second line).
fn cname_problem(cname: &str) -> Option<String> {
    let domain = cname.trim();
    if domain.is_empty() {
        return None;
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if domain.len() > 253 || !domain.trim_end_matches('.').split('.').all(label_ok) {
        return Some(format!("cname {cname:?} is not a domain name"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("site.toml"))
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"T\"\nbase_url = \"https://u.github.io/repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/repo/");
        assert_eq!(c.base_path(), "/repo/");
        assert_eq!(c.language, "en");
        assert_eq!(c.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn root_base_path() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.com\"\n").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn unknown_key_gets_nearest_hint() {
        let errs = parse("title = \"T\"\nbase_url = \"https://e.com/\"\ndescripton = \"x\"\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location(), "site.toml:3:1");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn a_base_path_with_other_letters_is_percent_encoded() {
        let c = parse("title = \"T\"\nbase_url = \"https://E.com:8080/café/\"\n").unwrap();
        assert_eq!(c.base_url, "https://e.com:8080/caf%C3%A9/");
        assert_eq!(c.base_path(), "/caf%C3%A9/");
    }

    #[test]
    fn bad_base_url_is_reported() {
        let errs = parse("title = \"T\"\nbase_url = \"example.com\"\n").unwrap_err();
        assert!(errs[0].message.contains("must start with https://"), "{errs:?}");
        assert_eq!(errs[0].line, Some(2));
    }

    #[test]
    fn unsafe_base_urls_and_cnames_are_refused() {
        for url in [
            "https://e.com//",
            "https://e.com/a//b/",
            "https://e.com/\u{7}x/",
            "https://e.com/a b/",
            "https://e.com\\@evil.com/",
            "https:///e.com",
            "https://e.com/../x/",
            "https://.evil/",
        ] {
            let text = format!("title = \"T\"\nbase_url = {url:?}\n");
            let errs = parse(&text).unwrap_err();
            assert_eq!(errs[0].line, Some(2), "{url:?}: {errs:?}");
        }
        for cname in ["a.org\nevil", "https://a.org", "a.org/x", "a b.org", "-a.org"] {
            let text = format!("title = \"T\"\nbase_url = \"https://e.com/\"\ncname = {cname:?}\n");
            let errs = parse(&text).unwrap_err();
            assert_eq!(errs[0].line, Some(3), "{cname:?}: {errs:?}");
        }
        let ok =
            parse("title = \"T\"\nbase_url = \"http://localhost:8080/a-b/c_d/\"\ncname = \"papers.example.org\"\n");
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn missing_title_is_reported() {
        let errs = parse("base_url = \"https://e.com/\"\n").unwrap_err();
        assert!(errs[0].message.contains("title"), "{errs:?}");
    }
}
