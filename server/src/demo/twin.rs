//! Browser tests only (`--insecure-test-hooks`): a twin of a demo member — the same record,
//! 缴存明细 and loans under fresh numbers (个人账号, 证件号码 with the same birth date and gender, 手机号,
//! 借款人编号) — so that every browser test can act on a person of its own and none depends on
//! what another left behind.

use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct TwinRequest {
    /// The demo member to copy, by 个人账号.
    pub personal_account: String,
    /// If given, the twin is registered with this password (no SMS spent on a test's set-up).
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Serialize)]
pub struct Twin {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub personal_account: String,
    pub borrower_nos: Vec<String>,
}

fn digits(rng: &mut impl Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// A fresh 证件号码 for the same person: province and birth date kept, a new county code and
/// sequence of the same parity (the gender), and its GB 11643 check character.
fn twin_id(original: &str, rng: &mut impl Rng) -> Option<String> {
    // The province (2 digits), the birth date and the gender digit are kept (the rules read the
    // age and gender); the county code and the sequence are new: 10^6 numbers per person, so
    // collisions stay rare for the few hundred twins a test run makes (two sequence digits alone
    // collided under the browser tests' load), and a collision is tried again.
    let province = original.get(..2)?;
    let birth = original.get(6..14)?;
    let gender_digit = original.get(16..17)?;
    let first17 = format!(
        "{province}{}{birth}{}{gender_digit}",
        digits(rng, 4),
        digits(rng, 2)
    );
    let check = shared::account::id_check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

/// A copy of loan `original` numbered `borrower_no`, of member `personal_account` (its figures,
/// card and version as they are; its transactions are not copied).
pub async fn copy_loan(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    original: &str,
    borrower_no: &str,
    personal_account: &str,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO loans (borrower_no, personal_account, status, disbursement_date, amount_fen, \
         term_months, balance_fen, loan_type, house_address, annual_rate, method, due_day, \
         remaining_periods, monthly_payment_fen, last_due_date, maturity_date, arrears_fen, \
         repay_card_holder, repay_card_bank, repay_card_number, version, updated_at) \
         SELECT $1, $2, status, disbursement_date, amount_fen, term_months, balance_fen, loan_type, \
         house_address, annual_rate, method, due_day, remaining_periods, monthly_payment_fen, \
         last_due_date, maturity_date, arrears_fen, repay_card_holder, repay_card_bank, \
         repay_card_number, version, updated_at FROM loans WHERE borrower_no = $3",
    )
    .bind(borrower_no)
    .bind(personal_account)
    .bind(original)
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn twin(
    State(state): State<AppState>,
    Json(request): Json<TwinRequest>,
) -> Result<Json<Twin>> {
    if !state.accounts.test_hooks {
        return Err(Error::not_found());
    }
    let original: Option<(String, String)> =
        sqlx::query_as("SELECT name, id_number FROM members WHERE personal_account = $1")
            .bind(&request.personal_account)
            .fetch_optional(&state.db.pool)
            .await?;
    let (name, sealed_id) = original.ok_or_else(Error::not_found)?;
    let id_number = state.key.open(&sealed_id).map_err(Error::Internal)?;
    let password_hash = match request.password.clone() {
        Some(password) => Some(
            crate::account::password::hash(password)
                .await
                .map_err(Error::Internal)?,
        ),
        None => None,
    };
    // Random numbers in ranges the demo does not use; a collision is tried again.
    for _ in 0..5 {
        let (twin_account, twin_id, phone, prefix) = {
            let mut rng = rand::thread_rng();
            (
                format!("9{}", digits(&mut rng, 6)),
                twin_id(&id_number, &mut rng)
                    .ok_or_else(|| Error::Internal(format!("bad demo id {id_number}")))?,
                format!("138{}", digits(&mut rng, 8)),
                format!("9{}", digits(&mut rng, 7)),
            )
        };
        let mut tx = state.db.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO members (personal_account, name, id_type, id_number, phone, gender, birth_date, \
             female_baseline_50, unit_account, unit_name, account_status, balance_fen, card_holder, card_bank, \
             card_number, card_status, updated_at, id_number_lookup, phone_lookup, deposit_base_fen, unit_rate, \
             personal_rate, opened_on, paid_through) \
             SELECT $1, name, id_type, $2, $3, gender, birth_date, female_baseline_50, unit_account, unit_name, \
             account_status, balance_fen, card_holder, card_bank, card_number, card_status, updated_at, $5, $6, \
             deposit_base_fen, unit_rate, personal_rate, opened_on, paid_through \
             FROM members WHERE personal_account = $4",
        )
        .bind(&twin_account)
        .bind(state.key.seal(&twin_id))
        .bind(state.key.seal(&phone))
        .bind(&request.personal_account)
        .bind(state.key.lookup(&twin_id))
        .bind(state.key.lookup(&phone))
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            other => other?,
        };
        // The 缴存明细 as it is (the hall's own withdrawals stay the original's applications).
        sqlx::query(
            "INSERT INTO fund_transactions (id, personal_account, seq, txn_date, kind, period, unit_fen, \
             personal_fen, amount_fen, balance_after_fen) \
             SELECT $1 || '-' || CAST(seq AS TEXT), $1, seq, txn_date, kind, period, unit_fen, personal_fen, \
             amount_fen, balance_after_fen FROM fund_transactions WHERE personal_account = $2",
        )
        .bind(&twin_account)
        .bind(&request.personal_account)
        .execute(&mut *tx)
        .await?;
        // The 提取材料 of the record (not those added in the hall, which another test may have
        // added to the original), under numbers of the twin's own (the year 99 no counter reaches).
        let materials: Vec<String> = sqlx::query_scalar(
            "SELECT material_no FROM withdrawal_materials WHERE personal_account = $1 \
             AND idempotency_key IS NULL ORDER BY material_no",
        )
        .bind(&request.personal_account)
        .fetch_all(&mut *tx)
        .await?;
        for original_material in &materials {
            let number = format!("220010100099{}", digits(&mut rand::thread_rng(), 8));
            sqlx::query(
                "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, \
                 remaining_fen, status, created_at) SELECT $1, $2, reason, address, limit_fen, remaining_fen, \
                 status, created_at FROM withdrawal_materials WHERE material_no = $3",
            )
            .bind(&number)
            .bind(&twin_account)
            .bind(original_material)
            .execute(&mut *tx)
            .await?;
        }
        // A house the original owns in the city is the twin's too (租房提取 refuses both).
        sqlx::query(
            "INSERT INTO property_records (id_number_lookup, id_number, address, imported_at) \
             SELECT $1, $2, address, imported_at FROM property_records WHERE id_number_lookup = $3",
        )
        .bind(state.key.lookup(&twin_id))
        .bind(state.key.seal(&twin_id))
        .bind(state.key.lookup(&id_number))
        .execute(&mut *tx)
        .await?;
        let loans: Vec<String> = sqlx::query_scalar(
            "SELECT borrower_no FROM loans WHERE personal_account = $1 ORDER BY borrower_no",
        )
        .bind(&request.personal_account)
        .fetch_all(&mut *tx)
        .await?;
        let mut borrower_nos = Vec::new();
        for (i, original_loan) in loans.iter().enumerate() {
            let borrower_no = format!("{prefix}{i:02}");
            copy_loan(&mut *tx, original_loan, &borrower_no, &twin_account).await?;
            sqlx::query(
                "INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, \
                 principal_fen, interest_fen, balance_after_fen) \
                 SELECT $1 || '-' || CAST(seq AS TEXT), $1, seq, txn_date, kind, amount_fen, principal_fen, \
                 interest_fen, balance_after_fen FROM loan_transactions WHERE borrower_no = $2",
            )
            .bind(&borrower_no)
            .bind(original_loan)
            .execute(&mut *tx)
            .await?;
            borrower_nos.push(borrower_no);
        }
        if let Some(hash) = &password_hash {
            sqlx::query(
                "INSERT INTO web_accounts (personal_account, id_number, phone, password_hash, created_at, \
                 password_changed_at) VALUES ($1, $2, $3, $4, 0, 0)",
            )
            .bind(&twin_account)
            .bind(state.key.lookup(&twin_id))
            .bind(state.key.lookup(&phone))
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        return Ok(Json(Twin {
            name,
            id_number: twin_id,
            phone,
            personal_account: twin_account,
            borrower_nos,
        }));
    }
    Err(Error::Internal("no free twin numbers after 5 tries".into()))
}

#[derive(Deserialize)]
pub struct DepositRequest {
    pub personal_account: String,
    /// Yuan, e.g. "100.00".
    pub amount: String,
}

#[derive(Serialize)]
pub struct Deposited {
    pub balance: rust_decimal::Decimal,
}

/// Browser tests only: a 转入 credited to a member now (the balance and its 缴存明细 row), as the
/// back office's import would — so a test can change a figure between a page and its submission.
pub async fn deposit(
    State(state): State<AppState>,
    Json(request): Json<DepositRequest>,
) -> Result<Json<Deposited>> {
    if !state.accounts.test_hooks {
        return Err(Error::not_found());
    }
    let amount = shared::money::parse_amount("amount", "金额", &request.amount)?;
    let fen = shared::money::to_fen(amount).ok_or_else(|| Error::Internal("amount".into()))?;
    let mut tx = state.db.pool.begin().await?;
    let balance: Option<i64> = sqlx::query_scalar(
        "UPDATE members SET balance_fen = balance_fen + $1 WHERE personal_account = $2 RETURNING balance_fen",
    )
    .bind(fen)
    .bind(&request.personal_account)
    .fetch_optional(&mut *tx)
    .await?;
    let balance = balance.ok_or_else(Error::not_found)?;
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM fund_transactions WHERE personal_account = $1",
    )
    .bind(&request.personal_account)
    .fetch_one(&mut *tx)
    .await?;
    let entry = shared::fund::Entry {
        date: state.clock.local_now().date(),
        kind: shared::fund::EntryKind::TransferIn,
        period: None,
        unit: rust_decimal::Decimal::ZERO,
        personal: rust_decimal::Decimal::ZERO,
        amount,
        balance: shared::money::from_fen(balance),
    };
    crate::fund::insert_row(&mut *tx, &request.personal_account, seq, &entry).await?;
    tx.commit().await?;
    Ok(Json(Deposited {
        balance: entry.balance,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twin_id_keeps_birth_date_and_gender_and_is_valid() {
        let mut rng = rand::thread_rng();
        for original in ["220102198005202134", "22010219580211642X"] {
            let id = twin_id(original, &mut rng).unwrap();
            assert_eq!(&id[..2], &original[..2]);
            assert_eq!(&id[6..14], &original[6..14]);
            assert_eq!(&id[16..17], &original[16..17]);
            let today = chrono::NaiveDate::from_ymd_opt(2018, 1, 5).unwrap();
            assert!(shared::account::IdNumber::parse(&id, today).is_ok(), "{id}");
        }
    }
}
