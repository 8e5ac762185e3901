//! 贷款试算器 — the public calculator: anyone enters a loan as it stands (balance, rate, remaining
//! periods, method, last due date) and gets a [`Loan`] the trials run on. The installment is the
//! engine's, rounded half-up to the fen; the due day is the last due date's day of the month.

use super::amortization::{equal_installment, equal_principal, monthly_rate};
use super::{Loan, LoanStatus, RepaymentMethod};
use crate::date::{add_months_on_day, parse_date};
use crate::error::ApiError;
use crate::money::{fen, normalize_width, parse_amount};
use chrono::Datelike;
use rust_decimal::Decimal;

/// The calculator's inputs as typed.
#[derive(Debug, Clone, Copy)]
pub struct LoanTerms<'a> {
    pub method: RepaymentMethod,
    pub balance: &'a str,
    pub annual_rate: &'a str,
    pub remaining_periods: &'a str,
    pub last_due_date: &'a str,
}

/// 年利率 in percent: a positive number with at most four decimals, at most 24.
pub(crate) fn parse_rate(input: &str) -> Result<Decimal, ApiError> {
    let text = normalize_width(input);
    let text = text.trim().trim_end_matches('%').trim();
    let invalid =
        |code: &str, message: &str| Err(ApiError::field("annual_rate", code, message.to_owned()));
    if text.is_empty() {
        return invalid("rate_required", "请输入年利率");
    }
    let valid_shape = text.split_once('.').map_or(
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
        |(whole, fraction)| {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !fraction.is_empty()
                && fraction.len() <= 4
                && fraction.bytes().all(|b| b.is_ascii_digit())
        },
    );
    let rate = match text.parse::<Decimal>() {
        Ok(rate) if valid_shape => rate,
        _ => return invalid("rate_invalid", "年利率须为数字（百分比，最多四位小数）"),
    };
    if rate <= Decimal::ZERO || rate > Decimal::from(24) {
        return invalid("rate_out_of_range", "年利率须大于0且不超过24%");
    }
    Ok(rate)
}

fn parse_remaining_periods(input: &str) -> Result<u32, ApiError> {
    let text = normalize_width(input);
    let invalid = || {
        ApiError::field(
            "remaining_periods",
            "periods_invalid",
            "剩余期数须为1至360之间的整数",
        )
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::field(
            "remaining_periods",
            "periods_required",
            "请输入剩余期数",
        ));
    }
    match text.parse::<u32>() {
        Ok(periods) if (1..=360).contains(&periods) => Ok(periods),
        _ => Err(invalid()),
    }
}

impl LoanTerms<'_> {
    /// The loan these terms describe, or the first invalid field with its Chinese message.
    pub fn loan(&self) -> Result<Loan, ApiError> {
        let balance = parse_amount("balance", "贷款余额", self.balance)?;
        if balance <= Decimal::ZERO {
            return Err(ApiError::field(
                "balance",
                "balance_not_positive",
                "贷款余额须大于0",
            ));
        }
        let annual_rate = parse_rate(self.annual_rate)?;
        let remaining_periods = parse_remaining_periods(self.remaining_periods)?;
        let last_due_date = parse_date("last_due_date", "上次还款日", self.last_due_date)?;
        let rate = monthly_rate(annual_rate);
        let payment = match self.method {
            RepaymentMethod::EqualInstallment => {
                equal_installment(balance, rate, remaining_periods)
            }
            RepaymentMethod::EqualPrincipal => equal_principal(balance, remaining_periods),
        };
        let maturity_date =
            add_months_on_day(last_due_date, remaining_periods as i32, last_due_date.day());
        let (Some(payment), Some(maturity_date)) = (payment, maturity_date) else {
            return Err(ApiError::field(
                "balance",
                "loan_invalid",
                "按所填贷款信息无法计算月还款额，请核对",
            ));
        };
        let loan = Loan {
            method: self.method,
            balance,
            annual_rate,
            remaining_periods,
            monthly_payment: fen(payment),
            last_due_date,
            maturity_date,
            arrears: Decimal::ZERO,
            status: LoanStatus::Normal,
            disbursement_date: None,
            due_day: None,
        };
        loan.check()?;
        Ok(loan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{dec, seed_loan, ymd};
    use crate::loan::trial::{prepayment, settlement, AdjustMode, PrepaymentRequest};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn seed_terms() -> LoanTerms<'static> {
        LoanTerms {
            method: RepaymentMethod::EqualInstallment,
            balance: "646609.84",
            annual_rate: "3.25",
            remaining_periods: "272",
            last_due_date: "20171228",
        }
    }

    #[test]
    fn the_seed_loan_entered_by_hand_is_the_seed_loan() {
        let loan = seed_terms().loan().unwrap();
        assert_eq!(loan.monthly_payment, dec("3362.48"));
        assert_eq!(loan.maturity_date, ymd(2040, 8, 28));
        assert_eq!(
            Loan {
                disbursement_date: seed_loan().disbursement_date,
                ..loan.clone()
            },
            seed_loan()
        );
        // And the seed's figures follow from it.
        let request =
            PrepaymentRequest::parse(&loan, "20180109", "10000", AdjustMode::LowerPayment, None)
                .unwrap();
        let trial = prepayment(&loan, &request).unwrap();
        assert_eq!(trial.new_monthly_payment, dec("3310.48"));
        assert_eq!(trial.new_balance, dec("636609.84"));
        let settled = settlement(&loan, ymd(2018, 1, 10)).unwrap();
        assert_eq!(settled.total, dec("647310.33"));
    }

    #[test]
    fn equal_principal_pays_the_balance_over_the_periods() {
        let loan = LoanTerms {
            method: RepaymentMethod::EqualPrincipal,
            balance: "１２０000",
            remaining_periods: "120",
            ..seed_terms()
        }
        .loan()
        .unwrap();
        assert_eq!(loan.monthly_payment, dec("1000.00"));
        assert_eq!(loan.maturity_date, ymd(2027, 12, 28));
    }

    #[test]
    fn every_field_is_named_when_wrong() {
        let field = |terms: LoanTerms| terms.loan().unwrap_err().field.unwrap();
        let base = seed_terms();
        for (terms, expected) in [
            (
                LoanTerms {
                    balance: "",
                    ..base
                },
                "balance",
            ),
            (
                LoanTerms {
                    balance: "0",
                    ..base
                },
                "balance",
            ),
            (
                LoanTerms {
                    balance: "-5",
                    ..base
                },
                "balance",
            ),
            (
                LoanTerms {
                    annual_rate: "",
                    ..base
                },
                "annual_rate",
            ),
            (
                LoanTerms {
                    annual_rate: "abc",
                    ..base
                },
                "annual_rate",
            ),
            (
                LoanTerms {
                    annual_rate: "3.12345",
                    ..base
                },
                "annual_rate",
            ),
            (
                LoanTerms {
                    annual_rate: "0",
                    ..base
                },
                "annual_rate",
            ),
            (
                LoanTerms {
                    annual_rate: "25",
                    ..base
                },
                "annual_rate",
            ),
            (
                LoanTerms {
                    remaining_periods: "0",
                    ..base
                },
                "remaining_periods",
            ),
            (
                LoanTerms {
                    remaining_periods: "361",
                    ..base
                },
                "remaining_periods",
            ),
            (
                LoanTerms {
                    remaining_periods: "1.5",
                    ..base
                },
                "remaining_periods",
            ),
            (
                LoanTerms {
                    last_due_date: "2018-02-30",
                    ..base
                },
                "last_due_date",
            ),
        ] {
            assert_eq!(field(terms), expected, "{terms:?}");
        }
        assert_eq!(
            LoanTerms {
                annual_rate: "３．２５%",
                ..base
            }
            .loan()
            .unwrap()
            .annual_rate,
            dec("3.25")
        );
    }
}
