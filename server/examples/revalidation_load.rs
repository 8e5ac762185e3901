//! Load benchmark of the trial re-validation endpoint (POST /api/loans/{no}/prepayment), next to a
//! bare axum handler on the same machine, both over real HTTP on loopback.
//!
//! `cargo run --release -p server --example revalidation_load [requests] [concurrency]`
//!
//! The prepayment is sent with figures that differ from the server's, so every request does the
//! whole re-validation (session, reload of the loan, parse, policy at the business time, the
//! `shared` trial, comparison) and answers 409 without writing: repeatable, and it never fills the
//! one-open-application slot. Bounded: a fixed number of requests, loopback only.

use axum::routing::get;
use axum::Router;
use serde_json::json;
use server::account::{password, session, AccountConfig};
use server::clock::Clock;
use server::db::Db;
use server::state::{AppState, Hall};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve")
    });
    address
}

/// Sends `requests` requests, `concurrency` at a time; returns (elapsed, answers by status).
async fn load(
    requests: usize,
    concurrency: usize,
    send: Arc<dyn Fn() -> reqwest::RequestBuilder + Send + Sync>,
) -> (Duration, Vec<u16>) {
    let started = Instant::now();
    let per_worker = requests / concurrency;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let send = send.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::with_capacity(per_worker);
                for _ in 0..per_worker {
                    let response = send().send().await.expect("request");
                    statuses.push(response.status().as_u16());
                    let _ = response.bytes().await;
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for worker in workers {
        statuses.extend(worker.await.expect("worker"));
    }
    (started.elapsed(), statuses)
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let requests = args.first().copied().unwrap_or(20_000);
    let concurrency = args.get(1).copied().unwrap_or(32).max(1);

    let dir = std::env::temp_dir().join(format!("hpf-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = Db::connect(&format!("sqlite://{}/hpf.db?mode=rwc", dir.display()), 16)
        .await
        .expect("database");
    let clock = Clock::parse("2018-01-05T10:00:00+08:00").expect("clock");
    let key = server::protect::DataKey::from_hex(&server::protect::DataKey::generate_hex())
        .expect("a data key");
    server::protect::prepare(&db, &key).await.expect("data key");
    server::demo::load(
        &db,
        &key,
        &shared::fund::default_deposit_rates(),
        &clock.now().to_rfc3339(),
    )
    .await
    .expect("demo data");
    let state = AppState::from(Hall {
        db: db.clone(),
        clock,
        calendar: Arc::new(shared::calendar::Calendar::embedded()),
        policy: Arc::new(shared::policy::Policy::default()),
        accounts: Arc::new(AccountConfig {
            idle_timeout_seconds: 3600,
            ..AccountConfig::default()
        }),
        key: Arc::new(key),
    });
    // 佟一's web account and a session, made directly: the benchmark measures the trial path.
    let hash = password::hash("Tong2018!".into()).await.expect("hash");
    sqlx::query("INSERT INTO web_accounts (personal_account, id_number, phone, password_hash, created_at, password_changed_at) VALUES ('3816301', $2, $3, $1, 0, 0)")
        .bind(hash)
        .bind(state.key.lookup("220102198005202134"))
        .bind(state.key.lookup("13904310002"))
        .execute(&db.pool)
        .await
        .expect("account");
    let cookie = session::start(&state, "3816301").await.expect("session");
    let cookie = cookie.split(';').next().expect("cookie").to_owned();
    let list_cookie = cookie.clone();

    let hall = serve(server::http::router(state, None)).await;
    let bare = serve(Router::new().route("/", get(|| async { "ok" }))).await;
    let client = reqwest::Client::new();

    let body = json!({"date": "20180110", "amount": "10000", "mode": "shorter_term", "idempotency_key": "load-test-key-0000000001",
        "shown": {"prepay_principal": "10000.00", "prepay_interest": "0.00", "refund_interest": "0.00", "total": "10000.00",
                  "new_balance": "636609.84", "new_remaining_periods": 266, "new_monthly_payment": "3362.48", "new_maturity_date": "2040-02-28"}});
    let url = format!("{hall}/api/loans/2015000211/prepayment");
    let trial: Arc<dyn Fn() -> reqwest::RequestBuilder + Send + Sync> = {
        let client = client.clone();
        Arc::new(move || {
            client
                .post(&url)
                .header("cookie", &cookie)
                .header("x-hpf-csrf", "1")
                .json(&body)
        })
    };
    // An authenticated read: the loan list (the session with the header, the loans with their
    // open applications — two queries, no write).
    let list_url = format!("{hall}/api/loans");
    let loan_list: Arc<dyn Fn() -> reqwest::RequestBuilder + Send + Sync> = {
        let (client, cookie) = (client.clone(), list_cookie.clone());
        Arc::new(move || client.get(&list_url).header("cookie", &cookie))
    };
    let bare_handler: Arc<dyn Fn() -> reqwest::RequestBuilder + Send + Sync> = {
        let client = client.clone();
        Arc::new(move || client.get(&bare))
    };

    // Warm up both, then measure.
    load(concurrency * 10, concurrency, trial.clone()).await;
    load(concurrency * 10, concurrency, bare_handler.clone()).await;
    load(concurrency * 10, concurrency, loan_list.clone()).await;
    let (trial_time, trial_statuses) = load(requests, concurrency, trial).await;
    let (list_time, list_statuses) = load(requests, concurrency, loan_list).await;
    let (bare_time, bare_statuses) = load(requests, concurrency, bare_handler).await;
    assert!(
        trial_statuses.iter().all(|s| *s == 409),
        "every re-validation must answer 409 figures_changed"
    );
    assert!(bare_statuses.iter().all(|s| *s == 200));
    assert!(list_statuses.iter().all(|s| *s == 200));
    let rate = |n: usize, t: Duration| n as f64 / t.as_secs_f64();
    println!(
        "requests {}, concurrency {concurrency}",
        trial_statuses.len()
    );
    println!(
        "trial re-validation (POST prepayment → 409 fresh figures): {:>8.0} req/s",
        rate(trial_statuses.len(), trial_time)
    );
    println!(
        "loan list (GET /api/loans, authenticated):               {:>8.0} req/s",
        rate(list_statuses.len(), list_time)
    );
    println!(
        "bare axum handler (GET / → \"ok\"):                        {:>8.0} req/s",
        rate(bare_statuses.len(), bare_time)
    );
    println!(
        "loan list / bare: {:.0} %",
        100.0 * rate(list_statuses.len(), list_time) / rate(bare_statuses.len(), bare_time)
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
