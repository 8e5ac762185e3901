//! Every figure on the seed's screens, from 佟一's loan 2015000211: balance 646609.84 at 3.25 %,
//! 272 periods left, installment 3362.48, last due 2017-12-28, maturity 2040-08-28.
//! Runs natively and on wasm32 (the browser computes the same figures).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::loan::trial::{adjust_term, prepayment, settlement, PrepaymentRequest};
use shared::loan::{
    run_trial, AdjustMode, Loan, LoanStatus, RepaymentMethod, TrialRequest, TrialResponse,
};
use shared::policy::Policy;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn seed_loan() -> Loan {
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

fn trial(
    date: &str,
    amount: &str,
    mode: AdjustMode,
    n: Option<u32>,
) -> shared::loan::PrepaymentTrial {
    let loan = seed_loan();
    let request = PrepaymentRequest::parse(&loan, date, amount, mode, n).unwrap();
    prepayment(&loan, &request).unwrap()
}

#[test]
fn mode_1_lower_payment_on_20180109() {
    let t = trial("20180109", "10000", AdjustMode::LowerPayment, None);
    assert_eq!(t.prepay_interest.to_string(), "9.93");
    assert_eq!(t.total.to_string(), "10009.93");
    assert_eq!(t.refund_interest.to_string(), "0.00");
    assert_eq!(t.new_balance.to_string(), "636609.84");
    assert_eq!(t.new_remaining_periods, 272);
    assert_eq!(t.new_monthly_payment.to_string(), "3310.48");
    assert_eq!(t.new_maturity_date, ymd(2040, 8, 28));
}

#[test]
fn mode_2_shorter_term_on_20180110() {
    let t = trial("2018-01-10", "10000", AdjustMode::ShorterTerm, None);
    assert_eq!(t.prepay_interest.to_string(), "10.83");
    assert_eq!(t.total.to_string(), "10010.83");
    assert_eq!(t.new_balance.to_string(), "636609.84");
    assert_eq!(t.new_remaining_periods, 266);
    assert_eq!(t.new_monthly_payment.to_string(), "3362.48");
    assert_eq!(t.new_maturity_date, ymd(2040, 2, 28));
}

#[test]
fn mode_3_new_term() {
    let t = trial("2018-01-10", "10000", AdjustMode::NewTerm, Some(200));
    assert_eq!(t.new_remaining_periods, 200);
    // 272 → 200 moves maturity back 72 months.
    assert_eq!(t.new_maturity_date, ymd(2034, 8, 28));
    assert!(t.new_monthly_payment > dec("3362.48"));
}

#[test]
fn settlement_on_20180110() {
    let t = settlement(&seed_loan(), ymd(2018, 1, 10)).unwrap();
    assert_eq!(t.principal.to_string(), "646609.84");
    assert_eq!(t.interest.to_string(), "700.49");
    assert_eq!(t.total.to_string(), "647310.33");
    assert_eq!(t.refund_interest.to_string(), "0.00");
}

#[test]
fn trial_refusals_name_their_field() {
    let loan = seed_loan();
    let refuse = |date: &str, amount: &str, mode: AdjustMode, n: Option<u32>| {
        PrepaymentRequest::parse(&loan, date, amount, mode, n).unwrap_err()
    };
    let lower = AdjustMode::LowerPayment;
    let e = refuse("20180110", "1500", lower, None);
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("amount_not_multiple_of_1000", Some("amount"))
    );
    assert_eq!(e.message, "提前还本金额须为1000的倍数");
    assert_eq!(
        refuse("20180110", "0", lower, None).code,
        "amount_not_positive"
    );
    assert_eq!(
        refuse("20180110", "-1000", lower, None).code,
        "amount_negative"
    );
    assert_eq!(refuse("20180110", "", lower, None).code, "amount_required");
    assert_eq!(
        refuse("20180110", "1000.001", lower, None).code,
        "amount_precision"
    );
    assert_eq!(
        refuse("20180110", "一千", lower, None).code,
        "amount_not_a_number"
    );
    assert_eq!(
        refuse("20180110", "647000", lower, None).code,
        "amount_not_below_balance"
    );
    assert_eq!(
        refuse("20171228", "1000", lower, None).code,
        "date_not_after_last_due"
    );
    let next_due = refuse("20180128", "1000", lower, None);
    assert_eq!(
        (next_due.code.as_str(), next_due.field.as_deref()),
        ("date_not_before_next_due", Some("date"))
    );
    assert!(next_due.message.contains("20180128"));
    assert!(PrepaymentRequest::parse(&loan, "20180127", "1000", lower, None).is_ok());
    assert!(PrepaymentRequest::parse(&loan, "20180110", "１０００", lower, None).is_ok());
    let new_term = AdjustMode::NewTerm;
    assert_eq!(
        refuse("20180110", "1000", new_term, None).code,
        "new_term_required"
    );
    assert_eq!(
        refuse("20180110", "1000", new_term, Some(272)).code,
        "new_term_out_of_range"
    );
    assert_eq!(
        refuse("20180110", "1000", new_term, Some(0)).code,
        "new_term_out_of_range"
    );
    assert!(PrepaymentRequest::parse(&loan, "20180110", "1000", new_term, Some(271)).is_ok());

    let arrears = Loan {
        arrears: dec("3362.48"),
        ..seed_loan()
    };
    let e = PrepaymentRequest::parse(&arrears, "20180110", "1000", lower, None).unwrap_err();
    assert_eq!(e.code, "loan_in_arrears");
    assert!(e.message.contains("拖欠"));
    let settled = Loan {
        status: LoanStatus::Settled,
        ..seed_loan()
    };
    assert_eq!(
        settlement(&settled, ymd(2018, 1, 10)).unwrap_err().code,
        "loan_settled"
    );
}

#[test]
fn a_day_31_loan_falls_due_at_the_end_of_february() {
    let loan = Loan {
        last_due_date: ymd(2018, 1, 31),
        maturity_date: ymd(2040, 8, 31),
        ..seed_loan()
    };
    assert!(
        PrepaymentRequest::parse(&loan, "20180227", "1000", AdjustMode::LowerPayment, None).is_ok()
    );
    let e = PrepaymentRequest::parse(&loan, "20180228", "1000", AdjustMode::LowerPayment, None)
        .unwrap_err();
    assert_eq!(e.code, "date_not_before_next_due");
}

#[test]
fn equal_principal_loans() {
    let loan = Loan {
        method: RepaymentMethod::EqualPrincipal,
        balance: dec("120000"),
        remaining_periods: 120,
        monthly_payment: dec("1000"),
        maturity_date: ymd(2027, 12, 28),
        ..seed_loan()
    };
    let request =
        PrepaymentRequest::parse(&loan, "20180110", "30000", AdjustMode::ShorterTerm, None)
            .unwrap();
    let t = prepayment(&loan, &request).unwrap();
    assert_eq!(t.new_remaining_periods, 90);
    assert_eq!(t.new_monthly_principal, Some(dec("1000.00")));
    // First installment after: 1000 + round(90000 × 3.25/1200) = 1000 + 243.75.
    assert_eq!(t.new_monthly_payment.to_string(), "1243.75");
    assert_eq!(t.new_maturity_date, ymd(2025, 6, 28));
    let request =
        PrepaymentRequest::parse(&loan, "20180110", "30000", AdjustMode::LowerPayment, None)
            .unwrap();
    let t = prepayment(&loan, &request).unwrap();
    assert_eq!(t.new_monthly_principal, Some(dec("750.00")));
    assert_eq!(t.new_remaining_periods, 120);
}

#[test]
fn original_loan_installment() {
    let rate = shared::loan::amortization::monthly_rate(dec("3.25"));
    let a = shared::loan::amortization::equal_installment(dec("690000"), rate, 300).unwrap();
    assert_eq!(a.to_string(), "3362.48");
}

#[test]
fn adjusting_the_monthly_payment() {
    let policy = Policy::default();
    let longer = adjust_term(&seed_loan(), 300, &policy).unwrap();
    assert_eq!(longer.new_maturity_date, ymd(2042, 12, 28));
    assert_eq!(longer.effective_date, ymd(2018, 1, 28));
    assert!(longer.new_monthly_payment < dec("3362.48"));
    assert!(longer.interest_difference > Decimal::ZERO);
    let shorter = adjust_term(&seed_loan(), 200, &policy).unwrap();
    assert!(shorter.interest_difference < Decimal::ZERO);
    // 2015-08 + 360 months = 2045-08: 272 → 332 would end 2045-08-28, 333 one month past.
    assert!(adjust_term(&seed_loan(), 332, &policy).is_ok());
    assert_eq!(
        adjust_term(&seed_loan(), 333, &policy).unwrap_err().code,
        "total_term_exceeds_limit"
    );
    assert_eq!(
        adjust_term(&seed_loan(), 272, &policy).unwrap_err().code,
        "new_term_unchanged"
    );
    assert_eq!(
        adjust_term(&seed_loan(), 0, &policy).unwrap_err().code,
        "new_term_out_of_range"
    );
}

#[test]
fn the_wire_form_of_hpf_trial() {
    let input = r#"{"kind":"partial_prepayment","date":"2018-01-10","amount":"10000","mode":"shorter_term"}"#;
    let request: TrialRequest = serde_json::from_str(input).unwrap();
    let TrialResponse::PartialPrepayment(t) =
        run_trial(&seed_loan(), &request, &Policy::default()).unwrap()
    else {
        panic!("expected a prepayment trial");
    };
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["total"], "10010.83");
    assert_eq!(json["new_remaining_periods"], 266);
    assert_eq!(json["new_maturity_date"], "2040-02-28");
    assert!(json.get("new_monthly_principal").is_none());
    let numeric: TrialRequest =
        serde_json::from_str(r#"{"kind":"settlement","date":20180110}"#).unwrap();
    let settled =
        serde_json::to_value(run_trial(&seed_loan(), &numeric, &Policy::default()).unwrap())
            .unwrap();
    assert_eq!(settled["interest"], "700.49");
    assert_eq!(settled["total"], "647310.33");
}

#[test]
fn periods_as_typed() {
    use shared::loan::trial::parse_periods;
    assert_eq!(parse_periods("").unwrap(), None);
    assert_eq!(parse_periods(" ２００ ").unwrap(), Some(200));
    assert_eq!(
        parse_periods("12.5").unwrap_err().code,
        "new_term_not_a_number"
    );
    assert_eq!(
        parse_periods("-3").unwrap_err().field.as_deref(),
        Some("new_remaining_periods")
    );
}
