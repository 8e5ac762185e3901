//! Readable numbers from the database: 申请编号 (business date + an eight-digit sequence) and
//! 提取材料编号 (`2200101000` + year + an eight-digit sequence). Each series is one row of
//! `counters`, moved by a single upsert that both databases make atomic, so concurrent writers
//! never get the same number (a random number collided at about 40 % a day at 10,000 a day;
//! MAX+1 answered 500 under concurrency). A number is taken outside the caller's transaction:
//! one whose transaction rolls back leaves a gap, never a duplicate.

use crate::db::Db;
use crate::error::{Error, Result};

/// The next value of `series`: one update of its row. Only a series met for the first time looks
/// at the numbers already written (rows from before the counters, or imported): it starts after
/// the highest of them.
async fn next(
    db: &Db,
    series: &str,
    highest_written: impl std::future::Future<Output = Result<i64>>,
) -> Result<i64> {
    let moved: Option<i64> = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE series = $1 RETURNING value",
    )
    .bind(series)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(value) = moved {
        return Ok(value);
    }
    let existing = highest_written.await?;
    let value: i64 = sqlx::query_scalar(
        "INSERT INTO counters (series, value) VALUES ($1, $2) \
         ON CONFLICT (series) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind(series)
    .bind(existing + 1)
    .fetch_one(&db.pool)
    .await?;
    Ok(value)
}

/// The highest eight-digit sequence already used after `prefix` in `table.column`.
async fn highest(db: &Db, table: &str, column: &str, prefix: &str) -> Result<i64> {
    let last: Option<String> = sqlx::query_scalar(&format!(
        "SELECT MAX({column}) FROM {table} WHERE {column} LIKE $1"
    ))
    .bind(format!("{prefix}%"))
    .fetch_one(&db.pool)
    .await?;
    Ok(last
        .and_then(|no| no.get(prefix.len()..).and_then(|s| s.parse().ok()))
        .unwrap_or(0))
}

fn eight_digits(prefix: &str, value: i64) -> Result<String> {
    if !(1..100_000_000).contains(&value) {
        return Err(Error::Internal(format!("series {prefix} is full")));
    }
    Ok(format!("{prefix}{value:08}"))
}

/// 申请编号: the business date and its next sequence number, `2018010500000001`.
pub async fn application_no(db: &Db, business_date: chrono::NaiveDate) -> Result<String> {
    let prefix = business_date.format("%Y%m%d").to_string();
    let written = highest(db, "applications", "application_no", &prefix);
    let value = next(db, &format!("application:{prefix}"), written).await?;
    eight_digits(&prefix, value)
}

/// 提取材料编号 of `year` (`22001010001800000002`, the format of `shared::withdrawal`).
pub async fn material_no(db: &Db, year: i32) -> Result<String> {
    let prefix = shared::withdrawal::material_no(year, 0);
    let prefix = &prefix[..prefix.len() - 8];
    let written = highest(db, "withdrawal_materials", "material_no", prefix);
    let value = next(db, &format!("material:{prefix}"), written).await?;
    eight_digits(prefix, value)
}
