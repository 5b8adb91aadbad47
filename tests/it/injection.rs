//! Script injection and runaway costs through content: TeX that would become markup, links
//! that hide a scheme behind Unicode spaces, papers with thousands of tags, files of formulas.
//! Every case is checked in every file the build writes (pages, feeds, search data).

use crate::support::{TestSite, tree};

/// The hostile TeX of the security review, in every place content can hold TeX.
pub const HOSTILE_TEX: &[&str] = &[
    "$x<img src=x onerror=alert(1)>y$",
    "$\\text{<b>bold</b><img src=x onerror=alert(2)>}$",
    "$$x<script>alert(3)</script>$$",
    "$\\text{</math><img src=x onerror=alert(4)>}$",
    "$\\operatorname{<svg/onload=alert(5)>}$",
];

/// A site with hostile TeX in a paper file's title, summary and questions, a day file's intro
/// and papers, and a table digest's cells.
pub fn hostile_tex_site() -> TestSite {
    let site = TestSite::new();
    let all = HOSTILE_TEX.join(" and ");
    let questions: Vec<String> = HOSTILE_TEX.iter().map(|t| format!("{t:?}")).collect();
    site.write(
        "content/2024-10-22/tex.md",
        format!(
            "+++\ntitle = {:?}\nauthors = [\"Ann Lee\"]\ntags = [\"math\"]\nquestions = [{}]\n+++\n\n## Results\n\n{all}\n",
            format!("Math {} here", HOSTILE_TEX[0]),
            questions.join(", ")
        ),
    );
    site.write(
        "content/2024-10-23.toml",
        format!(
            "intro = {all:?}\n\n[[papers]]\ntitle = {:?}\nauthors = [\"Bo Chen\"]\nsummary = {all:?}\n",
            format!("Day {}", HOSTILE_TEX[3])
        ),
    );
    let cell = HOSTILE_TEX.join(" ").replace('|', "\\|");
    site.write(
        "content/2024-10-24.md",
        format!(
            "## Papers for 2024-10-24\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n\
             | Table {} (Read more on [arXiv](https://arxiv.org/abs/2410.16256))| Cy Dee | {cell} |\n",
            HOSTILE_TEX[1]
        ),
    );
    site
}

/// The markup that would run or draw content's own elements, as it would appear unescaped.
const LIVE: &[&str] = &["<img", "<b>", "<svg/", "<script>alert"];

#[test]
fn hostile_tex_is_inert_text_in_every_page_and_feed() {
    let site = hostile_tex_site();
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    site.run(&["build"]).success();
    let files = tree(&site.path().join("public"));
    let mut seen_math = false;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for live in LIVE {
            // JSON escapes nothing of HTML: a feed reader renders `content_html` as it is.
            assert!(!text.contains(live), "{live} in {path}");
        }
        seen_math |= text.contains("<annotation encoding=\"application/x-tex\">x&lt;img src=x onerror=alert(1)&gt;y");
    }
    assert!(seen_math, "the TeX is still rendered as MathML, with its source escaped");
    let paper = site.read("public/papers/math-x-img-src-x-onerror-alert-1-y-here/index.html");
    assert!(paper.contains("<mtext>&lt;b&gt;bold&lt;/b&gt;"), "\\text shows its characters");
}

#[test]
fn links_behind_unicode_spaces_are_errors_at_their_line() {
    for space in ["\u{3000}", "\u{a0}", "\u{2003}", "\u{200b}", "\u{feff}"] {
        let url = format!("{space}javascript:alert(document.domain)");
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\n\n[links]\ncode = \"{url}\"\n+++\n"));
        site.write(
            "content/2024-10-23.toml",
            format!("[[papers]]\ntitle = \"Y\"\n\n[papers.links]\nproject = \"{url}\"\n"),
        );
        site.write(
            "content/2024-10-24.md",
            format!(
                "## Papers for 2024-10-24\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n\
                 | Z (Read more on [Code]({url}))| A | Text. |\n"
            ),
        );
        let check = site.run(&["check"]);
        assert_eq!(check.code, 1, "{space:?}: {}", check.stderr);
        for at in ["content/2024-10-22/x.md:5:8", "content/2024-10-23.toml:5:11", "content/2024-10-24.md:5:"] {
            assert!(check.stderr.contains(at), "{space:?}: no error at {at}: {}", check.stderr);
        }
        assert_eq!(site.run(&["build"]).code, 1);
    }
    // A space inside a URL's text is still fine where it is a space the browser keeps as such.
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n\n[links]\ncode = \" https://e.com/a \"\n+++\n");
    site.run(&["build"]).success();
    let page = site.read("public/papers/x/index.html");
    assert!(page.contains("href=\"https://e.com/a\""), "published exactly as checked");
}

#[test]
fn tags_are_capped_per_paper_and_in_term_feeds() {
    let tags = |n: usize| (0..n).map(|i| format!("\"tag {i}\"")).collect::<Vec<_>>().join(", ");
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\ntags = [{}]\n+++\n", tags(5_000)));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("content/2024-10-22/x.md:3:8") && check.stderr.contains("5000 tags"),
        "{}",
        check.stderr
    );
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\ntags = [{}]\n+++\n", tags(50)));
    site.run(&["build"]).success();
    let feed = site.read("public/tags/tag-7/feed.xml");
    assert!(feed.matches("<category ").count() <= 8, "{feed}");
    let size: usize = tree(&site.path().join("public")).iter().map(|(_, b)| b.len()).sum();
    assert!(size < 4_000_000, "{size} bytes for one paper with 50 tags");
}

#[test]
fn a_file_of_formulas_costs_about_its_own_size() {
    let site = TestSite::new();
    let body = " $x$ b".repeat(200_000);
    site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\n+++\n\n{body}\n"));
    let build = site.run(&["build"]);
    build.success();
    assert!(
        build.stderr.contains("content/2024-10-22/x.md:1") && build.stderr.contains("shown as written"),
        "{}",
        build.stderr
    );
    let size: usize = tree(&site.path().join("public")).iter().map(|(_, b)| b.len()).sum();
    // The page, the feed, the JSON Feed and the search data each hold the text about once.
    assert!(size < 12 * body.len(), "{size} bytes from {} bytes of formulas", body.len());
    let page = site.read("public/papers/x/index.html");
    assert!(!page.contains("<math") && page.contains("$x$ b $x$ b"), "shown as written");
}

/// The hostile inputs of every security review that build (TeX, markup in titles, authors,
/// tags, questions and links' text), served and opened in Chromium: no script may run. A
/// dialog opened by `alert` would fail the next WebDriver command ("unexpected alert open").
#[test]
fn no_script_runs_on_pages_built_from_hostile_inputs() {
    let Some(browser) = crate::browser::Browser::start() else { return };
    let site = hostile_tex_site();
    // Ann Lee, on two papers, has a page; the hostile names, on one, are linked to the search
    // filtered to them (`?by=`), which the search page reads back.
    site.configure("author_page_min = 2");
    site.write(
        "content/2024-10-22/second.md",
        "+++\ntitle = 'Second'\nauthors = ['Ann Lee', '\"><img src=x onerror=alert(21)>']\n+++\n\nText.\n",
    );
    site.write(
        "content/2024-10-22/markup.md",
        "+++\ntitle = '\"><img src=x onerror=alert(11)> <script>alert(12)</script>'\n\
         authors = ['<svg/onload=alert(13)>', 'Ann Lee']\ntags = ['<img src=x onerror=alert(14)>']\n\
         questions = ['[x](javascript:alert(15)) <iframe src=javascript:alert(16)>']\n\
         [links]\ncode = 'https://e.com/\"><script>alert(17)</script>'\n+++\n\n\
         ## Results\n\n<img src=x onerror=alert(18)> [y](&#106;avascript:alert(19)) $\\text{<img src=x onerror=alert(20)>}$\n",
    );
    let server = crate::serve::Server::start(&site);
    let base = format!("http://127.0.0.1:{}", server.port);
    assert!(server.output.join("authors/ann-lee/index.html").is_file());
    let second = std::fs::read_to_string(server.output.join("papers/second/index.html")).unwrap();
    assert!(second.contains("href=\"/search/?by=%22%3E%3Cimg+src%3Dx+onerror%3Dalert%2821%29%3E\""), "{second}");
    let paths = [
        "/",
        "/2024-10-22/",
        "/2024-10-23/",
        "/2024-10-24/",
        "/papers/math-x-img-src-x-onerror-alert-1-y-here/",
        "/authors/ann-lee/",
        "/tags/math/",
        "/archive/",
        "/search/?q=img",
        "/search/?q=onerror",
        "/papers/second/",
        "/authors/",
        "/search/?by=%3Csvg%2Fonload%3Dalert%2813%29%3E",
        "/search/?by=%22%3E%3Cimg+src%3Dx+onerror%3Dalert%2821%29%3E",
        "/search/?q=second",
    ];
    let handlers = "return [...document.querySelectorAll('*')]\
        .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 80))";
    for path in paths {
        browser.goto(&format!("{base}{path}"));
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(browser.eval(handlers), serde_json::json!([]), "event handlers on {path}");
        assert_eq!(browser.eval("return document.title.includes('pwned')"), serde_json::json!(false));
    }
    browser.assert_no_console_errors();
}
