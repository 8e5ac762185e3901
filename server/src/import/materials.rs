//! `hpf import --materials`: the back office's 提取材料 (the purchase contracts and building
//! permits it has checked), each row put in place by its 提取材料编号 — a new one added, a known
//! one's 提取限额, 剩余额度 and 材料状态 replaced (a material found wrong is made 失效 this way).
//! The end-of-day run decides a 购房提取 on the material as it then stands.

use super::rows::read;
use super::RowError;
use shared::money::{parse_amount, to_fen};
use shared::withdrawal::MATERIAL_REASONS;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) const MATERIAL_COLUMNS: [&str; 7] = [
    "material_no",
    "personal_account",
    "reason",
    "address",
    "limit",
    "remaining",
    "status",
];

pub(super) struct MaterialRow {
    pub(super) line: u64,
    pub(super) material_no: String,
    pub(super) personal_account: String,
    pub(super) reason: String,
    pub(super) address: String,
    pub(super) limit_fen: i64,
    pub(super) remaining_fen: i64,
    /// valid / invalid.
    pub(super) status: &'static str,
}

fn field<'a>(fields: &'a HashMap<String, String>, column: &str) -> &'a str {
    fields.get(column).map(|v| v.trim()).unwrap_or_default()
}

fn fen(fields: &HashMap<String, String>, column: &str, label: &str) -> Result<i64, String> {
    let value = parse_amount(column, label, field(fields, column))
        .map_err(|e| format!("{column}: {}", e.message))?;
    to_fen(value).ok_or_else(|| format!("{column}: out of range"))
}

fn material_row(fields: &HashMap<String, String>) -> Result<MaterialRow, String> {
    let material_no = field(fields, "material_no");
    if material_no.len() != 20 || !material_no.bytes().all(|b| b.is_ascii_digit()) {
        return Err("material_no: 20 digits (提取材料编号)".into());
    }
    let reason = field(fields, "reason");
    if !MATERIAL_REASONS.contains(&reason) {
        return Err(format!(
            "reason: one of {} (提取原因)",
            MATERIAL_REASONS.join("、")
        ));
    }
    let address = field(fields, "address");
    if address.chars().count() < 2 || address.chars().count() > 100 {
        return Err("address: 2 to 100 characters".into());
    }
    let limit_fen = fen(fields, "limit", "提取限额")?;
    let remaining_fen = fen(fields, "remaining", "剩余额度")?;
    if limit_fen <= 0 {
        return Err("limit: more than 0".into());
    }
    if remaining_fen > limit_fen {
        return Err("remaining: at most the limit".into());
    }
    let status = match field(fields, "status") {
        "有效" | "valid" => "valid",
        "失效" | "invalid" => "invalid",
        other => return Err(format!("status: 有效 or 失效, not '{other}'")),
    };
    Ok(MaterialRow {
        line: 0,
        material_no: material_no.to_owned(),
        personal_account: field(fields, "personal_account").to_owned(),
        reason: reason.to_owned(),
        address: address.to_owned(),
        limit_fen,
        remaining_fen,
        status,
    })
}

/// The file's rows, each checked; a number twice, or a member neither known nor imported, refused.
pub(super) fn check(
    path: &Path,
    known: &HashSet<String>,
    errors: &mut Vec<RowError>,
) -> Vec<MaterialRow> {
    let mut rows: Vec<MaterialRow> = Vec::new();
    let file = path.display().to_string();
    match read(path, &MATERIAL_COLUMNS) {
        Ok(read_rows) => {
            for (line, fields) in read_rows {
                let error = |reason: String| RowError {
                    file: file.clone(),
                    line,
                    reason,
                };
                match material_row(&fields) {
                    Ok(row) if rows.iter().any(|r| r.material_no == row.material_no) => errors
                        .push(error(format!(
                            "material_no: {} appears twice",
                            row.material_no
                        ))),
                    Ok(row) if !known.contains(&row.personal_account) => errors.push(error(
                        format!("personal_account: unknown member {}", row.personal_account),
                    )),
                    Ok(row) => rows.push(MaterialRow { line, ..row }),
                    Err(reason) => errors.push(error(reason)),
                }
            }
        }
        Err(mut e) => errors.append(&mut e),
    }
    rows
}

/// Writes the rows in the import's transaction: a material already held by another member is
/// refused (the whole import rolls back).
pub(super) async fn write(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[MaterialRow],
    now: &str,
) -> crate::error::Result<()> {
    for row in rows {
        let owner: Option<String> = sqlx::query_scalar(
            "SELECT personal_account FROM withdrawal_materials WHERE material_no = $1",
        )
        .bind(&row.material_no)
        .fetch_optional(&mut **tx)
        .await?;
        match owner {
            Some(owner) if owner != row.personal_account => {
                return Err(crate::error::Error::Internal(format!(
                    "material {} (line {}) belongs to member {owner}, not {}",
                    row.material_no, row.line, row.personal_account
                )))
            }
            Some(_) => {
                sqlx::query(
                    "UPDATE withdrawal_materials SET reason = $1, address = $2, limit_fen = $3, \
                     remaining_fen = $4, status = $5 WHERE material_no = $6",
                )
                .bind(&row.reason)
                .bind(&row.address)
                .bind(row.limit_fen)
                .bind(row.remaining_fen)
                .bind(row.status)
                .bind(&row.material_no)
                .execute(&mut **tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, \
                     limit_fen, remaining_fen, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&row.material_no)
                .bind(&row.personal_account)
                .bind(&row.reason)
                .bind(&row.address)
                .bind(row.limit_fen)
                .bind(row.remaining_fen)
                .bind(row.status)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}
