//! 提取 — the withdrawal home (提取材料列表, 新增提取材料, 账户余额, 账户状态) and 退休销户提取: the
//! whole balance to the member's own savings card, accepted (受理中) when `shared::withdrawal`
//! finds every condition met and the policy's transaction hours allow it; executed at the end of
//! the day (`crate::batch`).

use crate::account::session::CurrentUser;
use crate::error::{Error, Result};
use crate::loan::{self, store, NewApplication};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use shared::account::Gender;
use shared::loan::wire::{ApplicationKind, ApplicationStatus, CardView};
use shared::member::{AccountStatus, CardStatus, SavingsCard};
use shared::money::{from_fen, to_fen};
use shared::withdrawal::{
    material_no, retirement_refusal, retirement_unmet, Material, MemberFacts, NewMaterial,
    WithdrawalHome, WithdrawalSubmission,
};
use sqlx::Row;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/withdrawal", get(home).post(submit))
        .route("/withdrawal/materials", post(add_material))
}

/// What the fund records of a member that a withdrawal needs.
#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub facts: MemberFacts,
    pub balance_fen: i64,
}

fn parse_status(text: &str) -> AccountStatus {
    match text {
        "sealed" => AccountStatus::Sealed,
        "closed" => AccountStatus::Closed,
        _ => AccountStatus::Normal,
    }
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
            status: match status.as_str() {
                "normal" => CardStatus::Normal,
                "frozen" => CardStatus::Frozen,
                _ => CardStatus::Cancelled,
            },
        }),
        _ => None,
    };
    Ok(MemberRecord {
        facts: MemberFacts {
            name: row.try_get("name")?,
            birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                .map_err(|_| Error::Internal(format!("bad birth date '{birth}'")))?,
            gender: match row.try_get::<String, _>("gender")?.as_str() {
                "female" => Gender::Female,
                _ => Gender::Male,
            },
            female_baseline_50: row.try_get::<i64, _>("female_baseline_50")? == 1,
            account_status: parse_status(&row.try_get::<String, _>("account_status")?),
            card,
        },
        balance_fen: row.try_get("balance_fen")?,
    })
}

async fn materials(state: &AppState, personal_account: &str) -> Result<Vec<Material>> {
    let rows = sqlx::query(
        "SELECT material_no, reason, address, limit_fen, remaining_fen, status FROM withdrawal_materials \
         WHERE personal_account = $1 ORDER BY material_no",
    )
    .bind(personal_account)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Material {
                material_no: row.try_get("material_no")?,
                reason: row.try_get("reason")?,
                address: row.try_get("address")?,
                limit: from_fen(row.try_get("limit_fen")?),
                remaining: from_fen(row.try_get("remaining_fen")?),
                status: match row.try_get::<String, _>("status")?.as_str() {
                    "valid" => "有效".into(),
                    _ => "失效".into(),
                },
            })
        })
        .collect()
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Json<WithdrawalHome>> {
    let record = member(&state.db.pool, &user.personal_account).await?;
    let now = state.clock.local_now();
    let pending: Option<String> =
        sqlx::query_scalar("SELECT application_no FROM applications WHERE open_slot = $1")
            .bind(open_slot(&user.personal_account))
            .fetch_optional(&state.db.pool)
            .await?;
    let facts = &record.facts;
    Ok(Json(WithdrawalHome {
        header: store::header(&state, &user.personal_account).await?,
        materials: materials(&state, &user.personal_account).await?,
        balance: from_fen(record.balance_fen),
        account_status: facts.account_status,
        card: facts.card.as_ref().map(|card| CardView {
            holder: card.holder.clone(),
            bank: card.bank.clone(),
            number: state.key.masked_card(&card.number),
        }),
        amount: from_fen(record.balance_fen),
        unmet: retirement_unmet(facts, &state.policy.retirement, now.date()),
        refusal: state
            .policy
            .check_transaction(&state.calendar, now)
            .err()
            .map(|r| r.message),
        pending,
    }))
}

fn open_slot(personal_account: &str) -> String {
    format!("withdrawal:{personal_account}")
}

/// 新增提取材料: numbered in the seed's style, status 有效.
async fn add_material(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewMaterial>,
) -> Result<Json<Material>> {
    let input = new.parse()?;
    let now = state.clock.now();
    let year = now.with_timezone(&crate::clock::shanghai()).year();
    let prefix = material_no(year, 0);
    let prefix = &prefix[..12];
    let limit = to_fen(input.limit).ok_or_else(|| Error::Internal("limit out of range".into()))?;
    // Numbers are taken in order; two members adding at once may both pick the same one — the
    // primary key refuses the second, which takes the next.
    for _ in 0..5 {
        // The member's row is written first: two additions of one member are serialised (a row
        // lock on PostgreSQL, the write lock on SQLite), so the count below cannot be stale.
        let mut tx = state.db.pool.begin().await?;
        sqlx::query("UPDATE members SET updated_at = updated_at WHERE personal_account = $1")
            .bind(&user.personal_account)
            .execute(&mut *tx)
            .await?;
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM withdrawal_materials WHERE personal_account = $1",
        )
        .bind(&user.personal_account)
        .fetch_one(&mut *tx)
        .await?;
        state
            .policy
            .check_material_count(u32::try_from(held).unwrap_or(u32::MAX))?;
        let last: Option<String> = sqlx::query_scalar(
            "SELECT MAX(material_no) FROM withdrawal_materials WHERE material_no LIKE $1",
        )
        .bind(format!("{prefix}%"))
        .fetch_one(&mut *tx)
        .await?;
        let next = last
            .and_then(|no| no[12..].parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        let number = material_no(year, next);
        let inserted = sqlx::query(
            "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, \
             remaining_fen, status, created_at) VALUES ($1, $2, $3, $4, $5, $5, 'valid', $6)",
        )
        .bind(&number)
        .bind(&user.personal_account)
        .bind(input.reason)
        .bind(&input.address)
        .bind(limit)
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Json(Material {
                    material_no: number,
                    reason: input.reason.to_owned(),
                    address: input.address,
                    limit: input.limit,
                    remaining: input.limit,
                    status: "有效".into(),
                }));
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Internal(
        "no free material number after 5 tries".into(),
    ))
}

/// 提交 退休销户提取: every condition again, here, whatever the browser showed.
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(submission): Json<WithdrawalSubmission>,
) -> Result<Response> {
    loan::check_key(&submission.idempotency_key)?;
    if let Some(first) =
        loan::replay(&state, &user.personal_account, &submission.idempotency_key).await?
    {
        return Ok(Json(first).into_response());
    }
    let now = state.clock.local_now();
    state
        .policy
        .check_transaction(&state.calendar, now)
        .map_err(|r| Error::bad_request(r.into()))?;
    let record = member(&state.db.pool, &user.personal_account).await?;
    let unmet = retirement_unmet(&record.facts, &state.policy.retirement, now.date());
    if let Some(refusal) = retirement_refusal(&unmet) {
        return Err(Error::bad_request(refusal));
    }
    if record.balance_fen <= 0 {
        return Err(Error::bad_request(shared::ApiError::new(
            "balance_zero",
            "账户余额为0，无需提取",
        )));
    }
    let amount = from_fen(record.balance_fen);
    if amount != submission.amount {
        return Ok(loan::figures_changed(
            &serde_json::json!({ "amount": amount }),
        ));
    }
    let card = record
        .facts
        .card
        .as_ref()
        .map(|c| state.key.masked_card(&c.number));
    let created = loan::create(
        &state,
        &state.db.pool,
        &user.personal_account,
        &submission.idempotency_key,
        NewApplication {
            kind: ApplicationKind::Withdrawal,
            borrower_no: None,
            status: ApplicationStatus::Accepted,
            effective_date: Some(now.date()),
            amount: Some(amount),
            request: serde_json::json!({ "reason": "离休、退休", "close_account": true }),
            figures: serde_json::json!({ "amount": amount, "card": card }),
            open_slot: Some(open_slot(&user.personal_account)),
        },
    )
    .await?;
    Ok(Json(created.view()).into_response())
}
