//! 查询打印 — print-friendly views: the receipt of each application, the loan's schedule and its
//! statement (明细). On paper (`@media print`) only the centre's name, the title, the figures and
//! the date remain.

use crate::api;
use crate::layout::{path_segment, Frame};
use crate::pages::fund;
use crate::pages::loan::detail::{history_table, schedule_summary, schedule_table};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::date::compact;

/// 查询打印: what can be printed.
#[component]
pub fn PrintIndex() -> impl IntoView {
    let data = LocalResource::new(|| async { (api::progress().await, api::loans().await) });
    view! {
        <Frame current="查询打印">
            <section class="card" aria-labelledby="print-title">
                <h1 id="print-title">"查询打印"</h1>
                {move || data.get().map(|(applications, loans)| view! {
                    <h2>"业务回执"</h2>
                    {match applications {
                        Ok(list) if !list.is_empty() => view! {
                            <ul class="link-list">
                                {list.into_iter().map(|p| view! {
                                    <li><a href=format!("/print/applications/{}", p.application_no)>
                                        {format!("{} {}（{}）", p.title(), p.application_no, p.status.label())}
                                    </a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(_) => view! { <p>"暂无业务申请。"</p> }.into_any(),
                        Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
                    }}
                    <h2>"公积金账户"</h2>
                    <div class="actions">
                        <a class="button" href="/print/fund/entries">"打印缴存明细（全部）"</a>
                        <a class="button" href="/print/fund/statement">"打印年度对账单（最近年度）"</a>
                        <a class="button" href="/fund/entries">"按年度选择…"</a>
                    </div>
                    <h2>"贷款"</h2>
                    {match loans {
                        Ok(list) if !list.loans.is_empty() => view! {
                            <ul class="link-list">
                                {list.loans.into_iter().map(|l| view! {
                                    <li>
                                        {format!("借款人编号 {}：", l.borrower_no)}
                                        <a href=format!("/print/loans/{}/schedule", l.borrower_no)>"打印还款计划"</a>" "
                                        <a href=format!("/print/loans/{}/statement", l.borrower_no)>"打印贷款明细"</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(_) => view! { <p>"暂无贷款。"</p> }.into_any(),
                        Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
                    }}
                })}
            </section>
        </Frame>
    }
}

/// Where a sheet's 返回 leads: the page it was opened from (`?from=`, kept across a reload), else
/// 查询打印.
fn back_link() -> (String, &'static str) {
    let query = use_query_map();
    query.with_untracked(|q| {
        let year = q.get("year").and_then(|y| y.parse::<i32>().ok());
        let with_year = |page: &str| match year {
            Some(y) => format!("{page}?year={y}"),
            None => page.to_owned(),
        };
        match q.get("from").as_deref() {
            Some("progress") => ("/progress".to_owned(), "返回业务进度查询"),
            Some("entries") => (with_year("/fund/entries"), "返回缴存明细"),
            Some("statement") => (with_year("/fund/statement"), "返回年度对账单"),
            _ => ("/print".to_owned(), "返回查询打印"),
        }
    })
}

/// A printable sheet: the centre's name, the title, the business date, 打印 and 返回.
#[component]
fn Sheet(title: &'static str, children: Children) -> impl IntoView {
    let (back, back_label) = back_link();
    let clock = LocalResource::new(api::clock);
    let date = move || {
        clock
            .get()
            .and_then(Result::ok)
            .map(|c| format!("打印日期：{}", c.date.replace('-', "")))
    };
    view! {
        <article class="card sheet" aria-labelledby="sheet-title">
            <header class="sheet__head">
                <p class="sheet__centre">"住房公积金管理中心"</p>
                <h1 id="sheet-title">{title}</h1>
                <p class="sheet__date">{date}</p>
            </header>
            {children()}
            <div class="actions no-print">
                <button type="button" class="button button--primary" on:click=|_| {
                    if let Some(window) = web_sys::window() { let _ = window.print(); }
                }>"打印"</button>
                <a class="button" href=back>{back_label}</a>
            </div>
        </article>
    }
}

/// 业务回执 of one application.
#[component]
pub fn Receipt() -> impl IntoView {
    let no = path_segment(3);
    let data = LocalResource::new(move || {
        let no = no.clone();
        async move { (api::application(&no).await, api::me().await) }
    });
    view! {
        <Sheet title="业务回执">
            {move || data.get().map(|result| match result {
                (Ok(p), Ok(me)) => {
                    let mut rows = vec![
                        ("申请编号".to_owned(), p.application_no.clone()),
                        ("业务名称".to_owned(), p.title().to_owned()),
                        ("姓名".to_owned(), me.name.clone()),
                        ("个人账号".to_owned(), me.personal_account.clone()),
                        ("提交时间".to_owned(), p.submitted_at.clone()),
                        ("预约/生效日期".to_owned(), p.effective_date.map(compact).unwrap_or_else(|| "—".into())),
                        ("办理状态".to_owned(), p.status.label().to_owned()),
                    ];
                    // The amount is among the figures (提前还款总额, 提取金额), labelled by
                    // `shared::application`.
                    if let Some(no) = &p.borrower_no {
                        rows.insert(2, ("借款人编号".to_owned(), no.clone()));
                    }
                    rows.extend(p.figures.clone());
                    if let Some(reason) = &p.reason {
                        rows.push(("原因".to_owned(), reason.clone()));
                    }
                    view! {
                        <table class="table table--figures" aria-label="业务回执">
                            <tbody>
                                {rows.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
                (Err(e), _) | (_, Err(e)) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
            })}
        </Sheet>
    }
}

/// 还款计划, every remaining period.
#[component]
pub fn PrintSchedule() -> impl IntoView {
    let no = path_segment(3);
    let title = format!("借款人编号：{no}");
    let schedule = LocalResource::new(move || {
        let no = no.clone();
        async move { api::schedule(&no).await }
    });
    view! {
        <Sheet title="还款计划">
            <p>{title}</p>
            {move || schedule.get().map(|result| match result {
                Ok(s) => view! { {schedule_summary(&s)} {schedule_table(s.rows)} }.into_any(),
                Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
            })}
        </Sheet>
    }
}

/// 贷款明细, the statement.
#[component]
pub fn PrintStatement() -> impl IntoView {
    let no = path_segment(3);
    let title = format!("借款人编号：{no}");
    let rows = LocalResource::new(move || {
        let no = no.clone();
        async move { api::transactions(&no).await }
    });
    view! {
        <Sheet title="贷款明细">
            <p>{title}</p>
            {move || rows.get().map(|result| match result {
                Ok(rows) => history_table(rows).into_any(),
                Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
            })}
        </Sheet>
    }
}

/// 缴存明细 on paper: every row of the chosen year (or all), oldest first.
#[component]
pub fn PrintEntries() -> impl IntoView {
    let year = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let list = LocalResource::new(move || api::fund_entries(year));
    view! {
        <Sheet title="缴存明细">
            {move || list.get().map(|result| match result {
                Ok(list) => view! {
                    <p>{format!(
                        "个人账号：{}　姓名：{}　年度：{}",
                        list.header.personal_account,
                        list.header.name,
                        list.year.map_or_else(|| "全部".to_owned(), |y| y.to_string())
                    )}</p>
                    {fund::entries_table(list.entries)}
                }.into_any(),
                Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
            })}
        </Sheet>
    }
}

/// 年度对账单 on paper.
#[component]
pub fn PrintFundStatement() -> impl IntoView {
    let year = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let statement = LocalResource::new(move || fund::chosen_statement(year));
    view! {
        <Sheet title="年度对账单">
            {move || statement.get().map(|result| match result {
                Ok(None) => view! { <p>"您的账户还没有缴存明细，暂无对账单。"</p> }.into_any(),
                Ok(Some(v)) => view! {
                    <p>{format!(
                        "个人账号：{}　姓名：{}　单位名称：{}",
                        v.header.personal_account, v.header.name, v.header.unit_name
                    )}</p>
                    {fund::statement_table(&v.statement)}
                }.into_any(),
                Err(e) => view! { <p class="form__message" role="alert">{e.message}</p> }.into_any(),
            })}
        </Sheet>
    }
}
