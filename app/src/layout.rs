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
