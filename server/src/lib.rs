//! `hpf` — the 公积金个人网厅 server: the JSON API, the built app, and the back-office tools.

pub mod account;
pub mod application;
pub mod batch;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod error;
pub mod fund;
pub mod http;
pub mod import;
pub mod loan;
pub mod metrics;
pub mod numbering;
pub mod openapi;
pub mod progress;
pub mod protect;
pub mod state;
pub mod system;
pub mod tools;
pub mod withdrawal;

use cli::{Cli, Command, PolicyArgs, ServeArgs};
use clock::Clock;
use db::Db;
use shared::calendar::Calendar;
use shared::policy::Policy;
use state::{AppState, Hall};
use std::io::Read;
use std::sync::Arc;

/// What a failed command prints: one line, and the process exits non-zero.
pub type Failure = String;

pub fn load_rules(args: &PolicyArgs) -> Result<(Calendar, Policy), Failure> {
    let calendar = match &args.calendar {
        Some(dir) => tools::calendar_from_dir(dir)?,
        None => Calendar::embedded(),
    };
    let policy = match &args.policy {
        Some(file) => tools::policy_from_file(file)?,
        None => Policy::default(),
    };
    Ok((calendar, policy))
}

/// Runs one command. `Ok(false)` means the command ran and reported a refusal (exit non-zero).
pub async fn run(cli: Cli) -> Result<bool, Failure> {
    match cli.command {
        Command::Serve(args) => serve(*args).await.map(|()| true),
        Command::Trial(args) => {
            let (_, policy) = load_rules(&args)?;
            json_tool(|input| tools::trial(input, &policy))
        }
        Command::Plan => json_tool(tools::plan),
        Command::Batch(args) => {
            let (_, policy) = load_rules(&args.policy)?;
            let clock = match &args.clock {
                Some(text) => Clock::parse(text)?,
                None => Clock::real(),
            };
            let workers = args.workers.max(1);
            let db = Db::connect(&args.database_url, workers as u32 + 1).await?;
            let report = batch::run(&db, &policy, args.date, clock.now(), workers, None)
                .await
                .map_err(|e| format!("the batch failed: {e}"));
            let purged =
                account::audit::purge(&db, clock.now().timestamp(), args.audit_retention_days)
                    .await
                    .map_err(|e| format!("cannot purge the audit log: {e}"));
            db.close().await;
            let report = report?;
            tracing::info!(purged = purged?, "audit log entries past retention deleted");
            println!(
                "{}: {} done, {} rejected, {} failed",
                args.date, report.done, report.rejected, report.failed
            );
            Ok(report.failed == 0)
        }
        Command::Import(args) => {
            let key = protect::DataKey::read(&args.data_key_file)?;
            let db = Db::connect(&args.database_url, 2).await?;
            protect::prepare(&db, &key).await?;
            let files = import::Files {
                members: args.members.as_deref(),
                loans: args.loans.as_deref(),
                deposits: args.deposits.as_deref(),
                properties: args.properties.as_deref(),
                materials: args.materials.as_deref(),
            };
            let rates = load_rules(&args.policy)?.1.deposit_rates;
            let result = import::run(&db, &key, &rates, files).await;
            db.close().await;
            match result? {
                Ok(summary) => {
                    println!("{summary}");
                    Ok(true)
                }
                Err(errors) => {
                    for error in &errors {
                        eprintln!("{error}");
                    }
                    eprintln!("nothing imported: {} invalid row(s)", errors.len());
                    Ok(false)
                }
            }
        }
        Command::Backup(args) => {
            if !args.database_url.starts_with("sqlite:") {
                return Err("hpf backup copies an SQLite database; back PostgreSQL up with pg_dump (README)".into());
            }
            if args.to.exists() {
                return Err(format!(
                    "{} exists already: a backup never overwrites",
                    args.to.display()
                ));
            }
            let target = args.to.to_str().ok_or("--to: the path is not UTF-8")?;
            let db = Db::connect(&args.database_url, 1).await?;
            // VACUUM INTO: one consistent snapshot, taken while the hall keeps serving.
            let copied = sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
                .execute(&db.pool)
                .await
                .map_err(|e| format!("cannot back up to {}: {e}", args.to.display()));
            db.close().await;
            copied?;
            println!("backed up to {}", args.to.display());
            Ok(true)
        }
        Command::RotateKey(args) => {
            let old = protect::DataKey::read(&args.data_key_file)?;
            let new = protect::DataKey::read(&args.new_key_file)?;
            let db = Db::connect(&args.database_url, 2).await?;
            let result = protect::rotate(&db, &old, &new).await;
            db.close().await;
            println!("{} rows re-sealed under the new key", result?);
            Ok(true)
        }
        Command::Calendar { dir } => {
            print!("{}", tools::calendar_from_dir(&dir)?.to_compact());
            Ok(true)
        }
    }
}

/// `hpf trial` and `hpf plan`: a JSON object on stdin, the answer (or the error object, with a
/// non-zero exit) on stdout.
fn json_tool(run: impl FnOnce(&str) -> Result<String, String>) -> Result<bool, Failure> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let (output, ok) = match run(&input) {
        Ok(output) => (output, true),
        Err(output) => (output, false),
    };
    println!("{output}");
    Ok(ok)
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let shutdown = shutdown_signal()?;
    let (calendar, policy) = load_rules(&args.policy)?;
    if !args.dist.join("index.html").is_file() {
        return Err(format!(
            "the app is not built: {} has no index.html (build it with `trunk build --release --offline`, or pass --dist)",
            args.dist.display()
        ));
    }
    if args.insecure_test_hooks && !args.demo {
        return Err(
            "--insecure-test-hooks is for browser tests of the demo only: it requires --demo"
                .into(),
        );
    }
    let sms: Arc<dyn account::sms::SmsSender> = match &args.sms_gateway_url {
        Some(url) => Arc::new(account::sms::HttpGateway {
            url: url.clone(),
            key: args.sms_gateway_key.clone(),
            template: args.sms_template.clone(),
            client: reqwest::Client::new(),
        }),
        None => Arc::new(account::sms::Outbox),
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            // Only the ring provider is compiled in; installing it twice is harmless.
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(
                axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .map_err(|e| format!("cannot load the TLS certificate or key: {e}"))?,
            )
        }
        _ => None,
    };
    let accounts = account::AccountConfig {
        idle_timeout_seconds: args.session_idle_seconds.max(1),
        // Over TLS the cookie is always Secure (and the router adds HSTS).
        secure_cookies: args.secure_cookies || tls.is_some(),
        trusted_proxies: args.trusted_proxies,
        origins: origins(&args, tls.is_some())?,
        test_hooks: args.insecure_test_hooks,
        captchas_per_minute: args.captchas_per_minute,
        argon2: Arc::new(match args.argon2_workers {
            Some(workers) => account::password::Gate::new(workers, 16 * workers.max(1)),
            None => account::password::Gate::for_this_machine(),
        }),
        sms,
        ..account::AccountConfig::default()
    };
    if accounts.test_hooks {
        tracing::warn!("INSECURE TEST HOOKS ON: captcha answers and SMS codes are readable over HTTP. Never use this outside tests.");
    }
    let clock = match &args.clock {
        Some(text) => Clock::parse(text)?,
        None => Clock::real(),
    };
    // A port in use is said at once; the listening socket itself opens only when the hall is
    // ready (a TCP health check must not pass while the database is still being prepared).
    drop(
        std::net::TcpListener::bind(args.addr)
            .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?,
    );
    if let Some(addr) = args.metrics_addr {
        drop(
            std::net::TcpListener::bind(addr)
                .map_err(|e| format!("--metrics-addr: cannot listen on {addr}: {e}"))?,
        );
    }
    let db = Db::connect(&args.database_url, args.db_connections).await?;
    db.check_writable(&args.database_url).await?;
    let key = data_key(&args)?;
    protect::prepare(&db, &key).await?;
    if args.demo {
        demo::load(&db, &key, &policy.deposit_rates, &clock.now().to_rfc3339())
            .await
            .map_err(|e| format!("cannot load the demo data: {e}"))?;
    }
    let state = AppState::from(Hall {
        db: db.clone(),
        clock: clock.clone(),
        calendar: Arc::new(calendar),
        policy: Arc::new(policy),
        accounts: Arc::new(accounts),
        key: Arc::new(key),
    });
    if let Some(at) = args.batch_at {
        tokio::spawn(batch::daily(
            state.clone(),
            at,
            args.batch_workers.max(1),
            args.audit_retention_days,
        ));
    }
    if let Some(addr) = args.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("--metrics-addr: cannot listen on {addr}: {e}"))?;
        let metrics = metrics::router(state.clone());
        tracing::info!(%addr, "metrics on http://{addr}/metrics");
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, metrics).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }
    let tls_on = tls.is_some();
    let app = http::router(state, Some(args.dist.clone()));
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    tracing::info!(
        addr = %args.addr,
        database = db.backend.name(),
        demo = args.demo,
        business_time = %clock.now().to_rfc3339(),
        "hpf serving on {}://{}",
        if tls_on { "https" } else { "http" },
        args.addr
    );
    let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = match tls {
        None => {
            // TCP_NODELAY: without it a small response on a kept-alive connection waits ~40 ms
            // for Nagle's algorithm (the page's CSS, JS and API answers are small).
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            // Bounded: once the signal came, in-flight requests get --shutdown-grace seconds.
            let (signalled, mut stopping) = tokio::sync::watch::channel(false);
            let graceful = axum::serve(listener, service).with_graceful_shutdown(async move {
                shutdown.await;
                let _ = signalled.send(true);
            });
            let grace = std::time::Duration::from_secs(args.shutdown_grace);
            tokio::select! {
                served = std::future::IntoFuture::into_future(graceful) => served,
                _ = async {
                    let _ = stopping.wait_for(|stop| *stop).await;
                    tokio::time::sleep(grace).await;
                } => {
                    tracing::warn!(grace_seconds = args.shutdown_grace, "shutdown grace over: open requests cut");
                    Ok(())
                }
            }
        }
        Some(config) => {
            let grace = args.shutdown_grace;
            let handle = axum_server::Handle::new();
            let stopping = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                stopping.graceful_shutdown(Some(std::time::Duration::from_secs(grace)));
            });
            let listener = listener
                .into_std()
                .map_err(|e| format!("cannot use the listening socket: {e}"))?;
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(config)
                .acceptor(axum_server::accept::NoDelayAcceptor::new());
            axum_server::from_tcp(listener)
                .map_err(|e| format!("cannot use the listening socket for TLS: {e}"))?
                .acceptor(acceptor)
                .handle(handle)
                .serve(service)
                .await
        }
    };
    db.close().await;
    tracing::info!("hpf stopped");
    served.map_err(|e| format!("server error: {e}"))
}

/// The data key: `--data-key-file`, or for the demo one made beside its SQLite database.
fn data_key(args: &ServeArgs) -> Result<protect::DataKey, Failure> {
    if let Some(path) = &args.data_key_file {
        return protect::DataKey::read(path);
    }
    if !args.demo {
        return Err("--data-key-file is required: a file of 64 hex digits, e.g. `openssl rand -hex 32 > hpf-data.key` (the demo makes one itself)".into());
    }
    let beside = args
        .database_url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|file| !file.is_empty() && !file.contains(":memory:"))
        .map(|file| std::path::PathBuf::from(format!("{file}.key")))
        .unwrap_or_else(|| std::path::PathBuf::from("hpf-data.key"));
    protect::DataKey::read_or_create(&beside)
}

/// The origins state-changing requests may come from: `--public-url`, or the listen address.
fn origins(args: &ServeArgs, tls: bool) -> Result<Vec<String>, Failure> {
    use account::session::normalize_origin;
    if let Some(url) = &args.public_url {
        return normalize_origin(url)
            .map(|origin| vec![origin])
            .ok_or_else(|| format!("--public-url: '{url}' is not an http(s) address such as https://gjj.example.cn"));
    }
    let scheme = if tls || args.secure_cookies {
        "https"
    } else {
        "http"
    };
    let (ip, port) = (args.addr.ip(), args.addr.port());
    if ip.is_unspecified() {
        return Ok(Vec::new());
    }
    let host = match ip {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        std::net::IpAddr::V4(v4) => v4.to_string(),
    };
    let mut origins = vec![format!("{scheme}://{host}:{port}")];
    if ip.is_loopback() {
        origins.push(format!("{scheme}://localhost:{port}"));
    }
    Ok(origins)
}

/// SIGINT or SIGTERM: stop accepting, let in-flight requests finish. The handlers are installed
/// when this is called (at the start of `serve`), so a signal that arrives during start-up is not
/// the default kill: it ends the server cleanly as soon as it serves.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static, Failure> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot install the SIGTERM handler: {e}"))?;
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| format!("cannot install the SIGINT handler: {e}"))?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}
