//! The rules with literal figures.

use super::*;
use crate::withdrawal::Material;

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn codes(errors: Vec<ApiError>) -> Vec<String> {
    errors.into_iter().map(|e| e.code).collect()
}

#[test]
fn purchase_is_the_smaller_of_the_material_and_the_balance() {
    let policy = HousingPolicy::default();
    // 冯七: 24,902.73 in the account, the seed's material 2,365,897.00: the balance binds.
    let a = purchase(
        AccountStatus::Normal,
        d("24902.73"),
        true,
        d("2365897.00"),
        &policy,
    )
    .unwrap();
    assert_eq!(a.max, d("24902.73"));
    assert_eq!(
        a.limits
            .iter()
            .map(|l| (l.label.as_str(), l.binds))
            .collect::<Vec<_>>(),
        [("提取材料剩余额度", false), ("账户余额", true)]
    );
    // A 留存额 of 100.00 and a material with 10,000.00 left: the material binds at 10,000.00.
    let policy = HousingPolicy {
        retain: d("100"),
        ..HousingPolicy::default()
    };
    let a = purchase(
        AccountStatus::Sealed,
        d("24902.73"),
        true,
        d("10000.00"),
        &policy,
    )
    .unwrap();
    assert_eq!(a.max, d("10000.00"));
    // …and with 10,100.00 in the account both bind at 10,000.00.
    let a = purchase(
        AccountStatus::Normal,
        d("10100.00"),
        true,
        d("10000.00"),
        &policy,
    )
    .unwrap();
    assert!(a.limits.iter().all(|l| l.binds));
    assert_eq!(check_amount("10,000.00", &a).unwrap(), d("10000.00"));
    assert_eq!(
        check_amount("10000.01", &a).unwrap_err().code,
        "amount_over_limit"
    );
    assert_eq!(check_amount("0", &a).unwrap_err().code, "amount_zero");
    assert_eq!(
        codes(purchase(AccountStatus::Closed, d("5"), false, d("5"), &policy).unwrap_err()),
        ["account_closed", "material_invalid"]
    );
    assert_eq!(
        codes(purchase(AccountStatus::Normal, d("5"), true, d("0"), &policy).unwrap_err()),
        ["material_used_up"]
    );
}

fn renter() -> RentFacts {
    RentFacts {
        status: AccountStatus::Normal,
        balance: d("12650.00"),
        months_deposited: vec![day("2017-10-01"), day("2017-11-01"), day("2017-12-01")],
        open_loan: false,
        property: None,
        drawn_this_quarter: Decimal::ZERO,
    }
}

#[test]
fn rent_is_4500_a_quarter_once_with_three_months_deposited() {
    let policy = HousingPolicy::default();
    let a = rent(&renter(), day("2018-01-05"), &policy).unwrap();
    // 1,500.00 × 3 = 4,500.00 binds before the balance.
    assert_eq!(a.max, d("4500"));
    assert!(a.limits[0].binds && !a.limits[1].binds);
    // A small balance binds instead.
    let poor = RentFacts {
        balance: d("3210.55"),
        ..renter()
    };
    assert_eq!(
        rent(&poor, day("2018-01-05"), &policy).unwrap().max,
        d("3210.55")
    );
}

#[test]
fn rent_refusals_name_each_reason() {
    let policy = HousingPolicy::default();
    let facts = RentFacts {
        status: AccountStatus::Sealed,
        months_deposited: vec![day("2017-10-01"), day("2017-12-01")],
        open_loan: true,
        property: Some("长春市南关区人民大街100号".into()),
        drawn_this_quarter: d("4500"),
        ..renter()
    };
    let errors = rent(&facts, day("2018-01-05"), &policy).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "账户状态须为正常（当前为封存）",
            "须连续缴存满3个月，2017年11月没有缴存记录",
            "有未结清的住房公积金贷款，不能办理租房提取",
            "本市有登记在您名下的住房（长春市南关区****），不能办理租房提取",
            "本季度（第1季度）已办理租房提取4,500.00元，每季度限提取一次",
        ]
    );
}

#[test]
fn yearly_repayment_is_once_in_twelve_months() {
    let policy = HousingPolicy::default();
    // 佟一: 12 × 3,362.48 = 40,349.76 paid in the last year; 35,218.60 in the fund binds.
    let a = yearly_repayment(
        true,
        d("646609.84"),
        d("40349.76"),
        None,
        d("35218.60"),
        day("2018-01-05"),
        &policy,
    )
    .unwrap();
    assert_eq!(a.max, d("35218.60"));
    // Drawn on 2017-03-10: again from 20180310.
    let errors = yearly_repayment(
        true,
        d("646609.84"),
        d("40349.76"),
        Some(day("2017-03-10")),
        d("35218.60"),
        day("2018-01-05"),
        &policy,
    )
    .unwrap_err();
    assert_eq!(
        errors[0].message,
        "20170310已办理偿还贷款提取，每12个月限一次，20180310起可再次办理"
    );
    assert!(yearly_repayment(
        true,
        d("646609.84"),
        d("40349.76"),
        Some(day("2017-01-05")),
        d("35218.60"),
        day("2018-01-05"),
        &policy,
    )
    .is_ok());
}

#[test]
fn a_prepayment_takes_the_fund_first_and_never_more_than_it_holds() {
    let policy = HousingPolicy::default();
    // 10,009.93 (the seed's prepayment) with 35,218.60 in the fund.
    let s = split(d("10009.93"), FundingSource::Fund, d("35218.60"), &policy).unwrap();
    assert_eq!((s.from_fund, s.from_own), (d("10009.93"), d("0")));
    // 647,240.33 (提前结清) from both: 35,218.60 from the fund, 612,021.73 from own money.
    let s = split(d("647240.33"), FundingSource::Both, d("35218.60"), &policy).unwrap();
    assert_eq!((s.from_fund, s.from_own), (d("35218.60"), d("612021.73")));
    let e = split(d("647240.33"), FundingSource::Fund, d("35218.60"), &policy).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("source"));
    let s = split(d("100"), FundingSource::Own, d("35218.60"), &policy).unwrap();
    assert_eq!((s.from_fund, s.from_own), (d("0"), d("100")));
    // 对冲: 3,362.48 due, 1,200.00 in the fund → 1,200.00 + 2,162.48 from the card.
    let s = offset(d("3362.48"), d("1200.00"), &policy);
    assert_eq!((s.from_fund, s.from_own), (d("1200.00"), d("2162.48")));
}

fn material(no: &str, reason: &str, remaining: &str, status: &str) -> Material {
    Material {
        material_no: no.into(),
        reason: reason.into(),
        address: "长春市南关区人民大街88号".into(),
        limit: d("50000"),
        remaining: d(remaining),
        status: status.into(),
    }
}

/// 冯七 on the demo's date: 24,902.73, deposits through December, a card, no loan.
fn feng_qi() -> HousingFacts {
    HousingFacts {
        date: day("2018-01-05"),
        status: AccountStatus::Normal,
        balance: d("24902.73"),
        own_card: true,
        months_deposited: vec![day("2017-10-01"), day("2017-11-01"), day("2017-12-01")],
        property: None,
        rent_drawn_this_quarter: Decimal::ZERO,
        loan: None,
        repayment_last_drawn: None,
        offset_signed: false,
        committed: Decimal::ZERO,
    }
}

#[test]
fn the_page_offers_each_business_or_says_why_not() {
    let policy = HousingPolicy::default();
    let materials = vec![
        material("22001010001700000007", "购买自住住房", "300000", "失效"),
        material(
            "22001010001700000012",
            "购买自住住房",
            "0",
            MATERIAL_USED_UP,
        ),
        material(
            "22001010001800000001",
            "购买自住住房",
            "12000",
            MATERIAL_VALID,
        ),
        material(
            "22001010001800000002",
            "建造、翻建、大修自住住房",
            "18000.50",
            MATERIAL_VALID,
        ),
        material(
            "22001010001800000003",
            "租赁自住住房",
            "40000",
            MATERIAL_VALID,
        ),
    ];
    // Only the two housing materials with something left may be chosen.
    let usable: Vec<&str> = usable_materials(&materials)
        .map(|m| m.material_no.as_str())
        .collect();
    assert_eq!(usable, ["22001010001800000001", "22001010001800000002"]);
    let offered = offers(&materials, &feng_qi(), &policy);
    let summary: Vec<(&str, Result<Decimal, String>)> = offered
        .iter()
        .map(|(b, r)| (b.label(), r.as_ref().map(|a| a.max).map_err(|e| why_not(e))))
        .collect();
    assert_eq!(
        summary,
        [
            // The most a material allows: 18,000.50 on the second.
            ("购房提取", Ok(d("18000.50"))),
            ("租房提取", Ok(d("4500"))),
            (
                "偿还贷款提取（按年）",
                Err("没有正常还款中的本人住房公积金贷款。".into())
            ),
        ]
    );
    // A material of another reason is refused by name; none chosen, asked to choose.
    let rent_material = &materials[4];
    assert_eq!(
        why_not(
            &allowance_for(Business::Purchase, Some(rent_material), &feng_qi(), &policy)
                .unwrap_err()
        ),
        "提取原因为“租赁自住住房”的材料不能在此办理提取。"
    );
    assert_eq!(
        allowance_for(Business::Purchase, None, &feng_qi(), &policy).unwrap_err()[0].code,
        "material_required"
    );
    assert_eq!(
        allowance_for(Business::Purchase, Some(&materials[0]), &feng_qi(), &policy).unwrap_err()[0]
            .code,
        "material_invalid"
    );
}

#[test]
fn a_loan_in_arrears_and_a_missing_card_are_each_named() {
    let policy = HousingPolicy::default();
    let loan = LoanFacts {
        borrower_no: "2016000305".into(),
        open: true,
        balance: d("186000.00"),
        arrears: d("1876.54"),
        paid_last_12_months: d("20648.94"),
    };
    let facts = HousingFacts {
        own_card: false,
        loan: Some(loan.clone()),
        ..feng_qi()
    };
    assert_eq!(
        why_not(&allowance_for(Business::Repayment, None, &facts, &policy).unwrap_err()),
        "贷款有逾期未还金额1,876.54元，请先归还后再办理；未关联本人名下正常储蓄卡，提取款项无法转入。"
    );
    // Paid up and with a card: the installments of the year bind (20,648.94 < 24,902.73).
    let facts = HousingFacts {
        loan: Some(LoanFacts {
            arrears: Decimal::ZERO,
            ..loan
        }),
        ..feng_qi()
    };
    let a = allowance_for(Business::Repayment, None, &facts, &policy).unwrap();
    assert_eq!(a.max, d("20648.94"));
    assert_eq!(
        a.limits
            .iter()
            .filter(|l| l.binds)
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>(),
        ["近12个月已还本息"]
    );
    // …and the open loan rules out 租房提取.
    assert_eq!(
        allowance_for(Business::Rent, None, &facts, &policy).unwrap_err()[0].code,
        "open_loan"
    );
    // The titles of the businesses.
    assert_eq!(Business::Purchase.title("购买自住住房"), "购房提取");
    assert_eq!(
        Business::Purchase.title("建造、翻建、大修自住住房"),
        "建造、翻建、大修自住住房提取"
    );
    assert_eq!(
        Business::Repayment.title("偿还购房贷款本息"),
        "偿还贷款提取（按年）"
    );
}

#[test]
fn a_year_before_keeps_the_end_of_a_month() {
    // 2021-02-28 ends its month: a year before is 2020-02-29, so (2020-02-29, 2021-02-28] holds
    // twelve due days on the 29th, not thirteen.
    assert_eq!(year_before(day("2021-02-28")), day("2020-02-29"));
    assert_eq!(year_before(day("2020-02-29")), day("2019-02-28"));
    assert_eq!(year_before(day("2018-01-05")), day("2017-01-05"));
    assert_eq!(year_before(day("2018-04-30")), day("2017-04-30"));
    assert_eq!(year_before(day("2018-03-30")), day("2017-03-30"));
}

#[test]
fn yearly_repayment_is_refused_while_the_monthly_offset_is_signed() {
    let facts = HousingFacts {
        loan: Some(LoanFacts {
            borrower_no: "2015000211".into(),
            open: true,
            balance: d("646609.84"),
            arrears: Decimal::ZERO,
            paid_last_12_months: d("40349.76"),
        }),
        offset_signed: true,
        ..feng_qi()
    };
    let errors =
        allowance_for(Business::Repayment, None, &facts, &HousingPolicy::default()).unwrap_err();
    assert_eq!(
        why_not(&errors),
        "已签约按月对冲，不能同时办理按年偿还贷款提取（可先解约）。"
    );
}

#[test]
fn what_is_already_promised_is_not_offered_again() {
    // 冯七 with a prepayment reserved that takes 22,000.00 of his 24,902.73 from the fund: 租房提取
    // offers the 2,902.73 left, and says why.
    let facts = HousingFacts {
        committed: d("22000.00"),
        ..feng_qi()
    };
    let a = allowance_for(Business::Rent, None, &facts, &HousingPolicy::default()).unwrap();
    assert_eq!(a.max, d("2902.73"));
    assert_eq!(
        a.limits
            .iter()
            .map(|l| (l.label.as_str(), l.binds))
            .collect::<Vec<_>>(),
        [
            ("本季度租房提取限额", false),
            ("可用余额（已扣除受理中业务）", true)
        ]
    );
    // With a 留存额 the label keeps it.
    let policy = HousingPolicy {
        retain: d("100"),
        ..HousingPolicy::default()
    };
    let a = allowance_for(Business::Rent, None, &facts, &policy).unwrap();
    assert_eq!(a.max, d("2802.73"));
    assert_eq!(a.limits[1].label, "可用余额（已扣除受理中业务）减留存额");
    // All of it promised: nothing to draw.
    let facts = HousingFacts {
        committed: d("30000"),
        ..feng_qi()
    };
    assert_eq!(
        allowance_for(Business::Rent, None, &facts, &HousingPolicy::default()).unwrap_err()[0].code,
        "nothing_to_draw"
    );
}
