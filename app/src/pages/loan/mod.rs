//! 贷款 — the seed manual's sections 5–7: 我的贷款, 详情, 明细, 还款计划, and 还款及变更 (调整月还款额,
//! 变更还款账号, 部分提前还本, 提前结清贷款). Every figure comes from `shared`, computed here instantly.

mod account;
mod adjust;
mod calculator;
pub mod chart;
pub mod detail;
mod funding;
mod list;
mod offset;
mod prepayment;
mod settlement;

pub use account::ChangeAccount;
pub use adjust::AdjustTerm;
pub use calculator::Calculator;
pub use detail::{Detail, History, SchedulePage};
pub use list::Loans;
pub use prepayment::Prepayment;
pub use settlement::Settlement;

use leptos::prelude::*;
use shared::loan::wire::{LoanDetail, TrialContext};

/// The borrower number in the path (`/loans/<no>/…`).
pub fn borrower_no() -> String {
    crate::layout::path_segment(2)
}

pub use crate::components::figures::{yuan, MemberHeaderView};

/// The 还款及变更 tab bar, `current` marked.
#[component]
pub fn Tabs(current: &'static str) -> impl IntoView {
    let no = borrower_no();
    let tabs = [
        ("返回我的贷款", "/loans".to_owned()),
        ("调整月还款额", format!("/loans/{no}/adjust")),
        ("变更还款账号", format!("/loans/{no}/account")),
        ("部分提前还本", format!("/loans/{no}/prepayment")),
        ("提前结清贷款", format!("/loans/{no}/settlement")),
    ];
    view! {
        <nav class="tabs no-print" aria-label="还款及变更">
            {tabs.into_iter().map(|(label, href)| {
                let active = label == current;
                view! {
                    <a class="tabs__tab" class:tabs__tab--active=active href=href
                        aria-current=if active { Some("page") } else { None }>{label}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// A 还款及变更 page: frame, tab bar and title, the loan and its trial context loaded, then `form`.
#[component]
pub fn BusinessPage(
    tab: &'static str,
    form: fn(LoanDetail, TrialContext) -> AnyView,
) -> impl IntoView {
    let no = borrower_no();
    let data = LocalResource::new(move || {
        let no = no.clone();
        async move {
            (
                crate::api::loan(&no).await,
                crate::api::trial_context(&no).await,
            )
        }
    });
    view! {
        <LoanFrame>
            <section class="card" aria-labelledby="business-title">
                <Tabs current=tab />
                <h1 id="business-title">{tab}</h1>
                {move || match data.get() {
                    None => view! { <p class="loading">"正在加载……"</p> }.into_any(),
                    Some((Ok(detail), Ok(context))) => form(detail, context),
                    Some((Err(error), _)) | Some((_, Err(error))) =>
                        view! { <p class="form__message" role="alert">{error.message}</p> }.into_any(),
                }}
            </section>
        </LoanFrame>
    }
}

/// The page frame of the loan pages: the navigation (贷款 current) beside the content.
#[component]
pub fn LoanFrame(children: Children) -> impl IntoView {
    view! { <crate::layout::Frame current="贷款">{children()}</crate::layout::Frame> }
}
