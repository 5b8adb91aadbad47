//! `papershelf build`: the pages of the URL table, their content, hostile text kept as
//! text, TeX as MathML, template overrides, atomic and reproducible output.

use crate::support::TestSite;

fn sample() -> TestSite {
    crate::support::sample_site()
}

fn parse_xml(text: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}", reader.buffer_position()),
        }
    }
}

#[test]
fn sample_site_has_every_page_of_the_url_table() {
    let site = sample();
    site.run(&["build"]).success();
    for file in [
        "index.html",
        "2024-10-22/index.html",
        "authors/index.html",
        "tags/index.html",
        "archive/index.html",
        "search/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "style.css",
        "papers/2410.16256/index.html",
    ] {
        assert!(site.path().join("public").join(file).is_file(), "missing {file}");
    }
    // Every author of the sample has one paper: below `author_page_min`, no page, and their
    // names link to the search filtered to them; the index lists them all the same.
    assert!(!site.path().join("public/authors/hongwei-liu").exists());
    let search = "href=\"/search/?by=Hongwei+Liu\"";
    assert!(site.read("public/authors/index.html").contains(search));
    assert!(site.read("public/papers/2410.16256/index.html").contains(search));
    site.configure("author_page_min = 1");
    site.run(&["build"]).success();
    assert!(site.path().join("public/authors/hongwei-liu/index.html").is_file());
    assert!(site.path().join("public/authors/hongwei-liu/feed.xml").is_file());
    assert!(site.read("public/papers/2410.16256/index.html").contains("href=\"/authors/hongwei-liu/\""));
    assert!(!site.path().join("public/CNAME").exists());
    let day = site.read("public/2024-10-22/index.html");
    let papers = day.matches("href=\"/papers/").count();
    assert_eq!(papers, 17, "the day links all 17 papers once each");
    parse_xml(&site.read("public/feed.xml"));
    parse_xml(&site.read("public/sitemap.xml"));
    assert!(site.read("public/feed.xml").contains("<updated>2024-10-22T00:00:00Z</updated>"));
    assert!(site.read("public/robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));
}

#[test]
fn paper_page_has_summary_sections_questions_bibtex_and_meta() {
    let site = sample();
    site.run(&["build"]).success();
    let html = site.read("public/papers/2410.16256/index.html");
    for needle in [
        "<h1 class=\"paper-title\">CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution</h1>",
        "<a href=\"/search/?by=Hongwei+Liu\">Hongwei Liu</a>",
        "href=\"https://arxiv.org/abs/2410.16256\"",
        "href=\"https://arxiv.org/pdf/2410.16256\"",
        "href=\"https://huggingface.co/papers/2410.16256\"",
        "<dt>Objective</dt>",
        "<dt>Limitations</dt>",
        "What specific model architecture and hyperparameters were used to train CompassJudger-1",
        // The BibTeX entry is the .bib file beside the page, which its copy button fetches.
        "data-copy-url=\"/papers/2410.16256/2410.16256.bib\"",
        "<meta property=\"og:title\" content=\"CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution\">",
        "<link rel=\"canonical\" href=\"https://example.com/papers/2410.16256/\">",
        "rel=\"next\"",
        "href=\"/2024-10-22/\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    let slug = "2410.16256";
    let bib = site.read(&format!("public/papers/{slug}/{slug}.bib"));
    assert!(bib.contains("eprint={2410.16256}") && bib.contains("archivePrefix={arXiv}"), "{bib}");
}

#[test]
fn hostile_text_stays_text_and_tex_is_mathml() {
    let site = TestSite::new();
    site.write(
        "content/2025-04-11/evil.md",
        "+++\ntitle = \"<script>alert(1)</script> <think> Free$^2$Guide for Top-$nσ$\"\nauthors = [\"<img src=x onerror=alert(1)>\", \"Zoë Ω\"]\ntags = [\"<b>tag</b>\"]\narxiv = \"2504.01234\"\n[links]\ncode = \"https://github.com/x/y\"\n+++\n\nCosts about $5 per run; Earn $1 Million. Inline $\\alpha^2$ and <iframe src=x></iframe> and [x](javascript:alert(1)).\n\n$$\\sum_i x_i$$\n",
    );
    site.run(&["build"]).success();
    let out = site.path().join("public");
    for e in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        for bad in ["<script>alert", "<img src=x", "<iframe", "href=\"javascript:", "<think>", "<b>tag"] {
            assert!(!text.contains(bad), "{} contains {bad}", e.path().display());
        }
    }
    let html = site.read("public/papers/2504.01234/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;think&gt; Free<math"), "{html}");
    assert!(html.contains("Zoë Ω"));
    assert!(html.contains("about $5 per run; Earn $1 Million"));
    assert!(html.contains("<math display=\"block\""));
    assert!(html.contains("href=\"https://arxiv.org/abs/2504.01234\""));
    assert!(html.contains("href=\"https://github.com/x/y\""));
    let feed = site.read("public/feed.xml");
    assert!(feed.contains("&lt;script&gt;"), "{feed}");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = sample();
    site.run(&["build"]).success();
    let snapshot = crate::support::tree;
    let before = snapshot(&site.path().join("public"));
    site.write("content/2024-10-22/broken.md", "+++\ntitle = \"x\"\ndate = 2024-13-01\n+++\n");
    site.write(
        "templates/day.html",
        "{% extends \"theme/day.html\" %}{% block main %}{{ nope.nothing }}{% endblock main %}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/2024-10-22/broken.md:3:"), "{}", run.stderr);
    assert_eq!(before, snapshot(&site.path().join("public")));
    std::fs::remove_file(site.path().join("content/2024-10-22/broken.md")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "the template error is reported too");
    assert!(run.stderr.contains("templates/day.html"), "{}", run.stderr);
    assert_eq!(before, snapshot(&site.path().join("public")));
    let leftovers: Vec<_> =
        std::fs::read_dir(site.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 4, "no staging folder left: {leftovers:?}");
}

#[test]
fn site_templates_override_and_extend_the_theme() {
    let site = sample();
    site.write(
        "templates/day.html",
        "{% extends \"theme/day.html\" %}{% block title %}Custom {{ day.date }}{% endblock title %}",
    );
    site.run(&["build"]).success();
    let html = site.read("public/2024-10-22/index.html");
    assert!(html.contains("<title>Custom 2024-10-22</title>"));
    assert!(html.contains("teaser"), "the rest of the theme's day page is kept");
}

#[test]
fn template_errors_name_file_line_and_column() {
    let site = sample();
    site.write(
        "templates/day.html",
        "{% extends \"theme/day.html\" %}\n{% block main %}\n  {{ day.date | nofilter }}\n  {{ day.nothing }}\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("templates/day.html:3:17: Unknown filter `nofilter`"), "{}", run.stderr);
    site.write(
        "templates/day.html",
        "{% extends \"theme/day.html\" %}\n{% block main %}\n  {{ day.nothing }}\n{% endblock main %}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("templates/day.html:3:10: Field `nothing` is not defined"), "{}", run.stderr);
    assert!(run.stderr.contains("3 |   {{ day.nothing }}"), "the line is shown: {}", run.stderr);
}

#[test]
fn a_site_components_file_replaces_the_themes() {
    let site = sample();
    site.write(
        "templates/components.html",
        "{% component pager(label, prev, next, noun) %}<p class=\"my-pager\">{{ label }}</p>{% endcomponent pager %}\n\
         {% component day_list(days) %}{% endcomponent day_list %}{% component count(n) %}{{ n }}{% endcomponent count %}",
    );
    site.run(&["build"]).success();
    let html = site.read("public/2024-10-22/index.html");
    assert!(html.contains("<p class=\"my-pager\">Days</p>"), "{html}");
}

#[test]
fn output_is_reproducible_and_cname_written() {
    let site = sample();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://papers.example.org/\"\ncname = \"papers.example.org\"\n",
    );
    let a = site.path().join("a");
    let b = site.path().join("b");
    site.run(&["build", "--output", a.to_str().unwrap()]).success();
    site.run(&["build", "--output", b.to_str().unwrap()]).success();
    let mut count = 0;
    for e in walkdir::WalkDir::new(&a).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&a).unwrap();
        assert_eq!(std::fs::read(e.path()).unwrap(), std::fs::read(b.join(rel)).unwrap(), "{}", rel.display());
        count += 1;
    }
    assert!(count > 100);
    assert_eq!(site.read("a/CNAME"), "papers.example.org\n");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let site = sample();
    site.write("docs/thesis.tex", "precious");
    let run = site.run(&["build", "--output", site.path().join("docs").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(site.read("docs/thesis.tex"), "precious");
}

/// A site of one table digest of `rows` papers on 2024-10-22, paper `i` by `author(i)`.
fn table_site(rows: usize, author: impl Fn(usize) -> String) -> TestSite {
    use std::fmt::Write as _;
    let mut table = String::from("## Papers for 2024-10-22\n\n| Title | Authors | Summary |\n| --- | --- | --- |\n");
    for i in 0..rows {
        writeln!(table, "| Paper number {i} | {} | Text {i}. |", author(i)).unwrap();
    }
    let site = TestSite::new();
    site.write("content/2024-10-22.md", table);
    site
}

#[test]
fn a_site_of_over_fifty_thousand_pages_has_a_sitemap_index_of_parts() {
    // One table digest of 25,001 papers, each by an author of its own: over 50,000 pages that
    // a sitemap lists (papers, authors, and the pages of the day and of the authors index),
    // more than the 50,000 URLs one sitemap may hold.
    let site = table_site(25_001, |i| format!("Writer Number{i}"));
    site.configure("author_page_min = 1");
    site.run(&["build"]).success();
    let index = site.read("public/sitemap.xml");
    parse_xml(&index);
    assert!(index.contains("<sitemapindex"), "{}", &index[..index.len().min(400)]);
    let parts: Vec<&str> = index.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    assert_eq!(parts, ["https://example.com/sitemap-1.xml", "https://example.com/sitemap-2.xml"]);
    let mut listed = std::collections::BTreeSet::new();
    for n in 1..=2 {
        let part = site.read(&format!("public/sitemap-{n}.xml"));
        parse_xml(&part);
        let urls: Vec<&str> = part.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
        assert!(urls.len() <= 50_000, "part {n} lists {} URLs", urls.len());
        listed.extend(urls.into_iter().map(String::from));
    }
    let papers = listed.iter().filter(|u| u.starts_with("https://example.com/papers/")).count();
    let authors = listed.iter().filter(|u| u.starts_with("https://example.com/authors/")).count();
    assert_eq!((papers, authors), (25_001, 25_001 + 1 + 25_001 / 300), "every paper and author page once");
    assert!(listed.contains("https://example.com/2024-10-22/"));
    assert!(site.read("public/robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));
}

#[test]
fn counts_in_the_thousands_are_written_with_commas() {
    let site = table_site(1_234, |_| "Ann Lee".to_string());
    site.run(&["build"]).success();
    let archive = site.read("public/archive/index.html");
    assert!(archive.contains("<dd><data value=\"1234\">1,234</data></dd>"), "papers in the archive's figures");
    assert!(site.read("public/authors/ann-lee/index.html").contains(">1,234 papers"), "an author's count");
}

#[test]
fn the_authors_index_counts_every_author_on_each_of_its_pages() {
    // 340 authors: the index lists 300 names a page (a remainder over a tenth of a page gets a
    // page of its own), and both pages say 340.
    let site = table_site(340, |i| format!("Writer Number{i}"));
    site.run(&["build"]).success();
    for page in ["public/authors/index.html", "public/authors/page/2/index.html"] {
        let html = site.read(page);
        assert!(html.contains("<p class=\"meta\">340 authors</p>"), "{page}");
    }
}

#[test]
fn save_buttons_carry_the_built_urls_and_saved_js_makes_none() {
    let site = sample();
    site.write("site.toml", "title = \"Test digest\"\nbase_url = \"https://example.com/sub/\"\n");
    site.run(&["build"]).success();
    let slug = "2410.16256";
    let url = format!("/sub/papers/{slug}/");
    let bib = format!("/sub/papers/{slug}/{slug}.bib");
    let button = format!("data-key=\"{slug}\" data-url=\"{url}\" data-bib=\"{bib}\"");
    for page in [format!("papers/{slug}/index.html"), "2024-10-22/index.html".to_string()] {
        assert!(site.read(&format!("public/{page}")).contains(&button), "{page}");
    }
    assert!(site.read(&format!("public/papers/{slug}/{slug}.bib")).starts_with("@misc{"));
    // The browser's copy of the site's facts: no paper path and no BibTeX writer of its own.
    let script = site.read("public/saved.js");
    for made in ["papers/", "@misc", "title={"] {
        assert!(!script.contains(made), "saved.js makes {made}");
    }
}

#[test]
fn the_summary_line_counts_every_file_written_and_their_bytes() {
    let site = sample();
    let run = site.run(&["build"]);
    run.success();
    let (mut files, mut bytes) = (0usize, 0u64);
    let mut dirs = vec![site.path().join("public")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                dirs.push(entry.path());
            } else {
                files += 1;
                bytes += entry.metadata().unwrap().len();
            }
        }
    }
    let line = run.stdout.lines().find(|l| l.starts_with("built ")).expect("a summary line");
    assert!(line.contains(&format!(": {files} files, ")), "{files} files on disk: {line}");
    assert!(line.contains(&format!(" ({bytes} bytes) ")), "{bytes} bytes on disk: {line}");
    assert!(!run.stderr.contains("GitHub Pages"), "a small site is not warned about: {}", run.stderr);
}

#[test]
fn a_paper_with_thousands_of_authors_cuts_its_byline_and_stays_under_300_kb() {
    let site = TestSite::new();
    site.write("site.toml", "title = \"Big\"\nbase_url = \"https://example.com/\"\n");
    let names: Vec<String> = (0..3000).map(|n| format!("\"Collaboration Member {n:04}\"")).collect();
    site.write(
        "content/2024-10-22/big.md",
        format!("+++\ntitle = \"Big\"\narxiv = \"2410.00001\"\nauthors = [{}]\n+++\n\nText.\n", names.join(", ")),
    );
    site.run(&["build"]).success();
    let page = site.read("public/papers/2410.00001/index.html");
    assert!(page.len() < 300_000, "{} bytes", page.len());
    assert!(page.contains("<summary>et al. (3,000 authors)</summary>"));
    let byline = &page[page.find("<p class=\"byline\">").unwrap()..];
    let byline = &byline[..byline.find("</p>").unwrap()];
    assert_eq!(byline.matches("<a href=").count(), 20, "the first 20 in the byline");
    assert!(page.contains("Collaboration Member 2999"), "the full list one click away");
    let cited = page.matches("<meta name=\"citation_author\"").count();
    assert!((100..3000).contains(&cited), "{cited} citation_author tags");
}
