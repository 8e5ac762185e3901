use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

#[test]
fn transactions_on_working_days_within_hours() {
    let (policy, cal) = (Policy::default(), Calendar::embedded());
    assert!(policy
        .check_transaction(&cal, at(2018, 1, 5, 10, 0))
        .is_ok());
    assert!(policy.check_transaction(&cal, at(2018, 1, 5, 9, 0)).is_ok());
    let late = policy
        .check_transaction(&cal, at(2018, 1, 5, 17, 0))
        .unwrap_err();
    assert_eq!(late.code, "outside_business_hours");
    // Friday evening → Monday 09:00.
    assert_eq!(late.next_allowed, Some(at(2018, 1, 8, 9, 0)));
    let at_close = policy
        .check_transaction(&cal, at(2018, 1, 5, 16, 30))
        .unwrap_err();
    assert_eq!(at_close.code, "outside_business_hours");
    // 2018-02-11 is a Sunday make-up working day.
    assert!(policy
        .check_transaction(&cal, at(2018, 2, 11, 10, 0))
        .is_ok());
    // 春节 2018-02-15..21 → the next opening is 2018-02-22.
    let holiday = policy
        .check_transaction(&cal, at(2018, 2, 16, 10, 0))
        .unwrap_err();
    assert_eq!(holiday.next_allowed, Some(at(2018, 2, 22, 9, 0)));
    let early = policy
        .check_transaction(&cal, at(2018, 1, 5, 8, 0))
        .unwrap_err();
    assert_eq!(early.next_allowed, Some(at(2018, 1, 5, 9, 0)));
}

#[test]
fn settlement_blackout_windows() {
    let cal = Calendar::embedded();
    let refused = Policy::default()
        .check_settlement(&cal, at(2018, 1, 5, 10, 0), 28)
        .unwrap_err();
    assert_eq!(refused.code, "settlement_blackout");
    assert_eq!(refused.next_allowed, Some(at(2018, 2, 1, 9, 30)));
    let older = Policy::default().with_seed_screen_blackout();
    assert!(older
        .check_settlement(&cal, at(2018, 1, 5, 10, 0), 28)
        .is_ok());
    assert_eq!(
        older
            .check_settlement(&cal, at(2018, 1, 2, 10, 0), 28)
            .unwrap_err()
            .code,
        "settlement_blackout"
    );
    assert!(older
        .check_settlement(&cal, at(2018, 1, 5, 9, 29), 28)
        .is_err());
    assert!(older
        .check_settlement(&cal, at(2018, 1, 5, 16, 0), 28)
        .is_err());
}

#[test]
fn no_settlement_on_the_due_day_nor_the_day_before() {
    let cal = Calendar::embedded();
    let policy = Policy::default();
    // 2018-03-28 (due) and 03-27 refused; 03-26 fine.
    assert_eq!(
        policy
            .check_settlement(&cal, at(2018, 3, 28, 10, 0), 28)
            .unwrap_err()
            .code,
        "settlement_near_due_day"
    );
    let before = policy
        .check_settlement(&cal, at(2018, 3, 27, 10, 0), 28)
        .unwrap_err();
    assert_eq!(before.code, "settlement_near_due_day");
    assert_eq!(before.next_allowed, Some(at(2018, 3, 29, 9, 30)));
    assert!(policy
        .check_settlement(&cal, at(2018, 3, 26, 10, 0), 28)
        .is_ok());
    // A day-31 loan falls due on 28 Feb; the 27th is the day before.
    assert!(policy
        .check_settlement(&cal, at(2018, 2, 27, 10, 0), 31)
        .is_err());
}

#[test]
fn account_change_not_on_the_due_day() {
    let cal = Calendar::embedded();
    let policy = Policy::default();
    let refused = policy
        .check_account_change(&cal, at(2018, 3, 28, 10, 0), 28)
        .unwrap_err();
    assert_eq!(refused.code, "account_change_on_due_day");
    assert_eq!(refused.next_allowed, Some(at(2018, 3, 29, 9, 0)));
    assert!(policy
        .check_account_change(&cal, at(2018, 3, 27, 10, 0), 28)
        .is_ok());
}

#[test]
fn policy_round_trips_and_fills_defaults() {
    let policy = Policy::default();
    let json = serde_json::to_string(&policy).unwrap();
    assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    let partial: Policy = serde_json::from_str(r#"{"max_total_term_months": 300}"#).unwrap();
    assert_eq!(partial.max_total_term_months, 300);
    assert_eq!(partial.transaction_hours, policy.transaction_hours);
    let message = ApiError::from(
        Policy::default()
            .check_transaction(&Calendar::embedded(), at(2018, 1, 5, 17, 0))
            .unwrap_err(),
    )
    .message;
    assert!(message.contains("2018-01-08 09:00"), "{message}");
}

#[test]
fn materials_are_limited_per_member() {
    let policy = Policy::default();
    assert!(policy.check_material_count(19).is_ok());
    let refused = policy.check_material_count(20).unwrap_err();
    assert_eq!(refused.code, "materials_limit");
    assert_eq!(
        refused.message,
        "每人最多登记20份提取材料，您已登记20份，不能再新增"
    );
    let three: Policy = serde_json::from_str(r#"{"max_materials_per_member": 3}"#).unwrap();
    assert!(three.check_material_count(3).is_err());
    assert!(three.check_material_count(2).is_ok());
}
