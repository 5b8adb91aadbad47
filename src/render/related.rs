//! Related papers: for every paper, the [`COUNT`] nearest others by text (title, summary, and
//! the arXiv abstract when fetched), BM25-weighted vectors compared by cosine, with a little
//! weight for shared authors and tags. Title words weigh well above summary words, the
//! title's bigrams count as terms of their own, and the digests' boilerplate is left out
//! (see `weigh`). Input: the model; output: each paper's list.
//!
//! Near-linear in the number of papers, never all pairs: each paper takes its
//! `TOP_TERMS` heaviest terms, and only papers listed under those terms are candidates.
//! Terms in more than 5% of the papers are too common to say anything and have no list; a
//! term's list keeps its `CHAMPIONS` heaviest papers. Candidates are ranked by the part of
//! the dot product those terms give, and the best `RERANK` scored exactly. Every sum is
//! taken in a fixed order and ties go to the lower index, so the result does not depend on
//! how rayon splits the work.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use super::search::fold_text;
use crate::model::{Paper, Site};

/// How many related papers a paper page lists.
pub const COUNT: usize = 5;
/// How many of a paper's terms gather its candidates.
const TOP_TERMS: usize = 16;
/// The most papers a term's list keeps (its heaviest).
const CHAMPIONS: usize = 256;
/// How many candidates are scored exactly.
const RERANK: usize = 24;
/// A term in more papers than this share (and than [`MIN_CAP`]) gathers no candidates.
const COMMON_SHARE: usize = 20;
const MIN_CAP: usize = 16;
/// The least score listed: below it, papers share a stray word, not a topic.
const MIN_SCORE: f32 = 0.04;
/// What a shared author and a shared tag add to a score (at most two of each count).
const AUTHOR_BONUS: f32 = 0.04;
const TAG_BONUS: f32 = 0.02;
/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A word: the top 48 bits of the hash of its folded form (a collision between two words of
/// one site is as unlikely as it is harmless). In a bag, the low 16 bits hold its count.
type Word = u64;
const WORD: u64 = !0xffff;

/// The most terms a paper's vector keeps (its heaviest): what finding neighbours holds in
/// memory is then bounded per paper, whatever the length of its text.
const MAX_TERMS: usize = 64;

/// A term: a word's index in the sorted vocabulary, so that lists are plain vectors.
type Term = u32;

/// Every paper's related papers (indices into `Site::papers`, best first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Related {
    lists: Vec<Vec<u32>>,
}

/// What finding a paper's neighbours reads: every paper's weighted terms, each term's
/// document frequency, its papers (listed terms only), and the most papers a listed term has.
struct Index {
    vectors: Vec<Vec<(Term, f32)>>,
    df: Vec<u32>,
    postings: Vec<Vec<(u32, f32)>>,
    cap: u32,
}

impl Index {
    /// Whether term `t` gathers candidates: in two papers or more, and not too common.
    fn listed(&self, t: Term) -> bool {
        (2..=self.cap).contains(&self.df[t as usize])
    }
}

impl Related {
    /// The related papers of every paper of `site`, computed on every core.
    pub fn compute(site: &Site) -> Related {
        Related::of_papers(&site.papers)
    }

    /// [`Related::compute`] from the papers alone (what a snapshot for another thread holds:
    /// a reference count per paper, not a copy of the model).
    pub fn of_papers(papers: &[Arc<Paper>]) -> Related {
        let mut timings = crate::timing::Timings::start();
        let n = papers.len();
        let bags: Vec<(Vec<Word>, f32)> = (0..n).into_par_iter().map(|i| bag(&papers[i])).collect();
        timings.step("related: words");
        let (vocabulary, df) = vocabulary(&bags);
        let average = bags.iter().map(|(_, len)| *len).sum::<f32>() / n.max(1) as f32;
        let vectors: Vec<Vec<(Term, f32)>> =
            bags.into_par_iter().map(|(bag, len)| weigh(&bag, len, average, &vocabulary, &df, n)).collect();
        timings.step("related: weights");
        let cap = (n / COMMON_SHARE).max(MIN_CAP) as u32;
        let mut index = Index { vectors, postings: Vec::new(), df, cap };
        index.postings = postings(&index);
        timings.step("related: postings");
        // One scratch space per worker thread (a split of the work each would zero and hold
        // megabytes per split at 100,000 papers).
        let scratches: Vec<std::sync::Mutex<Scratch>> =
            (0..rayon::current_num_threads()).map(|_| std::sync::Mutex::new(Scratch::new(n, index.df.len()))).collect();
        let lists = (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map(|i| {
                let worker = rayon::current_thread_index().unwrap_or(0) % scratches.len();
                let mut scratch = scratches[worker].lock().expect("a worker's own scratch");
                nearest(papers, &index, i, &mut scratch)
            })
            .collect();
        timings.step("related: nearest");
        Related { lists }
    }

    /// The lists of `old_site`'s papers carried over to `site` by paper key (papers new in
    /// `site` get none, papers gone leave every list): what the output shows until the lists
    /// are computed again for `site` (`serve` defers that; see `Project::related_job`).
    pub fn remap(&self, old_site: &Site, site: &Site) -> Related {
        let new_index: HashMap<&str, u32> =
            site.papers.iter().enumerate().map(|(i, p)| (p.key.as_str(), i as u32)).collect();
        let old_index: HashMap<&str, usize> =
            old_site.papers.iter().enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
        let lists = site
            .papers
            .iter()
            .map(|p| {
                let list = old_index.get(p.key.as_str()).map_or(&[][..], |&o| self.of(o));
                list.iter().filter_map(|&j| new_index.get(old_site.papers[j as usize].key.as_str()).copied()).collect()
            })
            .collect();
        Related { lists }
    }

    /// The related papers of paper `i`, best first.
    pub fn of(&self, i: usize) -> &[u32] {
        self.lists.get(i).map_or(&[], Vec::as_slice)
    }

    /// The papers whose related list differs from `old`'s, both of one model (the same
    /// papers at the same indices: what a summary edit or settling deferred lists compares).
    pub fn changed_in_place(&self, old: &Related) -> Vec<usize> {
        (0..self.lists.len()).filter(|&i| self.of(i) != old.of(i)).collect()
    }

    /// The papers of `site` whose related list, as a page shows it (each paper's slug, title
    /// and date), differs from what `old` gave them in `old_site` (new papers included).
    pub fn changed(&self, site: &Site, old: &Related, old_site: &Site) -> Vec<usize> {
        let old_index: HashMap<&str, usize> =
            old_site.papers.iter().enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
        let olds: Vec<Option<usize>> = site.papers.iter().map(|p| old_index.get(p.key.as_str()).copied()).collect();
        // Whether a paper's title, authors and tags are what they were: the reasons of the
        // pairs of such papers are too, so only the others' are made again (making every
        // reason twice took seconds at 100,000 papers).
        let same: Vec<bool> = (olds.iter().enumerate())
            .map(|(i, o)| o.is_some_and(|o| reason_inputs_equal(site, i, old_site, o)))
            .collect();
        (0..site.papers.len())
            .filter(|&i| match olds[i] {
                Some(o) => {
                    !shown(site, self, i, false).eq(shown(old_site, old, o, false))
                        || ((!same[i] || self.of(i).iter().any(|&j| !same[j as usize]))
                            && !shown(site, self, i, true).eq(shown(old_site, old, o, true)))
                }
                None => true,
            })
            .collect()
    }
}

impl super::Renderer<'_> {
    /// Paper `i`'s related papers as its page lists them (none without
    /// [`super::Renderer::with_related`]).
    pub(super) fn related_views(&self, i: usize) -> Vec<super::views::RelatedView<'_>> {
        let Some(related) = self.related else { return Vec::new() };
        related
            .of(i)
            .iter()
            .map(|&j| {
                let t = self.teaser(j as usize);
                super::views::RelatedView {
                    title_html: &t.title_html,
                    title_text: &t.title_text,
                    url: &t.url,
                    date: &t.date,
                    reason: reason(self.site, i, j as usize),
                }
            })
            .collect()
    }
}

/// Why paper `j` is related to paper `i`, in a line: shared authors first, then shared tags,
/// then the words their titles share (at most three, of four letters or more, boilerplate
/// left out), else what their summaries are about ("similar summaries").
pub fn reason(site: &Site, i: usize, j: usize) -> String {
    let (a, b) = (&site.papers[i], &site.papers[j]);
    let authors = shared(&a.authors, &b.authors, usize::MAX);
    if let Some(&first) = authors.first() {
        let more = if authors.len() > 1 { format!(" and {} more", authors.len() - 1) } else { String::new() };
        return format!("same authors: {}{more}", site.authors[first].name);
    }
    let tags = shared(&a.tags, &b.tags, 2);
    if !tags.is_empty() {
        let names: Vec<&str> = tags.iter().take(2).map(|&t| site.tags[t].name.as_str()).collect();
        return format!("both tagged {}", names.join(", "));
    }
    let (ta, tb) = (fold_text(&a.title), fold_text(&b.title));
    let in_b: HashSet<&str> = super::search::words(&tb).collect();
    let mut words: Vec<&str> = super::search::words(&ta)
        .filter(|w| w.len() >= 4 && BOILERPLATE.binary_search(w).is_err())
        .filter(|w| in_b.contains(w))
        .collect();
    words.dedup();
    words.truncate(3);
    if words.is_empty() { "similar summaries".into() } else { format!("both about {}", words.join(", ")) }
}

/// Paper `i`'s related papers as its page shows them: each one's slug, title and date, and
/// when `reasons`, the reason too (it depends on both papers' authors, tags and titles).
fn shown<'a>(
    site: &'a Site,
    related: &'a Related,
    i: usize,
    reasons: bool,
) -> impl Iterator<Item = (&'a str, &'a str, Option<&'a chrono::NaiveDate>, Option<String>)> {
    related.of(i).iter().map(move |&j| {
        let p = &site.papers[j as usize];
        (p.slug.as_str(), p.title.as_str(), p.dates.last(), reasons.then(|| reason(site, i, j as usize)))
    })
}

/// Whether paper `i` of `site` and paper `o` of `old_site` have the same title, authors and
/// tags (each by slug and name): what [`reason`] reads of a paper.
fn reason_inputs_equal(site: &Site, i: usize, old_site: &Site, o: usize) -> bool {
    let (a, b) = (&site.papers[i], &old_site.papers[o]);
    let terms = |x: &[usize], xs: &[crate::model::Term], y: &[usize], ys: &[crate::model::Term]| {
        x.len() == y.len() && x.iter().zip(y).all(|(&m, &n)| xs[m].slug == ys[n].slug && xs[m].name == ys[n].name)
    };
    a.title == b.title
        && terms(&a.authors, &site.authors, &b.authors, &old_site.authors)
        && terms(&a.tags, &site.tags, &b.tags, &old_site.tags)
}

fn word(text: &str) -> Word {
    let mut h = FxHasher::default();
    text.hash(&mut h);
    h.finish() & WORD
}

/// The digests' own wording, in nearly every summary whatever its topic ("the paper
/// proposes", "the authors demonstrate"), and English's commonest words: left out of the
/// vectors, so that they neither relate papers nor dilute what they are
/// about. Sorted.
const BOILERPLATE: &[&str] = &[
    "a",
    "achieve",
    "achieved",
    "achieves",
    "achieving",
    "address",
    "addresses",
    "ai",
    "aim",
    "aimed",
    "aims",
    "an",
    "and",
    "approach",
    "are",
    "as",
    "at",
    "authors",
    "be",
    "by",
    "can",
    "compared",
    "demonstrate",
    "demonstrates",
    "develop",
    "enables",
    "existing",
    "explore",
    "explores",
    "finding",
    "findings",
    "for",
    "from",
    "has",
    "have",
    "highlight",
    "highlights",
    "implications",
    "improve",
    "improved",
    "improves",
    "improving",
    "in",
    "indicate",
    "indicates",
    "into",
    "introduce",
    "introduces",
    "investigate",
    "investigates",
    "is",
    "it",
    "its",
    "key",
    "leverage",
    "leverages",
    "leveraging",
    "main",
    "method",
    "methodology",
    "methods",
    "novel",
    "objective",
    "of",
    "offer",
    "offers",
    "on",
    "or",
    "outperform",
    "outperforming",
    "outperforms",
    "paper",
    "potential",
    "potentially",
    "practitioners",
    "present",
    "presents",
    "primary",
    "propose",
    "proposed",
    "proposes",
    "provide",
    "provides",
    "research",
    "researchers",
    "result",
    "results",
    "show",
    "shows",
    "significant",
    "significantly",
    "study",
    "such",
    "suggest",
    "suggests",
    "than",
    "that",
    "the",
    "their",
    "these",
    "this",
    "to",
    "using",
    "utilize",
    "utilizes",
    "utilizing",
    "via",
    "was",
    "we",
    "were",
    "which",
    "while",
    "with",
    "work",
];

/// What a title word adds to a term's weight, in units of one BM25-saturated summary word
/// (a title says what a paper is about; its summary also says how, in words shared by other
/// topics). Added after saturation, so that the title keeps its weight against a long summary.
const TITLE_WEIGHT: f32 = 2.0;
/// What a title bigram (two neighbouring title words, boilerplate left out: "reward model",
/// "llm judge" from "LLM-as-a-Judge") weighs against a title word of the same rarity, and the
/// most inverse document frequency it counts: a phrase in two titles is a strong sign, but
/// not so strong that a rare one ("all one") outweighs the topic.
const BIGRAM_WEIGHT: f32 = 1.0;
const BIGRAM_IDF: f32 = 4.0;

/// A word's bit saying it is a title bigram (the lowest of its hash bits).
const BIGRAM: u64 = 0x1_0000;
/// A bag word's counts: in its summary (low byte) and in its title (high byte).
const BODY: u64 = 0xff;
const TITLE: u64 = 0xff00;

/// A word of a paper's vector: its folded form, a plural's final "s" dropped ("judges" is
/// "judge", "rewards" "reward"; "analysis", "class" and short words kept).
fn stem(w: &str) -> &str {
    let plural = w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("is") && !w.ends_with("us");
    if plural { &w[..w.len() - 1] } else { w }
}

/// A paper's words with their counts in the low bits (summary and title apart, see [`BODY`]
/// and [`TITLE`]; its title's bigrams too, see [`BIGRAM`]), sorted, and the length of its
/// summary (its word count).
fn bag(paper: &Paper) -> (Vec<Word>, f32) {
    let summary = &paper.summary;
    let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
    let texts = summary
        .lead
        .iter()
        .map(String::as_str)
        .chain(summary.sections.iter().map(|s| s.body.as_str()))
        .chain(abstract_text);
    let mut words: Vec<Word> = Vec::with_capacity(512);
    for text in texts {
        words.extend(kept(&fold_text(text)).map(|w| word(w) & !BIGRAM | 1));
    }
    let len = words.len() as f32;
    let title = fold_text(&paper.title);
    let mut previous: Option<&str> = None;
    for w in kept(&title) {
        words.push(word(w) & !BIGRAM | 0x100);
        if let Some(p) = previous {
            words.push(bigram(p, w) | BIGRAM | 0x100);
        }
        previous = Some(w);
    }
    words.sort_unstable();
    words.dedup_by(|next, kept| {
        let same = *next & WORD == *kept & WORD;
        if same {
            let body = ((*kept & BODY) + (*next & BODY)).min(BODY);
            let title = ((*kept & TITLE) + (*next & TITLE)).min(TITLE);
            *kept = (*kept & WORD) | body | title;
        }
        same
    });
    (words, len)
}

/// The words of folded text that a vector keeps: boilerplate left out, plurals stemmed.
fn kept(folded: &str) -> impl Iterator<Item = &str> {
    super::search::words(folded).filter(|w| BOILERPLATE.binary_search(w).is_err()).map(stem)
}

/// Two neighbouring title words as one.
fn bigram(a: &str, b: &str) -> Word {
    let mut h = FxHasher::default();
    (a, b).hash(&mut h);
    h.finish() & WORD
}

/// The distinct words of all papers, sorted (a word's position is its [`Term`]), and in how
/// many papers each is.
fn vocabulary(bags: &[(Vec<Word>, f32)]) -> (Vec<Word>, Vec<u32>) {
    let mut counts: HashMap<Word, u32> = HashMap::default();
    for (bag, _) in bags {
        for &w in bag {
            *counts.entry(w & WORD).or_insert(0) += 1;
        }
    }
    let mut words: Vec<(Word, u32)> = counts.into_iter().collect();
    words.par_sort_unstable();
    words.into_iter().unzip()
}

/// A bag's weights by term: BM25 on the summary, plus [`TITLE_WEIGHT`] per title word (at
/// most two), times the term's rarity; a title bigram's weight is capped
/// ([`BIGRAM_WEIGHT`], [`BIGRAM_IDF`]). Words in no other paper are left out (they relate
/// nothing, and would only make a long or idiosyncratic summary's other words lighter).
/// Scaled to unit length (so a dot product is a cosine), its [`MAX_TERMS`] heaviest kept, in
/// term order.
fn weigh(bag: &[Word], len: f32, average: f32, vocabulary: &[Word], df: &[u32], n: usize) -> Vec<(Term, f32)> {
    let norm = K1 * (1.0 - B + B * len / average.max(1.0));
    let mut vector: Vec<(Term, f32)> = bag
        .iter()
        .map(|&w| (vocabulary.binary_search(&(w & WORD)).expect("every word is in the vocabulary"), w))
        .filter(|&(t, _)| df[t] >= 2)
        .map(|(t, w)| {
            let d = df[t] as f32;
            let (body, title) = ((w & BODY) as f32, ((w & TITLE) >> 8).min(2) as f32);
            let idf = (1.0 + (n as f32 - d + 0.5) / (d + 0.5)).ln();
            let weight = if w & BIGRAM != 0 {
                BIGRAM_WEIGHT * TITLE_WEIGHT * title * idf.min(BIGRAM_IDF)
            } else {
                idf * (body * (K1 + 1.0) / (body + norm) + TITLE_WEIGHT * title)
            };
            (t as Term, weight)
        })
        .collect();
    let length = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if length > 0.0 {
        vector.iter_mut().for_each(|(_, w)| *w /= length);
    }
    if vector.len() > MAX_TERMS {
        vector.select_nth_unstable_by(MAX_TERMS - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        vector.truncate(MAX_TERMS);
        vector.sort_unstable_by_key(|&(t, _)| t);
    }
    vector.shrink_to_fit();
    vector
}

/// Each listed term's papers with their weights: its [`CHAMPIONS`] heaviest.
fn postings(index: &Index) -> Vec<Vec<(u32, f32)>> {
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); index.df.len()];
    for (doc, vector) in index.vectors.iter().enumerate() {
        for &(t, w) in vector.iter().filter(|(t, _)| index.listed(*t)) {
            postings[t as usize].push((doc as u32, w));
        }
    }
    postings.par_iter_mut().filter(|list| list.len() > CHAMPIONS).for_each(|list| {
        list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(CHAMPIONS);
    });
    postings
}

/// Best first, ties to the lower index.
fn by_score(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// A worker's space for [`nearest`], all zeros between calls: a score per paper (with the
/// papers touched), and a weight per term (the paper's own vector, spread out, so that a
/// candidate's cosine is one pass over its terms).
struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
    weights: Vec<f32>,
    candidates: Vec<(u32, f32)>,
}

impl Scratch {
    fn new(papers: usize, terms: usize) -> Scratch {
        Scratch { scores: vec![0.0; papers], touched: Vec::new(), weights: vec![0.0; terms], candidates: Vec::new() }
    }
}

/// Paper `i`'s related papers.
fn nearest(papers: &[Arc<Paper>], index: &Index, i: usize, scratch: &mut Scratch) -> Vec<u32> {
    let Scratch { scores, touched, weights, candidates } = scratch;
    let vector = &index.vectors[i];
    let mut top: Vec<(Term, f32)> = vector.iter().filter(|(t, _)| index.listed(*t)).copied().collect();
    if top.len() > TOP_TERMS {
        top.select_nth_unstable_by(TOP_TERMS - 1, by_score);
        top.truncate(TOP_TERMS);
    }
    top.sort_unstable_by(by_score);
    for (t, w) in &top {
        for &(doc, wd) in &index.postings[*t as usize] {
            if doc as usize == i {
                continue;
            }
            if scores[doc as usize] == 0.0 {
                touched.push(doc);
            }
            scores[doc as usize] += w * wd;
        }
    }
    candidates.clear();
    candidates.extend(touched.iter().map(|&d| (d, scores[d as usize])));
    for &d in touched.iter() {
        scores[d as usize] = 0.0;
    }
    touched.clear();
    if candidates.len() > RERANK {
        candidates.select_nth_unstable_by(RERANK - 1, by_score);
        candidates.truncate(RERANK);
    }
    for &(t, w) in vector {
        weights[t as usize] = w;
    }
    let cosine = |d: u32| index.vectors[d as usize].iter().map(|&(t, w)| weights[t as usize] * w).sum::<f32>();
    let mut scored: Vec<(u32, f32)> = candidates
        .iter()
        .map(|&(d, _)| (d, cosine(d) + bonus(&papers[i], &papers[d as usize])))
        .filter(|&(_, s)| s >= MIN_SCORE)
        .collect();
    for &(t, _) in vector {
        weights[t as usize] = 0.0;
    }
    scored.sort_unstable_by(by_score);
    scored.into_iter().take(COUNT).map(|(d, _)| d).collect()
}

/// What shared authors and tags add to the text's score.
fn bonus(a: &Paper, b: &Paper) -> f32 {
    let count = |x: &[usize], y: &[usize]| shared(x, y, 2).len() as f32;
    AUTHOR_BONUS * count(&a.authors, &b.authors) + TAG_BONUS * count(&a.tags, &b.tags)
}

/// The first `limit` items of `x` that `y` holds, in `x`'s order: a scan of `y` for each
/// while the lists are short (a paper's few authors and tags), a set of `y` past that (two
/// papers of 3,000 authors each would cost 9,000,000 comparisons).
fn shared(x: &[usize], y: &[usize], limit: usize) -> Vec<usize> {
    const SCAN_MAX: usize = 1024;
    if x.len().saturating_mul(y.len()) <= SCAN_MAX {
        return x.iter().filter(|t| y.contains(t)).copied().take(limit).collect();
    }
    let y: HashSet<usize> = y.iter().copied().collect();
    x.iter().filter(|t| y.contains(t)).copied().take(limit).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn boilerplate_is_sorted_for_its_binary_search() {
        assert!(super::BOILERPLATE.windows(2).all(|w| w[0] < w[1]));
    }

    use super::*;
    use crate::content::{Content, Entry, Source, summary};

    fn entry(i: usize, title: &str, text: &str) -> Entry {
        Entry {
            date: format!("2024-01-{:02}", 1 + i % 28).parse().unwrap(),
            title: title.into(),
            authors: vec![format!("Author {i}")],
            authors_from_table: false,
            arxiv: None,
            links: vec![],
            tags: vec![],
            slug: None,
            questions: vec![],
            draft: false,
            weight: None,
            summary: Arc::new(summary::split(text)),
            fetched: None,
            source: Source { file: format!("{i}.md").into(), line: 1 },
        }
    }

    #[test]
    fn papers_on_one_rare_topic_find_each_other_and_ties_go_by_index() {
        let topics = ["protein folding", "galaxy survey", "sparse attention", "speech codec", "robot grasping"];
        let mut entries: Vec<Entry> = (0..40)
            .map(|i| {
                let t = topics[i % topics.len()];
                entry(i, &format!("A study {i} of {t}"), &format!("We improve {t} with a model. Results are good."))
            })
            .collect();
        for (k, i) in [40, 41, 42].into_iter().enumerate() {
            let text = format!("Axolotl limb regeneration through blastema signalling, variant {k}.");
            entries.push(entry(i, &format!("Axolotl regeneration {k}"), &text));
        }
        let site = crate::model::assemble(Content { entries, days: vec![] }, false).0;
        let related = Related::compute(&site);
        let axolotl: Vec<usize> =
            (0..site.papers.len()).filter(|&i| site.papers[i].title.contains("Axolotl")).collect();
        for &i in &axolotl {
            let list: Vec<usize> = related.of(i).iter().map(|&j| j as usize).collect();
            for &j in axolotl.iter().filter(|&&j| j != i) {
                assert!(list[..2].contains(&j), "{i}: {list:?}");
            }
        }
        assert_eq!(related, Related::compute(&site), "deterministic");
        assert!(related.changed(&site, &related, &site).is_empty());
        assert!(related.changed_in_place(&related).is_empty());
        assert!(!related.changed_in_place(&Related::default()).is_empty());
    }

    #[test]
    fn a_reason_names_the_first_shared_author_in_the_first_papers_order_among_thousands() {
        let mut a = entry(0, "Collaboration one", "Text.");
        let mut b = entry(1, "Collaboration two", "Text.");
        a.authors = (0..3_000).map(|n| format!("Member {n}")).collect();
        b.authors = (0..3_000).map(|n| format!("Member {}", 10_000 + n)).collect();
        b.authors.extend(["Member 2999".to_string(), "Member 7".to_string()]);
        let site = crate::model::assemble(Content { entries: vec![a, b], days: vec![] }, false).0;
        assert_eq!(reason(&site, 0, 1), "same authors: Member 7 and 1 more");
        assert_eq!(reason(&site, 1, 0), "same authors: Member 2999 and 1 more");
    }
}
