//! 短信验证码 through real HTTP: expiry, single use, wrong entries, resend and caps, answers that
//! do not tell who owns a phone, and the HTTP gateway sender against a real local endpoint.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, spawn_app, stores, Options, Store};
use serde_json::json;
use server::account::AccountConfig;

#[tokio::test]
async fn sms_codes_expire_are_single_use_and_burn_after_five_wrong_entries() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        let phone = "13904310002";
        let register = |code: String| {
            let mut request = tong_yi();
            request["sms_code"] = json!(code);
            request["password"] = json!(PASSWORD);
            request["password_confirm"] = json!(PASSWORD);
            request["agreed"] = json!(true);
            request
        };
        // Expiry after five minutes.
        assert_eq!(citizen.send_sms("register", phone).await.0, 200);
        let code = citizen.sms_code(phone).await;
        app.clock.advance(301);
        let (_, body) = citizen.post("/api/account/register", &register(code)).await;
        assert_eq!(body["code"], "sms_code_expired");
        // Five wrong entries burn the code, even the right one after.
        assert_eq!(citizen.send_sms("register", phone).await.0, 200);
        let code = citizen.sms_code(phone).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let (_, body) = citizen
                .post("/api/account/register", &register(wrong.into()))
                .await;
            assert_eq!(body["code"], "sms_code_wrong");
        }
        let (_, body) = citizen.post("/api/account/register", &register(code)).await;
        assert_eq!(body["code"], "sms_code_expired");
        // Single use: the right code works once.
        app.clock.advance(61);
        assert_eq!(citizen.send_sms("register", phone).await.0, 200);
        let code = citizen.sms_code(phone).await;
        assert_eq!(
            citizen
                .post("/api/account/register", &register(code.clone()))
                .await
                .0,
            200
        );
        let (_, body) = citizen.post("/api/account/register", &register(code)).await;
        assert_eq!(body["code"], "sms_code_expired");
        // The code is stored hashed.
        let plain: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sms_codes WHERE LENGTH(code_hash) <> 64")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(plain, 0);
    }
}

#[tokio::test]
async fn sms_resend_waits_60_seconds_and_caps_per_hour_and_day() {
    let app = app_with_hooks(Store::Sqlite).await;
    let citizen = Citizen::new(&app);
    let phone = "13904310003";
    assert_eq!(citizen.send_sms("register", phone).await.0, 200);
    let (status, body) = citizen.send_sms("register", phone).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("sms_rate_limited"))
    );
    assert!(body["message"].as_str().unwrap().contains("秒后"));
    for _ in 0..4 {
        app.clock.advance(61);
        assert_eq!(citizen.send_sms("register", phone).await.0, 200);
    }
    app.clock.advance(61);
    let (status, body) = citizen.send_sms("register", phone).await;
    assert_eq!(status, 429);
    assert!(
        body["message"].as_str().unwrap().contains("一小时"),
        "{body}"
    );
    // Next hour: five more allowed, then the daily cap of ten.
    app.clock.advance(3600);
    for _ in 0..5 {
        assert_eq!(citizen.send_sms("register", phone).await.0, 200);
        app.clock.advance(61);
    }
    app.clock.advance(3600);
    let (status, body) = citizen.send_sms("register", phone).await;
    assert_eq!(status, 429);
    assert!(body["message"].as_str().unwrap().contains("今日"), "{body}");
    // 今日 is the calendar day in Asia/Shanghai: just after midnight the phone may ask again,
    // although ten codes went out within the last 24 hours.
    let since_midnight = chrono::Timelike::num_seconds_from_midnight(&app.clock.local_now().time());
    app.clock.advance(86_400 - i64::from(since_midnight) + 30);
    let (status, body) = citizen.send_sms("register", phone).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn one_resend_wait_per_phone_across_purposes_and_the_audit_names_the_masked_phone() {
    let app = app_with_hooks(Store::Sqlite).await;
    let citizen = Citizen::new(&app);
    let phone = "13904310003";
    assert_eq!(citizen.send_sms("register", phone).await.0, 200);
    // Another purpose does not get a second code within the wait.
    let (status, body) = citizen.send_sms("reset", phone).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("sms_rate_limited"))
    );
    assert!(body["message"].as_str().unwrap().contains("秒后"), "{body}");
    app.clock.advance(61);
    assert_eq!(citizen.send_sms("reset", phone).await.0, 200);
    let entries: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT result, detail FROM audit_log WHERE event = 'sms' ORDER BY at")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        entries,
        vec![
            ("register".to_owned(), Some("139****0003".to_owned())),
            ("reset".to_owned(), Some("139****0003".to_owned()))
        ]
    );
    // The whole phone number is nowhere in the audit log.
    let clear: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%13904310003%' OR client_ip LIKE '%13904310003%' \
         OR result LIKE '%13904310003%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(clear, 0);
}

#[tokio::test]
async fn the_sms_answer_does_not_tell_who_owns_the_phone() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        assert_eq!(citizen.register(&tong_yi(), PASSWORD).await.0, 200);
        // The registration's code was sent to this phone: one wait per phone, whatever the purpose.
        app.clock.advance(61);
        let registered = citizen.send_sms("reset", "13904310002").await;
        let member_unregistered = citizen.send_sms("reset", "13904310001").await;
        let unknown = citizen.send_sms("reset", "13700000000").await;
        assert_eq!(registered, member_unregistered);
        assert_eq!(registered, unknown);
        assert_eq!(registered.0, 200);
    }
}

/// A stand-in SMS provider on port 0 that records what it receives and answers `status`.
async fn gateway(
    status: u16,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
) {
    use axum::http::{HeaderMap, StatusCode};
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = received.clone();
    let app = axum::Router::new().route(
        "/send",
        axum::routing::post(
            move |headers: HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
                let log = log.clone();
                async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    log.lock().unwrap().push((auth, body));
                    StatusCode::from_u16(status).unwrap()
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

#[tokio::test]
async fn the_http_gateway_sender_posts_the_message_with_its_credential() {
    use server::account::sms::HttpGateway;
    use std::sync::Arc;
    for (status, expected) in [(200u16, 200u16), (503, 500)] {
        let (url, received) = gateway(status).await;
        let sms = Arc::new(HttpGateway {
            url,
            key: "centre-key".into(),
            template: "T100".into(),
            client: reqwest::Client::new(),
        });
        let app = spawn_app(
            Store::Sqlite,
            Options {
                accounts: AccountConfig {
                    test_hooks: true,
                    // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                    captchas_per_minute: u32::MAX,
                    sms,
                    ..AccountConfig::default()
                },
                ..Options::default()
            },
        )
        .await;
        let (answer, body) = Citizen::new(&app).send_sms("register", "13904310002").await;
        assert_eq!(answer, expected, "{body}");
        if expected == 500 {
            // The provider's failure is logged, never shown.
            assert_eq!(body["code"], "internal");
            assert_eq!(body["message"], "系统繁忙，请稍后再试");
        }
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 1);
        let (auth, message) = &received[0];
        assert_eq!(auth, "Bearer centre-key");
        assert_eq!(message["to"], "13904310002");
        assert_eq!(message["template"], "T100");
        assert!(message["text"].as_str().unwrap().contains("验证码"));
        // Nothing went to the demo outbox.
        let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_outbox")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(outbox, 0);
    }
}
