//! Loading Tera templates: the default theme compiled into the binary (or `themes/NAME/` when
//! `theme` is set), overridden by same-named files in the site's `templates/`. Every theme
//! template is also registered as `theme/<name>`, so an override can extend the original.

use std::path::Path;

use tera::Tera;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

macro_rules! theme_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The default theme's templates, compiled in.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = theme_files!("templates":
    "base.html", "header.html", "footer.html", "macros.html", "teaser.html", "index.html", "day.html", "paper.html", "authors.html", "author.html",
    "tags.html", "tag.html", "archive.html", "search.html", "404.html");

/// The default theme's static files, compiled in.
pub const DEFAULT_STATIC: &[(&str, &str)] =
    theme_files!("static": "style.css", "papershelf.js", "search.js", "favicon.svg");

/// Loads the theme's and the site's templates into one Tera instance.
pub fn load(root: &Path, config: &Config) -> Result<Tera, Vec<Diagnostic>> {
    let mut templates: Vec<(String, String)> = Vec::new();
    let mut diagnostics = Vec::new();
    match &config.theme {
        None => {
            for (name, text) in DEFAULT_TEMPLATES {
                templates.push((name.to_string(), text.to_string()));
            }
        }
        Some(theme) => {
            let dir = root.join("themes").join(theme).join("templates");
            if !dir.is_dir() {
                return Err(vec![
                    Diagnostic::error("site.toml", format!("theme {theme:?} has no folder themes/{theme}/templates"))
                        .with_hint("create it, or remove `theme` to use the built-in theme"),
                ]);
            }
            read_dir(root, &dir, &mut templates, &mut diagnostics);
        }
    }
    let mut all: Vec<(String, String)> = templates.iter().map(|(n, t)| (format!("theme/{n}"), t.clone())).collect();
    let mut overrides = Vec::new();
    let site_dir = root.join("templates");
    if site_dir.is_dir() {
        read_dir(root, &site_dir, &mut overrides, &mut diagnostics);
    }
    for (name, text) in templates {
        if !overrides.iter().any(|(n, _)| *n == name) {
            all.push((name, text));
        }
    }
    all.extend(overrides);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(all).map_err(|e| vec![template_error(&e)])?;
    Ok(tera)
}

fn read_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>, diagnostics: &mut Vec<Diagnostic>) {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html" && e != "xml") {
            continue;
        }
        let name = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => out.push((name, text)),
            Err(e) => diagnostics.push(Diagnostic::error(
                crate::diagnostic::display_path(root, path),
                format!("cannot read template: {e}"),
            )),
        }
    }
}

/// Escapes `& < > " '`: what HTML needs, leaving `/` in URLs readable.
fn escape_html(input: &str) -> String {
    crate::render::markdown::escape(input)
}

/// A Tera error as a diagnostic: the template it names, and the whole chain of causes.
pub fn template_error(error: &tera::Error) -> Diagnostic {
    let mut messages = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        messages.push(s.to_string());
        source = s.source();
    }
    let file = messages
        .iter()
        .find_map(|m| m.split('\'').nth(1).filter(|n| n.ends_with(".html") || n.ends_with(".xml")))
        .map_or_else(|| "templates".to_string(), |n| format!("templates/{}", n.trim_start_matches("theme/")));
    let message = messages.join(": ").replace('\n', " ");
    Diagnostic::error(file, message).with_hint("fix the template; docs/templates.md lists what each template receives")
}
