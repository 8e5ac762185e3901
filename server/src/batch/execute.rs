//! One application of a run: its outcome decided by `shared` on what was read, then written in
//! its own transaction (or, for a loan, in one round trip: [`super::fast`]).

use super::{fast, Attempt, Candidate, Hook};
use crate::error::{Error, Result};
use crate::withdrawal;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use shared::application::{ApplicationKind, ApplicationStatus, Figures, Request};
use shared::loan::compare::after_prepayment;
use shared::loan::trial::{adjust_term, prepayment, settlement, PrepaymentRequest};
use shared::loan::Loan;
use shared::money::to_fen;
use shared::money::{format_thousands, from_fen};
use shared::policy::Policy;
use shared::withdrawal::housing::{allowance_for, Business};
use shared::withdrawal::{retirement_refusal, retirement_unmet};

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

/// A payment out of the fund account: the balance read, the amount.
pub(super) struct FundDebit {
    personal_account: String,
    balance_fen: i64,
    amount_fen: i64,
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

enum Outcome {
    Done(Change),
    Rejected(String),
}

/// The stored request and figures of the candidate, typed by its kind.
fn typed(candidate: &Candidate) -> Result<(Request, Figures)> {
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

async fn withdrawal_outcome(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    policy: &Policy,
    date: NaiveDate,
    candidate: &Candidate,
) -> Result<Outcome> {
    let personal_account = &candidate.personal_account;
    let member = withdrawal::member(&mut **tx, personal_account).await?;
    let (asked, amount) = match typed(candidate)? {
        (Request::Withdrawal(asked), Figures::Withdrawal(accepted)) => {
            (asked, to_fen(accepted.amount))
        }
        _ => return Err(Error::Internal("a withdrawal without its figures".into())),
    };
    let amount = amount.ok_or_else(|| Error::Internal("a withdrawal out of range".into()))?;
    // The 缴存明细 must end at the balance paid out of (or be empty: it then starts here).
    let last: Option<i64> = crate::fund::last_balance(tx, personal_account).await?;
    let refused = if asked.business == Business::Retirement {
        let unmet = retirement_unmet(&member.facts, &policy.retirement, date);
        if let Some(refusal) = retirement_refusal(&unmet) {
            Some(refusal.message)
        } else if amount != member.balance_fen {
            Some("账户余额已变化，与受理时不一致，提取未执行".into())
        } else {
            None
        }
    } else {
        // The rules again, on what the fund holds now, at the run's business date.
        let facts = withdrawal::housing::facts(
            tx,
            &member,
            personal_account,
            date,
            policy.housing.rent_recent_deposit_months,
            // The run pays in order on the balance as it is: nothing is counted out of it.
            false,
        )
        .await?;
        let materials = withdrawal::materials_in(tx, personal_account).await?;
        let material = match withdrawal::housing::chosen(&materials, asked.material_no.as_deref()) {
            Ok(material) => material,
            Err(_) => return Ok(Outcome::Rejected("所选提取材料已不存在，提取未执行".into())),
        };
        match allowance_for(asked.business, material, &facts, &policy.housing) {
            Err(errors) => Some(format!(
                "{}，提取未执行",
                withdrawal::housing::refusal(asked.business, &errors)
                    .message
                    .trim_end_matches('。')
            )),
            Ok(allowance) if from_fen(amount) > allowance.max => Some(format!(
                "可提取金额已变为{}元，少于申请的{}元，提取未执行",
                format_thousands(allowance.max),
                format_thousands(from_fen(amount))
            )),
            Ok(_) => None,
        }
    };
    Ok(if let Some(reason) = refused {
        Outcome::Rejected(reason)
    } else if last.is_some_and(|last| last != member.balance_fen) {
        tracing::warn!(%personal_account, "the 缴存明细 does not end at the balance: withdrawal refused");
        Outcome::Rejected("账户明细与账户余额不一致，提取未执行，请到柜台办理".into())
    } else {
        Outcome::Done(Change::Withdrawal {
            personal_account: personal_account.clone(),
            balance_fen: member.balance_fen,
            amount_fen: amount,
            close: asked.close_account,
            material_no: asked.material_no,
        })
    })
}

/// The part of a prepayment the citizen asked to pay from the fund, in fen (0: 自有资金).
fn fund_part(candidate: &Candidate) -> Result<i64> {
    let part = match typed(candidate)?.0 {
        Request::PartialPrepayment(asked) => asked.from_fund,
        Request::Settlement(asked) => asked.from_fund,
        _ => Decimal::ZERO,
    };
    fen(part)
}

/// A loan's outcome when the fund pays `from_fund` of it: refused, with the reason, if the fund
/// cannot pay its part on the date (or its 缴存明细 does not add up); otherwise the debit joins
/// the loan's change.
async fn with_fund(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    policy: &Policy,
    outcome: Outcome,
    candidate: &Candidate,
    from_fund: i64,
) -> Result<Outcome> {
    let Outcome::Done(Change::Loan {
        borrower_no,
        version,
        after,
        transaction,
        fund: None,
    }) = outcome
    else {
        return Ok(outcome);
    };
    let personal_account = &candidate.personal_account;
    let member = withdrawal::member(&mut **tx, personal_account).await?;
    let last: Option<i64> = crate::fund::last_balance(tx, personal_account).await?;
    let usable = if member.facts.account_status == shared::member::AccountStatus::Closed {
        Decimal::ZERO
    } else {
        (from_fen(member.balance_fen) - policy.housing.retain).max(Decimal::ZERO)
    };
    Ok(if usable < from_fen(from_fund) {
        Outcome::Rejected(format!(
            "公积金可用余额{}元不足以支付受理时确定的{}元，提前还款未执行",
            format_thousands(usable),
            format_thousands(from_fen(from_fund))
        ))
    } else if last.is_some_and(|last| last != member.balance_fen) {
        tracing::warn!(%personal_account, "the 缴存明细 does not end at the balance: prepayment refused");
        Outcome::Rejected("账户明细与账户余额不一致，提前还款未执行，请到柜台办理".into())
    } else {
        Outcome::Done(Change::Loan {
            borrower_no,
            version,
            after,
            transaction,
            fund: Some(FundDebit {
                personal_account: personal_account.clone(),
                balance_fen: member.balance_fen,
                amount_fen: from_fund,
            }),
        })
    })
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

/// Pays `debit` out of the fund account: the balance as read (else `false`: it changed), never
/// below 0 nor out of a closed account, and its row in the 缴存明细.
async fn debit_fund(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    debit: &FundDebit,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    id: &str,
    application_no: &str,
) -> Result<bool> {
    let updated = sqlx::query(
        "UPDATE members SET balance_fen = balance_fen - $1, updated_at = $2 \
         WHERE personal_account = $3 AND balance_fen = $4 AND balance_fen >= $1 \
         AND account_status <> 'closed'",
    )
    .bind(debit.amount_fen)
    .bind(now.to_rfc3339())
    .bind(&debit.personal_account)
    .bind(debit.balance_fen)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    fund_rows(
        tx,
        &debit.personal_account,
        debit.balance_fen,
        debit.amount_fen,
        date,
        id,
        Some(application_no),
    )
    .await?;
    Ok(true)
}

/// The 提取 row of a payment out of the fund (after a 期初余额 of the balance paid out of, for a
/// member without a 缴存明细 yet). The member's row is locked by the caller's update: the next
/// seq is this one's.
pub(crate) async fn fund_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    personal_account: &str,
    balance_fen: i64,
    amount_fen: i64,
    date: NaiveDate,
    id: &str,
    application_no: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, \
         balance_after_fen) SELECT $1, $2, 1, $3, 'opening', $4, $4 \
         WHERE NOT EXISTS (SELECT 1 FROM fund_transactions WHERE personal_account = $2)",
    )
    .bind(format!("{id}-opening"))
    .bind(personal_account)
    .bind(date.to_string())
    .bind(balance_fen)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, amount_fen, \
         balance_after_fen, application_no) VALUES ($1, $2, \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM fund_transactions WHERE personal_account = $2), \
         $3, 'withdrawal', $4, $5, $6)",
    )
    .bind(id)
    .bind(personal_account)
    .bind(date.to_string())
    .bind(amount_fen)
    .bind(balance_fen - amount_fen)
    .bind(application_no)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
