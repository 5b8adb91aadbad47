//! Incremental rebuilds (what `serve` does on save, with its caches kept between builds):
//! after any edit, the updated output is byte-for-byte the output a full build of the
//! edited site writes, and far fewer pages are rendered.

use std::path::Path;

use papershelf::project::Project;
use papershelf::project::{Mode, Options};

use crate::support::{TestSite, tree};

pub fn assert_same_as_full_build(site: &TestSite, live: &Path) {
    assert_same_as_build_with(site, live, Options::default());
}

/// What `serve` does on a save (scan the content, update `live` in place), then the check that
/// the result is a full build's.
fn save_and_compare(project: &mut Project, site: &TestSite, live: &Path) {
    let changed = project.scan();
    project.update(live, &changed).unwrap();
    assert_same_as_full_build(site, live);
}

/// [`assert_same_as_full_build`] for a build with `options` (`serve`'s base URL).
pub fn assert_same_as_build_with(site: &TestSite, live: &Path, options: Options) {
    let fresh = site.path().join("fresh");
    let mut project = Project::open(site.path(), options).unwrap();
    project.build_full(&fresh).unwrap();
    let (a, b) = (tree(live), tree(&fresh));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<std::collections::BTreeSet<_>>();
    let (na, nb) = (names(&a), names(&b));
    assert!(
        na == nb,
        "only in the update: {:?}; only in the full build: {:?}",
        na.difference(&nb).collect::<Vec<_>>(),
        nb.difference(&na).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        if x != y {
            let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            let at = x.chars().zip(y.chars()).take_while(|(a, b)| a == b).count();
            let near = |s: &str| s.chars().skip(at.saturating_sub(200)).take(400).collect::<String>();
            panic!("{name} differs from a full build:\n--- updated\n{}\n--- full\n{}", near(&x), near(&y));
        }
    }
    std::fs::remove_dir_all(fresh).unwrap();
}

#[test]
fn edits_update_only_what_they_touch_and_match_a_full_build() {
    let site = TestSite::from_fixture("corpus-sample");
    site.write(
        "content/2024-10-22/extra.md",
        "+++\ntitle = \"An extra paper\"\nauthors = [\"Hongwei Liu\", \"New Person\"]\ntags = [\"judges\"]\nweight = 3\n+++\n\nSome text.\n",
    );
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    let full = project.build_full(&live).unwrap();

    // Edit one paper file: new title (so a new slug), a new author, a new tag.
    site.write(
        "content/2024-10-22/extra.md",
        "+++\ntitle = \"An extra paper, renamed\"\nauthors = [\"Hongwei Liu\", \"Other Person\"]\ntags = [\"evaluation\"]\nweight = 3\n+++\n\nOther text.\n",
    );
    let changed = project.scan();
    assert_eq!(changed.len(), 1);
    let written = project.update(&live, &changed).unwrap();
    assert!(written.pages * 10 < full.pages, "{} of {} pages rendered", written.pages, full.pages);
    assert!(!live.join("papers/an-extra-paper/index.html").exists(), "the old slug's page is gone");
    assert!(!live.join("authors/new-person/index.html").exists());
    assert!(live.join("tags/evaluation/index.html").exists());
    assert_same_as_full_build(&site, &live);

    // Edit only the text: the fast path patches the summary and renders few pages.
    site.write(
        "content/2024-10-22/extra.md",
        "+++\ntitle = \"An extra paper, renamed\"\nauthors = [\"Hongwei Liu\", \"Other Person\"]\ntags = [\"evaluation\"]\nweight = 3\n+++\n\nA new first sentence. Other text.\n",
    );
    let changed = project.scan();
    let written = project.update(&live, &changed).unwrap();
    // The paper, its day, the home page, its week and month, and the papers whose related list
    // (as their pages show it) the new words change: four here since related papers weigh
    // words shared by few papers (seen: Home, Day, 5 papers, Week, Month). Never an author's,
    // a tag's or another day's page.
    assert!(written.pages <= 10, "{} pages rendered for a text edit", written.pages);
    assert_same_as_full_build(&site, &live);
    let digest = site.read("content/2024-12-31.md");
    let row = digest.lines().find(|l| l.starts_with("| ") && l.contains("arxiv.org")).unwrap().to_string();
    let (head, summary) = row.rsplit_once("|  ").or_else(|| row.rsplit_once("| ")).unwrap();
    let _ = summary;
    site.write("content/2024-12-31.md", digest.replace(&row, &format!("{head}| A rewritten summary.  |")));
    save_and_compare(&mut project, &site, &live);

    // Edit a row of a table digest.
    let digest = site.read("content/2024-12-31.md");
    let first_row = digest.lines().find(|l| l.starts_with("| ") && l.contains("arxiv.org")).unwrap().to_string();
    let edited = first_row.replacen("| ", "| Retitled: ", 1);
    site.write("content/2024-12-31.md", digest.replace(&first_row, &edited));
    save_and_compare(&mut project, &site, &live);

    // A new day, then a deleted file.
    site.write("content/2026-01-05/new.md", "+++\ntitle = \"Newest\"\nauthors = [\"Ann\"]\n+++\n\nNew.\n");
    save_and_compare(&mut project, &site, &live);
    std::fs::remove_file(site.path().join("content/2024-10-22/extra.md")).unwrap();
    save_and_compare(&mut project, &site, &live);
}

#[test]
fn a_bad_edit_keeps_the_output_and_the_next_good_one_recovers() {
    let site = TestSite::from_fixture("corpus-sample");
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    let before = tree(&live);
    site.write("content/2024-10-22/bad.md", "+++\ntitle = \"x\"\ndate = 2024-13-01\n+++\n");
    let changed = project.scan();
    assert!(project.update(&live, &changed).is_err());
    assert!(before == tree(&live), "output unchanged after a bad edit");
    site.write("content/2024-10-22/bad.md", "+++\ntitle = \"Fixed\"\n+++\n");
    save_and_compare(&mut project, &site, &live);
}

#[test]
fn title_edits_patch_the_model_or_fall_back_and_match_a_full_build() {
    let site = TestSite::from_fixture("corpus-sample");
    // Pages named by their titles, so that a new title moves a page (arXiv ids never move).
    site.write("site.toml", site.read("site.toml") + "paper_urls = \"title\"\n");
    let paper = |title: &str, id: &str, slug: Option<&str>| {
        let slug = slug.map(|s| format!("slug = \"{s}\"\n")).unwrap_or_default();
        format!(
            "+++\ntitle = \"{title}\"\narxiv = \"{id}\"\n{slug}authors = [\"Ann Lee\"]\nweight = 1\n+++\n\nText of {id}.\n"
        )
    };
    site.write("content/2024-10-22/one.md", paper("First title", "2410.99001", None));
    site.write("content/2024-10-22/two.md", paper("Second title", "2410.99002", None));
    site.write("content/2024-10-22/three.md", paper("Third title", "2410.99003", Some("fixed-slug")));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    let edits = [
        // A new title, so a new slug: the model is patched.
        ("one.md", paper("First title, renamed", "2410.99001", None)),
        // A new title and new text together.
        ("one.md", paper("First title, renamed again", "2410.99001", None).replace("Text of", "New text of")),
        // A title whose slug another paper has: the whole model is made again.
        ("one.md", paper("Second title", "2410.99001", None)),
        // The paper that had the suffixed slug is renamed away: the other's slug changes too.
        ("one.md", paper("Something else", "2410.99001", None)),
        // An explicit slug stays.
        ("three.md", paper("Third title, renamed", "2410.99003", Some("fixed-slug"))),
    ];
    for (file, text) in edits {
        site.write(&format!("content/2024-10-22/{file}"), &text);
        save_and_compare(&mut project, &site, &live);
    }
    assert!(live.join("papers/something-else/index.html").exists());
    assert!(live.join("papers/second-title/index.html").exists());
    assert!(live.join("papers/fixed-slug/index.html").exists());
    assert!(!live.join("papers/first-title-renamed/index.html").exists());
}

#[test]
fn watched_paths_leave_out_temporary_files_and_see_removed_folders() {
    let site = TestSite::from_fixture("corpus-sample");
    site.write("content/2024-10-22/a.md", "+++\ntitle = \"A paper\"\nauthors = [\"Ann\"]\n+++\n\nText.\n");
    site.write("content/2025-02-02/b.md", "+++\ntitle = \"B paper\"\nauthors = [\"Bo\"]\n+++\n\nText.\n");
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    // An editor saving through a temporary file: the temporary is gone by the time the
    // watcher's events are read, and a backup file stays.
    let content = site.path().join("content");
    site.write("content/2024-10-22/a.md", "+++\ntitle = \"A paper, renamed\"\nauthors = [\"Ann\"]\n+++\n\nText.\n");
    site.write("content/2024-10-22/a.md~", "old");
    let events = [
        content.join("2024-10-22/.a.md.swx"),
        content.join("2024-10-22/sed4Xk2"),
        content.join("2024-10-22/a.md~"),
        content.join("2024-10-22/a.md"),
    ];
    let changed = project.scan_paths(&events);
    assert_eq!(changed, [content.join("2024-10-22/a.md")]);
    project.update(&live, &changed).unwrap();
    assert_same_as_full_build(&site, &live);
    // A removed folder is reported alone.
    std::fs::remove_dir_all(content.join("2025-02-02")).unwrap();
    let changed = project.scan_paths(&[content.join("2025-02-02")]);
    assert_eq!(changed, [content.join("2025-02-02/b.md")]);
    project.update(&live, &changed).unwrap();
    assert_same_as_full_build(&site, &live);
}

#[test]
fn a_file_the_build_skips_is_skipped_on_save_too() {
    let site = TestSite::from_fixture("corpus-sample");
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    // An editor's or a person's "#" file is no content for the build's walk: a save of one
    // must not put its paper into the preview either.
    let content = site.path().join("content");
    site.write("content/2024-10-22/#draft.md", "+++\ntitle = \"Not yet\"\nauthors = [\"Ann\"]\n+++\n\nText.\n");
    let changed = project.scan_paths(&[content.join("2024-10-22/#draft.md")]);
    assert!(changed.is_empty(), "{changed:?}");
    assert_same_as_full_build(&site, &live);
}

#[test]
fn a_term_renamed_by_another_paper_is_updated_everywhere_it_shows() {
    let site = TestSite::from_fixture("corpus-sample");
    let paper = |title: &str, id: &str, author: &str, text: &str| {
        format!("+++\ntitle = \"{title}\"\narxiv = \"{id}\"\nauthors = [\"{author}\"]\nweight = 1\n+++\n\n{text}\n")
    };
    site.write("content/2024-10-22/a.md", paper("Alpha", "2410.99101", "Johann Strauß", "Text of alpha."));
    site.write("content/2024-10-23/b.md", paper("Beta", "2410.99102", "Johann Strauss", "Text of beta."));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    // The author is named by its first spelling, Alpha's; Alpha drops it.
    site.write("content/2024-10-22/a.md", paper("Alpha", "2410.99101", "Someone Else", "Text of alpha."));
    save_and_compare(&mut project, &site, &live);
    // Then only Beta's text changes.
    site.write("content/2024-10-23/b.md", paper("Beta", "2410.99102", "Johann Strauss", "New text of beta."));
    save_and_compare(&mut project, &site, &live);
}

#[test]
fn related_lists_feeds_and_bibtex_follow_edits_and_match_a_full_build() {
    let site = TestSite::from_fixture("corpus-sample");
    // Pages named by their titles, so that a new title moves a page (arXiv ids never move).
    site.write("site.toml", site.read("site.toml") + "paper_urls = \"title\"\n");
    let paper = |title: &str, id: &str, author: &str, tag: &str, text: &str| {
        format!(
            "+++\ntitle = \"{title}\"\narxiv = \"{id}\"\nauthors = [\"{author}\"]\ntags = [\"{tag}\"]\n+++\n\n{text}\n"
        )
    };
    let axolotl = "Axolotl limbs regrow from a blastema; wound epidermis signalling drives the regeneration.";
    site.write("content/2024-10-22/a.md", paper("Axolotl limb regrowth", "2410.99201", "Ann", "Biology", axolotl));
    site.write("content/2024-12-13/b.md", paper("Blastema signals", "2410.99202", "Bo", "Cells", axolotl));
    let fibres = "Optical fibres carry light; we measure their loss over kilometres.";
    site.write("content/2025-01-01/c.md", paper("Fibre loss", "2410.99203", "Cy", "Optics", fibres));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    let page = |slug: &str| std::fs::read_to_string(live.join(format!("papers/{slug}/index.html"))).unwrap();
    let related = |slug: &str| page(slug).split("id=\"related\"").nth(1).map(str::to_string).unwrap_or_default();
    assert!(related("axolotl-limb-regrowth").contains("/papers/blastema-signals/"));
    assert!(!related("axolotl-limb-regrowth").contains("/papers/fibre-loss/"));

    // Only C's text changes (the summaries' fast path): it now shares the topic, and A's and
    // B's pages, which it was not on, list it.
    let text = format!("{axolotl} Optical fibres image the axolotl blastema.");
    site.write("content/2025-01-01/c.md", paper("Fibre loss", "2410.99203", "Cy", "Optics", &text));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(related("axolotl-limb-regrowth").contains("/papers/fibre-loss/"));
    assert!(page("fibre-loss").contains("image the axolotl"));
    assert_same_as_full_build(&site, &live);

    // B gets a new title (so a new slug, and a new .bib file) and another topic.
    site.write("content/2024-12-13/b.md", paper("Glass chemistry", "2410.99202", "Bo", "Cells", "Silica melts."));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!related("axolotl-limb-regrowth").contains("/papers/blastema-signals/"));
    assert!(!live.join("papers/blastema-signals/blastema-signals.bib").exists());
    assert!(live.join("papers/glass-chemistry/glass-chemistry.bib").exists());
    assert_same_as_full_build(&site, &live);

    // C's file goes, and with it its day, its author and its tag (and their feed and .bib).
    std::fs::remove_file(site.path().join("content/2025-01-01/c.md")).unwrap();
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!live.join("tags/optics/feed.xml").exists());
    assert_same_as_full_build(&site, &live);
}

#[test]
fn a_deferred_text_edit_is_written_at_once_and_its_related_papers_follow() {
    let site = TestSite::from_fixture("corpus-sample");
    // Pages named by their titles, so that a new title moves a page (arXiv ids never move).
    site.write("site.toml", site.read("site.toml") + "paper_urls = \"title\"\n");
    let paper = |title: &str, id: &str, author: &str, text: &str| {
        format!("+++\ntitle = \"{title}\"\narxiv = \"{id}\"\nauthors = [\"{author}\"]\n+++\n\n{text}\n")
    };
    let axolotl = "Axolotl limbs regrow from a blastema; wound epidermis signalling drives the regeneration.";
    site.write("content/2024-10-22/a.md", paper("Axolotl limb regrowth", "2410.99201", "Ann", axolotl));
    site.write("content/2024-12-13/b.md", paper("Blastema signals", "2410.99202", "Bo", axolotl));
    let fibres = "Optical fibres carry light; we measure their loss over kilometres.";
    site.write("content/2025-01-01/c.md", paper("Fibre loss", "2410.99203", "Cy", fibres));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options { mode: Mode::Serve, ..Options::default() }).unwrap();
    project.build_full(&live).unwrap();
    assert!(project.related_job().is_none(), "a full build leaves nothing behind");
    let page = |slug: &str| std::fs::read_to_string(live.join(format!("papers/{slug}/index.html"))).unwrap();
    let related = |slug: &str| page(slug).split("id=\"related\"").nth(1).map(str::to_string).unwrap_or_default();
    let edit = |project: &mut Project, text: &str| {
        site.write("content/2025-01-01/c.md", paper("Fibre loss", "2410.99203", "Cy", text));
        let changed = project.scan();
        project.update(&live, &changed).unwrap();
    };

    // C's text now shares A's topic: its page is written at once, A's list follows later.
    edit(&mut project, &format!("{axolotl} Optical fibres image the axolotl blastema."));
    assert!(page("fibre-loss").contains("Optical fibres image the axolotl blastema."));
    assert!(!related("axolotl-limb-regrowth").contains("/papers/fibre-loss/"), "not yet");
    let job = project.related_job().expect("the related papers are behind");
    let (written, urls) = project.settle_related(&live, job.run()).unwrap().expect("still current");
    assert!(written.changed >= 2, "A's and B's pages list C now: {written:?}");
    assert!(urls.contains(&"/papers/axolotl-limb-regrowth/".to_string()), "{urls:?}");
    assert!(related("axolotl-limb-regrowth").contains("/papers/fibre-loss/"));
    assert_same_as_full_build(&site, &live);
    assert!(project.related_job().is_none());

    // A job overtaken by another edit is dropped; the newer one settles the site.
    edit(&mut project, fibres);
    let old_job = project.related_job().unwrap();
    edit(&mut project, &format!("{fibres} Still about fibres."));
    let new_job = project.related_job().unwrap();
    assert!(project.settle_related(&live, old_job.run()).unwrap().is_none(), "overtaken");
    project.settle_related(&live, new_job.run()).unwrap().expect("current");
    assert!(!related("axolotl-limb-regrowth").contains("/papers/fibre-loss/"));
    assert_same_as_full_build(&site, &live);

    // A new title (a new slug) shows at once on the pages listing the paper; the lists
    // themselves follow.
    site.write("content/2024-12-13/b.md", paper("Blastema signalling", "2410.99202", "Bo", axolotl));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(related("axolotl-limb-regrowth").contains("/papers/blastema-signalling/"));
    let job = project.related_job().expect("the related papers are behind");
    project.settle_related(&live, job.run()).unwrap().expect("current");
    assert_same_as_full_build(&site, &live);
    // So does a paper that goes.
    std::fs::remove_file(site.path().join("content/2024-12-13/b.md")).unwrap();
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!related("axolotl-limb-regrowth").contains("/papers/blastema-signalling/"));
    let job = project.related_job().expect("the related papers are behind");
    project.settle_related(&live, job.run()).unwrap().expect("current");
    assert_same_as_full_build(&site, &live);
}

#[test]
fn a_bad_save_leaves_the_running_related_papers_job_current() {
    let site = TestSite::from_fixture("corpus-sample");
    let paper = |text: &str| format!("+++\ntitle = \"Fibre loss\"\nauthors = [\"Cy\"]\n+++\n\n{text}\n");
    site.write("content/2025-01-01/c.md", paper("Optical fibres carry light."));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options { mode: Mode::Serve, ..Options::default() }).unwrap();
    project.build_full(&live).unwrap();
    site.write("content/2025-01-01/c.md", paper("Optical fibres carry light over kilometres."));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    let job = project.related_job().expect("a text edit leaves the related papers behind");
    assert!(project.related_job().is_none(), "one job per good save");

    // A bad save fails before the model is known good: the job stays current, none restarts.
    site.write("content/2025-01-01/c.md", "+++\ntitle = \"Broken\"\ndate = 2024-13-01\n+++\n");
    let changed = project.scan();
    assert!(project.update(&live, &changed).is_err());
    assert!(!job.overtaken(), "a bad save must not overtake the running job");
    assert!(project.related_job().is_none(), "a bad save starts no job");
    assert!(project.settle_related(&live, job.run()).unwrap().is_some(), "the job is still current");
    assert!(matches!(project.related_state(), papershelf::project::RelatedState::Current { .. }));

    // The next good save overtakes a job handed out before it.
    site.write("content/2025-01-01/c.md", paper("Optical fibres, again."));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    let old = project.related_job().unwrap();
    site.write("content/2025-01-01/c.md", paper("Optical fibres, once more."));
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(old.overtaken());
    assert!(project.settle_related(&live, old.run()).unwrap().is_none());
    let job = project.related_job().unwrap();
    project.settle_related(&live, job.run()).unwrap().expect("current");
    assert_same_as_full_build(&site, &live);
}

/// Random sequences of saves: files created, edited, broken, fixed, deleted and renamed.
struct Saves {
    site: TestSite,
    /// The files present (relative to the site), each with whether it is broken now.
    files: Vec<(String, bool)>,
    /// xorshift64 state: the sequence is the same on every run for a given seed.
    state: u64,
    /// Counts writes and names, for unique titles and names and for strictly later
    /// modification times.
    writes: u64,
}

impl Saves {
    fn next(&mut self, below: usize) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state % below as u64) as usize
    }

    /// Writes `rel`, valid or broken, with a modification time later than any before, so a
    /// rewrite within the file system's timestamp granularity is still seen.
    fn put(&mut self, rel: &str, broken: bool) {
        self.writes += 1;
        let n = self.writes;
        let text = if broken {
            format!("+++\ntitle = \"Broken {n}\"\ndate = 2024-13-01\n+++\n")
        } else {
            let authors = ["Ann Lee", "Bo Chen", "Cy Diaz"];
            let tags = ["vision", "language"];
            let (a, t) = (authors[self.next(3)], tags[self.next(2)]);
            format!("+++\ntitle = \"Paper {n}\"\nauthors = [\"{a}\"]\ntags = [\"{t}\"]\n+++\n\nText {n} about {t}.\n")
        };
        self.write(rel, &text, broken);
    }

    /// Writes `text` to `rel` with a modification time later than any before.
    fn write(&mut self, rel: &str, text: &str, broken: bool) {
        let n = self.writes;
        self.site.write(rel, text);
        let time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + n);
        std::fs::File::options().write(true).open(self.site.path().join(rel)).unwrap().set_modified(time).unwrap();
        match self.files.iter_mut().find(|(r, _)| r == rel) {
            Some(file) => file.1 = broken,
            None => self.files.push((rel.to_string(), broken)),
        }
    }

    fn new_name(&mut self) -> String {
        let days = ["2024-10-22", "2024-10-23", "2024-11-02"];
        self.writes += 1;
        format!("content/{}/p{}.md", days[self.next(3)], self.writes)
    }

    /// One random save; returns what it did.
    fn step(&mut self) -> String {
        let op = if self.files.is_empty() { 0 } else { self.next(6) };
        if op == 0 {
            let rel = self.new_name();
            self.put(&rel, false);
            return format!("create {rel}");
        }
        let i = self.next(self.files.len());
        let (rel, broken) = self.files[i].clone();
        match op {
            1 => self.put(&rel, false),
            // Only the text: the summaries' fast path.
            2 if !broken => {
                self.writes += 1;
                let text = self.site.read(&rel).replacen("\n\nText ", &format!("\n\nText {}, then ", self.writes), 1);
                self.write(&rel, &text, false);
            }
            2 => self.put(&rel, false),
            3 => self.put(&rel, !broken),
            4 => {
                std::fs::remove_file(self.site.path().join(&rel)).unwrap();
                self.files.remove(i);
                return format!("delete {rel}");
            }
            _ => {
                let to = self.new_name();
                std::fs::create_dir_all(self.site.path().join(&to).parent().unwrap()).unwrap();
                std::fs::rename(self.site.path().join(&rel), self.site.path().join(&to)).unwrap();
                self.files[i].0 = to.clone();
                return format!("rename {rel} to {to}");
            }
        }
        let text_only = if broken { "edit" } else { "edit the text of" };
        format!("{} {rel}", ["", "edit", text_only, if broken { "fix" } else { "break" }][op])
    }
}

#[test]
fn random_sequences_of_saves_match_a_full_build_after_each() {
    // Deferred related papers (as `serve` runs) are settled before each comparison.
    for (seed, defer) in [(1u64, false), (7, true), (42, false), (1234, true), (99, true)] {
        let mut saves = Saves { site: TestSite::new(), files: Vec::new(), state: seed, writes: 0 };
        saves.put("content/2024-10-22/first.md", false);
        let live = saves.site.path().join("live");
        let mode = if defer { Mode::Serve } else { Mode::Build };
        let mut project = Project::open(saves.site.path(), Options { mode, ..Options::default() }).unwrap();
        project.build_full(&live).unwrap();
        let mut done = Vec::new();
        for _ in 0..40 {
            done.push(saves.step());
            let changed = project.scan();
            let result = project.update(&live, &changed);
            let broken = saves.files.iter().any(|(_, b)| *b);
            assert_eq!(result.is_err(), broken, "seed {seed}, after {done:#?}: {result:?}");
            if let Some(job) = project.related_job().filter(|_| !broken) {
                project.settle_related(&live, job.run()).unwrap();
            }
            if !broken {
                let check = std::panic::catch_unwind(|| assert_same_as_full_build(&saves.site, &live));
                assert!(check.is_ok(), "seed {seed}, after {done:#?}");
            }
        }
    }
}

/// Week and month pages follow edits as a full build makes them: a period that gets its first
/// paper appears and goes when it is removed, a paper moved between weeks, a new tag that
/// regroups a week and a month, a new title and a new text (the fast path) in a period's page
/// and feed.
#[test]
fn week_and_month_pages_follow_edits_and_match_a_full_build() {
    let site = crate::periods::periods_site();
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    let paper = |title: &str, tags: &str| {
        format!("+++\ntitle = \"{title}\"\nauthors = [\"Ann Lee\"]\ntags = [{tags}]\n+++\n\nText.\n")
    };
    let save = |project: &mut Project| save_and_compare(project, &site, &live);
    site.write("content/2024-12-02/first.md", paper("First of December", ""));
    save(&mut project);
    assert!(live.join("week/2024-W49/feed.xml").exists() && live.join("month/2024-12/index.html").exists());
    std::fs::remove_file(site.path().join("content/2024-12-02/first.md")).unwrap();
    save(&mut project);
    assert!(!live.join("week/2024-W49").exists() && !live.join("month/2024-12/index.html").exists());
    std::fs::remove_file(site.path().join("content/2024-11-26/r2.md")).unwrap();
    site.write("content/2024-10-23/r2.md", paper("r2", ""));
    save(&mut project);
    site.write("content/2024-11-06/q3.md", paper("q3", "\"nlp\""));
    save(&mut project);
    site.write("content/2024-11-05/q1.md", paper("q1 renamed", "\"vision\", \"nlp\""));
    save(&mut project);
    // Only the text: the fast path, which renders the lists showing the paper's teaser.
    let text = paper("q1 renamed", "\"vision\", \"nlp\"").replace("Text.", "A new first sentence.");
    site.write("content/2024-11-05/q1.md", text);
    save(&mut project);
    assert!(live.join("week/2024-W45/feed.xml").exists());
}

#[test]
fn an_author_crossing_the_page_threshold_gets_or_loses_a_page_and_every_link_follows() {
    let site = TestSite::from_fixture("corpus-sample");
    site.configure("author_page_min = 2");
    let paper = |title: &str, id: &str, authors: &str| {
        format!(
            "+++\ntitle = \"{title}\"\narxiv = \"{id}\"\nauthors = [{authors}]\nweight = 1\n+++\n\nText of {title}.\n"
        )
    };
    site.write("content/2024-10-22/a.md", paper("Alpha", "2410.99101", "\"Rare Person\", \"Hongwei Liu\""));
    site.write("content/2024-10-23/b.md", paper("Beta", "2410.99102", "\"Someone Else\""));
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    let search_link = "href=\"/search/?by=Rare+Person\"";
    let page_link = "href=\"/authors/rare-person/\"";
    let alpha = || std::fs::read_to_string(live.join("papers/2410.99101/index.html")).unwrap();
    assert!(!live.join("authors/rare-person").exists());
    assert!(alpha().contains(search_link), "one paper: linked to the search");
    let index = crate::support::tree(&live.join("authors"));
    let listed = index
        .iter()
        .any(|(name, bytes)| name.ends_with("index.html") && String::from_utf8_lossy(bytes).contains(search_link));
    assert!(listed, "the index lists every author");

    // Beta names them too: two papers, a page and a feed, and Alpha's byline links the page.
    for (authors, paged) in [("\"Someone Else\", \"Rare Person\"", true), ("\"Someone Else\"", false)] {
        site.write("content/2024-10-23/b.md", paper("Beta", "2410.99102", authors));
        let changed = project.scan();
        project.update(&live, &changed).unwrap();
        assert_eq!(live.join("authors/rare-person/index.html").is_file(), paged);
        assert_eq!(live.join("authors/rare-person/feed.xml").is_file(), paged);
        assert_eq!(alpha().contains(page_link), paged);
        assert_eq!(alpha().contains(search_link), !paged);
        assert_same_as_full_build(&site, &live);
    }
    // Up again, then down by deleting the file that named them.
    site.write("content/2024-10-23/b.md", paper("Beta", "2410.99102", "\"Rare Person\""));
    save_and_compare(&mut project, &site, &live);
    std::fs::remove_file(site.path().join("content/2024-10-23/b.md")).unwrap();
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!live.join("authors/rare-person/index.html").exists());
    assert_same_as_full_build(&site, &live);
}
