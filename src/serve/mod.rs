//! `papershelf serve`: builds the site into a temporary folder, serves it over HTTP, watches
//! the site's files, rebuilds what changed and reloads every open page over Server-Sent
//! Events. A bad save keeps the server up and shows the error over the last good page.
//!
//! ## Details (moved from ARCHITECTURE.md)
//!
//! **serve** (`src/serve/`): `mod.rs` binds the port (the next free one if taken; a warning when
//! the address is not loopback), catches Ctrl-C, SIGTERM and SIGHUP before the first build, makes
//! a temporary output folder and runs the server until one of them comes, then removes the folder.
//! `watch.rs` watches `content/`, `templates/`, `themes/`, `static/` and `site.toml` (and `data/`,
//! the fetched metadata, which can touch any paper: a full build) with notify (reads ignored,
//! bursts debounced for 15 ms) on a thread of its own and decides how much to rebuild: content →
//! `Project::update` (nothing when no content file changed: an image, a lock file); anything else
//! → a full build. Every rebuild runs under `catch_unwind` (`Rebuilder::build_all` for whole
//! builds): a bug is reported, not the end of rebuilding. An update that fails after writing part
//! of the output in place (`Project::output_is_current` turns false) is followed at once by a full
//! build, staged and swapped in, so the preview is one site again; when that fails too, the log
//! and the browsers are told the preview may be inconsistent, and the next save builds everything.
//! `http.rs` is an axum router served by hyper's HTTP/1 connection builder itself (not
//! `axum::serve`, which sets no header read timeout): a client gets 10 s to send a request's
//! headers (`PAPERSHELF_SERVE_HEADER_TIMEOUT_MS` for tests; responses such as the event stream are
//! not limited by it), a response whose client stops reading is cut off after 30 s without
//! progress (`timeout.rs`: `WriteTimeout` wraps each connection's socket;
//! `PAPERSHELF_SERVE_WRITE_TIMEOUT_MS` for tests), and a Tokio semaphore caps the connections
//! served at once (512, or half the open-file limit when lower, so rebuilds always have files to
//! open; the rest wait in the listen queue). Event streams, which last as long as their page, have
//! a cap of their own (`MAX_EVENT_STREAMS`, 64, a semaphore in `Shared`): beyond it
//! `/__papershelf/events` answers 503 and closes the connection, so streams can never hold every
//! connection. The router has tower-http's `ServeDir` under the base path, the site's 404 page
//! with status 404 (also for paths the file system refuses: a name over 255 bytes, a file used as
//! a folder), `/__papershelf/events` (Server-Sent Events: `reload`, `problem`, `clean`, and
//! `changed` with the paths of the pages whose related papers were rewritten) and the reload
//! script `live.js`, injected into HTML responses only. A redirect's `Location` is put under the
//! base path with one leading slash (`finish`): never protocol-relative (`//host/`), which would
//! send a browser off the site. Files are streamed, never held whole: the ETag (`file_etag`) is
//! the served file's inode, size and nanosecond modification time, taken before the file is opened
//! (every rewrite is a rename, so a new inode), and only HTML up to 16 MB is read whole, to inject
//! the script. Header values made from config or paths are built fallibly: a bad one is a 500,
//! never a panic. State shared between the two sides is an `Arc<Shared>` passed to both, never a
//! global.

mod http;
mod timeout;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::error::Error;
use crate::project::{Mode, Options};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 lets the system pick a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// New files are in place: reload.
    Reload,
    /// These pages (URL paths, space-separated) were rewritten after the last reload (related
    /// papers brought up to date off the edit's path): a page among them reloads.
    Changed(String),
    /// The last save did not build: show this text over the page.
    Problem(String),
}

/// State shared by the HTTP handlers and the rebuild thread (passed, never global).
pub struct Shared {
    /// The folder being served (the build output).
    pub output: PathBuf,
    /// The sub-path the site lives under, such as `/` or `/repo/`.
    pub base_path: Mutex<String>,
    /// The last build's problem, shown to pages that connect while it stands.
    pub problem: Mutex<Option<String>>,
    pub notices: broadcast::Sender<Notice>,
    /// One permit per open event stream (at most `MAX_EVENT_STREAMS`).
    pub event_streams: Arc<tokio::sync::Semaphore>,
}

/// How long a client may take to send a request's headers before its connection is closed
/// (`PAPERSHELF_SERVE_HEADER_TIMEOUT_MS` overrides it, for tests).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections served at once; more wait in the listen queue until one ends.
const MAX_CONNECTIONS: usize = 512;
/// The most live-reload event streams open at once (one per open page); more get a 503, so
/// that streams can take at most a small part of [`MAX_CONNECTIONS`].
const MAX_EVENT_STREAMS: usize = 64;
/// How long a response may wait for a client that stopped reading before its connection is
/// closed (`PAPERSHELF_SERVE_WRITE_TIMEOUT_MS` overrides it, for tests).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Binds `bind:port`, or the next free port when it is taken (said aloud).
fn bind(options: &ServeOptions) -> Result<TcpListener, Error> {
    let mut port = options.port;
    for attempt in 0..20 {
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(listener) => {
                if attempt > 0 {
                    crate::outln!("port {} is in use; serving on port {port} instead", options.port);
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => port = port.saturating_add(1),
            Err(e) => {
                return Err(Error::Serve(format!("cannot listen on {}: {e}", SocketAddr::new(options.bind, port))));
            }
        }
    }
    Err(Error::Serve(format!(
        "ports {} to {port} on {} are all in use; pass a free one with --port",
        options.port, options.bind
    )))
}

/// Runs the preview server until Ctrl-C, SIGTERM or SIGHUP, then removes its folder.
pub fn serve(root: &Path, options: ServeOptions) -> Result<(), Error> {
    let listener = bind(&options)?;
    let address = listener.local_addr().map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    listener.set_nonblocking(true).map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    // The signals are caught from here on, so a stop during the first build still removes
    // the preview folder (dropped at the end of this function).
    let mut stop = {
        let _entered = runtime.enter();
        http::Stop::catch()?
    };
    let base_path = crate::config::Config::load(root).map(|c| c.base_path()).unwrap_or_else(|_| "/".into());
    let local = if address.ip().is_unspecified() { loopback_like(address.ip()) } else { address.ip() };
    let origin = format!("http://{}", SocketAddr::new(local, address.port()));

    let temp = tempfile::Builder::new().prefix("papershelf-serve-").tempdir().map_err(|e| Error::io("temp", e))?;
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        output: temp.path().join("site"),
        base_path: Mutex::new(base_path.clone()),
        problem: Mutex::new(None),
        notices,
        event_streams: Arc::new(tokio::sync::Semaphore::new(MAX_EVENT_STREAMS)),
    });
    crate::outln!("building into {}", shared.output.display());
    let build_options =
        Options { output: Some(shared.output.clone()), base_url: None, drafts: options.drafts, mode: Mode::Serve };
    watch::start(root, build_options, &origin, Arc::clone(&shared))?;
    announce(address, &origin, &base_path);
    if options.open {
        open_browser(&format!("{origin}{base_path}"));
    }
    let limits = http::Limits {
        header_timeout: env_ms("PAPERSHELF_SERVE_HEADER_TIMEOUT_MS", HEADER_TIMEOUT),
        max_connections: max_connections(),
        write_timeout: env_ms("PAPERSHELF_SERVE_WRITE_TIMEOUT_MS", WRITE_TIMEOUT),
    };
    let result = runtime.block_on(http::run(listener, Arc::clone(&shared), limits, &mut stop));
    runtime.shutdown_background();
    drop(temp);
    result
}

/// The loopback address of the same family as `ip`.
fn loopback_like(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
    }
}

/// Says where the preview is, and warns when other machines can reach it.
fn announce(address: SocketAddr, origin: &str, base_path: &str) {
    let ip = address.ip();
    if ip.is_loopback() {
        crate::outln!("serving {origin}{base_path} (Ctrl-C to stop)");
        return;
    }
    if ip.is_unspecified() {
        crate::outln!(
            "serving on all interfaces: http://{address}{base_path} — reachable from other machines; \
             on this one, open {origin}{base_path} (Ctrl-C to stop)"
        );
    } else {
        crate::outln!("serving http://{address}{base_path} — reachable from other machines (Ctrl-C to stop)");
    }
    crate::errln!(
        "warning: the preview is exposed to the network on {address}: anyone who can reach this machine \
         can read it, and it answers any Host header. It is not a server for the public; leave out \
         --bind to keep it on 127.0.0.1"
    );
}

/// The milliseconds in the environment variable `name`, or `default`.
fn env_ms(name: &str, default: Duration) -> Duration {
    std::env::var(name).ok().and_then(|ms| ms.parse().ok()).map_or(default, Duration::from_millis)
}

/// [`MAX_CONNECTIONS`], or half the open-file limit when that is lower, so the rebuilds
/// always have files to open, whatever the clients do.
fn max_connections() -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    limit.map_or(MAX_CONNECTIONS, |n| (n / 2).clamp(1, MAX_CONNECTIONS as u64) as usize)
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        crate::errln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
