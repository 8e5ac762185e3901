//! What the 提取 page and the server both need to decide a housing withdrawal: the member's facts
//! as the fund holds them ([`HousingFacts`], sent with the page), the business asked
//! ([`Business`]), and the one function that gives 可提取金额 or every reason not
//! ([`allowance_for`]) — the browser computes with it as the citizen types, the server again
//! before it accepts, and the end-of-day run once more before it pays.

use super::{purchase, rent, yearly_repayment, Allowance, HousingPolicy, RentFacts};
use crate::error::ApiError;
use crate::member::AccountStatus;
use crate::money::format_thousands;
use crate::withdrawal::Material;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The withdrawals the hall offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Business {
    /// 退休销户提取: the whole balance, the account closed (stored before issue 14 without this
    /// field, hence the default).
    #[default]
    Retirement,
    /// 购房提取 (and the other housing reasons of a material): on a material chosen in the list.
    Purchase,
    /// 租房提取.
    Rent,
    /// 偿还贷款提取（按年）.
    Repayment,
}

impl Business {
    pub fn label(self) -> &'static str {
        match self {
            Business::Retirement => "退休销户提取",
            Business::Purchase => "购房提取",
            Business::Rent => "租房提取",
            Business::Repayment => "偿还贷款提取（按年）",
        }
    }

    /// The business's name on a receipt and in 业务进度查询: a material's other housing reasons
    /// name themselves.
    pub fn title(self, reason: &str) -> String {
        match self {
            Business::Purchase if reason != "购买自住住房" && !reason.is_empty() => {
                format!("{reason}提取")
            }
            _ => self.label().to_owned(),
        }
    }

    /// The 提取原因 a business records.
    pub fn reason(self) -> &'static str {
        match self {
            Business::Retirement => "离休、退休",
            Business::Purchase => "购买自住住房",
            Business::Rent => "租赁自住住房",
            Business::Repayment => "偿还购房贷款本息",
        }
    }
}

/// The 提取原因 of a material that may be drawn on it here (the others have a business of their
/// own — 租房提取, 偿还贷款提取, whose limits a material must not lift, 退休销户提取 — or are
/// done at the counter).
pub const MATERIAL_WITHDRAWAL_REASONS: [&str; 2] = ["购买自住住房", "建造、翻建、大修自住住房"];

/// 材料状态 of a material with nothing left (still 有效 in the back office's record).
pub const MATERIAL_USED_UP: &str = "已用完";
/// 材料状态 of a material that may be drawn on.
pub const MATERIAL_VALID: &str = "有效";

/// The member's own HPF loan, as 偿还贷款提取 and 租房提取 need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanFacts {
    pub borrower_no: String,
    /// Not yet 结清.
    pub open: bool,
    pub balance: Decimal,
    /// 逾期未还 (本息).
    pub arrears: Decimal,
    /// The installments paid in the twelve months before the date.
    pub paid_last_12_months: Decimal,
}

/// What the fund holds of a member that the housing withdrawals need, as of `date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HousingFacts {
    pub date: NaiveDate,
    pub status: AccountStatus,
    pub balance: Decimal,
    /// A savings card in the member's own name, 正常, is linked (the money goes there).
    pub own_card: bool,
    /// The months (first day) of the recent 汇缴/补缴.
    pub months_deposited: Vec<NaiveDate>,
    /// A house the member owns in the city, its address already masked.
    pub property: Option<String>,
    /// 租房提取 paid in the quarter of `date`.
    pub rent_drawn_this_quarter: Decimal,
    /// The member's loan: the open one, else the latest.
    pub loan: Option<LoanFacts>,
    /// The last 偿还贷款提取（按年） paid.
    pub repayment_last_drawn: Option<NaiveDate>,
    /// 按月对冲 is signed on the loan (按年 is then refused).
    #[serde(default)]
    pub offset_signed: bool,
    /// What the fund has already promised: withdrawals 受理中 and the fund's part of prepayments
    /// reserved. The page and the submission count it out of the balance; the end-of-day run,
    /// paying in order on the balance as it then is, does not.
    #[serde(default)]
    pub committed: Decimal,
}

impl HousingFacts {
    /// The balance less what is already promised.
    pub fn usable(&self) -> Decimal {
        (self.balance - self.committed).max(Decimal::ZERO)
    }
}

fn refuse(code: &str, message: String) -> ApiError {
    ApiError::new(code, message)
}

/// 可提取金额 of `business` (on `material` for 购房提取), or every reason not.
pub fn allowance_for(
    business: Business,
    material: Option<&Material>,
    facts: &HousingFacts,
    policy: &HousingPolicy,
) -> Result<Allowance, Vec<ApiError>> {
    let ruled = match business {
        Business::Retirement => Err(vec![refuse(
            "not_housing",
            "退休销户提取须提取全部余额，请在退休销户提取中办理".into(),
        )]),
        Business::Purchase => match material {
            None => Err(vec![refuse(
                "material_required",
                "请在提取材料列表中选择一份有效的提取材料".into(),
            )]),
            Some(m) if !MATERIAL_WITHDRAWAL_REASONS.contains(&m.reason.as_str()) => {
                Err(vec![refuse(
                    "material_reason",
                    format!("提取原因为“{}”的材料不能在此办理提取", m.reason),
                )])
            }
            Some(m) => purchase(
                facts.status,
                facts.usable(),
                m.status != "失效",
                m.remaining,
                policy,
            ),
        },
        Business::Rent => rent(
            &RentFacts {
                status: facts.status,
                balance: facts.usable(),
                months_deposited: facts.months_deposited.clone(),
                open_loan: facts.loan.as_ref().is_some_and(|l| l.open),
                property: facts.property.clone(),
                drawn_this_quarter: facts.rent_drawn_this_quarter,
            },
            facts.date,
            policy,
        ),
        Business::Repayment => {
            let loan = facts.loan.as_ref().filter(|l| l.open);
            let ruled = yearly_repayment(
                loan.is_some(),
                loan.map_or(Decimal::ZERO, |l| l.balance),
                loan.map_or(Decimal::ZERO, |l| l.paid_last_12_months),
                facts.repayment_last_drawn,
                facts.usable(),
                facts.date,
                policy,
            );
            let ruled = match (ruled, facts.offset_signed) {
                (ruled, false) => ruled,
                (Ok(_), true) => Err(vec![crate::withdrawal::offset::yearly_while_signed()]),
                (Err(mut errors), true) => {
                    errors.push(crate::withdrawal::offset::yearly_while_signed());
                    Err(errors)
                }
            };
            match loan.filter(|l| l.arrears > Decimal::ZERO) {
                Some(l) => {
                    let arrears = refuse(
                        "loan_in_arrears",
                        format!(
                            "贷款有逾期未还金额{}元，请先归还后再办理",
                            format_thousands(l.arrears)
                        ),
                    );
                    Err(match ruled {
                        Ok(_) => vec![arrears],
                        Err(mut errors) => {
                            errors.insert(0, arrears);
                            errors
                        }
                    })
                }
                None => ruled,
            }
        }
    };
    // With something promised, the balance's limit says so.
    let ruled = ruled.map(|mut a| {
        if facts.committed > Decimal::ZERO {
            for limit in &mut a.limits {
                if limit.label.starts_with("账户余额") {
                    limit.label =
                        limit
                            .label
                            .replacen("账户余额", "可用余额（已扣除受理中业务）", 1);
                }
            }
        }
        a
    });
    if facts.own_card || business == Business::Retirement {
        return ruled;
    }
    let card = refuse(
        "no_own_normal_card",
        "未关联本人名下正常储蓄卡，提取款项无法转入".into(),
    );
    Err(match ruled {
        Ok(_) => vec![card],
        Err(mut errors) => {
            errors.push(card);
            errors
        }
    })
}

/// The reasons in one sentence.
pub fn why_not(errors: &[ApiError]) -> String {
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    format!("{}。", all.join("；"))
}

/// The materials that may be chosen for 购房提取 (有效, with 剩余额度, a reason drawn here).
pub fn usable_materials(materials: &[Material]) -> impl Iterator<Item = &Material> {
    materials.iter().filter(|m| {
        m.status == MATERIAL_VALID
            && m.remaining > Decimal::ZERO
            && MATERIAL_WITHDRAWAL_REASONS.contains(&m.reason.as_str())
    })
}

/// What the 提取 page says of each housing business today: 可提取金额 (for 购房提取, the most any
/// material that may be chosen allows), or why not.
pub fn offers(
    materials: &[Material],
    facts: &HousingFacts,
    policy: &HousingPolicy,
) -> Vec<(Business, Result<Allowance, Vec<ApiError>>)> {
    let purchase = usable_materials(materials)
        .map(|m| allowance_for(Business::Purchase, Some(m), facts, policy))
        .reduce(|best, next| match (&best, &next) {
            (Ok(a), Ok(b)) if b.max > a.max => next,
            (Err(_), Ok(_)) => next,
            _ => best,
        })
        .unwrap_or_else(|| {
            Err(vec![refuse(
                "no_usable_material",
                "没有可用于提取的有效提取材料，请先新增提取材料".into(),
            )])
        });
    vec![
        (Business::Purchase, purchase),
        (
            Business::Rent,
            allowance_for(Business::Rent, None, facts, policy),
        ),
        (
            Business::Repayment,
            allowance_for(Business::Repayment, None, facts, policy),
        ),
    ]
}

/// 提交 of a housing withdrawal: the business, the material chosen (购房提取), 提取金额 as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HousingSubmission {
    pub business: Business,
    #[serde(default)]
    pub material_no: Option<String>,
    pub amount: String,
    pub idempotency_key: String,
}
