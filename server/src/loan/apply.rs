//! Applications (申请): created once per idempotency key, at most one open per loan — both enforced
//! by unique constraints, so concurrent submissions and replays cannot create a second one.

use crate::error::{Error, Result};
use crate::state::AppState;
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::loan::wire::{ApplicationKind, ApplicationStatus, ApplicationView};
use shared::money::to_fen;
use shared::ApiError;

pub struct NewApplication {
    pub kind: ApplicationKind,
    pub borrower_no: Option<String>,
    pub status: ApplicationStatus,
    pub effective_date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub request: serde_json::Value,
    pub figures: serde_json::Value,
    /// `Some` while the application stays open (a reservation); `None` for one done at once.
    pub open_slot: Option<String>,
}

/// The first answer given for this member's key, if the key was used before.
pub async fn replay(
    state: &AppState,
    personal_account: &str,
    key: &str,
) -> Result<Option<ApplicationView>> {
    let answer: Option<String> = sqlx::query_scalar(
        "SELECT answer_json FROM applications WHERE personal_account = $1 AND idempotency_key = $2",
    )
    .bind(personal_account)
    .bind(key)
    .fetch_optional(&state.db.pool)
    .await?;
    answer
        .map(|json| {
            serde_json::from_str(&json).map_err(|e| Error::Internal(format!("stored answer: {e}")))
        })
        .transpose()
}

pub fn check_key(key: &str) -> Result<()> {
    if key.len() < 16 || key.len() > 128 {
        return Err(ApiError::field(
            "idempotency_key",
            "idempotency_key_invalid",
            "请求标识无效，请刷新页面后重试",
        )
        .into());
    }
    Ok(())
}

/// What [`create`] did: a new application, or the first answer replayed (the caller must then not
/// commit any other change of its transaction).
pub enum Created {
    New(ApplicationView),
    Replayed(ApplicationView),
}

impl Created {
    pub fn view(self) -> ApplicationView {
        match self {
            Created::New(view) | Created::Replayed(view) => view,
        }
    }
}

/// Stores the application, or replays the first answer for a repeated key, or refuses a second
/// open application on the same loan.
pub async fn create(
    state: &AppState,
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    personal_account: &str,
    key: &str,
    new: NewApplication,
) -> Result<Created> {
    let now = state.clock.now();
    let view = ApplicationView {
        application_no: crate::numbering::application_no(&state.db, state.clock.local_now().date())
            .await?,
        kind: new.kind,
        status: new.status,
        submitted_at: now.format("%Y-%m-%d %H:%M:%S").to_string(),
        effective_date: new.effective_date,
        amount: new.amount,
    };
    let answer = serde_json::to_string(&view).map_err(|e| Error::Internal(e.to_string()))?;
    let inserted = sqlx::query(
        "INSERT INTO applications (application_no, personal_account, borrower_no, kind, status, submitted_at, \
         effective_date, amount_fen, request_json, figures_json, idempotency_key, open_slot, answer_json, closed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&view.application_no)
    .bind(personal_account)
    .bind(new.borrower_no.clone())
    .bind(crate::db::enum_text(new.kind))
    .bind(crate::db::enum_text(new.status))
    .bind(now.timestamp())
    .bind(new.effective_date.map(|d| d.to_string()))
    .bind(new.amount.and_then(to_fen))
    .bind(new.request.to_string())
    .bind(new.figures.to_string())
    .bind(key)
    .bind(new.open_slot.clone())
    .bind(answer)
    .bind((!new.status.is_open()).then(|| now.timestamp()))
    .execute(executor)
    .await;
    match inserted {
        Ok(_) => Ok(Created::New(view)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            if let Some(first) = replay(state, personal_account, key).await? {
                return Ok(Created::Replayed(first));
            }
            let refusal = if new.kind == ApplicationKind::Withdrawal {
                shared::loan::submission::withdrawal_open()
            } else {
                shared::loan::submission::loan_application_open(None)
            };
            Err(Error::Refused(StatusCode::CONFLICT, refusal))
        }
        Err(e) => Err(e.into()),
    }
}
