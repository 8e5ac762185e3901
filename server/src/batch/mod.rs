//! 日终批处理 — the end-of-day run: every application due on or before the date is executed, each
//! in its own transaction, with the figures recomputed by `shared` as at execution. A prepayment,
//! settlement or adjustment whose figures still equal those accepted changes the loan and writes a
//! loan transaction; one whose loan changed meanwhile closes 未通过 with the reason. A withdrawal
//! empties and closes the account. Running a date twice changes nothing the second time: an
//! application is claimed by a conditional update of its open status, so a second run (or a second
//! replica running at the same time) finds nothing to do; a failure rolls back that application
//! whole and leaves it open for the next run.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::loan::store;
use crate::withdrawal;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use shared::loan::compare::after_prepayment;
use shared::loan::trial::{
    adjust_term, prepayment, settlement, AdjustMode, AdjustTermTrial, PrepaymentRequest,
    PrepaymentTrial, SettlementTrial,
};
use shared::loan::Loan;
use shared::money::to_fen;
use shared::policy::Policy;
use shared::progress::{ApplicationKind, ApplicationStatus};
use shared::withdrawal::retirement_unmet;
use sqlx::Row;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub done: usize,
    pub rejected: usize,
    /// Failed and rolled back: still open, executed by the next run.
    pub failed: usize,
}

/// Called inside each application's transaction after its writes, before the commit: tests inject
/// a failure here to show that nothing of that application survives.
pub type Hook = dyn Fn(&str) -> Result<()> + Send + Sync;

/// Executes what is due on `date`. `now` is recorded as the closing time.
pub async fn run(
    db: &Db,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    hook: Option<&Hook>,
) -> Result<Report> {
    let mut report = Report::default();
    // Held connections, a transaction per application, and on PostgreSQL a few workers at once:
    // the run is bound by round trips, not by computing. (SQLite has one writer: one worker.)
    let workers = match (db.backend, hook) {
        (crate::db::Backend::Postgres, None) => std::env::var("HPF_BATCH_WORKERS")
            .ok()
            .and_then(|w| w.parse().ok())
            .unwrap_or(3usize)
            .max(1),
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
    tracing::info!(%date, done = report.done, rejected = report.rejected, failed = report.failed, "batch finished");
    Ok(report)
}

/// What became of one application in a run.
enum Fate {
    Closed(ApplicationStatus),
    /// No longer open when its turn came (closed by another run).
    Skipped,
    /// Rolled back whole; still open for the next run.
    Failed,
}

impl Report {
    fn add(&mut self, fate: Fate) {
        match fate {
            Fate::Closed(ApplicationStatus::Done) => self.done += 1,
            Fate::Closed(_) => self.rejected += 1,
            Fate::Failed => self.failed += 1,
            Fate::Skipped => {}
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
) -> Result<Fate> {
    let application_no = candidate.application_no.clone();
    let mut result = execute(conn, policy, date, now, candidate, hook).await;
    if let Err(Error::Internal(reason)) = &result {
        if reason.starts_with(CHANGED_DURING_RUN) {
            result = match due(conn, date, "", Some(&application_no)).await?.pop() {
                Some(fresh) => execute(conn, policy, date, now, fresh, hook).await,
                None => Ok(None),
            };
        }
    }
    Ok(match result {
        Ok(Some(status)) => Fate::Closed(status),
        Ok(None) => Fate::Skipped,
        Err(error) => {
            tracing::error!(%application_no, %error, "batch: application rolled back");
            Fate::Failed
        }
    })
}

const CHANGED_DURING_RUN: &str = "changed during the batch";

/// A due application as read, with its loan (for loan applications).
struct Candidate {
    application_no: String,
    kind: ApplicationKind,
    personal_account: String,
    request: String,
    figures: String,
    loan: Option<store::LoanRecord>,
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
        "SELECT a.application_no AS app_no, a.kind AS app_kind, a.personal_account AS app_account,          a.request_json, a.figures_json, {} FROM applications a LEFT JOIN loans l ON l.borrower_no = a.borrower_no          WHERE a.status IN ('reserved', 'accepted') AND a.effective_date <= $1 AND {filter}          ORDER BY a.application_no LIMIT 2000",
        loan_columns.join(", ")
    ))
    .bind(date.to_string())
    .bind(only.unwrap_or(after))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: ApplicationKind =
                crate::progress::parse_enum(&row.try_get::<String, _>("app_kind")?)?;
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
            })
        })
        .collect()
}

/// A change the execution makes besides closing the application.
enum Change {
    Loan {
        borrower_no: String,
        version: i64,
        after: Box<Loan>,
        transaction: Option<LoanTxn>,
    },
    Withdrawal {
        personal_account: String,
        amount_fen: i64,
    },
}

struct LoanTxn {
    kind: &'static str,
    amount: Decimal,
    principal: Decimal,
    interest: Decimal,
}

enum Outcome {
    Done(Change),
    Rejected(String),
}

#[derive(Deserialize)]
struct PrepaymentAsked {
    date: NaiveDate,
    amount: Decimal,
    mode: AdjustMode,
    new_remaining_periods: Option<u32>,
}

#[derive(Deserialize)]
struct SettlementAsked {
    date: NaiveDate,
}

#[derive(Deserialize)]
struct AdjustAsked {
    new_remaining_periods: u32,
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored application: {e}")))
}

const CHANGED: &str = "贷款信息已变化，按最新数据计算的结果与受理时不一致，预约未执行";

/// Executes one application: `Some(status)` it closed with, `None` if it was no longer open.
///
/// The outcome is decided on what was read; the writes are guarded (the application still open,
/// the loan's version, the member's balance and status), so a change in between is never
/// overwritten: it fails this attempt, and the run reads afresh.
async fn execute(
    conn: &mut sqlx::AnyConnection,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    candidate: Candidate,
    hook: Option<&Hook>,
) -> Result<Option<ApplicationStatus>> {
    use sqlx::Connection;
    if candidate.kind == ApplicationKind::Withdrawal {
        // A withdrawal reads the member inside its transaction.
        let mut tx = conn.begin().await?;
        let outcome = withdrawal_outcome(&mut tx, policy, date, &candidate).await?;
        return finish(tx, outcome, date, now, &candidate.application_no, hook).await;
    }
    // A loan was read with the page.
    let outcome = loan_outcome(policy, &candidate)?;
    let application_no = candidate.application_no.as_str();
    if let (Outcome::Done(change @ Change::Loan { .. }), None) = (&outcome, hook) {
        return if fast::execute(conn, change, date, now, application_no).await? {
            Ok(Some(ApplicationStatus::Done))
        } else {
            Err(Error::Internal(format!(
                "{CHANGED_DURING_RUN}: application {application_no}"
            )))
        };
    }
    let tx = conn.begin().await?;
    finish(tx, outcome, date, now, application_no, hook).await
}

async fn withdrawal_outcome(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    policy: &Policy,
    date: NaiveDate,
    candidate: &Candidate,
) -> Result<Outcome> {
    let (personal_account, figures) = (&candidate.personal_account, &candidate.figures);
    let member = withdrawal::member(&mut **tx, personal_account).await?;
    let accepted: serde_json::Value = parse(figures)?;
    let amount = accepted["amount"]
        .as_str()
        .and_then(|a| a.parse::<Decimal>().ok())
        .and_then(to_fen);
    let unmet = retirement_unmet(&member.facts, &policy.retirement, date);
    Ok(if !unmet.is_empty() {
        let reasons: Vec<&str> = unmet.iter().map(|e| e.message.as_str()).collect();
        Outcome::Rejected(format!("不符合退休销户提取条件：{}", reasons.join("；")))
    } else if amount != Some(member.balance_fen) {
        Outcome::Rejected("账户余额已变化，与受理时不一致，提取未执行".into())
    } else {
        Outcome::Done(Change::Withdrawal {
            personal_account: personal_account.clone(),
            amount_fen: member.balance_fen,
        })
    })
}

fn loan_outcome(policy: &Policy, candidate: &Candidate) -> Result<Outcome> {
    let (kind, request, figures) = (candidate.kind, &candidate.request, &candidate.figures);
    let record = candidate
        .loan
        .clone()
        .ok_or_else(|| Error::Internal("loan application without a loan".into()))?;
    let borrower_no = record.borrower_no.clone();
    let loan = record.loan.clone();
    let change = |after: Loan, transaction: Option<LoanTxn>| Change::Loan {
        borrower_no: borrower_no.clone(),
        version: record.version,
        after: Box::new(after),
        transaction,
    };
    Ok(match kind {
        ApplicationKind::PartialPrepayment => {
            let asked: PrepaymentAsked = parse(request)?;
            let accepted: PrepaymentTrial = parse(figures)?;
            let fresh = PrepaymentRequest::parse(
                &loan,
                &asked.date.to_string(),
                &asked.amount.to_string(),
                asked.mode,
                asked.new_remaining_periods,
            )
            .and_then(|request| prepayment(&loan, &request));
            judge(fresh, &accepted, |trial| {
                change(
                    after_prepayment(&loan, &trial),
                    Some(LoanTxn {
                        kind: "prepayment",
                        amount: trial.total,
                        principal: trial.prepay_principal,
                        interest: trial.prepay_interest,
                    }),
                )
            })
        }
        ApplicationKind::Settlement => {
            let asked: SettlementAsked = parse(request)?;
            let accepted: SettlementTrial = parse(figures)?;
            judge(settlement(&loan, asked.date), &accepted, |trial| {
                change(
                    Loan {
                        balance: Decimal::ZERO,
                        remaining_periods: 0,
                        status: shared::loan::LoanStatus::Settled,
                        ..loan.clone()
                    },
                    Some(LoanTxn {
                        kind: "settlement",
                        amount: trial.total,
                        principal: trial.principal,
                        interest: trial.interest,
                    }),
                )
            })
        }
        ApplicationKind::AdjustTerm => {
            let asked: AdjustAsked = parse(request)?;
            let accepted: AdjustTermTrial = parse(figures)?;
            judge(
                adjust_term(&loan, asked.new_remaining_periods, policy),
                &accepted,
                |trial| {
                    change(
                        Loan {
                            remaining_periods: trial.new_remaining_periods,
                            monthly_payment: trial
                                .new_monthly_principal
                                .unwrap_or(trial.new_monthly_payment),
                            maturity_date: trial.new_maturity_date,
                            ..loan.clone()
                        },
                        None,
                    )
                },
            )
        }
        ApplicationKind::ChangeAccount | ApplicationKind::Withdrawal => {
            return Err(Error::Internal(format!("{kind:?} is never due")));
        }
    })
}

/// Done with `change` if the recomputed figures equal those accepted; otherwise 未通过, with the
/// engine's reason when the request no longer holds at all.
fn judge<T: PartialEq>(
    fresh: std::result::Result<T, shared::ApiError>,
    accepted: &T,
    change: impl FnOnce(T) -> Change,
) -> Outcome {
    match fresh {
        Ok(trial) if trial == *accepted => Outcome::Done(change(trial)),
        Ok(_) => Outcome::Rejected(CHANGED.into()),
        Err(e) => Outcome::Rejected(format!("{CHANGED}（{}）", e.message)),
    }
}

/// Closes the application and applies its change in `tx`, then commits.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    outcome: Outcome,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    application_no: &str,
    hook: Option<&Hook>,
) -> Result<Option<ApplicationStatus>> {
    let (status, reason) = match &outcome {
        Outcome::Done(_) => (ApplicationStatus::Done, None),
        Outcome::Rejected(reason) => (ApplicationStatus::Rejected, Some(reason.clone())),
    };
    let claimed = sqlx::query(
        "UPDATE applications SET status = $1, reason = $2, open_slot = NULL, closed_at = $3 \
         WHERE application_no = $4 AND status IN ('reserved', 'accepted')",
    )
    .bind(if status == ApplicationStatus::Done {
        "done"
    } else {
        "rejected"
    })
    .bind(reason)
    .bind(now.timestamp())
    .bind(application_no)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        // Another run closed it first.
        tx.rollback().await?;
        return Ok(None);
    }
    if let Outcome::Done(change) = outcome {
        apply(&mut tx, change, date, now, application_no).await?;
    }
    if let Some(hook) = hook {
        hook(application_no)?;
    }
    tx.commit().await?;
    Ok(Some(status))
}

fn fen(value: Decimal) -> Result<i64> {
    to_fen(value).ok_or_else(|| Error::Internal(format!("{value} out of range")))
}

async fn apply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    change: Change,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    application_no: &str,
) -> Result<()> {
    let id = format!("app-{application_no}");
    match change {
        Change::Loan {
            borrower_no,
            version,
            after,
            transaction,
        } => {
            let status = match after.status {
                shared::loan::LoanStatus::Settled => "settled",
                shared::loan::LoanStatus::Normal => "normal",
            };
            let updated = sqlx::query(
                "UPDATE loans SET balance_fen = $1, remaining_periods = $2, monthly_payment_fen = $3, \
                 maturity_date = $4, status = $5, version = version + 1, updated_at = $6 \
                 WHERE borrower_no = $7 AND version = $8",
            )
            .bind(fen(after.balance)?)
            .bind(i64::from(after.remaining_periods))
            .bind(fen(after.monthly_payment)?)
            .bind(after.maturity_date.to_string())
            .bind(status)
            .bind(now.to_rfc3339())
            .bind(&borrower_no)
            .bind(version)
            .execute(&mut **tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(Error::Internal(format!(
                    "{CHANGED_DURING_RUN}: loan {borrower_no}"
                )));
            }
            if let Some(txn) = transaction {
                sqlx::query(
                    "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, \
                     principal_fen, interest_fen, balance_after_fen) VALUES ($1, $2, \
                     (SELECT COALESCE(MAX(seq), 0) + 1 FROM loan_transactions WHERE borrower_no = $2), \
                     $3, $4, $5, $6, $7, $8)",
                )
                .bind(&id)
                .bind(&borrower_no)
                .bind(date.to_string())
                .bind(txn.kind)
                .bind(fen(txn.amount)?)
                .bind(fen(txn.principal)?)
                .bind(fen(txn.interest)?)
                .bind(fen(after.balance)?)
                .execute(&mut **tx)
                .await?;
            }
        }
        Change::Withdrawal {
            personal_account,
            amount_fen,
        } => {
            let updated = sqlx::query(
                "UPDATE members SET balance_fen = 0, account_status = 'closed', updated_at = $1 \
                 WHERE personal_account = $2 AND balance_fen = $3 AND account_status = 'sealed'",
            )
            .bind(now.to_rfc3339())
            .bind(&personal_account)
            .bind(amount_fen)
            .execute(&mut **tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(Error::Internal(format!(
                    "member {personal_account} changed after it was read"
                )));
            }
            sqlx::query(
                "INSERT INTO member_transactions (id, personal_account, txn_date, kind, amount_fen, \
                 balance_after_fen, application_no) VALUES ($1, $2, $3, 'withdrawal', $4, 0, $5)",
            )
            .bind(&id)
            .bind(&personal_account)
            .bind(date.to_string())
            .bind(amount_fen)
            .bind(application_no)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The in-process daily run: once a business day has reached `at`, its batch runs (checked every
/// second against the business clock, so a moved clock is followed). Each replica may run it;
/// the applications' conditional updates make that harmless.
pub async fn daily(state: crate::state::AppState, at: chrono::NaiveTime) {
    let mut last_run: Option<NaiveDate> = None;
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = state.clock.now();
        let local = now.naive_local();
        if local.time() < at || last_run == Some(local.date()) {
            continue;
        }
        match run(&state.db, &state.policy, local.date(), now, None).await {
            Ok(_) => last_run = Some(local.date()),
            Err(error) => tracing::error!(%error, "daily batch failed; retrying in a minute"),
        }
        if last_run != Some(local.date()) {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    }
}

/// A loan application executed in one round trip: the run is bound by round trips (a statement
/// costs ~80 µs of thread hand-off on SQLite, a network round trip on PostgreSQL), and 100 000
/// reservations must run in a minute. One transaction still: an SQLite script between `BEGIN
/// IMMEDIATE` and `COMMIT`, or one PostgreSQL statement of chained data-modifying CTEs. The loan
/// is updated only if its version is the one computed on and the application is still open; the
/// application is closed only if the loan was; the transaction row is written only if both were.
/// Both are prepared once per connection, with parameters.
mod fast {
    use super::{fen, Change};
    use crate::error::{Error, Result};
    use chrono::{DateTime, FixedOffset, NaiveDate};
    use sqlx::{AnyConnection, Row};

    /// SQLite: a script, its statements sharing the parameters (`$n` names one argument
    /// wherever it appears); `changes()` is the rows of the previous statement.
    const SQLITE: &str = "BEGIN IMMEDIATE; \
        UPDATE loans SET balance_fen = $1, remaining_periods = $2, monthly_payment_fen = $3, maturity_date = $4, \
        status = $5, version = version + 1, updated_at = $6 WHERE borrower_no = $7 AND version = $8 AND \
        EXISTS (SELECT 1 FROM applications WHERE application_no = $9 AND status IN ('reserved', 'accepted')); \
        UPDATE applications SET status = 'done', reason = NULL, open_slot = NULL, closed_at = $10 \
        WHERE application_no = $9 AND status IN ('reserved', 'accepted') AND changes() = 1; \
        INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
        interest_fen, balance_after_fen) SELECT $11, $7, (SELECT COALESCE(MAX(seq), 0) + 1 \
        FROM loan_transactions WHERE borrower_no = $7), $12, $13, $14, $15, $16, $1 WHERE $17 AND changes() = 1; \
        COMMIT; \
        SELECT CASE WHEN status = 'done' AND closed_at = $10 THEN 1 ELSE 0 END AS n FROM applications \
        WHERE application_no = $9";

    /// PostgreSQL: one statement of chained data-modifying CTEs.
    const POSTGRES: &str = "WITH loan AS (UPDATE loans SET balance_fen = $1, remaining_periods = $2, \
        monthly_payment_fen = $3, maturity_date = $4, status = $5, version = version + 1, updated_at = $6 \
        WHERE borrower_no = $7 AND version = $8 AND EXISTS (SELECT 1 FROM applications \
        WHERE application_no = $9 AND status IN ('reserved', 'accepted')) RETURNING 1 AS ok), \
        app AS (UPDATE applications SET status = 'done', reason = NULL, open_slot = NULL, closed_at = $10 \
        WHERE application_no = $9 AND status IN ('reserved', 'accepted') AND EXISTS (SELECT 1 FROM loan) \
        RETURNING 1 AS ok), \
        txn AS (INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
        interest_fen, balance_after_fen) SELECT $11::TEXT, $7::TEXT, (SELECT COALESCE(MAX(seq), 0) + 1 \
        FROM loan_transactions WHERE borrower_no = $7), $12::TEXT, $13::TEXT, $14::BIGINT, $15::BIGINT, \
        $16::BIGINT, $1::BIGINT WHERE $17 AND EXISTS (SELECT 1 FROM app) RETURNING 1 AS ok) \
        SELECT COUNT(*) AS n FROM app";

    /// `true` if the application was executed; `false` if its loan or status had changed.
    pub async fn execute(
        conn: &mut AnyConnection,
        change: &Change,
        date: NaiveDate,
        now: DateTime<FixedOffset>,
        application_no: &str,
    ) -> Result<bool> {
        let Change::Loan {
            borrower_no,
            version,
            after,
            transaction,
        } = change
        else {
            return Err(Error::Internal("the fast path is for loans".into()));
        };
        let sqlite = conn.backend_name().eq_ignore_ascii_case("sqlite");
        let (kind, amount, principal, interest) = match transaction {
            Some(t) => (t.kind, fen(t.amount)?, fen(t.principal)?, fen(t.interest)?),
            None => ("prepayment", 0, 0, 0),
        };
        let answer = sqlx::query(if sqlite { SQLITE } else { POSTGRES })
            .bind(fen(after.balance)?)
            .bind(i64::from(after.remaining_periods))
            .bind(fen(after.monthly_payment)?)
            .bind(after.maturity_date.to_string())
            .bind(match after.status {
                shared::loan::LoanStatus::Settled => "settled",
                shared::loan::LoanStatus::Normal => "normal",
            })
            .bind(now.to_rfc3339())
            .bind(borrower_no.as_str())
            .bind(*version)
            .bind(application_no)
            .bind(now.timestamp())
            .bind(format!("app-{application_no}"))
            .bind(date.to_string())
            .bind(kind)
            .bind(amount)
            .bind(principal)
            .bind(interest)
            .bind(transaction.is_some())
            .fetch_all(&mut *conn)
            .await;
        match answer {
            Ok(rows) => match rows.last() {
                Some(row) => Ok(row.try_get::<i64, _>("n")? == 1),
                None => Ok(false),
            },
            Err(error) => {
                if sqlite {
                    // The script stopped inside its transaction: end it.
                    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                }
                Err(error.into())
            }
        }
    }
}
