//! Personal data at rest (GB/T 39786, 个人信息保护法): 证件号码, 手机号 and bank card numbers are
//! stored sealed with AES-256-GCM under the data key, each with an HMAC-SHA-256 beside it where
//! the hall looks a value up or keeps it unique. The key comes from `--data-key-file` (64 hex
//! digits); the demo makes one. Logs and the audit log only ever see masked values.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

/// What a sealed value starts with (the format's version).
const SEALED: &str = "v1:";

/// The data key: one secret from which the sealing key and the lookup key are derived.
pub struct DataKey {
    cipher: Aes256Gcm,
    lookup_key: [u8; 32],
}

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

impl DataKey {
    pub fn from_bytes(master: [u8; 32]) -> DataKey {
        let sealing = derive(&master, "hpf personal data sealing v1");
        DataKey {
            cipher: Aes256Gcm::new_from_slice(&sealing).expect("a 32-byte key"),
            lookup_key: derive(&master, "hpf personal data lookup v1"),
        }
    }

    /// 64 hex digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<DataKey, String> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("a data key is 64 hexadecimal digits (32 bytes)".into());
        }
        let mut master = [0u8; 32];
        for (i, byte) in master.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(DataKey::from_bytes(master))
    }

    pub fn read(path: &Path) -> Result<DataKey, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the data key {}: {e}", path.display()))?;
        DataKey::from_hex(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A fresh random key, as the hex a key file holds.
    pub fn generate_hex() -> String {
        let mut master = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut master);
        master.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The key in `path`, or (the demo) a new one written there first, readable by the owner only.
    pub fn read_or_create(path: &Path) -> Result<DataKey, String> {
        if !path.exists() {
            let hex = DataKey::generate_hex();
            write_private(path, &format!("{hex}\n"))
                .map_err(|e| format!("cannot write the demo data key {}: {e}", path.display()))?;
            tracing::warn!(path = %path.display(), "generated a demo data key: keep it with the database, or the personal data cannot be read");
        }
        DataKey::read(path)
    }

    /// `value` sealed: `v1:` and base64 of a random 96-bit nonce and the ciphertext with its tag.
    pub fn seal(&self, value: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), value.as_bytes())
            .expect("AES-GCM encryption of a short value");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{SEALED}{}", STANDARD.encode(bytes))
    }

    /// The value a [`DataKey::seal`] made; an error for anything else (another key, a change).
    pub fn open(&self, sealed: &str) -> Result<String, String> {
        let bytes = sealed
            .strip_prefix(SEALED)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|bytes| bytes.len() > 12)
            .ok_or_else(|| "not a sealed value".to_owned())?;
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| "a sealed value does not open with this key".to_owned())?;
        String::from_utf8(plain).map_err(|_| "a sealed value is not text".to_owned())
    }

    /// The lookup form of `value`: HMAC-SHA-256 under the lookup key, hex. Equal values give equal
    /// lookups; without the key it says nothing about the value.
    pub fn lookup(&self, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).expect("any key length");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A sealed card number as the pages show it: masked (`621****5678`). One that does not open
    /// (it cannot happen with the database's key) shows no digit at all.
    pub fn masked_card(&self, sealed: &str) -> String {
        self.open(sealed)
            .map(|number| shared::mask::card(&number))
            .unwrap_or_else(|_| "****".into())
    }

    /// Whether `text` is a sealed value (and not one in clear).
    pub fn is_sealed(text: &str) -> bool {
        text.starts_with(SEALED)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// The text whose lookup tells whether a key is the database's.
const KEY_CHECK: &str = "hpf data key check";

/// At start-up, after the migrations: a database written before personal data was sealed is
/// converted (in one transaction), and the key is checked against the one the database was
/// sealed with — a wrong key is an error, never a silent mix of two keys.
pub async fn prepare(db: &crate::db::Db, key: &DataKey) -> Result<(), String> {
    let fail = |e: sqlx::Error| format!("cannot prepare the personal data: {e}");
    let check: Option<String> =
        sqlx::query_scalar("SELECT key_check FROM data_protection WHERE id = 1")
            .fetch_optional(&db.pool)
            .await
            .map_err(fail)?;
    if let Some(check) = check {
        return if check == key.lookup(KEY_CHECK) {
            Ok(())
        } else {
            Err("the data key does not match this database (its personal data was sealed with another key)".into())
        };
    }
    let mut tx = db.pool.begin().await.map_err(fail)?;
    reseal(&mut tx, None, key).await.map_err(fail)?;
    sqlx::query("INSERT INTO data_protection (id, key_check) VALUES (1, $1)")
        .bind(key.lookup(KEY_CHECK))
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
    tx.commit().await.map_err(fail)
}

/// `hpf rotate-key`: every sealed value and lookup from `old` to `new`, in one transaction.
pub async fn rotate(db: &crate::db::Db, old: &DataKey, new: &DataKey) -> Result<u64, String> {
    let fail = |e: sqlx::Error| format!("cannot rotate the data key: {e}");
    prepare(db, old).await?;
    let mut tx = db.pool.begin().await.map_err(fail)?;
    let rows = reseal(&mut tx, Some(old), new).await.map_err(fail)?;
    sqlx::query("UPDATE data_protection SET key_check = $1 WHERE id = 1")
        .bind(new.lookup(KEY_CHECK))
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(rows)
}

/// Rewrites every protected column under `new`: from clear text (`old` None, the conversion) or
/// from values sealed under `old`. Lookup-only columns are recomputed from the members' values.
async fn reseal(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    old: Option<&DataKey>,
    new: &DataKey,
) -> Result<u64, sqlx::Error> {
    let clear = |text: String| -> Result<String, sqlx::Error> {
        match old {
            None => Ok(text),
            Some(old) => old.open(&text).map_err(sqlx::Error::Protocol),
        }
    };
    let members: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT personal_account, id_number, phone, card_number FROM members")
            .fetch_all(&mut **tx)
            .await?;
    let mut rows = 0;
    // Old lookups of ID numbers and phones, to rewrite the lookup-only tables.
    let mut lookups: Vec<(String, String)> = Vec::new();
    for (account, id_number, phone, card) in members {
        let (id_number, phone) = (clear(id_number)?, clear(phone)?);
        let card = card.map(clear).transpose()?;
        let before = |value: &str| match old {
            None => value.to_owned(),
            Some(old) => old.lookup(value),
        };
        lookups.push((before(&id_number), new.lookup(&id_number)));
        lookups.push((before(&phone), new.lookup(&phone)));
        sqlx::query(
            "UPDATE members SET id_number = $1, id_number_lookup = $2, phone = $3, phone_lookup = $4, \
             card_number = $5 WHERE personal_account = $6",
        )
        .bind(new.seal(&id_number))
        .bind(new.lookup(&id_number))
        .bind(new.seal(&phone))
        .bind(new.lookup(&phone))
        .bind(card.map(|c| new.seal(&c)))
        .bind(&account)
        .execute(&mut **tx)
        .await?;
        rows += 1;
    }
    let loans: Vec<(String, String)> =
        sqlx::query_as("SELECT borrower_no, repay_card_number FROM loans")
            .fetch_all(&mut **tx)
            .await?;
    for (borrower_no, card) in loans {
        sqlx::query("UPDATE loans SET repay_card_number = $1 WHERE borrower_no = $2")
            .bind(new.seal(&clear(card)?))
            .bind(&borrower_no)
            .execute(&mut **tx)
            .await?;
        rows += 1;
    }
    let owners: Vec<String> = sqlx::query_scalar("SELECT id_number FROM property_records")
        .fetch_all(&mut **tx)
        .await?;
    for sealed in owners {
        let id_number = clear(sealed.clone())?;
        sqlx::query(
            "UPDATE property_records SET id_number = $1, id_number_lookup = $2 WHERE id_number = $3",
        )
        .bind(new.seal(&id_number))
        .bind(new.lookup(&id_number))
        .bind(&sealed)
        .execute(&mut **tx)
        .await?;
        rows += 1;
    }
    // Lookup-only columns: what was there (clear, or the old lookup) becomes the new lookup. A
    // phone in sms_codes or sms_outbox that no member has is looked up as it stands.
    for (was, now) in &lookups {
        for sql in [
            "UPDATE web_accounts SET id_number = $1 WHERE id_number = $2",
            "UPDATE web_accounts SET phone = $1 WHERE phone = $2",
            "UPDATE sms_codes SET phone = $1 WHERE phone = $2",
            "UPDATE sms_outbox SET phone = $1 WHERE phone = $2",
        ] {
            rows += sqlx::query(sql)
                .bind(now)
                .bind(was)
                .execute(&mut **tx)
                .await?
                .rows_affected();
        }
    }
    if old.is_none() {
        for (table, column) in [("sms_codes", "phone"), ("sms_outbox", "phone")] {
            let strays: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT DISTINCT {column} FROM {table} WHERE LENGTH({column}) <> 64"
            ))
            .fetch_all(&mut **tx)
            .await?;
            for stray in strays {
                sqlx::query(&format!(
                    "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
                ))
                .bind(new.lookup(&stray))
                .bind(&stray)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes([byte; 32])
    }

    #[test]
    fn sealed_values_open_with_their_key_only() {
        let (one, other) = (key(1), key(2));
        let sealed = one.seal("220102198005202134");
        assert!(DataKey::is_sealed(&sealed));
        assert!(!sealed.contains("220102198005202134"));
        assert_eq!(one.open(&sealed).unwrap(), "220102198005202134");
        assert!(other.open(&sealed).is_err());
        // A fresh nonce each time: equal values do not look equal sealed…
        assert_ne!(one.seal("13904310002"), one.seal("13904310002"));
        // …their lookups do, under one key only.
        assert_eq!(one.lookup("13904310002"), one.lookup("13904310002"));
        assert_ne!(one.lookup("13904310002"), other.lookup("13904310002"));
        assert_eq!(one.lookup("x").len(), 64);
        // A changed byte does not open.
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(one.open(&String::from_utf8(tampered).unwrap()).is_err());
    }

    #[test]
    fn keys_are_64_hex_digits() {
        assert!(DataKey::from_hex(&DataKey::generate_hex()).is_ok());
        assert!(DataKey::from_hex(&"0".repeat(63)).is_err());
        assert!(DataKey::from_hex(&"g".repeat(64)).is_err());
        assert!(DataKey::from_hex(&format!(" {}\n", "ab".repeat(32))).is_ok());
    }
}
