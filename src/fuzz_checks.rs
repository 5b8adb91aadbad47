//! The properties the fuzz targets (`fuzz/`) check, kept in the library so that every input
//! the fuzzer ever found is also replayed by `cargo test` (tests/it/fuzz_regressions.rs).
//! Each takes arbitrary bytes and panics only when papershelf misbehaves.

use crate::content::{frontmatter, summary, table};
use crate::render::markdown::Markdown;

/// A property over arbitrary input: panics when it does not hold.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name.
pub const TARGETS: &[(&str, Check)] = &[
    ("frontmatter", frontmatter_split),
    ("table", table_digest),
    ("summary", summary_split),
    ("slug", slugs),
    ("render", render_markdown),
    ("paths", urls_and_paths),
    ("bibtex", bibtex_entry),
];

fn text(data: &[u8]) -> &str {
    std::str::from_utf8(data).unwrap_or("")
}

/// Splitting front matter never panics, and the parts are slices of the input in order.
pub fn frontmatter_split(data: &[u8]) {
    let s = text(data);
    if frontmatter::has_front_matter(s)
        && let Ok(split) = frontmatter::split(s)
    {
        assert!(split.toml_offset <= s.len());
        assert!(s[split.toml_offset..].starts_with(split.toml));
        assert!(s.ends_with(split.body));
    }
}

/// Reading a table digest never panics; rows have titles and lines within the file.
pub fn table_digest(data: &[u8]) {
    let s = text(data);
    let lines = s.split('\n').count();
    let (digest, errors) = table::parse(s);
    for e in &errors {
        assert!(e.line >= 1 && e.line <= lines.max(1), "line {} of {lines}", e.line);
    }
    if let Some(d) = digest {
        for row in &d.rows {
            assert!(!row.title.is_empty());
            assert!(row.line >= 1 && row.line <= lines);
        }
    }
}

/// Splitting a summary never panics and never invents text: every section body and label,
/// the chatter, the lead and every question are made of the input's own words (only a part's
/// canonical name, such as "Objective", is papershelf's).
pub fn summary_split(data: &[u8]) {
    let s = text(data);
    for result in [summary::split(s), summary::split_markdown(s)] {
        let pieces = (result.chatter.iter().chain(&result.lead))
            .chain(result.sections.iter().flat_map(|x| x.label.iter().chain([&x.body])))
            .chain(result.questions.iter());
        for piece in pieces {
            for word in piece.split_whitespace().take(50) {
                assert!(s.contains(word), "{word:?} is not in the input");
            }
        }
    }
}

/// Slugs are lower-case ASCII words joined by single dashes, and never empty when asked not to be.
pub fn slugs(data: &[u8]) {
    let s = text(data);
    for slug in [crate::slug::slugify(s), crate::slug::slugify_nonempty(s)] {
        assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
        assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
        let cut = crate::slug::truncate(&slug, 20);
        assert!(cut.len() <= 20);
    }
    assert!(!crate::slug::slugify_nonempty(s).is_empty());
}

/// A URL papershelf publishes, resolved as a browser resolves it on a page of the site, is
/// http(s), and stays on the site's host unless it names its own; a path the writer accepts
/// stays inside the output; every slug papershelf makes is one safe segment.
pub fn urls_and_paths(data: &[u8]) {
    let s = text(data);
    let page = url::Url::parse("https://site.example/base/papers/x/").expect("a valid base");
    // What is published, and what any later trim of it would be, stays http(s) and on the site.
    if let Some(published) = crate::safe::publishable_url(s) {
        for url in [s, published.as_str(), published.trim()] {
            let resolved = page.join(url).unwrap_or_else(|e| panic!("{s:?} accepted but does not parse: {e}"));
            assert!(matches!(resolved.scheme(), "http" | "https"), "{s:?} → {resolved}");
            let absolute = url.trim().to_ascii_lowercase().starts_with("http");
            assert!(absolute || resolved.host_str() == Some("site.example"), "{s:?} leaves the site: {resolved}");
        }
    }
    if crate::safe::is_inside(s) {
        let joined = std::path::Path::new("/out").join(s);
        assert!(joined.starts_with("/out") && joined != std::path::Path::new("/out"), "{s:?}");
        let escapes =
            joined.components().any(|c| !matches!(c, std::path::Component::Normal(_) | std::path::Component::RootDir));
        assert!(!escapes, "{s:?} has a component that is not a plain name");
    }
    if crate::safe::segment_problem(s).is_none() {
        assert!(crate::safe::is_inside(s) && !s.contains('/'), "{s:?}");
    }
    for slug in [crate::slug::slugify_nonempty(s), crate::slug::paper_slug(s)] {
        assert_eq!(crate::safe::segment_problem(&slug), None, "{s:?} → {slug:?}");
    }
}

/// A BibTeX entry of arbitrary text (line 1 the title, line 2 the URL, line 3 the DOI, the
/// other lines authors) is well formed: braces balanced as BibTeX counts them (escaped or
/// not), the entry's own brace closed only at its end; every backslash starts one of the
/// escapes papershelf writes, never a command from the text; no TeX special is left bare in
/// a text field; and it has one author per non-blank author line.
pub fn bibtex_entry(data: &[u8]) {
    use crate::render::cite;
    let s = text(data);
    let lines: Vec<&str> = s.split('\n').collect();
    let line = |i: usize| lines.get(i).copied().unwrap_or("");
    let authors: Vec<&str> = lines.iter().skip(3).copied().collect();
    let fields = cite::BibFields {
        key: line(0),
        title: line(0),
        authors: authors.clone(),
        doi: Some(line(2)),
        year: "2024",
        eprint: None,
        url: line(1),
    };
    let bib = cite::write_entry(&fields);
    let opening = bib.find('{').expect("an entry opens with @misc{");
    let mut depth = 0i64;
    for (i, c) in bib.char_indices() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        assert!(depth > 0 || i < opening || i == bib.len() - 1, "the entry closes at byte {i}: {bib:?}");
    }
    assert_eq!(depth, 0, "{bib:?}");
    assert_escapes_only(&bib);
    for field in [cite::tex_text(s), cite::tex_name(s)] {
        assert_no_bare_specials(&field);
    }
    let names = authors.iter().filter(|a| !cite::tex_name(a).is_empty()).count();
    if let Some(value) = bib.split("\n      author={").nth(1) {
        let value = &value[..value.find("},\n").expect("the author field ends")];
        // BibTeX splits names at `and` in any case, outside braces.
        assert_eq!(value.to_ascii_lowercase().split(" and ").count(), names, "{value:?}");
    } else {
        assert_eq!(names, 0, "{bib:?}");
    }
}

/// The escapes [`crate::render::cite::tex_text`] writes; nothing else may follow a backslash.
const TEX_ESCAPES: &[&str] = &[
    "textbackslash{}",
    "textbraceleft{}",
    "textbraceright{}",
    "textless{}",
    "textgreater{}",
    "^{}",
    "~{}",
    "{",
    "}",
    "#",
    "$",
    "%",
    "&",
    "_",
];

/// Panics when a backslash in `bib` starts anything but one of [`TEX_ESCAPES`].
fn assert_escapes_only(bib: &str) {
    for (i, _) in bib.match_indices('\\') {
        let after = &bib[i + 1..];
        assert!(TEX_ESCAPES.iter().any(|e| after.starts_with(e)), "a command at byte {i}: {bib:?}");
    }
}

/// Panics when `field` holds a TeX special character not escaped.
fn assert_no_bare_specials(field: &str) {
    let mut after_backslash = false;
    for (i, c) in field.char_indices() {
        if matches!(c, '#' | '$' | '%' | '&' | '_' | '^' | '~' | '<' | '>') {
            assert!(after_backslash, "a bare {c:?} at byte {i}: {field:?}");
        }
        after_backslash = c == '\\';
    }
}

/// Rendering Markdown and TeX never panics, and no content text becomes markup that runs:
/// no dangerous element, no event-handler attribute, no script URL. Plain text taken without
/// the parser (text with no markup), and a teaser read from the first block only, are what
/// reading the whole text gives.
pub fn render_markdown(data: &[u8]) {
    let s = text(data);
    let md = Markdown::default();
    for html in [md.render(s), md.render_inline(s)] {
        assert_inert(&html);
        assert_tags_allowed(&html);
    }
    // Plain text taken without the parser is what the parser gives.
    assert_eq!(Markdown::plain_text(s), Markdown::parsed_plain_text(s), "{s:?}");
    // A teaser read from the first block only is the start of the whole text's.
    let whole = crate::render::truncate_text(&Markdown::plain_text(s), 280);
    assert_eq!(crate::render::teaser_of(s), whole, "{s:?}");
}

const DANGEROUS_TAGS: &[&str] = &[
    "script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "input", "svg", "frame",
    "frameset", "applet", "template", "textarea", "button",
];

/// The HTML elements the Markdown renderer makes (pulldown-cmark's and syntect's spans); with
/// the MathML of TeX (`markdown::MATHML_ELEMENTS`), any other tag in its output came from
/// source text.
const RENDERED_HTML: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Panics when a `<` in `html` opens a tag that is not one the renderer makes: a `<` from
/// source text (in TeX, in a `\text{…}`) must reach the page escaped.
pub fn assert_tags_allowed(html: &str) {
    for (i, _) in html.match_indices('<') {
        let rest = html[i + 1..].trim_start_matches('/');
        let name: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
        let opens_tag = rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '?');
        let rendered =
            RENDERED_HTML.contains(&name.as_str()) || crate::render::markdown::MATHML_ELEMENTS.contains(&name.as_str());
        assert!(!opens_tag || rendered, "<{name}> from source in {html:?}");
    }
}

/// Panics when `html` holds an element or attribute that could run script.
pub fn assert_inert(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        let name = name.to_ascii_lowercase();
        assert!(!DANGEROUS_TAGS.contains(&name.as_str()), "<{name}> in {html:?}");
        // Attribute names: words followed by `=` outside quoted values.
        let mut in_quote = None;
        let mut word = String::new();
        for c in tag.chars() {
            match (in_quote, c) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => in_quote = Some(c),
                (None, '=') => {
                    let attr = word.to_ascii_lowercase();
                    assert!(!attr.starts_with("on"), "{attr}= in {html:?}");
                    word.clear();
                }
                (None, c) if c.is_whitespace() => word.clear(),
                (None, c) => word.push(c),
            }
        }
        for attr in ["href=\"", "src=\""] {
            if let Some(at) = tag.find(attr) {
                let value = tag[at + attr.len()..].trim_start().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{attr}{scheme} in {html:?}");
                }
            }
        }
        rest = &rest[end.min(rest.len())..];
    }
}
