//! 变更还款账号: the new savings account twice; holder and bank stay the borrower's and the current
//! bank's. Takes effect at once after the confirmation.

use super::{borrower_no, BusinessPage, MemberHeaderView};
use crate::api;
use crate::components::submit::{outcome, ConfirmDialog, Outcome, OutcomeView, RefusalNote};
use leptos::prelude::*;
use shared::application::{ChangeFigures, Figure, Figures};
use shared::loan::wire::{ChangeAccountSubmission, LoanDetail};
use shared::member::CardNumber;

#[component]
pub fn ChangeAccount() -> impl IntoView {
    view! { <BusinessPage tab="变更还款账号" form=|detail, context| view! { <AccountForm detail refusal=context.account_change_refusal /> }.into_any() /> }
}

#[component]
fn AccountForm(detail: LoanDetail, refusal: Option<String>) -> impl IntoView {
    let blocked = refusal.is_some();
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let card = detail.repayment_card.clone();
    let check = move || -> Result<CardNumber, String> {
        let new = CardNumber::parse(
            "new_account",
            "变更后还款储蓄账户账号",
            &first.get_untracked(),
        )
        .map_err(|e| e.message)?;
        let repeat = CardNumber::parse(
            "new_account_again",
            "再次输入的账号",
            &again.get_untracked(),
        )
        .map_err(|e| e.message)?;
        if new != repeat {
            return Err("两次输入的账号不一致".into());
        }
        Ok(new)
    };
    let rows = Signal::derive({
        let card = card.clone();
        move || {
            vec![
                ("变更后还款储蓄账户开户人名称", card.holder.clone()),
                (Figure::NewAccount.label(), shared::mask::card(&first.get())),
                (Figure::Bank.label(), card.bank.clone()),
            ]
        }
    });
    let submit = move || {
        let body = ChangeAccountSubmission {
            new_account: first.get_untracked(),
            new_account_again: again.get_untracked(),
            idempotency_key: key.get_untracked(),
        };
        let no = borrower_no();
        leptos::task::spawn_local(async move {
            let result = api::change_account(&no, &body).await;
            // Done at once: never answered with changed figures.
            let shown = Figures::ChangeAccount(ChangeFigures {
                bank: String::new(),
                holder: String::new(),
            });
            sent.set(Some(outcome(result, &shown)));
        });
    };
    view! {
        <MemberHeaderView header=detail.header.clone() />
        <RefusalNote refusal trial_note="" />
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            match check() {
                Ok(_) => { message.set(None); key.set(api::idempotency_key()); sent.set(None); confirm.set(true); }
                Err(e) => message.set(Some(e)),
            }
        }>
            <table class="table table--figures">
                <tbody>
                    <tr><th scope="row">"当前还款储蓄账户开户人名称"</th><td>{card.holder.clone()}</td></tr>
                    <tr><th scope="row">"当前还款储蓄账户账号"</th><td>{card.number.clone()}</td></tr>
                    <tr><th scope="row">"当前还款储蓄账户开户银行"</th><td>{card.bank.clone()}</td></tr>
                    <tr><th scope="row">"变更后还款储蓄账户开户人名称"</th><td>{card.holder.clone()}</td></tr>
                </tbody>
            </table>
            <div class="field">
                <label for="new-account">"变更后还款储蓄账户账号"</label>
                <input id="new-account" type="text" inputmode="numeric" autocomplete="off" bind:value=first
                    on:input=move |_| message.set(None) />
                <span class="hint">"请输入与当前开户行、开户人名称相同的储蓄账号"</span>
            </div>
            <div class="field">
                <label for="new-account-again">"再次输入变更后还款储蓄账户账号"</label>
                <input id="new-account-again" type="text" inputmode="numeric" autocomplete="off" bind:value=again
                    on:input=move |_| message.set(None) />
            </div>
            <table class="table table--figures">
                <tbody><tr><th scope="row">"变更后还款储蓄账户开户行"</th><td>{card.bank.clone()}</td></tr></tbody>
            </table>
            <p class="form__message" role="alert">{move || message.get()}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=blocked
                    aria-describedby=blocked.then_some("refusal")>"提交"</button>
                <button type="button" class="button" on:click=move |_| { first.set(String::new()); again.set(String::new()); message.set(None); }>"重置"</button>
            </div>
        </form>
        <ConfirmDialog open=confirm title="确认变更还款账号" rows on_confirm=Callback::new(move |_| submit()) />
        <OutcomeView outcome=sent />
        <aside class="note-box">
            <h2>"温馨提示"</h2>
            <ol>
                <li>"约定还款日当天不得办理变更还款账户业务。"</li>
                <li>"变更后的还款账户须借款人本人名下储蓄账户，姓名中有生僻字的请到柜台办理变更业务，如因开户人名称不一致导致扣款失败，责任由借款人本人承担。"</li>
                <li>"请保证账户状态正常，在约定还款日前存入足额还款额。"</li>
            </ol>
        </aside>
    }
}
