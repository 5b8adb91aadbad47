//! The HTTP side of `serve`: axum with tower-http's ServeDir over the output folder (MIME
//! types, index.html for folders, HEAD, conditional requests), the site's 404.html with
//! status 404, the live-reload event stream, and the reload script injected into HTML.

use std::convert::Infallible;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower_http::services::{ServeDir, ServeFile};

use super::{Notice, Shared};
use crate::error::Error;

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__papershelf/live.js\"></script>";
/// The largest HTML file the reload script is injected into (the body is read whole for it).
const MAX_INJECTED: u64 = 16 << 20;

/// What the server allows each client, so slow or idle ones cannot take every file descriptor.
pub struct Limits {
    /// How long a client may take to send a request's headers (also the idle time allowed
    /// between requests on a kept-alive connection). Responses, such as the event stream,
    /// are not limited by it (see `write_timeout` and [`super::MAX_EVENT_STREAMS`]).
    pub header_timeout: Duration,
    /// Connections served at once; further ones wait, unaccepted, until one ends.
    pub max_connections: usize,
    /// How long a response may wait for a client that stopped reading it before its
    /// connection is closed.
    pub write_timeout: Duration,
}

/// The signals that stop the server: Ctrl-C, and SIGTERM and SIGHUP (a `kill`, a closed
/// terminal) on Unix, all handled alike so the preview folder is removed.
pub struct Stop {
    #[cfg(unix)]
    signals: [tokio::signal::unix::Signal; 3],
}

impl Stop {
    /// Starts catching the signals; must run inside the Tokio runtime.
    pub fn catch() -> Result<Stop, Error> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let catch = |kind: SignalKind, name: &'static str| {
                signal(kind).map_err(|e| Error::Serve(format!("cannot catch {name}: {e}")))
            };
            let signals = [
                catch(SignalKind::interrupt(), "Ctrl-C")?,
                catch(SignalKind::terminate(), "SIGTERM")?,
                catch(SignalKind::hangup(), "SIGHUP")?,
            ];
            Ok(Stop { signals })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    /// Waits for one of the signals.
    async fn wait(&mut self) {
        #[cfg(unix)]
        {
            let [int, term, hup] = &mut self.signals;
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves until `stop` catches a signal.
pub async fn run(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    limits: Limits,
    stop: &mut Stop,
) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    let app = Router::new()
        .route("/__papershelf/events", get(events))
        .route("/__papershelf/live.js", get(live_js))
        .fallback(site)
        .with_state(shared);
    tokio::select! {
        () = accept(listener, app, limits) => Err(Error::Serve("server stopped".into())),
        () = stop.wait() => {
            crate::outln!("stopped");
            Ok(())
        }
    }
}

/// Accepts connections, at most `limits.max_connections` at once, each served by hyper with
/// a header read timeout (`axum::serve` sets none: a client sending a header line now and
/// then held its connection for ever) and a write timeout (a client that stops reading).
async fn accept(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else { return };
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // moment (connections end meanwhile) rather than stop or spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let stream = super::timeout::WriteTimeout::new(stream, limits.write_timeout);
        let connection = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            // A client that goes away or times out is no error of the server's.
            let _ = connection.await;
            drop(permit);
        });
    }
}

async fn live_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], LIVE_JS)
}

/// The event stream each open page listens to: the standing problem first, if any, then
/// every notice as it comes; a 503 when [`super::MAX_EVENT_STREAMS`] are open (streams last
/// as long as their page, and would otherwise take every connection).
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let Ok(permit) = Arc::clone(&shared.event_streams).try_acquire_owned() else {
        let mut response =
            (StatusCode::SERVICE_UNAVAILABLE, "too many pages are listening for reloads").into_response();
        // The connection is closed at once, not kept for another request.
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    };
    notices(&shared, permit).into_response()
}

/// The stream of [`events`]. It owns its receiver and its permit, so a page that goes away
/// leaves nothing running behind it and frees its place.
fn notices(
    shared: &Shared,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let receiver = shared.notices.subscribe();
    let first = match shared.problem.lock().unwrap_or_else(PoisonError::into_inner).clone() {
        Some(text) => Event::default().event("problem").data(text),
        None => Event::default().event("clean").data("clean"),
    };
    let state = (Some(first), receiver, permit);
    let stream = futures_util::stream::unfold(state, |(first, mut receiver, permit)| async move {
        if let Some(event) = first {
            return Some((Ok(event), (None, receiver, permit)));
        }
        let event = match receiver.recv().await {
            Ok(Notice::Problem(text)) => Event::default().event("problem").data(text),
            Ok(Notice::Changed(paths)) => Event::default().event("changed").data(paths),
            // A page that missed notices reloads to be sure it shows the latest build.
            Ok(Notice::Reload) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), (None, receiver, permit)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Everything else: a file of the site under its base path.
async fn site(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let base = shared.base_path.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let path = request.uri().path().to_string();
    if path == "/" && base != "/" {
        return redirect(&base);
    }
    if path.split('/').any(|segment| segment == ".." || segment.contains('\\')) {
        return not_found(&shared, true).await;
    }
    let Some(rest) = path.strip_prefix(base.trim_end_matches('/')).filter(|r| r.is_empty() || r.starts_with('/'))
    else {
        return not_found(&shared, true).await;
    };
    let rest = if rest.is_empty() { "/" } else { rest };
    let inner_uri = match request.uri().query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_string(),
    };
    let method = request.method().clone();
    let is_get = method == axum::http::Method::GET || method == axum::http::Method::HEAD;
    let (mut parts, body) = request.into_parts();
    // Conditional requests are answered here, with an ETag of the file (`file_etag`): ServeDir's
    // Last-Modified has one-second precision, and a page rebuilt within the same second as
    // the one a browser holds would come back "304 Not Modified", stale.
    let if_none_match = parts.headers.remove(header::IF_NONE_MATCH);
    parts.headers.remove(header::IF_MODIFIED_SINCE);
    parts.uri = inner_uri.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/"));
    // HEAD is answered as GET (the server drops the body), so its headers match a GET's,
    // reload script included.
    if method == axum::http::Method::HEAD {
        parts.method = axum::http::Method::GET;
    }
    let request = Request::from_parts(parts, body);
    // Taken before the file is opened: a file replaced in between is sent with the old
    // version's tag, which only costs the browser one more full answer next time.
    let etag = file_etag(&shared.output, rest).await;
    let mut service = ServeDir::new(&shared.output).not_found_service(ServeFile::new(shared.output.join("404.html")));
    let response = match service.try_call(request).await {
        Ok(r) => r.map(Body::new),
        // A path the file system refuses (a name over 255 bytes, a file used as a folder)
        // names no file of the site.
        Err(e) if refused_path(&e) => return not_found(&shared, is_get).await,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot read {path}: {e}")).into_response(),
    };
    let response = finish(response, &base, is_get).await;
    with_etag(response, etag, if_none_match)
}

/// The ETag of the file `path` (a request path below the base path) names in `output`, from
/// its inode, size and modification time: every rebuild writes a changed file as a new one
/// (a rename), so the tag changes with the bytes, and no body is read to make it. None when
/// the path names no file ServeDir would send.
async fn file_etag(output: &std::path::Path, path: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let decoded = percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8().ok()?;
    let mut file = output.to_path_buf();
    for component in std::path::Path::new(decoded.as_ref()).components() {
        match component {
            std::path::Component::Normal(name) => file.push(name),
            _ => return None,
        }
    }
    if path.ends_with('/') {
        file.push("index.html");
    }
    let meta = tokio::fs::metadata(&file).await.ok()?;
    Some(format!("\"{:x}-{:x}-{:x}.{:x}\"", meta.ino(), meta.len(), meta.mtime(), meta.mtime_nsec()))
}

/// Adds `etag` to a 200 response, and answers 304 when the request already holds that
/// version. The body is passed on as it comes (a file is streamed, never held whole).
fn with_etag(response: Response, etag: Option<String>, if_none_match: Option<HeaderValue>) -> Response {
    let Some(etag) = etag.filter(|_| response.status() == StatusCode::OK) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(header::LAST_MODIFIED);
    if let Ok(value) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, value);
    }
    if if_none_match
        .is_some_and(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")))
    {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

/// Fixes redirects to the base path (never to another host), asks browsers to revalidate,
/// and injects the reload script into HTML.
async fn finish(mut response: Response, base: &str, is_get: bool) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if response.status().is_redirection()
        && let Some(location) = response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok())
        && location.starts_with('/')
    {
        // One leading slash only: `//evil.example/` (ServeDir's redirect for a folder of that
        // name asked for as `//evil.example`) is another host to a browser.
        let fixed = format!("{}/{}", base.trim_end_matches('/'), location.trim_start_matches('/'));
        if let Ok(value) = HeaderValue::from_str(&fixed) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // The script goes into pages of a usual size; a larger HTML file (a static one) is
    // streamed as it is rather than held in memory.
    let large = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|len| len > MAX_INJECTED);
    if !is_html || !is_get || large {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&collected.to_bytes()).into_owned();
    let injected = match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT_TAG}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(injected))
}

/// Whether the file system refused the path itself rather than failed to read a file.
fn refused_path(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::InvalidInput
        || error.raw_os_error().is_some_and(|code| {
            use rustix::io::Errno;
            [Errno::NAMETOOLONG, Errno::NOTDIR, Errno::ISDIR, Errno::LOOP, Errno::INVAL, Errno::ILSEQ]
                .contains(&Errno::from_raw_os_error(code))
        })
}

/// The site's 404 page with status 404.
async fn not_found(shared: &Shared, is_get: bool) -> Response {
    let base = shared.base_path.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let page = tokio::fs::read(shared.output.join("404.html")).await.unwrap_or_else(|_| b"Not found".to_vec());
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    finish(response, &base, is_get).await
}

/// A redirect to `location` (the base path, from site.toml): a path that cannot be a header
/// value is said in a 500 rather than panicking on every request.
fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the base path {location:?} of site.toml's base_url cannot be sent in an HTTP header"),
        )
            .into_response(),
    }
}
