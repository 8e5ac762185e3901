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
                <layout::OfflineNotice />
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::account::Login />
                    <Route path=path!("/login") view=pages::account::Login />
                    <Route path=path!("/register") view=pages::account::Register />
                    <Route path=path!("/forgot") view=pages::account::Forgot />
                    <Route path=path!("/calculator") view=pages::loan::Calculator />
                    <Route path=path!("/home") view=|| guarded(pages::account::Home) />
                    <Route path=path!("/loans") view=|| guarded(pages::loan::Loans) />
                    <Route path=path!("/loans/:no") view=|| guarded(pages::loan::Detail) />
                    <Route path=path!("/loans/:no/history") view=|| guarded(pages::loan::History) />
                    <Route path=path!("/loans/:no/schedule") view=|| guarded(pages::loan::SchedulePage) />
                    <Route path=path!("/loans/:no/prepayment") view=|| guarded(pages::loan::Prepayment) />
                    <Route path=path!("/loans/:no/settlement") view=|| guarded(pages::loan::Settlement) />
                    <Route path=path!("/loans/:no/account") view=|| guarded(pages::loan::ChangeAccount) />
                    <Route path=path!("/loans/:no/adjust") view=|| guarded(pages::loan::AdjustTerm) />
                </Routes>
            </main>
            <layout::Footer />
        </Router>
    }
}

/// A page that needs a session.
fn guarded<V: IntoView + 'static>(page: fn() -> V) -> impl IntoView {
    view! { <pages::account::RequireSession>{move || page()}</pages::account::RequireSession> }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
