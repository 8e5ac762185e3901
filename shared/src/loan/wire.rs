//! The loan API's answers and requests, one definition for the browser and the server.

use super::trial::{
    adjust_term, check_loan_usable, prepayment, settlement, AdjustMode, AdjustTermTrial,
    PrepaymentRequest, PrepaymentTrial, SettlementTrial,
};
use super::{Loan, LoanStatus, RepaymentMethod};
use crate::application::ApplicationKind;
use crate::date::parse_date;
use crate::error::ApiError;
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// 我的住房公积金 header: 单位账号, 单位名称, 个人账号, 姓名.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberHeader {
    pub unit_account: String,
    pub unit_name: String,
    pub personal_account: String,
    pub name: String,
}

/// A reservation or application still open on a loan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pending {
    pub application_no: String,
    pub kind: ApplicationKind,
    pub effective_date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
}

/// One row of the manual's loan table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanSummary {
    pub borrower_no: String,
    pub status: LoanStatus,
    pub disbursement_date: NaiveDate,
    pub amount: Decimal,
    pub term_months: u32,
    pub balance: Decimal,
    pub loan_type: String,
    pub house_address: String,
    pub pending: Option<Pending>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanList {
    pub header: MemberHeader,
    pub loans: Vec<LoanSummary>,
}

/// 还款储蓄账户, the number masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardView {
    pub holder: String,
    pub bank: String,
    pub number: String,
}

/// 详情: every attribute, and the engine's snapshot that the browser's trial runs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanDetail {
    pub header: MemberHeader,
    pub summary: LoanSummary,
    pub annual_rate: Decimal,
    pub method: RepaymentMethod,
    pub due_day: u32,
    pub remaining_periods: u32,
    pub monthly_payment: Decimal,
    pub last_due_date: NaiveDate,
    pub next_due_date: Option<NaiveDate>,
    pub maturity_date: NaiveDate,
    pub arrears: Decimal,
    pub repayment_card: CardView,
    pub engine: Loan,
    /// 按月对冲 (own loans only; none when not known to this answer).
    #[serde(default)]
    pub offset: Option<crate::withdrawal::offset::OffsetView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransactionKind {
    Disbursement,
    Installment,
    Prepayment,
    Settlement,
}

impl TransactionKind {
    pub fn label(self) -> &'static str {
        match self {
            TransactionKind::Disbursement => "放款",
            TransactionKind::Installment => "正常还款",
            TransactionKind::Prepayment => "部分提前还本",
            TransactionKind::Settlement => "提前结清",
        }
    }
}

/// 明细: one transaction of the loan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanTransaction {
    pub date: NaiveDate,
    pub kind: TransactionKind,
    pub amount: Decimal,
    pub principal: Decimal,
    pub interest: Decimal,
    pub balance_after: Decimal,
}

/// 部分提前还本 as submitted: the inputs, the figures the citizen saw, and an idempotency key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaymentSubmission {
    pub date: String,
    pub amount: String,
    pub mode: AdjustMode,
    #[serde(default)]
    pub new_remaining_periods: Option<u32>,
    pub shown: PrepaymentTrial,
    pub idempotency_key: String,
    /// 资金来源 (absent: 自有资金).
    #[serde(default)]
    pub source: crate::withdrawal::housing::FundingSource,
    /// 公积金余额支付 as the page showed it (checked by the server).
    #[serde(default)]
    pub from_fund: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettlementSubmission {
    pub date: String,
    pub shown: SettlementTrial,
    pub idempotency_key: String,
    #[serde(default)]
    pub source: crate::withdrawal::housing::FundingSource,
    #[serde(default)]
    pub from_fund: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustTermSubmission {
    pub new_remaining_periods: u32,
    pub shown: AdjustTermTrial,
    pub idempotency_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeAccountSubmission {
    pub new_account: String,
    pub new_account_again: String,
    pub idempotency_key: String,
}

/// What the trial pages need besides the loan: the business time and the dates on offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialContext {
    pub business_date: NaiveDate,
    pub business_time: String,
    pub prepayment_dates: Vec<NaiveDate>,
    pub settlement_dates: Vec<NaiveDate>,
    /// Why a submission would be refused right now, if it would (the trial still works).
    pub prepayment_refusal: Option<String>,
    pub settlement_refusal: Option<String>,
    pub adjust_refusal: Option<String>,
    pub account_change_refusal: Option<String>,
    /// The policy in words for the page's 说明: "09:30-16:00", "12月1日至次年1月31日".
    pub settlement_hours: String,
    pub settlement_blackout: String,
    /// The fund account's balance less what is already promised (withdrawals 受理中, the fund's
    /// part of prepayments reserved), for 资金来源 (none: not known to this answer).
    #[serde(default)]
    pub fund_balance: Option<Decimal>,
    /// What is already promised.
    #[serde(default)]
    pub fund_committed: Decimal,
    #[serde(default)]
    pub housing: crate::withdrawal::housing::HousingPolicy,
}

/// A request as it arrives on the wire (`hpf trial`, the API): raw text where a citizen types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrialRequest {
    PartialPrepayment {
        #[serde(deserialize_with = "text_or_number")]
        date: String,
        #[serde(deserialize_with = "text_or_number")]
        amount: String,
        mode: AdjustMode,
        #[serde(default)]
        new_remaining_periods: Option<u32>,
    },
    Settlement {
        #[serde(deserialize_with = "text_or_number")]
        date: String,
    },
    AdjustTerm {
        new_remaining_periods: u32,
    },
}

/// The answer to a [`TrialRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum TrialResponse {
    PartialPrepayment(PrepaymentTrial),
    Settlement(SettlementTrial),
    AdjustTerm(AdjustTermTrial),
}

/// Runs one trial from wire input: the single entry point of `hpf trial` and of the server's
/// re-validation. Business hours are not checked here: a trial is only a calculation.
pub fn run_trial(
    loan: &Loan,
    request: &TrialRequest,
    policy: &Policy,
) -> Result<TrialResponse, ApiError> {
    match request {
        TrialRequest::PartialPrepayment {
            date,
            amount,
            mode,
            new_remaining_periods,
        } => {
            let parsed =
                PrepaymentRequest::parse(loan, date, amount, *mode, *new_remaining_periods)?;
            prepayment(loan, &parsed).map(TrialResponse::PartialPrepayment)
        }
        TrialRequest::Settlement { date } => {
            check_loan_usable(loan)?;
            let date = parse_date("date", "约定还款日", date)?;
            settlement(loan, date).map(TrialResponse::Settlement)
        }
        TrialRequest::AdjustTerm {
            new_remaining_periods,
        } => adjust_term(loan, *new_remaining_periods, policy).map(TrialResponse::AdjustTerm),
    }
}

/// Accepts `"10000"` and `10000` alike for fields a citizen types.
pub(crate) fn text_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Text::deserialize(deserializer)? {
        Text::Text(text) => text,
        Text::Number(number) => number.to_string(),
    })
}
