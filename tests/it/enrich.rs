//! `papershelf enrich` and `import --hf-daily` against a local stand-in for the arXiv query
//! API and the Hugging Face papers API (no test reaches the internet). The stand-in answers
//! in the services' documented formats, traps included: a throttled "Rate exceeded." first
//! answer, an Error entry for a malformed id, a 404 for a paper Hugging Face does not list,
//! and an outage in the middle of a run.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::support::{Run, TestSite, tree};

/// A fetched paper, as the stand-in describes it to both APIs.
#[derive(Clone)]
struct Fixture {
    title: &'static str,
    authors: Vec<String>,
    abstract_text: &'static str,
    categories: &'static [&'static str],
    comment: Option<&'static str>,
    doi: Option<&'static str>,
    github: Option<&'static str>,
    upvotes: u64,
    on_hf: bool,
    /// The first version's timestamp, as both services give it.
    published: String,
    /// Hugging Face's keywords.
    keywords: Vec<String>,
}

fn compassjudger() -> Fixture {
    Fixture {
        title: "CompassJudger-1: All-in-one Judge Model Helps Model Evaluation and\n  Evolution",
        authors: ["Maosong Cao", "Alexander Lam", "Haodong Duan", "Hongwei Liu", "Songyang Zhang", "Kai Chen"]
            .map(String::from)
            .to_vec(),
        abstract_text: "  Efficient and accurate evaluation is crucial for the continuous improvement of\nlarge language models (LLMs). <script>alert(1)</script> We score $x^2$ and *emphasis*\nas written.\n",
        categories: &["cs.CL", "cs.AI", "I.2.7"],
        comment: Some("Accepted to NeurIPS 2024. Technical Report"),
        doi: Some("10.48550/arXiv.2410.16256"),
        github: Some("https://github.com/open-compass/CompassJudger"),
        upvotes: 71,
        on_hf: true,
        published: "2024-10-21T17:56:51Z".into(),
        keywords: vec!["judge model".into(), "evaluation".into()],
    }
}

/// Any other paper: ten authors (more than a list shows), one category.
fn generic(id: &str) -> Fixture {
    Fixture {
        title: "A generic paper",
        authors: (1..=10).map(|n| format!("Full Name{n} Of{}", id.replace('.', "x"))).collect(),
        abstract_text: "We study things.",
        categories: &["cs.CV"],
        comment: None,
        doi: None,
        github: None,
        upvotes: 3,
        on_hf: true,
        published: "2024-10-21T17:56:51Z".into(),
        keywords: vec!["judge model".into(), "evaluation".into()],
    }
}

/// An entry in the arXiv API's Atom format (as its user manual shows it).
fn atom_entry(id: &str, f: &Fixture) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut e = format!(
        "  <entry>\n    <id>http://arxiv.org/abs/{id}v1</id>\n    <updated>2024-10-21T17:56:51Z</updated>\n    <published>{}</published>\n    <title>{}</title>\n    <summary>{}</summary>\n",
        esc(&f.published),
        esc(f.title),
        esc(f.abstract_text)
    );
    for (i, a) in f.authors.iter().enumerate() {
        e.push_str(&format!("    <author>\n      <name>{}</name>\n", esc(a)));
        if i == 0 {
            e.push_str("      <arxiv:affiliation xmlns:arxiv=\"http://arxiv.org/schemas/atom\">Shanghai AI Laboratory</arxiv:affiliation>\n");
        }
        e.push_str("    </author>\n");
    }
    if let Some(doi) = f.doi {
        e.push_str(&format!("    <arxiv:doi xmlns:arxiv=\"http://arxiv.org/schemas/atom\">{doi}</arxiv:doi>\n    <link title=\"doi\" href=\"http://dx.doi.org/{doi}\" rel=\"related\"/>\n"));
    }
    if let Some(c) = f.comment {
        e.push_str(&format!(
            "    <arxiv:comment xmlns:arxiv=\"http://arxiv.org/schemas/atom\">{}</arxiv:comment>\n",
            esc(c)
        ));
    }
    e.push_str(&format!("    <link href=\"http://arxiv.org/abs/{id}v1\" rel=\"alternate\" type=\"text/html\"/>\n    <link title=\"pdf\" href=\"http://arxiv.org/pdf/{id}v1\" rel=\"related\" type=\"application/pdf\"/>\n"));
    e.push_str(&format!("    <arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" term=\"{}\" scheme=\"http://arxiv.org/schemas/atom\"/>\n", f.categories[0]));
    for c in f.categories {
        e.push_str(&format!("    <category term=\"{c}\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"));
    }
    e.push_str("  </entry>\n");
    e
}

/// A whole answer: the feed's own link, title, id and counts come before the entries.
fn atom_feed(id_list: &str, entries: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <link href=\"http://arxiv.org/api/query?search_query%3D%26id_list%3D{id_list}%26start%3D0%26max_results%3D100\" rel=\"self\" type=\"application/atom+xml\"/>\n  <title type=\"html\">ArXiv Query: search_query=&amp;id_list={id_list}&amp;start=0&amp;max_results=100</title>\n  <id>http://arxiv.org/api/X4dGwTvMPx0uS2J0dlyGRq</id>\n  <updated>2024-10-23T00:00:00-04:00</updated>\n  <opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">{}</opensearch:totalResults>\n  <opensearch:startIndex xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">0</opensearch:startIndex>\n  <opensearch:itemsPerPage xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">100</opensearch:itemsPerPage>\n{}</feed>\n",
        entries.len(),
        entries.concat()
    )
}

/// arXiv's answer to a batch holding a malformed id: HTTP 200, one entry titled "Error".
fn atom_error(bad: &str) -> String {
    let entry = format!(
        "  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{bad}</id>\n    <title>Error</title>\n    <summary>incorrect id format for {bad}</summary>\n    <updated>2024-10-23T00:00:00-04:00</updated>\n    <link href=\"http://arxiv.org/api/errors#incorrect_id_format_for_{bad}\" rel=\"alternate\" type=\"text/html\"/>\n    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n"
    );
    atom_feed(bad, &[entry])
}

/// The Hugging Face `/api/papers/<id>` answer.
fn hf_json(id: &str, f: &Fixture) -> String {
    let authors: Vec<String> = f
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let user = if i == 0 {
                r#""user":{"_id":"6","fullname":"x","user":"zsytony","type":"user"},"status":"claimed_verified","#
                    .to_string()
            } else {
                String::new()
            };
            format!(r#"{{"_id":"67{i}",{user}"name":{},"hidden":false}}"#, serde_json_string(a))
        })
        .collect();
    let github = f.github.map(|g| format!(r#""githubRepo":"{g}","#)).unwrap_or_default();
    let keywords: Vec<String> = f.keywords.iter().map(|k| serde_json_string(k)).collect();
    format!(
        r#"{{"id":"{id}","authors":[{}],"mediaUrls":[],"publishedAt":{},"submittedOnDailyAt":"2024-10-22T01:29:02.960Z","title":{},"summary":{},"upvotes":{},"discussionId":"6717",{github}"ai_summary":"A judge model.","ai_keywords":[{}]}}"#,
        authors.join(","),
        serde_json_string(&f.published),
        serde_json_string(f.title),
        serde_json_string(f.abstract_text),
        f.upvotes,
        keywords.join(",")
    )
}

fn serde_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The stand-in's behaviour, shared with its thread.
#[derive(Default)]
struct Script {
    papers: BTreeMap<String, Fixture>,
    /// Ids arXiv calls malformed.
    malformed: Vec<String>,
    /// Answer the first arXiv request with "Rate exceeded.".
    throttle_first: AtomicBool,
    /// Stop listening after this many requests (an outage mid-run).
    stop_after: Option<usize>,
    /// `/api/daily_papers?date=` answers by date.
    daily: BTreeMap<String, Vec<String>>,
}

/// A local HTTP server answering like arXiv and Hugging Face, counting requests.
struct StandIn {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    stopped: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StandIn {
    fn start(script: Script) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stopped = Arc::new(AtomicBool::new(false));
        let (log, stop) = (requests.clone(), stopped.clone());
        let served = AtomicUsize::new(0);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let target = serve(stream, &script);
                log.lock().unwrap().push(target);
                if script.stop_after.is_some_and(|n| served.fetch_add(1, Ordering::SeqCst) + 1 >= n) {
                    stop.store(true, Ordering::SeqCst);
                    break;
                }
            }
            // The listener is dropped here: later connections are refused.
        });
        StandIn { port, requests, stopped, thread: Some(thread) }
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn log(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Runs papershelf on `site` with both base URLs pointing here.
    fn run(&self, site: &TestSite, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_papershelf"))
            .arg("--root")
            .arg(site.path())
            .args(args)
            .env("PAPERSHELF_ARXIV_API", format!("http://{}/api/query", self.host()))
            .env("PAPERSHELF_HF_API", format!("http://{}/api", self.host()))
            .env("PAPERSHELF_ARXIV_INTERVAL_MS", "20")
            .output()
            .expect("run papershelf");
        Run::from(out)
    }

    fn stop(&mut self) {
        if !self.stopped.swap(true, Ordering::SeqCst) {
            let _ = TcpStream::connect(("127.0.0.1", self.port));
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads one request, writes the answer, returns the request target.
fn serve(mut stream: TcpStream, script: &Script) -> String {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap_or(0);
    let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let (status, kind, body) = answer(&target, script);
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
    let _ = reader.read(&mut [0; 1]);
    target
}

fn answer(target: &str, script: &Script) -> (u16, &'static str, String) {
    if let Some(query) = target.strip_prefix("/api/query?") {
        if script.throttle_first.swap(false, Ordering::SeqCst) {
            return (503, "text/plain", "Rate exceeded.".into());
        }
        let id_list = query.split('&').find_map(|kv| kv.strip_prefix("id_list=")).unwrap_or("");
        let ids: Vec<&str> = id_list.split(',').collect();
        if let Some(bad) = ids.iter().find(|id| script.malformed.iter().any(|m| m == *id)) {
            return (200, "application/atom+xml", atom_error(bad));
        }
        // Entries come in their own order, not the order asked; unknown ids are left out.
        let mut entries: Vec<String> =
            ids.iter().filter_map(|id| script.papers.get(*id).map(|f| atom_entry(id, f))).collect();
        entries.reverse();
        return (200, "application/atom+xml", atom_feed(id_list, &entries));
    }
    if let Some(id) = target.strip_prefix("/api/papers/") {
        return match script.papers.get(id).filter(|f| f.on_hf) {
            Some(f) => (200, "application/json", hf_json(id, f)),
            None => (404, "application/json", r#"{"error":"Paper not found"}"#.into()),
        };
    }
    if let Some(date) = target.strip_prefix("/api/daily_papers?date=") {
        let items: Vec<String> = script.daily.get(date).into_iter().flatten().map(|id| {
            let f = &script.papers[id];
            format!(r#"{{"paper":{},"publishedAt":"2024-10-21T17:56:51.000Z","title":{},"thumbnail":"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png","numComments":2,"isAuthorParticipating":false}}"#, hf_json(id, f), serde_json_string(f.title))
        }).collect();
        return (200, "application/json", format!("[{}]", items.join(",")));
    }
    (404, "text/plain", "Not Found".into())
}

/// The stand-in knowing every paper of the sample site (CompassJudger in full).
fn sample_script(site: &TestSite) -> Script {
    let mut papers = BTreeMap::new();
    for (_, bytes) in tree(&site.path().join("content")) {
        let text = String::from_utf8_lossy(&bytes);
        if let Some(line) = text.lines().find(|l| l.starts_with("arxiv = ")) {
            let id = line.trim_start_matches("arxiv = ").trim_matches('"').to_string();
            papers.insert(id.clone(), generic(&id));
        }
    }
    papers.insert("2410.16256".into(), compassjudger());
    Script { papers, ..Script::default() }
}

const JUDGE: &str = "public/papers/2410.16256/index.html";

#[test]
fn enrich_then_build_shows_fetched_metadata_and_a_second_run_asks_nothing() {
    let site = crate::support::sample_site();
    let script = sample_script(&site);
    let papers = script.papers.len();
    script.throttle_first.store(true, Ordering::SeqCst);
    let content_before = tree(&site.path().join("content"));
    let stand_in = StandIn::start(script);

    let run = stand_in.run(&site, &["enrich"]);
    run.success();
    assert!(run.stdout.contains(&format!("fetched {papers} of {papers} papers")), "{}", run.stdout);
    // One throttled answer, the batch again, then one Hugging Face request per paper.
    assert_eq!(stand_in.count(), 2 + papers, "{:?}", stand_in.log());
    assert_eq!(tree(&site.path().join("content")), content_before, "content files are never written");
    let record = site.read("data/arxiv/2410.16256.toml");
    assert!(record.starts_with("# Fetched by `papershelf enrich`"), "{record}");
    assert!(record.contains("authors = [\n    \"Maosong Cao\",") || record.contains("\"Maosong Cao\""), "{record}");

    site.run(&["build"]).success();
    let page = site.read(JUDGE);
    for name in ["Maosong Cao", "Alexander Lam", "Kai Chen"] {
        assert!(page.contains(name), "fetched author {name} on the page");
    }
    assert!(!page.contains("zsytony"), "the digest's usernames gave way to the full list");
    assert!(
        page.contains("href=\"/tags/computation-and-language-cs-cl/\">Computation and Language (cs.CL)</a>"),
        "{page}"
    );
    assert!(page.contains("Artificial Intelligence (cs.AI)") && !page.contains("I.2.7"), "ACM classes are not tags");
    assert!(page.contains("href=\"https://github.com/open-compass/CompassJudger\">Code</a>"), "{page}");
    assert!(page.contains("href=\"https://doi.org/10.48550/arXiv.2410.16256\">DOI</a>"), "{page}");
    assert!(page.contains("71 upvotes on Hugging Face") && page.contains("NeurIPS 2024"), "{page}");
    // The paper's BibTeX (the .bib file beside its page).
    let bib = site.read(&JUDGE.replace("index.html", &format!("{}.bib", JUDGE.split('/').nth_back(1).unwrap())));
    assert!(bib.contains("author={Maosong Cao and Alexander Lam and Haodong Duan"), "BibTeX with the real authors");
    assert!(bib.contains("doi={10.48550/arXiv.2410.16256}"), "{bib}");
    // The abstract is text: unwrapped, escaped, never Markdown or TeX.
    assert!(page.contains("Efficient and accurate evaluation is crucial for the continuous improvement of large language models (LLMs). &lt;script&gt;alert(1)&lt;"), "{page}");
    assert!(page.contains("We score $x^2$ and *emphasis* as written."), "{page}");
    assert!(!page.contains("<script>alert(1)"), "markup in an abstract is shown, never run");
    let cv = site.read("public/tags/computer-vision-and-pattern-recognition-cs-cv/index.html");
    assert!(cv.contains("Computer Vision and Pattern Recognition (cs.CV)"), "a category is a tag page");
    let day = site.read("public/2024-10-22/index.html");
    assert!(day.contains("and 2 more"), "ten authors fold after eight in lists");

    let again = stand_in.run(&site, &["enrich"]);
    again.success();
    assert_eq!(stand_in.count(), 2 + papers, "a second run asks nothing");
    assert!(again.stdout.contains("nothing asked"), "{}", again.stdout);

    let forced = stand_in.run(&site, &["enrich", "--force", "--only", "2410.16256"]);
    forced.success();
    assert_eq!(stand_in.count(), 2 + papers + 2, "--force asks arXiv and Hugging Face again");
    assert_eq!(tree(&site.path().join("content")), content_before);
}

/// A site of three paper files, one a table digest row, with ids the stand-in knows.
fn small_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/2024-10-22/judge.md",
        "+++\ntitle = \"CompassJudger-1\"\nauthors = [\"zsytony\", \"KennyUTC\"]\nauthors_from_digest = true\narxiv = \"2410.16256\"\n+++\n\nThe digest's summary.\n",
    );
    site.write(
        "content/2024-10-23.md",
        "## Papers for 2024-10-23\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n| Second paper (Read more on [arXiv](https://arxiv.org/abs/2410.20000) or [HuggingFace](https://huggingface.co/papers/2410.20000))| userone, usertwo | a) Aim. b) Method. |\n| Third paper (Read more on [arXiv](https://arxiv.org/abs/2410.30000) or [HuggingFace](https://huggingface.co/papers/2410.30000))| userthree | Plain summary. |\n",
    );
    site
}

fn small_script() -> Script {
    let mut papers = BTreeMap::new();
    papers.insert("2410.16256".to_string(), compassjudger());
    papers.insert("2410.20000".to_string(), generic("2410.20000"));
    papers.insert("2410.30000".to_string(), generic("2410.30000"));
    Script { papers, ..Script::default() }
}

#[test]
fn an_outage_mid_run_names_the_host_and_keeps_what_was_fetched() {
    let site = small_site();
    // The arXiv batch and the first Hugging Face answer, then the stand-in goes away.
    let mut stand_in = StandIn::start(Script { stop_after: Some(2), ..small_script() });
    let run = stand_in.run(&site, &["enrich"]);
    stand_in.stop();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains(&format!("error: {} failed", stand_in.host())), "{}", run.stderr);
    assert!(run.stderr.contains("Fetched before it stopped: 1 of 3 papers"), "{}", run.stderr);
    let first = site.read("data/arxiv/2410.16256.toml");
    assert!(first.contains("[arxiv]") && first.contains("[huggingface]"), "{first}");
    // The rest of the batch keeps arXiv's answer; Hugging Face's part is asked next time.
    let second = site.read("data/arxiv/2410.20000.toml");
    assert!(second.contains("[arxiv]") && !second.contains("[huggingface]"), "{second}");
    assert_eq!(std::fs::read_dir(site.path().join("data/arxiv")).unwrap().count(), 3, "no temporary file left");

    site.run(&["build"]).success();
    let page = site.read("public/papers/2410.16256/index.html");
    assert!(page.contains("Maosong Cao") && !page.contains("zsytony"), "what was fetched is built");
    let row = site.read("public/papers/2410.20000/index.html");
    assert!(row.contains("Full Name1 Of2410x20000") && !row.contains("userone"), "the digest cell gave way");

    let back = StandIn::start(small_script());
    back.run(&site, &["enrich"]).success();
    let asked = back.log();
    assert_eq!(asked, ["/api/papers/2410.20000", "/api/papers/2410.30000"], "only what is missing is asked");
}

/// A record was written 0600 (tempfile's mode) whatever the umask, and a run killed mid-write
/// left `.papershelf-XXXXXX` files that no later run removed.
#[test]
fn records_take_the_umask_and_a_killed_runs_temporaries_are_removed() {
    let site = small_site();
    let dir = site.path().join("data/arxiv");
    std::fs::create_dir_all(&dir).unwrap();
    crate::support::stale_temp(&dir.join(".papershelf-Ab12Cd"));
    std::fs::write(dir.join(".papershelf-Fr35h1"), "a run writing now").unwrap();
    let stand_in = StandIn::start(small_script());
    let out = crate::support::command_under_umask("022")
        .arg("--root")
        .arg(site.path())
        .arg("enrich")
        .env("PAPERSHELF_ARXIV_API", format!("http://{}/api/query", stand_in.host()))
        .env("PAPERSHELF_HF_API", format!("http://{}/api", stand_in.host()))
        .env("PAPERSHELF_ARXIV_INTERVAL_MS", "20")
        .output()
        .unwrap();
    Run::from(out).success();
    assert_eq!(crate::support::mode(&dir.join("2410.16256.toml")), 0o644);
    assert!(!dir.join(".papershelf-Ab12Cd").exists(), "the stale temporary file is removed");
    assert!(dir.join(".papershelf-Fr35h1").exists(), "a fresh one may be another run's: kept");
}

#[test]
fn an_error_entry_and_a_404_are_reported_and_not_fatal() {
    let site = small_site();
    site.write("content/2024-10-24/odd.md", "+++\ntitle = \"Odd id\"\narxiv = \"2410.1625\"\n+++\n\nText.\n");
    let mut script = small_script();
    script.malformed.push("2410.1625".into());
    script.papers.get_mut("2410.30000").unwrap().on_hf = false;
    let stand_in = StandIn::start(script);
    let run = stand_in.run(&site, &["enrich"]);
    run.success();
    assert!(
        run.stderr.contains("warning: content/2024-10-24/odd.md:1: arXiv has no paper 2410.1625: arXiv answered \"incorrect id format for 2410.1625\""),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 unknown to arXiv, 2 not on Hugging Face"), "{}", run.stdout);
    // The batch with the malformed id, then the batch without it.
    let arxiv: Vec<String> = stand_in.log().into_iter().filter(|t| t.starts_with("/api/query")).collect();
    assert_eq!(arxiv.len(), 2, "{arxiv:?}");
    assert!(arxiv[0].contains("2410.1625&") || arxiv[0].contains("2410.1625,"), "{arxiv:?}");
    assert!(!arxiv[1].contains("2410.1625,") && !arxiv[1].ends_with("2410.1625&max_results=3"), "{arxiv:?}");
    assert!(site.read("data/arxiv/2410.1625.toml").contains("arXiv answered"));
    assert!(site.read("data/arxiv/2410.30000.toml").contains("listed = false"));
    let before = stand_in.count();
    stand_in.run(&site, &["enrich"]).success();
    assert_eq!(stand_in.count(), before, "answers that say 'no such paper' are kept too: nothing asked again");
    site.run(&["build"]).success();
}

#[test]
fn hand_written_fields_win_and_fetched_text_stays_text() {
    let site = TestSite::new();
    site.write(
        "content/2024-10-22/judge.md",
        "+++\ntitle = \"CompassJudger-1\"\nauthors = [\"Hand Written\"]\narxiv = \"2410.16256v2\"\ntags = [\"judges\", \"computation and language (cs.CL)\"]\n\n[links]\ncode = \"https://example.org/own-code\"\n+++\n\nThe summary.\n",
    );
    site.write(
        "data/arxiv/2410.16256.toml",
        "id = \"2410.16256\"\n\n[arxiv]\ntitle = \"Other title\"\nauthors = [\"Fetched Person\"]\ncategories = [\"cs.CL\", \"cs.LG\"]\nabstract = \"<script>alert(1)</script> <b>bold</b> $x$ and *y* [l](javascript:alert(1))\"\n\n[huggingface]\nlisted = true\ngithub = \"https://github.com/fetched/code\"\nproject = \"javascript:alert(1)\"\nupvotes = 1\n",
    );
    let before = tree(&site.path().join("content"));
    site.run(&["build"]).success();
    let page = site.read("public/papers/2410.16256/index.html");
    assert!(page.contains("Hand Written") && !page.contains("Fetched Person"), "authors written by hand win");
    assert!(page.contains("<h1 class=\"paper-title\">CompassJudger-1</h1>"), "titles are never replaced");
    assert!(page.contains("https://example.org/own-code") && !page.contains("github.com/fetched"), "links by hand win");
    assert!(!page.contains("href=\"javascript:"), "an unsafe fetched URL is dropped");
    assert!(page.contains(">judges</a>") && page.contains("Machine Learning (cs.LG)"), "categories join hand tags");
    assert_eq!(page.matches("(cs.CL)</a>").count(), 1, "a category already written by hand is not repeated");
    let abstract_html = &page[page.find("id=\"abstract\"").unwrap()..];
    let abstract_html = &abstract_html[..abstract_html.find("</section>").unwrap()];
    assert!(
        abstract_html.contains("&lt;script&gt;alert(1)&lt;") && abstract_html.contains("&lt;b&gt;bold&lt;"),
        "{abstract_html}"
    );
    assert!(abstract_html.contains("$x$ and *y* [l](javascript:alert(1))"), "{abstract_html}");
    assert!(
        !abstract_html.contains("<math") && !abstract_html.contains("<em>") && !abstract_html.contains("<a "),
        "{abstract_html}"
    );
    assert!(page.contains("1 upvote on Hugging Face"), "{page}");
    assert_eq!(tree(&site.path().join("content")), before, "a build writes no content file");

    // A broken data file is an error with its position, like a content file.
    site.write("data/arxiv/2410.16256.toml", "id = \"2410.16256\"\n[arxiv]\nauthor = [\"A\"]\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("data/arxiv/2410.16256.toml:3:1"), "{}", run.stderr);
}

#[test]
fn hostile_answers_are_bounded_and_a_bad_date_dropped_with_warnings() {
    let site = small_site();
    let mut script = small_script();
    let judge = script.papers.get_mut("2410.16256").unwrap();
    judge.authors = (0..6_000).map(|n| format!("Person {n}")).collect();
    judge.published = "2024-10-21<script>".into();
    judge.keywords = (0..60).map(|n| format!("k{n}")).collect();
    let stand_in = StandIn::start(script);
    let run = stand_in.run(&site, &["enrich"]);
    run.success();
    for warning in [
        "warning: content/2024-10-22/judge.md:1: arXiv's answer for 2410.16256: `published` \"2024-10-21<script>\" is not a date (YYYY-MM-DD or RFC 3339): it is dropped",
        "warning: content/2024-10-22/judge.md:1: arXiv's answer for 2410.16256: `authors` has 6000 items: the first 5000 are kept",
        "warning: content/2024-10-22/judge.md:1: Hugging Face's answer for 2410.16256: `authors` has 6000 items: the first 5000 are kept",
        "warning: content/2024-10-22/judge.md:1: Hugging Face's answer for 2410.16256: `keywords` has 60 items: the first 50 are kept",
    ] {
        assert!(run.stderr.contains(warning), "{warning}\n{}", run.stderr);
    }
    let record = site.read("data/arxiv/2410.16256.toml");
    assert!(!record.contains("2024-10-21<script>") && !record.contains("published ="), "{record}");
    assert!(record.contains("\"Person 4999\"") && !record.contains("\"Person 5000\""), "5,000 authors kept");
    assert!(record.contains("\"k49\"") && !record.contains("\"k50\""), "50 keywords kept");
    let other = site.read("data/arxiv/2410.20000.toml");
    assert!(other.contains("published = \"2024-10-21\""), "a good timestamp is kept as its day: {other}");
    site.run(&["build"]).success();
    let page = site.read("public/papers/2410.16256/index.html");
    assert!(
        page.contains("Person 4999") && !page.contains("Person 5000") && !page.contains("2024-10-21&lt;"),
        "bounded"
    );
}

#[test]
fn a_hostile_data_file_is_bounded_with_positioned_warnings_and_builds() {
    let site = small_site();
    let authors: Vec<String> = (0..6_000).map(|n| format!("\"Person {n}\"")).collect();
    site.write(
        "data/arxiv/2410.16256.toml",
        format!(
            "id = \"2410.16256\"\n\n[arxiv]\ntitle = \"{}\"\nauthors = [{}]\npublished = \"2024-10-21<script>\"\ncategories = [{}]\n",
            "T".repeat(5_000),
            authors.join(", "),
            vec!["\"cs.CL\""; 60].join(", ")
        ),
    );
    let run = site.run(&["build"]);
    run.success();
    let file = "warning: data/arxiv/2410.16256.toml";
    for warning in [
        format!("{file}:6: `published` \"2024-10-21<script>\" is not a date"),
        format!("{file}:4: `title` is 5000 bytes long: cut to 1000 characters"),
        format!("{file}:5: `authors` has 6000 items: the first 5000 are kept"),
        format!("{file}:7: `categories` has 60 items: the first 50 are kept"),
    ] {
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    let page = site.read("public/papers/2410.16256/index.html");
    assert!(page.contains("Person 4999") && !page.contains("Person 5000") && !page.contains("&lt;script"), "bounded");
    let bib = site.read("public/papers/2410.16256/2410.16256.bib");
    assert_eq!(bib.matches(" and ").count(), 4_999, "the BibTeX keeps the 5,000 authors kept");
}

#[test]
fn import_hf_daily_writes_a_day_that_builds_and_never_overwrites() {
    let site = TestSite::new();
    let mut script = small_script();
    script.daily.insert("2024-10-22".into(), vec!["2410.16256".into(), "2410.20000".into()]);
    let stand_in = StandIn::start(script);
    let run = stand_in.run(&site, &["import", "--hf-daily", "2024-10-22"]);
    run.success();
    assert!(run.stdout.contains("imported: 2 written"), "{}", run.stdout);
    let rel = "content/2024-10-22/compassjudger-1-all-in-one-judge-model-helps-model-evaluation-and-evolution.md";
    let file = site.read(rel);
    assert!(file.contains("authors = [\"Maosong Cao\", \"Alexander Lam\""), "{file}");
    assert!(
        file.contains("arxiv = \"2410.16256\"") && file.contains("## Placeholder: the imported abstract"),
        "{file}"
    );
    assert!(file.contains("(71 upvotes)") && file.contains(r"\<script\>"), "{file}");
    assert!(site.read("data/arxiv/2410.16256.toml").contains("upvotes = 71"));

    site.run(&["build"]).success();
    let page = site.read("public/papers/2410.16256/index.html");
    assert!(
        page.contains("Placeholder: the imported abstract") && page.contains("71 upvotes on Hugging Face"),
        "{page}"
    );
    assert!(page.contains("We score $x^2$ and *emphasis*") && !page.contains("<script>alert"), "shown as written");

    std::fs::write(site.path().join(rel), "+++\ntitle = \"Edited by hand\"\narxiv = \"2410.16256\"\n+++\n\nMine.\n")
        .unwrap();
    let again = stand_in.run(&site, &["import", "--hf-daily", "2024-10-22"]);
    again.success();
    assert!(again.stdout.contains("1 unchanged, 1 kept"), "{}", again.stdout);
    assert!(site.read(rel).contains("Edited by hand"), "never overwrites");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let site = small_site();
    let stand_in = StandIn::start(small_script());
    for (args, says) in [
        (&["enrich", "--only", "yesterday"][..], "give a day (YYYY-MM-DD) or an arXiv id"),
        (&["enrich", "--only", "2024-01-01"][..], "no paper with an arXiv id is listed on that day"),
        (&["enrich", "--only", "2410.99999"][..], "no paper in content/ has that arXiv id"),
        (&["import", "--hf-daily", "22/10/2024"][..], "write the day as YYYY-MM-DD"),
    ] {
        let run = stand_in.run(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert_eq!(stand_in.count(), 0);
    let only_day = stand_in.run(&site, &["enrich", "--only", "2024-10-23"]);
    only_day.success();
    assert!(only_day.stdout.contains("fetched 2 of 2 papers"), "{}", only_day.stdout);
}

#[test]
fn incremental_updates_with_fetched_metadata_match_a_full_build() {
    use papershelf::project::Options;
    use papershelf::project::Project;
    let site = TestSite::from_fixture("corpus-sample");
    site.configure("author_page_min = 1");
    for (id, categories) in [("2412.18525", "\"cs.CV\", \"cs.AI\""), ("2412.20070", "\"cs.CL\"")] {
        site.write(
            &format!("data/arxiv/{id}.toml"),
            format!("id = \"{id}\"\n\n[arxiv]\nauthors = [\"Ann Fetched\", \"Bo Fetched {id}\"]\ncategories = [{categories}]\nabstract = \"Abstract of {id}.\"\n\n[huggingface]\nlisted = true\nupvotes = 5\ngithub = \"https://github.com/x/{id}\"\n"),
        );
    }
    let live = site.path().join("live");
    let mut project = Project::open(site.path(), Options::default()).unwrap();
    project.build_full(&live).unwrap();
    assert!(live.join("authors/ann-fetched/index.html").exists());
    assert!(live.join("tags/computer-vision-and-pattern-recognition-cs-cv/index.html").exists());

    let digest = site.read("content/2024-12-31.md");
    let row = digest.lines().find(|l| l.contains("2412.18525")).unwrap().to_string();
    // A new summary (the fast path), a new title (the patched model), new author cells
    // (a whole assemble): each update equals a full build.
    let (head, _) = row.rsplit_once("| ").unwrap();
    for edited in [format!("{head}| A rewritten summary. |"), format!("Retitled: {}", &row[2..])] {
        let edited = if edited.starts_with("Retitled") { format!("| {edited}") } else { edited };
        let current = site.read("content/2024-12-31.md");
        let line = current.lines().find(|l| l.contains("2412.18525")).unwrap().to_string();
        site.write("content/2024-12-31.md", current.replace(&line, &edited));
        let changed = project.scan();
        project.update(&live, &changed).unwrap();
        crate::incremental::assert_same_as_full_build(&site, &live);
    }
    // The page is named by the paper's id: the new title leaves its URL as it was.
    let page = std::fs::read_to_string(live.join("papers/2412.18525/index.html")).unwrap();
    assert!(page.contains("Retitled: "), "the page shows the new title");
    assert!(page.contains("Ann Fetched") && page.contains("Abstract of 2412.18525."), "metadata survives the patches");

    // Records are read once and kept between updates; a change under data/ (which `serve`
    // meets with forget_records, invalidate and a whole build) reads them again; a template
    // change (invalidate alone) keeps what was read.
    let record = site.read("data/arxiv/2412.18525.toml");
    site.write("data/arxiv/2412.18525.toml", record.replace("Ann Fetched", "Ann Refetched"));
    project.invalidate();
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(!live.join("authors/ann-refetched/index.html").exists(), "records kept over a template change");
    project.forget_records();
    project.invalidate();
    let changed = project.scan();
    project.update(&live, &changed).unwrap();
    assert!(live.join("authors/ann-refetched/index.html").exists(), "the new record is read");
    crate::incremental::assert_same_as_full_build(&site, &live);
}
