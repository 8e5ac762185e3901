//! 提前结清贷款: 约定还款日, 当前账务日期, 提前结清本金/利息, 提前还款总额, 退还利息, with the manual's
//! 说明. The trial works in a blackout (it is only a calculation); the page says when submitting
//! will be possible.

use super::funding::{funding_ok, with_funding};
use super::{borrower_no, yuan, BusinessPage, MemberHeaderView};
use crate::api;
use crate::components::figures::reservation_rows;
use crate::components::submit::{
    outcome, ConfirmDialog, FiguresTable, Outcome, OutcomeView, RefusalNote,
};
use leptos::prelude::*;
use shared::application::{Figure, Figures};
use shared::date::{compact, parse_date};
use shared::loan::trial::{settlement, SettlementTrial};
use shared::loan::wire::{LoanDetail, SettlementSubmission, TrialContext};
use shared::withdrawal::housing::FundingSource;

#[component]
pub fn Settlement() -> impl IntoView {
    view! { <BusinessPage tab="提前结清贷款" form=|detail, context| view! { <SettlementForm detail context /> }.into_any() /> }
}

#[component]
fn SettlementForm(detail: LoanDetail, context: TrialContext) -> impl IntoView {
    let loan = StoredValue::new(detail.engine.clone());
    // In a blackout no date is on offer for submitting, but the trial still works on any date
    // before the next due date.
    let offered = if context.settlement_dates.is_empty() {
        context.prepayment_dates.clone()
    } else {
        context.settlement_dates.clone()
    };
    let first = offered.first().map(|d| d.to_string()).unwrap_or_default();
    let date = RwSignal::new(first);
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let source = RwSignal::new(FundingSource::Own);
    let ctx = StoredValue::new(context.clone());
    let trial = Memo::new(move |_| {
        loan.with_value(|l| {
            parse_date("date", "约定还款日", &date.get()).and_then(|d| settlement(l, d))
        })
    });
    let business_date = compact(context.business_date);
    let results = Signal::derive(move || {
        trial.with(|t| {
            let show = |pick: fn(&SettlementTrial) -> String| {
                t.as_ref().map(pick).unwrap_or_else(|_| "—".into())
            };
            vec![
                ("当前账务日期", business_date.clone()),
                (
                    Figure::SettlementPrincipal.label(),
                    show(|t| yuan(t.principal)),
                ),
                (
                    Figure::SettlementInterest.label(),
                    show(|t| yuan(t.interest)),
                ),
                (Figure::Total.label(), show(|t| yuan(t.total))),
                (
                    Figure::RefundInterest.label(),
                    show(|t| yuan(t.refund_interest)),
                ),
            ]
        })
    });
    // The manual's 预约 block under 选择还款方式.
    let reservation = Signal::derive(move || {
        trial.with(|t| {
            reservation_rows(
                t.as_ref()
                    .ok()
                    .map(|t| [t.total, t.principal, t.interest, t.refund_interest]),
            )
        })
    });
    let rows = Signal::derive(move || {
        let rows = trial.with(|t| match t {
            Ok(t) => vec![
                ("约定还款日", date.get().replace('-', "")),
                (Figure::SettlementPrincipal.label(), yuan(t.principal)),
                (Figure::SettlementInterest.label(), yuan(t.interest)),
                (Figure::Total.label(), yuan(t.total)),
                (Figure::RefundInterest.label(), yuan(t.refund_interest)),
            ],
            Err(_) => Vec::new(),
        });
        with_funding(
            &ctx.get_value(),
            source.get(),
            trial.with(|t| t.as_ref().ok().map(|t| t.total)),
            rows,
        )
    });
    let submit = move || {
        let Ok(shown) = trial.get_untracked() else {
            return;
        };
        let body = SettlementSubmission {
            date: date.get_untracked(),
            shown: shown.clone(),
            idempotency_key: key.get_untracked(),
            source: source.get_untracked(),
            from_fund: super::funding::shown_from_fund(
                &ctx.get_value(),
                source.get_untracked(),
                Some(shown.total),
            ),
        };
        let no = borrower_no();
        leptos::task::spawn_local(async move {
            let result = api::submit_settlement(&no, &body).await;
            sent.set(Some(outcome(result, &Figures::Settlement(shown))));
        });
    };
    let accepted = move || matches!(sent.get(), Some(Outcome::Accepted(_)));
    let blocked = context.settlement_refusal.is_some();
    view! {
        <MemberHeaderView header=detail.header.clone() />
        <RefusalNote refusal=context.settlement_refusal.clone() />
        <form class="trial" on:submit=move |ev| ev.prevent_default()>
            <div class="field">
                <label for="date">"约定还款日"</label>
                <select id="date" on:change=move |ev| date.set(event_target_value(&ev))>
                    {offered.iter().map(|d| view! { <option value=d.to_string()>{compact(*d)}</option> }).collect_view()}
                </select>
            </div>
            <p class="form__message" role="alert">{move || trial.with(|t| t.as_ref().err().map(|e| e.message.clone()))}</p>
            <FiguresTable label="试算结果" rows=results />
            <crate::components::figures::Workings workings=Signal::derive(move || {
                let day = parse_date("date", "约定还款日", &date.get()).ok();
                match (trial.get(), day) {
                    (Ok(t), Some(day)) => loan.with_value(|l| shared::loan::working::settlement(l, day, &t)),
                    _ => Vec::new(),
                }
            }) />
            <div class="field">
                <label for="method">"选择还款方式"</label>
                <select id="method"><option value="reserve">"预约"</option></select>
            </div>
            <FiguresTable label="预约" rows=reservation />
            <super::funding::Funding context=ctx.get_value() source total=Signal::derive(move || trial.with(|t| t.as_ref().ok().map(|t| t.total))) />
            <div class="actions">
                <button type="submit" class="button">"试算"</button>
                <button type="button" class="button button--primary" disabled=move || { blocked || trial.with(Result::is_err) || accepted() || !funding_ok(&ctx.get_value(), source.get(), trial.with(|t| t.as_ref().ok().map(|t| t.total))) }
                    aria-describedby=blocked.then_some("refusal")
                    on:click=move |_| { key.set(api::idempotency_key()); sent.set(None); confirm.set(true); }>"提交"</button>
                <button type="button" class="button" on:click=move |_| sent.set(None)>"重置"</button>
            </div>
        </form>
        <ConfirmDialog open=confirm title="确认提前结清贷款" rows on_confirm=Callback::new(move |_| submit()) />
        <OutcomeView outcome=sent />
        <aside class="note-box">
            <h2>"说明"</h2>
            <ol>
                <li>{format!("提前结清涉及贷款利息计算，仅在工作日 {} 间提供办理。", context.settlement_hours)}</li>
                <li>{format!("每年{}及约定还款日前一天和约定还款日当天不能办理提前结清业务。", context.settlement_blackout)}</li>
                <li>"公积金账户须有未结清的贷款。"</li>
            </ol>
        </aside>
    }
}
