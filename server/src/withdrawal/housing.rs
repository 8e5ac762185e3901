//! 购房提取, 租房提取 and 偿还贷款提取（按年）: what the fund holds of the member
//! ([`HousingFacts`], read the same way for the page, the submission and the end-of-day run) and
//! 提交, accepted (受理中) when `shared::withdrawal::housing` allows the amount at the business
//! time; paid by the end-of-day run (`crate::batch`), which decides again on what it reads.

use super::{materials_of, member, open_slot, MemberRecord};
use crate::account::session::CurrentUser;
use crate::application::{self, NewApplication};
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use shared::application::{
    ApplicationView, Figures, PrepaymentAsked, Request, SettlementAsked, WithdrawalAsked,
    WithdrawalFigures,
};
use shared::member::CardStatus;
use shared::money::from_fen;
use shared::withdrawal::housing::{
    allowance_for, check_amount, mask_address, split, Allowance, Business, FundingSource,
    HousingFacts, HousingSubmission, LoanFacts,
};
use shared::withdrawal::Material;
use shared::ApiError;
use sqlx::Row;

/// The 租房提取 and 偿还贷款提取 the member was paid: (business, the day paid, amount). The day is
/// the 缴存明细's (the run's business date), not the day it was submitted.
async fn paid_withdrawals(
    conn: &mut sqlx::AnyConnection,
    personal_account: &str,
) -> Result<Vec<(Business, NaiveDate, Decimal)>> {
    let rows = sqlx::query(
        "SELECT a.application_no, a.request_json, f.txn_date, f.amount_fen FROM applications a \
         JOIN fund_transactions f ON f.application_no = a.application_no \
         WHERE a.personal_account = $1 AND a.kind = 'withdrawal' AND a.status = 'done' \
         AND f.kind = 'withdrawal'",
    )
    .bind(personal_account)
    .fetch_all(&mut *conn)
    .await?;
    let mut paid = Vec::new();
    for row in &rows {
        let no: String = row.try_get("application_no")?;
        let asked = match Request::from_stored(
            shared::application::ApplicationKind::Withdrawal,
            &row.try_get::<String, _>("request_json")?,
        ) {
            Ok(Request::Withdrawal(asked)) => asked,
            _ => {
                tracing::warn!(application_no = %no, "an unreadable withdrawal is not counted");
                continue;
            }
        };
        if !matches!(asked.business, Business::Rent | Business::Repayment) {
            continue;
        }
        let date: String = row.try_get("txn_date")?;
        let date = shared::date::parse_iso(&date)
            .ok_or_else(|| Error::Internal(format!("application {no}: bad date '{date}'")))?;
        paid.push((asked.business, date, from_fen(row.try_get("amount_fen")?)));
    }
    Ok(paid)
}

/// What the fund has already promised for the member.
#[derive(Debug, Clone, Copy, Default)]
pub struct Commitments {
    /// Withdrawals 受理中 and the fund's part of prepayments reserved, in fen.
    pub total: i64,
    /// The fund's part of prepayments reserved only (a withdrawal's own slot says the rest).
    pub prepayments: i64,
    /// A 按年 repayment withdrawal is 受理中.
    pub yearly_pending: bool,
}

/// What the fund has already promised for the member.
pub async fn commitments(
    conn: &mut sqlx::AnyConnection,
    personal_account: &str,
) -> Result<Commitments> {
    let rows = sqlx::query(
        "SELECT application_no, kind, request_json, amount_fen FROM applications \
         WHERE personal_account = $1 AND status IN ('reserved', 'accepted') \
         AND kind IN ('withdrawal', 'partial_prepayment', 'settlement')",
    )
    .bind(personal_account)
    .fetch_all(&mut *conn)
    .await?;
    let mut promised = Commitments::default();
    for row in &rows {
        let no: String = row.try_get("application_no")?;
        let kind = crate::db::parse_enum("applications.kind", &row.try_get::<String, _>("kind")?)?;
        let request = match Request::from_stored(kind, &row.try_get::<String, _>("request_json")?) {
            Ok(request) => request,
            Err(e) => {
                tracing::warn!(application_no = %no, error = %e.message, "an unreadable application is not counted");
                continue;
            }
        };
        let fund_part = |from_fund| shared::money::to_fen(from_fund).unwrap_or(0);
        match request {
            Request::Withdrawal(asked) => {
                promised.yearly_pending |= asked.business == Business::Repayment;
                let amount = row.try_get::<Option<i64>, _>("amount_fen")?.unwrap_or(0);
                promised.total = promised.total.saturating_add(amount);
            }
            Request::PartialPrepayment(PrepaymentAsked { from_fund, .. })
            | Request::Settlement(SettlementAsked { from_fund, .. }) => {
                promised.total = promised.total.saturating_add(fund_part(from_fund));
                promised.prepayments = promised.prepayments.saturating_add(fund_part(from_fund));
            }
            _ => {}
        }
    }
    Ok(promised)
}

/// What the housing withdrawals need of the member on `date`, read through `conn` (a pooled
/// connection, or the batch's transaction); `committed_fen` is what the fund has promised (the
/// caller's [`commitments`], or 0 for the run, which pays in order on the balance as it is).
pub async fn facts(
    conn: &mut sqlx::AnyConnection,
    record: &MemberRecord,
    personal_account: &str,
    date: NaiveDate,
    policy_months: u32,
    committed_fen: i64,
) -> Result<HousingFacts> {
    let first_of_month = date.with_day(1).unwrap_or(date);
    let back = 1 + i32::try_from(policy_months).unwrap_or(i32::MAX).min(1200);
    let since = shared::date::add_months_on_day(first_of_month, -back, 1).unwrap_or(first_of_month);
    let periods: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT period FROM fund_transactions WHERE personal_account = $1 \
         AND kind IN ('remittance', 'back_pay') AND period >= $2 AND period IS NOT NULL",
    )
    .bind(personal_account)
    .bind(format!("{:04}{:02}", since.year(), since.month()))
    .fetch_all(&mut *conn)
    .await?;
    let months_deposited = periods
        .iter()
        .filter_map(|p| NaiveDate::parse_from_str(&format!("{p}01"), "%Y%m%d").ok())
        .collect();
    let property: Option<String> = sqlx::query_scalar(
        "SELECT p.address FROM property_records p JOIN members m \
         ON m.id_number_lookup = p.id_number_lookup WHERE m.personal_account = $1 \
         ORDER BY p.address LIMIT 1",
    )
    .bind(personal_account)
    .fetch_optional(&mut *conn)
    .await?;
    let loan = sqlx::query(
        "SELECT borrower_no, status, balance_fen, arrears_fen FROM loans WHERE personal_account = $1 \
         ORDER BY CASE WHEN status = 'normal' THEN 0 ELSE 1 END, disbursement_date DESC LIMIT 1",
    )
    .bind(personal_account)
    .fetch_optional(&mut *conn)
    .await?;
    let loan = match loan {
        None => None,
        Some(row) => {
            let borrower_no: String = row.try_get("borrower_no")?;
            let year_ago = shared::withdrawal::housing::year_before(date);
            // CAST: PostgreSQL's SUM of a BIGINT is a NUMERIC, which the Any driver cannot read.
            let paid: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM loan_transactions WHERE borrower_no = $1 \
                 AND kind = 'installment' AND txn_date > $2 AND txn_date <= $3",
            )
            .bind(&borrower_no)
            .bind(year_ago.to_string())
            .bind(date.to_string())
            .fetch_one(&mut *conn)
            .await?;
            // What 按月对冲 already took from the fund for those installments is not the
            // citizen's to draw again.
            let offset: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fund_transactions \
                 WHERE personal_account = $1 AND id LIKE $2 AND txn_date > $3 AND txn_date <= $4",
            )
            .bind(personal_account)
            .bind(format!("offset-{borrower_no}-%"))
            .bind(year_ago.to_string())
            .bind(date.to_string())
            .fetch_one(&mut *conn)
            .await?;
            Some(LoanFacts {
                borrower_no,
                open: row.try_get::<String, _>("status")? == "normal",
                balance: from_fen(row.try_get("balance_fen")?),
                arrears: from_fen(row.try_get("arrears_fen")?),
                paid_last_12_months: from_fen((paid - offset).max(0)),
            })
        }
    };
    let offset_signed = match &loan {
        Some(l) => super::offset::signed(&mut *conn, &l.borrower_no)
            .await?
            .is_some(),
        None => false,
    };
    let paid = paid_withdrawals(conn, personal_account).await?;
    let quarter = (date.year(), shared::withdrawal::housing::quarter(date));
    let facts = &record.facts;
    Ok(HousingFacts {
        date,
        status: facts.account_status,
        balance: from_fen(record.balance_fen),
        own_card: facts
            .card
            .as_ref()
            .is_some_and(|c| c.holder == facts.name && c.status == CardStatus::Normal),
        months_deposited,
        property: property.as_deref().map(mask_address),
        rent_drawn_this_quarter: paid
            .iter()
            .filter(|(b, d, _)| {
                *b == Business::Rent
                    && (d.year(), shared::withdrawal::housing::quarter(*d)) == quarter
            })
            .map(|(_, _, a)| *a)
            .sum(),
        loan,
        repayment_last_drawn: paid
            .iter()
            .filter(|(b, _, _)| *b == Business::Repayment)
            .map(|(_, d, _)| *d)
            .max(),
        offset_signed,
        committed: from_fen(committed_fen),
    })
}

/// The material a 购房提取 names, among the member's own.
pub fn chosen<'a>(
    materials: &'a [Material],
    material_no: Option<&str>,
) -> std::result::Result<Option<&'a Material>, ApiError> {
    match material_no {
        None => Ok(None),
        Some(no) => materials
            .iter()
            .find(|m| m.material_no == no)
            .map(Some)
            .ok_or_else(|| {
                ApiError::field(
                    "material_no",
                    "material_not_found",
                    "所选提取材料不存在，请在提取材料列表中重新选择",
                )
            }),
    }
}

/// Every unmet condition as one refusal: the first one's code, all of them in the message.
pub fn refusal(business: Business, errors: &[ApiError]) -> ApiError {
    let code = errors.first().map_or("not_allowed", |e| e.code.as_str());
    ApiError::new(
        code,
        format!(
            "不符合{}条件：{}",
            business.label(),
            shared::withdrawal::housing::why_not(errors)
        ),
    )
}

/// 提交 购房提取 / 租房提取 / 偿还贷款提取: every rule again, here, on the fund's own records.
#[utoipa::path(
    post,
    path = "/withdrawal/housing",
    tag = "withdrawal",
    summary = "提交 购房提取、租房提取或偿还贷款提取（按年）（服务器按业务时间重新检查）",
    security(("session" = [], "csrf" = [])),
    request_body = HousingSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
pub(super) async fn submit_housing(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(submission): Json<HousingSubmission>,
) -> Result<Json<ApplicationView>> {
    application::check_key(&submission.idempotency_key)?;
    if let Some(first) =
        application::replay(&state, &user.personal_account, &submission.idempotency_key).await?
    {
        return Ok(Json(first));
    }
    let business = submission.business;
    if business == Business::Retirement {
        return Err(Error::bad_request(ApiError::field(
            "business",
            "not_housing",
            "退休销户提取须提取全部余额，请在退休销户提取中办理",
        )));
    }
    let now = state.clock.local_now();
    state
        .policy
        .check_transaction(&state.calendar, now)
        .map_err(|r| Error::bad_request(r.into()))?;
    let personal_account = &user.personal_account;
    let mut conn = state.db.pool.acquire().await?;
    let record = member(&mut *conn, personal_account).await?;
    let promised = commitments(&mut conn, personal_account).await?;
    let facts = facts(
        &mut conn,
        &record,
        personal_account,
        now.date(),
        state.policy.housing.rent_recent_deposit_months,
        promised.total,
    )
    .await?;
    drop(conn);
    let materials = materials_of(&state, personal_account).await?;
    let material_no = match business {
        Business::Purchase => submission.material_no.as_deref(),
        _ => None,
    };
    let material = chosen(&materials, material_no).map_err(Error::bad_request)?;
    let allowance: Allowance = allowance_for(business, material, &facts, &state.policy.housing)
        .map_err(|errors| Error::bad_request(refusal(business, &errors)))?;
    let amount = check_amount(&submission.amount, &allowance).map_err(Error::bad_request)?;
    let card = record
        .facts
        .card
        .as_ref()
        .map(|c| state.key.masked_card(&c.number));
    let reason = material.map_or(business.reason(), |m| m.reason.as_str());
    let created = application::create(
        &state,
        &state.db.pool,
        personal_account,
        &submission.idempotency_key,
        NewApplication {
            borrower_no: None,
            effective_date: Some(now.date()),
            request: Request::Withdrawal(WithdrawalAsked {
                reason: reason.to_owned(),
                close_account: false,
                business,
                material_no: material.map(|m| m.material_no.clone()),
            }),
            figures: Figures::Withdrawal(WithdrawalFigures { amount, card }),
            open_slot: Some(open_slot(personal_account)),
        },
    )
    .await?;
    Ok(Json(created.view()))
}

/// The part of a prepayment's `total` paid from the fund under `source`, on the balance now (the
/// balance less the 留存额 first); refused, naming 资金来源, when 公积金余额 alone cannot pay it.
pub async fn fund_share(
    state: &AppState,
    personal_account: &str,
    source: FundingSource,
    total: Decimal,
    shown: Option<Decimal>,
) -> Result<Decimal> {
    if source == FundingSource::Own {
        return Ok(Decimal::ZERO);
    }
    let (balance, status): (i64, String) = sqlx::query_as(
        "SELECT balance_fen, account_status FROM members WHERE personal_account = $1",
    )
    .bind(personal_account)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(Error::not_found)?;
    let balance = if status == "closed" { 0 } else { balance };
    let mut conn = state.db.pool.acquire().await?;
    let committed = commitments(&mut conn, personal_account).await?.total;
    let from_fund = split(
        total,
        source,
        from_fen((balance - committed).max(0)),
        &state.policy.housing,
    )
    .map(|s| s.from_fund)
    .map_err(Error::bad_request)?;
    // The citizen confirmed a split: a balance changed since (another withdrawal, an import)
    // changes what they must bring themselves, so it is said, not silently applied.
    match shown {
        Some(shown) if shown != from_fund => Err(Error::bad_request(ApiError::field(
            "source",
            "fund_changed",
            format!(
                "公积金可用余额已变化，公积金余额支付应为{}元（页面为{}元），请核对后再提交",
                shared::money::format_thousands(from_fund),
                shared::money::format_thousands(shown)
            ),
        ))),
        _ => Ok(from_fund),
    }
}
