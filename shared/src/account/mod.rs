//! 注册 / 登录 — the values a citizen types to register and log in, parsed at the edge into types
//! that are valid by construction: 证件号码 (ID number), 手机号, 密码, 姓名.

pub mod identity;
pub mod wire;

use crate::error::ApiError;
use crate::money::normalize_width;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// A resident identity card number (GB 11643): 17 digits and a check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdNumber(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 check character for the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

impl IdNumber {
    /// Parses a 证件号码; `today` rules out birth dates in the future.
    pub fn parse(input: &str, today: NaiveDate) -> Result<IdNumber, ApiError> {
        let field = "id_number";
        let text = normalize_width(input).trim().to_uppercase();
        if text.is_empty() {
            return Err(ApiError::field(field, "id_required", "请输入证件号码"));
        }
        let invalid = |message: &str| Err(ApiError::field(field, "id_invalid", message.to_owned()));
        let chars: Vec<char> = text.chars().collect();
        if chars.len() != 18 {
            return invalid("证件号码应为18位");
        }
        let first17: String = chars[..17].iter().collect();
        let Some(check) = id_check_char(&first17) else {
            return invalid("证件号码前17位须为数字");
        };
        if chars[17] != check {
            return invalid("证件号码校验位不正确，请核对");
        }
        let birth = crate::date::parse_compact(&first17[6..14]);
        match birth {
            Some(date) if date <= today && date.year() >= 1900 => {}
            _ => return invalid("证件号码中的出生日期不正确"),
        }
        Ok(IdNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        crate::date::parse_compact(&self.0[6..14]).unwrap_or_default()
    }

    /// The 17th digit: odd for men, even for women.
    pub fn gender(&self) -> Gender {
        match self.0.as_bytes()[16] % 2 {
            1 => Gender::Male,
            _ => Gender::Female,
        }
    }
}

/// A mainland mobile number: 11 digits starting 1[3-9]; `+86`, `86` and spaces/dashes dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, ApiError> {
        let field = "phone";
        let text: String = normalize_width(input)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if text.is_empty() {
            return Err(ApiError::field(field, "phone_required", "请输入手机号"));
        }
        let digits = text
            .strip_prefix("+86")
            .or_else(|| {
                (text.len() == 13)
                    .then(|| text.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&text);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if !valid {
            return Err(ApiError::field(
                field,
                "phone_invalid",
                "手机号应为11位中国大陆手机号码",
            ));
        }
        Ok(Phone(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One rule of the seed's password policy, for the live checklist while typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordRule {
    /// 6–16 位.
    Length,
    /// 数字、字母(区分大小写)或符号组成.
    Charset,
    /// 不能是 9 位以下纯数字.
    NotShortDigits,
    /// 必须同时包含数字、字母、符号中的两种或三种.
    TwoKinds,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 4] = [
        PasswordRule::Length,
        PasswordRule::Charset,
        PasswordRule::NotShortDigits,
        PasswordRule::TwoKinds,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PasswordRule::Length => "长度为6-16位",
            PasswordRule::Charset => "由数字、字母(区分大小写)或符号组成",
            PasswordRule::NotShortDigits => "不能是9位以下纯数字",
            PasswordRule::TwoKinds => "必须同时包含数字、字母、符号中的两种或三种",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Weak,
    Medium,
    Strong,
}

impl Strength {
    pub fn label(self) -> &'static str {
        match self {
            Strength::Weak => "弱",
            Strength::Medium => "中",
            Strength::Strong => "强",
        }
    }
}

/// A password that meets every rule. Never logged, never serialised.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

fn kinds(input: &str) -> (bool, bool, bool) {
    let digit = input.chars().any(|c| c.is_ascii_digit());
    let letter = input.chars().any(|c| c.is_ascii_alphabetic());
    let symbol = input.chars().any(|c| c.is_ascii_punctuation());
    (digit, letter, symbol)
}

impl Password {
    /// The rules `input` does not meet yet, in the order the page lists them.
    pub fn unmet_rules(input: &str) -> Vec<PasswordRule> {
        let length = input.chars().count();
        let (digit, letter, symbol) = kinds(input);
        let mut unmet = Vec::new();
        if !(6..=16).contains(&length) {
            unmet.push(PasswordRule::Length);
        }
        if !input.chars().all(|c| c.is_ascii_graphic()) {
            unmet.push(PasswordRule::Charset);
        }
        if length < 9 && length > 0 && input.chars().all(|c| c.is_ascii_digit()) {
            unmet.push(PasswordRule::NotShortDigits);
        }
        if [digit, letter, symbol].iter().filter(|k| **k).count() < 2 {
            unmet.push(PasswordRule::TwoKinds);
        }
        unmet
    }

    pub fn parse(field: &str, input: &str) -> Result<Password, ApiError> {
        match Password::unmet_rules(input).first() {
            None => Ok(Password(input.to_owned())),
            Some(rule) => Err(ApiError::field(
                field,
                "password_weak",
                format!("密码{}", rule.label()),
            )),
        }
    }

    /// A hint for the page: three kinds and 10+ characters is strong.
    pub fn strength(input: &str) -> Strength {
        let (digit, letter, symbol) = kinds(input);
        let count = [digit, letter, symbol].iter().filter(|k| **k).count();
        match (count, input.chars().count()) {
            (3, n) if n >= 10 => Strength::Strong,
            (c, n) if c >= 2 && n >= 8 => Strength::Medium,
            _ => Strength::Weak,
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A Chinese personal name (姓名): 2–30 Han characters, with the middle dot · between parts of
/// minority or transliterated names (variants ・ • ‧ are normalised to ·).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonName(String);

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, ApiError> {
        let field = "name";
        let text: String = input
            .trim()
            .chars()
            .map(|c| {
                if matches!(c, '・' | '•' | '‧' | '．' | '.') {
                    '·'
                } else {
                    c
                }
            })
            .collect();
        if text.is_empty() {
            return Err(ApiError::field(field, "name_required", "请输入姓名"));
        }
        let chars: Vec<char> = text.chars().collect();
        let well_formed = chars.iter().all(|c| is_han(*c) || *c == '·')
            && chars.first() != Some(&'·')
            && chars.last() != Some(&'·')
            && !text.contains("··")
            && (2..=30).contains(&chars.len());
        if !well_formed {
            return Err(ApiError::field(
                field,
                "name_invalid",
                "姓名应为2-30个汉字，少数民族姓名可含间隔号“·”",
            ));
        }
        Ok(PersonName(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 1, 5).unwrap()
    }

    #[test]
    fn id_numbers_by_gb11643() {
        // The standard's own example number.
        let id = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(
            IdNumber::parse(" 11010519491231002x ", today())
                .unwrap()
                .as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ", today()).unwrap(),
            id
        );
        let code = |s: &str| IdNumber::parse(s, today()).unwrap_err().message;
        assert_eq!(
            IdNumber::parse("", today()).unwrap_err().code,
            "id_required"
        );
        assert!(code("11010519491231002").contains("18位"));
        assert!(code("110105194912310021").contains("校验位"));
        assert!(code("11010519491231002Y").contains("校验位"));
        assert!(
            code("1101051949123100😀X").contains("18位")
                || code("1101051949123100😀X").contains("数字")
        );
        // 30 February: the check digit is right, the date is not.
        let feb30 = format!(
            "11010519490230002{}",
            id_check_char("11010519490230002").unwrap()
        );
        assert!(code(&feb30).contains("出生日期"));
        let future = format!(
            "11010520300101002{}",
            id_check_char("11010520300101002").unwrap()
        );
        assert!(code(&future).contains("出生日期"));
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Phone::parse("+86 13800138000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Phone::parse("8613800138000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(Phone::parse("").unwrap_err().code, "phone_required");
        for bad in [
            "12800138000",
            "1380013800",
            "138001380001",
            "1380013800a",
            "+85213800138000",
        ] {
            assert_eq!(
                Phone::parse(bad).unwrap_err().code,
                "phone_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn password_rules_of_the_seed() {
        use PasswordRule::*;
        assert!(Password::unmet_rules("abc123").is_empty());
        assert!(Password::unmet_rules("a1!").contains(&Length));
        assert!(Password::unmet_rules("abcdefghij1234567").contains(&Length));
        assert_eq!(
            Password::unmet_rules("12345678"),
            vec![NotShortDigits, TwoKinds]
        );
        assert_eq!(Password::unmet_rules("123456789"), vec![TwoKinds]);
        assert_eq!(Password::unmet_rules("abcdefgh"), vec![TwoKinds]);
        assert!(Password::unmet_rules("abc 123").contains(&Charset));
        assert!(Password::unmet_rules("密码abc123").contains(&Charset));
        assert!(Password::parse("password", "Abc!def").is_ok());
        assert!(Password::parse("password", "123456!").is_ok());
        let err = Password::parse("password", "123456").unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("password_weak", Some("password"))
        );
        assert_eq!(Password::strength("abc123"), Strength::Weak);
        assert_eq!(Password::strength("abcd1234"), Strength::Medium);
        assert_eq!(Password::strength("Abcd1234!x"), Strength::Strong);
        assert_eq!(
            format!("{:?}", Password::parse("p", "abc123").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn names() {
        assert_eq!(PersonName::parse(" 佟一 ").unwrap().as_str(), "佟一");
        assert_eq!(
            PersonName::parse("阿依古丽・买买提").unwrap().as_str(),
            "阿依古丽·买买提"
        );
        assert_eq!(PersonName::parse("").unwrap_err().code, "name_required");
        for bad in ["佟", "Tong Yi", "·佟一", "佟一·", "佟··一", "佟1", "佟😀"] {
            assert_eq!(
                PersonName::parse(bad).unwrap_err().code,
                "name_invalid",
                "{bad}"
            );
        }
    }
}
