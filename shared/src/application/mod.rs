//! 申请 — every business a citizen submits, as one typed domain: the kinds and statuses, what was
//! asked ([`Request`]) and the figures accepted ([`Figures`]) per business with their labels in one
//! table ([`Figure`]), the timeline of 业务进度查询 and the rule for 撤销.
//!
//! An application starts 已预约 (a reservation for a date: 部分提前还本, 提前结清贷款, 调整月还款额),
//! 受理中 (退休销户提取, executed at the end of the day) or 已办结 (变更还款账号, done at once); it
//! closes 已办结 when executed, 已撤销 when the citizen cancels it, or 未通过 with the reason.

mod figures;

pub use figures::{
    funding_rows, receipt, AdjustAsked, ChangeAsked, ChangeFigures, Figure, Figures,
    PrepaymentAsked, Request, SettlementAsked, WithdrawalAsked, WithdrawalFigures,
};

use crate::error::ApiError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    PartialPrepayment,
    Settlement,
    AdjustTerm,
    ChangeAccount,
    Withdrawal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 已预约.
    Reserved,
    /// 受理中.
    Accepted,
    /// 已办结.
    Done,
    /// 已撤销.
    Cancelled,
    /// 未通过.
    Rejected,
}

impl ApplicationStatus {
    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Reserved => "已预约",
            ApplicationStatus::Accepted => "受理中",
            ApplicationStatus::Done => "已办结",
            ApplicationStatus::Cancelled => "已撤销",
            ApplicationStatus::Rejected => "未通过",
        }
    }
}

/// An application as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub application_no: String,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub submitted_at: String,
    pub effective_date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    /// 业务名称 (answers stored before issue 14 have none: the kind's label).
    #[serde(default)]
    pub title: String,
}

/// 业务名称: the one stored, or (answers stored before issue 14) the kind's label.
fn title_or(title: &str, kind: ApplicationKind) -> &str {
    if title.is_empty() {
        kind.label()
    } else {
        title
    }
}

impl ApplicationView {
    pub fn title(&self) -> &str {
        title_or(&self.title, self.kind)
    }
}

impl ApplicationKind {
    pub fn label(self) -> &'static str {
        match self {
            ApplicationKind::PartialPrepayment => "部分提前还本",
            ApplicationKind::Settlement => "提前结清贷款",
            ApplicationKind::AdjustTerm => "调整月还款额",
            ApplicationKind::ChangeAccount => "变更还款账号",
            ApplicationKind::Withdrawal => "退休销户提取",
        }
    }

    /// The status an application of this kind has when it is accepted.
    pub fn initial_status(self) -> ApplicationStatus {
        match self {
            ApplicationKind::PartialPrepayment
            | ApplicationKind::Settlement
            | ApplicationKind::AdjustTerm => ApplicationStatus::Reserved,
            ApplicationKind::Withdrawal => ApplicationStatus::Accepted,
            ApplicationKind::ChangeAccount => ApplicationStatus::Done,
        }
    }
}

impl ApplicationStatus {
    /// Still waiting for its date (or the end of the day).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Reserved | ApplicationStatus::Accepted
        )
    }
}

/// A second open application in a slot that holds one already (the loan's, the member's
/// withdrawal): the refusal of that business.
pub fn slot_taken(kind: ApplicationKind) -> ApiError {
    match kind {
        ApplicationKind::Withdrawal => crate::withdrawal::withdrawal_open(),
        _ => crate::loan::submission::loan_application_open(None),
    }
}

/// The answer to a submission whose figures no longer hold (HTTP 409): the server's fresh ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiguresChanged {
    pub code: String,
    pub message: String,
    pub fresh: Figures,
}

/// One step of an application's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    pub status: ApplicationStatus,
    /// "2018-01-05 10:00:00", business time.
    pub at: String,
}

/// An application in 业务进度查询.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub application_no: String,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub submitted_at: String,
    /// 预约日期 / 生效日期.
    pub effective_date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub borrower_no: Option<String>,
    /// Why it was not executed (未通过).
    pub reason: Option<String>,
    pub timeline: Vec<Step>,
    /// 撤销 is offered (the server checks again).
    pub cancellable: bool,
    /// The figures accepted, for the receipt (label, value).
    #[serde(default)]
    pub figures: Vec<(String, String)>,
    /// 业务名称: the kind's, or the withdrawal's own (购房提取, 租房提取 …).
    #[serde(default)]
    pub title: String,
}

impl Progress {
    pub fn title(&self) -> &str {
        title_or(&self.title, self.kind)
    }
}

/// The timeline: the submission, and the closing once closed.
pub fn timeline(
    kind: ApplicationKind,
    status: ApplicationStatus,
    submitted_at: &str,
    closed_at: Option<&str>,
) -> Vec<Step> {
    let first = Step {
        status: kind.initial_status(),
        at: submitted_at.to_owned(),
    };
    match closed_at {
        Some(at) if status != first.status => vec![
            first,
            Step {
                status,
                at: at.to_owned(),
            },
        ],
        _ => vec![first],
    }
}

/// 撤销: a reservation (已预约) before its date (the business date is earlier), and an application
/// 受理中 (a withdrawal) until the end-of-day run takes it — the server's conditional update and
/// the run's claim of the row decide which comes first.
pub fn check_cancel(
    status: ApplicationStatus,
    effective_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let refuse = |code: &str, message: &str| Err(ApiError::new(code, message.to_owned()));
    match status {
        ApplicationStatus::Cancelled => refuse("already_cancelled", "该业务已撤销，无需再次撤销"),
        ApplicationStatus::Done => refuse("already_done", "该业务已办结，不能撤销"),
        ApplicationStatus::Rejected => refuse("already_rejected", "该业务未通过，无需撤销"),
        ApplicationStatus::Accepted => Ok(()),
        ApplicationStatus::Reserved => match effective_date {
            Some(date) if today < date => Ok(()),
            _ => refuse("reservation_due", "预约日期已到，不能撤销"),
        },
    }
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
    fn a_reservation_is_cancelled_only_before_its_date() {
        let on = Some(ymd(2018, 1, 9));
        assert!(check_cancel(ApplicationStatus::Reserved, on, ymd(2018, 1, 8)).is_ok());
        let code = |status, today| check_cancel(status, on, today).unwrap_err().code;
        assert_eq!(
            code(ApplicationStatus::Reserved, ymd(2018, 1, 9)),
            "reservation_due"
        );
        assert_eq!(
            code(ApplicationStatus::Reserved, ymd(2018, 1, 10)),
            "reservation_due"
        );
        assert_eq!(
            code(ApplicationStatus::Cancelled, ymd(2018, 1, 5)),
            "already_cancelled"
        );
        assert_eq!(
            code(ApplicationStatus::Done, ymd(2018, 1, 5)),
            "already_done"
        );
        assert_eq!(
            code(ApplicationStatus::Rejected, ymd(2018, 1, 5)),
            "already_rejected"
        );
        // 受理中 (a withdrawal the end-of-day run has not taken yet): cancellable, whatever the date.
        assert!(check_cancel(ApplicationStatus::Accepted, None, ymd(2018, 1, 5)).is_ok());
    }

    #[test]
    fn the_timeline_shows_the_submission_then_the_closing() {
        let open = timeline(
            ApplicationKind::PartialPrepayment,
            ApplicationStatus::Reserved,
            "2018-01-05 10:00:00",
            None,
        );
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].status, ApplicationStatus::Reserved);
        let done = timeline(
            ApplicationKind::Withdrawal,
            ApplicationStatus::Done,
            "2018-01-05 10:00:00",
            Some("2018-01-05 18:00:00"),
        );
        let statuses: Vec<_> = done.iter().map(|s| s.status).collect();
        assert_eq!(
            statuses,
            [ApplicationStatus::Accepted, ApplicationStatus::Done]
        );
        // 变更还款账号 is done at once: one step.
        let change = timeline(
            ApplicationKind::ChangeAccount,
            ApplicationStatus::Done,
            "2018-01-05 10:00:00",
            Some("2018-01-05 10:00:00"),
        );
        assert_eq!(change.len(), 1);
    }
}
