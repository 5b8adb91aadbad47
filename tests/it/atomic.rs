//! Output safety: a build killed with SIGKILL at any moment leaves the previous output or the
//! new one, complete, never a mix.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::TestSite;

fn snapshot(dir: &Path) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut h);
            (e.path().strip_prefix(dir).unwrap().display().to_string(), h.finish())
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_output_or_the_new() {
    let site = TestSite::from_fixture("corpus-sample");
    let paper = "content/2024-10-22/added.md";
    let with_paper = |on: bool| {
        if on {
            site.write(paper, "+++\ntitle = \"Added during the test\"\nauthors = [\"Ann Lee\"]\n+++\n\nNew.\n");
        } else {
            let _ = std::fs::remove_file(site.path().join(paper));
        }
    };
    // The two complete outputs, and how long a build takes.
    let public = site.path().join("public");
    with_paper(true);
    site.run(&["build"]).success();
    let with = snapshot(&public);
    with_paper(false);
    let start = Instant::now();
    site.run(&["build"]).success();
    let took = start.elapsed();
    let without = snapshot(&public);
    assert_ne!(with, without);

    let mut state = false;
    let (mut old, mut new) = (0, 0);
    for i in 0..24u64 {
        with_paper(!state);
        let mut child = Command::new(env!("CARGO_BIN_EXE_papershelf"))
            .args(["--root", site.path().to_str().unwrap(), "build"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole build, from its very start to past its end.
        let delay = took.mul_f64((i as f64 * 0.618).fract() * 1.2);
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&public);
        if now == (if state { with.clone() } else { without.clone() }) {
            old += 1;
        } else {
            assert!(now == (if state { without.clone() } else { with.clone() }), "kill {i} after {delay:?} left a mix");
            new += 1;
            state = !state;
        }
    }
    eprintln!("24 kills: {old} left the old output, {new} the new one; never a mix");
    // The next build cleans up what killed builds left behind.
    site.run(&["build"]).success();
    let leftovers = crate::support::staging_leftovers(site.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
