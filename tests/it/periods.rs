//! Week and month pages (issue 26 §2): a page per ISO week (`week/2024-W43/`) and per month
//! (`month/2024-10/`) with papers, the most upvoted first, else grouped by first tag, else in
//! day order; paginated, each with its Atom feed; linked from the archive and the day pages.

use crate::browser::Browser;
use crate::reading::{axe_finds_nothing_serious, serve_static};
use crate::support::TestSite;

/// A paper file: `content/<date>/<name>.md`, with an arXiv id and tags if given.
fn paper(site: &TestSite, date: &str, name: &str, arxiv: Option<&str>, tags: &[&str]) {
    let id = arxiv.map(|id| format!("arxiv = \"{id}\"\n")).unwrap_or_default();
    let tags = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
    site.write(
        &format!("content/{date}/{name}.md"),
        format!("+++\ntitle = \"{name}\"\nauthors = [\"Ann Lee\"]\n{id}tags = [{tags}]\n+++\n\nText of {name}.\n"),
    );
}

/// Upvotes fetched for `id` into `data/arxiv/`, as `enrich` writes them.
fn upvotes(site: &TestSite, id: &str, votes: u64) {
    site.write(
        &format!("data/arxiv/{id}.toml"),
        format!("id = \"{id}\"\n\n[huggingface]\nlisted = true\nupvotes = {votes}\n"),
    );
}

/// Week 43 of 2024 with upvotes (one paper on two of its days, one without upvotes), week 45
/// with tags (one paper untagged), week 48 with neither, and an empty day in December: three
/// papers a page.
pub fn periods_site() -> TestSite {
    let site = TestSite::new();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://user.github.io/repo/\"\npaginate_by = 3\n");
    for (date, name, id, votes) in [
        ("2024-10-22", "a-three", "2410.00001", Some(3)),
        ("2024-10-22", "b-seventy-one", "2410.00002", Some(71)),
        ("2024-10-24", "c-twelve", "2410.00003", Some(12)),
        ("2024-10-24", "d-none", "2410.00004", None),
        ("2024-10-24", "e-again", "2410.00001", None),
    ] {
        paper(&site, date, name, Some(id), &[]);
        if let Some(v) = votes {
            upvotes(&site, id, v);
        }
    }
    paper(&site, "2024-11-05", "q0", None, &["nlp"]);
    paper(&site, "2024-11-05", "q1", None, &["vision", "nlp"]);
    paper(&site, "2024-11-05", "q2", None, &["vision"]);
    paper(&site, "2024-11-06", "q3", None, &[]);
    paper(&site, "2024-11-06", "q4", None, &["vision"]);
    for (date, name) in [("2024-11-25", "r0"), ("2024-11-25", "r1"), ("2024-11-26", "r2")] {
        paper(&site, date, name, None, &[]);
    }
    site.write("content/2024-12-02/_day.toml", "title = \"A quiet day\"\n");
    site
}

/// The titles of the teasers of a page, in order.
fn teasers(html: &str) -> Vec<String> {
    teasers_at(html).into_iter().map(|(_, t)| t).collect()
}

fn teasers_at(html: &str) -> Vec<(usize, String)> {
    html.match_indices("class=\"teaser\"")
        .filter_map(|(at, _)| html[at..].split("class=\"teaser-title\"").nth(1).map(|t| (at, t)))
        .filter_map(|(at, t)| t.split("</a>").next().map(|t| (at, t)))
        .map(|(at, t)| (at, t.rsplit('>').next().unwrap_or("").to_string()))
        .collect()
}

/// The titles of the one-line entries of a page, in order.
fn lines_at(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (start, _) in html.match_indices("<ol class=\"paper-lines\">") {
        let block = &html[start..start + html[start..].find("</ol>").unwrap()];
        for (at, _) in block.match_indices("<li><a href=\"") {
            let title = block[at..].split_once("\">").unwrap().1.split("</a>").next().unwrap();
            out.push((start + at, title.to_string()));
        }
    }
    out
}

/// The titles of every paper a page lists (teasers and lines), in order.
fn titles(html: &str) -> Vec<String> {
    let mut all = teasers_at(html);
    all.extend(lines_at(html));
    all.sort();
    all.into_iter().map(|(_, t)| t).collect()
}

/// The `h2` headings of a period page's groups.
fn groups(html: &str) -> Vec<String> {
    html.split("<h2 class=\"period-group\">")
        .skip(1)
        .filter_map(|t| t.split("</h2>").next())
        .map(|t| t.rsplit_once("\">").map_or(t, |(_, name)| name).trim_end_matches("</a>").to_string())
        .collect()
}

/// The titles of a feed's entries, in order.
fn feed_titles(xml: &str) -> Vec<String> {
    xml.split("<entry>\n<title>").skip(1).filter_map(|t| t.split("</title>").next()).map(String::from).collect()
}

#[test]
fn weeks_and_months_order_group_paginate_and_are_linked() {
    let site = periods_site();
    site.run(&["build"]).success();
    let read = |rel: &str| site.read(&format!("public/{rel}"));
    // Upvotes: the most upvoted first, a paper listed twice once, one without upvotes last.
    let week = read("week/2024-W43/index.html");
    assert_eq!(titles(&week), ["b-seventy-one", "c-twelve", "a-three"]);
    // The most upvoted as teasers; every other paper of a period one line.
    assert_eq!(teasers(&week), ["b-seventy-one", "c-twelve", "a-three"]);
    assert!(teasers(&read("week/2024-W43/page/2/index.html")).is_empty());
    assert!(teasers(&read("week/2024-W45/index.html")).is_empty(), "no upvotes: lines only");
    assert!(week.contains("<h1>Week 43 of 2024</h1>") && week.contains("21–27 October 2024"), "{week}");
    assert!(week.contains("4 papers, most upvoted first"), "{week}");
    assert_eq!(titles(&read("week/2024-W43/page/2/index.html")), ["d-none"]);
    assert_eq!(titles(&read("month/2024-10/index.html")), ["b-seventy-one", "c-twelve", "a-three"]);
    // The feed beside the page, in the page's order, lean entries (no whole summaries).
    let feed = read("week/2024-W43/feed.xml");
    assert_eq!(feed_titles(&feed), ["b-seventy-one", "c-twelve", "a-three", "d-none"]);
    assert!(!feed.contains("<content") && feed.contains("https://user.github.io/repo/week/2024-W43/feed.xml"));
    assert!(week.contains("href=\"/repo/week/2024-W43/feed.xml\""));
    // Tags: grouped by first tag, the biggest group first, untagged last, day order within.
    let tagged = read("week/2024-W45/index.html");
    assert_eq!(titles(&tagged), ["q1", "q2", "q4"]);
    assert_eq!(groups(&tagged), ["vision"]);
    let page2 = read("week/2024-W45/page/2/index.html");
    assert_eq!(
        (titles(&page2), groups(&page2)),
        (vec!["q0".into(), "q3".into()], vec!["nlp".into(), "Untagged".into()])
    );
    // A month: the untagged group goes on over its pages; its heading repeats on each.
    let month = |n: &str| read(&format!("month/2024-11/{n}index.html"));
    assert_eq!(
        (titles(&month("")), groups(&month(""))),
        (vec!["q1".into(), "q2".into(), "q4".into()], vec!["vision".into()])
    );
    assert_eq!(titles(&month("page/2/")), ["q0", "q3", "r0"]);
    assert_eq!(groups(&month("page/2/")), ["nlp", "Untagged"]);
    assert_eq!(
        (titles(&month("page/3/")), groups(&month("page/3/"))),
        (vec!["r1".into(), "r2".into()], vec!["Untagged".into()])
    );
    assert_eq!(feed_titles(&read("month/2024-11/feed.xml")), ["q1", "q2", "q4", "q0", "q3", "r0", "r1", "r2"]);
    // Neither: day order, no groups.
    let plain = read("week/2024-W48/index.html");
    assert_eq!((titles(&plain), groups(&plain).len()), (vec!["r0".into(), "r1".into(), "r2".into()], 0));
    // No page for a period without papers, nor a page 2 of a short one.
    for gone in ["week/2024-W49", "month/2024-12", "week/2024-W48/page/2", "week/2024-W44"] {
        assert!(!site.path().join("public").join(gone).exists(), "{gone}");
    }
    // Day pages link to their week and month; the archive to every month and week.
    let day = read("2024-10-24/index.html");
    assert!(day.contains("href=\"/repo/week/2024-W43/\">Week 43 of 2024</a>"), "{day}");
    assert!(day.contains("href=\"/repo/month/2024-10/\">October 2024</a>"), "{day}");
    assert!(!read("2024-12-02/index.html").contains("/repo/week/"));
    let archive = read("archive/index.html");
    for url in ["week/2024-W43/", "week/2024-W45/", "week/2024-W48/", "month/2024-10/", "month/2024-11/"] {
        assert!(archive.contains(&format!("href=\"/repo/{url}\"")), "archive misses {url}");
        assert!(read("sitemap.xml").contains(&format!("https://user.github.io/repo/{url}<")), "sitemap misses {url}");
    }
    assert!(!archive.contains("2024-W49") && !archive.contains("month/2024-12"));
}

/// axe-core finds nothing serious or critical on a week page (upvotes) and a month page
/// (grouped by tag, second page).
#[test]
fn week_and_month_pages_pass_axe() {
    let Some(browser) = Browser::start() else { return };
    let site = periods_site();
    let output = site.path().join("public");
    site.run(&["build", "--output", output.to_str().unwrap()]).success();
    let port = serve_static(output);
    let base = format!("http://127.0.0.1:{port}/repo/");
    browser.screen(1366, 900, false);
    axe_finds_nothing_serious(
        &browser,
        &base,
        &["week/2024-W43/", "month/2024-11/", "month/2024-11/page/2/", "archive/"],
    );
}
