//! The frame around every page: the centre's header and the footer.

use crate::api;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let clock = LocalResource::new(api::clock);
    let business_date = move || {
        clock
            .get()
            .and_then(|result| result.ok())
            .map(|c| format!("当前账务日期 {}", c.date.replace('-', "")))
    };
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__emblem" aria-hidden="true">"公"</span>
                    <span class="brand__text">
                        <strong>"住房公积金管理中心"</strong>
                        <span>"个人网上服务大厅"</span>
                    </span>
                </a>
                <span class="business-date">{business_date}</span>
            </div>
        </header>
    }
}

/// Shown while pages are answered from the offline snapshot.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    view! {
        <Show when=api::is_offline>
            <p class="notice notice--warning offline-notice" role="status">
                "当前网络未连接：页面显示的是您上次在线时的数据，试算照常可用；提交业务需要网络连接。"
            </p>
        </Show>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"办理类业务系统办理时间为工作日 9:00 到 16:30，查询功能全天开放。"</p>
        </footer>
    }
}

/// The left navigation of the manual's 我的住房公积金, `current` marked.
#[component]
pub fn SideNav(current: &'static str) -> impl IntoView {
    let items = [
        ("提取", "/withdrawal"),
        ("贷款", "/loans"),
        ("业务进度查询", "/progress"),
        ("查询打印", "/print"),
    ];
    view! {
        <nav class="side-nav no-print" aria-label="业务导航">
            {items.into_iter().map(|(label, href)| {
                let active = label == current;
                view! {
                    <a class="side-nav__item" class:side-nav__item--active=active href=href
                        aria-current=if active { Some("page") } else { None }>{label}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// A page of 我的住房公积金: the navigation beside the content.
#[component]
pub fn Frame(current: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="with-nav">
            <SideNav current />
            <div class="with-nav__main">{children()}</div>
        </div>
    }
}

/// The `n`th segment of the current path (`/loans/<no>/…`: 2 is the borrower number).
pub fn path_segment(n: usize) -> String {
    leptos_router::hooks::use_location()
        .pathname
        .with_untracked(|path| {
            path.split('/')
                .nth(n)
                .map(|part| {
                    String::from(js_sys::decode_uri_component(part).unwrap_or_else(|_| part.into()))
                })
                .unwrap_or_default()
        })
}
