//! What the load examples share: members and loans as `hpf import` reads them.

use chrono::NaiveDate;
use std::fmt::Write as _;

/// A valid 证件号码 of person `n`.
pub fn id_number(n: usize) -> String {
    // Unique for n below 1 000 000: the birth date moves one day per thousand.
    let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new((n / 1000) as u64);
    let first = format!("220102{}{:03}", birth.format("%Y%m%d"), n % 1000);
    format!("{first}{}", shared::account::id_check_char(&first).unwrap())
}

/// `m` members and a loan each (the seed loan's figures), as `members.csv` and `loans.csv` in `dir`.
pub fn write_csv(dir: &std::path::Path, m: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut members = String::from(
        "personal_account,name,id_number,phone,unit_account,unit_name,account_status,balance,card_bank,card_number,card_status\n",
    );
    let mut loans = String::from("borrower_no,personal_account,status,disbursement_date,amount,term_months,balance,loan_type,house_address,annual_rate,method,remaining_periods,monthly_payment,last_due_date,maturity_date,arrears,repay_card_bank,repay_card_number\n");
    for i in 0..m {
        let _ = writeln!(members, "7{i:07},导入{},{},138{i:08},9002,导入单位,normal,{}.{:02},工行,6222020200{i:06},normal",
            ["甲", "乙", "丙", "丁"][i % 4], id_number(i), 1000 + i, i % 100);
        let _ = writeln!(loans, "8{i:09},7{i:07},normal,2015-08-28,690000.00,300,646609.84,公积金贷款,长春市{i}号,3.25,equal_installment,272,3362.48,2017-12-28,2040-08-28,0.00,建行,62170012345{i:05}");
    }
    let (mp, lp) = (dir.join("members.csv"), dir.join("loans.csv"));
    std::fs::write(&mp, members).unwrap();
    std::fs::write(&lp, loans).unwrap();
    (mp, lp)
}
