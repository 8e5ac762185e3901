//! Properties of the engine over generated loans (native only: proptest needs an OS RNG).
#![cfg(not(target_arch = "wasm32"))]

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shared::account::{id_check_char, IdNumber};
use shared::date::{add_months_on_day, days_30_360};
use shared::loan::amortization::{equal_installment, equal_principal, monthly_rate};
use shared::loan::trial::{prepayment, settlement, PrepaymentRequest};
use shared::loan::{run_trial, AdjustMode, Loan, LoanStatus, RepaymentMethod, TrialRequest};
use shared::policy::Policy;

fn date(days_from_2000: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days_from_2000)
}

prop_compose! {
    /// A loan as the fund could hold it: balance 1 000–2 000 000 yuan in fen, rate 1–8 %, 2–360
    /// periods, installment computed by the engine, due day 1–31.
    fn any_loan()(
        fen in 100_000i64..200_000_000,
        rate_bp in 100u32..800,
        periods in 2u32..=360,
        principal_method in any::<bool>(),
        last_due in 0i64..9000,
        due_day in 1u32..=31,
    ) -> Loan {
        let balance = Decimal::new(fen, 2);
        let annual_rate = Decimal::new(rate_bp.into(), 2);
        let method = if principal_method { RepaymentMethod::EqualPrincipal } else { RepaymentMethod::EqualInstallment };
        let monthly_payment = match method {
            RepaymentMethod::EqualInstallment => equal_installment(balance, monthly_rate(annual_rate), periods).unwrap(),
            RepaymentMethod::EqualPrincipal => equal_principal(balance, periods).unwrap(),
        };
        let last_due_date = add_months_on_day(date(last_due), 0, due_day).unwrap();
        Loan {
            method, balance, annual_rate, remaining_periods: periods, monthly_payment, last_due_date,
            maturity_date: add_months_on_day(last_due_date, periods as i32, due_day).unwrap(),
            arrears: Decimal::ZERO, status: LoanStatus::Normal, disbursement_date: Some(last_due_date),
        }
    }
}

proptest! {
    #[test]
    fn a_schedule_repays_the_balance_exactly(loan in any_loan()) {
        let schedule = loan.schedule();
        let principal: Decimal = schedule.rows.iter().map(|r| r.principal).sum();
        prop_assert_eq!(principal, loan.balance);
        prop_assert_eq!(schedule.rows.last().unwrap().balance, Decimal::ZERO);
        prop_assert!(schedule.rows.len() as u32 <= loan.remaining_periods);
        for row in &schedule.rows {
            prop_assert_eq!(row.installment, row.principal + row.interest);
            prop_assert!(row.principal >= Decimal::ZERO && row.interest >= Decimal::ZERO);
        }
    }

    #[test]
    fn shorter_term_never_lengthens_nor_raises(loan in any_loan(), thousands in 1i64..2000, day in 1i64..27) {
        let amount = Decimal::from(thousands * 1000);
        prop_assume!(amount < loan.balance);
        let when = (loan.last_due_date + chrono::Duration::days(day)).format("%Y-%m-%d").to_string();
        let Ok(request) = PrepaymentRequest::parse(&loan, &when, &amount.to_string(), AdjustMode::ShorterTerm, None) else {
            return Ok(()); // date past the next due day of a short February
        };
        let trial = prepayment(&loan, &request).unwrap();
        prop_assert!(trial.new_remaining_periods <= loan.remaining_periods);
        match loan.method {
            RepaymentMethod::EqualInstallment => prop_assert_eq!(trial.new_monthly_payment, loan.monthly_payment),
            RepaymentMethod::EqualPrincipal => prop_assert_eq!(trial.new_monthly_principal, Some(loan.monthly_payment)),
        }
        prop_assert!(trial.new_maturity_date <= loan.maturity_date);
        prop_assert_eq!(trial.total, trial.prepay_principal + trial.prepay_interest);
    }

    #[test]
    fn lower_payment_falls_as_the_prepayment_grows(loan in any_loan(), a in 1i64..500, b in 1i64..500) {
        let (small, large) = (a.min(b) * 1000, a.max(b) * 1000);
        prop_assume!(Decimal::from(large) < loan.balance);
        let when = (loan.last_due_date + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        let run = |x: i64| {
            let r = PrepaymentRequest::parse(&loan, &when, &x.to_string(), AdjustMode::LowerPayment, None).unwrap();
            prepayment(&loan, &r).unwrap()
        };
        let (t_small, t_large) = (run(small), run(large));
        prop_assert!(t_large.new_monthly_payment <= t_small.new_monthly_payment);
        match loan.method {
            RepaymentMethod::EqualInstallment => prop_assert!(t_small.new_monthly_payment <= loan.monthly_payment),
            RepaymentMethod::EqualPrincipal => prop_assert!(t_small.new_monthly_principal.unwrap() <= loan.monthly_payment),
        }
        prop_assert_eq!(t_small.new_remaining_periods, loan.remaining_periods);
    }

    #[test]
    fn settlement_covers_the_balance(loan in any_loan(), day in 1i64..27) {
        let when = loan.last_due_date + chrono::Duration::days(day);
        if let Ok(trial) = settlement(&loan, when) {
            prop_assert!(trial.total >= loan.balance);
            prop_assert_eq!(trial.principal, loan.balance);
        }
    }

    #[test]
    fn day_counts_30_360(a in 0i64..20000, b in 0i64..20000) {
        let (from, to) = (date(a), date(b));
        let days = days_30_360(from, to);
        prop_assert_eq!(days, -days_30_360(to, from));
        // Never more than 1 day from the calendar count per elapsed month, in either direction.
        let calendar = (to - from).num_days();
        prop_assert!((days - calendar).abs() <= (calendar.abs() / 28 + 2) * 3);
    }

    #[test]
    fn id_check_digit_round_trip(area in 110000u32..660000, birth in 0i64..30000, seq in 0u32..1000) {
        let born = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Duration::days(birth);
        let first17 = format!("{area:06}{}{seq:03}", born.format("%Y%m%d"));
        let id = format!("{first17}{}", id_check_char(&first17).unwrap());
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let parsed = IdNumber::parse(&id, today).unwrap();
        prop_assert_eq!(parsed.birth_date(), born);
        // Any other check character is refused.
        for other in "0123456789X".chars().filter(|c| Some(*c) != id_check_char(&first17)) {
            let wrong = format!("{first17}{other}");
            let refused = IdNumber::parse(&wrong, today).is_err();
            prop_assert!(refused);
        }
    }

    #[test]
    fn no_input_makes_the_engine_panic(
        loan_json in "\\PC{0,40}", date in "\\PC{0,12}", amount in "\\PC{0,12}", n in any::<Option<u32>>(),
        balance in any::<i64>(), rate in any::<i64>(), periods in any::<u32>(), payment in any::<i64>(),
        last in -100000i64..100000, maturity in -100000i64..100000,
    ) {
        let _ = serde_json::from_str::<Loan>(&loan_json);
        let loan = Loan {
            method: RepaymentMethod::EqualInstallment,
            balance: Decimal::new(balance, 2), annual_rate: Decimal::new(rate, 2), remaining_periods: periods,
            monthly_payment: Decimal::new(payment, 2), last_due_date: self::date(last.abs() % 40000),
            maturity_date: self::date(maturity.abs() % 40000), arrears: Decimal::ZERO,
            status: LoanStatus::Normal, disbursement_date: None,
        };
        let policy = Policy::default();
        for mode in AdjustMode::ALL {
            let request = TrialRequest::PartialPrepayment { date: date.clone(), amount: amount.clone(), mode, new_remaining_periods: n };
            let _ = run_trial(&loan, &request, &policy);
        }
        let _ = run_trial(&loan, &TrialRequest::Settlement { date: date.clone() }, &policy);
        let _ = run_trial(&loan, &TrialRequest::AdjustTerm { new_remaining_periods: n.unwrap_or(0) }, &policy);
        let _ = IdNumber::parse(&amount, self::date(9000));
        let _ = shared::account::Phone::parse(&amount);
        let _ = shared::account::PersonName::parse(&date);
        let _ = shared::account::Password::unmet_rules(&date);
    }
}
