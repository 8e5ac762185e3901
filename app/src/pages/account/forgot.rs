//! 忘记密码: 姓名, 证件号码, 手机号 → 短信验证码 (after the captcha) → new password twice. After a
//! reset every session of the member ends and the citizen logs in anew.

use super::identity::{Identity, IdentityFields};
use crate::api;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::account::wire::{ResetRequest, SmsPurpose};

#[component]
pub fn Forgot() -> impl IntoView {
    let identity = Identity::new();
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
        let request = ResetRequest {
            name: identity.name.get_untracked(),
            id_number: identity.id_number.get_untracked(),
            phone: identity.phone.get_untracked(),
            sms_code: identity.sms_code.get_untracked(),
            password: identity.password.get_untracked(),
            password_confirm: identity.confirm.get_untracked(),
        };
        // The business date is the server's: it checks the birth date.
        match request.check(chrono::NaiveDate::MAX) {
            Err(error) => message.set(Some(error.message)),
            Ok(_) => {
                message.set(None);
                reset.dispatch(request);
            }
        }
    };

    view! {
        <section class="card register" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"重置密码"</h1>
            <Show when=move || done.get().is_some() fallback=move || view! {
                <form class="form" on:submit=on_submit novalidate>
                    <IdentityFields identity purpose=SmsPurpose::Reset password_label="新密码" confirm_label="确认新密码" message />
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
