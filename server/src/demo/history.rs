//! 明细 for the demo loans: the disbursement and every installment paid, from the engine's schedule
//! of the original loan. 佟一's seed balance (646,609.84 after 28 installments) is one fen above the
//! engine's schedule (646,609.83): the centre rounded one period differently, so the 28th row takes
//! that fen and the history ends exactly at the seed's balance.

use crate::db::Db;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::loan::amortization::{monthly_rate, schedule};
use shared::loan::RepaymentMethod;
use shared::money::to_fen;

struct Row {
    date: NaiveDate,
    kind: &'static str,
    amount: Decimal,
    principal: Decimal,
    interest: Decimal,
    balance: Decimal,
}

/// A loan's original terms.
pub struct Terms {
    pub method: RepaymentMethod,
    pub amount: Decimal,
    pub rate: Decimal,
    pub term: u32,
    pub payment: Decimal,
    pub disbursed: NaiveDate,
}

/// The history `paid` installments in, ending at `balance_now` (the stored balance).
fn history(terms: &Terms, paid: u32, balance_now: Decimal) -> Vec<Row> {
    let due_day = chrono::Datelike::day(&terms.disbursed);
    let plan = schedule(
        terms.method,
        terms.amount,
        monthly_rate(terms.rate),
        terms.term,
        terms.payment,
        terms.disbursed,
        due_day,
    );
    let amount = terms.amount;
    let mut rows = vec![Row {
        date: terms.disbursed,
        kind: "disbursement",
        amount,
        principal: amount,
        interest: Decimal::ZERO,
        balance: amount,
    }];
    let mut balance = amount;
    for (index, period) in plan.rows.iter().take(paid as usize).enumerate() {
        let last = index + 1 == paid as usize;
        let principal = if last {
            balance - balance_now
        } else {
            period.principal
        };
        let interest = period.installment - principal;
        balance -= principal;
        rows.push(Row {
            date: period.due_date,
            kind: "installment",
            amount: period.installment,
            principal,
            interest,
            balance,
        });
    }
    rows
}

/// Writes the history of a demo loan unless it is there.
pub async fn load(
    db: &Db,
    borrower_no: &str,
    terms: &Terms,
    paid: u32,
    balance_now: Decimal,
) -> Result<(), sqlx::Error> {
    let rows = history(terms, paid, balance_now);
    for (seq, row) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, interest_fen, \
             balance_after_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(format!("{borrower_no}-{seq:04}"))
        .bind(borrower_no)
        .bind(seq as i64)
        .bind(row.date.to_string())
        .bind(row.kind)
        .bind(to_fen(row.amount).unwrap_or_default())
        .bind(to_fen(row.principal).unwrap_or_default())
        .bind(to_fen(row.interest).unwrap_or_default())
        .bind(to_fen(row.balance).unwrap_or_default())
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// 明细 for every demo loan, from the stored figures.
/// The history of the demo's own loans (`borrower_nos`), and of no other: a database with imported
/// loans gets no invented history, and the start-up time does not grow with their number.
pub async fn load_all(db: &Db, borrower_nos: &[&str]) -> Result<(), sqlx::Error> {
    let mut rows = Vec::new();
    for borrower_no in borrower_nos {
        rows.extend(
            sqlx::query_as::<_, (String, String, String, String, i64, i64, i64, i64, String, String)>(
                "SELECT borrower_no, method, annual_rate, disbursement_date, amount_fen, term_months, \
                 monthly_payment_fen, balance_fen, last_due_date, status FROM loans WHERE borrower_no = $1",
            )
            .bind(borrower_no)
            .fetch_optional(&db.pool)
            .await?,
        );
    }
    for (borrower_no, method, rate, disbursed, amount, term, payment, balance, last_due, status) in
        rows
    {
        let method = if method == "equal_principal" {
            RepaymentMethod::EqualPrincipal
        } else {
            RepaymentMethod::EqualInstallment
        };
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default();
        let disbursed = date(&disbursed);
        let last_due = date(&last_due);
        let paid = shared::date::months_between(disbursed, last_due).max(0) as u32;
        // A settled loan's history ends with its settlement, which the demo does not invent.
        let paid = if status == "settled" { 0 } else { paid };
        let terms = Terms {
            method,
            amount: shared::money::from_fen(amount),
            rate: rate.parse().unwrap_or_default(),
            term: term as u32,
            payment: shared::money::from_fen(payment),
            disbursed,
        };
        load(
            db,
            &borrower_no,
            &terms,
            paid,
            shared::money::from_fen(balance),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tong_yi_history_ends_at_the_seed_balance() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let disbursed = NaiveDate::from_ymd_opt(2015, 8, 28).unwrap();
        let terms = Terms {
            method: RepaymentMethod::EqualInstallment,
            amount: d("690000"),
            rate: d("3.25"),
            term: 300,
            payment: d("3362.48"),
            disbursed,
        };
        let rows = history(&terms, 28, d("646609.84"));
        assert_eq!(rows.len(), 29);
        assert_eq!(rows[1].date, NaiveDate::from_ymd_opt(2015, 9, 28).unwrap());
        assert_eq!(
            rows[28].date,
            NaiveDate::from_ymd_opt(2017, 12, 28).unwrap()
        );
        assert_eq!(rows[28].balance, d("646609.84"));
        assert!(rows[1..]
            .iter()
            .all(|r| r.amount == d("3362.48") && r.principal + r.interest == r.amount));
        let repaid: Decimal = rows[1..].iter().map(|r| r.principal).sum();
        assert_eq!(repaid, d("690000") - d("646609.84"));
    }
}
