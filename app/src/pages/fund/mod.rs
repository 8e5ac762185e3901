//! 我的公积金账户 — the account on 首页, the 缴存明细 (year filter, pages, CSV, print) and the
//! 年度对账单. Figures and identities are `shared::fund`'s; the pages only show them.

use crate::api;
use crate::components::figures::{headers, yuan, DataTable, MemberHeaderView};
use crate::components::submit::FiguresTable;
use crate::layout::Frame;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::date::compact;
use shared::fund::wire::FundAccount;
use shared::fund::{Entry, EntryKind, Statement};

/// Rows per page of the 缴存明细.
pub const PAGE_SIZE: usize = 20;

fn year_query() -> Memo<Option<i32>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("year").and_then(|y| y.parse().ok())))
}

fn error_view(message: String) -> AnyView {
    view! { <p class="form__message" role="alert">{message}</p> }.into_any()
}

fn loading() -> AnyView {
    view! { <p class="loading">"正在加载……"</p> }.into_any()
}

/// 首页's account: what the fund holds for the citizen, with the ways into the 缴存明细 and the
/// 对账单.
#[component]
pub fn AccountCard() -> impl IntoView {
    let account = LocalResource::new(api::fund);
    view! {
        <section class="fund-account" aria-labelledby="fund-title">
            <h2 id="fund-title">"我的公积金账户"</h2>
            {move || match account.get() {
                None => loading(),
                Some(Err(e)) => error_view(e.message),
                Some(Ok(a)) => account_facts(a).into_any(),
            }}
            <nav class="home-links" aria-label="账户查询">
                <a class="button button--primary" href="/fund/entries">"缴存明细"</a>
                <a class="button" href="/fund/statement">"年度对账单"</a>
            </nav>
        </section>
    }
}

fn account_facts(a: FundAccount) -> impl IntoView {
    let rate = |r: rust_decimal::Decimal| format!("{}%", r.normalize());
    let unrecorded = || "未登记".to_owned();
    let card = a.card.map_or_else(
        || "未关联".to_owned(),
        |c| format!("{} {}（{}）", c.card.bank, c.card.number, c.status.label()),
    );
    let sealed = a.status != shared::member::AccountStatus::Normal;
    let monthly = match (a.monthly, a.unit_monthly, a.personal_monthly) {
        (Some(m), Some(u), Some(p)) => {
            let paused = if sealed { "；封存期间停缴" } else { "" };
            format!(
                "{} 元（单位 {} + 个人 {}{paused}）",
                yuan(m),
                yuan(u),
                yuan(p)
            )
        }
        _ => unrecorded(),
    };
    let facts = vec![
        ("账户余额", format!("{} 元", yuan(a.balance))),
        ("账户状态", a.status.label().to_owned()),
        (
            "缴存基数",
            a.contribution
                .map_or_else(unrecorded, |c| format!("{} 元", yuan(c.base))),
        ),
        (
            "缴存比例",
            a.contribution.map_or_else(unrecorded, |c| {
                format!(
                    "单位 {} / 个人 {}",
                    rate(c.unit_rate),
                    rate(c.personal_rate)
                )
            }),
        ),
        ("月缴存额", monthly),
        ("缴至年月", a.paid_through.unwrap_or_else(|| "—".to_owned())),
        (
            "开户日期",
            a.opened_on.map(compact).unwrap_or_else(unrecorded),
        ),
        ("关联储蓄卡", card),
    ];
    view! {
        <dl class="facts fund-facts">
            {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
        {a.history_incomplete.then(|| view! {
            <p class="notice" role="note">"缴存明细尚在补录，与账户余额暂不一致；账户余额以公积金中心记录为准。"</p>
        })}
    }
}

/// The 缴存明细 table, rows in the order given.
pub fn entries_table(rows: Vec<Entry>) -> impl IntoView {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|e| {
            let deposit = matches!(e.kind, EntryKind::Remittance | EntryKind::BackPay);
            let part = |v| if deposit { yuan(v) } else { String::new() };
            // What moved and the balance first: a phone shows them without scrolling sideways.
            vec![
                compact(e.date),
                e.kind.label().to_owned(),
                yuan(e.change()),
                yuan(e.balance),
                e.period.clone().unwrap_or_default(),
                part(e.unit),
                part(e.personal),
            ]
        })
        .collect();
    view! {
        <DataTable label="缴存明细表" text_columns=2
            headers=headers(&["记账日期", "业务类型", "发生额", "余额", "缴存年月", "单位缴存额", "个人缴存额"])
            rows=Signal::derive(move || rows.clone()) />
    }
}

/// The year filter: 全部 or one year; choosing one goes to its address (Back returns).
fn year_filter(
    base: &'static str,
    mut years: Vec<i32>,
    chosen: Option<i32>,
    all: bool,
) -> impl IntoView {
    let navigate = use_navigate();
    // A year typed into the address is shown as chosen even when it has no rows.
    if let Some(y) = chosen.filter(|y| !years.contains(y)) {
        years.push(y);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    view! {
        <div class="field field--inline no-print">
            <label for="year">"年度"</label>
            <select id="year" on:change=move |ev| {
                let value = event_target_value(&ev);
                let target = if value.is_empty() { base.to_owned() } else { format!("{base}?year={value}") };
                navigate(&target, Default::default());
            }>
                {all.then(|| view! { <option value="" selected=chosen.is_none()>"全部"</option> })}
                {years.into_iter().map(|y| view! {
                    <option value=y.to_string() selected=chosen == Some(y)>{format!("{y}年")}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// 缴存明细: a year or all, newest first, 20 rows a page; CSV and print of the whole selection.
#[component]
pub fn Entries() -> impl IntoView {
    let year = year_query();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let list = LocalResource::new(move || {
        let year = year.get();
        async move { api::fund_entries(year).await }
    });
    view! {
        <Frame current="我的公积金首页">
            <section class="card" aria-labelledby="entries-title">
                <h1 id="entries-title">"缴存明细"</h1>
                {move || match list.get() {
                    None => loading(),
                    Some(Err(e)) => error_view(e.message),
                    Some(Ok(list)) => {
                        let year = list.year;
                        let since = list.since;
                        let suffix = year.map_or_else(|| "全部".to_owned(), |y| y.to_string());
                        let csv = js_sys::encode_uri_component(&shared::fund::csv(&list.entries));
                        let csv = format!("data:text/csv;charset=utf-8,{}", String::from(csv));
                        let total = list.entries.len();
                        let pages = total.div_ceil(PAGE_SIZE).max(1);
                        let current = page.get().min(pages);
                        let rows: Vec<Entry> = list.entries.into_iter().rev()
                            .skip((current - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
                        let link = move |p: usize| match year {
                            Some(y) => format!("/fund/entries?year={y}&page={p}"),
                            None => format!("/fund/entries?page={p}"),
                        };
                        let print = match year {
                            Some(y) => format!("/print/fund/entries?year={y}&from=entries"),
                            None => "/print/fund/entries?from=entries".to_owned(),
                        };
                        view! {
                            <MemberHeaderView header=list.header />
                            {year_filter("/fund/entries", list.years, year, true)}
                            <p class="hint" role="status">{format!("共 {total} 条，第 {current}/{pages} 页（最新的在前）")}</p>
                            {since.map(|d| view! {
                                <p class="hint">{format!("本系统的明细自{}起，此前的记录已结转为期初余额；更早的明细请到柜台查询。", compact(d))}</p>
                            })}
                            {if total == 0 {
                                view! { <p>"所选年度没有缴存明细。"</p> }.into_any()
                            } else {
                                entries_table(rows).into_any()
                            }}
                            <nav class="pager actions no-print" aria-label="分页">
                                {(current > 1).then(|| view! { <a class="button" href=link(current - 1)>"上一页"</a> })}
                                {(current < pages).then(|| view! { <a class="button" href=link(current + 1)>"下一页"</a> })}
                            </nav>
                            <div class="actions no-print">
                                {(total > 0).then(|| view! {
                                    <a class="button" download=format!("缴存明细-{suffix}.csv") href=csv>"下载明细（CSV）"</a>
                                })}
                                <a class="button" href=print>"打印明细"</a>
                                <a class="button" href="/home">"返回首页"</a>
                            </div>
                        }.into_any()
                    }
                }}
            </section>
        </Frame>
    }
}

/// The 对账单's lines: (label, figure), in the order a statement reads.
pub fn statement_rows(s: &Statement) -> Vec<(&'static str, String)> {
    vec![
        ("期初余额（上年结转）", yuan(s.opening)),
        ("本年单位汇缴额", yuan(s.remittance_unit)),
        ("本年个人汇缴额", yuan(s.remittance_personal)),
        ("本年汇缴月数", format!("{}个月", s.remittance_months)),
        ("本年补缴", yuan(s.back_pay)),
        ("本年转入", yuan(s.transfer_in)),
        ("本年缴存合计", yuan(s.deposits)),
        ("本年提取", yuan(s.withdrawal)),
        ("本年转出", yuan(s.transfer_out)),
        ("本年支出合计", yuan(s.withdrawals)),
        ("本年结息", yuan(s.interest)),
        ("期末余额", yuan(s.closing)),
    ]
}

/// The 对账单 as a table, and the sum that checks it.
pub fn statement_table(s: &Statement) -> impl IntoView {
    let check = format!(
        "核对：期初余额 {} + 本年缴存合计 {} − 本年支出合计 {} + 本年结息 {} = 期末余额 {}",
        yuan(s.opening),
        yuan(s.deposits),
        yuan(s.withdrawals),
        yuan(s.interest),
        yuan(s.closing)
    );
    let period = format!("对账期间：{} 至 {}", compact(s.from), compact(s.to));
    let rows = statement_rows(s);
    view! {
        <p>{period}</p>
        <FiguresTable label="年度对账单" rows=Signal::derive(move || rows.clone()) />
        <p class="statement-check">{check}</p>
    }
}

/// The 对账单 of `year`, or of the latest year with rows; `None` when there are no rows at all.
pub async fn chosen_statement(
    year: Option<i32>,
) -> Result<Option<shared::fund::wire::StatementView>, shared::ApiError> {
    let year = match year {
        Some(y) => y,
        None => match api::fund().await?.years.first() {
            Some(y) => *y,
            None => return Ok(None),
        },
    };
    api::fund_statement(year).await.map(Some)
}

/// 年度对账单 of a chosen year (the latest with rows if none is chosen).
#[component]
pub fn StatementPage() -> impl IntoView {
    let year = year_query();
    let view_data = LocalResource::new(move || chosen_statement(year.get()));
    view! {
        <Frame current="我的公积金首页">
            <section class="card" aria-labelledby="statement-title">
                <h1 id="statement-title">"年度对账单"</h1>
                {move || match view_data.get() {
                    None => loading(),
                    Some(Err(e)) => error_view(e.message),
                    Some(Ok(None)) => view! { <p>"您的账户还没有缴存明细，暂无对账单。"</p> }.into_any(),
                    Some(Ok(Some(v))) => {
                        let y = v.statement.year;
                        let rates = v.rates.iter()
                            .map(|r| format!("自{}起年利率 {}%", compact(r.from), r.annual))
                            .collect::<Vec<_>>()
                            .join("；");
                        let rates = format!("本年度适用的存款利率：{rates}。");
                        view! {
                            <MemberHeaderView header=v.header />
                            {year_filter("/fund/statement", v.years, Some(y), false)}
                            <h2>{format!("{y}年度对账单")}</h2>
                            {statement_table(&v.statement)}
                            <details class="working">
                                <summary>"说明"</summary>
                                <ul>
                                    <li>"对账期间为公历年度（1月1日至12月31日；本系统明细开始的年度自期初余额之日起），所列即缴存明细中该年度的各笔记录。"</li>
                                    <li>"结息年度为上年7月1日至本年6月30日，每年6月30日结息：每日余额之和（积数）× 年利率 ÷ 360，四舍五入到分。"</li>
                                    <li>{rates}</li>
                                    <li>"月缴存额为缴存基数分别乘以单位、个人缴存比例，各自四舍五入到分后相加。"</li>
                                </ul>
                            </details>
                            <div class="actions no-print">
                                <a class="button button--primary" href=format!("/print/fund/statement?year={y}&from=statement")>"打印对账单"</a>
                                <a class="button" href=format!("/fund/entries?year={y}")>"查看本年缴存明细"</a>
                                <a class="button" href="/home">"返回首页"</a>
                            </div>
                        }.into_any()
                    }
                }}
            </section>
        </Frame>
    }
}
