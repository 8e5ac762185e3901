//! 导入 — `hpf import --members members.csv --loans loans.csv --deposits deposits.csv`: the fund's
//! back office loads or updates members (by 个人账号), loans (by 借款人编号) and adds to members'
//! 缴存明细 (a member's rows in the file follow the rows already held, and the history must end at
//! the member's balance; a balance changed without the rows that explain it is refused), and
//! replaces the property records (who owns a house in the city) of each person `--properties`
//! names, and puts the 提取材料 of `--materials` in place by number. Every row is checked first — with the
//! same `shared` rules the hall uses (证件号码 check digit, 手机号, amounts, the engine's loan
//! sanity) — and every invalid row is reported with its line number and reason; if any row is
//! invalid nothing is imported. The writes run in one transaction.

mod deposits;
mod materials;
mod properties;
mod rows;

use crate::db::Db;
use crate::error::Result;
use crate::protect::DataKey;
use deposits::{check_deposits, History};
use rows::{loan_row, member_row, read, LoanRow, MemberRow};
use rust_decimal::Decimal;
use shared::loan::{LoanStatus, RepaymentMethod};
use shared::money::to_fen;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

pub const MEMBER_COLUMNS: [&str; 11] = [
    "personal_account",
    "name",
    "id_number",
    "phone",
    "unit_account",
    "unit_name",
    "account_status",
    "balance",
    "card_bank",
    "card_number",
    "card_status",
];

pub const LOAN_COLUMNS: [&str; 18] = [
    "borrower_no",
    "personal_account",
    "status",
    "disbursement_date",
    "amount",
    "term_months",
    "balance",
    "loan_type",
    "house_address",
    "annual_rate",
    "method",
    "remaining_periods",
    "monthly_payment",
    "last_due_date",
    "maturity_date",
    "arrears",
    "repay_card_bank",
    "repay_card_number",
];

pub const DEPOSIT_COLUMNS: [&str; 8] = [
    "personal_account",
    "date",
    "kind",
    "period",
    "unit_amount",
    "personal_amount",
    "amount",
    "balance",
];

pub const PROPERTY_COLUMNS: [&str; 2] = ["id_number", "address"];

/// An invalid row: file, line (1 = the header), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub members: usize,
    pub loans: usize,
    /// 缴存明细 rows.
    pub deposits: usize,
    /// Property records.
    pub properties: usize,
    /// 提取材料.
    pub materials: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} member(s), {} loan(s), {} deposit row(s), {} property record(s) and {} material(s)",
            self.members, self.loans, self.deposits, self.properties, self.materials
        )
    }
}

/// The files of one import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Files<'a> {
    pub members: Option<&'a Path>,
    pub loans: Option<&'a Path>,
    pub deposits: Option<&'a Path>,
    pub properties: Option<&'a Path>,
    pub materials: Option<&'a Path>,
}

/// Checks the files, then writes everything in one transaction. `Ok(Err(rows))` lists every
/// invalid row (nothing written); `Err` is a database failure (nothing written either).
pub async fn run(
    db: &Db,
    key: &DataKey,
    rates: &[shared::fund::DepositRate],
    files: Files<'_>,
) -> std::result::Result<std::result::Result<Summary, Vec<RowError>>, String> {
    let Files {
        members,
        loans,
        deposits,
        properties,
        materials,
    } = files;
    let today = crate::clock::Clock::real().local_now().date();
    let mut errors = Vec::new();
    let mut member_rows = Vec::new();
    let mut loan_rows = Vec::new();
    let mut seen = HashSet::new();
    if let Some(path) = members {
        match read(path, &MEMBER_COLUMNS) {
            Ok(rows) => {
                for (line, fields) in rows {
                    let error = |reason: String| RowError {
                        file: path.display().to_string(),
                        line,
                        reason,
                    };
                    match member_row(&fields, today) {
                        Ok(row) if !seen.insert(row.personal_account.clone()) => {
                            errors.push(error(format!(
                                "personal_account: {} appears twice",
                                row.personal_account
                            )))
                        }
                        Ok(mut row) => {
                            row.file = path.display().to_string();
                            row.line = line;
                            member_rows.push(row)
                        }
                        Err(reason) => errors.push(error(reason)),
                    }
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if let Some(path) = loans {
        let mut borrowers = HashSet::new();
        match read(path, &LOAN_COLUMNS) {
            Ok(rows) => {
                for (line, fields) in rows {
                    let error = |reason: String| RowError {
                        file: path.display().to_string(),
                        line,
                        reason,
                    };
                    match loan_row(&fields) {
                        Ok(row) if !borrowers.insert(row.borrower_no.clone()) => errors.push(
                            error(format!("borrower_no: {} appears twice", row.borrower_no)),
                        ),
                        Ok(row) => loan_rows.push((line, path, row)),
                        Err(reason) => errors.push(error(reason)),
                    }
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    // Unknown members: neither in the members file nor in the database.
    let known: HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT personal_account FROM members")
            .fetch_all(&db.pool)
            .await
            .map_err(|e| format!("cannot read members: {e}"))?
            .into_iter()
            .chain(seen.iter().cloned())
            .collect();
    for (line, path, row) in &loan_rows {
        if !known.contains(&row.personal_account) {
            errors.push(RowError {
                file: path.display().to_string(),
                line: *line,
                reason: format!("personal_account: unknown member {}", row.personal_account),
            });
        }
    }
    let histories = check_deposits(
        db,
        today,
        rates,
        deposits,
        &member_rows,
        &known,
        &mut errors,
    )
    .await?;
    let property_rows = match properties {
        Some(path) => properties::check(path, today, &mut errors),
        None => Vec::new(),
    };
    let material_rows = match materials {
        Some(path) => materials::check(path, &known, &mut errors),
        None => Vec::new(),
    };
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Ok(Err(errors));
    }
    let loans: Vec<LoanRow> = loan_rows.into_iter().map(|(_, _, row)| row).collect();
    write(
        db,
        key,
        &member_rows,
        &loans,
        &histories,
        &property_rows,
        &material_rows,
    )
    .await
    .map_err(|e| format!("the import failed and was rolled back: {e}"))?;
    Ok(Ok(Summary {
        members: member_rows.len(),
        loans: loans.len(),
        deposits: histories.iter().map(|h| h.rows.len()).sum(),
        properties: property_rows.len(),
        materials: material_rows.len(),
    }))
}

async fn write(
    db: &Db,
    key: &DataKey,
    members: &[MemberRow],
    loans: &[LoanRow],
    histories: &[History],
    properties: &[(String, String)],
    material_rows: &[materials::MaterialRow],
) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    let mut tx = db.pool.begin().await?;
    for m in members {
        let (bank, number, status) = match &m.card {
            Some((bank, number, status)) => {
                (Some(bank.as_str()), Some(number.as_str()), Some(*status))
            }
            None => (None, None, None),
        };
        sqlx::query(
            "INSERT INTO members (personal_account, name, id_number, phone, gender, birth_date, unit_account, \
             unit_name, account_status, balance_fen, card_holder, card_bank, card_number, card_status, updated_at, \
             id_number_lookup, phone_lookup, deposit_base_fen, unit_rate, personal_rate, opened_on, paid_through) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             COALESCE($18, 0), COALESCE($19, '0'), COALESCE($20, '0'), $21, $22) \
             ON CONFLICT (personal_account) DO UPDATE SET name = excluded.name, id_number = excluded.id_number, \
             phone = excluded.phone, gender = excluded.gender, birth_date = excluded.birth_date, \
             id_number_lookup = excluded.id_number_lookup, phone_lookup = excluded.phone_lookup, \
             unit_account = excluded.unit_account, unit_name = excluded.unit_name, \
             account_status = excluded.account_status, balance_fen = excluded.balance_fen, \
             card_holder = excluded.card_holder, card_bank = excluded.card_bank, \
             card_number = excluded.card_number, card_status = excluded.card_status, updated_at = excluded.updated_at, \
             deposit_base_fen = COALESCE($18, members.deposit_base_fen), \
             unit_rate = COALESCE($19, members.unit_rate), personal_rate = COALESCE($20, members.personal_rate), \
             opened_on = COALESCE($21, members.opened_on), paid_through = COALESCE($22, members.paid_through)",
        )
        .bind(&m.personal_account)
        .bind(&m.name)
        .bind(key.seal(&m.id_number))
        .bind(key.seal(&m.phone))
        .bind(m.gender)
        .bind(m.birth_date.to_string())
        .bind(&m.unit_account)
        .bind(&m.unit_name)
        .bind(m.account_status)
        .bind(m.balance_fen)
        .bind(m.card.as_ref().map(|_| m.name.clone()))
        .bind(bank)
        .bind(number.map(|n| key.seal(n)))
        .bind(status)
        .bind(&now)
        .bind(key.lookup(&m.id_number))
        .bind(key.lookup(&m.phone))
        .bind(m.contribution.map(|c| to_fen(c.base).unwrap_or_default()))
        .bind(m.contribution.map(|c| c.unit_rate.to_string()))
        .bind(m.contribution.map(|c| c.personal_rate.to_string()))
        .bind(m.opened_on.map(|d| d.to_string()))
        .bind(m.paid_through.clone())
        .execute(&mut *tx)
        .await?;
    }
    for l in loans {
        let loan = &l.loan;
        // A file older than an installment the hall paid by 按月对冲 would move the loan back
        // under a fund already debited: refused, the whole import rolled back.
        let ahead: Option<String> = sqlx::query_scalar(
            "SELECT MAX(txn_date) FROM loan_transactions WHERE borrower_no = $1 AND id LIKE 'offset-%' \
             AND txn_date > $2",
        )
        .bind(&l.borrower_no)
        .bind(loan.last_due_date.to_string())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(paid) = ahead {
            return Err(crate::error::Error::Internal(format!(
                "loan {}: last_due_date {} is before the installment of {paid} the hall paid by 按月对冲; \
                 import a file that includes it",
                l.borrower_no, loan.last_due_date
            )));
        }
        let fen = |v: Decimal| to_fen(v).unwrap_or_default();
        sqlx::query(
            "INSERT INTO loans (borrower_no, personal_account, status, disbursement_date, amount_fen, term_months, \
             balance_fen, loan_type, house_address, annual_rate, method, due_day, remaining_periods, \
             monthly_payment_fen, last_due_date, maturity_date, arrears_fen, repay_card_holder, repay_card_bank, \
             repay_card_number, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             (SELECT name FROM members WHERE personal_account = $2), $18, $19, 0, $20) \
             ON CONFLICT (borrower_no) DO UPDATE SET personal_account = excluded.personal_account, \
             status = excluded.status, disbursement_date = excluded.disbursement_date, amount_fen = excluded.amount_fen, \
             term_months = excluded.term_months, balance_fen = excluded.balance_fen, loan_type = excluded.loan_type, \
             house_address = excluded.house_address, annual_rate = excluded.annual_rate, method = excluded.method, \
             due_day = excluded.due_day, remaining_periods = excluded.remaining_periods, \
             monthly_payment_fen = excluded.monthly_payment_fen, last_due_date = excluded.last_due_date, \
             maturity_date = excluded.maturity_date, arrears_fen = excluded.arrears_fen, \
             repay_card_holder = excluded.repay_card_holder, repay_card_bank = excluded.repay_card_bank, \
             repay_card_number = excluded.repay_card_number, version = loans.version + 1, updated_at = excluded.updated_at",
        )
        .bind(&l.borrower_no)
        .bind(&l.personal_account)
        .bind(match loan.status {
            LoanStatus::Normal => "normal",
            LoanStatus::Settled => "settled",
        })
        .bind(loan.disbursement_date.map(|d| d.to_string()))
        .bind(l.amount_fen)
        .bind(l.term_months)
        .bind(fen(loan.balance))
        .bind(&l.loan_type)
        .bind(&l.house_address)
        .bind(loan.annual_rate.to_string())
        .bind(match loan.method {
            RepaymentMethod::EqualInstallment => "equal_installment",
            RepaymentMethod::EqualPrincipal => "equal_principal",
        })
        .bind(i64::from(loan.due_day()))
        .bind(i64::from(loan.remaining_periods))
        .bind(fen(loan.monthly_payment))
        .bind(loan.last_due_date.to_string())
        .bind(loan.maturity_date.to_string())
        .bind(fen(loan.arrears))
        .bind(&l.repay_card_bank)
        .bind(key.seal(&l.repay_card_number))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    for history in histories {
        // Rows written since the check (a withdrawal executed meanwhile) take these seqs: the
        // unique (personal_account, seq) then rolls the whole import back.
        for (i, entry) in history.rows.iter().enumerate() {
            crate::fund::insert_row(
                &mut *tx,
                &history.personal_account,
                history.after_seq + i as i64 + 1,
                entry,
            )
            .await?;
        }
    }
    properties::write(&mut tx, key, properties, &now).await?;
    materials::write(&mut tx, material_rows, &now).await?;
    // Inside the transaction, whatever ran meanwhile (a withdrawal executed by the end-of-day
    // run): every member touched has a 缴存明细 that ends at the balance, or none.
    let touched: std::collections::BTreeSet<&str> = members
        .iter()
        .map(|m| m.personal_account.as_str())
        .chain(histories.iter().map(|h| h.personal_account.as_str()))
        .collect();
    for account in touched {
        let off: Option<(i64, i64)> = sqlx::query_as(
            "SELECT m.balance_fen, f.balance_after_fen FROM members m \
             JOIN fund_transactions f ON f.personal_account = m.personal_account \
             WHERE m.personal_account = $1 AND f.seq = \
               (SELECT MAX(seq) FROM fund_transactions WHERE personal_account = $1) \
               AND f.balance_after_fen <> m.balance_fen",
        )
        .bind(account)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((balance, last)) = off {
            return Err(crate::error::Error::Internal(format!(
                "member {account}: the balance {} and the 缴存明细's last balance {} differ (changed while importing?)",
                shared::money::from_fen(balance),
                shared::money::from_fen(last)
            )));
        }
    }
    tx.commit().await?;
    Ok(())
}
