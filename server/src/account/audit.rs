//! The audit log of authentication events: time, member, client address, result — never a
//! password, code or captcha answer.

use super::secret;
use crate::state::AppState;

pub async fn record(
    state: &AppState,
    event: &str,
    personal_account: Option<&str>,
    client_ip: &str,
    result: &str,
) {
    record_detail(state, event, personal_account, client_ip, result, None).await;
}

/// Deletes the audit entries older than `days` before `now` (GB/T 22239 asks that they be kept,
/// for a period the centre sets): the number deleted.
pub async fn purge(db: &crate::db::Db, now: i64, days: u32) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(now - i64::from(days) * 86_400)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

/// As [`record`], with what the entry is about — always masked (a phone as 139****0002).
pub async fn record_detail(
    state: &AppState,
    event: &str,
    personal_account: Option<&str>,
    client_ip: &str,
    result: &str,
    detail: Option<&str>,
) {
    if event == "login" || event == "login_sms" {
        crate::metrics::login(result);
    }
    let written = sqlx::query(
        "INSERT INTO audit_log (id, at, event, personal_account, client_ip, result, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(secret::random_token(16))
    .bind(state.clock.now().timestamp())
    .bind(event)
    .bind(personal_account)
    .bind(client_ip)
    .bind(result)
    .bind(detail)
    .execute(&state.db.pool)
    .await;
    if let Err(e) = written {
        tracing::error!(error = %e, event, "cannot write the audit log");
    }
}
