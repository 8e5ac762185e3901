//! Pages behind a login: [`RequireSession`] asks the server who is logged in, sends an expired or
//! missing session to the login page (and back afterwards), and warns a minute before the idle
//! timeout. [`Home`] is 我的住房公积金首页.

use crate::api;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use shared::account::wire::Me;
use std::time::Duration;

fn login_path(path: &str, expired: bool) -> String {
    let next = String::from(js_sys::encode_uri_component(path));
    if expired {
        format!("/login?expired=1&next={next}")
    } else {
        format!("/login?next={next}")
    }
}

/// A navigation that replaces the current history entry.
pub fn replace() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let me = LocalResource::new(api::me);
    let location = use_location();
    let navigate = use_navigate();
    let warn = RwSignal::new(false);

    let to_login = {
        let navigate = navigate.clone();
        move |expired: bool| {
            // Replaced, not pushed: Back from the login page must not return to a page that
            // would only send the citizen here again.
            navigate(
                &login_path(&location.pathname.get_untracked(), expired),
                replace(),
            )
        }
    };
    let on_missing = to_login.clone();
    Effect::new(move |_| {
        if let Some(Err(_)) = me.get() {
            on_missing(false);
        }
    });
    // Sent to the login page once: a tick that comes before the page is gone does nothing.
    let gone = std::cell::Cell::new(false);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if gone.get() {
                return;
            }
            let Some(Ok(who)) = me.get_untracked() else {
                return;
            };
            let idle_ms = f64::from(who.idle_timeout_seconds) * 1000.0;
            let quiet = js_sys::Date::now() - api::last_activity();
            if quiet >= idle_ms {
                gone.set(true);
                api::forget_session();
                to_login(true);
            } else {
                warn.set(quiet >= idle_ms - 60_000.0);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let keep_alive = move |_| {
        me.refetch();
        warn.set(false);
    };

    view! {
        <Show when=move || warn.get()>
            <div class="notice notice--warning" role="alertdialog" aria-labelledby="idle-warning">
                <p id="idle-warning">"您已较长时间未操作，为保障账户安全，登录将在1分钟后失效。"</p>
                <button type="button" class="button button--primary" on:click=keep_alive>"继续使用"</button>
            </div>
        </Show>
        {move || match me.get() {
            Some(Ok(who)) => {
                provide_context(who);
                children().into_any()
            }
            _ => view! { <p class="loading">"正在加载……"</p> }.into_any(),
        }}
    }
}

/// 我的住房公积金首页: who is logged in, and 退出.
#[component]
pub fn Home() -> impl IntoView {
    let me = expect_context::<Me>();
    let navigate = use_navigate();
    let logout = Action::new_local(|_: &()| api::logout());
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            navigate("/login", replace());
        }
    });
    view! {
        <section class="card" aria-labelledby="home-title">
            <div class="card__title">
                <h1 id="home-title">"我的住房公积金首页"</h1>
                <button type="button" class="button" on:click=move |_| { logout.dispatch(()); }>"退出"</button>
            </div>
            <p>{format!("{}，您好！", me.name)}</p>
            <crate::pages::fund::AccountCard />
            <h2>"个人信息"</h2>
            <dl class="facts">
                <dt>"单位账号"</dt><dd>{me.unit_account.clone()}</dd>
                <dt>"单位名称"</dt><dd>{me.unit_name.clone()}</dd>
                <dt>"个人账号"</dt><dd>{me.personal_account.clone()}</dd>
                <dt>"姓名"</dt><dd>{me.name.clone()}</dd>
                <dt>"证件号码"</dt><dd>{me.id_number.clone()}</dd>
                <dt>"手机号"</dt><dd>{me.phone.clone()}</dd>
            </dl>
            <nav class="home-links" aria-label="我的业务">
                <a class="button button--primary" href="/withdrawal">"提取"</a>
                <a class="button button--primary" href="/loans">"贷款"</a>
                <a class="button" href="/progress">"业务进度查询"</a>
                <a class="button" href="/print">"查询打印"</a>
                <a class="button" href="/calculator">"贷款试算器"</a>
            </nav>
        </section>
    }
}
