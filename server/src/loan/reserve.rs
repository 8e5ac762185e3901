//! 部分提前还本, 提前结清贷款 and 调整月还款额 as reservations (预约). The server reloads the loan,
//! recomputes with the very function the browser ran, at its own business time, checks every rule,
//! and accepts only the figures the citizen saw; otherwise it answers 409 with its fresh figures.

use super::store;
use crate::account::session::CurrentUser;
use crate::application::{self as apply, check_key, NewApplication};
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::application::{
    AdjustAsked, Figures, FiguresChanged, PrepaymentAsked, Request, SettlementAsked,
};
use shared::date::parse_date;
use shared::loan::submission::{check_prepayment, check_settlement};
use shared::loan::trial::{
    adjust_term as adjust_trial, prepayment as prepayment_trial, settlement as settlement_trial,
    PrepaymentRequest,
};
use shared::loan::wire::{AdjustTermSubmission, PrepaymentSubmission, SettlementSubmission};

/// 409 with the server's figures: the page shows what changed.
pub fn figures_changed(fresh: Figures, message: &str) -> Response {
    let body = FiguresChanged {
        code: "figures_changed".into(),
        message: message.into(),
        fresh,
    };
    (StatusCode::CONFLICT, Json(body)).into_response()
}

const LOAN_CHANGED: &str = "贷款信息已变化，试算结果已按最新数据重新计算，请核对后再提交";

/// The first answer if this key was used before (checked before anything else).
async fn replayed(state: &AppState, user: &CurrentUser, key: &str) -> Result<Option<Response>> {
    check_key(key)?;
    Ok(apply::replay(state, &user.personal_account, key)
        .await?
        .map(|first| Json(first).into_response()))
}

/// Accepts the application if the server's figures (`new.figures`) equal those `shown`; else 409.
async fn accept(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    shown: Figures,
    new: NewApplication,
) -> Result<Response> {
    if new.figures != shown {
        return Ok(figures_changed(new.figures, LOAN_CHANGED));
    }
    let created = apply::create(state, &state.db.pool, &user.personal_account, key, new).await?;
    Ok(Json(created.view()).into_response())
}

#[utoipa::path(
    post,
    path = "/loans/{borrower_no}/prepayment",
    tag = "loans",
    summary = "部分提前还本（预约）：服务器重算，数字一致才受理；同一 idempotency_key 重复提交得到第一次的答复",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [], "csrf" = [])),
    request_body = PrepaymentSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::application::ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 409, description = "贷款信息已变化：fresh 是服务器按最新数据重算的试算结果", body = shared::application::FiguresChanged), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn prepayment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
    Json(submission): Json<PrepaymentSubmission>,
) -> Result<Response> {
    if let Some(first) = replayed(&state, &user, &submission.idempotency_key).await? {
        return Ok(first);
    }
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let loan = &record.loan;
    let request = PrepaymentRequest::parse(
        loan,
        &submission.date,
        &submission.amount,
        submission.mode,
        submission.new_remaining_periods,
    )?;
    let now = state.clock.local_now();
    check_prepayment(&state.policy, &state.calendar, now, loan, request.date)?;
    let fresh = prepayment_trial(loan, &request)?;
    let from_fund = crate::withdrawal::housing::fund_share(
        &state,
        &user.personal_account,
        submission.source,
        fresh.total,
        submission.from_fund,
    )
    .await?;
    let shown = Figures::PartialPrepayment(submission.shown);
    accept(
        &state,
        &user,
        &submission.idempotency_key,
        shown,
        NewApplication {
            borrower_no: Some(borrower_no.clone()),
            effective_date: Some(request.date),
            request: Request::PartialPrepayment(PrepaymentAsked {
                date: request.date,
                amount: request.amount,
                mode: request.mode,
                new_remaining_periods: request.new_remaining_periods,
                loan_version: record.version,
                source: submission.source,
                from_fund,
            }),
            figures: Figures::PartialPrepayment(fresh),
            open_slot: Some(format!("loan:{borrower_no}")),
        },
    )
    .await
}

#[utoipa::path(
    post,
    path = "/loans/{borrower_no}/settlement",
    tag = "loans",
    summary = "提前结清贷款（预约）：服务器重算，数字一致才受理；同一 idempotency_key 重复提交得到第一次的答复",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [], "csrf" = [])),
    request_body = SettlementSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::application::ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 409, description = "贷款信息已变化：fresh 是服务器按最新数据重算的试算结果", body = shared::application::FiguresChanged), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn settlement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
    Json(submission): Json<SettlementSubmission>,
) -> Result<Response> {
    if let Some(first) = replayed(&state, &user, &submission.idempotency_key).await? {
        return Ok(first);
    }
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let loan = &record.loan;
    shared::loan::trial::check_loan_usable(loan)?;
    let date = parse_date("date", "约定还款日", &submission.date)?;
    let now = state.clock.local_now();
    check_settlement(&state.policy, &state.calendar, now, loan, date)?;
    let fresh = settlement_trial(loan, date)?;
    let from_fund = crate::withdrawal::housing::fund_share(
        &state,
        &user.personal_account,
        submission.source,
        fresh.total,
        submission.from_fund,
    )
    .await?;
    accept(
        &state,
        &user,
        &submission.idempotency_key,
        Figures::Settlement(submission.shown),
        NewApplication {
            borrower_no: Some(borrower_no.clone()),
            effective_date: Some(date),
            request: Request::Settlement(SettlementAsked {
                date,
                loan_version: record.version,
                source: submission.source,
                from_fund,
            }),
            figures: Figures::Settlement(fresh),
            open_slot: Some(format!("loan:{borrower_no}")),
        },
    )
    .await
}

#[utoipa::path(
    post,
    path = "/loans/{borrower_no}/adjust-term",
    tag = "loans",
    summary = "调整月还款额（预约）：服务器重算，数字一致才受理；同一 idempotency_key 重复提交得到第一次的答复",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [], "csrf" = [])),
    request_body = AdjustTermSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::application::ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 409, description = "贷款信息已变化：fresh 是服务器按最新数据重算的试算结果", body = shared::application::FiguresChanged), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn adjust_term(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
    Json(submission): Json<AdjustTermSubmission>,
) -> Result<Response> {
    if let Some(first) = replayed(&state, &user, &submission.idempotency_key).await? {
        return Ok(first);
    }
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let now = state.clock.local_now();
    state
        .policy
        .check_transaction(&state.calendar, now)
        .map_err(|r| Error::bad_request(r.into()))?;
    let fresh = adjust_trial(
        &record.loan,
        submission.new_remaining_periods,
        &state.policy,
    )?;
    let shown = Figures::AdjustTerm(submission.shown);
    accept(
        &state,
        &user,
        &submission.idempotency_key,
        shown,
        NewApplication {
            borrower_no: Some(borrower_no.clone()),
            effective_date: Some(fresh.effective_date),
            request: Request::AdjustTerm(AdjustAsked {
                new_remaining_periods: fresh.new_remaining_periods,
                loan_version: record.version,
            }),
            figures: Figures::AdjustTerm(fresh),
            open_slot: Some(format!("loan:{borrower_no}")),
        },
    )
    .await
}
