//! 注册 / 登录 / 忘记密码 — the seed manual's sections 1–3 on the server.

pub mod audit;
pub mod captcha;
pub mod password;
pub mod secret;
pub mod session;
mod signup;
pub mod sms;
pub mod throttle;

use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use session::CurrentUser;
use shared::account::wire::{Captcha, Done, LoginRequest, Me};
use shared::account::Phone;
use shared::ApiError;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa_axum::{router::OpenApiRouter, routes};

/// How accounts behave; the defaults are the issue's, tests shorten the idle timeout.
pub struct AccountConfig {
    pub idle_timeout_seconds: i64,
    pub absolute_lifetime_seconds: i64,
    pub secure_cookies: bool,
    /// Reverse proxies in front of hpf: the client address is the Nth X-Forwarded-For entry from
    /// the right (0: the peer address).
    pub trusted_proxies: usize,
    /// The origins the hall is served at (`scheme://host:port`, from `--public-url` or the listen
    /// address); empty: the `Host` a request came to, with the expected scheme.
    pub origins: Vec<String>,
    /// Password hashing at most this many at once, with a short queue (503 beyond it).
    pub argon2: Arc<password::Gate>,
    /// 附加码 a client address may fetch a minute.
    pub captchas_per_minute: u32,
    /// INSECURE, browser tests only (requires --demo): captcha answers in the response and the
    /// SMS outbox readable over HTTP.
    pub test_hooks: bool,
    pub sms: Arc<dyn sms::SmsSender>,
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            idle_timeout_seconds: 15 * 60,
            absolute_lifetime_seconds: 8 * 3600,
            secure_cookies: false,
            trusted_proxies: 0,
            origins: Vec::new(),
            argon2: Arc::new(password::Gate::for_this_machine()),
            captchas_per_minute: 30,
            test_hooks: false,
            sms: Arc::new(sms::Outbox),
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(new_captcha))
        .routes(routes!(signup::send_sms))
        .routes(routes!(signup::register))
        .routes(routes!(signup::reset))
        .routes(routes!(login))
        .routes(routes!(login_sms))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// The insecure test hooks (404 unless `--insecure-test-hooks`): not part of the API, not in its
/// OpenAPI document.
pub fn test_routes() -> Router<AppState> {
    Router::new()
        .route("/test/sms-outbox/{phone}", get(test_outbox))
        .route("/test/twin", post(crate::demo::twin::twin))
        .route("/test/deposit", post(crate::demo::twin::deposit))
}

/// The client's address, for the audit log and the SMS limits.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(client) = forwarded_client(&parts.headers, state.accounts.trusted_proxies) {
            return Ok(ClientIp(client));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientIp(peer.unwrap_or_else(|| "unknown".into())))
    }
}

/// The client behind `proxies` trusted reverse proxies: each appends the address it received the
/// request from to X-Forwarded-For, so the Nth entry from the right is what the outermost proxy
/// saw — the client. Entries further left were written by the client and prove nothing. Fewer
/// entries than proxies (a request that did not pass through them all): none.
pub fn forwarded_client(headers: &axum::http::HeaderMap, proxies: usize) -> Option<String> {
    if proxies == 0 {
        return None;
    }
    let entries: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .collect();
    entries
        .len()
        .checked_sub(proxies)
        .map(|index| entries[index].clone())
}

#[utoipa::path(
    post,
    path = "/account/captcha",
    tag = "account",
    summary = "新的附加码图片",
    security(("csrf" = [])),
    responses((status = 200, body = shared::account::wire::Captcha), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 429, description = "请求过于频繁", body = shared::ApiError), (status = 503, description = "系统繁忙，请稍后再试", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn new_captcha(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<Captcha>> {
    let (id, image, answer) = captcha::create(&state, &ip).await?;
    let answer = state.accounts.test_hooks.then_some(answer);
    Ok(Json(Captcha { id, image, answer }))
}

/// A login name as typed, the way accounts are looked up: full-width digits folded, trimmed, the
/// ID number's check character in upper case.
fn login_name(username: &str) -> String {
    shared::money::normalize_width(username)
        .trim()
        .to_uppercase()
}

/// Whom a login name (证件号码 or 手机号, as typed) names: the keyed lookup of its canonical form,
/// and the member it belongs to, if any, with their password hash if they registered.
async fn find_member(
    state: &AppState,
    name: &str,
) -> Result<(String, Option<(String, Option<String>)>)> {
    let canonical = Phone::parse(name)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| name.to_owned());
    let lookup = state.key.lookup(&canonical);
    let member: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT m.personal_account, w.password_hash FROM members m \
         LEFT JOIN web_accounts w ON w.personal_account = m.personal_account \
         WHERE m.id_number_lookup = $1 OR m.phone_lookup = $1 \
         ORDER BY w.personal_account IS NULL, m.personal_account LIMIT 1",
    )
    .bind(&lookup)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok((lookup, member))
}

/// 503 系统繁忙: too many password checks under way.
pub fn busy() -> Error {
    Error::Refused(
        StatusCode::SERVICE_UNAVAILABLE,
        ApiError::new("busy", "系统繁忙，请稍后再试"),
    )
}

fn refused(code: &str, message: impl Into<String>) -> Error {
    Error::Refused(StatusCode::UNAUTHORIZED, ApiError::new(code, message))
}

#[utoipa::path(
    post,
    path = "/account/login",
    tag = "account",
    summary = "密码登录（附加码）；成功时设置会话 Cookie",
    security(("csrf" = [])),
    request_body = shared::account::wire::LoginRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::account::wire::Done), (status = 401, description = "用户名或密码错误（还可尝试N次），或账户已锁定", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 503, description = "系统繁忙，请稍后再试", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<LoginRequest>,
) -> Result<impl IntoResponse> {
    if request.username.trim().is_empty() {
        return Err(ApiError::field(
            "username",
            "username_required",
            "请输入用户名（证件号码或手机号）",
        )
        .into());
    }
    if request.password.is_empty() {
        return Err(ApiError::field("password", "password_required", "请输入密码").into());
    }
    captcha::check(&state, &request.captcha_id, &request.captcha).await?;
    // A turn to verify first (before the attempt is counted): a burst beyond the workers and
    // their queue is told to come back, and costs no attempt.
    let turn = state.accounts.argon2.enter().await.map_err(|_| busy())?;
    let now = state.clock.now().timestamp();
    let (name_lookup, member) = find_member(&state, &login_name(&request.username)).await?;
    let key = throttle::key(member.as_ref().map(|(m, _)| m.as_str()), &name_lookup);
    // The web account, if the member registered (only then can a password match).
    let account = member.and_then(|(m, hash)| hash.map(|hash| (m, hash)));
    let who = account.as_ref().map(|(who, _)| who.clone());
    // The attempt is counted before the password is verified (one conditional upsert): a burst
    // of attempts gets at most five verifications, the rest are locked out.
    let Some(attempt) = throttle::claim(&state, &key, now).await? else {
        audit::record(&state, "login", who.as_deref(), &ip, "locked").await;
        let minutes = throttle::minutes_left(&state, &key, now).await?;
        return Err(refused("account_locked", throttle::locked_message(minutes)));
    };
    let stored = account.map(|(_, hash)| hash);
    if password::verify(&state.accounts.argon2, turn, request.password, stored).await {
        let who = who.unwrap_or_default();
        throttle::clear(&state, &key).await?;
        let cookie = session::start(&state, &who).await?;
        audit::record(&state, "login", Some(&who), &ip, "ok").await;
        return Ok((
            AppendHeaders([(header::SET_COOKIE, cookie)]),
            Json(Done {
                message: "登录成功".into(),
            }),
        ));
    }
    // Known or not, the same answers in the same order: "… 还可尝试N次", then the lock.
    let result = if who.is_some() {
        "wrong_password"
    } else {
        "unknown_user"
    };
    audit::record(&state, "login", who.as_deref(), &ip, result).await;
    if attempt >= throttle::MAX_FAILED_LOGINS {
        // (The claim set the lock already.)
        audit::record(&state, "lock", who.as_deref(), &ip, "locked").await;
        return Err(refused(
            "account_locked",
            throttle::locked_message(throttle::LOCK_SECONDS / 60),
        ));
    }
    Err(refused("login_failed", throttle::failed_message(attempt)))
}

/// 短信验证码登录: the code sent to the phone (after the captcha, within the SMS limits) proves it;
/// the web account with that phone is logged in. It is also the way in for a citizen whose
/// password is locked (a stranger's wrong passwords cannot lock the phone out), and it lifts
/// that lock.
#[utoipa::path(
    post,
    path = "/account/login-sms",
    tag = "account",
    summary = "短信验证码登录；成功时设置会话 Cookie",
    security(("csrf" = [])),
    request_body = shared::account::wire::SmsLoginRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::account::wire::Done), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn login_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<shared::account::wire::SmsLoginRequest>,
) -> Result<impl IntoResponse> {
    let phone = Phone::parse(&request.phone)?;
    sms::verify(
        &state,
        phone.as_str(),
        sms::Purpose::Login,
        &request.sms_code,
    )
    .await?;
    let account: Option<String> =
        sqlx::query_scalar("SELECT personal_account FROM web_accounts WHERE phone = $1")
            .bind(state.key.lookup(phone.as_str()))
            .fetch_optional(&state.db.pool)
            .await?;
    let masked = shared::mask::phone(phone.as_str());
    let Some(who) = account else {
        // Only the phone's holder gets this far: telling them is no leak.
        audit::record_detail(
            &state,
            "login_sms",
            None,
            &ip,
            "not_registered",
            Some(&masked),
        )
        .await;
        return Err(ApiError::field(
            "phone",
            "not_registered",
            "该手机号尚未注册个人网厅账户，请先注册",
        )
        .into());
    };
    throttle::clear(&state, &throttle::key(Some(&who), "")).await?;
    let cookie = session::start(&state, &who).await?;
    audit::record_detail(&state, "login_sms", Some(&who), &ip, "ok", Some(&masked)).await;
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(Done {
            message: "登录成功".into(),
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/account/logout",
    tag = "account",
    summary = "安全退出",
    security(("session" = [], "csrf" = [])),
    responses((status = 200, body = shared::account::wire::Done), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn logout(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
) -> Result<impl IntoResponse> {
    session::end(&state, &user).await?;
    audit::record(&state, "logout", Some(&user.personal_account), &ip, "ok").await;
    Ok((
        AppendHeaders([(header::SET_COOKIE, session::clearing_cookie(&state))]),
        Json(Done {
            message: "已安全退出".into(),
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/account/me",
    tag = "account",
    summary = "当前登录的缴存职工（证件号码、手机号已遮蔽）",
    security(("session" = [])),
    responses((status = 200, body = shared::account::wire::Me), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>> {
    let (name, id_number, phone, unit_account, unit_name) = sqlx::query_as::<_, (String, String, String, String, String)>(
        "SELECT name, id_number, phone, unit_account, unit_name FROM members WHERE personal_account = $1",
    )
    .bind(&user.personal_account)
    .fetch_one(&state.db.pool)
    .await?;
    let id_number = state.key.open(&id_number).map_err(Error::Internal)?;
    let phone = state.key.open(&phone).map_err(Error::Internal)?;
    Ok(Json(Me {
        name,
        id_number: shared::mask::id_number(&id_number),
        phone: shared::mask::phone(&phone),
        personal_account: user.personal_account,
        unit_account,
        unit_name,
        idle_timeout_seconds: u32::try_from(state.accounts.idle_timeout_seconds).unwrap_or(900),
    }))
}

/// INSECURE test hook: the latest SMS to a phone, so browser tests can read a code. 404 unless
/// the server runs with --insecure-test-hooks (which requires --demo).
async fn test_outbox(
    State(state): State<AppState>,
    Path(phone): Path<String>,
) -> Result<Json<Done>> {
    if !state.accounts.test_hooks {
        return Err(Error::not_found());
    }
    let message: Option<String> = sqlx::query_scalar(
        "SELECT message FROM sms_outbox WHERE phone = $1 ORDER BY created_at DESC, id LIMIT 1",
    )
    .bind(state.key.lookup(&phone))
    .fetch_optional(&state.db.pool)
    .await?;
    message
        .map(|message| Json(Done { message }))
        .ok_or_else(Error::not_found)
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use axum::http::HeaderMap;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_client_is_the_nth_entry_from_the_right() {
        let spoofed = headers(&["6.6.6.6, 203.0.113.7"]);
        assert_eq!(forwarded_client(&spoofed, 0), None);
        assert_eq!(
            forwarded_client(&spoofed, 1).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(forwarded_client(&spoofed, 2).as_deref(), Some("6.6.6.6"));
        // Two proxies: the first appended the client, the second the first proxy.
        let two = headers(&["6.6.6.6", "203.0.113.7, 10.0.0.2"]);
        assert_eq!(forwarded_client(&two, 2).as_deref(), Some("203.0.113.7"));
        // Fewer entries than proxies: the request did not come through them all.
        assert_eq!(forwarded_client(&headers(&["203.0.113.7"]), 2), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
    }
}
