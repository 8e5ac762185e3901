//! 贷款 — the citizen's housing loan: its terms, and the trials (试算) of 部分提前还本, 提前结清贷款 and
//! 调整月还款额 that the browser runs instantly and the server runs again before it accepts.

pub mod amortization;
pub mod calculator;
pub mod compare;
pub mod submission;
pub mod trial;
pub mod wire;
pub mod working;

pub use amortization::{schedule, Schedule, ScheduleRow};
pub use trial::{AdjustMode, AdjustTermTrial, PrepaymentRequest, PrepaymentTrial, SettlementTrial};
pub use wire::{run_trial, TrialRequest, TrialResponse};

use crate::date::add_months_on_day;
use crate::error::ApiError;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 还款方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepaymentMethod {
    /// 等额本息: the same installment every month.
    EqualInstallment,
    /// 等额本金: the same principal every month, interest on the falling balance.
    EqualPrincipal,
}

impl RepaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            RepaymentMethod::EqualInstallment => "等额本息",
            RepaymentMethod::EqualPrincipal => "等额本金",
        }
    }
}

/// 贷款状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    #[default]
    Normal,
    Settled,
}

impl LoanStatus {
    pub fn label(self) -> &'static str {
        match self {
            LoanStatus::Normal => "正常",
            LoanStatus::Settled => "结清",
        }
    }
}

/// What a trial needs to know of a loan, as the fund's records hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Loan {
    pub method: RepaymentMethod,
    /// 贷款余额.
    pub balance: Decimal,
    /// 年利率, in percent (3.25 means 3.25 %).
    pub annual_rate: Decimal,
    /// 剩余期数.
    pub remaining_periods: u32,
    /// 月还款额: the installment A for 等额本息, the monthly principal P for 等额本金.
    pub monthly_payment: Decimal,
    /// 上次还款日 (the last due date that has been paid).
    pub last_due_date: NaiveDate,
    /// 到期日期; its day of month is the loan's monthly due day.
    pub maturity_date: NaiveDate,
    /// 拖欠金额.
    #[serde(default)]
    pub arrears: Decimal,
    #[serde(default)]
    pub status: LoanStatus,
    /// 放款日期, needed for the 360-month limit of 调整月还款额.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursement_date: Option<NaiveDate>,
    /// 约定还款日 (1–31) as the fund records it; without it, the maturity date's day. It matters
    /// once a change moves the maturity into a short month: a loan due on the 31st maturing on
    /// 2040-02-29 is still due on the 31st (30th, 28th/29th) of the other months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_day: Option<u32>,
}

/// The largest balance the engine accepts: far above any housing loan, and it keeps every product
/// of the formulas inside `Decimal`'s range.
const MAX_BALANCE: i64 = 100_000_000;
const MAX_PERIODS: u32 = 600;

impl Loan {
    /// The monthly due day (约定还款日): the maturity date's day of month.
    pub fn due_day(&self) -> u32 {
        self.due_day.unwrap_or_else(|| self.maturity_date.day())
    }

    /// The next due date: the last due date plus one month on the due day, clamped to the month's
    /// end (a day-31 loan falls due on 28/29 February).
    pub fn next_due_date(&self) -> Option<NaiveDate> {
        add_months_on_day(self.last_due_date, 1, self.due_day())
    }

    /// The monthly rate `annual% / 1200`, exact.
    pub fn monthly_rate(&self) -> Decimal {
        amortization::monthly_rate(self.annual_rate)
    }

    /// The loan's own figures are sane: the engine refuses, rather than computes nonsense from,
    /// a record that could not exist.
    pub fn check(&self) -> Result<(), ApiError> {
        let bad = |field: &str, message: &str| {
            Err(ApiError::field(field, "loan_invalid", message.to_owned()))
        };
        if self.balance <= Decimal::ZERO || self.balance > Decimal::from(MAX_BALANCE) {
            return bad("loan.balance", "贷款余额须大于0且在允许范围内");
        }
        if self.annual_rate <= Decimal::ZERO || self.annual_rate > Decimal::from(24) {
            return bad("loan.annual_rate", "贷款年利率须大于0且不超过24%");
        }
        if self.remaining_periods == 0 || self.remaining_periods > MAX_PERIODS {
            return bad("loan.remaining_periods", "剩余期数须在1至600之间");
        }
        if self.monthly_payment <= Decimal::ZERO
            || self.monthly_payment > Decimal::from(MAX_BALANCE)
        {
            return bad("loan.monthly_payment", "月还款额须大于0且在允许范围内");
        }
        if self.method == RepaymentMethod::EqualInstallment
            && self.monthly_payment <= self.balance * self.monthly_rate()
        {
            return bad("loan.monthly_payment", "月还款额不足以偿还当月利息");
        }
        if self.arrears < Decimal::ZERO {
            return bad("loan.arrears", "拖欠金额不能为负数");
        }
        if self.due_day.is_some_and(|day| !(1..=31).contains(&day)) {
            return bad("loan.due_day", "约定还款日须在1至31之间");
        }
        if self.maturity_date <= self.last_due_date {
            return bad("loan.maturity_date", "到期日期须晚于上次还款日");
        }
        Ok(())
    }

    /// The remaining schedule as the loan stands.
    pub fn schedule(&self) -> Schedule {
        schedule(
            self.method,
            self.balance,
            self.monthly_rate(),
            self.remaining_periods,
            self.monthly_payment,
            self.last_due_date,
            self.due_day(),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// 佟一's loan 2015000211 as the seed shows it.
    pub fn seed_loan() -> Loan {
        Loan {
            method: RepaymentMethod::EqualInstallment,
            balance: dec("646609.84"),
            annual_rate: dec("3.25"),
            remaining_periods: 272,
            monthly_payment: dec("3362.48"),
            last_due_date: ymd(2017, 12, 28),
            maturity_date: ymd(2040, 8, 28),
            arrears: Decimal::ZERO,
            status: LoanStatus::Normal,
            disbursement_date: Some(ymd(2015, 8, 28)),
            due_day: None,
        }
    }

    #[test]
    fn next_due_date_on_the_due_day() {
        assert_eq!(seed_loan().next_due_date(), Some(ymd(2018, 1, 28)));
        let day31 = Loan {
            last_due_date: ymd(2018, 1, 31),
            maturity_date: ymd(2030, 12, 31),
            ..seed_loan()
        };
        assert_eq!(day31.next_due_date(), Some(ymd(2018, 2, 28)));
        let after_feb = Loan {
            last_due_date: ymd(2018, 2, 28),
            ..day31
        };
        assert_eq!(after_feb.next_due_date(), Some(ymd(2018, 3, 31)));
    }

    #[test]
    fn implausible_records_are_refused() {
        assert!(seed_loan().check().is_ok());
        let zero = Loan {
            balance: Decimal::ZERO,
            ..seed_loan()
        };
        assert_eq!(
            zero.check().unwrap_err().field.as_deref(),
            Some("loan.balance")
        );
        let too_low = Loan {
            monthly_payment: dec("100"),
            ..seed_loan()
        };
        assert_eq!(
            too_low.check().unwrap_err().field.as_deref(),
            Some("loan.monthly_payment")
        );
        let backwards = Loan {
            maturity_date: ymd(2017, 1, 1),
            ..seed_loan()
        };
        assert_eq!(
            backwards.check().unwrap_err().field.as_deref(),
            Some("loan.maturity_date")
        );
    }
}
