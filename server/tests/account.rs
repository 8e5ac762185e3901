//! 注册 / 登录 / 忘记密码 through real HTTP on SQLite and PostgreSQL.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, spawn_app, stores, Options, Store};
use serde_json::json;
use server::account::AccountConfig;

/// `n` logins of `username` sent at once (their captchas solved first, so that the logins
/// themselves arrive together): each answer's status and body.
async fn login_burst(
    citizen: &Citizen<'_>,
    username: &'static str,
    password: &'static str,
    n: usize,
) -> Vec<(u16, serde_json::Value)> {
    let mut solved = Vec::new();
    for _ in 0..n {
        solved.push(citizen.captcha().await);
    }
    let mut burst = tokio::task::JoinSet::new();
    for (id, answer) in solved {
        let (http, url) = (citizen.http.clone(), citizen.app.url("/api/account/login"));
        burst.spawn(async move {
            let response = http
                .post(url)
                .header("x-hpf-csrf", "1")
                .json(&json!({"username": username, "password": password,
                              "captcha_id": id, "captcha": answer}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json().await.unwrap())
        });
    }
    let mut answers = Vec::new();
    while let Some(answer) = burst.join_next().await {
        answers.push(answer.unwrap());
    }
    answers
}

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
async fn sessions_rotate_at_login_end_at_logout_and_when_idle() {
    for store in stores() {
        let app = spawn_app(
            store,
            Options {
                accounts: AccountConfig {
                    test_hooks: true,
                    // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                    captchas_per_minute: u32::MAX,
                    idle_timeout_seconds: 60,
                    ..AccountConfig::default()
                },
                ..Options::default()
            },
        )
        .await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        let (id, answer) = citizen.captcha().await;
        let response = citizen
            .http
            .post(app.url("/api/account/login"))
            .header("x-hpf-csrf", "1")
            .json(&json!({"username": "13904310002", "password": PASSWORD, "captcha_id": id, "captcha": answer}))
            .send()
            .await
            .unwrap();
        let first = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            first.contains("HttpOnly")
                && first.contains("SameSite=Strict")
                && first.contains("Path=/"),
            "{first}"
        );
        assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(sessions, 2, "each login makes a new session id");
        // The old cookie still names its own session, not the new one.
        let old = reqwest::Client::new()
            .get(app.url("/api/account/me"))
            .header("cookie", first.split(';').next().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(old.status(), 200);

        // Reads within a minute write nothing: last_seen moves a minute at a time.
        let seen = || async {
            sqlx::query_scalar::<_, i64>("SELECT MAX(last_seen_at) FROM sessions")
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
        };
        let before = seen().await;
        app.clock.advance(30);
        assert_eq!(citizen.get("/api/account/me").await.0, 200);
        assert_eq!(
            seen().await,
            before,
            "an authenticated read within the minute wrote"
        );
        app.clock.advance(31);
        assert_eq!(citizen.get("/api/account/me").await.0, 200);
        assert_eq!(seen().await, before + 61, "a minute on, it is written");
        // Idle: the timeout (60 s here) and at most a minute more without a request ends it.
        app.clock.advance(121);
        let (status, body) = citizen.get("/api/account/me").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("session_expired"))
        );

        // Logout ends it on the server.
        assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);
        assert_eq!(citizen.get("/api/account/me").await.0, 200);
        assert_eq!(citizen.post("/api/account/logout", &json!({})).await.0, 200);
        assert_eq!(citizen.get("/api/account/me").await.0, 401);
    }
}

#[tokio::test]
async fn the_absolute_lifetime_ends_even_a_busy_session() {
    let app = app_with_hooks(Store::Sqlite).await;
    let citizen = Citizen::new(&app);
    citizen.register(&tong_yi(), PASSWORD).await;
    citizen.login("13904310002", PASSWORD).await;
    // 34 × 14 minutes = 7 h 56 min, never idle for 15 minutes.
    for _ in 0..34 {
        app.clock.advance(14 * 60);
        assert_eq!(citizen.get("/api/account/me").await.0, 200);
    }
    app.clock.advance(14 * 60);
    assert_eq!(
        citizen.get("/api/account/me").await.0,
        401,
        "8 hours is the most"
    );
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
        server::demo::load(&app.db, &app.key, "2018-01-05T10:00:00+08:00")
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM web_accounts")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 4, "周九, 吴十, 钱二, 郑三");
    }
}

/// Thirty wrong passwords at once for one account: five are verified at most (four answered
/// with the attempts left, the fifth locks), the other twenty-five are refused as locked without
/// a verification, and the right password sent after them is locked out too.
#[tokio::test]
async fn a_burst_of_wrong_passwords_is_verified_five_times_at_most() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        // Setup: thirty captchas solved first, so the logins themselves arrive together.
        let codes: Vec<String> = login_burst(&citizen, "13904310002", "Wrong2018!", 30)
            .await
            .into_iter()
            .map(|(_, body)| body["code"].as_str().unwrap().to_owned())
            .collect();
        let count = |code: &str| codes.iter().filter(|c| *c == code).count();
        assert_eq!(
            (count("login_failed"), count("account_locked")),
            (4, 26),
            "{codes:?}"
        );
        // Exactly five passwords were checked: the audit log has one entry per verification.
        let verified: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE event = 'login' AND result = 'wrong_password'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(verified, 5);
        let (status, body) = citizen.login("13904310002", PASSWORD).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("account_locked"))
        );
        // 忘记密码 proves the phone and clears the lock (after the SMS wait since registering).
        app.clock.advance(61);
        let (status, body) = citizen.send_sms("reset", "13904310002").await;
        assert_eq!(status, 200, "{body}");
        let code = citizen.sms_code("13904310002").await;
        let (status, body) = citizen
            .post(
                "/api/account/reset",
                &json!({"name": "佟一", "id_type": "id_card", "id_number": "220102198005202134",
                        "phone": "13904310002", "sms_code": code, "password": "Anew2018!",
                        "password_confirm": "Anew2018!"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(citizen.login("13904310002", "Anew2018!").await.0, 200);
    }
}

/// A name nobody registered is answered exactly like a registered one, step by step, lock
/// included: nothing tells a script which names exist.
#[tokio::test]
async fn an_unknown_name_gets_the_same_answers_as_a_registered_one_lock_included() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        for _ in 0..7 {
            let registered = citizen.login("220102198005202134", "Wrong2018!").await;
            let unknown = citizen.login("11010519491231002X", "Wrong2018!").await;
            assert_eq!(registered, unknown);
        }
        // Still the same after the lock, however long is left.
        app.clock.advance(5 * 60);
        let registered = citizen.login("220102198005202134", "Wrong2018!").await;
        let unknown = citizen.login("11010519491231002X", "Wrong2018!").await;
        assert_eq!(registered, unknown);
        assert_eq!(unknown.1["code"], "account_locked");
        assert!(
            unknown.1["message"].as_str().unwrap().contains("25分钟"),
            "{unknown:?}"
        );
    }
}

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

/// Password checks run a few at a time: with one worker and a queue of two, a burst of logins
/// gets at most three turns and the rest are told at once that the hall is busy (503) — without
/// an attempt counted against the account.
#[tokio::test]
async fn a_burst_beyond_the_argon2_workers_and_queue_is_answered_busy() {
    let app = spawn_app(
        Store::Sqlite,
        Options {
            accounts: AccountConfig {
                test_hooks: true,
                // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                captchas_per_minute: u32::MAX,
                argon2: std::sync::Arc::new(server::account::password::Gate::new(1, 2)),
                ..AccountConfig::default()
            },
            ..Options::default()
        },
    )
    .await;
    let citizen = Citizen::new(&app);
    let answers: Vec<(u16, String)> = login_burst(&citizen, "13904310008", "Wrong2018!", 12)
        .await
        .into_iter()
        .map(|(status, body)| (status, body["message"].as_str().unwrap_or("").to_owned()))
        .collect();
    let busy: Vec<_> = answers.iter().filter(|(s, _)| *s == 503).collect();
    let checked = answers.iter().filter(|(s, _)| *s == 401).count();
    // (The gate's exact arithmetic is unit-tested; here the requests' arrival is up to the
    // network, so only that the burst overflowed it.)
    assert!(!busy.is_empty() && checked >= 1, "{answers:?}");
    assert_eq!(busy[0].1, "系统繁忙，请稍后再试");
    assert_eq!(busy.len() + checked, 12);
    // Only the turns taken counted as attempts.
    let attempts: i64 = sqlx::query_scalar(
        "SELECT failed_logins FROM login_throttle WHERE throttle_key LIKE 'member:%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(attempts as usize, checked);
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

/// 短信验证码登录: the phone's code logs its web account in — also when wrong passwords locked
/// the password (a stranger cannot keep the citizen out), and the lock goes with it.
#[tokio::test]
async fn a_citizen_logs_in_with_an_sms_code_even_when_the_password_is_locked() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        for _ in 0..5 {
            citizen.login("13904310002", "Wrong2018!").await;
        }
        assert_eq!(
            citizen.login("13904310002", PASSWORD).await.1["code"],
            "account_locked"
        );

        app.clock.advance(61);
        let (status, body) = citizen.send_sms("login", "13904310002").await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = citizen
            .post(
                "/api/account/login-sms",
                &json!({"phone": "13904310002", "sms_code": "000000"}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("sms_code_wrong"))
        );
        let code = citizen.sms_code("13904310002").await;
        let (status, body) = citizen
            .post(
                "/api/account/login-sms",
                &json!({"phone": "13904310002", "sms_code": code}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, me) = citizen.get("/api/account/me").await;
        assert_eq!((status, me["name"].as_str()), (200, Some("佟一")));
        // The code is spent; the password lock is lifted.
        let (status, _) = citizen
            .post(
                "/api/account/login-sms",
                &json!({"phone": "13904310002", "sms_code": code}),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);

        // A phone with no web account: only its holder, with the code, learns that.
        let stranger = Citizen::new(&app);
        assert_eq!(stranger.send_sms("login", "13904310001").await.0, 200);
        let code = stranger.sms_code("13904310001").await;
        let (status, body) = stranger
            .post(
                "/api/account/login-sms",
                &json!({"phone": "13904310001", "sms_code": code}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("not_registered"))
        );
        assert_eq!(stranger.get("/api/account/me").await.0, 401);
    }
}

/// However a phone or an ID number is typed (+86, spaces, dashes, or the member's other login
/// name), the attempts count on one counter — the member's, registered or not — so typing a name
/// two ways tells nothing about who registered; and the fifth failure's lock is set by the claim
/// itself, so it has an end even if that request never finishes.
#[tokio::test]
async fn every_way_of_typing_a_name_counts_on_one_counter_for_everyone() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        citizen.register(&tong_yi(), PASSWORD).await;
        let ways = |phone: &str, id: &str| {
            vec![
                phone.to_owned(),
                format!("+86 {} {} {}", &phone[..3], &phone[3..7], &phone[7..]),
                format!("86-{phone}"),
                id.to_owned(),
            ]
        };
        // Registered (佟一), a member who never registered (冯七), nobody at all.
        let people = [
            ways("13904310002", "220102198005202134"),
            ways("13904310001", "220102197803121510"),
            ways("13700000000", "11010519491231002X"),
        ];
        let mut answers: Vec<Vec<String>> = Vec::new();
        for names in &people {
            let mut messages = Vec::new();
            for name in names {
                let (_, body) = citizen.login(name, "Wrong2018!").await;
                messages.push(body["message"].as_str().unwrap().to_owned());
            }
            answers.push(messages);
        }
        // Nobody's ID number is nobody's phone: its last name is a counter of its own.
        assert_eq!(
            answers[0],
            vec![
                "用户名或密码错误，还可尝试4次",
                "用户名或密码错误，还可尝试3次",
                "用户名或密码错误，还可尝试2次",
                "用户名或密码错误，还可尝试1次"
            ]
        );
        assert_eq!(answers[1], answers[0]);
        assert_eq!(answers[2][..3], answers[0][..3]);
        // The lock is there as soon as the fifth attempt is claimed.
        let (_, body) = citizen.login("13904310002", "Wrong2018!").await;
        assert_eq!(body["code"], "account_locked");
        let until: Option<i64> = sqlx::query_scalar(
            "SELECT locked_until FROM login_throttle WHERE throttle_key LIKE 'member:%' AND failed_logins = 5",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(until.is_some());
    }
}
