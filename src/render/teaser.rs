//! List items: each paper as a list shows it (`Teaser`, its rendered item, its line on
//! author and tag pages), the links to authors and tags, and the `TeaserCache` kept by `serve`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::value::Key;
use tera::{Context, Value};

use super::markdown::{Markdown, Tex};
use super::urls::TermKind;
use super::views::*;
use super::{Page, Renderer, tldr, urls};
use crate::arxiv;
use crate::content::summary::Summary;
use crate::diagnostic::Diagnostic;
use crate::model::{Paper, Site};

/// How many authors a paper's line in a list names before "and N more" (its own page names all).
pub const BYLINE_AUTHORS: usize = 8;
/// How many authors a line of an author's or a tag's page names ([`PaperLine`]).
pub const LINE_AUTHORS: usize = 3;

impl Renderer<'_> {
    /// Paper `i` as listed.
    pub(super) fn teaser(&self, i: usize) -> &Teaser {
        self.teasers[i].get_or_init(|| {
            let p = &self.site.papers[i];
            let text = self.cache.text(p, &self.markdown);
            let title_lang = crate::lang::differing(&text.title_text, &self.config.language);
            let teaser_lang = crate::lang::differing(&text.teaser, &self.config.language);
            Teaser {
                title_html: text.title_html,
                title_text: text.title_text,
                url: self.url(Page::Paper(i)),
                slug: p.slug.clone(),
                arxiv: p.arxiv.clone(),
                authors: p.authors.iter().take(BYLINE_AUTHORS).map(|&a| self.author_link(a)).collect(),
                more_authors: p.authors.len().saturating_sub(BYLINE_AUTHORS),
                tags: p.tags.iter().map(|&t| self.tag_link(t)).collect(),
                links: links(p)
                    .into_iter()
                    .filter(|l| matches!(l.name.as_str(), "arxiv" | "pdf" | "huggingface" | "code" | "project"))
                    .collect(),
                teaser: text.teaser,
                tldr: text.tldr.head,
                tldr_more: text.tldr.tail,
                upvotes: p.fetched.as_ref().and_then(|f| f.upvotes),
                title_lang,
                teaser_lang,
                date: p.dates.last().map(ToString::to_string).unwrap_or_default(),
                bib_url: urls::join(&self.base, &urls::paper_bib_path(&p.slug)),
            }
        })
    }

    /// Whether paper `i`'s teaser differs from `old` (its [`listed_text`] before an edit).
    pub fn teaser_changed(&self, i: usize, old: &str) -> bool {
        let t = self.teaser(i);
        old.split_once('\n') != Some((t.teaser.as_str(), &format!("{}{}", t.tldr, t.tldr_more)))
    }

    /// The link to author `a`, made once and shared by every paper of theirs.
    pub(super) fn author_link(&self, a: usize) -> LinkView {
        self.term_links.0[a].get_or_init(|| self.term_link(TermKind::Author, a)).clone()
    }

    /// The link to tag `t`, made once and shared by every paper of it.
    pub(super) fn tag_link(&self, t: usize) -> LinkView {
        self.term_links.1[t].get_or_init(|| self.term_link(TermKind::Tag, t)).clone()
    }

    fn term_link(&self, kind: TermKind, i: usize) -> LinkView {
        let url = urls::join(&self.base, &urls::term_link_path(self.site, kind, i));
        LinkView { name: kind.terms(self.site)[i].name.as_str().into(), url: url.into() }
    }

    fn term_summaries(&self, kind: TermKind) -> Vec<TermSummary> {
        kind.terms(self.site)
            .iter()
            .enumerate()
            .map(|(i, t)| TermSummary {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: urls::join(&self.base, &urls::term_link_path(self.site, kind, i)),
                feed_url: urls::term_has_page(self.site, kind, i)
                    .then(|| urls::join(&self.base, &urls::term_feed_path(kind, &t.slug))),
                count: t.papers.len(),
            })
            .collect()
    }

    pub(super) fn authors(&self) -> &[TermSummary] {
        self.authors.get_or_init(|| self.term_summaries(TermKind::Author))
    }

    pub(super) fn tags(&self) -> &[TermSummary] {
        self.tags.get_or_init(|| self.term_summaries(TermKind::Tag))
    }

    /// Papers as listed, each with its teaser rendered.
    pub(super) fn list(&self, papers: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        // A long list (a tag page) is made on every core: in `serve` it is most of an update.
        if papers.len() > 64 {
            use rayon::prelude::*;
            return papers.par_iter().map(|&p| self.item(p)).collect();
        }
        papers.iter().map(|&p| self.item(p)).collect()
    }

    /// Paper `i` as a line of a term page, made once.
    pub(super) fn line(&self, i: usize) -> &Value {
        self.lines[i].get_or_init(|| {
            let t = self.teaser(i);
            let shown = t.authors.len().min(LINE_AUTHORS);
            Value::from_serializable(&PaperLine {
                title_html: &t.title_html,
                title_text: &t.title_text,
                url: &t.url,
                slug: &t.slug,
                arxiv: t.arxiv.as_deref(),
                authors: &t.authors[..shown],
                more_authors: t.authors.len() - shown + t.more_authors,
                date: &t.date,
            })
        })
    }

    /// Paper `i` as a list item: its fields and `html`, the rendered teaser. A one-off build
    /// shows it on its day's page alone (author and tag pages show a line from its fields), so
    /// it is made when asked and not kept; `serve` keeps it between rebuilds
    /// ([`TeaserCache`]), where one edit re-renders the lists around a paper.
    fn item(&self, i: usize) -> Result<Value, Diagnostic> {
        let cell = &self.items[i];
        if let Some(item) = cell.get() {
            return Ok(item.clone());
        }
        let teaser = self.teaser(i);
        let key = &self.site.papers[i].key;
        if self.cache.keep {
            let cache = self.cache.items.lock().expect("teaser cache lock");
            let cached = cache.get(key).and_then(|(view, item)| (view == teaser).then(|| item.clone()));
            drop(cache);
            if let Some(item) = cached {
                return Ok(cell.get_or_init(|| item).clone());
            }
        }
        let fields = Value::from_serializable(teaser);
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("p", fields.clone());
        let html = self.templates.render("teaser.html", &ctx)?;
        drop(ctx);
        let mut item = fields.into_map().unwrap_or_default();
        item.insert(Key::Str("html"), Value::from(html));
        let item = Value::from(item);
        if !self.cache.keep {
            return Ok(item);
        }
        self.cache.items.lock().expect("teaser cache lock").insert(key.clone(), (teaser.clone(), item.clone()));
        Ok(cell.get_or_init(|| item).clone())
    }
}

/// The parts of a teaser made from Markdown (the costly part), computed once per paper and
/// kept between rebuilds: an entry is reused while the paper's title and summary are the same
/// (the summary compared by identity: it is re-made only when its file is read again).
#[derive(Default)]
pub struct TeaserCache {
    entries: Mutex<HashMap<String, CachedText>>,
    /// List items (teaser fields and rendered teaser) by paper key, with the teaser they were
    /// made from: reused while it is the same (the templates are the same for the cache's
    /// life; see `clear_rendered`).
    items: Mutex<HashMap<String, MadeItems>>,
    /// Whether to keep anything between builds at all: worth it for a preview that rebuilds,
    /// not for a one-off build, where filling the caches would only cost time and memory.
    pub keep: bool,
}

/// A teaser and the list item made from it.
type MadeItems = (Teaser, Value);

struct CachedText {
    title: String,
    summary: Arc<Summary>,
    text: TeaserText,
}

#[derive(Clone)]
struct TeaserText {
    title_html: String,
    title_text: String,
    teaser: String,
    tldr: tldr::Tldr,
}

impl TeaserCache {
    /// The teaser text of `paper`, from the cache while its title and summary are unchanged.
    fn text(&self, paper: &Paper, markdown: &Markdown) -> TeaserText {
        let make = || TeaserText {
            title_html: markdown.render_inline_tex(&paper.title, Tex::of(&paper.summary)),
            title_text: Markdown::plain_text(&paper.title),
            teaser: teaser_text(paper),
            tldr: tldr::tldr(paper),
        };
        if !self.keep {
            return make();
        }
        {
            let entries = self.entries.lock().expect("teaser cache lock");
            if let Some(c) = entries.get(&paper.key)
                && c.title == paper.title
                && Arc::ptr_eq(&c.summary, &paper.summary)
            {
                return c.text.clone();
            }
        }
        let text = make();
        let cached = CachedText { title: paper.title.clone(), summary: Arc::clone(&paper.summary), text: text.clone() };
        self.entries.lock().expect("teaser cache lock").insert(paper.key.clone(), cached);
        text
    }

    /// Forgets the papers that are no longer in `site`.
    pub fn retain(&self, site: &Site) {
        let keys: std::collections::HashSet<&str> = site.papers.iter().map(|p| p.key.as_str()).collect();
        self.entries.lock().expect("teaser cache lock").retain(|k, _| keys.contains(k.as_str()));
        self.items.lock().expect("teaser cache lock").retain(|k, _| keys.contains(k.as_str()));
    }

    /// Forgets the rendered teasers (the templates or the site's settings changed).
    pub fn clear_rendered(&self) {
        self.items.lock().expect("teaser cache lock").clear();
    }
}

/// A paper's link named `name` ("arxiv", "pdf", "huggingface"): as its file gives it, or
/// made from its arXiv id by `make`.
pub(super) fn id_link(paper: &Paper, name: &str, make: fn(&str) -> String) -> Option<String> {
    let given = paper.links.iter().find(|(n, _)| n == name).map(|(_, u)| u.clone());
    given.or_else(|| paper.arxiv.as_deref().map(make))
}

/// A paper's links: the arXiv abstract, PDF and Hugging Face page derived from its id unless
/// given, then the others in the order written.
pub(super) fn links(paper: &Paper) -> Vec<PaperLink> {
    let given = |name: &str| paper.links.iter().find(|(n, _)| n == name).map(|(_, u)| u.clone());
    let stars = paper.fetched.as_ref().and_then(|f| f.code_stars);
    let mut out = Vec::new();
    let mut push = |name: &str, url: Option<String>| {
        if let Some(url) = url {
            out.push(PaperLink { name: name.to_string(), label: label(name, stars), url });
        }
    };
    push("arxiv", id_link(paper, "arxiv", arxiv::abs_url));
    push("pdf", id_link(paper, "pdf", arxiv::pdf_url));
    push("huggingface", id_link(paper, "huggingface", arxiv::hf_url));
    for (name, url) in &paper.links {
        if !matches!(name.as_str(), "arxiv" | "pdf" | "huggingface") {
            push(name, Some(url.clone()));
        }
    }
    // The DOI arXiv gives, as a link, unless one named `doi` is written by hand.
    let doi = paper.fetched.as_ref().and_then(|f| f.doi.as_deref()).map(|d| format!("https://doi.org/{d}"));
    if given("doi").is_none() {
        push("doi", doi.and_then(|u| crate::safe::publishable_web_url(&u)));
    }
    out
}

/// A link's label; the `code` link's says its repository's stars when they are known.
fn label(name: &str, stars: Option<u64>) -> String {
    match name {
        "code" if stars.is_some() => format!("Code ★ {}", stars.unwrap_or_default()),
        "arxiv" => "arXiv".into(),
        "pdf" => "PDF".into(),
        "huggingface" => "Hugging Face".into(),
        "github" => "GitHub".into(),
        "doi" => "DOI".into(),
        other => {
            let mut chars = other.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>().replace(['-', '_'], " ")
            })
        }
    }
}

/// What a list shows of a paper's text: its teaser and, after a line break, its TL;DR (see
/// [`Renderer::teaser_changed`]).
pub fn listed_text(paper: &Paper) -> String {
    let t = tldr::tldr(paper);
    format!("{}\n{}{}", teaser_text(paper), t.head, t.tail)
}

/// A short plain-text teaser that starts with substance: the one-line summary or the objective
/// where the summary has them, else its first section (or lead); never the generator's
/// chatter (kept apart in `Summary::chatter`) nor a label.
pub fn teaser_text(paper: &Paper) -> String {
    use crate::content::summary::{OBJECTIVE, TLDR};
    let sections = &paper.summary.sections;
    let substance = [TLDR, OBJECTIVE]
        .iter()
        .find_map(|&part| sections.iter().find(|s| s.heading == part && !s.body.trim().is_empty()))
        .or(sections.first());
    // A paper without a summary (a daily-arXiv row whose summariser failed) is teased by
    // its abstract.
    let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
    let source = substance.map(|s| s.body.as_str()).or(paper.summary.lead.as_deref()).or(abstract_text).unwrap_or("");
    teaser_of(source)
}

/// The teaser of a Markdown source: its plain text cut to 280 characters. When the first
/// block alone has more, only it is read: blocks are parsed independently unless link
/// references or footnotes (`[`) tie them, so its text starts the whole text.
pub(crate) fn teaser_of(source: &str) -> String {
    const MAX: usize = 280;
    if !source.contains('[') {
        let mut at = 0;
        let mut seen_text = false;
        for line in source.split_inclusive('\n') {
            // Blank as CommonMark has it: only spaces, tabs and line ends (not Unicode spaces).
            if line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)) {
                if seen_text {
                    let first = Markdown::plain_text(&source[..at]);
                    if first.chars().count() > MAX {
                        return truncate_text(&first, MAX);
                    }
                    break;
                }
            } else {
                seen_text = true;
            }
            at += line.len();
        }
    }
    truncate_text(&Markdown::plain_text(source), MAX)
}

/// Cuts text to at most `max` characters between two words (beside a CJK character too, as a
/// row's TL;DR is cut), adding an ellipsis; inside a first word longer than `max`, when
/// there is no other place.
pub fn truncate_text(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    super::tldr::cut_between_words(text, max)
        .unwrap_or_else(|| format!("{}…", text.chars().take(max).collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_truncated_between_words_or_beside_a_cjk_character() {
        assert_eq!(truncate_text("abc def ghi", 7), "abc def…");
        assert_eq!(truncate_text("abcdefghij", 4), "abcd…");
        // A space early in Chinese text is not the only place to cut it.
        assert_eq!(truncate_text(&format!("LoRA 适配器{}", "迁移".repeat(20)), 12), "LoRA 适配器迁移迁移…");
    }

    #[test]
    fn a_teaser_read_from_the_first_block_is_the_teaser_of_the_whole_text() {
        let long = "Word ".repeat(70);
        for source in [
            format!("{long}with **bold** and `code` and *emphasis* and $x^2$.\n\nSecond paragraph."),
            format!("{long}\n\n{long}"),
            format!("Short first.\n\n{long}"),
            format!("```\n{long}\n\n{long}\n```\n\nAfter."),
            format!("<div>\n{long}\n\n{long}</div>"),
            format!("{long}[ref]\n\n[ref]: https://example.com"),
            format!("{long}[^1]\n\n[^1]: A note."),
            format!("- {long}\n\n- {long}"),
            format!("{long}\n===\n\nText."),
            format!("\n\n  \n{long} first block after blank lines.\n\nSecond."),
            format!("*{long}\n\u{a0}\nend.*"),
        ] {
            assert_eq!(teaser_of(&source), truncate_text(&Markdown::plain_text(&source), 280), "{source:?}");
        }
    }
}
