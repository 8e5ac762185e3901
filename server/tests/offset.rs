//! 偿还贷款提取（按月对冲） through real HTTP and the real end-of-day run on SQLite and PostgreSQL:
//! 签约 from the next due date, the installment paid on its due date from the fund first and the
//! rest from the card (both transactions written, once, whoever runs), 解约 before the date pays
//! nothing, 按年 refused while signed, and 解约 racing the run never half-applied.

mod common;

use common::batch::{batch, count, spawn_run, TEN};
use common::citizen::{tong_yi, Citizen};
use common::loans::{app, key, logged_in};
use common::{stores, TestApp};
use serde_json::{json, Value};
use shared::policy::Policy;

const LOAN: &str = "2015000211";
const TONG: &str = "3816301";

async fn sign(citizen: &Citizen<'_>, sign: bool) -> (u16, Value) {
    citizen
        .post(
            &format!("/api/loans/{LOAN}/offset"),
            &json!({ "sign": sign }),
        )
        .await
}

async fn fund_fen(app: &TestApp) -> i64 {
    count(
        app,
        &format!("SELECT balance_fen FROM members WHERE personal_account = '{TONG}'"),
    )
    .await
}

async fn paid_rows(app: &TestApp) -> (i64, i64) {
    (
        count(
            app,
            "SELECT COUNT(*) FROM loan_transactions WHERE id LIKE 'offset-%'",
        )
        .await,
        count(
            app,
            "SELECT COUNT(*) FROM fund_transactions WHERE id LIKE 'offset-%'",
        )
        .await,
    )
}

#[tokio::test]
async fn a_signed_loan_is_paid_from_the_fund_on_its_due_date_once() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (_, detail) = tong.get(&format!("/api/loans/{LOAN}")).await;
        let offset = &detail["offset"];
        assert_eq!(offset["starts_on"], Value::Null);
        assert_eq!(offset["unmet"], json!([]));
        // 佟一's loan is due on the 28th and was last paid on 2017-12-28.
        assert_eq!(offset["next"]["due_date"], "2018-01-28");
        assert_eq!(
            (
                offset["next"]["installment"].as_str(),
                offset["next"]["from_fund"].as_str(),
                offset["next"]["from_card"].as_str()
            ),
            (Some("3362.48"), Some("3362.48"), Some("0.00"))
        );
        let (status, signed) = sign(&tong, true).await;
        assert_eq!(status, 200, "{signed}");
        assert_eq!(signed["starts_on"], "2018-01-28");
        let (status, again) = sign(&tong, true).await;
        assert_eq!(
            (status, again["code"].as_str()),
            (422, Some("offset_signed"))
        );
        // 按年 is refused while signed, in the page's words.
        let (_, home) = tong.get("/api/withdrawal").await;
        assert_eq!(home["housing"]["offset_signed"], true);
        let (status, refused) = tong
            .post(
                "/api/withdrawal/housing",
                &json!({"business": "repayment", "amount": "100", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("offset_signed")),
            "{refused}"
        );

        // Nothing before the due date; on it, the installment, once.
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-27").await.offsets,
            0
        );
        let loan_before = common::batch::loan_figures(&app, LOAN).await;
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-28").await.offsets,
            1
        );
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-28").await.offsets,
            0
        );
        assert_eq!(fund_fen(&app).await, 3_521_860 - 336_248);
        assert_eq!(paid_rows(&app).await, (1, 1));
        let (balance, _, periods, _, status) = common::batch::loan_figures(&app, LOAN).await;
        assert_eq!((periods, status.as_str()), (loan_before.2 - 1, "normal"));
        // The principal of the installment left the balance: 3,362.48 less the month's interest
        // on 646,609.84 at 3.25 % / 12 (21,014.8198 / 12 = 1,751.23498… → 1,751.23) = 1,611.25.
        assert_eq!(loan_before.0 - balance, 161_125);
        let (_, entries) = tong.get("/api/fund/entries?year=2018").await;
        let first = &entries["entries"][0];
        assert_eq!(
            (
                first["date"].as_str(),
                first["kind"].as_str(),
                first["amount"].as_str()
            ),
            (Some("2018-01-28"), Some("withdrawal"), Some("3362.48"))
        );
        let (_, detail) = tong.get(&format!("/api/loans/{LOAN}")).await;
        assert_eq!(detail["last_due_date"], "2018-01-28");
        assert_eq!(detail["offset"]["next"]["due_date"], "2018-02-28");
    }
}

#[tokio::test]
async fn the_card_pays_what_the_fund_cannot_and_a_cancelled_agreement_pays_nothing() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        // 33,000 drawn by 按年 first: 2,218.60 is left.
        let (status, drawn) = tong
            .post(
                "/api/withdrawal/housing",
                &json!({"business": "repayment", "amount": "33000", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 200, "{drawn}");
        assert_eq!(batch(&app, &Policy::default(), "2018-01-05").await.done, 1);
        let (status, signed) = sign(&tong, true).await;
        assert_eq!(status, 200, "{signed}");
        assert_eq!(
            (
                signed["next"]["from_fund"].as_str(),
                signed["next"]["from_card"].as_str()
            ),
            (Some("2218.60"), Some("1143.88"))
        );
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-28").await.offsets,
            1
        );
        assert_eq!(fund_fen(&app).await, 0);
        // 解约 before the next due date: February is not taken from the fund.
        let (status, cancelled) = sign(&tong, false).await;
        assert_eq!((status, cancelled["starts_on"].clone()), (200, Value::Null));
        let (status, again) = sign(&tong, false).await;
        assert_eq!(
            (status, again["code"].as_str()),
            (422, Some("offset_not_signed"))
        );
        // 签约记录: the agreement, signed and ended at the business time.
        assert_eq!(
            cancelled["history"],
            json!([{"signed_at": "2018-01-05 10:00:00", "starts_on": "2018-01-28",
                    "cancelled_at": "2018-01-05 10:00:00"}])
        );
        assert_eq!(
            batch(&app, &Policy::default(), "2018-02-28").await.offsets,
            0
        );
        assert_eq!(paid_rows(&app).await, (1, 1));
    }
}

/// Two runs at once (two replicas) pay the installment once; a 解约 at the same moment as a run
/// either comes first (nothing paid) or after (paid, then ended) — never half of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn runs_and_a_cancellation_at_the_same_moment_pay_once_or_not_at_all() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        assert_eq!(sign(&tong, true).await.0, 200);
        let (one, other) = (
            server::db::Db::connect(&app.url, 5).await.unwrap(),
            server::db::Db::connect(&app.url, 5).await.unwrap(),
        );
        let (one, other) = (
            spawn_run(one, app.clock.clone(), "2018-01-28"),
            spawn_run(other, app.clock.clone(), "2018-01-28"),
        );
        let (one, other) = (one.await.unwrap().unwrap(), other.await.unwrap().unwrap());
        assert_eq!(one.offsets + other.offsets, 1, "{one:?} {other:?}");
        assert_eq!(paid_rows(&app).await, (1, 1));

        // February: a run and a 解约 together.
        let run = spawn_run(
            server::db::Db::connect(&app.url, 5).await.unwrap(),
            app.clock.clone(),
            "2018-02-28",
        );
        let (status, _) = sign(&tong, false).await;
        assert_eq!(status, 200);
        let report = run.await.unwrap().unwrap();
        let (loan_rows, fund_rows) = paid_rows(&app).await;
        assert_eq!(loan_rows, fund_rows, "both transactions or neither");
        assert_eq!(loan_rows, 1 + report.offsets as i64);
        assert_eq!(fund_fen(&app).await, 3_521_860 - 336_248 * loan_rows);
        // Whichever came first, nothing more is paid after the 解约.
        assert_eq!(
            batch(&app, &Policy::default(), "2018-03-28").await.offsets,
            0
        );
    }
}

/// After 解约, what the fund paid by 按月对冲 is not drawn again by 按年: the installments of the
/// last 12 months count less what the fund already paid of them.
#[tokio::test]
async fn what_the_offset_paid_is_not_drawn_again_by_the_yearly_withdrawal() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        assert_eq!(sign(&tong, true).await.0, 200);
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-28").await.offsets,
            1
        );
        assert_eq!(sign(&tong, false).await.0, 200);
        // A 转入 of 20,000 (明细 and balance together), so that the fund does not bind below.
        let mut tx = app.db.pool.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, balance_after_fen) \
             SELECT 'in-1', personal_account, MAX(seq) + 1, '2018-01-28', 'transfer_in', 2000000, MAX(balance_after_fen) \
             FROM fund_transactions WHERE personal_account = $1 GROUP BY personal_account",
        )
        .bind(TONG)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE fund_transactions SET balance_after_fen = $2 WHERE id = 'in-1' AND personal_account = $1",
        )
        .bind(TONG)
        .bind(3_521_860 - 336_248 + 2_000_000)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE members SET balance_fen = $2 WHERE personal_account = $1")
            .bind(TONG)
            .bind(3_521_860 - 336_248 + 2_000_000)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // On the page's date (2018-01-05) the 12 installments up to 2017-12-28 were the citizen's:
        // 40,349.76 may be asked.
        let (status, drawn) = tong
            .post(
                "/api/withdrawal/housing",
                &json!({"business": "repayment", "amount": "40349.76", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 200, "{drawn}");
        // On 2018-01-29 the window (2017-01-29, 2018-01-29] holds 12 installments, the last paid
        // by the fund: 40,349.76 − 3,362.48 = 36,987.28 only; the run refuses the 40,349.76.
        let report = batch(&app, &Policy::default(), "2018-01-29").await;
        assert_eq!((report.done, report.rejected), (0, 1), "{report:?}");
        let (_, reason) =
            common::batch::status_of(&app, drawn["application_no"].as_str().unwrap()).await;
        assert_eq!(
            reason.as_deref(),
            Some("可提取金额已变为36,987.28元，少于申请的40,349.76元，提取未执行")
        );
    }
}

/// A 缴存明细 that does not end at the balance: the installment is not paid from it, the run
/// counts the failure (the operator sees it), nothing is half-written.
#[tokio::test]
async fn an_inconsistent_fund_account_is_not_debited_and_the_run_says_so() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        assert_eq!(sign(&tong, true).await.0, 200);
        sqlx::query("UPDATE members SET balance_fen = balance_fen + 1 WHERE personal_account = $1")
            .bind(TONG)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let report = batch(&app, &Policy::default(), "2018-01-28").await;
        assert_eq!((report.offsets, report.failed), (0, 1), "{report:?}");
        assert_eq!(paid_rows(&app).await, (0, 0));
    }
}

/// An import of the loan older than an installment the hall paid by 按月对冲 is refused whole.
#[tokio::test]
async fn an_import_older_than_an_offset_payment_is_refused() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        assert_eq!(sign(&tong, true).await.0, 200);
        assert_eq!(
            batch(&app, &Policy::default(), "2018-01-28").await.offsets,
            1
        );
        let dir = common::temp_dir("hpf_offset_import");
        let loans = dir.join("loans.csv");
        std::fs::write(
            &loans,
            format!(
                "{}\n2015000211,3816301,normal,2015-08-28,690000,300,646609.84,公积金贷款,建行9999号,3.25,\
                 equal_installment,272,3362.48,2017-12-28,2040-08-28,0,建行,6217001234561716\n",
                common::import::LOANS_HEADER
            ),
        )
        .unwrap();
        let result = server::import::run(
            &app.db,
            &app.key,
            &shared::fund::default_deposit_rates(),
            server::import::Files {
                loans: Some(&loans),
                ..Default::default()
            },
        )
        .await;
        let error = result.unwrap_err();
        assert!(error.contains("按月对冲"), "{error}");
        let (_, detail) = tong.get(&format!("/api/loans/{LOAN}")).await;
        assert_eq!(detail["last_due_date"], "2018-01-28");
    }
}
