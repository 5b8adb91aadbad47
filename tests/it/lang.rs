//! Chinese summaries beside English abstracts: the `lang` attributes of a page's parts
//! (`src/lang.rs`), and, in a real browser at a phone's width, that nothing overflows.
//! The fixture is `tests/fixtures/jsonl/site` plus a day written here whose row has a long
//! unbroken Chinese paragraph, a long model name and long URLs.

use serde_json::json;

use crate::browser::Browser;
use crate::serve::Server;
use crate::support::TestSite;

/// A day of one row made to overflow a phone: long CJK runs and long Latin tokens.
const LONG_DAY: &str = "content/data/2025-01-05_AI_enhanced_Chinese.jsonl";

fn long_row() -> String {
    let han = "我们提出一种稀疏注意力机制用于长视频生成并在多个基准上取得了显著的加速效果".repeat(4);
    let url = "https://github.com/example-organisation/a-very-long-repository-name-for-sparse-attention-video/blob/main/README.md";
    let row = json!({
        "id": "2501.00009",
        "categories": ["cs.CV"],
        "pdf": "https://arxiv.org/pdf/2501.00009",
        "abs": "https://arxiv.org/abs/2501.00009",
        "authors": ["Wang Fang"],
        "title": "Qwen2.5-VL-72B-Instruct-AWQ-Int4-LongContext-128K-ExtendedVariant for Chinese reading",
        "comment": format!("Code and weights: {url}"),
        "summary": format!("We release Qwen2.5-VL-72B-Instruct-AWQ-Int4-LongContext-128K-ExtendedVariant at {url}."),
        "code_url": url,
        "AI": {
            "tldr": format!("{han}（Qwen2.5-VL-72B-Instruct-AWQ-Int4-LongContext-128K-ExtendedVariant）。"),
            "motivation": han.clone(),
            "method": format!("见{url}。"),
            "result": "速度提高四倍。",
            "conclusion": "稀疏注意力足够。",
        }
    });
    format!("{row}\n")
}

/// The long row's paper page, under `public/papers/` (named by its arXiv id).
fn long_slug(site: &TestSite) -> String {
    let slug = "2501.00009".to_string();
    assert!(site.path().join("public/papers").join(&slug).join("index.html").is_file());
    slug
}

fn site(language: Option<&str>) -> TestSite {
    let site = TestSite::from_fixture("jsonl/site");
    site.write(LONG_DAY, long_row());
    if let Some(language) = language {
        let toml = site.read("site.toml");
        site.write("site.toml", format!("{toml}language = \"{language}\"\n"));
    }
    site
}

#[test]
fn chinese_parts_beside_english_carry_lang_zh_on_an_english_site() {
    let site = site(None);
    site.run(&["build"]).success();
    let slug = long_slug(&site);
    let page = site.read(&format!("public/papers/{slug}/index.html"));
    assert!(page.contains("<html lang=\"en\""), "{page}");
    assert!(page.contains("<div class=\"part part-tldr\" id=\"tl-dr\"><dt>TL;DR</dt><dd lang=\"zh\">"), "{page}");
    assert_eq!(page.matches("<dd lang=\"zh\">").count(), 5, "{page}");
    // The English title and abstract inherit the page's language.
    assert!(page.contains("<h1 class=\"paper-title\">"), "{page}");
    assert!(page.contains("<h2>Abstract</h2>\n<p>We release"), "{page}");
    let day = site.read("public/2025-01-05/index.html");
    assert!(day.contains("<span class=\"teaser-text\" lang=\"zh\">"), "{day}");
    assert_eq!(day.matches("lang=\"en\"").count(), 1, "only <html> is marked en: {day}");
}

#[test]
fn english_parts_on_a_chinese_site_carry_lang_en() {
    let site = site(Some("zh-CN"));
    site.run(&["build"]).success();
    let slug = long_slug(&site);
    let page = site.read(&format!("public/papers/{slug}/index.html"));
    assert!(page.contains("<html lang=\"zh-CN\""), "{page}");
    assert!(!page.contains("<dd lang="), "{page}");
    assert!(page.contains("<h1 class=\"paper-title\" lang=\"en\">"), "{page}");
    assert!(page.contains("<p lang=\"en\">We release"), "{page}");
    let day = site.read("public/2025-01-05/index.html");
    assert!(day.contains(&format!("<a href=\"/papers/{slug}/\" lang=\"en\">")), "{day}");
    assert!(day.contains("<span class=\"teaser-text\">"), "{day}");
}

/// The page's widest box and the viewport's width, in CSS pixels, and the elements wider
/// than the viewport.
const OVERFLOW: &str = "const w = window.innerWidth; const wide = [...document.querySelectorAll('body *')]\
    .filter(e => e.getBoundingClientRect().right > w + 0.5)\
    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60));\
    return {scroll: document.documentElement.scrollWidth, inner: w, wide: wide.slice(0, 5)};";

#[test]
fn a_phone_shows_chinese_summaries_and_long_tokens_without_overflow() {
    let Some(browser) = Browser::start() else { return };
    let site = site(None);
    site.run(&["build"]).success();
    let slug = long_slug(&site);
    let server = Server::start(&site);
    browser.runtime.block_on(browser.client.set_window_size(390, 844)).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port);
    for path in [format!("/papers/{slug}/"), "/2025-01-05/".to_string(), "/2025-01-03/".to_string(), "/".to_string()] {
        browser.goto(&format!("{base}{path}"));
        assert!(browser.wait_until("return document.readyState === 'complete'", 10), "{path} did not load");
        let seen = browser.eval(OVERFLOW);
        assert_eq!(seen["inner"], json!(390), "{path}: {seen}");
        assert!(seen["scroll"].as_u64().unwrap() <= 390, "{path} overflows a phone: {seen}");
        let zh = browser
            .eval("return [...document.querySelectorAll('[lang=zh]')].map(e => e.textContent.trim().slice(0, 4))");
        assert!(!zh.as_array().unwrap().is_empty(), "{path}: no part is marked lang=zh");
        // Every Chinese character on the page is inside an element marked zh.
        let unmarked = browser.eval(
            "const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const out = [];\
             while (w.nextNode()) { const n = w.currentNode; if (/[\\u4e00-\\u9fff]/.test(n.data) && !n.parentElement.closest('[lang=zh]')) out.push(n.data.slice(0, 20)); }\
             return out;",
        );
        assert_eq!(unmarked, json!([]), "{path}: Chinese text outside lang=zh");
        assert_eq!(
            browser.eval("return getComputedStyle(document.querySelector('[lang=zh]')).lineBreak"),
            json!("strict")
        );
        let font = browser.eval("return getComputedStyle(document.querySelector('[lang=zh]')).fontFamily");
        assert!(font.as_str().unwrap().contains("Noto Sans CJK SC"), "{path}: {font}");
    }
    browser.assert_no_console_errors();
}
