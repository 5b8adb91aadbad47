//! Long lists split into pages: page 1 at the list's own address, pages 2… under it, links
//! that resolve under a sub-path, and incremental updates that add and remove pages exactly
//! as a full build does.

use papershelf::project::{Options, Project};

use crate::incremental::assert_same_as_full_build;
use crate::support::TestSite;

fn paper(site: &TestSite, date: &str, n: usize, authors: &str) {
    site.write(
        &format!("content/{date}/p{n}.md"),
        format!("+++\ntitle = \"Paper number {n}\"\nauthors = [{authors}]\ntags = [\"shared\"]\n+++\n\nText {n}.\n"),
    );
}

fn paginated_site() -> TestSite {
    let site = TestSite::new();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://user.github.io/repo/\"\npaginate_by = 3\n");
    for n in 0..8 {
        paper(&site, "2024-10-22", n, "\"Ann Lee\", \"Bo Chen\"");
    }
    paper(&site, "2024-10-23", 8, "\"Ann Lee\"");
    site
}

#[test]
fn long_lists_continue_on_pages_that_resolve_under_a_sub_path() {
    let site = paginated_site();
    let check = site.run(&["check", "--links"]);
    check.success();
    site.run(&["build"]).success();
    let public = site.path().join("public");
    for page in ["2024-10-22/page/2", "2024-10-22/page/3", "authors/ann-lee/page/3", "tags/shared/page/3"] {
        assert!(public.join(page).join("index.html").is_file(), "{page}");
    }
    assert!(!public.join("2024-10-22/page/4").exists());
    assert!(!public.join("2024-10-22/page/1").exists(), "page 1 is the list's own address");
    let day = site.read("public/2024-10-22/index.html");
    assert_eq!(day.matches("class=\"teaser\"").count(), 3, "three papers a page");
    assert!(day.contains("href=\"/repo/2024-10-22/page/2/\""), "links carry the sub-path");
    let page3 = site.read("public/2024-10-22/page/3/index.html");
    assert!(page3.contains("aria-current=\"page\">3<") && page3.contains("Paper number 7"));
    let home = site.read("public/index.html");
    assert!(home.contains("/repo/2024-10-23/"), "{home}");
    // An author's page 3 numbers its papers on from 7, where page 2 ended.
    assert!(site.read("public/authors/ann-lee/page/3/index.html").contains("<ol class=\"paper-lines\" start=\"7\">"));
    assert!(site.read("public/authors/ann-lee/index.html").contains("<ol class=\"paper-lines\">"));
    // The authors index: by family name, with a letter bar and a search box for any author.
    let index = site.read("public/authors/index.html");
    let all = &index[index.find("All authors").unwrap()..];
    assert!(all.find("Bo Chen").unwrap() < all.find("Ann Lee").unwrap(), "Chen before Lee");
    assert!(index.contains("id=\"letter-c\"") && index.contains("name=\"author\""));
}

#[test]
fn pages_added_and_removed_by_edits_match_a_full_build() {
    let site = paginated_site();
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    for n in 9..12 {
        paper(&site, "2024-10-22", n, "\"Ann Lee\"");
    }
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(live.join("2024-10-22/page/4/index.html").is_file());
    assert_same_as_full_build(&site, &live);
    for n in 0..9 {
        std::fs::remove_file(site.path().join(format!("content/2024-10-22/p{n}.md"))).unwrap_or(());
    }
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!live.join("2024-10-22/page/2/index.html").exists(), "a page no list needs is removed");
    assert_same_as_full_build(&site, &live);
    // A text edit of a paper on page 2 of its lists rewrites that page.
    site.write(
        "content/2024-10-22/p11.md",
        "+++\ntitle = \"Paper number 11\"\nauthors = [\"Ann Lee\"]\ntags = [\"shared\"]\n+++\n\nA new teaser.\n",
    );
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert_same_as_full_build(&site, &live);
}

#[test]
fn paginate_by_zero_is_an_error_at_its_line() {
    let site = TestSite::new();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://e.com/\"\npaginate_by = 0\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml:3:15: paginate_by must be at least 1"), "{}", run.stderr);
    // The same rule, at its own line, for the papers an author needs for a page.
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://e.com/\"\nauthor_page_min = 0\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml:3:19: author_page_min must be at least 1"), "{}", run.stderr);
}
