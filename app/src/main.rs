//! 公积金个人网厅 — the browser app. Pages live under `pages/<capability>/`, the typed API client
//! in `api.rs`; every figure and rule comes from the `shared` crate.

mod api;
mod components;
mod layout;
mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <layout::Header />
            <main class="page">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::account::Login />
                    <Route path=path!("/login") view=pages::account::Login />
                    <Route path=path!("/register") view=pages::account::Register />
                    <Route path=path!("/forgot") view=pages::account::Forgot />
                    <Route path=path!("/home") view=|| view! {
                        <pages::account::RequireSession>
                            <pages::account::Home />
                        </pages::account::RequireSession>
                    } />
                </Routes>
            </main>
            <layout::Footer />
        </Router>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
