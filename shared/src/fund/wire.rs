//! What the fund account's pages receive: 首页's account, the 缴存明细 and the 年度对账单.

use super::{Contribution, Entry, Statement};
use crate::loan::wire::{CardView, MemberHeader};
use crate::member::{AccountStatus, CardStatus};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 我的公积金首页: the account as the fund holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundAccount {
    pub header: MemberHeader,
    /// 账户余额.
    pub balance: Decimal,
    /// 账户状态.
    pub status: AccountStatus,
    /// 缴存基数 and 比例 (`None`: not recorded); 月缴存额 follows from them.
    pub contribution: Option<Contribution>,
    pub unit_monthly: Option<Decimal>,
    pub personal_monthly: Option<Decimal>,
    pub monthly: Option<Decimal>,
    /// 缴至年月 (`YYYYMM`), if anything was ever remitted.
    pub paid_through: Option<String>,
    /// 开户日期, if the back office recorded it.
    pub opened_on: Option<NaiveDate>,
    /// The linked savings card, its number masked.
    pub card: Option<LinkedCard>,
    /// Years with rows in the 缴存明细, newest first.
    pub years: Vec<i32>,
    /// The 缴存明细 does not (yet) end at the 账户余额: the balance is the fund's record, the rows
    /// are still being completed.
    pub history_incomplete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedCard {
    pub card: CardView,
    pub status: CardStatus,
}

/// 缴存明细: the rows of one year (or all), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryList {
    pub header: MemberHeader,
    pub year: Option<i32>,
    pub years: Vec<i32>,
    pub entries: Vec<Entry>,
    /// The recorded history starts with a 期初余额 on this day (earlier rows are not here).
    pub since: Option<NaiveDate>,
}

/// 年度对账单 of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementView {
    pub header: MemberHeader,
    pub years: Vec<i32>,
    pub statement: Statement,
    /// The deposit rates in force during the year (the 说明 names them).
    pub rates: Vec<super::DepositRate>,
}
