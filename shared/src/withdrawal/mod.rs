//! 提取 — 退休销户提取 (retirement account-closing withdrawal) eligibility.
//!
//! The seed's rule: the account is 封存, the member is of retirement age (men 60, women 55), and a
//! savings card in the member's own name with status 正常 is linked. A policy switch applies the
//! statutory gradual rise in force since 2025-01-01 instead. Every unmet condition is reported.

pub mod housing;
pub mod offset;

use crate::account::Gender;
use crate::date::add_months_on_day;
use crate::error::ApiError;
use crate::loan::wire::{CardView, MemberHeader};
use crate::member::{AccountStatus, CardStatus, SavingsCard};
use crate::money::parse_amount;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RetirementRule {
    /// A fixed age: `male_age` / `female_age` (the seed: 60 / 55).
    #[default]
    Fixed,
    /// 渐进式延迟法定退休年龄 (from 2025-01-01): men born from Jan 1965 retire one month later per
    /// four months of birth, up to 63; women with a 55 baseline from Jan 1970 likewise up to 58;
    /// women with a 50 baseline from Jan 1975 one month per two months, up to 55.
    Statutory2025,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RetirementPolicy {
    pub rule: RetirementRule,
    pub male_age: u32,
    pub female_age: u32,
}

impl Default for RetirementPolicy {
    fn default() -> Self {
        RetirementPolicy {
            rule: RetirementRule::Fixed,
            male_age: 60,
            female_age: 55,
        }
    }
}

/// Which statutory baseline applies to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RetirementGroup {
    Male,
    /// 原法定退休年龄为五十五周岁的女职工.
    Female55,
    /// 原法定退休年龄为五十周岁的女职工.
    Female50,
}

impl RetirementGroup {
    pub fn of(gender: Gender, female_baseline_50: bool) -> Self {
        match (gender, female_baseline_50) {
            (Gender::Male, _) => RetirementGroup::Male,
            (Gender::Female, false) => RetirementGroup::Female55,
            (Gender::Female, true) => RetirementGroup::Female50,
        }
    }
}

impl RetirementPolicy {
    /// The retirement age in months for someone born on `birth`.
    pub fn retirement_age_months(&self, birth: NaiveDate, group: RetirementGroup) -> u32 {
        match self.rule {
            RetirementRule::Fixed => match group {
                RetirementGroup::Male => self.male_age * 12,
                RetirementGroup::Female55 | RetirementGroup::Female50 => self.female_age * 12,
            },
            RetirementRule::Statutory2025 => {
                // (baseline years, first affected birth year, months of birth per month of delay, cap)
                let (base, from_year, step, cap) = match group {
                    RetirementGroup::Male => (60, 1965, 4, 36),
                    RetirementGroup::Female55 => (55, 1970, 4, 36),
                    RetirementGroup::Female50 => (50, 1975, 2, 60),
                };
                let born_after = (birth.year() - from_year) * 12 + birth.month0() as i32;
                let delay = if born_after < 0 {
                    0
                } else {
                    (born_after as u32 / step + 1).min(cap)
                };
                base * 12 + delay
            }
        }
    }

    /// The day from which the member counts as retired.
    pub fn retirement_date(&self, birth: NaiveDate, group: RetirementGroup) -> Option<NaiveDate> {
        let months = self.retirement_age_months(birth, group) as i32;
        add_months_on_day(birth, months, birth.day())
    }
}

/// What the eligibility check needs to know of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberFacts {
    pub name: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    #[serde(default)]
    pub female_baseline_50: bool,
    pub account_status: AccountStatus,
    pub card: Option<SavingsCard>,
}

/// Every unmet condition of a 退休销户提取, each with its code and Chinese message; empty when the
/// member may withdraw.
pub fn retirement_unmet(
    member: &MemberFacts,
    policy: &RetirementPolicy,
    today: NaiveDate,
) -> Vec<ApiError> {
    let mut unmet = Vec::new();
    if member.account_status != AccountStatus::Sealed {
        unmet.push(ApiError::new(
            "account_not_sealed",
            format!(
                "账户状态须为封存（当前为{}）",
                member.account_status.label()
            ),
        ));
    }
    let group = RetirementGroup::of(member.gender, member.female_baseline_50);
    match policy.retirement_date(member.birth_date, group) {
        Some(retire_on) if retire_on <= today => {}
        retire_on => unmet.push(ApiError::new(
            "below_retirement_age",
            match retire_on {
                Some(date) => format!("未达到退休年龄（{date}起可办理）"),
                None => "未达到退休年龄".to_owned(),
            },
        )),
    }
    let own_normal_card = member
        .card
        .as_ref()
        .is_some_and(|card| card.holder == member.name && card.status == CardStatus::Normal);
    if !own_normal_card {
        unmet.push(ApiError::new(
            "no_own_normal_card",
            "未关联本人名下正常储蓄卡",
        ));
    }
    unmet
}

/// 退休销户提取 takes the whole balance: not while part of it is promised (a prepayment reserved
/// to be paid from the fund).
pub fn committed_unmet(committed: Decimal) -> Option<ApiError> {
    (committed > Decimal::ZERO).then(|| {
        ApiError::new(
            "fund_committed",
            format!(
                "有受理中的业务将使用公积金余额{}元（如使用公积金余额的提前还款预约），请待其办结或撤销后再办理",
                crate::money::format_thousands(committed)
            ),
        )
    })
}

/// The refusal of a 退休销户提取 that does not qualify: the first unmet condition's code, every
/// condition in the message. `None` when the member may withdraw.
pub fn retirement_refusal(unmet: &[ApiError]) -> Option<ApiError> {
    let first = unmet.first()?;
    let all: Vec<&str> = unmet.iter().map(|e| e.message.as_str()).collect();
    Some(ApiError::new(
        &first.code,
        format!("不符合退休销户提取条件：{}", all.join("；")),
    ))
}

/// 提取原因 a material may give (the fund's list).
pub const MATERIAL_REASONS: [&str; 8] = [
    "购买自住住房",
    "建造、翻建、大修自住住房",
    "偿还购房贷款本息",
    "租赁自住住房",
    "离休、退休",
    "出境定居",
    "完全丧失劳动能力并与单位终止劳动关系",
    "其他",
];

/// A 提取材料 as the centre numbers it: 20 digits, `2200101000` + two-digit year + an eight-digit
/// sequence of that year (the seed's 22001010001800000001).
pub fn material_no(year: i32, sequence: u32) -> String {
    format!("2200101000{:02}{:08}", year.rem_euclid(100), sequence)
}

/// 新增提取材料 as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMaterial {
    pub reason: String,
    pub address: String,
    /// 提取限额(元).
    pub limit: String,
    /// The same key again returns the material the first one added (a retry never adds twice).
    pub idempotency_key: String,
}

/// A checked 新增提取材料.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialInput {
    pub reason: &'static str,
    pub address: String,
    pub limit: Decimal,
}

impl NewMaterial {
    pub fn parse(&self) -> Result<MaterialInput, ApiError> {
        let reason = MATERIAL_REASONS
            .into_iter()
            .find(|r| *r == self.reason.trim())
            .ok_or_else(|| ApiError::field("reason", "reason_invalid", "请选择提取原因"))?;
        let address = self.address.trim();
        let length = address.chars().count();
        if length == 0 {
            return Err(ApiError::field("address", "address_required", "请输入地址"));
        }
        if length < 2 {
            return Err(ApiError::field(
                "address",
                "address_short",
                "地址至少2个字，请填写完整",
            ));
        }
        if length > 100 || address.chars().any(char::is_control) {
            return Err(ApiError::field(
                "address",
                "address_invalid",
                "地址不超过100个字，且不能包含控制字符",
            ));
        }
        let limit = parse_amount("limit", "提取限额", &self.limit)?;
        if limit > Decimal::new(100_000_000, 0) {
            return Err(ApiError::field(
                "limit",
                "limit_too_large",
                "提取限额不能超过100,000,000.00元，请核对",
            ));
        }
        if limit <= Decimal::ZERO {
            return Err(ApiError::field(
                "limit",
                "limit_not_positive",
                "提取限额须大于0",
            ));
        }
        Ok(MaterialInput {
            reason,
            address: address.to_owned(),
            limit: crate::money::fen(limit),
        })
    }
}

/// 提取材料列表 row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Material {
    pub material_no: String,
    pub reason: String,
    pub address: String,
    pub limit: Decimal,
    pub remaining: Decimal,
    /// 有效 / 失效.
    pub status: String,
}

/// The 提取 home: the header, the materials, the account, and whether a 退休销户提取 may be made
/// now (every unmet condition listed; `refusal` when outside transaction hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalHome {
    pub header: MemberHeader,
    pub materials: Vec<Material>,
    pub balance: Decimal,
    pub account_status: AccountStatus,
    /// The linked savings card, masked.
    pub card: Option<CardView>,
    /// 提取金额: the whole balance.
    pub amount: Decimal,
    pub unmet: Vec<ApiError>,
    pub refusal: Option<String>,
    /// An open withdrawal's application number.
    pub pending: Option<String>,
    /// 购房提取, 租房提取, 偿还贷款提取: what the fund holds, computed on by the page.
    pub housing: housing::HousingFacts,
    pub housing_policy: housing::HousingPolicy,
}

/// 提交: the amount the citizen saw, and an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalSubmission {
    pub amount: Decimal,
    pub idempotency_key: String,
}

/// One open withdrawal per member.
pub fn withdrawal_open() -> ApiError {
    ApiError::new(
        "application_open",
        "您已有受理中的提取业务，请待办结或在业务进度查询中撤销后再办理",
    )
}

#[cfg(test)]
mod tests;
