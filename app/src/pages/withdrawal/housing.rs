//! 购房提取, 租房提取, 偿还贷款提取（按年）: the businesses the citizen can do today and, for the
//! others, why not (each from `shared::withdrawal::housing` on the facts the server sent), and the
//! form: 可提取金额 with each limit and the one that binds, 提取金额 checked as it is typed, 提交
//! after the confirmation. The server decides again, and the end-of-day run once more.

use crate::api;
use crate::components::figures::yuan;
use crate::components::submit::{ConfirmDialog, Outcome, OutcomeView};
use leptos::prelude::*;
use shared::application::Figure;
use shared::withdrawal::housing::{
    allowance_for, check_amount, offers, why_not, Business, HousingFacts, HousingPolicy,
    HousingSubmission,
};
use shared::withdrawal::Material;

/// What the citizen chose: the business, and for 购房提取 the material.
pub type Choice = Option<(Business, Option<String>)>;

/// 可办理的提取业务: one line per business, 可提取金额 and 办理, or why not in one sentence.
#[component]
pub fn Offers(
    facts: HousingFacts,
    policy: HousingPolicy,
    materials: RwSignal<Vec<Material>>,
    chosen: RwSignal<Choice>,
    /// An application is open (or was just accepted): nothing more until it is done.
    locked: RwSignal<bool>,
    /// Locked when the page was read (an open application, or outside hours): said above already.
    locked_before: bool,
    /// 退休销户提取: the whole balance, or why not.
    retirement: Result<rust_decimal::Decimal, String>,
) -> impl IntoView {
    let lines = move || {
        let facts = facts.clone();
        materials.with(|list| offers(list, &facts, &policy))
    };
    let retirement_class = if retirement.is_ok() {
        "offer offer--yes"
    } else {
        "offer"
    };
    let to_retirement = move |_| {
        if let Some(section) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("retirement-title"))
        {
            section.scroll_into_view();
        }
    };
    view! {
        {move || (locked.get() && !locked_before).then(|| view! {
            <p class="notice notice--warning" role="note">
                "提取业务已受理，办结或撤销前不能再次提交。"<a href="/progress">"业务进度查询"</a>
            </p>
        })}
        <ul class="offers" aria-label="可办理的提取业务">
            {move || lines().into_iter().map(|(business, result)| {
                let name = business.label();
                match result {
                    Ok(allowance) => view! {
                        <li class="offer offer--yes">
                            <strong>{name}</strong>
                            <span>{format!("{}可提取金额 {} 元", if business == Business::Purchase { "最高" } else { "" }, yuan(allowance.max))}</span>
                            {(business != Business::Purchase).then(|| view! {
                                <button type="button" class="button" disabled=move || locked.get()
                                    on:click=move |_| chosen.set(Some((business, None)))>{format!("办理{name}")}</button>
                            })}
                            {(business == Business::Purchase).then(|| view! {
                                <span class="hint">"在下方提取材料列表中点击【选择】办理"</span>
                            })}
                        </li>
                    }.into_any(),
                    Err(errors) => view! {
                        <li class="offer">
                            <strong>{name}</strong>
                            <span>{format!("暂不能办理：{}", why_not(&errors))}</span>
                        </li>
                    }.into_any(),
                }
            }).collect_view()}
            <li class=retirement_class>
                <strong>"退休销户提取"</strong>
                {match retirement {
                    Ok(amount) => view! {
                        <span>{format!("提取全部余额 {} 元并销户", yuan(amount))}</span>
                        <button type="button" class="button" on:click=to_retirement>"办理退休销户提取"</button>
                    }.into_any(),
                    Err(why) => view! { <span>{format!("暂不能办理：{why}")}</span> }.into_any(),
                }}
            </li>
        </ul>
    }
}

/// The form of the business chosen.
#[component]
pub fn HousingForm(
    facts: HousingFacts,
    policy: HousingPolicy,
    materials: RwSignal<Vec<Material>>,
    chosen: RwSignal<Choice>,
    card: String,
    locked: RwSignal<bool>,
) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let (business, material_no) = chosen.get_untracked().unwrap_or_default();
    let material = materials.with_untracked(|list| {
        material_no
            .as_ref()
            .and_then(|no| list.iter().find(|m| &m.material_no == no).cloned())
    });
    let allowance = allowance_for(business, material.as_ref(), &facts, &policy);
    let reason = material
        .as_ref()
        .map_or(business.reason().to_owned(), |m| m.reason.clone());
    let title = business.title(&reason);
    let error = {
        let allowance = allowance.clone();
        move || {
            let typed = amount.get();
            match &allowance {
                _ if typed.trim().is_empty() => None,
                Ok(a) => check_amount(&typed, a).err().map(|e| e.message),
                Err(_) => None,
            }
        }
    };
    let ready = Signal::derive({
        let allowance = allowance.clone();
        move || {
            allowance
                .as_ref()
                .is_ok_and(|a| check_amount(&amount.get(), a).is_ok())
        }
    });
    let rows = Signal::derive({
        let (title, reason, card) = (title.clone(), reason.clone(), card.clone());
        let material_no = material_no.clone();
        move || {
            let mut rows = vec![
                ("业务名称", title.clone()),
                (Figure::WithdrawalReason.label(), reason.clone()),
            ];
            if let Some(no) = &material_no {
                rows.push((Figure::Material.label(), no.clone()));
            }
            let typed = amount.get();
            let shown = shared::money::parse_amount("amount", "提取金额", &typed)
                .map(yuan)
                .unwrap_or(typed);
            rows.push((Figure::WithdrawalAmount.label(), shown));
            rows.push((Figure::Card.label(), card.clone()));
            rows
        }
    });
    let submit = move || {
        let body = HousingSubmission {
            business,
            material_no: material_no.clone(),
            amount: amount.get_untracked(),
            idempotency_key: key.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = api::submit_housing(&body).await;
            sent.set(Some(match result {
                Ok(view) => {
                    locked.set(true);
                    Outcome::Accepted(view)
                }
                Err(api::Rejected::Refused(e)) => Outcome::Refused(e.message),
                Err(api::Rejected::Changed(c)) => Outcome::Refused(c.message),
            }));
        });
    };
    let accepted = move || matches!(sent.get(), Some(Outcome::Accepted(_)));
    // The form opens below the list: brought into view, its heading focused (a screen reader
    // starts there, a phone shows it).
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            h.scroll_into_view();
            let _ = h.focus();
        }
    });
    view! {
        <form class="subform" aria-label=title.clone() on:submit=move |ev| {
            ev.prevent_default();
            if ready.get() {
                key.set(api::idempotency_key());
                sent.set(None);
                confirm.set(true);
            }
        }>
            <h3 node_ref=heading tabindex="-1">{title.clone()}</h3>
            <dl class="facts facts--inline">
                {material.as_ref().map(|m| view! {
                    <dt>"提取材料编号："</dt><dd>{m.material_no.clone()}</dd>
                    <dt>"提取原因："</dt><dd>{m.reason.clone()}</dd>
                })}
                <dt>"账户余额："</dt><dd>{yuan(facts.balance)}</dd>
                <dt>"收款储蓄卡："</dt><dd>{card}</dd>
                {allowance.as_ref().ok().map(|a| view! {
                    <dt id="allowance-label">"可提取金额："</dt>
                    <dd aria-labelledby="allowance-label"><strong>{format!("{} 元", yuan(a.max))}</strong></dd>
                })}
            </dl>
            {match allowance.clone() {
                Ok(a) => view! {
                    <ul class="limits" aria-label="提取限额">
                        {a.limits.into_iter().map(|l| view! {
                            <li class:binds=l.binds>
                                {format!("{}：{} 元{}", l.label, yuan(l.amount), if l.binds { "（按此计算）" } else { "" })}
                            </li>
                        }).collect_view()}
                    </ul>
                    <div class="field">
                        <label for="housing-amount">"提取金额(元)"</label>
                        <input id="housing-amount" type="text" inputmode="decimal" autocomplete="off"
                            bind:value=amount />
                        <span class="field__error" role="alert">{error.clone()}</span>
                    </div>
                }.into_any(),
                Err(errors) => view! {
                    <p class="notice notice--warning" role="note">{format!("暂不能办理：{}", why_not(&errors))}</p>
                }.into_any(),
            }}
            <div class="actions">
                <button type="submit" class="button button--primary"
                    disabled=move || !ready.get() || accepted()>"提交"</button>
                <button type="button" class="button" on:click=move |_| chosen.set(None)>"返回"</button>
            </div>
            <OutcomeView outcome=sent />
        </form>
        <ConfirmDialog open=confirm title="确认提取" rows on_confirm=Callback::new(move |_| submit()) />
    }
}
