//! What an operator's Prometheus scrapes: requests by route template and status, latency
//! histograms, the database pool, the end-of-day runs, SMS sent and logins. The counters are the
//! process's (one `hpf` is one hall replica); they are served on `--metrics-addr`, never on the
//! public address.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Route {
    /// Answers by method and status.
    answers: BTreeMap<(&'static str, u16), u64>,
    /// Cumulative counts per bucket of [`BUCKETS`] (the `+Inf` bucket is `count`).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

/// The process's counters.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, Route>>,
    in_flight: AtomicU64,
    pool_timeouts: AtomicU64,
    batch_runs: AtomicU64,
    batch_done: AtomicU64,
    batch_rejected: AtomicU64,
    batch_failed: AtomicU64,
    sms_sent: AtomicU64,
    logins_ok: AtomicU64,
    logins_failed: AtomicU64,
    logins_locked: AtomicU64,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::default);

/// The route template a request matched (`/api/loans/{borrower_no}`), set on the response by
/// the API router so the outermost layer can count by it.
#[derive(Clone)]
pub struct RouteTemplate(pub String);

/// A login's outcome, as the audit log records it.
pub fn login(result: &str) {
    let counter = match result {
        "ok" => &METRICS.logins_ok,
        "locked" => &METRICS.logins_locked,
        _ => &METRICS.logins_failed,
    };
    counter.fetch_add(1, Ordering::Relaxed);
}

pub fn sms_sent() {
    METRICS.sms_sent.fetch_add(1, Ordering::Relaxed);
}

pub fn pool_timeout() {
    METRICS.pool_timeouts.fetch_add(1, Ordering::Relaxed);
}

/// One end-of-day run of this process.
pub fn batch(report: &crate::batch::Report) {
    let add = |counter: &AtomicU64, n: usize| counter.fetch_add(n as u64, Ordering::Relaxed);
    METRICS.batch_runs.fetch_add(1, Ordering::Relaxed);
    add(&METRICS.batch_done, report.done);
    add(&METRICS.batch_rejected, report.rejected);
    add(&METRICS.batch_failed, report.failed);
}

/// Counts a request while it is open (see [`request`]).
pub struct InFlight;

impl InFlight {
    pub fn start() -> InFlight {
        METRICS.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        METRICS.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A method as a label: the standard ones, anything else `other` (a client may send any token as
/// a method; each must not become a series of its own).
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

/// One answered request. `route` is a route template, `static` or `/api/{unmatched}`: a fixed
/// set, like the methods.
pub fn request(route: &str, method: &str, status: u16, took: Duration) {
    let seconds = took.as_secs_f64();
    let method = method_label(method);
    let Ok(mut routes) = METRICS.routes.lock() else {
        return;
    };
    let entry = match routes.get_mut(route) {
        Some(entry) => entry,
        None => routes.entry(route.to_owned()).or_default(),
    };
    *entry.answers.entry((method, status)).or_default() += 1;
    for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
        if seconds <= bound {
            *bucket += 1;
        }
    }
    entry.count += 1;
    entry.seconds += seconds;
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&state),
    )
}

/// The Prometheus text exposition of every counter and of the pool now.
pub fn render(state: &AppState) -> String {
    let mut out = String::new();
    let m = &*METRICS;
    let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    let _ = writeln!(out, "# HELP hpf_http_requests_total HTTP answers by route template, method and status.\n# TYPE hpf_http_requests_total counter");
    let routes = m.routes.lock().map(|r| {
        r.iter()
            .map(|(name, route)| {
                (
                    name.clone(),
                    route.answers.clone(),
                    route.buckets,
                    route.count,
                    route.seconds,
                )
            })
            .collect::<Vec<_>>()
    });
    let routes = routes.unwrap_or_default();
    for (name, answers, _, _, _) in &routes {
        for ((method, status), n) in answers {
            let _ = writeln!(
                out,
                "hpf_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(name)
            );
        }
    }
    let _ = writeln!(out, "# HELP hpf_http_request_duration_seconds Time to answer, by route template.\n# TYPE hpf_http_request_duration_seconds histogram");
    for (name, _, buckets, count, seconds) in &routes {
        let route = escape(name);
        for (n, bound) in buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "hpf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "hpf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}\n\
             hpf_http_request_duration_seconds_sum{{route=\"{route}\"}} {seconds}\n\
             hpf_http_request_duration_seconds_count{{route=\"{route}\"}} {count}"
        );
    }
    let gauge = |out: &mut String, name: &str, help: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    };
    let counter = |out: &mut String, name: &str, help: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
        );
    };
    gauge(
        &mut out,
        "hpf_http_requests_in_flight",
        "Requests being answered now (those waiting for a database connection included).",
        load(&m.in_flight),
    );
    let size = u64::from(state.db.pool.size());
    let idle = state.db.pool.num_idle() as u64;
    let _ = writeln!(
        out,
        "# HELP hpf_db_pool_connections Database connections of the pool, in use or idle.\n\
         # TYPE hpf_db_pool_connections gauge\n\
         hpf_db_pool_connections{{state=\"in_use\"}} {}\n\
         hpf_db_pool_connections{{state=\"idle\"}} {idle}",
        size.saturating_sub(idle)
    );
    if let Some(reads) = &state.db.reads {
        let (reading, idle) = reads.connections();
        let _ = writeln!(
            out,
            "# HELP hpf_db_sqlite_readers The page views' own read-only SQLite connections, reading or idle.\n\
             # TYPE hpf_db_sqlite_readers gauge\n\
             hpf_db_sqlite_readers{{state=\"in_use\"}} {reading}\n\
             hpf_db_sqlite_readers{{state=\"idle\"}} {idle}"
        );
    }
    gauge(
        &mut out,
        "hpf_db_pool_max_connections",
        "The pool's limit (--db-connections).",
        u64::from(state.db.pool.options().get_max_connections()),
    );
    counter(
        &mut out,
        "hpf_db_pool_acquire_timeouts_total",
        "Requests that waited 10 s for a connection and were answered 500.",
        load(&m.pool_timeouts),
    );
    let _ = writeln!(
        out,
        "# HELP hpf_batch_runs_total End-of-day runs of this process.\n\
         # TYPE hpf_batch_runs_total counter\n\
         hpf_batch_runs_total {}\n\
         # HELP hpf_batch_applications_total Applications the end-of-day runs took, by outcome.\n\
         # TYPE hpf_batch_applications_total counter\n\
         hpf_batch_applications_total{{outcome=\"done\"}} {}\n\
         hpf_batch_applications_total{{outcome=\"rejected\"}} {}\n\
         hpf_batch_applications_total{{outcome=\"failed\"}} {}",
        load(&m.batch_runs),
        load(&m.batch_done),
        load(&m.batch_rejected),
        load(&m.batch_failed)
    );
    counter(
        &mut out,
        "hpf_sms_sent_total",
        "SMS codes handed to the gateway.",
        load(&m.sms_sent),
    );
    let _ = writeln!(
        out,
        "# HELP hpf_logins_total Login attempts (password and SMS), by outcome.\n\
         # TYPE hpf_logins_total counter\n\
         hpf_logins_total{{outcome=\"ok\"}} {}\n\
         hpf_logins_total{{outcome=\"failed\"}} {}\n\
         hpf_logins_total{{outcome=\"locked\"}} {}",
        load(&m.logins_ok),
        load(&m.logins_failed),
        load(&m.logins_locked)
    );
    out
}

/// A label value as the exposition format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
