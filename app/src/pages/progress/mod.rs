//! 业务进度查询 — every application with its timeline (已预约/受理中 → 已办结, or 已撤销 / 未通过 with
//! the reason); 撤销 of a reservation before its date or of a withdrawal 受理中 until the end-of-day
//! run takes it, confirmed first and checked by the server.

use crate::api;
use crate::components::submit::ConfirmDialog;
use crate::layout::Frame;
use leptos::prelude::*;
use shared::application::{ApplicationStatus, Progress};
use shared::date::compact;
use shared::money::format_thousands;

#[component]
pub fn ProgressPage() -> impl IntoView {
    let list = LocalResource::new(api::progress);
    let target = RwSignal::new(None::<Progress>);
    let confirm = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let rows = Signal::derive(move || {
        target.with(|t| {
            t.as_ref()
                .map(|p| {
                    vec![
                        ("申请编号", p.application_no.clone()),
                        ("业务名称", p.title().to_owned()),
                    ]
                    .into_iter()
                    .chain(p.effective_date.map(|d| ("预约日期", compact(d))))
                    .collect()
                })
                .unwrap_or_default()
        })
    });
    let cancel = move || {
        let Some(p) = target.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::cancel(&p.application_no).await {
                Ok(done) => {
                    message.set(Some((true, format!("申请 {} 已撤销", done.application_no))));
                    list.refetch();
                }
                Err(e) => message.set(Some((false, e.message))),
            }
        });
    };
    view! {
        <Frame current="业务进度查询">
            <section class="card" aria-labelledby="progress-title">
                <h1 id="progress-title">"业务进度查询"</h1>
                {move || message.get().map(|(ok, text)| if ok {
                    view! { <p class="success-box" role="status">{text}</p> }.into_any()
                } else {
                    view! { <p class="form__message" role="alert">{text}</p> }.into_any()
                })}
                {move || match list.get() {
                    None => view! { <p class="loading">"正在加载……"</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p>"暂无业务申请。"</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ol class="applications">
                            {list.into_iter().map(|p| application(p, target, confirm)).collect_view()}
                        </ol>
                    }.into_any(),
                }}
                <ConfirmDialog open=confirm title="确认撤销" rows on_confirm=Callback::new(move |_| cancel()) />
            </section>
        </Frame>
    }
}

fn status_class(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Done => "status status--done",
        ApplicationStatus::Cancelled | ApplicationStatus::Rejected => "status status--closed",
        _ => "status status--open",
    }
}

fn application(
    p: Progress,
    target: RwSignal<Option<Progress>>,
    confirm: RwSignal<bool>,
) -> impl IntoView {
    let label = format!("{} {}", p.title(), p.application_no);
    let receipt = format!("/print/applications/{}?from=progress", p.application_no);
    let facts = [
        ("申请编号", p.application_no.clone()),
        ("提交时间", p.submitted_at.clone()),
        (
            "预约/生效日期",
            p.effective_date.map(compact).unwrap_or_else(|| "—".into()),
        ),
        (
            "金额",
            p.amount.map(format_thousands).unwrap_or_else(|| "—".into()),
        ),
    ];
    let cancellable = p.cancellable;
    let timeline = p.timeline.clone();
    let reason = p.reason.clone();
    view! {
        <li class="application" aria-label=label>
            <div class="application__head">
                <strong>{p.title()}</strong>
                <span class=status_class(p.status)>{p.status.label()}</span>
            </div>
            <dl class="facts facts--inline">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <ol class="timeline" aria-label="办理进度">
                {timeline.into_iter().map(|step| view! {
                    <li><span class=status_class(step.status)>{step.status.label()}</span>" "{step.at}</li>
                }).collect_view()}
            </ol>
            {reason.map(|r| view! { <p class="form__message">{format!("原因：{r}")}</p> })}
            <div class="actions">
                {cancellable.then(|| view! {
                    <button type="button" class="button" on:click=move |_| {
                        target.set(Some(p.clone()));
                        confirm.set(true);
                    }>"撤销"</button>
                })}
                <a class="button button--link" href=receipt>"打印回执"</a>
            </div>
        </li>
    }
}
