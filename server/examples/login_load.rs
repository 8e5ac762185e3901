//! Peak memory of `hpf` under a burst of logins: 200 (or the number given) correct-password
//! logins sent at once to a release `hpf serve` started here with the demo data, each one an
//! Argon2 verification of 19 MiB if it gets a turn. Prints the answers by status and the server's
//! peak resident memory (VmHWM) — the figure README records.
//!
//! `cargo build --release -p server --bin hpf && cargo run --release -p server --example login_load [logins]`
//!
//! A benchmark, not a test: loopback only, a fixed number of requests, the server stopped after.

use serde_json::json;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let logins: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let work = std::env::temp_dir().join(format!("hpf-login-load-{}", std::process::id()));
    std::fs::create_dir_all(work.join("dist")).expect("work dir");
    std::fs::write(
        work.join("dist/index.html"),
        "<!DOCTYPE html><title>x</title>",
    )
    .expect("dist");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        probe.local_addr().expect("address").port()
    };
    let mut server = Command::new("target/release/hpf")
        .args([
            "serve",
            "--demo",
            "--insecure-test-hooks",
            "--log-level",
            "warn",
        ])
        // One client address asks for every captcha here.
        .args(["--captchas-per-minute", "100000"])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--dist", &work.join("dist").to_string_lossy()])
        .args([
            "--database-url",
            &format!("sqlite://{}?mode=rwc", work.join("hpf.db").display()),
        ])
        .args(["--clock", "2018-01-05T10:00:00+08:00"])
        .stdout(Stdio::null())
        .spawn()
        .expect("start target/release/hpf (build it first)");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client
            .get(format!("{base}/api/health"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let idle = status_kib(server.id(), "VmRSS:");
    // Captchas first (each login needs one), then every login at once.
    let mut captchas = Vec::new();
    for _ in 0..logins {
        let body: serde_json::Value = client
            .post(format!("{base}/api/account/captcha"))
            .header("x-hpf-csrf", "1")
            .send()
            .await
            .expect("captcha")
            .json()
            .await
            .expect("captcha json");
        captchas.push((body["id"].clone(), body["answer"].clone()));
    }
    let started = Instant::now();
    let mut burst = tokio::task::JoinSet::new();
    for (id, answer) in captchas {
        let (client, url) = (reqwest::Client::new(), format!("{base}/api/account/login"));
        burst.spawn(async move {
            client
                .post(url)
                .header("x-hpf-csrf", "1")
                .json(&json!({"username": "13904310008", "password": "Demo2018!",
                              "captcha_id": id, "captcha": answer}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        });
    }
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    while let Some(status) = burst.join_next().await {
        *statuses.entry(status.unwrap_or(0)).or_default() += 1;
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (peak, after) = (
        status_kib(server.id(), "VmHWM:"),
        status_kib(server.id(), "VmRSS:"),
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "{logins} logins at once in {:.2} s: {statuses:?} (200 logged in, 503 系统繁忙)",
        elapsed.as_secs_f64()
    );
    println!(
        "hpf resident memory: {} MB idle, {} MB peak (VmHWM), {} MB 2 s after",
        idle / 1024,
        peak / 1024,
        after / 1024
    );
}
