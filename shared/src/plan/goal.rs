//! Goal seeking on a plan: the smallest prepayment (a multiple of 1,000) on a date that reaches a
//! goal, what an amount buys in each mode, and the working of a goal's answer.

use super::{engine_error, run, simulate, Event, EventResult, GoalInput, Plan};
use crate::date::parse_date;
use crate::error::ApiError;
use crate::loan::trial::AdjustMode;
use crate::loan::Loan;
use crate::money::{fen, parse_amount};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The goal a prepayment must reach, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    FinishBy { year: i32, month: u32 },
    PaymentAtMost(Decimal),
    InterestSavedAtLeast(Decimal),
}

/// What a goal found: the prepayment and the plan it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalResult {
    /// 提前还本金额: the smallest multiple of 1,000 that reaches the goal.
    pub amount: Decimal,
    pub on: NaiveDate,
    pub mode: AdjustMode,
    /// The prepayment as an event of the plan.
    pub prepayment: EventResult,
    pub maturity_date: NaiveDate,
    pub total_interest: Decimal,
    pub total_paid: Decimal,
    /// Against the loan as it stands (no events at all).
    pub interest_saved: Decimal,
    /// By this prepayment alone: the plan's interest without it minus with it.
    pub interest_saved_by_prepayment: Decimal,
}

/// Parses a goal: its date, its mode, and what it asks.
pub fn parse_goal(input: &GoalInput) -> Result<(NaiveDate, AdjustMode, Goal), ApiError> {
    let on = |text: &str| parse_date("goal.on", "提前还款日期", text);
    let amount = |text: &str, label: &str| {
        let value = parse_amount("goal.amount", label, text)?;
        if value <= Decimal::ZERO {
            return Err(ApiError::field(
                "goal.amount",
                "goal_amount_not_positive",
                format!("{label}须大于0"),
            ));
        }
        Ok(value)
    };
    Ok(match input {
        GoalInput::FinishBy { on: date, month } => {
            // 2035-12, 2035/12 or 2035年12月, full-width digits too.
            let month = crate::money::normalize_width(month)
                .trim()
                .replace(['年', '/', '.'], "-")
                .trim_end_matches('月')
                .to_owned();
            let parsed =
                NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| {
                    ApiError::field(
                        "goal.month",
                        "goal_month_invalid",
                        "请输入还清年月，如2035-12",
                    )
                })?;
            (
                on(date)?,
                AdjustMode::ShorterTerm,
                Goal::FinishBy {
                    year: parsed.year(),
                    month: parsed.month(),
                },
            )
        }
        GoalInput::PaymentAtMost {
            on: date,
            amount: a,
        } => (
            on(date)?,
            AdjustMode::LowerPayment,
            Goal::PaymentAtMost(amount(a, "目标月还款额")?),
        ),
        GoalInput::InterestSavedAtLeast {
            on: date,
            amount: a,
            mode,
        } => (
            on(date)?,
            mode.unwrap_or(AdjustMode::ShorterTerm),
            Goal::InterestSavedAtLeast(amount(a, "目标节省利息")?),
        ),
    })
}

/// The plan with one more prepayment of `thousands` × 1,000 on `on` (after the citizen's events
/// of that date).
pub(crate) fn with_prepayment(
    loan: &Loan,
    events: &[Event],
    on: NaiveDate,
    mode: AdjustMode,
    thousands: u64,
) -> Result<(Plan, EventResult), ApiError> {
    with_amount(loan, events, on, mode, &(thousands * 1000).to_string())
}

/// The plan with one more prepayment of `amount` on `on` (after the citizen's events of that
/// date); its own errors are the goal's fields (`goal.on`, `goal.amount`), without an event number.
fn with_amount(
    loan: &Loan,
    events: &[Event],
    on: NaiveDate,
    mode: AdjustMode,
    amount: &str,
) -> Result<(Plan, EventResult), ApiError> {
    let mut all = events.to_vec();
    all.push(Event::Prepayment {
        date: on,
        amount: amount.to_owned(),
        mode,
        new_remaining_periods: None,
    });
    let own = format!("events[{}].", events.len());
    let plan = simulate(loan, &all).map_err(|mut e| {
        if let Some(field) = e.field.as_deref().and_then(|f| f.strip_prefix(&own)) {
            e.field = Some(
                if field == "date" {
                    "goal.on"
                } else {
                    "goal.amount"
                }
                .into(),
            );
            if let Some((_, message)) = e.message.split_once('：') {
                e.message = message.to_owned();
            }
        }
        e
    })?;
    if plan.skipped.contains(&events.len()) {
        return Err(ApiError::field(
            "goal.on",
            "goal_after_payoff",
            format!(
                "提前还款日期须早于贷款还清日期{}",
                crate::date::compact(plan.maturity_date)
            ),
        ));
    }
    let added = plan
        .events
        .iter()
        .find(|e| e.index == events.len())
        .cloned()
        .ok_or_else(engine_error)?;
    Ok((plan, added))
}

/// The smallest prepayment (a multiple of 1,000) on `on` that reaches `goal`, searched on the
/// engine itself (the plan is monotone in the amount).
pub fn seek(
    loan: &Loan,
    events: &[Event],
    on: NaiveDate,
    mode: AdjustMode,
    goal: Goal,
) -> Result<GoalResult, ApiError> {
    let base = run(loan, events)?;
    // Reached without any prepayment: nothing to seek.
    let already = match goal {
        Goal::FinishBy { year, month } => {
            (base.maturity_date.year(), base.maturity_date.month()) <= (year, month)
        }
        Goal::PaymentAtMost(limit) => base
            .schedule
            .iter()
            .find(|r| r.due_date > on)
            .is_some_and(|r| r.installment <= limit),
        Goal::InterestSavedAtLeast(_) => false,
    };
    if already {
        return Err(ApiError::field(
            "goal",
            "goal_already_met",
            "按当前方案已达到目标，无需再提前还本",
        ));
    }
    // 1,000 must be possible on that date (the date's own rules, the loan's state).
    with_prepayment(loan, events, on, mode, 1)?;
    // The largest amount the rules allow: below the balance on that date.
    let (mut low, mut high) = (
        1u64,
        (loan.balance / Decimal::from(1000)).ceil().mantissa() as u64 + 1,
    );
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if with_prepayment(loan, events, on, mode, mid).is_ok() {
            low = mid;
        } else {
            high = mid;
        }
    }
    let most = low;
    let reached = |plan: &Plan, added: &EventResult| match goal {
        Goal::FinishBy { year, month } => {
            (plan.maturity_date.year(), plan.maturity_date.month()) <= (year, month)
        }
        Goal::PaymentAtMost(limit) => added.new_monthly_payment <= limit,
        Goal::InterestSavedAtLeast(target) => base.total_interest - plan.total_interest >= target,
    };
    let (plan, added) = with_prepayment(loan, events, on, mode, most)?;
    if !reached(&plan, &added) {
        let most_text = crate::money::format_thousands(fen(Decimal::from(most * 1000)));
        // What stops a larger amount: the balance, or one of the citizen's own later events.
        let own = format!("events[{}]", events.len());
        let blocker = with_prepayment(loan, events, on, mode, most + 1)
            .err()
            .filter(|e| {
                e.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("events[") && !f.starts_with(&own))
            });
        let message = match blocker {
            Some(e) => format!(
                "当日提前还本超过{most_text}元后，{}；请调整或删除该项后再测算",
                e.message
            ),
            None => format!(
                "当日最多可提前还本{most_text}元（须小于贷款余额），仍达不到目标；可考虑提前结清贷款"
            ),
        };
        return Err(ApiError::field("goal", "goal_unreachable", message));
    }
    // Smallest k in [1, most] that reaches the goal. (An amount that makes one of the
    // citizen's later events impossible counts as not reaching it.)
    let (mut low, mut high) = (0u64, most);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        match with_prepayment(loan, events, on, mode, mid) {
            Ok((plan, added)) if reached(&plan, &added) => high = mid,
            _ => low = mid,
        }
    }
    let (plan, added) = with_prepayment(loan, events, on, mode, high)?;
    Ok(GoalResult::of(on, mode, added, &plan, &base))
}

impl GoalResult {
    /// The prepayment `added` on `on` and the `plan` it gives, against the plan without it
    /// (`base`) and, through `base`, the loan as it stands.
    fn of(
        on: NaiveDate,
        mode: AdjustMode,
        added: EventResult,
        plan: &Plan,
        base: &Plan,
    ) -> GoalResult {
        GoalResult {
            amount: added
                .trial
                .as_ref()
                .map(|t| t.prepay_principal)
                .unwrap_or_default(),
            on,
            mode,
            prepayment: added,
            maturity_date: plan.maturity_date,
            total_interest: plan.total_interest,
            total_paid: plan.total_paid,
            interest_saved: fen(base.baseline_interest - plan.total_interest),
            interest_saved_by_prepayment: fen(base.total_interest - plan.total_interest),
        }
    }
}

/// What `amount` on `on` buys in each 调整方式 that needs no further input (还款额下降,
/// 还款额不变), with the citizen's other events: the prepayment's result and the plan's totals.
pub fn what_it_buys(
    loan: &Loan,
    events: &[Event],
    on: NaiveDate,
    amount: &str,
) -> Result<Vec<(AdjustMode, GoalResult)>, ApiError> {
    let base = run(loan, events)?;
    [AdjustMode::LowerPayment, AdjustMode::ShorterTerm]
        .into_iter()
        .map(|mode| {
            let (plan, added) = with_amount(loan, events, on, mode, amount)?;
            Ok((mode, GoalResult::of(on, mode, added, &plan, &base)))
        })
        .collect()
}

/// 怎么算的 of a goal's answer: what the amount gives, and what 1,000 less gives (the search is
/// exact: one thousand less does not reach the goal).
pub fn goal_working(
    loan: &Loan,
    events: &[Event],
    goal: Goal,
    found: &GoalResult,
) -> crate::loan::working::Working {
    use crate::money::format_thousands as yuan;
    let describe = |plan: &Plan, added: &EventResult, base: &Plan| match goal {
        Goal::FinishBy { .. } => format!("到期日期{}", plan.maturity_date),
        Goal::PaymentAtMost(_) => format!("变更后月还款额{}", yuan(added.new_monthly_payment)),
        Goal::InterestSavedAtLeast(_) => format!(
            "节省利息{}",
            yuan(base.total_interest - plan.total_interest)
        ),
    };
    let wanted = match goal {
        Goal::FinishBy { year, month } => format!("在{year}年{month}月或之前还清"),
        Goal::PaymentAtMost(limit) => format!("月还款额不超过{}", yuan(limit)),
        Goal::InterestSavedAtLeast(target) => format!("节省利息不少于{}", yuan(target)),
    };
    let thousands = (found.amount / Decimal::from(1000)).trunc().mantissa() as u64;
    let mut steps = vec![format!(
        "目标：{wanted}。在{}按“{}”提前还本：在1000元的整数倍中逐个试算（先粗后细），每个金额都按试算规则算出完整的还款计划",
        found.on,
        found.mode.label()
    )];
    if let Ok(base) = run(loan, events) {
        if let Ok((plan, added)) = with_prepayment(loan, events, found.on, found.mode, thousands) {
            steps.push(format!(
                "提前还本{}元：{}，达到目标",
                yuan(found.amount),
                describe(&plan, &added, &base)
            ));
        }
        if thousands > 1 {
            match with_prepayment(loan, events, found.on, found.mode, thousands - 1) {
                Ok((plan, added)) => steps.push(format!(
                    "少1000元即{}元：{}，达不到目标，所以{}元是最小金额",
                    yuan(found.amount - Decimal::from(1000)),
                    describe(&plan, &added, &base),
                    yuan(found.amount)
                )),
                Err(e) => steps.push(format!(
                    "少1000元即{}元时无法办理：{}",
                    yuan(found.amount - Decimal::from(1000)),
                    e.message
                )),
            }
        }
    }
    crate::loan::working::Working {
        figure: "需提前还本",
        value: yuan(found.amount),
        steps,
    }
}

#[cfg(test)]
#[path = "goal_tests.rs"]
mod tests;
