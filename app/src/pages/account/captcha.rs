//! 附加码 — the server's image captcha with "看不清，换一张".

use crate::api;
use leptos::prelude::*;

/// The captcha's id and the citizen's answer, shared with the form that submits them.
#[derive(Clone, Copy)]
pub struct CaptchaState {
    pub id: RwSignal<String>,
    pub answer: RwSignal<String>,
    image: RwSignal<String>,
}

impl CaptchaState {
    pub fn new() -> Self {
        let state = CaptchaState {
            id: RwSignal::new(String::new()),
            answer: RwSignal::new(String::new()),
            image: RwSignal::new(String::new()),
        };
        state.refresh();
        state
    }

    /// A new captcha (each is single use), clearing the answer.
    pub fn refresh(self) {
        self.answer.set(String::new());
        leptos::task::spawn_local(async move {
            if let Ok(captcha) = api::captcha().await {
                self.id.set(captcha.id);
                self.image.set(captcha.image);
            }
        });
    }
}

#[component]
pub fn CaptchaField(state: CaptchaState) -> impl IntoView {
    view! {
        <div class="field">
            <label for="captcha">"附加码"</label>
            <div class="captcha">
                <input id="captcha" name="captcha" type="text" autocomplete="off" maxlength="4"
                    bind:value=state.answer />
                <img class="captcha__image" src=move || state.image.get() alt="附加码图片" width="160" height="56" />
                <button type="button" class="button button--link" on:click=move |_| state.refresh()>
                    "看不清，换一张"
                </button>
            </div>
            <span class="hint">"（不区分大小写）"</span>
        </div>
    }
}
