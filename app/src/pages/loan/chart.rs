//! The remaining balance over time, before and after a prepayment, as an SVG (no chart library).
//! Coordinates are computed in Decimal like every figure; the SVG scales to any width.

use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

const WIDTH: i64 = 600;
const HEIGHT: i64 = 220;
const LEFT: i64 = 8;
const TOP: i64 = 10;

fn points(balances: &[Decimal], max_balance: Decimal, periods: usize) -> String {
    let span = Decimal::from(periods.max(1) as i64);
    let (width, height) = (
        Decimal::from(WIDTH - 2 * LEFT),
        Decimal::from(HEIGHT - 2 * TOP),
    );
    balances
        .iter()
        .enumerate()
        .map(|(i, balance)| {
            let x = LEFT
                + (Decimal::from(i as i64) * width / span)
                    .round()
                    .to_i64()
                    .unwrap_or(0);
            let y = TOP
                + (height - *balance * height / max_balance)
                    .round()
                    .to_i64()
                    .unwrap_or(0);
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `before` and `after`: the balance at the start and after each installment.
#[component]
pub fn BalanceChart(
    before: Vec<Decimal>,
    after: Vec<Decimal>,
    #[prop(into)] caption: String,
) -> impl IntoView {
    let max_balance = before
        .iter()
        .chain(after.iter())
        .copied()
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let periods = before.len().max(after.len());
    let before_line = points(&before, max_balance, periods);
    let after_line = points(&after, max_balance, periods);
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone()>
                <line x1=LEFT y1=HEIGHT - TOP x2=WIDTH - LEFT y2=HEIGHT - TOP class="chart__axis" />
                <polyline points=before_line class="chart__before" />
                <polyline points=after_line class="chart__after" />
            </svg>
            <figcaption>
                <span class="legend legend--before">"提前还本前"</span>
                <span class="legend legend--after">"提前还本后"</span>
                <span>{caption}</span>
            </figcaption>
        </figure>
    }
}
