//! 详情, 明细 and 还款计划 of one loan.

use super::{borrower_no, yuan, LoanFrame, MemberHeaderView};
use crate::api;
use leptos::prelude::*;
use shared::date::compact;
use shared::money::format_thousands;

fn links(no: &str) -> impl IntoView {
    view! {
        <nav class="subnav no-print" aria-label="贷款信息">
            <a href="/loans">"返回我的贷款"</a>
            <a href=format!("/loans/{no}")>"详情"</a>
            <a href=format!("/loans/{no}/history")>"明细"</a>
            <a href=format!("/loans/{no}/schedule")>"还款计划"</a>
            <a href=format!("/loans/{no}/prepayment")>"还款及变更"</a>
            <a href=format!("/loans/{no}/plan")>"还款规划"</a>
        </nav>
    }
}

#[component]
pub fn Detail() -> impl IntoView {
    let no = borrower_no();
    let detail = LocalResource::new({
        let no = no.clone();
        move || {
            let no = no.clone();
            async move { api::loan(&no).await }
        }
    });
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="detail-title">
                <h1 id="detail-title">"贷款详情"</h1>
                {links(&no)}
                {move || detail.get().map(|result| match result {
                    Err(error) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Ok(d) => {
                        let s = &d.summary;
                        let rows: Vec<(&str, String)> = vec![
                            ("借款人编号", s.borrower_no.clone()),
                            ("贷款状态", s.status.label().to_owned()),
                            ("放款日期", compact(s.disbursement_date)),
                            ("贷款金额", format_thousands(s.amount)),
                            ("贷款期限（月）", s.term_months.to_string()),
                            ("贷款余额", format_thousands(s.balance)),
                            ("贷款类型", s.loan_type.clone()),
                            ("购房地址", s.house_address.clone()),
                            ("年利率", format!("{}%", d.annual_rate)),
                            ("还款方式", d.method.label().to_owned()),
                            ("约定还款日", format!("每月{}日", d.due_day)),
                            ("剩余期数", d.remaining_periods.to_string()),
                            ("月还款额", yuan(d.monthly_payment)),
                            ("上次还款日", compact(d.last_due_date)),
                            ("下一约定还款日", d.next_due_date.map(compact).unwrap_or_default()),
                            ("到期日期", compact(d.maturity_date)),
                            ("拖欠金额", yuan(d.arrears)),
                            ("还款储蓄账户开户人", d.repayment_card.holder.clone()),
                            ("还款储蓄账户账号", d.repayment_card.number.clone()),
                            ("还款储蓄账户开户银行", d.repayment_card.bank.clone()),
                        ];
                        view! {
                            <MemberHeaderView header=d.header.clone() />
                            <dl class="facts facts--two">
                                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                            </dl>
                            {d.offset.clone().map(|view| view! {
                                <super::offset::Offset borrower_no=s.borrower_no.clone() view />
                            })}
                        }.into_any()
                    }
                })}
            </section>
        </LoanFrame>
    }
}

#[component]
pub fn History() -> impl IntoView {
    let no = borrower_no();
    let rows = LocalResource::new({
        let no = no.clone();
        move || {
            let no = no.clone();
            async move { api::transactions(&no).await }
        }
    });
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="history-title">
                <h1 id="history-title">"贷款明细"</h1>
                {links(&no)}
                {move || rows.get().map(|result| match result {
                    Err(error) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Ok(rows) => history_table(rows).into_any(),
                })}
            </section>
        </LoanFrame>
    }
}

const PAGE: usize = 24;

#[component]
pub fn SchedulePage() -> impl IntoView {
    let no = borrower_no();
    let schedule = LocalResource::new({
        let no = no.clone();
        move || {
            let no = no.clone();
            async move { api::schedule(&no).await }
        }
    });
    let page = RwSignal::new(0usize);
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="schedule-title">
                <h1 id="schedule-title">"还款计划"</h1>
                {links(&no)}
                {move || schedule.get().map(|result| match result {
                    Err(error) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Ok(s) => {
                        let pages = s.rows.len().div_ceil(PAGE).max(1);
                        let shown: Vec<_> = s.rows.iter().skip(page.get() * PAGE).take(PAGE).cloned().collect();
                        view! {
                            {schedule_summary(&s)}
                            {schedule_table(shown)}
                            <div class="pager no-print">
                                <button type="button" class="button" disabled=move || { page.get() == 0 }
                                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"上一页"</button>
                                <span>{move || format!("第{}/{}页", page.get() + 1, pages)}</span>
                                <button type="button" class="button" disabled=move || { page.get() + 1 >= pages }
                                    on:click=move |_| page.update(|p| *p += 1)>"下一页"</button>
                            </div>
                        }.into_any()
                    }
                })}
            </section>
        </LoanFrame>
    }
}

/// 剩余…期, with the totals.
pub fn schedule_summary(s: &shared::loan::Schedule) -> impl IntoView {
    view! {
        <p class="summary">
            {format!("剩余{}期，本金合计{}，利息合计{}，还款总额{}",
                s.rows.len(), format_thousands(s.total_principal),
                format_thousands(s.total_interest), format_thousands(s.total_payment))}
        </p>
    }
}

/// The schedule's rows (a page of them, or all for printing).
pub fn schedule_table(rows: Vec<shared::loan::ScheduleRow>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="还款计划表">
            <table class="table">
                <thead><tr><th>"期次"</th><th>"还款日期"</th><th>"月还款额"</th><th>"本金"</th><th>"利息"</th><th>"剩余本金"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="num">{r.period}</td><td>{compact(r.due_date)}</td>
                            <td class="num">{yuan(r.installment)}</td><td class="num">{yuan(r.principal)}</td>
                            <td class="num">{yuan(r.interest)}</td><td class="num">{format_thousands(r.balance)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// 明细: the loan's transactions, newest first.
pub fn history_table(rows: Vec<shared::loan::wire::LoanTransaction>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="贷款明细表">
            <table class="table">
                <thead><tr><th>"日期"</th><th>"业务"</th><th>"发生额"</th><th>"本金"</th><th>"利息"</th><th>"贷款余额"</th></tr></thead>
                <tbody>
                    {rows.into_iter().rev().map(|t| view! {
                        <tr>
                            <td>{compact(t.date)}</td><td>{t.kind.label()}</td>
                            <td class="num">{format_thousands(t.amount)}</td>
                            <td class="num">{format_thousands(t.principal)}</td>
                            <td class="num">{format_thousands(t.interest)}</td>
                            <td class="num">{format_thousands(t.balance_after)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
