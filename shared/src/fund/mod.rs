//! 个人公积金账户 — the fund account itself: 缴存 (汇缴 of the unit's and the member's parts, 补缴),
//! 结息 each 30 June on the daily balance at the policy's rates, 提取 and 转入/转出; the 缴存明细
//! and the 年度对账单 that adds up to the fen.
//!
//! Conventions (the page's 说明 says the same):
//! - 月缴存额: the unit's part and the member's part are each 缴存基数 × 比例, rounded half-up to
//!   the fen; the month's amount is their sum.
//! - 结息: the 结息年度 runs from 1 July to 30 June; the interest is the sum over its days of the
//!   day's closing balance × the annual rate in force that day ÷ 360 (积数计息), rounded half-up to
//!   the fen once, and credited on 30 June after that day's other entries.
//! - 年度对账单: a calendar year, 1 January to 31 December, the same rows as the 缴存明细's year.

pub mod wire;

use crate::error::ApiError;
use crate::money::fen;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What moved the balance (业务类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 期初余额: the balance carried over when the recorded history starts (the member's first
    /// row only).
    Opening,
    /// 汇缴: a month's contribution, the unit's part and the member's part.
    Remittance,
    /// 补缴: contributions paid late for past months.
    BackPay,
    /// 结息: the year's interest, on 30 June.
    Interest,
    /// 提取.
    Withdrawal,
    /// 转入 from another fund account.
    TransferIn,
    /// 转出 to another fund account.
    TransferOut,
}

/// Every kind, in the order the 缴存明细's legend lists them.
pub const ENTRY_KINDS: [EntryKind; 7] = [
    EntryKind::Opening,
    EntryKind::Remittance,
    EntryKind::BackPay,
    EntryKind::Interest,
    EntryKind::Withdrawal,
    EntryKind::TransferIn,
    EntryKind::TransferOut,
];

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Opening => "期初余额",
            EntryKind::Remittance => "汇缴",
            EntryKind::BackPay => "补缴",
            EntryKind::Interest => "结息",
            EntryKind::Withdrawal => "提取",
            EntryKind::TransferIn => "转入",
            EntryKind::TransferOut => "转出",
        }
    }

    /// Whether it adds to the balance (提取 and 转出 take from it).
    pub fn credit(self) -> bool {
        !matches!(self, EntryKind::Withdrawal | EntryKind::TransferOut)
    }

    /// The stored and wire name.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Opening => "opening",
            EntryKind::Remittance => "remittance",
            EntryKind::BackPay => "back_pay",
            EntryKind::Interest => "interest",
            EntryKind::Withdrawal => "withdrawal",
            EntryKind::TransferIn => "transfer_in",
            EntryKind::TransferOut => "transfer_out",
        }
    }

    /// The kind a label or its stored name names (imports accept either).
    pub fn from_text(text: &str) -> Option<EntryKind> {
        let text = text.trim();
        ENTRY_KINDS
            .into_iter()
            .find(|k| k.label() == text || k.name() == text)
    }
}

/// One row of the 缴存明细.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// 记账日期.
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// 缴存年月 (`YYYYMM`) of a 汇缴 or 补缴.
    pub period: Option<String>,
    /// 单位缴存额 of a 汇缴 or 补缴 (0 otherwise).
    pub unit: Decimal,
    /// 个人缴存额 of a 汇缴 or 补缴 (0 otherwise).
    pub personal: Decimal,
    /// 发生额, never negative: the kind says which way it went.
    pub amount: Decimal,
    /// 余额 after this row.
    pub balance: Decimal,
}

impl Entry {
    /// The amount with its sign: what it did to the balance.
    pub fn change(&self) -> Decimal {
        if self.kind.credit() {
            self.amount
        } else {
            -self.amount
        }
    }
}

/// 缴存基数 and the two 缴存比例 (percent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    /// 缴存基数 (元/月).
    pub base: Decimal,
    /// 单位缴存比例, percent.
    pub unit_rate: Decimal,
    /// 个人缴存比例, percent.
    pub personal_rate: Decimal,
}

impl Contribution {
    /// 缴存基数 and 比例 as the back office records them: a base of at most twelve integer digits
    /// and rates of 0–12 % (the national ceiling, 《住房公积金管理条例》 and 建金〔2005〕5号) with at
    /// most two decimals.
    pub fn parse(
        base: &str,
        unit_rate: &str,
        personal_rate: &str,
    ) -> Result<Contribution, ApiError> {
        let rate = |field: &str, label: &str, text: &str| -> Result<Decimal, ApiError> {
            let value = crate::money::parse_amount(field, label, text)?;
            if value > Decimal::new(12, 0) {
                return Err(ApiError::field(
                    field,
                    "rate_too_high",
                    format!("{label}不能超过12%"),
                ));
            }
            Ok(value)
        };
        Ok(Contribution {
            base: crate::money::parse_amount("deposit_base", "缴存基数", base)?,
            unit_rate: rate("unit_rate", "单位缴存比例", unit_rate)?,
            personal_rate: rate("personal_rate", "个人缴存比例", personal_rate)?,
        })
    }

    /// 单位月缴存额.
    pub fn unit_monthly(&self) -> Decimal {
        fen(self.base * self.unit_rate / Decimal::ONE_HUNDRED)
    }

    /// 个人月缴存额.
    pub fn personal_monthly(&self) -> Decimal {
        fen(self.base * self.personal_rate / Decimal::ONE_HUNDRED)
    }

    /// 月缴存额: the two parts together.
    pub fn monthly(&self) -> Decimal {
        self.unit_monthly() + self.personal_monthly()
    }
}

/// An annual deposit rate (percent) in force from `from` until the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepositRate {
    pub from: NaiveDate,
    /// 年利率, percent.
    pub annual: Decimal,
}

/// The national rate since 2016-02-21: 1.50 % a year, whether deposited this year or carried
/// over (银发〔2016〕43号).
pub fn default_deposit_rates() -> Vec<DepositRate> {
    vec![DepositRate {
        from: NaiveDate::from_ymd_opt(2016, 2, 21).unwrap_or_default(),
        annual: Decimal::new(150, 2),
    }]
}

/// The rates in force at some time between `from` and `to`.
pub fn rates_during(rates: &[DepositRate], from: NaiveDate, to: NaiveDate) -> Vec<DepositRate> {
    let mut sorted = rates.to_vec();
    sorted.sort_by_key(|r| r.from);
    (0..sorted.len())
        .filter(|&i| sorted[i].from <= to && sorted.get(i + 1).is_none_or(|next| next.from > from))
        .map(|i| sorted[i].clone())
        .collect()
}

/// The 结息年度 that ends on 30 June of `year`: 1 July of the year before to 30 June.
pub fn interest_year(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year - 1, 7, 1)?,
        NaiveDate::from_ymd_opt(year, 6, 30)?,
    ))
}

/// The 结息 of one 结息年度 worked out: what the page's 怎么算的 shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 积数 at each rate: (annual rate, Σ of the days' closing balances at that rate).
    pub products: Vec<(Decimal, Decimal)>,
    /// Σ 积数 × rate ÷ 100 ÷ 360, unrounded.
    pub exact: Decimal,
    /// Rounded half-up to the fen.
    pub amount: Decimal,
}

fn no_rate(day: NaiveDate) -> ApiError {
    ApiError::new(
        "no_deposit_rate",
        format!("政策中没有{day}适用的存款利率，无法计算结息"),
    )
}

/// The 结息 credited on 30 June of `year` for an account whose movements are `changes` (dated,
/// signed; any order; the year's own 结息 not among them): each day's closing balance at the rate
/// in force that day, ÷ 360, rounded once.
pub fn interest(
    changes: &[(NaiveDate, Decimal)],
    year: i32,
    rates: &[DepositRate],
) -> Result<Interest, ApiError> {
    let (from, to) = interest_year(year).ok_or_else(|| no_rate(NaiveDate::MIN))?;
    let mut sorted: Vec<(NaiveDate, Decimal)> = changes.to_vec();
    sorted.sort_by_key(|(date, _)| *date);
    let mut balance: Decimal = sorted
        .iter()
        .filter(|(date, _)| *date < from)
        .map(|(_, c)| *c)
        .sum();
    let mut rest = sorted
        .into_iter()
        .filter(|(date, _)| *date >= from)
        .peekable();
    let mut products: Vec<(Decimal, Decimal)> = Vec::new();
    let mut day = from;
    while day <= to {
        while let Some((_, change)) = rest.next_if(|(date, _)| *date <= day) {
            balance += change;
        }
        let rate = rates
            .iter()
            .filter(|r| r.from <= day)
            .max_by_key(|r| r.from)
            .ok_or_else(|| no_rate(day))?
            .annual;
        match products.last_mut() {
            Some((r, product)) if *r == rate => *product += balance,
            _ => products.push((rate, balance)),
        }
        day = day.succ_opt().ok_or_else(|| no_rate(day))?;
    }
    let exact: Decimal = products
        .iter()
        .map(|(rate, product)| *product * *rate / Decimal::new(36000, 0))
        .sum();
    Ok(Interest {
        from,
        to,
        products,
        exact,
        amount: fen(exact),
    })
}

/// Checks a member's rows as stored or imported, in order: each 余额 is the one before plus or
/// minus the 发生额 (the first from zero), a 汇缴/补缴 is its two parts, 期初余额 only first, no
/// amount negative. The error names the row (1-based) and the field.
pub fn check_history(entries: &[Entry]) -> Result<(), ApiError> {
    let mut balance = Decimal::ZERO;
    let mut last_date: Option<NaiveDate> = None;
    for (i, e) in entries.iter().enumerate() {
        let row = i + 1;
        let refuse = |field: &str, message: String| {
            Err(ApiError::field(
                &format!("entries[{i}].{field}"),
                "row_invalid",
                format!("第{row}行：{message}"),
            ))
        };
        if last_date.is_some_and(|d| e.date < d) {
            return refuse("date", "记账日期早于上一行，明细须按日期先后排列".into());
        }
        last_date = Some(e.date);
        if e.amount < Decimal::ZERO || e.unit < Decimal::ZERO || e.personal < Decimal::ZERO {
            return refuse("amount", "发生额不能为负数".into());
        }
        if e.kind == EntryKind::Opening && i > 0 {
            return refuse("kind", "期初余额只能是第一行".into());
        }
        let deposit = matches!(e.kind, EntryKind::Remittance | EntryKind::BackPay);
        if deposit && e.unit + e.personal != e.amount {
            return refuse(
                "amount",
                format!(
                    "{}的发生额{}不等于单位缴存额{}与个人缴存额{}之和",
                    e.kind.label(),
                    e.amount,
                    e.unit,
                    e.personal
                ),
            );
        }
        if deposit && e.period.as_deref().and_then(period_date).is_none() {
            return refuse(
                "period",
                format!("{}须有缴存年月（YYYYMM）", e.kind.label()),
            );
        }
        if !deposit && e.period.is_some() {
            return refuse("period", format!("{}没有缴存年月", e.kind.label()));
        }
        if !deposit && (e.unit != Decimal::ZERO || e.personal != Decimal::ZERO) {
            return refuse("unit", format!("{}不能有单位或个人缴存额", e.kind.label()));
        }
        balance += e.change();
        if balance < Decimal::ZERO {
            return refuse("amount", "提取或转出后余额为负".into());
        }
        if e.balance != balance {
            return refuse(
                "balance",
                format!("余额{}与上一行余额加减发生额（{balance}）不符", e.balance),
            );
        }
    }
    Ok(())
}

/// Checks each 结息 row against the computation: dated 30 June, and — where the rows cover the
/// whole 结息年度 (the first row is on or before its 1 July) — the amount `interest` gives at the
/// policy's rates. Rows that start within a year cannot be checked for that year (the balance
/// before them is not known here). The error names the row.
pub fn check_interest(entries: &[Entry], rates: &[DepositRate]) -> Result<(), ApiError> {
    let Some(first) = entries.first().map(|e| e.date) else {
        return Ok(());
    };
    for (i, e) in entries.iter().enumerate() {
        if e.kind != EntryKind::Interest {
            continue;
        }
        let refuse = |field: &str, message: String| {
            Err(ApiError::field(
                &format!("entries[{i}].{field}"),
                "row_invalid",
                format!("第{}行：{message}", i + 1),
            ))
        };
        if (e.date.month(), e.date.day()) != (6, 30) {
            return refuse("date", "结息的记账日期须为6月30日".into());
        }
        let Some((from, _)) = interest_year(e.date.year()) else {
            continue;
        };
        if first > from {
            continue;
        }
        let changes: Vec<(NaiveDate, Decimal)> =
            entries[..i].iter().map(|e| (e.date, e.change())).collect();
        let computed = interest(&changes, e.date.year(), rates)?;
        if computed.amount != e.amount {
            return refuse(
                "amount",
                format!(
                    "结息{}与按每日余额计算的{}不符（积数计息，年利率按政策）",
                    e.amount, computed.amount
                ),
            );
        }
    }
    Ok(())
}

/// 缴至年月: the later of what the back office recorded and the last month deposited in the rows.
pub fn paid_through(recorded: Option<&str>, entries: &[Entry]) -> Option<String> {
    entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Remittance | EntryKind::BackPay))
        .filter_map(|e| e.period.as_deref())
        .chain(recorded)
        .max()
        .map(str::to_owned)
}

/// The first day of a `YYYYMM` period.
pub fn period_date(period: &str) -> Option<NaiveDate> {
    if period.len() != 6 || !period.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(period[..4].parse().ok()?, period[4..].parse().ok()?, 1)
}

/// The years that have rows, newest first (the 缴存明细's filter and the 对账单's choice).
pub fn years(entries: &[Entry]) -> Vec<i32> {
    let mut years: Vec<i32> = entries.iter().map(|e| e.date.year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The 缴存明细 as a CSV file (UTF-8 with a BOM, so Excel and WPS read the Chinese headers),
/// oldest first, the page's columns, amounts signed as they moved the balance, ISO dates (a
/// spreadsheet reads them as dates).
pub fn csv(entries: &[Entry]) -> String {
    let mut text =
        String::from("\u{feff}记账日期,业务类型,发生额,余额,缴存年月,单位缴存额,个人缴存额\r\n");
    for e in entries {
        let deposit = matches!(e.kind, EntryKind::Remittance | EntryKind::BackPay);
        let part = |v: Decimal| {
            if deposit {
                fen(v).to_string()
            } else {
                String::new()
            }
        };
        text.push_str(&format!(
            "{},{},{},{},{},{},{}\r\n",
            e.date,
            e.kind.label(),
            fen(e.change()),
            fen(e.balance),
            e.period.as_deref().unwrap_or(""),
            part(e.unit),
            part(e.personal)
        ));
    }
    text
}

fn bad_year(year: i32) -> ApiError {
    ApiError::field("year", "year_invalid", format!("年度{year}不正确"))
}

/// The years a 对账单 can be asked for: from the first row's year to `this_year`. Before the
/// recorded history there is nothing to state (not a statement of zeros); after today, nothing yet.
pub fn check_statement_year(entries: &[Entry], year: i32, this_year: i32) -> Result<(), ApiError> {
    let first = entries.first().map(|e| e.date);
    match first {
        None => Err(ApiError::field(
            "year",
            "no_entries",
            "您的账户还没有缴存明细，暂无对账单",
        )),
        Some(first) if year < first.year() => Err(ApiError::field(
            "year",
            "year_before_history",
            format!(
                "本系统的账户明细自{}起，{year}年度的对账单请到柜台查询",
                crate::date::compact(first)
            ),
        )),
        Some(_) if year > this_year => Err(ApiError::field(
            "year",
            "year_in_future",
            format!("{year}年度尚未开始"),
        )),
        Some(_) => Ok(()),
    }
}

/// 年度对账单 of a calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    pub year: i32,
    /// 对账期间: 1 January, or the day the recorded history starts (its 期初余额 row) in that year.
    pub from: NaiveDate,
    /// 31 December.
    pub to: NaiveDate,
    /// 上年结转余额 (期初余额): the balance on 1 January before the year's rows, plus a 期初余额
    /// row of the year.
    pub opening: Decimal,
    /// 本年汇缴, the unit's part and the member's part.
    pub remittance_unit: Decimal,
    pub remittance_personal: Decimal,
    pub remittance_months: u32,
    /// 本年补缴.
    pub back_pay: Decimal,
    /// 本年转入.
    pub transfer_in: Decimal,
    /// 本年缴存合计: 汇缴 + 补缴 + 转入.
    pub deposits: Decimal,
    /// 本年提取.
    pub withdrawal: Decimal,
    /// 本年转出.
    pub transfer_out: Decimal,
    /// 本年支出合计: 提取 + 转出.
    pub withdrawals: Decimal,
    /// 本年结息.
    pub interest: Decimal,
    /// 期末余额: the balance after the year's last row.
    pub closing: Decimal,
}

/// The 年度对账单 of `year` from a member's rows in order. The closing balance is the stored
/// balance of the year's last row; an error if a row's stored balance is not the one before it
/// plus or minus its amount, or opening + deposits − withdrawals + interest does not come to the
/// closing balance (the rows are inconsistent: never shown as if they added up).
pub fn statement(entries: &[Entry], year: i32) -> Result<Statement, ApiError> {
    let before = entries.iter().rfind(|e| e.date.year() < year);
    let january = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| bad_year(year))?;
    let from = entries
        .iter()
        .find(|e| e.kind == EntryKind::Opening && e.date.year() == year)
        .map_or(january, |e| e.date);
    let mut s = Statement {
        year,
        from,
        to: NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| bad_year(year))?,
        opening: before.map_or(Decimal::ZERO, |e| e.balance),
        remittance_unit: Decimal::ZERO,
        remittance_personal: Decimal::ZERO,
        remittance_months: 0,
        back_pay: Decimal::ZERO,
        transfer_in: Decimal::ZERO,
        deposits: Decimal::ZERO,
        withdrawal: Decimal::ZERO,
        transfer_out: Decimal::ZERO,
        withdrawals: Decimal::ZERO,
        interest: Decimal::ZERO,
        closing: Decimal::ZERO,
    };
    let unbalanced = |what: String| {
        Err(ApiError::new(
            "statement_unbalanced",
            format!("{year}年对账单不平：{what}"),
        ))
    };
    let mut closing = s.opening;
    for e in entries.iter().filter(|e| e.date.year() == year) {
        if e.balance != closing + e.change() {
            return unbalanced(format!(
                "{} {}后余额{}，应为{}",
                e.date,
                e.kind.label(),
                e.balance,
                closing + e.change()
            ));
        }
        match e.kind {
            EntryKind::Opening => s.opening += e.amount,
            EntryKind::Remittance => {
                s.remittance_unit += e.unit;
                s.remittance_personal += e.personal;
                s.remittance_months += 1;
            }
            EntryKind::BackPay => s.back_pay += e.amount,
            EntryKind::Interest => s.interest += e.amount,
            EntryKind::Withdrawal => s.withdrawal += e.amount,
            EntryKind::TransferIn => s.transfer_in += e.amount,
            EntryKind::TransferOut => s.transfer_out += e.amount,
        }
        closing = e.balance;
    }
    s.deposits = s.remittance_unit + s.remittance_personal + s.back_pay + s.transfer_in;
    s.withdrawals = s.withdrawal + s.transfer_out;
    s.closing = closing;
    // Every figure with its two decimals ("0.00", not "0").
    for figure in [
        &mut s.opening,
        &mut s.remittance_unit,
        &mut s.remittance_personal,
        &mut s.back_pay,
        &mut s.transfer_in,
        &mut s.deposits,
        &mut s.withdrawal,
        &mut s.transfer_out,
        &mut s.withdrawals,
        &mut s.interest,
        &mut s.closing,
    ] {
        *figure = fen(*figure);
    }
    if s.opening + s.deposits - s.withdrawals + s.interest != s.closing {
        return unbalanced(format!(
            "期初{} + 缴存{} − 支出{} + 结息{} ≠ 期末{}",
            s.opening, s.deposits, s.withdrawals, s.interest, s.closing
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests;
