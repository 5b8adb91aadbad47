//! The reading product on the real corpus, in headless Chromium: the corpus is built once
//! under a sub-path (`https://user.github.io/repo/`) and served as GitHub Pages would, and one
//! browser checks what a reader meets: titles per first screen on a desktop and a phone, search
//! (every match reachable, counted, snippets marked), no link to an empty day, the archive's
//! height, page sizes, and axe-core (WCAG 2.2 AA) on a phone in light and dark. axe-core also
//! checks every kind of page of the repository's sample site, which needs no corpus (so it
//! runs on GitHub's CI too).
//!
//! Skipped with a printed reason without the corpus (the corpus test) or Chromium (see `support::corpus` and
//! `Browser::start`); axe-core comes from `tests/tools/axe` (`npm ci --prefix tests/tools/axe`,
//! as `.ci/run` does), and its absence skips the accessibility part unless
//! `PAPERSHELF_REQUIRE_BROWSER` is set.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::support::TestSite;

/// A day of the corpus with 17 papers (the size of a typical day).
const DAY_17: &str = "2024-10-22";
pub(crate) const PAPER: &str = "papers/2410.16256/";

#[test]
fn the_real_corpus_reads_well_in_a_browser() {
    let Some(corpus) = crate::support::corpus() else { return };
    let Some(browser) = Browser::start() else { return };
    let site = TestSite::new();
    site.write("site.toml", "title = \"Daily AI Papers\"\nbase_url = \"https://user.github.io/repo/\"\n");
    crate::support::copy_dir(&corpus.join("daily"), &site.path().join("content/daily"));
    // Built once (a debug build of the corpus can take longer than `serve` waits for), then
    // served as GitHub Pages would: under /repo/, with the 404 page for what is absent.
    let output = site.path().join("public");
    site.run(&["build", "--output", output.to_str().unwrap()]).success();
    let port = serve_static(output.clone());
    let base = format!("http://127.0.0.1:{port}/repo/");

    titles_fit_the_first_screen(&browser, &base);
    every_diffusion_match_is_reachable(&browser, &base);
    a_match_in_the_summary_shows_a_marked_snippet(&browser, &base);
    no_link_leads_to_an_empty_day(&browser, &base);
    the_archive_is_short(&browser, &base);
    pages_stay_small(&output);
    let author = first_page(&output, "authors");
    let pages =
        ["", "2024-10-22/", PAPER, "archive/", "authors/", "authors/page/2/", &author, "search/?q=diffusion", "saved/"];
    assert_pages_exist(&output, &pages);
    axe_finds_nothing_serious(&browser, &base, &[&pages[..], &["no-such-page/"]].concat());
    // The 404 page is asked for on purpose; nothing else may fail.
    let errors: Vec<String> =
        browser.console_errors().into_iter().filter(|e| !e.contains("/repo/no-such-page/")).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// Serves `root` under `/repo/` on a free port, on threads that end with the test process.
pub(crate) fn serve_static(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

/// One request: the file under `/repo/` (`index.html` for a folder), or 404.html with 404.
fn answer(mut stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = path.strip_prefix("/repo/").filter(|p| !p.split('/').any(|s| s == ".."));
    let mut file = rel.map(|r| root.join(r));
    if let Some(f) = file.as_mut().filter(|f| f.is_dir()) {
        f.push("index.html");
    }
    let (status, file) = match file.filter(|f| f.is_file()) {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", root.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// A command of the Chrome DevTools protocol, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.0, "params": self.1}).to_string()))
    }
}

impl Browser {
    fn cdp(&self, cmd: &'static str, params: Value) {
        self.runtime.block_on(self.client.issue_cmd(Cdp(cmd, params))).unwrap();
    }

    /// The viewport as a screen of `width` × `height` CSS pixels (a phone when `mobile`).
    pub(crate) fn screen(&self, width: u32, height: u32, mobile: bool) {
        let metrics = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile});
        self.cdp("Emulation.setDeviceMetricsOverride", metrics);
    }

    /// `prefers-color-scheme` as the reader's system would set it.
    fn scheme(&self, scheme: &str) {
        let features = json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]});
        self.cdp("Emulation.setEmulatedMedia", features);
    }

    /// Runs `script`, which calls `done(value)` when it has its answer.
    fn eval_async(&self, script: &str) -> Value {
        let script = format!("const done = arguments[0]; {script}");
        self.runtime.block_on(self.client.execute_async(&script, vec![])).unwrap()
    }

    pub(crate) fn open(&self, url: &str) {
        self.goto(url);
        assert!(self.wait_until("return document.readyState === 'complete'", 20), "{url} did not load");
    }
}

/// Titles of a 17-paper day whose top is inside the first screen: ≥ 8 on a 1366×900 desktop,
/// ≥ 4 on a 390×844 phone.
fn titles_fit_the_first_screen(browser: &Browser, base: &str) {
    let count = "return [...document.querySelectorAll('.teaser .teaser-title')]
        .filter(t => t.getBoundingClientRect().top < innerHeight).length";
    for (width, height, mobile, least) in [(1366, 900, false, 8), (390, 844, true, 4)] {
        browser.screen(width, height, mobile);
        browser.open(&format!("{base}{DAY_17}/"));
        assert_eq!(browser.eval("return document.querySelectorAll('.teaser').length"), json!(17));
        let seen = browser.eval(count).as_u64().unwrap();
        eprintln!("{width}×{height}: {seen} titles in the first screen");
        assert!(seen >= least, "{width}×{height}: {seen} titles, wanted {least}");
        rows_show_their_tldr(browser, width, mobile);
        // The day pager is above the papers as well as below them.
        let pagers = "return [...document.querySelectorAll('a[data-nav=\"prev-day\"]')]
            .map(a => a.getBoundingClientRect().top < innerHeight)";
        assert_eq!(browser.eval(pagers), json!([true, false]));
    }
}

/// Every row shows its TL;DR: at most 200 characters (and an ellipsis), never cut inside a
/// word, in at most 3 lines on a phone (whose first screen holds 3 whole rows) and never
/// clipped by the style sheet; authors are the first three and "+N".
fn rows_show_their_tldr(browser: &Browser, width: u32, mobile: bool) {
    let rows = browser.eval(
        "const rows = [...document.querySelectorAll('.teaser')];
        return {
          whole: rows.filter(r => r.getBoundingClientRect().bottom <= innerHeight).length,
          texts: rows.map(r => {
            const t = r.querySelector('.teaser-text');
            if (!t) return null;
            const visible = [...t.childNodes].filter(n => n.nodeType === 3 || getComputedStyle(n).display !== 'none')
              .map(n => n.textContent).join('') + (getComputedStyle(t, '::after').content === '\"…\"' ? '…' : '');
            const lh = parseFloat(getComputedStyle(t).lineHeight);
            return {visible, all: t.textContent, lines: Math.round(t.getBoundingClientRect().height / lh),
                    clipped: t.scrollHeight > t.clientHeight + 1};
          }),
          authors: rows.map(r => r.querySelectorAll('.teaser-line .byline a').length),
        };",
    );
    let texts = rows["texts"].as_array().unwrap();
    assert!(texts.iter().all(|t| !t.is_null()), "a row without its TL;DR");
    let mut lengths = Vec::new();
    for t in texts {
        let (visible, all) = (t["visible"].as_str().unwrap(), t["all"].as_str().unwrap());
        lengths.push(visible.chars().count());
        assert!(all.chars().count() <= 201, "{all}");
        assert!(!t["clipped"].as_bool().unwrap(), "{width}: clipped: {all}");
        // A cut falls between words: what precedes the ellipsis is a whole word of the text.
        if let Some(head) = visible.strip_suffix('…') {
            let rest = &all[head.len()..];
            assert!(rest.starts_with([' ', '…']), "{width}: cut inside a word: {visible:?} / {all:?}");
        }
        if mobile {
            assert!(t["lines"].as_u64().unwrap() <= 3, "{width}: {} lines: {visible}", t["lines"]);
        }
    }
    assert!(rows["authors"].as_array().unwrap().iter().all(|n| n.as_u64().unwrap() <= 3));
    lengths.sort_unstable();
    let whole = rows["whole"].as_u64().unwrap();
    eprintln!(
        "{width}: {whole} whole rows in the first screen; TL;DR shown: median {} characters",
        lengths[lengths.len() / 2]
    );
    if mobile {
        assert!(whole >= 3, "{whole} whole rows on a phone's first screen");
    }
}

/// The results' count is shown, and "Show more" reaches at least 200 of the "diffusion"
/// matches.
fn every_diffusion_match_is_reachable(browser: &Browser, base: &str) {
    browser.screen(1366, 900, false);
    browser.open(&format!("{base}search/?q=diffusion"));
    assert!(browser.wait_until("return document.querySelectorAll('.search-result').length === 10", 20));
    let status = browser.eval("return document.querySelector('.search-status').textContent");
    let total: u64 = status.as_str().unwrap().split(' ').next().unwrap().parse().unwrap();
    eprintln!("diffusion: {status}");
    assert!(total > 600, "{status}");
    let mut shown = 10;
    while shown < 200 {
        browser.eval("document.querySelector('.search-more').click(); return 1");
        let more = format!("return document.querySelectorAll('.search-result').length > {shown}");
        assert!(browser.wait_until(&more, 20), "no more results after {shown}");
        shown = browser.eval("return document.querySelectorAll('.search-result').length").as_u64().unwrap();
    }
    // Sorted by date, the newest match comes first.
    browser.open(&format!("{base}search/?q=diffusion&sort=date"));
    assert!(browser.wait_until("return document.querySelectorAll('.search-result').length === 10", 20));
    let dates = browser.eval("return [...document.querySelectorAll('.search-result time')].map(t => t.dateTime)");
    let dates: Vec<&str> = dates.as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

/// "JudgerBench" is only in CompassJudger-1's summary: the result shows it marked in a snippet.
fn a_match_in_the_summary_shows_a_marked_snippet(browser: &Browser, base: &str) {
    browser.open(&format!("{base}search/?q=JudgerBench"));
    let marked = "const m = document.querySelector('.search-result .search-snippet mark');
        return !!m && m.textContent.toLowerCase() === 'judgerbench'";
    assert!(
        browser.wait_until(marked, 20),
        "{:?}",
        browser.eval("return document.getElementById('search-results').textContent.slice(0, 400)")
    );
    let title = browser.eval("return document.querySelector('.search-result a').textContent");
    assert!(title.as_str().unwrap().starts_with("CompassJudger-1"), "{title}");
}

/// 2025-10-14 comes before nine empty days: neither it nor the home page links to one.
fn no_link_leads_to_an_empty_day(browser: &Browser, base: &str) {
    for page in ["2025-10-14/", "", "archive/"] {
        browser.open(&format!("{base}{page}"));
        // Every day page linked, fetched: each must list papers.
        let empty = browser.eval_async(
            "const days = [...new Set([...document.querySelectorAll('a[href]')].map(a => a.pathname)
                .filter(p => /^\\/repo\\/\\d{4}-\\d{2}-\\d{2}\\/$/.test(p)))];
            Promise.all(days.map(d => fetch(d).then(r => r.text()).then(t => t.includes('class=\"teaser\"') ? null : d)))
                .then(list => done(list.filter(Boolean)), e => done(['error: ' + e]));",
        );
        assert_eq!(empty, json!([]), "{page} links to empty days");
    }
    browser.open(&format!("{base}2025-10-14/"));
    let next = browser.eval("return document.querySelector('a[data-nav=\"next-day\"]').pathname");
    assert_eq!(next, json!("/repo/2025-10-24/"));
}

/// The archive at 1366×900 is at most 10,800 px tall (it was 19,000).
fn the_archive_is_short(browser: &Browser, base: &str) {
    browser.screen(1366, 900, false);
    browser.open(&format!("{base}archive/"));
    let height = browser.eval("return document.documentElement.scrollHeight").as_u64().unwrap();
    eprintln!("archive: {height} px tall");
    assert!(height <= 10_800, "{height} px");
    // Months are folded, the newest open; no Tags tile without tags.
    assert_eq!(browser.eval("return [...document.querySelectorAll('details.month')].findIndex(d => d.open)"), json!(0));
    assert_eq!(browser.eval("return document.querySelector('.figures').textContent.includes('Tags')"), json!(false));
}

/// No page of the kinds a reader opens first is over 300 KB: home, every day, a paper, the
/// archive, every page of the authors index, search and 404.
fn pages_stay_small(output: &Path) {
    let mut pages: Vec<PathBuf> =
        ["index.html", "archive/index.html", "search/index.html", "404.html"].iter().map(|p| output.join(p)).collect();
    pages.push(output.join(PAPER).join("index.html"));
    // The authors index, every page of it (15,251 names on the real corpus).
    pages.push(output.join("authors/index.html"));
    for entry in std::fs::read_dir(output.join("authors/page")).unwrap() {
        pages.push(entry.unwrap().path().join("index.html"));
    }
    for entry in std::fs::read_dir(output).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.len() == 10 && name.starts_with("20") {
            pages.push(path.join("index.html"));
        }
    }
    let mut largest = (0, PathBuf::new());
    for page in &pages {
        let size = std::fs::metadata(page).unwrap_or_else(|e| panic!("{}: {e}", page.display())).len();
        assert!(size < 300_000, "{}: {size} bytes", page.display());
        largest = largest.max((size, page.clone()));
    }
    eprintln!("{} pages under 300 KB; the largest: {} bytes, {}", pages.len(), largest.0, largest.1.display());
}

/// The repository's own sample site (what a newcomer previews first, and all that CI on GitHub
/// has: the corpus is not there) built under a sub-path: axe-core finds nothing serious on
/// every kind of page, tags and saved papers included.
#[test]
fn the_sample_site_passes_axe_on_every_kind_of_page() {
    let Some(browser) = Browser::start() else { return };
    let site = crate::support::sample_site();
    // Every author with a page (an author page is one of the kinds checked).
    site.write(
        "site.toml",
        "title = \"Daily AI Papers\"\nbase_url = \"https://user.github.io/repo/\"\nauthor_page_min = 1\n",
    );
    // The sample has no tags (they come from `enrich` or a paper's `tags`): one tagged paper.
    site.write(
        "content/2024-10-22/tagged.md",
        "+++\ntitle = \"A Tagged Paper\"\nauthors = [\"Ada Lovelace\"]\ntags = [\"reasoning\"]\n+++\nText.\n",
    );
    let output = site.path().join("public");
    site.run(&["build", "--output", output.to_str().unwrap()]).success();
    let (tag, author) = (first_page(&output, "tags"), first_page(&output, "authors"));
    let port = serve_static(output.clone());
    let base = format!("http://127.0.0.1:{port}/repo/");
    let pages = ["", "2024-10-22/", PAPER, "archive/", "authors/", &author, "tags/", &tag, "search/?q=judge", "saved/"];
    assert_pages_exist(&output, &pages);
    axe_finds_nothing_serious(&browser, &base, &[&pages[..], &["x/"]].concat());
    let errors: Vec<String> = browser.console_errors().into_iter().filter(|e| !e.contains("/repo/x/")).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// The first term page (by name) in the folder `dir` (`authors`, `tags`) of `output`.
pub(crate) fn first_page(output: &Path, dir: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(output.join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains('.') && n != "page")
        .collect();
    names.sort();
    format!("{dir}/{}/", names.first().unwrap_or_else(|| panic!("no page in {dir}/")))
}

/// Each of `pages` (paths below the site, with a query at most) is a page of `output`: the
/// static server answers any other path with the 404 page, which axe would check instead.
fn assert_pages_exist(output: &Path, pages: &[&str]) {
    for page in pages {
        let path = page.split('?').next().unwrap();
        assert!(output.join(path).join("index.html").is_file(), "no page at /{path}");
    }
}

/// axe-core's WCAG 2.2 AA rules on a 390×844 phone, light and dark: no serious or critical
/// violation on `pages` (below `base`; a search page is checked once its results show).
pub(crate) fn axe_finds_nothing_serious(browser: &Browser, base: &str, pages: &[&str]) {
    let axe = crate::support::repo_root().join("tests/tools/axe/node_modules/axe-core/axe.min.js");
    let Ok(source) = std::fs::read_to_string(&axe) else {
        let reason = format!("{} is absent (npm ci --prefix tests/tools/axe)", axe.display());
        assert!(std::env::var_os("PAPERSHELF_REQUIRE_BROWSER").is_none(), "{reason}");
        eprintln!("skipped the accessibility checks: {reason}");
        return;
    };
    browser.screen(390, 844, true);
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        browser.scheme(scheme);
        for &page in pages {
            browser.open(&format!("{base}{page}"));
            let dark = browser.eval("return matchMedia('(prefers-color-scheme: dark)').matches");
            assert_eq!(dark, json!(scheme == "dark"), "the colour scheme is emulated");
            if page.starts_with("search") {
                assert!(browser.wait_until("return document.querySelectorAll('.search-result').length > 0", 20));
            }
            browser.eval(&format!("{source}\nreturn 1"));
            let found = browser.eval_async(
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
                    .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))),
                          e => done(['axe failed: ' + e]));",
            );
            let found: Vec<String> = serde_json::from_value(found).unwrap();
            eprintln!("axe {scheme} /{page}: {} serious or critical", found.len());
            problems.extend(found.into_iter().map(|f| format!("{scheme} /{page}: {f}")));
        }
    }
    browser.scheme("light");
    assert!(problems.is_empty(), "{problems:#?}");
}
