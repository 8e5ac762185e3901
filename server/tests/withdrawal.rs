//! 提取 through real HTTP on SQLite and PostgreSQL: the eligibility matrix enforced by the server
//! whatever the browser sends, the policy's ages, transaction hours, one open withdrawal per
//! member, idempotent replay, and 新增提取材料.

mod common;

use common::loans::{
    app, demo_login, engine_loan, key, logged_in, person, prepayment_body, QIAN_ER,
};
use common::stores;
use serde_json::json;
use shared::loan::trial::AdjustMode;
use shared::policy::Policy;
use shared::withdrawal::RetirementPolicy;

const TEN: &str = "2018-01-05T10:00:00+08:00";

/// The `field` of each entry of a JSON list (the codes of `unmet`, the numbers of `materials`).
fn texts<'a>(list: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|entry| entry[field].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_unmet_condition_is_listed_and_the_server_refuses_the_same() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        for (who, codes, text) in [
            // 冯七 of the seed is 正常 and 39: two reasons, both listed.
            (
                person("冯七", "220102197803121510", "13904310001"),
                vec!["account_not_sealed", "below_retirement_age"],
                "账户状态须为封存（当前为正常）；未达到退休年龄",
            ),
            (
                person("李梅", "220102196106154224", "13904310004"),
                vec!["account_not_sealed"],
                "账户状态须为封存",
            ),
            (
                person("赵六", "220102196009015310", "13904310005"),
                vec!["below_retirement_age"],
                "未达到退休年龄",
            ),
            (
                person("陈静", "22010219580211642X", "13904310006"),
                vec!["no_own_normal_card"],
                "未关联本人名下正常储蓄卡",
            ),
        ] {
            let citizen = logged_in(&app, who.clone()).await;
            let (status, home) = citizen.get("/api/withdrawal").await;
            assert_eq!(status, 200, "{home}");
            if who["name"] == "冯七" {
                // The seed's screen: balance 24902.73, 正常, his material.
                assert_eq!(home["balance"], "24902.73");
                assert_eq!(home["account_status"], "normal");
                assert_eq!(home["materials"][0]["material_no"], "22001010001800000001");
                assert_eq!(home["materials"][0]["status"], "有效");
            }
            let unmet: Vec<&str> = texts(&home["unmet"], "code");
            assert_eq!(unmet, codes, "{}", who["name"]);
            // The browser's button is disabled; a request sent anyway is refused the same way.
            let (status, refused) = citizen
                .post(
                    "/api/withdrawal",
                    &json!({"amount": home["amount"], "idempotency_key": key(1)}),
                )
                .await;
            assert_eq!(status, 422, "{refused}");
            assert_eq!(refused["code"], codes[0]);
            assert!(
                refused["message"].as_str().unwrap().contains(text),
                "{refused}"
            );
        }
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 0, "refusals change nothing");
    }
}

#[tokio::test]
async fn a_sealed_retired_member_withdraws_once() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = demo_login(&app, QIAN_ER).await;
        let (_, home) = citizen.get("/api/withdrawal").await;
        assert_eq!(home["unmet"], json!([]));
        assert_eq!(home["amount"], "73905.26");
        assert_eq!(home["card"]["number"], "622****5566");
        assert_eq!(home["refusal"], serde_json::Value::Null);

        // A stale amount is answered with the fresh one.
        let (status, changed) = citizen
            .post(
                "/api/withdrawal",
                &json!({"amount": "70000.00", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 409, "{changed}");
        assert_eq!(changed["fresh"]["withdrawal"]["amount"], "73905.26");

        let body = json!({"amount": "73905.26", "idempotency_key": key(2)});
        let (status, accepted) = citizen.post("/api/withdrawal", &body).await;
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["kind"], "withdrawal");
        assert_eq!(accepted["amount"], "73905.26");
        // The same key replays the first answer; a new key is refused while one is open.
        let (status, replayed) = citizen.post("/api/withdrawal", &body).await;
        assert_eq!((status, &replayed), (200, &accepted));
        let (status, second) = citizen
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!(status, 409, "{second}");
        assert_eq!(second["code"], "application_open");
        let (_, home) = citizen.get("/api/withdrawal").await;
        assert_eq!(home["pending"], accepted["application_no"]);
    }
}

#[tokio::test]
async fn the_retirement_age_comes_from_the_policy_and_the_hours_from_the_calendar() {
    for store in stores() {
        // Men at 65: 钱二 (born 1954) is not yet of age.
        let policy = Policy {
            retirement: RetirementPolicy {
                male_age: 65,
                ..RetirementPolicy::default()
            },
            ..Policy::default()
        };
        let app = app(store, TEN, policy).await;
        let citizen = demo_login(&app, QIAN_ER).await;
        let (status, refused) = citizen
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(refused["code"], "below_retirement_age");
        assert!(
            refused["message"].as_str().unwrap().contains("2019-03-08"),
            "{refused}"
        );
    }
    for store in stores() {
        let app = app(store, "2018-01-05T17:00:00+08:00", Policy::default()).await;
        let citizen = demo_login(&app, QIAN_ER).await;
        let (_, home) = citizen.get("/api/withdrawal").await;
        assert!(
            home["refusal"].as_str().unwrap().contains("工作日"),
            "{home}"
        );
        let (status, refused) = citizen
            .post(
                "/api/withdrawal",
                &json!({"amount": "73905.26", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(refused["code"], "outside_business_hours");
    }
}

#[tokio::test]
async fn materials_are_added_numbered_and_kept() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = logged_in(&app, person("冯七", "220102197803121510", "13904310001")).await;
        let (status, refused) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "买车", "address": "长春", "limit": "1000", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(refused["field"], "reason");
        let (status, refused) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "租赁自住住房", "address": "长春市", "limit": "-5", "idempotency_key": key(2)}),
            )
            .await;
        assert_eq!((status, refused["field"].as_str()), (422, Some("limit")));
        let (status, added) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "租赁自住住房", "address": "长春市南关区人民大街88号", "limit": "12000",
                        "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!(status, 200, "{added}");
        // The same key again (a retry after a lost answer): the first material, not a second.
        let (status, again) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "租赁自住住房", "address": "长春市南关区人民大街88号", "limit": "12000",
                        "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!((status, &again), (200, &added));
        // Without a key: refused, nothing added.
        let (status, body) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "租赁自住住房", "address": "长春市", "limit": "1", "idempotency_key": ""}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("idempotency_key_invalid"))
        );
        assert_eq!(added["material_no"], "22001010001800000002");
        assert_eq!(added["status"], "有效");
        assert_eq!(added["remaining"], "12000.00");
        let (_, home) = citizen.get("/api/withdrawal").await;
        let numbers: Vec<&str> = texts(&home["materials"], "material_no");
        assert_eq!(numbers, ["22001010001800000001", "22001010001800000002"]);
    }
}

/// The policy's number of materials per member holds even when additions arrive together: with
/// a limit of 3 and the seed's one material, eight additions at once give two new materials and
/// six clear refusals, never a 500.
#[tokio::test]
async fn materials_per_member_are_limited_even_under_concurrent_additions() {
    for store in stores() {
        let policy: Policy = serde_json::from_str(r#"{"max_materials_per_member": 3}"#).unwrap();
        let app = app(store, TEN, policy).await;
        let citizen = logged_in(&app, person("冯七", "220102197803121510", "13904310001")).await;
        let mut additions = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (http, url) = (citizen.http.clone(), app.url("/api/withdrawal/materials"));
            additions.spawn(async move {
                let response = http
                    .post(url)
                    .header("x-hpf-csrf", "1")
                    .json(&json!({"reason": "租赁自住住房", "address": format!("长春市{i}号"), "limit": "1000",
                                  "idempotency_key": key(10 + i)}))
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let body: serde_json::Value = response.json().await.unwrap();
                (status, body["code"].as_str().unwrap_or("").to_owned(), body["message"].clone())
            });
        }
        let mut answers = Vec::new();
        while let Some(answer) = additions.join_next().await {
            answers.push(answer.unwrap());
        }
        let added = answers.iter().filter(|(s, _, _)| *s == 200).count();
        let limited: Vec<_> = answers
            .iter()
            .filter(|(_, c, _)| c == "materials_limit")
            .collect();
        assert_eq!((added, limited.len()), (2, 6), "{answers:?}");
        assert_eq!(limited[0].0, 422);
        assert_eq!(
            limited[0].2,
            "每人最多登记3份提取材料，您已登记3份，不能再新增"
        );
        let (_, home) = citizen.get("/api/withdrawal").await;
        assert_eq!(home["materials"].as_array().unwrap().len(), 3);
    }
}

/// A retiree's 部分提前还本 paid from the fund holds back 退休销户提取 (which would close the account
/// the prepayment is to be paid from) until it is 撤销: listed on the page and refused by the
/// server with the same reason. No demo retiree has a loan: 王五 gets a copy of 佟一's.
#[tokio::test]
async fn a_prepayment_from_the_fund_holds_back_the_retirement_withdrawal() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        server::demo::twin::copy_loan(&app.db.pool, "2015000211", "2018000901", "4102201")
            .await
            .unwrap();
        let wang = logged_in(&app, person("王五", "220102195504183173", "13904310003")).await;
        let loan = engine_loan(&wang, "2018000901").await;
        let mut body =
            prepayment_body(&loan, "20180109", "10000", AdjustMode::LowerPayment, key(1));
        body["source"] = "fund".into();
        let (status, reserved) = wang.post("/api/loans/2018000901/prepayment", &body).await;
        assert_eq!(status, 200, "{reserved}");
        let promised: rust_decimal::Decimal = reserved["amount"].as_str().unwrap().parse().unwrap();
        let reason = format!(
            "有受理中的业务将使用公积金余额{}元",
            shared::money::format_thousands(promised)
        );

        let (_, home) = wang.get("/api/withdrawal").await;
        let unmet: Vec<&str> = texts(&home["unmet"], "code");
        assert_eq!(unmet, ["fund_committed"], "{home}");
        let (status, refused) = wang
            .post(
                "/api/withdrawal",
                &json!({"amount": home["amount"], "idempotency_key": key(2)}),
            )
            .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("fund_committed")),
            "{refused}"
        );
        assert!(
            refused["message"].as_str().unwrap().contains(&reason),
            "{refused}"
        );

        // 撤销 the prepayment: the withdrawal may be made again.
        let no = reserved["application_no"].as_str().unwrap();
        let (status, cancelled) = wang
            .post(&format!("/api/progress/{no}/cancel"), &json!({}))
            .await;
        assert_eq!(status, 200, "{cancelled}");
        let (_, home) = wang.get("/api/withdrawal").await;
        assert_eq!(home["unmet"], json!([]), "{home}");
        let (status, accepted) = wang
            .post(
                "/api/withdrawal",
                &json!({"amount": home["amount"], "idempotency_key": key(3)}),
            )
            .await;
        assert_eq!(status, 200, "{accepted}");
    }
}
