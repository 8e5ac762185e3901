//! 偿还贷款提取（按月对冲） on 贷款详情: signed or not, from which due date, the next installment
//! split between the fund and the card (from `shared`, as the run will pay it), and 签约 / 解约
//! after a confirmation. The server checks again and answers with the state it now holds.

use super::yuan;
use crate::api;
use crate::components::submit::ConfirmDialog;
use leptos::prelude::*;
use shared::date::compact;
use shared::withdrawal::offset::OffsetView;

#[component]
pub fn Offset(borrower_no: String, view: OffsetView) -> impl IntoView {
    let state = RwSignal::new(view);
    let confirm_sign = RwSignal::new(false);
    let confirm_cancel = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let signing = move || state.with(|v| v.starts_on.is_none());
    let rows = Signal::derive(move || {
        state.with(|v| {
            let mut rows = vec![("业务名称", "偿还贷款提取（按月对冲）".to_owned())];
            rows.push((
                "办理事项",
                if v.starts_on.is_none() {
                    "签约"
                } else {
                    "解约"
                }
                .to_owned(),
            ));
            if let Some(next) = &v.next {
                rows.push(("下一约定还款日", compact(next.due_date)));
            }
            rows
        })
    });
    let act = move |_: ()| {
        let no = borrower_no.clone();
        let sign = signing();
        leptos::task::spawn_local(async move {
            match api::offset(&no, sign).await {
                Ok(fresh) => {
                    message.set(Some((
                        true,
                        if sign {
                            "已签约按月对冲。"
                        } else {
                            "已解约按月对冲。"
                        }
                        .into(),
                    )));
                    state.set(fresh);
                }
                Err(e) => message.set(Some((false, e.message))),
            }
        });
    };
    view! {
        <section class="subform" aria-labelledby="offset-title">
            <h2 id="offset-title">"偿还贷款提取（按月对冲）"</h2>
            {move || state.with(|v| {
                let status = match v.starts_on {
                    Some(d) => format!("已签约，自{}起每期还款先从公积金账户余额扣划，不足部分从还款储蓄账户扣款。", compact(d)),
                    None => "未签约。签约后自下一约定还款日起，每期还款先从公积金账户余额扣划，不足部分从还款储蓄账户扣款。".to_owned(),
                };
                view! {
                    <p>{status}</p>
                    {v.next.clone().map(|n| view! {
                        <dl class="facts facts--inline" aria-label="下期扣款">
                            <dt>{if v.starts_on.is_some() { "下一约定还款日：" } else { "签约后首次扣划日：" }}</dt><dd>{compact(n.due_date)}</dd>
                            <dt>"当期应还："</dt><dd>{yuan(n.installment)}</dd>
                            <dt>"公积金账户余额："</dt><dd>{yuan(v.balance)}</dd>
                            <dt>"按当前余额，公积金扣划："</dt><dd>{yuan(n.from_fund)}</dd>
                            <dt>"还款储蓄账户扣款："</dt><dd>{yuan(n.from_card)}</dd>
                        </dl>
                    })}
                    {(!v.unmet.is_empty()).then(|| view! {
                        <p class="notice notice--warning" role="note">
                            {format!("暂不能签约：{}", shared::withdrawal::housing::why_not(&v.unmet))}
                        </p>
                    })}
                }
            })}
            {move || state.with(|v| (!v.history.is_empty()).then(|| view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="签约记录">
                    <table class="table">
                        <thead><tr><th>"签约时间"</th><th>"首次扣划日"</th><th>"解约时间"</th></tr></thead>
                        <tbody>
                            {v.history.iter().map(|r| view! {
                                <tr>
                                    <td>{r.signed_at.clone()}</td><td>{compact(r.starts_on)}</td>
                                    <td>{r.cancelled_at.clone().unwrap_or_else(|| "—（在约）".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }))}
            <div class="actions">
                <button type="button" class="button button--primary"
                    disabled=move || state.with(|v| v.starts_on.is_none() && !v.unmet.is_empty())
                    on:click=move |_| {
                        message.set(None);
                        if signing() { confirm_sign.set(true) } else { confirm_cancel.set(true) }
                    }>
                    {move || if signing() { "签约按月对冲" } else { "解约" }}
                </button>
            </div>
            <p role="status" class=move || match message.get() {
                Some((false, _)) => "form__message",
                _ => "success",
            }>{move || message.get().map(|(_, text)| text)}</p>
            <ConfirmDialog open=confirm_sign title="确认签约按月对冲" rows on_confirm=Callback::new(act.clone()) />
            <ConfirmDialog open=confirm_cancel title="确认解约按月对冲" rows on_confirm=Callback::new(act) />
        </section>
    }
}
