//! Goal seeking with figures worked by hand, and the edge cases a review found.
use super::*;
use crate::loan::tests::{dec, seed_loan, ymd};
use crate::loan::RepaymentMethod;
use crate::plan::tests::{events, small};
use crate::plan::{parse_events, run, workings, EventInput, GoalInput};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn finish_by_finds_the_smallest_thousand() {
    // 还款额不变 on 20180109: finishing by 2035-12 means at most 216 periods (2040-08 − 56
    // months), i.e. a balance of at most the present value of 216 × 3362.48 at 3.25 %/12,
    // 549,319.68: 646,609.84 − 549,319.68 = 97,290.16 → 98,000.
    let loan = seed_loan();
    let goal = GoalInput::FinishBy {
        on: "2018-01-09".into(),
        month: "2035-12".into(),
    };
    let (on, mode, goal) = parse_goal(&goal).unwrap();
    let found = seek(&loan, &[], on, mode, goal).unwrap();
    assert_eq!(found.amount, dec("98000.00"));
    assert_eq!(found.maturity_date, ymd(2035, 12, 28));
    assert_eq!(found.prepayment.new_remaining_periods, 216);
    // 97,000 is not enough.
    let (plan, _) = with_prepayment(&loan, &[], on, mode, 97).unwrap();
    assert!(plan.maturity_date > ymd(2035, 12, 31));
}

#[test]
fn payment_and_interest_goals_are_minimal() {
    let loan = seed_loan();
    let on = ymd(2018, 1, 9);
    // 还款额下降 to at most 3,000.00 a month.
    let found = seek(
        &loan,
        &[],
        on,
        AdjustMode::LowerPayment,
        Goal::PaymentAtMost(dec("3000")),
    )
    .unwrap();
    assert!(found.prepayment.new_monthly_payment <= dec("3000"));
    let thousands = (found.amount / dec("1000")).mantissa() as u64 / 100;
    let (_, fewer) =
        with_prepayment(&loan, &[], on, AdjustMode::LowerPayment, thousands - 1).unwrap();
    assert!(fewer.new_monthly_payment > dec("3000"));
    // 10,000.00 of interest saved, 还款额不变.
    let found = seek(
        &loan,
        &[],
        on,
        AdjustMode::ShorterTerm,
        Goal::InterestSavedAtLeast(dec("10000")),
    )
    .unwrap();
    assert!(found.interest_saved >= dec("10000"));
    let thousands = (found.amount / dec("1000")).mantissa() as u64 / 100;
    let (plan, _) =
        with_prepayment(&loan, &[], on, AdjustMode::ShorterTerm, thousands - 1).unwrap();
    assert!(run(&loan, &[]).unwrap().total_interest - plan.total_interest < dec("10000"));
    // Unreachable: 1.00 a month.
    let e = seek(
        &loan,
        &[],
        on,
        AdjustMode::LowerPayment,
        Goal::PaymentAtMost(dec("1")),
    )
    .unwrap_err();
    assert_eq!(e.code, "goal_unreachable");
    // A date that is no prepayment date is the goal's error.
    let e = seek(
        &loan,
        &[],
        ymd(2018, 1, 28),
        AdjustMode::LowerPayment,
        Goal::PaymentAtMost(dec("3000")),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("goal.on"));
}

#[test]
fn the_goal_working_shows_the_thousand_less() {
    let loan = seed_loan();
    let goal = Goal::FinishBy {
        year: 2035,
        month: 12,
    };
    let found = seek(&loan, &[], ymd(2018, 1, 9), AdjustMode::ShorterTerm, goal).unwrap();
    let w = goal_working(&loan, &[], goal, &found);
    assert_eq!(w.value, "98,000.00");
    assert_eq!(
        w.steps[1],
        "提前还本98,000.00元：到期日期2035-12-28，达到目标"
    );
    assert!(
        w.steps[2].starts_with("少1000元即97,000.00元：到期日期2036-"),
        "{:?}",
        w.steps
    );
}

#[test]
fn the_reviews_edge_cases() {
    // A rate change due with the very last installment: nothing is left to reprice.
    let mut last = small(RepaymentMethod::EqualInstallment, "3000", "3015.00");
    last.remaining_periods = 1;
    last.maturity_date = ymd(2018, 2, 15);
    let events = events(
        &last,
        serde_json::json!([{"kind": "rate_change", "annual_rate": "3.325"}]),
    );
    assert_eq!(events[0].date(), ymd(2019, 1, 1));
    let plan = run(&last, &events).unwrap();
    assert_eq!(plan.skipped, vec![0]);
    assert!(workings(&last, &plan).iter().all(|w| !w.value.is_empty()));
    let events = parse_events(
        &last,
        &[EventInput::RateChange {
            effective_date: Some("2018-02-01".into()),
            annual_rate: "3.325%".into(),
        }],
    )
    .unwrap();
    let plan = run(&last, &events).unwrap();
    assert_eq!(plan.skipped, vec![0]);
    // A goal the plan meets already.
    let loan = seed_loan();
    let e = seek(
        &loan,
        &[],
        ymd(2018, 1, 9),
        AdjustMode::ShorterTerm,
        Goal::FinishBy {
            year: 2041,
            month: 1,
        },
    )
    .unwrap_err();
    assert_eq!(e.code, "goal_already_met");
    // A goal dated after the payoff.
    let early = events_of(
        &loan,
        serde_json::json!([
            {"kind": "prepayment", "date": "2018-01-09", "amount": "640000", "mode": "shorter_term"}
        ]),
    );
    let e = seek(
        &loan,
        &early,
        ymd(2019, 1, 9),
        AdjustMode::ShorterTerm,
        Goal::FinishBy {
            year: 2010,
            month: 1,
        },
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("goal.on"));
    assert_eq!(e.code, "goal_after_payoff");
    // What an amount buys: its errors are the amount's, without an event number.
    let e = what_it_buys(&loan, &[], ymd(2018, 1, 9), "1500").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("goal.amount"));
    assert_eq!(e.message, "提前还本金额须为1000的倍数");
}

fn events_of(loan: &Loan, inputs: serde_json::Value) -> Vec<Event> {
    events(loan, inputs)
}

#[test]
fn what_an_amount_buys_in_each_mode() {
    let loan = seed_loan();
    let buys = what_it_buys(&loan, &[], ymd(2018, 1, 10), "10000").unwrap();
    assert_eq!(buys.len(), 2);
    let (lower, shorter) = (&buys[0].1, &buys[1].1);
    assert_eq!(lower.prepayment.new_monthly_payment, dec("3310.48"));
    assert_eq!(shorter.prepayment.new_remaining_periods, 266);
    assert_eq!(shorter.maturity_date, ymd(2040, 2, 28));
    assert!(shorter.interest_saved > lower.interest_saved);
}
