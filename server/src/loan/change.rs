//! 变更还款账号 — takes effect at once: the loan's repayment card changes and a loan event is
//! written, in one transaction. Not on the monthly due day; the new card must be the borrower's own
//! savings account at the same bank (the page says so; the holder and bank are fixed). Card numbers
//! are never logged whole.

use super::store;
use crate::account::secret;
use crate::account::session::CurrentUser;
use crate::application::{self as apply, check_key, Created, NewApplication};
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use shared::application::{ApplicationView, ChangeAsked, ChangeFigures, Figures, Request};
use shared::loan::wire::ChangeAccountSubmission;
use shared::loan::LoanStatus;
use shared::mask;
use shared::member::CardNumber;
use shared::ApiError;

#[utoipa::path(
    post,
    path = "/loans/{borrower_no}/repayment-account",
    tag = "loans",
    summary = "变更还款账号",
    params(("borrower_no" = String, Path, description = "借款合同号")),security(("session" = [], "csrf" = [])),
    request_body = ChangeAccountSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub async fn repayment_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(borrower_no): Path<String>,
    Json(submission): Json<ChangeAccountSubmission>,
) -> Result<Json<ApplicationView>> {
    check_key(&submission.idempotency_key)?;
    if let Some(first) =
        apply::replay(&state, &user.personal_account, &submission.idempotency_key).await?
    {
        return Ok(Json(first));
    }
    let record = store::own_loan(&state, &user.personal_account, &borrower_no).await?;
    if record.loan.status != LoanStatus::Normal {
        return Err(ApiError::new("loan_settled", "公积金账户须有未结清的贷款").into());
    }
    let now = state.clock.local_now();
    state
        .policy
        .check_account_change(&state.calendar, now, record.loan.due_day())
        .map_err(|r| Error::bad_request(r.into()))?;
    let new = CardNumber::parse(
        "new_account",
        "变更后还款储蓄账户账号",
        &submission.new_account,
    )?;
    let again = CardNumber::parse(
        "new_account_again",
        "再次输入的账号",
        &submission.new_account_again,
    )?;
    if new != again {
        return Err(ApiError::field(
            "new_account_again",
            "account_mismatch",
            "两次输入的账号不一致",
        )
        .into());
    }
    let current = state
        .key
        .open(&record.card_number)
        .map_err(Error::Internal)?;
    if new.as_str() == current {
        return Err(ApiError::field(
            "new_account",
            "account_unchanged",
            "变更后账号与当前还款账号相同",
        )
        .into());
    }
    let detail = format!(
        "还款账号由{}变更为{}",
        mask::card(&current),
        mask::card(new.as_str())
    );
    let mut tx = state.db.pool.begin().await?;
    let created = apply::create(
        &state,
        &mut *tx,
        &user.personal_account,
        &submission.idempotency_key,
        NewApplication {
            borrower_no: Some(borrower_no.clone()),
            effective_date: Some(now.date()),
            request: Request::ChangeAccount(ChangeAsked {
                new_account: mask::card(new.as_str()),
            }),
            figures: Figures::ChangeAccount(ChangeFigures {
                bank: record.card_bank.clone(),
                holder: record.card_holder.clone(),
            }),
            open_slot: None,
        },
    )
    .await?;
    let view = match created {
        Created::Replayed(first) => return Ok(Json(first)),
        Created::New(view) => view,
    };
    let updated = sqlx::query(
        "UPDATE loans SET repay_card_number = $1, version = version + 1, updated_at = $2 WHERE borrower_no = $3 AND version = $4",
    )
    .bind(state.key.seal(new.as_str()))
    .bind(state.clock.now().to_rfc3339())
    .bind(&borrower_no)
    .bind(record.version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(ApiError::new("loan_changed", "贷款信息已变化，请刷新页面后重试").into());
    }
    sqlx::query("INSERT INTO loan_events (id, borrower_no, at, kind, detail) VALUES ($1, $2, $3, 'change_account', $4)")
        .bind(secret::random_token(16))
        .bind(&borrower_no)
        .bind(state.clock.now().timestamp())
        .bind(&detail)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(borrower_no = %borrower_no, change = %detail, "repayment account changed");
    Ok(Json(view))
}
