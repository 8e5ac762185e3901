//! 日终批处理 on SQLite and PostgreSQL: each kind executed with the trial's figures, an idempotent
//! re-run, a changed loan closing the application 未通过, the in-process daily job and the command.
//! (Failures in the middle of a run: `batch_failure.rs`.)

mod common;

use common::batch::{batch, count, day, loan_figures, status_of, TEN};
use common::citizen::tong_yi;
use common::loans::{
    app, demo_login, engine_loan, key, logged_in, prepayment_body, reserve_seed_prepayment,
    reserve_zhou_adjustment, QIAN_ER,
};
use common::stores;
use serde_json::json;
use server::batch::Report;
use shared::loan::trial::settlement;
use shared::loan::AdjustMode;
use shared::policy::Policy;

#[tokio::test]
async fn a_prepayment_executes_on_its_date_with_the_trial_figures_and_only_once() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let policy = Policy::default();
        let citizen = logged_in(&app, tong_yi()).await;
        let accepted = reserve_seed_prepayment(&citizen, key(1)).await;
        let no = accepted["application_no"].as_str().unwrap();

        assert_eq!(
            batch(&app, &policy, "2018-01-08").await,
            Report::default(),
            "not due yet"
        );
        assert_eq!(status_of(&app, no).await.0, "reserved");
        let report = batch(&app, &policy, "2018-01-09").await;
        assert_eq!((report.done, report.rejected, report.failed), (1, 0, 0));
        assert_eq!(
            loan_figures(&app, "2015000211").await,
            (
                63_660_984,
                331_048,
                272,
                "2040-08-28".into(),
                "normal".into()
            )
        );
        let (_, history) = citizen.get("/api/loans/2015000211/transactions").await;
        let last = history.as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (
                &last["kind"],
                &last["date"],
                &last["amount"],
                &last["interest"],
                &last["balance_after"]
            ),
            (
                &json!("prepayment"),
                &json!("2018-01-09"),
                &json!("10009.93"),
                &json!("9.93"),
                &json!("636609.84")
            )
        );
        // Numbered after the loan's last transaction (the number is read with the batch's page).
        let numbered = count(
            &app,
            &format!("SELECT seq FROM loan_transactions WHERE id = 'app-{no}'"),
        )
        .await;
        let before = count(
            &app,
            &format!(
                "SELECT MAX(seq) FROM loan_transactions WHERE borrower_no = '2015000211' AND id <> 'app-{no}'"
            ),
        )
        .await;
        assert!(before > 0);
        assert_eq!(numbered, before + 1);
        let (_, progress) = citizen.get(&format!("/api/progress/{no}")).await;
        assert_eq!(progress["status"], "done");
        assert_eq!(progress["timeline"].as_array().unwrap().len(), 2);

        // The same date again, and a later one: nothing more happens.
        let transactions = count(&app, "SELECT COUNT(*) FROM loan_transactions").await;
        assert_eq!(batch(&app, &policy, "2018-01-09").await, Report::default());
        assert_eq!(batch(&app, &policy, "2018-01-10").await, Report::default());
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM loan_transactions").await,
            transactions
        );
        assert_eq!(loan_figures(&app, "2015000211").await.0, 63_660_984);
    }
}

#[tokio::test]
async fn settlement_adjustment_and_withdrawal_take_effect() {
    for store in stores() {
        // The older settlement window, so that a January settlement is accepted at all.
        let policy = Policy::default().with_seed_screen_blackout();
        let app = app(store, TEN, policy.clone()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&tong, "2015000211").await;
        let shown = settlement(&loan, day("2018-01-10")).unwrap();
        let (status, settled) = tong
            .post(
                "/api/loans/2015000211/settlement",
                &json!({"date": "20180110", "shown": shown, "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 200, "{settled}");

        // 周九's 等额本金 loan: a new term of 120 periods from the next due date.
        let (zhou_no, _, shown) = reserve_zhou_adjustment(&app, &policy, key(2)).await;

        let qian = demo_login(&app, QIAN_ER).await;
        let (status, withdrawn) = qian
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!(status, 200, "{withdrawn}");

        // The withdrawal is due today; the settlement on the 10th; the adjustment on the due date.
        let mut dates = vec![
            "2018-01-05".to_owned(),
            "2018-01-10".to_owned(),
            shown.effective_date.to_string(),
        ];
        dates.sort();
        dates.dedup();
        let mut done = 0;
        for date in &dates {
            let report = batch(&app, &policy, date).await;
            assert_eq!((report.rejected, report.failed), (0, 0), "{date}");
            done += report.done;
        }
        assert_eq!(done, 3);
        let (balance, status): (i64, String) = sqlx::query_as(
            "SELECT balance_fen, account_status FROM members WHERE personal_account = '4102205'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((balance, status.as_str()), (0, "closed"));
        let (amount, after): (i64, i64) = sqlx::query_as(
            "SELECT amount_fen, balance_after_fen FROM fund_transactions WHERE personal_account = '4102205' AND kind = 'withdrawal'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((amount, after), (7_390_526, 0));
        let (_, home) = qian.get("/api/withdrawal").await;
        assert_eq!(home["account_status"], "closed");
        assert_eq!(home["balance"], "0.00");
        // The 缴存明细 ends with it, and the year's 对账单 adds up to the closed account.
        let (_, list) = qian.get("/api/fund/entries?year=2018").await;
        let last = list["entries"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (
                &last["kind"],
                &last["amount"],
                &last["balance"],
                &last["date"]
            ),
            (
                &json!("withdrawal"),
                &json!("73905.26"),
                &json!("0.00"),
                &json!("2018-01-05")
            )
        );
        let (_, statement) = qian.get("/api/fund/statement/2018").await;
        assert_eq!(
            (
                &statement["statement"]["opening"],
                &statement["statement"]["withdrawal"],
                &statement["statement"]["closing"]
            ),
            (&json!("73905.26"), &json!("73905.26"), &json!("0.00"))
        );

        let (balance, _, remaining, _, status) = loan_figures(&app, "2015000211").await;
        assert_eq!((balance, remaining, status.as_str()), (0, 0, "settled"));
        let settled_txn: i64 = count(
            &app,
            "SELECT amount_fen FROM loan_transactions WHERE kind = 'settlement'",
        )
        .await;
        assert_eq!(settled_txn, 64_731_033);

        let (_, payment, remaining, maturity, _) = loan_figures(&app, &zhou_no).await;
        assert_eq!(remaining, 120);
        assert_eq!(
            payment,
            shared::money::to_fen(shown.new_monthly_principal.unwrap()).unwrap()
        );
        assert_eq!(maturity, shown.new_maturity_date.to_string());
    }
}

#[tokio::test]
async fn a_loan_changed_since_acceptance_closes_the_reservation_with_the_reason() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&citizen, "2015000211").await;
        let body = prepayment_body(&loan, "20180109", "10000", AdjustMode::ShorterTerm, key(1));
        let (_, accepted) = citizen
            .post("/api/loans/2015000211/prepayment", &body)
            .await;
        let no = accepted["application_no"].as_str().unwrap();
        // The back office records an extra repayment meanwhile.
        sqlx::query("UPDATE loans SET balance_fen = balance_fen - 100000, version = version + 1 WHERE borrower_no = '2015000211'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let before = loan_figures(&app, "2015000211").await;
        let report = batch(&app, &Policy::default(), "2018-01-09").await;
        assert_eq!((report.done, report.rejected), (0, 1));
        let (status, reason) = status_of(&app, no).await;
        assert_eq!(status, "rejected");
        assert!(reason.unwrap().contains("贷款信息已变化"));
        assert_eq!(
            loan_figures(&app, "2015000211").await,
            before,
            "the loan is untouched"
        );
        let (_, progress) = citizen.get(&format!("/api/progress/{no}")).await;
        assert_eq!(progress["status"], "rejected");
        assert!(progress["reason"].as_str().unwrap().contains("预约未执行"));
    }
}

/// The in-process daily job runs once the business clock passes the configured time, and
/// `hpf batch --date` does the same from the command line (a second run finds nothing).
#[tokio::test]
async fn the_daily_job_and_the_command_run_the_batch() {
    let app = app(
        common::Store::Sqlite,
        "2018-01-05T15:59:57+08:00",
        Policy::default(),
    )
    .await;
    let qian = demo_login(&app, QIAN_ER).await;
    let (status, accepted) = qian
        .post(
            "/api/withdrawal",
            &json!({"amount": "73905.26", "idempotency_key": key(1)}),
        )
        .await;
    assert_eq!(status, 200, "{accepted}");
    let no = accepted["application_no"].as_str().unwrap().to_owned();
    // A reservation for the 9th, left for the command below.
    let tong = logged_in(&app, tong_yi()).await;
    let reserved = reserve_seed_prepayment(&tong, key(2)).await;

    // The daily job at 16:00, started before it is time: nothing yet, then the run.
    let state = server::state::AppState::from(server::state::Hall {
        db: app.db.clone(),
        clock: app.clock.clone(),
        calendar: std::sync::Arc::new(shared::calendar::Calendar::embedded()),
        policy: std::sync::Arc::new(Policy::default()),
        accounts: std::sync::Arc::new(server::account::AccountConfig::default()),
        key: app.key.clone(),
    });
    // Audit entries: one past the 180 days kept, one within them.
    let now = app.clock.now().timestamp();
    for (id, at) in [("old", now - 181 * 86_400), ("recent", now - 179 * 86_400)] {
        sqlx::query(
            "INSERT INTO audit_log (id, at, event, personal_account, client_ip, result) \
             VALUES ($1, $2, 'login', NULL, '127.0.0.1', 'ok')",
        )
        .bind(id)
        .bind(at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let job = tokio::spawn(server::batch::daily(
        state,
        chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
        server::batch::WORKERS,
        180,
    ));
    assert_eq!(status_of(&app, &no).await.0, "accepted");
    let started = std::time::Instant::now();
    while status_of(&app, &no).await.0 != "done" {
        assert!(
            started.elapsed().as_secs() < 20,
            "the daily job did not run"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // After its run the daily job deletes what is past the retention, and only that.
    let audit_ids = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT id FROM audit_log WHERE id IN ('old', 'recent') ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
    };
    while audit_ids().await.len() == 2 {
        assert!(
            started.elapsed().as_secs() < 20,
            "the audit log was not purged"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(audit_ids().await, ["recent"]);
    job.abort();
    let (_, progress) = qian.get(&format!("/api/progress/{no}")).await;
    assert_eq!(progress["timeline"][1]["status"], "done");
    assert!(progress["timeline"][1]["at"]
        .as_str()
        .unwrap()
        .starts_with("2018-01-05 16:00"));

    assert_eq!(
        status_of(&app, reserved["application_no"].as_str().unwrap())
            .await
            .0,
        "reserved"
    );

    // The command, for the reservation's date.
    let url = app.url.clone();
    let hpf = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_hpf"))
            .args(["batch", "--database-url", &url, "--log-level", "warn"])
            .args(args)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        )
    };
    assert_eq!(
        hpf(&[
            "--date",
            "2018-01-09",
            "--clock",
            "2018-01-09T18:00:00+08:00",
            "--workers",
            "2"
        ]),
        (true, "2018-01-09: 1 done, 0 rejected, 0 failed".to_owned())
    );
    assert_eq!(
        hpf(&["--date", "2018-01-09"]),
        (true, "2018-01-09: 0 done, 0 rejected, 0 failed".to_owned())
    );
    assert_eq!(loan_figures(&app, "2015000211").await.0, 63_660_984);
    let (ok, _) = hpf(&["--date", "2018-13-05"]);
    assert!(!ok);
    let (ok, _) = hpf(&["--date", "2018-01-09", "--workers", "many"]);
    assert!(!ok);
}
