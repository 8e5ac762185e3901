//! One trial of each mode, a settlement, a 360-period schedule, a plan of ten events over 360
//! periods and a goal seek (targets, native: a trial ≤ 5 µs, a 360-period schedule ≤ 200 µs, the
//! plan ≤ 1 ms). Run with `cargo bench -p shared`.

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
        due_day: None,
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
    // 还款规划: ten events (seven prepayments, three rate changes) over 360 periods, and a goal.
    let events = ten_events(&long);
    c.bench_function("plan 10 events 360 periods", |b| {
        b.iter(|| shared::plan::run(black_box(&long), &events).unwrap())
    });
    let on = NaiveDate::from_ymd_opt(2018, 1, 10).unwrap();
    c.bench_function("goal seek, finish by, 10 events", |b| {
        b.iter(|| {
            shared::plan::seek(
                black_box(&long),
                &events,
                on,
                AdjustMode::ShorterTerm,
                shared::plan::Goal::FinishBy {
                    year: 2035,
                    month: 12,
                },
            )
            .unwrap()
        })
    });
}

/// A prepayment of 10,000 on the 10th of every third January, a rate change every ten years.
pub fn ten_events(loan: &Loan) -> Vec<shared::plan::Event> {
    let mut events = Vec::new();
    for k in 0..7 {
        events.push(shared::plan::Event::Prepayment {
            date: NaiveDate::from_ymd_opt(2019 + 3 * k, 1, 10).unwrap(),
            amount: "10000".into(),
            mode: if k % 2 == 0 {
                AdjustMode::LowerPayment
            } else {
                AdjustMode::ShorterTerm
            },
            new_remaining_periods: None,
        });
    }
    for (year, rate) in [(2020, "3.1"), (2030, "3.5"), (2040, "2.85")] {
        events.push(shared::plan::Event::RateChange {
            effective_date: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            annual_rate: rate.parse().unwrap(),
        });
    }
    assert!(shared::plan::run(loan, &events).is_ok());
    events
}

criterion_group!(benches, trials);
criterion_main!(benches);
