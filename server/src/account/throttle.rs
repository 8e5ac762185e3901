//! The 5-failure lock, counted *before* a password is verified: each attempt first claims a slot
//! with one conditional upsert, so however many attempts arrive together at most
//! [`MAX_FAILED_LOGINS`] passwords are verified per login per lock window, on SQLite and
//! PostgreSQL alike. The counter is the member's (their 证件号码 and 手机号, however typed, count
//! together), whether or not the member registered; a name that is no member's has a counter of
//! its own under the keyed lookup of its canonical form — so no answer tells who is registered.

use crate::error::Result;
use crate::state::AppState;

pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_SECONDS: i64 = 30 * 60;

/// Whose counter an attempt counts on: the member the name belongs to, or (no member's) the
/// keyed lookup of the name's canonical form — never the name itself.
pub fn key(member: Option<&str>, name_lookup: &str) -> String {
    match member {
        Some(account) => format!("member:{account}"),
        None => format!("name:{name_lookup}"),
    }
}

/// An attempt claimed: its number in the current window (1 to 5), or `None` when the login is
/// locked (by time, or because five attempts are already under way or spent).
pub async fn claim(state: &AppState, key: &str, now: i64) -> Result<Option<i64>> {
    // An expired lock starts a new window; otherwise the count goes up only below the limit. The
    // claim that reaches the limit sets the lock itself — before its password is verified — so
    // a request that never finishes cannot leave a count without an end (a success clears it).
    let claimed: Option<i64> = sqlx::query_scalar(
        "INSERT INTO login_throttle (throttle_key, failed_logins, locked_until) \
         VALUES ($1, 1, CASE WHEN 1 >= $3 THEN $4 ELSE NULL END) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
           failed_logins = CASE WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= $2 \
                                THEN 1 ELSE login_throttle.failed_logins + 1 END, \
           locked_until = CASE WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= $2 \
                               THEN NULL \
                               WHEN login_throttle.failed_logins + 1 >= $3 THEN $4 \
                               ELSE login_throttle.locked_until END \
         WHERE login_throttle.failed_logins < $3 \
            OR (login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= $2) \
         RETURNING failed_logins",
    )
    .bind(key)
    .bind(now)
    .bind(MAX_FAILED_LOGINS)
    .bind(now + LOCK_SECONDS)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(claimed)
}

/// A success (or a password reset): the count starts again.
pub async fn clear(state: &AppState, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// Whole minutes until the lock ends (a lock being set by the fifth attempt counts in full).
pub async fn minutes_left(state: &AppState, key: &str, now: i64) -> Result<i64> {
    let until: Option<Option<i64>> =
        sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
            .bind(key)
            .fetch_optional(&state.db.pool)
            .await?;
    let until = until.flatten().unwrap_or(now + LOCK_SECONDS);
    Ok(((until - now).max(1) + 59) / 60)
}

/// The lock's message: how long, and the way in that a stranger cannot block (忘记密码 proves the
/// phone and clears the lock).
pub fn locked_message(minutes: i64) -> String {
    format!(
        "密码连续输错{MAX_FAILED_LOGINS}次，账户已锁定，请{minutes}分钟后再试；也可使用“短信验证码登录”，或通过“忘记密码”验证手机后重置密码，立即登录"
    )
}

/// A wrong password (or an unknown name) before the lock: how many tries remain.
pub fn failed_message(attempt: i64) -> String {
    format!(
        "用户名或密码错误，还可尝试{}次",
        (MAX_FAILED_LOGINS - attempt).max(0)
    )
}
