//! What 注册 and 忘记密码 both ask, in the manual's order: 姓名, 证件号码, 手机号, 附加码, 短信验证码, a new
//! password and its confirmation. Checked by `shared::account::identity` before sending, and by the
//! server again.

use super::captcha::{CaptchaField, CaptchaState};
use super::password_rules::PasswordRules;
use super::sms_code::SmsCodeField;
use crate::components::soft_keyboard::PasswordField;
use leptos::prelude::*;
use shared::account::wire::SmsPurpose;

/// The fields' values.
#[derive(Clone, Copy)]
pub struct Identity {
    pub name: RwSignal<String>,
    pub id_number: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub sms_code: RwSignal<String>,
    pub password: RwSignal<String>,
    pub confirm: RwSignal<String>,
    pub captcha: CaptchaState,
}

impl Identity {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Identity {
            name: text(),
            id_number: text(),
            phone: text(),
            sms_code: text(),
            password: text(),
            confirm: text(),
            captcha: CaptchaState::new(),
        }
    }
}

/// The fields; `children` (注册's 证件类型) go between 姓名 and 证件号码.
#[component]
pub fn IdentityFields(
    identity: Identity,
    purpose: SmsPurpose,
    password_label: &'static str,
    confirm_label: &'static str,
    message: RwSignal<Option<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let Identity {
        name,
        id_number,
        phone,
        sms_code,
        password,
        confirm,
        captcha,
    } = identity;
    view! {
        <div class="field">
            <label for="name">"姓名"</label>
            <input id="name" type="text" autocomplete="name" bind:value=name />
        </div>
        {children.map(|c| c())}
        <div class="field">
            <label for="id-number">"证件号码"</label>
            <input id="id-number" type="text" autocomplete="off" maxlength="18" bind:value=id_number />
        </div>
        <div class="field">
            <label for="phone">"手机号"</label>
            <input id="phone" type="tel" autocomplete="tel" maxlength="13" bind:value=phone />
        </div>
        <CaptchaField state=captcha />
        <SmsCodeField purpose phone captcha code=sms_code message />
        <PasswordField id="password" label=password_label value=password autocomplete="new-password" />
        <PasswordRules value=password />
        <PasswordField id="password-confirm" label=confirm_label value=confirm autocomplete="new-password" />
    }
}
