//! Reading and checking the import files, row by row, with the hall's own rules.

use super::RowError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::account::{Gender, IdNumber, PersonName, Phone};
use shared::loan::{Loan, LoanStatus, RepaymentMethod};
use shared::member::CardNumber;
use shared::money::{parse_amount, to_fen};
use std::collections::HashMap;
use std::path::Path;

pub(super) struct MemberRow {
    /// Where it was read (set by the reader).
    pub(super) file: String,
    pub(super) line: u64,
    pub(super) personal_account: String,
    pub(super) name: String,
    pub(super) id_number: String,
    pub(super) phone: String,
    pub(super) gender: &'static str,
    pub(super) birth_date: NaiveDate,
    pub(super) unit_account: String,
    pub(super) unit_name: String,
    pub(super) account_status: &'static str,
    pub(super) balance_fen: i64,
    pub(super) card: Option<(String, String, &'static str)>,
    /// The optional columns deposit_base, unit_rate, personal_rate (all three or none),
    /// opened_on, paid_through; absent, the recorded values stay.
    pub(super) contribution: Option<shared::fund::Contribution>,
    pub(super) opened_on: Option<NaiveDate>,
    pub(super) paid_through: Option<String>,
}

/// A row of the 缴存明细 file: whose, and the row as `shared::fund` checks it.
pub(super) struct DepositRow {
    pub(super) personal_account: String,
    pub(super) entry: shared::fund::Entry,
}

pub(super) struct LoanRow {
    pub(super) borrower_no: String,
    pub(super) personal_account: String,
    pub(super) loan: Loan,
    pub(super) amount_fen: i64,
    pub(super) term_months: i64,
    pub(super) loan_type: String,
    pub(super) house_address: String,
    pub(super) repay_card_bank: String,
    pub(super) repay_card_number: String,
}

/// A data row: its line number and its fields by column name.
pub(super) type Row = (u64, HashMap<String, String>);

/// Reads a CSV file into rows, or the errors of its header.
pub(super) fn read(path: &Path, columns: &[&str]) -> std::result::Result<Vec<Row>, Vec<RowError>> {
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

pub(super) fn member_row(
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
    let contribution = match (
        get(fields, "deposit_base"),
        get(fields, "unit_rate"),
        get(fields, "personal_rate"),
    ) {
        ("", "", "") => None,
        (base, unit, personal) => Some(
            shared::fund::Contribution::parse(base, unit, personal)
                .map_err(|e| format!("{}: {}", e.field.unwrap_or_default(), e.message))?,
        ),
    };
    let opened_on = match get(fields, "opened_on") {
        "" => None,
        _ => Some(date(fields, "opened_on")?),
    };
    let paid_through = match get(fields, "paid_through") {
        "" => None,
        text if shared::fund::period_date(text).is_some() => Some(text.to_owned()),
        other => return Err(format!("paid_through: '{other}' is not a month (YYYYMM)")),
    };
    Ok(MemberRow {
        file: String::new(),
        line: 0,
        contribution,
        opened_on,
        paid_through,
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

pub(super) fn loan_row(fields: &HashMap<String, String>) -> std::result::Result<LoanRow, String> {
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
        due_day: None,
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

/// Empty is zero (a 结息 or 提取 has no unit/personal parts).
fn money_or_zero(
    fields: &HashMap<String, String>,
    column: &str,
    label: &str,
) -> std::result::Result<i64, String> {
    if get(fields, column).is_empty() {
        return Ok(0);
    }
    money(fields, column, label)
}

pub(super) fn deposit_row(
    fields: &HashMap<String, String>,
) -> std::result::Result<DepositRow, String> {
    use shared::fund::{Entry, EntryKind};
    use shared::money::from_fen;
    let kind = EntryKind::from_text(get(fields, "kind")).ok_or_else(|| {
        format!(
            "kind: '{}' is not one of 期初余额, 汇缴, 补缴, 结息, 提取, 转入, 转出",
            get(fields, "kind")
        )
    })?;
    let period = match get(fields, "period") {
        "" => None,
        text if shared::fund::period_date(text).is_some() => Some(text.to_owned()),
        other => return Err(format!("period: '{other}' is not a month (YYYYMM)")),
    };
    Ok(DepositRow {
        personal_account: digits(fields, "personal_account")?,
        entry: Entry {
            date: date(fields, "date")?,
            kind,
            period,
            unit: from_fen(money_or_zero(fields, "unit_amount", "单位缴存额")?),
            personal: from_fen(money_or_zero(fields, "personal_amount", "个人缴存额")?),
            amount: from_fen(money(fields, "amount", "发生额")?),
            balance: from_fen(money(fields, "balance", "余额")?),
        },
    })
}

/// A row of the property records: the owner's 证件号码 (checked like a member's) and the address.
pub(super) fn property_row(
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> std::result::Result<(String, String), String> {
    let id = IdNumber::parse(get(fields, "id_number"), today)
        .map_err(|e| format!("id_number: {}", e.message))?;
    Ok((id.as_str().to_owned(), text(fields, "address")?))
}
