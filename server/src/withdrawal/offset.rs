//! 偿还贷款提取（按月对冲）: 签约 and 解约 on the citizen's own loan (`POST
//! /api/loans/{borrower_no}/offset`), its state on 贷款详情, and the end-of-day run's part: on each
//! due date of a signed loan the installment is paid, the fund's part (`shared::withdrawal::
//! offset`) debited with its 提取 row in the 缴存明细 and the installment written to the loan, in
//! one transaction guarded by the loan's version and the member's balance.

use crate::account::session::CurrentUser;
use crate::error::{Error, Result};
use crate::loan::store::{self, LoanRecord};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, FixedOffset, NaiveDate};
use shared::member::AccountStatus;
use shared::money::{from_fen, to_fen};
use shared::policy::Policy;
use shared::withdrawal::housing::offset as split_installment;
use shared::withdrawal::offset::{
    next_installment, sign_unmet, starts_on, view, OffsetRecord, OffsetRequest, OffsetView,
};
use shared::ApiError;
use sqlx::Row;

/// The first due date the loan's agreement pays, if one is signed.
pub async fn signed(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    borrower_no: &str,
) -> Result<Option<NaiveDate>> {
    let starts: Option<String> =
        sqlx::query_scalar("SELECT starts_on FROM loan_offsets WHERE active_slot = $1")
            .bind(borrower_no)
            .fetch_optional(executor)
            .await?;
    starts
        .map(|d| {
            shared::date::parse_iso(&d)
                .ok_or_else(|| Error::Internal(format!("bad date '{d}' in loan_offsets")))
        })
        .transpose()
}

async fn account(state: &AppState, personal_account: &str) -> Result<(AccountStatus, i64)> {
    let (status, balance): (String, i64) = sqlx::query_as(
        "SELECT account_status, balance_fen FROM members WHERE personal_account = $1",
    )
    .bind(personal_account)
    .fetch_one(&state.db.pool)
    .await?;
    Ok((
        crate::db::parse_enum("members.account_status", &status)?,
        balance,
    ))
}

/// 按月对冲 on 贷款详情.
pub async fn loan_view(
    state: &AppState,
    personal_account: &str,
    record: &LoanRecord,
) -> Result<OffsetView> {
    let (status, balance) = account(state, personal_account).await?;
    let starts = signed(&state.db.pool, &record.borrower_no).await?;
    let mut conn = state.db.pool.acquire().await?;
    let yearly_pending = super::housing::commitments(&mut conn, personal_account)
        .await?
        .yearly_pending;
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT signed_at, starts_on, cancelled_at FROM loan_offsets WHERE borrower_no = $1 \
         ORDER BY signed_at DESC, id DESC",
    )
    .bind(&record.borrower_no)
    .fetch_all(&mut *conn)
    .await?;
    let history = rows
        .into_iter()
        .map(|(signed_at, starts_on, cancelled_at)| {
            Ok(OffsetRecord {
                signed_at: crate::application::business_time(signed_at),
                starts_on: shared::date::parse_iso(&starts_on).ok_or_else(|| {
                    Error::Internal(format!("bad date '{starts_on}' in loan_offsets"))
                })?,
                cancelled_at: cancelled_at.map(crate::application::business_time),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(OffsetView {
        history,
        ..view(
            &record.loan,
            status,
            from_fen(balance),
            starts,
            yearly_pending,
            state.clock.local_now().date(),
            &state.policy.housing,
        )
    })
}

/// 签约 / 解约 按月对冲: done at once; the answer is the loan's 按月对冲 as it now stands.
#[utoipa::path(
    post,
    path = "/loans/{borrower_no}/offset",
    tag = "loans",
    summary = "偿还贷款提取（按月对冲）签约或解约：自下一个还款日起，每期还款先从公积金余额扣划",
    params(("borrower_no" = String, Path, description = "借款合同号")),
    security(("session" = [], "csrf" = [])),
    request_body = OffsetRequest,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = OffsetView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 422, description = "不符合签约条件，或未签约而解约：message 说明原因", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn sign_or_cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
    Json(request): Json<OffsetRequest>,
) -> Result<Json<OffsetView>> {
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    let now = state.clock.local_now();
    state
        .policy
        .check_transaction(&state.calendar, now)
        .map_err(|r| Error::bad_request(r.into()))?;
    if request.sign {
        let (status, _) = account(&state, &user.personal_account).await?;
        let already = signed(&state.db.pool, &borrower_no).await?.is_some();
        let yearly_pending = {
            let mut conn = state.db.pool.acquire().await?;
            super::housing::commitments(&mut conn, &user.personal_account)
                .await?
                .yearly_pending
        };
        let all = sign_unmet(&record.loan, status, already, yearly_pending);
        if let Some(first) = all.first() {
            let messages: Vec<&str> = all.iter().map(|e| e.message.as_str()).collect();
            return Err(Error::bad_request(ApiError::new(
                &first.code,
                format!("不能签约按月对冲：{}", messages.join("；")),
            )));
        }
        let starts = starts_on(&record.loan, now.date())
            .ok_or_else(|| Error::Internal("a normal loan without a next due date".into()))?;
        let inserted = sqlx::query(
            "INSERT INTO loan_offsets (id, borrower_no, personal_account, signed_at, starts_on, active_slot) \
             VALUES ($1, $2, $3, $4, $5, $2)",
        )
        .bind(crate::account::secret::random_token(16))
        .bind(&borrower_no)
        .bind(&user.personal_account)
        .bind(state.clock.now().timestamp())
        .bind(starts.to_string())
        .execute(&state.db.pool)
        .await;
        match inserted {
            Ok(_) => {}
            // A second 签约 racing this one: the database holds one.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(Error::bad_request(ApiError::new(
                    "offset_signed",
                    "不能签约按月对冲：该贷款已签约按月对冲，无需重复签约",
                )));
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(%borrower_no, %starts, "按月对冲 signed");
    } else {
        let cancelled = sqlx::query(
            "UPDATE loan_offsets SET active_slot = NULL, cancelled_at = $1 WHERE active_slot = $2",
        )
        .bind(state.clock.now().timestamp())
        .bind(&borrower_no)
        .execute(&state.db.pool)
        .await?;
        if cancelled.rows_affected() == 0 {
            return Err(Error::bad_request(ApiError::new(
                "offset_not_signed",
                "该贷款未签约按月对冲，无需解约",
            )));
        }
        tracing::info!(%borrower_no, "按月对冲 cancelled");
    }
    Ok(Json(
        loan_view(&state, &user.personal_account, &record).await?,
    ))
}

/// The end-of-day run's 按月对冲 on `date`: every signed loan whose due dates up to `date` (from
/// the agreement's first) are unpaid has them paid, one transaction each: (installments paid,
/// loans that failed — logged, tried again by the next run and counted as the run's failures).
pub async fn run(
    db: &crate::db::Db,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<(usize, usize)> {
    let loans: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.borrower_no, o.starts_on FROM loan_offsets o JOIN loans l ON l.borrower_no = o.borrower_no \
         WHERE o.active_slot IS NOT NULL AND l.status = 'normal' AND o.starts_on <= $1 ORDER BY o.borrower_no",
    )
    .bind(date.to_string())
    .fetch_all(&db.pool)
    .await?;
    let (mut paid, mut failed) = (0, 0);
    'loans: for (borrower_no, _) in loans {
        // Each due date up to today in turn (a missed run catches up). A failure (the balance
        // changed under it, a lock held a moment) is tried again after a pause; still failing,
        // the rest is left for the next run and counted.
        let mut pauses = [50u64, 200, 1000].into_iter();
        loop {
            match pay_one(db, policy, &borrower_no, date, now).await {
                Ok(true) => paid += 1,
                Ok(false) => break,
                Err(e) => match pauses.next() {
                    Some(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
                    None => {
                        tracing::error!(%borrower_no, error = %e, "按月对冲 failed, left for the next run");
                        failed += 1;
                        continue 'loans;
                    }
                },
            }
        }
    }
    if paid > 0 {
        tracing::info!(%date, paid, "按月对冲 paid");
    }
    Ok((paid, failed))
}

/// Pays the loan's next installment if it is due by `date` and the agreement covers it: `false`
/// when there is nothing (more) to pay.
async fn pay_one(
    db: &crate::db::Db,
    policy: &Policy,
    borrower_no: &str,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    let mut tx = db.pool.begin().await?;
    // The agreement's row is written first: a 解约 committed before is seen (the row no longer
    // matches), one arriving now waits for this transaction.
    let starts: Option<String> = sqlx::query_scalar(
        "UPDATE loan_offsets SET starts_on = starts_on WHERE active_slot = $1 RETURNING starts_on",
    )
    .bind(borrower_no)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(starts) = starts.and_then(|d| shared::date::parse_iso(&d)) else {
        return Ok(false);
    };
    let row = sqlx::query(&format!(
        "SELECT {}, personal_account FROM loans WHERE borrower_no = $1",
        store::LOAN_COLUMNS
    ))
    .bind(borrower_no)
    .fetch_one(&mut *tx)
    .await?;
    let record = store::record(&row)?;
    let personal_account: String = row.try_get("personal_account")?;
    let Some(due) = next_installment(&record.loan) else {
        return Ok(false);
    };
    if due.due_date > date || due.due_date < starts {
        return Ok(false);
    }
    let (balance, status): (i64, String) = sqlx::query_as(
        "SELECT balance_fen, account_status FROM members WHERE personal_account = $1",
    )
    .bind(&personal_account)
    .fetch_one(&mut *tx)
    .await?;
    // The 缴存明细 must end at the balance paid out of (or be empty).
    let last: Option<i64> = crate::fund::last_balance(&mut tx, &personal_account).await?;
    if last.is_some_and(|last| last != balance) {
        tx.rollback().await?;
        return Err(Error::Internal(format!(
            "the 缴存明细 of {personal_account} does not end at the balance: {borrower_no}'s offset not paid"
        )));
    }
    let usable = if status == "closed" { 0 } else { balance };
    let split = split_installment(due.installment, from_fen(usable), &policy.housing);
    let fen = |d| to_fen(d).ok_or_else(|| Error::Internal(format!("{d} out of range")));
    let id = format!("offset-{borrower_no}-{}", due.due_date);
    let loan = &record.loan;
    let remaining = loan.remaining_periods.saturating_sub(1);
    let settled = remaining == 0 || due.balance <= rust_decimal::Decimal::ZERO;
    let updated = sqlx::query(
        "UPDATE loans SET balance_fen = $1, remaining_periods = $2, last_due_date = $3, status = $4, \
         version = version + 1, updated_at = $5 WHERE borrower_no = $6 AND version = $7",
    )
    .bind(fen(due.balance)?)
    .bind(i64::from(remaining))
    .bind(due.due_date.to_string())
    .bind(if settled { "settled" } else { "normal" })
    .bind(now.to_rfc3339())
    .bind(borrower_no)
    .bind(record.version)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        // Changed since read (another replica's run): nothing written; looked at again.
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
         interest_fen, balance_after_fen) VALUES ($1, $2, \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM loan_transactions WHERE borrower_no = $2), $3, 'installment', \
         $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(borrower_no)
    .bind(due.due_date.to_string())
    .bind(fen(due.installment)?)
    .bind(fen(due.principal)?)
    .bind(fen(due.interest)?)
    .bind(fen(due.balance)?)
    .execute(&mut *tx)
    .await?;
    let from_fund = fen(split.from_fund)?;
    if from_fund > 0 {
        let debited = sqlx::query(
            "UPDATE members SET balance_fen = balance_fen - $1, updated_at = $2 \
             WHERE personal_account = $3 AND balance_fen = $4 AND account_status <> 'closed'",
        )
        .bind(from_fund)
        .bind(now.to_rfc3339())
        .bind(&personal_account)
        .bind(balance)
        .execute(&mut *tx)
        .await?;
        if debited.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(Error::Internal(format!(
                "the fund of {personal_account} changed while {borrower_no}'s offset was paid"
            )));
        }
        crate::batch::fund_rows(
            &mut tx,
            &personal_account,
            balance,
            from_fund,
            due.due_date,
            &id,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(%borrower_no, due = %due.due_date, from_fund = %split.from_fund, from_card = %split.from_own, "按月对冲 paid");
    Ok(true)
}
