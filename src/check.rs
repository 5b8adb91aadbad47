//! `papershelf check`: reads and validates the whole site, writes nothing, and reports every
//! problem at once.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, fail_on_errors};
use crate::project::{Mode, Options, Project};

/// What a clean check found.
#[derive(Debug)]
pub struct Summary {
    pub warnings: Vec<Diagnostic>,
    /// One line for the user: what was checked.
    pub line: String,
}

/// Checks the site at `root`.
pub fn check(root: &Path) -> Result<Summary, Error> {
    let options = Options { drafts: true, ..Options::default() };
    let (project, mut diagnostics) = Project::open_checking(root, options)?;
    let (site, d) = project.assemble();
    diagnostics.extend(d);
    diagnostics.extend(user_names_warning(&site));
    let warnings = fail_on_errors(diagnostics)?;
    let line = format!(
        "checked: {} papers ({} listings) on {} days, {} authors, {} tags; {}",
        site.papers.len(),
        site.listings(),
        site.days.len(),
        site.authors.len(),
        site.tags.len(),
        verdict(warnings.len())
    );
    Ok(Summary { warnings, line })
}

/// The end of the summary line: "no problems" only when nothing was said above it.
fn verdict(warnings: usize) -> String {
    match warnings {
        0 => "no problems".to_string(),
        1 => "no errors, 1 warning".to_string(),
        n => format!("no errors, {n} warnings"),
    }
}

/// Whether an author name looks like a Hugging Face user name (`lindahua`, `yuhang-zang`,
/// `tju-tianpengli`): one word of lower-case letters, digits, `-` and `_`. Digests' author
/// cells often hold these; `enrich` replaces them with arXiv's names.
pub fn looks_like_user_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// One warning for the whole site when papers that no fetched record (`data/arxiv/`) covers
/// name authors that look like user names: how many, a few examples, and the hint to run
/// `enrich`.
fn user_names_warning(site: &crate::model::Site) -> Option<Diagnostic> {
    let mut names = std::collections::BTreeSet::new();
    let mut papers = 0;
    for paper in site.papers.iter().filter(|p| p.fetched.is_none()) {
        let users: Vec<&str> = (paper.authors.iter().map(|&a| site.authors[a].name.as_str()))
            .filter(|n| looks_like_user_name(n))
            .collect();
        // A paper counts when it names any, even names already seen on another.
        papers += usize::from(!users.is_empty());
        names.extend(users);
    }
    let first = names.first()?;
    let examples: Vec<&str> = names.iter().take(3).copied().collect();
    let more = if names.len() > 3 { ", …" } else { "" };
    Some(
        Diagnostic::warning(
            "content",
            format!(
                "{} author names on {papers} papers look like Hugging Face user names ({}{more}), and no fetched record gives their real names",
                names.len(),
                examples.join(", ")
            ),
        )
        .with_hint(format!(
            "run `papershelf enrich` to fetch the papers' full author lists from arXiv into data/arxiv/ (`{first}` and the others are then replaced)"
        )),
    )
}

/// Builds the site into a temporary folder and checks its links: every internal link, anchor
/// and asset must resolve under the base path; with `external`, external links must answer
/// over HTTP. Every broken link is an error naming its page.
pub fn check_links(root: &Path, external: bool) -> Result<String, Error> {
    let temp = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let project = Project::open(root, Options { mode: Mode::Check { external }, ..Options::default() })?;
    let written = project.build_once(&temp.path().join("site"))?;
    let mut broken = written.broken_links;
    let externals = written.external_links.len();
    if external {
        let cache = root.join(".papershelf").join("link-cache.json");
        broken.extend(crate::linkcheck::check_external(
            &written.external_links,
            &cache,
            std::time::Duration::from_secs(15),
            8,
        ));
    }
    if broken.is_empty() {
        let ext = if external { format!(" and {externals} external links") } else { String::new() };
        return Ok(format!("links: every internal link of {} pages resolves{ext}", written.pages));
    }
    let problems = broken
        .into_iter()
        .map(|b| {
            Diagnostic::error(b.page, format!("broken link {}: {}", b.link, b.reason))
                .with_hint("fix the link in the content or template that makes this page")
        })
        .collect();
    Err(Error::Problems(problems))
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_names_are_one_lower_case_word() {
        for name in ["lindahua", "yuhang-zang", "tju-tianpengli", "guoyww", "user_1"] {
            assert!(super::looks_like_user_name(name), "{name}");
        }
        for name in ["Yann LeCun", "YijieZhou", "Dahua Lin", "", "zhang wei", "josé"] {
            assert!(!super::looks_like_user_name(name), "{name}");
        }
    }
}
