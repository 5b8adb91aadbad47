//! The table-digest reader: a published digest (`## Papers for YYYY-MM-DD` and a Markdown table
//! `| Title | Authors | Summary |`, optionally with a `Link` column) read as it is, into rows.
//! Handles every variant of the public archive: link styles, titles broken across lines, empty
//! cells, unescaped `|` in summaries, escaped `\|`, CRLF line ends and a UTF-8 BOM.

use chrono::NaiveDate;

/// One digest file: its day and its rows, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDigest {
    pub date: NaiveDate,
    pub rows: Vec<Row>,
}

/// One table row: one paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line of the row's first line in the file.
    pub line: usize,
    pub title: String,
    pub authors: Vec<String>,
    pub arxiv: Option<String>,
    /// Named links other than the arXiv abstract (e.g. `huggingface`).
    pub links: Vec<(String, String)>,
    pub summary: String,
}

/// A problem in a digest, at a 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// True when `text` looks like a table digest: it has a `## Papers for` heading.
pub fn is_table_digest(text: &str) -> bool {
    text.lines().any(|l| heading_date(l).is_some())
}

fn heading_date(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("##")?.trim_start();
    let rest = rest.strip_prefix("Papers for")?;
    Some(rest.trim())
}

#[derive(Clone, Copy)]
struct Columns {
    count: usize,
    title: usize,
    authors: usize,
    summary: usize,
    link: Option<usize>,
}

/// Reads a whole digest. Rows with problems are reported and skipped; the others are kept.
pub fn parse(text: &str) -> (Option<TableDigest>, Vec<TableError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut date = None;
    let mut columns: Option<Columns> = None;
    let mut rows = Vec::new();
    // The row being gathered: its first line number and its text so far.
    let mut pending: Option<(usize, String)> = None;
    let mut lines = text.split('\n').enumerate().peekable();

    while let Some((index, raw)) = lines.next() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if date.is_none() {
            match heading(line, line_no) {
                Ok(d) => date = d,
                Err(e) => return (None, vec![e]),
            }
            continue;
        }
        let Some(cols) = columns else {
            if line.trim_start().starts_with('|') {
                match header_columns(line) {
                    Some(c) => columns = Some(c),
                    None => return (None, vec![no_columns(line_no)]),
                }
                // The delimiter row follows the header.
                if lines.peek().is_some_and(|(_, l)| is_delimiter(l)) {
                    lines.next();
                }
            }
            continue;
        };
        if line.trim_start().starts_with('|') {
            if let Some((start, text)) = pending.take() {
                push_row(&mut rows, &mut errors, start, &text, cols);
            }
            pending = Some((line_no, line.trim().to_string()));
        } else if line.trim().is_empty() || line.trim_start().starts_with('#') {
            if let Some((start, text)) = pending.take() {
                push_row(&mut rows, &mut errors, start, &text, cols);
            }
            if line.trim_start().starts_with('#') {
                break;
            }
        } else if let Some((_, text)) = pending.as_mut() {
            // A title broken across lines: the break is a space.
            text.push(' ');
            text.push_str(line.trim());
        }
    }
    if let Some((start, text)) = pending.take() {
        push_row(&mut rows, &mut errors, start, &text, columns.expect("rows only after header"));
    }

    let Some(date) = date else {
        errors.push(TableError {
            line: 1,
            message: "no `## Papers for YYYY-MM-DD` heading".into(),
            hint: "a table digest starts with `## Papers for YYYY-MM-DD`; a paper file starts with `+++` front matter"
                .into(),
        });
        return (None, errors);
    };
    if columns.is_none() {
        errors.push(TableError {
            line: 1,
            message: "the digest has a heading but no table".into(),
            hint: "add the table header `| Title | Authors | Summary |` and its `|---|---|---|` row".into(),
        });
    }
    (Some(TableDigest { date, rows }), errors)
}

/// The date of a `## Papers for YYYY-MM-DD` heading line (none for other lines); an error
/// when the date is not a real one.
fn heading(line: &str, line_no: usize) -> Result<Option<NaiveDate>, TableError> {
    let Some(d) = heading_date(line) else { return Ok(None) };
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(Some).map_err(|_| TableError {
        line: line_no,
        message: format!("invalid date {d:?} in the digest heading"),
        hint: "write the heading as `## Papers for YYYY-MM-DD`, with a real calendar date".into(),
    })
}

fn no_columns(line: usize) -> TableError {
    TableError {
        line,
        message: "the digest table has no Title, Authors and Summary columns".into(),
        hint: "the header row must be `| Title | Authors | Summary |`".into(),
    }
}

fn header_columns(line: &str) -> Option<Columns> {
    let cells = split_cells(line);
    let names: Vec<String> = cells.iter().map(|c| c.trim().to_ascii_lowercase()).collect();
    let find = |n: &str| names.iter().position(|c| c == n);
    let title = find("title")?;
    let authors = find("authors")?;
    let summary = find("summary")?;
    Some(Columns { count: names.len(), title, authors, summary, link: find("link") })
}

fn is_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '\r'))
}

/// Splits a row into its raw cells at every `|` not escaped by a backslash; the leading and
/// trailing pipes of the row are not cells. Escaped pipes are kept escaped here.
fn split_cells(row: &str) -> Vec<&str> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = match row.strip_suffix('|') {
        Some(r) if !r.ends_with('\\') => r,
        _ => row,
    };
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = row.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'|' => {
                cells.push(&row[start..i]);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    cells.push(&row[start.min(row.len())..]);
    cells
}

fn unescape_pipes(cell: &str) -> String {
    cell.trim().replace("\\|", "|")
}

fn push_row(rows: &mut Vec<Row>, errors: &mut Vec<TableError>, line: usize, text: &str, cols: Columns) {
    let cells = split_cells(text);
    if cells.len() < cols.count {
        errors.push(TableError {
            line,
            message: format!("this row has {} cells where the header has {}", cells.len(), cols.count),
            hint: "each row needs `| Title | Authors | Summary |`; write a literal pipe as `\\|`".into(),
        });
        return;
    }
    // Extra cells come from unescaped pipes inside the summary: join them back with the `|`.
    let extra = cells.len() - cols.count;
    let at = |i: usize| if i > cols.summary { i + extra } else { i };
    let summary = cells[cols.summary..=cols.summary + extra].join("|");
    let mut row = Row {
        line,
        title: String::new(),
        authors: unescape_pipes(cells[at(cols.authors)])
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        arxiv: None,
        links: Vec::new(),
        summary: unescape_pipes(&summary),
    };
    let (title, links) = split_title(&unescape_pipes(cells[at(cols.title)]));
    row.title = title;
    let mut all_links = links;
    if let Some(link) = cols.link {
        all_links.extend(markdown_links(cells[at(link)]));
    }
    for (label, url) in all_links {
        if let Some(url) = crate::safe::publishable_url(&url) {
            classify_link(&mut row, &label, &url);
        } else {
            errors.push(TableError {
                line,
                message: format!("the link [{label}] has a URL papershelf will not publish: {url:?}"),
                hint: "links must be http://, https:// or relative URLs".into(),
            });
        }
    }
    if row.arxiv.is_none() {
        // The Hugging Face paper page is named by the arXiv id.
        row.arxiv = row
            .links
            .iter()
            .find(|(name, _)| name == "huggingface")
            .and_then(|(_, url)| id_after(url, "huggingface.co/papers/"))
            .filter(|id| crate::arxiv::is_id(id));
    }
    if row.title.is_empty() {
        errors.push(TableError {
            line,
            message: "this row has an empty title".into(),
            hint: "every paper needs a title in the first cell".into(),
        });
        return;
    }
    rows.push(row);
}

/// Splits a title cell into the title and its trailing "read more" links, in both the
/// `Title (Read more on [arXiv](…) or [HuggingFace](…))` and `Title - read more on …` forms.
fn split_title(cell: &str) -> (String, Vec<(String, String)>) {
    let lower = cell.to_ascii_lowercase();
    let Some(at) = lower.rfind("read more") else {
        return (cell.trim().to_string(), Vec::new());
    };
    let links = markdown_links(&cell[at..]);
    if links.is_empty() {
        return (cell.trim().to_string(), Vec::new());
    }
    let mut title = cell[..at].trim_end();
    if let Some(t) = title.strip_suffix('(') {
        title = t.trim_end();
    } else if let Some(t) = title.strip_suffix(" -").or_else(|| title.strip_suffix(" –")) {
        title = t.trim_end();
    } else if title.ends_with('-') && title.len() > 1 {
        title = title[..title.len() - 1].trim_end();
    }
    (title.to_string(), links)
}

/// Every `[label](url)` in `text`, in order.
fn markdown_links(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let label = &after[..close];
        let tail = &after[close + 2..];
        let Some(end) = tail.find(')') else { break };
        let url = tail[..end].trim();
        if !url.is_empty() && !url.contains(' ') {
            out.push((label.trim().to_string(), url.to_string()));
        }
        rest = &tail[end + 1..];
    }
    out
}

fn classify_link(row: &mut Row, label: &str, url: &str) {
    let lower = url.to_ascii_lowercase();
    if lower.contains("arxiv.org/abs/") || lower.contains("arxiv.org/pdf/") {
        if row.arxiv.is_none() {
            let id = id_after(url, "/abs/").or_else(|| id_after(url, "/pdf/"));
            row.arxiv = id.map(|i| i.trim_end_matches(".pdf").to_string()).filter(|i| crate::arxiv::is_id(i));
        }
    } else if lower.contains("huggingface.co/papers/") {
        push_link(row, "huggingface", url);
    } else {
        let name: String =
            label.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let name = name.trim_matches('-');
        push_link(row, if name.is_empty() { "link" } else { name }, url);
    }
}

fn push_link(row: &mut Row, name: &str, url: &str) {
    if !row.links.iter().any(|(n, _)| n == name) {
        row.links.push((name.to_string(), url.to_string()));
    }
}

fn id_after(url: &str, marker: &str) -> Option<String> {
    let at = url.find(marker)? + marker.len();
    let id = url[at..].split(['?', '#', '/']).next()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STANDARD: &str = "\n\n## Papers for 2024-10-22\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n| CompassJudger-1: All-in-one Judge (Read more on [arXiv](https://arxiv.org/abs/2410.16256) or [HuggingFace](https://huggingface.co/papers/2410.16256))| Hongwei Liu, Maosong Cao | a) Aim.  b) Way.   |\n";

    fn one(text: &str) -> Row {
        let (digest, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let digest = digest.unwrap();
        assert_eq!(digest.rows.len(), 1, "{:?}", digest.rows);
        digest.rows[0].clone()
    }

    #[test]
    fn standard_links() {
        let row = one(STANDARD);
        assert_eq!(row.title, "CompassJudger-1: All-in-one Judge");
        assert_eq!(row.authors, ["Hongwei Liu", "Maosong Cao"]);
        assert_eq!(row.arxiv.as_deref(), Some("2410.16256"));
        assert_eq!(row.links, [("huggingface".to_string(), "https://huggingface.co/papers/2410.16256".to_string())]);
        assert_eq!(row.summary, "a) Aim.  b) Way.");
        assert_eq!(row.line, 7);
    }

    #[test]
    fn link_column() {
        let text = "## Papers for 2024-09-05\n\n| Title | Authors | Summary | Link |\n|-------|---------|---------|------|\n| LongLLaVA: Scaling | Benyou Wang, songdj | The paper introduces it.   | [Read more](https://arxiv.org/abs/2409.02889) |\n";
        let row = one(text);
        assert_eq!(row.title, "LongLLaVA: Scaling");
        assert_eq!(row.arxiv.as_deref(), Some("2409.02889"));
        assert_eq!(row.summary, "The paper introduces it.");
    }

    #[test]
    fn dash_links() {
        let text = "## Papers for 2024-09-09\n| Title | Authors | Summary |\n|---|---|---|\n| How Do Your Code LLMs Perform? Empowering - read more on [arXiv](https://arxiv.org/abs/2409.03810) or [HuggingFace](https://huggingface.co/papers/2409.03810) | mdizhang | The authors propose XCoder.  |\n";
        let row = one(text);
        assert_eq!(row.title, "How Do Your Code LLMs Perform? Empowering");
        assert_eq!(row.arxiv.as_deref(), Some("2409.03810"));
    }

    #[test]
    fn title_broken_across_lines() {
        let text = "## Papers for 2025-05-13\n\n| Title | Authors | Summary |\n|---|---|---|\n| MiMo: Unlocking the Reasoning Potential of Language Model -- From\n  Pretraining to Posttraining (Read more on [arXiv](https://arxiv.org/abs/2505.07608) or [HuggingFace](https://huggingface.co/papers/2505.07608))| whatseeker | S.  |\n| Next (Read more on [arXiv](https://arxiv.org/abs/2505.00001) or [HuggingFace](https://huggingface.co/papers/2505.00001))| a | T.  |\n";
        let (digest, errors) = parse(text);
        assert!(errors.is_empty());
        let rows = digest.unwrap().rows;
        assert_eq!(
            rows[0].title,
            "MiMo: Unlocking the Reasoning Potential of Language Model -- From Pretraining to Posttraining"
        );
        assert_eq!(rows[0].line, 5);
        assert_eq!(rows[1].line, 7);
    }

    #[test]
    fn empty_authors() {
        let row = one(
            "## Papers for 2025-10-29\n| Title | Authors | Summary |\n|---|---|---|\n| Tongyi DeepResearch Technical Report (Read more on [arXiv](https://arxiv.org/abs/2510.24701) or [HuggingFace](https://huggingface.co/papers/2510.24701))|  | This paper presents it.  |\n",
        );
        assert!(row.authors.is_empty());
        assert_eq!(row.title, "Tongyi DeepResearch Technical Report");
    }

    #[test]
    fn empty_day() {
        let (digest, errors) =
            parse("\n\n## Papers for 2025-10-15\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n");
        assert!(errors.is_empty());
        let digest = digest.unwrap();
        assert_eq!(digest.date.to_string(), "2025-10-15");
        assert!(digest.rows.is_empty());
    }

    #[test]
    fn unescaped_pipes_stay_in_the_summary() {
        let row = one(
            "## Papers for 2025-09-30\n| Title | Authors | Summary |\n|---|---|---|\n| T (Read more on [arXiv](https://arxiv.org/abs/2509.00001) or [HuggingFace](https://huggingface.co/papers/2509.00001))| A | uses |G-1| groups and p(doc2|doc1) here.  |\n",
        );
        assert_eq!(row.summary, "uses |G-1| groups and p(doc2|doc1) here.");
        assert_eq!(row.authors, ["A"]);
    }

    #[test]
    fn escaped_pipes_crlf_and_bom() {
        let text = "\u{feff}## Papers for 2024-01-02\r\n\r\n| Title | Authors | Summary |\r\n|---|---|---|\r\n| A \\| B (Read more on [arXiv](https://arxiv.org/abs/2401.00001v2) or [HuggingFace](https://huggingface.co/papers/2401.00001))| X, Y | P(a\\|b) is it.  |\r\n";
        let row = one(text);
        assert_eq!(row.title, "A | B");
        assert_eq!(row.summary, "P(a|b) is it.");
        assert_eq!(row.arxiv.as_deref(), Some("2401.00001v2"));
        assert_eq!(row.authors, ["X", "Y"]);
    }

    #[test]
    fn arxiv_id_from_hugging_face_only() {
        let row = one(
            "## Papers for 2024-01-02\n| Title | Authors | Summary |\n|---|---|---|\n| T (Read more on [HuggingFace](https://huggingface.co/papers/2401.00002))| X | S. |\n",
        );
        assert_eq!(row.arxiv.as_deref(), Some("2401.00002"));
    }

    #[test]
    fn short_row_is_an_error_with_its_line() {
        let (digest, errors) = parse(
            "## Papers for 2024-01-02\n| Title | Authors | Summary |\n|---|---|---|\n| only a title |\n| T | A | S |\n",
        );
        assert_eq!(digest.unwrap().rows.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn bad_heading_date() {
        let (digest, errors) = parse("## Papers for 2024-02-30\n");
        assert!(digest.is_none());
        assert!(errors[0].message.contains("2024-02-30"));
    }
}
