//! The scenarios (方案一 … 方案三) and their events as the citizen types them.

use leptos::prelude::*;
use shared::loan::trial::AdjustMode;
use shared::loan::Loan;
use shared::plan::{EventInput, Plan};
use shared::ApiError;

/// The most scenarios compared side by side.
pub const MOST_SCENARIOS: usize = 3;
pub const NAMES: [&str; MOST_SCENARIOS] = ["方案一", "方案二", "方案三"];

/// One event as typed (strings, as the fields hold them).
#[derive(Clone, PartialEq)]
pub struct Draft {
    id: u32,
    rate_change: bool,
    date: String,
    amount: String,
    mode: AdjustMode,
    periods: String,
    rate: String,
}

impl Draft {
    fn input(&self) -> EventInput {
        if self.rate_change {
            EventInput::RateChange {
                effective_date: Some(self.date.clone()).filter(|d| !d.trim().is_empty()),
                annual_rate: self.rate.clone(),
            }
        } else {
            EventInput::Prepayment {
                date: self.date.clone(),
                amount: self.amount.clone(),
                mode: self.mode,
                new_remaining_periods: (self.mode == AdjustMode::NewTerm)
                    .then(|| self.periods.trim().parse().ok())
                    .flatten(),
            }
        }
    }

    fn from_input(id: u32, input: &EventInput) -> Draft {
        match input {
            EventInput::Prepayment {
                date,
                amount,
                mode,
                new_remaining_periods,
            } => Draft {
                id,
                rate_change: false,
                date: date.clone(),
                amount: amount.clone(),
                mode: *mode,
                periods: new_remaining_periods
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                rate: String::new(),
            },
            EventInput::RateChange {
                effective_date,
                annual_rate,
            } => Draft {
                id,
                rate_change: true,
                date: effective_date.clone().unwrap_or_default(),
                amount: String::new(),
                mode: AdjustMode::LowerPayment,
                periods: String::new(),
                rate: annual_rate.clone(),
            },
        }
    }
}

/// The scenarios, the one being edited, and fresh ids for new events.
#[derive(Clone, Copy)]
pub struct Scenarios {
    list: RwSignal<Vec<Vec<Draft>>>,
    pub current: RwSignal<usize>,
    next_id: StoredValue<u32>,
}

impl Scenarios {
    /// From a share link's scenarios (or none: one empty scenario).
    pub fn from_inputs(inputs: &[Vec<EventInput>]) -> Scenarios {
        let mut id = 0;
        let mut list: Vec<Vec<Draft>> = inputs
            .iter()
            .take(MOST_SCENARIOS)
            .map(|events| {
                events
                    .iter()
                    .map(|e| {
                        id += 1;
                        Draft::from_input(id, e)
                    })
                    .collect()
            })
            .collect();
        if list.is_empty() {
            list.push(Vec::new());
        }
        Scenarios {
            list: RwSignal::new(list),
            current: RwSignal::new(0),
            next_id: StoredValue::new(id + 1),
        }
    }

    /// Every scenario's events, as the engine takes them (tracked).
    pub fn inputs(&self) -> Vec<Vec<EventInput>> {
        self.list.with(|list| {
            list.iter()
                .map(|s| s.iter().map(Draft::input).collect())
                .collect()
        })
    }

    pub fn count(&self) -> usize {
        self.list.with(Vec::len)
    }

    fn fresh_id(&self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    fn add(&self, draft: Draft) {
        let current = self.current.get_untracked();
        self.list.update(|list| list[current].push(draft));
    }

    fn update(&self, id: u32, change: impl FnOnce(&mut Draft)) {
        let current = self.current.get_untracked();
        self.list.update(|list| {
            if let Some(draft) = list[current].iter_mut().find(|d| d.id == id) {
                change(draft);
            }
        });
    }

    fn read<T>(&self, id: u32, pick: impl Fn(&Draft) -> T) -> Option<T> {
        let current = self.current.get();
        self.list
            .with(|list| list.get(current)?.iter().find(|d| d.id == id).map(pick))
    }

    /// The event's position in its scenario (errors name `events[position]`).
    fn position(&self, id: u32) -> Option<usize> {
        let current = self.current.get();
        self.list
            .with(|list| list.get(current)?.iter().position(|d| d.id == id))
    }

    fn ids(&self) -> Vec<u32> {
        let current = self.current.get();
        self.list.with(|list| {
            list.get(current)
                .map(|s| s.iter().map(|d| d.id).collect())
                .unwrap_or_default()
        })
    }
}

/// The date a new prepayment starts with: twelve days after the last due date, before the next.
fn first_date(loan: Option<&Loan>) -> String {
    loan.and_then(|l| {
        let next = l.next_due_date()?;
        let day = (l.last_due_date + chrono::Days::new(12)).min(next - chrono::Days::new(1));
        Some(day.to_string())
    })
    .unwrap_or_default()
}

pub type Plans = Memo<Vec<Result<(Vec<shared::plan::Event>, Plan), ApiError>>>;

#[component]
pub fn Editor(scenarios: Scenarios, plans: Plans, loan: Signal<Option<Loan>>) -> impl IntoView {
    let add_prepayment = move |_| {
        let draft = Draft {
            id: scenarios.fresh_id(),
            rate_change: false,
            date: loan.with_untracked(|l| first_date(l.as_ref())),
            amount: String::new(),
            mode: AdjustMode::LowerPayment,
            periods: String::new(),
            rate: String::new(),
        };
        scenarios.add(draft);
    };
    let add_rate_change = move |_| {
        let draft = Draft {
            id: scenarios.fresh_id(),
            rate_change: true,
            date: String::new(),
            amount: String::new(),
            mode: AdjustMode::LowerPayment,
            periods: String::new(),
            rate: String::new(),
        };
        scenarios.add(draft);
    };
    let copy_scenario = move |_| {
        let current = scenarios.current.get_untracked();
        let mut copy = scenarios.list.with_untracked(|l| l[current].clone());
        for draft in &mut copy {
            draft.id = scenarios.fresh_id();
        }
        scenarios.list.update(|l| l.push(copy));
        scenarios.current.set(scenarios.count() - 1);
    };
    let remove_scenario = move |_| {
        let current = scenarios.current.get_untracked();
        scenarios.list.update(|l| {
            l.remove(current);
        });
        scenarios.current.set(current.saturating_sub(1));
    };
    // The error of the scenario being edited that names no event (the loan itself).
    let general_error = move || {
        plans.with(|p| {
            p.get(scenarios.current.get())?
                .as_ref()
                .err()
                .filter(|e| {
                    !e.field
                        .as_deref()
                        .unwrap_or_default()
                        .starts_with("events[")
                })
                .map(|e| e.message.clone())
        })
    };
    view! {
        <section class="plan-editor no-print" aria-labelledby="plan-events-title">
            <h2 id="plan-events-title">"事项"</h2>
            <div class="tabs" role="group" aria-label="方案">
                {move || (0..scenarios.count()).map(|i| view! {
                    <button type="button" class="tabs__tab" class:tabs__tab--active=move || scenarios.current.get() == i
                        aria-pressed=move || (scenarios.current.get() == i).to_string()
                        on:click=move |_| scenarios.current.set(i)>{NAMES[i]}</button>
                }).collect_view()}
            </div>
            <For each=move || scenarios.ids() key=|id| *id let:id>
                <EventRow scenarios plans id />
            </For>
            <p class="hint">{move || scenarios.ids().is_empty().then_some("尚未添加事项：下面的结果即贷款按现状还款。")}</p>
            <p class="form__message" role="alert">{general_error}</p>
            <div class="actions">
                <button type="button" class="button" on:click=add_prepayment>"添加部分提前还本"</button>
                <button type="button" class="button" on:click=add_rate_change>"添加利率调整"</button>
                <Show when=move || { scenarios.count() < MOST_SCENARIOS }>
                    <button type="button" class="button" on:click=copy_scenario>"复制为新方案"</button>
                </Show>
                <Show when=move || { scenarios.count() > 1 }>
                    <button type="button" class="button" on:click=remove_scenario>"删除此方案"</button>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn EventRow(scenarios: Scenarios, plans: Plans, id: u32) -> impl IntoView {
    let text =
        move |pick: fn(&Draft) -> String| move || scenarios.read(id, pick).unwrap_or_default();
    let is_rate = move || scenarios.read(id, |d| d.rate_change).unwrap_or(false);
    let number = move || scenarios.position(id).map_or(0, |p| p + 1);
    let error = move |field: &'static str| {
        move || {
            let position = scenarios.position(id)?;
            let wanted = format!("events[{position}].{field}");
            plans.with(|p| {
                p.get(scenarios.current.get())?
                    .as_ref()
                    .err()
                    .filter(|e| e.field.as_deref() == Some(wanted.as_str()))
                    .map(|e| e.message.clone())
            })
        }
    };
    let field_id = move |name: &str| format!("event-{id}-{name}");
    view! {
        <fieldset class="plan-event">
            <legend>{move || format!("第{}项：{}", number(), if is_rate() { "利率调整" } else { "部分提前还本" })}</legend>
            <div class="field">
                <label for=field_id("date")>{move || if is_rate() { "生效日期（不填：次年1月1日）" } else { "约定还款日期" }}</label>
                <input id=field_id("date") type="date" prop:value=text(|d| d.date.clone())
                    on:input=move |ev| scenarios.update(id, |d| d.date = event_target_value(&ev)) />
                <span class="field__error">{error("date")}{error("effective_date")}</span>
            </div>
            <Show when=is_rate fallback=move || view! {
                <div class="field">
                    <label for=field_id("amount")>"提前还本金额（元，1000的倍数）"</label>
                    <input id=field_id("amount") type="text" inputmode="decimal" autocomplete="off" prop:value=text(|d| d.amount.clone())
                        on:input=move |ev| scenarios.update(id, |d| d.amount = event_target_value(&ev)) />
                    <span class="field__error">{error("amount")}</span>
                </div>
                <div class="field">
                    <label for=field_id("mode")>"调整方式"</label>
                    <select id=field_id("mode") prop:value=move || scenarios.read(id, |d| d.mode.label()).unwrap_or_default()
                        on:change=move |ev| {
                            let chosen = AdjustMode::ALL.into_iter().find(|m| m.label() == event_target_value(&ev));
                            scenarios.update(id, |d| d.mode = chosen.unwrap_or(AdjustMode::LowerPayment));
                        }>
                        {AdjustMode::ALL.into_iter().map(|m| view! { <option value=m.label()>{m.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=move || scenarios.read(id, |d| d.mode == AdjustMode::NewTerm).unwrap_or(false)>
                    <div class="field">
                        <label for=field_id("periods")>"变更后剩余期数"</label>
                        <input id=field_id("periods") type="text" inputmode="numeric" prop:value=text(|d| d.periods.clone())
                            on:input=move |ev| scenarios.update(id, |d| d.periods = event_target_value(&ev)) />
                        <span class="field__error">{error("new_remaining_periods")}</span>
                    </div>
                </Show>
            }>
                <div class="field">
                    <label for=field_id("rate")>"新年利率（%）"</label>
                    <input id=field_id("rate") type="text" inputmode="decimal" autocomplete="off" prop:value=text(|d| d.rate.clone())
                        on:input=move |ev| scenarios.update(id, |d| d.rate = event_target_value(&ev)) />
                    <span class="field__error">{error("annual_rate")}</span>
                </div>
            </Show>
            <button type="button" class="button button--small" on:click=move |_| {
                let current = scenarios.current.get_untracked();
                scenarios.list.update(|l| l[current].retain(|d| d.id != id));
            }>{move || format!("删除第{}项", number())}</button>
        </fieldset>
    }
}
