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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementAsked {
    pub date: NaiveDate,
    pub loan_version: i64,
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
pub fn receipt(request: Option<&Request>, figures: &Figures) -> Vec<(String, String)> {
    // The 生效日期 is the receipt's own 预约/生效日期 line.
    let mut rows: Vec<(String, String)> = figures
        .rows()
        .into_iter()
        .filter(|(f, _)| *f != Figure::EffectiveDate)
        .map(|(f, v)| (f.label().to_owned(), v))
        .collect();
    if let Some(Request::ChangeAccount(asked)) = request {
        rows.insert(
            0,
            (
                Figure::NewAccount.label().to_owned(),
                asked.new_account.clone(),
            ),
        );
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn settlement(total: &str) -> Figures {
        Figures::Settlement(SettlementTrial {
            principal: d("646609.84"),
            interest: d("630.49"),
            refund_interest: d("0.00"),
            total: d(total),
        })
    }

    #[test]
    fn stored_text_is_the_business_object_and_reads_back_by_kind() {
        let figures = settlement("647240.33");
        assert_eq!(
            figures.stored(),
            r#"{"principal":"646609.84","interest":"630.49","refund_interest":"0.00","total":"647240.33"}"#
        );
        assert_eq!(
            Figures::from_stored(ApplicationKind::Settlement, &figures.stored()).unwrap(),
            figures
        );
        // Another business's object, or anything else, is an error — never a default.
        assert!(Figures::from_stored(ApplicationKind::Withdrawal, &figures.stored()).is_err());
        assert!(Figures::from_stored(ApplicationKind::Settlement, "{}").is_err());
        let asked = Request::AdjustTerm(AdjustAsked {
            new_remaining_periods: 120,
            loan_version: 3,
        });
        assert_eq!(
            asked.stored(),
            r#"{"new_remaining_periods":120,"loan_version":3}"#
        );
        assert_eq!(
            Request::from_stored(ApplicationKind::AdjustTerm, &asked.stored()).unwrap(),
            asked
        );
        assert!(Request::from_stored(ApplicationKind::Settlement, &asked.stored()).is_err());
    }

    #[test]
    fn on_the_wire_the_figures_name_their_kind() {
        let json = serde_json::to_value(settlement("647240.33")).unwrap();
        assert_eq!(json["settlement"]["total"], "647240.33");
        assert_eq!(
            serde_json::from_value::<Figures>(json).unwrap(),
            settlement("647240.33")
        );
    }

    #[test]
    fn changes_name_each_differing_figure_by_its_one_label() {
        let shown = settlement("647240.33");
        assert!(shown.changes(&shown).is_empty());
        assert_eq!(
            shown.changes(&settlement("647240.34")),
            vec![(
                "提前还款总额",
                "647,240.33".to_owned(),
                "647,240.34".to_owned()
            )]
        );
        assert_eq!(shown.amount(), Some(d("647240.33")));
        // A difference no row prints is still reported, never an empty list.
        let Figures::Settlement(mut other) = settlement("647240.33") else {
            unreachable!()
        };
        other.refund_interest = d("0.01");
        assert_eq!(
            shown.changes(&Figures::Settlement(other.clone())),
            vec![("退还利息", "0.00".to_owned(), "0.01".to_owned())]
        );
        // 调整前剩余应付利息 is printed nowhere: its change is still reported.
        let adjust = |before: &str| {
            Figures::AdjustTerm(AdjustTermTrial {
                new_remaining_periods: 120,
                new_monthly_payment: d("6318.27"),
                new_monthly_principal: None,
                new_maturity_date: NaiveDate::from_ymd_opt(2028, 1, 28).unwrap(),
                effective_date: NaiveDate::from_ymd_opt(2018, 1, 28).unwrap(),
                interest_before: d(before),
                interest_after: d("111582.56"),
                interest_difference: d("-175000.00"),
            })
        };
        assert_eq!(
            adjust("286582.56").changes(&adjust("286582.57")),
            vec![(
                "试算结果",
                "受理前的计算".to_owned(),
                "已按最新数据重新计算".to_owned()
            )]
        );
    }

    #[test]
    fn a_receipt_prints_the_figures_and_what_they_do_not_say() {
        let rows = receipt(
            Some(&Request::ChangeAccount(ChangeAsked {
                new_account: "621****9999".into(),
            })),
            &Figures::ChangeAccount(ChangeFigures {
                bank: "建行".into(),
                holder: "佟一".into(),
            }),
        );
        assert_eq!(
            rows,
            vec![
                (
                    "变更后还款储蓄账户账号".to_owned(),
                    "621****9999".to_owned()
                ),
                ("变更后还款储蓄账户开户行".to_owned(), "建行".to_owned())
            ]
        );
        let withdrawal = Figures::Withdrawal(WithdrawalFigures {
            amount: d("73905.26"),
            card: Some("622****5566".into()),
        });
        assert_eq!(
            receipt(None, &withdrawal),
            vec![
                ("提取金额".to_owned(), "73,905.26".to_owned()),
                ("收款储蓄卡".to_owned(), "622****5566".to_owned())
            ]
        );
    }

    /// Rows written before the typed domain (by `serde_json::json!`) read as they are: the batch
    /// executes reservations made before an upgrade.
    #[test]
    fn rows_stored_before_the_typed_domain_still_read() {
        use ApplicationKind::*;
        let asked = Request::from_stored(
            PartialPrepayment,
            r#"{"date":"2018-01-09","amount":"10000","mode":"lower_payment","new_remaining_periods":null,"loan_version":0}"#,
        )
        .unwrap();
        assert_eq!(
            asked,
            Request::PartialPrepayment(PrepaymentAsked {
                date: NaiveDate::from_ymd_opt(2018, 1, 9).unwrap(),
                amount: d("10000"),
                mode: AdjustMode::LowerPayment,
                new_remaining_periods: None,
                loan_version: 0,
            })
        );
        Request::from_stored(Settlement, r#"{"date":"2018-01-10","loan_version":3}"#).unwrap();
        Request::from_stored(
            AdjustTerm,
            r#"{"new_remaining_periods":120,"loan_version":1}"#,
        )
        .unwrap();
        Request::from_stored(ChangeAccount, r#"{"new_account":"621****9999"}"#).unwrap();
        Request::from_stored(
            Withdrawal,
            r#"{"reason":"离休、退休","close_account":true}"#,
        )
        .unwrap();
        assert_eq!(
            Figures::from_stored(Withdrawal, r#"{"amount":"73905.26","card":null}"#).unwrap(),
            Figures::Withdrawal(WithdrawalFigures {
                amount: d("73905.26"),
                card: None
            })
        );
        Figures::from_stored(Withdrawal, r#"{"amount":"73905.26","card":"622****5566"}"#).unwrap();
        Figures::from_stored(ChangeAccount, r#"{"bank":"建行","holder":"佟一"}"#).unwrap();
        Figures::from_stored(
            PartialPrepayment,
            r#"{"prepay_principal":"10000.00","prepay_interest":"9.93","refund_interest":"0.00","total":"10009.93","new_balance":"636609.84","new_remaining_periods":272,"new_monthly_payment":"3310.48","new_maturity_date":"2040-08-28"}"#,
        )
        .unwrap();
    }
}
