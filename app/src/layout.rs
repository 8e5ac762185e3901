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
                <div class="site-header__tools">
                    <span class="business-date">{business_date}</span>
                    <ModeSwitch />
                </div>
            </div>
        </header>
    }
}

/// Where the browser remembers the citizen's choice; `index.html` reads it before the app loads,
/// so a 关怀版 page never flashes in the standard size.
const MODE_KEY: &str = "hpf:mode";

fn elder_mode_stored() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(MODE_KEY).ok().flatten())
        .is_some_and(|mode| mode == "elder")
}

fn apply_mode(elder: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.class_list().toggle_with_force("elder", elder);
    }
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(MODE_KEY, if elder { "elder" } else { "standard" });
    }
}

/// 关怀版 / 标准版: the switch names the mode it leads to, on every page, before login too.
#[component]
fn ModeSwitch() -> impl IntoView {
    let elder = RwSignal::new(elder_mode_stored());
    view! {
        <button type="button" class="mode-switch" aria-pressed=move || elder.get().to_string()
            on:click=move |_| {
                let next = !elder.get_untracked();
                apply_mode(next);
                elder.set(next);
            }>
            {move || if elder.get() { "标准版" } else { "关怀版" }}
        </button>
    }
}

/// Shown while pages are answered from the offline snapshot.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    view! {
        <Show when=api::is_offline>
            <p class="notice notice--warning offline-notice" role="status">
                {move || format!(
                    "当前网络未连接：页面显示的是您上次在线时保存的数据（保存于 {}），试算照常可用；提交业务需要网络连接。",
                    api::offline_saved_at().map(saved_time).unwrap_or_default()
                )}
            </p>
        </Show>
    }
}

/// "2018/1/5 10:02:11": when a snapshot was saved, as the device's locale writes it.
fn saved_time(ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    String::from(date.to_locale_string("zh-CN", &wasm_bindgen::JsValue::UNDEFINED))
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
        ("我的公积金首页", "/home"),
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
