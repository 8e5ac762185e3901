//! Reading loans from the back-office tables into the engine's `Loan` and the page's views. A loan
//! is found only through its borrower: another member's borrower number is simply not found.

use crate::account::session::{
    CurrentUser, SessionRow, SessionToken, SESSION_COLUMNS, SESSION_FROM,
};
use crate::db::{Columns, Param};
use crate::error::{Error, Result};
use crate::state::AppState;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::loan::wire::{CardView, LoanSummary, Pending};
use shared::loan::{Loan, LoanStatus, RepaymentMethod};
use shared::money::from_fen;
use std::sync::LazyLock;

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

pub fn record(row: &dyn Columns) -> Result<LoanRecord> {
    let status: LoanStatus = crate::db::parse_enum("loans.status", &row.text("status")?)?;
    let method: RepaymentMethod = crate::db::parse_enum("loans.method", &row.text("method")?)?;
    let rate = row.text("annual_rate")?;
    let disbursement = date(row.text("disbursement_date")?)?;
    Ok(LoanRecord {
        borrower_no: row.text("borrower_no")?,
        loan: Loan {
            method,
            balance: from_fen(row.int("balance_fen")?),
            annual_rate: rate
                .parse()
                .map_err(|_| Error::Internal(format!("bad rate '{rate}'")))?,
            remaining_periods: u32::try_from(row.int("remaining_periods")?).unwrap_or(0),
            monthly_payment: from_fen(row.int("monthly_payment_fen")?),
            last_due_date: date(row.text("last_due_date")?)?,
            maturity_date: date(row.text("maturity_date")?)?,
            arrears: from_fen(row.int("arrears_fen")?),
            status,
            disbursement_date: Some(disbursement),
            // The recorded due day: a maturity moved into a short month must not move it.
            due_day: u32::try_from(row.int("due_day")?)
                .ok()
                .filter(|day| (1..=31).contains(day)),
        },
        amount: from_fen(row.int("amount_fen")?),
        term_months: u32::try_from(row.int("term_months")?).unwrap_or(0),
        loan_type: row.text("loan_type")?,
        house_address: row.text("house_address")?,
        card_holder: row.text("repay_card_holder")?,
        card_bank: row.text("repay_card_bank")?,
        card_number: row.text("repay_card_number")?,
        version: row.int("version")?,
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
        .map(|row| record(row))
        .transpose()?
        .ok_or_else(Error::not_found)
}

/// The session a request names with its member's loans as the list shows them, each with its
/// open application if any: the loan list in one round trip (the session's rules applied as for
/// every request).
pub async fn session_loans(
    state: &AppState,
    token: SessionToken,
) -> Result<(CurrentUser, Vec<LoanSummary>)> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {SESSION_COLUMNS}, l.borrower_no, l.status, l.disbursement_date, l.amount_fen, \
             l.term_months, l.balance_fen, l.loan_type, l.house_address, \
             a.application_no AS pending_no, a.kind AS pending_kind, \
             a.effective_date AS pending_date, a.amount_fen AS pending_amount \
             FROM {SESSION_FROM} LEFT JOIN loans l ON l.personal_account = s.personal_account \
             LEFT JOIN applications a ON a.open_slot = 'loan:' || l.borrower_no \
             WHERE s.token_hash = $1 ORDER BY l.borrower_no"
        )
    });
    // The session's columns are read first and the loans' only once the session is admitted: an
    // ended session is a 401 (and deleted) whatever its member's rows hold.
    let map = |row: &dyn Columns| Ok((SessionRow::read(row)?, listed_loan(row)));
    let rows = state
        .db
        .read_all(&SQL, &[Param::Text(token.hash())], map)
        .await?;
    let session = rows.first().map(|(session, _)| session.clone());
    let user = token.admit(state, session).await?;
    let loans = rows
        .into_iter()
        .map(|(_, loan)| loan)
        .collect::<Result<Vec<_>>>()?;
    Ok((user, loans.into_iter().flatten().collect()))
}

/// A loan of the list as [`session_loans`] reads it; `None` for a member without loans (the
/// session's one row, its loan columns empty).
fn listed_loan(row: &dyn Columns) -> Result<Option<LoanSummary>> {
    let Some(borrower_no) = row.opt_text("borrower_no")? else {
        return Ok(None);
    };
    let pending = match row.opt_text("pending_no")? {
        None => None,
        Some(application_no) => Some(Pending {
            application_no,
            kind: crate::db::parse_enum("applications.kind", &row.text("pending_kind")?)?,
            effective_date: row
                .opt_text("pending_date")?
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            amount: row.opt_int("pending_amount")?.map(from_fen),
        }),
    };
    let summary = LoanSummary {
        borrower_no,
        status: crate::db::parse_enum("loans.status", &row.text("status")?)?,
        disbursement_date: date(row.text("disbursement_date")?)?,
        amount: from_fen(row.int("amount_fen")?),
        term_months: u32::try_from(row.int("term_months")?).unwrap_or(0),
        balance: from_fen(row.int("balance_fen")?),
        loan_type: row.text("loan_type")?,
        house_address: row.text("house_address")?,
        pending,
    };
    Ok(Some(summary))
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
