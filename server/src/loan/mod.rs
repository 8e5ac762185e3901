//! 贷款 — 我的贷款, 详情, 明细, 还款计划, and the 还款及变更 businesses: 部分提前还本, 提前结清贷款,
//! 调整月还款额 (reservations re-validated with `shared` at the server's business time) and
//! 变更还款账号 (at once).

mod change;
mod reserve;
pub mod store;

pub use reserve::figures_changed;

use crate::account::session::{CurrentUser, SessionToken};
use crate::error::Result;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use shared::loan::submission::{
    check_prepayment, check_settlement, loan_application_open, prepayment_dates, settlement_dates,
};
use shared::loan::trial::check_loan_usable;
use shared::loan::wire::{LoanDetail, LoanList, LoanTransaction, TransactionKind, TrialContext};
use shared::loan::Schedule;
use shared::money::from_fen;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(transactions))
        .routes(routes!(schedule))
        .routes(routes!(context))
        .routes(routes!(reserve::prepayment))
        .routes(routes!(reserve::settlement))
        .routes(routes!(reserve::adjust_term))
        .routes(routes!(change::repayment_account))
        .routes(routes!(crate::withdrawal::offset::sign_or_cancel))
}

#[utoipa::path(
    get,
    path = "/loans",
    tag = "loans",
    summary = "我的住房公积金贷款（含办理中的业务）",
    security(("session" = [])),
    responses((status = 200, body = LoanList), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn list(State(state): State<AppState>, token: SessionToken) -> Result<Json<LoanList>> {
    // One round trip: the session with the header, the loans with their open applications.
    let (user, loans) = store::session_loans(&state, token).await?;
    Ok(Json(LoanList {
        header: user.header(),
        loans,
    }))
}

#[utoipa::path(
    get,
    path = "/loans/{borrower_no}",
    tag = "loans",
    summary = "贷款详情",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [])),
    responses((status = 200, body = LoanDetail), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
) -> Result<Json<LoanDetail>> {
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let pending = store::pending(&state, &borrower_no).await?;
    let loan = &record.loan;
    Ok(Json(LoanDetail {
        header: user.header(),
        summary: record.summary(pending),
        annual_rate: loan.annual_rate,
        method: loan.method,
        due_day: loan.due_day(),
        remaining_periods: loan.remaining_periods,
        monthly_payment: loan.monthly_payment,
        last_due_date: loan.last_due_date,
        next_due_date: loan.next_due_date(),
        maturity_date: loan.maturity_date,
        arrears: loan.arrears,
        repayment_card: record.card_view(&state.key),
        engine: loan.clone(),
        offset: Some(
            crate::withdrawal::offset::loan_view(&state, &user.personal_account, &record).await?,
        ),
    }))
}

#[utoipa::path(
    get,
    path = "/loans/{borrower_no}/transactions",
    tag = "loans",
    summary = "还款明细",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [])),
    responses((status = 200, body = Vec<LoanTransaction>), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn transactions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
) -> Result<Json<Vec<LoanTransaction>>> {
    store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let rows = sqlx::query_as::<_, (String, String, i64, i64, i64, i64)>(
        "SELECT txn_date, kind, amount_fen, principal_fen, interest_fen, balance_after_fen FROM loan_transactions \
         WHERE borrower_no = $1 ORDER BY seq",
    )
    .bind(&borrower_no)
    .fetch_all(&state.db.pool)
    .await?;
    let transactions = rows
        .into_iter()
        .map(|(date, kind, amount, principal, interest, balance)| {
            Ok(LoanTransaction {
                date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
                    crate::error::Error::Internal(format!("bad date '{date}' in loan_transactions"))
                })?,
                kind: crate::db::parse_enum::<TransactionKind>("loan_transactions.kind", &kind)?,
                amount: from_fen(amount),
                principal: from_fen(principal),
                interest: from_fen(interest),
                balance_after: from_fen(balance),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Json(transactions))
}

#[utoipa::path(
    get,
    path = "/loans/{borrower_no}/schedule",
    tag = "loans",
    summary = "还款计划",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [])),
    responses((status = 200, body = Schedule), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
) -> Result<Json<Schedule>> {
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    Ok(Json(record.loan.schedule()))
}

/// The business time, the dates on offer, and whether submitting would be refused right now.
#[utoipa::path(
    get,
    path = "/loans/{borrower_no}/context",
    tag = "loans",
    summary = "试算所需：贷款、业务时间、可选日期、不能办理的原因",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [])),
    responses((status = 200, body = TrialContext), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn context(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
) -> Result<Json<TrialContext>> {
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let open = store::pending(&state, &borrower_no).await?;
    let loan = &record.loan;
    let now = state.clock.local_now();
    let (calendar, policy) = (state.calendar.as_ref(), state.policy.as_ref());
    let prepayment = prepayment_dates(calendar, loan, now.date());
    let settlement = settlement_dates(calendar, policy, loan, now.date());
    let first = |dates: &Vec<chrono::NaiveDate>| dates.first().copied().unwrap_or(now.date());
    // Every rule that already decides, in the order the server checks a submission: the page
    // says why (and when it will be possible) before the citizen fills anything.
    let usable = || -> std::result::Result<(), shared::ApiError> {
        check_loan_usable(loan)?;
        match &open {
            Some(pending) => Err(loan_application_open(Some(pending))),
            None => Ok(()),
        }
    };
    let refusal =
        |result: std::result::Result<(), shared::ApiError>| result.err().map(|e| e.message);
    let fund_balance: Option<i64> =
        sqlx::query_scalar("SELECT balance_fen FROM members WHERE personal_account = $1")
            .bind(&user.personal_account)
            .fetch_optional(&state.db.pool)
            .await?;
    let committed = {
        let mut conn = state.db.pool.acquire().await?;
        crate::withdrawal::housing::commitments(&mut conn, &user.personal_account)
            .await?
            .total
    };
    Ok(Json(TrialContext {
        fund_balance: fund_balance.map(|b| shared::money::from_fen((b - committed).max(0))),
        fund_committed: shared::money::from_fen(committed),
        housing: policy.housing,
        business_date: now.date(),
        business_time: now.format("%Y-%m-%d %H:%M").to_string(),
        prepayment_refusal: refusal(
            usable()
                .and_then(|()| check_prepayment(policy, calendar, now, loan, first(&prepayment))),
        ),
        settlement_refusal: refusal(
            usable()
                .and_then(|()| check_settlement(policy, calendar, now, loan, first(&settlement))),
        ),
        adjust_refusal: refusal(usable().and_then(|()| {
            policy
                .check_transaction(calendar, now)
                .map_err(shared::ApiError::from)
        })),
        account_change_refusal: refusal(
            policy
                .check_account_change(calendar, now, loan.due_day())
                .map_err(shared::ApiError::from),
        ),
        settlement_hours: policy.settlement_hours.label(),
        settlement_blackout: policy.settlement_blackout.label(),
        prepayment_dates: prepayment,
        settlement_dates: settlement,
    }))
}
