//! Replays every input in `fuzz/regressions/<target>/` (crashes the fuzzer found, kept as
//! tests) through the same checks the fuzz targets run, plus a short deterministic mutation
//! run from the corpus sample, so the properties are exercised on every `cargo test`.

use papershelf::fuzz_checks::TARGETS;

use crate::support::repo_root;

#[test]
fn regressions_found_by_the_fuzzer_stay_fixed() {
    let mut replayed = 0;
    for (name, check) in TARGETS {
        let inputs = regressions(name);
        assert!(!inputs.is_empty(), "fuzz/regressions/{name}/ holds no input: give the target at least a seed");
        for input in inputs {
            check(&input);
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} fuzzer findings");
}

/// The inputs kept for one fuzz target (seeds and findings).
fn regressions(name: &str) -> Vec<Vec<u8>> {
    let dir = repo_root().join("fuzz/regressions").join(name);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Tokens that matter to papershelf's parsers, spliced into inputs by the mutation run.
const TOKENS: &[&str] = &[
    "|",
    "\\|",
    "+++\n",
    "\n",
    "\r\n",
    "\u{feff}",
    "$",
    "$$",
    "a) ",
    "b) ",
    "i) ",
    "ii) ",
    "**",
    "Follow-up questions: ",
    "1. ",
    "2. ",
    "[",
    "](",
    ")",
    "`",
    "```",
    "#",
    "## Papers for 2024-10-22\n",
    "| Title | Authors | Summary |\n",
    "|---|---|---|\n",
    "<script>",
    "</script>",
    "javascript:",
    "<img src=x onerror=alert(1)>",
    "\\",
    "&",
    "é",
    "σ",
    "(Read more on [arXiv](https://arxiv.org/abs/2410.16256))",
    "\u{0301}",
    "> ",
    "- ",
    "\t",
    "\\text{",
    "//",
    "/\\",
    "../",
    "&#x09;",
    "&colon;",
    "https://",
    "%2e%2e/",
    "}",
    "^",
    " and ",
    "\\input ",
];

/// A small deterministic xorshift generator: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            1 if !out.is_empty() => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.next() as u8;
            }
            _ => {
                let from = rng.below(out.len() + 1);
                let end = (from + rng.below(200)).min(out.len());
                let piece = out[from..end].to_vec();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

#[test]
fn mutated_digests_keep_every_property() {
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(repo_root().join("tests/fixtures/corpus-sample/content"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            // A slice of each file keeps the run short while covering every variant.
            let bytes = std::fs::read(e.path()).unwrap();
            bytes[..bytes.len().min(6000)].to_vec()
        })
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut runs = 0;
    for (name, check) in TARGETS {
        // The digests, and the target's own kept inputs (short URLs and paths for `paths`).
        let seeds: Vec<Vec<u8>> = seeds.iter().cloned().chain(regressions(name)).collect();
        for i in 0..400 {
            let seed = &seeds[i % seeds.len()];
            let input = mutate(seed, &mut rng);
            let result = std::panic::catch_unwind(|| check(&input));
            if result.is_err() {
                let dir = std::env::temp_dir().join(format!("papershelf-fuzz-{name}-{i}"));
                std::fs::write(&dir, &input).unwrap();
                panic!(
                    "{name} failed on a mutated input, saved as {}: copy it into fuzz/regressions/{name}/",
                    dir.display()
                );
            }
            runs += 1;
        }
    }
    eprintln!("{runs} mutated inputs checked");
}
