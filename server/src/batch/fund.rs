//! The fund's side of an execution: a withdrawal decided on the member as read in its transaction,
//! and a payment out of the member's account (a withdrawal, the fund's
//! part of a prepayment), guarded by the balance read, with its 提取 row in the 缴存明细.

use super::execute::{fen, typed, Change, Outcome};
use super::Candidate;
use crate::error::{Error, Result};
use crate::withdrawal;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use shared::application::{Figures, Request};
use shared::money::to_fen;
use shared::money::{format_thousands, from_fen};
use shared::policy::Policy;
use shared::withdrawal::housing::{allowance_for, Business};
use shared::withdrawal::{retirement_refusal, retirement_unmet};

/// A withdrawal's outcome on the member as read in its transaction: every rule again at the
/// run's date (退休销户提取's, or the housing withdrawal's), the amount within what may be drawn.
pub(super) async fn withdrawal_outcome(
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
            0,
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

/// A payment out of the fund account: the balance read, the amount.
pub(super) struct FundDebit {
    pub(super) personal_account: String,
    pub(super) balance_fen: i64,
    pub(super) amount_fen: i64,
}

/// The part of a prepayment the citizen asked to pay from the fund, in fen (0: 自有资金).
pub(super) fn fund_part(candidate: &Candidate) -> Result<i64> {
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
pub(super) async fn with_fund(
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

/// Pays `debit` out of the fund account: the balance as read (else `false`: it changed), never
/// below 0 nor out of a closed account, and its row in the 缴存明细.
pub(super) async fn debit_fund(
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
