use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn statutory() -> RetirementPolicy {
    RetirementPolicy {
        rule: RetirementRule::Statutory2025,
        ..RetirementPolicy::default()
    }
}

#[test]
fn fixed_ages_of_the_seed() {
    let p = RetirementPolicy::default();
    assert_eq!(
        p.retirement_date(ymd(1957, 3, 15), RetirementGroup::Male),
        Some(ymd(2017, 3, 15))
    );
    assert_eq!(
        p.retirement_date(ymd(1962, 6, 1), RetirementGroup::Female55),
        Some(ymd(2017, 6, 1))
    );
    assert_eq!(
        p.retirement_age_months(ymd(1980, 1, 1), RetirementGroup::Female50),
        55 * 12
    );
}

#[test]
fn statutory_gradual_rise() {
    let p = statutory();
    let m = RetirementGroup::Male;
    assert_eq!(p.retirement_age_months(ymd(1964, 12, 1), m), 720);
    assert_eq!(p.retirement_age_months(ymd(1965, 1, 1), m), 721);
    assert_eq!(p.retirement_age_months(ymd(1965, 4, 30), m), 721);
    assert_eq!(p.retirement_age_months(ymd(1965, 5, 1), m), 722);
    assert_eq!(p.retirement_age_months(ymd(1976, 8, 1), m), 755);
    assert_eq!(p.retirement_age_months(ymd(1976, 9, 1), m), 756); // 63
    assert_eq!(p.retirement_age_months(ymd(1990, 1, 1), m), 756);
    let f55 = RetirementGroup::Female55;
    assert_eq!(p.retirement_age_months(ymd(1969, 12, 1), f55), 660);
    assert_eq!(p.retirement_age_months(ymd(1970, 1, 1), f55), 661);
    assert_eq!(p.retirement_age_months(ymd(1981, 9, 1), f55), 696); // 58
    let f50 = RetirementGroup::Female50;
    assert_eq!(p.retirement_age_months(ymd(1975, 1, 1), f50), 601);
    assert_eq!(p.retirement_age_months(ymd(1975, 3, 1), f50), 602);
    assert_eq!(p.retirement_age_months(ymd(1984, 11, 1), f50), 660); // 55
                                                                     // Born 1965-01-10: retires at 60 years 1 month, on 2025-02-10.
    assert_eq!(
        p.retirement_date(ymd(1965, 1, 10), m),
        Some(ymd(2025, 2, 10))
    );
}

fn sealed_retired_man() -> MemberFacts {
    MemberFacts {
        name: "王五".into(),
        birth_date: ymd(1956, 5, 20),
        gender: Gender::Male,
        female_baseline_50: false,
        account_status: AccountStatus::Sealed,
        card: Some(SavingsCard {
            holder: "王五".into(),
            bank: "建行".into(),
            number: "6217000010001234567".into(),
            status: CardStatus::Normal,
        }),
    }
}

#[test]
fn every_unmet_condition_is_reported() {
    let today = ymd(2018, 1, 5);
    let policy = RetirementPolicy::default();
    assert!(retirement_unmet(&sealed_retired_man(), &policy, today).is_empty());
    let nobody = MemberFacts {
        birth_date: ymd(1970, 1, 1),
        account_status: AccountStatus::Normal,
        card: None,
        ..sealed_retired_man()
    };
    let unmet = retirement_unmet(&nobody, &policy, today);
    let refusal = retirement_refusal(&unmet).unwrap();
    assert_eq!(refusal.code, "account_not_sealed");
    assert_eq!(
        refusal.message,
        "不符合退休销户提取条件：账户状态须为封存（当前为正常）；未达到退休年龄（2030-01-01起可办理）；未关联本人名下正常储蓄卡"
    );
    assert_eq!(retirement_refusal(&[]), None);
    let codes: Vec<_> = unmet.into_iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [
            "account_not_sealed",
            "below_retirement_age",
            "no_own_normal_card"
        ]
    );
    let someone_elses_card = MemberFacts {
        card: Some(SavingsCard {
            holder: "张三".into(),
            ..sealed_retired_man().card.unwrap()
        }),
        ..sealed_retired_man()
    };
    assert_eq!(
        retirement_unmet(&someone_elses_card, &policy, today)[0].code,
        "no_own_normal_card"
    );
    // The birthday itself counts as reached.
    let birthday = MemberFacts {
        birth_date: ymd(1958, 1, 5),
        ..sealed_retired_man()
    };
    assert!(retirement_unmet(&birthday, &policy, today).is_empty());
    let day_before = MemberFacts {
        birth_date: ymd(1958, 1, 6),
        ..sealed_retired_man()
    };
    assert_eq!(
        retirement_unmet(&day_before, &policy, today)[0].code,
        "below_retirement_age"
    );
}

#[test]
fn materials_are_numbered_in_the_seed_style_and_checked() {
    assert_eq!(material_no(2018, 1), "22001010001800000001");
    assert_eq!(material_no(2018, 1).len(), 20);
    let good = NewMaterial {
        reason: "离休、退休".into(),
        address: " 长春市朝阳区人民大街1号 ".into(),
        limit: "５0000".into(),
        idempotency_key: "k".repeat(16),
    };
    let parsed = good.parse().unwrap();
    assert_eq!(parsed.address, "长春市朝阳区人民大街1号");
    assert_eq!(parsed.limit, Decimal::from(50000));
    let field = |m: NewMaterial| m.parse().unwrap_err().field.unwrap();
    assert_eq!(
        field(NewMaterial {
            reason: "买车".into(),
            ..good.clone()
        }),
        "reason"
    );
    assert_eq!(
        field(NewMaterial {
            address: "".into(),
            ..good.clone()
        }),
        "address"
    );
    assert_eq!(
        field(NewMaterial {
            address: "长".repeat(101),
            ..good.clone()
        }),
        "address"
    );
    assert_eq!(
        field(NewMaterial {
            limit: "-1".into(),
            ..good.clone()
        }),
        "limit"
    );
    assert_eq!(
        field(NewMaterial {
            limit: "0".into(),
            ..good.clone()
        }),
        "limit"
    );
    // One character is an address begun, not a missing one; a limit of ten billion is a typo.
    let message = |m: NewMaterial| m.parse().unwrap_err().message;
    assert_eq!(
        message(NewMaterial {
            address: "x".into(),
            ..good.clone()
        }),
        "地址至少2个字，请填写完整"
    );
    assert_eq!(
        message(NewMaterial {
            limit: "9999999999".into(),
            ..good.clone()
        }),
        "提取限额不能超过100,000,000.00元，请核对"
    );
    assert!(NewMaterial {
        limit: "100000000".into(),
        ..good
    }
    .parse()
    .is_ok());
}

#[test]
fn a_retirement_withdrawal_waits_for_what_the_fund_has_promised() {
    assert_eq!(committed_unmet(Decimal::ZERO), None);
    assert_eq!(
        committed_unmet(Decimal::new(1_001_234, 2)).unwrap().message,
        "有受理中的业务将使用公积金余额10,012.34元（如使用公积金余额的提前还款预约），请待其办结或撤销后再办理"
    );
}
