//! 还款规划 — the citizen's own loan under any number of what-ifs: 部分提前还本 events and 利率调整
//! events on a timeline, the whole schedule after them, totals against doing nothing, and goal
//! seeking (the smallest prepayment, a multiple of 1,000, that reaches a goal). Exact: rust_decimal
//! throughout, the search runs on the engine itself.
//!
//! Conventions (README, and the page's 说明):
//! - A prepayment event is exactly the 试算 of [`crate::loan::trial::prepayment`] on the loan as it
//!   stands on its date, with the same checks (×1000, a date strictly between two due dates, …).
//! - A rate change effective on `E`: the installment of the first due date on or after `E` is still
//!   at the old rate; right after it the loan is re-amortised at the new rate over the remaining
//!   periods, maturity unchanged (等额本金: the same monthly principal, interest at the new rate).
//!   Without a date, the fund's rule applies: an existing loan reprices on 1 January (the first
//!   1 January after the loan's last due date).
//! - Events on one date apply in the order given.
//! - Each installment: interest = round(balance × annual% / 1200); the last period pays the rest.

use crate::date::parse_date;
use crate::error::ApiError;
use crate::loan::amortization::{equal_installment, monthly_rate};
use crate::loan::compare::after_prepayment;
use crate::loan::trial::{
    check_loan_usable, prepayment, AdjustMode, PrepaymentRequest, PrepaymentTrial,
};
use crate::loan::{Loan, RepaymentMethod, ScheduleRow};
use crate::money::fen;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod goal;
#[cfg(test)]
mod tests;
mod working;

pub use goal::{goal_working, parse_goal, seek, what_it_buys, Goal, GoalResult};
pub use working::workings;

/// An event as the citizen (or `hpf plan`) gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventInput {
    /// 部分提前还本 on `date`.
    Prepayment {
        date: String,
        #[serde(deserialize_with = "crate::loan::wire::text_or_number")]
        amount: String,
        mode: AdjustMode,
        /// 月还款额调整 (`new_term`) only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_remaining_periods: Option<u32>,
    },
    /// 利率调整: the new annual rate in percent, effective on `effective_date`.
    RateChange {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective_date: Option<String>,
        #[serde(deserialize_with = "crate::loan::wire::text_or_number")]
        annual_rate: String,
    },
}

/// A goal: the smallest prepayment on `on` that …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GoalInput {
    /// … finishes the loan by `month` (`YYYY-MM`), 还款额不变.
    FinishBy { on: String, month: String },
    /// … brings the installment to at most `amount`, 还款额下降.
    PaymentAtMost {
        on: String,
        #[serde(deserialize_with = "crate::loan::wire::text_or_number")]
        amount: String,
    },
    /// … saves at least `amount` of interest (还款额不变 unless `mode` says otherwise).
    InterestSavedAtLeast {
        on: String,
        #[serde(deserialize_with = "crate::loan::wire::text_or_number")]
        amount: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mode: Option<AdjustMode>,
    },
}

/// A checked event, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Prepayment {
        date: NaiveDate,
        /// As typed: checked against the loan as it stands on `date`.
        amount: String,
        mode: AdjustMode,
        new_remaining_periods: Option<u32>,
    },
    RateChange {
        effective_date: NaiveDate,
        annual_rate: Decimal,
    },
}

impl Event {
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::Prepayment { date, .. } => *date,
            Event::RateChange { effective_date, .. } => *effective_date,
        }
    }
}

/// The field of the `index`th event, as errors name it (`events[0].amount`).
fn event_field(index: usize, field: &str) -> String {
    format!("events[{index}].{field}")
}

/// An error of the engine's own checks, renamed to the event's field.
fn in_event(index: usize, mut error: ApiError) -> ApiError {
    let field = error.field.take().unwrap_or_else(|| "date".into());
    error.field = Some(event_field(index, &field));
    error.message = format!("第{}项：{}", index + 1, error.message);
    error
}

/// Parses the events: dates, rates (0 < rate ≤ 24 %), the default 1 January.
pub fn parse_events(loan: &Loan, inputs: &[EventInput]) -> Result<Vec<Event>, ApiError> {
    inputs
        .iter()
        .enumerate()
        .map(|(index, input)| match input {
            EventInput::Prepayment {
                date,
                amount,
                mode,
                new_remaining_periods,
            } => Ok(Event::Prepayment {
                date: parse_date("date", "约定还款日期", date).map_err(|e| in_event(index, e))?,
                amount: amount.clone(),
                mode: *mode,
                new_remaining_periods: *new_remaining_periods,
            }),
            EventInput::RateChange {
                effective_date,
                annual_rate,
            } => {
                let effective_date = match effective_date.as_deref().map(str::trim) {
                    Some(text) if !text.is_empty() => {
                        parse_date("effective_date", "生效日期", text)
                            .map_err(|e| in_event(index, e))?
                    }
                    _ => next_repricing(loan.last_due_date),
                };
                if effective_date <= loan.last_due_date {
                    return Err(in_event(
                        index,
                        ApiError::field(
                            "effective_date",
                            "rate_change_in_the_past",
                            format!(
                                "利率调整生效日期须晚于上次还款日{}",
                                crate::date::compact(loan.last_due_date)
                            ),
                        ),
                    ));
                }
                // As the calculator takes a rate: up to four decimals, "%" allowed, 0 < rate ≤ 24.
                let rate = crate::loan::calculator::parse_rate(annual_rate)
                    .map_err(|e| in_event(index, e))?;
                Ok(Event::RateChange {
                    effective_date,
                    annual_rate: rate,
                })
            }
        })
        .collect()
}

/// The fund's repricing date for an existing loan: the first 1 January after `date`.
pub fn next_repricing(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Prepayment,
    RateChange,
}

/// What one event did to the loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResult {
    pub kind: EventKind,
    /// The event's position in the input.
    pub index: usize,
    /// The prepayment's date, or the rate change's effective date.
    pub date: NaiveDate,
    /// The first installment after the event (等额本金: principal + that month's interest).
    pub new_monthly_payment: Decimal,
    pub new_remaining_periods: u32,
    pub new_maturity_date: NaiveDate,
    /// The balance right after the event.
    pub balance_after: Decimal,
    /// The annual rate after the event.
    pub annual_rate: Decimal,
    /// A rate change: the due date whose installment was the last at the old rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_after: Option<NaiveDate>,
    /// A prepayment: its 试算 (提前还本利息, 提前还款总额, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<PrepaymentTrial>,
    /// A prepayment: the loan as it stood on its date (for 怎么算的; not on the wire).
    #[serde(skip)]
    pub before: Option<Loan>,
    /// A prepayment: its 调整方式.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<AdjustMode>,
}

/// The loan under its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub events: Vec<EventResult>,
    /// The last installment's due date.
    pub maturity_date: NaiveDate,
    /// Interest of every installment and every prepayment (提前还本利息).
    pub total_interest: Decimal,
    /// Every installment and every prepayment's 提前还款总额.
    pub total_paid: Decimal,
    /// Total interest of the loan as it stands (no events) minus `total_interest`.
    pub interest_saved: Decimal,
    /// Total interest with no events.
    pub baseline_interest: Decimal,
    pub schedule: Vec<ScheduleRow>,
    /// Events dated after the last installment (the loan is repaid by then): they do not happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<usize>,
}

/// The loan run forward under `events` (parsed, in input order).
pub fn run(loan: &Loan, events: &[Event]) -> Result<Plan, ApiError> {
    check_loan_usable(loan)?;
    let baseline = simulate(loan, &[])?;
    let mut plan = simulate(loan, events)?;
    plan.baseline_interest = baseline.total_interest;
    plan.interest_saved = fen(baseline.total_interest - plan.total_interest);
    Ok(plan)
}

pub(crate) fn engine_error() -> ApiError {
    ApiError::new(
        "plan_out_of_range",
        "该笔贷款的数据超出规划范围，请到柜台咨询",
    )
}

pub(crate) fn simulate(loan: &Loan, events: &[Event]) -> Result<Plan, ApiError> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&k| (events[k].date(), k));
    let mut order = std::collections::VecDeque::from(order);
    let mut state = loan.clone();
    let mut after_payoff: Vec<usize> = Vec::new();
    let mut rows: Vec<ScheduleRow> = Vec::with_capacity(state.remaining_periods as usize);
    let mut results = Vec::with_capacity(events.len());
    let (mut interest, mut paid) = (Decimal::ZERO, Decimal::ZERO);
    while state.balance > Decimal::ZERO && state.remaining_periods > 0 {
        let due = state.next_due_date().ok_or_else(engine_error)?;
        // Before this due date: prepayments (strictly before: a due date is no prepayment date),
        // rate changes on or before it (armed: they apply right after its installment).
        let mut armed = Vec::new();
        while let Some(&k) = order.front() {
            match &events[k] {
                Event::Prepayment {
                    date,
                    amount,
                    mode,
                    new_remaining_periods,
                } if *date < due => {
                    order.pop_front();
                    // A due date itself is no prepayment date: say so (the trial would compare it
                    // with the installment just paid on it).
                    if *date == state.last_due_date
                        && rows.last().is_some_and(|r| r.due_date == *date)
                    {
                        return Err(in_event(
                            k,
                            ApiError::field(
                                "date",
                                "date_is_a_due_date",
                                format!(
                                    "约定还款日期不能是每月的约定还款日（{}日），请选其后、下一约定还款日之前的日期",
                                    state.due_day()
                                ),
                            ),
                        ));
                    }
                    let request = PrepaymentRequest::parse(
                        &state,
                        &date.to_string(),
                        amount,
                        *mode,
                        *new_remaining_periods,
                    )
                    .map_err(|e| in_event(k, e))?;
                    let trial = prepayment(&state, &request).map_err(|e| in_event(k, e))?;
                    let before = state.clone();
                    state = after_prepayment(&state, &trial);
                    interest += trial.prepay_interest;
                    paid += trial.total;
                    results.push(EventResult {
                        kind: EventKind::Prepayment,
                        index: k,
                        date: *date,
                        new_monthly_payment: trial.new_monthly_payment,
                        new_remaining_periods: trial.new_remaining_periods,
                        new_maturity_date: trial.new_maturity_date,
                        balance_after: trial.new_balance,
                        annual_rate: state.annual_rate,
                        applied_after: None,
                        trial: Some(trial),
                        before: Some(before),
                        mode: Some(*mode),
                    });
                }
                Event::RateChange { effective_date, .. } if *effective_date <= due => {
                    order.pop_front();
                    armed.push(k);
                }
                _ => break,
            }
        }
        // The installment due, at the rate in force.
        let rate = state.monthly_rate();
        let row_interest = fen(state.balance * rate);
        let principal = if state.remaining_periods == 1 {
            state.balance
        } else {
            match state.method {
                RepaymentMethod::EqualInstallment => state.monthly_payment - row_interest,
                RepaymentMethod::EqualPrincipal => state.monthly_payment,
            }
            .max(Decimal::ZERO)
            .min(state.balance)
        };
        state.balance = fen(state.balance - principal);
        state.remaining_periods -= 1;
        state.last_due_date = due;
        interest += row_interest;
        paid += principal + row_interest;
        rows.push(ScheduleRow {
            period: rows.len() as u32 + 1,
            due_date: due,
            installment: fen(principal + row_interest),
            principal: fen(principal),
            interest: row_interest,
            balance: state.balance,
        });
        // Right after it: the rate changes that were waiting for it, in their order (after the
        // last installment there is nothing left to reprice: they do not happen).
        if state.balance <= Decimal::ZERO || state.remaining_periods == 0 {
            after_payoff.extend(armed);
            continue;
        }
        for k in armed {
            let Event::RateChange { annual_rate, .. } = &events[k] else {
                continue;
            };
            state.annual_rate = *annual_rate;
            let new_rate = monthly_rate(*annual_rate);
            let next_payment = if state.balance > Decimal::ZERO && state.remaining_periods > 0 {
                match state.method {
                    RepaymentMethod::EqualInstallment => {
                        state.monthly_payment =
                            equal_installment(state.balance, new_rate, state.remaining_periods)
                                .ok_or_else(engine_error)?;
                        state.monthly_payment
                    }
                    RepaymentMethod::EqualPrincipal => {
                        fen(state.monthly_payment.min(state.balance)
                            + fen(state.balance * new_rate))
                    }
                }
            } else {
                fen(Decimal::ZERO)
            };
            results.push(EventResult {
                kind: EventKind::RateChange,
                index: k,
                date: events[k].date(),
                new_monthly_payment: next_payment,
                new_remaining_periods: state.remaining_periods,
                new_maturity_date: state.maturity_date,
                balance_after: state.balance,
                annual_rate: *annual_rate,
                applied_after: Some(due),
                trial: None,
                before: None,
                mode: None,
            });
        }
    }
    // Events after the last installment do not happen (the loan is repaid by then).
    let mut skipped: Vec<usize> = order.into_iter().chain(after_payoff).collect();
    skipped.sort_unstable();
    let maturity_date = rows.last().map(|r| r.due_date).ok_or_else(engine_error)?;
    Ok(Plan {
        events: results,
        maturity_date,
        total_interest: fen(interest),
        total_paid: fen(paid),
        interest_saved: fen(Decimal::ZERO),
        baseline_interest: fen(interest),
        schedule: rows,
        skipped,
    })
}

/// `hpf plan`'s input (and the planner page's state): the loan as `hpf trial` takes it, the
/// events, and optionally a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub loan: Loan,
    #[serde(default)]
    pub events: Vec<EventInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<GoalInput>,
}

/// The plan, and what the goal needs if one was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAnswer {
    #[serde(flatten)]
    pub plan: Plan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<GoalResult>,
}

/// The one entry point of `hpf plan` and the planner page.
pub fn answer(input: &PlanInput) -> Result<PlanAnswer, ApiError> {
    let events = parse_events(&input.loan, &input.events)?;
    let plan = run(&input.loan, &events)?;
    let goal = match &input.goal {
        Some(goal) => {
            let (on, mode, goal) = parse_goal(goal)?;
            Some(seek(&input.loan, &events, on, mode, goal)?)
        }
        None => None,
    };
    Ok(PlanAnswer { plan, goal })
}
