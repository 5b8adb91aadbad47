//! The site model: entries from the content layer assembled into days, papers (one per arXiv
//! id, with every date it appeared on), authors and tags, each with a stable slug. Plain
//! data, no I/O.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;

use std::sync::Arc;

use crate::arxiv::base_id;
use crate::config::PaperUrls;
use crate::content::summary::Summary;
use crate::content::{Content, Entry, Fetched, Source};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify_nonempty;

/// The whole site, ready to render.
#[derive(Debug, Default, Clone)]
pub struct Site {
    /// Oldest first.
    pub days: Vec<Day>,
    /// In order of first appearance. Shared, so that copying the site to patch one paper
    /// (a title edit in `serve`) copies no paper.
    pub papers: Vec<Arc<Paper>>,
    /// By slug.
    pub authors: Vec<Term>,
    /// By slug.
    pub tags: Vec<Term>,
    /// How many papers give an author a page of their own (`author_page_min` of `site.toml`;
    /// 0, as in a model made without a config, gives everyone one): see [`Site::author_has_page`].
    pub author_page_min: usize,
}

/// One day's digest.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub title: Option<String>,
    pub intro: Option<String>,
    /// Indices into [`Site::papers`], in the day's order.
    pub papers: Vec<usize>,
    /// The files that give the day its own fields or mark it as a digest day.
    pub sources: Vec<Source>,
}

/// One paper, however many days it appeared on.
#[derive(Debug, Clone)]
pub struct Paper {
    /// What makes two entries the same paper: its arXiv id, or its title (see [`key_of`]).
    pub key: String,
    pub slug: String,
    pub title: String,
    /// The arXiv id as written (it may carry a version).
    pub arxiv: Option<String>,
    /// Indices into [`Site::authors`], in the paper's order.
    pub authors: Vec<usize>,
    /// Indices into [`Site::tags`].
    pub tags: Vec<usize>,
    /// Named links as given, without the ones derived from `arxiv`.
    pub links: Vec<(String, String)>,
    /// Oldest first.
    pub dates: Vec<NaiveDate>,
    pub summary: Arc<Summary>,
    /// What `papershelf enrich` fetched (abstract, upvotes, venue, DOI), from its first listing.
    pub fetched: Option<Arc<Fetched>>,
    /// Where the paper's fields come from (its first listing).
    pub source: Source,
    /// Every listing of the paper, the first one included.
    pub sources: Vec<Source>,
}

/// An author or a tag, with the papers under it (newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub papers: Vec<usize>,
}

impl Day {
    fn new(date: NaiveDate) -> Day {
        Day { date, title: None, intro: None, papers: Vec::new(), sources: Vec::new() }
    }
}

impl Site {
    /// Whether author `a` has a page and a feed of their own, or is linked to the search page
    /// filtered to them: the one place that decides it.
    pub fn author_has_page(&self, a: usize) -> bool {
        self.authors[a].papers.len() >= self.author_page_min
    }

    /// Total listings (a paper on two days counts twice).
    pub fn listings(&self) -> usize {
        self.days.iter().map(|d| d.papers.len()).sum()
    }

    /// The paper with this arXiv id (any version), if any.
    pub fn paper_by_arxiv(&self, id: &str) -> Option<&Paper> {
        let id = base_id(id);
        self.papers.iter().find(|p| p.arxiv.as_deref().map(base_id) == Some(id)).map(|p| &**p)
    }

    /// How many calendar months have a day with papers (the archive's months).
    pub fn months(&self) -> usize {
        use chrono::Datelike;
        let listed = self.days.iter().filter(|d| !d.papers.is_empty());
        let mut months: Vec<(i32, u32)> = listed.map(|d| (d.date.year(), d.date.month())).collect();
        months.dedup();
        months.len()
    }

    /// The index of the day of `date` in `days` (which are sorted by date), if there is one.
    pub fn day_index(&self, date: NaiveDate) -> Option<usize> {
        self.days.binary_search_by(|d| d.date.cmp(&date)).ok()
    }
}

/// Builds the model from everything read, papers named by their arXiv ids. Drafts are left out
/// unless `drafts` is set.
pub fn assemble(content: Content, drafts: bool) -> (Site, Vec<Diagnostic>) {
    assemble_as(content, drafts, PaperUrls::Arxiv)
}

/// The slug paper `entry` has whatever its title: its own `slug`, or (`urls` being arXiv) its
/// id's. `None`: its title's.
pub fn fixed_slug(entry: &Entry, urls: PaperUrls) -> Option<String> {
    let id = entry.arxiv.as_deref().filter(|_| urls == PaperUrls::Arxiv);
    // An old-style archive can spell a device name before its first `.` (`con.x/1234567`):
    // such a paper keeps its title's slug.
    let id_slug = id.and_then(crate::arxiv::slug).filter(|s| !crate::safe::is_device_name(s));
    entry.slug.clone().or(id_slug)
}

/// [`assemble`], papers named as `urls` says.
pub fn assemble_as(content: Content, drafts: bool, urls: PaperUrls) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut entries: Vec<Entry> = content.entries.into_iter().filter(|e| drafts || !e.draft).collect();
    // Entries arrive in file order, and in line order within a file; a stable sort by day
    // and weight keeps that order among equals.
    entries.sort_by_key(|e| (e.date, e.weight.unwrap_or(i64::MAX)));
    let mut days = days_of(content.days, &mut diagnostics);
    // Keys and title slugs (transliterated: the costly part) are made on every core first.
    let made: Vec<(String, Option<String>)> = entries
        .par_iter()
        .map(|e| {
            let fixed = fixed_slug(e, urls);
            let title_slug = fixed.is_none().then(|| crate::slug::paper_slug(&e.title));
            let key = key_with(e, || title_slug.clone().unwrap_or_else(|| crate::slug::paper_slug(&e.title)));
            (key, fixed.or(title_slug))
        })
        .collect();
    let mut papers = Papers::default();
    for (entry, (key, title_slug)) in entries.into_iter().zip(made) {
        let day = days.entry(entry.date).or_insert_with(|| Day::new(entry.date));
        match papers.by_key.get(&key) {
            Some(&index) => papers.relist(index, entry, day, &mut diagnostics),
            None => papers.add(entry, key, title_slug, day, &mut diagnostics),
        }
    }
    let Papers { mut list, author_names, tag_names, .. } = papers;
    let authors = terms(&mut list, &author_names, |p| &mut p.authors);
    let tags = terms(&mut list, &tag_names, |p| &mut p.tags);
    let papers = list.into_iter().map(Arc::new).collect();
    (Site { days: days.into_values().collect(), papers, authors, tags, author_page_min: 0 }, diagnostics)
}

/// The days named by day files, table digests' headings and `_day.toml`, with their title and
/// intro (a second title or intro for one day is a warning, and ignored).
fn days_of(infos: Vec<crate::content::DayInfo>, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<NaiveDate, Day> {
    let mut days: BTreeMap<NaiveDate, Day> = BTreeMap::new();
    let mut day_sources: HashMap<NaiveDate, Source> = HashMap::default();
    for info in infos {
        let day = days.entry(info.date).or_insert_with(|| Day::new(info.date));
        day.sources.push(info.source.clone());
        if info.title.is_none() && info.intro.is_none() {
            continue;
        }
        if let Some(prev) = day_sources.get(&info.date) {
            diagnostics.push(
                Diagnostic::warning(&info.source.file, format!("day {} already has a title or intro", info.date))
                    .at_line(info.source.line)
                    .with_hint(format!("it is also set in {}; keep one", prev.file.display())),
            );
            continue;
        }
        day_sources.insert(info.date, info.source.clone());
        day.title = info.title;
        day.intro = info.intro;
    }
    days
}

/// The papers being assembled, with what settles their identity and slugs, and the names of
/// their authors and tags (made into terms once every paper is in).
#[derive(Default)]
struct Papers {
    list: Vec<Paper>,
    by_key: HashMap<String, usize>,
    slugs: HashMap<String, usize>,
    author_names: Vec<Vec<String>>,
    tag_names: Vec<Vec<String>>,
}

impl Papers {
    /// Paper `index` listed again, on another day (the same day twice is a warning).
    fn relist(&mut self, index: usize, entry: Entry, day: &mut Day, diagnostics: &mut Vec<Diagnostic>) {
        let paper = &mut self.list[index];
        if paper.dates.contains(&entry.date) {
            let (file, line) = (paper.source.file.display(), paper.source.line);
            diagnostics.push(
                Diagnostic::warning(
                    &entry.source.file,
                    format!("\"{}\" is listed twice on {}", entry.title, entry.date),
                )
                .at_line(entry.source.line)
                .with_hint(format!("it is also at {file}:{line}; remove one")),
            );
            return;
        }
        paper.dates.push(entry.date);
        paper.sources.push(entry.source);
        day.papers.push(index);
    }

    /// A new paper, under its explicit slug (taken: an error), or its id's or its title's
    /// (taken: made unique; an id's only by a title slug spelling an old-style id, such as
    /// `hep-th-9901001`: ids are keys, so no two papers have one id).
    fn add(
        &mut self,
        entry: Entry,
        key: String,
        title_slug: Option<String>,
        day: &mut Day,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let index = self.list.len();
        let mut slug = title_slug.unwrap_or_default();
        if let Some(&other) = self.slugs.get(&slug) {
            if entry.slug.is_some() {
                let (file, line) = (self.list[other].source.file.display(), self.list[other].source.line);
                diagnostics.push(
                    Diagnostic::error(&entry.source.file, format!("slug \"{slug}\" is already used by another paper"))
                        .at_line(entry.source.line)
                        .with_hint(format!("{file}:{line} has the same slug; give this paper another `slug`")),
                );
                return;
            }
            slug = unique_slug(&slug, &entry, &self.slugs);
        }
        self.slugs.insert(slug.clone(), index);
        self.by_key.insert(key.clone(), index);
        day.papers.push(index);
        self.author_names.push(entry.authors);
        self.tag_names.push(entry.tags);
        self.list.push(Paper {
            key,
            slug,
            title: entry.title,
            arxiv: entry.arxiv,
            authors: Vec::new(),
            tags: Vec::new(),
            links: entry.links,
            dates: vec![entry.date],
            summary: entry.summary,
            fetched: entry.fetched,
            sources: vec![entry.source.clone()],
            source: entry.source,
        });
    }
}

/// The identity of the paper an entry lists: its arXiv id without version, or else its title
/// (as a slug, so spacing and case do not matter). An explicit `slug` only names the page: two
/// different papers that claim one slug are an error, not one paper.
pub fn key_of(entry: &Entry) -> String {
    key_with(entry, || crate::slug::paper_slug(&entry.title))
}

/// [`key_of`], with the title's slug from `title_slug` when the entry has no arXiv id (so a
/// caller that has made it already does not transliterate the title twice).
fn key_with(entry: &Entry, title_slug: impl FnOnce() -> String) -> String {
    match &entry.arxiv {
        Some(id) => format!("arxiv:{}", base_id(id)),
        None => format!("title:{}", title_slug()),
    }
}

/// Gives paper `i` a new title, and the slug it implies unless `explicit_slug` (the entry sets
/// its own). Returns false, changing nothing, when [`assemble`] could give a different result
/// than this one paper's change: its slug was made unique with a suffix, or another paper's
/// slug is, or takes, the new one (slugs are settled in entry order across the whole site).
pub fn retitle(site: &mut Site, i: usize, title: &str, explicit_slug: bool) -> bool {
    let paper = &site.papers[i];
    let slug = if explicit_slug { paper.slug.clone() } else { crate::slug::paper_slug(title) };
    if !explicit_slug && paper.slug != crate::slug::paper_slug(&paper.title) {
        return false;
    }
    let (old_prefix, new_prefix) = (format!("{}-", paper.slug), format!("{slug}-"));
    let clash =
        site.papers.iter().enumerate().any(|(j, p)| {
            j != i && (p.slug == slug || p.slug.starts_with(&old_prefix) || p.slug.starts_with(&new_prefix))
        });
    if clash {
        return false;
    }
    let paper = Arc::make_mut(&mut site.papers[i]);
    paper.title = title.to_string();
    paper.slug = slug;
    true
}

/// A slug not yet taken: the title's slug with the arXiv id, or the date, or a counter.
fn unique_slug(base: &str, entry: &Entry, taken: &HashMap<String, usize>) -> String {
    let mut candidates = Vec::new();
    if let Some(id) = &entry.arxiv {
        candidates.push(format!("{base}-{}", slugify_nonempty(base_id(id))));
    }
    candidates.push(format!("{base}-{}", entry.date));
    candidates
        .into_iter()
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|c| !taken.contains_key(c))
        .expect("an unbounded sequence has a free name")
}

/// Groups names into terms by slug (the first spelling seen names the term), sets each
/// paper's term indices, and lists each term's papers newest first.
fn terms(papers: &mut [Paper], names: &[Vec<String>], field: impl Fn(&mut Paper) -> &mut Vec<usize>) -> Vec<Term> {
    // Each distinct spelling is slugified once (it is the costly part: transliteration), on
    // every core; the terms are the distinct slugs in order, each named by its first spelling.
    let spellings: HashSet<&str> = names.iter().flatten().map(String::as_str).collect();
    let slug_of: HashMap<&str, String> = spellings.into_par_iter().map(|n| (n, slugify_nonempty(n))).collect();
    let mut slugs: Vec<&str> = slug_of.values().map(String::as_str).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let position: HashMap<&str, usize> = slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut terms: Vec<Option<Term>> = (0..slugs.len()).map(|_| None).collect();
    for (index, list) in names.iter().enumerate() {
        let indices = field(&mut papers[index]);
        for name in list {
            let slug = &slug_of[name.as_str()];
            let t = position[slug.as_str()];
            let term =
                terms[t].get_or_insert_with(|| Term { name: name.clone(), slug: slug.clone(), papers: Vec::new() });
            if term.papers.last() != Some(&index) {
                term.papers.push(index);
            }
            if !indices.contains(&t) {
                indices.push(t);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_iter().map(|t| t.expect("every slug has a spelling")).collect();
    for term in &mut terms {
        term.papers.sort_by(|&a, &b| papers[b].dates[0].cmp(&papers[a].dates[0]).then(a.cmp(&b)));
    }
    terms
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::summary;
    use std::path::PathBuf;

    /// A small site for other modules' unit tests: two days, three papers, two authors.
    pub(crate) fn sample_site() -> Site {
        let entries = vec![
            entry("2024-12-31", "Same", Some("2412.18525"), &["Ann"]),
            entry("2025-01-01", "Same", Some("2412.18525v2"), &["Ann"]),
            entry("2025-01-01", "Other", Some("2501.00001"), &["Ann", "Bob"]),
            entry("2025-01-01", "Third", None, &["Bob"]),
        ];
        assemble(Content { entries, days: vec![] }, false).0
    }

    #[test]
    fn an_id_spelling_a_device_name_leaves_the_paper_its_title_slug() {
        let device = entry("2024-10-22", "Old paper", Some("con.x/1234567"), &[]);
        assert_eq!(fixed_slug(&device, PaperUrls::Arxiv), None);
        let fine = entry("2024-10-22", "Old paper", Some("hep-th/9901001"), &[]);
        assert_eq!(fixed_slug(&fine, PaperUrls::Arxiv).as_deref(), Some("hep-th-9901001"));
    }

    fn entry(date: &str, title: &str, arxiv: Option<&str>, authors: &[&str]) -> Entry {
        Entry {
            date: date.parse().unwrap(),
            title: title.into(),
            authors: authors.iter().map(std::string::ToString::to_string).collect(),
            authors_from_table: false,
            arxiv: arxiv.map(str::to_string),
            links: vec![],
            tags: vec!["LLM".into()],
            slug: None,
            questions: vec![],
            draft: false,
            weight: None,
            summary: Arc::new(summary::split("a) X. b) Y. Follow-up questions: 1. Q?")),
            fetched: None,
            source: Source { file: PathBuf::from(format!("{date}.md")), line: 1 },
        }
    }

    #[test]
    fn one_paper_per_arxiv_id_with_every_date() {
        let content = Content {
            entries: vec![
                entry("2024-12-31", "Same", Some("2412.18525"), &["Ann"]),
                entry("2025-01-01", "Same", Some("2412.18525v2"), &["Ann"]),
                entry("2025-01-01", "Other", Some("2501.00001"), &["Ann", "Bob"]),
            ],
            days: vec![],
        };
        let (site, diagnostics) = assemble(content, false);
        assert!(diagnostics.is_empty());
        assert_eq!(site.papers.len(), 2);
        assert_eq!(site.days.len(), 2);
        assert_eq!(site.papers[0].dates.len(), 2);
        assert_eq!(site.days[1].papers, [0, 1]);
        assert_eq!(site.authors.len(), 2);
        assert_eq!(site.authors[0].papers, [1, 0], "newest first");
        assert_eq!(site.tags[0].slug, "llm");
        assert_eq!(site.papers[0].summary.questions, ["Q?"]);
    }

    #[test]
    fn same_title_gets_distinct_slugs() {
        let content = Content {
            entries: vec![
                entry("2024-01-01", "Same", Some("2401.00001"), &[]),
                entry("2024-01-01", "Same", Some("2401.00002"), &[]),
            ],
            days: vec![],
        };
        let (site, _) = assemble_as(content, false, PaperUrls::Title);
        assert_eq!(site.papers[0].slug, "same");
        assert_eq!(site.papers[1].slug, "same-2401-00002");
    }

    #[test]
    fn papers_are_named_by_their_arxiv_ids_unless_a_slug_or_the_site_says_otherwise() {
        let mut own = entry("2024-01-01", "Own slug", Some("2401.00003"), &[]);
        own.slug = Some("mine".into());
        let entries = vec![
            entry("2024-01-01", "Same", Some("2401.00001v3"), &[]),
            entry("2024-01-01", "Same", Some("2401.00002"), &[]),
            entry("2024-01-01", "Old style", Some("hep-th/9901001"), &[]),
            entry("2024-01-01", "No id at all", None, &[]),
            own,
        ];
        let content = Content { entries: entries.clone(), days: vec![] };
        let (site, diagnostics) = assemble(content, false);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let slugs: Vec<&str> = site.papers.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["2401.00001", "2401.00002", "hep-th-9901001", "no-id-at-all", "mine"]);
        assert!(slugs.iter().all(|s| crate::safe::is_inside(s)));
        let (site, _) = assemble_as(Content { entries: entries.clone(), days: vec![] }, false, PaperUrls::Title);
        let slugs: Vec<&str> = site.papers.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["same", "same-2401-00002", "old-style", "no-id-at-all", "mine"]);
        // A new title leaves an id's page where it is.
        assert!(fixed_slug(&entries[0], PaperUrls::Arxiv).is_some());
        assert!(fixed_slug(&entries[0], PaperUrls::Title).is_none());
        assert!(fixed_slug(&entries[3], PaperUrls::Arxiv).is_none());
    }

    #[test]
    fn drafts_are_left_out() {
        let mut e = entry("2024-01-01", "Draft", None, &[]);
        e.draft = true;
        let (site, _) = assemble(Content { entries: vec![e.clone()], days: vec![] }, false);
        assert!(site.papers.is_empty());
        let (site, _) = assemble(Content { entries: vec![e], days: vec![] }, true);
        assert_eq!(site.papers.len(), 1);
    }
}
