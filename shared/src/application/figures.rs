//! What an application asked and the figures it was accepted with, typed per business, and the
//! one table of the figures' labels that receipts, 业务进度查询, the confirmation dialogs and the
//! trial tables all print.
//!
//! Stored, each is the business's own JSON object (the database's `kind` column says which);
//! on the wire, [`Figures`] carries its kind (`{"settlement": {…}}`: serde's external tag, the one
//! that needs no buffering to read — the browser's bundle counts every byte).

use super::ApplicationKind;
use crate::date::compact;
use crate::error::ApiError;
use crate::loan::trial::{AdjustMode, AdjustTermTrial, PrepaymentTrial, SettlementTrial};
use crate::money::format_thousands;
use crate::withdrawal::housing::FundingSource;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Every figure an application shows, with its one label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    PrepayPrincipal,
    PrepayInterest,
    RefundInterest,
    Total,
    NewBalance,
    NewRemainingPeriods,
    NewMonthlyPayment,
    NewMonthlyPrincipal,
    NewMaturityDate,
    SettlementPrincipal,
    SettlementInterest,
    EffectiveDate,
    InterestAfter,
    InterestDifference,
    WithdrawalAmount,
    WithdrawalReason,
    Material,
    Source,
    FromFund,
    FromOwn,
    Card,
    NewAccount,
    Bank,
    /// A difference no printed figure shows.
    TrialResult,
}

impl Figure {
    pub const fn label(self) -> &'static str {
        match self {
            Figure::PrepayPrincipal => "提前还本金额",
            Figure::PrepayInterest => "提前还本利息",
            Figure::RefundInterest => "退还利息",
            Figure::Total => "提前还款总额",
            Figure::NewBalance => "变更后贷款余额",
            Figure::NewRemainingPeriods => "变更后剩余期数",
            Figure::NewMonthlyPayment => "变更后月还款额",
            Figure::NewMonthlyPrincipal => "变更后每月本金",
            Figure::NewMaturityDate => "变更后到期日期",
            Figure::SettlementPrincipal => "提前结清本金",
            Figure::SettlementInterest => "提前结清利息",
            Figure::EffectiveDate => "生效日期",
            Figure::InterestAfter => "剩余应付利息",
            Figure::InterestDifference => "利息变化",
            Figure::WithdrawalAmount => "提取金额",
            Figure::WithdrawalReason => "提取原因",
            Figure::Material => "提取材料编号",
            Figure::Source => "资金来源",
            Figure::FromFund => "公积金余额支付",
            Figure::FromOwn => "自有资金支付",
            Figure::Card => "收款储蓄卡",
            Figure::NewAccount => "变更后还款储蓄账户账号",
            Figure::Bank => "变更后还款储蓄账户开户行",
            Figure::TrialResult => "试算结果",
        }
    }
}

/// 部分提前还本 as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepaymentAsked {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub mode: AdjustMode,
    pub new_remaining_periods: Option<u32>,
    /// The loan's version the figures were computed on.
    pub loan_version: i64,
    /// 资金来源 and the part of 提前还款总额 paid from the fund (stored before issue 14: 自有资金).
    #[serde(default)]
    pub source: FundingSource,
    #[serde(default)]
    pub from_fund: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementAsked {
    pub date: NaiveDate,
    pub loan_version: i64,
    #[serde(default)]
    pub source: FundingSource,
    #[serde(default)]
    pub from_fund: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustAsked {
    pub new_remaining_periods: u32,
    pub loan_version: i64,
}

/// 变更还款账号: the new account, masked (the full number is written to the loan, not kept here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeAsked {
    pub new_account: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalAsked {
    /// 提取原因.
    pub reason: String,
    pub close_account: bool,
    /// Which withdrawal (rows stored before issue 14 are 退休销户提取).
    #[serde(default)]
    pub business: crate::withdrawal::housing::Business,
    /// 提取材料编号 of a 购房提取.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material_no: Option<String>,
}

impl Request {
    /// The business's name in 业务进度查询 and on its receipt.
    pub fn title(&self) -> String {
        match self {
            Request::Withdrawal(w) => w.business.title(&w.reason),
            _ => self.kind().label().to_owned(),
        }
    }
}

/// What the citizen asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    PartialPrepayment(PrepaymentAsked),
    Settlement(SettlementAsked),
    AdjustTerm(AdjustAsked),
    ChangeAccount(ChangeAsked),
    Withdrawal(WithdrawalAsked),
}

/// 变更还款账号's account as it stays: the bank and the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeFigures {
    pub bank: String,
    pub holder: String,
}

/// 退休销户提取: the whole balance, to the card (masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalFigures {
    pub amount: Decimal,
    pub card: Option<String>,
}

/// The figures an application was accepted with (the server's own, equal to those shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Figures {
    PartialPrepayment(PrepaymentTrial),
    Settlement(SettlementTrial),
    AdjustTerm(AdjustTermTrial),
    ChangeAccount(ChangeFigures),
    Withdrawal(WithdrawalFigures),
}

fn stored_error(what: &str, kind: ApplicationKind, e: serde_json::Error) -> ApiError {
    ApiError::new(
        "stored_application",
        format!("stored {what} of a {:?} application: {e}", kind),
    )
}

impl Request {
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Request::PartialPrepayment(_) => ApplicationKind::PartialPrepayment,
            Request::Settlement(_) => ApplicationKind::Settlement,
            Request::AdjustTerm(_) => ApplicationKind::AdjustTerm,
            Request::ChangeAccount(_) => ApplicationKind::ChangeAccount,
            Request::Withdrawal(_) => ApplicationKind::Withdrawal,
        }
    }

    /// The stored text: the business's own object.
    pub fn stored(&self) -> String {
        match self {
            Request::PartialPrepayment(r) => serde_json::to_string(r),
            Request::Settlement(r) => serde_json::to_string(r),
            Request::AdjustTerm(r) => serde_json::to_string(r),
            Request::ChangeAccount(r) => serde_json::to_string(r),
            Request::Withdrawal(r) => serde_json::to_string(r),
        }
        .unwrap_or_default()
    }

    /// Reads the stored text of an application of `kind`; anything else is an error.
    pub fn from_stored(kind: ApplicationKind, text: &str) -> Result<Request, ApiError> {
        let e = |e| stored_error("request", kind, e);
        Ok(match kind {
            ApplicationKind::PartialPrepayment => {
                Request::PartialPrepayment(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::Settlement => {
                Request::Settlement(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::AdjustTerm => {
                Request::AdjustTerm(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::ChangeAccount => {
                Request::ChangeAccount(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::Withdrawal => {
                Request::Withdrawal(serde_json::from_str(text).map_err(e)?)
            }
        })
    }
}

impl Figures {
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Figures::PartialPrepayment(_) => ApplicationKind::PartialPrepayment,
            Figures::Settlement(_) => ApplicationKind::Settlement,
            Figures::AdjustTerm(_) => ApplicationKind::AdjustTerm,
            Figures::ChangeAccount(_) => ApplicationKind::ChangeAccount,
            Figures::Withdrawal(_) => ApplicationKind::Withdrawal,
        }
    }

    /// The stored text: the business's own object.
    pub fn stored(&self) -> String {
        match self {
            Figures::PartialPrepayment(f) => serde_json::to_string(f),
            Figures::Settlement(f) => serde_json::to_string(f),
            Figures::AdjustTerm(f) => serde_json::to_string(f),
            Figures::ChangeAccount(f) => serde_json::to_string(f),
            Figures::Withdrawal(f) => serde_json::to_string(f),
        }
        .unwrap_or_default()
    }

    /// Reads the stored text of an application of `kind`; anything else is an error.
    pub fn from_stored(kind: ApplicationKind, text: &str) -> Result<Figures, ApiError> {
        let e = |e| stored_error("figures", kind, e);
        Ok(match kind {
            ApplicationKind::PartialPrepayment => {
                Figures::PartialPrepayment(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::Settlement => {
                Figures::Settlement(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::AdjustTerm => {
                Figures::AdjustTerm(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::ChangeAccount => {
                Figures::ChangeAccount(serde_json::from_str(text).map_err(e)?)
            }
            ApplicationKind::Withdrawal => {
                Figures::Withdrawal(serde_json::from_str(text).map_err(e)?)
            }
        })
    }

    /// The amount the application moves (提前还款总额, 提取金额), if it moves one.
    pub fn amount(&self) -> Option<Decimal> {
        match self {
            Figures::PartialPrepayment(t) => Some(t.total),
            Figures::Settlement(t) => Some(t.total),
            Figures::Withdrawal(w) => Some(w.amount),
            Figures::AdjustTerm(_) | Figures::ChangeAccount(_) => None,
        }
    }

    /// Every figure, labelled and printed as the hall prints it: the receipt's rows, and what a
    /// 409 compares with the figures shown.
    pub fn rows(&self) -> Vec<(Figure, String)> {
        let yuan = format_thousands;
        match self {
            Figures::PartialPrepayment(t) => {
                let mut rows = vec![
                    (Figure::PrepayPrincipal, yuan(t.prepay_principal)),
                    (Figure::PrepayInterest, yuan(t.prepay_interest)),
                    (Figure::Total, yuan(t.total)),
                    (Figure::NewBalance, yuan(t.new_balance)),
                    (
                        Figure::NewRemainingPeriods,
                        t.new_remaining_periods.to_string(),
                    ),
                    (Figure::NewMonthlyPayment, yuan(t.new_monthly_payment)),
                ];
                if let Some(principal) = t.new_monthly_principal {
                    rows.push((Figure::NewMonthlyPrincipal, yuan(principal)));
                }
                rows.push((Figure::NewMaturityDate, compact(t.new_maturity_date)));
                rows
            }
            Figures::Settlement(t) => vec![
                (Figure::SettlementPrincipal, yuan(t.principal)),
                (Figure::SettlementInterest, yuan(t.interest)),
                (Figure::Total, yuan(t.total)),
            ],
            Figures::AdjustTerm(t) => vec![
                (
                    Figure::NewRemainingPeriods,
                    t.new_remaining_periods.to_string(),
                ),
                (Figure::NewMonthlyPayment, yuan(t.new_monthly_payment)),
                (Figure::NewMaturityDate, compact(t.new_maturity_date)),
                (Figure::EffectiveDate, compact(t.effective_date)),
                (Figure::InterestDifference, yuan(t.interest_difference)),
            ],
            Figures::ChangeAccount(f) => vec![(Figure::Bank, f.bank.clone())],
            Figures::Withdrawal(w) => {
                let mut rows = vec![(Figure::WithdrawalAmount, yuan(w.amount))];
                if let Some(card) = &w.card {
                    rows.push((Figure::Card, card.clone()));
                }
                rows
            }
        }
    }

    /// What a 409 compares: the printed rows and the figures the trial tables show besides
    /// (退还利息, 剩余应付利息).
    fn compared(&self) -> Vec<(Figure, String)> {
        let mut rows = self.rows();
        match self {
            Figures::PartialPrepayment(t) => {
                rows.push((Figure::RefundInterest, format_thousands(t.refund_interest)))
            }
            Figures::Settlement(t) => {
                rows.push((Figure::RefundInterest, format_thousands(t.refund_interest)))
            }
            Figures::AdjustTerm(t) => {
                rows.push((Figure::InterestAfter, format_thousands(t.interest_after)))
            }
            Figures::ChangeAccount(_) | Figures::Withdrawal(_) => {}
        }
        rows
    }

    /// The figures that differ between `self` (shown) and `fresh`: (label, shown, fresh).
    pub fn changes(&self, fresh: &Figures) -> Vec<(&'static str, String, String)> {
        let (shown_rows, fresh_rows) = (self.compared(), fresh.compared());
        let value = |rows: &[(Figure, String)], figure: Figure| {
            rows.iter()
                .find(|(f, _)| *f == figure)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "—".to_owned())
        };
        // Every figure either side prints, in the order shown (then any only the server has).
        let mut figures: Vec<Figure> = shown_rows.iter().map(|(f, _)| *f).collect();
        for (f, _) in &fresh_rows {
            if !figures.contains(f) {
                figures.push(*f);
            }
        }
        let mut changes: Vec<(&'static str, String, String)> = figures
            .into_iter()
            .map(|f| (f.label(), value(&shown_rows, f), value(&fresh_rows, f)))
            .filter(|(_, shown, now)| shown != now)
            .collect();
        // Figures that differ only where no row prints them still differ: never an empty list.
        if changes.is_empty() && self != fresh {
            changes.push((
                Figure::TrialResult.label(),
                "受理前的计算".to_owned(),
                "已按最新数据重新计算".to_owned(),
            ));
        }
        changes
    }
}

/// A receipt's rows: the figures, and what was asked that the figures do not say.
/// 资金来源 and its split, as the trial tables and the receipt show them.
pub fn funding_rows(
    source: FundingSource,
    from_fund: Decimal,
    total: Decimal,
) -> Vec<(String, String)> {
    vec![
        (Figure::Source.label().to_owned(), source.label().to_owned()),
        (
            Figure::FromFund.label().to_owned(),
            format_thousands(from_fund),
        ),
        (
            Figure::FromOwn.label().to_owned(),
            format_thousands(total - from_fund),
        ),
    ]
}

pub fn receipt(request: Option<&Request>, figures: &Figures) -> Vec<(String, String)> {
    // The 生效日期 is the receipt's own 预约/生效日期 line.
    let mut rows: Vec<(String, String)> = figures
        .rows()
        .into_iter()
        .filter(|(f, _)| *f != Figure::EffectiveDate)
        .map(|(f, v)| (f.label().to_owned(), v))
        .collect();
    match request {
        Some(Request::ChangeAccount(asked)) => rows.insert(
            0,
            (
                Figure::NewAccount.label().to_owned(),
                asked.new_account.clone(),
            ),
        ),
        Some(Request::PartialPrepayment(PrepaymentAsked {
            source, from_fund, ..
        }))
        | Some(Request::Settlement(SettlementAsked {
            source, from_fund, ..
        })) if *source != FundingSource::Own => {
            let total = figures.amount().unwrap_or_default();
            rows.extend(funding_rows(*source, *from_fund, total));
        }
        Some(Request::Withdrawal(asked)) => {
            let mut first = vec![(
                Figure::WithdrawalReason.label().to_owned(),
                asked.reason.clone(),
            )];
            if let Some(no) = &asked.material_no {
                first.push((Figure::Material.label().to_owned(), no.clone()));
            }
            rows.splice(0..0, first);
        }
        _ => {}
    }
    rows
}

#[cfg(test)]
mod tests;
