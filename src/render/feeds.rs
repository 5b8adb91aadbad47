//! The generated files that are not HTML pages: the Atom feeds (the site's, and one per author
//! and per tag), the JSON Feed 1.1, the OPML list of feeds, the sitemap and robots.txt.
//! Written directly (not through templates) so their escaping cannot be got wrong: XML text
//! goes through [`xml_escape`], which also drops the characters XML 1.0 forbids.

use std::fmt::Write as _;

use serde_json::json;

use super::markdown::{Markdown, Tex, escape};
use super::urls::{self, Page, TermKind};
use super::{Renderer, page_path};

/// What sets one Atom feed apart: its title, its own URL and the page it stands for.
pub(super) struct FeedHead {
    pub(super) title: String,
    pub(super) self_url: String,
    pub(super) page_url: String,
}

/// How many papers a feed of one author or tag holds (its newest).
pub const TERM_FEED_LIMIT: usize = 10;

impl Renderer<'_> {
    /// The newest papers (by their latest listing), as many as the feeds carry.
    fn newest(&self) -> Vec<usize> {
        let site = self.site;
        let mut papers: Vec<usize> = (0..site.papers.len()).collect();
        papers.sort_by(|&a, &b| {
            let (pa, pb) = (&site.papers[a], &site.papers[b]);
            pb.dates.last().cmp(&pa.dates.last()).then(a.cmp(&b))
        });
        papers.truncate(self.config.feed_limit);
        papers
    }

    /// The site's Atom feed of the newest papers. `updated` is the newest paper's date, so the
    /// feed only changes when the content does.
    pub fn feed(&self) -> String {
        let base = &self.config.base_url;
        let head = FeedHead {
            title: self.config.title.clone(),
            self_url: urls::join(base, urls::FEED),
            page_url: base.clone(),
        };
        self.atom(&head, &self.newest(), true)
    }

    /// The Atom feed of author or tag `i` (of `kind`): its newest papers (at
    /// most [`TERM_FEED_LIMIT`]: a reader following one author wants what is new, and a site
    /// of 100,000 papers has ~10,000 such feeds, each carrying whole summaries).
    pub fn term_feed(&self, kind: TermKind, i: usize) -> String {
        let term = &kind.terms(self.site)[i];
        let base = &self.config.base_url;
        let head = FeedHead {
            title: format!("{} · {}", term.name, self.config.title),
            self_url: urls::join(base, &urls::term_feed_path(kind, &term.slug)),
            page_url: urls::join(base, &urls::term_path(kind, &term.slug)),
        };
        let papers: Vec<usize> =
            term.papers.iter().copied().take(TERM_FEED_LIMIT.min(self.config.feed_limit)).collect();
        self.atom(&head, &papers, false)
    }

    /// An Atom feed of `papers`, with each paper's teaser and whole summary when `full` (the
    /// site's feed), or lean (a feed of one author or tag: title, link, date and authors, no
    /// categories and no text: there are as many as authors, and their text made them most of a
    /// large site's bytes).
    pub(super) fn atom(&self, head: &FeedHead, papers: &[usize], full: bool) -> String {
        let updated = papers
            .iter()
            .filter_map(|&p| self.site.papers[p].dates.last())
            .max()
            .map_or_else(|| "1970-01-01".to_string(), ToString::to_string);
        let mut out = String::with_capacity(1024 + papers.len() * 2048);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(out, "<title>{}</title>", xml_escape(&head.title));
        if !self.config.description.is_empty() {
            let _ = writeln!(out, "<subtitle>{}</subtitle>", xml_escape(&self.config.description));
        }
        let _ =
            writeln!(out, "<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>", xml_escape(&head.self_url));
        let _ = writeln!(out, "<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>", xml_escape(&head.page_url));
        let _ = writeln!(out, "<id>{}</id>\n<updated>{updated}T00:00:00Z</updated>", xml_escape(&head.page_url));
        let _ = writeln!(out, "<generator>papershelf</generator>");
        for &i in papers {
            self.atom_entry(&mut out, i, full);
        }
        out.push_str("</feed>\n");
        out
    }

    /// Paper `i` as an Atom entry; when `full`, its teaser as the summary and the whole
    /// summary as content.
    fn atom_entry(&self, out: &mut String, i: usize, full: bool) {
        let (site, paper) = (self.site, &self.site.papers[i]);
        let teaser = self.teaser(i);
        let url = urls::join(&self.config.base_url, &page_path(site, Page::Paper(i)));
        out.push_str("<entry>\n<title>");
        push_xml(out, &teaser.title_text);
        out.push_str("</title>\n<link href=\"");
        push_xml(out, &url);
        // rel="alternate" is a link's default (RFC 4287 4.2.7.2): an entry's link says no more.
        out.push_str("\"/>\n<id>");
        push_xml(out, &url);
        out.push_str("</id>\n<updated>");
        if let Some(date) = paper.dates.last() {
            let _ = write!(out, "{date}");
        }
        out.push_str("T00:00:00Z</updated>\n");
        for name in self.feed_authors(i, full) {
            out.push_str("<author><name>");
            push_xml(out, name);
            out.push_str("</name></author>\n");
        }
        // A lean feed (an author's, a tag's, a period's) names no categories: with every tag,
        // one paper with N tags made N feeds of N categories each, and they were a tenth of an
        // author feed's bytes.
        for &t in paper.tags.iter().filter(|_| full) {
            out.push_str("<category term=\"");
            push_xml(out, &site.tags[t].name);
            out.push_str("\"/>\n");
        }
        if full {
            out.push_str("<summary>");
            push_xml(out, &teaser.teaser);
            out.push_str("</summary>\n<content type=\"html\">");
            push_xml(out, self.feed_html(i));
            out.push_str("</content>\n");
        }
        out.push_str("</entry>\n");
    }

    /// The names a feed gives as paper `i`'s authors: its first [`super::BYLINE_AUTHORS`] in
    /// the site's feeds, as lists show them, and its first [`super::LINE_AUTHORS`] in a lean
    /// feed, as term pages' lines do (a paper with thousands of authors is in thousands of
    /// author feeds: naming them all in each would make the feeds grow with the square of that
    /// number; the paper's page names them all), or the site's author (or title) for a paper
    /// without any, as Atom requires one.
    fn feed_authors(&self, i: usize, full: bool) -> Vec<&str> {
        let paper = &self.site.papers[i];
        if paper.authors.is_empty() {
            let config = self.config;
            return vec![if config.author.is_empty() { &config.title } else { &config.author }];
        }
        let names = paper.authors.iter().take(if full { super::BYLINE_AUTHORS } else { super::LINE_AUTHORS });
        names.map(|&a| self.site.authors[a].name.as_str()).collect()
    }

    /// Paper `i`'s whole summary as HTML for feeds: the lead, each part under its name, the
    /// follow-up questions. Made once per build, shared by every feed the paper is in.
    fn feed_html(&self, i: usize) -> &str {
        self.feed_html[i].get_or_init(|| {
            let summary = &self.site.papers[i].summary;
            let tex = Tex::of(summary);
            let mut html = summary.lead.as_deref().map(|l| self.markdown.render_tex(l, tex)).unwrap_or_default();
            for s in &summary.sections {
                if super::SectionView::kind_of(&s.heading) != "text" {
                    let _ = writeln!(html, "<p><strong>{}</strong></p>", escape(&Markdown::plain_text(&s.heading)));
                }
                html.push_str(&self.markdown.render_tex(&s.body, tex));
            }
            if !summary.questions.is_empty() {
                html.push_str("<p><strong>Follow-up questions</strong></p>\n<ol>\n");
                for q in &summary.questions {
                    let _ = writeln!(html, "<li>{}</li>", self.markdown.render_inline_tex(q, tex));
                }
                html.push_str("</ol>\n");
            }
            html
        })
    }

    /// The site's JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) of the same papers as the
    /// Atom feed, with the same summaries.
    pub fn json_feed(&self) -> String {
        let base = &self.config.base_url;
        let items: Vec<serde_json::Value> = self
            .newest()
            .into_iter()
            .map(|i| {
                let (paper, teaser) = (&self.site.papers[i], self.teaser(i));
                let url = urls::join(base, &page_path(self.site, Page::Paper(i)));
                let date = paper.dates.last().map(|d| format!("{d}T00:00:00Z"));
                let authors: Vec<_> = self.feed_authors(i, true).into_iter().map(|n| json!({ "name": n })).collect();
                let tags: Vec<&str> = paper.tags.iter().map(|&t| self.site.tags[t].name.as_str()).collect();
                let mut item = json!({
                    "id": url, "url": url, "title": teaser.title_text, "summary": teaser.teaser,
                    "content_html": self.feed_html(i), "date_published": date, "authors": authors, "tags": tags,
                });
                if let Some(id) = &paper.arxiv {
                    item["external_url"] = json!(crate::arxiv::abs_url(crate::arxiv::base_id(id)));
                }
                item
            })
            .collect();
        let mut feed = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.config.title,
            "home_page_url": base,
            "feed_url": urls::join(base, urls::JSON_FEED),
            "language": self.config.language,
            "items": items,
        });
        if !self.config.description.is_empty() {
            feed["description"] = json!(self.config.description);
        }
        // No markup in the file, even when served as HTML (`<` escaped as `\u003c`).
        let mut out = super::search::inert(&serde_json::to_string_pretty(&feed).expect("JSON values serialise"));
        out.push('\n');
        out
    }

    /// The OPML list of the site's Atom feeds: the site's, every tag's, and the authors' with
    /// two papers or more (an author with one paper has a feed too, but listing thousands of
    /// one-paper authors would bury the rest).
    pub fn opml(&self) -> String {
        let base = &self.config.base_url;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
        let _ = writeln!(out, "    <title>{} · feeds</title>\n  </head>\n  <body>", xml_escape(&self.config.title));
        let outline = |out: &mut String, indent: &str, text: &str, feed: &str, page: &str| {
            let (text, feed, page) =
                (xml_escape(text), xml_escape(&urls::join(base, feed)), xml_escape(&urls::join(base, page)));
            let _ = writeln!(
                out,
                "{indent}<outline type=\"rss\" text=\"{text}\" title=\"{text}\" xmlUrl=\"{feed}\" htmlUrl=\"{page}\"/>"
            );
        };
        outline(&mut out, "    ", &self.config.title, urls::FEED, "");
        for (kind, title) in [(TermKind::Tag, "Tags"), (TermKind::Author, "Authors")] {
            let terms = kind.terms(self.site).iter().enumerate();
            let listed: Vec<_> =
                terms.filter(|(i, _)| urls::term_has_page(self.site, kind, *i)).map(|(_, t)| t).collect();
            if listed.is_empty() {
                continue;
            }
            let _ = writeln!(out, "    <outline text=\"{title}\" title=\"{title}\">");
            for t in listed {
                let (feed, page) = (urls::term_feed_path(kind, &t.slug), urls::term_path(kind, &t.slug));
                outline(&mut out, "      ", &t.name, &feed, &page);
            }
            out.push_str("    </outline>\n");
        }
        out.push_str("  </body>\n</opml>\n");
        out
    }

    /// The sitemap of every HTML page but search, saved papers and 404, by file name: one
    /// [`urls::SITEMAP`] up to [`urls::SITEMAP_URLS`] pages, an index of numbered parts beyond.
    pub fn sitemaps(&self) -> Vec<(String, String)> {
        let pages: Vec<Page> = self
            .pages()
            .into_iter()
            .filter(|page| !matches!(page, Page::Search | Page::Saved | Page::NotFound))
            .collect();
        let parts: Vec<String> = pages.chunks(urls::SITEMAP_URLS).map(|part| self.urlset(part)).collect();
        if parts.len() <= 1 {
            let only = parts.into_iter().next().unwrap_or_else(|| self.urlset(&[]));
            return vec![(urls::SITEMAP.into(), only)];
        }
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut files = Vec::with_capacity(parts.len() + 1);
        for (n, part) in parts.into_iter().enumerate() {
            let name = urls::sitemap_part(n + 1);
            index.push_str("  <sitemap><loc>");
            push_xml(&mut index, &format!("{}{name}", self.config.base_url));
            index.push_str("</loc></sitemap>\n");
            files.push((name, part));
        }
        index.push_str("</sitemapindex>\n");
        files.insert(0, (urls::SITEMAP.into(), index));
        files
    }

    /// One `<urlset>` of `pages`, with the date of each day and paper as its `lastmod`.
    fn urlset(&self, pages: &[Page]) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for &page in pages {
            let loc = urls::join(&self.config.base_url, &self.path(page));
            let lastmod = match page {
                Page::Day(i) => Some(self.site.days[i].date),
                Page::Paper(i) => self.site.papers[i].dates.last().copied(),
                _ => None,
            };
            out.push_str("  <url><loc>");
            push_xml(&mut out, &loc);
            out.push_str("</loc>");
            if let Some(d) = lastmod {
                let _ = write!(out, "<lastmod>{d}</lastmod>");
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }

    /// robots.txt, pointing at the sitemap.
    pub fn robots(&self) -> String {
        format!("User-agent: *\nAllow: /\nSitemap: {}{}\n", self.config.base_url, urls::SITEMAP)
    }
}

/// Whether XML 1.0 forbids `c` in a document: the C0 controls but tab, line feed and carriage
/// return, and the non-characters U+FFFE and U+FFFF.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// [`xml_escape`] at the end of `out`, without a copy for text that needs no escape (most
/// titles, names and URLs: printable ASCII without markup characters).
fn push_xml(out: &mut String, text: &str) {
    let plain =
        |b: &u8| matches!(b, 0x20..=0x7e | b'\t' | b'\n' | b'\r') && !matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'');
    if text.as_bytes().iter().all(plain) {
        out.push_str(text);
    } else {
        out.push_str(&xml_escape(text));
    }
}

/// `text` escaped for XML text and attribute values, without the characters XML 1.0 forbids
/// (which no escape can carry: `&#1;` is as invalid as the byte).
pub fn xml_escape(text: &str) -> String {
    if text.chars().any(forbidden_in_xml) {
        escape(&text.chars().filter(|&c| !forbidden_in_xml(c)).collect::<String>())
    } else {
        escape(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_loses_forbidden_characters_and_keeps_the_rest() {
        assert_eq!(xml_escape("a\u{1}b\u{b}c\td\ne\r<&>\u{fffe}é"), "abc\td\ne\r&lt;&amp;&gt;é");
        assert_eq!(xml_escape("plain"), "plain");
    }
}
