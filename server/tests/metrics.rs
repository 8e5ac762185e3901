//! `/metrics` as an operator's Prometheus meets it: on `--metrics-addr` only, in the text format,
//! counting requests by route template, logins, SMS and the end-of-day run. (Its own test binary:
//! the counters are the process's.)

mod common;

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Hall {
    child: Child,
    base: String,
    metrics: String,
    http: reqwest::Client,
}

impl Drop for Hall {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Hall {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-hpf-csrf", "1")
            .json(&body)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn captcha(&self) -> (String, String) {
        let (status, body) = self.post("/api/account/captcha", json!({})).await;
        assert_eq!(status, 200, "{body}");
        (
            body["id"].as_str().unwrap().to_owned(),
            body["answer"].as_str().unwrap().to_owned(),
        )
    }

    async fn login(&self, username: &str, password: &str) -> u16 {
        let (id, answer) = self.captcha().await;
        self.post(
            "/api/account/login",
            json!({"username": username, "password": password, "captcha_id": id, "captcha": answer}),
        )
        .await
        .0
    }

    async fn scrape(&self) -> String {
        let response = reqwest::get(format!("{}/metrics", self.metrics))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"));
        response.text().await.unwrap()
    }
}

/// The value of the sample `series` (name with its labels, as printed), or 0 if absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |value| value.parse().unwrap())
}

async fn start() -> Hall {
    let dir = common::temp_dir("hpf_metrics");
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(dir.join("dist/index.html"), "<!DOCTYPE html>").unwrap();
    let (port, metrics_port) = (free_port(), free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_hpf"))
        .args(["serve", "--demo", "--insecure-test-hooks"])
        .args([
            "--clock",
            "2018-01-05T10:00:00+08:00",
            "--batch-at",
            "09:00",
        ])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--metrics-addr", &format!("127.0.0.1:{metrics_port}")])
        .args(["--db-connections", "6"])
        .args(["--dist", dir.join("dist").to_str().unwrap()])
        .args([
            "--database-url",
            &format!("sqlite://{}/hpf.db?mode=rwc", dir.display()),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let hall = Hall {
        child,
        base: format!("http://127.0.0.1:{port}"),
        metrics: format!("http://127.0.0.1:{metrics_port}"),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap(),
    };
    let started = Instant::now();
    loop {
        let ready = reqwest::get(format!("{}/api/health/ready", hall.base)).await;
        if ready.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "hpf did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    hall
}

#[tokio::test]
async fn metrics_are_served_apart_and_count() {
    let hall = start().await;

    // Not on the citizens' address (there /metrics is just a client route: the app's page).
    let public = reqwest::get(format!("{}/metrics", hall.base))
        .await
        .unwrap();
    let public = public.text().await.unwrap();
    assert!(!public.contains("hpf_"), "{public}");
    let before = hall.scrape().await;

    // Requests by template: the borrower's number never becomes a label.
    for _ in 0..3 {
        let response = reqwest::get(format!("{}/api/loans/4201000000000123", hall.base))
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    // Logins: one wrong password, one right; an SMS code sent.
    assert_eq!(hall.login("13904310009", "Wrong2018!").await, 401);
    assert_eq!(hall.login("13904310008", "Demo2018!").await, 200);
    let page = hall
        .http
        .get(format!("{}/api/loans", hall.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let (id, answer) = hall.captcha().await;
    let (status, body) = hall
        .post(
            "/api/account/sms",
            json!({"purpose": "login", "phone": "13904310010", "captcha_id": id, "captcha": answer}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The end-of-day run (--batch-at 09:00 on a clock at 10:00 runs at once).
    let started = Instant::now();
    let mut after = hall.scrape().await;
    while sample(&after, "hpf_batch_runs_total") < 1.0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no batch run counted:\n{after}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        after = hall.scrape().await;
    }

    let delta = |series: &str| sample(&after, series) - sample(&before, series);
    let loan = r#"route="/api/loans/{borrower_no}",method="GET",status="401""#;
    assert_eq!(delta(&format!("hpf_http_requests_total{{{loan}}}")), 3.0);
    assert!(!after.contains("4201000000000123"), "{after}");
    let histogram = r#"hpf_http_request_duration_seconds_count{route="/api/loans/{borrower_no}"}"#;
    assert_eq!(delta(histogram), 3.0);
    let inf =
        r#"hpf_http_request_duration_seconds_bucket{route="/api/loans/{borrower_no}",le="+Inf"}"#;
    assert_eq!(delta(inf), 3.0);
    assert_eq!(
        delta(r#"hpf_http_requests_total{route="/api/account/login",method="POST",status="200"}"#),
        1.0
    );
    assert_eq!(delta(r#"hpf_logins_total{outcome="ok"}"#), 1.0);
    assert_eq!(delta(r#"hpf_logins_total{outcome="failed"}"#), 1.0);
    assert_eq!(delta(r#"hpf_logins_total{outcome="locked"}"#), 0.0);
    assert_eq!(delta("hpf_sms_sent_total"), 1.0);
    assert_eq!(sample(&after, "hpf_batch_runs_total"), 1.0);
    assert_eq!(sample(&after, "hpf_db_pool_max_connections"), 6.0);
    let open = sample(&after, r#"hpf_db_pool_connections{state="in_use"}"#)
        + sample(&after, r#"hpf_db_pool_connections{state="idle"}"#);
    assert!((1.0..=6.0).contains(&open), "{after}");
    // SQLite: the page views' read-only connections, none reading between requests.
    assert!(
        sample(&after, r#"hpf_db_sqlite_readers{state="idle"}"#) >= 1.0,
        "{after}"
    );
    assert_eq!(
        sample(&after, r#"hpf_db_sqlite_readers{state="in_use"}"#),
        0.0
    );
    for family in [
        "# TYPE hpf_http_requests_total counter",
        "# TYPE hpf_http_request_duration_seconds histogram",
        "# TYPE hpf_http_requests_in_flight gauge",
        "# TYPE hpf_batch_applications_total counter",
    ] {
        assert!(after.contains(family), "{family} missing:\n{after}");
    }
}
