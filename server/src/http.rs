//! The router: the JSON API under /api and the built app (hashed assets cached for a year,
//! `index.html` never cached, client routes falling back to `index.html`).

use crate::account::{self, session};
use crate::error::Error;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tower_http::services::ServeDir;

/// The largest request body the API reads (the largest real one, a prepayment with its figures,
/// is under 2 KiB).
pub const API_BODY_LIMIT: usize = 16 * 1024;

/// The whole application. `dist` is the app built by Trunk; `None` serves the API alone.
pub fn router(state: AppState, dist: Option<PathBuf>) -> Router {
    // Secure cookies mean the citizen reaches the hall over TLS: tell browsers to stay on it.
    let hsts = state.accounts.secure_cookies;
    let (api, _) = crate::openapi::api();
    let api = api
        .merge(account::test_routes())
        .fallback(|| async { Error::not_found() })
        // Every request the hall takes is a small form: a body over 16 KiB is refused (413)
        // before it is read, instead of axum's 2 MiB per request.
        .layer(axum::extract::DefaultBodyLimit::max(API_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::csrf_guard,
        ))
        .layer(middleware::from_fn(no_store))
        .layer(middleware::from_fn(route_template))
        .layer(middleware::from_fn(rejections_as_api_errors))
        .with_state(state);
    let app = Router::new().nest("/api", api);
    let app = match dist {
        Some(dist) => app.fallback_service(static_files(&dist)),
        None => app,
    };
    app.layer(middleware::from_fn(move |request: Request, next: Next| {
        security_headers(hsts, request, next)
    }))
    .layer(middleware::from_fn(long_segments_not_found))
    .layer(middleware::from_fn(log_request))
}

/// No file or route has a path segment over 255 bytes (the file systems' name limit): such a
/// request is a 404 before anything tries to open it (it used to surface as a 500).
async fn long_segments_not_found(request: Request, next: Next) -> Response {
    const LONGEST_SEGMENT: usize = 255;
    let path = request.uri().path();
    if path
        .split('/')
        .any(|segment| segment.len() > LONGEST_SEGMENT)
    {
        return if path.starts_with("/api/") {
            Error::not_found().into_response()
        } else {
            StatusCode::NOT_FOUND.into_response()
        };
    }
    next.run(request).await
}

/// On every response. Pages get their own Content-Security-Policy (see [`page_csp`]); anything
/// else may load nothing.
async fn security_headers(hsts: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    response
}

/// The page's policy: scripts only from this origin plus Trunk's one inline loader, allowed by
/// its SHA-256 (no `unsafe-inline`); wasm needs `'wasm-unsafe-eval'`; images may be data URLs
/// (the captcha).
pub fn page_csp(html: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let mut hashes = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = match rest[start..].find('>') {
            Some(end) => start + end,
            None => break,
        };
        let tag = &rest[start..tag_end];
        let Some(close) = rest[tag_end..].find("</script>") else {
            break;
        };
        let body = &rest[tag_end + 1..tag_end + close];
        if !tag.contains("src=") {
            let digest = sha2::Sha256::digest(body.as_bytes());
            hashes.push_str(&format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[tag_end + close..];
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )
}

/// An answer slower than this is logged at `info` (see [`log_request`]).
const SLOW_REQUEST: std::time::Duration = std::time::Duration::from_secs(1);

/// One log line per request: its id, method, path (never the query, which may carry personal
/// data), status and latency. The id (the caller's `X-Request-Id` if it is a sane one, else a new
/// one) is answered in `X-Request-Id`, so a citizen's report or a proxy's log leads to the line.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let _in_flight = crate::metrics::InFlight::start();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (8..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| crate::account::secret::random_token(12));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    // One line per request costs ~20 % of a small endpoint at `info` (formatting and a write to
    // stderr each): ordinary answers are logged at `debug`; server errors and slow answers (over
    // 1 s) stay visible at `warn`/`info`. The audit log (logins, submissions) is in the database
    // and unaffected.
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let route = match response.extensions().get::<crate::metrics::RouteTemplate>() {
        Some(template) => template.0.as_str(),
        None if path.starts_with("/api/") => "/api/{unmatched}",
        None => "static",
    };
    crate::metrics::request(route, method.as_str(), status, elapsed);
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(request_id = %id, %method, %path, status, latency_ms, "request");
    } else if elapsed >= SLOW_REQUEST {
        tracing::info!(request_id = %id, %method, %path, status, latency_ms, "slow request");
    } else {
        tracing::debug!(request_id = %id, %method, %path, status, latency_ms, "request");
    }
    response
}

/// Tells the outermost layer which route answered (the template, never the citizen's numbers
/// in the path), for the metrics.
async fn route_template(request: Request, next: Next) -> Response {
    let template = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|path| crate::metrics::RouteTemplate(path.as_str().to_owned()));
    let mut response = next.run(request).await;
    if let Some(template) = template {
        response.extensions_mut().insert(template);
    }
    response
}

/// axum's own refusals of a body it cannot read (not JSON, the wrong shape, too large) are plain
/// English text naming the Rust types; the browser gets the hall's `ApiError` in Chinese instead.
async fn rejections_as_api_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            shared::ApiError::new("body_too_large", "提交的内容过大，请检查后重试")
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            shared::ApiError::new("method_not_allowed", "不支持的请求方式")
        }
        _ => shared::ApiError::new("bad_request", "请求格式不正确，请刷新页面后重试"),
    };
    (status, axum::Json(error)).into_response()
}

async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Trunk names assets `name-<hash>.ext`, the hash a u64 in hex *without* leading zeros (so
/// usually 16 digits, sometimes fewer; 12 or more is taken as a hash): such a file never changes,
/// so browsers may keep it. `app/static/sw.js` uses the same rule.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn static_files(dist: &Path) -> Router {
    let index = Arc::new(dist.join("index.html"));
    let spa = move |request: Request| {
        let index = Arc::clone(&index);
        async move {
            // A missing file (it has an extension) is a 404; anything else is a client route.
            let last = request.uri().path().rsplit('/').next().unwrap_or_default();
            if last.contains('.') {
                return Ok(StatusCode::NOT_FOUND.into_response());
            }
            let response = match tokio::fs::read(index.as_ref()).await {
                Ok(html) => (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    Body::from(html),
                )
                    .into_response(),
                Err(e) => {
                    Error::Internal(format!("cannot read {}: {e}", index.display())).into_response()
                }
            };
            Ok::<_, std::convert::Infallible>(response)
        }
    };
    // The release build leaves `.br` and `.gz` copies beside each asset (`./hall`'s build): the
    // best one the browser accepts is sent, with `Content-Encoding`; the plain file otherwise.
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(tower::service_fn(spa));
    let dist = Arc::new(dist.to_path_buf());
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(dist, page_headers))
}

/// Cache headers by name, and the page's CSP on HTML.
async fn page_headers(
    axum::extract::State(dist): axum::extract::State<Arc<PathBuf>>,
    request: Request,
    next: Next,
) -> Response {
    let is_worker = request.uri().path() == "/sw.js";
    let mut response = cache_headers(request, next).await;
    if is_worker && response.status().is_success() {
        // A service worker runs under its own script's policy: it must reach this origin.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        );
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let html = tokio::fs::read_to_string(dist.join("index.html"))
            .await
            .unwrap_or_default();
        if let Ok(value) = HeaderValue::from_str(&page_csp(&html)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same address answers brotli, gzip or plain by the request's Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_only_the_inline_loader_by_hash() {
        let html = "<head><script type=\"module\">import init from '/app.js';</script><script src=\"/x.js\"></script></head>";
        let csp = page_csp(html);
        // sha256 of exactly the script's text.
        use base64::Engine;
        use sha2::Digest;
        let expected = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(b"import init from '/app.js';"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert_eq!(csp.matches("sha256-").count(), 1);
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn trunk_hashed_names() {
        assert!(is_hashed_asset("/app-4f2b6c8d9e0a1b2c_bg.wasm"));
        assert!(is_hashed_asset("/app-4f2b6c8d9e0a1b2c.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/app-xyz.js"));
        // A hash with a leading zero nibble is printed one digit shorter.
        assert!(is_hashed_asset("/app-bf2a75f64b3d927_bg.wasm"));
        assert!(!is_hashed_asset("/app-abc123.js"));
    }
}
