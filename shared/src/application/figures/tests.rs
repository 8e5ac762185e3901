use super::*;
use crate::withdrawal::housing::FundingSource;
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
            // Stored before issue 14: paid by the citizen, nothing from the fund.
            source: FundingSource::Own,
            from_fund: Decimal::ZERO,
        })
    );
    match Request::from_stored(Settlement, r#"{"date":"2018-01-10","loan_version":3}"#).unwrap() {
        Request::Settlement(asked) => {
            assert_eq!(
                (asked.source, asked.from_fund),
                (FundingSource::Own, Decimal::ZERO)
            )
        }
        other => panic!("{other:?}"),
    }
    Request::from_stored(
        AdjustTerm,
        r#"{"new_remaining_periods":120,"loan_version":1}"#,
    )
    .unwrap();
    Request::from_stored(ChangeAccount, r#"{"new_account":"621****9999"}"#).unwrap();
    // A 退休销户提取 stored before issue 14 is still one, closing the account, on no material.
    match Request::from_stored(
        Withdrawal,
        r#"{"reason":"离休、退休","close_account":true}"#,
    )
    .unwrap()
    {
        Request::Withdrawal(asked) => {
            assert_eq!(
                asked.business,
                crate::withdrawal::housing::Business::Retirement
            );
            assert!(asked.close_account && asked.material_no.is_none());
        }
        other => panic!("{other:?}"),
    }
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
