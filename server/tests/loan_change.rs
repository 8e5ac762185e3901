//! 变更还款账号 and 调整月还款额 through real HTTP on SQLite and PostgreSQL.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::loans::{app, engine_loan, key, logged_in};
use common::stores;
use common::Store;
use serde_json::json;
use shared::policy::Policy;

#[tokio::test]
async fn the_repayment_account_changes_at_once_but_not_on_the_due_day() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let change = |n: usize, a: &str, b: &str| json!({"new_account": a, "new_account_again": b, "idempotency_key": key(n)});
        let (_, body) = citizen
            .post(
                "/api/loans/2015000211/repayment-account",
                &change(20, "6217001234565678", "6217001234565679"),
            )
            .await;
        assert_eq!(
            (body["code"].as_str(), body["field"].as_str()),
            (Some("account_mismatch"), Some("new_account_again"))
        );
        let (_, body) = citizen
            .post(
                "/api/loans/2015000211/repayment-account",
                &change(21, "6217-0012", "6217-0012"),
            )
            .await;
        assert_eq!(body["code"], "card_not_digits");
        let (status, body) = citizen
            .post(
                "/api/loans/2015000211/repayment-account",
                &change(22, "6217 0012 3456 5678", "6217001234565678"),
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("done")),
            "{body}"
        );
        let (_, detail) = citizen.get("/api/loans/2015000211").await;
        assert_eq!(detail["repayment_card"]["number"], "621****5678");
        let event: String =
            sqlx::query_scalar("SELECT detail FROM loan_events WHERE borrower_no = '2015000211'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(event, "还款账号由621****1716变更为621****5678");

        // On the due day (2018-01-28 is a Sunday; 2018-02-28 a Wednesday) it is refused.
        app.clock.advance(54 * 86400);
        assert_eq!(app.clock.local_now().date().to_string(), "2018-02-28");
        let citizen = Citizen::new(&app);
        assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);
        let (status, body) = citizen
            .post(
                "/api/loans/2015000211/repayment-account",
                &change(23, "6217001234560000", "6217001234560000"),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("account_change_on_due_day"))
        );
    }
}

#[tokio::test]
async fn adjusting_the_monthly_payment_is_reserved_from_the_next_due_date() {
    let app = app(
        Store::Sqlite,
        "2018-01-05T10:00:00+08:00",
        Policy::default(),
    )
    .await;
    let citizen = logged_in(&app, tong_yi()).await;
    let loan = engine_loan(&citizen, "2015000211").await;
    let shown = shared::loan::trial::adjust_term(&loan, 300, &Policy::default()).unwrap();
    let (status, answer) = citizen
        .post(
            "/api/loans/2015000211/adjust-term",
            &json!({"new_remaining_periods": 300, "shown": shown, "idempotency_key": key(30)}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["kind"].as_str(), answer["effective_date"].as_str()),
        (Some("adjust_term"), Some("2018-01-28"))
    );
}
