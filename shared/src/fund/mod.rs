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

mod interest;
mod statement;
pub mod wire;

pub use interest::{
    check_interest, default_deposit_rates, interest, interest_year, rates_during, DepositRate,
    Interest,
};
pub use statement::{check_statement_year, statement, Statement};

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

#[cfg(test)]
mod tests;
