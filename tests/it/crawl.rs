//! A crawler over a built site: follows every internal link and asset of every HTML page and
//! reports the ones that resolve to no file, miss their anchor, or escape the base path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::support::{TestSite, corpus, sample_site};

/// Attribute values of `name="…"` in `html`, unescaped.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""));
            rest = &rest[end..];
        }
    }
    out
}

/// Every broken internal link of the site built in `out` for `base_url`.
pub fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let base_path = format!("/{}", base_url.splitn(4, '/').nth(3).unwrap_or(""));
    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for e in walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.insert(e.path().to_path_buf(), std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let ids: HashMap<&PathBuf, HashSet<String>> =
        pages.iter().map(|(p, html)| (p, attributes(html, "id").into_iter().collect())).collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        let rel = page.strip_prefix(out).unwrap();
        let page_url = format!(
            "{base_path}{}",
            rel.parent()
                .map(|p| p.to_string_lossy().to_string())
                .filter(|s| !s.is_empty())
                .map(|s| s + "/")
                .unwrap_or_default()
        );
        for link in attributes(html, "href").into_iter().chain(attributes(html, "src")) {
            let origin: String = base_url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            let link = link.strip_prefix(&origin).map(std::string::ToString::to_string).unwrap_or(link);
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p.to_string(), Some(a.to_string())),
                None => (link.clone(), None),
            };
            let path = path.split('?').next().unwrap().to_string();
            let absolute = if path.is_empty() {
                format!("{page_url}{}", rel.file_name().unwrap().to_string_lossy())
            } else if path.starts_with('/') {
                path.clone()
            } else {
                format!("{page_url}{path}")
            };
            let Some(below) = absolute.strip_prefix(&base_path) else {
                broken.push(format!("{}: {link} escapes the base path {base_path}", rel.display()));
                continue;
            };
            let mut target = out.join(below);
            if below.is_empty() || below.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            if below.split('/').any(|s| s == "..") || !target.is_file() {
                broken.push(format!("{}: {link} -> no file {}", rel.display(), target.display()));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty())
                && target.extension().is_some_and(|x| x == "html")
                && !ids.get(&target).is_some_and(|set| set.contains(&anchor))
            {
                broken.push(format!("{}: {link} -> no id {anchor}", rel.display()));
            }
        }
    }
    broken.sort();
    broken
}

#[test]
fn sample_site_has_no_broken_link_at_root_or_sub_path() {
    let site = sample_site();
    for base in ["https://example.com/", "https://user.github.io/repo/"] {
        site.run(&["build", "--base-url", base]).success();
        let broken = broken_links(&site.path().join("public"), base);
        assert!(broken.is_empty(), "{base}: {broken:#?}");
    }
    // Under the sub-path, no internal link or asset points at the host root.
    let html = site.read("public/index.html");
    for link in attributes(&html, "href").into_iter().chain(attributes(&html, "src")) {
        assert!(!link.starts_with('/') || link.starts_with("/repo/"), "{link}");
    }
}

#[test]
fn whole_corpus_builds_with_no_broken_link() {
    let Some(corpus) = corpus() else { return };
    let site = TestSite::new();
    crate::support::copy_dir(&corpus.join("daily"), &site.path().join("content/daily"));
    let base = "https://user.github.io/papers/";
    let run = site.run(&["build", "--base-url", base]);
    run.success();
    let out = site.path().join("public");
    let papers = std::fs::read_dir(out.join("papers")).unwrap().count();
    assert_eq!(papers, 4894);
    let days = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("20"))
        .count();
    assert_eq!(days, 300);
    let broken = broken_links(&out, base);
    assert!(broken.is_empty(), "{} broken, first: {:#?}", broken.len(), &broken[..broken.len().min(20)]);
}
