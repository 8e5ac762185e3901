//! Calendar arithmetic the fund's figures depend on: month steps on a fixed due day, clamped to the
//! month's end (a day-31 loan falls due on 28/29 February), and the 30/360 day count used for
//! prepayment and settlement interest.

use crate::error::ApiError;
use crate::money::normalize_width;
use chrono::{Datelike, NaiveDate};

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|first| first.pred_opt())
        .map_or(28, |last| last.day())
}

/// The date `months` months after (or before, if negative) `date`, on day `day` of that month,
/// clamped to the month's last day. `None` only outside chrono's range.
pub fn add_months_on_day(date: NaiveDate, months: i32, day: u32) -> Option<NaiveDate> {
    let index = date.year().checked_mul(12)? + date.month0() as i32;
    let target = index.checked_add(months)?;
    let year = target.div_euclid(12);
    let month = target.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(
        year,
        month,
        day.clamp(1, 31).min(days_in_month(year, month)),
    )
}

/// Whole months from `from` to `to`, counting by calendar month (days ignored).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

/// 30/360 day count with the day of month capped at 30:
/// `(y2−y1)·360 + (m2−m1)·30 + (min(d2,30) − min(d1,30))`.
pub fn days_30_360(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.year() - from.year()) * 360
        + (i64::from(to.month()) - i64::from(from.month())) * 30
        + (i64::from(to.day().min(30)) - i64::from(from.day().min(30)))
}

/// Parses a date as the citizen or the API gives it: `2018-01-10` or the manual's `20180110`.
pub fn parse_date(field: &str, label: &str, input: &str) -> Result<NaiveDate, ApiError> {
    let text = normalize_width(input);
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::field(
            field,
            "date_required",
            format!("请选择{label}"),
        ));
    }
    parse_iso(text)
        .or_else(|| parse_compact(text))
        .ok_or_else(|| {
            ApiError::field(
                field,
                "date_invalid",
                format!("{label}不是有效日期，请按 YYYY-MM-DD 填写"),
            )
        })
}

/// `2018-01-10` exactly (four-digit year, two-digit month and day), or `None`. By hand, like
/// [`compact`]: chrono's format parser weighs kilobytes in the browser bundle.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    ymd(&text[0..4], &text[5..7], &text[8..10])
}

/// The manual's `20180110`, or `None`.
pub fn parse_compact(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.is_char_boundary(4) || !text.is_char_boundary(6) {
        return None;
    }
    ymd(&text[0..4], &text[4..6], &text[6..8])
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let number = |part: &str| -> Option<u32> {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = i32::try_from(number(year)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month)?, number(day)?)
}

/// The manual's compact form, `20180110`. (By hand: chrono's strftime machinery would add
/// kilobytes to the browser bundle for this one format.)
pub fn compact(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn thirty_360_matches_the_seed_periods() {
        assert_eq!(days_30_360(ymd(2017, 12, 28), ymd(2018, 1, 9)), 11);
        assert_eq!(days_30_360(ymd(2017, 12, 28), ymd(2018, 1, 10)), 12);
        assert_eq!(days_30_360(ymd(2018, 1, 31), ymd(2018, 2, 28)), 28);
        assert_eq!(days_30_360(ymd(2018, 1, 30), ymd(2018, 3, 31)), 60);
        assert_eq!(days_30_360(ymd(2018, 1, 1), ymd(2018, 1, 1)), 0);
    }

    #[test]
    fn month_steps_clamp_to_the_month_end() {
        assert_eq!(
            add_months_on_day(ymd(2018, 1, 31), 1, 31),
            Some(ymd(2018, 2, 28))
        );
        assert_eq!(
            add_months_on_day(ymd(2020, 1, 31), 1, 31),
            Some(ymd(2020, 2, 29))
        );
        assert_eq!(
            add_months_on_day(ymd(2018, 2, 28), 1, 31),
            Some(ymd(2018, 3, 31))
        );
        assert_eq!(
            add_months_on_day(ymd(2040, 8, 28), -6, 28),
            Some(ymd(2040, 2, 28))
        );
        assert_eq!(
            add_months_on_day(ymd(2017, 12, 28), 1, 28),
            Some(ymd(2018, 1, 28))
        );
        assert_eq!(
            add_months_on_day(ymd(2018, 1, 28), -1, 28),
            Some(ymd(2017, 12, 28))
        );
    }

    #[test]
    fn days_in_month_knows_leap_years() {
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 12), 31);
    }

    #[test]
    fn dates_parse_in_both_forms() {
        assert_eq!(
            parse_date("date", "约定还款日期", "2018-01-10").unwrap(),
            ymd(2018, 1, 10)
        );
        assert_eq!(
            parse_date("date", "约定还款日期", "20180110").unwrap(),
            ymd(2018, 1, 10)
        );
        assert_eq!(
            parse_date("date", "约定还款日期", "２０１８０１１０").unwrap(),
            ymd(2018, 1, 10)
        );
        let code = |s: &str| parse_date("date", "约定还款日期", s).unwrap_err().code;
        assert_eq!(code(""), "date_required");
        assert_eq!(code("2018-02-30"), "date_invalid");
        assert_eq!(code("20180230"), "date_invalid");
        assert_eq!(code("tomorrow"), "date_invalid");
        // The hand-written parser takes exactly the two shapes, nothing looser.
        for bad in [
            "2018-1-10",
            "2018/01/10",
            "+018-01-10",
            "2018-01-1x",
            "2018011",
            "201801100",
        ] {
            assert_eq!(code(bad), "date_invalid", "{bad}");
        }
        assert_eq!(parse_iso("2016-02-29"), Some(ymd(2016, 2, 29)));
        assert_eq!(parse_iso("2018-02-29"), None);
        assert_eq!(parse_compact("2018一10"), None);
        assert_eq!(compact(ymd(2018, 1, 10)), "20180110");
    }
}
