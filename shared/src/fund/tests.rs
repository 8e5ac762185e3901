//! Figures worked by hand (the arithmetic is in each comment).

use super::*;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn rates() -> Vec<DepositRate> {
    default_deposit_rates()
}

#[test]
fn monthly_contribution_is_each_part_rounded_half_up() {
    // 5,678.00 × 12 % = 681.36 for each part.
    let c = Contribution {
        base: d("5678.00"),
        unit_rate: d("12"),
        personal_rate: d("12"),
    };
    assert_eq!(c.unit_monthly(), d("681.36"));
    assert_eq!(c.monthly(), d("1362.72"));
    // 4,321.10 × 5 % = 216.055 → 216.06 (half-up); × 7 % = 302.477 → 302.48.
    let c = Contribution {
        base: d("4321.10"),
        unit_rate: d("7"),
        personal_rate: d("5"),
    };
    assert_eq!(c.personal_monthly(), d("216.06"));
    assert_eq!(c.unit_monthly(), d("302.48"));
    assert_eq!(c.monthly(), d("518.54"));
}

#[test]
fn interest_on_a_steady_balance_is_365_days_over_360() {
    // 10,000.00 all through 2016-07-01..2017-06-30 (365 days): 积数 3,650,000.00;
    // × 1.50 % ÷ 360 = 152.0833… → 152.08.
    let i = interest(&[(day("2015-03-01"), d("10000"))], 2017, &rates()).unwrap();
    assert_eq!(i.from, day("2016-07-01"));
    assert_eq!(i.to, day("2017-06-30"));
    assert_eq!(i.products, vec![(d("1.50"), d("3650000"))]);
    assert_eq!(i.amount, d("152.08"));
}

#[test]
fn a_deposit_earns_from_its_own_day_to_30_june() {
    // + 1,000.00 on 2017-06-15: 16 days (15..30 June) → 积数 + 16,000;
    // 3,666,000 × 1.5 ÷ 36,000 = 152.75 exactly.
    let changes = [
        (day("2017-06-15"), d("1000")),
        (day("2015-03-01"), d("10000")),
    ];
    assert_eq!(
        interest(&changes, 2017, &rates()).unwrap().amount,
        d("152.75")
    );
}

#[test]
fn a_withdrawal_stops_earning_from_its_day() {
    // 10,000.00 for 184 days (July..December), 6,000.00 for 181 days (January..June):
    // 1,840,000 + 1,086,000 = 2,926,000 × 1.5 ÷ 36,000 = 121.9166… → 121.92.
    let changes = [
        (day("2016-01-01"), d("10000")),
        (day("2017-01-01"), d("-4000")),
    ];
    assert_eq!(
        interest(&changes, 2017, &rates()).unwrap().amount,
        d("121.92")
    );
}

#[test]
fn a_leap_year_has_366_days_and_half_a_fen_rounds_up() {
    // 2019-07-01..2020-06-30 includes 29 February: 10,000 × 366 × 1.5 ÷ 36,000 = 152.50.
    let i = interest(&[(day("2019-01-01"), d("10000"))], 2020, &rates()).unwrap();
    assert_eq!(i.products[0].1, d("3660000"));
    assert_eq!(i.amount, d("152.50"));
    // 120.00 for the last day only: 120 × 1.5 ÷ 36,000 = 0.005 → 0.01 (half-up, not to even).
    let i = interest(&[(day("2017-06-30"), d("120"))], 2017, &rates()).unwrap();
    assert_eq!(i.exact, d("0.005"));
    assert_eq!(i.amount, d("0.01"));
}

#[test]
fn a_rate_change_splits_the_year() {
    // 3,600.00 all year; 1.50 % to 2018-12-31 (184 days), 1.20 % from 2019-01-01 (181 days):
    // 662,400 × 1.5 ÷ 36,000 = 27.60; 651,600 × 1.2 ÷ 36,000 = 21.72; 49.32.
    let mut policy = rates();
    policy.push(DepositRate {
        from: day("2019-01-01"),
        annual: d("1.20"),
    });
    let i = interest(&[(day("2017-01-01"), d("3600"))], 2019, &policy).unwrap();
    assert_eq!(
        i.products,
        vec![(d("1.50"), d("662400")), (d("1.20"), d("651600"))]
    );
    assert_eq!(i.amount, d("49.32"));
}

#[test]
fn a_day_without_a_policy_rate_is_an_error_not_zero() {
    // The 2016 结息年度 starts 2015-07-01, before the policy's first rate (2016-02-21).
    let e = interest(&[(day("2015-01-01"), d("100"))], 2016, &rates()).unwrap_err();
    assert_eq!(e.code, "no_deposit_rate");
    assert!(e.message.contains("2015-07-01"), "{}", e.message);
}

fn entry(date: &str, kind: EntryKind, parts: (&str, &str), amount: &str, balance: &str) -> Entry {
    let deposit = matches!(kind, EntryKind::Remittance | EntryKind::BackPay);
    Entry {
        date: day(date),
        kind,
        period: deposit.then(|| date[..7].replace('-', "")),
        unit: d(parts.0),
        personal: d(parts.1),
        amount: d(amount),
        balance: d(balance),
    }
}

fn history() -> Vec<Entry> {
    use EntryKind::*;
    vec![
        entry("2016-07-01", Opening, ("0", "0"), "20000.00", "20000.00"),
        entry(
            "2016-12-15",
            Remittance,
            ("500", "500"),
            "1000.00",
            "21000.00",
        ),
        entry(
            "2017-01-15",
            Remittance,
            ("500", "500"),
            "1000.00",
            "22000.00",
        ),
        entry("2017-03-20", BackPay, ("100", "100"), "200.00", "22200.00"),
        entry("2017-05-10", Withdrawal, ("0", "0"), "2000.00", "20200.00"),
        entry("2017-06-30", Interest, ("0", "0"), "300.50", "20500.50"),
        entry("2017-08-01", TransferIn, ("0", "0"), "1000.00", "21500.50"),
        entry("2017-09-01", TransferOut, ("0", "0"), "500.00", "21000.50"),
        entry(
            "2018-01-15",
            Remittance,
            ("500", "500"),
            "1000.00",
            "22000.50",
        ),
    ]
}

#[test]
fn a_statement_adds_up_to_the_fen() {
    let rows = history();
    check_history(&rows).unwrap();
    // 2017: opening 21,000.00; deposits 1,000 + 200 + 1,000 = 2,200.00; out 2,000 + 500 =
    // 2,500.00; interest 300.50; 21,000 + 2,200 − 2,500 + 300.50 = 21,000.50.
    let s = statement(&rows, 2017).unwrap();
    assert_eq!(s.opening, d("21000.00"));
    assert_eq!(
        (
            s.remittance_unit,
            s.remittance_personal,
            s.remittance_months
        ),
        (d("500"), d("500"), 1)
    );
    assert_eq!(
        (s.back_pay, s.transfer_in, s.deposits),
        (d("200"), d("1000"), d("2200"))
    );
    assert_eq!(
        (s.withdrawal, s.transfer_out, s.withdrawals),
        (d("2000"), d("500"), d("2500"))
    );
    assert_eq!(s.interest, d("300.50"));
    assert_eq!(s.closing, d("21000.50"));
    // 2016: the 期初余额 row is the opening; 20,000 + 1,000 = 21,000.
    let s = statement(&rows, 2016).unwrap();
    assert_eq!(
        (s.opening, s.deposits, s.closing),
        (d("20000"), d("1000"), d("21000"))
    );
    // A year without rows carries the balance through.
    let s = statement(&rows, 2019).unwrap();
    assert_eq!(
        (s.opening, s.deposits, s.closing),
        (d("22000.50"), d("0"), d("22000.50"))
    );
    assert_eq!(years(&rows), vec![2018, 2017, 2016]);
}

#[test]
fn inconsistent_rows_never_make_a_statement() {
    let mut rows = history();
    rows[5].balance = d("20500.51");
    assert!(statement(&rows, 2017).is_err());
    let e = check_history(&rows).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("entries[5].balance"));
    assert!(e.message.starts_with("第6行"), "{}", e.message);
}

#[test]
fn history_checks_name_the_row_and_field() {
    let check = |rows: Vec<Entry>| check_history(&rows).unwrap_err().field.unwrap();
    let mut rows = history();
    rows[1].unit = d("400");
    assert_eq!(check(rows), "entries[1].amount");
    let mut rows = history();
    rows[2].date = day("2016-12-01");
    assert_eq!(check(rows), "entries[2].date");
    let mut rows = history();
    rows[2].kind = EntryKind::Opening;
    assert_eq!(check(rows), "entries[2].kind");
    let mut rows = history();
    rows[1].period = Some("201613".into());
    assert_eq!(check(rows), "entries[1].period");
    let mut rows = history();
    rows[4].amount = d("30000");
    assert_eq!(check(rows), "entries[4].amount");
}

#[test]
fn kinds_read_from_label_or_name() {
    assert_eq!(EntryKind::from_text("汇缴"), Some(EntryKind::Remittance));
    assert_eq!(
        EntryKind::from_text("transfer_out"),
        Some(EntryKind::TransferOut)
    );
    assert_eq!(EntryKind::from_text("存入"), None);
    // The stored name is serde's.
    for kind in ENTRY_KINDS {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
    }
}

#[test]
fn the_csv_has_a_bom_chinese_headers_and_signed_amounts() {
    let rows = history();
    let text = csv(&rows[3..5]);
    assert_eq!(
        text,
        "\u{feff}记账日期,业务类型,发生额,余额,缴存年月,单位缴存额,个人缴存额\r\n\
         2017-03-20,补缴,200.00,22200.00,201703,100.00,100.00\r\n\
         2017-05-10,提取,-2000.00,20200.00,,,\r\n"
    );
}

#[test]
fn a_statement_starts_where_the_recorded_history_starts() {
    let rows = history();
    // The 期初余额 row is dated 2016-07-01: the 2016 statement covers 20160701–20161231.
    let s = statement(&rows, 2016).unwrap();
    assert_eq!((s.from, s.to), (day("2016-07-01"), day("2016-12-31")));
    let s = statement(&rows, 2017).unwrap();
    assert_eq!((s.from, s.to), (day("2017-01-01"), day("2017-12-31")));
    // Before the history, and after this year, there is no statement (not one of zeros).
    assert_eq!(
        check_statement_year(&rows, 2015, 2018).unwrap_err().code,
        "year_before_history"
    );
    assert!(check_statement_year(&rows, 2015, 2018)
        .unwrap_err()
        .message
        .contains("20160701"));
    assert_eq!(
        check_statement_year(&rows, 2019, 2018).unwrap_err().code,
        "year_in_future"
    );
    assert!(check_statement_year(&rows, 2016, 2018).is_ok());
    assert_eq!(
        check_statement_year(&[], 2017, 2018).unwrap_err().code,
        "no_entries"
    );
}

#[test]
fn paid_through_is_the_later_of_the_record_and_the_rows() {
    let rows = history();
    assert_eq!(
        paid_through(Some("201712"), &rows).as_deref(),
        Some("201801")
    );
    assert_eq!(
        paid_through(Some("201803"), &rows).as_deref(),
        Some("201803")
    );
    assert_eq!(paid_through(None, &rows[..1]), None);
}

#[test]
fn interest_rows_are_checked_against_the_computation() {
    use EntryKind::*;
    // 8,000.00 from 2016-07-01: 8,000 × 365 × 1.5 ÷ 36,000 = 121.666… → 121.67.
    let mut rows = vec![
        entry("2016-07-01", Opening, ("0", "0"), "8000.00", "8000.00"),
        entry("2017-06-30", Interest, ("0", "0"), "121.67", "8121.67"),
    ];
    check_history(&rows).unwrap();
    check_interest(&rows, &rates()).unwrap();
    rows[1].amount = d("123.45");
    rows[1].balance = d("8123.45");
    let e = check_interest(&rows, &rates()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("entries[1].amount"));
    assert!(e.message.contains("121.67"), "{}", e.message);
    // Not on 30 June.
    rows[1].date = day("2017-06-29");
    assert_eq!(
        check_interest(&rows, &rates())
            .unwrap_err()
            .field
            .as_deref(),
        Some("entries[1].date")
    );
    // History that starts within the 结息年度 cannot be checked for it.
    let rows = vec![
        entry("2016-09-01", Opening, ("0", "0"), "8000.00", "8000.00"),
        entry("2017-06-30", Interest, ("0", "0"), "123.45", "8123.45"),
    ];
    check_interest(&rows, &rates()).unwrap();
}

#[test]
fn a_period_belongs_to_deposits_only() {
    let mut rows = history();
    rows[5].period = Some("201706".into());
    assert_eq!(
        check_history(&rows).unwrap_err().field.as_deref(),
        Some("entries[5].period")
    );
}
