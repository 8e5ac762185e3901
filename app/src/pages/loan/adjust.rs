//! 调整月还款额: new remaining periods within the policy; the trial shows the new installment,
//! maturity and the interest difference; submitted as a reservation from the next due date.

use super::{borrower_no, yuan, LoanFrame, MemberHeaderView, Tabs};
use crate::api;
use crate::components::submit::{
    outcome, ConfirmDialog, FiguresTable, Outcome, OutcomeView, RefusalNote,
};
use leptos::prelude::*;
use shared::application::{Figure, Figures};
use shared::date::compact;
use shared::loan::trial::{adjust_term, parse_periods, AdjustTermTrial};
use shared::loan::wire::{AdjustTermSubmission, LoanDetail};
use shared::policy::Policy;
use shared::ApiError;

#[component]
pub fn AdjustTerm() -> impl IntoView {
    let no = borrower_no();
    let data = LocalResource::new(move || {
        let no = no.clone();
        async move {
            (
                api::loan(&no).await,
                api::get::<Policy>("/policy").await,
                api::trial_context(&no).await,
            )
        }
    });
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="adjust-title">
                <Tabs current="调整月还款额" />
                <h1 id="adjust-title">"调整月还款额"</h1>
                {move || match data.get() {
                    None => view! { <p class="loading">"正在加载……"</p> }.into_any(),
                    Some((Ok(detail), Ok(policy), Ok(context))) =>
                        view! { <AdjustForm detail policy refusal=context.adjust_refusal /> }.into_any(),
                    Some((Err(error), _, _)) | Some((_, Err(error), _)) | Some((_, _, Err(error))) =>
                        view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                }}
            </section>
        </LoanFrame>
    }
}

#[component]
fn AdjustForm(detail: LoanDetail, policy: Policy, refusal: Option<String>) -> impl IntoView {
    let blocked = refusal.is_some();
    let loan = StoredValue::new(detail.engine.clone());
    let policy = StoredValue::new(policy);
    let periods = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let trial = Memo::new(move |_| -> Result<AdjustTermTrial, ApiError> {
        let n = parse_periods(&periods.get())?.ok_or_else(|| {
            ApiError::field(
                "new_remaining_periods",
                "new_term_required",
                "请输入变更后剩余期数",
            )
        })?;
        loan.with_value(|l| policy.with_value(|p| adjust_term(l, n, p)))
    });
    let results = Signal::derive(move || {
        trial.with(|t| {
            let show = |pick: fn(&AdjustTermTrial) -> String| {
                t.as_ref().map(pick).unwrap_or_else(|_| "—".into())
            };
            vec![
                (
                    Figure::NewMonthlyPayment.label(),
                    show(|t| yuan(t.new_monthly_payment)),
                ),
                (
                    Figure::NewMaturityDate.label(),
                    show(|t| compact(t.new_maturity_date)),
                ),
                (
                    Figure::EffectiveDate.label(),
                    show(|t| compact(t.effective_date)),
                ),
                (
                    Figure::InterestAfter.label(),
                    show(|t| yuan(t.interest_after)),
                ),
                (
                    Figure::InterestDifference.label(),
                    show(|t| yuan(t.interest_difference)),
                ),
            ]
        })
    });
    let rows = Signal::derive(move || {
        trial.with(|t| match t {
            Ok(t) => vec![
                (
                    Figure::NewRemainingPeriods.label(),
                    t.new_remaining_periods.to_string(),
                ),
                (
                    Figure::NewMonthlyPayment.label(),
                    yuan(t.new_monthly_payment),
                ),
                (
                    Figure::NewMaturityDate.label(),
                    compact(t.new_maturity_date),
                ),
                (Figure::EffectiveDate.label(), compact(t.effective_date)),
            ],
            Err(_) => Vec::new(),
        })
    });
    let submit = move || {
        let Ok(shown) = trial.get_untracked() else {
            return;
        };
        let body = AdjustTermSubmission {
            new_remaining_periods: shown.new_remaining_periods,
            shown: shown.clone(),
            idempotency_key: key.get_untracked(),
        };
        let no = borrower_no();
        leptos::task::spawn_local(async move {
            let result = api::submit_adjust_term(&no, &body).await;
            sent.set(Some(outcome(result, &Figures::AdjustTerm(shown))));
        });
    };
    view! {
        <MemberHeaderView header=detail.header.clone() />
        <RefusalNote refusal />
        <form class="trial" on:submit=move |ev| ev.prevent_default()>
            <table class="table table--figures">
                <tbody>
                    <tr><th scope="row">"当前剩余期数"</th><td>{detail.remaining_periods}</td></tr>
                    <tr><th scope="row">"当前月还款额"</th><td>{yuan(detail.monthly_payment)}</td></tr>
                    <tr><th scope="row">"当前到期日期"</th><td>{compact(detail.maturity_date)}</td></tr>
                </tbody>
            </table>
            <div class="field">
                <label for="periods">"变更后剩余期数"</label>
                <input id="periods" type="text" inputmode="numeric" bind:value=periods />
                <span class="hint">{format!("贷款总期限不超过{}个月", policy.with_value(|p| p.max_total_term_months))}</span>
            </div>
            <p class="form__message" role="alert">{move || {
                (!periods.with(String::is_empty)).then(|| trial.with(|t| t.as_ref().err().map(|e| e.message.clone()))).flatten()
            }}</p>
            <FiguresTable label="试算结果" rows=results />
            <crate::components::figures::Workings workings=Signal::derive(move || {
                trial.get().map(|t| loan.with_value(|l| shared::loan::working::adjust_term(l, &t))).unwrap_or_default()
            }) />
            <div class="actions">
                <button type="submit" class="button">"试算"</button>
                <button type="button" class="button button--primary" disabled=move || blocked || trial.with(Result::is_err)
                    aria-describedby=blocked.then_some("refusal")
                    on:click=move |_| { key.set(api::idempotency_key()); sent.set(None); confirm.set(true); }>"提交"</button>
                <button type="button" class="button" on:click=move |_| { periods.set(String::new()); sent.set(None); }>"重置"</button>
            </div>
        </form>
        <ConfirmDialog open=confirm title="确认调整月还款额" rows on_confirm=Callback::new(move |_| submit()) />
        <OutcomeView outcome=sent />
    }
}
