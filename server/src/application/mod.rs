//! 申请 — every business's application, one way: created once per idempotency key and at most one
//! open per slot (a loan, a member's withdrawal) — both enforced by unique constraints, so
//! concurrent submissions and replays cannot create a second one — replayed, read back for
//! 业务进度查询 and its receipt, and cancelled under the rule of `shared::application`. The batch
//! executes them (`crate::batch`), reading the same typed request and figures.

use crate::clock::shanghai;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate};
use shared::application::{
    check_cancel, receipt, slot_taken, timeline, ApplicationKind, ApplicationStatus,
    ApplicationView, Figures, Progress, Request,
};
use shared::money::{from_fen, to_fen};
use shared::ApiError;
use sqlx::any::AnyRow;
use sqlx::Row;

/// An application to store: what was asked and the figures accepted (their kind is the
/// application's; its first status and its amount follow from them).
pub struct NewApplication {
    pub borrower_no: Option<String>,
    pub effective_date: Option<NaiveDate>,
    pub request: Request,
    pub figures: Figures,
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
    let kind = new.request.kind();
    if new.figures.kind() != kind {
        return Err(Error::Internal(format!(
            "a {kind:?} request with {:?} figures",
            new.figures.kind()
        )));
    }
    let status = kind.initial_status();
    let now = state.clock.now();
    let view = ApplicationView {
        application_no: crate::numbering::application_no(&state.db, state.clock.local_now().date())
            .await?,
        kind,
        status,
        submitted_at: now.format("%Y-%m-%d %H:%M:%S").to_string(),
        effective_date: new.effective_date,
        amount: new.figures.amount(),
        title: new.request.title(),
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
    .bind(crate::db::enum_text(kind))
    .bind(crate::db::enum_text(status))
    .bind(now.timestamp())
    .bind(new.effective_date.map(|d| d.to_string()))
    .bind(view.amount.and_then(to_fen))
    .bind(new.request.stored())
    .bind(new.figures.stored())
    .bind(key)
    .bind(new.open_slot.clone())
    .bind(answer)
    .bind((!status.is_open()).then(|| now.timestamp()))
    .execute(executor)
    .await;
    match inserted {
        Ok(_) => Ok(Created::New(view)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            if let Some(first) = replay(state, personal_account, key).await? {
                return Ok(Created::Replayed(first));
            }
            Err(Error::Refused(StatusCode::CONFLICT, slot_taken(kind)))
        }
        Err(e) => Err(e.into()),
    }
}

const COLUMNS: &str =
    "application_no, borrower_no, kind, status, submitted_at, closed_at, effective_date, \
     amount_fen, reason, request_json, figures_json";

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

/// An application as 业务进度查询 shows it, with its receipt's rows.
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
        .map(|d| {
            shared::date::parse_iso(&d).ok_or_else(|| {
                Error::Internal(format!("bad date '{d}' in applications.effective_date"))
            })
        })
        .transpose()?;
    let application_no: String = row.try_get("application_no")?;
    let stored =
        |e: ApiError| Error::Internal(format!("application {application_no}: {}", e.message));
    let request =
        Request::from_stored(kind, &row.try_get::<String, _>("request_json")?).map_err(stored)?;
    let figures =
        Figures::from_stored(kind, &row.try_get::<String, _>("figures_json")?).map_err(stored)?;
    Ok(Progress {
        application_no,
        kind,
        status,
        timeline: timeline(kind, status, &submitted_at, closed_at.as_deref()),
        submitted_at,
        effective_date,
        amount: row.try_get::<Option<i64>, _>("amount_fen")?.map(from_fen),
        borrower_no: row.try_get("borrower_no")?,
        reason: row.try_get("reason")?,
        cancellable: check_cancel(status, effective_date, today).is_ok(),
        figures: receipt(Some(&request), &figures),
        title: request.title(),
    })
}

/// The member's applications, newest first.
pub async fn list(state: &AppState, personal_account: &str) -> Result<Vec<Progress>> {
    let today = state.clock.local_now().date();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM applications WHERE personal_account = $1 \
         ORDER BY submitted_at DESC, application_no DESC"
    ))
    .bind(personal_account)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter().map(|row| progress(row, today)).collect()
}

/// One of the member's applications (404 if it is not theirs).
pub async fn own(
    state: &AppState,
    personal_account: &str,
    application_no: &str,
) -> Result<Progress> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM applications WHERE application_no = $1 AND personal_account = $2"
    ))
    .bind(application_no)
    .bind(personal_account)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(Error::not_found)?;
    progress(&row, state.clock.local_now().date())
}

/// 撤销: checked by the shared rule, then a conditional update, so a cancellation racing the
/// end-of-day run (which claims the row in the transaction that executes it) or a second click
/// cannot both succeed.
pub async fn cancel(
    state: &AppState,
    personal_account: &str,
    application_no: &str,
) -> Result<Progress> {
    let before = own(state, personal_account, application_no).await?;
    let now = state.clock.now();
    let today = now.with_timezone(&shanghai()).date_naive();
    check_cancel(before.status, before.effective_date, today)?;
    let updated = sqlx::query(
        "UPDATE applications SET status = 'cancelled', open_slot = NULL, closed_at = $1 \
         WHERE application_no = $2 AND personal_account = $3 \
           AND (status = 'accepted' OR (status = 'reserved' AND effective_date > $4))",
    )
    .bind(now.timestamp())
    .bind(application_no)
    .bind(personal_account)
    .bind(today.to_string())
    .execute(&state.db.pool)
    .await?;
    let after = own(state, personal_account, application_no).await?;
    if updated.rows_affected() == 0 {
        // Changed in between: the rule, applied to what it is now, says why.
        check_cancel(after.status, after.effective_date, today)?;
        return Err(Error::Internal("cancel matched no row".into()));
    }
    tracing::info!(application_no = %application_no, "application cancelled");
    Ok(after)
}
