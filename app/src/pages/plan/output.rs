//! What a plan shows: each event's effect, the totals, the scenarios side by side, the balance
//! chart with the events marked, the schedule (CSV, print) with 怎么算的, and the goal seeker.

use super::events::{Plans, Scenarios, NAMES};
use crate::components::figures::{headers, yuan, DataTable, Workings};
use crate::components::submit::FiguresTable;
use crate::pages::loan::chart::BalanceChart;
use leptos::prelude::*;
use rust_decimal::Decimal;
use shared::date::compact;
use shared::loan::trial::AdjustMode;
use shared::loan::working;
use shared::loan::Loan;
use shared::plan::{EventKind, EventResult, Plan};

fn event_label(event: &EventResult) -> String {
    match event.kind {
        EventKind::Prepayment => format!(
            "部分提前还本 {}（{}）",
            event
                .trial
                .as_ref()
                .map(|t| yuan(t.prepay_principal))
                .unwrap_or_default(),
            event.mode.map(AdjustMode::label).unwrap_or_default()
        ),
        EventKind::RateChange => format!("利率调整为 {}%", event.annual_rate.normalize()),
    }
}

/// The schedule as a CSV file (UTF-8 with a BOM, so Excel and WPS read the Chinese headers).
fn csv(plan: &Plan) -> String {
    let mut text = String::from("\u{feff}期次,还款日期,月还款额,本金,利息,剩余本金\r\n");
    for row in &plan.schedule {
        text.push_str(&format!(
            "{},{},{},{},{},{}\r\n",
            row.period, row.due_date, row.installment, row.principal, row.interest, row.balance
        ));
    }
    text
}

/// The annual rate in force for an installment due on `due`: the last rate change applied before it.
fn rate_on(loan: &Loan, plan: &Plan, due: chrono::NaiveDate) -> Decimal {
    plan.events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::RateChange && e.applied_after.is_some_and(|a| a < due))
        .map_or(loan.annual_rate, |e| e.annual_rate)
}

fn balances(start: Decimal, plan: &Plan) -> Vec<Decimal> {
    std::iter::once(start)
        .chain(plan.schedule.iter().map(|r| r.balance))
        .collect()
}

#[component]
pub fn Results(loan: Signal<Option<Loan>>, scenarios: Scenarios, plans: Plans) -> impl IntoView {
    let current = move || {
        plans.with(|p| {
            p.get(scenarios.current.get())
                .and_then(|r| r.as_ref().ok())
                .map(|(_, plan)| plan.clone())
        })
    };
    let summary = Signal::derive(move || match current() {
        Some(plan) => vec![
            ("到期日期", compact(plan.maturity_date)),
            ("还款期数", plan.schedule.len().to_string()),
            ("利息合计（含提前还本利息）", yuan(plan.total_interest)),
            ("还款总额", yuan(plan.total_paid)),
            ("与不做变更相比节省利息", yuan(plan.interest_saved)),
        ],
        None => Vec::new(),
    });
    let workings = Signal::derive(move || match (loan.get(), current()) {
        (Some(loan), Some(plan)) => shared::plan::workings(&loan, &plan),
        _ => Vec::new(),
    });
    // Which installment's working the schedule shows (1 = the first).
    let period = RwSignal::new(String::from("1"));
    let schedule_open = RwSignal::new(false);
    let print = move |_| {
        schedule_open.set(true);
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let download = move || {
        let plan = current()?;
        let encoded = js_sys::encode_uri_component(&csv(&plan)).as_string()?;
        Some(format!("data:text/csv;charset=utf-8,{encoded}"))
    };
    view! {
        <section aria-labelledby="plan-results-title" data-ms=move || plans.with(|_| PLAN_MS.get().to_string())>
            <h2 id="plan-results-title">{move || format!("{}的结果", NAMES[scenarios.current.get().min(2)])}</h2>
            <DataTable label="各事项的结果" headers=headers(&["事项", "日期", "变更后月还款额", "剩余期数", "到期日期", "变更后贷款余额"])
                rows=Signal::derive(move || current().map(|plan| plan.events.iter().map(|e| vec![
                    format!("第{}项 {}", e.index + 1, event_label(e)),
                    compact(e.date),
                    yuan(e.new_monthly_payment),
                    e.new_remaining_periods.to_string(),
                    compact(e.new_maturity_date),
                    yuan(e.balance_after),
                ]).collect()).unwrap_or_default()) />
            <p class="plan-refused" role="alert">{move || plans.with(|p| {
                p.get(scenarios.current.get())?.as_ref().err().map(|e| format!("无法计算：{}。请先改正上面的事项。", e.message))
            })}</p>
            <p class="note">{move || current().filter(|p| !p.skipped.is_empty()).map(|p| format!(
                "{}在贷款还清（{}）之后，不会发生。",
                p.skipped.iter().map(|k| format!("第{}项", k + 1)).collect::<Vec<_>>().join("、"),
                compact(p.maturity_date)
            ))}</p>
            <FiguresTable label="方案合计" rows=summary />
            <Workings workings />
            <Comparison loan scenarios plans />
            {move || {
                let (loan, plan) = (loan.get()?, current()?);
                let baseline = shared::plan::run(&loan, &[]).ok()?;
                let marks = plan.events.iter().map(|e| {
                    let period = plan.schedule.iter().take_while(|r| r.due_date < e.date).count();
                    (period, format!("{}", e.index + 1))
                }).collect();
                Some(view! {
                    <BalanceChart before=balances(loan.balance, &baseline) after=balances(loan.balance, &plan)
                        caption="剩余本金随时间变化（竖线上的数字：第几项的日期）" marks names=("不做变更", "本方案") />
                })
            }}
            <details class="plan-schedule" prop:open=move || schedule_open.get()
                on:toggle=move |ev| schedule_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>{move || format!("还款计划（共{}期）", current().map_or(0, |p| p.schedule.len()))}</summary>
                <DataTable label="还款计划" headers=headers(&["期次", "还款日期", "月还款额", "本金", "利息", "剩余本金"])
                    rows=Signal::derive(move || current().map(|plan| plan.schedule.iter().map(|r| vec![
                        r.period.to_string(), compact(r.due_date), yuan(r.installment),
                        yuan(r.principal), yuan(r.interest), yuan(r.balance),
                    ]).collect()).unwrap_or_default()) />
                <div class="field no-print">
                    <label for="plan-period">"查看第几期的计算"</label>
                    <input id="plan-period" type="text" inputmode="numeric" bind:value=period />
                </div>
                <Workings workings=Signal::derive(move || {
                    let (Some(loan), Some(plan)) = (loan.get(), current()) else { return Vec::new() };
                    let n: usize = period.with(|p| p.trim().parse().unwrap_or(1)).max(1);
                    plan.schedule.get(n - 1).map(|row| {
                        let rate = rate_on(&loan, &plan, row.due_date);
                        vec![working::schedule_row(row, row.balance + row.principal, rate)]
                    }).unwrap_or_default()
                }) />
            </details>
            <div class="actions no-print" hidden=move || current().is_none()>
                <a class="button" download="还款计划.csv" href=move || download().unwrap_or_default()>"下载还款计划（CSV）"</a>
                <button type="button" class="button" on:click=print>"打印"</button>
            </div>
        </section>
    }
}

/// The scenarios side by side, and the loan with no change.
#[component]
fn Comparison(loan: Signal<Option<Loan>>, scenarios: Scenarios, plans: Plans) -> impl IntoView {
    let columns = move || {
        let loan = loan.get()?;
        let mut columns = vec![("不做变更".to_owned(), shared::plan::run(&loan, &[]).ok())];
        plans.with(|p| {
            for (i, result) in p.iter().enumerate() {
                columns.push((
                    NAMES[i.min(2)].to_owned(),
                    result.as_ref().ok().map(|(_, plan)| plan.clone()),
                ));
            }
        });
        Some(columns)
    };
    let show = move || scenarios.count() > 1;
    view! {
        <Show when=show>
            <h2>"方案对比"</h2>
            <DataTable label="方案对比"
                headers=Signal::derive(move || std::iter::once("项目".to_owned()).chain(columns().unwrap_or_default().into_iter().map(|(name, _)| name)).collect())
                rows=Signal::derive(move || {
                    let columns = columns().unwrap_or_default();
                    let picks: [(&str, Pick); 5] = [
                        ("首期月还款额", |p| p.schedule.first().map(|r| yuan(r.installment)).unwrap_or_default()),
                        ("到期日期", |p| compact(p.maturity_date)),
                        ("利息合计", |p| yuan(p.total_interest)),
                        ("还款总额", |p| yuan(p.total_paid)),
                        ("节省利息", |p| yuan(p.interest_saved)),
                    ];
                    picks.into_iter().map(|(label, pick)| {
                        std::iter::once(label.to_owned())
                            .chain(columns.iter().map(|(_, plan)| plan.as_ref().map(pick).unwrap_or_else(|| "—（事项有误）".into())))
                            .collect()
                    }).collect()
                }) />
        </Show>
    }
}

thread_local! {
    /// How long the engine took for the last plans and goal, in ms: on the page as `data-ms`
    /// (read by `end2end/bench/plan.mjs`; the engine only, no rendering).
    pub static PLAN_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    static GOAL_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The page's clock, in ms (sub-millisecond).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A figure of a plan, as a cell.
type Pick = fn(&Plan) -> String;

const GOALS: [&str; 3] = ["在某年月前还清", "月还款额不超过", "节省利息不少于"];

/// 目标测算: the smallest prepayment for a goal, and what an amount buys in each mode.
#[component]
pub fn GoalSeeker(loan: Signal<Option<Loan>>, scenarios: Scenarios, plans: Plans) -> impl IntoView {
    let kind = RwSignal::new(0usize);
    let on = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let events = move || {
        plans.with(|p| {
            p.get(scenarios.current.get())
                .and_then(|r| r.as_ref().ok())
                .map(|(e, _)| e.clone())
        })
    };
    let found = Memo::new(move |_| {
        let (loan, events) = (loan.get()?, events()?);
        if on.with(String::is_empty) || target.with(String::is_empty) {
            return None;
        }
        let input = match kind.get() {
            0 => shared::plan::GoalInput::FinishBy {
                on: on.get(),
                month: target.get(),
            },
            1 => shared::plan::GoalInput::PaymentAtMost {
                on: on.get(),
                amount: target.get(),
            },
            _ => shared::plan::GoalInput::InterestSavedAtLeast {
                on: on.get(),
                amount: target.get(),
                mode: None,
            },
        };
        let started = now();
        let found = shared::plan::parse_goal(&input).and_then(|(on, mode, goal)| {
            shared::plan::seek(&loan, &events, on, mode, goal).map(|found| (found, goal))
        });
        GOAL_MS.set(now() - started);
        Some(found)
    });
    let buys = Memo::new(move |_| {
        let (loan, events) = (loan.get()?, events()?);
        let day = shared::date::parse_iso(&on.get())?;
        (!amount.with(String::is_empty))
            .then(|| shared::plan::what_it_buys(&loan, &events, day, &amount.get()))
    });
    view! {
        <section class="plan-goal no-print" aria-labelledby="plan-goal-title"
            data-ms=move || found.with(|_| GOAL_MS.get().to_string())>
            <h2 id="plan-goal-title">"目标测算"</h2>
            <p class="hint">"在当前方案的基础上，于所选日期再提前还本：达到目标所需的最小金额（1000的倍数），或一笔金额在两种调整方式下的效果。"</p>
            <div class="field">
                <label for="goal-on">"提前还款日期"</label>
                <input id="goal-on" type="date" bind:value=on />
            </div>
            <div class="field">
                <label for="goal-kind">"目标"</label>
                <select id="goal-kind" on:change=move |ev| {
                    kind.set(GOALS.iter().position(|g| *g == event_target_value(&ev)).unwrap_or(0));
                    target.set(String::new());
                }>
                    {GOALS.into_iter().map(|g| view! { <option value=g>{g}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="goal-target">{move || match kind.get() { 0 => "还清年月（如 2035-12）", 1 => "目标月还款额（元）", _ => "目标节省利息（元）" }}</label>
                <input id="goal-target" type="text" autocomplete="off" bind:value=target />
            </div>
            <p class="goal__answer" role="status">{move || found.get().map(|r| match r {
                Ok((g, _)) => format!(
                    "需提前还本 {} 元（{}）：到期日期 {}，变更后月还款额 {}，与不做变更相比节省利息 {} 元（本次提前还本节省 {} 元）。",
                    yuan(g.amount), g.mode.label(), compact(g.maturity_date), yuan(g.prepayment.new_monthly_payment),
                    yuan(g.interest_saved), yuan(g.interest_saved_by_prepayment)
                ),
                Err(e) => e.message,
            })}</p>
            <Workings workings=Signal::derive(move || match (found.get(), loan.get(), events()) {
                (Some(Ok((g, goal))), Some(loan), Some(events)) => vec![shared::plan::goal_working(&loan, &events, goal, &g)],
                _ => Vec::new(),
            }) />
            <div class="field">
                <label for="goal-amount">"这笔钱能做什么：提前还本金额（元）"</label>
                <input id="goal-amount" type="text" inputmode="decimal" autocomplete="off" bind:value=amount />
            </div>
            {move || buys.get().map(|r| match r {
                Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
                Ok(rows) => {
                    let rows: Vec<Vec<String>> = rows.into_iter().map(|(mode, g)| vec![
                        mode.label().to_owned(), yuan(g.prepayment.new_monthly_payment),
                        g.prepayment.new_remaining_periods.to_string(), compact(g.maturity_date),
                        yuan(g.interest_saved_by_prepayment),
                    ]).collect();
                    view! {
                        <DataTable label="各调整方式的效果" headers=headers(&["调整方式", "变更后月还款额", "剩余期数", "到期日期", "节省利息"])
                            rows=Signal::derive(move || rows.clone()) />
                    }.into_any()
                }
            })}
        </section>
    }
}
