//! The link checker: every internal link, anchor and asset of the built pages must resolve to
//! a file of the output (and anchor in it) under the configured base path; external links are
//! optionally checked over HTTP. Pages are scanned as they are rendered, so a build checks its
//! links without reading its output back.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **Link check** (`src/linkcheck.rs`): every file a full build will write is known before a page
//! is rendered, so a `Checker` scans each page for `href`/`src`/`id` attributes (SIMD substring
//! search, each match confirmed to be inside a tag) as the page is written and keeps only what is
//! wrong (memory stays small); a plain path below the base path is looked up directly, anything
//! else resolved in full: every internal link must resolve to a file of the output, under the base
//! path, and to an element id when it has a fragment (links into another page's anchor are settled
//! at the end, against the target page as written: no page's ids are kept). `build` prints broken
//! links as warnings; `check --links` builds into a temporary folder and fails on them;
//! `--external` checks external URLs with ureq (HEAD, then GET), 8 at a time, with a timeout and a
//! one-day cache of successes in `.papershelf/link-cache.json`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// The links and ids of one output page, borrowed from its HTML where no entity needed
/// decoding.
#[derive(Debug, Clone, Default)]
pub struct PageLinks<'a> {
    /// The page's file below the output folder (`papers/x/index.html`).
    pub file: &'a str,
    pub ids: Vec<Cow<'a, str>>,
    /// Every distinct `href` and `src` value, entities decoded.
    pub links: Vec<Cow<'a, str>>,
}

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    /// The page it is on (below the output folder).
    pub page: String,
    pub link: String,
    pub reason: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.page, self.link, self.reason)
    }
}

/// Scans one rendered page for the `href`, `src`, `id` and `name` attributes of its tags, in
/// one SIMD pass over its `=` signs: an `=` counts when a quote follows it and one of those
/// names, after whitespace, precedes it, inside a tag (the nearest `<` or `>` before the name
/// is a `<`). Text between tags never holds a `<` (it is escaped), though it may hold `"`:
/// Markdown text such as `&lt;a href="x"&gt;` is not a link. A `>` inside an earlier
/// attribute value of the same tag hides the attribute (no template of papershelf writes
/// one: values are escaped). Links are listed as found, repeats included: checking a link
/// again costs less than sorting them.
pub fn scan<'a>(file: &'a str, html: &'a str) -> PageLinks<'a> {
    let mut page = PageLinks { file, ..PageLinks::default() };
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(eq) = memchr::memchr(b'=', &bytes[from..]).map(|i| from + i) {
        from = eq + 1;
        let Some(&quote) = bytes.get(eq + 1).filter(|q| **q == b'"' || **q == b'\'') else { continue };
        let before = &bytes[..eq];
        let (name_len, is_link) = if before.ends_with(b"href") {
            (4, true)
        } else if before.ends_with(b"src") {
            (3, true)
        } else if before.ends_with(b"id") {
            (2, false)
        } else if before.ends_with(b"name") {
            (4, false)
        } else {
            continue;
        };
        let at = eq - name_len;
        if !bytes.get(at.wrapping_sub(1)).is_some_and(u8::is_ascii_whitespace)
            || memchr::memrchr2(b'<', b'>', &bytes[..at]).is_none_or(|i| bytes[i] != b'<')
        {
            continue;
        }
        let value_start = eq + 2;
        let Some(len) = memchr::memchr(quote, &bytes[value_start..]) else { continue };
        let value = decode(&html[value_start..value_start + len]);
        if is_link {
            page.links.push(value);
        } else {
            page.ids.push(value);
        }
        from = value_start + len + 1;
    }
    page
}

fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Where a link points.
enum Target<'a> {
    /// A path below the base path, and an optional fragment.
    Internal(String, Option<&'a str>),
    External(&'a str),
    /// A scheme we do not check (mailto:, tel:).
    Ignored,
    Escapes,
}

/// Whether `text` starts with the ASCII `prefix`, ignoring case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn classify<'a>(link: &'a str, page_dir: &str, origin: &str, base_path: &str) -> Target<'a> {
    if ["mailto:", "tel:", "data:"].iter().any(|scheme| starts_with_ignore_case(link, scheme)) {
        return Target::Ignored;
    }
    let (link, fragment) = match link.split_once('#') {
        Some((l, f)) => (l, Some(f).filter(|f| !f.is_empty())),
        None => (link, None),
    };
    let link = link.split('?').next().unwrap_or("");
    let absolute = if let Some(rest) = link.strip_prefix(origin).filter(|r| r.is_empty() || r.starts_with('/')) {
        if rest.is_empty() { "/".to_string() } else { rest.to_string() }
    } else if ["http://", "https://", "//"].iter().any(|scheme| starts_with_ignore_case(link, scheme)) {
        return Target::External(link);
    } else if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{page_dir}{link}")
    };
    let Some(below) = absolute.strip_prefix(base_path).or_else(|| (absolute.clone() + "/" == base_path).then_some(""))
    else {
        return Target::Escapes;
    };
    // Resolve `.` and `..` segments; climbing above the base path escapes it.
    let mut parts: Vec<&str> = Vec::new();
    for segment in below.split('/') {
        match segment {
            "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Escapes;
                }
            }
            s => parts.push(s),
        }
    }
    Target::Internal(percent_decode(&parts.join("/")), fragment)
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
            && let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks the links of pages as they are rendered, against every file the output will hold
/// (known before rendering), keeping only what it finds wrong: memory stays small however
/// many pages and links the site has.
pub struct Checker {
    files: FxHashSet<String>,
    /// The folders of `files` holding an `index.html` (`papers/x/`, and `""` for the root):
    /// what most links name.
    dirs: FxHashSet<String>,
    base_path: String,
    origin: String,
    collect_external: bool,
    found: std::sync::Mutex<Found>,
}

#[derive(Default)]
struct Found {
    broken: Vec<Broken>,
    external: BTreeMap<String, Vec<String>>,
    /// Links to an anchor of another page: (page, link, target file, fragment), settled at
    /// the end against the target as written (few sites have any: keeping every page's ids
    /// for them would cost more than reading those targets again).
    pending: Vec<(String, String, String, String)>,
}

impl Checker {
    /// A checker for a site at `base_url` whose output holds `files` (paths below it).
    pub fn new(files: impl IntoIterator<Item = String>, base_url: &str, collect_external: bool) -> Checker {
        let base_path = base_url.splitn(4, '/').nth(3).map_or("/".to_string(), |p| format!("/{p}"));
        let origin = base_url[..base_url.len() - (base_path.len() - 1)].trim_end_matches('/').to_string();
        let files: FxHashSet<String> = files.into_iter().collect();
        let dirs = files
            .iter()
            .filter_map(|f| f.strip_suffix("index.html").filter(|d| d.is_empty() || d.ends_with('/')))
            .map(str::to_string)
            .collect();
        Checker { files, dirs, base_path, origin, collect_external, found: Default::default() }
    }

    /// Checks one rendered page.
    pub fn page(&self, file: &str, html: &str) {
        self.links(scan(file, html));
    }

    /// Whether `link` plainly names a file of the output: a path below the base path without
    /// fragment, query, escapes or dot segments, as nearly every link of a built site is.
    /// Anything else (and anything not found) takes the full resolution of [`classify`].
    fn plainly_resolves(&self, link: &str, ids: &[Cow<'_, str>]) -> bool {
        if let Some(fragment) = link.strip_prefix('#') {
            return ids.iter().any(|id| id == fragment);
        }
        let Some(rest) = link.strip_prefix(self.base_path.as_str()) else { return false };
        // No fragment, query or escape, and no segment starting with a dot (`.`, `..`, and,
        // harmlessly, dot-files, which take the full resolution).
        let mut previous = b'/';
        for &b in rest.as_bytes() {
            if matches!(b, b'#' | b'?' | b'%') || (previous == b'/' && matches!(b, b'.' | b'/')) {
                return false;
            }
            previous = b;
        }
        if rest.is_empty() || rest.ends_with('/') { self.dirs.contains(rest) } else { self.files.contains(rest) }
    }

    /// Checks one page's links.
    pub fn links(&self, page: PageLinks<'_>) {
        let dir = std::cell::OnceCell::new();
        let dir = || {
            dir.get_or_init(|| match page.file.rfind('/') {
                Some(i) => format!("{}{}", self.base_path, &page.file[..=i]),
                None => self.base_path.clone(),
            })
        };
        let mut broken = Vec::new();
        let mut external = Vec::new();
        let mut pending = Vec::new();
        for link in &page.links {
            if self.plainly_resolves(link, &page.ids) {
                continue;
            }
            let mut report =
                |reason: String| broken.push(Broken { page: page.file.to_string(), link: link.to_string(), reason });
            match classify(link, dir(), &self.origin, &self.base_path) {
                Target::Ignored => {}
                Target::External(url) => {
                    if self.collect_external {
                        external.push(url.to_string());
                    }
                }
                Target::Escapes => report(format!("outside the site's base path {}", self.base_path)),
                Target::Internal(path, fragment) => {
                    let path = if path.is_empty() && link.starts_with('#') { page.file.to_string() } else { path };
                    let target = if path.is_empty() || path.ends_with('/') {
                        format!("{path}index.html")
                    } else if self.files.contains(&path) {
                        path
                    } else {
                        format!("{path}/index.html")
                    };
                    if !self.files.contains(&target) {
                        report("no such file in the output".into());
                    } else if let Some(f) = fragment.filter(|_| target.ends_with(".html")) {
                        if target == page.file {
                            if !page.ids.iter().any(|id| id == f) {
                                report(format!("no element with id \"{f}\" in {target}"));
                            }
                        } else {
                            pending.push((page.file.to_string(), link.to_string(), target, f.to_string()));
                        }
                    }
                }
            }
        }
        if broken.is_empty() && external.is_empty() && pending.is_empty() {
            return;
        }
        let mut found = self.found.lock().expect("link check lock");
        found.broken.extend(broken);
        for url in external {
            found.external.entry(url).or_default().push(page.file.to_string());
        }
        found.pending.extend(pending);
    }

    /// Every broken link, sorted, and the external links with the pages using them. `read`
    /// gives a written page's HTML, for the links into another page's anchors.
    pub fn finish(self, read: impl Fn(&str) -> Option<String>) -> (Vec<Broken>, BTreeMap<String, Vec<String>>) {
        let mut found = self.found.into_inner().expect("link check lock");
        let mut ids: HashMap<String, Vec<String>> = HashMap::new();
        for (page, link, target, f) in std::mem::take(&mut found.pending) {
            let ids = ids.entry(target.clone()).or_insert_with(|| {
                read(&target)
                    .map_or_else(Vec::new, |html| scan(&target, &html).ids.into_iter().map(Cow::into_owned).collect())
            });
            if !ids.contains(&f) {
                found.broken.push(Broken { page, link, reason: format!("no element with id \"{f}\" in {target}") });
            }
        }
        found.broken.sort();
        found.broken.dedup();
        for pages in found.external.values_mut() {
            pages.dedup();
        }
        (found.broken, found.external)
    }
}

/// A remembered external check.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    ok: bool,
    status: String,
    checked: u64,
}

/// How long a successful external check is trusted.
const CACHE_SECONDS: u64 = 24 * 3600;

/// Checks external URLs over HTTP (HEAD, then GET where HEAD is refused), `concurrency` at a
/// time, each within `timeout`, remembering successes for a day in the JSON file `cache`.
pub fn check_external(
    urls: &BTreeMap<String, Vec<String>>,
    cache: &Path,
    timeout: Duration,
    concurrency: usize,
) -> Vec<Broken> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let mut remembered: BTreeMap<String, Cached> =
        std::fs::read(cache).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    let todo: Vec<&String> = urls
        .keys()
        .filter(|u| !remembered.get(*u).is_some_and(|c| c.ok && now.saturating_sub(c.checked) < CACHE_SECONDS))
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .build()
        .into();
    let results = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(url) = todo.get(i) else { break };
                    let outcome = fetch(&agent, url);
                    results.lock().expect("results lock").push(((*url).clone(), outcome));
                }
            });
        }
    });
    for (url, (ok, status)) in results.into_inner().expect("results lock") {
        remembered.insert(url, Cached { ok, status, checked: now });
    }
    if let Some(parent) = cache.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(cache, serde_json::to_vec_pretty(&remembered).unwrap_or_default());
    let mut broken = Vec::new();
    for (url, pages) in urls {
        if let Some(c) = remembered.get(url).filter(|c| !c.ok) {
            for page in pages {
                broken.push(Broken { page: page.clone(), link: url.clone(), reason: c.status.clone() });
            }
        }
    }
    broken.sort();
    broken
}

fn fetch(agent: &ureq::Agent, url: &str) -> (bool, String) {
    let url = if url.starts_with("//") { format!("https:{url}") } else { url.to_string() };
    let status = match agent.head(&url).call() {
        Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 403 => agent.get(&url).call().map(|r| r.status()),
        other => other.map(|r| r.status()),
    };
    match status {
        Ok(s) if s.is_success() => (true, s.to_string()),
        Ok(s) => (false, format!("HTTP {s}")),
        Err(e) => (false, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn scans_attributes_in_both_quotes() {
        let page = scan("a/index.html", "<a href=\"/x/?q=1&amp;b\">x</a><img src='p.png'><h2 id=\"top\">");
        assert_eq!(page.links, ["/x/?q=1&b", "p.png"]);
        assert_eq!(page.ids, ["top"]);
    }

    #[test]
    fn a_percent_before_a_multibyte_character_is_kept() {
        assert_eq!(percent_decode("files/%aé.pdf"), "files/%aé.pdf");
        assert_eq!(percent_decode("a%20b%"), "a b%");
    }

    #[test]
    fn only_attributes_count() {
        let page = scan(
            "a.html",
            "<p>x = &quot;1&quot; and href='/no/' data-src=\"/no2/\" &lt;a href=\"/no3/\"&gt;</p><a title=\"t\" href=\"/yes/\"><img\nsrc='/yes2/'>",
        );
        assert_eq!(page.links, ["/yes/", "/yes2/"]);
    }

    #[test]
    fn plain_links_and_the_full_resolution_agree() {
        let checker = Checker::new(
            files(&["index.html", "papers/a/index.html", "style.css", "404.html"]),
            "https://h.io/r/",
            false,
        );
        let html = "<h2 id=\"s\"></h2><a href=\"/r/papers/a/\"></a><a href=\"/r/./papers/a/\"></a><a href=\"/r/\"></a>\
                    <a href=\"/r/style.css\"></a><a href=\"/r/papers/a\"></a><a href=\"#s\"></a><a href=\"/r/papers/b/\"></a>\
                    <a href=\"/r/style.css/\"></a><a href=\"/r//papers/a/\"></a><a href=\"#t\"></a><a href=\"/r/papers/a/../../..\"></a>";
        checker.page("404.html", html);
        let (broken, _) = checker.finish(|_| None);
        let shown: Vec<&str> = broken.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(shown, ["#t", "/r//papers/a/", "/r/papers/a/../../..", "/r/papers/b/", "/r/style.css/"]);
    }

    #[test]
    fn resolves_under_a_sub_path() {
        let html = [
            (
                "index.html",
                "<a href=\"/repo/papers/a/\"></a><a href=\"papers/a/#obj\"></a><a href=\"papers/a/#nothing\"></a><a href=\"/elsewhere/\"></a><a href=\"https://user.github.io/repo/style.css\"></a><a href=\"https://arxiv.org/abs/1\"></a><a href=\"#missing\"></a><a href=\"../x\"></a>",
            ),
            ("papers/a/index.html", "<section id=\"obj\"></section><a href=\"../../\"></a><a href=\"../b/\"></a>"),
        ];
        let pages: Vec<PageLinks<'_>> = html.iter().map(|(file, html)| scan(file, html)).collect();
        let checker = Checker::new(
            files(&["index.html", "papers/a/index.html", "style.css"]),
            "https://user.github.io/repo/",
            true,
        );
        for page in pages {
            checker.links(page);
        }
        let (broken, external) =
            checker.finish(|rel| html.iter().find(|(file, _)| *file == rel).map(|(_, h)| h.to_string()));
        let shown: Vec<String> = broken.iter().map(|b| format!("{} {}", b.page, b.link)).collect();
        assert_eq!(
            shown,
            [
                "index.html #missing",
                "index.html ../x",
                "index.html /elsewhere/",
                "index.html papers/a/#nothing",
                "papers/a/index.html ../b/"
            ]
        );
        assert_eq!(external.keys().collect::<Vec<_>>(), ["https://arxiv.org/abs/1"]);
    }
}
