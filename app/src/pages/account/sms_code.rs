//! 短信验证码 with 获取验证码: the captcha must be solved first (no SMS bombing), then a 60-second
//! countdown before the next request.

use super::captcha::CaptchaState;
use crate::api;
use leptos::prelude::*;
use shared::account::wire::{SmsPurpose, SmsRequest};
use shared::account::Phone;
use std::time::Duration;

#[component]
pub fn SmsCodeField(
    purpose: SmsPurpose,
    phone: RwSignal<String>,
    captcha: CaptchaState,
    code: RwSignal<String>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let countdown = RwSignal::new(0u32);
    let info = RwSignal::new(None::<String>);
    let tick = move || {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                countdown.update(|c| *c = c.saturating_sub(1));
            },
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    };
    tick();
    let send = Action::new_local(move |request: &SmsRequest| {
        let request = request.clone();
        async move { api::send_sms(&request).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = send.value().get() {
            match outcome {
                Ok(sent) => {
                    info.set(Some(sent.message));
                    countdown.set(sent.resend_after_seconds);
                }
                Err(error) => message.set(Some(error.message)),
            }
            // A captcha is spent by any attempt.
            captcha.refresh();
        }
    });
    let request_code = move |_: leptos::ev::MouseEvent| {
        if let Err(error) = Phone::parse(&phone.get_untracked()) {
            message.set(Some(error.message));
            return;
        }
        if captcha.answer.with_untracked(|a| a.trim().is_empty()) {
            message.set(Some("请先输入附加码，再获取短信验证码".into()));
            return;
        }
        message.set(None);
        send.dispatch(SmsRequest {
            purpose,
            phone: phone.get_untracked(),
            captcha_id: captcha.id.get_untracked(),
            captcha: captcha.answer.get_untracked(),
        });
    };
    let label = move || match countdown.get() {
        0 => "获取验证码".to_owned(),
        n => format!("{n}秒后重新获取"),
    };
    view! {
        <div class="field">
            <label for="sms-code">"短信验证码"</label>
            <div class="password-input">
                <input id="sms-code" name="sms_code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="6" bind:value=code />
                <button type="button" class="button button--small"
                    disabled=move || { countdown.get() > 0 || send.pending().get() }
                    on:click=request_code>
                    {label}
                </button>
            </div>
            <span class="hint" role="status">{move || info.get()}</span>
        </div>
    }
}
