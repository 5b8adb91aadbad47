//! `serve` under load: 200 concurrent keep-alive clients and 20 slow ones for a bounded time,
//! while a paper is edited again and again. Reports requests served, errors and the server's
//! memory; no response may be an error other than 404 for a missing page, and memory must not
//! grow without bound.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::support::TestSite;

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// One keep-alive GET; returns the status, or none when the connection broke.
fn get(stream: &mut BufReader<TcpStream>, path: &str) -> Option<u16> {
    write!(stream.get_mut(), "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").ok()?;
    let mut line = String::new();
    stream.read_line(&mut line).ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).ok()?;
        let h = header.trim_end().to_ascii_lowercase();
        if h.is_empty() {
            break;
        }
        if let Some(v) = h.strip_prefix("content-length: ") {
            length = v.parse::<usize>().ok();
        }
        chunked |= h == "transfer-encoding: chunked";
    }
    if chunked {
        loop {
            let mut size = String::new();
            stream.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut body = vec![0; n + 2];
            stream.read_exact(&mut body).ok()?;
            if n == 0 {
                break;
            }
        }
    } else {
        let mut body = vec![0; length.unwrap_or(0)];
        stream.read_exact(&mut body).ok()?;
    }
    Some(status)
}

/// What one round of load saw.
struct Round {
    served: usize,
    errors: usize,
    broken: usize,
    edits: usize,
    seconds: f64,
}

/// 200 keep-alive clients and 20 slow ones for `seconds`, while `edited` is rewritten.
fn load_round(port: u16, edited: &std::path::Path, seconds: u64) -> Round {
    let paths = ["/", "/2024-10-22/", "/archive/", "/style.css", "/search/meta.json", "/no/such/page/", "/authors/"];
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let broken = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for c in 0..200 {
        let (stop, served, errors, broken) = (stop.clone(), served.clone(), errors.clone(), broken.clone());
        threads.push(std::thread::spawn(move || {
            let mut stream: Option<BufReader<TcpStream>> = None;
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                let s = stream.get_or_insert_with(|| {
                    let t = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    t.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    BufReader::new(t)
                });
                let path = paths[i % paths.len()];
                i += 1;
                match get(s, path) {
                    Some(200 | 304) => drop(served.fetch_add(1, Ordering::Relaxed)),
                    Some(404) if path == "/no/such/page/" => drop(served.fetch_add(1, Ordering::Relaxed)),
                    Some(_) => drop(errors.fetch_add(1, Ordering::Relaxed)),
                    None => {
                        broken.fetch_add(1, Ordering::Relaxed);
                        stream = None;
                    }
                }
            }
        }));
    }
    // Slow clients: a request trickled out a byte at a time.
    for _ in 0..20 {
        let stop = stop.clone();
        threads.push(std::thread::spawn(move || {
            let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
            for b in b"GET /2024-10-22/ HTTP/1.1\r\nHost: x\r\n" {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let _ = t.write_all(&[*b]);
                std::thread::sleep(Duration::from_millis(100));
            }
        }));
    }
    let editor = {
        let stop = stop.clone();
        let path = edited.to_path_buf();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                std::fs::write(&path, format!("+++\ntitle = \"Edited {n}\"\n+++\n\nText {n}.\n")).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
            n
        })
    };
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let edits = editor.join().unwrap();
    for t in threads {
        let _ = t.join();
    }
    Round {
        served: served.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        broken: broken.load(Ordering::Relaxed),
        edits,
        seconds: start.elapsed().as_secs_f64(),
    }
}

#[test]
fn serve_stays_correct_under_200_clients_slow_clients_and_edits() {
    let site = TestSite::from_fixture("corpus-sample");
    let server = Server::start(&site);
    let pid = server.pid();
    let edited = site.path().join("content/2024-10-22/edited.md");
    std::fs::create_dir_all(edited.parent().unwrap()).unwrap();
    let rss_start = rss_kib(pid, "VmRSS:");
    // Two rounds: the first fills buffers and caches; a leak would keep growing in the second.
    let mut after = Vec::new();
    for round in 1..=2 {
        let r = load_round(server.port, &edited, 5);
        let rss = rss_kib(pid, "VmRSS:");
        eprintln!(
            "load round {round}: {} requests served in {:.1} s by 200 clients (+20 slow) during {} edits; \
             {} error responses, {} broken connections; server memory {rss} KiB (started at {rss_start} KiB, peak {} KiB)",
            r.served,
            r.seconds,
            r.edits,
            r.errors,
            r.broken,
            rss_kib(pid, "VmHWM:")
        );
        assert!(r.served > 1000, "{}", r.served);
        assert_eq!(r.errors, 0, "error responses");
        assert_eq!(r.broken, 0, "broken connections");
        after.push(rss);
    }
    assert!(after[1] < after[0] + 40 * 1024, "memory kept growing: {} -> {} KiB", after[0], after[1]);
    assert_eq!(server.get("/").0, 200, "still serving");
}
