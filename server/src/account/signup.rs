//! 注册 and 忘记密码: both prove the phone with an SMS code (after an image captcha), then check the
//! three factors (姓名, 证件号码, 手机号) against the fund's records. Nothing tells whether someone is
//! registered before the SMS step is passed.

use super::{audit, captcha, password, session, sms, ClientIp};
use crate::error::Result;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use shared::account::identity::Identity;
use shared::account::wire::{
    Done, RegisterRequest, ResetRequest, SmsPurpose, SmsRequest, SmsSent, THREE_FACTOR_MISMATCH,
};
use shared::account::Phone;
use shared::ApiError;

#[utoipa::path(
    post,
    path = "/account/sms",
    tag = "account",
    summary = "发送短信验证码（注册、找回密码、登录）",
    security(("csrf" = [])),
    request_body = SmsRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = SmsSent), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 429, description = "请求过于频繁", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn send_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<SmsRequest>,
) -> Result<Json<SmsSent>> {
    let phone = Phone::parse(&request.phone)?;
    captcha::check(&state, &request.captcha_id, &request.captcha).await?;
    let purpose = match request.purpose {
        SmsPurpose::Register => sms::Purpose::Register,
        SmsPurpose::Reset => sms::Purpose::Reset,
        SmsPurpose::Login => sms::Purpose::Login,
    };
    // Sent whoever owns the phone: the answer must not tell.
    sms::issue(&state, phone.as_str(), purpose, &ip).await?;
    let masked = shared::mask::phone(phone.as_str());
    audit::record_detail(&state, "sms", None, &ip, purpose.as_str(), Some(&masked)).await;
    Ok(Json(SmsSent {
        message: "验证码已发送至您的手机，5分钟内有效".into(),
        resend_after_seconds: sms::RESEND_AFTER as u32,
    }))
}

const MEMBER_BY_FACTORS: &str =
    "SELECT personal_account FROM members WHERE id_number_lookup = $1 AND name = $2 AND phone_lookup = $3";
const ACCOUNT_BY_FACTORS: &str = "SELECT w.personal_account FROM web_accounts w \
     JOIN members m ON m.personal_account = w.personal_account WHERE w.id_number = $1 AND m.name = $2 AND w.phone = $3";

/// The personal account `sql` finds for the three factors, or the manual's refusal (audited) that
/// does not say which factor differs.
async fn three_factor_match(
    state: &AppState,
    ip: &str,
    event: &str,
    sql: &'static str,
    who: &Identity,
) -> Result<String> {
    let found: Option<String> = sqlx::query_scalar(sql)
        .bind(state.key.lookup(who.id_number.as_str()))
        .bind(who.name.as_str())
        .bind(state.key.lookup(who.phone.as_str()))
        .fetch_optional(&state.db.pool)
        .await?;
    match found {
        Some(account) => Ok(account),
        None => {
            audit::record(state, event, None, ip, "three_factor_mismatch").await;
            Err(ApiError::new("three_factor_mismatch", THREE_FACTOR_MISMATCH).into())
        }
    }
}

/// The new password's hash, in a turn of the Argon2 gate (503 when the hall is busy).
async fn new_password_hash(state: &AppState, who: &Identity) -> Result<String> {
    let turn = state
        .accounts
        .argon2
        .enter()
        .await
        .map_err(|_| super::busy())?;
    password::hash_on(
        &state.accounts.argon2,
        turn,
        who.password.expose().to_owned(),
    )
    .await
    .map_err(crate::error::Error::Internal)
}

#[utoipa::path(
    post,
    path = "/account/register",
    tag = "account",
    summary = "新用户注册",
    security(("csrf" = [])),
    request_body = RegisterRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = Done), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 503, description = "系统繁忙，请稍后再试", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<RegisterRequest>,
) -> Result<Json<Done>> {
    let who = request.check(state.clock.local_now().date())?;
    sms::verify(
        &state,
        who.phone.as_str(),
        sms::Purpose::Register,
        &request.sms_code,
    )
    .await?;
    let account = three_factor_match(&state, &ip, "register", MEMBER_BY_FACTORS, &who).await?;
    let hash = new_password_hash(&state, &who).await?;
    let now = state.clock.now().timestamp();
    let inserted = sqlx::query(
        "INSERT INTO web_accounts (personal_account, id_number, phone, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING",
    )
    .bind(&account)
    .bind(state.key.lookup(who.id_number.as_str()))
    .bind(state.key.lookup(who.phone.as_str()))
    .bind(hash)
    .bind(now)
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if inserted == 0 {
        audit::record(
            &state,
            "register",
            Some(&account),
            &ip,
            "already_registered",
        )
        .await;
        return Err(ApiError::new(
            "already_registered",
            "该证件号码已注册网厅账号，请直接登录；如忘记密码请使用“忘记密码”",
        )
        .into());
    }
    audit::record(&state, "register", Some(&account), &ip, "ok").await;
    Ok(Json(Done {
        message: "注册成功，请使用证件号码或手机号登录".into(),
    }))
}

#[utoipa::path(
    post,
    path = "/account/reset",
    tag = "account",
    summary = "忘记密码：验证身份后设置新密码",
    security(("csrf" = [])),
    request_body = ResetRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = Done), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 503, description = "系统繁忙，请稍后再试", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<ResetRequest>,
) -> Result<Json<Done>> {
    let who = request.check(state.clock.local_now().date())?;
    sms::verify(
        &state,
        who.phone.as_str(),
        sms::Purpose::Reset,
        &request.sms_code,
    )
    .await?;
    let account = three_factor_match(&state, &ip, "reset", ACCOUNT_BY_FACTORS, &who).await?;
    let hash = new_password_hash(&state, &who).await?;
    sqlx::query("UPDATE web_accounts SET password_hash = $1, password_changed_at = $2 WHERE personal_account = $3")
        .bind(hash)
        .bind(state.clock.now().timestamp())
        .bind(&account)
        .execute(&state.db.pool)
        .await?;
    // The phone is proven: the lock a stranger's wrong passwords set goes with the old password.
    super::throttle::clear(&state, &super::throttle::key(Some(&account), "")).await?;
    // Every session of the member ends: whoever knew the old password is out.
    session::end_all(&state, &account).await?;
    audit::record(&state, "reset", Some(&account), &ip, "ok").await;
    Ok(Json(Done {
        message: "密码已重置，请使用新密码登录".into(),
    }))
}
