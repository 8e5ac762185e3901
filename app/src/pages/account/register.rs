//! 个人用户注册: 姓名, 证件类型, 证件号码, 手机号, 短信验证码, 输入密码, 确认密码, 《注册协议》, as in the
//! manual. 姓名、证件号码、手机号 must match the centre's records (checked by the server).

use super::captcha::{CaptchaField, CaptchaState};
use super::password_rules::PasswordRules;
use super::sms_code::SmsCodeField;
use crate::api;
use crate::components::soft_keyboard::PasswordField;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::account::wire::{RegisterRequest, SmsPurpose, ID_TYPES};
use shared::account::{IdNumber, Password, PersonName, Phone};
use shared::ApiError;

/// The checks the browser can make before sending, in the order of the form; the server makes
/// them again.
pub fn check_identity(
    name: &str,
    id_number: &str,
    phone: &str,
    password: &str,
    confirm: &str,
) -> Result<(), ApiError> {
    PersonName::parse(name)?;
    // The future-birth-date check needs the business date: the server applies it.
    IdNumber::parse(id_number, chrono::NaiveDate::MAX)?;
    Phone::parse(phone)?;
    Password::parse("password", password)?;
    if password != confirm {
        return Err(ApiError::field(
            "password_confirm",
            "password_mismatch",
            "两次输入的密码不一致",
        ));
    }
    Ok(())
}

#[component]
pub fn Register() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let id_type = RwSignal::new("id_card".to_owned());
    let id_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let show_agreement = RwSignal::new(false);
    let captcha = CaptchaState::new();
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let register = Action::new_local(move |request: &RegisterRequest| {
        let request = request.clone();
        async move { api::register(&request).await }
    });
    Effect::new(move |_| match register.value().get() {
        Some(Ok(outcome)) => done.set(Some(outcome.message)),
        Some(Err(error)) => message.set(Some(error.message)),
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if id_type.get_untracked() != "id_card" {
            message.set(Some(
                "网上注册暂只支持身份证，其他证件请到业务受理大厅窗口办理".into(),
            ));
            return;
        }
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
        if !agreed.get_untracked() {
            message.set(Some("请阅读并同意《注册协议》".into()));
            return;
        }
        message.set(None);
        register.dispatch(RegisterRequest {
            name: name.get_untracked(),
            id_type: id_type.get_untracked(),
            id_number: id_number.get_untracked(),
            phone: phone.get_untracked(),
            sms_code: sms_code.get_untracked(),
            password: password.get_untracked(),
            password_confirm: confirm.get_untracked(),
            agreed: true,
        });
    };

    view! {
        <section class="card register" aria-labelledby="register-title">
            <h1 id="register-title">"个人用户注册"</h1>
            <Show when=move || done.get().is_some() fallback=move || view! {
                <form class="form" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="name">"姓名"</label>
                        <input id="name" type="text" autocomplete="name" bind:value=name />
                    </div>
                    <div class="field">
                        <label for="id-type">"证件类型"</label>
                        <select id="id-type" on:change=move |ev| id_type.set(event_target_value(&ev))>
                            {ID_TYPES.iter().map(|(value, label)| view! {
                                <option value=*value selected=*value == "id_card">{*label}</option>
                            }).collect_view()}
                        </select>
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
                    <SmsCodeField purpose=SmsPurpose::Register phone captcha code=sms_code message />
                    <PasswordField id="password" label="输入密码" value=password autocomplete="new-password" />
                    <PasswordRules value=password />
                    <PasswordField id="password-confirm" label="确认密码" value=confirm autocomplete="new-password" />
                    <div class="field field--check">
                        <input id="agreed" type="checkbox" bind:checked=agreed />
                        <label for="agreed">"本人已阅读并同意"</label>
                        <button type="button" class="button button--link" on:click=move |_| show_agreement.set(true)>
                            "《注册协议》"
                        </button>
                    </div>
                    <p class="note">"注：姓名、证件号码、手机号码需要在公积金后台有匹配信息才能注册成功。"</p>
                    <p class="form__message" role="alert">{move || message.get()}</p>
                    <div class="actions">
                        <button type="submit" class="button button--primary" disabled=move || register.pending().get()>"注册"</button>
                        <a class="button" href="/login">"返回"</a>
                    </div>
                </form>
            }>
                <p class="success" role="status">{move || done.get()}</p>
                <a class="button button--primary" href="/login">"去登录"</a>
            </Show>
            <Show when=move || show_agreement.get()>
                <div class="dialog-backdrop">
                    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="agreement-title">
                        <h2 id="agreement-title">"注册协议"</h2>
                        <div class="dialog__body">
                            <p>"一、本网厅由住房公积金管理中心提供，用于缴存职工查询本人住房公积金账户、贷款信息及办理相关业务。"</p>
                            <p>"二、用户应使用本人真实身份信息注册，姓名、证件号码、手机号码须与中心登记信息一致。"</p>
                            <p>"三、用户应妥善保管登录密码及短信验证码，因用户原因泄露造成的损失由用户本人承担。"</p>
                            <p>"四、用户通过本网厅提交的业务申请，与在业务受理大厅窗口办理具有同等效力。"</p>
                            <p>"五、中心依法保护用户个人信息，仅用于办理住房公积金业务。"</p>
                        </div>
                        <button type="button" class="button button--primary" on:click=move |_| show_agreement.set(false)>
                            "我已阅读"
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
}
