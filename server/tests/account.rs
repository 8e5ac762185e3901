//! 注册 / 登录 / 忘记密码 through real HTTP on SQLite and PostgreSQL.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, spawn_app, stores, Options, Store};
use serde_json::json;

#[tokio::test]
async fn register_then_log_in_by_id_number_or_phone() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        let (status, body) = citizen.register(&tong_yi(), PASSWORD).await;
        assert_eq!(status, 200, "{store:?} {body}");
        let (status, body) = citizen.login("220102198005202134", PASSWORD).await;
        assert_eq!(status, 200, "{body}");
        let (status, me) = citizen.get("/api/account/me").await;
        assert_eq!(status, 200);
        assert_eq!(me["name"], "佟一");
        assert_eq!(me["id_number"], "220102********2134");
        assert_eq!(me["phone"], "139****0002");
        assert_eq!(me["unit_name"], "公司六七七七");

        let phone_user = Citizen::new(&app);
        assert_eq!(phone_user.login("139 0431 0002", PASSWORD).await.0, 200);
        // One web account per member (after the 60 s resend wait).
        app.clock.advance(61);
        let again = Citizen::new(&app).register(&tong_yi(), "Other2018!").await;
        assert_eq!(
            (again.0, again.1["code"].as_str()),
            (422, Some("already_registered"))
        );
        // The password is stored as Argon2id, never as typed.
        let hash: String = sqlx::query_scalar(
            "SELECT password_hash FROM web_accounts WHERE personal_account = '3816301'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains(PASSWORD));
    }
}

#[tokio::test]
async fn three_factors_must_match_without_saying_which() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        for (field, value) in [("name", "佟二"), ("phone", "13904310009")] {
            let mut who = tong_yi();
            who[field] = json!(value);
            let (status, body) = citizen.register(&who, PASSWORD).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (422, Some("three_factor_mismatch")),
                "{field}"
            );
            assert_eq!(
                body["message"],
                shared::account::wire::THREE_FACTOR_MISMATCH
            );
            assert!(
                body.get("field").is_none(),
                "must not say which factor differs"
            );
            app.clock.advance(61);
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM web_accounts WHERE personal_account = '3816301'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(count, 0);
    }
}

#[tokio::test]
async fn weak_passwords_are_refused_rule_by_rule() {
    let app = app_with_hooks(Store::Sqlite).await;
    let citizen = Citizen::new(&app);
    for (password, rule) in [
        ("a1!", "6-16位"),
        ("12345678", "9位以下纯数字"),
        ("abcdefgh", "两种或三种"),
        ("abc 1234", "符号组成"),
    ] {
        let mut request = tong_yi();
        request["sms_code"] = json!("000000");
        request["password"] = json!(password);
        request["password_confirm"] = json!(password);
        request["agreed"] = json!(true);
        let (status, body) = citizen.post("/api/account/register", &request).await;
        assert_eq!(
            (status, body["code"].as_str(), body["field"].as_str()),
            (422, Some("password_weak"), Some("password"))
        );
        assert!(
            body["message"].as_str().unwrap().contains(rule),
            "{password}: {body}"
        );
    }
    let mut request = tong_yi();
    request["password"] = json!(PASSWORD);
    request["password_confirm"] = json!("Different1!");
    request["sms_code"] = json!("000000");
    request["agreed"] = json!(true);
    let (_, body) = citizen.post("/api/account/register", &request).await;
    assert_eq!(body["code"], "password_mismatch");
    request["id_type"] = json!("passport");
    let (_, body) = citizen.post("/api/account/register", &request).await;
    assert_eq!(
        (body["code"].as_str(), body["field"].as_str()),
        (Some("id_type_unsupported"), Some("id_type"))
    );
}

#[tokio::test]
async fn captchas_are_case_insensitive_single_use_and_expire() {
    let app = app_with_hooks(Store::Sqlite).await;
    let citizen = Citizen::new(&app);
    citizen.register(&tong_yi(), PASSWORD).await;
    let login = |id: String, answer: String| json!({"username": "13904310002", "password": PASSWORD, "captcha_id": id, "captcha": answer});
    // Wrong.
    let (id, _) = citizen.captcha().await;
    let (status, body) = citizen
        .post("/api/account/login", &login(id.clone(), "ZZZZ".into()))
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["field"].as_str()),
        (422, Some("captcha_wrong"), Some("captcha"))
    );
    // A captcha is spent by any attempt, even a wrong one.
    let (_, body) = citizen
        .post("/api/account/login", &login(id, "ZZZZ".into()))
        .await;
    assert_eq!(body["code"], "captcha_expired");
    // Expired after two minutes.
    let (id, answer) = citizen.captcha().await;
    app.clock.advance(121);
    let (_, body) = citizen.post("/api/account/login", &login(id, answer)).await;
    assert_eq!(body["code"], "captcha_expired");
    // Case-insensitive, and reused is refused.
    let (id, answer) = citizen.captcha().await;
    assert_eq!(
        citizen
            .post(
                "/api/account/login",
                &login(id.clone(), answer.to_lowercase())
            )
            .await
            .0,
        200
    );
    let (_, body) = citizen.post("/api/account/login", &login(id, answer)).await;
    assert_eq!(body["code"], "captcha_expired");
}

#[tokio::test]
async fn five_failures_lock_for_thirty_minutes_and_unknown_users_look_the_same() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        let unknown = citizen.login("11010519491231002X", "Wrong2018!").await;
        let wrong = citizen.login("220102198005202134", "Wrong2018!").await;
        assert_eq!(
            unknown, wrong,
            "wrong user and wrong password must look the same"
        );
        assert_eq!(wrong.1["code"], "login_failed");
        assert_eq!(wrong.1["message"], "用户名或密码错误，还可尝试4次");
        for left in [3, 2, 1] {
            let (_, body) = citizen.login("220102198005202134", "Wrong2018!").await;
            assert_eq!(body["code"], "login_failed");
            assert_eq!(
                body["message"],
                format!("用户名或密码错误，还可尝试{left}次")
            );
        }
        let (status, body) = citizen.login("220102198005202134", "Wrong2018!").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("account_locked"))
        );
        // Locked: even the right password is refused, with the remaining time.
        app.clock.advance(10 * 60);
        let (_, body) = citizen.login("220102198005202134", PASSWORD).await;
        assert_eq!(body["code"], "account_locked");
        assert!(
            body["message"].as_str().unwrap().contains("20分钟"),
            "{body}"
        );
        // The way in a stranger cannot block is named.
        assert!(
            body["message"].as_str().unwrap().contains("忘记密码"),
            "{body}"
        );
        app.clock.advance(20 * 60 + 1);
        assert_eq!(citizen.login("220102198005202134", PASSWORD).await.0, 200);
        let events: Vec<(String, String)> = sqlx::query_as("SELECT event, result FROM audit_log WHERE event IN ('lock', 'login') ORDER BY at, event")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert!(events.contains(&("lock".into(), "locked".into())));
        assert!(events.contains(&("login".into(), "ok".into())));
        assert!(events.contains(&("login".into(), "unknown_user".into())));
    }
}

#[tokio::test]
async fn state_changes_without_the_csrf_header_or_from_another_origin_fail() {
    let app = app_with_hooks(Store::Sqlite).await;
    let client = reqwest::Client::new();
    // A cross-site HTML form post: no custom header, a foreign Origin.
    let form = client
        .post(app.url("/api/account/logout"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    let body: serde_json::Value = form.json().await.unwrap();
    assert_eq!(body["code"], "csrf_refused");
    let foreign = client
        .post(app.url("/api/account/captcha"))
        .header("x-hpf-csrf", "1")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let same_origin = client
        .post(app.url("/api/account/captcha"))
        .header("x-hpf-csrf", "1")
        .header("origin", app.address.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
    // The scheme and port count, not only the host.
    let host = app.address.trim_start_matches("http://").to_owned();
    for origin in [
        format!("evil://{host}"),
        format!("https://{host}"),
        format!("http://{}", host.split(':').next().unwrap()),
        "null".to_owned(),
    ] {
        let response = client
            .post(app.url("/api/account/captcha"))
            .header("x-hpf-csrf", "1")
            .header("origin", &origin)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{origin}");
    }
}

#[tokio::test]
async fn a_reset_ends_every_session_and_the_new_password_works() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        citizen.login("13904310002", PASSWORD).await;
        let other = Citizen::new(&app);
        // One SMS wait per phone: the registration's code went out a moment ago.
        app.clock.advance(61);
        assert_eq!(citizen.send_sms("reset", "13904310002").await.0, 200);
        let code = other.sms_code("13904310002").await;
        let mut request = tong_yi();
        request["sms_code"] = json!(code);
        request["password"] = json!("NewPass2018#");
        request["password_confirm"] = json!("NewPass2018#");
        let (status, body) = other.post("/api/account/reset", &request).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            citizen.get("/api/account/me").await.0,
            401,
            "the old session ended"
        );
        assert_eq!(
            other.login("13904310002", PASSWORD).await.1["code"],
            "login_failed"
        );
        assert_eq!(other.login("13904310002", "NewPass2018#").await.0, 200);
    }
}

#[tokio::test]
async fn test_hooks_are_off_by_default() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let citizen = Citizen::new(&app);
    let (status, body) = citizen.post("/api/account/captcha", &json!({})).await;
    assert_eq!(status, 200);
    assert!(body.get("answer").is_none());
    assert_eq!(citizen.get("/api/test/sms-outbox/13904310002").await.0, 404);
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let app = app_with_hooks(Store::Sqlite).await;
    let response = app.get("/api/health").await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn the_pre_registered_demo_accounts_log_in_with_the_documented_password() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        let (status, body) = citizen
            .login("220102198503108159", server::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(citizen.get("/api/account/me").await.1["name"], "周九");
        assert_eq!(
            Citizen::new(&app)
                .login("13904310009", server::demo::DEMO_PASSWORD)
                .await
                .0,
            200
        );
        for retiree in ["13904310010", "13904310011"] {
            let (status, body) = Citizen::new(&app)
                .login(retiree, server::demo::DEMO_PASSWORD)
                .await;
            assert_eq!(status, 200, "{body}");
        }
        // Loading the demo again keeps the accounts as they are.
        server::demo::load(
            &app.db,
            &app.key,
            &shared::fund::default_deposit_rates(),
            "2018-01-05T10:00:00+08:00",
        )
        .await
        .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM web_accounts")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 4, "周九, 吴十, 钱二, 郑三");
    }
}
