//! The search page in a real browser (see [`crate::browser`]): CJK text searched by
//! bigrams, authors found by any part of their name, misspellings answered with the nearest
//! indexed terms, and result rows a phone can use.

use serde_json::json;

use crate::browser::Browser;
use crate::serve::Server;
use crate::support::TestSite;

/// An expression: the titles of the results, in order.
const TITLES: &str =
    "Array.from(document.querySelectorAll('#search-results .search-result h2')).map(h => h.textContent)";

fn paper(site: &TestSite, name: &str, title: &str, authors: &[&str], arxiv: &str, text: &str) {
    let authors: Vec<String> = authors.iter().map(|a| format!("{a:?}")).collect();
    site.write(
        &format!("content/2024-10-22/{name}.md"),
        format!("+++\ntitle = {title:?}\nauthors = [{}]\narxiv = {arxiv:?}\n+++\n\n{text}\n", authors.join(", ")),
    );
}

fn search_site() -> TestSite {
    let site = TestSite::new();
    paper(
        &site,
        "a",
        "基于扩散模型的图像生成",
        &["Yann LeCun", "Franck Dernoncourt"],
        "2410.00001",
        "本文提出一种新的扩散模型。",
    );
    paper(&site, "b", "扩散过程的分析", &["Wei Liu"], "2410.00002", "Text.");
    paper(&site, "c", "模型压缩方法", &["Yang Wang"], "2410.00003", "Text.");
    paper(&site, "d", "Yang meets Liu in the title", &["Ann Lee"], "2410.00004", "Yang and Liu, again: yang liu.");
    paper(&site, "e", "Sparse attention", &["Yang Liu"], "2410.00005", "Text.");
    paper(&site, "f", "Diffusion transformers at scale", &["María José García-López"], "2410.00006", "Text.");
    site
}

/// Opens `query` (the part of the address after `?`) and waits for `n` results.
fn results(browser: &Browser, base: &str, query: &str, n: usize) -> Vec<String> {
    browser.goto("about:blank");
    browser.goto(&format!("{base}/search/?{query}"));
    let ready = format!("return document.querySelectorAll('#search-results .search-result').length === {n}");
    let ok = browser.wait_until(&ready, 15);
    let titles: Vec<String> = serde_json::from_value(browser.eval(&format!("return {TITLES}"))).unwrap();
    assert!(
        ok,
        "{query}: {titles:?} {:?}",
        browser.eval("return document.getElementById('search-results').textContent.slice(0, 300)")
    );
    titles
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn cjk_text_is_searched_by_bigrams_and_the_match_is_highlighted() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    let both = ["基于扩散模型的图像生成", "扩散过程的分析"];
    assert_eq!(sorted(results(&browser, &base, "q=%E6%89%A9%E6%95%A3", 2)), sorted(both.map(String::from).to_vec()));
    // The match itself is marked, not the whole run it sits in.
    let marks =
        browser.eval("return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)");
    assert!(marks.as_array().unwrap().iter().all(|m| m == "扩散"), "{marks}");
    assert!(!marks.as_array().unwrap().is_empty());
    // A longer query needs all its bigrams; a lone character finds the bigrams it starts.
    assert_eq!(results(&browser, &base, "q=%E6%89%A9%E6%95%A3%E6%A8%A1%E5%9E%8B", 1), [both[0]]);
    assert_eq!(results(&browser, &base, "q=%E6%89%A9", 2).len(), 2);
    browser.assert_no_console_errors();
}

#[test]
fn authors_are_found_by_any_part_of_their_name_and_as_a_phrase() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    for (author, titles) in [
        ("LeCun", vec!["基于扩散模型的图像生成"]),
        ("Dernoncourt", vec!["基于扩散模型的图像生成"]),
        ("liu", vec!["Sparse attention", "扩散过程的分析"]),
        ("L%C3%B3pez", vec!["Diffusion transformers at scale"]),
        ("garcia+lopez", vec!["Diffusion transformers at scale"]),
        ("yann+lecun", vec!["基于扩散模型的图像生成"]),
    ] {
        let found = results(&browser, &base, &format!("author={author}"), titles.len());
        assert_eq!(sorted(found), sorted(titles.iter().map(std::string::ToString::to_string).collect()), "{author}");
    }
    // The part that matched marks the whole name.
    results(&browser, &base, "author=dernoncourt", 1);
    assert_eq!(
        browser.eval("return document.querySelector('.search-meta mark').textContent"),
        json!("Franck Dernoncourt")
    );
    // "Yang Liu": the author's paper before the one holding both words more often.
    let found = results(&browser, &base, "q=yang+liu", 2);
    assert_eq!(found[0], "Sparse attention", "{found:?}");
    browser.assert_no_console_errors();
}

#[test]
fn a_misspelling_suggests_the_nearest_indexed_terms() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/search/?q=difussion"));
    assert!(
        browser.wait_until("return !!document.querySelector('.search-suggestion')", 15),
        "{:?}",
        browser.eval("return document.getElementById('search-results').textContent")
    );
    assert_eq!(browser.eval("return document.querySelector('.search-suggestion').textContent"), json!("diffusion"));
    browser.eval("document.querySelector('.search-suggestion').click(); return 1");
    assert!(browser.wait_until(
        "const h = document.querySelector('.search-result h2'); return !!h && h.textContent === 'Diffusion transformers at scale'",
        15
    ));
    browser.assert_no_console_errors();
}

#[test]
fn on_a_phone_results_start_high_and_rows_have_arxiv_pdf_and_save() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.runtime.block_on(browser.client.set_window_size(390, 844)).unwrap();
    let height = browser.eval("return window.innerHeight").as_f64().unwrap();
    results(&browser, &base, "q=sparse", 1);
    let top = browser.eval("return document.querySelector('.search-result').getBoundingClientRect().top");
    assert!(top.as_f64().unwrap() < height / 2.0, "first result at {top} of {height}");
    assert_eq!(browser.eval("return document.getElementById('search-options').open"), json!(false));
    let links = browser.eval(
        "return Array.from(document.querySelectorAll('.search-result .teaser-links a')).map(a => a.textContent + ' ' + a.href)",
    );
    assert_eq!(links, json!(["arXiv https://arxiv.org/abs/2410.00005", "PDF https://arxiv.org/pdf/2410.00005"]));
    // Save works as on a day page, and the saved list has it.
    assert!(
        browser
            .wait_until("const b = document.querySelector('.search-result button.save'); return !!b && !b.hidden", 5)
    );
    browser.eval("document.querySelector('.search-result button.save').click(); return 1");
    assert!(browser.wait_until(
        "return document.querySelector('.search-result button.save').getAttribute('aria-pressed') === 'true'",
        5
    ));
    let stored = browser.eval("return Object.keys(localStorage).map(k => localStorage.getItem(k)).join(' ')");
    assert!(stored.as_str().unwrap().contains("Sparse attention"), "{stored}");
    // With its page and its .bib, as a day page's button saves them.
    let stored = stored.as_str().unwrap();
    assert!(
        stored.contains("/papers/2410.00005/\"") && stored.contains("/papers/2410.00005/2410.00005.bib"),
        "{stored}"
    );
    // A filter in the address keeps the filters open.
    results(&browser, &base, "author=liu", 2);
    assert_eq!(browser.eval("return document.getElementById('search-options').open"), json!(true));
    browser.assert_no_console_errors();
}

/// The unit tests of search/fold.js and search/rank.js (tests/js/), run in Node against the
/// meta.json of a real build and the build's own folding cases. Skipped, with the reason,
/// without Node, unless `PAPERSHELF_REQUIRE_NODE` is set (as `.ci/run` does).
#[test]
fn node_unit_tests_of_the_search_modules() {
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.as_ref().is_ok_and(|o| o.status.success()) {
        let reason = "node is absent (apt-get install nodejs)";
        assert!(std::env::var_os("PAPERSHELF_REQUIRE_NODE").is_none(), "{reason}");
        eprintln!("skipped: {reason}");
        return;
    }
    let site = TestSite::new();
    paper(&site, "a", "Trams of Kraków", &["Łukasz Kaiser", "张伟"], "2410.00001", "Text.");
    site.run(&["build"]).success();
    let cases = json!(papershelf::render::search::FOLD_CASES);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .args(["--test", "tests/js/fold.test.mjs", "tests/js/rank.test.mjs"])
        .current_dir(root)
        .env("PAPERSHELF_SEARCH_META", site.path().join("public/search/meta.json"))
        .env("PAPERSHELF_FOLD_CASES", cases.to_string())
        .output()
        .expect("run node");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("# fail 0") && !text.contains("# pass 0"), "{text}");
}

/// The term and doc files are stored gzipped (inflated in the browser with
/// `DecompressionStream`), and a term group that fits one shard is one file: its list of
/// deeper shards and its terms together.
#[test]
fn the_index_is_stored_gzipped_in_few_files() {
    use std::io::Read;
    let site = search_site();
    site.run(&["build"]).success();
    let root = site.path().join("public/search");
    let meta: serde_json::Value = serde_json::from_str(&site.read("public/search/meta.json")).unwrap();
    let groups = meta["groups"].as_array().unwrap().len();
    let mut files = 0;
    let index = ["idx", "docs"].into_iter().flat_map(|dir| walkdir::WalkDir::new(root.join(dir)));
    for entry in index.map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        files += 1;
        assert!(rel.ends_with(".json.gz"), "{rel}");
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(entry.path()).unwrap()).read_to_string(&mut text).unwrap();
        let _: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }
    // Six papers: one file per group, and the one file of result data.
    assert_eq!(files, groups + 1, "{groups} groups");
}

#[test]
fn a_results_author_links_to_the_authors_page_where_there_is_one_as_the_sites_links_do() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    site.configure("author_page_min = 2");
    // Yang Liu has two papers (a page), Yang Liuxin one (the search); a name holding a comma
    // is one name, and the names after it keep their own links.
    paper(&site, "h", "Token merging", &["Yang Liuxin", "Doe, Jane", "Yang Liu"], "2410.00008", "Text.");
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    assert!(server.output.join("authors/yang-liu/index.html").is_file());
    assert!(!server.output.join("authors/yang-liuxin").exists());
    assert_eq!(results(&browser, &base, "q=token+merging", 1), ["Token merging"]);
    let result = browser.eval(
        "return Array.from(document.querySelectorAll('.search-meta .byline a')).map(a => a.textContent + ' ' + a.getAttribute('href'))",
    );
    assert_eq!(
        result,
        json!([
            "Yang Liuxin /search/?by=Yang+Liuxin",
            "Doe, Jane /search/?by=Doe%2C+Jane",
            "Yang Liu /authors/yang-liu/"
        ])
    );
    // The paper page links the same two names the same way.
    browser.goto(&format!("{base}/papers/2410.00008/"));
    let page = browser.eval(
        "return Array.from(document.querySelectorAll('.page-header .byline a')).map(a => a.textContent + ' ' + a.getAttribute('href'))",
    );
    assert_eq!(page, result);
    browser.assert_no_console_errors();
}

#[test]
fn an_author_without_a_page_links_to_a_search_showing_their_papers_and_nobody_elses() {
    let Some(browser) = Browser::start() else { return };
    let site = search_site();
    // Names that end in or start with "Yang Liu": an unquoted filter finds them too, the
    // author link (the name quoted) must not.
    paper(&site, "g", "Graph rewiring", &["Wei Yang Liu"], "2410.00007", "Text.");
    paper(&site, "h", "Token merging", &["Yang Liuxin", "Yang Liu"], "2410.00008", "Text.");
    let server = Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    // Below `author_page_min` (its default), no page: the byline links to the search.
    assert!(!server.output.join("authors/yang-liu").exists());
    assert!(server.output.join("search/index.html").is_file());
    browser.goto(&format!("{base}/papers/2410.00005/"));
    let href = browser
        .eval("return Array.from(document.querySelectorAll('.byline a')).find(a => a.textContent === 'Yang Liu').href");
    let href = href.as_str().unwrap().to_string();
    assert!(href.ends_with("/search/?by=Yang+Liu"), "{href}");
    let query = href.split_once('?').unwrap().1;
    let found = results(&browser, &base, query, 2);
    assert_eq!(sorted(found), ["Sparse attention", "Token merging"]);
    let status = browser.eval("return document.querySelector('.search-status').textContent");
    assert!(status.as_str().unwrap().starts_with("2 results by Yang Liu"), "{status}");
    // Only the name itself is marked, not Yang Liuxin beside it.
    let marks =
        browser.eval("return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)");
    assert_eq!(marks, json!(["Yang Liu", "Yang Liu"]));
    // Each name in a result links to the papers by that name, as the pages' links do.
    let by = browser.eval(
        "return Array.from(document.querySelectorAll('.search-meta .byline a')).map(a => a.textContent + ' ' + a.getAttribute('href'))",
    );
    assert!(by.as_array().unwrap().iter().any(|l| l == "Yang Liuxin /search/?by=Yang+Liuxin"), "{by}");
    // Unquoted, the filter takes any name with a part starting so.
    assert_eq!(results(&browser, &base, "author=yang+liu", 3).len(), 3);
    browser.assert_no_console_errors();
}
