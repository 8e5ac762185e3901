//! Sessions through real HTTP on SQLite and PostgreSQL: a new session at login, its end at logout
//! and when idle, and the absolute lifetime that ends even a busy one.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, spawn_app, stores, Options, Store};
use serde_json::json;
use server::account::AccountConfig;

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

        // The same rules on every authenticated read: /api/loans reads the session with its
        // page in one query and applies them itself.
        for page in ["/api/account/me", "/api/loans"] {
            assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);
            // Reads within a minute write nothing: last_seen moves a minute at a time.
            let seen = || async {
                sqlx::query_scalar::<_, i64>("SELECT MAX(last_seen_at) FROM sessions")
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap()
            };
            let before = seen().await;
            app.clock.advance(30);
            assert_eq!(citizen.get(page).await.0, 200, "{page}");
            assert_eq!(
                seen().await,
                before,
                "an authenticated read of {page} within the minute wrote"
            );
            app.clock.advance(31);
            assert_eq!(citizen.get(page).await.0, 200, "{page}");
            assert_eq!(seen().await, before + 61, "a minute on, {page} writes it");
            // Idle: the timeout (60 s here) and at most a minute more without a request ends it,
            // and the ended session is gone from the table.
            app.clock.advance(121);
            let sessions = || async {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap()
            };
            let open = sessions().await;
            let (status, body) = citizen.get(page).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (401, Some("session_expired")),
                "{page}"
            );
            assert_eq!(
                sessions().await,
                open - 1,
                "{page} deletes the idle session"
            );

            // Logout ends it on the server.
            assert_eq!(citizen.login("13904310002", PASSWORD).await.0, 200);
            assert_eq!(citizen.get(page).await.0, 200, "{page}");
            assert_eq!(citizen.post("/api/account/logout", &json!({})).await.0, 200);
            assert_eq!(citizen.get(page).await.0, 401, "{page}");
            // No cookie at all, or a made-up one.
            let (status, body) = get_with_cookie(&app, page, None).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (401, Some("session_expired"))
            );
            let (status, _) = get_with_cookie(&app, page, Some("hpf_session=made-up")).await;
            assert_eq!(status, 401, "{page}");
        }
    }
}

async fn get_with_cookie(
    app: &common::TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// 冯七 has no loan: the list is the header alone (the session's row with empty loan columns).
#[tokio::test]
async fn a_member_without_a_loan_has_an_empty_list_with_the_header() {
    for store in stores() {
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        let feng = json!({"name": "冯七", "id_type": "id_card", "id_number": "220102197803121510", "phone": "13904310001"});
        assert_eq!(citizen.register(&feng, PASSWORD).await.0, 200);
        assert_eq!(citizen.login("13904310001", PASSWORD).await.0, 200);
        let (status, list) = citizen.get("/api/loans").await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["loans"], json!([]), "{store:?}");
        assert_eq!(list["header"]["name"], "冯七", "{store:?}");
        assert_eq!(list["header"]["personal_account"], "3934081", "{store:?}");
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
