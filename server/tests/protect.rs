//! Personal data at rest (GB/T 39786, 个人信息保护法) on SQLite and PostgreSQL: after a citizen
//! registers, asks for codes and logs in, the database file (and a PostgreSQL dump) hold no
//! 证件号码, 手机号 or card number in clear; a database written in clear is converted at start;
//! `hpf rotate-key` re-seals under a new key and the old key is refused after it.

mod common;

use common::citizen::{tong_yi, Citizen, PASSWORD};
use common::{app_with_hooks, fresh_database_url, stores, temp_dir, Store};
use server::db::Db;
use server::protect::{self, DataKey};
use std::process::Command;

/// Every demo 证件号码, 手机号 and card number (the seed's people), as the back office knows them.
const IN_CLEAR: [&str; 9] = [
    "220102198005202134", // 佟一
    "13904310002",
    "220102197803121510", // 冯七
    "13904310001",
    "220102198503108159", // 周九 (pre-registered)
    "13904310008",
    "6217001234561716", // 佟一's repayment card
    "6217001234569876", // 王五's savings card
    "6222600012345678", // a derived loan's card
];

/// The whole content of the database as bytes: the SQLite file after a checkpoint, or a dump.
async fn contents(app: &common::TestApp) -> Vec<u8> {
    match app.store {
        Store::Sqlite => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&app.db.pool)
                .await
                .unwrap();
            let file = app
                .url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            let mut bytes = std::fs::read(&file).unwrap();
            if let Ok(wal) = std::fs::read(format!("{file}-wal")) {
                bytes.extend(wal);
            }
            bytes
        }
        Store::Postgres => {
            let dump = Command::new("pg_dump")
                .args(["--data-only", "--dbname", &app.url])
                .output()
                .expect("pg_dump (Debian's postgresql-client)");
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            dump.stdout
        }
    }
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[tokio::test]
async fn no_id_number_phone_or_card_is_stored_in_clear() {
    for store in stores() {
        // Setup: a registration (SMS to the phone), a login, a code for 忘记密码.
        let app = app_with_hooks(store).await;
        let citizen = Citizen::new(&app);
        assert_eq!(citizen.register(&tong_yi(), PASSWORD).await.0, 200);
        assert_eq!(citizen.login("220102198005202134", PASSWORD).await.0, 200);
        assert_eq!(citizen.login("13904310008", "Demo2018!").await.0, 200);
        app.clock.advance(61);
        assert_eq!(citizen.send_sms("reset", "13904310001").await.0, 200);

        let bytes = contents(&app).await;
        // The check can fail: the members' names are in the database in clear.
        assert!(holds(&bytes, "佟一"), "the dump is the database's content");
        for text in IN_CLEAR {
            assert!(
                !holds(&bytes, text),
                "{text} is stored in clear ({store:?})"
            );
        }
        // And the pages still show them masked, from the sealed values.
        let (_, me) = citizen.get("/api/account/me").await;
        assert_eq!(me["id_number"], "220102********8159");
        assert_eq!(me["phone"], "139****0008");
    }
}

#[tokio::test]
async fn a_database_written_in_clear_is_sealed_at_start_once_and_a_wrong_key_is_refused() {
    for store in stores() {
        // Setup: rows as an older hall wrote them, numbers in clear.
        let url = fresh_database_url(store).await;
        let db = Db::connect(&url, 2).await.unwrap();
        sqlx::query(
            "INSERT INTO members (personal_account, name, id_number, phone, gender, birth_date, unit_account, \
             unit_name, account_status, balance_fen, card_holder, card_bank, card_number, card_status, updated_at) \
             VALUES ('7000001', '旧一', '220102198005202134', '13904310002', 'male', '1980-05-20', '1', '公司', \
             'normal', 100, '旧一', '建行', '6217001234561716', 'normal', 'x')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO web_accounts (personal_account, id_number, phone, password_hash, created_at, password_changed_at) \
             VALUES ('7000001', '220102198005202134', '13904310002', 'h', 0, 0)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let key = DataKey::from_hex(&DataKey::generate_hex()).unwrap();

        protect::prepare(&db, &key).await.unwrap();

        let (id, id_lookup, phone, card): (String, String, String, String) = sqlx::query_as(
            "SELECT id_number, id_number_lookup, phone, card_number FROM members WHERE personal_account = '7000001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(key.open(&id).unwrap(), "220102198005202134");
        assert_eq!(id_lookup, key.lookup("220102198005202134"));
        assert_eq!(key.open(&phone).unwrap(), "13904310002");
        assert_eq!(key.open(&card).unwrap(), "6217001234561716");
        let (account_id, account_phone): (String, String) = sqlx::query_as(
            "SELECT id_number, phone FROM web_accounts WHERE personal_account = '7000001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(account_id, key.lookup("220102198005202134"));
        assert_eq!(account_phone, key.lookup("13904310002"));
        // Once: a second start with the same key changes nothing; another key is refused.
        protect::prepare(&db, &key).await.unwrap();
        let again: String =
            sqlx::query_scalar("SELECT id_number FROM members WHERE personal_account = '7000001'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(again, id);
        let other = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
        let refused = protect::prepare(&db, &other).await.unwrap_err();
        assert!(refused.contains("does not match"), "{refused}");
        db.close().await;
    }
}

#[tokio::test]
async fn rotate_key_reseals_everything_and_the_old_key_is_refused_after() {
    for store in stores() {
        let url = fresh_database_url(store).await;
        let dir = temp_dir("hpf_rotate");
        let (old_hex, new_hex) = (DataKey::generate_hex(), DataKey::generate_hex());
        std::fs::write(dir.join("old.key"), &old_hex).unwrap();
        std::fs::write(dir.join("new.key"), &new_hex).unwrap();
        let (old, new) = (
            DataKey::from_hex(&old_hex).unwrap(),
            DataKey::from_hex(&new_hex).unwrap(),
        );
        let db = Db::connect(&url, 2).await.unwrap();
        protect::prepare(&db, &old).await.unwrap();
        server::demo::load(
            &db,
            &old,
            &shared::fund::default_deposit_rates(),
            "2018-01-05T10:00:00+08:00",
        )
        .await
        .unwrap();
        // A property record (租房提取's), sealed and looked up like a member's number.
        sqlx::query(
            "INSERT INTO property_records (id_number_lookup, id_number, address, imported_at) \
             VALUES ($1, $2, '长春市朝阳区2号', '')",
        )
        .bind(old.lookup("220102198207077511"))
        .bind(old.seal("220102198207077511"))
        .execute(&db.pool)
        .await
        .unwrap();
        db.close().await;

        let output = Command::new(env!("CARGO_BIN_EXE_hpf"))
            .args(["rotate-key", "--database-url", &url, "--log-level", "warn"])
            .arg("--data-key-file")
            .arg(dir.join("old.key"))
            .arg("--new-key-file")
            .arg(dir.join("new.key"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("re-sealed under the new key"));

        let db = Db::connect(&url, 2).await.unwrap();
        protect::prepare(&db, &new).await.unwrap();
        assert!(protect::prepare(&db, &old)
            .await
            .unwrap_err()
            .contains("does not match"));
        let (id, lookup): (String, String) = sqlx::query_as(
            "SELECT id_number, id_number_lookup FROM members WHERE personal_account = '3816301'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(new.open(&id).unwrap(), "220102198005202134");
        assert!(old.open(&id).is_err());
        assert_eq!(lookup, new.lookup("220102198005202134"));
        let account_phone: String =
            sqlx::query_scalar("SELECT phone FROM web_accounts WHERE personal_account = '3816303'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(account_phone, new.lookup("13904310008"));
        let card: String = sqlx::query_scalar(
            "SELECT repay_card_number FROM loans WHERE borrower_no = '2015000211'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(new.open(&card).unwrap(), "6217001234561716");
        // The imported record and the demo's (李梅's house), each re-sealed and found anew.
        let owners: Vec<(String, String)> =
            sqlx::query_as("SELECT id_number, id_number_lookup FROM property_records")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        let mut opened: Vec<String> = owners
            .iter()
            .map(|(owner, lookup)| {
                let id = new.open(owner).unwrap();
                assert_eq!(*lookup, new.lookup(&id));
                id
            })
            .collect();
        opened.sort();
        assert_eq!(opened, ["220102196106154224", "220102198207077511"]);
        db.close().await;
    }
}
