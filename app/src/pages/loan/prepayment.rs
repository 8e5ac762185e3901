//! 部分提前还本: the trial runs in the browser from `shared` as soon as the inputs are valid (no
//! network round trip), with the other modes side by side and a balance chart; 提交 sends the figures
//! the citizen saw, and the server recomputes them before it accepts the reservation.

use super::chart::BalanceChart;
use super::funding::{funding_ok, with_funding};
use super::{borrower_no, yuan, BusinessPage, MemberHeaderView};
use crate::api;
use crate::components::figures::reservation_rows;
use crate::components::submit::{
    outcome, ConfirmDialog, FiguresTable, Outcome, OutcomeView, RefusalNote,
};
use leptos::prelude::*;
use shared::application::{Figure, Figures};
use shared::date::compact;
use shared::loan::compare::{after_prepayment, compare_modes, ModeComparison};
use shared::loan::trial::{
    parse_periods, prepayment, AdjustMode, PrepaymentRequest, PrepaymentTrial,
};
use shared::loan::wire::{LoanDetail, PrepaymentSubmission, TrialContext};
use shared::loan::Loan;
use shared::withdrawal::housing::FundingSource;
use shared::ApiError;

#[component]
pub fn Prepayment() -> impl IntoView {
    view! { <BusinessPage tab="部分提前还本" form=|detail, context| view! { <PrepaymentForm detail context /> }.into_any() /> }
}

pub(super) fn trial_of(
    loan: &Loan,
    date: &str,
    amount: &str,
    mode: AdjustMode,
    periods: &str,
) -> Result<PrepaymentTrial, ApiError> {
    let periods = if mode == AdjustMode::NewTerm {
        parse_periods(periods)?
    } else {
        None
    };
    let request = PrepaymentRequest::parse(loan, date, amount, mode, periods)?;
    prepayment(loan, &request)
}

/// 怎么算的 of a trial (none while the inputs are not a valid request).
pub(super) fn prepayment_workings(
    loan: &Loan,
    date: &str,
    mode: AdjustMode,
    trial: Result<PrepaymentTrial, ApiError>,
) -> Vec<shared::loan::working::Working> {
    match (trial, shared::date::parse_iso(date)) {
        (Ok(t), Some(day)) => shared::loan::working::prepayment(loan, day, mode, &t),
        _ => Vec::new(),
    }
}

fn balances(loan: &Loan) -> Vec<rust_decimal::Decimal> {
    std::iter::once(loan.balance)
        .chain(loan.schedule().rows.iter().map(|r| r.balance))
        .collect()
}

#[component]
fn PrepaymentForm(detail: LoanDetail, context: TrialContext) -> impl IntoView {
    let loan = StoredValue::new(detail.engine.clone());
    let first_date = context
        .prepayment_dates
        .first()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let date = RwSignal::new(first_date.clone());
    let mode = RwSignal::new(AdjustMode::LowerPayment);
    let periods = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let sent = RwSignal::new(None::<Outcome>);
    let key = RwSignal::new(String::new());
    let source = RwSignal::new(FundingSource::Own);
    let ctx = StoredValue::new(context.clone());

    let trial = Memo::new(move |_| {
        loan.with_value(|l| trial_of(l, &date.get(), &amount.get(), mode.get(), &periods.get()))
    });
    let comparisons = Memo::new(move |_| {
        let n = parse_periods(&periods.get()).ok().flatten();
        loan.with_value(|l| compare_modes(l, &date.get(), &amount.get(), n))
    });
    let show_errors = move || tried.get() || !amount.with(String::is_empty);
    let field_error = move |field: &'static str| {
        move || {
            show_errors()
                .then(|| {
                    trial.with(|t| {
                        t.as_ref()
                            .err()
                            .filter(|e| e.field.as_deref() == Some(field))
                            .map(|e| e.message.clone())
                    })
                })
                .flatten()
        }
    };
    let general_error = move || {
        show_errors()
            .then(|| {
                trial.with(|t| {
                    t.as_ref()
                        .err()
                        .filter(|e| {
                            !matches!(
                                e.field.as_deref(),
                                Some("amount" | "date" | "new_remaining_periods")
                            )
                        })
                        .map(|e| e.message.clone())
                })
            })
            .flatten()
    };
    let results = Signal::derive(move || {
        trial.with(|t| {
            let show = |pick: fn(&PrepaymentTrial) -> String| {
                t.as_ref().map(pick).unwrap_or_else(|_| "—".into())
            };
            vec![
                (Figure::Total.label(), show(|t| yuan(t.total))),
                (
                    Figure::PrepayInterest.label(),
                    show(|t| yuan(t.prepay_interest)),
                ),
                (
                    Figure::RefundInterest.label(),
                    show(|t| yuan(t.refund_interest)),
                ),
                (Figure::NewBalance.label(), show(|t| yuan(t.new_balance))),
                (
                    Figure::NewRemainingPeriods.label(),
                    show(|t| t.new_remaining_periods.to_string()),
                ),
                (
                    Figure::NewMonthlyPayment.label(),
                    show(|t| yuan(t.new_monthly_payment)),
                ),
                (
                    Figure::NewMaturityDate.label(),
                    show(|t| compact(t.new_maturity_date)),
                ),
            ]
        })
    });

    // The manual's 预约 block under 选择还款方式.
    let reservation = Signal::derive(move || {
        trial.with(|t| {
            reservation_rows(t.as_ref().ok().map(|t| {
                [
                    t.total,
                    t.prepay_principal,
                    t.prepay_interest,
                    t.refund_interest,
                ]
            }))
        })
    });
    let submit = move || {
        let Ok(shown) = trial.get_untracked() else {
            return;
        };
        let body = PrepaymentSubmission {
            date: date.get_untracked(),
            amount: amount.get_untracked(),
            mode: mode.get_untracked(),
            new_remaining_periods: parse_periods(&periods.get_untracked()).ok().flatten(),
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
            let result = api::submit_prepayment(&no, &body).await;
            sent.set(Some(outcome(result, &Figures::PartialPrepayment(shown))));
        });
    };
    let rows = Signal::derive(move || {
        let rows = trial.with(|t| match t {
            Ok(t) => vec![
                (
                    "约定还款日期",
                    compact(shared::date::parse_iso(&date.get()).unwrap_or_default()),
                ),
                ("调整方式", mode.get().label().to_owned()),
                (Figure::PrepayPrincipal.label(), yuan(t.prepay_principal)),
                (Figure::Total.label(), yuan(t.total)),
                (Figure::PrepayInterest.label(), yuan(t.prepay_interest)),
                (
                    Figure::NewMonthlyPayment.label(),
                    yuan(t.new_monthly_payment),
                ),
                (
                    Figure::NewRemainingPeriods.label(),
                    t.new_remaining_periods.to_string(),
                ),
                (
                    Figure::NewMaturityDate.label(),
                    compact(t.new_maturity_date),
                ),
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
    let reset = move |_| {
        date.set(first_date.clone());
        mode.set(AdjustMode::LowerPayment);
        periods.set(String::new());
        amount.set(String::new());
        tried.set(false);
        sent.set(None);
        source.set(FundingSource::Own);
    };
    let accepted = move || matches!(sent.get(), Some(Outcome::Accepted(_)));
    let blocked = context.prepayment_refusal.is_some();

    view! {
        <MemberHeaderView header=detail.header.clone() />
        <RefusalNote refusal=context.prepayment_refusal.clone() />
        <form class="trial" on:submit=move |ev| { ev.prevent_default(); tried.set(true); }>
            <table class="table table--figures">
                <tbody>
                    <tr><th scope="row">"当期应还合计"</th><td>{yuan(detail.monthly_payment)}</td></tr>
                    <tr><th scope="row">"拖欠金额合计"</th><td>{yuan(detail.arrears)}</td></tr>
                </tbody>
            </table>
            <div class="field">
                <label for="date">"约定还款日期"</label>
                <select id="date" on:change=move |ev| date.set(event_target_value(&ev)) prop:value=move || date.get()>
                    {context.prepayment_dates.iter().map(|d| view! {
                        <option value=d.to_string()>{compact(*d)}</option>
                    }).collect_view()}
                </select>
                <span class="field__error">{field_error("date")}</span>
            </div>
            <ModeFields mode periods amount error=Signal::derive(move || {
                show_errors().then(|| trial.with(|t| t.as_ref().err().cloned())).flatten()
            }) />
            <p class="form__message" role="alert">{general_error}</p>
            <FiguresTable label="试算结果" rows=results />
            <crate::components::figures::Workings workings=Signal::derive(move || {
                prepayment_workings(&loan.get_value(), &date.get(), mode.get(), trial.get())
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
                <button type="button" class="button" on:click=reset>"重置"</button>
            </div>
        </form>
        <ConfirmDialog open=confirm title="确认部分提前还本" rows on_confirm=Callback::new(move |_| submit()) />
        <OutcomeView outcome=sent />
        <Comparison loan=Signal::derive(move || Some(loan.get_value())) trial comparisons />
    }
}

/// The modes side by side for the same amount, and the balance before and after as a chart.
#[component]
pub(super) fn Comparison(
    loan: Signal<Option<Loan>>,
    trial: Memo<Result<PrepaymentTrial, ApiError>>,
    comparisons: Memo<Vec<ModeComparison>>,
) -> impl IntoView {
    view! {
        <Show when=move || !comparisons.with(Vec::is_empty)>
            <h2>"各调整方式对比"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="对比表">
                <table class="table">
                    <thead><tr><th>"调整方式"</th><th>{Figure::NewMonthlyPayment.label()}</th><th>{Figure::NewRemainingPeriods.label()}</th><th>{Figure::InterestAfter.label()}</th><th>"节省利息"</th></tr></thead>
                    <tbody>
                        {move || comparisons.get().into_iter().map(|c| view! {
                            <tr>
                                <td>{c.mode.label()}</td><td class="num">{yuan(c.trial.new_monthly_payment)}</td>
                                <td class="num">{c.trial.new_remaining_periods}</td>
                                <td class="num">{yuan(c.interest_to_pay)}</td><td class="num">{yuan(c.interest_saved)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || trial.get().ok().map(|t| {
                let (before, after) = loan.with(|l| l.as_ref().map(|l| (balances(l), balances(&after_prepayment(l, &t)))))?;
                Some(view! { <BalanceChart before after caption="剩余本金随时间变化" /> })
            })}
        </Show>
    }
}

/// 调整方式, 变更后剩余期数 (only for the third mode) and 提前还本金额, each with its error beside it:
/// the 部分提前还本 page and the public calculator ask the same.
#[component]
pub(super) fn ModeFields(
    mode: RwSignal<AdjustMode>,
    periods: RwSignal<String>,
    amount: RwSignal<String>,
    /// The error to show, if any; it is shown beside the field it names.
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let error_for = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field.as_deref() == Some(field))
                    .map(|e| e.message.clone())
            })
        }
    };
    view! {
            <div class="field">
                <label for="mode">"调整方式"</label>
                <select id="mode" on:change=move |ev| {
                    let chosen = AdjustMode::ALL.into_iter().find(|m| m.label() == event_target_value(&ev));
                    mode.set(chosen.unwrap_or(AdjustMode::LowerPayment));
                }>
                    {AdjustMode::ALL.into_iter().map(|m| view! { <option value=m.label()>{m.label()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=move || mode.get() == AdjustMode::NewTerm>
                <div class="field">
                    <label for="new-periods">"变更后剩余期数"</label>
                    <input id="new-periods" type="text" inputmode="numeric" bind:value=periods />
                    <span class="field__error">{error_for("new_remaining_periods")}</span>
                </div>
            </Show>
            <div class="field">
                <label for="amount">"提前还本金额"</label>
                <input id="amount" type="text" inputmode="decimal" autocomplete="off" bind:value=amount
                    aria-describedby="amount-understood" />
                <span class="hint">"须为1000的倍数"</span>
                // What the page understood of 10,000 / 10000.00 / full-width digits.
                <span class="hint" id="amount-understood" aria-live="polite">{move || {
                    amount.with(|text| shared::money::parse_amount("amount", "提前还本金额", text).ok())
                        .map(|value| format!("即 {} 元", super::yuan(value)))
                }}</span>
                <span class="field__error">{error_for("amount")}</span>
            </div>
    }
}
