//! The seed's password rules, shown live while typing: which rule is still unmet.

use leptos::prelude::*;
use shared::account::{Password, PasswordRule};

#[component]
pub fn PasswordRules(value: RwSignal<String>) -> impl IntoView {
    let unmet = Memo::new(move |_| value.with(|v| Password::unmet_rules(v)));
    let strength = move || {
        value.with(|v| {
            (!v.is_empty()).then(|| format!("密码强度：{}", Password::strength(v).label()))
        })
    };
    view! {
        <ul class="rules" aria-label="密码规则">
            {PasswordRule::ALL.into_iter().map(|rule| {
                let met = move || !unmet.with(|u| u.contains(&rule));
                view! {
                    <li class:rules__met=met>
                        <span aria-hidden="true">{move || if met() { "✓ " } else { "✗ " }}</span>
                        {rule.label()}
                        <span class="visually-hidden">{move || if met() { "（已满足）" } else { "（未满足）" }}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="hint">{strength}</p>
    }
}
