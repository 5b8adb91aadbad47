//! Citations: a paper's BibTeX entry (arXiv's recommended form, or a `@misc` pointing at the
//! paper's page when it has no arXiv id), BibTeX files of several papers with keys unique
//! within the file, and the Highwire `citation_*` fields of a paper page (lists carry none: a
//! day's `.bib` file saves its papers). Input: the model; output: plain text and views.

use serde::Serialize;

use super::markdown::Markdown;
use crate::arxiv;
use crate::model::{Paper, Site};
use crate::slug::slugify_nonempty;

/// The Highwire Press `citation_*` fields of a paper page (read by Zotero and Google Scholar).
#[derive(Debug, Clone, Serialize)]
pub struct CitationView {
    pub title: String,
    /// Every author, in the paper's order.
    pub authors: Vec<String>,
    /// `YYYY/MM/DD`: arXiv's first version when fetched, else the paper's first listing.
    pub date: String,
    pub arxiv_id: Option<String>,
    pub pdf_url: Option<String>,
    /// The arXiv abstract page, or the paper's own page when it has no arXiv id.
    pub abstract_url: String,
    pub doi: Option<String>,
}

/// The citation key of `paper`: first author's last name, year, first long word of the title
/// (`liu2024compassjudger`), as arXiv and Google Scholar make them.
pub fn key(paper: &Paper, site: &Site) -> String {
    let first_author =
        paper.authors.first().and_then(|&a| site.authors[a].name.split_whitespace().last()).unwrap_or("anon");
    let title = Markdown::plain_text(&paper.title);
    let first_word = title.split(|c: char| !c.is_alphanumeric()).find(|w| w.len() > 3).unwrap_or("paper");
    format!(
        "{}{}{}",
        slugify_nonempty(first_author).replace('-', ""),
        year(paper),
        slugify_nonempty(first_word).replace('-', "")
    )
}

/// The year cited: the arXiv id's, else the first listing's.
fn year(paper: &Paper) -> String {
    let id = paper.arxiv.as_deref().map(arxiv::base_id);
    id.and_then(arxiv::year).unwrap_or_else(|| paper.dates[0].format("%Y").to_string())
}

/// `paper`'s BibTeX entry under its own key; `page_url` (the paper's page, absolute) is its
/// `url` when it has no arXiv id.
pub fn bibtex(paper: &Paper, site: &Site, page_url: &str) -> String {
    entry(paper, site, &key(paper, site), page_url)
}

/// `paper`'s BibTeX entry under `key` (see [`write_entry`]).
fn entry(paper: &Paper, site: &Site, key: &str, page_url: &str) -> String {
    let title = Markdown::plain_text(&paper.title);
    let authors: Vec<&str> = paper.authors.iter().map(|&a| site.authors[a].name.as_str()).collect();
    let id = paper.arxiv.as_deref().map(arxiv::base_id);
    let url = id.map_or_else(|| page_url.to_string(), arxiv::abs_url);
    let fields = BibFields {
        key,
        title: &title,
        authors,
        doi: paper.fetched.as_ref().and_then(|f| f.doi.as_deref()),
        year: &year(paper),
        eprint: id,
        url: &url,
    };
    write_entry(&fields)
}

/// The fields of one `@misc` entry, as plain text: [`write_entry`] escapes them.
#[derive(Debug, Clone)]
pub struct BibFields<'a> {
    /// Made by [`key`]: ASCII letters and digits only.
    pub key: &'a str,
    pub title: &'a str,
    pub authors: Vec<&'a str>,
    pub doi: Option<&'a str>,
    pub year: &'a str,
    /// The arXiv id; with it, the entry is in the form arXiv recommends.
    pub eprint: Option<&'a str>,
    pub url: &'a str,
}

/// The entry of `f`. Whatever the fields hold, the entry is well formed and no content starts
/// a TeX command: text fields go through [`tex_text`] (authors through [`tex_name`], joined
/// by ` and `), `doi`, `eprint` and `url` through [`bib_url`], the key keeps only ASCII
/// letters and digits.
pub fn write_entry(f: &BibFields) -> String {
    let key: String = f.key.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut out = format!("@misc{{{key},\n      title={{{}}}, \n", tex_text(f.title));
    let names: Vec<String> = f.authors.iter().map(|n| tex_name(n)).filter(|n| !n.is_empty()).collect();
    if !names.is_empty() {
        out.push_str(&format!("      author={{{}}},\n", names.join(" and ")));
    }
    if let Some(doi) = f.doi {
        out.push_str(&format!("      doi={{{}}},\n", bib_url(doi)));
    }
    out.push_str(&format!("      year={{{}}},\n", tex_text(f.year)));
    if let Some(id) = f.eprint {
        out.push_str(&format!("      eprint={{{}}},\n      archivePrefix={{arXiv}},\n", bib_url(id)));
    }
    out.push_str(&format!("      url={{{}}}, \n}}", bib_url(f.url)));
    out
}

/// `text` as the text of a BibTeX field, printed by LaTeX as written: `\` is
/// `\textbackslash{}`; a pair of braces is `\{`…`\}` and a brace without its partner
/// `\textbraceleft{}` or `\textbraceright{}` (BibTeX counts every brace, escaped or not, so
/// the field's braces stay balanced); `# $ % & _` get a backslash, `^` and `~` are
/// `\^{}` and `\~{}`, `<` and `>` `\textless{}` and `\textgreater{}` (which print them in
/// every font encoding); runs of white space and control characters are one space.
pub fn tex_text(text: &str) -> String {
    let paired = paired_braces(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' if paired.contains(&i) => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '#' | '$' | '%' | '&' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            c => out.push(c),
        }
    }
    out
}

/// The byte offsets of the braces of `text` that have a partner (`{` … `}`).
fn paired_braces(text: &str) -> rustc_hash::FxHashSet<usize> {
    let mut open = Vec::new();
    let mut paired = rustc_hash::FxHashSet::default();
    for (i, c) in text.char_indices() {
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(o) = open.pop() {
                    paired.extend([o, i]);
                }
            }
            _ => {}
        }
    }
    paired
}

/// One author's name as [`tex_text`] writes it, with every word `and` (in any case, which
/// BibTeX would take for the separator of two names) braced: "Smith and Jones" is
/// `Smith {and} Jones`, one name.
pub fn tex_name(name: &str) -> String {
    let text = tex_text(name);
    let words: Vec<String> = text
        .split(' ')
        .map(|w| if w.eq_ignore_ascii_case("and") { format!("{{{w}}}") } else { w.to_string() })
        .collect();
    words.join(" ")
}

/// A URL (or DOI, or id) as a BibTeX field: white space, control characters, braces and
/// backslashes percent-encoded, so it stays the same URL and cannot end the field or start a
/// command.
pub fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '{' | '}' | '\\') {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A BibTeX file of `papers` (indices into `site.papers`, in order), one entry each, keys
/// made unique within the file (see [`unique_keys`]); `page_url` gives each paper's page.
pub fn bib_file(site: &Site, papers: &[usize], page_url: impl Fn(usize) -> String) -> String {
    let keys = unique_keys(papers.iter().map(|&i| key(&site.papers[i], site)).collect());
    let mut out = String::with_capacity(papers.len() * 400);
    for (&i, key) in papers.iter().zip(&keys) {
        out.push_str(&entry(&site.papers[i], site, key, &page_url(i)));
        out.push_str("\n\n");
    }
    out
}

/// `keys` with every key that occurs more than once suffixed `a`, `b`, … in order (`z` is
/// followed by `aa`), skipping any suffixed key another entry already has.
pub fn unique_keys(keys: Vec<String>) -> Vec<String> {
    let mut counts: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for k in &keys {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let mut taken: rustc_hash::FxHashSet<String> = keys.iter().filter(|k| counts[k.as_str()] == 1).cloned().collect();
    let mut next: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut out = Vec::with_capacity(keys.len());
    for k in &keys {
        if counts[k.as_str()] == 1 {
            out.push(k.clone());
            continue;
        }
        let n = next.entry(k.clone()).or_default();
        let key = loop {
            let candidate = format!("{k}{}", letters(*n));
            *n += 1;
            if taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        out.push(key);
    }
    out
}

/// 0 → `a`, 25 → `z`, 26 → `aa`, …
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The most bytes of author names a page's `citation_author` tags carry: every author of any
/// real paper but the few with thousands, whose list is cut (the page stays under 300 KB).
pub const CITATION_AUTHOR_BYTES: usize = 32_000;

/// The authors `citation_author` names: all, or as many first ones as fit
/// [`CITATION_AUTHOR_BYTES`] (each tag's markup counted).
fn citation_authors(paper: &Paper, site: &Site) -> Vec<String> {
    let mut used = 0;
    let names = paper.authors.iter().map(|&a| site.authors[a].name.clone());
    names
        .take_while(|name| {
            used += name.len() + 40;
            used <= CITATION_AUTHOR_BYTES
        })
        .collect()
}

/// The Highwire fields of `paper`; `page_url` is its page, absolute.
pub fn citation(paper: &Paper, site: &Site, page_url: &str) -> CitationView {
    let id = paper.arxiv.as_deref().map(arxiv::base_id);
    let given = |name: &str| paper.links.iter().find(|(n, _)| n == name).map(|(_, u)| u.clone());
    let fetched = paper.fetched.as_deref();
    let date = fetched.and_then(|f| f.submitted.clone()).unwrap_or_else(|| paper.dates[0].to_string());
    CitationView {
        title: Markdown::plain_text(&paper.title),
        authors: citation_authors(paper, site),
        date: date.replace('-', "/"),
        arxiv_id: id.map(str::to_string),
        pdf_url: given("pdf").or_else(|| id.map(arxiv::pdf_url)),
        abstract_url: id.map_or_else(|| page_url.to_string(), arxiv::abs_url),
        doi: fetched.and_then(|f| f.doi.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_get_letters_and_unique_ones_stay() {
        let keys = |k: &[&str]| unique_keys(k.iter().map(std::string::ToString::to_string).collect());
        assert_eq!(keys(&["a2024x", "b2024y", "a2024x"]), ["a2024xa", "b2024y", "a2024xb"]);
        assert_eq!(keys(&["k", "k", "ka"]), ["kb", "kc", "ka"]);
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        assert_eq!(letters(27), "ab");
        let many: Vec<String> = unique_keys(vec!["x".to_string(); 60]);
        let set: std::collections::HashSet<&String> = many.iter().collect();
        assert_eq!(set.len(), 60);
    }

    #[test]
    fn entries_name_the_arxiv_id_or_the_page() {
        let site = crate::model::tests::sample_site();
        let with_id = site.papers.iter().find(|p| p.arxiv.is_some()).unwrap();
        let bib = bibtex(with_id, &site, "https://example.com/papers/x/");
        assert!(bib.starts_with("@misc{ann2024same,"), "{bib}");
        assert!(bib.contains("eprint={2412.18525}"), "{bib}");
        let without = site.papers.iter().find(|p| p.arxiv.is_none()).unwrap();
        let bib = bibtex(without, &site, "https://example.com/papers/third/");
        assert!(bib.contains("url={https://example.com/papers/third/}"), "{bib}");
    }

    #[test]
    fn latex_specials_in_titles_and_names_are_escaped() {
        let mut site = crate::model::tests::sample_site();
        let i = site.papers.iter().position(|p| p.arxiv.is_some()).unwrap();
        std::sync::Arc::make_mut(&mut site.papers[i]).title = "Q&A at 95% on #1 {tasks} <think>".into();
        let a = site.papers[i].authors[0];
        site.authors[a].name = "Ann & Co".into();
        let bib = bibtex(&site.papers[i], &site, "https://example.com/papers/x/");
        // Braces are escaped now (they were dropped): the title prints as written.
        assert!(bib.contains("title={Q\\&A at 95\\% on \\#1 \\{tasks\\} \\textless{}think\\textgreater{}}"), "{bib}");
        assert!(bib.contains("author={Ann \\& Co"), "{bib}");
    }

    /// The entry of one paper with `title` and `authors`, checked well formed: every brace
    /// balanced (as BibTeX counts them, escaped or not) and the entry's own brace closed
    /// only at its end.
    fn entry_of(title: &str, authors: &[&str]) -> String {
        let fields = BibFields {
            key: "k2024x",
            title,
            authors: authors.to_vec(),
            doi: Some("10.1/x}y"),
            year: "2024",
            eprint: None,
            url: "https://e.com/p/{x}\\y",
        };
        let bib = write_entry(&fields);
        assert_balanced(&bib);
        bib
    }

    fn assert_balanced(bib: &str) {
        let mut depth = 0i64;
        for (i, c) in bib.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth > 0 || i < bib.find('{').unwrap() || i == bib.len() - 1, "closed early at {i}: {bib}");
        }
        assert_eq!(depth, 0, "{bib}");
    }

    #[test]
    fn a_tex_command_in_an_author_is_only_text() {
        let bib = entry_of("T", &["\\input /etc/passwd", "\\def\\x{\\input{/etc/shadow}}"]);
        assert!(!bib.contains("\\input") && !bib.contains("\\def"), "{bib}");
        assert!(bib.contains("author={\\textbackslash{}input /etc/passwd and "), "{bib}");
        assert!(
            bib.contains("\\textbackslash{}def\\textbackslash{}x\\{\\textbackslash{}input\\{/etc/shadow\\}\\}"),
            "{bib}"
        );
        assert!(bib.contains("doi={10.1/x%7Dy}") && bib.contains("url={https://e.com/p/%7Bx%7D%5Cy}"), "{bib}");
    }

    #[test]
    fn a_title_ending_in_a_backslash_or_with_lone_braces_is_well_formed() {
        for title in ["Ends in \\", "}{ Odd } braces {", "{{{", "}}}", "a\\}", "100% of x_1^2 ~ $5"] {
            let bib = entry_of(title, &["A"]);
            assert!(bib.contains("      author={A},\n"), "{title:?}: {bib}");
        }
        let bib = entry_of("Ends in \\", &[]);
        assert!(bib.contains("title={Ends in \\textbackslash{}}, \n"), "{bib}");
        let bib = entry_of("}{ Odd } braces {", &[]);
        assert!(bib.contains("title={\\textbraceright{}\\{ Odd \\} braces \\textbraceleft{}}"), "{bib}");
        let bib = entry_of("100% of x_1^2 ~ $5 #1", &[]);
        assert!(bib.contains("title={100\\% of x\\_1\\^{}2 \\~{} \\$5 \\#1}"), "{bib}");
    }

    #[test]
    fn and_inside_a_name_does_not_split_it() {
        let bib = entry_of("T", &["Smith and Jones", "AND Co", "Anders Andersen", "Ann"]);
        assert!(bib.contains("author={Smith {and} Jones and {AND} Co and Anders Andersen and Ann},"), "{bib}");
        let bib = entry_of("T", &["  ", "Zoë\n\tand\u{0}Ann "]);
        assert!(bib.contains("author={Zoë {and} Ann},"), "{bib}");
    }
}
