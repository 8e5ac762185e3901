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
    let mut after = String::new();
    loop {
        let page: Vec<String> = sqlx::query_scalar(
            "SELECT application_no FROM applications WHERE status IN ('reserved', 'accepted') \
             AND effective_date <= $1 AND application_no > $2 ORDER BY application_no LIMIT 500",
        )
        .bind(date.to_string())
        .bind(&after)
        .fetch_all(&db.pool)
        .await?;
        let Some(last) = page.last() else { break };
        after = last.clone();
        for application_no in &page {
            match execute(db, policy, date, now, application_no, hook).await {
                Ok(Some(ApplicationStatus::Done)) => report.done += 1,
                Ok(Some(_)) => report.rejected += 1,
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(%application_no, %error, "batch: application rolled back");
                    report.failed += 1;
                }
            }
        }
    }
    tracing::info!(%date, done = report.done, rejected = report.rejected, failed = report.failed, "batch finished");
    Ok(report)
}

/// A change the execution makes besides closing the application.
enum Change {
    Loan {
        before: Box<Loan>,
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
async fn execute(
    db: &Db,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    application_no: &str,
    hook: Option<&Hook>,
) -> Result<Option<ApplicationStatus>> {
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "SELECT kind, status, personal_account, borrower_no, request_json, figures_json \
         FROM applications WHERE application_no = $1",
    )
    .bind(application_no)
    .fetch_one(&mut *tx)
    .await?;
    let status: ApplicationStatus =
        crate::progress::parse_enum(&row.try_get::<String, _>("status")?)?;
    if !status.is_open() {
        return Ok(None);
    }
    let kind: ApplicationKind = crate::progress::parse_enum(&row.try_get::<String, _>("kind")?)?;
    let personal_account: String = row.try_get("personal_account")?;
    let request: String = row.try_get("request_json")?;
    let figures: String = row.try_get("figures_json")?;

    let outcome = if kind == ApplicationKind::Withdrawal {
        let member = withdrawal::member(&mut *tx, &personal_account).await?;
        let accepted: serde_json::Value = parse(&figures)?;
        let amount = accepted["amount"]
            .as_str()
            .and_then(|a| a.parse::<Decimal>().ok())
            .and_then(to_fen);
        let unmet = retirement_unmet(&member.facts, &policy.retirement, date);
        if !unmet.is_empty() {
            let reasons: Vec<&str> = unmet.iter().map(|e| e.message.as_str()).collect();
            Outcome::Rejected(format!("不符合退休销户提取条件：{}", reasons.join("；")))
        } else if amount != Some(member.balance_fen) {
            Outcome::Rejected("账户余额已变化，与受理时不一致，提取未执行".into())
        } else {
            Outcome::Done(Change::Withdrawal {
                personal_account: personal_account.clone(),
                amount_fen: member.balance_fen,
            })
        }
    } else {
        let borrower_no: String = row
            .try_get::<Option<String>, _>("borrower_no")?
            .ok_or_else(|| Error::Internal("loan application without a loan".into()))?;
        let loan_row = sqlx::query(&format!(
            "SELECT {} FROM loans WHERE borrower_no = $1",
            store::LOAN_COLUMNS
        ))
        .bind(&borrower_no)
        .fetch_one(&mut *tx)
        .await?;
        let record = store::record(&loan_row)?;
        let loan = record.loan.clone();
        let change = |after: Loan, transaction: Option<LoanTxn>| Change::Loan {
            before: Box::new(loan.clone()),
            borrower_no: borrower_no.clone(),
            version: record.version,
            after: Box::new(after),
            transaction,
        };
        match kind {
            ApplicationKind::PartialPrepayment => {
                let asked: PrepaymentAsked = parse(&request)?;
                let accepted: PrepaymentTrial = parse(&figures)?;
                let fresh = PrepaymentRequest::parse(
                    &loan,
                    &asked.date.to_string(),
                    &asked.amount.to_string(),
                    asked.mode,
                    asked.new_remaining_periods,
                )
                .and_then(|request| prepayment(&loan, &request));
                match fresh {
                    Ok(trial) if trial == accepted => Outcome::Done(change(
                        after_prepayment(&loan, &trial),
                        Some(LoanTxn {
                            kind: "prepayment",
                            amount: trial.total,
                            principal: trial.prepay_principal,
                            interest: trial.prepay_interest,
                        }),
                    )),
                    Ok(_) => Outcome::Rejected(CHANGED.into()),
                    Err(e) => Outcome::Rejected(format!("{CHANGED}（{}）", e.message)),
                }
            }
            ApplicationKind::Settlement => {
                let asked: SettlementAsked = parse(&request)?;
                let accepted: SettlementTrial = parse(&figures)?;
                match settlement(&loan, asked.date) {
                    Ok(trial) if trial == accepted => Outcome::Done(change(
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
                    )),
                    Ok(_) => Outcome::Rejected(CHANGED.into()),
                    Err(e) => Outcome::Rejected(format!("{CHANGED}（{}）", e.message)),
                }
            }
            ApplicationKind::AdjustTerm => {
                let asked: AdjustAsked = parse(&request)?;
                let accepted: AdjustTermTrial = parse(&figures)?;
                match adjust_term(&loan, asked.new_remaining_periods, policy) {
                    Ok(trial) if trial == accepted => Outcome::Done(change(
                        Loan {
                            remaining_periods: trial.new_remaining_periods,
                            monthly_payment: trial
                                .new_monthly_principal
                                .unwrap_or(trial.new_monthly_payment),
                            maturity_date: trial.new_maturity_date,
                            ..loan.clone()
                        },
                        None,
                    )),
                    Ok(_) => Outcome::Rejected(CHANGED.into()),
                    Err(e) => Outcome::Rejected(format!("{CHANGED}（{}）", e.message)),
                }
            }
            ApplicationKind::ChangeAccount | ApplicationKind::Withdrawal => {
                return Err(Error::Internal(format!("{kind:?} is never due")));
            }
        }
    };

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
            before,
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
                    "loan {borrower_no} changed during the batch"
                )));
            }
            if let Some(txn) = transaction {
                let seq: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM loan_transactions WHERE borrower_no = $1",
                )
                .bind(&borrower_no)
                .fetch_one(&mut **tx)
                .await?;
                sqlx::query(
                    "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, \
                     principal_fen, interest_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&id)
                .bind(&borrower_no)
                .bind(seq)
                .bind(date.to_string())
                .bind(txn.kind)
                .bind(fen(txn.amount)?)
                .bind(fen(txn.principal)?)
                .bind(fen(txn.interest)?)
                .bind(fen(after.balance)?)
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO loan_events (id, borrower_no, at, kind, detail) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(&borrower_no)
            .bind(now.timestamp())
            .bind("batch_executed")
            .bind(format!(
                "申请{application_no}：余额{}→{}，月还款额{}→{}，剩余期数{}→{}",
                before.balance,
                after.balance,
                before.monthly_payment,
                after.monthly_payment,
                before.remaining_periods,
                after.remaining_periods
            ))
            .execute(&mut **tx)
            .await?;
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
                    "member {personal_account} changed during the batch"
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
