//! 个人用户注册: 姓名, 证件类型, 证件号码, 手机号, 短信验证码, 输入密码, 确认密码, 《注册协议》, as in the
//! manual. 姓名、证件号码、手机号 must match the centre's records (checked by the server).

use super::identity::{Identity, IdentityFields};
use crate::api;
use crate::components::dialog::Modal;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::account::wire::{RegisterRequest, SmsPurpose, ID_TYPES};

#[component]
pub fn Register() -> impl IntoView {
    let identity = Identity::new();
    let id_type = RwSignal::new("id_card".to_owned());
    let agreed = RwSignal::new(false);
    let show_agreement = RwSignal::new(false);
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
        let request = RegisterRequest {
            name: identity.name.get_untracked(),
            id_type: id_type.get_untracked(),
            id_number: identity.id_number.get_untracked(),
            phone: identity.phone.get_untracked(),
            sms_code: identity.sms_code.get_untracked(),
            password: identity.password.get_untracked(),
            password_confirm: identity.confirm.get_untracked(),
            agreed: agreed.get_untracked(),
        };
        // The business date is the server's: it checks the birth date.
        match request.check(chrono::NaiveDate::MAX) {
            Err(error) => message.set(Some(error.message)),
            Ok(_) => {
                message.set(None);
                register.dispatch(request);
            }
        }
    };

    view! {
        <section class="card register" aria-labelledby="register-title">
            <h1 id="register-title">"个人用户注册"</h1>
            <Show when=move || done.get().is_some() fallback=move || view! {
                <form class="form" on:submit=on_submit novalidate>
                    <IdentityFields identity purpose=SmsPurpose::Register password_label="输入密码" confirm_label="确认密码" message>
                        <div class="field">
                            <label for="id-type">"证件类型"</label>
                            <select id="id-type" on:change=move |ev| id_type.set(event_target_value(&ev))>
                                {ID_TYPES.iter().map(|(value, label)| view! {
                                    <option value=*value selected=*value == "id_card">{*label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </IdentityFields>
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
            <Modal open=show_agreement labelled_by="agreement-title">
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
            </Modal>
        </section>
    }
}
