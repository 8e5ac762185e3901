//! The fund centre's rules of when business may be done, as one serialisable value. Defaults come
//! from the seed manual; the server can override them from a file, and serves them to the browser.
//!
//! - 办理类业务 (transactions) only on working days 09:00–16:30; queries and trials any time.
//! - 提前结清 only on working days 09:30–16:00 (the screen says 10:00–16:00, its later note
//!   9:30–16:00: the later note wins), not from 1 Dec to 31 Jan (screen: 30 Dec–3 Jan, available as
//!   [`Policy::with_seed_screen_blackout`]), not on the monthly due day nor the day before.
//! - 变更还款账号 not on the monthly due day.

use crate::calendar::Calendar;
use crate::date::{compact, days_in_month};
use crate::error::ApiError;
use crate::withdrawal::RetirementPolicy;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// Opening hours within a working day, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl DailyWindow {
    pub fn hm(start: (u32, u32), end: (u32, u32)) -> Self {
        let time = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        DailyWindow {
            start: time(start),
            end: time(end),
        }
    }

    pub fn contains(&self, time: NaiveTime) -> bool {
        self.start <= time && time < self.end
    }

    pub fn label(&self) -> String {
        format!(
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

/// A yearly window of dates, inclusive, that may wrap over the new year (12-01 → 01-31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearlyWindow {
    pub from: MonthDay,
    pub to: MonthDay,
}

impl YearlyWindow {
    pub fn contains(&self, date: NaiveDate) -> bool {
        let key = |md: MonthDay| (md.month, md.day);
        let today = (date.month(), date.day());
        if key(self.from) <= key(self.to) {
            key(self.from) <= today && today <= key(self.to)
        } else {
            today >= key(self.from) || today <= key(self.to)
        }
    }

    pub fn label(&self) -> String {
        format!(
            "{}月{}日至次年{}月{}日",
            self.from.month, self.from.day, self.to.month, self.to.day
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Policy {
    /// 办理类业务 hours on working days.
    pub transaction_hours: DailyWindow,
    /// 提前结清 hours on working days.
    pub settlement_hours: DailyWindow,
    /// No 提前结清 inside this yearly window.
    pub settlement_blackout: YearlyWindow,
    /// No 提前结清 on the due day nor this many days before it.
    pub settlement_days_before_due: u32,
    /// No 变更还款账号 on the monthly due day.
    pub account_change_blocked_on_due_day: bool,
    /// The whole term of a loan after 调整月还款额, in months from disbursement.
    pub max_total_term_months: u32,
    pub retirement: RetirementPolicy,
    /// 提取材料 a member may hold (新增提取材料 beyond it is refused).
    pub max_materials_per_member: u32,
    /// 个人住房公积金存款利率 (结息), each from its date.
    pub deposit_rates: Vec<crate::fund::DepositRate>,
    /// 购房提取, 租房提取 and 偿还贷款提取: 留存额 and the limits.
    pub housing: crate::withdrawal::housing::HousingPolicy,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            transaction_hours: DailyWindow::hm((9, 0), (16, 30)),
            settlement_hours: DailyWindow::hm((9, 30), (16, 0)),
            settlement_blackout: YearlyWindow {
                from: MonthDay { month: 12, day: 1 },
                to: MonthDay { month: 1, day: 31 },
            },
            settlement_days_before_due: 1,
            account_change_blocked_on_due_day: true,
            max_total_term_months: 360,
            retirement: RetirementPolicy::default(),
            max_materials_per_member: 20,
            deposit_rates: crate::fund::default_deposit_rates(),
            housing: Default::default(),
        }
    }
}

impl Policy {
    /// 新增提取材料 when the member already holds `held`: within the policy's number.
    pub fn check_material_count(&self, held: u32) -> Result<(), ApiError> {
        if held >= self.max_materials_per_member {
            return Err(ApiError::new(
                "materials_limit",
                format!(
                    "每人最多登记{}份提取材料，您已登记{held}份，不能再新增",
                    self.max_materials_per_member
                ),
            ));
        }
        Ok(())
    }
}

/// A refusal by the policy, with when it would next be allowed (if within a year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    pub code: String,
    pub message: String,
    pub next_allowed: Option<NaiveDateTime>,
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let mut message = refusal.message;
        if let Some(next) = refusal.next_allowed {
            message.push_str(&format!("，最早可于{}办理", next.format("%Y-%m-%d %H:%M")));
        }
        ApiError::new(&refusal.code, message)
    }
}

/// Whether `date` is the loan's due date in its month (the due day clamped to the month's end).
pub fn is_due_date(date: NaiveDate, due_day: u32) -> bool {
    date.day() == due_day.min(days_in_month(date.year(), date.month()))
}

impl Policy {
    /// `date` is the loan's due day or one of the days just before it on which no 提前结清 is
    /// done (the due day and the day before, by default).
    pub fn settlement_near_due(&self, date: NaiveDate, due_day: u32) -> bool {
        (0..=u64::from(self.settlement_days_before_due))
            .filter_map(|k| date.checked_add_days(Days::new(k)))
            .any(|d| is_due_date(d, due_day))
    }

    /// The older window printed on the seed's settlement screen: 30 Dec – 3 Jan.
    pub fn with_seed_screen_blackout(mut self) -> Self {
        self.settlement_blackout = YearlyWindow {
            from: MonthDay { month: 12, day: 30 },
            to: MonthDay { month: 1, day: 3 },
        };
        self
    }

    /// 办理类业务: a working day within the transaction hours.
    pub fn check_transaction(
        &self,
        calendar: &Calendar,
        now: NaiveDateTime,
    ) -> Result<(), Refusal> {
        let hours = self.transaction_hours;
        let open = |date: NaiveDate| calendar.is_working_day(date);
        if !open(now.date()) || !hours.contains(now.time()) {
            return Err(Refusal {
                code: "outside_business_hours".into(),
                message: format!(
                    "办理类业务仅在工作日{}办理，查询功能全天开放",
                    hours.label()
                ),
                next_allowed: next_opening(now, hours, open),
            });
        }
        Ok(())
    }

    fn settlement_day_refusal(
        &self,
        calendar: &Calendar,
        date: NaiveDate,
        due_day: u32,
    ) -> Option<Refusal> {
        let refuse = |code: &str, message: String| {
            Some(Refusal {
                code: code.into(),
                message,
                next_allowed: None,
            })
        };
        if self.settlement_blackout.contains(date) {
            return refuse(
                "settlement_blackout",
                format!(
                    "每年{}不能办理提前结清业务",
                    self.settlement_blackout.label()
                ),
            );
        }
        if self.settlement_near_due(date, due_day) {
            return refuse(
                "settlement_near_due_day",
                "约定还款日当天及前一天不能办理提前结清业务".into(),
            );
        }
        if !calendar.is_working_day(date) {
            return refuse(
                "outside_business_hours",
                format!("提前结清仅在工作日{}办理", self.settlement_hours.label()),
            );
        }
        None
    }

    /// 提前结清: settlement hours on a working day, outside the blackout window and away from the
    /// due day. The refusal names the first rule broken and the next time all of them hold.
    pub fn check_settlement(
        &self,
        calendar: &Calendar,
        now: NaiveDateTime,
        due_day: u32,
    ) -> Result<(), Refusal> {
        let hours = self.settlement_hours;
        let open = |date: NaiveDate| {
            self.settlement_day_refusal(calendar, date, due_day)
                .is_none()
        };
        let refusal = match self.settlement_day_refusal(calendar, now.date(), due_day) {
            Some(refusal) => refusal,
            None if !hours.contains(now.time()) => Refusal {
                code: "outside_business_hours".into(),
                message: format!("提前结清仅在工作日{}办理", hours.label()),
                next_allowed: None,
            },
            None => return Ok(()),
        };
        Err(Refusal {
            next_allowed: next_opening(now, hours, open),
            ..refusal
        })
    }

    /// 变更还款账号: transaction hours, and not on the monthly due day.
    pub fn check_account_change(
        &self,
        calendar: &Calendar,
        now: NaiveDateTime,
        due_day: u32,
    ) -> Result<(), Refusal> {
        self.check_transaction(calendar, now)?;
        if self.account_change_blocked_on_due_day && is_due_date(now.date(), due_day) {
            let hours = self.transaction_hours;
            let open =
                |date: NaiveDate| calendar.is_working_day(date) && !is_due_date(date, due_day);
            return Err(Refusal {
                code: "account_change_on_due_day".into(),
                message: format!(
                    "约定还款日（{}）当天不得办理变更还款账户业务",
                    compact(now.date())
                ),
                next_allowed: next_opening(now, hours, open),
            });
        }
        Ok(())
    }
}

/// The first moment from `now` on within `hours` of a day for which `open` holds (one year ahead).
fn next_opening(
    now: NaiveDateTime,
    hours: DailyWindow,
    open: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDateTime> {
    now.date()
        .iter_days()
        .take(400)
        .filter(|date| open(*date))
        .find_map(|date| {
            if date > now.date() || now.time() < hours.start {
                Some(date.and_time(hours.start))
            } else if hours.contains(now.time()) {
                Some(now)
            } else {
                None
            }
        })
}

#[cfg(test)]
mod tests;
