//! 年度对账单: the year's lines, checked to add up to the fen.

use super::{Entry, EntryKind};
use crate::error::ApiError;
use crate::money::fen;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
