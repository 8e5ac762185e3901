//! 提取 — 退休销户提取 (retirement account-closing withdrawal) eligibility.
//!
//! The seed's rule: the account is 封存, the member is of retirement age (men 60, women 55), and a
//! savings card in the member's own name with status 正常 is linked. A policy switch applies the
//! statutory gradual rise in force since 2025-01-01 instead. Every unmet condition is reported.

pub mod housing;

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
        if length < 2 {
            return Err(ApiError::field("address", "address_required", "请输入地址"));
        }
        if length > 100 || address.chars().any(char::is_control) {
            return Err(ApiError::field(
                "address",
                "address_invalid",
                "地址不超过100个字，且不能包含控制字符",
            ));
        }
        let limit = parse_amount("limit", "提取限额", &self.limit)?;
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
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn statutory() -> RetirementPolicy {
        RetirementPolicy {
            rule: RetirementRule::Statutory2025,
            ..RetirementPolicy::default()
        }
    }

    #[test]
    fn fixed_ages_of_the_seed() {
        let p = RetirementPolicy::default();
        assert_eq!(
            p.retirement_date(ymd(1957, 3, 15), RetirementGroup::Male),
            Some(ymd(2017, 3, 15))
        );
        assert_eq!(
            p.retirement_date(ymd(1962, 6, 1), RetirementGroup::Female55),
            Some(ymd(2017, 6, 1))
        );
        assert_eq!(
            p.retirement_age_months(ymd(1980, 1, 1), RetirementGroup::Female50),
            55 * 12
        );
    }

    #[test]
    fn statutory_gradual_rise() {
        let p = statutory();
        let m = RetirementGroup::Male;
        assert_eq!(p.retirement_age_months(ymd(1964, 12, 1), m), 720);
        assert_eq!(p.retirement_age_months(ymd(1965, 1, 1), m), 721);
        assert_eq!(p.retirement_age_months(ymd(1965, 4, 30), m), 721);
        assert_eq!(p.retirement_age_months(ymd(1965, 5, 1), m), 722);
        assert_eq!(p.retirement_age_months(ymd(1976, 8, 1), m), 755);
        assert_eq!(p.retirement_age_months(ymd(1976, 9, 1), m), 756); // 63
        assert_eq!(p.retirement_age_months(ymd(1990, 1, 1), m), 756);
        let f55 = RetirementGroup::Female55;
        assert_eq!(p.retirement_age_months(ymd(1969, 12, 1), f55), 660);
        assert_eq!(p.retirement_age_months(ymd(1970, 1, 1), f55), 661);
        assert_eq!(p.retirement_age_months(ymd(1981, 9, 1), f55), 696); // 58
        let f50 = RetirementGroup::Female50;
        assert_eq!(p.retirement_age_months(ymd(1975, 1, 1), f50), 601);
        assert_eq!(p.retirement_age_months(ymd(1975, 3, 1), f50), 602);
        assert_eq!(p.retirement_age_months(ymd(1984, 11, 1), f50), 660); // 55
                                                                         // Born 1965-01-10: retires at 60 years 1 month, on 2025-02-10.
        assert_eq!(
            p.retirement_date(ymd(1965, 1, 10), m),
            Some(ymd(2025, 2, 10))
        );
    }

    fn sealed_retired_man() -> MemberFacts {
        MemberFacts {
            name: "王五".into(),
            birth_date: ymd(1956, 5, 20),
            gender: Gender::Male,
            female_baseline_50: false,
            account_status: AccountStatus::Sealed,
            card: Some(SavingsCard {
                holder: "王五".into(),
                bank: "建行".into(),
                number: "6217000010001234567".into(),
                status: CardStatus::Normal,
            }),
        }
    }

    #[test]
    fn every_unmet_condition_is_reported() {
        let today = ymd(2018, 1, 5);
        let policy = RetirementPolicy::default();
        assert!(retirement_unmet(&sealed_retired_man(), &policy, today).is_empty());
        let nobody = MemberFacts {
            birth_date: ymd(1970, 1, 1),
            account_status: AccountStatus::Normal,
            card: None,
            ..sealed_retired_man()
        };
        let unmet = retirement_unmet(&nobody, &policy, today);
        let refusal = retirement_refusal(&unmet).unwrap();
        assert_eq!(refusal.code, "account_not_sealed");
        assert_eq!(
            refusal.message,
            "不符合退休销户提取条件：账户状态须为封存（当前为正常）；未达到退休年龄（2030-01-01起可办理）；未关联本人名下正常储蓄卡"
        );
        assert_eq!(retirement_refusal(&[]), None);
        let codes: Vec<_> = unmet.into_iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "account_not_sealed",
                "below_retirement_age",
                "no_own_normal_card"
            ]
        );
        let someone_elses_card = MemberFacts {
            card: Some(SavingsCard {
                holder: "张三".into(),
                ..sealed_retired_man().card.unwrap()
            }),
            ..sealed_retired_man()
        };
        assert_eq!(
            retirement_unmet(&someone_elses_card, &policy, today)[0].code,
            "no_own_normal_card"
        );
        // The birthday itself counts as reached.
        let birthday = MemberFacts {
            birth_date: ymd(1958, 1, 5),
            ..sealed_retired_man()
        };
        assert!(retirement_unmet(&birthday, &policy, today).is_empty());
        let day_before = MemberFacts {
            birth_date: ymd(1958, 1, 6),
            ..sealed_retired_man()
        };
        assert_eq!(
            retirement_unmet(&day_before, &policy, today)[0].code,
            "below_retirement_age"
        );
    }

    #[test]
    fn materials_are_numbered_in_the_seed_style_and_checked() {
        assert_eq!(material_no(2018, 1), "22001010001800000001");
        assert_eq!(material_no(2018, 1).len(), 20);
        let good = NewMaterial {
            reason: "离休、退休".into(),
            address: " 长春市朝阳区人民大街1号 ".into(),
            limit: "５0000".into(),
            idempotency_key: "k".repeat(16),
        };
        let parsed = good.parse().unwrap();
        assert_eq!(parsed.address, "长春市朝阳区人民大街1号");
        assert_eq!(parsed.limit, Decimal::from(50000));
        let field = |m: NewMaterial| m.parse().unwrap_err().field.unwrap();
        assert_eq!(
            field(NewMaterial {
                reason: "买车".into(),
                ..good.clone()
            }),
            "reason"
        );
        assert_eq!(
            field(NewMaterial {
                address: "".into(),
                ..good.clone()
            }),
            "address"
        );
        assert_eq!(
            field(NewMaterial {
                address: "长".repeat(101),
                ..good.clone()
            }),
            "address"
        );
        assert_eq!(
            field(NewMaterial {
                limit: "-1".into(),
                ..good.clone()
            }),
            "limit"
        );
        assert_eq!(
            field(NewMaterial {
                limit: "0".into(),
                ..good
            }),
            "limit"
        );
    }
}
