//! 个人公积金账户 — 我的公积金首页 (the account), 缴存明细 and 年度对账单, read from the back
//! office's records; the figures and the statement's identities are `shared::fund`'s.

use crate::account::session::CurrentUser;
use crate::db::parse_enum;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use shared::fund::wire::{EntryList, FundAccount, LinkedCard, StatementView};
use shared::fund::{statement, years, Contribution, Entry, EntryKind};
use shared::loan::wire::CardView;
use shared::member::{AccountStatus, CardStatus};
use shared::money::from_fen;
use shared::ApiError;
use sqlx::Row;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(account))
        .routes(routes!(entries))
        .routes(routes!(year_statement))
}

/// A member's rows, in order.
pub async fn load_entries(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    personal_account: &str,
) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT txn_date, kind, period, unit_fen, personal_fen, amount_fen, balance_after_fen \
         FROM fund_transactions WHERE personal_account = $1 ORDER BY seq",
    )
    .bind(personal_account)
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|row| {
            let date: String = row.try_get("txn_date")?;
            Ok(Entry {
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
                    Error::Internal(format!("bad date '{date}' in fund_transactions"))
                })?,
                kind: parse_enum::<EntryKind>(
                    "fund_transactions.kind",
                    &row.try_get::<String, _>("kind")?,
                )?,
                period: row.try_get("period")?,
                unit: from_fen(row.try_get("unit_fen")?),
                personal: from_fen(row.try_get("personal_fen")?),
                amount: from_fen(row.try_get("amount_fen")?),
                balance: from_fen(row.try_get("balance_after_fen")?),
            })
        })
        .collect()
}

/// One row of a member's 缴存明细 (the demo's and the import's), id `<个人账号>-<seq>`.
/// The 余额 after the member's last 缴存明细 row (none: no 明细 yet). A payment out of the fund
/// is made only when it equals the balance.
pub async fn last_balance(
    conn: &mut sqlx::AnyConnection,
    personal_account: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT balance_after_fen FROM fund_transactions WHERE personal_account = $1 \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(personal_account)
    .fetch_optional(conn)
    .await?)
}

pub async fn insert_row(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    personal_account: &str,
    seq: i64,
    e: &Entry,
) -> std::result::Result<(), sqlx::Error> {
    let fen = |v: Decimal| shared::money::to_fen(v).unwrap_or_default();
    sqlx::query(
        "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, period, unit_fen, \
         personal_fen, amount_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(format!("{personal_account}-{seq}"))
    .bind(personal_account)
    .bind(seq)
    .bind(e.date.to_string())
    .bind(crate::db::enum_text(e.kind))
    .bind(e.period.clone())
    .bind(fen(e.unit))
    .bind(fen(e.personal))
    .bind(fen(e.amount))
    .bind(fen(e.balance))
    .execute(executor)
    .await
    .map(|_| ())
}

fn rate(column: &str, text: &str) -> Result<Decimal> {
    text.parse()
        .map_err(|_| Error::Internal(format!("bad rate '{text}' in members.{column}")))
}

#[utoipa::path(
    get,
    path = "/fund",
    tag = "fund",
    summary = "我的公积金首页：账户余额、账户状态、缴存基数与比例、月缴存额、缴至年月、开户日期、单位、关联储蓄卡",
    security(("session" = [])),
    responses((status = 200, body = FundAccount), (status = 401, description = "未登录，或会话已超时", body = ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = ApiError))
)]
async fn account(State(state): State<AppState>, user: CurrentUser) -> Result<Json<FundAccount>> {
    let row = sqlx::query(
        "SELECT account_status, balance_fen, deposit_base_fen, unit_rate, personal_rate, opened_on, \
         paid_through, card_holder, card_bank, card_number, card_status \
         FROM members WHERE personal_account = $1",
    )
    .bind(&user.personal_account)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(Error::not_found)?;
    let contribution = match (
        row.try_get::<Option<i64>, _>("deposit_base_fen")?,
        row.try_get::<Option<String>, _>("unit_rate")?,
        row.try_get::<Option<String>, _>("personal_rate")?,
    ) {
        (Some(base), Some(unit), Some(personal)) => Some(Contribution {
            base: from_fen(base),
            unit_rate: rate("unit_rate", &unit)?,
            personal_rate: rate("personal_rate", &personal)?,
        }),
        _ => None,
    };
    let card = match (
        row.try_get::<Option<String>, _>("card_holder")?,
        row.try_get::<Option<String>, _>("card_bank")?,
        row.try_get::<Option<String>, _>("card_number")?,
        row.try_get::<Option<String>, _>("card_status")?,
    ) {
        (Some(holder), Some(bank), Some(number), Some(status)) => Some(LinkedCard {
            card: CardView {
                holder,
                bank,
                number: state.key.masked_card(&number),
            },
            status: parse_enum::<CardStatus>("members.card_status", &status)?,
        }),
        _ => None,
    };
    let entries = load_entries(&state.db.pool, &user.personal_account).await?;
    let balance = from_fen(row.try_get("balance_fen")?);
    let history_incomplete = match entries.last() {
        Some(last) if last.balance != balance => {
            tracing::warn!(
                personal_account = %user.personal_account,
                %balance,
                last = %last.balance,
                "the 缴存明细 does not end at the member's balance"
            );
            true
        }
        Some(_) => false,
        None => balance > Decimal::ZERO,
    };
    let opened_on = row
        .try_get::<Option<String>, _>("opened_on")?
        .map(|d| {
            shared::date::parse_iso(&d)
                .ok_or_else(|| Error::Internal(format!("bad date '{d}' in members.opened_on")))
        })
        .transpose()?;
    let recorded: Option<String> = row.try_get("paid_through")?;
    Ok(Json(FundAccount {
        header: user.header(),
        balance,
        status: parse_enum::<AccountStatus>(
            "members.account_status",
            &row.try_get::<String, _>("account_status")?,
        )?,
        unit_monthly: contribution.map(|c| c.unit_monthly()),
        personal_monthly: contribution.map(|c| c.personal_monthly()),
        monthly: contribution.map(|c| c.monthly()),
        contribution,
        paid_through: shared::fund::paid_through(recorded.as_deref(), &entries),
        opened_on,
        card,
        years: years(&entries),
        history_incomplete,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// 年度 (e.g. 2017); absent: every year.
    year: Option<String>,
}

/// 年度 as typed in an address: four digits, a year the hall can show.
fn parse_year(text: &str) -> Result<i32> {
    let text = text.trim();
    Some(text)
        .filter(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y))
        .ok_or_else(|| {
            Error::bad_request(ApiError::field(
                "year",
                "year_invalid",
                "年度须为四位数字的年份，例如 2017",
            ))
        })
}

#[utoipa::path(
    get,
    path = "/fund/entries",
    tag = "fund",
    summary = "缴存明细（汇缴、补缴、结息、提取、转入、转出），按年度筛选",
    params(YearQuery),
    security(("session" = [])),
    responses((status = 200, body = EntryList), (status = 422, description = "年度不正确", body = ApiError), (status = 401, description = "未登录，或会话已超时", body = ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = ApiError))
)]
async fn entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Result<Json<EntryList>> {
    let year = query.year.as_deref().map(parse_year).transpose()?;
    let all = load_entries(&state.db.pool, &user.personal_account).await?;
    let years = years(&all);
    let since = all
        .first()
        .filter(|e| e.kind == EntryKind::Opening)
        .map(|e| e.date);
    let entries: Vec<Entry> = all
        .into_iter()
        .filter(|e| year.is_none_or(|y| e.date.year() == y))
        .collect();
    Ok(Json(EntryList {
        header: user.header(),
        year,
        years,
        entries,
        since,
    }))
}

#[utoipa::path(
    get,
    path = "/fund/statement/{year}",
    tag = "fund",
    summary = "年度对账单：期初余额、本年缴存、本年支出、本年结息、期末余额",
    params(("year" = String, Path, description = "年度，例如 2017")),
    security(("session" = [])),
    responses((status = 200, body = StatementView), (status = 422, description = "年度不正确", body = ApiError), (status = 401, description = "未登录，或会话已超时", body = ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = ApiError))
)]
async fn year_statement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<String>,
) -> Result<Json<StatementView>> {
    let year = parse_year(&year)?;
    let all = load_entries(&state.db.pool, &user.personal_account).await?;
    let this_year = state.clock.local_now().date().year();
    shared::fund::check_statement_year(&all, year, this_year).map_err(Error::bad_request)?;
    // Rows that do not add up are the back office's error: logged, never shown as a statement.
    let statement = statement(&all, year).map_err(|e| {
        Error::Internal(format!(
            "fund_transactions of {}: {}",
            user.personal_account, e.message
        ))
    })?;
    let rates =
        shared::fund::rates_during(&state.policy.deposit_rates, statement.from, statement.to);
    Ok(Json(StatementView {
        header: user.header(),
        years: years(&all),
        statement,
        rates,
    }))
}
