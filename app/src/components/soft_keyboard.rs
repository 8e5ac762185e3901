//! 软键盘 — the on-screen keyboard for password fields that Chinese government and bank portals
//! offer: digits in a new random order each time it opens, letters with a shift key, common
//! symbols, backspace and close. It writes only into the field's own signal; typing on the real
//! keyboard keeps working.

use leptos::prelude::*;

const LETTER_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const SYMBOLS: &str = "!@#$%^&*()-_=+.,?";

/// The ten digits in an order drawn from the browser's CSPRNG (Fisher–Yates).
fn shuffled_digits() -> Vec<char> {
    let mut digits: Vec<char> = ('0'..='9').collect();
    let mut random = [0u8; 10];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    for i in (1..digits.len()).rev() {
        let j = usize::from(random[i]) % (i + 1);
        digits.swap(i, j);
    }
    digits
}

/// A password input with its 软键盘 button. `id` ties the `<label>` to the input.
#[component]
pub fn PasswordField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let digits = RwSignal::new(shuffled_digits());
    let shift = RwSignal::new(false);
    let toggle = move |_| {
        if !open.get_untracked() {
            digits.set(shuffled_digits());
        }
        open.update(|o| *o = !*o);
    };
    let press = move |c: char| {
        value.update(|v| {
            if v.chars().count() < 16 {
                v.push(c)
            }
        })
    };
    let key = move |c: char| {
        let shown = move || {
            if shift.get() {
                c.to_ascii_uppercase()
            } else {
                c
            }
        };
        view! {
            <button type="button" class="key" aria-label=move || format!("输入 {}", shown())
                on:click=move |_| press(shown())>{shown}</button>
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="password-input">
                <input id=id type="password" autocomplete=autocomplete.unwrap_or("current-password")
                    maxlength="16" bind:value=value />
                <button type="button" class="button button--small" aria-expanded=move || open.get().to_string()
                    aria-controls=format!("{id}-keyboard") on:click=toggle>"软键盘"</button>
            </div>
            <Show when=move || open.get()>
                <div class="soft-keyboard" id=format!("{id}-keyboard") role="group" aria-label=format!("{label}软键盘")>
                    <div class="soft-keyboard__row">
                        {move || digits.get().into_iter().map(key).collect_view()}
                    </div>
                    {LETTER_ROWS.iter().map(|row| view! {
                        <div class="soft-keyboard__row">{row.chars().map(key).collect_view()}</div>
                    }).collect_view()}
                    <div class="soft-keyboard__row">{SYMBOLS.chars().map(key).collect_view()}</div>
                    <div class="soft-keyboard__row">
                        <button type="button" class="key key--wide" aria-pressed=move || shift.get().to_string()
                            on:click=move |_| shift.update(|s| *s = !*s)>
                            {move || if shift.get() { "小写" } else { "大写" }}
                        </button>
                        <button type="button" class="key key--wide" aria-label="退格"
                            on:click=move |_| value.update(|v| { v.pop(); })>"退格"</button>
                        <button type="button" class="key key--wide" aria-label="关闭软键盘"
                            on:click=move |_| open.set(false)>"关闭"</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
