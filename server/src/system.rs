//! What the browser needs to know of the server before any business: health, the business clock,
//! the calendar and the policy (the browser never trusts the device clock for rules).

use crate::error::Result;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use shared::calendar::Calendar;
use shared::policy::Policy;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/clock", get(clock))
        .route("/calendar", get(calendar))
        .route("/policy", get(policy))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: state.db.backend.name(),
    }))
}

#[derive(Serialize)]
struct BusinessClock {
    /// RFC 3339 in +08:00.
    now: String,
    /// The business date, YYYY-MM-DD.
    date: String,
    fixed: bool,
}

async fn clock(State(state): State<AppState>) -> Json<BusinessClock> {
    let now = state.clock.now();
    Json(BusinessClock {
        now: now.to_rfc3339(),
        date: now.date_naive().to_string(),
        fixed: state.clock.is_fixed(),
    })
}

async fn calendar(State(state): State<AppState>) -> Json<Calendar> {
    Json(state.calendar.as_ref().clone())
}

async fn policy(State(state): State<AppState>) -> Json<Policy> {
    Json(state.policy.as_ref().clone())
}
