//! `hpf serve`, `hpf backup` as an operator meets them: one clear line with a non-zero exit for every
//! way the server cannot start, graceful and bounded shutdown, TLS, JSON logs, backup and restore.
//! (`hpf trial` and `hpf plan`: `engines.rs`.)

mod common;

use serde_json::Value;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn hpf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hpf"))
}

fn one_line_failure(output: &Output) -> String {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("hpf: "), "{stderr}");
    stderr
}

/// `hpf serve --demo` on a free port with the SQLite file `db` and `extra` flags, once it is ready:
/// the child and its port.
fn serve_demo(db: &std::path::Path, extra: &[&str], stderr: Stdio) -> (std::process::Child, u16) {
    let dist = built_dist();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = hpf()
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .args(["--dist", dist.to_str().unwrap()])
        .args([
            "--database-url",
            &format!("sqlite://{}?mode=rwc", db.display()),
        ])
        .stderr(stderr)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let ready = || {
        Command::new("curl")
            .args(["-fs", &format!("http://127.0.0.1:{port}/api/health/ready")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "hpf did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

fn built_dist() -> std::path::PathBuf {
    let dist = common::temp_dir("hpf_cli_dist");
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html>").unwrap();
    dist
}

#[test]
fn serve_fails_with_one_clear_line() {
    let wrong_flag = hpf().args(["serve", "--no-such-flag"]).output().unwrap();
    assert!(one_line_failure(&wrong_flag).contains("--no-such-flag"));
    assert_eq!(wrong_flag.status.code(), Some(2));

    let no_dist = hpf()
        .args(["serve", "--dist", "/nonexistent/dist"])
        .output()
        .unwrap();
    assert!(one_line_failure(&no_dist).contains("not built"));

    let dist = built_dist();
    let dist = dist.to_str().unwrap();
    let bad_clock = hpf()
        .args(["serve", "--dist", dist, "--clock", "soon"])
        .output()
        .unwrap();
    assert!(one_line_failure(&bad_clock).contains("--clock"));

    let hooks = hpf()
        .args(["serve", "--dist", dist, "--insecure-test-hooks"])
        .output()
        .unwrap();
    assert!(one_line_failure(&hooks).contains("requires --demo"));

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = port.local_addr().unwrap().to_string();
    let in_use = hpf()
        .args(["serve", "--dist", dist, "--addr", &addr])
        .output()
        .unwrap();
    assert!(one_line_failure(&in_use).contains("cannot listen"));
    drop(port);

    let unreachable = hpf()
        .args([
            "serve",
            "--dist",
            dist,
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            "postgres://hpf:secret@127.0.0.1:1/hpf",
        ])
        .output()
        .unwrap();
    let line = one_line_failure(&unreachable);
    assert!(line.contains("cannot open the database"), "{line}");
    assert!(
        !line.contains("secret"),
        "the password must not be printed: {line}"
    );
}

#[test]
fn serve_shuts_down_gracefully_on_sigterm() {
    let db = common::temp_dir("hpf_cli_db").join("hpf.db");
    let (mut child, _) = serve_demo(&db, &[], Stdio::piped());
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status}");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("hpf stopped"), "{log}");
    assert!(db.exists(), "the SQLite file is created on first run");
}

#[test]
fn serve_speaks_tls_with_hsts_when_given_a_certificate() {
    let dir = common::temp_dir("hpf_tls");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let data_key = dir.join("hpf-data.key");
    std::fs::write(&data_key, server::protect::DataKey::generate_hex()).unwrap();
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let dist = built_dist();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = hpf()
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--dist",
            dist.to_str().unwrap(),
        ])
        .args([
            "--database-url",
            &format!("sqlite://{}/hpf.db?mode=rwc", dir.display()),
        ])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .arg("--data-key-file")
        .arg(&data_key)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let response = loop {
        let out = Command::new("curl")
            .args([
                "-sk",
                "-D",
                "-",
                &format!("https://127.0.0.1:{port}/api/health"),
            ])
            .output()
            .unwrap();
        if out.status.success() {
            break String::from_utf8_lossy(&out.stdout).to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no TLS answer");
        std::thread::sleep(Duration::from_millis(200));
    };
    let plain = Command::new("curl")
        .args(["-s", &format!("http://127.0.0.1:{port}/api/health")])
        .output()
        .unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(response.starts_with("HTTP/"), "{response}");
    assert!(response.contains(" 200"), "{response}");
    assert!(
        response
            .to_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "{response}"
    );
    assert!(response.contains("\"status\":\"ok\""), "{response}");
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("\"status\":\"ok\""),
        "plain HTTP must not be served"
    );

    let missing = hpf()
        .args(["serve", "--dist", dist.to_str().unwrap(), "--tls-cert"])
        .arg(&cert)
        .output()
        .unwrap();
    assert!(one_line_failure(&missing).contains("tls-key"));
}

/// A client that never finishes its request cannot hold the server past `--shutdown-grace`.
#[test]
fn shutdown_is_bounded_by_the_grace_period() {
    let db = common::temp_dir("hpf_cli_grace").join("hpf.db");
    let (mut child, port) = serve_demo(&db, &["--shutdown-grace", "1"], Stdio::null());
    // A request that is never finished: its headers never end.
    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(&mut stalled, b"GET /api/health HTTP/1.1\r\nHost: x\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let stopping = Instant::now();
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM with a 1 s grace"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stalled);
}

/// `hpf backup` copies a live SQLite database consistently; the copy is a database the hall
/// restores from by pointing `--database-url` at it, with the same data key.
#[tokio::test]
async fn a_backup_restores_the_same_data() {
    let app = common::spawn_app(common::Store::Sqlite, common::Options::default()).await;
    let dir = common::temp_dir("hpf_backup");
    let copy = dir.join("copy.db");
    let output = hpf()
        .args(["backup", "--database-url", &app.url, "--log-level", "warn"])
        .arg("--to")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Never over an existing file.
    let again = hpf()
        .args(["backup", "--database-url", &app.url])
        .arg("--to")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(one_line_failure(&again).contains("exists already"));

    let restored = server::db::Db::connect(&format!("sqlite://{}?mode=rw", copy.display()), 1)
        .await
        .unwrap();
    server::protect::prepare(&restored, &app.key).await.unwrap();
    let (members, sealed): (i64, String) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM members), (SELECT id_number FROM members WHERE personal_account = '3816301')",
    )
    .fetch_one(&restored.pool)
    .await
    .unwrap();
    assert_eq!(members, 11);
    assert_eq!(app.key.open(&sealed).unwrap(), "220102198005202134");
}

/// `--log-format json`: one JSON object a line, the request's line carrying its id (ordinary
/// requests are logged at `debug`).
#[test]
fn json_logs_carry_the_request_id() {
    let db = common::temp_dir("hpf_cli_json").join("hpf.db");
    let (mut child, port) = serve_demo(
        &db,
        &[
            "--log-format",
            "json",
            "--log-level",
            "info,server::http=debug",
        ],
        Stdio::piped(),
    );
    let answered = Command::new("curl")
        .args(["-fs", "-H", "x-request-id: test-request-0001"])
        .arg(format!("http://127.0.0.1:{port}/api/health/live"))
        .output()
        .unwrap();
    assert!(answered.status.success());
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    assert!(child.wait().unwrap().success());
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let request = lines
        .iter()
        .find(|line| line["fields"]["request_id"] == "test-request-0001")
        .unwrap_or_else(|| panic!("no line with the request id in {log}"));
    assert_eq!(request["fields"]["path"], "/api/health/live");
    assert_eq!(request["fields"]["status"], 200);
}

/// Each way the database cannot be opened at start is named in one line, before anything listens.
#[test]
fn database_errors_at_start_are_named() {
    let dist = built_dist();
    let start = |url: &str| {
        let output = hpf()
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--dist", dist.to_str().unwrap(), "--database-url", url])
            .output()
            .unwrap();
        one_line_failure(&output)
    };
    let dir = common::temp_dir("hpf_cli_db_errors");

    let missing = start(&format!(
        "sqlite://{}/no/such/dir/hpf.db?mode=rwc",
        dir.display()
    ));
    assert!(missing.contains("/no/such/dir does not exist"), "{missing}");

    // A database hpf may read but not write (here the URL's mode=ro; a read-only file or
    // directory gives SQLite's same error).
    let db = dir.join("hpf.db");
    let (mut child, _) = serve_demo(&db, &[], Stdio::null());
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
    let read_only = start(&format!("sqlite://{}?mode=ro", db.display()));
    assert!(
        read_only.contains("the database is read-only"),
        "{read_only}"
    );

    let refused = start("postgres://hpf:secret@127.0.0.1:1/hpf");
    assert!(
        refused.contains("nothing answers at that host and port"),
        "{refused}"
    );
    assert!(!refused.contains("secret"), "{refused}");
    let unknown = start("postgres://hpf:secret@no-such-host.invalid/hpf");
    assert!(unknown.contains("unknown host name"), "{unknown}");

    if let Ok(base) = std::env::var("HPF_TEST_POSTGRES_URL") {
        let (server, _) = base.rsplit_once('/').unwrap();
        let no_database = start(&format!("{server}/no_such_database"));
        assert!(
            no_database.contains("the database does not exist"),
            "{no_database}"
        );
        let no_role = start(&base.replacen("postgres@", "no_such_role@", 1));
        assert!(no_role.contains("may not connect"), "{no_role}");
    }
}
