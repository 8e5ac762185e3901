//! 提取 — the seed's withdrawal home: 提取材料列表 with 新增提取材料, 账户余额 and 账户状态, and
//! 退休销户提取 of the whole balance to the member's own card. Every unmet condition is listed (from
//! `shared::withdrawal`, checked again by the server) and 提交 stays disabled until none is left.

mod housing;

use crate::api;
use crate::components::figures::{yuan, MemberHeaderView};
use crate::components::submit::{outcome, ConfirmDialog, Outcome, OutcomeView};
use crate::layout::Frame;
use leptos::prelude::*;
use shared::application::{Figure, Figures, WithdrawalFigures};
use shared::withdrawal::housing::{allowance_for, usable_materials, Business};
use shared::withdrawal::{
    Material, NewMaterial, WithdrawalHome, WithdrawalSubmission, MATERIAL_REASONS,
};

#[component]
pub fn Withdrawal() -> impl IntoView {
    let home = LocalResource::new(api::withdrawal_home);
    // The page reloads its data after a 撤销 (the match below shadows the name).
    let home_resource = home;
    view! {
        <Frame current="提取">
            <section class="card" aria-labelledby="withdrawal-title">
                <h1 id="withdrawal-title">"提取"</h1>
                {move || match home.get() {
                    None => view! { <p class="loading">"正在加载……"</p> }.into_any(),
                    Some(Ok(home)) => view! {
                        <WithdrawalForm home on_changed=Callback::new(move |_| home_resource.refetch()) />
                    }.into_any(),
                    Some(Err(error)) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                }}
            </section>
        </Frame>
    }
}

#[component]
fn WithdrawalForm(home: WithdrawalHome, on_changed: Callback<()>) -> impl IntoView {
    let materials = RwSignal::new(home.materials.clone());
    let adding = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let amount = home.amount;
    let blocked = !home.unmet.is_empty() || home.pending.is_some() || home.refusal.is_some();
    let housing_locked = RwSignal::new(home.pending.is_some() || home.refusal.is_some());
    let chosen = RwSignal::new(None::<(Business, Option<String>)>);
    let (facts, policy) = (home.housing.clone(), home.housing_policy);
    let card = home
        .card
        .as_ref()
        .map(|c| format!("{} {}（{}）", c.bank, c.number, c.holder))
        .unwrap_or_else(|| "未关联".into());
    let rows = Signal::derive({
        let card = card.clone();
        move || {
            vec![
                ("业务名称", "退休销户提取".to_owned()),
                (
                    "办理结果",
                    "提取账户全部余额，账户销户（不可恢复）".to_owned(),
                ),
                (Figure::WithdrawalAmount.label(), yuan(amount)),
                (Figure::Card.label(), card.clone()),
            ]
        }
    });
    let shown = Figures::Withdrawal(WithdrawalFigures {
        amount,
        card: home.card.as_ref().map(|c| c.number.clone()),
    });
    let submit = move || {
        let shown = shown.clone();
        let body = WithdrawalSubmission {
            amount,
            idempotency_key: key.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = api::submit_withdrawal(&body).await;
            sent.set(Some(outcome(result, &shown)));
        });
    };
    let accepted = move || matches!(sent.get(), Some(Outcome::Accepted(_)));
    let usable = {
        let facts = facts.clone();
        move |m: &Material| {
            allowance_for(Business::Purchase, Some(m), &facts, &policy).is_ok()
                && usable_materials(std::slice::from_ref(m)).next().is_some()
        }
    };
    view! {
        <MemberHeaderView header=home.header name_label="个人姓名：" />
        <h2>"可办理的提取业务"</h2>
        {home.refusal.clone().map(|message| view! {
            <p class="notice notice--warning" role="note">{format!("当前不能提交：{message}。")}</p>
        })}
        {home.pending.clone().map(|no| view! { <PendingWithdrawal application_no=no on_cancelled=on_changed /> })}
        <housing::Offers facts=facts.clone() policy materials chosen locked=housing_locked
            locked_before=home.pending.is_some() || home.refusal.is_some()
            retirement=match shared::withdrawal::retirement_refusal(&home.unmet) {
                None if home.amount > rust_decimal::Decimal::ZERO => Ok(home.amount),
                None => Err("账户余额为0，无需提取。".to_owned()),
                Some(_) => Err(shared::withdrawal::housing::why_not(&home.unmet)),
            } />
        <h2>"提取材料列表："</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="提取材料列表">
            <table class="table">
                <thead><tr><th>"选择"</th><th>"提取材料编号"</th><th>"提取原因"</th><th>"地址"</th><th>"提取限额(元)"</th><th>"剩余额度"</th><th>"材料状态"</th></tr></thead>
                <tbody>
                    {move || materials.with(Vec::is_empty).then(|| view! {
                        <tr><td colspan="7" class="empty">"暂无提取材料。购房提取须先新增提取材料。"</td></tr>
                    })}
                    {move || materials.get().into_iter().map(|m| {
                        let can = usable(&m);
                        let no = m.material_no.clone();
                        view! {
                            <tr>
                                <td><button type="button" class="button button--small" disabled=move || !can || housing_locked.get()
                                    aria-label=format!("选择 {}", m.material_no)
                                    on:click=move |_| chosen.set(Some((Business::Purchase, Some(no.clone()))))>"选择"</button></td>
                                <td class="nowrap">{m.material_no}</td><td>{m.reason}</td><td>{m.address}</td>
                                <td class="num">{yuan(m.limit)}</td><td class="num">{yuan(m.remaining)}</td>
                                <td>{m.status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">"【选择】用于购房提取：材料状态须为有效、剩余额度大于0，提取原因为购买自住住房或建造、翻建、大修自住住房；其他提取原因请办理对应业务或到柜台办理。"</p>
        <Show when=move || !adding.get() fallback=move || view! { <MaterialForm materials adding /> }>
            <button type="button" class="button button--link" on:click=move |_| adding.set(true)>"新增提取材料"</button>
        </Show>
        {
            let (facts, card) = (facts.clone(), card.clone());
            move || chosen.get().map(|_| view! {
                <housing::HousingForm facts=facts.clone() policy materials chosen card=card.clone() locked=housing_locked />
            })
        }
        <h2 id="retirement-title">"退休销户提取"</h2>
        <dl class="facts facts--inline">
            <dt>"账户余额："</dt><dd>{yuan(home.balance)}</dd>
            <dt>"账户状态："</dt><dd>{home.account_status.label()}</dd>
            <dt>"收款储蓄卡："</dt><dd>{card}</dd>
            <dt id="amount-label">"提取金额："</dt><dd aria-labelledby="amount-label">{yuan(amount)}</dd>
        </dl>
        <p class="hint">"退休销户提取须提取账户全部余额，并转入本人名下正常储蓄卡。"</p>
        {(!home.unmet.is_empty()).then(|| view! {
            <div class="notice notice--warning notice--block" role="note" aria-label="不符合条件">
                <p>"您暂不符合退休销户提取条件："</p>
                <ul>{home.unmet.iter().map(|e| view! { <li>{e.message.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="actions">
            <button type="button" class="button button--primary" disabled=move || { blocked || accepted() }
                on:click=move |_| { key.set(api::idempotency_key()); sent.set(None); confirm.set(true); }>"提交"</button>
        </div>
        <ConfirmDialog open=confirm title="确认退休销户提取" rows on_confirm=Callback::new(move |_| submit()) />
        <OutcomeView outcome=sent />
        <p class="note">"注：退休提取，账户状态须为封存，且男 60 岁以上、女 55 岁以上；账户信息中有关联本人名下正常储蓄卡号。（银行不限）"</p>
    }
}

/// 新增提取材料: 提取原因 from the fund's list, 地址, 提取限额(元).
#[component]
fn MaterialForm(materials: RwSignal<Vec<Material>>, adding: RwSignal<bool>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let limit = RwSignal::new(String::new());
    let error = RwSignal::new(None::<shared::ApiError>);
    // One key for this form: pressing 保存 again after a lost answer cannot add it twice.
    let key = StoredValue::new(api::idempotency_key());
    let save = Action::new_local(move |new: &NewMaterial| {
        let new = new.clone();
        async move { api::add_material(&new).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(material)) => {
            materials.update(|m| m.push(material));
            adding.set(false);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let message_for = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref() == Some(field))
                    .map(|e| e.message.clone())
            })
        }
    };
    // A field's message goes as soon as the field is changed.
    let changed = move |field: &'static str| {
        if error.with_untracked(|e| {
            e.as_ref()
                .is_some_and(|e| e.field.as_deref() == Some(field))
        }) {
            error.set(None);
        }
    };
    view! {
        <form class="subform" aria-label="新增提取材料" on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            save.dispatch(NewMaterial {
                reason: reason.get(),
                address: address.get(),
                limit: limit.get(),
                idempotency_key: key.get_value(),
            });
        }>
            <h3>"新增提取材料"</h3>
            <div class="field">
                <label for="reason">"提取原因"</label>
                <select id="reason" on:change=move |ev| { reason.set(event_target_value(&ev)); changed("reason"); }>
                    <option value="">"请选择"</option>
                    {MATERIAL_REASONS.into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                </select>
                <span class="field__error">{message_for("reason")}</span>
            </div>
            <div class="field">
                <label for="address">"地址"</label>
                <input id="address" type="text" bind:value=address on:input=move |_| changed("address") />
                <span class="field__error">{message_for("address")}</span>
            </div>
            <div class="field">
                <label for="limit">"提取限额(元)"</label>
                <input id="limit" type="text" inputmode="decimal" bind:value=limit on:input=move |_| changed("limit") />
                <span class="field__error">{message_for("limit")}</span>
            </div>
            <p class="form__message" role="alert">{move || error.with(|e| e.as_ref().filter(|e| e.field.is_none()).map(|e| e.message.clone()))}</p>
            <p class="form__message" role="alert">{move || {
                error.with(|e| e.as_ref().filter(|e| e.field.is_none()).map(|e| e.message.clone()))
            }}</p>
            <div class="actions">
                <button type="submit" class="button button--primary">"保存"</button>
                <button type="button" class="button" on:click=move |_| adding.set(false)>"取消"</button>
            </div>
        </form>
    }
}

/// A withdrawal 受理中: it can be cancelled here (as in 业务进度查询) until the end-of-day run
/// takes it; the server decides which came first.
#[component]
fn PendingWithdrawal(application_no: String, on_cancelled: Callback<()>) -> impl IntoView {
    let confirm = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let rows = Signal::derive({
        let no = application_no.clone();
        move || vec![("申请编号", no.clone())]
    });
    let cancel = {
        let no = application_no.clone();
        move || {
            let no = no.clone();
            leptos::task::spawn_local(async move {
                match api::cancel(&no).await {
                    Ok(_) => on_cancelled.run(()),
                    Err(e) => error.set(Some(e.message)),
                }
            });
        }
    };
    view! {
        <div class="notice notice--warning" role="note" aria-label="受理中的提取">
            <p>
                {format!("您已有受理中的提取业务（申请编号 {application_no}），办结前不能再次提交；日终处理前可以撤销。")}
                <a href="/progress">"业务进度查询"</a>
            </p>
            <button type="button" class="button" on:click=move |_| { error.set(None); confirm.set(true); }>"撤销"</button>
        </div>
        <p class="form__message" role="alert">{move || error.get()}</p>
        <ConfirmDialog open=confirm title="确认撤销" rows on_confirm=Callback::new(move |_| cancel()) />
    }
}
