//! 结息: the deposit rates the policy holds, and the interest of a 结息年度 on the daily balance.

use super::{Entry, EntryKind};
use crate::error::ApiError;
use crate::money::fen;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
