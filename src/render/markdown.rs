//! Markdown to HTML with pulldown-cmark: CommonMark with tables, footnotes and strikethrough;
//! raw HTML shown as text (content text is text); links limited to safe schemes; TeX between
//! `$…$` / `$$…$$` as MathML; fenced code highlighted by syntect into CSS classes, the syntax
//! set loaded only when a page has code.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::content::tex_cost;
use crate::safe::is_safe_url;

/// The Markdown renderer; one per build, shared by every thread.
#[derive(Default)]
pub struct Markdown {
    syntaxes: OnceLock<SyntaxSet>,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH
}

/// Whether TeX between dollars is rendered as MathML or shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tex {
    Render,
    /// The text's file holds more TeX than papershelf renders for one file
    /// ([`crate::content::MAX_TEX_BYTES`]).
    AsSource,
}

impl Tex {
    /// How the TeX of a paper with `summary` is shown.
    pub fn of(summary: &crate::content::summary::Summary) -> Tex {
        if summary.tex_as_source { Tex::AsSource } else { Tex::Render }
    }
}

impl Markdown {
    /// Renders Markdown blocks to HTML.
    pub fn render(&self, src: &str) -> String {
        self.render_tex(src, Tex::Render)
    }

    /// [`Markdown::render`], with the TeX shown as `tex` says.
    pub fn render_tex(&self, src: &str, tex: Tex) -> String {
        let mut out = String::with_capacity(src.len() * 3 / 2);
        let src = neutralize_html(src);
        let events = self.transform(&src, tex);
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    /// Renders one line of Markdown (a title, a question) as inline HTML, without the
    /// paragraph or other block wrappers.
    pub fn render_inline(&self, src: &str) -> String {
        self.render_inline_tex(src, Tex::Render)
    }

    /// [`Markdown::render_inline`], with the TeX shown as `tex` says.
    pub fn render_inline_tex(&self, src: &str, tex: Tex) -> String {
        // Most titles and questions are plain words: for them the parser's output is the text.
        if !src.contains('\n') && src.trim() == src && is_plain(src) {
            return src.to_string();
        }
        let src = neutralize_html(src);
        let events = self.transform(&src, tex);
        let inline = events.into_iter().filter(|e| match e {
            Event::Start(tag) => is_inline(tag),
            Event::End(tag) => is_inline_end(tag),
            Event::SoftBreak | Event::HardBreak | Event::Rule => false,
            _ => true,
        });
        let mut out = String::with_capacity(src.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut out, inline);
        out
    }

    /// The plain text of Markdown (TeX kept as its source), for teasers and meta tags.
    pub fn plain_text(src: &str) -> String {
        if is_plain(src) {
            return crate::content::one_line(src);
        }
        Self::parsed_plain_text(src)
    }

    /// [`Markdown::plain_text`] through the parser, whatever the text.
    pub(crate) fn parsed_plain_text(src: &str) -> String {
        let mut out = String::with_capacity(src.len());
        for event in Parser::new_ext(src, options()) {
            match event {
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
                Event::InlineMath(t) => out.push_str(&t),
                Event::DisplayMath(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
                _ => {}
            }
        }
        let collapsed: Vec<&str> = out.split_whitespace().collect();
        collapsed.join(" ")
    }

    fn transform<'a>(&self, src: &'a str, tex: Tex) -> Vec<Event<'a>> {
        let mut out = Vec::new();
        // TeX rendered so far: past the budget of one file, the rest is shown as written.
        let mut tex_left = if tex == Tex::Render { crate::content::MAX_TEX_BYTES } else { 0 };
        // While inside a link or image whose URL is refused: the nesting depth left to skip.
        let mut skipping = 0usize;
        let mut code: Option<(String, String)> = None;
        for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
            if skipping > 0 {
                match event {
                    Event::Start(Tag::Link { .. } | Tag::Image { .. }) => skipping += 1,
                    Event::End(TagEnd::Link | TagEnd::Image) => skipping -= 1,
                    _ => {}
                }
                continue;
            }
            if let Some((lang, text)) = code.as_mut() {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        out.push(Event::Html(CowStr::from(self.highlight(lang, text))));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Html(t) | Event::InlineHtml(t) => out.push(Event::Text(t)),
                Event::InlineMath(ref t) | Event::DisplayMath(ref t) if tex_cost(t) > tex_left => {
                    out.push(tex_as_written(t, matches!(event, Event::DisplayMath(_))));
                    tex_left = 0;
                }
                Event::InlineMath(t) => {
                    tex_left -= tex_cost(&t);
                    out.push(Event::InlineHtml(CowStr::from(math(&restore_html(&t), false))));
                }
                Event::DisplayMath(t) => {
                    tex_left -= tex_cost(&t);
                    out.push(Event::Html(CowStr::from(math(&restore_html(&t), true))));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                    if !is_link_target(dest_url) =>
                {
                    // Not a URL we publish (`javascript:`, or text such as `[1109,9,14](8,13)`):
                    // show the source as written, every character of it.
                    out.push(Event::Text(CowStr::from(restore_html(&src[range]).into_owned())));
                    skipping = 1;
                }
                other => out.push(other),
            }
        }
        out
    }

    fn highlight(&self, lang: &str, code: &str) -> String {
        let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(lang)) };
        let body = if lang.is_empty() {
            escape(code)
        } else {
            let set = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
            match set.find_syntax_by_token(lang) {
                Some(syntax) => {
                    let mut html = ClassedHTMLGenerator::new_with_class_style(
                        syntax,
                        set,
                        ClassStyle::SpacedPrefixed { prefix: "hl-" },
                    );
                    let ok = LinesWithEndings::from(code)
                        .all(|line| html.parse_html_for_line_which_includes_newline(line).is_ok());
                    if ok { html.finalize() } else { escape(code) }
                }
                None => escape(code),
            }
        };
        format!("<pre class=\"hl-code\"><code{class}>{body}</code></pre>\n")
    }
}

/// Whether `src` has nothing Markdown reads as markup, so that its rendering is its text:
/// letters, digits, spaces and punctuation with no Markdown meaning (no `* _ ` [ ] < > & \\ $ ~
/// | # !`), each line starting with a letter, a quote or a parenthesis (not a list, heading,
/// quote, table or code marker) after at most three spaces.
fn is_plain(src: &str) -> bool {
    let bytes = src.as_bytes();
    // A carriage return alone ends a line for Markdown but not for `str::lines`.
    let lone_cr = bytes.iter().enumerate().any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    !lone_cr
        && bytes.iter().all(|&b| !b.is_ascii() || b.is_ascii_alphanumeric() || b" \n\r,.;:?'\"()/%=+-".contains(&b))
        && src.lines().all(|line| {
            let text = line.trim_start_matches(' ');
            if line.len() - text.len() > 3 {
                return text.trim().is_empty();
            }
            text.chars().next().is_none_or(|c| c.is_alphabetic() || matches!(c, '(' | '"' | '\''))
        })
}

/// Undoes [`neutralize_html`] in source text the parser hands over as written (TeX, a refused
/// link shown as typed), so that its `<` is escaped once, not twice.
fn restore_html(src: &str) -> std::borrow::Cow<'_, str> {
    if src.contains("&lt;") {
        std::borrow::Cow::Owned(src.replace("&lt;", "<"))
    } else {
        std::borrow::Cow::Borrowed(src)
    }
}

/// Writes every `<` outside code as `&lt;`, so text such as `<script>…` or `<think>` can
/// never open a raw HTML block, which would swallow the Markdown and TeX after it on its
/// line. The output shows the same characters; autolinks (`<https://…>`) are kept.
fn neutralize_html(src: &str) -> std::borrow::Cow<'_, str> {
    if !src.contains('<') {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len() + 16);
    let mut fence: Option<String> = None;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if indent <= 3 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let marker: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
            fence = Some(marker);
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find(['`', '<']) {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if rest.starts_with('<') {
                let autolink = rest[1..].starts_with("http://") || rest[1..].starts_with("https://");
                out.push_str(if autolink { "<" } else { "&lt;" });
                rest = &rest[1..];
            } else {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let ticks = &rest[..run];
                match rest[run..].find(ticks) {
                    Some(end) => {
                        out.push_str(&rest[..run + end + run]);
                        rest = &rest[run + end + run..];
                    }
                    None => {
                        out.push_str(ticks);
                        rest = &rest[run..];
                    }
                }
            }
        }
        out.push_str(rest);
    }
    std::borrow::Cow::Owned(out)
}

/// True for link targets worth publishing: http(s) URLs, and relative ones that look like
/// paths (not text such as `8,13` that only happens to follow brackets).
fn is_link_target(url: &str) -> bool {
    if !is_safe_url(url) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || (!url.contains([',', ' ']) && (url.starts_with(['/', '#', '.']) || url.contains(['/', '.'])))
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The deepest nesting of groups TeX is rendered at; real formulas stay under 10.
const MAX_TEX_DEPTH: usize = 64;

/// How deep `{…}`, `\left…\right` and `\begin…\end` nest in `tex` (escaped braces ignored).
fn tex_depth(tex: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut bytes = tex.as_bytes().iter().enumerate();
    while let Some((i, &b)) = bytes.next() {
        match b {
            b'\\' => {
                let rest = &tex[i + 1..];
                let command = |name: &str| {
                    rest.strip_prefix(name).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphabetic()))
                };
                if command("left") || command("begin") {
                    depth += 1;
                } else if command("right") || command("end") {
                    depth = depth.saturating_sub(1);
                } else {
                    bytes.next();
                }
            }
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// TeX past the budget, as written: marked as code when long enough for the mark to cost
/// little, else plain text, so that each byte of it costs about one byte of page.
fn tex_as_written(tex: &str, display: bool) -> Event<'static> {
    let delim = if display { "$$" } else { "$" };
    let tex = restore_html(tex);
    if tex.len() >= 64 {
        Event::InlineHtml(CowStr::from(format!("<code class=\"math-error\">{delim}{}{delim}</code>", escape(&tex))))
    } else {
        Event::Text(CowStr::from(format!("{delim}{tex}{delim}")))
    }
}

/// TeX to MathML that needs no script or font; TeX that does not parse stays visible as code.
/// Every piece of the TeX that reaches the MathML (text, numbers, names, the annotation) is
/// escaped, and the MathML is then held to [`allow_listed`]: only the elements and attributes
/// the writer makes, so no renderer bug can put markup of the source on a page.
fn math(tex: &str, display: bool) -> String {
    use pulldown_latex::config::DisplayMode;
    use pulldown_latex::{Parser as TexParser, RenderConfig, Storage, push_mathml};
    let as_source = || {
        let delim = if display { "$$" } else { "$" };
        format!("<code class=\"math-error\">{delim}{}{delim}</code>", escape(tex))
    };
    let storage = Storage::new();
    // The TeX parser's time grows with the square of the nesting depth: past any real
    // formula's depth, the TeX is shown as written.
    if tex_depth(tex) > MAX_TEX_DEPTH {
        return as_source();
    }
    let rewritten = text_styles(tex);
    let events: Vec<_> = TexParser::new(&rewritten, &storage).collect();
    if events.iter().any(Result::is_err) {
        return as_source();
    }
    let escaped: Vec<Option<String>> = events.iter().map(|e| e.as_ref().ok().and_then(escaped_content)).collect();
    let events = events.into_iter().zip(&escaped).map(|(event, escaped)| match (event, escaped) {
        (Ok(pulldown_latex::Event::Content(content)), Some(text)) => {
            Ok(pulldown_latex::Event::Content(with_text(content, text)))
        }
        (event, _) => event,
    });
    let annotation = escape(tex);
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    match push_mathml(&mut out, events, config) {
        Ok(()) => allow_listed(&out).unwrap_or_else(as_source),
        Err(_) => as_source(),
    }
}

/// The text-style commands pulldown-latex lacks (`\\textbf`, `\\textit`, `\\emph`, `\\texttt`,
/// `\\textrm`, `\\textsf`, `\\textup`), rewritten to forms it has: each run of letters and
/// digits of their plain text in the matching math alphabet (`\\mathbf{Only}`), everything
/// else as `\\text{-}`, so the words keep their style and their spaces and hyphens. A command
/// whose argument holds braces or commands is left as written (and shown as TeX).
fn text_styles(tex: &str) -> std::borrow::Cow<'_, str> {
    const STYLES: [(&str, Option<&str>); 7] = [
        ("textbf", Some("mathbf")),
        ("textit", Some("mathit")),
        ("emph", Some("mathit")),
        ("texttt", Some("mathtt")),
        ("textsf", Some("mathsf")),
        ("textrm", None),
        ("textup", None),
    ];
    if !tex.contains("\\text") && !tex.contains("\\emph") {
        return tex.into();
    }
    let mut out = String::with_capacity(tex.len() + 16);
    let mut rest = tex;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let style = STYLES.iter().find(|(name, _)| *name == &after[..name_len]);
        let arg = after[name_len..].strip_prefix('{').and_then(|a| a.find('}').map(|end| &a[..end]));
        match (style, arg) {
            (Some((_, alphabet)), Some(text)) if !text.contains(['{', '\\']) => {
                styled(&mut out, text, *alphabet);
                rest = &after[name_len + text.len() + 2..];
            }
            _ => {
                let skip = 1 + name_len.max(after.chars().next().map_or(0, char::len_utf8));
                out.push_str(&rest[at..at + skip]);
                rest = &rest[at + skip..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// `text` as runs of `\\<alphabet>{letters}` and `\\text{other}` (all `\\text` without one).
fn styled(out: &mut String, text: &str, alphabet: Option<&str>) {
    let Some(alphabet) = alphabet else {
        out.push_str(&format!("\\text{{{text}}}"));
        return;
    };
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let word = c.is_ascii_alphanumeric();
        let mut end = start;
        while let Some(&(i, c)) = chars.peek().filter(|(_, c)| c.is_ascii_alphanumeric() == word) {
            end = i + c.len_utf8();
            chars.next();
        }
        let run = &text[start..end];
        if word {
            out.push_str(&format!("\\{alphabet}{{{run}}}"));
        } else {
            out.push_str(&format!("\\text{{{run}}}"));
        }
    }
}

/// The escaped form of a TeX event's text (`\text{…}`, a number, an operator name), when it
/// has a character HTML reads as markup.
fn escaped_content(event: &pulldown_latex::Event<'_>) -> Option<String> {
    use pulldown_latex::event::Content;
    match event {
        pulldown_latex::Event::Content(Content::Text(t) | Content::Number(t) | Content::Function(t))
            if t.contains(['&', '<', '>', '"']) =>
        {
            Some(escape(t))
        }
        _ => None,
    }
}

/// `content` with its text replaced by `text` (its escaped form).
fn with_text<'a>(content: pulldown_latex::event::Content<'a>, text: &'a str) -> pulldown_latex::event::Content<'a> {
    use pulldown_latex::event::Content;
    match content {
        Content::Text(_) => Content::Text(text),
        Content::Number(_) => Content::Number(text),
        Content::Function(_) => Content::Function(text),
        other => other,
    }
}

/// The MathML elements papershelf publishes: those pulldown-latex writes.
pub(crate) const MATHML_ELEMENTS: &[&str] = &[
    "annotation",
    "math",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "semantics",
];

/// The attributes papershelf publishes on them (no event handler, no URL).
const MATHML_ATTRIBUTES: &[&str] = &[
    "accent",
    "class",
    "columnalign",
    "depth",
    "display",
    "displaystyle",
    "encoding",
    "fence",
    "form",
    "height",
    "largeop",
    "linethickness",
    "lspace",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "rspace",
    "scriptlevel",
    "separator",
    "stretchy",
    "style",
    "symmetric",
    "voffset",
    "width",
    "xmlns",
];

/// `mathml` when every tag in it is an allowed element with allowed, quoted attributes and
/// every `<` opens such a tag; its stray `>` and `&` (a TeX `<` relation, `\&`) escaped.
/// `None` when something else is there: the caller shows the TeX as written.
pub(crate) fn allow_listed(mathml: &str) -> Option<String> {
    let mut out = String::with_capacity(mathml.len() + 16);
    let mut rest = mathml;
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match tag_len(rest) {
                Some(len) => out.push_str(&rest[..len]),
                None if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') => {
                    return None;
                }
                None => out.push_str("&lt;"),
            }
            rest = &rest[tag_len(rest).unwrap_or(1)..];
        } else if rest.starts_with('>') {
            out.push_str("&gt;");
            rest = &rest[1..];
        } else {
            let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].into_iter().find(|e| rest.starts_with(e));
            out.push_str(entity.unwrap_or("&amp;"));
            rest = &rest[entity.map_or(1, str::len)..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The length of the allowed tag `s` starts with: `<name attr="value"…>`, `<name …/>` or
/// `</name>`, with every name in the allow-lists and no `<`, `>` or `"` inside a value.
fn tag_len(s: &str) -> Option<usize> {
    let name_of = |t: &str| t.find(|c: char| !c.is_ascii_alphanumeric()).map_or(t.len(), |n| n);
    if let Some(t) = s.strip_prefix("</") {
        let n = name_of(t);
        return (MATHML_ELEMENTS.contains(&&t[..n]) && t[n..].starts_with('>')).then_some(n + 3);
    }
    let t = &s[1..];
    let n = name_of(t);
    if !MATHML_ELEMENTS.contains(&&t[..n]) {
        return None;
    }
    let mut at = 1 + n;
    loop {
        let rest = &s[at..];
        if rest.starts_with('>') {
            return Some(at + 1);
        }
        if let Some(close) = ["/>", " />"].into_iter().find(|c| rest.starts_with(c)) {
            return Some(at + close.len());
        }
        let attr = rest.strip_prefix(' ')?;
        let name = attr.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(attr.len(), |n| n);
        let value = attr[name..].strip_prefix("=\"")?;
        let end = value.find(['"', '<', '>'])?;
        if !MATHML_ATTRIBUTES.contains(&&attr[..name]) || !value[end..].starts_with('"') {
            return None;
        }
        at += 1 + name + 2 + end + 1;
    }
}

/// Escapes text for HTML element content and attribute values. Copies runs of plain text
/// whole: Tera calls this for every printed value, so it is on the hottest path of a build.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_runs(text, |run| out.push_str(run));
    out
}

/// Hands `text` to `emit` in runs: unchanged stretches as they are, and each of `& < > " '`
/// as its entity.
pub fn escape_runs(text: &str, mut emit: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        emit(&text[start..i]);
        emit(replacement);
        start = i + 1;
    }
    emit(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        Markdown::default().render(s)
    }

    #[test]
    fn text_style_commands_render_as_styled_math() {
        let html = Markdown::default().render_inline_tex(r"$\textbf{Only-IF}$: Revealing", Tex::Render);
        assert!(!html.contains("math-error"), "{html}");
        assert!(html.contains("<mi>𝐎</mi>") && html.contains("<mtext>-</mtext>"), "{html}");
        for tex in [
            r"\textit{a b}",
            r"\emph{x}",
            r"\texttt{x y}",
            r"\mathrm{Only-IF}",
            r"\textrm{a}",
            r"\textsf{a}",
            r"x + \textbf{1}",
        ] {
            let html = math(tex, false);
            assert!(!html.contains("math-error"), "{tex}: {html}");
            // The annotation keeps the TeX as written.
            assert!(
                html.contains(&format!("<annotation encoding=\"application/x-tex\">{}</annotation>", escape(tex))),
                "{html}"
            );
        }
        assert_eq!(text_styles(r"\textbf{a{b}} \alpha \{"), r"\textbf{a{b}} \alpha \{");
        assert_eq!(text_styles(r"\textit{Ab 1}\"), r"\mathit{Ab}\text{ }\mathit{1}\");
    }

    #[test]
    fn raw_html_is_text() {
        let html = md("A <script>alert(1)</script> and <think> tag");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("&lt;think&gt;"), "{html}");
    }

    #[test]
    fn html_blocks_cannot_swallow_markdown() {
        let m = Markdown::default();
        let html = m.render_inline("<script>alert(1)</script> Free$^2$Guide *x* `<time>`");
        assert!(html.starts_with("&lt;script&gt;alert(1)&lt;/script&gt; Free<math"), "{html}");
        assert!(html.contains("<em>x</em> <code>&lt;time&gt;</code>"), "{html}");
        let block = md("<div>\n\n```\n<b>\n```\n");
        assert!(block.contains("&lt;div&gt;") && block.contains("<code>&lt;b&gt;\n</code>"), "{block}");
    }

    #[test]
    fn unsafe_links_become_text() {
        let html = md("[click](javascript:alert(1)) and [ok](https://x.org) and [1109,9,14](8,13)");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains("[click](javascript:alert(1))"), "the text is kept: {html}");
        assert!(html.contains("[1109,9,14](8,13)"), "{html}");
        assert!(html.contains("<a href=\"https://x.org\">ok</a>"), "{html}");
    }

    #[test]
    fn less_than_in_tex_and_refused_links_is_escaped_once() {
        let html = md("We get $p < 0.05$ and [a <b>](javascript:alert('<x>')) and $\\frac{<$.");
        assert!(html.contains("<math") && !html.contains("&amp;lt;"), "{html}");
        assert!(html.contains("[a &lt;b&gt;](javascript:alert('&lt;x&gt;'))"), "{html}");
        assert!(html.contains("$\\frac{&lt;$"), "{html}");
    }

    #[test]
    fn deep_tex_is_shown_as_text_at_once() {
        for deep in
            [format!("${}x{}$", "{".repeat(20_000), "}".repeat(20_000)), format!("${}x$", "\\left(".repeat(5_000))]
        {
            let started = std::time::Instant::now();
            let html = md(&deep);
            assert!(html.contains("math-error"), "shown as TeX source");
            assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
        }
        assert_eq!(tex_depth("\\leftarrow \\leftarrow {a}"), 1);
        assert_eq!(tex_depth("\\left( {\\{ x \\} } \\right)"), 2);
    }

    #[test]
    fn tex_never_becomes_markup() {
        let m = Markdown::default();
        for src in [
            "Math $x<img src=x onerror=alert(1)>y$ here",
            "$\\text{<b>bold</b><img src=x onerror=alert(1)>}$",
            "$$x<script>alert(1)</script>$$",
            "$\\text{</math><script>alert(1)</script>}$",
            "$\\operatorname{<svg/onload=alert(1)>}$",
            "$\\mathbf{<i>}$ $\\& a<b>c$",
        ] {
            for html in [m.render(src), m.render_inline(src)] {
                crate::fuzz_checks::assert_inert(&html);
                crate::fuzz_checks::assert_tags_allowed(&html);
                assert!(!html.contains("<img") && !html.contains("<b>") && !html.contains("<script"), "{html}");
            }
        }
        let html = m.render_inline("Math $x<img src=x onerror=alert(1)>y$ here");
        assert!(
            html.contains(
                "<annotation encoding=\"application/x-tex\">x&lt;img src=x onerror=alert(1)&gt;y</annotation>"
            ),
            "{html}"
        );
        assert!(html.contains("<mo>&lt;</mo>"), "{html}");
        let text = m.render_inline("$\\text{<b>}$");
        assert!(text.contains("<mtext>&lt;b&gt;</mtext>"), "{text}");
    }

    #[test]
    fn mathml_is_held_to_its_allow_list() {
        let ok = "<math display=\"inline\"><mrow><mo stretchy=\"false\"><</mo><mspace width=\"1em\" /></mrow></math>";
        assert_eq!(allow_listed(ok).unwrap(), ok.replace("\"><</mo>", "\">&lt;</mo>"));
        for bad in [
            "<math><img src=x onerror=alert(1)></math>",
            "<math><mi onclick=\"alert(1)\">x</mi></math>",
            "<math><mi style=\"a\" x>y</mi></math>",
            "<math><a href=\"javascript:alert(1)\">x</a></math>",
            "<math><!-- x --></math>",
        ] {
            assert_eq!(allow_listed(bad), None, "{bad}");
        }
        assert_eq!(allow_listed("<mi>&amp;&lt;&</mi>").unwrap(), "<mi>&amp;&lt;&amp;</mi>");
    }

    #[test]
    fn tex_past_the_budget_is_shown_as_written() {
        let m = Markdown::default();
        let src = " $x$ b".repeat(crate::content::MAX_TEX_BYTES / 4);
        let html = m.render(&src);
        let formulas = html.matches("<math").count();
        assert!(formulas > 1000 && formulas <= crate::content::MAX_TEX_BYTES, "{formulas} rendered");
        assert!(html.ends_with("$x$ b</p>\n"), "the rest is text: {}", &html[html.len() - 40..]);
        assert!(html.len() < 32 * src.len(), "{} bytes of HTML from {}", html.len(), src.len());
        let source = m.render_tex(&src, Tex::AsSource);
        assert!(!source.contains("<math") && source.len() < src.len() + 16, "{}", source.len());
    }

    #[test]
    fn tex_is_mathml_and_lone_dollars_are_text() {
        let html = md("LLM$\\times$MapReduce costs about $5 per run; Earn $1 Million");
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("about $5 per run; Earn $1 Million"), "{html}");
        let display = md("$$x^2$$");
        assert!(display.contains("display=\"block\""), "{display}");
    }

    #[test]
    fn inline_rendering_has_no_paragraph() {
        let m = Markdown::default();
        assert_eq!(m.render_inline("A *b* `c`"), "A <em>b</em> <code>c</code>");
        assert_eq!(m.render_inline("<think> before"), "&lt;think&gt; before");
        assert!(m.render_inline("Free$^2$Guide").contains("<math"));
    }

    #[test]
    fn fenced_code_is_highlighted_into_classes() {
        let html = md("```python\ndef f():\n    return 1\n```\n");
        assert!(html.contains("<pre class=\"hl-code\"><code class=\"language-python\">"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        let plain = md("```\n<b>x</b>\n```\n");
        assert!(plain.contains("&lt;b&gt;x&lt;/b&gt;"), "{plain}");
    }

    #[test]
    fn backslash_escapes_and_tables() {
        assert!(md("Mask\\_IoU \\& co").contains("Mask_IoU &amp; co"));
        assert!(md("| a | b |\n|---|---|\n| 1 | 2 |\n").contains("<table>"));
    }

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape("a<b>&\"c'd é"), "a&lt;b&gt;&amp;&quot;c&#39;d é");
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn plain_text_skips_the_parser_only_where_it_would_change_nothing() {
        let md = Markdown::default();
        for src in [
            "Plain words, with (some) punctuation: 3.5% of 1/2; \"quoted\" and 'single' = x + y - z?",
            "Two lines\nof text\r\n\n  and a paragraph   with  spaces ",
            "Émile Zoé naïve Ünïcödé 数学 —  dashes",
            "- a list\n- of items",
            "1. numbered\n2. list",
            "2024. A year",
            "Title\n=====",
            "Title\n---",
            "    indented code",
            "# heading",
            "> quote",
            "*emphasis* and _this_ and `code` and [a](b) and <x> and &amp; and $x$ and ~~y~~ and a | b",
            "back\\slash",
            "line  \nbreak",
            "Results improve\r- by 5%",
            "A\r===",
            "Windows\r\nline ends",
        ] {
            assert_eq!(Markdown::plain_text(src), Markdown::parsed_plain_text(src), "{src:?}");
            let one_line = src.lines().next().unwrap_or("").trim();
            let parsed = {
                let src = neutralize_html(one_line);
                let inline = md.transform(&src, Tex::Render).into_iter().filter(|e| match e {
                    Event::Start(tag) => is_inline(tag),
                    Event::End(tag) => is_inline_end(tag),
                    Event::SoftBreak | Event::HardBreak | Event::Rule => false,
                    _ => true,
                });
                let mut out = String::new();
                pulldown_cmark::html::push_html(&mut out, inline);
                out
            };
            assert_eq!(md.render_inline(one_line), parsed, "{one_line:?}");
        }
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(Markdown::plain_text("A **b**\n\nc `d` <e>"), "A b c d <e>");
    }
}
