//! 登录 under pressure, through real HTTP on SQLite and PostgreSQL: bursts of wrong passwords
//! (five verifications at most), names nobody registered answered like registered ones, the
//! Argon2 gate's 503, and 短信验证码登录 as the way in when a stranger locked the password.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, spawn_app, stores, Options, Store};
use serde_json::json;
use server::account::AccountConfig;

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
