//! `spawn_app`: the real router on port 0 with a fresh database, on SQLite and — when the test
//! command provides one — a real PostgreSQL (a fresh database per test).
#![allow(dead_code)]

pub mod batch;
pub mod citizen;
pub mod import;
pub mod loans;

use server::clock::Clock;
use server::db::Db;
use server::state::{AppState, Hall};
use shared::calendar::Calendar;
use shared::policy::Policy;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// Every store the tests must pass on. `HPF_REQUIRE_POSTGRES=1` (set by `./hall test`) makes a
/// missing PostgreSQL a failure rather than a silent skip.
pub fn stores() -> Vec<Store> {
    let mut stores = vec![Store::Sqlite];
    match std::env::var("HPF_TEST_POSTGRES_URL") {
        Ok(_) => stores.push(Store::Postgres),
        Err(_) if std::env::var("HPF_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("HPF_REQUIRE_POSTGRES=1 but HPF_TEST_POSTGRES_URL is not set")
        }
        Err(_) => eprintln!("note: HPF_TEST_POSTGRES_URL not set, PostgreSQL leg skipped"),
    }
    stores
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique_name(prefix));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A URL of a fresh, empty database of the store.
pub async fn fresh_database_url(store: Store) -> String {
    match store {
        Store::Sqlite => format!(
            "sqlite://{}/hpf.db?mode=rwc",
            temp_dir("hpf_sqlite").display()
        ),
        Store::Postgres => {
            use sqlx::Connection;
            let base = std::env::var("HPF_TEST_POSTGRES_URL").expect("HPF_TEST_POSTGRES_URL");
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&base)
                .await
                .expect("connect to PostgreSQL");
            let name = unique_name("hpf_test");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create database");
            admin.close().await.ok();
            let (prefix, _) = base.rsplit_once('/').expect("a database URL with a path");
            format!("{prefix}/{name}")
        }
    }
}

pub struct TestApp {
    pub address: String,
    /// The database's URL (for the command-line tools).
    pub url: String,
    pub clock: Clock,
    pub db: Db,
    pub client: reqwest::Client,
    pub store: Store,
    /// The key the app seals personal data with.
    pub key: Arc<server::protect::DataKey>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

pub struct Options {
    pub dist: Option<PathBuf>,
    pub demo: bool,
    pub clock: Option<&'static str>,
    pub policy: Policy,
    pub accounts: server::account::AccountConfig,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dist: None,
            demo: true,
            clock: Some("2018-01-05T10:00:00+08:00"),
            policy: Policy::default(),
            accounts: server::account::AccountConfig::default(),
        }
    }
}

pub async fn spawn_app(store: Store, options: Options) -> TestApp {
    let url = fresh_database_url(store).await;
    let db = Db::connect(&url, 8).await.expect("connect and migrate");
    let clock = options
        .clock
        .map_or_else(Clock::real, |c| Clock::parse(c).expect("clock"));
    // Every test app seals personal data under a key of its own.
    let key = server::protect::DataKey::from_hex(&server::protect::DataKey::generate_hex())
        .expect("a data key");
    server::protect::prepare(&db, &key).await.expect("data key");
    if options.demo {
        server::demo::load(
            &db,
            &key,
            &shared::fund::default_deposit_rates(),
            &clock.now().to_rfc3339(),
        )
        .await
        .expect("demo data");
    }
    let state = AppState::from(Hall {
        db: db.clone(),
        clock: clock.clone(),
        calendar: Arc::new(Calendar::embedded()),
        policy: Arc::new(options.policy),
        accounts: Arc::new(options.accounts),
        key: Arc::new(key),
    });
    let key = Arc::clone(&state.key);
    let app = server::http::router(state, options.dist);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve")
    });
    TestApp {
        address,
        url,
        clock,
        db,
        client: reqwest::Client::new(),
        store,
        key,
    }
}

/// The demo at the seed's clock with the browser-test hooks on (captcha answers, SMS outbox).
pub async fn app_with_hooks(store: Store) -> TestApp {
    spawn_app(
        store,
        Options {
            accounts: server::account::AccountConfig {
                test_hooks: true,
                // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                captchas_per_minute: u32::MAX,
                ..server::account::AccountConfig::default()
            },
            ..Options::default()
        },
    )
    .await
}
