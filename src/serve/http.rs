//! The HTTP side of `serve`: axum with tower-http's ServeDir over the output folder (MIME
//! types, index.html for folders, HEAD, conditional requests), the site's 404.html with
//! status 404, the live-reload event stream, and the reload script injected into HTML.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use http_body_util::BodyExt;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::{Notice, Shared};
use crate::error::Error;

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__papershelf/live.js\"></script>";

/// Serves until Ctrl-C.
pub async fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| Error::Usage(e.to_string()))?;
    let app = Router::new()
        .route("/__papershelf/events", get(events))
        .route("/__papershelf/live.js", get(live_js))
        .fallback(site)
        .with_state(shared);
    let server = axum::serve(listener, app);
    tokio::select! {
        result = server => result.map_err(|e| Error::Usage(format!("server stopped: {e}"))),
        _ = tokio::signal::ctrl_c() => {
            println!("stopped");
            Ok(())
        }
    }
}

async fn live_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], LIVE_JS)
}

/// The event stream each open page listens to: the standing problem first, if any, then
/// every notice as it comes. The stream owns its receiver, so a page that goes away leaves
/// nothing running behind it.
async fn events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.notices.subscribe();
    let first = match shared.problem.lock().expect("problem lock").clone() {
        Some(text) => Event::default().event("problem").data(text),
        None => Event::default().event("clean").data("clean"),
    };
    let stream = futures_util::stream::unfold((Some(first), receiver), |(first, mut receiver)| async move {
        if let Some(event) = first {
            return Some((Ok(event), (None, receiver)));
        }
        let event = match receiver.recv().await {
            Ok(Notice::Problem(text)) => Event::default().event("problem").data(text),
            // A page that missed notices reloads to be sure it shows the latest build.
            Ok(Notice::Reload) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), (None, receiver)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Everything else: a file of the site under its base path.
async fn site(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let base = shared.base_path.lock().expect("base path lock").clone();
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
    // Conditional requests are answered here, with an ETag of the bytes sent: ServeDir's
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
    let service = ServeDir::new(&shared.output).not_found_service(ServeFile::new(shared.output.join("404.html")));
    let response = match service.oneshot(request).await {
        Ok(r) => r.map(Body::new),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let response = finish(response, &base, is_get).await;
    with_etag(response, if_none_match).await
}

/// Adds an ETag (a hash of the body) to a complete 200 response, and answers 304 when the
/// request already holds that version.
async fn with_etag(response: Response, if_none_match: Option<HeaderValue>) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let bytes = collected.to_bytes();
    let etag = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        format!("\"{:016x}\"", h.finish())
    };
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header"));
    if if_none_match
        .is_some_and(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")))
    {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Fixes redirects to the base path, asks browsers to revalidate, and injects the reload
/// script into HTML.
async fn finish(mut response: Response, base: &str, is_get: bool) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if response.status().is_redirection()
        && let Some(location) = response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok())
        && location.starts_with('/')
    {
        let fixed = format!("{}{location}", base.trim_end_matches('/'));
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
    if !is_html || !is_get {
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

async fn not_found(shared: &Shared, is_get: bool) -> Response {
    let base = shared.base_path.lock().expect("base path lock").clone();
    let page = tokio::fs::read(shared.output.join("404.html")).await.unwrap_or_else(|_| b"Not found".to_vec());
    let response = Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(page))
        .expect("a valid response");
    finish(response, &base, is_get).await
}

fn redirect(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .expect("a valid response")
}
