//! 提取 — the withdrawal home (提取材料列表, 新增提取材料, 账户余额, 账户状态) and 退休销户提取: the
//! whole balance to the member's own savings card, accepted (受理中) when `shared::withdrawal`
//! finds every condition met and the policy's transaction hours allow it; executed at the end of
//! the day (`crate::batch`).

use crate::account::session::CurrentUser;
use crate::application::{self, NewApplication};
use crate::error::{Error, Result};
use crate::loan;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use shared::account::Gender;
use shared::application::{Figures, Request, WithdrawalAsked, WithdrawalFigures};
use shared::loan::wire::CardView;
use shared::member::{AccountStatus, CardStatus, SavingsCard};
use shared::money::{from_fen, to_fen};
use shared::withdrawal::housing::Business;
use shared::withdrawal::{
    retirement_refusal, retirement_unmet, Material, MemberFacts, NewMaterial, WithdrawalHome,
    WithdrawalSubmission,
};
use sqlx::Row;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(home, submit))
        .routes(routes!(add_material))
        .routes(routes!(housing::submit_housing))
}

pub mod housing;
pub mod offset;

/// What the fund records of a member that a withdrawal needs.
#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub facts: MemberFacts,
    pub balance_fen: i64,
}

/// The member's record, read through `executor` (the pool, or a batch's transaction).
pub async fn member(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    personal_account: &str,
) -> Result<MemberRecord> {
    let row = sqlx::query(
        "SELECT name, gender, birth_date, female_baseline_50, account_status, balance_fen, \
         card_holder, card_bank, card_number, card_status FROM members WHERE personal_account = $1",
    )
    .bind(personal_account)
    .fetch_optional(executor)
    .await?
    .ok_or_else(Error::not_found)?;
    let birth: String = row.try_get("birth_date")?;
    let card = match (
        row.try_get::<Option<String>, _>("card_holder")?,
        row.try_get::<Option<String>, _>("card_bank")?,
        row.try_get::<Option<String>, _>("card_number")?,
        row.try_get::<Option<String>, _>("card_status")?,
    ) {
        (Some(holder), Some(bank), Some(number), Some(status)) => Some(SavingsCard {
            holder,
            bank,
            number,
            status: crate::db::parse_enum::<CardStatus>("members.card_status", &status)?,
        }),
        _ => None,
    };
    Ok(MemberRecord {
        facts: MemberFacts {
            name: row.try_get("name")?,
            birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                .map_err(|_| Error::Internal(format!("bad birth date '{birth}'")))?,
            gender: crate::db::parse_enum::<Gender>(
                "members.gender",
                &row.try_get::<String, _>("gender")?,
            )?,
            female_baseline_50: row.try_get::<i64, _>("female_baseline_50")? == 1,
            account_status: crate::db::parse_enum::<AccountStatus>(
                "members.account_status",
                &row.try_get::<String, _>("account_status")?,
            )?,
            card,
        },
        balance_fen: row.try_get("balance_fen")?,
    })
}

pub(crate) async fn materials_of(
    state: &AppState,
    personal_account: &str,
) -> Result<Vec<Material>> {
    let mut conn = state.db.pool.acquire().await?;
    materials_in(&mut conn, personal_account).await
}

/// The member's 提取材料, read through `conn` (a pooled connection or a batch's transaction).
pub(crate) async fn materials_in(
    conn: &mut sqlx::AnyConnection,
    personal_account: &str,
) -> Result<Vec<Material>> {
    let rows = sqlx::query(
        "SELECT material_no, reason, address, limit_fen, remaining_fen, status FROM withdrawal_materials \
         WHERE personal_account = $1 ORDER BY material_no",
    )
    .bind(personal_account)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Material {
                material_no: row.try_get("material_no")?,
                reason: row.try_get("reason")?,
                address: row.try_get("address")?,
                limit: from_fen(row.try_get("limit_fen")?),
                remaining: from_fen(row.try_get("remaining_fen")?),
                status: status_label(
                    &row.try_get::<String, _>("status")?,
                    row.try_get("remaining_fen")?,
                )
                .into(),
            })
        })
        .collect()
}

#[utoipa::path(
    get,
    path = "/withdrawal",
    tag = "withdrawal",
    summary = "提取：余额、提取材料、可否办理及原因",
    security(("session" = [])),
    responses((status = 200, body = WithdrawalHome), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Json<WithdrawalHome>> {
    let now = state.clock.local_now();
    let mut conn = state.db.pool.acquire().await?;
    let record = member(&mut *conn, &user.personal_account).await?;
    let promised = housing::commitments(&mut conn, &user.personal_account).await?;
    let housing = housing::facts(
        &mut conn,
        &record,
        &user.personal_account,
        now.date(),
        state.policy.housing.rent_recent_deposit_months,
        promised.total,
    )
    .await?;
    drop(conn);
    let pending: Option<String> =
        sqlx::query_scalar("SELECT application_no FROM applications WHERE open_slot = $1")
            .bind(open_slot(&user.personal_account))
            .fetch_optional(&state.db.pool)
            .await?;
    let facts = &record.facts;
    Ok(Json(WithdrawalHome {
        header: user.header(),
        materials: materials_of(&state, &user.personal_account).await?,
        balance: from_fen(record.balance_fen),
        account_status: facts.account_status,
        card: facts.card.as_ref().map(|card| CardView {
            holder: card.holder.clone(),
            bank: card.bank.clone(),
            number: state.key.masked_card(&card.number),
        }),
        amount: from_fen(record.balance_fen),
        unmet: retirement_unmet(facts, &state.policy.retirement, now.date())
            .into_iter()
            .chain(shared::withdrawal::committed_unmet(from_fen(
                promised.prepayments,
            )))
            .collect(),
        refusal: state
            .policy
            .check_transaction(&state.calendar, now)
            .err()
            .map(|r| r.message),
        pending,
        housing,
        housing_policy: state.policy.housing,
    }))
}

pub(crate) fn open_slot(personal_account: &str) -> String {
    format!("withdrawal:{personal_account}")
}

/// 材料状态 as the list shows it: a valid material with nothing left is 已用完.
fn status_label(status: &str, remaining_fen: i64) -> &'static str {
    match status {
        "valid" if remaining_fen <= 0 => shared::withdrawal::housing::MATERIAL_USED_UP,
        "valid" => shared::withdrawal::housing::MATERIAL_VALID,
        _ => "失效",
    }
}

/// The material a member added with `key`, if any.
async fn material_by_key(
    state: &AppState,
    personal_account: &str,
    key: &str,
) -> Result<Option<Material>> {
    let row: Option<(String, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT material_no, reason, address, limit_fen, remaining_fen, status FROM withdrawal_materials \
         WHERE personal_account = $1 AND idempotency_key = $2",
    )
    .bind(personal_account)
    .bind(key)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(row.map(
        |(material_no, reason, address, limit, remaining, status)| Material {
            material_no,
            reason,
            address,
            limit: from_fen(limit),
            remaining: from_fen(remaining),
            status: status_label(&status, remaining).into(),
        },
    ))
}

/// 新增提取材料: numbered in the seed's style, status 有效.
#[utoipa::path(
    post,
    path = "/withdrawal/materials",
    tag = "withdrawal",
    summary = "新增提取材料（同一 idempotency_key 只登记一份）",
    security(("session" = [], "csrf" = [])),
    request_body = NewMaterial,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = Material), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn add_material(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewMaterial>,
) -> Result<Json<Material>> {
    application::check_key(&new.idempotency_key)?;
    // A repeated key: the material the first request added.
    if let Some(first) =
        material_by_key(&state, &user.personal_account, &new.idempotency_key).await?
    {
        return Ok(Json(first));
    }
    let input = new.parse()?;
    let now = state.clock.now();
    let year = now.with_timezone(&crate::clock::shanghai()).year();
    let limit = to_fen(input.limit).ok_or_else(|| Error::Internal("limit out of range".into()))?;
    // The number comes from the database's counter (never MAX+1, which collided under load).
    let number = crate::numbering::material_no(&state.db, year).await?;
    // The member's row is written first: two additions of one member are serialised (a row
    // lock on PostgreSQL, the write lock on SQLite), so the count below cannot be stale.
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("UPDATE members SET updated_at = updated_at WHERE personal_account = $1")
        .bind(&user.personal_account)
        .execute(&mut *tx)
        .await?;
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM withdrawal_materials WHERE personal_account = $1")
            .bind(&user.personal_account)
            .fetch_one(&mut *tx)
            .await?;
    state
        .policy
        .check_material_count(u32::try_from(held).unwrap_or(u32::MAX))?;
    let inserted = sqlx::query(
        "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, \
         remaining_fen, status, created_at, idempotency_key) VALUES ($1, $2, $3, $4, $5, $5, 'valid', $6, $7)",
    )
    .bind(&number)
    .bind(&user.personal_account)
    .bind(input.reason)
    .bind(&input.address)
    .bind(limit)
    .bind(now.to_rfc3339())
    .bind(&new.idempotency_key)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => tx.commit().await?,
        // The same key from a concurrent request got there first: its answer.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            return material_by_key(&state, &user.personal_account, &new.idempotency_key)
                .await?
                .map(Json)
                .ok_or_else(|| Error::Internal("a material's key collided with none".into()));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Json(Material {
        material_no: number,
        reason: input.reason.to_owned(),
        address: input.address,
        limit: input.limit,
        remaining: input.limit,
        status: "有效".into(),
    }))
}

/// 提交 退休销户提取: every condition again, here, whatever the browser showed.
#[utoipa::path(
    post,
    path = "/withdrawal",
    tag = "withdrawal",
    summary = "提交 退休销户提取（服务器重新检查每个条件）",
    security(("session" = [], "csrf" = [])),
    request_body = WithdrawalSubmission,
    responses((status = 400, description = "请求体不是 JSON", body = shared::ApiError), (status = 415, description = "缺少 Content-Type: application/json", body = shared::ApiError), (status = 413, description = "提交的内容过大（超过 16 KiB）", body = shared::ApiError), (status = 200, body = shared::application::ApplicationView), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(submission): Json<WithdrawalSubmission>,
) -> Result<Response> {
    application::check_key(&submission.idempotency_key)?;
    if let Some(first) =
        application::replay(&state, &user.personal_account, &submission.idempotency_key).await?
    {
        return Ok(Json(first).into_response());
    }
    let now = state.clock.local_now();
    state
        .policy
        .check_transaction(&state.calendar, now)
        .map_err(|r| Error::bad_request(r.into()))?;
    let record = member(&state.db.pool, &user.personal_account).await?;
    let promised = {
        let mut conn = state.db.pool.acquire().await?;
        housing::commitments(&mut conn, &user.personal_account).await?
    };
    let unmet: Vec<_> = retirement_unmet(&record.facts, &state.policy.retirement, now.date())
        .into_iter()
        .chain(shared::withdrawal::committed_unmet(from_fen(
            promised.prepayments,
        )))
        .collect();
    if let Some(refusal) = retirement_refusal(&unmet) {
        return Err(Error::bad_request(refusal));
    }
    if record.balance_fen <= 0 {
        return Err(Error::bad_request(shared::ApiError::new(
            "balance_zero",
            "账户余额为0，无需提取",
        )));
    }
    let card = record
        .facts
        .card
        .as_ref()
        .map(|c| state.key.masked_card(&c.number));
    let figures = WithdrawalFigures {
        amount: from_fen(record.balance_fen),
        card,
    };
    if figures.amount != submission.amount {
        return Ok(loan::figures_changed(
            Figures::Withdrawal(figures),
            "账户余额已变化，提取金额已按最新数据更新，请核对后再提交",
        ));
    }
    let created = application::create(
        &state,
        &state.db.pool,
        &user.personal_account,
        &submission.idempotency_key,
        NewApplication {
            borrower_no: None,
            effective_date: Some(now.date()),
            request: Request::Withdrawal(WithdrawalAsked {
                reason: Business::Retirement.reason().into(),
                close_account: true,
                business: Business::Retirement,
                material_no: None,
            }),
            figures: Figures::Withdrawal(figures),
            open_slot: Some(open_slot(&user.personal_account)),
        },
    )
    .await?;
    Ok(Json(created.view()).into_response())
}
