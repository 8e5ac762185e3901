//! 贷款 — the seed manual's sections 5–7: 我的贷款, 详情, 明细, 还款计划, and 还款及变更 (调整月还款额,
//! 变更还款账号, 部分提前还本, 提前结清贷款). Every figure comes from `shared`, computed here instantly.

mod account;
mod adjust;
mod calculator;
mod chart;
mod detail;
mod list;
mod prepayment;
mod settlement;
mod submit;

pub use account::ChangeAccount;
pub use adjust::AdjustTerm;
pub use calculator::Calculator;
pub use detail::{Detail, History, SchedulePage};
pub use list::Loans;
pub use prepayment::Prepayment;
pub use settlement::Settlement;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rust_decimal::Decimal;
use shared::loan::wire::{LoanDetail, MemberHeader, TrialContext};

/// The borrower number in the path (`/loans/<no>/…`).
pub fn borrower_no() -> String {
    use_location().pathname.with_untracked(|path| {
        path.split('/')
            .nth(2)
            .map(|no| String::from(js_sys::decode_uri_component(no).unwrap_or_else(|_| no.into())))
            .unwrap_or_default()
    })
}

/// "3362.48": two decimals, as the trial screens print figures.
pub fn yuan(value: Decimal) -> String {
    format!("{:.2}", value)
}

/// The left navigation of the manual's 我的住房公积金.
#[component]
pub fn SideNav() -> impl IntoView {
    view! {
        <nav class="side-nav no-print" aria-label="业务导航">
            <span class="side-nav__item" aria-disabled="true">"提取"</span>
            <a class="side-nav__item side-nav__item--active" href="/loans">"贷款"</a>
            <span class="side-nav__item" aria-disabled="true">"业务进度查询"</span>
            <span class="side-nav__item" aria-disabled="true">"查询打印"</span>
        </nav>
    }
}

/// 单位账号, 单位名称, 个人账号, 姓名.
#[component]
pub fn MemberHeaderView(header: MemberHeader) -> impl IntoView {
    view! {
        <dl class="member-header">
            <dt>"单位账号："</dt><dd>{header.unit_account}</dd>
            <dt>"单位名称："</dt><dd>{header.unit_name}</dd>
            <dt>"个人账号："</dt><dd>{header.personal_account}</dd>
            <dt>"姓名："</dt><dd>{header.name}</dd>
        </dl>
    }
}

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

/// The page frame: navigation beside the content.
#[component]
pub fn LoanFrame(children: Children) -> impl IntoView {
    view! {
        <div class="with-nav">
            <SideNav />
            <div class="with-nav__main">{children()}</div>
        </div>
    }
}
