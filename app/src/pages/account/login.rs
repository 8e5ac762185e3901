//! 个人用户登录: 用户名 (证件号码或手机号), 密码, 附加码, as on the manual's screen.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn Login() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let captcha = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let missing = [
            (username, "请输入用户名（证件号码或手机号）"),
            (password, "请输入密码"),
            (captcha, "请输入附加码"),
        ]
        .into_iter()
        .find(|(field, _)| field.with(|v| v.trim().is_empty()));
        message.set(missing.map(|(_, text)| text.to_owned()));
    };

    view! {
        <section class="card login" aria-labelledby="login-title">
            <h1 id="login-title">"个人用户登录"</h1>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="username">"用户名"</label>
                    <input id="username" name="username" type="text" autocomplete="username"
                        placeholder="证件号码或手机号" bind:value=username />
                </div>
                <div class="field">
                    <label for="password">"密码"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        bind:value=password />
                </div>
                <div class="field">
                    <label for="captcha">"附加码"</label>
                    <input id="captcha" name="captcha" type="text" autocomplete="off" maxlength="6"
                        bind:value=captcha />
                    <span class="hint">"（不区分大小写）"</span>
                </div>
                <p class="form__message" role="alert">{move || message.get()}</p>
                <div class="actions">
                    <button type="submit" class="button button--primary">"登录"</button>
                    <a class="button" href="/register">"新用户注册"</a>
                    <a class="button button--link" href="/forgot">"忘记密码"</a>
                </div>
            </form>
        </section>
    }
}
