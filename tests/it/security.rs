//! Attacks from content and configuration: paths that would leave the output, output folders
//! that are not papershelf's, links that run script, and small inputs that would cost a lot.
//! Each test tries several spellings of its attack, not only the one first reported.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Run, TestSite};

fn no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    assert!(run.code == 0 || run.code == 1 || run.code == 2, "exit {}: {}", run.code, run.stderr);
}

/// Every file below `dir`, as paths relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

#[test]
fn slugs_that_would_leave_the_output_are_refused_with_their_position() {
    let spellings = [
        "../../../../escaped",
        "..",
        ".",
        "a/b",
        "/tmp/absolute",
        "a\\\\..\\\\..\\\\b",
        "C:\\\\Windows",
        "papers/../../x",
        "CON",
        "nul",
        "com1",
        "Upper",
        "caf\u{e9}",
        "with space",
        "dot.ted",
    ];
    for slug in spellings {
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\nslug = \"{slug}\"\n+++\n\nText.\n"));
        for command in ["check", "build"] {
            let run = site.run(&[command]);
            no_panic(&run);
            assert_eq!(run.code, 1, "{command} {slug:?}: {}", run.stderr);
            assert!(
                run.stderr.contains("content/2024-10-22/x.md:3:8: slug") && run.stderr.contains("cannot name a page"),
                "{command} {slug:?}: {}",
                run.stderr
            );
        }
        let written = files_below(site.path());
        assert!(!site.path().join("public").exists(), "{slug:?}: nothing built");
        assert_eq!(written.len(), 2, "{slug:?}: only site.toml and the paper: {written:?}");
    }
}

#[test]
fn author_and_tag_names_always_make_safe_page_folders() {
    let site = TestSite::new();
    let long = "Ab ".repeat(150);
    let names = [
        r#""../../../escaped""#,
        r#"".""#,
        r#""..""#,
        r#""CON""#,
        r#""nul""#,
        r#""Lpt1""#,
        r#""a/b\\c""#,
        r#""\u0001\u007f""#,
        r#""Zoë""#,
        r#""ZOE""#,
        r#""zoe""#,
    ];
    let list =
        names.iter().map(std::string::ToString::to_string).chain([format!("{long:?}")]).collect::<Vec<_>>().join(", ");
    site.write(
        "content/2024-10-22/x.md",
        format!("+++\ntitle = \"X\"\nauthors = [{list}]\ntags = [{list}]\n+++\n\nText.\n"),
    );
    let run = site.run(&["build"]);
    run.success();
    let public = site.path().join("public");
    for rel in files_below(site.path()) {
        assert!(rel.starts_with("public/") || rel == "site.toml" || rel.starts_with("content/"), "{rel}");
    }
    for entry in walkdir::WalkDir::new(&public).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        assert!(name.len() <= 200, "{name}");
        assert!(!papershelf::safe::is_device_name(&name), "{name}");
    }
    assert!(!site.path().join("escaped").exists());
}

#[test]
fn output_folders_that_are_not_papershelfs_are_refused_and_kept() {
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
    let root = site.path().to_str().unwrap().to_string();
    let parent = site.path().parent().unwrap().to_str().unwrap().to_string();
    let dot_dot_back = format!("{root}/content/..");
    let spellings = [".", root.as_str(), "..", parent.as_str(), "content", dot_dot_back.as_str(), "content/../."];
    for output in spellings {
        // Run from inside the site, as a user would: relative outputs are relative to it.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"))
            .current_dir(site.path())
            .args(["build", "--output", output])
            .output()
            .unwrap();
        let run = Run::from(out);
        no_panic(&run);
        assert_eq!(run.code, 2, "--output {output}: {}", run.stderr);
        assert!(run.stderr.contains("refusing to write the site into"), "--output {output}: {}", run.stderr);
        assert!(!run.stderr.contains("busy"), "{}", run.stderr);
        assert!(site.path().join("site.toml").is_file() && site.path().join("content/2024-10-22/x.md").is_file());
    }
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.com/\"\noutput_dir = \".\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "output_dir = \".\": {}", run.stderr);
    assert!(site.path().join("content/2024-10-22/x.md").is_file());
}

#[test]
fn a_folder_that_only_looks_like_an_output_keeps_its_files() {
    for (marker, content) in [("index.html", "<p>my page"), (".nojekyll", ""), ("site.toml", "title = \"other\"")] {
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join(marker), content).unwrap();
        std::fs::write(other.path().join("thesis.tex"), "precious").unwrap();
        std::fs::create_dir(other.path().join(".git")).unwrap();
        let run = site.run(&["build", "--output", other.path().to_str().unwrap()]);
        assert_eq!(run.code, 2, "{marker}: {}", run.stderr);
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(other.path().join("thesis.tex")).unwrap(), "precious");
        assert!(other.path().join(".git").is_dir());
    }
    // A file, and a folder of files without the marker.
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
    let at = |rel: &str| site.path().join(rel).to_str().unwrap().to_string();
    site.write("notes.txt", "mine");
    assert_eq!(site.run(&["build", "--output", &at("notes.txt")]).code, 2);
    assert_eq!(site.read("notes.txt"), "mine");
    site.write("mine/a.txt", "mine");
    assert_eq!(site.run(&["build", "--output", &at("mine")]).code, 2);
    assert_eq!(site.read("mine/a.txt"), "mine");
    // papershelf's own output is rebuilt, again and again.
    site.run(&["build", "--output", &at("out")]).success();
    site.run(&["build", "--output", &at("out")]).success();
    assert!(site.path().join("out/.papershelf-output").is_file());
}

#[test]
fn script_links_in_table_digests_are_refused_with_their_line() {
    let urls = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "javascript:alert(1)//huggingface.co/papers/2410.16256",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "//evil.com/x",
        "/\\evil.com/b",
        "\\\\evil.com/c",
    ];
    for url in urls {
        for label in ["HuggingFace", "Code"] {
            let site = TestSite::new();
            let digest = format!(
                "## Papers for 2024-10-22\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n\
                 | Good (Read more on [arXiv](https://arxiv.org/abs/2410.16256))| A | Fine. |\n\
                 | Bad (Read more on [arXiv](https://arxiv.org/abs/2410.16257) or [{label}]({url}))| B | Text. |\n"
            );
            site.write("content/2024-10-22.md", &digest);
            let check = site.run(&["check"]);
            no_panic(&check);
            assert_eq!(check.code, 1, "{label} {url}: {}", check.stderr);
            assert!(
                check.stderr.contains("content/2024-10-22.md:6:") && check.stderr.contains("will not publish"),
                "{label} {url}: {}",
                check.stderr
            );
            assert_eq!(site.run(&["build"]).code, 1, "{url}");
        }
    }
}

#[test]
fn host_escapes_in_paper_links_are_refused() {
    for url in ["/\\\\evil.com/b", "\\\\\\\\evil.com/c", "/\\t/evil.com/a", " //evil.com", "\\\\/evil.com"] {
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\n[links]\ncode = \"{url}\"\n+++\n"));
        let check = site.run(&["check"]);
        assert_eq!(check.code, 1, "{url}: {}", check.stderr);
        assert!(check.stderr.contains("x.md:4:8: link `code`"), "{url}: {}", check.stderr);
    }
}

#[test]
fn bad_base_urls_and_cnames_are_errors_not_panics() {
    for url in ["https://e.com//", "https://e.com/repo//", "https://e.com/\\u0007/", "https://e.com\\\\evil/"] {
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n");
        site.write("site.toml", format!("title = \"T\"\nbase_url = \"{url}\"\n"));
        let run = site.run(&["check", "--links"]);
        no_panic(&run);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        assert!(run.stderr.contains("site.toml:2:"), "{url}: {}", run.stderr);
    }
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n");
    let run = site.run(&["build", "--base-url", "https://e.com//"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for cname in ["a.org\\nevil.org", "https://a.org/", "a.org/x"] {
        site.write("site.toml", format!("title = \"T\"\nbase_url = \"https://e.com/\"\ncname = \"{cname}\"\n"));
        let run = site.run(&["build"]);
        assert_eq!(run.code, 1, "{cname}: {}", run.stderr);
        assert!(run.stderr.contains("site.toml:3:9: cname"), "{cname}: {}", run.stderr);
    }
}

#[test]
fn thousands_of_authors_on_one_paper_make_a_small_site() {
    let site = TestSite::new();
    site.configure("author_page_min = 1");
    let authors: Vec<String> = (0..3000).map(|i| format!("\"Author Number{i}\"")).collect();
    site.write(
        "content/2024-10-22/x.md",
        format!("+++\ntitle = \"X\"\nauthors = [{}]\n+++\n\nT.\n", authors.join(",")),
    );
    site.write(
        "content/2024-10-22/y.md",
        format!("+++\ntitle = \"Y\"\nauthors = [{}]\n+++\n\nT.\n", authors.join(",")),
    );
    site.run(&["build"]).success();
    let bytes: u64 = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum();
    // Each author page lists two papers; folded bylines keep each listing a few hundred bytes
    // (unfolded, 3,000 pages × 2 × 3,000 names: over a gigabyte).
    assert!(bytes < 60_000_000, "{bytes} bytes");
    let author = site.read("public/authors/author-number5/index.html");
    assert!(author.contains("Author Number2, et al."), "folded byline");
    assert!(author.len() < 20_000, "{} bytes", author.len());
    let day = site.read("public/2024-10-22/index.html");
    assert!(day.contains("and 2992 more"), "folded byline on the day");
    let paper = site.read("public/papers/x/index.html");
    assert!(paper.contains("Author Number2999"), "the paper's own page names every author");
}

#[test]
fn deeply_nested_tex_is_shown_as_text_quickly() {
    for (open, close) in [("{", "}"), ("\\\\left(", "\\\\right)"), ("\\\\begin{matrix}", "\\\\end{matrix}")] {
        let site = TestSite::new();
        let tex = format!("{}x{}", open.repeat(20_000), close.repeat(20_000));
        site.write("content/2024-10-22/x.md", format!("+++\ntitle = \"X\"\n+++\n\nSee ${tex}$ here.\n"));
        let started = Instant::now();
        site.run(&["build"]).success();
        assert!(started.elapsed() < Duration::from_secs(20), "{open}: {:?}", started.elapsed());
        assert!(site.read("public/papers/x/index.html").contains("math-error"));
    }
}

#[test]
fn static_files_are_copied_and_bad_or_twin_names_refused() {
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
    for i in 0..3000 {
        site.write(&format!("static/many/f{i}.txt"), format!("{i}"));
    }
    let big = vec![7u8; 40 << 20];
    site.write("static/big.bin", &big);
    site.run(&["build"]).success();
    assert_eq!(std::fs::metadata(site.path().join("public/big.bin")).unwrap().len(), big.len() as u64);
    assert_eq!(site.read("public/many/f2999.txt"), "2999");

    for (name, why) in
        [("static/Logo.png", "one file on macOS"), ("static/con.txt", "device name"), ("static/a\\b.css", "backslash")]
    {
        let site = TestSite::new();
        site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
        site.write("static/logo.png", "a");
        site.write(name, "b");
        let run = site.run(&["build"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{name}: {}", run.stderr);
    }
}

#[test]
fn two_builds_into_one_output_at_once_both_succeed() {
    let site = TestSite::new();
    for i in 0..200 {
        site.write(&format!("content/2024-10-22/p{i}.md"), format!("+++\ntitle = \"Paper {i}\"\n+++\n\nText {i}.\n"));
    }
    for _ in 0..3 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"))
                .args(["--root", site.path().to_str().unwrap(), "build"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let leftovers = crate::support::staging_leftovers(site.path());
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn a_read_only_old_output_leaves_no_staging_folder() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
    // Root may remove anything: as root, the builds run as `nobody`, who owns the output it
    // writes but cannot empty a folder made read-only without making it writable first.
    let root = rustix::process::geteuid().is_root();
    if root {
        std::fs::set_permissions(site.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let build = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"));
        command.arg("--root").arg(site.path()).arg("build");
        if root {
            command.uid(65534).gid(65534);
        }
        let run = Run::from(command.output().unwrap());
        run.success();
    };
    build();
    let papers = site.path().join("public/papers");
    std::fs::set_permissions(&papers, std::fs::Permissions::from_mode(0o555)).unwrap();
    build();
    let leftovers = crate::support::staging_leftovers(site.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(site.path().join("public/papers/x/index.html").is_file());
}

#[test]
fn fifos_non_utf8_config_and_overlong_paths_get_true_messages() {
    let site = TestSite::new();
    site.write("content/2024-10-22/x.md", "+++\ntitle = \"X\"\n+++\n\nText.\n");
    let fifo = site.path().join("content/2024-10-22/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let run = site.run(&["build"]);
    run.success();
    assert!(
        run.stderr.contains("content/2024-10-22/pipe.md") && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );

    site.write("site.toml", b"title = \"Caf\xe9\"\nbase_url = \"https://e.com/\"\n".as_slice());
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml is not valid UTF-8"), "{}", run.stderr);

    let deep = format!("{}/{}", site.path().display(), "d".repeat(250)).repeat(1) + &"/x".repeat(2100);
    let run =
        std::process::Command::new(env!("CARGO_BIN_EXE_papershelf")).args(["--root", &deep, "build"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("longer than the system allows"), "{stderr}");
}

/// Every `{` and `}` of a `.bib` file, as BibTeX counts them (escaped or not): balanced, and
/// each entry's own brace closed only at the entry's end.
fn assert_bib_well_formed(bib: &str) {
    let mut depth = 0i64;
    for (i, line) in bib.lines().enumerate() {
        let opens_entry = line.starts_with('@');
        assert!(depth == 0 || !opens_entry, "line {}: an entry starts inside another: {bib}", i + 1);
        for c in line.chars() {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            assert!(depth >= 0, "line {}: a brace closes nothing: {bib}", i + 1);
        }
        assert!(depth == 0 || opens_entry || line.starts_with("      "), "line {}: {bib}", i + 1);
    }
    assert_eq!(depth, 0, "{bib}");
}

#[test]
fn bibtex_files_escape_commands_braces_and_and_in_names() {
    let site = TestSite::new();
    site.write(
        "content/2024-10-22/a.md",
        "+++\ntitle = 'Ends in \\'\nauthors = ['\\input /etc/passwd', 'Smith and Jones', 'Ann']\n+++\n\nText.\n",
    );
    site.write(
        "content/2024-10-22/b.md",
        "+++\ntitle = '}{ 100% of x_1^2 ~ $5 #1 & \\def\\x{y}'\nauthors = ['\\csname end\\endcsname']\narxiv = \"2410.16256\"\n+++\n\nText.\n",
    );
    site.run(&["build"]).success();
    let day = site.read("public/2024-10-22/2024-10-22.bib");
    let paper = site.read("public/papers/ends-in/ends-in.bib");
    for bib in [&day, &paper] {
        assert_bib_well_formed(bib);
        for command in ["\\input", "\\def", "\\csname", "\\endcsname", "\\x"] {
            assert!(!bib.contains(command), "{command} in {bib}");
        }
    }
    assert!(paper.contains("title={Ends in \\textbackslash{}}"), "{paper}");
    assert!(paper.contains("author={\\textbackslash{}input /etc/passwd and Smith {and} Jones and Ann}"), "{paper}");
    assert!(
        day.contains("title={\\textbraceright{}\\textbraceleft{} 100\\% of x\\_1\\^{}2 \\~{} \\$5 \\#1 \\& \\textbackslash{}def\\textbackslash{}x\\{y\\}}"),
        "{day}"
    );
    assert!(day.contains("author={\\textbackslash{}csname end\\textbackslash{}endcsname}"), "{day}");
}

/// Runs `papershelf ARGS` on `site` with a secret in its environment, as a CI runner has.
fn run_with_secret(site: &TestSite, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_papershelf"))
        .arg("--root")
        .arg(site.path())
        .args(args)
        .env("PAPERSHELF_TEST_SECRET", "s3cr3t")
        .output()
        .expect("run papershelf");
    Run::from(out)
}

/// `data/arxiv/x.toml -> /proc/self/environ` made `check` print the runner's environment into
/// the CI log (the parse error's source line); a content file did the same. A link leading out
/// of the site, to the process's environment or to any file outside, is an error naming the
/// link, and nothing of what it points to is printed.
#[test]
fn symlinks_out_of_the_site_are_named_and_never_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret_file = outside.path().join("secret.txt");
    std::fs::write(&secret_file, "TOKEN = s3cr3t\nPAPERSHELF_TEST_SECRET=s3cr3t\n").unwrap();
    for target in [Path::new("/proc/self/environ"), secret_file.as_path()] {
        for link in ["content/x.md", "content/2024-10-22/p.md", "data/arxiv/2410.00001.toml", "site.toml"] {
            let site = TestSite::new();
            site.write("content/2024-10-22/good.md", "+++\ntitle = \"Good\"\narxiv = \"2410.00001\"\n+++\n\nFine.\n");
            let path = site.path().join(link);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let _ = std::fs::remove_file(&path);
            std::os::unix::fs::symlink(target, &path).unwrap();
            for command in ["check", "build"] {
                let run = run_with_secret(&site, &[command]);
                no_panic(&run);
                let what = format!("{command} with {link} -> {}", target.display());
                assert_eq!(run.code, 1, "{what}: {}", run.stderr);
                assert!(
                    run.stderr.contains(&format!("{link}: a symlink that leads out of the site")),
                    "{what}: {}",
                    run.stderr
                );
                assert!(
                    !run.stdout.contains("s3cr3t") && !run.stderr.contains("s3cr3t"),
                    "{what} leaked: {}",
                    run.stderr
                );
            }
        }
    }
}

/// A folder of the site that is itself a link out of it (`static -> ~/.ssh`) published what
/// it held; a link inside `static/` leading out is refused too, one staying inside is copied
/// and a broken one is named in a warning (links were dropped in silence).
#[test]
fn site_folders_linked_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE KEY s3cr3t").unwrap();
    std::fs::create_dir_all(outside.path().join("templates")).unwrap();
    std::fs::write(outside.path().join("templates/base.html"), "s3cr3t {{ x }").unwrap();
    for folder in ["static", "templates", "content", "data", "data/arxiv", "themes"] {
        let site = TestSite::new();
        site.write("content/2024-10-22/good.md", "+++\ntitle = \"Good\"\narxiv = \"2410.00001\"\n+++\n\nFine.\n");
        if folder == "themes" {
            site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.com/\"\ntheme = \"t\"\n");
        }
        let path = site.path().join(folder);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path(), &path).unwrap();
        let run = run_with_secret(&site, &["build"]);
        no_panic(&run);
        assert_eq!(run.code, 1, "{folder}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{folder}: a symlink that leads out of the site")),
            "{folder}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("s3cr3t") && !run.stdout.contains("s3cr3t"), "{folder}: {}", run.stderr);
        assert!(!site.path().join("public").exists(), "{folder}: nothing published");
    }
    let site = TestSite::new();
    site.write("content/2024-10-22/good.md", "+++\ntitle = \"Good\"\n+++\n\nFine.\n");
    site.write("assets/logo.svg", "<svg/>");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(site.path().join("assets/logo.svg"), site.path().join("static/logo.svg")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.css", site.path().join("static/gone.css")).unwrap();
    let run = site.run(&["build"]);
    run.success();
    assert_eq!(site.read("public/logo.svg"), "<svg/>", "a link inside the site is followed");
    assert!(run.stderr.contains("warning: static/gone.css: a broken symlink"), "{}", run.stderr);
    std::os::unix::fs::symlink(outside.path().join("id_rsa"), site.path().join("static/id_rsa")).unwrap();
    std::os::unix::fs::symlink(site.path().join(".git"), site.path().join("static/git")).unwrap();
    site.write(".git/config", "[http] extraheader = s3cr3t");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("static/id_rsa: a symlink that leads out of the site"), "{}", run.stderr);
    assert!(run.stderr.contains("static/git: a symlink that leads out of the site"), "{}", run.stderr);
    assert!(!site.path().join("public/id_rsa").exists());
}

/// A static file or folder named `content`, `site.toml` or `.git` made every later build
/// refuse its own output ("it holds content, the sources of a site"). An output is known by
/// its marker first; a site folder without it is still refused.
#[test]
fn static_files_named_like_sources_do_not_stop_the_next_build() {
    let site = TestSite::new();
    site.write("content/2024-10-22/good.md", "+++\ntitle = \"Good\"\n+++\n\nFine.\n");
    site.write("static/content/x.txt", "x");
    site.write("static/site.toml", "not a config");
    site.write("static/.git/HEAD", "ref");
    for round in 0..2 {
        let run = site.run(&["build"]);
        assert_eq!(run.code, 0, "build {round}: {}", run.stderr);
    }
    assert_eq!(site.read("public/content/x.txt"), "x");
    let other = TestSite::new();
    let run = site.run(&["build", "--output", other.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("it holds site.toml"), "{}", run.stderr);
}
