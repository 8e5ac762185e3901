//! Reading loans from the back-office tables into the engine's `Loan` and the page's views. A loan
//! is found only through its borrower: another member's borrower number is simply not found.

use crate::error::{Error, Result};
use crate::state::AppState;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::loan::wire::{CardView, LoanSummary, Pending};
use shared::loan::{Loan, LoanStatus, RepaymentMethod};
use shared::money::from_fen;
use sqlx::any::AnyRow;
use sqlx::Row;

pub const LOAN_COLUMNS: &str = "borrower_no, status, disbursement_date, amount_fen, term_months, balance_fen, loan_type, \
     house_address, annual_rate, method, remaining_periods, monthly_payment_fen, last_due_date, maturity_date, \
     arrears_fen, repay_card_holder, repay_card_bank, repay_card_number, version, due_day";

/// One loan row, typed.
#[derive(Debug, Clone)]
pub struct LoanRecord {
    pub borrower_no: String,
    pub loan: Loan,
    pub amount: Decimal,
    pub term_months: u32,
    pub loan_type: String,
    pub house_address: String,
    pub card_holder: String,
    pub card_bank: String,
    pub card_number: String,
    pub version: i64,
}

fn date(text: String) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|e| Error::Internal(format!("bad date '{text}' in loans: {e}")))
}

pub fn record(row: &AnyRow) -> Result<LoanRecord> {
    let status: LoanStatus =
        crate::db::parse_enum("loans.status", &row.try_get::<String, _>("status")?)?;
    let method: RepaymentMethod =
        crate::db::parse_enum("loans.method", &row.try_get::<String, _>("method")?)?;
    let rate: String = row.try_get("annual_rate")?;
    let disbursement = date(row.try_get("disbursement_date")?)?;
    Ok(LoanRecord {
        borrower_no: row.try_get("borrower_no")?,
        loan: Loan {
            method,
            balance: from_fen(row.try_get("balance_fen")?),
            annual_rate: rate
                .parse()
                .map_err(|_| Error::Internal(format!("bad rate '{rate}'")))?,
            remaining_periods: u32::try_from(row.try_get::<i64, _>("remaining_periods")?)
                .unwrap_or(0),
            monthly_payment: from_fen(row.try_get("monthly_payment_fen")?),
            last_due_date: date(row.try_get("last_due_date")?)?,
            maturity_date: date(row.try_get("maturity_date")?)?,
            arrears: from_fen(row.try_get("arrears_fen")?),
            status,
            disbursement_date: Some(disbursement),
            // The recorded due day: a maturity moved into a short month must not move it.
            due_day: u32::try_from(row.try_get::<i64, _>("due_day")?)
                .ok()
                .filter(|day| (1..=31).contains(day)),
        },
        amount: from_fen(row.try_get("amount_fen")?),
        term_months: u32::try_from(row.try_get::<i64, _>("term_months")?).unwrap_or(0),
        loan_type: row.try_get("loan_type")?,
        house_address: row.try_get("house_address")?,
        card_holder: row.try_get("repay_card_holder")?,
        card_bank: row.try_get("repay_card_bank")?,
        card_number: row.try_get("repay_card_number")?,
        version: row.try_get("version")?,
    })
}

impl LoanRecord {
    /// The repayment card as the pages show it (`card_number` is stored sealed).
    pub fn card_view(&self, key: &crate::protect::DataKey) -> CardView {
        CardView {
            holder: self.card_holder.clone(),
            bank: self.card_bank.clone(),
            number: key.masked_card(&self.card_number),
        }
    }

    pub fn summary(&self, pending: Option<Pending>) -> LoanSummary {
        LoanSummary {
            borrower_no: self.borrower_no.clone(),
            status: self.loan.status,
            disbursement_date: self.loan.disbursement_date.unwrap_or_default(),
            amount: self.amount,
            term_months: self.term_months,
            balance: self.loan.balance,
            loan_type: self.loan_type.clone(),
            house_address: self.house_address.clone(),
            pending,
        }
    }
}

pub async fn own_loan(
    state: &AppState,
    personal_account: &str,
    borrower_no: &str,
) -> Result<LoanRecord> {
    let row = sqlx::query(&format!(
        "SELECT {LOAN_COLUMNS} FROM loans WHERE borrower_no = $1 AND personal_account = $2"
    ))
    .bind(borrower_no)
    .bind(personal_account)
    .fetch_optional(&state.db.pool)
    .await?;
    row.as_ref()
        .map(record)
        .transpose()?
        .ok_or_else(Error::not_found)
}

/// The member's loans, each with its open application if any, in one query.
pub async fn loans_with_pending(
    state: &AppState,
    personal_account: &str,
) -> Result<Vec<(LoanRecord, Option<Pending>)>> {
    let loan_columns: Vec<String> = LOAN_COLUMNS.split(", ").map(|c| format!("l.{c}")).collect();
    let rows = sqlx::query(&format!(
        "SELECT {}, a.application_no AS pending_no, a.kind AS pending_kind, \
         a.effective_date AS pending_date, a.amount_fen AS pending_amount \
         FROM loans l LEFT JOIN applications a ON a.open_slot = 'loan:' || l.borrower_no \
         WHERE l.personal_account = $1 ORDER BY l.borrower_no",
        loan_columns.join(", ")
    ))
    .bind(personal_account)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let pending = match row.try_get::<Option<String>, _>("pending_no")? {
                None => None,
                Some(application_no) => Some(Pending {
                    application_no,
                    kind: crate::db::parse_enum(
                        "applications.kind",
                        &row.try_get::<String, _>("pending_kind")?,
                    )?,
                    effective_date: row
                        .try_get::<Option<String>, _>("pending_date")?
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    amount: row
                        .try_get::<Option<i64>, _>("pending_amount")?
                        .map(from_fen),
                }),
            };
            Ok((record(row)?, pending))
        })
        .collect()
}

/// The open application on a loan, if any.
pub async fn pending(state: &AppState, borrower_no: &str) -> Result<Option<Pending>> {
    let row = sqlx::query_as::<_, (String, String, Option<String>, Option<i64>)>(
        "SELECT application_no, kind, effective_date, amount_fen FROM applications WHERE open_slot = $1",
    )
    .bind(format!("loan:{borrower_no}"))
    .fetch_optional(&state.db.pool)
    .await?;
    row.map(|(application_no, kind, effective_date, amount)| {
        Ok(Pending {
            application_no,
            // An unknown text is an error, never a default kind.
            kind: crate::db::parse_enum("applications.kind", &kind)?,
            effective_date: effective_date
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            amount: amount.map(from_fen),
        })
    })
    .transpose()
}
