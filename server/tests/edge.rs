//! What reaches the hall, through real HTTP: the client address behind proxies, the origin a
//! state change must come from, 附加码 per client address, over-long paths and bodies, and the
//! request id every answer carries.

mod common;

use common::citizen::Citizen;
use common::{spawn_app, temp_dir, Options, Store};
use serde_json::{json, Value};
use server::account::AccountConfig;

/// Behind one trusted proxy the client is the entry that proxy appended (the rightmost); an
/// entry the client wrote itself (leftmost) is not believed. Without trusted proxies the header
/// is ignored altogether.
#[tokio::test]
async fn a_spoofed_forwarded_for_entry_is_not_the_client_address() {
    for (proxies, expected) in [(1, "203.0.113.7"), (0, "127.0.0.1")] {
        let app = spawn_app(
            Store::Sqlite,
            Options {
                accounts: AccountConfig {
                    test_hooks: true,
                    // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                    captchas_per_minute: u32::MAX,
                    trusted_proxies: proxies,
                    ..AccountConfig::default()
                },
                ..Options::default()
            },
        )
        .await;
        let citizen = Citizen::new(&app);
        let (id, answer) = citizen.captcha().await;
        let response = citizen
            .http
            .post(app.url("/api/account/login"))
            .header("x-hpf-csrf", "1")
            // The client wrote 6.6.6.6; the proxy appended the address it saw.
            .header("x-forwarded-for", "6.6.6.6, 203.0.113.7")
            .json(&json!({"username": "13904310002", "password": "Wrong2018!",
                          "captcha_id": id, "captcha": answer}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let addresses: Vec<String> =
            sqlx::query_scalar("SELECT client_ip FROM audit_log WHERE event = 'login'")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(addresses, vec![expected.to_owned()], "{proxies} proxies");
    }
}

/// With `--public-url`, exactly that origin may change state; the address the server happens to
/// be reached at does not.
#[tokio::test]
async fn the_public_url_is_the_one_origin_allowed() {
    let app = spawn_app(
        Store::Sqlite,
        Options {
            accounts: AccountConfig {
                origins: vec!["https://gjj.example.cn:443".into()],
                ..AccountConfig::default()
            },
            ..Options::default()
        },
    )
    .await;
    let client = reqwest::Client::new();
    let post = |origin: String| {
        client
            .post(app.url("/api/account/captcha"))
            .header("x-hpf-csrf", "1")
            .header("origin", origin)
            .send()
    };
    assert_eq!(
        post("https://gjj.example.cn".into())
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        post("http://gjj.example.cn".into()).await.unwrap().status(),
        403
    );
    assert_eq!(post(app.address.clone()).await.unwrap().status(), 403);
}

/// 附加码 are limited per client address (30 a minute by default): a script cannot fetch them by
/// the hundred to train on or to fill the database.
#[tokio::test]
async fn captchas_are_limited_per_client_address() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let client = reqwest::Client::new();
    let fetch = || {
        client
            .post(app.url("/api/account/captcha"))
            .header("x-hpf-csrf", "1")
            .send()
    };
    for _ in 0..30 {
        assert_eq!(fetch().await.unwrap().status(), 200);
    }
    let refused = fetch().await.unwrap();
    assert_eq!(refused.status(), 429);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "captcha_rate_limited");
    assert_eq!(body["message"], "获取附加码过于频繁，请稍后再试");
    // A minute later the citizen may ask again.
    app.clock.advance(61);
    assert_eq!(fetch().await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_over_long_path_segment_is_not_found_not_an_error() {
    let dist = temp_dir("hpf_dist_long");
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>x</title>").unwrap();
    let app = spawn_app(
        Store::Sqlite,
        Options {
            dist: Some(dist),
            ..Options::default()
        },
    )
    .await;
    let long = "a".repeat(300);
    for path in [
        format!("/{long}.js"),
        format!("/{long}"),
        format!("/loans/{long}/prepayment"),
        format!("/api/loans/{long}"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let api = app.get(&format!("/api/{long}")).await;
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    // 255 bytes is still a name: a client route of that length opens the app.
    assert_eq!(
        app.get(&format!("/{}", "b".repeat(255))).await.status(),
        200
    );
}

#[tokio::test]
async fn an_oversized_request_body_is_refused_before_it_is_read() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let big = format!(
        "{{\"username\":\"{}\",\"password\":\"x\",\"captcha_id\":\"x\",\"captcha\":\"x\"}}",
        "9".repeat(server::http::API_BODY_LIMIT)
    );
    let response = app
        .client
        .post(app.url("/api/account/login"))
        .header("x-hpf-csrf", "1")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "body_too_large");
    assert_eq!(body["message"], "提交的内容过大，请检查后重试");
    // A body that is not the request's shape: the hall's error, not serde's text.
    for bad in ["nonsense", "{\"username\":1}"] {
        let response = app
            .client
            .post(app.url("/api/account/login"))
            .header("x-hpf-csrf", "1")
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error(), "{bad}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "bad_request", "{bad}");
        assert_eq!(body["message"], "请求格式不正确，请刷新页面后重试");
    }
    // A real one is far below the limit.
    let small = app
        .client
        .post(app.url("/api/account/captcha"))
        .header("x-hpf-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), 200);
}

/// Every answer names its request (`X-Request-Id`): a sane id the caller sent is kept (a proxy's
/// id leads to the same log line), anything else is replaced by a new one.
#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let fresh = app.get("/api/health/live").await;
    let id = fresh.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.len() >= 8, "{id}");
    assert_ne!(
        app.get("/api/health/live").await.headers()["x-request-id"],
        id.as_str(),
        "a new id for each request"
    );
    for (sent, kept) in [
        ("proxy-1234abcd", true),
        ("bad id <script>", false),
        ("x", false),
    ] {
        let answer = app
            .client
            .get(app.url("/api/health/live"))
            .header("x-request-id", sent)
            .send()
            .await
            .unwrap();
        let echoed = answer.headers()["x-request-id"].to_str().unwrap();
        assert_eq!(echoed == sent, kept, "{sent} → {echoed}");
    }
}
