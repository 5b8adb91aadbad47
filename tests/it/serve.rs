//! `papershelf serve`: the real binary on a free port, fetched over raw HTTP/1.1; edits are
//! picked up and announced on the event stream; bad saves keep the server up with the error
//! shown; nothing outside the output is ever served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::support::TestSite;

/// A running `papershelf serve`, killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    pub base: String,
    /// The folder the server builds into.
    pub output: std::path::PathBuf,
    /// What the server prints, line by line.
    pub log: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Ctrl-C first, so the server removes its preview folder; then make sure.
        crate::support::signal_process(self.child.id(), rustix::process::Signal::INT);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.child.try_wait().ok().flatten().is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(site: &TestSite) -> Server {
        Server::spawn(Server::command(site))
    }

    /// `papershelf --root <site> serve --port 0`, to change before [`Server::spawn`].
    pub fn command(site: &TestSite) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_papershelf"));
        command.args(["--root", site.path().to_str().unwrap(), "serve", "--port", "0"]);
        command
    }

    /// Runs `command` (a `serve`) and waits until it says where it serves.
    pub fn spawn(mut command: Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let (tx, log) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || BufReader::new(out).lines().map_while(Result::ok).for_each(|l| drop(tx.send(l))));
        std::thread::spawn(move || BufReader::new(err).lines().map_while(Result::ok).for_each(|l| drop(tx2.send(l))));
        // Owned by the server from here on, so a panic below still stops the child.
        let mut server = Server { child, port: 0, base: String::new(), output: std::path::PathBuf::new(), log };
        // The first build comes before the address: the whole corpus in a debug build on a
        // loaded machine takes a while.
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let line = server.log.recv_timeout(deadline - Instant::now()).expect("server announces its address");
            if let Some(dir) = line.strip_prefix("building into ") {
                server.output = dir.into();
            }
            if let Some(url) = line.strip_prefix("serving http://127.0.0.1:") {
                let url = url.split_whitespace().next().unwrap();
                let (port, base) = url.split_once('/').unwrap();
                server.port = port.parse().unwrap();
                server.base = format!("/{base}");
                return server;
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` to the server and waits (10 s at most) for it to end.
    pub fn stop_with(&mut self, signal: rustix::process::Signal) -> std::process::ExitStatus {
        crate::support::signal_process(self.child.id(), signal);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on signal {signal:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A raw HTTP/1.1 request; returns status, headers (lower-cased names) and body.
    pub fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut body = raw[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        (status, head, body)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", path);
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// The event stream once the first build's `clean` event has come: what follows answers
    /// the test's own edits.
    pub fn events_after_clean(&self) -> Receiver<String> {
        let events = self.events();
        wait_for(&events, "clean");
        events
    }

    /// The event stream, as lines, read on a thread.
    pub fn events(&self) -> Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__papershelf/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        rx
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

/// Waits for an `event: NAME` line on the stream; returns the data lines that follow it,
/// which must not be empty (browsers drop events without data).
pub fn wait_for(events: &Receiver<String>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut found = false;
    let mut data = String::new();
    while let Ok(line) = events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if found {
            match line.strip_prefix("data:") {
                Some(d) => {
                    data.push_str(d.trim_start());
                    data.push('\n');
                }
                None => {
                    assert!(!data.trim().is_empty(), "event {name} has no data: browsers would ignore it");
                    return data;
                }
            }
        } else if line == format!("event: {name}") || line == format!("event:{name}") {
            found = true;
        }
    }
    panic!("no `{name}` event within 20 s");
}

pub fn sample_under_sub_path() -> TestSite {
    let site = TestSite::new();
    // Pages named by their titles: these tests follow a page that moves when its title does.
    site.write(
        "site.toml",
        "title = \"Served\"\nbase_url = \"https://user.github.io/repo/\"\npaper_urls = \"title\"\nauthor_page_min = 1\n",
    );
    site.write(
        "content/2024-10-22/first.md",
        "+++\ntitle = \"First paper\"\nauthors = [\"Ann Lee\"]\narxiv = \"2410.00001\"\n+++\n\nOriginal text.\n",
    );
    site.write("content/2024-10-22/second.md", "+++\ntitle = \"Second paper\"\nauthors = [\"Bo\"]\n+++\n\nMore.\n");
    site
}

#[test]
fn serves_pages_under_the_sub_path_with_the_reload_script() {
    let site = sample_under_sub_path();
    let server = Server::start(&site);
    assert_eq!(server.base, "/repo/");
    let (status, html) = server.get("/repo/");
    assert_eq!(status, 200);
    assert!(html.contains("First paper"));
    assert!(html.contains("<script src=\"/__papershelf/live.js\"></script></body>"), "reload script injected");
    let (status, head, _) = server.request("GET", "/repo/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (_, head, _) = server.request("GET", "/repo/style.css");
    let etag = head.lines().find_map(|l| l.strip_prefix("etag: ")).expect("an etag").to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stream, "GET /repo/style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 304"), "conditional request: {reply}");
    let (status, head, body) = server.request("HEAD", "/repo/papers/first-paper/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.is_empty());
    let (status, head, _) = server.request("GET", "/repo/2024-10-22");
    assert!(status == 301 || status == 307 || status == 308, "{status}");
    assert!(head.contains("location: /repo/2024-10-22/"), "{head}");
    let (status, html) = server.get("/repo/no/such/page/");
    assert_eq!(status, 404);
    assert!(html.contains("Page not found") || html.contains("not found"), "the site's 404 page");
    let (status, _, _) = server.request("GET", "/");
    assert_eq!(status, 307, "the root redirects to the sub-path");
    // Build output never carries the reload script.
    let built = site.run(&["build"]);
    built.success();
    assert!(!site.read("public/index.html").contains("__papershelf"));
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = sample_under_sub_path();
    site.write("secret.txt", "TOP SECRET");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path().join("static/passwd")).unwrap();
    std::os::unix::fs::symlink(site.path().join("secret.txt"), site.path().join("static/secret")).unwrap();
    let server = Server::start(&site);
    for path in [
        "/repo/../secret.txt",
        "/repo/%2e%2e/secret.txt",
        "/repo/%2E%2E/%2e%2e/etc/passwd",
        "/repo/..%2fsecret.txt",
        "/repo/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "//etc/passwd",
        "/repo//etc/passwd",
        "/repo/passwd",
        "/repo/secret",
        "/etc/passwd",
        "/repo/..\\secret.txt",
    ] {
        let (status, _, body) = server.request("GET", path);
        let body = String::from_utf8_lossy(&body);
        assert_ne!(status, 200, "{path} served");
        assert!(!body.contains("root:") && !body.contains("TOP SECRET"), "{path} leaked");
    }
}

/// `static -> ~/somewhere` published the folder's files and `serve` served them (`id_rsa`).
#[test]
fn a_static_folder_linked_out_of_the_site_is_not_served() {
    let site = sample_under_sub_path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("static")).unwrap();
    let server = Server::start(&site);
    let (status, _, body) = server.request("GET", "/repo/id_rsa");
    assert_ne!(status, 200);
    assert!(!String::from_utf8_lossy(&body).contains("PRIVATE KEY"));
    assert!(!server.output.join("id_rsa").exists(), "not copied into the preview");
}

#[test]
fn an_edit_is_served_and_announced() {
    let site = sample_under_sub_path();
    let server = Server::start(&site);
    let events = server.events_after_clean();
    site.write(
        "content/2024-10-22/first.md",
        "+++\ntitle = \"First paper, revised\"\nauthors = [\"Ann Lee\"]\narxiv = \"2410.00001\"\n+++\n\nRevised text.\n",
    );
    wait_for(&events, "reload");
    let logged = std::iter::from_fn(|| server.log.recv_timeout(Duration::from_secs(10)).ok())
        .find(|l| l.starts_with("content/2024-10-22/first.md changed:"))
        .expect("a log line for the rebuild");
    assert!(logged.contains("files rewritten") && logged.ends_with(" ms"), "one log line per rebuild: {logged}");
    let (status, html) = server.get("/repo/papers/first-paper-revised/");
    assert_eq!(status, 200);
    assert!(html.contains("Revised text."));
    let (_, day) = server.get("/repo/2024-10-22/");
    assert!(day.contains("First paper, revised"));
}

#[test]
fn a_change_to_no_content_file_rebuilds_and_reloads_nothing() {
    let site = sample_under_sub_path();
    let server = Server::start(&site);
    let events = server.events_after_clean();
    // An image and an editor's lock file under content/: no paper changed.
    site.write("content/2024-10-22/figure.png", "not really a png");
    site.write("content/2024-10-22/.#first.md", "lock");
    // Then a real edit: the first event after both is its reload, logged for the paper alone.
    std::thread::sleep(Duration::from_millis(500));
    site.write(
        "content/2024-10-22/first.md",
        "+++\ntitle = \"First paper\"\nauthors = [\"Ann Lee\"]\narxiv = \"2410.00001\"\n+++\n\nRevised text.\n",
    );
    wait_for(&events, "reload");
    let rebuilds: Vec<String> = std::iter::from_fn(|| server.log.recv_timeout(Duration::from_secs(3)).ok())
        .filter(|l| l.contains(" changed: "))
        .collect();
    assert_eq!(rebuilds.len(), 1, "{rebuilds:?}");
    assert!(rebuilds[0].starts_with("content/2024-10-22/first.md changed:"), "{rebuilds:?}");
}

#[test]
fn a_bad_save_keeps_the_server_up_and_shows_the_error_until_fixed() {
    let site = sample_under_sub_path();
    let server = Server::start(&site);
    let events = server.events_after_clean();
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"Broken\ndate = 2024-13-01\n+++\n");
    let problem = wait_for(&events, "problem");
    assert!(problem.contains("content/2024-10-22/first.md:2:"), "{problem}");
    let (status, html) = server.get("/repo/papers/first-paper/");
    assert_eq!(status, 200, "the last good page is still served");
    assert!(html.contains("Original text."));
    // A page opened now learns of the standing problem at once.
    let late = server.events();
    assert!(wait_for(&late, "problem").contains("first.md"));
    site.write("content/2024-10-22/first.md", "+++\ntitle = \"First paper\"\n+++\n\nFixed text.\n");
    wait_for(&events, "reload");
    assert!(server.get("/repo/papers/first-paper/").1.contains("Fixed text."));
    site.write(
        "templates/day.html",
        "{% extends \"theme/day.html\" %}{% block main %}{{ nope.missing }}{% endblock main %}",
    );
    assert!(wait_for(&events, "problem").contains("day.html"));
    std::fs::remove_file(site.path().join("templates/day.html")).unwrap();
    wait_for(&events, "reload");
    assert_eq!(server.get("/repo/2024-10-22/").0, 200);
}

#[test]
fn a_taken_port_moves_to_the_next_one_aloud() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = sample_under_sub_path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_papershelf"))
        .args(["--root", site.path().to_str().unwrap(), "serve", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains(&format!("port {port} is in use; serving on port")), "{first}");
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_preview_folder() {
    let site = sample_under_sub_path();
    let server = Server::start(&site);
    assert_eq!(server.get("/repo/").0, 200);
    let mut server = server;
    let status = server.stop_with(rustix::process::Signal::INT);
    assert!(status.success(), "{status:?}");
    assert!(server.output.starts_with(std::env::temp_dir()), "{}", server.output.display());
    assert!(!server.output.parent().unwrap().exists(), "the preview folder is removed");
}
