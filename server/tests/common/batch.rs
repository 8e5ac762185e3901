//! Helpers of the end-of-day tests: run the batch, read what it changed.
#![allow(dead_code)]

use super::TestApp;
use chrono::NaiveDate;
use server::batch::{run, Report, WORKERS};
use shared::policy::Policy;
use sqlx::Row;

pub const TEN: &str = "2018-01-05T10:00:00+08:00";

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub async fn batch(app: &TestApp, policy: &Policy, date: &str) -> Report {
    run(&app.db, policy, day(date), app.clock.now(), WORKERS, None)
        .await
        .unwrap()
}

/// The run of `date` on `db` (a connection pool of its own, as a second replica has), started on
/// the runtime so a test can act while it runs.
pub fn spawn_run(
    db: server::db::Db,
    clock: server::clock::Clock,
    date: &str,
) -> tokio::task::JoinHandle<Result<Report, server::error::Error>> {
    let date = day(date);
    tokio::spawn(
        async move { run(&db, &Policy::default(), date, clock.now(), WORKERS, None).await },
    )
}

pub async fn loan_figures(app: &TestApp, borrower_no: &str) -> (i64, i64, i64, String, String) {
    let row = sqlx::query(
        "SELECT balance_fen, monthly_payment_fen, remaining_periods, maturity_date, status FROM loans WHERE borrower_no = $1",
    )
    .bind(borrower_no)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (
        row.get("balance_fen"),
        row.get("monthly_payment_fen"),
        row.get("remaining_periods"),
        row.get("maturity_date"),
        row.get("status"),
    )
}

pub async fn status_of(app: &TestApp, application_no: &str) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, reason FROM applications WHERE application_no = $1")
        .bind(application_no)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}
