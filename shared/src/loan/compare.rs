//! The three 调整方式 side by side for one amount: new installment, new term, interest still to pay
//! and interest saved against not prepaying — what the 部分提前还本 page shows beside the result.

use super::trial::{prepayment, AdjustMode, PrepaymentRequest, PrepaymentTrial};
use super::{Loan, RepaymentMethod};
use crate::money::fen;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The loan as it stands after a prepayment trial: its balance, periods, payment and maturity.
pub fn after_prepayment(loan: &Loan, trial: &PrepaymentTrial) -> Loan {
    let monthly_payment = match loan.method {
        RepaymentMethod::EqualInstallment => trial.new_monthly_payment,
        RepaymentMethod::EqualPrincipal => {
            trial.new_monthly_principal.unwrap_or(loan.monthly_payment)
        }
    };
    Loan {
        balance: trial.new_balance,
        remaining_periods: trial.new_remaining_periods,
        monthly_payment,
        maturity_date: trial.new_maturity_date,
        // The due day stays what it was, even when the new maturity falls in a short month.
        due_day: Some(loan.due_day()),
        ..loan.clone()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModeComparison {
    pub mode: AdjustMode,
    pub trial: PrepaymentTrial,
    /// Interest of the remaining schedule after the prepayment.
    pub interest_to_pay: Decimal,
    /// Interest of the schedule without prepaying, minus what remains and the prepayment interest.
    pub interest_saved: Decimal,
}

/// Every mode that applies for `amount` on `date` (新期数 only with `new_periods`); modes the
/// request is not valid for are left out.
pub fn compare_modes(
    loan: &Loan,
    date: &str,
    amount: &str,
    new_periods: Option<u32>,
) -> Vec<ModeComparison> {
    let before = loan.schedule().total_interest;
    AdjustMode::ALL
        .into_iter()
        .filter_map(|mode| {
            let request = PrepaymentRequest::parse(loan, date, amount, mode, new_periods).ok()?;
            let trial = prepayment(loan, &request).ok()?;
            let interest_to_pay = after_prepayment(loan, &trial).schedule().total_interest;
            Some(ModeComparison {
                mode,
                interest_saved: fen(before - interest_to_pay - trial.prepay_interest),
                interest_to_pay,
                trial,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{dec, seed_loan};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_shorter_term_saves_more_interest_than_a_lower_payment() {
        let rows = compare_modes(&seed_loan(), "20180110", "10000", None);
        assert_eq!(rows.len(), 2, "new_term needs a number of periods");
        let (lower, shorter) = (&rows[0], &rows[1]);
        assert_eq!(lower.trial.new_monthly_payment, dec("3310.48"));
        assert_eq!(shorter.trial.new_remaining_periods, 266);
        assert!(shorter.interest_saved > lower.interest_saved);
        assert!(lower.interest_saved > Decimal::ZERO);
        let after = after_prepayment(&seed_loan(), &shorter.trial);
        let schedule = after.schedule();
        assert_eq!(schedule.rows.len(), 266);
        assert_eq!(schedule.total_principal, dec("636609.84"));
        assert_eq!(
            compare_modes(&seed_loan(), "20180110", "10000", Some(200)).len(),
            3
        );
        assert!(compare_modes(&seed_loan(), "20180110", "1500", None).is_empty());
    }
}
