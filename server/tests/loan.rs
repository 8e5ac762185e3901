//! 贷款 through real HTTP on SQLite and PostgreSQL: the seed's loan, reservations re-validated on
//! the server, idempotency, one open application under 50 concurrent submissions, 变更还款账号.

mod common;

use common::citizen::tong_yi;
use common::loans::{app, engine_loan, key, logged_in, prepayment_body};
use common::{stores, Store};
use serde_json::{json, Value};
use shared::loan::trial::settlement;
use shared::loan::AdjustMode;
use shared::policy::Policy;

#[tokio::test]
async fn the_seed_loan_as_the_manual_shows_it() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let (status, list) = citizen.get("/api/loans").await;
        assert_eq!(status, 200);
        assert_eq!(
            list["header"],
            json!({"unit_account":"1977","unit_name":"公司六七七七","personal_account":"3816301","name":"佟一"})
        );
        let loan = &list["loans"][0];
        assert_eq!(
            (loan["borrower_no"].as_str(), loan["status"].as_str()),
            (Some("2015000211"), Some("normal"))
        );
        assert_eq!(
            (loan["amount"].as_str(), loan["balance"].as_str()),
            (Some("690000.00"), Some("646609.84"))
        );
        assert_eq!(
            (
                loan["term_months"].as_u64(),
                loan["disbursement_date"].as_str()
            ),
            (Some(300), Some("2015-08-28"))
        );
        assert_eq!(
            (loan["loan_type"].as_str(), loan["house_address"].as_str()),
            (Some("公积金贷款"), Some("建行9999号"))
        );

        let (_, detail) = citizen.get("/api/loans/2015000211").await;
        assert_eq!(
            detail["repayment_card"],
            json!({"holder":"佟一","bank":"建行","number":"621****1716"})
        );
        assert_eq!(detail["next_due_date"], "2018-01-28");
        assert_eq!(detail["monthly_payment"], "3362.48");

        let (_, history) = citizen.get("/api/loans/2015000211/transactions").await;
        let history = history.as_array().unwrap();
        assert_eq!(history.len(), 29);
        assert_eq!(history[0]["kind"], "disbursement");
        assert_eq!(history[28]["balance_after"], "646609.84");

        let (_, schedule) = citizen.get("/api/loans/2015000211/schedule").await;
        assert_eq!(schedule["rows"].as_array().unwrap().len(), 272);
        assert_eq!(schedule["total_principal"], "646609.84");

        // Another member's loan does not exist for 佟一: 404, never 403, never data.
        for path in [
            "/api/loans/2016000305",
            "/api/loans/2016000305/transactions",
            "/api/loans/2016000305/schedule",
        ] {
            let (status, body) = citizen.get(path).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (404, Some("not_found")),
                "{path}"
            );
        }
        let (status, _) = citizen
            .post(
                "/api/loans/2016000305/settlement",
                &json!({"date":"20180110","idempotency_key": key(1), "shown":
                    {"principal":"1.00","interest":"0.00","refund_interest":"0.00","total":"1.00"}}),
            )
            .await;
        // A well-formed request: the refusal comes from ownership, not from parsing.
        assert_eq!(status, 404);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 0);
    }
}

#[tokio::test]
async fn a_prepayment_is_reserved_once_with_the_figures_shown() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&citizen, "2015000211").await;
        let (_, context) = citizen.get("/api/loans/2015000211/context").await;
        assert!(context["prepayment_dates"]
            .as_array()
            .unwrap()
            .contains(&json!("2018-01-09")));
        assert_eq!(context["prepayment_refusal"], Value::Null);
        assert_eq!(context["settlement_hours"], "09:30-16:00");
        assert_eq!(context["settlement_blackout"], "12月1日至次年1月31日");

        let body = prepayment_body(&loan, "20180109", "10000", AdjustMode::LowerPayment, key(1));
        assert_eq!(body["shown"]["new_monthly_payment"], "3310.48");
        let (status, first) = citizen
            .post("/api/loans/2015000211/prepayment", &body)
            .await;
        assert_eq!(status, 200, "{first}");
        assert_eq!(
            (first["status"].as_str(), first["effective_date"].as_str()),
            (Some("reserved"), Some("2018-01-09"))
        );
        assert_eq!(first["amount"], "10009.93");

        // The same key again: the first answer, not a second application.
        let (status, again) = citizen
            .post("/api/loans/2015000211/prepayment", &body)
            .await;
        assert_eq!((status, &again), (200, &first));
        // Another key while one is open: refused.
        let other = prepayment_body(&loan, "20180110", "10000", AdjustMode::ShorterTerm, key(2));
        let (status, body) = citizen
            .post("/api/loans/2015000211/prepayment", &other)
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("application_open"))
        );
        // The loan page says a reservation is pending.
        let (_, list) = citizen.get("/api/loans").await;
        assert_eq!(
            list["loans"][0]["pending"]["application_no"],
            first["application_no"]
        );
        // The business pages say so before anything is filled: every business on this loan
        // is refused with the open application named; 变更还款账号 is not an application slot.
        let (_, context) = citizen.get("/api/loans/2015000211/context").await;
        let named = format!(
            "该笔贷款已有办理中的业务（部分提前还本，申请编号{}）",
            first["application_no"].as_str().unwrap()
        );
        for refusal in ["prepayment_refusal", "settlement_refusal", "adjust_refusal"] {
            let message = context[refusal].as_str().unwrap_or_default();
            assert!(message.starts_with(&named), "{refusal}: {message}");
        }
        assert_eq!(context["account_change_refusal"], Value::Null);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 1);
    }
}

#[tokio::test]
async fn figures_that_differ_are_answered_with_the_fresh_ones() {
    let app = app(
        Store::Sqlite,
        "2018-01-05T10:00:00+08:00",
        Policy::default(),
    )
    .await;
    let citizen = logged_in(&app, tong_yi()).await;
    let loan = engine_loan(&citizen, "2015000211").await;
    let mut body = prepayment_body(&loan, "20180110", "10000", AdjustMode::ShorterTerm, key(3));
    body["shown"]["total"] = json!("10000.00");
    let (status, answer) = citizen
        .post("/api/loans/2015000211/prepayment", &body)
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("figures_changed"))
    );
    assert_eq!(answer["fresh"]["partial_prepayment"]["total"], "10010.83");
    assert_eq!(
        answer["fresh"]["partial_prepayment"]["new_remaining_periods"],
        266
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn every_rule_is_enforced_on_the_server() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&citizen, "2015000211").await;
        let mut bad_amount =
            prepayment_body(&loan, "20180110", "10000", AdjustMode::LowerPayment, key(4));
        bad_amount["amount"] = json!("1500");
        let (status, body) = citizen
            .post("/api/loans/2015000211/prepayment", &bad_amount)
            .await;
        assert_eq!(
            (status, body["code"].as_str(), body["field"].as_str()),
            (422, Some("amount_not_multiple_of_1000"), Some("amount"))
        );
        // 2018-01-13 is a Saturday: not a date on offer (the browser's picker never shows it).
        let mut saturday =
            prepayment_body(&loan, "20180110", "10000", AdjustMode::LowerPayment, key(5));
        saturday["date"] = json!("20180113");
        let (_, body) = citizen
            .post("/api/loans/2015000211/prepayment", &saturday)
            .await;
        assert_eq!(body["code"], "date_not_offered");
        // Settlement in the default blackout window (1 Dec – 31 Jan).
        let shown =
            settlement(&loan, chrono::NaiveDate::from_ymd_opt(2018, 1, 10).unwrap()).unwrap();
        let (status, body) = citizen
            .post(
                "/api/loans/2015000211/settlement",
                &json!({"date":"20180110","shown":shown,"idempotency_key":key(6)}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("settlement_blackout"))
        );
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("12月1日至次年1月31日"));
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 0, "a refusal changes nothing");
    }
}

#[tokio::test]
async fn submissions_outside_business_hours_are_refused() {
    let app = app(
        Store::Sqlite,
        "2018-01-05T17:00:00+08:00",
        Policy::default(),
    )
    .await;
    let citizen = logged_in(&app, tong_yi()).await;
    let loan = engine_loan(&citizen, "2015000211").await;
    let body = prepayment_body(&loan, "20180109", "10000", AdjustMode::LowerPayment, key(7));
    let (status, answer) = citizen
        .post("/api/loans/2015000211/prepayment", &body)
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("outside_business_hours"))
    );
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("2018-01-08 09:00"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_loan_in_arrears_cannot_be_prepaid() {
    let app = app(
        Store::Sqlite,
        "2018-01-05T10:00:00+08:00",
        Policy::default(),
    )
    .await;
    let sun = json!({"name":"孙八","id_type":"id_card","id_number":"220102198207077511","phone":"13904310007"});
    let citizen = logged_in(&app, sun).await;
    let body = json!({"date":"20180110","amount":"10000","mode":"lower_payment","shown":{
        "prepay_principal":"0","prepay_interest":"0","refund_interest":"0","total":"0","new_balance":"0",
        "new_remaining_periods":0,"new_monthly_payment":"0","new_maturity_date":"2018-01-01"},"idempotency_key":key(8)});
    let (status, answer) = citizen
        .post("/api/loans/2016000305/prepayment", &body)
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("loan_in_arrears"))
    );
}

#[tokio::test]
async fn settlement_is_accepted_under_the_older_window() {
    for store in stores() {
        let app = app(
            store,
            "2018-01-05T10:00:00+08:00",
            Policy::default().with_seed_screen_blackout(),
        )
        .await;
        let citizen = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&citizen, "2015000211").await;
        let shown =
            settlement(&loan, chrono::NaiveDate::from_ymd_opt(2018, 1, 10).unwrap()).unwrap();
        let (status, answer) = citizen
            .post(
                "/api/loans/2015000211/settlement",
                &json!({"date":"20180110","shown":shown,"idempotency_key":key(9)}),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            (answer["kind"].as_str(), answer["amount"].as_str()),
            (Some("settlement"), Some("647310.33"))
        );
    }
}

#[tokio::test]
async fn fifty_concurrent_submissions_make_exactly_one_application() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&citizen, "2015000211").await;
        let requests = (0..50).map(|n| {
            let body = prepayment_body(
                &loan,
                "20180109",
                "10000",
                AdjustMode::LowerPayment,
                key(100 + n),
            );
            let citizen = &citizen;
            async move {
                citizen
                    .post("/api/loans/2015000211/prepayment", &body)
                    .await
                    .0
            }
        });
        let statuses = futures_join_all(requests).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{store:?}: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 409),
            "{statuses:?}"
        );
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 1);
    }
}

/// Runs the futures concurrently on this task (no extra dependency).
async fn futures_join_all<F: std::future::Future<Output = u16>>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut results = vec![0u16; handles.len()];
    let mut pending: Vec<(usize, std::pin::Pin<Box<F>>)> =
        handles.into_iter().enumerate().collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
            std::task::Poll::Ready(status) => {
                results[*index] = status;
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    results
}

/// A stored text the hall cannot read is an error — logged, answered 500 with the generic
/// message — never a default: a loan whose method reads as nothing known is not computed as
/// 等额本息, nor a transaction of an unknown kind shown as 正常还款. (The schema's CHECK constraints
/// refuse such texts; SQLite can be told to skip them, as a damaged or hand-edited file might.)
#[tokio::test]
async fn an_unknown_stored_value_is_an_error_not_a_default() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        assert_eq!(citizen.get("/api/loans/2015000211").await.0, 200);
        let mut conn = app.db.pool.acquire().await.unwrap();
        let set = |sql: &'static str| sqlx::query(sql);
        let bad_method =
            "UPDATE loans SET method = 'equal_something' WHERE borrower_no = '2015000211'";
        if store == Store::Postgres {
            // The database itself refuses the text.
            assert!(set(bad_method).execute(&mut *conn).await.is_err());
            continue;
        }
        set("PRAGMA ignore_check_constraints = ON")
            .execute(&mut *conn)
            .await
            .unwrap();
        set(bad_method).execute(&mut *conn).await.unwrap();
        set("UPDATE loans SET status = 'mystery' WHERE borrower_no = '2015000211'")
            .execute(&mut *conn)
            .await
            .unwrap();
        set("UPDATE loan_transactions SET kind = 'mystery' WHERE borrower_no = '2015000211' AND seq = 2")
            .execute(&mut *conn)
            .await
            .unwrap();
        set("PRAGMA ignore_check_constraints = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let (status, body) = citizen.get("/api/loans/2015000211").await;
        assert_eq!(status, 500, "{body}");
        assert_eq!(body["code"], "internal");
        assert!(!body.to_string().contains("equal_something"), "{body}");
        let (status, _) = citizen.get("/api/loans/2015000211/transactions").await;
        assert_eq!(status, 500);
        let (status, body) = citizen.get("/api/loans").await;
        assert_eq!((status, body["code"].as_str()), (500, Some("internal")));
        assert!(!body.to_string().contains("mystery"), "{body}");
        // An ended session is a 401 whatever its member's rows hold (the list reads the session
        // with the loans in one query and judges the session first).
        app.clock.advance(3 * 3600);
        let (status, body) = citizen.get("/api/loans").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("session_expired"))
        );
    }
}
