//! The search index, built with the site and split into small files a page fetches on
//! demand, so a query downloads a few kilobytes whatever the size of the archive:
//!
//! - `search/meta.json`: counts and the list of term groups (the first two characters of
//!   terms), small whatever the archive's size;
//! - `search/days.json`: each day's range of doc ids (docs are numbered in date order, so a
//!   date range is an id range), fetched only for a date filter;
//! - `search/idx/<hex of group>.json.gz`: `{"shards": [prefixes], "terms": {…}}`, the
//!   prefixes of the group's deeper shards, and the terms of its root shard (all of them when
//!   the group fits one shard), each with its postings (delta-coded doc ids and weights);
//! - `search/idx/<hex of group>/<hex of prefix>.json.gz`: the terms under one longer prefix;
//!   prefixes are split until a shard is under `SHARD_BYTES` of JSON;
//! - `search/docs/<n>.json.gz`: what a result shows (title, path, date, authors, a short text
//!   to take a snippet from: the teaser cut to [`SNIPPET_CHARS`], the arXiv and PDF links,
//!   the paper's slug for its Save button), 20 docs a file.
//!
//! The term and doc files are gzipped, as Pagefind stores its fragments, and inflated in the
//! browser with `DecompressionStream('gzip')`. `themes/default/static/search/` (ES modules: `fold.js`, `index.js`, `rank.js`, `ui.js`) reads
//! it; the two must fold text the same way.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde_json::json;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::markdown::Markdown;
use super::urls::TermKind;
use crate::model::Site;

/// The folders holding only index files (a rebuild removes the ones it no longer makes).
pub const DIRS: [&str; 2] = ["search/idx", "search/docs"];
/// The index's layout and contract, below the output (search/index.js reads the same name).
pub const META: &str = "search/meta.json";
/// Each day's range of doc ids, below the output.
pub const DAYS: &str = "search/days.json";
/// A file of the output: its path below the output folder, and its bytes.
pub type File = (String, Vec<u8>);

/// The version of the index's layout and contract in `search/meta.json` (search/index.js refuses
/// others): 4 added CJK bigrams, NFC and author name parts; 5 gzipped the term and doc files
/// and put each group's shard list and root terms in one file; 6 added the whole-name author
/// terms (`=slug`); 7 the author page paths of a doc (its author links go there, as the
/// site's do, when the author has a page); 8 a term in many docs as a bitmap, and a doc's
/// authors as a list of names with each one's link (`urls::term_link_path`) and how many
/// more there are.
pub const VERSION: u32 = 8;
/// Docs per `search/docs/` file (~7 KB gzipped: a page of 20 results scattered over 20 files
/// fetches ~140 KB; fewer, bigger files keep a large site's file count down).
pub const DOCS_PER_SHARD: usize = 50;
/// The longest text a result's snippet is taken from (the teaser: the TL;DR or objective).
pub const SNIPPET_CHARS: usize = 200;
/// The authors a result names (then "…"), each a link.
const SHOWN_AUTHORS: usize = 5;
/// The largest a term shard may grow before its prefix is split, in bytes of JSON (gzip
/// makes it about a quarter: a query of five words fetches at most ~200 KB).
const SHARD_BYTES: usize = 160_000;
const MAX_TERM_CHARS: usize = 30;
/// Words too common to search for (sorted, for binary search). search/fold.js reads this list
/// from `search/meta.json`: the build writes the contract, the browser follows it.
const STOPWORDS: &[&str] = &[
    "a", "also", "an", "and", "are", "as", "at", "based", "be", "but", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "not", "of", "on", "or", "our", "such", "than", "that", "the", "their", "these", "this",
    "those", "to", "using", "via", "was", "we", "were", "which", "with",
];

/// Weights of a word by where it appears.
const TITLE: u32 = 8;
const NAME: u32 = 4;

/// Letters that NFKD does not take apart but a reader types without their stroke or as two
/// letters (`Łukasz` is searched as "lukasz", `Straße` as "strasse"). Applied after
/// lower-casing; search/fold.js receives the table in `search/meta.json`. Sorted by code point.
pub const FOLD_MAP: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('ð', "d"),
    ('ø', "o"),
    ('þ', "th"),
    ('đ', "d"),
    ('ħ', "h"),
    ('ı', "i"),
    ('ĸ', "k"),
    ('ŀ', "l"),
    ('ł', "l"),
    ('ŋ', "n"),
    ('œ', "oe"),
    ('ſ', "s"),
];

/// Lower-cases, strips accents (NFKD without combining marks), maps [`FOLD_MAP`] and splits
/// into words of at least two characters, as search/fold.js does with the same table.
pub fn fold(text: &str) -> Vec<String> {
    words(&fold_text(text)).map(str::to_string).collect()
}

/// `text` folded: NFKD, combining marks removed, NFC, lower-cased, then [`FOLD_MAP`] applied.
pub fn fold_text(text: &str) -> String {
    // ASCII is its own NFKD form and has no marks: most text skips the normalisation.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // Composed again (NFC) so that a Hangul syllable, which NFKD takes apart into letters
    // that are not marks, stays one character.
    let lower = text.nfkd().filter(|c| !is_combining_mark(*c)).nfc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match FOLD_MAP.binary_search_by(|(k, _)| k.cmp(&c)) {
            Ok(i) => out.push_str(FOLD_MAP[i].1),
            Err(_) => out.push(c),
        }
    }
    out
}

/// Whether `word` is one of [`STOPWORDS`]: looked up as a number (its bytes), which this
/// hottest loop of the index does faster than comparing strings.
fn is_stopword(word: &str) -> bool {
    static PACKED: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let mut packed: Vec<u64> = STOPWORDS.iter().filter_map(|w| pack(w)).collect();
        packed.sort_unstable();
        packed
    });
    pack(word).is_some_and(|k| PACKED.binary_search(&k).is_ok())
}

/// A word of at most seven bytes as a number: its bytes, and its length in the top byte.
fn pack(word: &str) -> Option<u64> {
    (word.len() <= 7).then(|| word.bytes().fold(0u64, |k, b| k << 8 | u64::from(b)) | (word.len() as u64) << 56)
}

/// The indexed words of folded text: runs of letters and digits, at least two characters,
/// at most [`MAX_TERM_CHARS`], stopwords left out; a run of CJK characters ([`is_cjk`]) gives
/// its overlapping bigrams instead (`扩散模型`: `扩散`, `散模`, `模型`), or itself when it is
/// one character.
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> + '_ {
    Words { text: folded, at: 0, ascii: folded.is_ascii() }
}

/// The iterator of [`words`]: ASCII text (most of it) is walked by bytes, without decoding
/// characters.
struct Words<'a> {
    text: &'a str,
    at: usize,
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let rest = &self.text[self.at..];
            if rest.is_empty() {
                return None;
            }
            let (start, end) = if self.ascii {
                let bytes = rest.as_bytes();
                let start = bytes.iter().position(u8::is_ascii_alphanumeric)?;
                let len = bytes[start..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len() - start);
                (start, start + len)
            } else {
                let (start, first) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())?;
                let cjk = is_cjk(first);
                let len = rest[start..]
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric() || is_cjk(*c) != cjk)
                    .map_or(rest.len() - start, |(i, _)| i);
                if cjk {
                    return Some(self.gram(start, &rest[start..start + len]));
                }
                (start, start + len)
            };
            let word = &rest[start..end];
            self.at += end;
            let chars = if self.ascii || word.is_ascii() { word.len() } else { word.chars().count() };
            if chars < 2 {
                continue;
            }
            let word = if chars > MAX_TERM_CHARS {
                &word[..word.char_indices().nth(MAX_TERM_CHARS).map_or(word.len(), |(i, _)| i)]
            } else {
                word
            };
            if !is_stopword(word) {
                return Some(word);
            }
        }
    }
}

impl<'a> Words<'a> {
    /// The next term of a CJK run starting `start` bytes past the cursor: its first two
    /// characters (moving on by one, so bigrams overlap, or by two at the run's end), or its
    /// only character.
    fn gram(&mut self, start: usize, run: &'a str) -> &'a str {
        let mut ends = run.char_indices().map(|(i, c)| i + c.len_utf8());
        let one = ends.next().unwrap_or(run.len());
        let Some(two) = ends.next() else {
            self.at += start + one;
            return run;
        };
        let more = ends.next().is_some();
        self.at += start + if more { one } else { two };
        &run[..two]
    }
}

/// Whether `c` is written without spaces between words (Han, Hiragana, Katakana, Hangul):
/// such runs are indexed as overlapping bigrams, as Lucene's CJK analyzer does. search/fold.js
/// receives [`CJK_RANGES`] in `search/meta.json`.
pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    c >= 0x1100 && CJK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// The code point ranges of [`is_cjk`], inclusive.
pub const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x11FF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFFDC),
    (0x20000, 0x323AF),
];

/// The index in memory: built with the site, and kept by `serve` so that an edit re-indexes
/// the edited papers and rewrites only the term groups whose postings changed.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Papers in doc-id order.
    order: Vec<usize>,
    /// Doc id by paper key.
    docs: HashMap<String, u32>,
    /// Each term's postings (doc id, weight), sorted by doc id.
    postings: BTreeMap<String, Vec<(u32, u32)>>,
    /// The letters of author names that search/fold.js spells as the build does before it makes
    /// an author's `@` slug ([`author_letters`]).
    letters: BTreeMap<char, String>,
}

impl SearchIndex {
    pub fn build(site: &Site) -> SearchIndex {
        let order = doc_order(site);
        // Docs' terms in parallel, a thousand at a time (so memory holds one chunk's words),
        // merged in doc order, so posting lists come out sorted.
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::default();
        for (c, chunk) in order.chunks(1000).enumerate() {
            let terms: Vec<Vec<(String, u32)>> = chunk.par_iter().map(|&p| doc_terms(site, p)).collect();
            for (i, list) in terms.into_iter().enumerate() {
                let doc = (c * 1000 + i) as u32;
                for (term, w) in list {
                    match postings.get_mut(&term) {
                        Some(l) => l.push((doc, w)),
                        None => drop(postings.insert(term, vec![(doc, w)])),
                    }
                }
            }
        }
        let postings = postings.into_iter().collect();
        let docs = order.iter().enumerate().map(|(d, &p)| (site.papers[p].key.clone(), d as u32)).collect();
        SearchIndex { order, docs, postings, letters: author_letters(names(site)) }
    }

    fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        for term in self.postings.keys() {
            let group = group_slice(term);
            if groups.last().is_none_or(|g| g != group) {
                groups.push(group.to_string());
            }
        }
        groups
    }

    /// `search/meta.json`.
    pub fn meta_file(&self) -> Vec<u8> {
        let groups = self.groups();
        let names: Vec<&str> = groups.iter().map(String::as_str).collect();
        meta(&self.order, &names, &self.letters).into_bytes()
    }

    /// Every file of the index.
    /// Hands every file of the index to `write` as it is made, on every core, without
    /// holding them all (a full build: at 100,000 papers they are ~85 MB). Returns how many.
    pub fn write_files<E: Send>(
        &self,
        site: &Site,
        write: impl Fn(&str, &[u8]) -> Result<(), E> + Sync,
    ) -> Result<usize, E> {
        let groups = self.groups();
        let count = std::sync::atomic::AtomicUsize::new(0);
        let each = |files: Vec<File>| {
            count.fetch_add(files.len(), std::sync::atomic::Ordering::Relaxed);
            files.iter().try_for_each(|(rel, bytes)| write(rel, bytes))
        };
        groups.par_iter().try_for_each(|g| each(self.group_files(g)))?;
        let shards = self.order.len().div_ceil(DOCS_PER_SHARD);
        (0..shards).into_par_iter().try_for_each(|n| each(vec![doc_file(site, &self.order, n)]))?;
        each(vec![(META.to_string(), self.meta_file()), (DAYS.to_string(), days(site, &self.order).into_bytes())])?;
        Ok(count.into_inner())
    }

    pub fn files(&self, site: &Site) -> Vec<(String, Vec<u8>)> {
        let groups = self.groups();
        let mut files: Vec<(String, Vec<u8>)> = groups.par_iter().flat_map_iter(|g| self.group_files(g)).collect();
        files.push((META.to_string(), self.meta_file()));
        files.push((DAYS.to_string(), days(site, &self.order).into_bytes()));
        files.extend(doc_files(site, &self.order));
        files
    }

    /// Re-indexes papers whose text changed but not their place (doc ids stay): each is given
    /// as its index in `site` and the terms it had before ([`terms_of`] the old paper), so its
    /// old postings are found directly. Returns each term group that changed with all its
    /// files.
    pub fn update(&mut self, site: &Site, changes: &[(usize, Vec<String>)]) -> Vec<(String, Vec<File>)> {
        let mut touched = std::collections::BTreeSet::new();
        for (p, old_terms) in changes {
            let Some(&doc) = self.docs.get(&site.papers[*p].key) else { continue };
            // Only the postings whose weight changed, and so only their groups' files: an
            // edit of a few words leaves most of a paper's terms as they were.
            let new_terms: HashMap<String, u32> = doc_terms(site, *p).into_iter().collect();
            for term in old_terms {
                if let Some(list) = self.postings.get_mut(term)
                    && let Ok(i) = list.binary_search_by_key(&doc, |(d, _)| *d)
                    && new_terms.get(term) != Some(&list[i].1)
                {
                    list.remove(i);
                    touched.insert(group_of(term));
                    if list.is_empty() {
                        self.postings.remove(term);
                    }
                }
            }
            for (term, w) in new_terms {
                let group = group_of(&term);
                let list = self.postings.entry(term).or_default();
                if let Err(at) = list.binary_search_by_key(&doc, |(d, _)| *d) {
                    list.insert(at, (doc, w));
                    touched.insert(group);
                }
            }
        }
        let touched: Vec<String> = touched.into_iter().collect();
        touched
            .into_par_iter()
            .map(|g| {
                let files = self.group_files(&g);
                (g, files)
            })
            .collect()
    }

    /// Brings the index up to date with `site` after `papers` changed (their title, authors,
    /// tags or text), when every doc keeps its id; returns the files that may have changed and
    /// the term groups touched (whose folders may hold shards no longer made). None when docs
    /// were added, removed or moved: then the index must be built again.
    pub fn refresh(&mut self, site: &Site, changes: &[(usize, Vec<String>)]) -> Option<(Vec<File>, Vec<String>)> {
        let order = doc_order(site);
        let same = order.len() == self.order.len()
            && order.iter().enumerate().all(|(d, &p)| self.docs.get(&site.papers[p].key) == Some(&(d as u32)));
        if !same {
            return None;
        }
        self.order = order;
        self.letters = author_letters(names(site));
        let groups = self.update(site, changes);
        let mut files: Vec<File> = Vec::new();
        let mut touched = Vec::new();
        for (group, group_files) in groups {
            files.extend(group_files);
            touched.push(group);
        }
        files.push((META.to_string(), self.meta_file()));
        files.push((DAYS.to_string(), days(site, &self.order).into_bytes()));
        files.extend(self.changed_doc_files(site, changes));
        Some((files, touched))
    }

    /// The result data files (`search/docs/<n>.json`) holding the changed papers: their titles,
    /// authors and snippet texts may have changed.
    pub fn changed_doc_files(&self, site: &Site, changes: &[(usize, Vec<String>)]) -> Vec<File> {
        let mut shards: Vec<usize> = changes
            .iter()
            .filter_map(|(p, _)| self.docs.get(&site.papers[*p].key))
            .map(|&d| d as usize / DOCS_PER_SHARD)
            .collect();
        shards.sort_unstable();
        shards.dedup();
        shards.into_iter().map(|n| doc_file(site, &self.order, n)).collect()
    }

    /// The files of one term group: its list of shards, and each shard.
    fn group_files(&self, group: &str) -> Vec<(String, Vec<u8>)> {
        let terms: BTreeMap<String, String> = self
            .postings
            .range(group.to_string()..)
            .take_while(|(t, _)| t.starts_with(group))
            .filter(|(t, _)| group_of(t) == group)
            .map(|(t, list)| (t.clone(), encode(list)))
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let shards = shard(&terms, group);
        // The group's own file holds its deeper shards' prefixes and its root shard's terms:
        // a group that fits one shard (most) is one file, fetched once.
        let deeper: Vec<&str> = shards.iter().map(|(p, _)| p.as_str()).filter(|p| *p != group).collect();
        let root = shards.iter().find(|(p, _)| p == group).map_or("{}", |(_, body)| body.as_str());
        let list = format!("{{\"shards\":{},\"terms\":{root}}}", json!(deeper));
        let mut files = vec![(format!("search/idx/{}.json.gz", hex(group)), gz(list.as_bytes()))];
        for (prefix, body) in shards.iter().filter(|(p, _)| p != group) {
            files.push((format!("{}/{}.json.gz", group_dir(group), hex(prefix)), gz(body.as_bytes())));
        }
        files
    }
}

/// The folder of a term group's shards, below the output.
pub fn group_dir(group: &str) -> String {
    format!("search/idx/{}", hex(group))
}

/// One doc's terms and their weights. Words are taken from the Markdown source as written:
/// its markup is punctuation, which folding drops anyway, and parsing every summary again
/// would double the cost of the index.
fn doc_terms(site: &Site, p: usize) -> Vec<(String, u32)> {
    let paper = &site.papers[p];
    // The doc's texts, folded, with the weight of a word found in each (0: summary text,
    // counted instead). The words are slices of these, so only a distinct term is copied.
    let mut texts: Vec<(String, u32)> = vec![(fold_text(&paper.title), TITLE)];
    for &a in &paper.authors {
        texts.push((fold_text(&site.authors[a].name), NAME));
    }
    for &t in &paper.tags {
        texts.push((fold_text(&site.tags[t].name), NAME));
    }
    for text in paper.summary.lead.iter().chain(paper.summary.sections.iter().map(|s| &s.body)) {
        texts.push((fold_text(text), 0));
    }
    let slugs: Vec<String> = (paper.authors.iter().flat_map(|&a| author_terms(&site.authors[a].slug)))
        .chain(paper.authors.iter().map(|&a| format!("={}", site.authors[a].slug)))
        .chain(paper.tags.iter().map(|&t| format!("#{}", site.tags[t].slug)))
        .collect();
    // Term → (weight from title and names, mentions in the summary).
    let mut terms: HashMap<&str, (u32, u32)> = HashMap::with_capacity_and_hasher(512, Default::default());
    for slug in &slugs {
        terms.entry(slug.as_str()).or_default().0 += 1;
    }
    for (text, weight) in &texts {
        for word in words(text) {
            let entry = terms.entry(word).or_default();
            if *weight == 0 {
                entry.1 += 1;
            } else {
                entry.0 += weight;
            }
        }
    }
    terms
        .into_iter()
        // A summary word weighs 1 for one mention, growing slowly with more, and stays under
        // a name's weight: a weight of NAME or more says a title, name or tag holds the word
        // (what a term in many docs keeps, see `encode`).
        .map(|(t, (w, n))| {
            let mentions = if n > 0 { (1 + (n as f32).log2() as u32).min(NAME - 1) } else { 0 };
            (t.to_string(), (w + mentions).min(99))
        })
        .collect()
}

/// The `@` terms of an author slug: the slug, and each of its ends that starts a part
/// (`yann-le-cun` gives `@yann-le-cun`, `@le-cun` and `@cun`), so that the author filter,
/// which matches `@` terms by prefix, finds a name by any part of it.
fn author_terms(slug: &str) -> impl Iterator<Item = String> + '_ {
    let ends = slug.match_indices('-').map(|(i, _)| &slug[i + 1..]);
    std::iter::once(slug).chain(ends).filter(|end| !end.is_empty()).map(|end| format!("@{end}"))
}

/// The result data of every doc (title, path, date, authors, snippet text), 20 docs a file.
fn doc_files(site: &Site, order: &[usize]) -> Vec<File> {
    (0..order.len().div_ceil(DOCS_PER_SHARD)).map(|n| doc_file(site, order, n)).collect()
}

/// The result data of the docs of file `n` (docs `n * 20` to `n * 20 + 19`).
fn doc_file(site: &Site, order: &[usize], n: usize) -> File {
    let chunk = &order[n * DOCS_PER_SHARD..((n + 1) * DOCS_PER_SHARD).min(order.len())];
    let docs: Vec<serde_json::Value> = chunk
        .iter()
        .map(|&p| {
            let paper = &site.papers[p];
            let shown = &paper.authors[..paper.authors.len().min(SHOWN_AUTHORS)];
            // Names one by one (a name may hold a comma), each with its link, and how many more.
            let names: Vec<&str> = shown.iter().map(|&a| site.authors[a].name.as_str()).collect();
            let links: Vec<String> =
                shown.iter().map(|&a| super::urls::term_link_path(site, TermKind::Author, a)).collect();
            json!([
                Markdown::plain_text(&paper.title),
                super::page_path(site, super::Page::Paper(p)),
                paper.dates[0].to_string(),
                names,
                super::truncate_text(&super::teaser_text(paper), SNIPPET_CHARS),
                super::teaser::id_link(paper, "arxiv", crate::arxiv::abs_url).unwrap_or_default(),
                super::teaser::id_link(paper, "pdf", crate::arxiv::pdf_url).unwrap_or_default(),
                paper.slug,
                super::urls::paper_bib_path(&paper.slug),
                links,
                paper.authors.len() - shown.len(),
            ])
        })
        .collect();
    let text = serde_json::to_string(&docs).expect("JSON of strings");
    (format!("search/docs/{n}.json.gz"), gz(inert(&text).as_bytes()))
}

/// `bytes` gzipped, the same bytes for the same input (no name, no time in the header), so a
/// rebuild and `serve`'s in-place update write equal files.
pub fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// JSON with `<`, `>` and `&` written as `\u` escapes: the same data once parsed, but no
/// markup in the file even if it is ever served or embedded as HTML.
pub(crate) fn inert(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Papers in doc-id order: by first date, then as listed.
fn doc_order(site: &Site) -> Vec<usize> {
    let mut seen = vec![false; site.papers.len()];
    let mut order = Vec::with_capacity(site.papers.len());
    for day in &site.days {
        for &p in &day.papers {
            if !seen[p] && site.papers[p].dates[0] == day.date {
                seen[p] = true;
                order.push(p);
            }
        }
    }
    order
}

/// A term in more docs than this ("data", "model" at 100,000 papers) keeps two weights:
/// [`TITLE`] where a title, name or tag holds it, else 1, and is a bitmap where at least one
/// doc in 8 holds it. Summary counts (1 to 4) spread the weights so that gzip could not
/// shrink them, and a delta a doc costs more than a bit: "data", in 82,000 of 100,000 docs,
/// took 54 KB, and a query of five such words fetched 447 KB; as a bitmap, 10 KB.
const HEAVY_POSTINGS: usize = 10_000;

/// Postings as JSON: numbers, doc ids delta-coded, each followed by its weight; for a term
/// in more than [`HEAVY_POSTINGS`] docs, two weights only, and a bitmap when that is smaller
/// ([`encode_bitmap`]).
fn encode(list: &[(u32, u32)]) -> String {
    let heavy = list.len() > HEAVY_POSTINGS;
    if heavy && list.last().is_some_and(|&(last, _)| list.len() * 8 > last as usize) {
        return encode_bitmap(list);
    }
    let mut out = String::with_capacity(2 + list.len() * 8);
    out.push('[');
    let mut numbers = itoa::Buffer::new();
    let mut last = 0;
    for (i, &(doc, w)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(numbers.format(doc - last));
        out.push(',');
        let w = if !heavy {
            w
        } else if w >= NAME {
            TITLE
        } else {
            1
        };
        out.push_str(numbers.format(w));
        last = doc;
    }
    out.push(']');
    out
}

/// `{"b": BITS, "t": [ids], "w": TITLE}`: BITS the base64 of a bitmap of the docs (doc `i`
/// is bit `i % 8` of byte `i / 8`), each of weight 1 but for `t`'s, delta-coded, of weight
/// `w` (a title, name or tag holds the term).
fn encode_bitmap(list: &[(u32, u32)]) -> String {
    use base64::Engine as _;
    let last = list.last().map_or(0, |&(doc, _)| doc as usize);
    let mut bits = vec![0u8; last / 8 + 1];
    let mut titled: Vec<u32> = Vec::new();
    let mut previous = 0;
    for &(doc, w) in list {
        bits[doc as usize / 8] |= 1 << (doc % 8);
        if w >= NAME {
            titled.push(doc - previous);
            previous = doc;
        }
    }
    let bits = base64::engine::general_purpose::STANDARD.encode(&bits);
    json!({ "b": bits, "t": titled, "w": TITLE }).to_string()
}

/// Splits the terms under `prefix` into shards: one shard when they fit, otherwise the terms
/// equal to the prefix stay here and the rest go into one group per next character.
fn shard(terms: &BTreeMap<String, String>, prefix: &str) -> Vec<(String, String)> {
    let under: Vec<(&String, &String)> =
        terms.range(prefix.to_string()..).take_while(|(t, _)| t.starts_with(prefix)).collect();
    let size: usize = under.iter().map(|(t, p)| t.len() + shard_weight(p) + 6).sum();
    if size <= SHARD_BYTES || under.iter().all(|(t, _)| t.as_str() == prefix) {
        return vec![(prefix.to_string(), object(&under))];
    }
    let mut out = Vec::new();
    let here: Vec<(&String, &String)> = under.iter().filter(|(t, _)| t.as_str() == prefix).copied().collect();
    if !here.is_empty() || prefix.is_empty() {
        out.push((prefix.to_string(), object(&here)));
    }
    let mut next: Vec<String> =
        under.iter().filter_map(|(t, _)| t[prefix.len()..].chars().next().map(|c| format!("{prefix}{c}"))).collect();
    next.dedup();
    for p in next {
        out.extend(shard(terms, &p));
    }
    out
}

/// What a term's postings count toward [`SHARD_BYTES`]: their JSON's length, three times
/// for a bitmap (base64 gzips to about three quarters of its length, a list of numbers to a
/// quarter), so that a shard of bitmaps is no bigger, gzipped, than one of lists.
fn shard_weight(postings: &str) -> usize {
    if postings.starts_with('{') { postings.len() * 3 } else { postings.len() }
}

fn object(terms: &[(&String, &String)]) -> String {
    let mut out = String::from("{");
    for (i, (t, p)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(t).expect("a string"));
        out.push(':');
        out.push_str(p);
    }
    out.push('}');
    out
}

/// A term's group: see `group_slice`.
pub fn group_of(term: &str) -> String {
    group_slice(term).to_string()
}

/// A term's group (its first two characters, or its first when that is CJK: a bigram would
/// otherwise be a group of its own), borrowed.
fn group_slice(term: &str) -> &str {
    let n = if term.chars().next().is_some_and(is_cjk) { 1 } else { 2 };
    &term[..term.char_indices().nth(n).map_or(term.len(), |(i, _)| i)]
}

/// The terms paper `p` of `site` is indexed under: what an update must remove it from once
/// its text changed.
pub fn terms_of(site: &Site, p: usize) -> Vec<String> {
    doc_terms(site, p).into_iter().map(|(t, _)| t).collect()
}

/// `search/meta.json`: the index's layout and the contract search/fold.js follows to read it
/// (how text is folded into terms, the stopwords, the longest term).
fn meta(order: &[usize], groups: &[&str], letters: &BTreeMap<char, String>) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        FOLD_MAP.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    json!({
        "version": VERSION,
        "docs": order.len(),
        "docs_per_shard": DOCS_PER_SHARD,
        "groups": groups,
        "fold": { "normalize": "NFKD", "strip_marks": true, "compose": "NFC", "lower": true, "map": map },
        "cjk": { "ranges": CJK_RANGES.iter().map(|&(lo, hi)| [lo, hi]).collect::<Vec<_>>(), "gram": 2 },
        "author_letters": letters,
        "stopwords": STOPWORDS,
        "min_term": 2,
        "max_term": MAX_TERM_CHARS,
    })
    .to_string()
}

/// The letters of `site`'s author names that folding would drop from an author's `@` slug
/// but the build's slug keeps, spelled as the slug spells them: `张` → `zhang `, `Д` → `d`.
/// An author slug is [`crate::slug::slugify`] (ASCII transliteration), and search/fold.js makes
/// one from what a reader types by composing it (NFC), spelling these letters, folding and
/// keeping `a-z0-9`: without them a name in another script would give an empty slug. Each
/// letter comes as names write it (stored and composed) and in its other case, spelled as the
/// written form is: deunicode spells some cases differently (`Є` → `e`, `є` → `ie`) and the
/// slug follows the name as written.
fn author_letters<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<char, String> {
    let shape = |s: &str| -> String { s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect() };
    // An unknown letter is a separator in the slug (deunicode writes `[?]`).
    let spell = |c: char| deunicode::deunicode_char(c).unwrap_or(" ").to_ascii_lowercase();
    let mut written = std::collections::BTreeSet::new();
    for name in names {
        written.extend(name.chars().chain(name.nfc()).filter(|c| !c.is_ascii()));
    }
    let mut letters = BTreeMap::new();
    let mut add = |c: char, spelled: String| {
        if shape(&fold_text(&c.to_string())) != shape(&spelled) {
            letters.entry(c).or_insert(spelled);
        }
    };
    for &c in &written {
        add(c, spell(c));
    }
    for &c in &written {
        for other in c.to_lowercase().chain(c.to_uppercase()).filter(|o| !written.contains(o)) {
            add(other, spell(c));
        }
    }
    letters
}

fn names(site: &Site) -> impl Iterator<Item = &str> {
    site.authors.iter().map(|a| a.name.as_str())
}

/// Each day's first and last doc id, oldest first.
fn days(site: &Site, order: &[usize]) -> String {
    let mut days: Vec<(String, usize, usize)> = Vec::new();
    for (id, &p) in order.iter().enumerate() {
        let date = site.papers[p].dates[0].to_string();
        match days.last_mut() {
            Some(last) if last.0 == date => last.2 = id,
            _ => days.push((date, id, id)),
        }
    }
    json!(days.iter().map(|(d, a, b)| json!([d, a, b])).collect::<Vec<_>>()).to_string()
}

fn hex(prefix: &str) -> String {
    if prefix.is_empty() {
        return "_".into();
    }
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Strings and their folded forms, shared by the unit test here and the browser test that
/// runs search/fold.js's folding on them (tests/it/browser.rs).
pub const FOLD_CASES: &[(&str, &str)] = &[
    ("Łukasz Kaiser", "lukasz kaiser"),
    ("Zoë Ångström", "zoe angstrom"),
    ("Kraków", "krakow"),
    ("Straße für Übergrößen", "strasse fur ubergrossen"),
    ("Søren Kierkegård, Æsir, Þór", "soren kierkegard, aesir, thor"),
    ("Đorđe Œuvre", "dorde oeuvre"),
    ("東京大学 の 研究", "東京大学 の 研究"),
    ("ﬁne Ⅸ", "fine ix"),
    ("José Álvarez Núñez", "jose alvarez nunez"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_the_browser() {
        assert_eq!(
            fold("Zoë's CompassJudger-1: the Judge of LLMs, für Ω-Tests, ΩΣ"),
            ["zoe", "compassjudger", "judge", "llms", "fur", "tests", "ως"]
        );
        assert_eq!(fold("a I x 42"), ["42"]);
        for (text, folded) in FOLD_CASES {
            assert_eq!(fold_text(text), *folded, "{text}");
        }
        assert!(FOLD_MAP.windows(2).all(|w| w[0].0 < w[1].0), "sorted for binary search");
    }

    #[test]
    fn cjk_runs_are_indexed_as_overlapping_bigrams() {
        assert_eq!(fold("基于扩散模型的方法"), ["基于", "于扩", "扩散", "散模", "模型", "型的", "的方", "方法"]);
        assert_eq!(fold("扩散 GPT模型 x"), ["扩散", "gpt", "模型"]);
        // A lone CJK character is a unigram; kana and Hangul are bigrammed like Han.
        assert_eq!(fold("の 東京 カメラ"), ["の", "東京", "カメ", "メラ"]);
        assert_eq!(fold("한국어 연구"), ["한국", "국어", "연구"]);
        assert_eq!(group_of("扩散"), "扩");
        assert_eq!(group_of("diffusion"), "di");
    }

    #[test]
    fn an_author_is_indexed_by_every_part_of_the_name() {
        let terms: Vec<String> = author_terms("yann-le-cun").collect();
        assert_eq!(terms, ["@yann-le-cun", "@le-cun", "@cun"]);
        assert_eq!(author_terms("ylecun").collect::<Vec<_>>(), ["@ylecun"]);
    }

    #[test]
    fn author_slugs_made_as_search_js_makes_them_are_the_builds() {
        // Єє and Ξξ are spelled differently by case; the last name is stored decomposed (NFD).
        let andrei = "Андреи\u{306} Ко";
        let names = [
            "张伟",
            "Дмитрий Петров",
            "José Núñez",
            "Łukasz Kaiser",
            "Ærø Smith",
            "Ἀριστοτέλης",
            "Ann Lee",
            "Євген Петренко",
            "Ξενοφών",
            andrei,
        ];
        let letters = author_letters(names.iter().copied());
        // search/fold.js's slugify: composed, the letters spelled, folded, runs of a-z0-9 joined by "-".
        let typed = |text: &str| {
            let composed: String = text.nfc().collect();
            let spelled: String =
                composed.chars().map(|c| letters.get(&c).cloned().unwrap_or_else(|| c.to_string())).collect();
            let folded = fold_text(&spelled);
            let runs = folded.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()));
            runs.filter(|r| !r.is_empty()).collect::<Vec<_>>().join("-")
        };
        for name in names {
            let slug = crate::slug::slugify(name);
            assert!(!slug.is_empty(), "{name}");
            for as_typed in [name.to_string(), name.to_lowercase(), name.to_uppercase()] {
                assert_eq!(typed(&as_typed), slug, "{as_typed}");
            }
        }
        let composed: String = andrei.nfc().collect();
        assert_eq!(typed(&composed.to_lowercase()), crate::slug::slugify(andrei), "typed composed, stored decomposed");
        assert_eq!(letters.get(&'张').map(String::as_str), Some("zhang "));
        assert!(!letters.contains_key(&'é') && !letters.contains_key(&'a'), "only what folding loses: {letters:?}");
    }

    #[test]
    fn result_data_carries_no_markup() {
        let text = inert(&serde_json::to_string(&json!(["<script>a&b</script>"])).unwrap());
        assert!(!text.contains('<') && !text.contains('&'));
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ["<script>a&b</script>"]);
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOPWORDS.iter().all(|w| is_stopword(w)));
        assert!(["", "x", "an2", "andy", "whichever", "thos"].iter().all(|w| !is_stopword(w)));
    }

    #[test]
    fn postings_are_delta_coded() {
        assert_eq!(encode(&[(3, 8), (10, 1), (11, 2)]), "[3,8,7,1,1,2]");
        // A term in more than HEAVY_POSTINGS docs, one doc in 9: a title, name or tag
        // weight, or 1.
        let sparse: Vec<(u32, u32)> =
            (0..=HEAVY_POSTINGS as u32).map(|d| (d * 9, [1, 3, 4, 10][d as usize % 4])).collect();
        assert!(encode(&sparse).starts_with("[0,1,9,1,9,8,9,8,9,1,9,1,9,8,9,8,"), "{}", &encode(&sparse)[..40]);
        // One doc in 8 or more: a bitmap. Docs 0, 2, 9 (bytes 0b101, 0b10) and then every
        // doc from 16 on; 2 and 16 of title weight.
        let mut dense: Vec<(u32, u32)> = vec![(0, 1), (2, 9), (9, 2)];
        dense.extend((16..=HEAVY_POSTINGS as u32 + 16).map(|d| (d, if d == 16 { 4 } else { 1 })));
        let value: serde_json::Value = serde_json::from_str(&encode(&dense)).unwrap();
        assert_eq!(value["t"], json!([2, 14]));
        assert_eq!(value["w"], json!(TITLE));
        assert!(value["b"].as_str().unwrap().starts_with("BQL/"), "{value}");
    }

    #[test]
    fn shards_split_until_small() {
        let mut terms = BTreeMap::new();
        for i in 0..3000 {
            terms.insert(format!("t{i}"), "[1,1]".to_string());
        }
        terms.insert("t".into(), "[2,1]".into());
        terms.insert("x".into(), "[3,1]".into());
        let shards = shard(&terms, "");
        assert!(shards.iter().all(|(_, body)| body.len() <= SHARD_BYTES + 64), "every shard is small");
        let total: usize = shards.iter().map(|(_, b)| b.matches(':').count()).sum();
        assert_eq!(total, terms.len(), "every term is in exactly one shard");
        // Each term is in the shard of the longest prefix that starts it.
        for term in ["t", "t1234", "x"] {
            let owner =
                shards.iter().filter(|(p, _)| term.starts_with(p.as_str())).max_by_key(|(p, _)| p.len()).unwrap();
            assert!(owner.1.contains(&format!("\"{term}\":")), "{term} in shard {:?}", owner.0);
        }
    }
}
