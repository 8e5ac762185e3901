//! 我的住房公积金 › 贷款: the header and the manual's loan table.

use super::{LoanFrame, MemberHeaderView};
use crate::api;
use leptos::prelude::*;
use shared::date::compact;
use shared::money::format_thousands;

#[component]
pub fn Loans() -> impl IntoView {
    let loans = LocalResource::new(api::loans);
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="loans-title">
                <h1 id="loans-title">"我的住房公积金"</h1>
                {move || match loans.get() {
                    None => view! { <p class="loading">"正在加载……"</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <MemberHeaderView header=list.header.clone() />
                        <div class="table-scroll" tabindex="0" role="region" aria-label="我的贷款">
                            <table class="table">
                                <thead><tr>
                                    <th>"借款人编号"</th><th>"贷款状态"</th><th>"放款日期"</th><th>"贷款金额"</th>
                                    <th>"贷款期限"</th><th>"贷款余额"</th><th>"贷款类型"</th><th>"购房地址"</th><th>"操作"</th>
                                </tr></thead>
                                <tbody>
                                    {list.loans.iter().map(|loan| {
                                        let no = loan.borrower_no.clone();
                                        view! {
                                            <tr>
                                                <td>{no.clone()}</td>
                                                <td>{loan.status.label()}</td>
                                                <td>{compact(loan.disbursement_date)}</td>
                                                <td class="num">{format_thousands(loan.amount)}</td>
                                                <td class="num">{loan.term_months}</td>
                                                <td class="num">{format_thousands(loan.balance)}</td>
                                                <td>{loan.loan_type.clone()}</td>
                                                <td>{loan.house_address.clone()}</td>
                                                <td class="actions-cell">
                                                    <a href=format!("/loans/{no}")>"详情"</a>
                                                    <a href=format!("/loans/{no}/history")>"明细"</a>
                                                    <a href=format!("/loans/{no}/prepayment")>"还款及变更"</a>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        // On a phone the table scrolls sideways: the actions are repeated as buttons.
                        <div class="mobile-actions">
                            {list.loans.iter().map(|loan| {
                                let no = loan.borrower_no.clone();
                                view! {
                                    <p class="mobile-actions__title">{format!("借款人编号 {no}")}</p>
                                    <div class="actions">
                                        <a class="button" href=format!("/loans/{no}")>"详情"</a>
                                        <a class="button" href=format!("/loans/{no}/history")>"明细"</a>
                                        <a class="button button--primary" href=format!("/loans/{no}/prepayment")>"还款及变更"</a>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        {list.loans.iter().filter_map(|loan| loan.pending.clone().map(|p| view! {
                            <p class="notice" role="status">
                                {format!("借款人编号{}已有{}预约（申请编号{}，约定日期{}），待办结。",
                                    loan.borrower_no, p.kind.label(), p.application_no,
                                    p.effective_date.map(compact).unwrap_or_default())}
                            </p>
                        })).collect_view()}
                    }.into_any(),
                }}
            </section>
        </LoanFrame>
    }
}
