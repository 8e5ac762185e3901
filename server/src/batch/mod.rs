//! 日终批处理 — the end-of-day run: every application due on or before the date is executed, each
//! in its own transaction, with the figures recomputed by `shared` as at execution. A prepayment,
//! settlement or adjustment whose figures still equal those accepted changes the loan and writes a
//! loan transaction; one whose loan changed meanwhile closes 未通过 with the reason. A withdrawal
//! empties and closes the account. Running a date twice changes nothing the second time: an
//! application is claimed by a conditional update of its open status, so a second run (or a second
//! replica running at the same time) finds nothing to do; a failure rolls back that application
//! whole and leaves it open for the next run.

mod execute;
mod fast;
mod fund;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::loan::store;
use chrono::{DateTime, FixedOffset, NaiveDate};
use execute::execute;
pub(crate) use fund::fund_rows;
use shared::application::{ApplicationKind, ApplicationStatus};
use shared::policy::Policy;
use sqlx::Row;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub done: usize,
    pub rejected: usize,
    /// Failed and rolled back: still open, executed by the next run.
    pub failed: usize,
    /// Installments paid by 按月对冲.
    pub offsets: usize,
}

/// Called inside each application's transaction after its writes, before the commit: tests inject
/// a failure here to show that nothing of that application survives.
pub type Hook = dyn Fn(&str) -> Result<()> + Send + Sync;

/// PostgreSQL connections executing at once unless told otherwise. The run is bound by round
/// trips and commits, not by computing: a few connections overlap them. (SQLite has one writer:
/// it always runs one.) The pool needs one connection more than this for the page reader.
pub const WORKERS: usize = 4;

/// Executes what is due on `date` with up to `workers` connections. `now` is recorded as the
/// closing time.
pub async fn run(
    db: &Db,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    workers: usize,
    hook: Option<&Hook>,
) -> Result<Report> {
    let mut report = Report::default();
    // Held connections, a transaction per application, and on PostgreSQL a few workers at once.
    let workers = match (db.backend, hook) {
        (crate::db::Backend::Postgres, None) => workers.max(1),
        _ => 1,
    };
    let mut conn = db.pool.acquire().await?;
    let mut after = String::new();
    loop {
        let page = due(&mut conn, date, &after, None).await?;
        let Some(last) = page.last() else { break };
        after = last.application_no.clone();
        if workers == 1 {
            for candidate in page {
                report.add(one(&mut conn, policy, date, now, candidate, hook).await?);
            }
            continue;
        }
        // The workers take the page's applications one at a time from a shared queue.
        let queue = std::sync::Arc::new(std::sync::Mutex::new(std::collections::VecDeque::from(
            page,
        )));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..workers {
            let (db, policy, queue) = (db.clone(), policy.clone(), queue.clone());
            tasks.spawn(async move {
                let mut conn = db.pool.acquire().await?;
                let mut report = Report::default();
                loop {
                    let next = queue
                        .lock()
                        .map_err(|_| Error::Internal("batch queue".into()))?
                        .pop_front();
                    let Some(candidate) = next else { break };
                    report.add(one(&mut conn, &policy, date, now, candidate, None).await?);
                }
                Ok::<_, Error>(report)
            });
        }
        while let Some(done) = tasks.join_next().await {
            let part = done.map_err(|e| Error::Internal(format!("batch worker: {e}")))??;
            report.done += part.done;
            report.rejected += part.rejected;
            report.failed += part.failed;
        }
    }
    // 按月对冲 after the applications: a prepayment executed today changes the installment first.
    let (offsets, offset_failures) = crate::withdrawal::offset::run(db, policy, date, now).await?;
    report.offsets = offsets;
    report.failed += offset_failures;
    tracing::info!(%date, done = report.done, rejected = report.rejected, failed = report.failed,
        offsets = report.offsets, "batch finished");
    Ok(report)
}

/// What became of an application in a run.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Closed(ApplicationStatus),
    /// No longer open when its turn came (closed by another run).
    Skipped,
    /// What it was computed on (the loan, the member) changed after it was read: nothing was
    /// written. Read afresh and tried once more; if it changes again, left for the next run.
    Changed,
    /// Rolled back whole (logged); still open for the next run.
    Failed,
}

impl Report {
    fn add(&mut self, attempt: Attempt) {
        match attempt {
            Attempt::Closed(ApplicationStatus::Done) => self.done += 1,
            Attempt::Closed(_) => self.rejected += 1,
            Attempt::Changed | Attempt::Failed => self.failed += 1,
            Attempt::Skipped => {}
        }
    }
}

/// One application, retried once on fresh data if what it was computed on changed; a failure is
/// logged.
async fn one(
    conn: &mut sqlx::AnyConnection,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    candidate: Candidate,
    hook: Option<&Hook>,
) -> Result<Attempt> {
    let application_no = candidate.application_no.clone();
    let mut result = execute(conn, policy, date, now, candidate, hook).await;
    // Another run (or a citizen's request) holding the database a moment: wait and try again —
    // a lock wait is not a failure.
    for pause in [50, 200, 1000] {
        if !matches!(&result, Err(e) if is_lock_wait(e)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        result = match due(conn, date, "", Some(&application_no)).await?.pop() {
            Some(fresh) => execute(conn, policy, date, now, fresh, hook).await,
            None => Ok(Attempt::Skipped),
        };
    }
    if let Ok(Attempt::Changed) = result {
        result = match due(conn, date, "", Some(&application_no)).await?.pop() {
            Some(fresh) => execute(conn, policy, date, now, fresh, hook).await,
            None => Ok(Attempt::Skipped),
        };
    }
    Ok(match result {
        Ok(Attempt::Changed) => {
            tracing::warn!(%application_no, "batch: changed twice while it ran; left for the next run");
            Attempt::Changed
        }
        Ok(attempt) => attempt,
        Err(error) => {
            tracing::error!(%application_no, %error, "batch: application rolled back");
            Attempt::Failed
        }
    })
}

/// The database was busy (SQLite's write lock, a PostgreSQL deadlock or serialisation failure):
/// worth another try.
fn is_lock_wait(error: &Error) -> bool {
    let Error::Database(sqlx::Error::Database(e)) = error else {
        return false;
    };
    matches!(
        e.code().as_deref(),
        Some("5" | "6" | "517" | "40001" | "40P01")
    ) || e.message().contains("database is locked")
}

/// A due application as read, with its loan (for loan applications).
pub(crate) struct Candidate {
    application_no: String,
    kind: ApplicationKind,
    personal_account: String,
    request: String,
    figures: String,
    loan: Option<store::LoanRecord>,
    /// The loan's last transaction number (0 if none).
    last_seq: i64,
}

/// A page of due applications after `after` (or the one numbered `only`), their loans joined.
async fn due(
    conn: &mut sqlx::AnyConnection,
    date: NaiveDate,
    after: &str,
    only: Option<&str>,
) -> Result<Vec<Candidate>> {
    let loan_columns: Vec<String> = store::LOAN_COLUMNS
        .split(", ")
        .map(|c| format!("l.{c}"))
        .collect();
    let filter = if only.is_some() {
        "a.application_no = $2"
    } else {
        "a.application_no > $2"
    };
    let rows = sqlx::query(&format!(
        "SELECT a.application_no AS app_no, a.kind AS app_kind, a.personal_account AS app_account, \
         a.request_json, a.figures_json, {}, (SELECT COALESCE(MAX(t.seq), 0) \
         FROM loan_transactions t WHERE t.borrower_no = a.borrower_no) AS last_seq \
         FROM applications a LEFT JOIN loans l ON l.borrower_no = a.borrower_no \
         WHERE a.status IN ('reserved', 'accepted') AND a.effective_date <= $1 AND {filter} \
         ORDER BY a.application_no LIMIT 2000",
        loan_columns.join(", ")
    ))
    .bind(date.to_string())
    .bind(only.unwrap_or(after))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: ApplicationKind =
                crate::db::parse_enum("applications.kind", &row.try_get::<String, _>("app_kind")?)?;
            let loan = match kind {
                ApplicationKind::Withdrawal => None,
                _ => Some(store::record(row)?),
            };
            Ok(Candidate {
                application_no: row.try_get("app_no")?,
                kind,
                personal_account: row.try_get("app_account")?,
                request: row.try_get("request_json")?,
                figures: row.try_get("figures_json")?,
                loan,
                last_seq: row.try_get("last_seq")?,
            })
        })
        .collect()
}

/// The in-process daily run: once a business day has reached `at`, its batch runs (checked every
/// second against the business clock, so a moved clock is followed). Each replica may run it;
/// the applications' conditional updates make that harmless.
/// After the run, audit entries older than `audit_retention_days` are deleted.
pub async fn daily(
    state: crate::state::AppState,
    at: chrono::NaiveTime,
    workers: usize,
    audit_retention_days: u32,
) {
    let mut last_run: Option<NaiveDate> = None;
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = state.clock.now();
        let local = now.naive_local();
        if local.time() < at || last_run == Some(local.date()) {
            continue;
        }
        match run(&state.db, &state.policy, local.date(), now, workers, None).await {
            Ok(report) => {
                crate::metrics::batch(&report);
                last_run = Some(local.date());
                match crate::account::audit::purge(&state.db, now.timestamp(), audit_retention_days)
                    .await
                {
                    Ok(purged) => {
                        tracing::info!(purged, "audit log entries past retention deleted")
                    }
                    Err(error) => tracing::error!(%error, "cannot purge the audit log"),
                }
            }
            Err(error) => tracing::error!(%error, "daily batch failed; retrying in a minute"),
        }
        if last_run != Some(local.date()) {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    }
}
