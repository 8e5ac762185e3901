//! 我的公积金账户 through real HTTP on SQLite and PostgreSQL: the seed's 冯七 on 首页 (24,902.73),
//! his 缴存明细 by year, the 年度对账单 adding up to the fen, a year typed wrong, no session.

mod common;

use common::batch::{batch, status_of};
use common::citizen::Citizen;
use common::loans::{app, demo_login, key, logged_in, person, QIAN_ER};
use common::stores;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use shared::policy::Policy;

const TEN: &str = "2018-01-05T10:00:00+08:00";

fn feng_qi() -> Value {
    person("冯七", "220102197803121510", "13904310001")
}

fn money(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn feng_qi_sees_his_account_as_the_fund_holds_it() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = logged_in(&app, feng_qi()).await;
        let (status, account) = citizen.get("/api/fund").await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(account["balance"], "24902.73");
        assert_eq!(account["status"], "normal");
        assert_eq!(account["header"]["unit_name"], "公司三五五五五五五五");
        assert_eq!(
            account["contribution"],
            json!({"base": "4000.00", "unit_rate": "12", "personal_rate": "12"})
        );
        // 4,000.00 × 12 % for each part.
        assert_eq!(
            (
                &account["unit_monthly"],
                &account["personal_monthly"],
                &account["monthly"]
            ),
            (&json!("480.00"), &json!("480.00"), &json!("960.00"))
        );
        assert_eq!(account["paid_through"], "201712");
        assert_eq!(account["opened_on"], "2009-03-01");
        assert_eq!(account["card"]["card"]["number"], "622****4567");
        assert_eq!(account["card"]["status"], "normal");
        assert_eq!(account["years"], json!([2017, 2016]));

        // Every row, in order, each balance the one before ± the amount.
        let (status, all) = citizen.get("/api/fund/entries").await;
        assert_eq!(status, 200, "{all}");
        let rows = all["entries"].as_array().unwrap();
        assert_eq!(rows.len(), 21);
        assert_eq!(all["year"], Value::Null);
        assert_eq!(rows[0]["kind"], "opening");
        // Worked by hand: the 期初余额 of 2016-07-01 is 7,303.30; the 2017 结息 on the daily
        // balances (7,303.30 × 365 + the deposits' day-weighted sum 2,120,520) × 1.5 ÷ 36,000
        // = 199.426… → 199.43; 13,063.30 + 11,640.00 + 199.43 = 24,902.73.
        assert_eq!(
            (&rows[0]["date"], &rows[0]["amount"]),
            (&json!("2016-07-01"), &json!("7303.30"))
        );
        let mut balance = Decimal::ZERO;
        for row in rows {
            let amount = money(&row["amount"]);
            balance += if row["kind"] == "withdrawal" || row["kind"] == "transfer_out" {
                -amount
            } else {
                amount
            };
            assert_eq!(money(&row["balance"]), balance, "{row}");
        }
        assert_eq!(balance.to_string(), "24902.73");

        // 2017: twelve 汇缴, the 补缴 and the 30 June 结息.
        let (_, year) = citizen.get("/api/fund/entries?year=2017").await;
        let rows = year["entries"].as_array().unwrap();
        assert_eq!(year["year"], 2017);
        assert_eq!(rows.len(), 14);
        let kinds = |kind: &str| rows.iter().filter(|r| r["kind"] == kind).count();
        assert_eq!(
            (kinds("remittance"), kinds("back_pay"), kinds("interest")),
            (12, 1, 1)
        );
        let interest = rows.iter().find(|r| r["kind"] == "interest").unwrap();
        assert_eq!(interest["date"], "2017-06-30");
        assert_eq!(interest["amount"], "199.43");

        // The 对账单: opening + deposits − withdrawals + interest = closing, to the fen.
        let (status, view) = citizen.get("/api/fund/statement/2017").await;
        assert_eq!(status, 200, "{view}");
        let s = &view["statement"];
        assert_eq!(s["year"], 2017);
        assert_eq!(s["remittance_months"], 12);
        assert_eq!(
            (&s["remittance_unit"], &s["remittance_personal"]),
            (&json!("5760.00"), &json!("5760.00"))
        );
        assert_eq!(s["back_pay"], "120.00");
        assert_eq!(s["interest"], interest["amount"]);
        assert_eq!(s["closing"], "24902.73");
        assert_eq!(
            money(&s["opening"]) + money(&s["deposits"]) - money(&s["withdrawals"])
                + money(&s["interest"]),
            money(&s["closing"])
        );
        // The 2016 closing balance is the 2017 opening.
        let (_, before) = citizen.get("/api/fund/statement/2016").await;
        assert_eq!(before["statement"]["closing"], s["opening"]);
    }
}

#[tokio::test]
async fn a_year_typed_wrong_is_named_and_no_session_sees_nothing() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let anonymous = Citizen::new(&app);
        for path in ["/api/fund", "/api/fund/entries", "/api/fund/statement/2017"] {
            let (status, _) = anonymous.get(path).await;
            assert_eq!(status, 401, "{path}");
        }
        let citizen = logged_in(&app, feng_qi()).await;
        for path in [
            "/api/fund/entries?year=17",
            "/api/fund/entries?year=二〇一七",
            "/api/fund/statement/abcd",
            "/api/fund/statement/99999",
            "/api/fund/statement/+2017",
        ] {
            let (status, body) = citizen.get(path).await;
            assert_eq!(status, 422, "{path}: {body}");
            assert_eq!(body["field"], "year", "{path}");
            assert!(body["message"].as_str().unwrap().contains("年度"), "{body}");
        }
        // Before the recorded history (it starts 20160701) and after this year: no statement,
        // said why — never one of zeros (冯七's account was opened in 2009).
        let (status, body) = citizen.get("/api/fund/statement/2015").await;
        assert_eq!(
            (status, &body["code"]),
            (422, &json!("year_before_history")),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("20160701"),
            "{body}"
        );
        let (status, body) = citizen.get("/api/fund/statement/2019").await;
        assert_eq!(
            (status, &body["code"]),
            (422, &json!("year_in_future")),
            "{body}"
        );
        // The first year states the period it covers, and the rates of the year.
        let (_, view) = citizen.get("/api/fund/statement/2016").await;
        assert_eq!(
            (&view["statement"]["from"], &view["statement"]["to"]),
            (&json!("2016-07-01"), &json!("2016-12-31"))
        );
        assert_eq!(
            view["rates"],
            json!([{"from": "2016-02-21", "annual": "1.50"}])
        );
    }
}

/// The end-of-day run's 提取 for a member whose 缴存明细 is not recorded yet starts it with the
/// balance paid out; for one whose 明细 does not end at the balance it is refused (未通过), money
/// untouched.
#[tokio::test]
async fn a_withdrawal_keeps_the_history_adding_up_or_is_refused() {
    for store in common::stores() {
        let policy = Policy::default();
        let app = app(store, TEN, policy.clone()).await;
        let qian = demo_login(&app, QIAN_ER).await;
        sqlx::query("DELETE FROM fund_transactions WHERE personal_account = '4102205'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, accepted) = qian
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 200, "{accepted}");
        let report = batch(&app, &policy, "2018-01-05").await;
        assert_eq!((report.done, report.rejected, report.failed), (1, 0, 0));
        let (_, list) = qian.get("/api/fund/entries").await;
        let kinds: Vec<&str> = list["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["opening", "withdrawal"]);
        let (status, view) = qian.get("/api/fund/statement/2018").await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(
            (
                &view["statement"]["opening"],
                &view["statement"]["withdrawal"],
                &view["statement"]["closing"]
            ),
            (&json!("73905.26"), &json!("73905.26"), &json!("0.00"))
        );

        // 郑三's 明细 made to end elsewhere: the run refuses, nothing moves.
        let zheng = demo_login(&app, "13904310011").await;
        sqlx::query(
            "UPDATE fund_transactions SET balance_after_fen = balance_after_fen + 1 \
             WHERE personal_account = '4102206' AND seq = (SELECT MAX(seq) FROM fund_transactions WHERE personal_account = '4102206')",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let (_, account) = zheng.get("/api/fund").await;
        assert_eq!(account["history_incomplete"], true);
        let (status, accepted) = zheng
            .post(
                "/api/withdrawal",
                &json!({"amount": "58214.90", "idempotency_key": key(2)}),
            )
            .await;
        assert_eq!(status, 200, "{accepted}");
        let report = batch(&app, &policy, "2018-01-05").await;
        assert_eq!((report.done, report.rejected, report.failed), (0, 1, 0));
        let (status, reason) = status_of(&app, accepted["application_no"].as_str().unwrap()).await;
        assert_eq!(status, "rejected");
        assert!(reason.unwrap().contains("账户明细与账户余额不一致"));
        let balance: i64 = sqlx::query_scalar(
            "SELECT balance_fen FROM members WHERE personal_account = '4102206'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(balance, 5_821_490);
    }
}

/// Migration 8 on a database the hall already used: each withdrawal the hall executed (the old
/// member_transactions) becomes a 期初余额 of the amount paid out and the withdrawal after it, so
/// that the member's 对账单 adds up.
#[tokio::test]
async fn migrated_withdrawals_start_a_history_that_adds_up() {
    for store in common::stores() {
        let url = common::fresh_database_url(store).await;
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let before_8 = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                server::db::MIGRATOR
                    .migrations
                    .iter()
                    .filter(|m| m.version < 8)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before_8.run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO members (personal_account, name, id_number, phone, gender, birth_date, unit_account, \
             unit_name, account_status, balance_fen, updated_at) VALUES ('5400001', '卫一', 'x', 'y', 'male', \
             '1950-01-01', '1', '公司', 'closed', 0, '')",
            "INSERT INTO applications (application_no, personal_account, kind, status, submitted_at, \
             request_json, figures_json, idempotency_key, answer_json) VALUES ('2018010500000001', '5400001', \
             'withdrawal', 'done', 0, '{\"reason\":\"离休、退休\",\"close_account\":true}', \
             '{\"amount\":\"73905.26\",\"card\":null}', 'k', '{}')",
            "INSERT INTO member_transactions (id, personal_account, txn_date, kind, amount_fen, \
             balance_after_fen, application_no) VALUES ('app-2018010500000001', '5400001', '2018-01-05', \
             'withdrawal', 7390526, 0, '2018010500000001')",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        server::db::MIGRATOR.run(&pool).await.unwrap();
        let rows: Vec<(i64, String, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT seq, kind, amount_fen, balance_after_fen, application_no FROM fund_transactions \
             WHERE personal_account = '5400001' ORDER BY seq",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, "opening".to_owned(), 7_390_526, 7_390_526, None),
                (
                    2,
                    "withdrawal".to_owned(),
                    7_390_526,
                    0,
                    Some("2018010500000001".to_owned())
                ),
            ]
        );
        pool.close().await;
    }
}
