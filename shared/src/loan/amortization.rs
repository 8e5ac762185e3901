//! 等额本息 / 等额本金 arithmetic: installments, the periods needed to repay, and schedules.
//!
//! Conventions (they reproduce every figure on the seed's screens): monthly rate `i = annual% / 1200`
//! kept exact; 等额本息 installment `A = round(B·i·(1+i)^n / ((1+i)^n − 1))`; 等额本金 monthly principal
//! `P = round(B/n)` and installment `P + round(B·i)`; each period's interest is `round(balance·i)`;
//! the last installment absorbs the rounding so the balance ends at exactly 0.00.

use super::RepaymentMethod;
use crate::date::add_months_on_day;
use crate::money::fen;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The exact monthly rate for an annual rate in percent.
pub fn monthly_rate(annual_rate_percent: Decimal) -> Decimal {
    annual_rate_percent / Decimal::from(1200)
}

/// `base^exponent` by squaring; `None` on overflow.
pub(crate) fn pow(base: Decimal, mut exponent: u32) -> Option<Decimal> {
    let mut result = Decimal::ONE;
    let mut square = base;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = result.checked_mul(square)?;
        }
        exponent >>= 1;
        if exponent > 0 {
            square = square.checked_mul(square)?;
        }
    }
    Some(result)
}

/// 等额本息 installment for `balance` over `periods` months, rounded to the fen.
pub fn equal_installment(balance: Decimal, rate: Decimal, periods: u32) -> Option<Decimal> {
    if periods == 0 {
        return None;
    }
    if rate.is_zero() {
        return Some(fen(balance / Decimal::from(periods)));
    }
    let growth = pow(Decimal::ONE + rate, periods)?;
    let numerator = balance.checked_mul(rate)?.checked_mul(growth)?;
    Some(fen(numerator.checked_div(growth - Decimal::ONE)?))
}

/// 等额本金 monthly principal for `balance` over `periods` months, rounded to the fen.
pub fn equal_principal(balance: Decimal, periods: u32) -> Option<Decimal> {
    (periods > 0).then(|| fen(balance / Decimal::from(periods)))
}

/// The fewest whole months in which a 等额本息 installment repays `balance`:
/// `ceil(ln(A/(A − J·i)) / ln(1+i))`, found exactly as the smallest `n` with
/// `(1+i)^n · (A − J·i) ≥ A` (binary lifting over precomputed powers; no floating point).
/// `None` when the installment does not even cover the interest.
pub fn periods_to_repay(balance: Decimal, rate: Decimal, installment: Decimal) -> Option<u32> {
    if balance <= Decimal::ZERO {
        return Some(0);
    }
    if installment <= Decimal::ZERO {
        return None;
    }
    if rate.is_zero() {
        return u32::try_from((balance / installment).ceil().mantissa()).ok();
    }
    let remainder = installment - balance.checked_mul(rate)?;
    if remainder <= Decimal::ZERO {
        return None;
    }
    // 2^10 = 1024 months covers the engine's 600-period cap; a longer answer is clamped anyway.
    const BITS: usize = 10;
    let mut powers = [Decimal::ONE + rate; BITS];
    for k in 1..BITS {
        powers[k] = powers[k - 1].checked_mul(powers[k - 1])?;
    }
    // Largest m with (1+i)^m · remainder < A; the answer is m + 1.
    let mut months: u32 = 0;
    let mut reached = remainder;
    for k in (0..BITS).rev() {
        if let Some(next) = reached.checked_mul(powers[k]) {
            if next < installment {
                reached = next;
                months += 1 << k;
            }
        }
    }
    Some(months + 1)
}

/// One row of a repayment schedule (还款计划).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleRow {
    pub period: u32,
    pub due_date: NaiveDate,
    pub installment: Decimal,
    pub principal: Decimal,
    pub interest: Decimal,
    /// Balance after this installment.
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub rows: Vec<ScheduleRow>,
    pub total_principal: Decimal,
    pub total_interest: Decimal,
    pub total_payment: Decimal,
}

/// The schedule of the remaining `periods` installments of a loan, the first due one month after
/// `last_due_date` on `due_day`. `monthly_payment` is A for 等额本息 and P for 等额本金. Principal always
/// sums to `balance` exactly: the last row takes what is left, and a row never repays more than the
/// balance (the schedule then ends early).
pub fn schedule(
    method: RepaymentMethod,
    balance: Decimal,
    rate: Decimal,
    periods: u32,
    monthly_payment: Decimal,
    last_due_date: NaiveDate,
    due_day: u32,
) -> Schedule {
    let mut rows = Vec::with_capacity(periods as usize);
    let mut remaining = balance;
    let mut total_interest = Decimal::ZERO;
    for period in 1..=periods {
        if remaining <= Decimal::ZERO {
            break;
        }
        let Some(due_date) = add_months_on_day(last_due_date, period as i32, due_day) else {
            break;
        };
        let interest = fen(remaining * rate);
        let scheduled_principal = match method {
            RepaymentMethod::EqualInstallment => monthly_payment - interest,
            RepaymentMethod::EqualPrincipal => monthly_payment,
        };
        let principal = if period == periods {
            remaining
        } else {
            scheduled_principal.max(Decimal::ZERO).min(remaining)
        };
        remaining -= principal;
        total_interest += interest;
        rows.push(ScheduleRow {
            period,
            due_date,
            installment: fen(principal + interest),
            principal: fen(principal),
            interest,
            balance: fen(remaining),
        });
    }
    Schedule {
        rows,
        total_principal: fen(balance - remaining),
        total_interest: fen(total_interest),
        total_payment: fen(balance - remaining + total_interest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_seed_loan_installment() {
        // 690000 over 300 months at 3.25 % → 3362.48 (seed: 佟一's loan 2015000211).
        let rate = monthly_rate(d("3.25"));
        assert_eq!(
            equal_installment(d("690000"), rate, 300),
            Some(d("3362.48"))
        );
    }

    #[test]
    fn pow_by_squaring() {
        assert_eq!(pow(d("2"), 10), Some(d("1024")));
        assert_eq!(pow(d("1.5"), 0), Some(Decimal::ONE));
        assert_eq!(pow(d("1000000000"), 10), None);
    }

    #[test]
    fn periods_to_repay_is_the_ceiling() {
        let rate = monthly_rate(d("3.25"));
        assert_eq!(
            periods_to_repay(d("636609.84"), rate, d("3362.48")),
            Some(266)
        );
        // The exact installment of the original loan is 3362.4819…, so 300 payments of the
        // rounded 3362.48 leave 0.83: the ceiling formula (300.0003) asks for a 301st period.
        assert_eq!(periods_to_repay(d("690000"), rate, d("3362.48")), Some(301));
        assert_eq!(periods_to_repay(d("690000"), rate, d("3362.49")), Some(300));
        assert_eq!(
            periods_to_repay(d("1000"), Decimal::ZERO, d("300")),
            Some(4)
        );
        assert_eq!(periods_to_repay(d("1000000"), rate, d("100")), None);
    }

    #[test]
    fn a_schedule_ends_at_zero() {
        let rate = monthly_rate(d("3.25"));
        let last_due = NaiveDate::from_ymd_opt(2017, 12, 28).unwrap();
        let s = schedule(
            RepaymentMethod::EqualInstallment,
            d("646609.84"),
            rate,
            272,
            d("3362.48"),
            last_due,
            28,
        );
        assert_eq!(s.rows.len(), 272);
        assert_eq!(
            s.rows[0].due_date,
            NaiveDate::from_ymd_opt(2018, 1, 28).unwrap()
        );
        // 646609.84 × 3.25 / 1200 = 1751.2349…
        assert_eq!(s.rows[0].interest, d("1751.23"));
        assert_eq!(s.rows[0].principal, d("1611.25"));
        assert_eq!(
            s.rows.last().unwrap().due_date,
            NaiveDate::from_ymd_opt(2040, 8, 28).unwrap()
        );
        assert_eq!(s.rows.last().unwrap().balance, d("0.00"));
        assert_eq!(s.total_principal, d("646609.84"));
        let sum: Decimal = s.rows.iter().map(|r| r.principal).sum();
        assert_eq!(sum, d("646609.84"));
    }

    #[test]
    fn equal_principal_schedule() {
        let rate = monthly_rate(d("3.25"));
        let last_due = NaiveDate::from_ymd_opt(2018, 1, 31).unwrap();
        let p = equal_principal(d("10000"), 3).unwrap();
        assert_eq!(p, d("3333.33"));
        let s = schedule(
            RepaymentMethod::EqualPrincipal,
            d("10000"),
            rate,
            3,
            p,
            last_due,
            31,
        );
        assert_eq!(
            s.rows[0].due_date,
            NaiveDate::from_ymd_opt(2018, 2, 28).unwrap()
        );
        assert_eq!(s.rows[0].interest, d("27.08"));
        assert_eq!(s.rows[0].installment, d("3360.41"));
        assert_eq!(s.rows[2].principal, d("3333.34"));
        assert_eq!(s.total_principal, d("10000.00"));
    }
}
