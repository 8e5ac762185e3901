//! The plan engine with figures worked by hand (Python decimal where noted).
use super::*;
use crate::loan::tests::{dec, seed_loan, ymd};
use crate::loan::LoanStatus;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

pub(super) fn small(method: RepaymentMethod, balance: &str, payment: &str) -> Loan {
    Loan {
        method,
        balance: dec(balance),
        annual_rate: dec("6"),
        remaining_periods: 3,
        monthly_payment: dec(payment),
        last_due_date: ymd(2018, 1, 15),
        maturity_date: ymd(2018, 4, 15),
        arrears: Decimal::ZERO,
        status: LoanStatus::Normal,
        disbursement_date: Some(ymd(2015, 4, 15)),
        due_day: None,
    }
}

pub(super) fn events(loan: &Loan, inputs: serde_json::Value) -> Vec<Event> {
    let inputs: Vec<EventInput> = serde_json::from_value(inputs).unwrap();
    parse_events(loan, &inputs).unwrap()
}

#[test]
fn without_events_the_plan_is_the_loans_schedule() {
    let loan = seed_loan();
    let plan = run(&loan, &[]).unwrap();
    let schedule = loan.schedule();
    assert_eq!(plan.schedule, schedule.rows);
    assert_eq!(plan.total_interest, schedule.total_interest);
    assert_eq!(plan.total_paid, schedule.total_payment);
    assert_eq!(plan.interest_saved, dec("0.00"));
    assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
}

#[test]
fn a_prepayment_event_is_the_trial_on_its_date() {
    // The seed's 部分提前还本 of 20180109, 还款额下降: 3310.48 from then on.
    let loan = seed_loan();
    let events = events(
        &loan,
        serde_json::json!([{"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": "lower_payment"}]),
    );
    let plan = run(&loan, &events).unwrap();
    let event = &plan.events[0];
    assert_eq!(event.new_monthly_payment, dec("3310.48"));
    assert_eq!(event.balance_after, dec("636609.84"));
    assert_eq!(event.new_remaining_periods, 272);
    assert_eq!(event.trial.as_ref().unwrap().prepay_interest, dec("9.93"));
    // The first installment after it: interest round(636609.84 × 3.25 / 1200) = 1724.15.
    let first = &plan.schedule[0];
    assert_eq!(first.due_date, ymd(2018, 1, 28));
    assert_eq!(first.interest, dec("1724.15"));
    assert_eq!(first.principal, dec("1586.33"));
    // Everything repaid: the prepayment and the schedule's principal make the balance.
    let principal: Decimal = plan.schedule.iter().map(|r| r.principal).sum();
    assert_eq!(principal + dec("10000"), dec("646609.84"));
    assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
    assert_eq!(
        plan.total_paid,
        plan.total_interest + dec("646609.84"),
        "paid = principal + interest"
    );
    assert!(plan.interest_saved > Decimal::ZERO);
    assert_eq!(
        plan.interest_saved,
        plan.baseline_interest - plan.total_interest
    );
}

#[test]
fn a_rate_change_applies_after_the_first_due_date_on_or_after_it() {
    // 10,000.00 at 6 % over 3 months: A = round(10000·0.005·1.005³/(1.005³−1)) = 3366.72.
    let loan = small(RepaymentMethod::EqualInstallment, "10000", "3366.72");
    let events = events(
        &loan,
        serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-01", "annual_rate": "12"}]),
    );
    let plan = run(&loan, &events).unwrap();
    let rows = &plan.schedule;
    // 2018-02-15, still at 6 %: interest 50.00, principal 3316.72, balance 6683.28.
    assert_eq!(
        (
            rows[0].due_date,
            rows[0].interest,
            rows[0].principal,
            rows[0].balance
        ),
        (
            ymd(2018, 2, 15),
            dec("50.00"),
            dec("3316.72"),
            dec("6683.28")
        )
    );
    // Then 12 % over the 2 remaining: A = round(6683.28·0.01·1.01²/(1.01²−1)) = 3391.85.
    let event = &plan.events[0];
    assert_eq!(event.applied_after, Some(ymd(2018, 2, 15)));
    assert_eq!(event.new_monthly_payment, dec("3391.85"));
    assert_eq!(event.new_remaining_periods, 2);
    assert_eq!(event.new_maturity_date, ymd(2018, 4, 15));
    // 2018-03-15: interest round(6683.28·0.01) = 66.83, principal 3325.02, balance 3358.26.
    assert_eq!(
        (rows[1].interest, rows[1].principal, rows[1].balance),
        (dec("66.83"), dec("3325.02"), dec("3358.26"))
    );
    // 2018-04-15, the last: interest 33.58, the rest of the principal: 3391.84.
    assert_eq!(
        (
            rows[2].interest,
            rows[2].principal,
            rows[2].installment,
            rows[2].balance
        ),
        (dec("33.58"), dec("3358.26"), dec("3391.84"), dec("0.00"))
    );
    // 50.00 + 66.83 + 33.58 against 50.00 + 33.42 + 16.75 at 6 % throughout.
    assert_eq!(plan.total_interest, dec("150.41"));
    assert_eq!(plan.baseline_interest, dec("100.17"));
    assert_eq!(plan.interest_saved, dec("-50.24"));
    assert_eq!(plan.maturity_date, ymd(2018, 4, 15));
}

#[test]
fn equal_principal_keeps_its_principal_at_the_new_rate() {
    // 9,000.00, 3,000.00 a month; 12 % from the first due date on.
    let loan = small(RepaymentMethod::EqualPrincipal, "9000", "3000");
    let events = events(
        &loan,
        serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-15", "annual_rate": "12"}]),
    );
    let plan = run(&loan, &events).unwrap();
    let installments: Vec<Decimal> = plan.schedule.iter().map(|r| r.installment).collect();
    // 3000 + 9000·0.005; then 3000 + 6000·0.01; 3000 + 3000·0.01.
    assert_eq!(
        installments,
        vec![dec("3045.00"), dec("3060.00"), dec("3030.00")]
    );
    assert_eq!(plan.events[0].new_monthly_payment, dec("3060.00"));
}

#[test]
fn the_workings_add_up() {
    let loan = small(RepaymentMethod::EqualInstallment, "10000", "3366.72");
    let events = events(
        &loan,
        serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-01", "annual_rate": "12"}]),
    );
    let plan = run(&loan, &events).unwrap();
    let all = workings(&loan, &plan);
    let rate = &all[0];
    assert_eq!(rate.value, "3,391.85");
    assert!(
        rate.steps[0].contains("第一个约定还款日2018-02-15仍按原利率"),
        "{:?}",
        rate.steps
    );
    // 6683.28 × 0.01 × 1.01² ÷ (1.01² − 1) = 3391.8496…
    assert!(
        rate.steps
            .last()
            .unwrap()
            .ends_with("四舍五入到分：3,391.85"),
        "{:?}",
        rate.steps
    );
    let interest = all.iter().find(|w| w.figure == "利息合计").unwrap();
    assert_eq!(
        interest.steps[0],
        "还款计划3期的利息之和 150.41 + 各次提前还本利息之和 0.00 = 150.41"
    );
    let saved = all.iter().find(|w| w.figure == "节省利息").unwrap();
    assert_eq!(
        saved.steps[0],
        "不做任何变更时的利息合计 100.17 − 本方案利息合计 150.41 = -50.24"
    );
}

#[test]
fn without_a_date_a_rate_change_is_the_next_first_of_january() {
    let loan = seed_loan();
    let events = events(
        &loan,
        serde_json::json!([{"kind": "rate_change", "annual_rate": "3.1"}]),
    );
    assert_eq!(events[0].date(), ymd(2018, 1, 1));
    let plan = run(&loan, &events).unwrap();
    // The first due date on or after 2018-01-01 is 2018-01-28: still 3362.48 at 3.25 %
    // (interest round(646609.84 × 3.25 / 1200) = 1751.23, principal 1611.25, balance
    // 644,998.59); then 3.1 % over the 271 left: A = round(644998.59·i·(1+i)^271 /
    // ((1+i)^271 − 1)), i = 3.1/1200, = 3312.57 (worked with Python's decimal at 60 digits).
    assert_eq!(plan.schedule[0].installment, dec("3362.48"));
    assert_eq!(plan.schedule[0].balance, dec("644998.59"));
    assert_eq!(plan.events[0].applied_after, Some(ymd(2018, 1, 28)));
    assert_eq!(plan.events[0].new_monthly_payment, dec("3312.57"));
    assert_eq!(plan.events[0].new_remaining_periods, 271);
    assert_eq!(plan.schedule[1].installment, dec("3312.57"));
    // 644998.59 × 3.1 / 1200 = 1666.2463575
    assert_eq!(plan.schedule[1].interest, dec("1666.25"));
    assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
    assert!(plan.interest_saved > Decimal::ZERO);
}

#[test]
fn events_are_checked_by_the_trials_rules_and_named() {
    let loan = seed_loan();
    let error = |json: serde_json::Value| {
        let inputs: Vec<EventInput> = serde_json::from_value(json).unwrap();
        parse_events(&loan, &inputs)
            .and_then(|events| run(&loan, &events))
            .unwrap_err()
    };
    let e = error(serde_json::json!([
        {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": "lower_payment"},
        {"kind": "prepayment", "date": "2018-03-02", "amount": "1500", "mode": "lower_payment"}
    ]));
    assert_eq!(e.code, "amount_not_multiple_of_1000");
    assert_eq!(e.field.as_deref(), Some("events[1].amount"));
    assert_eq!(e.message, "第2项：提前还本金额须为1000的倍数");
    // A due date is no prepayment date, and the message says so in those words.
    let e = error(serde_json::json!([
        {"kind": "prepayment", "date": "2018-02-28", "amount": "10000", "mode": "lower_payment"}
    ]));
    assert_eq!(e.code, "date_is_a_due_date");
    assert_eq!(e.field.as_deref(), Some("events[0].date"));
    assert_eq!(
        e.message,
        "第1项：约定还款日期不能是每月的约定还款日（28日），请选其后、下一约定还款日之前的日期"
    );
    // Before the loan's last due date: the trial's own words.
    let e = error(serde_json::json!([
        {"kind": "prepayment", "date": "2017-12-20", "amount": "10000", "mode": "lower_payment"}
    ]));
    assert_eq!(e.code, "date_not_after_last_due");
    let e = error(serde_json::json!([
        {"kind": "rate_change", "effective_date": "2017-12-01", "annual_rate": "3"}
    ]));
    assert_eq!(e.code, "rate_change_in_the_past");
    let e = error(serde_json::json!([
        {"kind": "rate_change", "effective_date": "2019-01-01", "annual_rate": "30"}
    ]));
    assert_eq!(e.field.as_deref(), Some("events[0].annual_rate"));
}

#[test]
fn events_after_the_payoff_do_not_happen() {
    let loan = seed_loan();
    let events = events(
        &loan,
        serde_json::json!([
            {"kind": "prepayment", "date": "2018-01-09", "amount": "640000", "mode": "shorter_term"},
            {"kind": "prepayment", "date": "2019-06-10", "amount": "1000", "mode": "shorter_term"},
            {"kind": "rate_change", "effective_date": "2020-01-01", "annual_rate": "3.1"}
        ]),
    );
    let plan = run(&loan, &events).unwrap();
    // 6,609.84 left after 20180109 at 3362.48 a month: paid off on 2018-02-28.
    assert_eq!(plan.maturity_date, ymd(2018, 2, 28));
    assert_eq!(plan.skipped, vec![1, 2]);
    assert_eq!(plan.events.len(), 1);
}

#[test]
fn events_on_one_date_apply_in_the_order_given() {
    let loan = seed_loan();
    let two = |first: &str, second: &str| {
        let events = events(
            &loan,
            serde_json::json!([
                {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": first},
                {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": second}
            ]),
        );
        run(&loan, &events).unwrap()
    };
    let a = two("lower_payment", "shorter_term");
    let b = two("shorter_term", "lower_payment");
    assert_eq!(a.events[0].index, 0);
    assert_eq!(a.events[1].index, 1);
    // 还款额下降 then 还款额不变 keeps the lowered payment (3310.48); the other order shortens
    // first (3362.48 kept) and then lowers it: another payment, another total.
    assert_eq!(a.events[0].new_monthly_payment, dec("3310.48"));
    assert_eq!(a.events[1].new_monthly_payment, dec("3310.48"));
    assert_eq!(b.events[0].new_monthly_payment, dec("3362.48"));
    assert!(b.events[1].new_monthly_payment < dec("3362.48"));
    assert_ne!(
        a.events[1].new_monthly_payment,
        b.events[1].new_monthly_payment
    );
    assert_ne!(a.total_interest, b.total_interest);
}

#[test]
fn a_loan_due_on_the_31st_stays_due_on_the_31st_after_its_maturity_moves_into_february() {
    // 10,000.00 at 6 %, due on the 31st (as the fund records it), 27 periods from 2018-01-31:
    // maturity 2020-04-30.
    let loan = Loan {
        remaining_periods: 27,
        monthly_payment: crate::loan::amortization::equal_installment(
            dec("10000"),
            monthly_rate(dec("6")),
            27,
        )
        .unwrap(),
        last_due_date: ymd(2018, 1, 31),
        maturity_date: ymd(2020, 4, 30),
        due_day: Some(31),
        ..small(RepaymentMethod::EqualInstallment, "10000", "1")
    };
    // 还款额不变 with 1,000: two periods fewer, maturity 2020-02-29 — still due on the 31st.
    let events = events(
        &loan,
        serde_json::json!([{"kind": "prepayment", "date": "2018-02-10", "amount": "1000", "mode": "shorter_term"}]),
    );
    let plan = run(&loan, &events).unwrap();
    assert_eq!(plan.events[0].new_remaining_periods, 25);
    assert_eq!(plan.events[0].new_maturity_date, ymd(2020, 2, 29));
    let dates: Vec<NaiveDate> = plan.schedule.iter().take(3).map(|r| r.due_date).collect();
    assert_eq!(
        dates,
        vec![ymd(2018, 2, 28), ymd(2018, 3, 31), ymd(2018, 4, 30)]
    );
    assert_eq!(plan.schedule[23].due_date, ymd(2020, 1, 31));
    assert_eq!(plan.maturity_date, ymd(2020, 2, 29));
}
