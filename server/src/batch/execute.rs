//! One application of a run: its outcome decided by `shared` on what was read, then written in
//! its own transaction (or, for a loan, in one round trip: [`super::fast`]).

use super::fund::{debit_fund, fund_part, fund_rows, with_fund, withdrawal_outcome, FundDebit};
use super::{fast, Attempt, Candidate, Hook};
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use shared::application::{ApplicationKind, ApplicationStatus, Figures, Request};
use shared::loan::compare::after_prepayment;
use shared::loan::trial::{adjust_term, prepayment, settlement, PrepaymentRequest};
use shared::loan::Loan;
use shared::money::to_fen;
use shared::policy::Policy;

/// A change the execution makes besides closing the application.
pub(super) enum Change {
    Loan {
        borrower_no: String,
        version: i64,
        after: Box<Loan>,
        transaction: Option<LoanTxn>,
        /// 资金来源 公积金余额: the fund's part, debited in the same transaction.
        fund: Option<FundDebit>,
    },
    Withdrawal {
        personal_account: String,
        /// The balance read, the amount paid out of it.
        balance_fen: i64,
        amount_fen: i64,
        /// 退休销户提取: the account closes.
        close: bool,
        /// 购房提取: the material whose 剩余额度 goes down.
        material_no: Option<String>,
    },
}

pub(super) struct LoanTxn {
    /// The loan's next transaction number: the last one read with the page, plus one. Every
    /// transaction written also moves the loan's version, so the version guard keeps it current.
    pub(super) seq: i64,
    pub(super) kind: &'static str,
    pub(super) amount: Decimal,
    pub(super) principal: Decimal,
    pub(super) interest: Decimal,
}

pub(super) enum Outcome {
    Done(Change),
    Rejected(String),
}

/// The stored request and figures of the candidate, typed by its kind.
pub(super) fn typed(candidate: &Candidate) -> Result<(Request, Figures)> {
    let stored = |e: shared::ApiError| {
        Error::Internal(format!(
            "application {}: {}",
            candidate.application_no, e.message
        ))
    };
    Ok((
        Request::from_stored(candidate.kind, &candidate.request).map_err(stored)?,
        Figures::from_stored(candidate.kind, &candidate.figures).map_err(stored)?,
    ))
}

const CHANGED: &str = "贷款信息已变化，按最新数据计算的结果与受理时不一致，预约未执行";

/// Executes one application.
///
/// The outcome is decided on what was read; the writes are guarded (the application still open,
/// the loan's version, the member's balance and status), so a change in between is never
/// overwritten: the attempt comes back [`Attempt::Changed`], rolled back.
pub(super) async fn execute(
    conn: &mut sqlx::AnyConnection,
    policy: &Policy,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    candidate: Candidate,
    hook: Option<&Hook>,
) -> Result<Attempt> {
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
    let from_fund = fund_part(&candidate)?;
    if from_fund > 0 {
        // Paid (in part) from the fund: the member is read, and both accounts written, in one
        // transaction.
        let mut tx = conn.begin().await?;
        let outcome = with_fund(&mut tx, policy, outcome, &candidate, from_fund).await?;
        return finish(tx, outcome, date, now, application_no, hook).await;
    }
    if let (Outcome::Done(change @ Change::Loan { .. }), None) = (&outcome, hook) {
        return Ok(
            if fast::execute(conn, change, date, now, application_no).await? {
                Attempt::Closed(ApplicationStatus::Done)
            } else {
                Attempt::Changed
            },
        );
    }
    let tx = conn.begin().await?;
    finish(tx, outcome, date, now, application_no, hook).await
}

fn loan_outcome(policy: &Policy, candidate: &Candidate) -> Result<Outcome> {
    let (request, figures) = typed(candidate)?;
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
        fund: None,
    };
    Ok(match (request, figures) {
        (Request::PartialPrepayment(asked), Figures::PartialPrepayment(accepted)) => {
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
                        seq: candidate.last_seq + 1,
                        kind: "prepayment",
                        amount: trial.total,
                        principal: trial.prepay_principal,
                        interest: trial.prepay_interest,
                    }),
                )
            })
        }
        (Request::Settlement(asked), Figures::Settlement(accepted)) => {
            judge(settlement(&loan, asked.date), &accepted, |trial| {
                change(
                    Loan {
                        balance: Decimal::ZERO,
                        remaining_periods: 0,
                        status: shared::loan::LoanStatus::Settled,
                        ..loan.clone()
                    },
                    Some(LoanTxn {
                        seq: candidate.last_seq + 1,
                        kind: "settlement",
                        amount: trial.total,
                        principal: trial.principal,
                        interest: trial.interest,
                    }),
                )
            })
        }
        (Request::AdjustTerm(asked), Figures::AdjustTerm(accepted)) => judge(
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
        ),
        (request, _) => {
            return Err(Error::Internal(format!(
                "{:?} is never due as a loan's",
                request.kind()
            )));
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
) -> Result<Attempt> {
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
        return Ok(Attempt::Skipped);
    }
    if let Outcome::Done(change) = outcome {
        if !apply(&mut tx, change, date, now, application_no).await? {
            tx.rollback().await?;
            return Ok(Attempt::Changed);
        }
    }
    if let Some(hook) = hook {
        hook(application_no)?;
    }
    tx.commit().await?;
    Ok(Attempt::Closed(status))
}

pub(super) fn fen(value: Decimal) -> Result<i64> {
    to_fen(value).ok_or_else(|| Error::Internal(format!("{value} out of range")))
}

/// Writes `change`; `false` (the caller rolls back) if what it was computed on changed.
async fn apply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    change: Change,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    application_no: &str,
) -> Result<bool> {
    let id = format!("app-{application_no}");
    match change {
        Change::Loan {
            borrower_no,
            version,
            after,
            transaction,
            fund,
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
                return Ok(false);
            }
            if let Some(txn) = transaction {
                sqlx::query(
                    "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, \
                     principal_fen, interest_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&id)
                .bind(&borrower_no)
                .bind(txn.seq)
                .bind(date.to_string())
                .bind(txn.kind)
                .bind(fen(txn.amount)?)
                .bind(fen(txn.principal)?)
                .bind(fen(txn.interest)?)
                .bind(fen(after.balance)?)
                .execute(&mut **tx)
                .await?;
            }
            if let Some(debit) = fund {
                if !debit_fund(tx, &debit, date, now, &id, application_no).await? {
                    return Ok(false);
                }
            }
        }
        Change::Withdrawal {
            personal_account,
            balance_fen,
            amount_fen,
            close,
            material_no,
        } => {
            if close {
                let updated = sqlx::query(
                    "UPDATE members SET balance_fen = 0, account_status = 'closed', updated_at = $1 \
                     WHERE personal_account = $2 AND balance_fen = $3 AND account_status = 'sealed'",
                )
                .bind(now.to_rfc3339())
                .bind(&personal_account)
                .bind(balance_fen)
                .execute(&mut **tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Ok(false);
                }
                fund_rows(
                    tx,
                    &personal_account,
                    balance_fen,
                    amount_fen,
                    date,
                    &id,
                    Some(application_no),
                )
                .await?;
            } else {
                let debit = FundDebit {
                    personal_account: personal_account.clone(),
                    balance_fen,
                    amount_fen,
                };
                if !debit_fund(tx, &debit, date, now, &id, application_no).await? {
                    return Ok(false);
                }
            }
            if let Some(material_no) = material_no {
                let drawn = sqlx::query(
                    "UPDATE withdrawal_materials SET remaining_fen = remaining_fen - $1 \
                     WHERE material_no = $2 AND personal_account = $3 AND status = 'valid' \
                     AND remaining_fen >= $1",
                )
                .bind(amount_fen)
                .bind(&material_no)
                .bind(&personal_account)
                .execute(&mut **tx)
                .await?;
                if drawn.rows_affected() != 1 {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}
