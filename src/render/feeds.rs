//! The generated files that are not HTML pages: the Atom feed, the sitemap and robots.txt.
//! Written directly (not through templates) so their escaping cannot be got wrong.

use std::fmt::Write as _;

use super::Renderer;
use super::markdown::{Markdown, escape};

impl Renderer<'_> {
    /// The Atom feed of the newest papers. `updated` is the newest paper's date, so the feed
    /// only changes when the content does.
    pub fn feed(&self) -> String {
        let site = self.site;
        let mut papers: Vec<usize> = (0..site.papers.len()).collect();
        papers.sort_by(|&a, &b| {
            let (pa, pb) = (&site.papers[a], &site.papers[b]);
            pb.dates.last().cmp(&pa.dates.last()).then(a.cmp(&b))
        });
        papers.truncate(self.config.feed_limit);
        let base = &self.config.base_url;
        let updated = papers
            .first()
            .and_then(|&p| site.papers[p].dates.last())
            .map_or_else(|| "1970-01-01".to_string(), ToString::to_string);
        let mut out = String::with_capacity(1024 + papers.len() * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(out, "  <title>{}</title>", escape(&self.config.title));
        if !self.config.description.is_empty() {
            let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape(&self.config.description));
        }
        let _ = writeln!(
            out,
            "  <link href=\"{}{}\" rel=\"self\" type=\"application/atom+xml\"/>",
            escape(base),
            super::urls::FEED
        );
        let _ = writeln!(out, "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>", escape(base));
        let _ = writeln!(out, "  <id>{}</id>\n  <updated>{updated}T00:00:00Z</updated>", escape(base));
        let _ = writeln!(out, "  <generator>papershelf</generator>");
        for &i in &papers {
            let paper = &site.papers[i];
            let url = format!("{base}{}", super::page_path(site, super::Page::Paper(i)));
            let date = paper.dates.last().map(ToString::to_string).unwrap_or_default();
            out.push_str("  <entry>\n");
            let _ = writeln!(out, "    <title>{}</title>", escape(&Markdown::plain_text(&paper.title)));
            let _ = writeln!(out, "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>", escape(&url));
            let _ = writeln!(out, "    <id>{}</id>", escape(&url));
            let _ = writeln!(out, "    <updated>{date}T00:00:00Z</updated>");
            for &a in &paper.authors {
                let _ = writeln!(out, "    <author><name>{}</name></author>", escape(&site.authors[a].name));
            }
            if paper.authors.is_empty() {
                let _ = writeln!(
                    out,
                    "    <author><name>{}</name></author>",
                    escape(if self.config.author.is_empty() { &self.config.title } else { &self.config.author })
                );
            }
            for &t in &paper.tags {
                let _ = writeln!(out, "    <category term=\"{}\"/>", escape(&site.tags[t].name));
            }
            let summary: Vec<String> = paper.summary.sections.iter().map(|s| Markdown::plain_text(&s.body)).collect();
            let _ = writeln!(out, "    <summary>{}</summary>", escape(&summary.join(" ")));
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }

    /// The sitemap of every HTML page but search and 404.
    pub fn sitemap(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for page in self.pages() {
            if matches!(page, super::Page::Search | super::Page::NotFound) {
                continue;
            }
            let loc = format!("{}{}", self.config.base_url, self.path(page));
            let lastmod = match page {
                super::Page::Day(i) => Some(self.site.days[i].date),
                super::Page::Paper(i) => self.site.papers[i].dates.last().copied(),
                _ => None,
            };
            let _ = write!(out, "  <url><loc>{}</loc>", escape(&loc));
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
        format!("User-agent: *\nAllow: /\nSitemap: {}{}\n", self.config.base_url, super::urls::SITEMAP)
    }
}
