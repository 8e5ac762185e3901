//! 导入 — `hpf import --members members.csv --loans loans.csv`: the fund's back office loads or
//! updates members (by 个人账号) and loans (by 借款人编号). Every row is checked first — with the
//! same `shared` rules the hall uses (证件号码 check digit, 手机号, amounts, the engine's loan
//! sanity) — and every invalid row is reported with its line number and reason; if any row is
//! invalid nothing is imported. The writes run in one transaction.

use crate::db::Db;
use crate::error::Result;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::account::{Gender, IdNumber, PersonName, Phone};
use shared::loan::{Loan, LoanStatus, RepaymentMethod};
use shared::member::CardNumber;
use shared::money::{parse_amount, to_fen};
use std::collections::{HashMap, HashSet};
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
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} member(s) and {} loan(s)",
            self.members, self.loans
        )
    }
}

struct MemberRow {
    personal_account: String,
    name: String,
    id_number: String,
    phone: String,
    gender: &'static str,
    birth_date: NaiveDate,
    unit_account: String,
    unit_name: String,
    account_status: &'static str,
    balance_fen: i64,
    card: Option<(String, String, &'static str)>,
}

struct LoanRow {
    borrower_no: String,
    personal_account: String,
    loan: Loan,
    amount_fen: i64,
    term_months: i64,
    loan_type: String,
    house_address: String,
    repay_card_bank: String,
    repay_card_number: String,
}

/// A data row: its line number and its fields by column name.
type Row = (u64, HashMap<String, String>);

/// Reads a CSV file into rows, or the errors of its header.
fn read(path: &Path, columns: &[&str]) -> std::result::Result<Vec<Row>, Vec<RowError>> {
    let file = path.display().to_string();
    let error = |line: u64, reason: String| RowError {
        file: file.clone(),
        line,
        reason,
    };
    let mut reader = match csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
    {
        Ok(reader) => reader,
        Err(e) => return Err(vec![error(0, format!("cannot read the file: {e}"))]),
    };
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim_start_matches('\u{feff}').to_owned())
            .collect(),
        Err(e) => return Err(vec![error(1, format!("bad header: {e}"))]),
    };
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(vec![error(
            1,
            format!("missing column(s): {}", missing.join(", ")),
        )]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let fields = header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect();
                rows.push((line, fields));
            }
            Err(e) => errors.push(error(
                e.position().map_or(0, |p| p.line()),
                format!("not a CSV row: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn get<'a>(fields: &'a HashMap<String, String>, column: &str) -> &'a str {
    fields.get(column).map(String::as_str).unwrap_or_default()
}

fn date(fields: &HashMap<String, String>, column: &str) -> std::result::Result<NaiveDate, String> {
    shared::date::parse_iso(get(fields, column))
        .or_else(|| shared::date::parse_compact(get(fields, column)))
        .ok_or_else(|| format!("{column}: not a date (YYYY-MM-DD)"))
}

fn money(
    fields: &HashMap<String, String>,
    column: &str,
    label: &str,
) -> std::result::Result<i64, String> {
    let value = parse_amount(column, label, get(fields, column))
        .map_err(|e| format!("{column}: {}", e.message))?;
    to_fen(value).ok_or_else(|| format!("{column}: out of range"))
}

fn whole(fields: &HashMap<String, String>, column: &str) -> std::result::Result<u32, String> {
    get(fields, column)
        .parse::<u32>()
        .map_err(|_| format!("{column}: not a whole number"))
}

fn text(fields: &HashMap<String, String>, column: &str) -> std::result::Result<String, String> {
    let value = get(fields, column);
    if value.is_empty() || value.chars().count() > 100 {
        return Err(format!("{column}: required, at most 100 characters"));
    }
    Ok(value.to_owned())
}

fn digits(fields: &HashMap<String, String>, column: &str) -> std::result::Result<String, String> {
    let value = get(fields, column);
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{column}: 1 to 20 digits"));
    }
    Ok(value.to_owned())
}

fn member_row(
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> std::result::Result<MemberRow, String> {
    let id = IdNumber::parse(get(fields, "id_number"), today)
        .map_err(|e| format!("id_number: {}", e.message))?;
    let name =
        PersonName::parse(get(fields, "name")).map_err(|e| format!("name: {}", e.message))?;
    let phone = Phone::parse(get(fields, "phone")).map_err(|e| format!("phone: {}", e.message))?;
    let account_status = match get(fields, "account_status") {
        "normal" | "正常" => "normal",
        "sealed" | "封存" => "sealed",
        "closed" | "销户" => "closed",
        other => {
            return Err(format!(
                "account_status: '{other}' is not normal, sealed or closed"
            ))
        }
    };
    let card = match (get(fields, "card_bank"), get(fields, "card_number")) {
        ("", "") => None,
        (bank, number) => {
            let number = CardNumber::parse("card_number", "储蓄卡号", number)
                .map_err(|e| format!("card_number: {}", e.message))?;
            let status = match get(fields, "card_status") {
                "normal" | "正常" => "normal",
                "frozen" | "冻结" => "frozen",
                "cancelled" | "注销" => "cancelled",
                other => {
                    return Err(format!(
                        "card_status: '{other}' is not normal, frozen or cancelled"
                    ))
                }
            };
            if bank.is_empty() {
                return Err("card_bank: required with a card number".into());
            }
            Some((bank.to_owned(), number.as_str().to_owned(), status))
        }
    };
    Ok(MemberRow {
        personal_account: digits(fields, "personal_account")?,
        name: name.as_str().to_owned(),
        gender: match id.gender() {
            Gender::Male => "male",
            Gender::Female => "female",
        },
        birth_date: id.birth_date(),
        id_number: id.as_str().to_owned(),
        phone: phone.as_str().to_owned(),
        unit_account: digits(fields, "unit_account")?,
        unit_name: text(fields, "unit_name")?,
        account_status,
        balance_fen: money(fields, "balance", "账户余额")?,
        card,
    })
}

fn loan_row(fields: &HashMap<String, String>) -> std::result::Result<LoanRow, String> {
    let status = match get(fields, "status") {
        "normal" | "正常" => LoanStatus::Normal,
        "settled" | "结清" => LoanStatus::Settled,
        other => return Err(format!("status: '{other}' is not normal or settled")),
    };
    let method = match get(fields, "method") {
        "equal_installment" | "等额本息" => RepaymentMethod::EqualInstallment,
        "equal_principal" | "等额本金" => RepaymentMethod::EqualPrincipal,
        other => {
            return Err(format!(
                "method: '{other}' is not equal_installment or equal_principal"
            ))
        }
    };
    let rate: Decimal = get(fields, "annual_rate")
        .parse()
        .map_err(|_| "annual_rate: not a number (percent, e.g. 3.25)".to_string())?;
    let amount_fen = money(fields, "amount", "贷款金额")?;
    let loan = Loan {
        method,
        balance: shared::money::from_fen(money(fields, "balance", "贷款余额")?),
        annual_rate: rate,
        remaining_periods: whole(fields, "remaining_periods")?,
        monthly_payment: shared::money::from_fen(money(fields, "monthly_payment", "月还款额")?),
        last_due_date: date(fields, "last_due_date")?,
        maturity_date: date(fields, "maturity_date")?,
        arrears: shared::money::from_fen(money(fields, "arrears", "拖欠金额")?),
        status,
        disbursement_date: Some(date(fields, "disbursement_date")?),
    };
    if status == LoanStatus::Normal {
        loan.check().map_err(|e| {
            format!(
                "{}: {}",
                e.field
                    .as_deref()
                    .unwrap_or("loan")
                    .trim_start_matches("loan."),
                e.message
            )
        })?;
    } else if loan.balance != Decimal::ZERO {
        return Err("balance: a settled loan has balance 0".into());
    }
    if amount_fen <= 0 {
        return Err("amount: must be greater than 0".into());
    }
    let term_months = whole(fields, "term_months")?;
    if term_months == 0 || term_months > 360 {
        return Err("term_months: 1 to 360".into());
    }
    let card = CardNumber::parse(
        "repay_card_number",
        "还款账号",
        get(fields, "repay_card_number"),
    )
    .map_err(|e| format!("repay_card_number: {}", e.message))?;
    Ok(LoanRow {
        borrower_no: digits(fields, "borrower_no")?,
        personal_account: digits(fields, "personal_account")?,
        loan,
        amount_fen,
        term_months: i64::from(term_months),
        loan_type: text(fields, "loan_type")?,
        house_address: text(fields, "house_address")?,
        repay_card_bank: text(fields, "repay_card_bank")?,
        repay_card_number: card.as_str().to_owned(),
    })
}

/// Checks both files, then writes everything in one transaction. `Ok(Err(rows))` lists every
/// invalid row (nothing written); `Err` is a database failure (nothing written either).
pub async fn run(
    db: &Db,
    members: Option<&Path>,
    loans: Option<&Path>,
) -> std::result::Result<std::result::Result<Summary, Vec<RowError>>, String> {
    let today = chrono::Utc::now()
        .with_timezone(&crate::clock::shanghai())
        .date_naive();
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
                        Ok(row) => member_rows.push(row),
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
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Ok(Err(errors));
    }
    let loans: Vec<LoanRow> = loan_rows.into_iter().map(|(_, _, row)| row).collect();
    write(db, &member_rows, &loans)
        .await
        .map_err(|e| format!("the import failed and was rolled back: {e}"))?;
    Ok(Ok(Summary {
        members: member_rows.len(),
        loans: loans.len(),
    }))
}

async fn write(db: &Db, members: &[MemberRow], loans: &[LoanRow]) -> Result<()> {
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
             unit_name, account_status, balance_fen, card_holder, card_bank, card_number, card_status, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (personal_account) DO UPDATE SET name = excluded.name, id_number = excluded.id_number, \
             phone = excluded.phone, gender = excluded.gender, birth_date = excluded.birth_date, \
             unit_account = excluded.unit_account, unit_name = excluded.unit_name, \
             account_status = excluded.account_status, balance_fen = excluded.balance_fen, \
             card_holder = excluded.card_holder, card_bank = excluded.card_bank, \
             card_number = excluded.card_number, card_status = excluded.card_status, updated_at = excluded.updated_at",
        )
        .bind(&m.personal_account)
        .bind(&m.name)
        .bind(&m.id_number)
        .bind(&m.phone)
        .bind(m.gender)
        .bind(m.birth_date.to_string())
        .bind(&m.unit_account)
        .bind(&m.unit_name)
        .bind(m.account_status)
        .bind(m.balance_fen)
        .bind(m.card.as_ref().map(|_| m.name.clone()))
        .bind(bank)
        .bind(number)
        .bind(status)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    for l in loans {
        let loan = &l.loan;
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
        .bind(&l.repay_card_number)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
