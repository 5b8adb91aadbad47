//! Readers' tools (issue 15): related papers, a feed for every tag and author, the JSON Feed
//! and the OPML list, BibTeX files and embedded citation metadata. The saved-papers page is
//! tested in Chromium (tests/it/browser.rs).

use std::path::Path;

use crate::support::{TestSite, sample_site};

/// The three papers on one unusual topic: three days, different authors, no tags.
const TOPIC: [(&str, &str, &str); 3] = [
    ("2024-10-23", "axolotl-limbs", "Blastema signalling in axolotl limb regeneration"),
    ("2024-10-24", "salamander-wounds", "Wound epidermis and blastema growth in regenerating salamanders"),
    ("2024-10-25", "regrowth-atlas", "A single-cell atlas of axolotl regrowth"),
];

/// The sample site (17 papers on 2024-10-22) with three tagged papers on other subjects and the
/// three [`TOPIC`] papers: each its own day, author and text.
fn site() -> TestSite {
    let site = sample_site();
    let paper = |title: &str, authors: &str, tags: &str, arxiv: &str, text: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nauthors = [{authors}]\ntags = [{tags}]\narxiv = \"{arxiv}\"\n+++\n\n{text}\n"
        )
    };
    let texts = [
        "a) We study how axolotl limbs regrow after amputation. b) Blastema cells are traced through \
         signalling from the wound epidermis. c) Regeneration needs nerve signalling in the blastema.",
        "The wound epidermis of a salamander signals to the blastema, and axolotl regeneration stalls \
         without it; we follow limb regrowth for thirty days.",
        "i) Axolotl regrowth mapped cell by cell. ii) We chart blastema states during limb \
         regeneration and the signalling between them and the wound epidermis.",
    ];
    for (k, ((date, slug, title), text)) in TOPIC.iter().zip(texts).enumerate() {
        let author = format!("\"Topic Author {k}\"");
        let mut text = paper(title, &author, "", &format!("2410.9900{k}"), text);
        text = text.replace("+++\n\n", &format!("slug = \"{slug}\"\n+++\n\n"));
        site.write(&format!("content/{date}/{slug}.md"), text);
    }
    for (k, (tag, words)) in
        [("Vision", "images and pixels"), ("Speech", "audio codecs"), ("Robotics", "grasping arms")]
            .into_iter()
            .enumerate()
    {
        let text = paper(
            &format!("A study of {words}"),
            "\"Hongwei Liu\"",
            &format!("\"{tag}\", \"Benchmarks\""),
            &format!("2410.9910{k}"),
            &format!("We look at {words} with\u{1} a new model.\u{b}"),
        );
        site.write(&format!("content/2024-10-2{}/study-{k}.md", 3 + k), text);
    }
    // Hongwei Liu has four papers, the topic authors one each: a page from two papers.
    site.configure("author_page_min = 2");
    site.run(&["build"]).success();
    site
}

fn public(site: &TestSite, rel: &str) -> String {
    site.read(&format!("public/{rel}"))
}

/// Parses `text` as XML, failing on any error; returns the local names of the elements, in
/// document order, with their attributes.
fn parse_xml(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut elements = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("well-formed attribute");
                        let value = a.unescape_value().expect("valid escapes").into_owned();
                        (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
                    })
                    .collect();
                elements.push((String::from_utf8_lossy(e.local_name().as_ref()).into_owned(), attrs));
            }
            Ok(Event::Text(t)) => {
                t.decode().expect("valid text");
            }
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}", reader.buffer_position()),
        }
    }
    // XML 1.0 allows no C0 control character but tab, line feed and carriage return.
    assert!(!text.chars().any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')), "a control character in {text}");
    elements
}

/// The `href` of the first `<link rel="alternate" type="application/atom+xml" …>` in the
/// page's head after the site's own.
fn own_feed_link(html: &str) -> Option<String> {
    let head = &html[..html.find("</head>")?];
    head.match_indices("<link rel=\"alternate\" type=\"application/atom+xml\"")
        .filter_map(|(at, _)| {
            let tag = &head[at..at + head[at..].find('>')?];
            let href = tag.split("href=\"").nth(1)?.split('"').next()?;
            Some(href.to_string())
        })
        .find(|href| href != "/feed.xml")
}

#[test]
fn papers_on_one_unusual_topic_list_each_other_as_related() {
    let site = site();
    for (_, slug, _) in TOPIC {
        let html = public(&site, &format!("papers/{slug}/index.html"));
        let related = html.split("<section class=\"related\"").nth(1).expect("a related section");
        let related = &related[..related.find("</section>").unwrap()];
        assert!(related.contains("Related papers"));
        for (_, other, _) in TOPIC.iter().filter(|(_, s, _)| *s != slug) {
            assert!(related.contains(&format!("href=\"/papers/{other}/\"")), "{slug} lacks {other}:\n{related}");
        }
        assert!(related.matches("<li>").count() <= 5);
    }
}

#[test]
fn every_tag_and_author_page_links_an_atom_feed_of_its_own_that_parses() {
    let site = site();
    // Every author with a page and a feed.
    let config = site.read("site.toml").replace("author_page_min = 2", "author_page_min = 1");
    site.write("site.toml", config);
    site.run(&["build"]).success();
    let mut checked = 0;
    for kind in ["tags", "authors"] {
        let dir = site.path().join("public").join(kind);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if !entry.file_type().unwrap().is_dir() {
                continue;
            }
            let slug = entry.file_name().to_string_lossy().into_owned();
            let html = public(&site, &format!("{kind}/{slug}/index.html"));
            let href = own_feed_link(&html).unwrap_or_else(|| panic!("{kind}/{slug} links no feed of its own"));
            assert_eq!(href, format!("/{kind}/{slug}/feed.xml"));
            let feed = public(&site, &format!("{kind}/{slug}/feed.xml"));
            let elements = parse_xml(&feed);
            assert_eq!(elements[0].0, "feed", "{kind}/{slug}: an Atom feed");
            assert!(elements.iter().any(|(name, _)| name == "entry"), "{kind}/{slug}: no entry");
            // Lean: at most the 10 newest, each with title, link, date and authors, no text.
            let entries = elements.iter().filter(|(name, _)| name == "entry").count();
            assert!(entries <= 10, "{kind}/{slug}: {entries} entries");
            for needed in ["title", "updated", "author"] {
                let count = elements.iter().filter(|(name, _)| name == needed).count();
                assert!(count >= entries, "{kind}/{slug}: an entry without {needed}");
            }
            assert!(!feed.contains("<summary") && !feed.contains("<content"), "{kind}/{slug}: text in a term feed");
            let link = elements.iter().find(|(n, a)| n == "link" && a.iter().any(|(k, v)| k == "rel" && v == "self"));
            let self_href = &link.expect("a self link").1.iter().find(|(k, _)| k == "href").unwrap().1;
            assert_eq!(self_href, &format!("https://example.com/{kind}/{slug}/feed.xml"));
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} term pages");
    // Content text with control characters is still valid XML, in every feed it is in.
    let feed = public(&site, "feed.xml");
    assert!(feed.contains("with a new model."), "{feed}");
    parse_xml(&feed);
    parse_xml(&public(&site, "tags/vision/feed.xml"));
    parse_xml(&public(&site, "authors/hongwei-liu/feed.xml"));
}

#[test]
fn the_json_feed_and_the_opml_list_the_sites_feeds() {
    let site = site();
    let feed: serde_json::Value = serde_json::from_str(&public(&site, "feed.json")).expect("valid JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://example.com/feed.json");
    let items = feed["items"].as_array().expect("items");
    assert!(items.len() >= 20, "{} items", items.len());
    for item in items {
        for field in ["id", "url", "title", "content_html", "date_published"] {
            assert!(item[field].is_string(), "{field} of {item}");
        }
    }
    assert!(items.iter().any(|i| i["content_html"].as_str().unwrap().contains("We look at images and pixels")));

    let opml = public(&site, "feeds.opml");
    let elements = parse_xml(&opml);
    assert_eq!(elements[0].0, "opml");
    let feeds: Vec<&str> = elements
        .iter()
        .filter(|(n, _)| n == "outline")
        .filter_map(|(_, a)| a.iter().find(|(k, _)| k == "xmlUrl").map(|(_, v)| v.as_str()))
        .collect();
    assert!(feeds.len() >= 3, "{feeds:?}");
    assert!(feeds.contains(&"https://example.com/feed.xml"));
    assert!(feeds.contains(&"https://example.com/tags/vision/feed.xml"));
    assert!(feeds.contains(&"https://example.com/authors/hongwei-liu/feed.xml"), "an author with four papers");
    assert!(!feeds.contains(&"https://example.com/authors/topic-author-0/feed.xml"), "an author with one paper");
    for url in feeds {
        let rel = url.strip_prefix("https://example.com/").unwrap();
        assert!(site.path().join("public").join(rel).is_file(), "{rel}");
    }
    let home = public(&site, "index.html");
    assert!(home.contains("href=\"/feeds.opml\""), "the footer links the OPML");
    assert!(home.contains("href=\"/feed.json\""), "the footer links the JSON Feed");
}

#[test]
fn papers_and_days_have_bibtex_files_and_pages_carry_citation_metadata() {
    let site = site();
    let slug = "2410.16256";
    let bib = public(&site, &format!("papers/{slug}/{slug}.bib"));
    assert!(bib.starts_with("@misc{liu2024compassjudger,"), "{bib}");
    assert!(bib.contains("eprint={2410.16256}"), "{bib}");
    assert_eq!(bib.matches("\n@").count() + 1, 1);

    let day = public(&site, "2024-10-22/2024-10-22.bib");
    let keys: Vec<&str> =
        day.lines().filter_map(|l| l.strip_prefix("@misc{")).map(|l| l.trim_end_matches(',')).collect();
    assert_eq!(keys.len(), 17, "{day}");
    let unique: std::collections::HashSet<&&str> = keys.iter().collect();
    assert_eq!(unique.len(), 17, "keys unique within the file: {keys:?}");

    let page = public(&site, &format!("papers/{slug}/index.html"));
    for needle in [
        "<meta name=\"citation_title\" content=\"CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution\">",
        "<meta name=\"citation_author\" content=\"Hongwei Liu\">",
        "<meta name=\"citation_author\" content=\"acylam\">",
        "<meta name=\"citation_publication_date\" content=\"2024/10/22\">",
        "<meta name=\"citation_arxiv_id\" content=\"2410.16256\">",
        "<meta name=\"citation_pdf_url\" content=\"https://arxiv.org/pdf/2410.16256\">",
        "<meta name=\"citation_abstract_html_url\" content=\"https://arxiv.org/abs/2410.16256\">",
        &format!("href=\"/papers/{slug}/{slug}.bib\""),
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
    let day_page = public(&site, "2024-10-22/index.html");
    assert!(day_page.contains("href=\"/2024-10-22/2024-10-22.bib\""));
    assert!(!day_page.contains("Z3988"), "a day's papers are saved through its .bib, not COinS");
    assert!(!day_page.contains("citation_"), "citation metadata is the paper page's");
    assert_eq!(day_page.matches("<button type=\"button\" class=\"save\" hidden data-key=").count(), 17);
}

/// `check --links` fails on any internal link that resolves to nothing.
fn check_links(root: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"))
        .arg("--root")
        .arg(root)
        .args(["check", "--links"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}\n{}", root.display(), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_new_link_resolves_on_the_sample_sites() {
    let site = site();
    check_links(site.path());
    check_links(sample_site().path());
    check_links(TestSite::from_fixture("corpus-sample").path());
    // Served from a sub-path too.
    let sub = TestSite::from_fixture("corpus-sample");
    sub.write("site.toml", sub.read("site.toml").replace("https://example.com/", "https://user.github.io/repo/"));
    check_links(sub.path());
}
