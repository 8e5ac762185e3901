//! 偿还贷款提取（按月对冲）: while signed, each installment of the citizen's own HPF loan is paid
//! from the fund balance first (less the 留存额) and only the rest from the repayment card — by
//! the end-of-day run on each due date, from the first due date after the day of signing.
//! 签约 needs the loan 正常 without arrears and the account 正常; 解约 ends it before the next
//! due date; while signed, 按年 repayment withdrawals are refused (the same installments).

use super::housing::{offset, HousingPolicy, Split};
use crate::error::ApiError;
use crate::loan::amortization::ScheduleRow;
use crate::loan::{Loan, LoanStatus};
use crate::member::AccountStatus;
use crate::money::format_thousands;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 按月对冲 as 贷款详情 shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffsetView {
    /// The agreement in force: the first due date it pays.
    pub starts_on: Option<NaiveDate>,
    /// Why 签约 (or 解约) is not possible now; empty when it is.
    pub unmet: Vec<ApiError>,
    /// The first installment the agreement pays (signed: the next one from its start; not
    /// signed: the one it would start with, signed today), split on today's balance.
    pub next: Option<OffsetNext>,
    /// The fund account's balance.
    pub balance: Decimal,
    /// 签约记录, newest first.
    #[serde(default)]
    pub history: Vec<OffsetRecord>,
}

/// One agreement: when signed (business time), the first due date it paid, when ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffsetRecord {
    pub signed_at: String,
    pub starts_on: NaiveDate,
    pub cancelled_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffsetNext {
    pub due_date: NaiveDate,
    pub installment: Decimal,
    pub from_fund: Decimal,
    pub from_card: Decimal,
}

/// The installment due next, as the schedule has it.
pub fn next_installment(loan: &Loan) -> Option<ScheduleRow> {
    if loan.status != LoanStatus::Normal || loan.check().is_err() {
        return None;
    }
    loan.schedule().rows.into_iter().next()
}

/// The first due date an agreement signed on `today` pays: the next one after today (a due date
/// falling today is the day's run's already).
pub fn starts_on(loan: &Loan, today: NaiveDate) -> Option<NaiveDate> {
    let mut due = loan.next_due_date()?;
    while due <= today {
        due = crate::date::add_months_on_day(due, 1, loan.due_day())?;
    }
    Some(due)
}

/// Why 签约 is refused: every unmet condition (`yearly_pending`: a 按年 repayment withdrawal is
/// 受理中 — the same installments cannot be paid twice).
pub fn sign_unmet(
    loan: &Loan,
    account: AccountStatus,
    signed: bool,
    yearly_pending: bool,
) -> Vec<ApiError> {
    let mut unmet = Vec::new();
    if signed {
        unmet.push(ApiError::new(
            "offset_signed",
            "该贷款已签约按月对冲，无需重复签约",
        ));
    }
    if loan.status != LoanStatus::Normal {
        unmet.push(ApiError::new(
            "loan_not_open",
            "贷款已结清，不能签约按月对冲",
        ));
    } else if loan.arrears > Decimal::ZERO {
        unmet.push(ApiError::new(
            "loan_in_arrears",
            format!(
                "贷款有逾期未还金额{}元，请先归还后再签约",
                format_thousands(loan.arrears)
            ),
        ));
    }
    if account != AccountStatus::Normal {
        unmet.push(ApiError::new(
            "account_not_normal",
            format!("公积金账户状态须为正常（当前为{}）", account.label()),
        ));
    }
    if yearly_pending {
        unmet.push(ApiError::new(
            "yearly_pending",
            "有受理中的偿还贷款提取（按年），办结或撤销后再签约",
        ));
    }
    unmet
}

/// The view of a loan's agreement on `today`.
pub fn view(
    loan: &Loan,
    account: AccountStatus,
    balance: Decimal,
    starts: Option<NaiveDate>,
    yearly_pending: bool,
    today: NaiveDate,
    policy: &HousingPolicy,
) -> OffsetView {
    let first = starts.or_else(|| starts_on(loan, today));
    let due = match (next_installment(loan), first) {
        (Some(row), Some(first)) if row.due_date < first => loan
            .schedule()
            .rows
            .into_iter()
            .find(|r| r.due_date >= first),
        (row, _) => row,
    };
    let next = due.map(|row| {
        let Split {
            from_fund,
            from_own,
        } = offset(row.installment, balance, policy);
        OffsetNext {
            due_date: row.due_date,
            installment: row.installment,
            from_fund,
            from_card: from_own,
        }
    });
    OffsetView {
        starts_on: starts,
        unmet: if starts.is_some() {
            Vec::new()
        } else {
            sign_unmet(loan, account, false, yearly_pending)
        },
        next,
        balance,
        history: Vec::new(),
    }
}

/// 签约 or 解约 of 按月对冲.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffsetRequest {
    /// true: 签约; false: 解约.
    pub sign: bool,
}

/// The refusal of a 按年 repayment withdrawal while 按月对冲 is signed.
pub fn yearly_while_signed() -> ApiError {
    ApiError::new(
        "offset_signed",
        "已签约按月对冲，不能同时办理按年偿还贷款提取（可先解约）",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{dec, seed_loan, ymd};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_installment_comes_from_the_fund_first() {
        let loan = seed_loan();
        let policy = HousingPolicy::default();
        let due = loan.next_due_date().unwrap();
        // 35,218.60 in the fund pays all of 3,362.48.
        let v = view(
            &loan,
            AccountStatus::Normal,
            dec("35218.60"),
            None,
            false,
            ymd(2018, 1, 5),
            &policy,
        );
        let next = v.next.unwrap();
        assert_eq!(next.due_date, due);
        assert_eq!(next.installment, dec("3362.48"));
        assert_eq!((next.from_fund, next.from_card), (dec("3362.48"), dec("0")));
        assert!(v.unmet.is_empty());
        // 1,000.00 left: the card pays 2,362.48.
        let v = view(
            &loan,
            AccountStatus::Normal,
            dec("1000.00"),
            Some(due),
            false,
            ymd(2018, 1, 5),
            &policy,
        );
        let next = v.next.unwrap();
        assert_eq!(
            (next.from_fund, next.from_card),
            (dec("1000.00"), dec("2362.48"))
        );
        // A 留存额 of 200: 800.00 from the fund.
        let policy = HousingPolicy {
            retain: dec("200"),
            ..HousingPolicy::default()
        };
        let v = view(
            &loan,
            AccountStatus::Normal,
            dec("1000.00"),
            Some(due),
            false,
            ymd(2018, 1, 5),
            &policy,
        );
        assert_eq!(v.next.unwrap().from_fund, dec("800.00"));
    }

    #[test]
    fn signed_on_a_due_date_the_page_shows_the_installment_after_it() {
        let loan = seed_loan();
        let due = loan.next_due_date().unwrap();
        let v = view(
            &loan,
            AccountStatus::Normal,
            dec("35218.60"),
            None,
            false,
            due,
            &HousingPolicy::default(),
        );
        let after = crate::date::add_months_on_day(due, 1, loan.due_day()).unwrap();
        assert_eq!(v.next.unwrap().due_date, after);
    }

    #[test]
    fn signing_starts_at_the_next_due_date_after_today() {
        let loan = seed_loan();
        let due = loan.next_due_date().unwrap();
        assert_eq!(starts_on(&loan, due.pred_opt().unwrap()), Some(due));
        // Signed on the due date itself: that day's installment is the run's already.
        let after = crate::date::add_months_on_day(due, 1, loan.due_day()).unwrap();
        assert_eq!(starts_on(&loan, due), Some(after));
        assert!(after > due && after <= ymd(2040, 12, 31));
    }

    #[test]
    fn signing_is_refused_with_every_reason() {
        let mut loan = seed_loan();
        loan.arrears = dec("3362.48");
        let codes: Vec<String> = sign_unmet(&loan, AccountStatus::Sealed, true, true)
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            [
                "offset_signed",
                "loan_in_arrears",
                "account_not_normal",
                "yearly_pending"
            ]
        );
        loan.status = LoanStatus::Settled;
        assert_eq!(
            sign_unmet(&loan, AccountStatus::Normal, false, false)[0].message,
            "贷款已结清，不能签约按月对冲"
        );
    }
}
