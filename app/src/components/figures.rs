//! Figures as the hall prints them, and the member header every business page starts with.

use leptos::prelude::*;
use rust_decimal::Decimal;
use shared::loan::wire::MemberHeader;

/// "3,362.48": two decimals with thousands separators, one style for every amount of the hall
/// (the manual's list style).
pub fn yuan(value: Decimal) -> String {
    shared::money::format_thousands(value)
}

/// 单位账号, 单位名称, 个人账号, 姓名.
#[component]
pub fn MemberHeaderView(
    header: MemberHeader,
    /// "姓名：" on the loan screens, "个人姓名：" on 提取.
    #[prop(default = "姓名：")]
    name_label: &'static str,
) -> impl IntoView {
    view! {
        <dl class="member-header">
            <div><dt>"单位账号："</dt><dd>{header.unit_account}</dd></div>
            <div><dt>"单位名称："</dt><dd>{header.unit_name}</dd></div>
            <div><dt>"个人账号："</dt><dd>{header.personal_account}</dd></div>
            <div><dt>{name_label}</dt><dd>{header.name}</dd></div>
        </dl>
    }
}

/// The manual's 预约 block under 选择还款方式 (部分提前还本 and 提前结清贷款): what the reservation will
/// collect — total, principal, interest, refunded interest — or "—" while there is no trial.
pub fn reservation_rows(figures: Option<[Decimal; 4]>) -> Vec<(&'static str, String)> {
    const LABELS: [&str; 4] = [
        "预约提前还款总额",
        "预约提前结清本金",
        "预约提前结清利息",
        shared::application::Figure::RefundInterest.label(),
    ];
    LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| (*label, figures.map_or_else(|| "—".into(), |f| yuan(f[i]))))
        .collect()
}

/// 怎么算的: each figure's working in the citizen's own numbers, one disclosure per figure.
#[component]
pub fn Workings(workings: Signal<Vec<shared::loan::working::Working>>) -> impl IntoView {
    view! {
        <div class="workings">
            {move || workings.get().into_iter().map(|w| view! {
                <details class="working">
                    <summary>{w.figure}" "<span class="keep">{w.value}"："</span><span class="keep">"怎么算的"</span></summary>
                    <ol>{w.steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
                </details>
            }).collect_view()}
        </div>
    }
}

/// A table of rows under headers: every data table of the planner is this one component (each
/// distinct view is code of its own in the wasm). Cells after the first `text_columns` are figures
/// (`num`).
#[component]
pub fn DataTable(
    #[prop(into)] label: String,
    headers: Signal<Vec<String>>,
    rows: Signal<Vec<Vec<String>>>,
    /// Leading columns of words, not figures.
    #[prop(default = 1)]
    text_columns: usize,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="table">
                <thead><tr>{move || headers.get().into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|row| view! {
                        <tr>{row.into_iter().enumerate().map(|(i, cell)| view! { <td class:num={ i >= text_columns }>{cell}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Static headers for a [`DataTable`].
pub fn headers(names: &[&str]) -> Signal<Vec<String>> {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    Signal::derive(move || names.clone())
}
