//! 撤销 against the end-of-day run, at the same moment, on SQLite and PostgreSQL: every
//! application ends either 已办结 — its loan re-amortised, its transaction written — or 已撤销 with
//! its loan untouched; never a cancelled application whose loan moved anyway.

mod common;

use common::batch::{batch, TEN};
use common::citizen::tong_yi;
use common::loans::{app, copies_of_seed_loan, key, logged_in, reserve_seed_prepayment};
use common::stores;
use shared::policy::Policy;

const LOANS: usize = 300;
const SEED_BALANCE: i64 = 64_660_984;

// Several threads: the 撤销 requests, the server and the run really overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancellations_racing_the_batch_never_move_a_cancelled_loan() {
    for store in stores() {
        // Setup: 佟一's seed reservation for 20180109, and as many copies of his loan, each
        // with the same reservation, all his.
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let first = reserve_seed_prepayment(&tong, key(1)).await;
        let first_no = first["application_no"].as_str().unwrap().to_owned();
        let mut applications = vec![(first_no.clone(), "2015000211".to_owned())];
        applications.extend(copies_of_seed_loan(&app, "88", LOANS, Some(&first_no)).await);

        // Exec: the run for 20180109 (the business date is still 20180105, so 撤销 is allowed)
        // and a 撤销 of every application, all at once.
        let mut cancels = tokio::task::JoinSet::new();
        for (application_no, _) in &applications {
            let (http, url) = (
                tong.http.clone(),
                app.url(&format!("/api/progress/{application_no}/cancel")),
            );
            cancels.spawn(async move {
                http.post(url)
                    .header("x-hpf-csrf", "1")
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            });
        }
        let report = batch(&app, &Policy::default(), "2018-01-09").await;
        let mut accepted = 0;
        while let Some(status) = cancels.join_next().await {
            let status = status.unwrap();
            assert!(status == 200 || status == 422, "a 撤销 answered {status}");
            accepted += usize::from(status == 200);
        }

        // Check: each loan moved exactly when its application is 已办结, with its transaction.
        let mut done = 0;
        for (application_no, borrower_no) in &applications {
            let status: String =
                sqlx::query_scalar("SELECT status FROM applications WHERE application_no = $1")
                    .bind(application_no)
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
            let balance: i64 =
                sqlx::query_scalar("SELECT balance_fen FROM loans WHERE borrower_no = $1")
                    .bind(borrower_no)
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
            let transactions: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM loan_transactions WHERE borrower_no = $1 AND kind = 'prepayment'",
            )
            .bind(borrower_no)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            match status.as_str() {
                "done" => {
                    done += 1;
                    assert_eq!(
                        (balance, transactions),
                        (SEED_BALANCE - 1_000_000, 1),
                        "{application_no}"
                    );
                }
                "cancelled" => {
                    assert_eq!(
                        (balance, transactions),
                        (SEED_BALANCE, 0),
                        "{application_no} moved although cancelled"
                    );
                }
                other => panic!("{application_no} ended {other}"),
            }
        }
        eprintln!("{store:?}: {done} done, {accepted} cancelled");
        assert_eq!(
            done + accepted,
            applications.len(),
            "each ended once: done or cancelled"
        );
        assert_eq!(report.done, done, "the run counts what it executed");
    }
}

/// The interleaving the race above can hit only by chance, made to happen: a 撤销 has updated
/// the application (not committed yet) when the run reaches it; the run waits for it, and when
/// the 撤销 commits, the run leaves the loan as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancel_committing_while_the_run_waits_on_it_leaves_the_loan_untouched() {
    use sqlx::Connection;
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let reserved = reserve_seed_prepayment(&tong, key(1)).await;
        let application_no = reserved["application_no"].as_str().unwrap().to_owned();

        // The 撤销's own statement, in a transaction left open.
        let mut cancel = sqlx::AnyConnection::connect(&app.url).await.unwrap();
        sqlx::query("BEGIN").execute(&mut cancel).await.unwrap();
        let updated = sqlx::query(
            "UPDATE applications SET status = 'cancelled', open_slot = NULL, closed_at = 1 \
             WHERE application_no = $1 AND status = 'reserved'",
        )
        .bind(&application_no)
        .execute(&mut cancel)
        .await
        .unwrap();
        assert_eq!(updated.rows_affected(), 1);

        // The run starts and reaches the application, then the 撤销 commits.
        let run = common::batch::spawn_run(app.db.clone(), app.clock.clone(), "2018-01-09");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        sqlx::query("COMMIT").execute(&mut cancel).await.unwrap();
        let report = run.await.unwrap().unwrap();

        assert_eq!(report.done, 0, "{store:?}: {report:?}");
        let (balance, _, _, _, _) = common::batch::loan_figures(&app, "2015000211").await;
        assert_eq!(
            balance, SEED_BALANCE,
            "{store:?}: the loan moved for a cancelled application"
        );
        let transactions: i64 = common::batch::count(
            &app,
            "SELECT COUNT(*) FROM loan_transactions WHERE borrower_no = '2015000211' AND kind = 'prepayment'",
        )
        .await;
        assert_eq!(transactions, 0);
        let (status, _) = common::batch::status_of(&app, &application_no).await;
        assert_eq!(status, "cancelled");
    }
}

/// Two end-of-day runs at once (two replicas, or `hpf batch` started twice), each with its own
/// connections: each counts only what it executed, together exactly the due applications, and
/// neither reports a failure for waiting on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_runs_at_once_count_what_each_executed() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let first = reserve_seed_prepayment(&tong, key(1)).await;
        let first_no = first["application_no"].as_str().unwrap().to_owned();
        let copies = copies_of_seed_loan(&app, "66", 3 * LOANS, Some(&first_no)).await;
        let run =
            |db: server::db::Db| common::batch::spawn_run(db, app.clock.clone(), "2018-01-09");
        // Both connected first, then started together.
        let (db_one, db_other) = (
            server::db::Db::connect(&app.url, 5).await.unwrap(),
            server::db::Db::connect(&app.url, 5).await.unwrap(),
        );
        let (one, other) = (run(db_one), run(db_other));
        let (one, other) = (one.await.unwrap().unwrap(), other.await.unwrap().unwrap());
        eprintln!("{store:?}: {one:?} + {other:?}");
        assert_eq!(one.done + other.done, copies.len() + 1, "{one:?} {other:?}");
        assert_eq!(
            (one.rejected, one.failed, other.rejected, other.failed),
            (0, 0, 0, 0)
        );
        let transactions = common::batch::count(
            &app,
            "SELECT COUNT(*) FROM loan_transactions WHERE kind = 'prepayment'",
        )
        .await;
        assert_eq!(
            transactions as usize,
            copies.len() + 1,
            "each executed once"
        );
    }
}
