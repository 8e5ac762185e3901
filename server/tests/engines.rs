//! `hpf trial` and `hpf plan` as an integrator meets them: JSON on stdin, the engine's answer on
//! stdout (the seed's figures), an error object and a non-zero exit for bad input.

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn hpf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hpf"))
}

fn trial(input: &Value) -> (bool, Value) {
    engine("trial", input)
}

/// `hpf trial` or `hpf plan` on one JSON object: success, and the JSON printed.
fn engine(command: &str, input: &Value) -> (bool, Value) {
    let mut child = hpf()
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let value = serde_json::from_slice(&output.stdout).expect("stdout is one JSON object");
    (output.status.success(), value)
}

fn seed_loan() -> Value {
    json!({"method":"equal_installment","balance":"646609.84","annual_rate":"3.25","remaining_periods":272,
           "monthly_payment":"3362.48","last_due_date":"2017-12-28","maturity_date":"2040-08-28","arrears":"0.00"})
}

#[test]
fn trial_reproduces_the_seed_screens() {
    let (ok, out) = trial(&json!({"loan": seed_loan(), "request":
        {"kind":"partial_prepayment","date":"2018-01-09","amount":"10000","mode":"lower_payment"}}));
    assert!(ok);
    assert_eq!(
        out,
        json!({"prepay_principal":"10000.00","prepay_interest":"9.93","refund_interest":"0.00",
        "total":"10009.93","new_balance":"636609.84","new_remaining_periods":272,"new_monthly_payment":"3310.48",
        "new_maturity_date":"2040-08-28"})
    );

    let (ok, out) = trial(&json!({"loan": seed_loan(), "request":
        {"kind":"partial_prepayment","date":"2018-01-10","amount":"10000","mode":"shorter_term"}}));
    assert!(ok);
    assert_eq!(
        (&out["total"], &out["prepay_interest"]),
        (&json!("10010.83"), &json!("10.83"))
    );
    assert_eq!(
        (&out["new_remaining_periods"], &out["new_monthly_payment"]),
        (&json!(266), &json!("3362.48"))
    );
    assert_eq!(out["new_maturity_date"], "2040-02-28");

    let (ok, out) =
        trial(&json!({"loan": seed_loan(), "request": {"kind":"settlement","date":"2018-01-10"}}));
    assert!(ok);
    assert_eq!(
        out,
        json!({"principal":"646609.84","interest":"700.49","refund_interest":"0.00","total":"647310.33"})
    );
}

#[test]
fn trial_reports_equal_principal_figures() {
    let loan = json!({"method":"equal_principal","balance":"120000","annual_rate":"3.25","remaining_periods":120,
        "monthly_payment":"1000","last_due_date":"2017-12-28","maturity_date":"2027-12-28"});
    let (ok, out) = trial(&json!({"loan": loan, "request":
        {"kind":"partial_prepayment","date":"2018-01-10","amount":30000,"mode":"new_term","new_remaining_periods":60}}));
    assert!(ok, "{out}");
    assert_eq!(out["new_monthly_principal"], "1500.00");
    assert_eq!(out["new_monthly_payment"], "1743.75");
    assert_eq!(out["new_remaining_periods"], 60);
}

#[test]
fn an_invalid_trial_is_an_error_object_and_a_failure() {
    let (ok, out) = trial(&json!({"loan": seed_loan(), "request":
        {"kind":"partial_prepayment","date":"2018-01-10","amount":"1500","mode":"lower_payment"}}));
    assert!(!ok);
    assert_eq!(out["error"]["code"], "amount_not_multiple_of_1000");
    assert_eq!(out["error"]["field"], "amount");
    assert_eq!(out["error"]["message"], "提前还本金额须为1000的倍数");

    let (ok, out) =
        trial(&json!({"loan": seed_loan(), "request":{"kind":"settlement","date":"2018-01-28"}}));
    assert!(!ok);
    assert_eq!(out["error"]["code"], "date_not_before_next_due");

    let (ok, out) = trial(&json!({"nonsense": true}));
    assert!(!ok);
    assert_eq!(out["error"]["code"], "invalid_request");
}

/// `hpf plan` as README documents it: the events' results, totals, the schedule and the goal,
/// amounts as strings with two decimals; a bad event is an error object naming it, exit 1.
#[test]
fn plan_runs_events_and_goals_on_json() {
    let input = json!({
        "loan": seed_loan(),
        "events": [
            {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": "lower_payment"},
            {"kind": "rate_change", "effective_date": "2019-01-01", "annual_rate": "3.1"}
        ],
        "goal": {"kind": "finish_by", "on": "2018-03-10", "month": "2035-12"}
    });
    let (ok, out) = engine("plan", &input);
    assert!(ok, "{out}");
    // The prepayment is the seed's trial of 20180109.
    assert_eq!(out["events"][0]["kind"], "prepayment");
    assert_eq!(out["events"][0]["new_monthly_payment"], "3310.48");
    assert_eq!(out["events"][0]["balance_after"], "636609.84");
    assert_eq!(out["events"][1]["kind"], "rate_change");
    assert_eq!(out["events"][1]["applied_after"], "2019-01-28");
    assert_eq!(out["events"][1]["new_maturity_date"], "2040-08-28");
    let schedule = out["schedule"].as_array().unwrap();
    assert_eq!(schedule[0]["due_date"], "2018-01-28");
    assert_eq!(schedule[0]["interest"], "1724.15");
    assert_eq!(schedule.last().unwrap()["balance"], "0.00");
    assert_eq!(out["maturity_date"], "2040-08-28");
    for field in ["total_interest", "total_paid", "interest_saved"] {
        let text = out[field].as_str().unwrap();
        assert_eq!(
            text.split('.').nth(1).map(str::len),
            Some(2),
            "{field}: {text}"
        );
    }
    // The goal: a multiple of 1,000 that finishes by 2035-12.
    let amount = out["goal"]["amount"].as_str().unwrap();
    assert!(amount.ends_with("000.00"), "{amount}");
    assert!(out["goal"]["maturity_date"].as_str().unwrap() <= "2035-12-31");

    let bad = json!({"loan": seed_loan(), "events": [
        {"kind": "prepayment", "date": "2018-01-09", "amount": "1500", "mode": "lower_payment"}
    ]});
    let (ok, out) = engine("plan", &bad);
    assert!(!ok);
    assert_eq!(out["error"]["code"], "amount_not_multiple_of_1000");
    assert_eq!(out["error"]["field"], "events[0].amount");
    let (ok, out) = engine("plan", &json!({"events": []}));
    assert!(!ok);
    assert_eq!(out["error"]["code"], "invalid_request");
}
