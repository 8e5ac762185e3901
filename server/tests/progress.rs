//! 业务进度查询 and 撤销 through real HTTP on SQLite and PostgreSQL.

mod common;

use common::citizen::tong_yi;
use common::loans::{app, demo_login, key, logged_in, reserve_seed_prepayment, ZHOU_JIU};
use common::stores;
use serde_json::json;
use shared::policy::Policy;

#[tokio::test]
async fn a_reservation_is_listed_with_its_timeline_and_cancelled_once_before_its_date() {
    for store in stores() {
        let app = app(store, "2018-01-05T10:00:00+08:00", Policy::default()).await;
        let citizen = logged_in(&app, tong_yi()).await;
        let accepted = reserve_seed_prepayment(&citizen, key(1)).await;
        let no = accepted["application_no"].as_str().unwrap().to_owned();

        let (status, list) = citizen.get("/api/progress").await;
        assert_eq!(status, 200);
        let entry = &list[0];
        assert_eq!(entry["application_no"], no.as_str());
        assert_eq!(entry["kind"], "partial_prepayment");
        assert_eq!(entry["status"], "reserved");
        assert_eq!(entry["effective_date"], "2018-01-09");
        assert_eq!(entry["amount"], "10009.93");
        assert_eq!(entry["cancellable"], true);
        assert_eq!(
            entry["timeline"],
            json!([{"status": "reserved", "at": "2018-01-05 10:00:00"}])
        );
        assert!(
            entry["figures"]
                .as_array()
                .unwrap()
                .contains(&json!(["变更后月还款额", "3,310.48"])),
            "{entry}"
        );
        // The receipt shows the amount from the figures, as 提前还款总额, printed as the hall prints
        // amounts.
        assert!(
            entry["figures"]
                .as_array()
                .unwrap()
                .contains(&json!(["提前还款总额", "10,009.93"])),
            "{entry}"
        );

        // Another member sees nothing of it: 404, never the application.
        let other = demo_login(&app, ZHOU_JIU).await;
        let (status, _) = other.get(&format!("/api/progress/{no}")).await;
        assert_eq!(status, 404);
        let (status, _) = other
            .post(&format!("/api/progress/{no}/cancel"), &json!({}))
            .await;
        assert_eq!(status, 404);

        let (status, cancelled) = citizen
            .post(&format!("/api/progress/{no}/cancel"), &json!({}))
            .await;
        assert_eq!(status, 200, "{cancelled}");
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancellable"], false);
        assert_eq!(cancelled["timeline"][1]["status"], "cancelled");
        let (status, again) = citizen
            .post(&format!("/api/progress/{no}/cancel"), &json!({}))
            .await;
        assert_eq!(status, 422);
        assert_eq!(again["code"], "already_cancelled");
        assert_eq!(again["message"], "该业务已撤销，无需再次撤销");

        // The loan is free again: a new reservation, which can no longer be cancelled on its date.
        let second = reserve_seed_prepayment(&citizen, key(2)).await;
        let second = second["application_no"].as_str().unwrap().to_owned();
        app.clock.advance(4 * 24 * 3600); // 2018-01-09 10:00: the session expired meanwhile
        let (status, _) = citizen
            .login("13904310002", common::citizen::PASSWORD)
            .await;
        assert_eq!(status, 200);
        let (_, list) = citizen.get("/api/progress").await;
        assert_eq!(list[0]["cancellable"], false);
        let (status, due) = citizen
            .post(&format!("/api/progress/{second}/cancel"), &json!({}))
            .await;
        assert_eq!(status, 422);
        assert_eq!(due["code"], "reservation_due");
    }
}
