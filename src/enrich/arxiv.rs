//! The arXiv query API (`/api/query?id_list=…`): the URL of a batch, and its Atom answer
//! parsed with quick-xml into one [`ArxivPart`] per paper. The answer's traps are handled here:
//! the feed's own `<title>`, `<id>` and `<link>` come before the entries; titles and
//! abstracts are hard-wrapped; a malformed id is answered with HTTP 200 and an entry titled
//! "Error" (whose id is `http://arxiv.org/api/errors#…`); an id arXiv does not know is simply
//! absent; entries come in any order. Each paper is checked as it is read
//! ([`super::limits::check_arxiv`]): a date that is not one is dropped, lists and texts bounded.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::store::ArxivPart;

/// The most ids one request asks for (arXiv's own advice for `id_list` batches).
pub const BATCH: usize = 100;

/// What one answer holds.
#[derive(Debug, Default, PartialEq)]
pub struct Feed {
    /// Each paper with its id (without version).
    pub papers: Vec<(String, ArxivPart)>,
    /// Error entries: arXiv's message ("incorrect id format for 2410.1625").
    pub errors: Vec<String>,
    /// What was dropped or cut of a paper ([`super::limits`]): its id and what.
    pub warnings: Vec<(String, String)>,
}

/// The URL asking for `ids`: `max_results` is given, since arXiv's default (10) would cut a
/// larger batch short.
pub fn query_url(base: &str, ids: &[String]) -> String {
    format!("{base}?id_list={}&max_results={}", ids.join(","), ids.len())
}

/// The id an Error entry complains about, when it names one of `asked`.
pub fn id_in_error<'a>(message: &str, asked: &'a [String]) -> Option<&'a String> {
    let last = message.split_whitespace().last()?;
    asked.iter().find(|id| id.as_str() == last)
}

/// An entry as read, before it is known to be a paper or an error.
#[derive(Default)]
struct Raw {
    id: String,
    title: String,
    part: ArxivPart,
}

/// Parses an answer of the query API.
pub fn parse(xml: &str) -> Result<Feed, String> {
    let mut reader = Reader::from_str(xml);
    let mut feed = Feed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut entry: Option<Raw> = None;
    let mut is_feed = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the answer is not valid XML (at byte {}): {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let name = local_name(&e);
                is_feed |= name == "feed";
                if name == "entry" {
                    entry = Some(Raw::default());
                } else if let Some(raw) = entry.as_mut() {
                    attributes(raw, &name, &e);
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                if let Some(raw) = entry.as_mut() {
                    attributes(raw, &local_name(&e), &e);
                }
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::CData(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) => text.push_str(&resolve(&r)?),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if name == "entry" {
                    finish(entry.take(), &mut feed);
                } else if let Some(raw) = entry.as_mut() {
                    field(raw, &name, stack.last().map(String::as_str), &text);
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !is_feed {
        return Err("the answer is not an Atom feed".into());
    }
    Ok(feed)
}

fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The text of an entity or character reference (`&amp;`, `&#233;`).
fn resolve(r: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|e| e.to_string())?;
    quick_xml::escape::resolve_xml_entity(&name)
        .map(str::to_string)
        .ok_or_else(|| format!("the answer uses an unknown entity &{name};"))
}

/// Attributes that carry data: the categories' `term`, the DOI link.
fn attributes(raw: &mut Raw, name: &str, e: &BytesStart<'_>) {
    let attr = |key: &str| -> Option<String> {
        let a = e.try_get_attribute(key).ok().flatten()?;
        a.unescape_value().ok().map(Cow::into_owned)
    };
    match name {
        "primary_category" => raw.part.primary_category = attr("term"),
        "category" => {
            if let Some(term) = attr("term").filter(|t| !t.is_empty() && !raw.part.categories.contains(t)) {
                raw.part.categories.push(term);
            }
        }
        "link" if attr("title").as_deref() == Some("doi") && raw.part.doi.is_none() => {
            raw.part.doi = attr("href").map(|h| h.trim_start_matches("http://dx.doi.org/").to_string());
        }
        _ => {}
    }
}

/// The text of an element inside an entry.
fn field(raw: &mut Raw, name: &str, parent: Option<&str>, text: &str) {
    let value = crate::content::one_line(text);
    let some = || Some(value.clone()).filter(|v| !v.is_empty());
    match name {
        "id" if parent == Some("entry") => raw.id = value,
        "title" => raw.title = value,
        "summary" => raw.part.abstract_text = some(),
        "published" => raw.part.published = some(),
        "updated" => raw.part.updated = some(),
        "name" if parent == Some("author") && !value.is_empty() => raw.part.authors.push(value),
        "comment" => raw.part.comment = some(),
        "journal_ref" => raw.part.journal_ref = some(),
        "doi" => raw.part.doi = some(),
        _ => {}
    }
}

/// A finished entry: a paper, or an error.
fn finish(raw: Option<Raw>, feed: &mut Feed) {
    let Some(mut raw) = raw else { return };
    if raw.id.contains("arxiv.org/api/errors") || raw.title == "Error" && raw.part.authors.is_empty() {
        let message = raw.part.abstract_text.unwrap_or_else(|| raw.id.clone());
        feed.errors.push(message);
        return;
    }
    let Some((_, versioned)) = raw.id.split_once("/abs/") else {
        feed.errors.push(format!("an entry without an arXiv id ({:?})", raw.id));
        return;
    };
    let id = crate::arxiv::base_id(versioned).to_string();
    raw.part.version =
        versioned.strip_prefix(id.as_str()).and_then(|v| v.strip_prefix('v')).and_then(|v| v.parse().ok());
    raw.part.title = raw.title;
    // The primary category first, the others in the order arXiv lists them.
    if let Some(primary) = &raw.part.primary_category {
        raw.part.categories.retain(|c| c != primary);
        raw.part.categories.insert(0, primary.clone());
    }
    // Checked here, as it came: a date that is not one is dropped, long lists and texts cut.
    for problem in super::limits::check_arxiv(&mut raw.part) {
        feed.warnings.push((id.clone(), problem.message));
    }
    feed.papers.push((id, raw.part));
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D2410.16256%26start%3D0%26max_results%3D1" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=2410.16256&amp;start=0&amp;max_results=1</title>
  <id>http://arxiv.org/api/X4dGwTvMPx0uS2J0dlyGRq/Wa0A</id>
  <updated>2024-10-23T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2410.16256v1</id>
    <updated>2024-10-21T17:56:51Z</updated>
    <published>2024-10-21T17:56:51Z</published>
    <title>CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and
  Evolution</title>
    <summary>  Efficient and accurate evaluation is crucial &amp; the $x$ of
&lt;b&gt;models&lt;/b&gt;.
</summary>
    <author>
      <name>Maosong Cao</name>
      <arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Shanghai AI Laboratory</arxiv:affiliation>
    </author>
    <author>
      <name>Kai Chen</name>
    </author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1000/xyz</arxiv:doi>
    <link title="doi" href="http://dx.doi.org/10.1000/xyz" rel="related"/>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">Technical Report, Code and Models:
  https://github.com/open-compass/CompassJudger</arxiv:comment>
    <link href="http://arxiv.org/abs/2410.16256v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2410.16256v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="I.2.7" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"#;

    #[test]
    fn an_entry_is_read_whole_and_unwrapped() {
        let feed = parse(ANSWER).unwrap();
        assert!(feed.errors.is_empty());
        let [(id, p)] = feed.papers.as_slice() else { panic!("{feed:?}") };
        assert_eq!(id, "2410.16256");
        assert_eq!(p.version, Some(1));
        assert_eq!(p.title, "CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and Evolution");
        assert_eq!(p.authors, ["Maosong Cao", "Kai Chen"]);
        assert_eq!(
            p.abstract_text.as_deref(),
            Some("Efficient and accurate evaluation is crucial & the $x$ of <b>models</b>.")
        );
        assert_eq!(p.published.as_deref(), Some("2024-10-21"));
        assert_eq!(p.categories, ["cs.CL", "cs.AI", "I.2.7"]);
        assert_eq!(p.primary_category.as_deref(), Some("cs.CL"));
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(
            p.comment.as_deref(),
            Some("Technical Report, Code and Models: https://github.com/open-compass/CompassJudger")
        );
    }

    #[test]
    fn a_hostile_entry_is_bounded_and_its_bad_date_dropped() {
        let authors = "<author><name>A</name></author>".repeat(6_000);
        let xml = ANSWER
            .replace("<published>2024-10-21T17:56:51Z", "<published>2024-10-21&lt;script&gt;")
            .replace("<author>\n      <name>Maosong Cao</name>", &format!("{authors}<author><name>Maosong Cao</name>"));
        let feed = parse(&xml).unwrap();
        let [(_, p)] = feed.papers.as_slice() else { panic!("{feed:?}") };
        assert_eq!(p.published, None);
        assert_eq!(p.updated.as_deref(), Some("2024-10-21"));
        assert_eq!(p.authors.len(), super::super::limits::MAX_AUTHORS);
        let warnings: Vec<&str> = feed
            .warnings
            .iter()
            .map(|(id, w)| {
                assert_eq!(id, "2410.16256");
                w.as_str()
            })
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("\"2024-10-21<script>\" is not a date"), "{warnings:?}");
        assert!(warnings[1].contains("6002 items: the first 5000 are kept"), "{warnings:?}");
    }

    #[test]
    fn an_error_entry_is_an_error() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D2410.1625" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=2410.1625</title>
  <id>http://arxiv.org/api/kVlIboofRz2V2LVbDdNyRDCLUEY</id>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_2410.1625</id>
    <title>Error</title>
    <summary>incorrect id format for 2410.1625</summary>
    <updated>2024-10-23T00:00:00-04:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_2410.1625" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>"#;
        let feed = parse(xml).unwrap();
        assert!(feed.papers.is_empty());
        assert_eq!(feed.errors, ["incorrect id format for 2410.1625"]);
        let asked = vec!["2410.16256".to_string(), "2410.1625".to_string()];
        assert_eq!(id_in_error(&feed.errors[0], &asked), Some(&asked[1]));
    }

    #[test]
    fn other_answers_are_refused() {
        assert!(parse("Rate exceeded.").is_err());
        assert!(parse("<html><body>Bad gateway</body>").is_err());
        assert!(parse("<feed><entry></feed>").is_err());
        let empty = parse(r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>"#).unwrap();
        assert_eq!(empty, Feed::default());
    }
}
