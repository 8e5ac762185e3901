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
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
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

/// The process is up (for a supervisor's liveness probe): no database involved.
async fn live() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "live" }))
}

/// Ready to serve (for a load balancer): the database answers a trivial query within 1 s and
/// takes a write; otherwise 503 with the reason, answered within 2 s whatever the database does.
async fn ready(State(state): State<AppState>) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use std::time::Duration;
    let check = async {
        tokio::time::timeout(
            Duration::from_secs(1),
            sqlx::query("SELECT 1").execute(&state.db.pool),
        )
        .await
        .map_err(|_| "the database did not answer within 1 s".to_owned())?
        .map_err(|e| {
            tracing::warn!(error = %e, "readiness: the database read failed");
            "the database answered a read with an error (see the log)".to_owned()
        })?;
        sqlx::query("UPDATE readiness SET checked_at = $1 WHERE id = 1")
            .bind(state.clock.now().timestamp())
            .execute(&state.db.pool)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "readiness: the database write failed");
                "the database takes no write (see the log)".to_owned()
            })?;
        Ok::<_, String>(())
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(())) => Json(serde_json::json!({
            "status": "ready",
            "database": state.db.backend.name(),
        }))
        .into_response(),
        Ok(Err(reason)) => {
            tracing::warn!(%reason, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "reason": reason })))
                .into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable", "reason": "the database did not answer within 2 s" })),
        )
            .into_response(),
    }
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
