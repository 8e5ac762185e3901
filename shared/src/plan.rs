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
use crate::money::{fen, parse_amount};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

fn engine_error() -> ApiError {
    ApiError::new(
        "plan_out_of_range",
        "该笔贷款的数据超出规划范围，请到柜台咨询",
    )
}

fn simulate(loan: &Loan, events: &[Event]) -> Result<Plan, ApiError> {
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
fn with_prepayment(
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
    let baseline = simulate(loan, &[])?;
    Ok(GoalResult::of(on, mode, added, &plan, &base, &baseline))
}

impl GoalResult {
    /// The prepayment `added` on `on` and the `plan` it gives, against the plan without it
    /// (`base`) and the loan as it stands (`baseline`).
    fn of(
        on: NaiveDate,
        mode: AdjustMode,
        added: EventResult,
        plan: &Plan,
        base: &Plan,
        baseline: &Plan,
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
            interest_saved: fen(baseline.total_interest - plan.total_interest),
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
    let baseline = simulate(loan, &[])?;
    [AdjustMode::LowerPayment, AdjustMode::ShorterTerm]
        .into_iter()
        .map(|mode| {
            let (plan, added) = with_amount(loan, events, on, mode, amount)?;
            Ok((
                mode,
                GoalResult::of(on, mode, added, &plan, &base, &baseline),
            ))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{dec, seed_loan, ymd};
    use crate::loan::LoanStatus;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn small(method: RepaymentMethod, balance: &str, payment: &str) -> Loan {
        Loan {
            method,
            balance: dec(balance),
            annual_rate: dec("6"),
            remaining_periods: 3,
            monthly_payment: dec(payment),
            last_due_date: ymd(2018, 1, 15),
            maturity_date: ymd(2018, 4, 15),
            arrears: Decimal::ZERO,
            status: LoanStatus::Normal,
            disbursement_date: Some(ymd(2015, 4, 15)),
            due_day: None,
        }
    }

    fn events(loan: &Loan, inputs: serde_json::Value) -> Vec<Event> {
        let inputs: Vec<EventInput> = serde_json::from_value(inputs).unwrap();
        parse_events(loan, &inputs).unwrap()
    }

    #[test]
    fn without_events_the_plan_is_the_loans_schedule() {
        let loan = seed_loan();
        let plan = run(&loan, &[]).unwrap();
        let schedule = loan.schedule();
        assert_eq!(plan.schedule, schedule.rows);
        assert_eq!(plan.total_interest, schedule.total_interest);
        assert_eq!(plan.total_paid, schedule.total_payment);
        assert_eq!(plan.interest_saved, dec("0.00"));
        assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
    }

    #[test]
    fn a_prepayment_event_is_the_trial_on_its_date() {
        // The seed's 部分提前还本 of 20180109, 还款额下降: 3310.48 from then on.
        let loan = seed_loan();
        let events = events(
            &loan,
            serde_json::json!([{"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": "lower_payment"}]),
        );
        let plan = run(&loan, &events).unwrap();
        let event = &plan.events[0];
        assert_eq!(event.new_monthly_payment, dec("3310.48"));
        assert_eq!(event.balance_after, dec("636609.84"));
        assert_eq!(event.new_remaining_periods, 272);
        assert_eq!(event.trial.as_ref().unwrap().prepay_interest, dec("9.93"));
        // The first installment after it: interest round(636609.84 × 3.25 / 1200) = 1724.15.
        let first = &plan.schedule[0];
        assert_eq!(first.due_date, ymd(2018, 1, 28));
        assert_eq!(first.interest, dec("1724.15"));
        assert_eq!(first.principal, dec("1586.33"));
        // Everything repaid: the prepayment and the schedule's principal make the balance.
        let principal: Decimal = plan.schedule.iter().map(|r| r.principal).sum();
        assert_eq!(principal + dec("10000"), dec("646609.84"));
        assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
        assert_eq!(
            plan.total_paid,
            plan.total_interest + dec("646609.84"),
            "paid = principal + interest"
        );
        assert!(plan.interest_saved > Decimal::ZERO);
        assert_eq!(
            plan.interest_saved,
            plan.baseline_interest - plan.total_interest
        );
    }

    #[test]
    fn a_rate_change_applies_after_the_first_due_date_on_or_after_it() {
        // 10,000.00 at 6 % over 3 months: A = round(10000·0.005·1.005³/(1.005³−1)) = 3366.72.
        let loan = small(RepaymentMethod::EqualInstallment, "10000", "3366.72");
        let events = events(
            &loan,
            serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-01", "annual_rate": "12"}]),
        );
        let plan = run(&loan, &events).unwrap();
        let rows = &plan.schedule;
        // 2018-02-15, still at 6 %: interest 50.00, principal 3316.72, balance 6683.28.
        assert_eq!(
            (
                rows[0].due_date,
                rows[0].interest,
                rows[0].principal,
                rows[0].balance
            ),
            (
                ymd(2018, 2, 15),
                dec("50.00"),
                dec("3316.72"),
                dec("6683.28")
            )
        );
        // Then 12 % over the 2 remaining: A = round(6683.28·0.01·1.01²/(1.01²−1)) = 3391.85.
        let event = &plan.events[0];
        assert_eq!(event.applied_after, Some(ymd(2018, 2, 15)));
        assert_eq!(event.new_monthly_payment, dec("3391.85"));
        assert_eq!(event.new_remaining_periods, 2);
        assert_eq!(event.new_maturity_date, ymd(2018, 4, 15));
        // 2018-03-15: interest round(6683.28·0.01) = 66.83, principal 3325.02, balance 3358.26.
        assert_eq!(
            (rows[1].interest, rows[1].principal, rows[1].balance),
            (dec("66.83"), dec("3325.02"), dec("3358.26"))
        );
        // 2018-04-15, the last: interest 33.58, the rest of the principal: 3391.84.
        assert_eq!(
            (
                rows[2].interest,
                rows[2].principal,
                rows[2].installment,
                rows[2].balance
            ),
            (dec("33.58"), dec("3358.26"), dec("3391.84"), dec("0.00"))
        );
        // 50.00 + 66.83 + 33.58 against 50.00 + 33.42 + 16.75 at 6 % throughout.
        assert_eq!(plan.total_interest, dec("150.41"));
        assert_eq!(plan.baseline_interest, dec("100.17"));
        assert_eq!(plan.interest_saved, dec("-50.24"));
        assert_eq!(plan.maturity_date, ymd(2018, 4, 15));
    }

    #[test]
    fn equal_principal_keeps_its_principal_at_the_new_rate() {
        // 9,000.00, 3,000.00 a month; 12 % from the first due date on.
        let loan = small(RepaymentMethod::EqualPrincipal, "9000", "3000");
        let events = events(
            &loan,
            serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-15", "annual_rate": "12"}]),
        );
        let plan = run(&loan, &events).unwrap();
        let installments: Vec<Decimal> = plan.schedule.iter().map(|r| r.installment).collect();
        // 3000 + 9000·0.005; then 3000 + 6000·0.01; 3000 + 3000·0.01.
        assert_eq!(
            installments,
            vec![dec("3045.00"), dec("3060.00"), dec("3030.00")]
        );
        assert_eq!(plan.events[0].new_monthly_payment, dec("3060.00"));
    }

    #[test]
    fn the_workings_add_up() {
        let loan = small(RepaymentMethod::EqualInstallment, "10000", "3366.72");
        let events = events(
            &loan,
            serde_json::json!([{"kind": "rate_change", "effective_date": "2018-02-01", "annual_rate": "12"}]),
        );
        let plan = run(&loan, &events).unwrap();
        let all = workings(&loan, &plan);
        let rate = &all[0];
        assert_eq!(rate.value, "3,391.85");
        assert!(
            rate.steps[0].contains("第一个约定还款日2018-02-15仍按原利率"),
            "{:?}",
            rate.steps
        );
        // 6683.28 × 0.01 × 1.01² ÷ (1.01² − 1) = 3391.8496…
        assert!(
            rate.steps
                .last()
                .unwrap()
                .ends_with("四舍五入到分：3,391.85"),
            "{:?}",
            rate.steps
        );
        let interest = all.iter().find(|w| w.figure == "利息合计").unwrap();
        assert_eq!(
            interest.steps[0],
            "还款计划3期的利息之和 150.41 + 各次提前还本利息之和 0.00 = 150.41"
        );
        let saved = all.iter().find(|w| w.figure == "节省利息").unwrap();
        assert_eq!(
            saved.steps[0],
            "不做任何变更时的利息合计 100.17 − 本方案利息合计 150.41 = -50.24"
        );
    }

    #[test]
    fn without_a_date_a_rate_change_is_the_next_first_of_january() {
        let loan = seed_loan();
        let events = events(
            &loan,
            serde_json::json!([{"kind": "rate_change", "annual_rate": "3.1"}]),
        );
        assert_eq!(events[0].date(), ymd(2018, 1, 1));
        let plan = run(&loan, &events).unwrap();
        // The first due date on or after 2018-01-01 is 2018-01-28: still 3362.48 at 3.25 %
        // (interest round(646609.84 × 3.25 / 1200) = 1751.23, principal 1611.25, balance
        // 644,998.59); then 3.1 % over the 271 left: A = round(644998.59·i·(1+i)^271 /
        // ((1+i)^271 − 1)), i = 3.1/1200, = 3312.57 (worked with Python's decimal at 60 digits).
        assert_eq!(plan.schedule[0].installment, dec("3362.48"));
        assert_eq!(plan.schedule[0].balance, dec("644998.59"));
        assert_eq!(plan.events[0].applied_after, Some(ymd(2018, 1, 28)));
        assert_eq!(plan.events[0].new_monthly_payment, dec("3312.57"));
        assert_eq!(plan.events[0].new_remaining_periods, 271);
        assert_eq!(plan.schedule[1].installment, dec("3312.57"));
        // 644998.59 × 3.1 / 1200 = 1666.2463575
        assert_eq!(plan.schedule[1].interest, dec("1666.25"));
        assert_eq!(plan.maturity_date, ymd(2040, 8, 28));
        assert!(plan.interest_saved > Decimal::ZERO);
    }

    #[test]
    fn events_are_checked_by_the_trials_rules_and_named() {
        let loan = seed_loan();
        let error = |json: serde_json::Value| {
            let inputs: Vec<EventInput> = serde_json::from_value(json).unwrap();
            parse_events(&loan, &inputs)
                .and_then(|events| run(&loan, &events))
                .unwrap_err()
        };
        let e = error(serde_json::json!([
            {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": "lower_payment"},
            {"kind": "prepayment", "date": "2018-03-02", "amount": "1500", "mode": "lower_payment"}
        ]));
        assert_eq!(e.code, "amount_not_multiple_of_1000");
        assert_eq!(e.field.as_deref(), Some("events[1].amount"));
        assert_eq!(e.message, "第2项：提前还本金额须为1000的倍数");
        // A due date is no prepayment date, and the message says so in those words.
        let e = error(serde_json::json!([
            {"kind": "prepayment", "date": "2018-02-28", "amount": "10000", "mode": "lower_payment"}
        ]));
        assert_eq!(e.code, "date_is_a_due_date");
        assert_eq!(e.field.as_deref(), Some("events[0].date"));
        assert_eq!(
            e.message,
            "第1项：约定还款日期不能是每月的约定还款日（28日），请选其后、下一约定还款日之前的日期"
        );
        // Before the loan's last due date: the trial's own words.
        let e = error(serde_json::json!([
            {"kind": "prepayment", "date": "2017-12-20", "amount": "10000", "mode": "lower_payment"}
        ]));
        assert_eq!(e.code, "date_not_after_last_due");
        let e = error(serde_json::json!([
            {"kind": "rate_change", "effective_date": "2017-12-01", "annual_rate": "3"}
        ]));
        assert_eq!(e.code, "rate_change_in_the_past");
        let e = error(serde_json::json!([
            {"kind": "rate_change", "effective_date": "2019-01-01", "annual_rate": "30"}
        ]));
        assert_eq!(e.field.as_deref(), Some("events[0].annual_rate"));
    }

    #[test]
    fn events_after_the_payoff_do_not_happen() {
        let loan = seed_loan();
        let events = events(
            &loan,
            serde_json::json!([
                {"kind": "prepayment", "date": "2018-01-09", "amount": "640000", "mode": "shorter_term"},
                {"kind": "prepayment", "date": "2019-06-10", "amount": "1000", "mode": "shorter_term"},
                {"kind": "rate_change", "effective_date": "2020-01-01", "annual_rate": "3.1"}
            ]),
        );
        let plan = run(&loan, &events).unwrap();
        // 6,609.84 left after 20180109 at 3362.48 a month: paid off on 2018-02-28.
        assert_eq!(plan.maturity_date, ymd(2018, 2, 28));
        assert_eq!(plan.skipped, vec![1, 2]);
        assert_eq!(plan.events.len(), 1);
    }

    #[test]
    fn events_on_one_date_apply_in_the_order_given() {
        let loan = seed_loan();
        let two = |first: &str, second: &str| {
            let events = events(
                &loan,
                serde_json::json!([
                    {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": first},
                    {"kind": "prepayment", "date": "2018-01-09", "amount": "10000", "mode": second}
                ]),
            );
            run(&loan, &events).unwrap()
        };
        let a = two("lower_payment", "shorter_term");
        let b = two("shorter_term", "lower_payment");
        assert_eq!(a.events[0].index, 0);
        assert_eq!(a.events[1].index, 1);
        // 还款额下降 then 还款额不变 keeps the lowered payment (3310.48); the other order shortens
        // first (3362.48 kept) and then lowers it: another payment, another total.
        assert_eq!(a.events[0].new_monthly_payment, dec("3310.48"));
        assert_eq!(a.events[1].new_monthly_payment, dec("3310.48"));
        assert_eq!(b.events[0].new_monthly_payment, dec("3362.48"));
        assert!(b.events[1].new_monthly_payment < dec("3362.48"));
        assert_ne!(
            a.events[1].new_monthly_payment,
            b.events[1].new_monthly_payment
        );
        assert_ne!(a.total_interest, b.total_interest);
    }

    #[test]
    fn finish_by_finds_the_smallest_thousand() {
        // 还款额不变 on 20180109: finishing by 2035-12 means at most 216 periods (2040-08 − 56
        // months), i.e. a balance of at most the present value of 216 × 3362.48 at 3.25 %/12,
        // 549,319.68: 646,609.84 − 549,319.68 = 97,290.16 → 98,000.
        let loan = seed_loan();
        let goal = GoalInput::FinishBy {
            on: "2018-01-09".into(),
            month: "2035-12".into(),
        };
        let (on, mode, goal) = parse_goal(&goal).unwrap();
        let found = seek(&loan, &[], on, mode, goal).unwrap();
        assert_eq!(found.amount, dec("98000.00"));
        assert_eq!(found.maturity_date, ymd(2035, 12, 28));
        assert_eq!(found.prepayment.new_remaining_periods, 216);
        // 97,000 is not enough.
        let (plan, _) = with_prepayment(&loan, &[], on, mode, 97).unwrap();
        assert!(plan.maturity_date > ymd(2035, 12, 31));
    }

    #[test]
    fn payment_and_interest_goals_are_minimal() {
        let loan = seed_loan();
        let on = ymd(2018, 1, 9);
        // 还款额下降 to at most 3,000.00 a month.
        let found = seek(
            &loan,
            &[],
            on,
            AdjustMode::LowerPayment,
            Goal::PaymentAtMost(dec("3000")),
        )
        .unwrap();
        assert!(found.prepayment.new_monthly_payment <= dec("3000"));
        let thousands = (found.amount / dec("1000")).mantissa() as u64 / 100;
        let (_, fewer) =
            with_prepayment(&loan, &[], on, AdjustMode::LowerPayment, thousands - 1).unwrap();
        assert!(fewer.new_monthly_payment > dec("3000"));
        // 10,000.00 of interest saved, 还款额不变.
        let found = seek(
            &loan,
            &[],
            on,
            AdjustMode::ShorterTerm,
            Goal::InterestSavedAtLeast(dec("10000")),
        )
        .unwrap();
        assert!(found.interest_saved >= dec("10000"));
        let thousands = (found.amount / dec("1000")).mantissa() as u64 / 100;
        let (plan, _) =
            with_prepayment(&loan, &[], on, AdjustMode::ShorterTerm, thousands - 1).unwrap();
        assert!(run(&loan, &[]).unwrap().total_interest - plan.total_interest < dec("10000"));
        // Unreachable: 1.00 a month.
        let e = seek(
            &loan,
            &[],
            on,
            AdjustMode::LowerPayment,
            Goal::PaymentAtMost(dec("1")),
        )
        .unwrap_err();
        assert_eq!(e.code, "goal_unreachable");
        // A date that is no prepayment date is the goal's error.
        let e = seek(
            &loan,
            &[],
            ymd(2018, 1, 28),
            AdjustMode::LowerPayment,
            Goal::PaymentAtMost(dec("3000")),
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("goal.on"));
    }

    #[test]
    fn the_goal_working_shows_the_thousand_less() {
        let loan = seed_loan();
        let goal = Goal::FinishBy {
            year: 2035,
            month: 12,
        };
        let found = seek(&loan, &[], ymd(2018, 1, 9), AdjustMode::ShorterTerm, goal).unwrap();
        let w = goal_working(&loan, &[], goal, &found);
        assert_eq!(w.value, "98,000.00");
        assert_eq!(
            w.steps[1],
            "提前还本98,000.00元：到期日期2035-12-28，达到目标"
        );
        assert!(
            w.steps[2].starts_with("少1000元即97,000.00元：到期日期2036-"),
            "{:?}",
            w.steps
        );
    }

    #[test]
    fn a_loan_due_on_the_31st_stays_due_on_the_31st_after_its_maturity_moves_into_february() {
        // 10,000.00 at 6 %, due on the 31st (as the fund records it), 27 periods from 2018-01-31:
        // maturity 2020-04-30.
        let loan = Loan {
            remaining_periods: 27,
            monthly_payment: crate::loan::amortization::equal_installment(
                dec("10000"),
                monthly_rate(dec("6")),
                27,
            )
            .unwrap(),
            last_due_date: ymd(2018, 1, 31),
            maturity_date: ymd(2020, 4, 30),
            due_day: Some(31),
            ..small(RepaymentMethod::EqualInstallment, "10000", "1")
        };
        // 还款额不变 with 1,000: two periods fewer, maturity 2020-02-29 — still due on the 31st.
        let events = events(
            &loan,
            serde_json::json!([{"kind": "prepayment", "date": "2018-02-10", "amount": "1000", "mode": "shorter_term"}]),
        );
        let plan = run(&loan, &events).unwrap();
        assert_eq!(plan.events[0].new_remaining_periods, 25);
        assert_eq!(plan.events[0].new_maturity_date, ymd(2020, 2, 29));
        let dates: Vec<NaiveDate> = plan.schedule.iter().take(3).map(|r| r.due_date).collect();
        assert_eq!(
            dates,
            vec![ymd(2018, 2, 28), ymd(2018, 3, 31), ymd(2018, 4, 30)]
        );
        assert_eq!(plan.schedule[23].due_date, ymd(2020, 1, 31));
        assert_eq!(plan.maturity_date, ymd(2020, 2, 29));
    }

    #[test]
    fn the_reviews_edge_cases() {
        // A rate change due with the very last installment: nothing is left to reprice.
        let mut last = small(RepaymentMethod::EqualInstallment, "3000", "3015.00");
        last.remaining_periods = 1;
        last.maturity_date = ymd(2018, 2, 15);
        let events = events(
            &last,
            serde_json::json!([{"kind": "rate_change", "annual_rate": "3.325"}]),
        );
        assert_eq!(events[0].date(), ymd(2019, 1, 1));
        let plan = run(&last, &events).unwrap();
        assert_eq!(plan.skipped, vec![0]);
        assert!(workings(&last, &plan).iter().all(|w| !w.value.is_empty()));
        let events = parse_events(
            &last,
            &[EventInput::RateChange {
                effective_date: Some("2018-02-01".into()),
                annual_rate: "3.325%".into(),
            }],
        )
        .unwrap();
        let plan = run(&last, &events).unwrap();
        assert_eq!(plan.skipped, vec![0]);
        // A goal the plan meets already.
        let loan = seed_loan();
        let e = seek(
            &loan,
            &[],
            ymd(2018, 1, 9),
            AdjustMode::ShorterTerm,
            Goal::FinishBy {
                year: 2041,
                month: 1,
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "goal_already_met");
        // A goal dated after the payoff.
        let early = events_of(
            &loan,
            serde_json::json!([
                {"kind": "prepayment", "date": "2018-01-09", "amount": "640000", "mode": "shorter_term"}
            ]),
        );
        let e = seek(
            &loan,
            &early,
            ymd(2019, 1, 9),
            AdjustMode::ShorterTerm,
            Goal::FinishBy {
                year: 2010,
                month: 1,
            },
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("goal.on"));
        assert_eq!(e.code, "goal_after_payoff");
        // What an amount buys: its errors are the amount's, without an event number.
        let e = what_it_buys(&loan, &[], ymd(2018, 1, 9), "1500").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("goal.amount"));
        assert_eq!(e.message, "提前还本金额须为1000的倍数");
    }

    fn events_of(loan: &Loan, inputs: serde_json::Value) -> Vec<Event> {
        events(loan, inputs)
    }

    #[test]
    fn what_an_amount_buys_in_each_mode() {
        let loan = seed_loan();
        let buys = what_it_buys(&loan, &[], ymd(2018, 1, 10), "10000").unwrap();
        assert_eq!(buys.len(), 2);
        let (lower, shorter) = (&buys[0].1, &buys[1].1);
        assert_eq!(lower.prepayment.new_monthly_payment, dec("3310.48"));
        assert_eq!(shorter.prepayment.new_remaining_periods, 266);
        assert_eq!(shorter.maturity_date, ymd(2040, 2, 28));
        assert!(shorter.interest_saved > lower.interest_saved);
    }
}
