//! 公积金个人网厅 — the browser app. Pages live under `pages/<capability>/`, the typed API client
//! in `api.rs`; every figure and rule comes from the `shared` crate.

mod api;
mod components;
mod layout;
mod pages;

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_location;

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <layout::Header />
            <main class="page">
                <layout::OfflineNotice />
                <Pages />
            </main>
            <layout::Footer />
        </Router>
    }
}

/// The page for the current path. One match instead of a `<Routes>` table: each `<Route>` is
/// its own generic instantiation, and the bundle budget is tight (the router's links, history and
/// location are still leptos_router's).
#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    move || path.with(|path| page(path))
}

fn page(path: &str) -> AnyView {
    use pages::{account, loan};
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] | ["login"] => account::Login().into_any(),
        ["register"] => account::Register().into_any(),
        ["forgot"] => account::Forgot().into_any(),
        ["calculator"] => loan::Calculator().into_any(),
        ["home"] => guarded(|| account::Home().into_any()),
        ["loans"] => guarded(|| loan::Loans().into_any()),
        ["loans", _] => guarded(|| loan::Detail().into_any()),
        ["loans", _, "history"] => guarded(|| loan::History().into_any()),
        ["loans", _, "schedule"] => guarded(|| loan::SchedulePage().into_any()),
        ["loans", _, "prepayment"] => guarded(|| loan::Prepayment().into_any()),
        ["loans", _, "settlement"] => guarded(|| loan::Settlement().into_any()),
        ["loans", _, "account"] => guarded(|| loan::ChangeAccount().into_any()),
        ["loans", _, "adjust"] => guarded(|| loan::AdjustTerm().into_any()),
        ["withdrawal"] => guarded(|| pages::withdrawal::Withdrawal().into_any()),
        ["progress"] => guarded(|| pages::progress::ProgressPage().into_any()),
        ["print"] => guarded(|| pages::print::PrintIndex().into_any()),
        ["print", "applications", _] => guarded(|| pages::print::Receipt().into_any()),
        ["print", "loans", _, "schedule"] => guarded(|| pages::print::PrintSchedule().into_any()),
        ["print", "loans", _, "statement"] => guarded(|| pages::print::PrintStatement().into_any()),
        _ => pages::NotFound().into_any(),
    }
}

/// A page that needs a session (one instantiation for every page: bundle size).
fn guarded(page: fn() -> AnyView) -> AnyView {
    view! { <pages::account::RequireSession>{move || page()}</pages::account::RequireSession> }
        .into_any()
}

fn main() {
    leptos::mount::mount_to_body(App);
}
