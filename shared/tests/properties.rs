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
            due_day: Some(due_day),
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
            status: LoanStatus::Normal, disbursement_date: None, due_day: None,
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

/// 还款规划: events on distinct dates, each strictly between two due dates (a prepayment of a few
/// thousand, 还款额下降 or 还款额不变) or a rate change (1–8 %).
fn plan_events(loan: &Loan, picks: &[(u32, u32, bool, u32, bool)]) -> Vec<shared::plan::Event> {
    let mut seen = std::collections::BTreeSet::new();
    picks
        .iter()
        .filter_map(|&(month, day, rate_change, size, shorter)| {
            let month = month % loan.remaining_periods.max(1);
            let due = add_months_on_day(loan.last_due_date, month as i32, loan.due_day())?;
            let date = due + chrono::Days::new(u64::from(1 + day % 27));
            seen.insert(date).then_some(())?;
            Some(if rate_change {
                shared::plan::Event::RateChange {
                    effective_date: date,
                    annual_rate: Decimal::new(i64::from(100 + size % 700), 2),
                }
            } else {
                shared::plan::Event::Prepayment {
                    date,
                    amount: ((1 + size % 5) * 1000).to_string(),
                    mode: if shorter {
                        AdjustMode::ShorterTerm
                    } else {
                        AdjustMode::LowerPayment
                    },
                    new_remaining_periods: None,
                }
            })
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_plan_pays_the_principal_and_its_interest_and_ignores_input_order(
        loan in any_loan(),
        picks in proptest::collection::vec((0u32..120, 0u32..27, any::<bool>(), 0u32..1000, any::<bool>()), 0..5),
        seed in any::<u64>(),
    ) {
        let events = plan_events(&loan, &picks);
        let plan = shared::plan::run(&loan, &events);
        // A prepayment may exceed what is left, or fall after the payoff: those are refusals.
        prop_assume!(plan.is_ok());
        let plan = plan.unwrap();
        prop_assert_eq!(plan.total_paid, loan.balance + plan.total_interest);
        prop_assert_eq!(plan.schedule.last().map(|r| r.balance), Some(Decimal::ZERO.round_dp(2)));
        let principal: Decimal = plan.schedule.iter().map(|r| r.principal).sum::<Decimal>()
            + plan.events.iter().filter_map(|e| e.trial.as_ref().map(|t| t.prepay_principal)).sum::<Decimal>();
        prop_assert_eq!(principal, loan.balance);
        // The same events in another order (their dates are distinct): the same plan.
        let mut shuffled = events.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let again = shared::plan::run(&loan, &shuffled).unwrap();
        prop_assert_eq!(&again.schedule, &plan.schedule);
        prop_assert_eq!(again.total_interest, plan.total_interest);
        prop_assert_eq!(again.maturity_date, plan.maturity_date);
    }

    #[test]
    fn a_goal_is_the_smallest_thousand_that_meets_it(loan in any_loan(), percent in 50u32..99) {
        prop_assume!(loan.method == RepaymentMethod::EqualInstallment && loan.balance > Decimal::from(3000));
        let on = loan.last_due_date + chrono::Days::new(5);
        let target = (loan.monthly_payment * Decimal::from(percent) / Decimal::from(100)).round_dp(2);
        let goal = shared::plan::Goal::PaymentAtMost(target);
        let found = shared::plan::seek(&loan, &[], on, AdjustMode::LowerPayment, goal);
        prop_assume!(found.is_ok());
        let found = found.unwrap();
        prop_assert!(found.prepayment.new_monthly_payment <= target);
        prop_assert!((found.amount % Decimal::from(1000)).is_zero());
        let fewer = found.amount - Decimal::from(1000);
        if fewer > Decimal::ZERO {
            let request = PrepaymentRequest::parse(&loan, &on.to_string(), &fewer.to_string(), AdjustMode::LowerPayment, None).unwrap();
            prop_assert!(prepayment(&loan, &request).unwrap().new_monthly_payment > target);
        }
    }
}
