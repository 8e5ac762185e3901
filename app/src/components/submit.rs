//! 提交 → 确认框 (确定 / 取消) → the server's answer: accepted, refused with its message, or its
//! fresh figures with what changed.

use crate::api::Rejected;
use crate::components::dialog::Modal;
use leptos::prelude::*;
use shared::application::{ApplicationView, Figures};
use shared::date::compact;

#[derive(Debug, Clone)]
pub enum Outcome {
    Accepted(ApplicationView),
    Refused(String),
    /// The server's message, and (label, figure shown, the server's figure) for each figure that
    /// differs.
    Changed(String, Vec<(&'static str, String, String)>),
}

/// The server's answer to a submission of the figures `shown`: on a 409, what differs in the
/// server's fresh figures (labelled from `shared::application`'s one table).
pub fn outcome(result: Result<ApplicationView, Rejected>, shown: &Figures) -> Outcome {
    match result {
        Ok(view) => Outcome::Accepted(view),
        Err(Rejected::Refused(error)) => Outcome::Refused(error.message),
        Err(Rejected::Changed(changed)) => {
            Outcome::Changed(changed.message, shown.changes(&changed.fresh))
        }
    }
}

/// Label/figure rows, as the manual's screens lay them out. One component for every table of
/// figures keeps the wasm small (each distinct view closure is code of its own).
#[component]
pub fn FiguresTable(
    #[prop(into)] label: String,
    rows: Signal<Vec<(&'static str, String)>>,
) -> impl IntoView {
    view! {
        <table class="table table--figures" aria-label=label>
            <tbody>
                {move || rows.get().into_iter().map(|(label, value)| view! {
                    <tr><th scope="row">{label}</th><td>{value}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    title: &'static str,
    rows: Signal<Vec<(&'static str, String)>>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    view! {
        <Modal open labelled_by="confirm-title">
            <h2 id="confirm-title">{title}</h2>
            <FiguresTable label=title rows />
            <p>"请核对以上信息，确认无误后点击【确定】办理。"</p>
            <div class="actions">
                <button type="button" class="button button--primary" on:click=move |_| {
                    open.set(false);
                    on_confirm.run(());
                }>"确定"</button>
                <button type="button" class="button" on:click=move |_| open.set(false)>"取消"</button>
            </div>
        </Modal>
    }
}

/// Why 提交 is disabled right now (hours, blackout, due day, arrears, an open application), said
/// before the citizen fills anything; the trial still works. The server refuses the same anyway.
#[component]
pub fn RefusalNote(
    refusal: Option<String>,
    #[prop(default = "试算不受影响。")] trial_note: &'static str,
) -> impl IntoView {
    refusal.map(|message| {
        view! {
            <p class="notice notice--warning" role="note" id="refusal">
                {format!("当前不能提交：{message}。{trial_note}")}
            </p>
        }
    })
}

#[component]
pub fn OutcomeView(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    // An accepted application's box is brought into view and focused: on a phone it is below the
    // form, and the focus was on the dialog's 确定, now gone.
    let result = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(box_) = result.get() {
            box_.scroll_into_view();
            let _ = box_.focus();
        }
    });
    move || {
        outcome.get().map(|o| match o {
            Outcome::Accepted(view) => view! {
                <div class="success-box" role="status" tabindex="-1" node_ref=result>
                    <p class="success">{format!("{}：{}", view.title(), view.status.label())}</p>
                    <p>{format!("申请编号：{}　提交时间：{}", view.application_no, view.submitted_at)}</p>
                    {view.effective_date.map(|d| view! { <p>{format!("约定日期：{}", compact(d))}</p> })}
                    <p><a href="/progress">"在业务进度查询中查看"</a></p>
                </div>
            }
            .into_any(),
            Outcome::Refused(message) => view! { <p class="form__message" role="alert">{message}</p> }.into_any(),
            Outcome::Changed(message, rows) => view! {
                <div class="notice notice--warning" role="alert">
                    <p>{format!("{message}：")}</p>
                    <ul>
                        {rows.into_iter().map(|(label, was, now)| view! {
                            <li>{format!("{label}：{was} → {now}")}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
        })
    }
}
