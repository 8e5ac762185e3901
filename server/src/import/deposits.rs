//! The 缴存明细 file: rows checked on their own, then each member's rows after those held.

use super::rows::{deposit_row, read, DepositRow, MemberRow};
use super::{RowError, DEPOSIT_COLUMNS};
use crate::db::Db;
use rust_decimal::Decimal;
use shared::money::to_fen;
use std::collections::HashSet;
use std::path::Path;

/// Reads the 缴存明细 file: each row on its own, then each member's rows after the rows held
/// already, with `shared::fund::check_history` (balances running, parts adding up, in date order),
/// ending at the member's 账户余额 (from the members file if it has the member, else the
/// database). A member of the members file whose balance no longer matches the last row held,
/// and who has no rows in this file, is refused too. Returns each member's new rows and the seq
/// they start after.
#[allow(clippy::too_many_arguments)]
pub(super) async fn check_deposits(
    db: &Db,
    today: chrono::NaiveDate,
    rates: &[shared::fund::DepositRate],
    path: Option<&Path>,
    member_rows: &[MemberRow],
    known: &HashSet<String>,
    errors: &mut Vec<RowError>,
) -> std::result::Result<Vec<History>, String> {
    let mut by_member: Vec<(String, Vec<(u64, DepositRow)>)> = Vec::new();
    let file = path.map(|p| p.display().to_string()).unwrap_or_default();
    let error = |file: &str, line: u64, reason: String| RowError {
        file: file.to_owned(),
        line,
        reason,
    };
    if let Some(path) = path {
        match read(path, &DEPOSIT_COLUMNS) {
            Ok(rows) => {
                for (line, fields) in rows {
                    match deposit_row(&fields) {
                        Ok(row) => match by_member
                            .iter_mut()
                            .find(|(a, _)| *a == row.personal_account)
                        {
                            Some((_, list)) => list.push((line, row)),
                            None => {
                                by_member.push((row.personal_account.clone(), vec![(line, row)]))
                            }
                        },
                        Err(reason) => errors.push(error(&file, line, reason)),
                    }
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    let held = |account: String| async move {
        crate::fund::load_entries(&db.pool, &account)
            .await
            .map_err(|e| format!("cannot read the 缴存明细 of {account}: {e}"))
    };
    // Members whose balance changes with no rows to explain it.
    for m in member_rows {
        if by_member.iter().any(|(a, _)| *a == m.personal_account) {
            continue;
        }
        if let Some(last) = held(m.personal_account.clone()).await?.last() {
            if to_fen(last.balance) != Some(m.balance_fen) {
                errors.push(RowError {
                    file: m.file.clone(),
                    line: m.line,
                    reason: format!(
                        "balance: {} differs from the last balance of the member's 缴存明细 ({}); \
                         import the rows that explain it with --deposits",
                        shared::money::from_fen(m.balance_fen),
                        last.balance
                    ),
                });
            }
        }
    }
    let mut histories = Vec::new();
    for (account, rows) in by_member {
        let first_line = rows.first().map_or(0, |(line, _)| *line);
        let last_line = rows.last().map_or(0, |(line, _)| *line);
        if !known.contains(&account) {
            errors.push(error(
                &file,
                first_line,
                format!("personal_account: unknown member {account}"),
            ));
            continue;
        }
        let before = held(account.clone()).await?;
        let mut entries = before.clone();
        entries.extend(rows.iter().map(|(_, r)| r.entry.clone()));
        let future = rows.iter().find(|(_, r)| r.entry.date > today);
        if let Some((line, row)) = future {
            errors.push(error(
                &file,
                *line,
                format!("date: {} is after today ({today})", row.entry.date),
            ));
            continue;
        }
        let checked = shared::fund::check_history(&entries)
            .and_then(|()| shared::fund::check_interest(&entries, rates));
        if let Err(e) = checked {
            // `entries[i].field`: the member's i-th row, held or in this file.
            let index = e
                .field
                .as_deref()
                .and_then(|f| f.strip_prefix("entries["))
                .and_then(|f| f.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .unwrap_or(0);
            let field = e
                .field
                .as_deref()
                .and_then(|f| f.split('.').nth(1))
                .unwrap_or("");
            let reason = e
                .message
                .split_once('：')
                .map_or(e.message.as_str(), |(_, m)| m);
            match index.checked_sub(before.len()).and_then(|i| rows.get(i)) {
                Some((line, _)) => errors.push(error(&file, *line, format!("{field}: {reason}"))),
                // A row already held: said as such, not blamed on the file's row.
                None => errors.push(error(
                    &file,
                    first_line,
                    format!(
                        "personal_account: row {} of member {account}'s 缴存明细 already held is inconsistent ({field}: {reason})",
                        index + 1
                    ),
                )),
            }
            continue;
        }
        let balance_fen = match member_rows.iter().find(|m| m.personal_account == account) {
            Some(m) => m.balance_fen,
            None => sqlx::query_scalar::<_, i64>(
                "SELECT balance_fen FROM members WHERE personal_account = $1",
            )
            .bind(&account)
            .fetch_one(&db.pool)
            .await
            .map_err(|e| format!("cannot read member {account}: {e}"))?,
        };
        let ends = entries.last().map_or(Decimal::ZERO, |e| e.balance);
        if to_fen(ends) != Some(balance_fen) {
            errors.push(error(
                &file,
                last_line,
                format!(
                    "balance: the history ends at {ends} but member {account}'s 账户余额 is {}",
                    shared::money::from_fen(balance_fen)
                ),
            ));
            continue;
        }
        histories.push(History {
            personal_account: account,
            after_seq: before.len() as i64,
            rows: entries.split_off(before.len()),
        });
    }
    Ok(histories)
}

/// A member's new 缴存明细 rows, after the `after_seq` rows held.
pub(super) struct History {
    pub(super) personal_account: String,
    pub(super) after_seq: i64,
    pub(super) rows: Vec<shared::fund::Entry>,
}
