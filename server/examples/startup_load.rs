//! Start-up time of `hpf serve --demo` with many imported loans (issue 15: ≤ 3 s with 100 000,
//! independent of the number of loans): imports N members and N loans (default 100 000) into a
//! fresh SQLite file — and a fresh PostgreSQL database when `HPF_TEST_POSTGRES_URL` names a
//! server — then starts the release `hpf` twice on it (the first start loads the demo, the second
//! finds it loaded) and times each from launch to `/api/health/ready` answering 200. It also
//! checks that the demo wrote nothing into an imported loan.
//!
//! `cargo build --release -p server --bin hpf --example startup_load &&
//!  target/release/examples/startup_load [N]`

use server::db::Db;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Seconds from launch to ready.
fn start(hpf: &std::path::Path, url: &str, key: &std::path::Path, dist: &std::path::Path) -> f64 {
    let port = free_port();
    let started = Instant::now();
    let mut child = Command::new(hpf)
        .args(["serve", "--demo", "--clock", "2018-01-05T10:00:00+08:00"])
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            url,
        ])
        .args(["--data-key-file", key.to_str().unwrap()])
        .args(["--dist", dist.to_str().unwrap(), "--log-level", "warn"])
        .stderr(Stdio::inherit())
        .spawn()
        .expect("hpf");
    let ready = format!("http://127.0.0.1:{port}/api/health/ready");
    loop {
        let ok = Command::new("curl")
            .args(["-fs", "-o", "/dev/null", &ready])
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "not ready");
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed().as_secs_f64();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
    took
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(100_000, |a| a.parse().expect("N"));
    let hpf = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|examples| examples.parent())
        .unwrap()
        .join("hpf");
    assert!(
        hpf.is_file(),
        "build hpf first: cargo build --release -p server --bin hpf"
    );
    let dir = std::env::temp_dir().join(format!("hpf_startup_load_{}", std::process::id()));
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(dir.join("dist/index.html"), "<!DOCTYPE html>").unwrap();
    let (members, loans) = common::write_csv(&dir, n);
    let hex = server::protect::DataKey::generate_hex();
    std::fs::write(dir.join("data.key"), &hex).unwrap();
    let key = server::protect::DataKey::from_hex(&hex).unwrap();

    let mut urls = vec![(
        "SQLite",
        format!("sqlite://{}/hpf.db?mode=rwc", dir.display()),
    )];
    if let Ok(base) = std::env::var("HPF_TEST_POSTGRES_URL") {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
        let name = format!("hpf_startup_load_{}", std::process::id());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (prefix, _) = base.rsplit_once('/').unwrap();
        urls.push(("PostgreSQL", format!("{prefix}/{name}")));
    }
    for (store, url) in urls {
        let db = Db::connect(&url, 4).await.unwrap();
        server::protect::prepare(&db, &key).await.unwrap();
        let imported = Instant::now();
        server::import::run(
            &db,
            &key,
            &shared::fund::default_deposit_rates(),
            server::import::Files {
                members: Some(&members),
                loans: Some(&loans),
                deposits: None,
                properties: None,
                materials: None,
            },
        )
        .await
        .unwrap()
        .unwrap_or_else(|errors| panic!("{} invalid rows", errors.len()));
        let import_seconds = imported.elapsed().as_secs_f64();
        let first = start(&hpf, &url, &dir.join("data.key"), &dir.join("dist"));
        let second = start(&hpf, &url, &dir.join("data.key"), &dir.join("dist"));
        let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let invented: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM loan_transactions WHERE borrower_no LIKE '8%'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(invented, 0, "the demo wrote history into imported loans");
        db.close().await;
        println!(
            "{store}: {loans} loans ({n} imported in {import_seconds:.1} s); hpf serve --demo ready in {first:.2} s (demo loaded), {second:.2} s (again)"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
