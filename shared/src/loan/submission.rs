//! When a trial may become an application: the policy's business hours and blackout windows at the
//! server's business time, and the dates a reservation (预约) may name. The browser shows these; the
//! server enforces them whatever the browser sent.

use super::Loan;
use crate::calendar::Calendar;
use crate::error::ApiError;
use crate::policy::Policy;
use chrono::{Days, NaiveDate, NaiveDateTime};

/// Dates a 部分提前还本 may be reserved for: working days after the business date, after the last
/// due date and before the next due date.
pub fn prepayment_dates(calendar: &Calendar, loan: &Loan, today: NaiveDate) -> Vec<NaiveDate> {
    let Some(next_due) = loan.next_due_date() else {
        return Vec::new();
    };
    let first = today.max(loan.last_due_date).checked_add_days(Days::new(1));
    let last = next_due.checked_sub_days(Days::new(1));
    match (first, last) {
        (Some(first), Some(last)) => calendar.working_days(first, last, 62),
        _ => Vec::new(),
    }
}

/// Dates a 提前结清 may be reserved for: as for a prepayment, but not the day before the due day
/// nor inside the yearly blackout window.
pub fn settlement_dates(
    calendar: &Calendar,
    policy: &Policy,
    loan: &Loan,
    today: NaiveDate,
) -> Vec<NaiveDate> {
    let due_day = loan.due_day();
    prepayment_dates(calendar, loan, today)
        .into_iter()
        .filter(|date| {
            !policy.settlement_near_due(*date, due_day)
                && !policy.settlement_blackout.contains(*date)
        })
        .collect()
}

/// One open application per loan (a reservation, or one 受理中): the refusal, naming the open one
/// where it is known, so the page can say so before the citizen fills anything.
pub fn loan_application_open(open: Option<&super::wire::Pending>) -> ApiError {
    let which = open
        .map(|p| format!("（{}，申请编号{}）", p.kind.label(), p.application_no))
        .unwrap_or_default();
    ApiError::new(
        "application_open",
        format!("该笔贷款已有办理中的业务{which}，请待办结或在业务进度查询中撤销后再办理"),
    )
}

fn date_refusal(message: &str) -> ApiError {
    ApiError::field("date", "date_not_offered", message.to_owned())
}

/// A 部分提前还本 may be submitted now for `date`.
pub fn check_prepayment(
    policy: &Policy,
    calendar: &Calendar,
    now: NaiveDateTime,
    loan: &Loan,
    date: NaiveDate,
) -> Result<(), ApiError> {
    policy
        .check_transaction(calendar, now)
        .map_err(ApiError::from)?;
    if !prepayment_dates(calendar, loan, now.date()).contains(&date) {
        return Err(date_refusal(
            "约定还款日期须为当前账务日期之后、下一约定还款日之前的工作日",
        ));
    }
    Ok(())
}

/// A 提前结清 may be submitted now for `date`.
pub fn check_settlement(
    policy: &Policy,
    calendar: &Calendar,
    now: NaiveDateTime,
    loan: &Loan,
    date: NaiveDate,
) -> Result<(), ApiError> {
    policy
        .check_settlement(calendar, now, loan.due_day())
        .map_err(ApiError::from)?;
    if !settlement_dates(calendar, policy, loan, now.date()).contains(&date) {
        return Err(date_refusal(
            "约定还款日须为当前账务日期之后、约定还款日前一天之前的工作日",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loan::tests::{seed_loan, ymd};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        ymd(y, m, d).and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn the_seed_dates_are_on_offer() {
        let cal = Calendar::embedded();
        let dates = prepayment_dates(&cal, &seed_loan(), ymd(2018, 1, 5));
        assert_eq!(dates.first(), Some(&ymd(2018, 1, 8)));
        assert!(dates.contains(&ymd(2018, 1, 9)) && dates.contains(&ymd(2018, 1, 10)));
        assert_eq!(dates.last(), Some(&ymd(2018, 1, 26)));
        assert!(!dates.contains(&ymd(2018, 1, 13)), "a Saturday");
        let settle = settlement_dates(
            &cal,
            &Policy::default().with_seed_screen_blackout(),
            &seed_loan(),
            ymd(2018, 1, 5),
        );
        assert!(settle.contains(&ymd(2018, 1, 10)));
        let march = Loan {
            last_due_date: ymd(2018, 2, 28),
            ..seed_loan()
        };
        let older = Policy::default().with_seed_screen_blackout();
        assert!(prepayment_dates(&cal, &march, ymd(2018, 3, 1)).contains(&ymd(2018, 3, 27)));
        let march_settle = settlement_dates(&cal, &older, &march, ymd(2018, 3, 1));
        assert!(
            !march_settle.contains(&ymd(2018, 3, 27)),
            "the day before the due day"
        );
        assert!(march_settle.contains(&ymd(2018, 3, 26)));
        assert!(
            settlement_dates(&cal, &Policy::default(), &seed_loan(), ymd(2018, 1, 5)).is_empty(),
            "1 Dec – 31 Jan"
        );
    }

    #[test]
    fn submissions_follow_the_policy() {
        let (cal, loan) = (Calendar::embedded(), seed_loan());
        let policy = Policy::default();
        assert!(
            check_prepayment(&policy, &cal, at(2018, 1, 5, 10), &loan, ymd(2018, 1, 9)).is_ok()
        );
        assert_eq!(
            check_prepayment(&policy, &cal, at(2018, 1, 5, 17), &loan, ymd(2018, 1, 9))
                .unwrap_err()
                .code,
            "outside_business_hours"
        );
        assert_eq!(
            check_prepayment(&policy, &cal, at(2018, 1, 5, 10), &loan, ymd(2018, 1, 5))
                .unwrap_err()
                .code,
            "date_not_offered"
        );
        assert_eq!(
            check_prepayment(&policy, &cal, at(2018, 1, 5, 10), &loan, ymd(2018, 1, 13))
                .unwrap_err()
                .code,
            "date_not_offered"
        );
        assert_eq!(
            check_settlement(&policy, &cal, at(2018, 1, 5, 10), &loan, ymd(2018, 1, 10))
                .unwrap_err()
                .code,
            "settlement_blackout"
        );
        let older = Policy::default().with_seed_screen_blackout();
        assert!(
            check_settlement(&older, &cal, at(2018, 1, 5, 10), &loan, ymd(2018, 1, 10)).is_ok()
        );
    }
}
