//! `hpf import --properties`: who owns a house in the city (租房提取 is refused to an owner). Each
//! row is checked like a member's 证件号码; each person the file names gets exactly its records,
//! sealed and found by the lookup like the members' numbers.

use super::rows::{property_row, read};
use super::{RowError, PROPERTY_COLUMNS};
use crate::protect::DataKey;
use std::path::Path;

/// The property records file: each row checked, the same house twice for one person refused.
pub(super) fn check(
    path: &Path,
    today: chrono::NaiveDate,
    errors: &mut Vec<RowError>,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    match read(path, &PROPERTY_COLUMNS) {
        Ok(read_rows) => {
            for (line, fields) in read_rows {
                let error = |reason: String| RowError {
                    file: path.display().to_string(),
                    line,
                    reason,
                };
                match property_row(&fields, today) {
                    Ok(row) if rows.contains(&row) => errors.push(error(format!(
                        "address: {} appears twice for this person",
                        row.1
                    ))),
                    Ok(row) => rows.push(row),
                    Err(reason) => errors.push(error(reason)),
                }
            }
        }
        Err(mut e) => errors.append(&mut e),
    }
    rows
}

/// Writes the records in the import's transaction: each person named, their records are the file's.
pub(super) async fn write(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &DataKey,
    properties: &[(String, String)],
    now: &str,
) -> crate::error::Result<()> {
    let mut owners: Vec<&str> = properties.iter().map(|(id, _)| id.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    for id in owners {
        sqlx::query("DELETE FROM property_records WHERE id_number_lookup = $1")
            .bind(key.lookup(id))
            .execute(&mut **tx)
            .await?;
    }
    for (id, address) in properties {
        sqlx::query(
            "INSERT INTO property_records (id_number_lookup, id_number, address, imported_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(key.lookup(id))
        .bind(key.seal(id))
        .bind(address)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
