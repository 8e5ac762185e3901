//! Benchmarks of the back-office runs on this machine: the end-of-day batch over N due
//! reservations (default 100 000), and `import` of M members + M loans (default 10 000), on a
//! fresh SQLite file and — when `HPF_TEST_POSTGRES_URL` names a server — a fresh PostgreSQL
//! database.
//!
//! `cargo run --release -p server --example batch_load [reservations] [import_rows]`
//!
//! Every reservation is 部分提前还本 of 10 000 on 20180109 (还款额下降) on its own copy of the seed's
//! loan, with the figures the engine computes, so the batch recomputes and executes every one.

use chrono::{DateTime, NaiveDate};
use server::db::Db;
use shared::loan::trial::{prepayment, AdjustMode, PrepaymentRequest};
use shared::loan::{Loan, LoanStatus, RepaymentMethod};
use shared::policy::Policy;
use std::fmt::Write as _;
use std::time::Instant;

mod common;
use common::write_csv;

fn seed_loan() -> Loan {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    Loan {
        method: RepaymentMethod::EqualInstallment,
        balance: "646609.84".parse().unwrap(),
        annual_rate: "3.25".parse().unwrap(),
        remaining_periods: 272,
        monthly_payment: "3362.48".parse().unwrap(),
        last_due_date: day(2017, 12, 28),
        maturity_date: day(2040, 8, 28),
        arrears: Default::default(),
        status: LoanStatus::Normal,
        disbursement_date: Some(day(2015, 8, 28)),
        due_day: None,
    }
}

async fn fresh(store: &str) -> Option<(String, Db)> {
    let url = match store {
        "SQLite" => {
            let dir = std::env::temp_dir().join(format!("hpf_batch_load_{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/hpf.db?mode=rwc", dir.display())
        }
        _ => {
            use sqlx::Connection;
            let base = std::env::var("HPF_TEST_POSTGRES_URL").ok()?;
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
            let name = format!("hpf_batch_load_{}", std::process::id());
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut admin)
                .await;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let (prefix, _) = base.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
    };
    // As `hpf batch` connects: a reader and the workers.
    let db = Db::connect(&url, server::batch::WORKERS as u32 + 1)
        .await
        .unwrap();
    Some((url, db))
}

/// N members, their loans and one due reservation each, inserted in chunks.
async fn seed(db: &Db, n: usize) {
    let loan = seed_loan();
    let request =
        PrepaymentRequest::parse(&loan, "2018-01-09", "10000", AdjustMode::LowerPayment, None)
            .unwrap();
    let trial = prepayment(&loan, &request).unwrap();
    let figures = serde_json::to_string(&trial).unwrap();
    let asked =
        serde_json::json!({"date": "2018-01-09", "amount": "10000", "mode": "lower_payment",
        "new_remaining_periods": null, "loan_version": 0})
        .to_string();
    let mut tx = db.pool.begin().await.unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let (mut members, mut loans, mut applications) =
            (String::new(), String::new(), String::new());
        for &i in chunk {
            let sep = if members.is_empty() { "" } else { "," };
            let account = format!("6{i:07}");
            let borrower = format!("9{i:09}");
            let id = format!("B{i:017}");
            let _ = write!(members, "{sep}('{account}','测试{i}','{id}','139{i:08}','male','1970-01-01','9001','单位','normal',100000,'2018-01-05T10:00:00+08:00')");
            let _ = write!(loans, "{sep}('{borrower}','{account}','normal','2015-08-28',69000000,300,64660984,'公积金贷款','长春',\
                '3.25','equal_installment',28,272,336248,'2017-12-28','2040-08-28',0,'测试{i}','建行','6217001234560000',0,'2018-01-05T10:00:00+08:00')");
            let _ = write!(applications, "{sep}('B{i:015}','{account}','{borrower}','partial_prepayment','reserved',1515117600,'2018-01-09',\
                1000993,'{asked}','{figures}','key-{i:012}','loan:{borrower}','{{}}')");
        }
        for sql in [
            format!("INSERT INTO members (personal_account, name, id_number, phone, gender, birth_date, unit_account, unit_name, account_status, balance_fen, updated_at) VALUES {members}"),
            format!("INSERT INTO loans (borrower_no, personal_account, status, disbursement_date, amount_fen, term_months, balance_fen, loan_type, house_address, annual_rate, method, due_day, remaining_periods, monthly_payment_fen, last_due_date, maturity_date, arrears_fen, repay_card_holder, repay_card_bank, repay_card_number, version, updated_at) VALUES {loans}"),
            format!("INSERT INTO applications (application_no, personal_account, borrower_no, kind, status, submitted_at, effective_date, amount_fen, request_json, figures_json, idempotency_key, open_slot, answer_json) VALUES {applications}"),
        ] {
            sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(100_000);
    let m = args.get(1).copied().unwrap_or(10_000);
    let now = DateTime::parse_from_rfc3339("2018-01-09T18:00:00+08:00").unwrap();
    for store in ["SQLite", "PostgreSQL"]
        .into_iter()
        .filter(|s| std::env::var("ONLY").map_or(true, |o| o == *s))
    {
        let Some((_, db)) = fresh(store).await else {
            println!("{store}: skipped (HPF_TEST_POSTGRES_URL not set)");
            continue;
        };
        let started = Instant::now();
        seed(&db, n).await;
        // As after any bulk load: fresh planner statistics.
        sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
        let seeded = started.elapsed();
        // As `hpf batch --date 2018-01-09` runs it.
        let policy = Policy::default();
        let date = NaiveDate::from_ymd_opt(2018, 1, 9).unwrap();
        let batch = || server::batch::run(&db, &policy, date, now, server::batch::WORKERS, None);
        let started = Instant::now();
        let report = batch().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!((report.done, report.failed, report.rejected), (n, 0, 0));
        println!(
            "{store}: batch executed {n} due reservations in {:.1} s ({:.0}/s); seeding took {:.1} s",
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64(),
            seeded.as_secs_f64()
        );
        let again = Instant::now();
        let report = batch().await.unwrap();
        assert_eq!(report, server::batch::Report::default());
        println!(
            "{store}: the same date again: nothing to do, {:.2} s",
            again.elapsed().as_secs_f64()
        );

        let dir = std::env::temp_dir().join(format!("hpf_import_load_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (members, loans) = write_csv(&dir, m);
        let started = Instant::now();
        // The import seals personal data like `hpf import` (a throwaway key: the seeded rows above
        // are written directly, in clear, and only the batch reads them — it never reads a number).
        let key =
            server::protect::DataKey::from_hex(&server::protect::DataKey::generate_hex()).unwrap();
        let summary = server::import::run(
            &db,
            &key,
            &shared::fund::default_deposit_rates(),
            server::import::Files {
                members: Some(&members),
                loans: Some(&loans),
                deposits: None,
                properties: None,
                materials: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
        println!(
            "{store}: import of {} members + {} loans in {:.1} s",
            summary.members,
            summary.loans,
            started.elapsed().as_secs_f64()
        );
        db.close().await;
    }
}
