//! One trial of each mode, a settlement and a 360-period schedule (targets: a trial ≤ 5 µs and a
//! 360-period schedule ≤ 200 µs, native). Run with `cargo bench -p shared`.

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;
use shared::loan::trial::{prepayment, settlement, PrepaymentRequest};
use shared::loan::{AdjustMode, Loan, LoanStatus, RepaymentMethod};

fn seed_loan() -> Loan {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    Loan {
        method: RepaymentMethod::EqualInstallment,
        balance: "646609.84".parse().unwrap(),
        annual_rate: "3.25".parse().unwrap(),
        remaining_periods: 272,
        monthly_payment: "3362.48".parse().unwrap(),
        last_due_date: ymd(2017, 12, 28),
        maturity_date: ymd(2040, 8, 28),
        arrears: Decimal::ZERO,
        status: LoanStatus::Normal,
        disbursement_date: Some(ymd(2015, 8, 28)),
    }
}

fn trials(c: &mut Criterion) {
    let loan = seed_loan();
    for (name, mode, periods) in [
        ("trial lower_payment", AdjustMode::LowerPayment, None),
        ("trial shorter_term", AdjustMode::ShorterTerm, None),
        ("trial new_term", AdjustMode::NewTerm, Some(200)),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let request =
                    PrepaymentRequest::parse(black_box(&loan), "20180110", "10000", mode, periods)
                        .unwrap();
                prepayment(&loan, &request).unwrap()
            })
        });
    }
    let date = NaiveDate::from_ymd_opt(2018, 1, 10).unwrap();
    c.bench_function("settlement", |b| {
        b.iter(|| settlement(black_box(&loan), date).unwrap())
    });
    let long = Loan {
        remaining_periods: 360,
        balance: "800000".parse().unwrap(),
        monthly_payment: "3481.64".parse().unwrap(),
        maturity_date: NaiveDate::from_ymd_opt(2047, 12, 28).unwrap(),
        ..seed_loan()
    };
    c.bench_function("schedule 360 periods", |b| {
        b.iter(|| black_box(&long).schedule())
    });
}

criterion_group!(benches, trials);
criterion_main!(benches);
