//! The housing withdrawals of issue 14 — 购房提取 on a material, 租房提取, 偿还贷款提取 (按年, 按月对冲)
//! and a prepayment paid from the fund — as rules only: what may be drawn, each limit that binds,
//! and every unmet condition in the page's words ([`allowance_for`] puts them together for the
//! page, the server and the end-of-day run); the figures and defaults are the issue's.

use crate::error::ApiError;
use crate::member::AccountStatus;
use crate::money::{format_thousands, parse_amount};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod facts;
pub use facts::{
    allowance_for, offers, usable_materials, why_not, Business, HousingFacts, HousingSubmission,
    LoanFacts, MATERIAL_USED_UP, MATERIAL_VALID, MATERIAL_WITHDRAWAL_REASONS,
};

/// The policy's figures for the housing withdrawals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HousingPolicy {
    /// 留存额: what a withdrawal must leave in the account (default 0).
    pub retain: Decimal,
    /// 租房提取: the monthly limit (default 1,500 元), drawn by the quarter.
    pub rent_monthly_limit: Decimal,
    /// 租房提取: deposits required in each of the last this many months (default 3).
    pub rent_recent_deposit_months: u32,
    /// 偿还贷款提取（按年）: once per this many months (default 12).
    pub repayment_interval_months: u32,
}

impl Default for HousingPolicy {
    fn default() -> Self {
        HousingPolicy {
            retain: Decimal::ZERO,
            rent_monthly_limit: Decimal::new(1500, 0),
            rent_recent_deposit_months: 3,
            repayment_interval_months: 12,
        }
    }
}

/// One limit on what may be drawn, and whether it is the one that binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limit {
    pub label: String,
    pub amount: Decimal,
    pub binds: bool,
}

/// 可提取金额 with the limits it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allowance {
    pub max: Decimal,
    pub limits: Vec<Limit>,
}

fn allowance(limits: Vec<(&str, Decimal)>) -> Allowance {
    let max = limits
        .iter()
        .map(|(_, a)| *a)
        .min()
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO);
    Allowance {
        max,
        limits: limits
            .into_iter()
            .map(|(label, amount)| Limit {
                label: label.to_owned(),
                amount,
                binds: amount.max(Decimal::ZERO) == max,
            })
            .collect(),
    }
}

fn unmet(code: &str, message: String) -> ApiError {
    ApiError::new(code, message)
}

/// The allowance, or every unmet condition — nothing to draw being one when all else holds.
fn settle(
    mut refused: Vec<ApiError>,
    allowance: Allowance,
    nothing: &str,
) -> Result<Allowance, Vec<ApiError>> {
    if refused.is_empty() && allowance.max <= Decimal::ZERO {
        refused.push(unmet("nothing_to_draw", nothing.to_owned()));
    }
    if refused.is_empty() {
        Ok(allowance)
    } else {
        Err(refused)
    }
}

/// The limit the balance sets, by name: 账户余额, or 账户余额减留存额 when the policy keeps one.
fn balance_label(policy: &HousingPolicy) -> &'static str {
    if policy.retain.is_zero() {
        "账户余额"
    } else {
        "账户余额减留存额"
    }
}

/// What the account leaves to draw: the balance less the 留存额.
fn available(balance: Decimal, policy: &HousingPolicy) -> Decimal {
    (balance - policy.retain).max(Decimal::ZERO)
}

/// 购房提取 on a material: the account 正常 or 封存, the material 有效 with 剩余额度 left; at most
/// the material's 剩余额度 and the balance less the 留存额.
pub fn purchase(
    status: AccountStatus,
    balance: Decimal,
    material_valid: bool,
    material_remaining: Decimal,
    policy: &HousingPolicy,
) -> Result<Allowance, Vec<ApiError>> {
    let mut refused = Vec::new();
    if status == AccountStatus::Closed {
        refused.push(unmet("account_closed", "账户已销户，不能提取".into()));
    }
    if !material_valid {
        refused.push(unmet("material_invalid", "所选提取材料不是有效状态".into()));
    } else if material_remaining <= Decimal::ZERO {
        refused.push(unmet(
            "material_used_up",
            "所选提取材料的剩余额度已用完".into(),
        ));
    }
    let allowance = allowance(vec![
        ("提取材料剩余额度", material_remaining),
        (balance_label(policy), available(balance, policy)),
    ]);
    settle(refused, allowance, "账户余额扣除留存额后无可提取金额")
}

/// What 租房提取 needs to know about the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentFacts {
    pub status: AccountStatus,
    pub balance: Decimal,
    /// The months (first day) with a 汇缴 or 补缴 deposited.
    pub months_deposited: Vec<NaiveDate>,
    pub open_loan: bool,
    /// The address of a house the member owns in the city, if the records hold one.
    pub property: Option<String>,
    /// 租房提取 already drawn in the quarter of the date.
    pub drawn_this_quarter: Decimal,
}

/// 某某市某某区****: the start of an address, the rest masked.
pub fn mask_address(address: &str) -> String {
    let kept: String = address.chars().take(6).collect();
    format!("{kept}****")
}

/// The quarter (1–4) of a date.
pub fn quarter(date: NaiveDate) -> u32 {
    (date.month() - 1) / 3 + 1
}

/// 租房提取 on `date`: the account 正常 with deposits in each of the last months the policy names
/// (those before the date's month), no open housing loan, no house owned in the city; once per
/// quarter, at most 3 × the monthly limit and the balance less the 留存额.
pub fn rent(
    facts: &RentFacts,
    date: NaiveDate,
    policy: &HousingPolicy,
) -> Result<Allowance, Vec<ApiError>> {
    let mut refused = Vec::new();
    if facts.status != AccountStatus::Normal {
        refused.push(unmet(
            "account_not_normal",
            format!("账户状态须为正常（当前为{}）", facts.status.label()),
        ));
    }
    let first_of_month = date.with_day(1).unwrap_or(date);
    let missing: Vec<String> = (1..=policy.rent_recent_deposit_months as i32)
        .rev()
        .filter_map(|back| crate::date::add_months_on_day(first_of_month, -back, 1))
        .filter(|month| !facts.months_deposited.contains(month))
        .map(|month| format!("{}年{}月", month.year(), month.month()))
        .collect();
    if !missing.is_empty() {
        refused.push(unmet(
            "recent_deposits_missing",
            format!(
                "须连续缴存满{}个月，{}没有缴存记录",
                policy.rent_recent_deposit_months,
                missing.join("、")
            ),
        ));
    }
    if facts.open_loan {
        refused.push(unmet(
            "open_loan",
            "有未结清的住房公积金贷款，不能办理租房提取".into(),
        ));
    }
    if let Some(address) = &facts.property {
        refused.push(unmet(
            "owns_property",
            format!(
                "本市有登记在您名下的住房（{}），不能办理租房提取",
                mask_address(address)
            ),
        ));
    }
    if facts.drawn_this_quarter > Decimal::ZERO {
        refused.push(unmet(
            "drawn_this_quarter",
            format!(
                "本季度（第{}季度）已办理租房提取{}元，每季度限提取一次",
                quarter(date),
                format_thousands(facts.drawn_this_quarter)
            ),
        ));
    }
    let allowance = allowance(vec![
        (
            "本季度租房提取限额",
            policy.rent_monthly_limit * Decimal::new(3, 0),
        ),
        (balance_label(policy), available(facts.balance, policy)),
    ]);
    settle(refused, allowance, "账户余额扣除留存额后无可提取金额")
}

/// 偿还贷款提取（按年）: the citizen's own loan 正常; once per interval (the last such withdrawal
/// at least that many months ago); at most the installments paid in the last 12 months, the loan's
/// balance and the fund balance less the 留存额.
pub fn yearly_repayment(
    loan_normal: bool,
    loan_balance: Decimal,
    paid_last_12_months: Decimal,
    last_drawn: Option<NaiveDate>,
    balance: Decimal,
    date: NaiveDate,
    policy: &HousingPolicy,
) -> Result<Allowance, Vec<ApiError>> {
    let mut refused = Vec::new();
    if !loan_normal {
        refused.push(unmet(
            "no_open_loan",
            "没有正常还款中的本人住房公积金贷款".into(),
        ));
    }
    if let Some(last) = last_drawn {
        let next = crate::date::add_months_on_day(
            last,
            policy.repayment_interval_months as i32,
            last.day(),
        );
        if next.is_some_and(|next| date < next) {
            refused.push(unmet(
                "drawn_this_year",
                format!(
                    "{}已办理偿还贷款提取，每{}个月限一次，{}起可再次办理",
                    crate::date::compact(last),
                    policy.repayment_interval_months,
                    next.map(crate::date::compact).unwrap_or_default()
                ),
            ));
        }
    }
    let allowance = allowance(vec![
        ("近12个月已还本息", paid_last_12_months),
        ("贷款余额", loan_balance),
        (balance_label(policy), available(balance, policy)),
    ]);
    settle(refused, allowance, "没有可提取的金额")
}

/// The day twelve months before `date`, the end of a month kept at the end of a month: the
/// window (a year before, date] of 近12个月已还本息 never holds thirteen due days around 29 February.
pub fn year_before(date: NaiveDate) -> NaiveDate {
    let month_end = date.succ_opt().is_none_or(|next| next.day() == 1);
    let day = if month_end { 31 } else { date.day() };
    crate::date::add_months_on_day(date, -12, day).unwrap_or(date)
}

/// 提取金额 as typed, within the allowance: more than 0, to the fen, at most `max`.
pub fn check_amount(input: &str, allowance: &Allowance) -> Result<Decimal, ApiError> {
    let amount = parse_amount("amount", "提取金额", input)?;
    if amount <= Decimal::ZERO {
        return Err(ApiError::field("amount", "amount_zero", "提取金额须大于0"));
    }
    if amount > allowance.max {
        return Err(ApiError::field(
            "amount",
            "amount_over_limit",
            format!(
                "提取金额不能超过可提取金额{}元",
                format_thousands(allowance.max)
            ),
        ));
    }
    Ok(amount)
}

/// 资金来源 of a prepayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// 自有资金 (the only source before issue 14, hence the default).
    #[default]
    Own,
    /// 公积金余额.
    Fund,
    /// 公积金余额优先，不足部分自有资金.
    Both,
}

impl FundingSource {
    pub const ALL: [FundingSource; 3] =
        [FundingSource::Own, FundingSource::Fund, FundingSource::Both];

    pub fn label(self) -> &'static str {
        match self {
            FundingSource::Own => "自有资金",
            FundingSource::Fund => "公积金余额",
            FundingSource::Both => "公积金余额和自有资金",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FundingSource::Own => "own",
            FundingSource::Fund => "fund",
            FundingSource::Both => "both",
        }
    }

    pub fn from_key(key: &str) -> Self {
        FundingSource::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or_default()
    }
}

/// How a payment is split between the fund balance and the citizen's own money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Split {
    pub from_fund: Decimal,
    pub from_own: Decimal,
}

/// The split of `total` paid from `source` with `balance` in the fund: the balance (less the
/// 留存额) first; all from the fund refused when it does not cover the total.
pub fn split(
    total: Decimal,
    source: FundingSource,
    balance: Decimal,
    policy: &HousingPolicy,
) -> Result<Split, ApiError> {
    let fund = available(balance, policy);
    match source {
        FundingSource::Own => Ok(Split {
            from_fund: Decimal::ZERO,
            from_own: total,
        }),
        FundingSource::Fund if fund < total => Err(ApiError::field(
            "source",
            "fund_insufficient",
            format!(
                "公积金可用余额{}元不足以支付{}元，请选择“公积金余额和自有资金”",
                format_thousands(fund),
                format_thousands(total)
            ),
        )),
        FundingSource::Fund => Ok(Split {
            from_fund: total,
            from_own: Decimal::ZERO,
        }),
        FundingSource::Both => {
            let from_fund = fund.min(total);
            Ok(Split {
                from_fund,
                from_own: total - from_fund,
            })
        }
    }
}

/// 按月对冲 on a due date: the installment from the fund balance (less the 留存额) first, the
/// rest from the card.
pub fn offset(installment: Decimal, balance: Decimal, policy: &HousingPolicy) -> Split {
    let from_fund = available(balance, policy).min(installment);
    Split {
        from_fund,
        from_own: installment - from_fund,
    }
}

#[cfg(test)]
mod tests;
