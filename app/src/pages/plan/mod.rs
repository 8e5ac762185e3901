//! 还款规划 — the loan under any number of 部分提前还本 and 利率调整 events, up to three scenarios
//! side by side, goal seeking, the schedule after the events with its CSV and print view, a share
//! link and 怎么算的. Everything is computed here by `shared::plan` (also offline); the logged-in
//! citizen's own loan comes pre-filled (`/loans/<no>/plan`), anyone may plan in public (`/plan`).

mod events;
mod output;

use crate::pages::loan::{borrower_no, LoanFrame};
use events::Scenarios;
use leptos::prelude::*;
use shared::loan::calculator::LoanTerms;
use shared::loan::trial::AdjustMode;
use shared::loan::{Loan, RepaymentMethod};
use shared::plan::EventInput;

/// What a share link carries, in its fragment (never sent to a server): the loan's terms and the
/// scenarios' events — no name, no number, nothing personal. Written by hand as
/// `m=1&b=646609.84&r=3.25&n=272&d=2017-12-28&p=3362.48&s=P,2018-01-09,10000,1;R,2019-01-01,3.1|…`
/// (short, readable, and without a serde decoder in the bundle).
#[derive(Default)]
struct SharedPlan {
    /// 还款方式, 余额, 年利率, 剩余期数, 上次还款日, 月还款额.
    method: Option<RepaymentMethod>,
    balance: String,
    annual_rate: String,
    remaining_periods: String,
    last_due_date: String,
    monthly_payment: String,
    /// 约定还款日, when the loan's own is known (a citizen's loan shared).
    due_day: Option<u32>,
    scenarios: Vec<Vec<EventInput>>,
}

const MODES: [(AdjustMode, &str); 3] = [
    (AdjustMode::LowerPayment, "1"),
    (AdjustMode::ShorterTerm, "2"),
    (AdjustMode::NewTerm, "3"),
];

impl SharedPlan {
    fn encode(&self) -> String {
        let method = match self.method {
            Some(RepaymentMethod::EqualPrincipal) => "2",
            _ => "1",
        };
        let scenarios: Vec<String> = self
            .scenarios
            .iter()
            .map(|events| {
                events
                    .iter()
                    .map(|event| match event {
                        EventInput::Prepayment {
                            date,
                            amount,
                            mode,
                            new_remaining_periods,
                        } => {
                            let code = MODES
                                .iter()
                                .find(|(m, _)| m == mode)
                                .map_or("1", |(_, c)| c);
                            let periods = new_remaining_periods
                                .map(|n| n.to_string())
                                .unwrap_or_default();
                            format!("P,{},{},{code},{periods}", esc(date), esc(amount))
                        }
                        EventInput::RateChange {
                            effective_date,
                            annual_rate,
                        } => format!(
                            "R,{},{annual_rate}",
                            effective_date.clone().unwrap_or_default()
                        ),
                    })
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .collect();
        format!(
            "m={method}&b={}&r={}&n={}&d={}&p={}&u={}&s={}",
            esc(&self.balance),
            esc(&self.annual_rate),
            esc(&self.remaining_periods),
            esc(&self.last_due_date),
            esc(&self.monthly_payment),
            self.due_day.map(|d| d.to_string()).unwrap_or_default(),
            scenarios.join("|")
        )
    }

    /// Each value is unescaped after the split, so a value may hold any separator (a typed
    /// "10,000"); an unknown or malformed part is ignored.
    fn decode(text: &str) -> Option<SharedPlan> {
        // A link escaped as a whole (older links, or a hand-made one) is unescaped first.
        let text = if text.contains('&') {
            text.to_owned()
        } else {
            unesc(text)
        };
        let mut plan = SharedPlan::default();
        for pair in text.split('&') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            match name {
                "m" => {
                    plan.method = Some(if value == "2" {
                        RepaymentMethod::EqualPrincipal
                    } else {
                        RepaymentMethod::EqualInstallment
                    })
                }
                "b" => plan.balance = unesc(value),
                "r" => plan.annual_rate = unesc(value),
                "n" => plan.remaining_periods = unesc(value),
                "d" => plan.last_due_date = unesc(value),
                "p" => plan.monthly_payment = unesc(value),
                "u" => plan.due_day = value.parse().ok().filter(|d| (1..=31).contains(d)),
                "s" => {
                    plan.scenarios = value
                        .split('|')
                        .map(|events| {
                            events
                                .split(';')
                                .filter(|e| !e.is_empty())
                                .filter_map(decode_event)
                                .collect()
                        })
                        .collect()
                }
                _ => {}
            }
        }
        Some(plan)
    }
}

/// A value of the share link, escaped (`,` `;` `|` `&` `=` and anything else not plain).
fn esc(value: &str) -> String {
    js_sys::encode_uri_component(value)
        .as_string()
        .unwrap_or_default()
}

fn unesc(value: &str) -> String {
    js_sys::decode_uri_component(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn decode_event(text: &str) -> Option<EventInput> {
    let fields: Vec<&str> = text.split(',').collect();
    match fields.as_slice() {
        ["P", date, amount, mode, periods @ ..] => Some(EventInput::Prepayment {
            date: unesc(date),
            amount: unesc(amount),
            mode: MODES
                .iter()
                .find(|(_, c)| c == mode)
                .map_or(AdjustMode::LowerPayment, |(m, _)| *m),
            new_remaining_periods: periods.first().and_then(|p| p.parse().ok()),
        }),
        ["R", date, rate] => Some(EventInput::RateChange {
            effective_date: Some(unesc(date)).filter(|d| !d.is_empty()),
            annual_rate: unesc(rate),
        }),
        _ => None,
    }
}

/// The plan in the address's fragment (`#plan=…`), if there is one.
fn shared_from_location() -> Option<SharedPlan> {
    let hash = web_sys::window()?.location().hash().ok()?;
    SharedPlan::decode(hash.strip_prefix("#plan=")?)
}

/// The loan as the public page's fields give it: the terms, and the 月还款额 of the contract when
/// it is given (else computed).
fn public_loan(shared: &SharedPlan, method: RepaymentMethod) -> Result<Loan, shared::ApiError> {
    let mut loan = LoanTerms {
        method,
        balance: &shared.balance,
        annual_rate: &shared.annual_rate,
        remaining_periods: &shared.remaining_periods,
        last_due_date: &shared.last_due_date,
    }
    .loan()?;
    if let Some(day) = shared.due_day {
        loan.due_day = Some(day);
        if let Some(maturity) =
            shared::date::add_months_on_day(loan.last_due_date, loan.remaining_periods as i32, day)
        {
            loan.maturity_date = maturity;
        }
    }
    if !shared.monthly_payment.trim().is_empty() {
        loan.monthly_payment =
            shared::money::parse_amount("monthly_payment", "月还款额", &shared.monthly_payment)?;
        loan.check()?;
    }
    Ok(loan)
}

/// `/plan`: anyone, the loan typed in (or opened from a share link).
#[component]
pub fn PublicPlan() -> impl IntoView {
    let opened = shared_from_location().unwrap_or_default();
    let method = RwSignal::new(opened.method.unwrap_or(RepaymentMethod::EqualInstallment));
    let balance = RwSignal::new(opened.balance.clone());
    let rate = RwSignal::new(opened.annual_rate.clone());
    let periods = RwSignal::new(opened.remaining_periods.clone());
    let last_due = RwSignal::new(opened.last_due_date.clone());
    let payment = RwSignal::new(opened.monthly_payment.clone());
    let loan = Memo::new(move |_| {
        let terms = SharedPlan {
            balance: balance.get(),
            annual_rate: rate.get(),
            remaining_periods: periods.get(),
            last_due_date: last_due.get(),
            monthly_payment: payment.get(),
            due_day: opened.due_day,
            ..SharedPlan::default()
        };
        public_loan(&terms, method.get())
    });
    let loan_error = move || {
        (!balance.with(String::is_empty))
            .then(|| loan.with(|l| l.as_ref().err().map(|e| e.message.clone())))
            .flatten()
    };
    let scenarios = Scenarios::from_inputs(&opened.scenarios);
    let field =
        |id: &'static str, label: &'static str, value: RwSignal<String>, mode: &'static str| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type="text" inputmode=mode autocomplete="off" bind:value=value />
                </div>
            }
        };
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h1 id="plan-title">"还款规划"</h1>
            <p class="hint">"无需登录。输入贷款当前情况，添加多次部分提前还本、利率调整，比较最多三个方案，或测算达到目标所需的提前还本金额。结果仅供参考，以办理时公积金中心核算为准。"</p>
            <form class="trial" on:submit=move |ev| ev.prevent_default()>
                <div class="field">
                    <label for="plan-method">"还款方式"</label>
                    <select id="plan-method" prop:value=move || method.get().label() on:change=move |ev| {
                        let chosen = [RepaymentMethod::EqualInstallment, RepaymentMethod::EqualPrincipal]
                            .into_iter().find(|m| m.label() == event_target_value(&ev));
                        method.set(chosen.unwrap_or(RepaymentMethod::EqualInstallment));
                    }>
                        <option value=RepaymentMethod::EqualInstallment.label()>{RepaymentMethod::EqualInstallment.label()}</option>
                        <option value=RepaymentMethod::EqualPrincipal.label()>{RepaymentMethod::EqualPrincipal.label()}</option>
                    </select>
                </div>
                {field("plan-balance", "贷款余额（元）", balance, "decimal")}
                {field("plan-rate", "年利率（%）", rate, "decimal")}
                {field("plan-periods", "剩余期数", periods, "numeric")}
                <div class="field">
                    <label for="plan-last-due">"上次还款日"</label>
                    <input id="plan-last-due" type="date" bind:value=last_due />
                </div>
                <div class="field">
                    <label for="plan-payment">{move || if method.get() == RepaymentMethod::EqualPrincipal {
                        "每月本金（元，选填：按贷款合同；不填则按公式计算）"
                    } else {
                        "月还款额（元，选填：按贷款合同；不填则按公式计算）"
                    }}</label>
                    <input id="plan-payment" type="text" inputmode="decimal" autocomplete="off" bind:value=payment />
                </div>
                <p class="form__message" role="alert">{loan_error}</p>
            </form>
            <Planner loan=Signal::derive(move || loan.get().ok()) scenarios />
        </section>
    }
}

/// `/loans/<no>/plan`: the citizen's own loan, as the fund holds it.
#[component]
pub fn LoanPlan() -> impl IntoView {
    let no = borrower_no();
    let detail = LocalResource::new(move || {
        let no = no.clone();
        async move { crate::api::loan(&no).await }
    });
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="plan-title">
                <h1 id="plan-title">"还款规划"</h1>
                {move || detail.get().map(|result| match result {
                    Err(error) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Ok(detail) => {
                        let loan = detail.engine.clone();
                        view! {
                            <crate::components::figures::MemberHeaderView header=detail.header.clone() />
                            <p class="hint">{format!(
                                "借款合同号 {}（{}）：贷款余额 {} 元，年利率 {}%，剩余 {} 期，{}，上次还款日 {}。在下面添加事项，结果立即按公积金中心的规则计算（仅供参考）。",
                                detail.summary.borrower_no,
                                loan.method.label(),
                                crate::components::figures::yuan(loan.balance),
                                loan.annual_rate.normalize(),
                                loan.remaining_periods,
                                match loan.method {
                                    RepaymentMethod::EqualInstallment => format!("月还款额 {} 元", crate::components::figures::yuan(loan.monthly_payment)),
                                    RepaymentMethod::EqualPrincipal => format!(
                                        "每月本金 {} 元（下期应还 {} 元，利息逐月减少）",
                                        crate::components::figures::yuan(loan.monthly_payment),
                                        crate::components::figures::yuan(loan.schedule().rows.first().map_or(loan.monthly_payment, |r| r.installment)),
                                    ),
                                },
                                shared::date::compact(loan.last_due_date),
                            )}</p>
                            <Planner loan=Signal::derive(move || Some(loan.clone())) scenarios=Scenarios::from_inputs(&[]) />
                        }.into_any()
                    }
                })}
            </section>
        </LoanFrame>
    }
}

/// The planner on a loan: the scenarios' events, their plans, the goal, the schedule.
#[component]
fn Planner(loan: Signal<Option<Loan>>, scenarios: Scenarios) -> impl IntoView {
    let plans = Memo::new(move |_| {
        let Some(loan) = loan.get() else {
            return Vec::new();
        };
        let started = output::now();
        let plans = scenarios
            .inputs()
            .into_iter()
            .map(|inputs| {
                shared::plan::parse_events(&loan, &inputs)
                    .and_then(|events| shared::plan::run(&loan, &events).map(|plan| (events, plan)))
            })
            .collect::<Vec<_>>();
        output::PLAN_MS.set(output::now() - started);
        plans
    });
    let share = move || {
        let loan = loan.get()?;
        let shared = SharedPlan {
            method: Some(loan.method),
            balance: loan.balance.to_string(),
            annual_rate: loan.annual_rate.normalize().to_string(),
            remaining_periods: loan.remaining_periods.to_string(),
            last_due_date: loan.last_due_date.to_string(),
            monthly_payment: loan.monthly_payment.to_string(),
            due_day: Some(loan.due_day()),
            scenarios: scenarios.inputs(),
        };
        let origin = web_sys::window()?.location().origin().ok()?;
        Some(format!("{origin}/plan#plan={}", shared.encode()))
    };
    view! {
        <events::Editor scenarios plans loan />
        <output::Results loan scenarios plans />
        <output::GoalSeeker loan scenarios plans />
        <div class="field plan-share no-print">
            <label for="plan-share">"分享链接（只含贷款数字与事项，不含姓名、合同号等个人信息；在公开的还款规划中打开）"</label>
            <input id="plan-share" type="text" readonly prop:value=move || share().unwrap_or_default() />
        </div>
        <details class="note">
            <summary>"说明：怎么算"</summary>
            <ul>
                <li>"部分提前还本：按办理时的试算规则（金额为1000的倍数，日期须在两个约定还款日之间），提前还本利息按30/360天数计算。"</li>
                <li>"利率调整：生效日期之后的第一个约定还款日（含当日）仍按原利率还款；该期之后按新利率、以剩余期数重新计算月还款额，到期日期不变（等额本金：每月本金不变，利息按新利率）。未填生效日期时按公积金中心规则：存量贷款于次年1月1日调整。"</li>
                <li>"同一天的多个事项按添加的先后顺序办理。"</li>
                <li>"每期利息 = 上期余额 × 年利率 ÷ 12，四舍五入到分；最后一期还清全部余额。节省利息与不做任何变更相比。"</li>
                <li>"目标测算：在所选日期提前还本的最小金额（1000的倍数），逐一按上述规则精确计算得出。"</li>
            </ul>
        </details>
    }
}
