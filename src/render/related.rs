//! Related papers: for every paper, the [`COUNT`] nearest others by text (title, summary, and
//! the arXiv abstract when fetched), BM25-weighted vectors compared by cosine, with a little
//! weight for shared authors and tags. Input: the model; output: each paper's list.
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
use rustc_hash::{FxHashMap as HashMap, FxHasher};

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
        (0..site.papers.len())
            .filter(|&i| match old_index.get(site.papers[i].key.as_str()) {
                Some(&o) => !shown(site, self, i).eq(shown(old_site, old, o)),
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
    let shared = |x: &[usize], y: &[usize]| x.iter().filter(|t| y.contains(t)).copied().collect::<Vec<usize>>();
    let authors = shared(&a.authors, &b.authors);
    if let Some(&first) = authors.first() {
        let more = if authors.len() > 1 { format!(" and {} more", authors.len() - 1) } else { String::new() };
        return format!("same authors: {}{more}", site.authors[first].name);
    }
    let tags = shared(&a.tags, &b.tags);
    if !tags.is_empty() {
        let names: Vec<&str> = tags.iter().take(2).map(|&t| site.tags[t].name.as_str()).collect();
        return format!("both tagged {}", names.join(", "));
    }
    let (ta, tb) = (fold_text(&a.title), fold_text(&b.title));
    let mut words: Vec<&str> = super::search::words(&ta)
        .filter(|w| w.len() >= 4 && BOILERPLATE.binary_search(w).is_err())
        .filter(|w| super::search::words(&tb).any(|v| v == *w))
        .collect();
    words.dedup();
    words.truncate(3);
    if words.is_empty() { "similar summaries".into() } else { format!("both about {}", words.join(", ")) }
}

/// Related paper `i` of `site` as a page shows it (the reason too: it depends on both
/// papers' authors, tags and titles).
fn shown<'a>(
    site: &'a Site,
    related: &'a Related,
    i: usize,
) -> impl Iterator<Item = (&'a str, &'a str, Option<&'a chrono::NaiveDate>, String)> {
    related.of(i).iter().map(move |&j| {
        let p = &site.papers[j as usize];
        (p.slug.as_str(), p.title.as_str(), p.dates.last(), reason(site, i, j as usize))
    })
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
    "aim",
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
    "demonstrate",
    "demonstrates",
    "enables",
    "finding",
    "findings",
    "for",
    "from",
    "has",
    "have",
    "implications",
    "in",
    "into",
    "introduce",
    "introduces",
    "is",
    "it",
    "its",
    "key",
    "main",
    "method",
    "methodology",
    "methods",
    "novel",
    "objective",
    "of",
    "on",
    "or",
    "paper",
    "practitioners",
    "present",
    "presents",
    "primary",
    "propose",
    "proposed",
    "proposes",
    "research",
    "researchers",
    "result",
    "results",
    "show",
    "shows",
    "study",
    "such",
    "than",
    "that",
    "the",
    "their",
    "these",
    "this",
    "to",
    "using",
    "via",
    "was",
    "we",
    "were",
    "which",
    "while",
    "with",
    "work",
];

/// How much a word of the title counts against one of the summary (on the real corpus's
/// judged families, 2 → 3 with [`BOILERPLATE`] left out took precision from 0.48 to 0.52;
/// bigrams, tried, lowered it: a title's "all in one" outweighed its topic).
const TITLE_WEIGHT: u64 = 3;

/// A paper's words with their counts (a title's weigh [`TITLE_WEIGHT`] times a summary's) in
/// the low bits, sorted, and its length (the sum of the counts).
fn bag(paper: &Paper) -> (Vec<Word>, f32) {
    let summary = &paper.summary;
    let abstract_text = paper.fetched.as_ref().and_then(|f| f.abstract_text.as_deref());
    let texts = std::iter::once((paper.title.as_str(), TITLE_WEIGHT))
        .chain(summary.lead.iter().map(|t| (t.as_str(), 1)))
        .chain(summary.sections.iter().map(|s| (s.body.as_str(), 1)))
        .chain(abstract_text.map(|t| (t, 1)));
    let mut words: Vec<Word> = Vec::with_capacity(512);
    for (text, weight) in texts {
        let folded = fold_text(text);
        let kept = super::search::words(&folded).filter(|w| BOILERPLATE.binary_search(w).is_err());
        words.extend(kept.map(|w| word(w) | weight));
    }
    let len = words.iter().map(|w| (w & !WORD) as f32).sum();
    words.sort_unstable();
    words.dedup_by(|next, kept| {
        let same = *next & WORD == *kept & WORD;
        if same {
            *kept = (*kept & WORD) | ((*kept & !WORD) + (*next & !WORD)).min(!WORD);
        }
        same
    });
    (words, len)
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

/// A bag's BM25 weights by term, scaled to unit length (so a dot product is a cosine), its
/// [`MAX_TERMS`] heaviest kept, in term order.
fn weigh(bag: &[Word], len: f32, average: f32, vocabulary: &[Word], df: &[u32], n: usize) -> Vec<(Term, f32)> {
    let norm = K1 * (1.0 - B + B * len / average.max(1.0));
    let mut vector: Vec<(Term, f32)> = bag
        .iter()
        .map(|&w| (vocabulary.binary_search(&(w & WORD)).expect("every word is in the vocabulary"), w))
        .map(|(t, w)| {
            let (d, tf) = (df[t] as f32, (w & !WORD) as f32);
            let idf = (1.0 + (n as f32 - d + 0.5) / (d + 0.5)).ln();
            (t as Term, idf * tf * (K1 + 1.0) / (tf + norm))
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
    let shared = |x: &[usize], y: &[usize]| x.iter().filter(|t| y.contains(t)).count().min(2) as f32;
    AUTHOR_BONUS * shared(&a.authors, &b.authors) + TAG_BONUS * shared(&a.tags, &b.tags)
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
}
