//! 贷款试算器 — public, no login: anyone enters a loan as it stands and tries the three 调整方式
//! of a 部分提前还本 and a 提前结清 on a date of their choosing. Everything is computed here by
//! `shared` (works offline); nothing is sent to the server.

use super::prepayment::{trial_of, Comparison, ModeFields};
use super::yuan;
use crate::components::submit::FiguresTable;
use leptos::prelude::*;
use shared::application::Figure;
use shared::date::compact;
use shared::loan::calculator::LoanTerms;
use shared::loan::compare::compare_modes;
use shared::loan::trial::{parse_periods, settlement, AdjustMode};
use shared::loan::RepaymentMethod;
use shared::ApiError;

const METHODS: [RepaymentMethod; 2] = [
    RepaymentMethod::EqualInstallment,
    RepaymentMethod::EqualPrincipal,
];

#[component]
pub fn Calculator() -> impl IntoView {
    let method = RwSignal::new(RepaymentMethod::EqualInstallment);
    let balance = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let periods = RwSignal::new(String::new());
    let last_due = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let mode = RwSignal::new(AdjustMode::LowerPayment);
    let new_periods = RwSignal::new(String::new());

    let loan = Memo::new(move |_| {
        LoanTerms {
            method: method.get(),
            balance: &balance.get(),
            annual_rate: &rate.get(),
            remaining_periods: &periods.get(),
            last_due_date: &last_due.get(),
        }
        .loan()
    });
    let trial = Memo::new(move |_| {
        let loan = loan.get()?;
        trial_of(
            &loan,
            &date.get(),
            &amount.get(),
            mode.get(),
            &new_periods.get(),
        )
    });
    let comparisons = Memo::new(move |_| {
        let n = parse_periods(&new_periods.get()).ok().flatten();
        loan.get()
            .map(|l| compare_modes(&l, &date.get(), &amount.get(), n))
            .unwrap_or_default()
    });
    let settled = Memo::new(move |_| {
        let loan = loan.get()?;
        let day = shared::date::parse_date("date", "约定还款日期", &date.get())?;
        settlement(&loan, day)
    });
    let error_for = move |fields: &'static [&'static str]| {
        move || {
            let loan_error = loan.with(|l| l.as_ref().err().cloned());
            let error = loan_error.or_else(|| trial.with(|t| t.as_ref().err().cloned()));
            error
                .filter(|e: &ApiError| fields.contains(&e.field.as_deref().unwrap_or_default()))
                .map(|e| e.message)
        }
    };
    let typed = move || !balance.with(String::is_empty);
    let field_error = move |fields: &'static [&'static str]| {
        let error = error_for(fields);
        move || typed().then(&error).flatten()
    };

    let loan_rows = Signal::derive(move || match loan.get() {
        Ok(l) => vec![
            ("月还款额", yuan(l.monthly_payment)),
            (
                "下一约定还款日",
                l.next_due_date().map(compact).unwrap_or_default(),
            ),
            ("到期日期", compact(l.maturity_date)),
        ],
        Err(_) => Vec::new(),
    });
    let trial_rows = Signal::derive(move || match trial.get() {
        Ok(t) => vec![
            (Figure::Total.label(), yuan(t.total)),
            (Figure::PrepayInterest.label(), yuan(t.prepay_interest)),
            (Figure::NewBalance.label(), yuan(t.new_balance)),
            (
                Figure::NewRemainingPeriods.label(),
                t.new_remaining_periods.to_string(),
            ),
            (
                Figure::NewMonthlyPayment.label(),
                yuan(t.new_monthly_payment),
            ),
            (
                Figure::NewMaturityDate.label(),
                compact(t.new_maturity_date),
            ),
        ],
        Err(_) => Vec::new(),
    });
    let settlement_rows = Signal::derive(move || match settled.get() {
        Ok(s) => vec![
            (Figure::SettlementPrincipal.label(), yuan(s.principal)),
            (Figure::SettlementInterest.label(), yuan(s.interest)),
            (Figure::Total.label(), yuan(s.total)),
        ],
        Err(_) => Vec::new(),
    });
    let chart_loan = Signal::derive(move || loan.get().ok());

    view! {
        <section class="card" aria-labelledby="calculator-title">
            <h1 id="calculator-title">"贷款试算器"</h1>
            <p class="hint">"无需登录。输入贷款当前情况，即可试算部分提前还本（三种调整方式）和提前结清；结果仅供参考，以办理时公积金中心核算为准。"</p>
            <form class="trial" on:submit=move |ev| ev.prevent_default()>
                <div class="field">
                    <label for="method">"还款方式"</label>
                    <select id="method" on:change=move |ev| {
                        let chosen = METHODS.into_iter().find(|m| m.label() == event_target_value(&ev));
                        method.set(chosen.unwrap_or(RepaymentMethod::EqualInstallment));
                    }>
                        {METHODS.into_iter().map(|m| view! { <option value=m.label()>{m.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="balance">"贷款余额（元）"</label>
                    <input id="balance" type="text" inputmode="decimal" autocomplete="off" bind:value=balance />
                    <span class="field__error">{field_error(&["balance"])}</span>
                </div>
                <div class="field">
                    <label for="rate">"年利率（%）"</label>
                    <input id="rate" type="text" inputmode="decimal" autocomplete="off" bind:value=rate />
                    <span class="field__error">{field_error(&["annual_rate"])}</span>
                </div>
                <div class="field">
                    <label for="periods">"剩余期数"</label>
                    <input id="periods" type="text" inputmode="numeric" autocomplete="off" bind:value=periods />
                    <span class="field__error">{field_error(&["remaining_periods"])}</span>
                </div>
                <div class="field">
                    <label for="last-due">"上次还款日"</label>
                    <input id="last-due" type="date" bind:value=last_due />
                    <span class="field__error">{field_error(&["last_due_date", "loan.monthly_payment", "loan.maturity_date"])}</span>
                </div>
                <FiguresTable label="贷款情况" rows=loan_rows />
                <div class="field">
                    <label for="date">"约定还款日期"</label>
                    <input id="date" type="date" bind:value=date />
                    <span class="hint">"须晚于上次还款日、早于下一约定还款日"</span>
                    <span class="field__error">{field_error(&["date"])}</span>
                </div>
                <ModeFields mode periods=new_periods amount error=Signal::derive(move || {
                    typed()
                        .then(|| loan.with(|l| l.as_ref().err().cloned()).or_else(|| trial.with(|t| t.as_ref().err().cloned())))
                        .flatten()
                }) />
            </form>
            <h2>"部分提前还本试算结果"</h2>
            <FiguresTable label="部分提前还本试算结果" rows=trial_rows />
            <crate::components::figures::Workings workings=Signal::derive(move || match loan.get() {
                Ok(l) => super::prepayment::prepayment_workings(&l, &date.get(), mode.get(), trial.get()),
                Err(_) => Vec::new(),
            }) />
            <h2>"提前结清试算结果"</h2>
            <FiguresTable label="提前结清试算结果" rows=settlement_rows />
            <crate::components::figures::Workings workings=Signal::derive(move || {
                match (loan.get(), settled.get(), shared::date::parse_iso(&date.get())) {
                    (Ok(l), Ok(s), Some(day)) => shared::loan::working::settlement(&l, day, &s),
                    _ => Vec::new(),
                }
            }) />
            <Comparison loan=chart_loan trial comparisons />
            <p><a href="/plan">"还款规划：多次提前还本、利率调整、目标测算"</a></p>
            <p><a href="/login">"登录后办理业务"</a></p>
        </section>
    }
}
