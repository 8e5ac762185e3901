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
///
/// leptos_router writes a link's address to the history only when the routes tell it the new
/// page is ready (`ready_to_complete`), which its `<Routes>` do; this match does the same once
/// the page for the new path is chosen, so Back, Forward, Reload and bookmarks work.
#[component]
fn Pages() -> impl IntoView {
    use leptos_router::location::{BrowserUrl, LocationProvider};
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    let history = use_context::<BrowserUrl>();
    Effect::new(move |_| {
        path.track();
        if let Some(history) = &history {
            history.ready_to_complete();
        }
    });
    move || {
        path.with(|path| {
            let screen = screen(path);
            set_title(screen.title);
            if screen.guarded {
                guarded(screen.view)
            } else {
                (screen.view)()
            }
        })
    }
}

/// One screen of the hall: its title (the browser's tab names it) and its page.
struct Screen {
    title: &'static str,
    view: fn() -> AnyView,
    /// Behind a login.
    guarded: bool,
}

fn screen(path: &str) -> Screen {
    use pages::{account, fund, loan, plan, print, progress, withdrawal};
    let open = |title, view| Screen {
        title,
        view,
        guarded: false,
    };
    let behind_login = |title, view| Screen {
        title,
        view,
        guarded: true,
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] | ["login"] => open("个人用户登录", || account::Login().into_any()),
        ["register"] => open("个人用户注册", || account::Register().into_any()),
        ["forgot"] => open("忘记密码", || account::Forgot().into_any()),
        ["calculator"] => open("贷款试算器", || loan::Calculator().into_any()),
        ["plan"] => open("还款规划", || plan::PublicPlan().into_any()),
        ["home"] => behind_login("我的住房公积金首页", || account::Home().into_any()),
        ["fund", "entries"] => behind_login("缴存明细", || fund::Entries().into_any()),
        ["fund", "statement"] => {
            behind_login("年度对账单", || fund::StatementPage().into_any())
        }
        ["loans"] => behind_login("我的贷款", || loan::Loans().into_any()),
        ["loans", _] => behind_login("贷款详情", || loan::Detail().into_any()),
        ["loans", _, "history"] => behind_login("贷款明细", || loan::History().into_any()),
        ["loans", _, "schedule"] => {
            behind_login("还款计划", || loan::SchedulePage().into_any())
        }
        ["loans", _, "prepayment"] => {
            behind_login("部分提前还本", || loan::Prepayment().into_any())
        }
        ["loans", _, "settlement"] => {
            behind_login("提前结清贷款", || loan::Settlement().into_any())
        }
        ["loans", _, "account"] => {
            behind_login("变更还款账号", || loan::ChangeAccount().into_any())
        }
        ["loans", _, "plan"] => behind_login("还款规划", || plan::LoanPlan().into_any()),
        ["loans", _, "adjust"] => {
            behind_login("调整月还款额", || loan::AdjustTerm().into_any())
        }
        ["withdrawal"] => behind_login("提取", || withdrawal::Withdrawal().into_any()),
        ["progress"] => behind_login("业务进度查询", || progress::ProgressPage().into_any()),
        ["print"] => behind_login("查询打印", || print::PrintIndex().into_any()),
        ["print", "applications", _] => {
            behind_login("业务回执", || print::Receipt().into_any())
        }
        ["print", "fund", "entries"] => {
            behind_login("打印缴存明细", || print::PrintEntries().into_any())
        }
        ["print", "fund", "statement"] => behind_login("打印年度对账单", || {
            print::PrintFundStatement().into_any()
        }),
        ["print", "loans", _, "schedule"] => {
            behind_login("打印还款计划", || print::PrintSchedule().into_any())
        }
        ["print", "loans", _, "statement"] => {
            behind_login("打印贷款明细", || print::PrintStatement().into_any())
        }
        _ => open("页面不存在", || pages::NotFound().into_any()),
    }
}

/// `部分提前还本 - 个人网上服务大厅`: the screen first, as a tab strip shows it.
fn set_title(screen: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{screen} - 个人网上服务大厅"));
    }
}

/// A page that needs a session (one instantiation for every page: bundle size).
fn guarded(page: fn() -> AnyView) -> AnyView {
    view! { <pages::account::RequireSession>{move || page()}</pages::account::RequireSession> }
        .into_any()
}

fn main() {
    // `index.html` shows the centre's header and a loading line until the app is here.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}
