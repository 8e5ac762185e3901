//! 部分提前还本 paid from the fund (资金来源 公积金余额, or 公积金余额 first and the rest 自有资金),
//! through real HTTP and the real end-of-day run on SQLite and PostgreSQL: the split fixed when
//! accepted and on the receipt, 公积金余额 alone refused when it cannot pay, the fund and the loan
//! written in one transaction — a failure in the middle leaves both untouched, a fund that no
//! longer covers its part on the date refuses the whole prepayment.

mod common;

use common::batch::{batch, count, day, loan_figures, status_of, TEN};
use common::citizen::{tong_yi, Citizen};
use common::loans::{app, engine_loan, key, logged_in, prepayment_body};
use common::{stores, TestApp};
use serde_json::Value;
use server::batch::run;
use server::error::Error;
use shared::loan::trial::AdjustMode;
use shared::policy::Policy;

const TONG: &str = "3816301";

async fn reserve(citizen: &Citizen<'_>, amount: &str, source: &str, n: usize) -> (u16, Value) {
    let loan = engine_loan(citizen, "2015000211").await;
    let mut body = prepayment_body(&loan, "20180109", amount, AdjustMode::LowerPayment, key(n));
    body["source"] = source.into();
    citizen
        .post("/api/loans/2015000211/prepayment", &body)
        .await
}

async fn fund_fen(app: &TestApp) -> i64 {
    count(
        app,
        &format!("SELECT balance_fen FROM members WHERE personal_account = '{TONG}'"),
    )
    .await
}

fn receipt_row(progress: &Value, label: &str) -> Option<String> {
    progress["figures"]
        .as_array()?
        .iter()
        .find(|r| r[0] == label)
        .map(|r| r[1].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_prepayment_paid_from_the_fund_debits_both_accounts_in_one_run() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (_, context) = tong.get("/api/loans/2015000211/context").await;
        assert_eq!(context["fund_balance"], "35218.60");
        // 50,000 and its interest are more than 35,218.60: 公积金余额 alone is refused, by field.
        let (status, refused) = reserve(&tong, "50000", "fund", 1).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some("source")),
            "{refused}"
        );
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .starts_with("公积金可用余额35,218.60元不足以支付"),
            "{refused}"
        );
        // 10,000: the fund pays all of it.
        let (status, accepted) = reserve(&tong, "10000", "fund", 2).await;
        assert_eq!(status, 200, "{accepted}");
        let no = accepted["application_no"].as_str().unwrap().to_owned();
        let total = accepted["amount"].as_str().unwrap().to_owned();
        let (_, progress) = tong.get(&format!("/api/progress/{no}")).await;
        assert_eq!(
            receipt_row(&progress, "资金来源").as_deref(),
            Some("公积金余额")
        );
        let total_fen: i64 = total.replace('.', "").parse().unwrap();
        assert_eq!(
            receipt_row(&progress, "公积金余额支付"),
            receipt_row(&progress, "提前还款总额")
        );
        assert_eq!(
            receipt_row(&progress, "自有资金支付").as_deref(),
            Some("0.00")
        );

        let before = loan_figures(&app, "2015000211").await;
        assert_eq!(batch(&app, &Policy::default(), "2018-01-09").await.done, 1);
        assert_eq!(status_of(&app, &no).await.0, "done");
        assert_eq!(fund_fen(&app).await, 3_521_860 - total_fen);
        assert!(loan_figures(&app, "2015000211").await.0 < before.0);
        // The 缴存明细's 提取 row and the loan's 提前还款 row are the same application's.
        let rows = count(
            &app,
            &format!(
                "SELECT (SELECT COUNT(*) FROM fund_transactions WHERE application_no = '{no}' \
                 AND kind = 'withdrawal' AND amount_fen = {total_fen} \
                 AND balance_after_fen = {}) + \
                 (SELECT COUNT(*) FROM loan_transactions WHERE id = 'app-{no}' AND kind = 'prepayment')",
                3_521_860 - total_fen
            ),
        )
        .await;
        assert_eq!(rows, 2);
    }
}

#[tokio::test]
async fn both_sources_take_the_fund_first_and_the_rest_from_the_citizen() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        // The page showed another fund part (the balance changed since): said, by field.
        let loan = engine_loan(&tong, "2015000211").await;
        let mut body =
            prepayment_body(&loan, "20180109", "50000", AdjustMode::LowerPayment, key(9));
        body["source"] = "both".into();
        body["from_fund"] = "30000.00".into();
        let (status, changed) = tong.post("/api/loans/2015000211/prepayment", &body).await;
        assert_eq!(
            (status, changed["code"].as_str()),
            (422, Some("fund_changed")),
            "{changed}"
        );
        assert_eq!(
            changed["message"],
            "公积金可用余额已变化，公积金余额支付应为35,218.60元（页面为30,000.00元），请核对后再提交"
        );
        body["from_fund"] = "35218.60".into();
        body["idempotency_key"] = key(1).into();
        let (status, accepted) = tong.post("/api/loans/2015000211/prepayment", &body).await;
        assert_eq!(status, 200, "{accepted}");
        let no = accepted["application_no"].as_str().unwrap().to_owned();
        let (_, progress) = tong.get(&format!("/api/progress/{no}")).await;
        assert_eq!(
            receipt_row(&progress, "资金来源").as_deref(),
            Some("公积金余额和自有资金")
        );
        assert_eq!(
            receipt_row(&progress, "公积金余额支付").as_deref(),
            Some("35,218.60")
        );
        let total: rust_decimal::Decimal = accepted["amount"].as_str().unwrap().parse().unwrap();
        let own = total - rust_decimal::Decimal::new(3_521_860, 2);
        assert_eq!(
            receipt_row(&progress, "自有资金支付"),
            Some(shared::money::format_thousands(own))
        );
        assert_eq!(batch(&app, &Policy::default(), "2018-01-09").await.done, 1);
        assert_eq!(fund_fen(&app).await, 0);
    }
}

/// The fund pays its part on the date or not at all: the balance lowered meanwhile by the back
/// office (a 转出 of 30,000 recorded on 2018-01-06, 明细 and balance together, as an import does),
/// the prepayment closes 未通过 with the reason and neither account moves.
#[tokio::test]
async fn a_fund_spent_before_the_date_refuses_the_whole_prepayment() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (_, prepay) = reserve(&tong, "10000", "fund", 1).await;
        let mut tx = app.db.pool.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, balance_after_fen) \
             SELECT 'out-1', personal_account, MAX(seq) + 1, '2018-01-06', 'transfer_out', 3000000, 521860 \
             FROM fund_transactions WHERE personal_account = $1 GROUP BY personal_account",
        )
        .bind(TONG)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE members SET balance_fen = 521860 WHERE personal_account = $1")
            .bind(TONG)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let before = loan_figures(&app, "2015000211").await;
        let report = batch(&app, &Policy::default(), "2018-01-09").await;
        assert_eq!((report.done, report.rejected), (0, 1), "{report:?}");
        let no = prepay["application_no"].as_str().unwrap();
        let (status, reason) = status_of(&app, no).await;
        assert_eq!(status, "rejected");
        assert!(
            reason
                .as_deref()
                .unwrap()
                .starts_with("公积金可用余额5,218.60元不足以支付受理时确定的"),
            "{reason:?}"
        );
        assert_eq!(loan_figures(&app, "2015000211").await, before);
        assert_eq!(fund_fen(&app).await, 521_860);
    }
}

/// A failure after both writes (injected where the run would commit) leaves the loan and the
/// fund as they were; the next run pays it, once.
#[tokio::test]
async fn a_failure_in_the_middle_leaves_both_accounts_untouched() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (_, prepay) = reserve(&tong, "10000", "fund", 1).await;
        let no = prepay["application_no"].as_str().unwrap().to_owned();
        let failing = no.clone();
        let hook = move |n: &str| {
            if n == failing {
                Err(Error::Internal("injected failure".into()))
            } else {
                Ok(())
            }
        };
        let loan_before = loan_figures(&app, "2015000211").await;
        let policy = Policy::default();
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
        assert_eq!((report.done, report.failed), (0, 1));
        assert_eq!(status_of(&app, &no).await.0, "reserved");
        assert_eq!(loan_figures(&app, "2015000211").await, loan_before);
        assert_eq!(fund_fen(&app).await, 3_521_860);
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM fund_transactions WHERE application_no = '{no}'")
            )
            .await,
            0
        );
        assert_eq!(batch(&app, &policy, "2018-01-09").await.done, 1);
        assert_eq!(batch(&app, &policy, "2018-01-09").await.done, 0);
        assert!(fund_fen(&app).await < 3_521_860);
    }
}

/// 提前结清贷款 with 资金来源 both: the fund's whole balance and the rest from the citizen; on the
/// date the loan is 结清 and the fund at 0, in one run. (A policy whose blackout is elsewhere, so
/// January may be settled.)
#[tokio::test]
async fn a_settlement_takes_the_whole_fund_first() {
    for store in stores() {
        let policy: Policy = serde_json::from_str(
            r#"{"settlement_blackout": {"from": {"month": 12, "day": 30}, "to": {"month": 1, "day": 3}}}"#,
        )
        .unwrap();
        let app = app(store, TEN, policy.clone()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (_, context) = tong.get("/api/loans/2015000211/context").await;
        let date = context["settlement_dates"][0].as_str().unwrap().to_owned();
        let loan = engine_loan(&tong, "2015000211").await;
        let shown = shared::loan::trial::settlement(&loan, date.parse().unwrap()).unwrap();
        let body = |source: &str, n: usize| serde_json::json!({"date": date, "shown": shown, "idempotency_key": key(n), "source": source});
        let (status, refused) = tong
            .post("/api/loans/2015000211/settlement", &body("fund", 1))
            .await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some("source")),
            "{refused}"
        );
        let (status, accepted) = tong
            .post("/api/loans/2015000211/settlement", &body("both", 2))
            .await;
        assert_eq!(status, 200, "{accepted}");
        let no = accepted["application_no"].as_str().unwrap().to_owned();
        let (_, progress) = tong.get(&format!("/api/progress/{no}")).await;
        assert_eq!(
            receipt_row(&progress, "公积金余额支付").as_deref(),
            Some("35,218.60")
        );
        let own = shown.total - rust_decimal::Decimal::new(3_521_860, 2);
        assert_eq!(
            receipt_row(&progress, "自有资金支付"),
            Some(shared::money::format_thousands(own))
        );
        assert_eq!(batch(&app, &policy, &date).await.done, 1);
        let (balance, _, _, _, status) = loan_figures(&app, "2015000211").await;
        assert_eq!((balance, status.as_str()), (0, "settled"));
        assert_eq!(fund_fen(&app).await, 0);
    }
}

/// What the fund has promised is not promised twice: with a prepayment reserved that the fund pays,
/// 偿还贷款提取 offers only what is left (and refuses more), the trial page's 公积金可用余额 says the
/// same, and 按月对冲 cannot be signed while a 按年 withdrawal is 受理中.
#[tokio::test]
async fn a_promised_balance_is_not_offered_again() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let (status, reserved) = reserve(&tong, "10000", "fund", 1).await;
        assert_eq!(status, 200, "{reserved}");
        let total: rust_decimal::Decimal = reserved["amount"].as_str().unwrap().parse().unwrap();
        let left = rust_decimal::Decimal::new(3_521_860, 2) - total;
        let (_, home) = tong.get("/api/withdrawal").await;
        assert_eq!(home["housing"]["committed"], total.to_string());
        let (_, context) = tong.get("/api/loans/2015000211/context").await;
        assert_eq!(context["fund_balance"], left.to_string());
        let (status, over) = tong
            .post(
                "/api/withdrawal/housing",
                &serde_json::json!({"business": "repayment", "amount": "35218.60", "idempotency_key": key(2)}),
            )
            .await;
        assert_eq!(
            (status, over["field"].as_str()),
            (422, Some("amount")),
            "{over}"
        );
        assert_eq!(
            over["message"],
            format!(
                "提取金额不能超过可提取金额{}元",
                shared::money::format_thousands(left)
            )
        );
        let (status, drawn) = tong
            .post(
                "/api/withdrawal/housing",
                &serde_json::json!({"business": "repayment", "amount": left.to_string(), "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!(status, 200, "{drawn}");
        let (status, refused) = tong
            .post(
                "/api/loans/2015000211/offset",
                &serde_json::json!({"sign": true}),
            )
            .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("yearly_pending")),
            "{refused}"
        );
        // Both promises are kept: the withdrawal today, the prepayment on its date; the fund is empty.
        assert_eq!(batch(&app, &Policy::default(), "2018-01-05").await.done, 1);
        assert_eq!(batch(&app, &Policy::default(), "2018-01-09").await.done, 1);
        assert_eq!(fund_fen(&app).await, 0);
    }
}
