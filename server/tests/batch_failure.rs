//! 日终批处理 failing in the middle, on SQLite and PostgreSQL: a failure injected after an
//! application's writes, and a write that fails inside the one-round-trip path, each leave that
//! application untouched while the others are done; the next run finishes it. A loan changed
//! after the run read it is read again and executed, not overwritten.

mod common;

use common::batch::{batch, count, day, loan_figures, status_of, TEN};
use common::citizen::tong_yi;
use common::loans::{
    app, demo_login, key, logged_in, reserve_seed_prepayment, reserve_zhou_adjustment, QIAN_ER,
};
use common::stores;
use serde_json::json;
use server::batch::run;
use server::error::Error;
use shared::policy::Policy;

#[tokio::test]
async fn a_failure_in_the_middle_of_a_run_leaves_that_application_untouched() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let policy = Policy::default();
        let tong = logged_in(&app, tong_yi()).await;
        let prepay = reserve_seed_prepayment(&tong, key(1)).await;
        let qian = demo_login(&app, QIAN_ER).await;
        let (_, withdrawal) = qian
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(2)}),
            )
            .await;
        let zheng = demo_login(&app, "13904310011").await;
        let (_, other) = zheng
            .post(
                "/api/withdrawal",
                &json!({"amount": "58214.90", "idempotency_key": key(3)}),
            )
            .await;
        let mut due: Vec<String> = [&prepay, &withdrawal, &other]
            .iter()
            .map(|a| a["application_no"].as_str().unwrap().to_owned())
            .collect();
        due.sort();
        // The run takes them in number order; the second one fails after its writes.
        let victim = due[1].clone();
        let failing = victim.clone();
        let hook = move |no: &str| {
            if no == failing {
                Err(Error::Internal("injected failure".into()))
            } else {
                Ok(())
            }
        };
        let loans_before = loan_figures(&app, "2015000211").await;
        let members_before: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT personal_account, balance_fen, account_status FROM members ORDER BY personal_account",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let report = run(
            &app.db,
            &policy,
            day("2018-01-09"),
            app.clock.now(),
            server::batch::WORKERS,
            Some(&hook),
        )
        .await
        .unwrap();
        assert_eq!((report.done, report.failed), (2, 1));
        let open = status_of(&app, &victim).await.0;
        assert!(open == "reserved" || open == "accepted", "{open}");
        // Nothing of the victim survived: no transaction, its loan or member as before.
        let victim_rows = count(
            &app,
            &format!(
                "SELECT (SELECT COUNT(*) FROM loan_transactions WHERE id = 'app-{victim}') + \
                 (SELECT COUNT(*) FROM fund_transactions WHERE application_no = '{victim}') + \
                 (SELECT COUNT(*) FROM loan_events WHERE id = 'app-{victim}')"
            ),
        )
        .await;
        assert_eq!(victim_rows, 0);
        let victim_kind: String =
            sqlx::query_scalar("SELECT kind FROM applications WHERE application_no = $1")
                .bind(&victim)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        if victim_kind == "partial_prepayment" {
            assert_eq!(loan_figures(&app, "2015000211").await, loans_before);
        } else {
            let account: String = sqlx::query_scalar(
                "SELECT personal_account FROM applications WHERE application_no = $1",
            )
            .bind(&victim)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            let now: (String, i64, String) = sqlx::query_as(
                "SELECT personal_account, balance_fen, account_status FROM members WHERE personal_account = $1",
            )
            .bind(&account)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert!(members_before.contains(&now), "{now:?}");
        }
        // The next run finishes it.
        let report = batch(&app, &policy, "2018-01-09").await;
        assert_eq!((report.done, report.failed), (1, 0));
        assert_eq!(status_of(&app, &victim).await.0, "done");
    }
}

/// The one-round-trip path (no hook): a write that fails inside it — here the loan transaction's
/// id is already taken — leaves the loan and the application exactly as they were.
#[tokio::test]
async fn a_failed_write_in_the_fast_path_rolls_the_application_back_whole() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let accepted = reserve_seed_prepayment(&tong, key(1)).await;
        let no = accepted["application_no"].as_str().unwrap().to_owned();
        sqlx::query(
            "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
             interest_fen, balance_after_fen) VALUES ($1, '2015000211', 9999, '2018-01-01', 'installment', 0, 0, 0, 0)",
        )
        .bind(format!("app-{no}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
        let before = loan_figures(&app, "2015000211").await;
        let report = batch(&app, &Policy::default(), "2018-01-09").await;
        assert_eq!((report.done, report.failed), (0, 1));
        assert_eq!(status_of(&app, &no).await.0, "reserved");
        assert_eq!(loan_figures(&app, "2015000211").await, before);
        // The connection is usable again, and once the obstacle is gone the next run executes it.
        sqlx::query("DELETE FROM loan_transactions WHERE seq = 9999")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let report = batch(&app, &Policy::default(), "2018-01-09").await;
        assert_eq!((report.done, report.failed), (1, 0));
        assert_eq!(loan_figures(&app, "2015000211").await.0, 63_660_984);
    }
}

/// A loan that changes after the run read it (here: between two applications of one page) is not
/// overwritten and not given up: that application is read afresh and executed on what it is now.
/// PostgreSQL only: on SQLite the run's open transaction holds the one write lock, so nothing can
/// change in between.
#[tokio::test(flavor = "multi_thread")]
async fn a_loan_changed_after_the_page_was_read_is_read_again_and_executed() {
    for store in stores()
        .into_iter()
        .filter(|s| *s == common::Store::Postgres)
    {
        let app = app(store, TEN, Policy::default()).await;
        let policy = Policy::default();
        let tong = logged_in(&app, tong_yi()).await;
        let prepay = reserve_seed_prepayment(&tong, key(1)).await;
        let (zhou_no, adjusted, shown) = reserve_zhou_adjustment(&app, &policy, key(2)).await;
        let mut due = [
            (
                prepay["application_no"].as_str().unwrap().to_owned(),
                "2015000211".to_owned(),
            ),
            (
                adjusted["application_no"].as_str().unwrap().to_owned(),
                zhou_no.clone(),
            ),
        ];
        due.sort();
        let date = shown.effective_date.max(day("2018-01-09"));

        // While the first executes, the second's loan moves on (a version bump: its figures stay).
        let (first, second_loan) = (due[0].0.clone(), due[1].1.clone());
        let pool = app.db.pool.clone();
        let hook = move |no: &str| {
            if no == first {
                tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(
                        sqlx::query(
                            "UPDATE loans SET version = version + 1 WHERE borrower_no = $1",
                        )
                        .bind(&second_loan)
                        .execute(&pool),
                    )
                })
                .map_err(|e| Error::Internal(e.to_string()))?;
            }
            Ok(())
        };
        let report = run(
            &app.db,
            &policy,
            date,
            app.clock.now(),
            server::batch::WORKERS,
            Some(&hook),
        )
        .await
        .unwrap();
        assert_eq!((report.done, report.rejected, report.failed), (2, 0, 0));
        for (no, _) in &due {
            assert_eq!(status_of(&app, no).await.0, "done");
        }
        assert_eq!(loan_figures(&app, "2015000211").await.0, 63_660_984);
    }
}
