//! Real-browser tests: headless Chromium from Debian's packages, driven over WebDriver
//! (chromedriver) with fantoccini. Skipped, with a printed reason, where Chromium or its
//! driver is absent, unless `PAPERSHELF_REQUIRE_BROWSER` is set (as `.ci/run` does).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use crate::serve::Server;
use crate::support::TestSite;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session; the driver is stopped on drop.
pub struct Browser {
    driver: Child,
    pub(crate) client: Client,
    pub(crate) runtime: tokio::runtime::Runtime,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(client.close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or none when they are absent.
    pub fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMIUM).exists() || !std::path::Path::new(CHROMEDRIVER).exists() {
            let reason = format!("{CHROMIUM} or {CHROMEDRIVER} is absent (apt-get install chromium chromium-driver)");
            assert!(std::env::var_os("PAPERSHELF_REQUIRE_BROWSER").is_none(), "{reason}");
            eprintln!("skipped: {reason}");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps: serde_json::Map<String, Value> = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let attempt = runtime.block_on(ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url));
            match attempt {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("cannot start a Chromium session: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        };
        Some(Browser { driver, client, runtime, _profile: profile })
    }

    pub fn goto(&self, url: &str) {
        self.runtime.block_on(self.client.goto(url)).unwrap();
    }

    /// Runs `script` (a function body; `return` its value) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.runtime.block_on(self.client.execute(script, vec![])).unwrap()
    }

    /// Waits until `script` returns true, up to `seconds`.
    pub fn wait_until(&self, script: &str, seconds: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < deadline {
            if self.runtime.block_on(self.client.execute(script, vec![])).is_ok_and(|v| v == Value::Bool(true)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Fails with the browser's console errors since the last read, if there are any.
    pub fn assert_no_console_errors(&self) {
        let errors = self.console_errors();
        assert!(errors.is_empty(), "console errors: {errors:?}");
    }

    /// The browser's console messages at level SEVERE since the last call.
    pub fn console_errors(&self) -> Vec<String> {
        let cmd = LogCommand;
        // A log that cannot be read fails the test: an empty answer would pass every check.
        let value = self.runtime.block_on(self.client.issue_cmd(cmd)).expect("chromedriver's browser log");
        let entries = value.as_array().unwrap_or_else(|| panic!("the browser log is a list: {value}"));
        entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

/// chromedriver's log endpoint (`POST /session/{id}/se/log`), which fantoccini does not wrap.
#[derive(Debug)]
struct LogCommand;

impl fantoccini::wd::WebDriverCompatibleCommand for LogCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

#[test]
fn an_open_page_changes_when_its_file_is_saved() {
    let Some(browser) = Browser::start() else { return };
    let site = TestSite::new();
    site.write("site.toml", "title = \"Live\"\nbase_url = \"https://user.github.io/repo/\"\n");
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"Before the edit\"\n+++\n\nOriginal text.\n");
    let server = Server::start(&site);
    let _events = server.events_after_clean();
    let url = format!("http://127.0.0.1:{}/repo/papers/before-the-edit/", server.port);
    browser.goto(&url);
    assert!(browser.wait_until("return document.querySelector('h1').textContent.includes('Before the edit')", 10));
    // Wait until the page's own event stream is connected before editing.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        browser.eval("return document.querySelectorAll('script[src=\"/__papershelf/live.js\"]').length"),
        json!(1)
    );
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"Before the edit\"\n+++\n\nEdited text, live.\n");
    assert!(
        browser.wait_until("return document.body.textContent.includes('Edited text, live.')", 15),
        "the page did not reload by itself"
    );
    // A bad save shows the error over the page, and the fix clears it.
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"Broken\ndate = 2024-13-01\n+++\n");
    assert!(browser.wait_until(
        "const o = document.getElementById('papershelf-error-overlay'); return !!o && o.textContent.includes('first.md')",
        15
    ));
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"Before the edit\"\n+++\n\nFixed.\n");
    assert!(browser.wait_until(
        "return !document.getElementById('papershelf-error-overlay') && document.body.textContent.includes('Fixed.')",
        15
    ));
    browser.assert_no_console_errors();
}

impl Browser {
    /// Sends keys to whatever has focus (the page body when nothing does), once the page has
    /// loaded; retried while a navigation replaces the element that had focus.
    pub fn keys(&self, keys: &str) {
        assert!(self.wait_until("return document.readyState === 'complete'", 10), "page did not load");
        let mut last = None;
        for _ in 0..20 {
            let sent = self.runtime.block_on(async {
                let active = self.client.active_element().await?;
                active.send_keys(keys).await
            });
            match sent {
                Ok(()) => return,
                Err(e) => last = Some(e),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("cannot send {keys:?}: {last:?}");
    }

    pub fn url(&self) -> String {
        self.runtime.block_on(self.client.current_url()).unwrap().to_string()
    }
}

/// The corpus sample served by `papershelf serve`, with a browser, or none without Chromium.
fn sample_in_browser() -> Option<(Browser, TestSite, Server)> {
    let browser = Browser::start()?;
    let site = TestSite::from_fixture("corpus-sample");
    let server = Server::start(&site);
    Some((browser, site, server))
}

/// An expression: the text of the first search result's link, or "".
const FIRST_RESULT: &str =
    "(document.querySelector('#search-results .search-result a') || {textContent: ''}).textContent";

#[test]
fn search_from_the_url_and_as_you_type() {
    let Some((browser, _site, server)) = sample_in_browser() else { return };
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/search/?q=compassjudger"));
    let first = format!("return {FIRST_RESULT}");
    assert!(
        browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('CompassJudger-1')"), 15),
        "{:?}",
        browser.eval(&first)
    );
    // The query word is highlighted.
    assert!(browser.wait_until("return !!document.querySelector('#search-results mark')", 5));
    // Typing a new query updates the results and the URL.
    browser.eval("const i = document.getElementById('search-input'); i.value = ''; i.focus(); return 1");
    browser.keys("sam2long");
    assert!(
        browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('SAM2Long')"), 15),
        "{:?} {:?} {:?}",
        browser.eval(&first),
        browser.eval("return document.getElementById('search-input').value"),
        browser.eval("return document.getElementById('search-results').textContent.slice(0, 300)")
    );
    assert!(browser.wait_until("return location.search.includes('q=sam2long')", 5), "{}", browser.url());
    // A filter alone: papers of one author.
    browser.goto(&format!("{base}/search/?author=hongwei+liu"));
    assert!(browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('CompassJudger-1')"), 15));
    // Markup in a query stays text.
    browser.goto(&format!("{base}/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
    assert!(browser.wait_until("return document.getElementById('search-results').textContent.length > 0", 10));
    assert_eq!(browser.eval("return document.querySelectorAll('#search-results script').length"), json!(0));
    browser.assert_no_console_errors();
}

#[test]
fn keyboard_shortcuts_move_between_days_and_papers() {
    let Some((browser, _site, server)) = sample_in_browser() else { return };
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/2024-10-22/"));
    browser.keys("j");
    assert!(browser.wait_until(
        "const c = document.querySelector('.teaser.is-current'); return !!c && c === document.querySelector('.teaser')",
        5
    ));
    browser.keys("j");
    assert!(browser.wait_until("return document.querySelectorAll('.teaser')[1].classList.contains('is-current')", 5));
    browser.keys("k");
    assert!(browser.wait_until("return document.querySelectorAll('.teaser')[0].classList.contains('is-current')", 5));
    browser.eval("document.activeElement.blur(); return 1");
    browser.keys("\u{E014}"); // ArrowRight: the next day
    assert!(browser.wait_until("return location.pathname === '/2024-12-13/'", 10), "{}", browser.url());
    browser.keys("\u{E012}"); // ArrowLeft: back to the previous day
    assert!(browser.wait_until("return location.pathname === '/2024-10-22/'", 10), "{}", browser.url());
    browser.keys("?");
    assert!(browser.wait_until("const d = document.querySelector('dialog.shortcuts'); return !!d && d.open", 5));
    browser.keys("\u{E00C}"); // Escape
    assert!(browser.wait_until("const d = document.querySelector('dialog.shortcuts'); return !d || !d.open", 5));
    // "/" focuses the search box, and letters typed there are text, not shortcuts.
    browser.keys("/");
    assert!(browser.wait_until("return document.activeElement && document.activeElement.id === 'site-search-q'", 5));
    browser.keys("jk");
    assert_eq!(browser.eval("return document.activeElement.value"), json!("jk"));
    assert!(browser.url().ends_with("/2024-10-22/"));
    browser.assert_no_console_errors();
}

#[test]
fn a_search_on_the_whole_corpus_fetches_under_300_kb() {
    let Some(corpus) = crate::support::corpus() else { return };
    let Some(browser) = Browser::start() else { return };
    let site = TestSite::new();
    crate::support::copy_dir(&corpus.join("daily"), &site.path().join("content/daily"));
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    // Only the index files a query needs (meta, term shards, docs): the script is the same
    // for every query and would meet any lower bound alone.
    let measure = "return performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/search/') && /\\.json(\\.gz)?$/.test(e.name))
        .reduce((n, e) => n + e.decodedBodySize, 0)";
    let shards = "return performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/search/idx/')).length";
    for query in
        ["diffusion", "reasoning language models", "hongwei", "gaussian splatting 3d", "tongyi deepresearch", "a"]
    {
        // A fresh profile per query would be slower; a new document resets what is counted.
        browser.goto("about:blank");
        browser.goto(&format!("{base}/search/?q={}", query.replace(' ', "+")));
        assert!(
            browser
                .wait_until("const s = document.getElementById('search-results'); return s.textContent.length > 0", 20),
            "{query}"
        );
        std::thread::sleep(Duration::from_millis(300));
        let bytes = browser.eval(measure).as_u64().unwrap();
        eprintln!("search {query:?}: {bytes} bytes fetched");
        assert!(bytes > 1000, "{query:?}: the measurement saw the index ({bytes} bytes)");
        if query != "a" {
            assert!(browser.eval(shards).as_u64().unwrap() > 0, "{query:?}: no term shard was fetched");
        }
        assert!(bytes < 300_000, "{query:?}: {bytes} bytes");
    }
    browser.assert_no_console_errors();
}

#[test]
fn search_folds_text_as_the_build_does() {
    let Some(browser) = Browser::start() else { return };
    let site = TestSite::new();
    site.write(
        "content/2024-10-22/krakow.md",
        "+++\ntitle = \"Trams of Kraków at night\"\nauthors = [\"Łukasz Kaiser\", \"Zoë Ångström\"]\n+++\n\nA study of Straße-like streets.\n",
    );
    site.write(
        "content/2024-10-22/other.md",
        "+++\ntitle = \"Something else\"\nauthors = [\"Ann Lee\"]\n+++\n\nText.\n",
    );
    site.write(
        "content/2024-10-22/beijing.md",
        "+++\ntitle = \"Rivers of Beijing\"\nauthors = [\"张伟\"]\n+++\n\nText.\n",
    );
    site.write(
        "content/2024-10-22/moscow.md",
        "+++\ntitle = \"Rivers of Moscow\"\nauthors = [\"Дмитрий Петров\"]\n+++\n\nText.\n",
    );
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/search/"));
    // The browser folds the strings of the build's own unit test to the same forms.
    for (text, folded) in papershelf::render::search::FOLD_CASES {
        let script = format!(
            "const done = arguments[0]; window.papershelfSearch.fold({}).then(done, e => done('error: ' + e));",
            json!(text)
        );
        let got = browser.runtime.block_on(browser.client.execute_async(&script, vec![])).unwrap();
        assert_eq!(got, json!(folded), "{text}");
        assert_eq!(papershelf::render::search::fold_text(text), *folded, "{text}");
    }
    for query in ["lukasz", "Łukasz", "zoe", "ZOË", "angstrom", "Ångström", "krakow", "Kraków", "strasse"] {
        browser.goto("about:blank");
        browser.goto(&format!(
            "{base}/search/?q={}",
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        ));
        assert!(
            browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('Trams of Krak')"), 15),
            "{query}: {:?}",
            browser.eval("return document.getElementById('search-results').textContent.slice(0, 200)")
        );
    }
    browser.goto(&format!("{base}/search/?author=lukasz"));
    assert!(browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('Trams of Krak')"), 15), "author filter");
    // Names in other scripts: the filter typed as the name is written, or in another case,
    // finds the build's transliterated slug (`zhang-wei`, `dmitrii-petrov`), and only it.
    for (author, title) in
        [("张伟", "Rivers of Beijing"), ("дмитрий петров", "Rivers of Moscow"), ("ДМИТРИЙ", "Rivers of Moscow")]
    {
        browser.goto("about:blank");
        let query = url::form_urlencoded::byte_serialize(author.as_bytes()).collect::<String>();
        browser.goto(&format!("{base}/search/?author={query}"));
        let one = format!(
            "return document.querySelectorAll('.search-result').length === 1 && ({FIRST_RESULT}) === '{title}'"
        );
        assert!(
            browser.wait_until(&one, 15),
            "{author}: {:?}",
            browser.eval("return document.getElementById('search-results').textContent.slice(0, 200)")
        );
    }
    browser.assert_no_console_errors();
}

#[test]
fn search_answers_in_serve_after_back_and_forward_moves() {
    let Some((browser, _site, server)) = sample_in_browser() else { return };
    let base = format!("http://127.0.0.1:{}", server.port);
    // A hidden page (as the back/forward cache keeps it) holds no stream; shown, it opens one.
    browser.goto(&format!("{base}/2024-10-22/"));
    assert!(browser.wait_until("return window.papershelfLive.connected()", 10));
    browser.eval("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true})); return 1");
    assert_eq!(browser.eval("return window.papershelfLive.connected()"), json!(false), "the stream closes on pagehide");
    browser.eval("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: false})); return 1");
    assert_eq!(browser.eval("return window.papershelfLive.connected()"), json!(true), "and opens again on pageshow");
    let pages = ["/", "/2024-10-22/", "/archive/", "/authors/", "/tags/", "/2024-12-13/", "/search/"];
    for round in 0..3 {
        for page in pages {
            browser.goto(&format!("{base}{page}"));
        }
        // Pages kept in the back/forward cache must not hold their reload streams open.
        for step in ["back", "back", "back", "forward", "back", "forward", "forward"] {
            browser.eval(&format!("history.{step}(); return 1"));
            std::thread::sleep(Duration::from_millis(250));
        }
        browser.goto(&format!("{base}/search/?q=compassjudger&round={round}"));
        assert!(
            browser.wait_until(&format!("return ({FIRST_RESULT}).startsWith('CompassJudger-1')"), 10),
            "round {round}: search hung: {:?}",
            browser.eval("return document.getElementById('search-results').textContent.slice(0, 200)")
        );
    }
}

#[test]
fn a_saved_paper_is_listed_on_the_saved_page_after_a_reload_and_through_a_shared_link() {
    let Some((browser, _site, server)) = sample_in_browser() else { return };
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/2024-10-22/"));
    // saved.js shows the buttons; one is pressed from the keyboard.
    assert!(browser.wait_until("const b = document.querySelector('button.save'); return !!b && !b.hidden", 10));
    // The button carries only the slug: saved.js reads the title from the paper's heading and
    // names the button after it.
    let title = browser.eval(
        "const b = document.querySelector('button.save'); b.focus(); \
         return b.closest('article').querySelector('h1, h2').textContent.trim()",
    );
    let title = title.as_str().unwrap().to_string();
    let label = browser.eval("return document.querySelector('button.save').getAttribute('aria-label')");
    assert_eq!(label.as_str(), Some(format!("Save: {title}").as_str()));
    let key = browser.eval("return document.querySelector('button.save').dataset.key").as_str().unwrap().to_string();
    browser.keys("\u{E007}");
    assert!(
        browser.wait_until("return document.querySelector('button.save').getAttribute('aria-pressed') === 'true'", 5)
    );
    let listed = format!(
        "return Array.from(document.querySelectorAll('#saved-list li a')).some(a => a.textContent === {})",
        json!(title)
    );
    browser.goto(&format!("{base}/saved/"));
    assert!(browser.wait_until(&listed, 10), "the saved page lists the paper");
    browser.eval("location.reload(); return 1");
    std::thread::sleep(Duration::from_millis(300));
    assert!(browser.wait_until(&listed, 10), "still listed after a reload");
    // The paper's own .bib file, which the export collects, is there.
    browser.eval(
        "window.__bib = null; const item = JSON.parse(localStorage.getItem('papershelf:saved:/'))[0]; \
         fetch(item.bib).then(r => r.text()).then(t => { window.__bib = t; }); return 1",
    );
    assert!(browser.wait_until("return typeof window.__bib === 'string' && window.__bib.startsWith('@misc{')", 10));

    // A shared link opens the list in a browser that has none, and saves it there.
    browser.eval("localStorage.clear(); return 1");
    browser.goto(&format!("{base}/"));
    browser.goto(&format!("{base}/saved/#ids={key}"));
    let shared = format!(
        "return Array.from(document.querySelectorAll('#saved-shared-list li a')).some(a => a.textContent === {})",
        json!(title)
    );
    assert!(browser.wait_until(&shared, 10), "the shared link shows the paper");
    assert!(browser.wait_until("return !document.getElementById('saved-empty').hidden", 5));
    browser.eval("document.getElementById('saved-shared-add').click(); return 1");
    assert!(browser.wait_until(&listed, 5), "saved from the shared link");
    // Removed again with its button.
    browser.eval("document.querySelector('#saved-list .saved-remove').click(); return 1");
    assert!(browser.wait_until("return document.querySelectorAll('#saved-list li').length === 0", 5));
    browser.assert_no_console_errors();

    // A share link mangled on its way (a cut escape) shows the page as if it had none.
    browser.goto(&format!("{base}/"));
    browser.goto(&format!("{base}/saved/#ids=%E0%A4%A"));
    // saved.js ran (it shows the list's root, hidden without it) and found no shared papers.
    let works = "const id = i => document.getElementById(i);
        return !id('saved').hidden && !id('saved-empty').hidden && id('saved-shared').hidden";
    assert!(browser.wait_until(works, 5), "the saved page works");
    browser.assert_no_console_errors();
}

#[test]
fn copy_bibtex_copies_the_papers_bib_file() {
    let Some((browser, _site, server)) = sample_in_browser() else { return };
    let slug = "2410.16256";
    browser.goto(&format!("http://127.0.0.1:{}/papers/{slug}/", server.port));
    // The console check the browser tests rely on sees an error when there is one.
    browser.eval("console.error('papershelf probe'); return 1");
    assert!(browser.console_errors().iter().any(|e| e.contains("papershelf probe")), "the browser log is read");
    assert!(browser.console_errors().is_empty(), "read once");
    // papershelf.js shows the button; the clipboard is stood in for, to read what it gets.
    assert!(
        browser
            .wait_until("const b = document.querySelector('button.copy[data-copy-url]'); return !!b && !b.hidden", 10)
    );
    browser.eval(
        "window.__copied = null; \
         Object.defineProperty(navigator, 'clipboard', {configurable: true, value: { \
           writeText: t => { window.__copied = t; return Promise.resolve(); } }}); \
         document.querySelector('button.copy[data-copy-url]').click(); return 1",
    );
    assert!(browser.wait_until("return typeof window.__copied === 'string'", 10));
    let copied = browser.eval("return window.__copied");
    let copied = copied.as_str().unwrap();
    assert!(copied.starts_with("@misc{liu2024compassjudger,") && copied.contains("eprint={2410.16256}"), "{copied}");
    assert!(
        browser.wait_until("return document.querySelector('button.copy[data-copy-url]').textContent === 'Copied'", 5)
    );
    browser.assert_no_console_errors();
}
