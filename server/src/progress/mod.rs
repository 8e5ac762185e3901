//! 业务进度查询 — the member's applications with their timelines, one application (the receipt of
//! 查询打印), and 撤销 of a reservation before its date (the rule is `shared::progress`).

use crate::account::session::CurrentUser;
use crate::clock::shanghai;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, NaiveDate};
use shared::date::compact;
use shared::money::from_fen;
use shared::progress::{check_cancel, timeline, ApplicationKind, ApplicationStatus, Progress};
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(cancel))
}

const COLUMNS: &str =
    "application_no, borrower_no, kind, status, submitted_at, closed_at, effective_date, \
     amount_fen, reason, figures_json";

/// "2018-01-05 10:00:00" in business time.
pub fn business_time(seconds: i64) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(|t| {
            t.with_timezone(&shanghai())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// The accepted figures of a receipt, labelled as the pages label them.
fn receipt_figures(figures: &serde_json::Value) -> Vec<(String, String)> {
    // A withdrawal's amount is the application's own (shown as 提取金额 by the receipt), not a figure.
    const LABELS: [(&str, &str); 13] = [
        ("prepay_principal", "提前还本金额"),
        ("prepay_interest", "提前还本利息"),
        ("principal", "提前结清本金"),
        ("interest", "提前结清利息"),
        ("total", "提前还款总额"),
        ("new_balance", "变更后贷款余额"),
        ("new_remaining_periods", "变更后剩余期数"),
        ("new_monthly_payment", "变更后月还款额"),
        ("new_maturity_date", "变更后到期日期"),
        ("interest_difference", "利息变化"),
        ("card", "收款储蓄卡"),
        ("new_account", "变更后还款账号"),
        ("bank", "开户银行"),
    ];
    LABELS
        .iter()
        .filter_map(|(key, label)| {
            let value = figures.get(*key)?;
            let text = match value {
                serde_json::Value::String(s) => s
                    .parse::<NaiveDate>()
                    .map(compact)
                    .unwrap_or_else(|_| s.clone()),
                serde_json::Value::Null => return None,
                other => other.to_string(),
            };
            Some(((*label).to_owned(), text))
        })
        .collect()
}

fn progress(row: &AnyRow, today: NaiveDate) -> Result<Progress> {
    let kind: ApplicationKind =
        crate::db::parse_enum("applications.kind", &row.try_get::<String, _>("kind")?)?;
    let status: ApplicationStatus =
        crate::db::parse_enum("applications.status", &row.try_get::<String, _>("status")?)?;
    let submitted_at = business_time(row.try_get("submitted_at")?);
    let closed_at = row
        .try_get::<Option<i64>, _>("closed_at")?
        .map(business_time);
    let effective_date = row
        .try_get::<Option<String>, _>("effective_date")?
        .and_then(|d| d.parse().ok());
    let figures: serde_json::Value =
        serde_json::from_str(&row.try_get::<String, _>("figures_json")?).unwrap_or_default();
    Ok(Progress {
        application_no: row.try_get("application_no")?,
        kind,
        status,
        timeline: timeline(kind, status, &submitted_at, closed_at.as_deref()),
        submitted_at,
        effective_date,
        amount: row.try_get::<Option<i64>, _>("amount_fen")?.map(from_fen),
        borrower_no: row.try_get("borrower_no")?,
        reason: row.try_get("reason")?,
        cancellable: check_cancel(status, effective_date, today).is_ok(),
        figures: receipt_figures(&figures),
    })
}

#[utoipa::path(
    get,
    path = "/progress",
    tag = "progress",
    summary = "业务进度查询：我的申请",
    security(("session" = [])),
    responses((status = 200, body = Vec<Progress>), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Progress>>> {
    let today = state.clock.local_now().date();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM applications WHERE personal_account = $1 \
         ORDER BY submitted_at DESC, application_no DESC"
    ))
    .bind(&user.personal_account)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|row| progress(row, today))
        .collect::<Result<Vec<_>>>()
        .map(Json)
}

async fn own(state: &AppState, user: &CurrentUser, application_no: &str) -> Result<Progress> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM applications WHERE application_no = $1 AND personal_account = $2"
    ))
    .bind(application_no)
    .bind(&user.personal_account)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(Error::not_found)?;
    progress(&row, state.clock.local_now().date())
}

#[utoipa::path(
    get,
    path = "/progress/{application_no}",
    tag = "progress",
    summary = "一笔申请的进度与回执",
    params(("application_no" = String, Path, description = "申请编号")),security(("session" = [])),
    responses((status = 200, body = Progress), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(application_no): Path<String>,
) -> Result<Json<Progress>> {
    own(&state, &user, &application_no).await.map(Json)
}

/// 撤销: checked by the shared rule, then a conditional update, so a cancellation racing the
/// end-of-day run (or a second click) cannot both succeed.
#[utoipa::path(
    post,
    path = "/progress/{application_no}/cancel",
    tag = "progress",
    summary = "撤销（日终批处理执行之前）",
    params(("application_no" = String, Path, description = "申请编号")),security(("session" = [], "csrf" = [])),
    responses((status = 200, body = Progress), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(application_no): Path<String>,
) -> Result<Json<Progress>> {
    let before = own(&state, &user, &application_no).await?;
    let now = state.clock.now();
    let today = now.with_timezone(&shanghai()).date_naive();
    check_cancel(before.status, before.effective_date, today)?;
    let updated = sqlx::query(
        "UPDATE applications SET status = 'cancelled', open_slot = NULL, closed_at = $1 \
         WHERE application_no = $2 AND personal_account = $3 \
           AND (status = 'accepted' OR (status = 'reserved' AND effective_date > $4))",
    )
    .bind(now.timestamp())
    .bind(&application_no)
    .bind(&user.personal_account)
    .bind(today.to_string())
    .execute(&state.db.pool)
    .await?;
    let after = own(&state, &user, &application_no).await?;
    if updated.rows_affected() == 0 {
        // Changed in between: the rule, applied to what it is now, says why.
        check_cancel(after.status, after.effective_date, today)?;
        return Err(Error::Internal("cancel matched no row".into()));
    }
    tracing::info!(application_no = %application_no, "application cancelled");
    Ok(Json(after))
}
