//! 短信验证码 — six random digits, stored hashed, valid five minutes, single use, bound to phone and
//! purpose; five wrong entries burn a code; one send per 60 s, five per phone an hour, ten a day,
//! and a cap per client address. Two senders: the log/outbox (the demo) and an HTTP gateway.

use super::secret;
use crate::error::{Error, Result};
use crate::state::AppState;
use serde::Serialize;
use shared::ApiError;
use std::future::Future;
use std::pin::Pin;

pub const CODE_LIFETIME: i64 = 300;
pub const RESEND_AFTER: i64 = 60;
pub const MAX_TRIES: i64 = 5;
const PER_PHONE_HOUR: i64 = 5;
const PER_PHONE_DAY: i64 = 10;
const PER_IP_HOUR: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Register,
    Reset,
    Login,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Reset => "reset",
            Purpose::Login => "login",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Purpose::Register => "注册",
            Purpose::Reset => "重置密码",
            Purpose::Login => "登录",
        }
    }
}

type SendFuture<'a> = Pin<Box<dyn Future<Output = std::result::Result<(), String>> + Send + 'a>>;

/// Where a message goes. The centre plugs its provider in through [`HttpGateway`].
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, state: &'a AppState, phone: &'a str, message: &'a str) -> SendFuture<'a>;
}

/// The demo's sender: the message goes to the log (phone masked) and the `sms_outbox` table.
pub struct Outbox;

impl SmsSender for Outbox {
    fn send<'a>(&'a self, state: &'a AppState, phone: &'a str, message: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            // The demo's delivery channel: this log line is the citizen's "phone". A centre
            // configures the HTTP gateway instead, which logs nothing of the message.
            tracing::info!(phone = %shared::mask::phone(phone), %message, "demo SMS outbox");
            sqlx::query(
                "INSERT INTO sms_outbox (id, phone, message, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(secret::random_token(16))
            // The phone's lookup form: the outbox is found by phone, but holds no number.
            .bind(state.key.lookup(phone))
            .bind(message)
            .bind(state.clock.now().timestamp_millis())
            .execute(&state.db.pool)
            .await
            .map(|_| ())
            .map_err(|e| format!("sms outbox: {e}"))
        })
    }
}

/// An HTTP SMS gateway: `POST url` with JSON `{"to", "template", "text"}` and the key as a bearer
/// token. Any non-2xx answer is a failure (logged; the citizen is asked to try again).
pub struct HttpGateway {
    pub url: String,
    pub key: String,
    pub template: String,
    pub client: reqwest::Client,
}

#[derive(Serialize)]
struct GatewayMessage<'a> {
    to: &'a str,
    template: &'a str,
    text: &'a str,
}

impl SmsSender for HttpGateway {
    fn send<'a>(
        &'a self,
        _state: &'a AppState,
        phone: &'a str,
        message: &'a str,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            let response = self
                .client
                .post(&self.url)
                .bearer_auth(&self.key)
                .json(&GatewayMessage {
                    to: phone,
                    template: &self.template,
                    text: message,
                })
                .send()
                .await
                .map_err(|e| format!("sms gateway: {e}"))?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(format!("sms gateway answered {}", response.status()))
            }
        })
    }
}

fn code_hash(id: &str, phone: &str, purpose: Purpose, code: &str) -> String {
    secret::hash(&["sms", id, phone, purpose.as_str(), code])
}

fn too_many(message: &str) -> Error {
    Error::Refused(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        ApiError::field("phone", "sms_rate_limited", message.to_owned()),
    )
}

/// Issues and sends a code, within the limits. The answer is the same whoever owns the phone.
pub async fn issue(state: &AppState, phone: &str, purpose: Purpose, client_ip: &str) -> Result<()> {
    let now = state.clock.now().timestamp();
    // Stored and counted by the phone's lookup form; the number itself only goes to the sender.
    let (number, phone) = (phone, state.key.lookup(phone));
    let phone = phone.as_str();
    let count = |sql: &'static str, key: String, since: i64| {
        let pool = state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(key)
                .bind(since)
                .fetch_one(&pool)
                .await
        }
    };
    let by_phone = "SELECT COUNT(*) FROM sms_codes WHERE phone = $1 AND created_at > $2";
    // One wait per phone whatever the purpose: a phone never holds two fresh codes at once.
    let latest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM sms_codes WHERE phone = $1")
            .bind(phone)
            .fetch_one(&state.db.pool)
            .await?;
    if let Some(wait) = latest.map(|at| at + RESEND_AFTER - now).filter(|w| *w > 0) {
        return Err(too_many(&format!("验证码已发送，请{wait}秒后再重新获取")));
    }
    if count(by_phone, phone.to_owned(), now - 3600).await? >= PER_PHONE_HOUR {
        return Err(too_many("该手机号一小时内获取验证码次数过多，请稍后再试"));
    }
    // 今日 as the message says: the calendar day in Asia/Shanghai, not the last 24 hours.
    let since_midnight = i64::from(chrono::Timelike::num_seconds_from_midnight(
        &state.clock.local_now().time(),
    ));
    if count(by_phone, phone.to_owned(), now - since_midnight - 1).await? >= PER_PHONE_DAY {
        return Err(too_many("该手机号今日获取验证码次数已达上限，请明日再试"));
    }
    let by_ip = "SELECT COUNT(*) FROM sms_codes WHERE client_ip = $1 AND created_at > $2";
    if count(by_ip, client_ip.to_owned(), now - 3600).await? >= PER_IP_HOUR {
        return Err(too_many("获取验证码过于频繁，请稍后再试"));
    }
    let id = secret::random_token(16);
    let code = secret::random_digits(6);
    sqlx::query(
        "INSERT INTO sms_codes (id, phone, purpose, code_hash, created_at, expires_at, client_ip) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(phone)
    .bind(purpose.as_str())
    .bind(code_hash(&id, phone, purpose, &code))
    .bind(now)
    .bind(now + CODE_LIFETIME)
    .bind(client_ip)
    .execute(&state.db.pool)
    .await?;
    let message = format!(
        "【住房公积金】您正在办理个人网厅{}，验证码{code}，5分钟内有效。如非本人操作请忽略。",
        purpose.label()
    );
    state
        .accounts
        .sms
        .send(state, number, &message)
        .await
        .map_err(Error::Internal)?;
    crate::metrics::sms_sent();
    Ok(())
}

/// Checks and consumes the latest code for the phone and purpose.
pub async fn verify(state: &AppState, phone: &str, purpose: Purpose, code: &str) -> Result<()> {
    let phone = state.key.lookup(phone);
    let phone = phone.as_str();
    let refused = |code: &str, message: &str| {
        Err(Error::bad_request(ApiError::field(
            "sms_code",
            code,
            message.to_owned(),
        )))
    };
    let code = shared::account::identity::sms_code_given(code)?;
    let now = state.clock.now().timestamp();
    let latest = sqlx::query_as::<_, (String, String, i64, i64, i64)>(
        "SELECT id, code_hash, expires_at, attempts, consumed FROM sms_codes WHERE phone = $1 AND purpose = $2 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(phone)
    .bind(purpose.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((id, hash, expires_at, attempts, consumed)) = latest else {
        return refused("sms_code_wrong", "短信验证码不正确，请重新获取");
    };
    if consumed != 0 || attempts >= MAX_TRIES || expires_at < now {
        return refused("sms_code_expired", "短信验证码已失效，请重新获取");
    }
    if !secret::same(&hash, &code_hash(&id, phone, purpose, code)) {
        sqlx::query("UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(&id)
            .execute(&state.db.pool)
            .await?;
        return refused("sms_code_wrong", "短信验证码不正确");
    }
    // Consume it once: a concurrent second use finds it consumed.
    let used = sqlx::query(
        "UPDATE sms_codes SET consumed = 1 WHERE id = $1 AND consumed = 0 AND attempts < $2",
    )
    .bind(&id)
    .bind(MAX_TRIES)
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if used == 0 {
        return refused("sms_code_expired", "短信验证码已失效，请重新获取");
    }
    Ok(())
}
