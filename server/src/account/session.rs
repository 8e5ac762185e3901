//! Sessions in the database (any hpf replica can serve a user): an opaque random cookie
//! (HttpOnly, SameSite=Strict, Secure over TLS), a fresh id at every login, 15 minutes idle and
//! 8 hours absolute by default. Also the CSRF guard of every state-changing API call.

use super::secret;
use crate::db::{Columns, Param};
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::ApiError;

pub const COOKIE: &str = "hpf_session";
/// The header every state-changing call must carry: a cross-site form cannot set it, and a
/// cross-site script cannot send it without a CORS preflight this server never grants.
pub const CSRF_HEADER: &str = "x-hpf-csrf";

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn token_hash(token: &str) -> String {
    secret::hash(&["session", token])
}

/// Starts a session and returns its `Set-Cookie` value.
pub async fn start(state: &AppState, personal_account: &str) -> Result<String> {
    let token = secret::random_token(32);
    let now = state.clock.now().timestamp();
    let config = &state.accounts;
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(now)
        .bind(now - config.idle_timeout_seconds)
        .execute(&state.db.pool)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, personal_account, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)")
        .bind(token_hash(&token))
        .bind(personal_account)
        .bind(now)
        .bind(now + config.absolute_lifetime_seconds)
        .execute(&state.db.pool)
        .await?;
    Ok(cookie(state, &token, config.absolute_lifetime_seconds))
}

fn cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.accounts.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that removes the cookie.
pub fn clearing_cookie(state: &AppState) -> String {
    cookie(state, "", 0)
}

pub async fn end(state: &AppState, user: &CurrentUser) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&user.token_hash)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

pub async fn end_all(state: &AppState, personal_account: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE personal_account = $1")
        .bind(personal_account)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// The logged-in member of a request; handlers that take it answer 401 `session_expired` without.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub personal_account: String,
    token_hash: String,
    /// The member header (单位账号, 单位名称, 姓名), read with the session in one query.
    unit_account: String,
    unit_name: String,
    name: String,
}

impl CurrentUser {
    /// 我的住房公积金 header of the logged-in member, without another query.
    pub fn header(&self) -> shared::loan::wire::MemberHeader {
        shared::loan::wire::MemberHeader {
            unit_account: self.unit_account.clone(),
            unit_name: self.unit_name.clone(),
            personal_account: self.personal_account.clone(),
            name: self.name.clone(),
        }
    }
}

fn expired() -> Error {
    Error::Refused(
        StatusCode::UNAUTHORIZED,
        ApiError::new("session_expired", "登录已超时或尚未登录，请重新登录"),
    )
}

/// A session's last-seen time moves in steps of a minute: authenticated reads do not write.
pub const LAST_SEEN_STEP: i64 = 60;

/// A session row with its member header, as [`SESSION_COLUMNS`] over [`SESSION_FROM`] reads it;
/// a page may join its own data to it and read both in one round trip (`/api/loans`).
#[derive(Debug, Clone)]
pub struct SessionRow {
    personal_account: String,
    last_seen: i64,
    expires_at: i64,
    unit_account: String,
    unit_name: String,
    name: String,
}

/// The columns [`SessionRow::read`] reads, of `s` (sessions) and `m` (members) as
/// [`SESSION_FROM`] names them.
pub const SESSION_COLUMNS: &str =
    "s.personal_account, s.last_seen_at, s.expires_at, m.unit_account, m.unit_name, m.name";
/// A session joined to its member: a page's query selects [`SESSION_COLUMNS`] from it, joins its
/// own tables and asks `WHERE s.token_hash = $1`.
pub const SESSION_FROM: &str =
    "sessions s JOIN members m ON m.personal_account = s.personal_account";

impl SessionRow {
    pub fn read(row: &dyn Columns) -> Result<SessionRow> {
        Ok(SessionRow {
            personal_account: row.text("personal_account")?,
            last_seen: row.int("last_seen_at")?,
            expires_at: row.int("expires_at")?,
            unit_account: row.text("unit_account")?,
            unit_name: row.text("unit_name")?,
            name: row.text("name")?,
        })
    }
}

/// The session a request names (its cookie, hashed as stored), not yet read: 401 without one.
#[derive(Debug, Clone)]
pub struct SessionToken(String);

impl SessionToken {
    /// The value the session's `token_hash` column holds ([`SESSION_FROM`]'s `s.token_hash`).
    /// Whatever is read with it is the request's only once [`SessionToken::admit`] says so.
    pub(crate) fn hash(&self) -> &str {
        &self.0
    }

    /// The session as read (`None`: no such session) made the request's user — or 401 when it
    /// has ended: past its expiry, or idle for longer than the timeout (then it is deleted).
    /// The one place these rules are applied, however the row was read.
    pub async fn admit(self, state: &AppState, row: Option<SessionRow>) -> Result<CurrentUser> {
        let Some(row) = row else {
            return Err(expired());
        };
        let hash = self.0;
        let now = state.clock.now().timestamp();
        // last_seen is written at most once a minute (a read is then no write): the session ends
        // between the idle timeout and a minute more after the last request, never earlier.
        if now >= row.expires_at
            || now - row.last_seen > state.accounts.idle_timeout_seconds + LAST_SEEN_STEP
        {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .execute(&state.db.pool)
                .await?;
            return Err(expired());
        }
        if now - row.last_seen >= LAST_SEEN_STEP {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&state.db.pool)
                .await?;
        }
        Ok(CurrentUser {
            personal_account: row.personal_account,
            token_hash: hash,
            unit_account: row.unit_account,
            unit_name: row.unit_name,
            name: row.name,
        })
    }
}

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self> {
        let token = cookie_value(&parts.headers).ok_or_else(expired)?;
        Ok(SessionToken(token_hash(&token)))
    }
}

static SESSION_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.token_hash = $1")
});

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = SessionToken::from_request_parts(parts, state).await?;
        // The session and the member header in one round trip.
        let row = state
            .db
            .read_optional(&SESSION_SQL, &[Param::Text(token.hash())], SessionRow::read)
            .await?;
        token.admit(state, row).await
    }
}

/// An origin as scheme, host and port (`https://gjj.example.cn:443`), the way browsers send
/// `Origin` and the way `--public-url` names the hall; `None` for anything else.
pub fn normalize_origin(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_lowercase();
    let (scheme, rest) = text.split_once("://")?;
    let default_port: u16 = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, port.parse().ok()?)
        }
        _ => (authority, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{host}:{port}"))
}

/// A state-changing request must carry `X-HPF-CSRF: 1` (a cross-site form cannot set it), come
/// from this origin — scheme, host and port: the `--public-url` (or the listen address), or when
/// neither names it, the `Host` the request came to — and not be marked cross-site.
pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let has_header = headers.get(CSRF_HEADER).is_some_and(|v| v == "1");
    let allowed = &state.accounts.origins;
    let same_origin = match headers.get(header::ORIGIN) {
        // Not a browser's cross-site request: browsers send Origin on every such POST.
        None => true,
        Some(origin) => match origin.to_str().ok().and_then(normalize_origin) {
            None => false,
            Some(origin) if !allowed.is_empty() => allowed.contains(&origin),
            Some(origin) => {
                let scheme = if state.accounts.secure_cookies {
                    "https"
                } else {
                    "http"
                };
                // HTTP/2 carries the host as the URI's authority, not a Host header.
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
                    .or_else(|| request.uri().authority().map(|a| a.to_string()))
                    .unwrap_or_default();
                normalize_origin(&format!("{scheme}://{host}")) == Some(origin)
            }
        },
    };
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site");
    if has_header && same_origin && !cross_site {
        return next.run(request).await;
    }
    Error::Refused(
        StatusCode::FORBIDDEN,
        ApiError::new("csrf_refused", "请求来源无效，请刷新页面后重试"),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            normalize_origin("https://GJJ.example.cn").as_deref(),
            Some("https://gjj.example.cn:443")
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:3000/").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            normalize_origin("http://[::1]:3000").as_deref(),
            Some("http://[::1]:3000")
        );
        assert_eq!(
            normalize_origin("http://[::1]").as_deref(),
            Some("http://[::1]:80")
        );
        for bad in [
            "evil://127.0.0.1:3000",
            "null",
            "127.0.0.1:3000",
            "http://",
            "http://a@b",
        ] {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; hpf_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie_value(&headers).as_deref(), Some("abc"));
        headers.insert(header::COOKIE, "hpf_sessionx=1".parse().unwrap());
        assert_eq!(cookie_value(&headers), None);
    }
}
