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
}

fn default_language() -> String {
    "en".into()
}
fn default_recent_days() -> usize {
    14
}
fn default_feed_limit() -> usize {
    50
}
fn default_output_dir() -> PathBuf {
    "public".into()
}

impl Config {
    /// Reads `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let shown = Path::new("site.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(shown, format!("cannot read site.toml: {e}")).with_hint(format!(
                    "run papershelf in a site folder (one with site.toml and content/), pass --root DIR, or create one with `papershelf init {}`",
                    root.display()
                )),
            ]
        })?;
        Config::parse(&text, shown)
    }

    /// Parses the text of a `site.toml`; `file` is the path shown in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let origin = Origin { file, source: text, offset: 0 };
        let table = tomlread::parse(text, origin)?;
        let base_span = table.get_ref().get("base_url").map(|v| v.span());
        let mut config: Config = tomlread::deserialize(table, KEYS, "site.toml", origin)?;
        if let Err(message) = config.set_base_url(&config.base_url.clone()) {
            let d = match base_span {
                Some(span) => origin.error(span, message),
                None => Diagnostic::error(file, message),
            };
            return Err(vec![d.with_hint("write it as https://example.com/ or https://user.github.io/repo/")]);
        }
        Ok(config)
    }

    /// Sets `base_url`, normalised to end in `/`; it must be an absolute http(s) URL.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url {url:?} must start with https:// or http://"))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || rest.contains(['?', '#', ' ']) {
            return Err(format!("base_url {url:?} is not a valid site URL"));
        }
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
    fn bad_base_url_is_reported() {
        let errs = parse("title = \"T\"\nbase_url = \"example.com\"\n").unwrap_err();
        assert!(errs[0].message.contains("must start with https://"), "{:?}", errs);
        assert_eq!(errs[0].line, Some(2));
    }

    #[test]
    fn missing_title_is_reported() {
        let errs = parse("base_url = \"https://e.com/\"\n").unwrap_err();
        assert!(errs[0].message.contains("title"), "{:?}", errs);
    }
}
