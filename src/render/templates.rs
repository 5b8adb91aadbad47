//! Loading Tera templates: the default theme compiled into the binary (or `themes/NAME/` when
//! `theme` is set), overridden by same-named files in the site's `templates/`. Every theme
//! template is also registered as `theme/<name>`, so an override can extend the original;
//! except a template defining components, which Tera 2 registers globally by name (a second
//! copy would define each component twice).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

macro_rules! theme_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The default theme's templates, compiled in.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = theme_files!("templates":
    "base.html", "header.html", "footer.html", "components.html", "teaser.html", "index.html", "day.html", "paper.html",
    "terms.html", "term.html", "pagination.html", "archive.html", "search.html", "404.html", "saved.html", "period.html",
    "lines.html");

/// The default theme's static files, compiled in.
pub const DEFAULT_STATIC: &[(&str, &str)] = theme_files!("static": "style.css", "papershelf.js", "search/fold.js", "search/index.js", "search/rank.js",
        "search/ui.js", "saved.js", "favicon.svg");

/// The loaded templates, with the file and text of each, so an error can point into it.
pub struct Templates {
    pub tera: Tera,
    /// Template name → (the file it came from, as shown to the user; its text).
    sources: HashMap<String, (PathBuf, String)>,
}

/// One template: its name in Tera, the file it came from, its text.
struct Source {
    name: String,
    file: PathBuf,
    text: String,
}

/// Whether a template defines components (see the module documentation).
fn defines_components(text: &str) -> bool {
    text.contains("{% component") || text.contains("{%- component")
}

/// Loads the theme's and the site's templates into one Tera instance.
pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
    let mut theme: Vec<Source> = Vec::new();
    let mut diagnostics = Vec::new();
    match &config.theme {
        None => {
            for (name, text) in DEFAULT_TEMPLATES {
                let file = PathBuf::from(format!("(built-in theme) templates/{name}"));
                theme.push(Source { name: name.to_string(), file, text: text.to_string() });
            }
        }
        Some(name) => {
            let rel = format!("themes/{name}/templates");
            if let Err(d) = crate::sitefs::check_below(root, &rel) {
                return Err(vec![d]);
            }
            if !root.join(&rel).is_dir() {
                return Err(vec![
                    Diagnostic::error("site.toml", format!("theme {name:?} has no folder themes/{name}/templates"))
                        .with_hint("create it, or remove `theme` to use the built-in theme"),
                ]);
            }
            read_dir(root, &rel, &mut theme, &mut diagnostics);
        }
    }
    let mut overrides = Vec::new();
    read_dir(root, "templates", &mut overrides, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut all: Vec<Source> = Vec::new();
    for t in theme {
        let overridden = overrides.iter().any(|o| o.name == t.name);
        if !defines_components(&t.text) {
            all.push(Source { name: format!("theme/{}", t.name), file: t.file.clone(), text: t.text.clone() });
        }
        if !overridden {
            all.push(t);
        }
    }
    all.extend(overrides);
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("thousands", thousands);
    let result = tera.add_raw_templates(all.iter().map(|t| (t.name.as_str(), t.text.as_str())));
    let templates = Templates { tera, sources: all.into_iter().map(|t| (t.name, (t.file, t.text))).collect() };
    match result {
        Ok(()) => Ok(templates),
        Err(e) => Err(templates.errors(&e)),
    }
}

/// Reads the templates below the site's folder `rel` (none when it is absent), following
/// symlinks only inside the site (`sitefs::walk`).
fn read_dir(root: &Path, rel: &str, out: &mut Vec<Source>, diagnostics: &mut Vec<Diagnostic>) {
    let dir = root.join(rel);
    let walk = crate::sitefs::walk(root, rel, crate::diagnostic::Severity::Error, |_| false);
    diagnostics.extend(walk.problems);
    for entry in walk.entries {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html" && e != "xml") {
            continue;
        }
        let name = path.strip_prefix(&dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let file = crate::diagnostic::display_path(root, path);
        match std::fs::read_to_string(path) {
            Ok(text) => out.push(Source { name, file, text }),
            Err(e) => diagnostics.push(Diagnostic::error(file, format!("cannot read template: {e}"))),
        }
    }
}

/// Escapes `& < > " '`: what HTML needs, leaving `/` in URLs readable.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    crate::render::markdown::escape_runs(input, |run| {
        if result.is_ok() && !run.is_empty() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

impl Templates {
    /// Renders template `name`.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| self.error(&e))
    }

    /// Renders template `name` at the end of `out`.
    pub fn render_to(&self, name: &str, context: &tera::Context, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        self.tera.render_to(name, context, out).map_err(|e| self.error(&e))
    }

    /// A Tera error as a diagnostic (the first, where it holds several: see [`Templates::errors`]).
    pub fn error(&self, error: &tera::Error) -> Diagnostic {
        self.errors(error).swap_remove(0)
    }

    /// A Tera error as diagnostics: the template file, line and column each points at when it
    /// points somewhere, and the whole chain of causes.
    pub fn errors(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let hint = "fix the template; docs/templates.md lists what each template receives";
        if let ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) = error.kind() {
            let name = report.filename();
            let message = report.message().replace('\n', " ");
            let d = match self.sources.get(name) {
                Some((file, text)) => Diagnostic::error(file, message).at(text, report.span().range.clone()),
                None => Diagnostic::error(format!("templates/{name}"), message),
            };
            return vec![d.with_hint(hint)];
        }
        let mut messages = vec![error.to_string()];
        let mut source = std::error::Error::source(error);
        while let Some(s) = source {
            messages.push(s.to_string());
            source = s.source();
        }
        let message = messages.join(": ");
        // Checks made after parsing (unknown filters, components, blocks) come as one message
        // of reports, each with its position.
        let reports = self.reports(&message);
        if !reports.is_empty() {
            return reports.into_iter().map(|d| d.with_hint(hint)).collect();
        }
        let message = message.replace('\n', " ");
        let file = messages
            .iter()
            .find_map(|m| m.split('\'').nth(1).and_then(|n| self.sources.get(n)).map(|(file, _)| file.clone()))
            .unwrap_or_else(|| PathBuf::from("templates"));
        vec![Diagnostic::error(file, message).with_hint(hint)]
    }

    /// The reports in Tera's rendering of errors (`error: MESSAGE`, then
    /// ` --> NAME:LINE:COLUMN`, the line and a caret under the span), each pointed at its
    /// template.
    fn reports(&self, text: &str) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            let Some(message) = line.strip_prefix("error: ") else { continue };
            let Some(location) = lines.peek().and_then(|l| l.trim_start().strip_prefix("--> ")) else { continue };
            let mut parts = location.rsplitn(3, ':');
            let (Some(column), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let (Ok(column), Ok(line_no), Some((file, source))) =
                (column.parse::<usize>(), line_no.parse::<usize>(), self.sources.get(name))
            else {
                continue;
            };
            let width = lines.by_ref().take(4).find(|l| l.contains('^')).map_or(1, |l| l.matches('^').count());
            let start = source.split_inclusive('\n').take(line_no.saturating_sub(1)).map(str::len).sum::<usize>();
            let line_text = source[start..].lines().next().unwrap_or("");
            let offset = start + line_text.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum::<usize>();
            let end = offset + line_text[offset - start..].chars().take(width).map(char::len_utf8).sum::<usize>();
            found.push(Diagnostic::error(file, message).at(source, offset..end));
        }
        found
    }
}

/// `{{ n | thousands }}`: an integer with a comma between groups of three digits (`4894` →
/// `4,894`), as the default theme's English writes counts that grow with the archive.
fn thousands(val: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    match val.as_i128() {
        Some(n) => Ok(group_thousands(n)),
        None => Err(tera::Error::message(format!("thousands filter requires an integer, got `{}`", val.name()))),
    }
}

fn group_thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (4894, "4,894"),
            (100_000, "100,000"),
            (-1_234_567, "-1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(group_thousands(n), text);
        }
    }
}
