//! Money in yuan as exact decimals (never f64). Every reported figure is rounded half-up to the fen.

use crate::error::ApiError;
use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half-up (away from zero) to the fen and fixes the scale at 2, so a figure always prints
/// with exactly two decimals ("10000.00").
pub fn fen(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// Yuan from integer fen, as the database stores money.
pub fn from_fen(fen_amount: i64) -> Decimal {
    Decimal::new(fen_amount, 2)
}

/// Integer fen of an amount (rounded half-up to the fen first); `None` beyond `i64`.
pub fn to_fen(value: Decimal) -> Option<i64> {
    let cents = fen(value).mantissa();
    i64::try_from(cents).ok()
}

/// Full-width digits and punctuation (１０００．５０) as typed with a Chinese IME become ASCII.
pub fn normalize_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
            'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            '＋' => '+',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// Parses an amount of yuan typed by a citizen: digits with at most two decimals, full-width digits
/// accepted. `field` is the wire name, `label` the Chinese name shown in the message.
pub fn parse_amount(field: &str, label: &str, input: &str) -> Result<Decimal, ApiError> {
    let text = normalize_width(input);
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::field(
            field,
            "amount_required",
            format!("请输入{label}"),
        ));
    }
    if text.starts_with('-') {
        return Err(ApiError::field(
            field,
            "amount_negative",
            format!("{label}不能为负数"),
        ));
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    // Thousands separators as the hall prints amounts (10,000 or 1,000,000.00) are accepted
    // where they group the digits in threes; anywhere else they are a typing error.
    let grouped = whole.replace('，', ",");
    let whole = if grouped.contains(',') {
        let groups: Vec<&str> = grouped.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(ApiError::field(
                field,
                "amount_separators",
                format!("{label}的千位分隔符位置不正确"),
            ));
        }
        groups.concat()
    } else {
        grouped
    };
    let whole = whole.as_str();
    let text = match fraction {
        Some(f) => format!("{whole}.{f}"),
        None => whole.to_owned(),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(ApiError::field(
            field,
            "amount_not_a_number",
            format!("{label}须为数字"),
        ));
    }
    if fraction.is_some_and(|f| f.len() > 2) {
        return Err(ApiError::field(
            field,
            "amount_precision",
            format!("{label}最多保留两位小数"),
        ));
    }
    // Twelve integer digits are far beyond any fund balance and keep every later product in range.
    if whole.trim_start_matches('0').len() > 12 {
        return Err(ApiError::field(
            field,
            "amount_too_large",
            format!("{label}超出允许范围"),
        ));
    }
    text.parse::<Decimal>()
        .map_err(|_| ApiError::field(field, "amount_not_a_number", format!("{label}须为数字")))
}

/// "690,000.00": two decimals with thousands separators, as the manual prints loan amounts.
pub fn format_thousands(value: Decimal) -> String {
    let plain = format!("{:.2}", fen(value));
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn fen_rounds_half_up_and_keeps_two_decimals() {
        assert_eq!(fen(d("9.930555")).to_string(), "9.93");
        assert_eq!(fen(d("0.005")).to_string(), "0.01");
        assert_eq!(fen(d("0.0049999")).to_string(), "0.00");
        assert_eq!(fen(d("10000")).to_string(), "10000.00");
    }

    #[test]
    fn amounts_parse_with_full_width_digits() {
        assert_eq!(
            parse_amount("amount", "提前还本金额", "１０００").unwrap(),
            d("1000")
        );
        assert_eq!(
            parse_amount("amount", "提前还本金额", " 10000.5 ").unwrap(),
            d("10000.5")
        );
        assert_eq!(
            parse_amount("amount", "提前还本金额", "１０００．５０").unwrap(),
            d("1000.50")
        );
    }

    #[test]
    fn bad_amounts_are_refused_naming_the_field() {
        let code = |s: &str| parse_amount("amount", "提前还本金额", s).unwrap_err().code;
        assert_eq!(code(""), "amount_required");
        assert_eq!(code("   "), "amount_required");
        assert_eq!(code("-1000"), "amount_negative");
        assert_eq!(code("10.001"), "amount_precision");
        assert_eq!(code("abc"), "amount_not_a_number");
        assert_eq!(code("1e3"), "amount_not_a_number");
        assert_eq!(code("1.2.3"), "amount_not_a_number");
        assert_eq!(code("."), "amount_not_a_number");
        assert_eq!(code("1000000000000000"), "amount_too_large");
        let err = parse_amount("amount", "提前还本金额", "x").unwrap_err();
        assert!(err.message.contains("提前还本金额"));
        assert_eq!(err.field.as_deref(), Some("amount"));
    }

    #[test]
    fn fen_round_trip() {
        assert_eq!(to_fen(d("646609.84")), Some(64660984));
        assert_eq!(to_fen(d("0.005")), Some(1));
        assert_eq!(to_fen(d("10000")), Some(1000000));
        assert_eq!(from_fen(64660984), d("646609.84"));
    }

    #[test]
    fn amounts_typed_with_thousands_separators() {
        assert_eq!(
            parse_amount("amount", "提前还本金额", "10,000").unwrap(),
            d("10000")
        );
        assert_eq!(
            parse_amount("amount", "提前还本金额", "10000.00").unwrap(),
            d("10000.00")
        );
        assert_eq!(
            parse_amount("amount", "提前还本金额", "１０，０００").unwrap(),
            d("10000")
        );
        assert_eq!(
            parse_amount("amount", "提前还本金额", "1,000,000.50").unwrap(),
            d("1000000.50")
        );
        for bad in ["1,00", "10,0000", ",000", "1,000,", "1,,000"] {
            let error = parse_amount("amount", "提前还本金额", bad).unwrap_err();
            assert_eq!(error.code, "amount_separators", "{bad}");
            assert_eq!(error.field.as_deref(), Some("amount"));
            assert!(error.message.contains("提前还本金额"), "{bad}");
        }
    }

    #[test]
    fn thousands_separators_as_in_the_manual() {
        assert_eq!(format_thousands(d("690000")), "690,000.00");
        assert_eq!(format_thousands(d("646609.84")), "646,609.84");
        assert_eq!(format_thousands(d("999.5")), "999.50");
        assert_eq!(format_thousands(d("1234567.891")), "1,234,567.89");
        assert_eq!(format_thousands(d("-1000")), "-1,000.00");
    }
}
