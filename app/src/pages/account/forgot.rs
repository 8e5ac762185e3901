//! 忘记密码: 姓名, 证件号码, 手机号 → 短信验证码 (after the captcha) → new password twice. After a
//! reset every session of the member ends and the citizen logs in anew.

use super::captcha::{CaptchaField, CaptchaState};
use super::password_rules::PasswordRules;
use super::register::check_identity;
use super::sms_code::SmsCodeField;
use crate::api;
use crate::components::soft_keyboard::PasswordField;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::account::wire::{ResetRequest, SmsPurpose};

#[component]
pub fn Forgot() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let reset = Action::new_local(move |request: &ResetRequest| {
        let request = request.clone();
        async move { api::reset(&request).await }
    });
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(outcome)) => done.set(Some(outcome.message)),
        Some(Err(error)) => message.set(Some(error.message)),
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let checked = check_identity(
            &name.get_untracked(),
            &id_number.get_untracked(),
            &phone.get_untracked(),
            &password.get_untracked(),
            &confirm.get_untracked(),
        );
        if let Err(error) = checked {
            message.set(Some(error.message));
            return;
        }
        if sms_code.with_untracked(|c| c.trim().is_empty()) {
            message.set(Some("请输入短信验证码".into()));
            return;
        }
        message.set(None);
        reset.dispatch(ResetRequest {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            phone: phone.get_untracked(),
            sms_code: sms_code.get_untracked(),
            password: password.get_untracked(),
            password_confirm: confirm.get_untracked(),
        });
    };

    view! {
        <section class="card register" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"重置密码"</h1>
            <Show when=move || done.get().is_some() fallback=move || view! {
                <form class="form" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="name">"姓名"</label>
                        <input id="name" type="text" autocomplete="name" bind:value=name />
                    </div>
                    <div class="field">
                        <label for="id-number">"证件号码"</label>
                        <input id="id-number" type="text" autocomplete="off" maxlength="18" bind:value=id_number />
                    </div>
                    <div class="field">
                        <label for="phone">"手机号"</label>
                        <input id="phone" type="tel" autocomplete="tel" maxlength="13" bind:value=phone />
                    </div>
                    <CaptchaField state=captcha />
                    <SmsCodeField purpose=SmsPurpose::Reset phone captcha code=sms_code message />
                    <PasswordField id="password" label="新密码" value=password autocomplete="new-password" />
                    <PasswordRules value=password />
                    <PasswordField id="password-confirm" label="确认新密码" value=confirm autocomplete="new-password" />
                    <p class="form__message" role="alert">{move || message.get()}</p>
                    <div class="actions">
                        <button type="submit" class="button button--primary" disabled=move || reset.pending().get()>"重置密码"</button>
                        <a class="button" href="/login">"返回"</a>
                    </div>
                </form>
            }>
                <p class="success" role="status">{move || done.get()}</p>
                <a class="button button--primary" href="/login">"去登录"</a>
            </Show>
        </section>
    }
}
