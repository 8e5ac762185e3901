//! 试算 — 部分提前还本, 提前结清贷款 and 调整月还款额, computed from a loan and a request.
//!
//! Interest for the days since the last due date uses the 30/360 count of [`days_30_360`]:
//! `round(X · annual% / 36000 · days)`. 退还利息 (refund interest) is always 0.00 in this model: the
//! fund collects no interest in advance, so there is nothing to give back; the field is kept because
//! the centre's screens show it.

use super::amortization::{equal_installment, equal_principal, periods_to_repay};
use super::{Loan, LoanStatus, RepaymentMethod};
use crate::date::{add_months_on_day, compact, days_30_360, months_between, parse_date};
use crate::error::ApiError;
use crate::money::{fen, parse_amount};
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 调整方式 of a 部分提前还本.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdjustMode {
    /// 还款额下降，止贷期不变: same remaining periods, lower installment.
    LowerPayment,
    /// 还款额不变，止贷期提前: same installment, fewer periods.
    ShorterTerm,
    /// 月还款额调整，止贷期提前: the citizen chooses fewer remaining periods.
    NewTerm,
}

impl AdjustMode {
    pub const ALL: [AdjustMode; 3] = [
        AdjustMode::LowerPayment,
        AdjustMode::ShorterTerm,
        AdjustMode::NewTerm,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AdjustMode::LowerPayment => "还款额下降，止贷期不变",
            AdjustMode::ShorterTerm => "还款额不变，止贷期提前",
            AdjustMode::NewTerm => "月还款额调整，止贷期提前",
        }
    }
}

/// The loan may be changed at all: 正常, and no arrears (拖欠金额).
pub fn check_loan_usable(loan: &Loan) -> Result<(), ApiError> {
    loan.check()?;
    if loan.status != LoanStatus::Normal {
        return Err(ApiError::new(
            "loan_settled",
            "该贷款已结清，不能办理此业务",
        ));
    }
    if loan.arrears > Decimal::ZERO {
        return Err(ApiError::field(
            "arrears",
            "loan_in_arrears",
            format!(
                "拖欠金额合计为{}元，请先偿还拖欠款项后再办理",
                fen(loan.arrears)
            ),
        ));
    }
    Ok(())
}

/// 约定还款日期 lies strictly after the last due date and strictly before the next due date.
pub fn check_repayment_date(loan: &Loan, date: NaiveDate) -> Result<(), ApiError> {
    if date <= loan.last_due_date {
        return Err(ApiError::field(
            "date",
            "date_not_after_last_due",
            format!(
                "约定还款日期须晚于上次还款日{}",
                compact(loan.last_due_date)
            ),
        ));
    }
    match loan.next_due_date() {
        Some(next) if date < next => Ok(()),
        next => Err(ApiError::field(
            "date",
            "date_not_before_next_due",
            format!(
                "约定还款日期须早于下一约定还款日{}",
                next.map(compact).unwrap_or_default()
            ),
        )),
    }
}

/// 变更后剩余期数 as typed: empty is `None`; otherwise a whole number (full-width digits accepted).
pub fn parse_periods(input: &str) -> Result<Option<u32>, ApiError> {
    let text = crate::money::normalize_width(input);
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>().map(Some).map_err(|_| {
        ApiError::field(
            "new_remaining_periods",
            "new_term_not_a_number",
            "变更后剩余期数须为整数",
        )
    })
}

/// A 部分提前还本 request, parsed and checked against the loan: only a valid request exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepaymentRequest {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub mode: AdjustMode,
    pub new_remaining_periods: Option<u32>,
}

impl PrepaymentRequest {
    pub fn parse(
        loan: &Loan,
        date: &str,
        amount: &str,
        mode: AdjustMode,
        new_remaining_periods: Option<u32>,
    ) -> Result<Self, ApiError> {
        check_loan_usable(loan)?;
        let date = parse_date("date", "约定还款日期", date)?;
        check_repayment_date(loan, date)?;
        let amount = parse_amount("amount", "提前还本金额", amount)?;
        if amount <= Decimal::ZERO {
            return Err(ApiError::field(
                "amount",
                "amount_not_positive",
                "提前还本金额须大于0",
            ));
        }
        if !(amount % Decimal::from(1000)).is_zero() {
            return Err(ApiError::field(
                "amount",
                "amount_not_multiple_of_1000",
                "提前还本金额须为1000的倍数",
            ));
        }
        if amount >= loan.balance {
            return Err(ApiError::field(
                "amount",
                "amount_not_below_balance",
                "提前还本金额须小于贷款余额；全部还清请办理提前结清贷款",
            ));
        }
        let new_remaining_periods = match mode {
            AdjustMode::NewTerm => {
                let most = loan.remaining_periods - 1;
                match new_remaining_periods {
                    None => {
                        return Err(ApiError::field(
                            "new_remaining_periods",
                            "new_term_required",
                            "请输入变更后剩余期数",
                        ))
                    }
                    Some(n) if n == 0 || n > most => {
                        return Err(ApiError::field(
                            "new_remaining_periods",
                            "new_term_out_of_range",
                            format!("变更后剩余期数须小于当前剩余期数，在1至{most}之间"),
                        ))
                    }
                    Some(n) => Some(n),
                }
            }
            _ => None,
        };
        Ok(PrepaymentRequest {
            date,
            amount,
            mode,
            new_remaining_periods,
        })
    }
}

/// The trial of a 部分提前还本, every figure rounded to the fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaymentTrial {
    /// 提前还本金额.
    pub prepay_principal: Decimal,
    /// 提前还本利息.
    pub prepay_interest: Decimal,
    /// 退还利息: always 0.00 (no interest is collected in advance).
    pub refund_interest: Decimal,
    /// 提前还款总额.
    pub total: Decimal,
    /// 变更后贷款余额.
    pub new_balance: Decimal,
    /// 变更后剩余期数.
    pub new_remaining_periods: u32,
    /// 变更后月还款额 (for 等额本金: the first installment after the change).
    pub new_monthly_payment: Decimal,
    /// 变更后到期日期.
    pub new_maturity_date: NaiveDate,
    /// 等额本金 only: the new monthly principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_monthly_principal: Option<Decimal>,
}

/// Interest for `principal` over the 30/360 days from the last due date to `date`.
fn interest_since_last_due(loan: &Loan, principal: Decimal, date: NaiveDate) -> Decimal {
    let days = Decimal::from(days_30_360(loan.last_due_date, date));
    fen(principal * loan.annual_rate * days / Decimal::from(36000))
}

fn engine_error() -> ApiError {
    ApiError::new(
        "trial_out_of_range",
        "该笔贷款的数据超出试算范围，请到柜台办理",
    )
}

/// The maturity date after a change of the remaining periods from `n` to `new_n`.
fn moved_maturity(loan: &Loan, new_periods: u32) -> Result<NaiveDate, ApiError> {
    let shift = new_periods as i32 - loan.remaining_periods as i32;
    add_months_on_day(loan.maturity_date, shift, loan.due_day()).ok_or_else(engine_error)
}

/// The new monthly figure and the first installment after a change: for 等额本息 both are the
/// installment A; for 等额本金 the monthly principal P and `P + round(J·i)`.
fn new_payment(
    loan: &Loan,
    balance: Decimal,
    periods: u32,
) -> Result<(Decimal, Option<Decimal>), ApiError> {
    let rate = loan.monthly_rate();
    match loan.method {
        RepaymentMethod::EqualInstallment => equal_installment(balance, rate, periods)
            .map(|a| (a, None))
            .ok_or_else(engine_error),
        RepaymentMethod::EqualPrincipal => equal_principal(balance, periods)
            .map(|p| (fen(p + fen(balance * rate)), Some(p)))
            .ok_or_else(engine_error),
    }
}

/// 部分提前还本 trial for a parsed request.
pub fn prepayment(loan: &Loan, request: &PrepaymentRequest) -> Result<PrepaymentTrial, ApiError> {
    let amount = request.amount;
    let prepay_interest = interest_since_last_due(loan, amount, request.date);
    let new_balance = loan.balance - amount;
    let n = loan.remaining_periods;
    let new_periods = match request.mode {
        AdjustMode::LowerPayment => n,
        AdjustMode::NewTerm => request.new_remaining_periods.unwrap_or(n),
        AdjustMode::ShorterTerm => match loan.method {
            RepaymentMethod::EqualInstallment => {
                periods_to_repay(new_balance, loan.monthly_rate(), loan.monthly_payment)
                    .ok_or_else(engine_error)?
            }
            RepaymentMethod::EqualPrincipal => {
                u32::try_from((new_balance / loan.monthly_payment).ceil().mantissa())
                    .map_err(|_| engine_error())?
            }
        }
        .clamp(1, n),
    };
    let (new_monthly_payment, new_monthly_principal) = match (request.mode, loan.method) {
        // 还款额不变: the installment (or monthly principal) is kept as it is.
        (AdjustMode::ShorterTerm, RepaymentMethod::EqualInstallment) => {
            (loan.monthly_payment, None)
        }
        (AdjustMode::ShorterTerm, RepaymentMethod::EqualPrincipal) => (
            fen(loan.monthly_payment + fen(new_balance * loan.monthly_rate())),
            Some(loan.monthly_payment),
        ),
        _ => new_payment(loan, new_balance, new_periods)?,
    };
    Ok(PrepaymentTrial {
        prepay_principal: fen(amount),
        prepay_interest,
        refund_interest: fen(Decimal::ZERO),
        total: fen(amount + prepay_interest),
        new_balance: fen(new_balance),
        new_remaining_periods: new_periods,
        new_monthly_payment: fen(new_monthly_payment),
        new_maturity_date: moved_maturity(loan, new_periods)?,
        new_monthly_principal: new_monthly_principal.map(fen),
    })
}

/// The trial of a 提前结清贷款.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettlementTrial {
    /// 提前结清本金: the whole balance.
    pub principal: Decimal,
    /// 提前结清利息.
    pub interest: Decimal,
    /// 退还利息: always 0.00.
    pub refund_interest: Decimal,
    /// 提前还款总额.
    pub total: Decimal,
}

/// 提前结清贷款 trial on `date`: checks the loan and the date, then computes.
pub fn settlement(loan: &Loan, date: NaiveDate) -> Result<SettlementTrial, ApiError> {
    check_loan_usable(loan)?;
    check_repayment_date(loan, date)?;
    let interest = interest_since_last_due(loan, loan.balance, date);
    Ok(SettlementTrial {
        principal: fen(loan.balance),
        interest,
        refund_interest: fen(Decimal::ZERO),
        total: fen(loan.balance + interest),
    })
}

/// The trial of a 调整月还款额 (no prepayment), effective from the next due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustTermTrial {
    pub new_remaining_periods: u32,
    pub new_monthly_payment: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_monthly_principal: Option<Decimal>,
    pub new_maturity_date: NaiveDate,
    /// The first due date on which the new installment applies.
    pub effective_date: NaiveDate,
    /// Interest still to pay as the loan stands, and after the change.
    pub interest_before: Decimal,
    pub interest_after: Decimal,
    /// `interest_after − interest_before`: positive when a longer term costs more interest.
    pub interest_difference: Decimal,
}

/// 调整月还款额 to `new_periods` remaining periods (shorter or longer). The policy caps the whole
/// term at `max_total_term_months` from disbursement.
pub fn adjust_term(
    loan: &Loan,
    new_periods: u32,
    policy: &Policy,
) -> Result<AdjustTermTrial, ApiError> {
    check_loan_usable(loan)?;
    let field = "new_remaining_periods";
    if new_periods == 0 || new_periods > super::MAX_PERIODS {
        return Err(ApiError::field(
            field,
            "new_term_out_of_range",
            "变更后剩余期数须大于0",
        ));
    }
    if new_periods == loan.remaining_periods {
        return Err(ApiError::field(
            field,
            "new_term_unchanged",
            "变更后剩余期数与当前剩余期数相同，无需调整",
        ));
    }
    let new_maturity_date = moved_maturity(loan, new_periods)?;
    let Some(disbursed) = loan.disbursement_date else {
        return Err(ApiError::field(
            "loan.disbursement_date",
            "loan_invalid",
            "缺少放款日期，无法核对贷款总期限",
        ));
    };
    let limit = policy.max_total_term_months;
    if months_between(disbursed, new_maturity_date) > limit as i32 {
        return Err(ApiError::field(
            field,
            "total_term_exceeds_limit",
            format!("调整后贷款总期限不能超过{limit}个月"),
        ));
    }
    let (new_monthly_payment, new_monthly_principal) =
        new_payment(loan, loan.balance, new_periods)?;
    let after = Loan {
        remaining_periods: new_periods,
        monthly_payment: new_monthly_principal.unwrap_or(new_monthly_payment),
        maturity_date: new_maturity_date,
        ..loan.clone()
    };
    let interest_before = loan.schedule().total_interest;
    let interest_after = after.schedule().total_interest;
    Ok(AdjustTermTrial {
        new_remaining_periods: new_periods,
        new_monthly_payment,
        new_monthly_principal,
        new_maturity_date,
        effective_date: loan.next_due_date().ok_or_else(engine_error)?,
        interest_before,
        interest_after,
        interest_difference: fen(interest_after - interest_before),
    })
}
