//! The remaining balance over time, before and after a prepayment, as an SVG (no chart library):
//! labelled axes (years, 万元), a legend, the two lines distinct by colour *and* dash with the
//! difference shaded, a marker every five years that shows its values on hover and focus, and the
//! same figures as a table for screen readers. Coordinates are computed in Decimal like every
//! figure; the SVG scales to any width.

use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
const LEFT: i64 = 60;
const RIGHT: i64 = 14;
/// Room above the plot for the unit (万元), so no line runs through it.
const TOP: i64 = 30;
const BOTTOM: i64 = 40;
/// A marker (and a row of the text alternative) every this many periods: five years.
const MARKER_PERIODS: usize = 60;

struct Frame {
    max_balance: Decimal,
    periods: usize,
}

impl Frame {
    fn x(&self, period: usize) -> i64 {
        let width = Decimal::from(WIDTH - LEFT - RIGHT);
        LEFT + (Decimal::from(period as i64) * width / Decimal::from(self.periods.max(1) as i64))
            .round()
            .to_i64()
            .unwrap_or(0)
    }

    fn y(&self, balance: Decimal) -> i64 {
        let height = Decimal::from(HEIGHT - TOP - BOTTOM);
        TOP + (height - balance * height / self.max_balance)
            .round()
            .to_i64()
            .unwrap_or(0)
    }

    fn points(&self, balances: &[Decimal]) -> Vec<(i64, i64)> {
        balances
            .iter()
            .enumerate()
            .map(|(i, b)| (self.x(i), self.y(*b)))
            .collect()
    }
}

fn svg_points(points: &[(i64, i64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 万元 with one decimal: "64.7".
fn wan(value: Decimal) -> String {
    format!("{:.1}", (value / Decimal::from(10_000)).round_dp(1))
}

fn balance_at(balances: &[Decimal], period: usize) -> Decimal {
    balances.get(period).copied().unwrap_or(Decimal::ZERO)
}

/// `before` and `after`: the balance at the start and after each installment. `marks`: events
/// (a period and its label, ①②…) drawn as vertical lines with their number.
#[component]
pub fn BalanceChart(
    before: Vec<Decimal>,
    after: Vec<Decimal>,
    #[prop(into)] caption: String,
    #[prop(optional)] marks: Vec<(usize, String)>,
    /// What the two lines are: "提前还本前" / "提前还本后", or a plan's "不做变更" / "本方案".
    #[prop(default = ("提前还本前", "提前还本后"))]
    names: (&'static str, &'static str),
) -> impl IntoView {
    let max_balance = before
        .iter()
        .chain(after.iter())
        .copied()
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let periods = before.len().max(after.len()).saturating_sub(1).max(1);
    let frame = Frame {
        max_balance,
        periods,
    };
    let (before_points, after_points) = (frame.points(&before), frame.points(&after));
    // The difference: along the line before, back along the line after.
    let mut shaded = before_points.clone();
    shaded.extend(after_points.iter().rev());
    let y_ticks = [Decimal::ZERO, max_balance / Decimal::TWO, max_balance];
    let markers: Vec<usize> = (MARKER_PERIODS..=periods).step_by(MARKER_PERIODS).collect();
    let readout = RwSignal::new(None::<String>);
    let say = move |period: usize, before: &[Decimal], after: &[Decimal]| {
        format!(
            "第{}年末：{} {} 万元，{} {} 万元",
            period / 12,
            names.0,
            wan(balance_at(before, period)),
            names.1,
            wan(balance_at(after, period))
        )
    };
    let rows: Vec<(usize, String, String)> = markers
        .iter()
        .map(|p| {
            (
                p / 12,
                wan(balance_at(&before, *p)),
                wan(balance_at(&after, *p)),
            )
        })
        .collect();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-label=caption.clone()>
                <polygon points=svg_points(&shaded) class="chart__difference" />
                {y_ticks.into_iter().map(|value| {
                    let y = frame.y(value);
                    view! {
                        <line x1=LEFT y1=y x2=WIDTH - RIGHT y2=y class="chart__grid" />
                        <text x=LEFT - 6 y=y + 4 text-anchor="end" class="chart__label">{wan(value)}</text>
                    }
                }).collect_view()}
                <text x=LEFT y=TOP - 10 class="chart__label">"（万元）"</text>
                <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH - RIGHT y2=HEIGHT - BOTTOM class="chart__axis" />
                <line x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM class="chart__axis" />
                {std::iter::once(0).chain(markers.iter().copied()).map(|p| view! {
                    <text x=frame.x(p) y=HEIGHT - BOTTOM + 20 text-anchor="middle" class="chart__label">{format!("{}", p / 12)}</text>
                }).collect_view()}
                <text x=WIDTH - RIGHT y=HEIGHT - 4 text-anchor="end" class="chart__label">"年"</text>
                {marks.iter().map(|(period, label)| {
                    let x = frame.x((*period).min(periods));
                    view! {
                        <line x1=x y1=TOP x2=x y2=HEIGHT - BOTTOM class="chart__event" />
                        <text x=x + 4 y=HEIGHT - BOTTOM - 8 class="chart__label">{label.clone()}</text>
                    }
                }).collect_view()}
                <polyline points=svg_points(&before_points) class="chart__before" />
                <polyline points=svg_points(&after_points) class="chart__after" />
                {markers.iter().map(|p| {
                    let text = say(*p, &before, &after);
                    let (shown, focused, label) = (text.clone(), text.clone(), text.clone());
                    let (x, y) = (frame.x(*p), frame.y(balance_at(&after, *p)));
                    view! {
                        <circle cx=x cy=y r=7 class="chart__marker" tabindex="0" role="img" aria-label=label
                            on:mouseenter=move |_| readout.set(Some(shown.clone()))
                            on:focus=move |_| readout.set(Some(focused.clone()))>
                            <title>{text}</title>
                        </circle>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <span class="legend legend--before">{names.0}"（虚线）"</span>
                <span class="legend legend--after">{names.1}"（实线）"</span>
                <span class="legend legend--difference">"阴影：减少的剩余本金"</span>
                <span>{caption}</span>
            </figcaption>
            <p class="chart__readout" aria-live="polite">{move || readout.get()}</p>
            <details class="chart__data">
                <summary>"以表格查看（每5年）"</summary>
                <table class="table">
                    <thead><tr><th scope="col">"年末"</th><th scope="col">{names.0}"（万元）"</th><th scope="col">{names.1}"（万元）"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(year, was, now)| view! {
                            <tr><td class="num">{format!("第{year}年")}</td><td class="num">{was}</td><td class="num">{now}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
