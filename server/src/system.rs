//! What the browser needs to know of the server before any business: health, the business clock,
//! the calendar and the policy (the browser never trusts the device clock for rules).

use crate::error::Result;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use shared::calendar::Calendar;
use shared::policy::Policy;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(live))
        .routes(routes!(ready))
        .routes(routes!(clock))
        .routes(routes!(calendar))
        .routes(routes!(policy))
}

#[derive(Serialize, ToSchema)]
struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

#[utoipa::path(
    get,
    path = "/health",
    tag = "system",
    summary = "版本与数据库（保留的旧健康检查）",
    responses((status = 200, body = Health), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: state.db.backend.name(),
    }))
}

/// A health answer: `live`, `ready` (with the backend) or `unavailable` (with the reason).
#[derive(Serialize, ToSchema)]
struct Status {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl Status {
    fn unavailable(reason: impl Into<String>) -> Json<Status> {
        Json(Status {
            status: "unavailable",
            database: None,
            reason: Some(reason.into()),
        })
    }
}

/// The process is up (for a supervisor's liveness probe): no database involved.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "system",
    summary = "进程存活（不访问数据库）",
    responses((status = 200, body = Status))
)]
async fn live() -> Json<Status> {
    Json(Status {
        status: "live",
        database: None,
        reason: None,
    })
}

/// Ready to serve (for a load balancer): the database answers a trivial query within 1 s and
/// takes a write; otherwise 503 with the reason, answered within 2 s whatever the database does.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "system",
    summary = "可以服务：数据库 1 秒内可读且可写",
    responses((status = 200, body = Status), (status = 503, description = "数据库不可用，reason 说明原因（2 秒内答复）", body = Status))
)]
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
        Ok(Ok(())) => Json(Status {
            status: "ready",
            database: Some(state.db.backend.name()),
            reason: None,
        })
        .into_response(),
        Ok(Err(reason)) => {
            tracing::warn!(%reason, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, Status::unavailable(reason)).into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Status::unavailable("the database did not answer within 2 s"),
        )
            .into_response(),
    }
}

#[derive(Serialize, ToSchema)]
struct BusinessClock {
    /// RFC 3339 in +08:00.
    now: String,
    /// The business date, YYYY-MM-DD.
    date: String,
    fixed: bool,
}

#[utoipa::path(
    get,
    path = "/clock",
    tag = "system",
    summary = "业务时钟（浏览器不信任设备时钟）",
    responses((status = 200, body = BusinessClock))
)]
async fn clock(State(state): State<AppState>) -> Json<BusinessClock> {
    let now = state.clock.now();
    Json(BusinessClock {
        now: now.to_rfc3339(),
        date: now.date_naive().to_string(),
        fixed: state.clock.is_fixed(),
    })
}

#[utoipa::path(
    get,
    path = "/calendar",
    tag = "system",
    summary = "工作日历（holiday-cn）",
    responses((status = 200, body = Calendar))
)]
async fn calendar(State(state): State<AppState>) -> Json<Calendar> {
    Json(state.calendar.as_ref().clone())
}

#[utoipa::path(
    get,
    path = "/policy",
    tag = "system",
    summary = "业务规则（办理时间、封锁期、限额……）",
    responses((status = 200, body = Policy))
)]
async fn policy(State(state): State<AppState>) -> Json<Policy> {
    Json(state.policy.as_ref().clone())
}
