//! The demo's pre-registered web accounts.

use crate::db::Db;

/// The password of the demo's pre-registered web accounts (README). Everyone else registers,
/// as in the real hall.
pub const DEMO_PASSWORD: &str = "Demo2018!";

/// 周九, 吴十, 钱二 and 郑三 can log in at once; the other demo people are left to register.
pub async fn load(db: &Db, key: &crate::protect::DataKey) -> Result<(), sqlx::Error> {
    for (account, id_number, phone) in [
        ("3816303", "220102198503108159", "13904310008"),
        ("3816304", "220102197001019194", "13904310009"),
        ("4102205", "220102195403081311", "13904310010"),
        ("4102206", "220102195611201517", "13904310011"),
    ] {
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT personal_account FROM web_accounts WHERE personal_account = $1",
        )
        .bind(account)
        .fetch_optional(&db.pool)
        .await?;
        if exists.is_some() {
            continue;
        }
        let hash = crate::account::password::hash(DEMO_PASSWORD.to_owned())
            .await
            .map_err(sqlx::Error::Protocol)?;
        sqlx::query(
            "INSERT INTO web_accounts (personal_account, id_number, phone, password_hash, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, 0, 0) ON CONFLICT DO NOTHING",
        )
        .bind(account)
        .bind(key.lookup(id_number))
        .bind(key.lookup(phone))
        .bind(hash)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
