//! 个人用户登录: 用户名 (证件号码或手机号), 密码 with the 软键盘, 附加码, as on the manual's screen;
//! or 短信验证码登录 with 手机号 and the code sent to it.

use super::captcha::{CaptchaField, CaptchaState};
use super::sms_code::SmsCodeField;
use crate::api;
use crate::components::soft_keyboard::PasswordField;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::account::wire::{LoginRequest, SmsLoginRequest, SmsPurpose};
use shared::account::Phone;

/// Only a path of this site may be a redirect target after login.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| "/home".to_owned())
}

#[component]
pub fn Login() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let message = RwSignal::new(None::<String>);
    let query = use_query_map();
    let navigate = use_navigate();

    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move { api::login(&request).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = login.value().get() {
            match outcome {
                Ok(_) => {
                    password.set(String::new());
                    let next = safe_next(query.with_untracked(|q| q.get("next")));
                    navigate(&next, super::session::replace());
                }
                Err(error) => {
                    message.set(Some(error.message));
                    captcha.refresh();
                }
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let missing = [
            (username, "请输入用户名（证件号码或手机号）"),
            (password, "请输入密码"),
            (captcha.answer, "请输入附加码"),
        ]
        .into_iter()
        .find(|(field, _)| field.with(|v| v.trim().is_empty()));
        if let Some((_, text)) = missing {
            message.set(Some(text.to_owned()));
            return;
        }
        message.set(None);
        login.dispatch(LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
            captcha_id: captcha.id.get_untracked(),
            captcha: captcha.answer.get_untracked(),
        });
    };

    let expired = move || query.with(|q| q.get("expired").is_some());

    // Back onto the login page while the session is live goes on to where the citizen was going
    // (only asked when this browser holds a session's snapshot: no request for a stranger; never
    // after the idle timeout sent the citizen here).
    if api::may_be_logged_in() && !expired() {
        let navigate = use_navigate();
        let me = LocalResource::new(api::me);
        Effect::new(move |_| {
            if let Some(Ok(_)) = me.get() {
                let next = safe_next(query.with_untracked(|q| q.get("next")));
                navigate(&next, super::session::replace());
            }
        });
    }

    let by_sms = RwSignal::new(false);
    view! {
        <section class="card login" aria-labelledby="login-title">
            <h1 id="login-title">"个人用户登录"</h1>
            <Show when=expired>
                <p class="notice">"登录已超时，请重新登录。"</p>
            </Show>
            <div class="login-modes" role="group" aria-label="登录方式">
                <button type="button" class="login-modes__mode" aria-pressed=move || (!by_sms.get()).to_string()
                    on:click=move |_| by_sms.set(false)>"密码登录"</button>
                <button type="button" class="login-modes__mode" aria-pressed=move || by_sms.get().to_string()
                    on:click=move |_| by_sms.set(true)>"短信验证码登录"</button>
            </div>
            <Show when=move || !by_sms.get() fallback=move || view! { <SmsLogin /> }>
                <form class="form" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="username">"用户名"</label>
                        <input id="username" name="username" type="text" autocomplete="username"
                            placeholder="证件号码或手机号" bind:value=username />
                    </div>
                    <PasswordField id="password" label="密码" value=password />
                    <CaptchaField state=captcha />
                    <p class="form__message" role="alert">{move || message.get()}</p>
                    <div class="actions">
                        <button type="submit" class="button button--primary" disabled=move || login.pending().get()>
                            "登录"
                        </button>
                        <a class="button" href="/register">"新用户注册"</a>
                        <a class="button button--link" href="/forgot">"忘记密码"</a>
                    </div>
                </form>
            </Show>
            <p class="aside-link"><a href="/calculator">"贷款试算器（无需登录）"</a></p>
        </section>
    }
}

/// 短信验证码登录: 手机号, the 附加码, then the code sent to the phone — also the way in when the
/// password is locked or forgotten.
#[component]
fn SmsLogin() -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let message = RwSignal::new(None::<String>);
    let query = use_query_map();
    let navigate = use_navigate();
    let login = Action::new_local(move |request: &SmsLoginRequest| {
        let request = request.clone();
        async move { api::login_sms(&request).await }
    });
    Effect::new(move |_| match login.value().get() {
        Some(Ok(_)) => {
            let next = safe_next(query.with_untracked(|q| q.get("next")));
            navigate(&next, super::session::replace());
        }
        Some(Err(error)) => message.set(Some(error.message)),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Err(error) = Phone::parse(&phone.get_untracked()) {
            message.set(Some(error.message));
            return;
        }
        if code.with_untracked(|c| c.trim().is_empty()) {
            message.set(Some("请输入短信验证码".into()));
            return;
        }
        message.set(None);
        login.dispatch(SmsLoginRequest {
            phone: phone.get_untracked(),
            sms_code: code.get_untracked(),
        });
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="sms-phone">"手机号"</label>
                <input id="sms-phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" bind:value=phone />
            </div>
            <CaptchaField state=captcha />
            <SmsCodeField purpose=SmsPurpose::Login phone captcha code message />
            <p class="form__message" role="alert">{move || message.get()}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || login.pending().get()>"登录"</button>
            </div>
        </form>
    }
}
