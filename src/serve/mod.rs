//! `papershelf serve`: builds the site into a temporary folder, serves it over HTTP, watches
//! the site's files, rebuilds what changed and reloads every open page over Server-Sent
//! Events. A bad save keeps the server up and shows the error over the last good page.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::error::Error;
use crate::project::Options;

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
}

/// Binds `bind:port`, or the next free port when it is taken (said aloud).
fn bind(options: &ServeOptions) -> Result<TcpListener, Error> {
    let mut port = options.port;
    for attempt in 0..20 {
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(listener) => {
                if attempt > 0 {
                    println!("port {} is in use; serving on port {port} instead", options.port);
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => port = port.saturating_add(1),
            Err(e) => return Err(Error::Usage(format!("cannot listen on {}:{port}: {e}", options.bind))),
        }
    }
    Err(Error::Usage(format!(
        "ports {} to {port} on {} are all in use; pass a free one with --port",
        options.port, options.bind
    )))
}

/// Runs the preview server until Ctrl-C.
pub fn serve(root: &Path, options: ServeOptions) -> Result<(), Error> {
    let listener = bind(&options)?;
    let address = listener.local_addr().map_err(|e| Error::Usage(e.to_string()))?;
    listener.set_nonblocking(true).map_err(|e| Error::Usage(e.to_string()))?;
    let base_path = crate::config::Config::load(root).map(|c| c.base_path()).unwrap_or_else(|_| "/".into());
    let host = if address.ip().is_unspecified() { "127.0.0.1".to_string() } else { address.ip().to_string() };
    let origin = format!("http://{host}:{}", address.port());

    let temp = tempfile::Builder::new().prefix("papershelf-serve-").tempdir().map_err(|e| Error::io("temp", e))?;
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        output: temp.path().join("site"),
        base_path: Mutex::new(base_path.clone()),
        problem: Mutex::new(None),
        notices,
    });
    println!("building into {}", shared.output.display());
    let build_options = Options { output: Some(shared.output.clone()), base_url: None, drafts: options.drafts };
    watch::start(root, build_options, &origin, Arc::clone(&shared))?;
    println!("serving {origin}{base_path} (Ctrl-C to stop)");
    if options.open {
        open_browser(&format!("{origin}{base_path}"));
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let result = runtime.block_on(http::run(listener, Arc::clone(&shared)));
    runtime.shutdown_background();
    drop(temp);
    result
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
