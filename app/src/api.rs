//! The one typed client of the hall's JSON API: every call returns `Result<T, ApiError>` with the
//! server's Chinese message, or a plain message when the network itself failed. State-changing
//! calls carry the CSRF header the server requires.

use gloo_net::http::{Request, Response};
use leptos::prelude::{ArcRwSignal, Get, GetUntracked, Set};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shared::account::wire::{
    Captcha, Done, LoginRequest, Me, RegisterRequest, ResetRequest, SmsRequest, SmsSent,
};
use shared::ApiError;
use std::cell::Cell;

thread_local! {
    /// When the server last saw this tab (ms since the epoch): the idle warning counts from it.
    static LAST_ACTIVITY: Cell<f64> = Cell::new(js_sys::Date::now());
}

pub fn last_activity() -> f64 {
    LAST_ACTIVITY.with(Cell::get)
}

fn bad_response() -> ApiError {
    ApiError::new("bad_response", "服务器返回的数据无法识别，请稍后再试")
}

/// The body of a 2xx answer, or the server's `ApiError`. Not generic, like the other transport
/// functions here: only the final `from_str::<T>` is instantiated per type (bundle size).
async fn answer_text(response: Response) -> Result<String, ApiError> {
    LAST_ACTIVITY.with(|cell| cell.set(js_sys::Date::now()));
    let status = response.status();
    let text = response.text().await.map_err(|_| bad_response())?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    Err(serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
        ApiError::new(
            "http_error",
            format!("服务暂不可用（{status}），请稍后再试"),
        )
    }))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| bad_response())
}

fn offline() -> ApiError {
    ApiError::new("offline", "网络连接失败，请检查网络后再试")
}

/// Whether the last GET was answered from the offline snapshot (the page says so).
pub fn is_offline() -> bool {
    OFFLINE.with(|offline| offline.get().is_some())
}

/// When the oldest snapshot on screen was saved (ms since the epoch, the device's clock: it only
/// tells the citizen how old the figures are), while offline.
pub fn offline_saved_at() -> Option<f64> {
    OFFLINE.with(|offline| offline.get())
}

thread_local! {
    /// Reference-counted, not arena-owned: it must outlive whichever page first read it.
    static OFFLINE: ArcRwSignal<Option<f64>> = ArcRwSignal::new(None);
}

/// The snapshot: the last answer of every GET this citizen saw (loan, trial context with the
/// dates the calendar and policy allow, business clock, who is logged in), kept in local storage
/// so the trial pages load and compute offline. Cleared at logout and when the session is gone.
mod snapshot {
    const PREFIX: &str = "hpf:snapshot:";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The answer, and beside it (`…@<path>`) when it was saved.
    pub fn keep(path: &str, text: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{PREFIX}{path}"), text);
            let now = js_sys::Date::now().to_string();
            let _ = storage.set_item(&format!("{PREFIX}@{path}"), &now);
        }
    }

    pub fn read(path: &str) -> Option<String> {
        storage()?.get_item(&format!("{PREFIX}{path}")).ok()?
    }

    pub fn saved_at(path: &str) -> Option<f64> {
        storage()?
            .get_item(&format!("{PREFIX}@{path}"))
            .ok()??
            .parse()
            .ok()
    }

    pub fn clear() {
        let Some(storage) = storage() else { return };
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with(PREFIX))
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
    }
}

/// A GET: the server's answer, kept as the snapshot; without a network, the snapshot.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&get_text(path).await?)
}

async fn get_text(path: &str) -> Result<String, ApiError> {
    let response = match Request::get(&format!("/api{path}")).send().await {
        Ok(response) => response,
        Err(_) => {
            let kept = snapshot::read(path);
            if kept.is_some() {
                let saved = snapshot::saved_at(path).unwrap_or(0.0);
                OFFLINE.with(|offline| {
                    let oldest = offline.get_untracked().map_or(saved, |was| was.min(saved));
                    offline.set(Some(oldest));
                });
            }
            return kept.ok_or_else(offline);
        }
    };
    OFFLINE.with(|offline| offline.set(None));
    if response.status() == 401 {
        snapshot::clear();
    }
    let text = answer_text(response).await?;
    snapshot::keep(path, &text);
    Ok(text)
}

/// Sends a JSON body with the CSRF header; the `offline` error when the network failed.
async fn send(path: &str, body: Result<String, serde_json::Error>) -> Result<Response, ApiError> {
    let body = body.map_err(|_| ApiError::new("bad_request", "请求无法发送"))?;
    Request::post(&format!("/api{path}"))
        .header("x-hpf-csrf", "1")
        .header("content-type", "application/json")
        .body(body)
        .map_err(|_| ApiError::new("bad_request", "请求无法发送"))?
        .send()
        .await
        .map_err(|_| offline())
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let response = send(path, serde_json::to_string(body)).await?;
    parse(&answer_text(response).await?)
}

/// The server's business clock (账务日期): rules never read the device clock.
#[derive(Debug, Clone, Deserialize)]
pub struct BusinessClock {
    /// The business date, YYYY-MM-DD.
    pub date: String,
}

pub async fn clock() -> Result<BusinessClock, ApiError> {
    get("/clock").await
}

#[derive(Serialize)]
struct Empty {}

pub async fn captcha() -> Result<Captcha, ApiError> {
    post("/account/captcha", &Empty {}).await
}

pub async fn send_sms(request: &SmsRequest) -> Result<SmsSent, ApiError> {
    post("/account/sms", request).await
}

pub async fn register(request: &RegisterRequest) -> Result<Done, ApiError> {
    post("/account/register", request).await
}

pub async fn reset(request: &ResetRequest) -> Result<Done, ApiError> {
    post("/account/reset", request).await
}

pub async fn login(request: &LoginRequest) -> Result<Done, ApiError> {
    let done = post("/account/login", request).await;
    if done.is_ok() {
        // Another citizen may have used this browser before.
        snapshot::clear();
    }
    done
}

/// 短信验证码登录.
pub async fn login_sms(request: &shared::account::wire::SmsLoginRequest) -> Result<Done, ApiError> {
    let done = post("/account/login-sms", request).await;
    if done.is_ok() {
        snapshot::clear();
    }
    done
}

pub async fn logout() -> Result<Done, ApiError> {
    snapshot::clear();
    post("/account/logout", &Empty {}).await
}

/// The idle timeout ended the session in this tab: its snapshot goes (the server's ends on its own).
pub fn forget_session() {
    snapshot::clear();
}

/// Whether this browser holds the snapshot of a live session (cleared at logout and on a 401).
pub fn may_be_logged_in() -> bool {
    snapshot::read("/account/me").is_some()
}

pub async fn me() -> Result<Me, ApiError> {
    get("/account/me").await
}

// ---- 贷款 ----

use shared::application::{ApplicationView, FiguresChanged};
use shared::loan::wire::{
    AdjustTermSubmission, ChangeAccountSubmission, LoanDetail, LoanList, LoanTransaction,
    PrepaymentSubmission, SettlementSubmission, TrialContext,
};
use shared::loan::Schedule;

pub async fn loans() -> Result<LoanList, ApiError> {
    get("/loans").await
}

pub async fn loan(borrower_no: &str) -> Result<LoanDetail, ApiError> {
    get(&format!("/loans/{borrower_no}")).await
}

pub async fn transactions(borrower_no: &str) -> Result<Vec<LoanTransaction>, ApiError> {
    get(&format!("/loans/{borrower_no}/transactions")).await
}

pub async fn schedule(borrower_no: &str) -> Result<Schedule, ApiError> {
    get(&format!("/loans/{borrower_no}/schedule")).await
}

pub async fn trial_context(borrower_no: &str) -> Result<TrialContext, ApiError> {
    get(&format!("/loans/{borrower_no}/context")).await
}

/// A submission's outcome other than acceptance: refused, or the server's figures differ.
#[derive(Debug, Clone)]
pub enum Rejected {
    Refused(ApiError),
    Changed(FiguresChanged),
}

async fn submit<B: Serialize>(path: &str, body: &B) -> Result<ApplicationView, Rejected> {
    submit_text(path, serde_json::to_string(body)).await
}

async fn submit_text(
    path: &str,
    body: Result<String, serde_json::Error>,
) -> Result<ApplicationView, Rejected> {
    let response = send(path, body).await.map_err(|e| {
        Rejected::Refused(if e.code == "offline" {
            ApiError::new("offline", "提交需要网络连接，请连接网络后再提交")
        } else {
            e
        })
    })?;
    if response.status() == 409 {
        let text = response.text().await.unwrap_or_default();
        if let Ok(changed) = serde_json::from_str::<FiguresChanged>(&text) {
            return Err(Rejected::Changed(changed));
        }
        let refused = serde_json::from_str::<ApiError>(&text)
            .unwrap_or_else(|_| ApiError::new("http_error", "服务暂不可用，请稍后再试"));
        return Err(Rejected::Refused(refused));
    }
    let text = answer_text(response).await.map_err(Rejected::Refused)?;
    parse(&text).map_err(Rejected::Refused)
}

pub async fn submit_prepayment(
    borrower_no: &str,
    body: &PrepaymentSubmission,
) -> Result<ApplicationView, Rejected> {
    submit(&format!("/loans/{borrower_no}/prepayment"), body).await
}

pub async fn submit_settlement(
    borrower_no: &str,
    body: &SettlementSubmission,
) -> Result<ApplicationView, Rejected> {
    submit(&format!("/loans/{borrower_no}/settlement"), body).await
}

pub async fn submit_adjust_term(
    borrower_no: &str,
    body: &AdjustTermSubmission,
) -> Result<ApplicationView, Rejected> {
    submit(&format!("/loans/{borrower_no}/adjust-term"), body).await
}

pub async fn change_account(
    borrower_no: &str,
    body: &ChangeAccountSubmission,
) -> Result<ApplicationView, Rejected> {
    submit(&format!("/loans/{borrower_no}/repayment-account"), body).await
}

/// A fresh idempotency key for one submission (retries of it reuse the key).
pub fn idempotency_key() -> String {
    let mut random = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    random.iter().map(|b| format!("{b:02x}")).collect()
}

// ---- 提取, 业务进度查询 ----

use shared::application::Progress;
use shared::withdrawal::{Material, NewMaterial, WithdrawalHome, WithdrawalSubmission};

pub async fn withdrawal_home() -> Result<WithdrawalHome, ApiError> {
    get("/withdrawal").await
}

pub async fn add_material(material: &NewMaterial) -> Result<Material, ApiError> {
    post("/withdrawal/materials", material).await
}

pub async fn submit_withdrawal(body: &WithdrawalSubmission) -> Result<ApplicationView, Rejected> {
    submit("/withdrawal", body).await
}

pub async fn submit_housing(
    body: &shared::withdrawal::housing::HousingSubmission,
) -> Result<ApplicationView, Rejected> {
    submit("/withdrawal/housing", body).await
}

pub async fn offset(
    borrower_no: &str,
    sign: bool,
) -> Result<shared::withdrawal::offset::OffsetView, ApiError> {
    post(
        &format!("/loans/{borrower_no}/offset"),
        &shared::withdrawal::offset::OffsetRequest { sign },
    )
    .await
}

pub async fn progress() -> Result<Vec<Progress>, ApiError> {
    get("/progress").await
}

pub async fn application(application_no: &str) -> Result<Progress, ApiError> {
    get(&format!("/progress/{application_no}")).await
}

pub async fn cancel(application_no: &str) -> Result<Progress, ApiError> {
    post(&format!("/progress/{application_no}/cancel"), &Empty {}).await
}

// ---- 我的公积金账户 ----

use shared::fund::wire::{EntryList, FundAccount, StatementView};

pub async fn fund() -> Result<FundAccount, ApiError> {
    get("/fund").await
}

pub async fn fund_entries(year: Option<i32>) -> Result<EntryList, ApiError> {
    match year {
        Some(year) => get(&format!("/fund/entries?year={year}")).await,
        None => get("/fund/entries").await,
    }
}

pub async fn fund_statement(year: i32) -> Result<StatementView, ApiError> {
    get(&format!("/fund/statement/{year}")).await
}
