//! 怎么算的 of a plan: each event's figures and the totals, in the citizen's own numbers.

use super::Plan;
use crate::loan::{Loan, RepaymentMethod};
use rust_decimal::Decimal;

/// 怎么算的 of a plan: each event's figures, and the totals.
pub fn workings(loan: &Loan, plan: &Plan) -> Vec<crate::loan::working::Working> {
    use crate::loan::working::{annuity, prepayment as prepayment_working, Working};
    use crate::money::format_thousands as yuan;
    let mut all = Vec::new();
    for event in &plan.events {
        match (&event.before, &event.trial, event.mode) {
            (Some(before), Some(trial), Some(mode)) => {
                all.extend(prepayment_working(before, event.date, mode, trial))
            }
            _ => {
                let after = event.applied_after.unwrap_or(event.date);
                let mut steps = vec![format!(
                    "生效日期{}当日或之后的第一个约定还款日{}仍按原利率还款；之后按新年利率{}%、剩余{}期、余额{}重新计算，到期日期不变",
                    event.date,
                    after,
                    event.annual_rate.normalize(),
                    event.new_remaining_periods,
                    yuan(event.balance_after)
                )];
                match loan.method {
                    RepaymentMethod::EqualInstallment => steps.extend(annuity(
                        event.balance_after,
                        event.annual_rate,
                        event.new_remaining_periods,
                    )),
                    RepaymentMethod::EqualPrincipal => steps.push(format!(
                        "等额本金：每月本金不变；下期还款 = 每月本金 + {} × {}% ÷ 12 = {}",
                        yuan(event.balance_after),
                        event.annual_rate.normalize(),
                        yuan(event.new_monthly_payment)
                    )),
                }
                all.push(Working {
                    figure: "利率调整后月还款额",
                    value: yuan(event.new_monthly_payment),
                    steps,
                });
            }
        }
    }
    let installments: Decimal = plan.schedule.iter().map(|r| r.interest).sum();
    let prepaid: Decimal = plan
        .events
        .iter()
        .filter_map(|e| e.trial.as_ref().map(|t| t.prepay_interest))
        .sum();
    all.push(Working {
        figure: "利息合计",
        value: yuan(plan.total_interest),
        steps: vec![
            format!(
                "还款计划{}期的利息之和 {} + 各次提前还本利息之和 {} = {}",
                plan.schedule.len(),
                yuan(installments),
                yuan(prepaid),
                yuan(plan.total_interest)
            ),
            "每期利息 = 上期余额 × 年利率 ÷ 12，四舍五入到分（展开还款计划可逐期查看）".into(),
        ],
    });
    all.push(Working {
        figure: "还款总额",
        value: yuan(plan.total_paid),
        steps: vec![format!(
            "贷款余额 {} + 利息合计 {} = {}",
            yuan(loan.balance),
            yuan(plan.total_interest),
            yuan(plan.total_paid)
        )],
    });
    all.push(Working {
        figure: "节省利息",
        value: yuan(plan.interest_saved),
        steps: vec![format!(
            "不做任何变更时的利息合计 {} − 本方案利息合计 {} = {}",
            yuan(plan.baseline_interest),
            yuan(plan.total_interest),
            yuan(plan.interest_saved)
        )],
    });
    all
}
