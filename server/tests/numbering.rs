//! 申请编号 and 提取材料编号 under many concurrent writers, on SQLite and PostgreSQL: every
//! submission answered (no 500, no false 已有办理中的业务), every number distinct, in order, in
//! the readable format (date or year, then an eight-digit sequence).

mod common;

use common::batch::TEN;
use common::citizen::{tong_yi, Citizen};
use common::loans::{app, copies_of_seed_loan, engine_loan, key, logged_in, prepayment_body};
use common::stores;
use serde_json::json;
use shared::loan::trial::AdjustMode;
use shared::policy::Policy;
use std::collections::BTreeSet;

const LOANS: usize = 60;
const MEMBERS: usize = 6;
const MATERIALS_EACH: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_get_distinct_application_numbers_in_order() {
    for store in stores() {
        // Setup: 佟一 with copies of his loan, one reservation to be made on each.
        let app = app(store, TEN, Policy::default()).await;
        let tong = logged_in(&app, tong_yi()).await;
        let loan = engine_loan(&tong, "2015000211").await;
        let borrowers: Vec<String> = copies_of_seed_loan(&app, "77", LOANS, None)
            .await
            .into_iter()
            .map(|(_, borrower_no)| borrower_no)
            .collect();
        // Exec: every reservation at once.
        let mut submissions = tokio::task::JoinSet::new();
        for (i, borrower_no) in borrowers.iter().enumerate() {
            let body = prepayment_body(
                &loan,
                "20180109",
                "10000",
                AdjustMode::LowerPayment,
                key(100 + i),
            );
            let (http, url) = (
                tong.http.clone(),
                app.url(&format!("/api/loans/{borrower_no}/prepayment")),
            );
            submissions.spawn(async move { post(&http, &url, &body).await });
        }
        let mut numbers = BTreeSet::new();
        while let Some(answer) = submissions.join_next().await {
            let (status, body) = answer.unwrap();
            assert_eq!(status, 200, "{body}");
            numbers.insert(body["application_no"].as_str().unwrap().to_owned());
        }
        // Check: distinct, and the business date's sequence 1, 2, … with no gap.
        let expected: BTreeSet<String> = (1..=LOANS).map(|n| format!("20180105{n:08}")).collect();
        assert_eq!(numbers, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_material_additions_get_distinct_numbers() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        // Setup: several members (twins of 冯七, whose seed material is number 1), logged in.
        let mut members = Vec::new();
        for _ in 0..MEMBERS {
            let citizen = Citizen::new(&app);
            let (status, twin) = citizen
                .post(
                    "/api/test/twin",
                    &json!({"personal_account": "3934081", "password": "Twin2018!"}),
                )
                .await;
            assert_eq!(status, 200, "{twin}");
            let (status, body) = citizen
                .login(twin["phone"].as_str().unwrap(), "Twin2018!")
                .await;
            assert_eq!(status, 200, "{body}");
            members.push(citizen.http);
        }
        // Exec: each adds materials, all at once.
        let mut additions = tokio::task::JoinSet::new();
        for (m, http) in members.iter().enumerate() {
            for i in 0..MATERIALS_EACH {
                let idempotency_key = key(1000 + m * MATERIALS_EACH + i);
                let (http, url) = (http.clone(), app.url("/api/withdrawal/materials"));
                additions.spawn(async move {
                    let body = json!({"reason": "租赁自住住房", "address": format!("长春市{i}号"), "limit": "1000",
                                      "idempotency_key": idempotency_key});
                    post(&http, &url, &body).await
                });
            }
        }
        let mut numbers = BTreeSet::new();
        while let Some(answer) = additions.join_next().await {
            let (status, body) = answer.unwrap();
            assert_eq!(status, 200, "{body}");
            numbers.insert(body["material_no"].as_str().unwrap().to_owned());
        }
        // The year's series goes on after the seed's material 22001010001800000001.
        let expected: BTreeSet<String> = (2..=MEMBERS * MATERIALS_EACH + 1)
            .map(|n| format!("2200101000180{n:07}"))
            .collect();
        assert_eq!(numbers, expected);
    }
}

/// A state-changing request as the browser sends it: its status and JSON answer.
async fn post(
    http: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = http
        .post(url)
        .header("x-hpf-csrf", "1")
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}
