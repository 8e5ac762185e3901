pub mod account;
pub mod fund;
pub mod loan;
pub mod plan;
pub mod print;
pub mod progress;
pub mod withdrawal;

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在。"</p>
            <a href="/login">"返回登录"</a>
        </section>
    }
}
