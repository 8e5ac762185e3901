//! 怎么算的 — each figure of a trial or a plan with its working, in the citizen's own numbers: the
//! formula, the numbers put in, the value before rounding, and the rounding (half-up to the fen),
//! so it can be checked by hand. Computed with the same Decimal arithmetic as the figure itself.

use super::amortization::monthly_rate;
use super::trial::{AdjustMode, PrepaymentTrial};
use super::{Loan, RepaymentMethod, ScheduleRow};
use crate::date::days_30_360;
use crate::money::{fen, format_thousands as yuan};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// One figure and how it was reached, step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Working {
    pub figure: &'static str,
    /// The figure as shown.
    pub value: String,
    pub steps: Vec<String>,
}

/// A value before rounding: at most 8 decimals, with "…" when it goes on.
fn unrounded(value: Decimal) -> String {
    let shown = value.round_dp(8).normalize();
    if shown == value.normalize() {
        shown.to_string()
    } else {
        format!("{shown}…")
    }
}

fn percent(rate: Decimal) -> String {
    format!("{}%", rate.normalize())
}

/// Interest for `amount` over the 30/360 days from the last due date to `date`, with the working.
fn interest_for_days(
    figure: &'static str,
    formula: &str,
    loan: &Loan,
    amount: Decimal,
    date: NaiveDate,
    value: Decimal,
) -> Working {
    let days_count = Decimal::from(days_30_360(loan.last_due_date, date));
    let exact = amount * loan.annual_rate * days_count / Decimal::from(36000);
    Working {
        figure,
        value: yuan(value),
        steps: vec![
            format!("{figure} = {formula} × 年利率 ÷ 360 × 天数"),
            days(loan.last_due_date, date),
            format!(
                "{} × {} ÷ 360 × {}",
                yuan(amount),
                percent(loan.annual_rate),
                days_count
            ),
            rounding(exact),
        ],
    }
}

fn rounding(value: Decimal) -> String {
    format!("= {}，四舍五入到分：{}", unrounded(value), yuan(fen(value)))
}

/// 月利率 i = 年利率 ÷ 12, exact.
fn monthly(annual: Decimal) -> String {
    format!(
        "月利率 i = 年利率 ÷ 12 = {} ÷ 12 = {}",
        percent(annual),
        unrounded(monthly_rate(annual))
    )
}

/// 30/360 days from `from` to `to`, with the sum written out.
pub fn days(from: NaiveDate, to: NaiveDate) -> String {
    format!(
        "天数按30/360计（每月按30天，31日按30日）：从{from}到{to}：({}−{})×360 + ({}−{})×30 + ({}−{}) = {}天",
        to.year(),
        from.year(),
        to.month(),
        from.month(),
        to.day().min(30),
        from.day().min(30),
        days_30_360(from, to)
    )
}

/// The workings of a 部分提前还本 trial on `loan` (as it stood) on `date`.
pub fn prepayment(
    loan: &Loan,
    date: NaiveDate,
    mode: AdjustMode,
    trial: &PrepaymentTrial,
) -> Vec<Working> {
    let mut workings = vec![
        interest_for_days(
            "提前还本利息",
            "提前还本金额",
            loan,
            trial.prepay_principal,
            date,
            trial.prepay_interest,
        ),
        Working {
            figure: "提前还款总额",
            value: yuan(trial.total),
            steps: vec![format!(
                "提前还本金额 + 提前还本利息 = {} + {} = {}",
                yuan(trial.prepay_principal),
                yuan(trial.prepay_interest),
                yuan(trial.total)
            )],
        },
        Working {
            figure: "变更后贷款余额",
            value: yuan(trial.new_balance),
            steps: vec![format!(
                "贷款余额 − 提前还本金额 = {} − {} = {}",
                yuan(loan.balance),
                yuan(trial.prepay_principal),
                yuan(trial.new_balance)
            )],
        },
    ];
    let new_balance = trial.new_balance;
    let i = loan.monthly_rate();
    let periods = trial.new_remaining_periods;
    workings.push(Working {
        figure: "变更后剩余期数",
        value: periods.to_string(),
        steps: match mode {
            AdjustMode::LowerPayment => {
                vec![format!("还款额下降，止贷期不变：剩余期数不变，仍为{periods}期")]
            }
            AdjustMode::NewTerm => vec![format!("月还款额调整：按您选择的{periods}期")],
            AdjustMode::ShorterTerm => match loan.method {
                RepaymentMethod::EqualInstallment => vec![
                    "还款额不变：求最小的期数 n，使 (1+i)ⁿ × (月还款额 − 余额 × i) ≥ 月还款额（精确计算，不用近似）".into(),
                    monthly(loan.annual_rate),
                    format!(
                        "月还款额 {}，变更后贷款余额 {}：n = {}",
                        yuan(loan.monthly_payment),
                        yuan(new_balance),
                        periods
                    ),
                ],
                RepaymentMethod::EqualPrincipal => vec![format!(
                    "还款额不变（每月本金不变）：n = ⌈变更后贷款余额 ÷ 每月本金⌉ = ⌈{} ÷ {}⌉ = {}",
                    yuan(new_balance),
                    yuan(loan.monthly_payment),
                    periods
                )],
            },
        },
    });
    workings.push(Working {
        figure: "变更后月还款额",
        value: yuan(trial.new_monthly_payment),
        steps: installment_steps(loan, new_balance, i, periods, trial, mode),
    });
    workings.push(Working {
        figure: "变更后到期日期",
        value: crate::date::compact(trial.new_maturity_date),
        steps: vec![maturity_move(
            loan.maturity_date,
            loan.remaining_periods,
            periods,
            trial.new_maturity_date,
        )],
    });
    workings
}

/// "到期日期 2040-08-28 提前6个月（272期 → 266期）：2040-02-28", or unchanged.
fn maturity_move(from: NaiveDate, before: u32, after: u32, to: NaiveDate) -> String {
    let shift = i64::from(after) - i64::from(before);
    match shift {
        0 => format!("剩余期数不变（{before}期），到期日期不变：{to}"),
        s if s < 0 => format!(
            "剩余期数 {before}期 → {after}期，到期日期 {from} 提前{}个月：{to}",
            -s
        ),
        s => format!("剩余期数 {before}期 → {after}期，到期日期 {from} 推后{s}个月：{to}"),
    }
}

fn installment_steps(
    loan: &Loan,
    balance: Decimal,
    i: Decimal,
    periods: u32,
    trial: &PrepaymentTrial,
    mode: AdjustMode,
) -> Vec<String> {
    match (loan.method, mode) {
        (RepaymentMethod::EqualInstallment, AdjustMode::ShorterTerm) => {
            vec![format!("还款额不变：仍为{}", yuan(loan.monthly_payment))]
        }
        (RepaymentMethod::EqualInstallment, _) => annuity(balance, loan.annual_rate, periods),
        (RepaymentMethod::EqualPrincipal, _) => {
            let principal = trial.new_monthly_principal.unwrap_or(loan.monthly_payment);
            let exact = balance / Decimal::from(periods);
            let mut steps = vec!["等额本金：首期还款 = 每月本金 + 余额 × 月利率".into()];
            if mode != AdjustMode::ShorterTerm {
                steps.push(format!(
                    "每月本金 = 余额 ÷ 期数 = {} ÷ {} {}",
                    yuan(balance),
                    periods,
                    rounding(exact)
                ));
            }
            steps.push(monthly(loan.annual_rate));
            steps.push(format!(
                "利息 = {} × i {}",
                yuan(balance),
                rounding(balance * loan.annual_rate / Decimal::from(1200))
            ));
            steps.push(format!(
                "{} + {} = {}",
                yuan(principal),
                yuan(fen(balance * i)),
                yuan(trial.new_monthly_payment)
            ));
            steps
        }
    }
}

/// 等额本息: A = B·i·(1+i)^n ÷ ((1+i)^n − 1), with the numbers.
pub fn annuity(balance: Decimal, annual: Decimal, periods: u32) -> Vec<String> {
    let i = monthly_rate(annual);
    // The engine's own power; nothing to divide when nothing is left.
    let Some(growth) = super::amortization::pow(Decimal::ONE + i, periods)
        .filter(|g| periods > 0 && *g > Decimal::ONE)
    else {
        return vec![format!("余额 {}，无剩余期数：不再还款", yuan(balance))];
    };
    let exact = balance * i * growth / (growth - Decimal::ONE);
    vec![
        "等额本息：月还款额 = 余额 × i × (1+i)ⁿ ÷ ((1+i)ⁿ − 1)，n 为剩余期数".into(),
        monthly(annual),
        format!(
            "余额 {}，n = {}：(1+i)ⁿ = {}",
            yuan(balance),
            periods,
            unrounded(growth)
        ),
        rounding(exact),
    ]
}

/// One installment of a schedule: its interest, principal and balance.
pub fn schedule_row(row: &ScheduleRow, balance_before: Decimal, annual: Decimal) -> Working {
    let i = monthly_rate(annual);
    Working {
        figure: "本期利息与本金",
        value: format!("利息 {}，本金 {}", yuan(row.interest), yuan(row.principal)),
        steps: vec![
            monthly(annual),
            format!(
                "利息 = 上期余额 × i = {} × {} {}",
                yuan(balance_before),
                unrounded(i),
                rounding(balance_before * annual / Decimal::from(1200))
            ),
            format!(
                "本金 = 月还款额 − 利息 = {} − {} = {}（最后一期还清全部余额）",
                yuan(row.installment),
                yuan(row.interest),
                yuan(row.principal)
            ),
            format!(
                "余额 = {} − {} = {}",
                yuan(balance_before),
                yuan(row.principal),
                yuan(row.balance)
            ),
        ],
    }
}

/// The workings of a 提前结清贷款 trial on `date`.
pub fn settlement(loan: &Loan, date: NaiveDate, trial: &super::SettlementTrial) -> Vec<Working> {
    vec![
        Working {
            figure: "提前结清本金",
            value: yuan(trial.principal),
            steps: vec![format!("全部贷款余额：{}", yuan(loan.balance))],
        },
        interest_for_days(
            "提前结清利息",
            "贷款余额",
            loan,
            loan.balance,
            date,
            trial.interest,
        ),
        Working {
            figure: "提前还款总额",
            value: yuan(trial.total),
            steps: vec![format!(
                "提前结清本金 + 提前结清利息 = {} + {} = {}",
                yuan(trial.principal),
                yuan(trial.interest),
                yuan(trial.total)
            )],
        },
    ]
}

/// The workings of a 调整月还款额 trial.
pub fn adjust_term(loan: &Loan, trial: &super::AdjustTermTrial) -> Vec<Working> {
    let steps = match loan.method {
        RepaymentMethod::EqualInstallment => {
            annuity(loan.balance, loan.annual_rate, trial.new_remaining_periods)
        }
        RepaymentMethod::EqualPrincipal => {
            let principal = loan.balance / Decimal::from(trial.new_remaining_periods);
            vec![
                format!(
                    "每月本金 = 余额 ÷ 期数 = {} ÷ {} {}",
                    yuan(loan.balance),
                    trial.new_remaining_periods,
                    rounding(principal)
                ),
                format!(
                    "首期还款 = 每月本金 + 余额 × 年利率 ÷ 12 = {}",
                    yuan(trial.new_monthly_payment)
                ),
            ]
        }
    };
    vec![
        Working {
            figure: "变更后月还款额",
            value: yuan(trial.new_monthly_payment),
            steps,
        },
        Working {
            figure: "变更后到期日期",
            value: crate::date::compact(trial.new_maturity_date),
            steps: vec![format!(
                "{}；自下一约定还款日{}起按新月还款额还款",
                maturity_move(
                    loan.maturity_date,
                    loan.remaining_periods,
                    trial.new_remaining_periods,
                    trial.new_maturity_date
                ),
                trial.effective_date
            )],
        },
        Working {
            figure: "利息差额",
            value: yuan(trial.interest_difference),
            steps: vec![
                "按还款计划逐期计算利息（每期利息 = 上期余额 × 年利率 ÷ 12，四舍五入到分）再求和"
                    .into(),
                format!(
                    "调整后应付利息 − 调整前应付利息 = {} − {} = {}",
                    yuan(trial.interest_after),
                    yuan(trial.interest_before),
                    yuan(trial.interest_difference)
                ),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{dec, seed_loan, ymd};
    use crate::loan::trial::{prepayment as trial_of, PrepaymentRequest};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_seed_prepayment_worked_by_hand() {
        let loan = seed_loan();
        let request =
            PrepaymentRequest::parse(&loan, "2018-01-09", "10000", AdjustMode::LowerPayment, None)
                .unwrap();
        let trial = trial_of(&loan, &request).unwrap();
        let workings = prepayment(&loan, ymd(2018, 1, 9), AdjustMode::LowerPayment, &trial);
        let interest = &workings[0];
        assert_eq!(interest.value, "9.93");
        assert_eq!(
            interest.steps[1],
            "天数按30/360计（每月按30天，31日按30日）：从2017-12-28到2018-01-09：(2018−2017)×360 + (1−12)×30 + (9−28) = 11天"
        );
        assert_eq!(interest.steps[2], "10,000.00 × 3.25% ÷ 360 × 11");
        // 10000 × 3.25 × 11 / 36000 = 9.930555…
        assert_eq!(interest.steps[3], "= 9.93055556…，四舍五入到分：9.93");
        let payment = workings
            .iter()
            .find(|w| w.figure == "变更后月还款额")
            .unwrap();
        assert_eq!(payment.value, "3,310.48");
        assert!(
            payment.steps[1].contains("3.25% ÷ 12 = 0.00270833…"),
            "{:?}",
            payment.steps
        );
        assert!(payment
            .steps
            .last()
            .unwrap()
            .ends_with("四舍五入到分：3,310.48"));
    }

    #[test]
    fn a_settlement_worked_by_hand() {
        let loan = seed_loan();
        let trial = crate::loan::trial::settlement(&loan, ymd(2018, 1, 10)).unwrap();
        let w = settlement(&loan, ymd(2018, 1, 10), &trial);
        // 646609.84 × 3.25 × 12 / 36000 = 700.49399…
        assert_eq!(w[1].steps[2], "646,609.84 × 3.25% ÷ 360 × 12");
        assert_eq!(w[1].steps[3], "= 700.49399333…，四舍五入到分：700.49");
        assert_eq!(w[1].value, yuan(trial.interest));
    }

    #[test]
    fn a_schedule_row_worked_by_hand() {
        let row = ScheduleRow {
            period: 1,
            due_date: ymd(2018, 1, 28),
            installment: dec("3310.48"),
            principal: dec("1586.33"),
            interest: dec("1724.15"),
            balance: dec("635023.51"),
        };
        let w = schedule_row(&row, dec("636609.84"), dec("3.25"));
        // 636609.84 × 3.25 = 2,068,981.98; ÷ 1200 = 1724.15165.
        assert_eq!(
            w.steps[1],
            "利息 = 上期余额 × i = 636,609.84 × 0.00270833… = 1724.15165，四舍五入到分：1,724.15"
        );
        assert_eq!(w.steps[3], "余额 = 636,609.84 − 1,586.33 = 635,023.51");
    }
}
