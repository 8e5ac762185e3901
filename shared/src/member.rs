//! 缴存职工 — what the fund's back office records of a member: the fund account's status and the
//! linked savings card (储蓄卡).

use crate::error::ApiError;
use crate::money::normalize_width;
use serde::{Deserialize, Serialize};

/// 账户状态 of a personal fund account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// 正常: contributions are being paid.
    Normal,
    /// 封存: contributions stopped (e.g. retired, left the employer).
    Sealed,
    /// 销户: closed.
    Closed,
}

impl AccountStatus {
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Normal => "正常",
            AccountStatus::Sealed => "封存",
            AccountStatus::Closed => "销户",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    Normal,
    Frozen,
    Cancelled,
}

impl CardStatus {
    pub fn label(self) -> &'static str {
        match self {
            CardStatus::Normal => "正常",
            CardStatus::Frozen => "冻结",
            CardStatus::Cancelled => "注销",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingsCard {
    /// 开户人名称.
    pub holder: String,
    /// 开户银行.
    pub bank: String,
    /// 账号 (digits only).
    pub number: String,
    pub status: CardStatus,
}

/// A bank card (储蓄账号) number: 12–19 digits; spaces typed between groups are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct CardNumber(String);

impl CardNumber {
    pub fn parse(field: &str, label: &str, input: &str) -> Result<CardNumber, ApiError> {
        let digits: String = normalize_width(input)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if digits.is_empty() {
            return Err(ApiError::field(
                field,
                "card_required",
                format!("请输入{label}"),
            ));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::field(
                field,
                "card_not_digits",
                format!("{label}只能包含数字"),
            ));
        }
        if !(12..=19).contains(&digits.len()) {
            return Err(ApiError::field(
                field,
                "card_length",
                format!("{label}应为12至19位数字"),
            ));
        }
        Ok(CardNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CardNumber {
    type Error = ApiError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CardNumber::parse("card_number", "储蓄账号", &value)
    }
}

impl From<CardNumber> for String {
    fn from(card: CardNumber) -> String {
        card.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn card_numbers() {
        let ok = CardNumber::parse("n", "账号", "6217 0000 1000 1716").unwrap();
        assert_eq!(ok.as_str(), "6217000010001716");
        assert_eq!(
            CardNumber::parse("n", "账号", "６２１７００００１０００")
                .unwrap()
                .as_str(),
            "621700001000"
        );
        let code = |s: &str| CardNumber::parse("n", "账号", s).unwrap_err().code;
        assert_eq!(code(""), "card_required");
        assert_eq!(code("62170000100a"), "card_not_digits");
        assert_eq!(code("12345678901"), "card_length");
        assert_eq!(code("12345678901234567890"), "card_length");
        assert_eq!(code("6217-0000-1000"), "card_not_digits");
    }
}
