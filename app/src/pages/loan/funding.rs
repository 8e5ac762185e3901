//! 资金来源 of a prepayment: 自有资金, 公积金余额, or 公积金余额 first and the rest 自有资金 — the
//! split computed by `shared::withdrawal::housing::split` on the fund balance the server sent,
//! shown with the trial and in the confirmation; the server fixes it again when it accepts.

use crate::components::submit::FiguresTable;
use leptos::prelude::*;
use rust_decimal::Decimal;
use shared::application::funding_rows;
use shared::loan::wire::TrialContext;
use shared::withdrawal::housing::{split, FundingSource};

/// The split of `total` for the source chosen: (label, figure) rows, or why 公积金余额 cannot pay.
pub fn split_rows(
    context: &TrialContext,
    source: FundingSource,
    total: Decimal,
) -> Result<Vec<(&'static str, String)>, String> {
    let balance = context.fund_balance.unwrap_or_default();
    split(total, source, balance, &context.housing)
        .map(|s| {
            funding_rows(source, s.from_fund, total)
                .into_iter()
                .zip(["资金来源", "公积金余额支付", "自有资金支付"])
                .map(|((_, value), label)| (label, value))
                .collect()
        })
        .map_err(|e| e.message)
}

/// The fund's part as the page shows it, sent with the submission (none for 自有资金).
pub fn shown_from_fund(
    context: &TrialContext,
    source: FundingSource,
    total: Option<Decimal>,
) -> Option<Decimal> {
    let total = total.filter(|_| source != FundingSource::Own)?;
    let balance = context.fund_balance.unwrap_or_default();
    split(total, source, balance, &context.housing)
        .ok()
        .map(|s| s.from_fund)
}

/// The confirmation's rows with the split after them (nothing added for 自有资金).
pub fn with_funding(
    context: &TrialContext,
    source: FundingSource,
    total: Option<Decimal>,
    mut rows: Vec<(&'static str, String)>,
) -> Vec<(&'static str, String)> {
    if let (Some(total), FundingSource::Fund | FundingSource::Both) = (total, source) {
        rows.extend(split_rows(context, source, total).unwrap_or_default());
    }
    rows
}

/// 提交 waits until the fund can pay what the source asks of it.
pub fn funding_ok(context: &TrialContext, source: FundingSource, total: Option<Decimal>) -> bool {
    total.is_none_or(|t| split_rows(context, source, t).is_ok())
}

/// The 资金来源 select, the split of the trial's total and its error.
#[component]
pub fn Funding(
    context: TrialContext,
    source: RwSignal<FundingSource>,
    total: Signal<Option<Decimal>>,
) -> impl IntoView {
    let balance = context.fund_balance;
    let committed = context.fund_committed;
    let rows = Signal::derive({
        let context = context.clone();
        move || match total.get() {
            Some(total) => split_rows(&context, source.get(), total).unwrap_or_default(),
            None => Vec::new(),
        }
    });
    let error = move || {
        total
            .get()
            .and_then(|t| split_rows(&context, source.get(), t).err())
    };
    view! {
        <div class="field">
            <label for="source">"资金来源"</label>
            <select id="source" prop:value=move || source.get().key()
                on:change=move |ev| source.set(FundingSource::from_key(&event_target_value(&ev)))>
                {FundingSource::ALL.into_iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
            </select>
            <span class="hint">{balance.map(|b| if committed.is_zero() {
                format!("公积金账户余额 {} 元", shared::money::format_thousands(b))
            } else {
                format!("公积金可用余额 {} 元（已扣除受理中业务 {} 元）", shared::money::format_thousands(b), shared::money::format_thousands(committed))
            })}</span>
            <span class="field__error" role="alert">{error}</span>
        </div>
        <Show when=move || source.get() != FundingSource::Own>
            <FiguresTable label="支付金额" rows />
            <p class="hint">"公积金余额部分于约定还款日日终从公积金账户扣划；自有资金部分请于约定还款日前存入还款储蓄账户。届时公积金可用余额不足的，本次提前还款不予办理。"</p>
        </Show>
    }
}
