//! The foundation through real HTTP: health, the business clock, calendar and policy, static
//! files with their cache headers, and the demo data on both stores.

mod common;

use common::{spawn_app, stores, temp_dir, Options, Store};
use serde_json::Value;
use sqlx::Row;

#[tokio::test]
async fn health_reports_version_and_backend() {
    for store in stores() {
        let app = spawn_app(store, Options::default()).await;
        let response = app.get("/api/health").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        let expected = if store == Store::Sqlite {
            "sqlite"
        } else {
            "postgres"
        };
        assert_eq!(body["database"], expected);
    }
}

#[tokio::test]
async fn the_business_clock_is_the_configured_one() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let body: Value = app.get("/api/clock").await.json().await.unwrap();
    assert_eq!(body["date"], "2018-01-05");
    assert!(body["now"].as_str().unwrap().starts_with("2018-01-05T10:0"));
    assert!(body["now"].as_str().unwrap().ends_with("+08:00"));
    assert_eq!(body["fixed"], true);
    let real = spawn_app(
        Store::Sqlite,
        Options {
            clock: None,
            ..Options::default()
        },
    )
    .await;
    let body: Value = real.get("/api/clock").await.json().await.unwrap();
    assert_eq!(body["fixed"], false);
    assert!(body["now"].as_str().unwrap().ends_with("+08:00"));
}

#[tokio::test]
async fn calendar_and_policy_are_served_to_the_browser() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let calendar: shared::calendar::Calendar = app.get("/api/calendar").await.json().await.unwrap();
    assert_eq!(calendar, shared::calendar::Calendar::embedded());
    let policy: shared::policy::Policy = app.get("/api/policy").await.json().await.unwrap();
    assert_eq!(policy, shared::policy::Policy::default());
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app(Store::Sqlite, Options::default()).await;
    let response = app.get("/api/nothing/here").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn static_files_are_cached_by_hash_and_client_routes_fall_back() {
    let dist = temp_dir("hpf_dist");
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>公积金个人网厅</title>",
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "export {}").unwrap();
    std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), "{}").unwrap();
    let app = spawn_app(
        Store::Sqlite,
        Options {
            dist: Some(dist),
            ..Options::default()
        },
    )
    .await;

    let asset = app.get("/app-0123456789abcdef.js").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let wasm = app.get("/app-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    for path in ["/", "/login", "/loans/2015000211/prepayment"] {
        let page = app.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            page.text().await.unwrap().contains("公积金个人网厅"),
            "{path}"
        );
    }
    assert_eq!(app.get("/missing-0123456789abcdef.js").await.status(), 404);

    // The service worker is never cached by the browser's HTTP cache (so a new build reaches
    // it), and its own policy lets it fetch from this origin; other files may load nothing.
    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status(), 200);
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    assert_eq!(
        worker.headers()["content-security-policy"],
        "default-src 'self'"
    );
    assert!(worker.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status(), 200);
    assert_eq!(
        manifest.headers()["content-type"],
        "application/manifest+json"
    );
    assert!(asset.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    assert_eq!(
        app.get("/api/health").await.headers()["cache-control"],
        "no-store"
    );
}

#[tokio::test]
async fn demo_data_holds_the_seed_figures_exactly_and_loads_idempotently() {
    for store in stores() {
        let app = spawn_app(store, Options::default()).await;
        // Loading again changes nothing.
        server::demo::load(
            &app.db,
            &app.key,
            &shared::fund::default_deposit_rates(),
            "2018-01-05T10:00:00+08:00",
        )
        .await
        .unwrap();
        let count = |table: &'static str| {
            let pool = app.db.pool.clone();
            async move {
                sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get::<i64, _>("n")
            }
        };
        assert_eq!(count("members").await, 11);
        assert_eq!(count("loans").await, 4);
        // 冯七's material of the seed, 佟一's 失效 and 已用完 ones, 李梅's house.
        assert_eq!(count("withdrawal_materials").await, 3);
        assert_eq!(count("property_records").await, 1);

        let loan = sqlx::query(
            "SELECT l.balance_fen, l.amount_fen, l.monthly_payment_fen, l.remaining_periods, l.annual_rate, \
             l.last_due_date, l.maturity_date, l.due_day, l.repay_card_number, m.name, m.unit_account, m.unit_name \
             FROM loans l JOIN members m ON m.personal_account = l.personal_account WHERE l.borrower_no = $1",
        )
        .bind("2015000211")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(loan.get::<i64, _>("balance_fen"), 64_660_984);
        assert_eq!(loan.get::<i64, _>("amount_fen"), 69_000_000);
        assert_eq!(loan.get::<i64, _>("monthly_payment_fen"), 336_248);
        assert_eq!(loan.get::<i64, _>("remaining_periods"), 272);
        assert_eq!(loan.get::<String, _>("annual_rate"), "3.25");
        assert_eq!(loan.get::<String, _>("last_due_date"), "2017-12-28");
        assert_eq!(loan.get::<String, _>("maturity_date"), "2040-08-28");
        assert_eq!(loan.get::<i64, _>("due_day"), 28);
        // Stored sealed: it opens with the app's key to the seed's card.
        assert_eq!(
            shared::mask::card(
                &app.key
                    .open(&loan.get::<String, _>("repay_card_number"))
                    .unwrap()
            ),
            "621****1716"
        );
        assert_eq!(loan.get::<String, _>("name"), "佟一");
        assert_eq!(loan.get::<String, _>("unit_name"), "公司六七七七");

        let feng = sqlx::query("SELECT balance_fen, account_status, unit_account FROM members WHERE personal_account = $1")
            .bind("3934081")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(feng.get::<i64, _>("balance_fen"), 2_490_273);
        assert_eq!(feng.get::<String, _>("account_status"), "normal");
        assert_eq!(feng.get::<String, _>("unit_account"), "333");

        // The derived demo loans are consistent: 孙八 owes exactly one installment.
        let sun = sqlx::query(
            "SELECT arrears_fen, monthly_payment_fen FROM loans WHERE borrower_no = $1",
        )
        .bind("2016000305")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(sun.get::<i64, _>("arrears_fen") > 0);
    }
}

#[tokio::test]
async fn money_columns_refuse_what_cannot_be_money() {
    for store in stores() {
        let app = spawn_app(store, Options::default()).await;
        let negative =
            sqlx::query("UPDATE members SET balance_fen = -1 WHERE personal_account = $1")
                .bind("3934081")
                .execute(&app.db.pool)
                .await;
        assert!(
            negative.is_err(),
            "{store:?}: a negative balance must violate the CHECK"
        );
        let orphan = sqlx::query(
            "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, remaining_fen, status, created_at) \
             VALUES ('1', 'nobody', 'x', 'x', 0, 0, 'valid', 'now')",
        )
        .execute(&app.db.pool)
        .await;
        assert!(orphan.is_err(), "{store:?}: foreign keys must be enforced");
    }
}

#[tokio::test]
async fn assets_go_out_compressed_as_the_browser_accepts() {
    // Setup: an asset with the brotli and gzip copies the release build leaves beside it.
    let dist = temp_dir("hpf_dist_compressed");
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>x</title>").unwrap();
    let asset = "app-0123456789abcdef_bg.wasm";
    std::fs::write(dist.join(asset), b"\0asm plain").unwrap();
    std::fs::write(dist.join(format!("{asset}.br")), b"brotli bytes").unwrap();
    std::fs::write(dist.join(format!("{asset}.gz")), b"gzip bytes").unwrap();
    let app = spawn_app(
        Store::Sqlite,
        Options {
            dist: Some(dist),
            ..Options::default()
        },
    )
    .await;
    let fetch = |accept: Option<&'static str>| {
        let mut request = app.client.get(app.url(&format!("/{asset}")));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        async move { request.send().await.expect("request") }
    };

    // Exec / Check: the best copy the browser accepts, labelled, and Vary for caches.
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), Some("br"), "brotli bytes"),
        (Some("gzip"), Some("gzip"), "gzip bytes"),
        (Some("identity"), None, "\0asm plain"),
        (None, None, "\0asm plain"),
    ] {
        let response = fetch(accept).await;
        assert_eq!(response.status(), 200, "{accept:?}");
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned()),
            encoding.map(str::to_owned),
            "{accept:?}"
        );
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert!(response.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding"));
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.text().await.unwrap(), body, "{accept:?}");
    }
}

/// `live` is the process; `ready` is a database that answers and takes a write — and a database
/// that stops answering makes it 503 within 2 s, not a hang.
#[tokio::test]
async fn readiness_follows_the_database_and_answers_within_two_seconds() {
    for store in stores() {
        let app = spawn_app(store, Options::default()).await;
        assert_eq!(app.get("/api/health/live").await.status(), 200);
        let ready = app.get("/api/health/ready").await;
        assert_eq!(ready.status(), 200);
        let body: Value = ready.json().await.unwrap();
        assert_eq!(body["status"], "ready");
        if store != Store::Postgres {
            // SQLite: another process holds the write lock (a backup tool, a stuck writer): reads
            // work, writes wait — readiness says so within 2 s instead of waiting 10 s for it.
            use sqlx::Connection;
            let mut holder = sqlx::AnyConnection::connect(&app.url).await.unwrap();
            sqlx::query("BEGIN EXCLUSIVE")
                .execute(&mut holder)
                .await
                .unwrap();
            let asked = std::time::Instant::now();
            let locked = app.get("/api/health/ready").await;
            assert_eq!(locked.status(), 503);
            assert!(
                asked.elapsed() < std::time::Duration::from_millis(2500),
                "{:?}",
                asked.elapsed()
            );
            let body: Value = locked.json().await.unwrap();
            assert_eq!(body["status"], "unavailable");
            sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
            assert_eq!(app.get("/api/health/ready").await.status(), 200);
            continue;
        }
        // The database stops answering: its connections are cut and no new one is allowed.
        let name = app.url.rsplit('/').next().unwrap().to_owned();
        let admin = server::db::Db::connect(&std::env::var("HPF_TEST_POSTGRES_URL").unwrap(), 1)
            .await
            .unwrap();
        sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
            .execute(&admin.pool)
            .await
            .unwrap();
        sqlx::query(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .execute(&admin.pool)
        .await
        .unwrap();
        let asked = std::time::Instant::now();
        let down = app.get("/api/health/ready").await;
        assert_eq!(down.status(), 503);
        assert!(
            asked.elapsed() < std::time::Duration::from_millis(2500),
            "{:?}",
            asked.elapsed()
        );
        let body: Value = down.json().await.unwrap();
        assert_eq!(body["status"], "unavailable");
        assert!(
            body["reason"].as_str().unwrap().contains("database"),
            "{body}"
        );
        assert_eq!(app.get("/api/health/live").await.status(), 200);
        // Back: ready again.
        sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
            .execute(&admin.pool)
            .await
            .unwrap();
        let mut ready_again = false;
        for _ in 0..50 {
            if app.get("/api/health/ready").await.status() == 200 {
                ready_again = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(ready_again);
    }
}
