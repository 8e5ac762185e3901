//! `hpf import` as the back office runs it, on SQLite and PostgreSQL: a file with invalid rows is
//! refused whole, every bad row named with its line and reason; a good file loads and updates.

mod common;

use common::import::{
    data_key, id, import, import_files, import_with, DEPOSITS_HEADER, LOANS_HEADER, MEMBERS_HEADER,
};
use common::{fresh_database_url, stores};
use server::db::Db;

async fn counts(db: &Db) -> (i64, i64) {
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    (members, loans)
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_and_a_good_one_loads() {
    for store in stores() {
        let url = fresh_database_url(store).await;
        let db = Db::connect(&url, 2).await.unwrap();
        let (key_file, key) = data_key();
        server::protect::prepare(&db, &key).await.unwrap();
        server::demo::load(
            &db,
            &key,
            &shared::fund::default_deposit_rates(),
            "2018-01-05T10:00:00+08:00",
        )
        .await
        .unwrap();
        let before = counts(&db).await;
        let good_member = format!(
            "5200001,孔一,{},13904319001,3001,公司九九九九,sealed,51234.56,工行,6222020200017777,normal",
            id("22010219530101151")
        );
        let bad_id =
            "5200002,孔二,220102195301011512,13904319002,3001,公司九九九九,normal,100.00,,,";
        let negative = format!(
            "5200003,孔三,{},13904319003,3001,公司九九九九,normal,-5.00,,,",
            id("22010219600101152")
        );
        let members = format!("{MEMBERS_HEADER}\n{good_member}\n{bad_id}\n{negative}\n");
        let loans = format!(
            "{LOANS_HEADER}\n2020000999,9999999,normal,2020-01-15,300000.00,240,250000.00,公积金贷款,长春市1号,3.25,equal_installment,200,1418.00,2017-12-15,2034-08-15,0.00,工行,6222020200018888\n"
        );
        let (ok, _, stderr) = import(&url, &key_file, &members, &loans);
        assert!(!ok, "{stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("members.csv:3: id_number: 证件号码校验位不正确，请核对")),
            "{stderr}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("members.csv:4: balance: 账户余额不能为负数")),
            "{stderr}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("loans.csv:2: personal_account: unknown member 9999999")),
            "{stderr}"
        );
        assert!(
            stderr.contains("nothing imported: 3 invalid row(s)"),
            "{stderr}"
        );
        assert_eq!(
            counts(&db).await,
            before,
            "nothing imported, not even the good row"
        );

        // The good rows, an update of 冯七's balance, and a loan of the new member. 冯七 has a
        // 缴存明细: his balance changes only with the row that explains it.
        let fengqi = "3934081,冯七,220102197803121510,13904310001,333,公司三五五五五五五五,normal,25000.00,工行,6222020200011234567,normal";
        let members = format!("{MEMBERS_HEADER}\n{good_member}\n{fengqi}\n");
        let loans = format!(
            "{LOANS_HEADER}\n2020000999,5200001,normal,2020-01-15,300000.00,240,250000.00,公积金贷款,长春市1号,3.25,等额本息,200,1418.00,2017-12-15,2034-08-15,0.00,工行,6222020200018888\n"
        );
        let (ok, _, stderr) = import(&url, &key_file, &members, &loans);
        assert!(!ok);
        assert!(
            stderr.contains("members.csv:3: balance: 25000.00 differs from the last balance of the member's 缴存明细 (24902.73)"),
            "{stderr}"
        );
        let transfer = format!("{DEPOSITS_HEADER}\n3934081,2018-01-04,转入,,,,97.27,25000.00\n");
        let (ok, stdout, stderr) = import_with(&url, &key_file, &members, &loans, Some(&transfer));
        assert!(ok, "{stderr}");
        assert_eq!(
            stdout.trim(),
            "imported 2 member(s), 1 loan(s), 1 deposit row(s), 0 property record(s) and 0 material(s)"
        );
        assert_eq!(counts(&db).await, (before.0 + 1, before.1 + 1));
        let (balance, gender, birth): (i64, String, String) = sqlx::query_as(
            "SELECT balance_fen, gender, birth_date FROM members WHERE personal_account = '5200001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            (balance, gender.as_str(), birth.as_str()),
            (5_123_456, "male", "1953-01-01")
        );
        let fengqi_balance: i64 = sqlx::query_scalar(
            "SELECT balance_fen FROM members WHERE personal_account = '3934081'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(fengqi_balance, 2_500_000);
        let (holder, due_day): (String, i64) = sqlx::query_as(
            "SELECT repay_card_holder, due_day FROM loans WHERE borrower_no = '2020000999'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((holder.as_str(), due_day), ("孔一", 15));
        // Imported personal data is sealed: the ID number opens with the key, and nothing else
        // in the row is the number in clear.
        let (sealed_id, sealed_card): (String, String) = sqlx::query_as(
            "SELECT m.id_number, l.repay_card_number FROM members m JOIN loans l \
             ON l.personal_account = m.personal_account WHERE m.personal_account = '5200001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(key.open(&sealed_id).unwrap(), id("22010219530101151"));
        assert_eq!(key.open(&sealed_card).unwrap(), "6222020200018888");
        // The next start with --demo touches only the demo's own loans: the imported one gets no
        // invented history.
        server::demo::load(
            &db,
            &key,
            &shared::fund::default_deposit_rates(),
            "2018-01-05T10:00:00+08:00",
        )
        .await
        .unwrap();
        let invented: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM loan_transactions WHERE borrower_no = '2020000999'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(invented, 0, "the demo wrote history into an imported loan");
        let seed_history: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM loan_transactions WHERE borrower_no = '2015000211'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(seed_history > 0);
        db.close().await;
    }
}

#[tokio::test]
async fn a_deposit_history_is_checked_row_by_row_and_ends_at_the_balance() {
    for store in stores() {
        let url = fresh_database_url(store).await;
        let db = Db::connect(&url, 2).await.unwrap();
        let (key_file, key) = data_key();
        server::protect::prepare(&db, &key).await.unwrap();
        // A member with the optional columns of the fund account.
        let members = format!(
            "{MEMBERS_HEADER},deposit_base,unit_rate,personal_rate,opened_on,paid_through\n\
             5300001,褚一,{},13904318001,3002,公司一一一一,normal,12345.67,,,,5000.00,12,12,2015-03-01,201802\n",
            id("22010219800101151")
        );
        let loans = format!("{LOANS_HEADER}\n");
        let history = [
            "5300001,2016-07-01,期初余额,,,,8000.00,8000.00",
            // 8,000.00 × 365 × 1.5 ÷ 36,000 = 121.666… → 121.67, as the fund computes it.
            "5300001,2017-06-30,结息,,,,121.67,8121.67",
            "5300001,2018-01-15,汇缴,201801,600.00,600.00,1200.00,9321.67",
            "5300001,2018-02-15,remittance,201802,600.00,600.00,1200.00,10521.67",
            "5300001,2018-03-02,转入,,,,1824.00,12345.67",
        ];
        // Bad rows, each named on its line; nothing written.
        let bad = [
            "5300001,2016-07-01,期初余额,,,,8000.00,8000.00",
            "5300001,2017-06-30,利息,,,,123.45,8123.45",
            "5300009,2018-01-15,汇缴,201801,600.00,600.00,1200.00,1200.00",
            "5300001,2018-01-15,汇缴,201801,600.00,500.00,1200.00,9323.45",
        ];
        let file = |rows: &[&str]| format!("{DEPOSITS_HEADER}\n{}\n", rows.join("\n"));
        let (ok, _, stderr) = import_with(&url, &key_file, &members, &loans, Some(&file(&bad)));
        assert!(!ok);
        for expected in [
            "deposits.csv:3: kind: '利息' is not one of",
            "deposits.csv:4: personal_account: unknown member 5300009",
            "deposits.csv:5: amount: 汇缴的发生额1200.00不等于单位缴存额600.00与个人缴存额500.00之和",
        ] {
            assert!(stderr.contains(expected), "{expected}\n{stderr}");
        }
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fund_transactions")
                .fetch_one(&db.pool)
                .await
                .unwrap()
        };
        assert_eq!(count().await, 0);
        // A running balance off by a fen, and a history that ends short of the balance.
        let mut off = history.to_vec();
        off[2] = "5300001,2018-01-15,汇缴,201801,600.00,600.00,1200.00,9321.68";
        let (ok, _, stderr) = import_with(&url, &key_file, &members, &loans, Some(&file(&off)));
        assert!(!ok);
        assert!(
            stderr.contains(
                "deposits.csv:4: balance: 余额9321.68与上一行余额加减发生额（9321.67）不符"
            ),
            "{stderr}"
        );
        let (ok, _, stderr) = import_with(
            &url,
            &key_file,
            &members,
            &loans,
            Some(&file(&history[..4])),
        );
        assert!(!ok);
        assert!(stderr.contains("deposits.csv:5: balance: the history ends at 10521.67 but member 5300001's 账户余额 is 12345.67"), "{stderr}");
        // A 结息 that is not the computation's, and a row dated in the future.
        let mut wrong = history.to_vec();
        wrong[1] = "5300001,2017-06-30,结息,,,,123.45,8123.45";
        let (ok, _, stderr) =
            import_with(&url, &key_file, &members, &loans, Some(&file(&wrong[..2])));
        assert!(!ok);
        assert!(
            stderr.contains("deposits.csv:3: amount: 结息123.45与按每日余额计算的121.67不符"),
            "{stderr}"
        );
        let mut later = history.to_vec();
        later[4] = "5300001,2099-03-02,转入,,,,1824.00,12345.67";
        let (ok, _, stderr) = import_with(&url, &key_file, &members, &loans, Some(&file(&later)));
        assert!(!ok);
        assert!(
            stderr.contains("deposits.csv:6: date: 2099-03-02 is after today"),
            "{stderr}"
        );
        assert_eq!(count().await, 0);

        let (ok, stdout, stderr) =
            import_with(&url, &key_file, &members, &loans, Some(&file(&history)));
        assert!(ok, "{stderr}");
        assert!(stdout.contains(", 5 deposit row(s)"), "{stdout}");
        let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT seq, kind, period, balance_after_fen FROM fund_transactions \
             WHERE personal_account = '5300001' ORDER BY seq",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(
            (rows[0].1.as_str(), rows[2].2.as_deref()),
            ("opening", Some("201801"))
        );
        assert_eq!(rows[4], (5, "transfer_in".to_owned(), None, 1_234_567));
        let (base, unit, opened, paid): (i64, String, String, String) = sqlx::query_as(
            "SELECT deposit_base_fen, unit_rate, opened_on, paid_through FROM members WHERE personal_account = '5300001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            (base, unit.as_str(), opened.as_str(), paid.as_str()),
            (500_000, "12", "2015-03-01", "201802")
        );

        // The next file adds to the history: its first row follows the last one held.
        let members = format!(
            "{MEMBERS_HEADER}\n5300001,褚一,{},13904318001,3002,公司一一一一,normal,13545.67,,,\n",
            id("22010219800101151")
        );
        let next = file(&["5300001,2018-03-15,汇缴,201803,600.00,600.00,1200.00,13545.67"]);
        let (ok, _, stderr) = import_with(&url, &key_file, &members, &loans, Some(&next));
        assert!(ok, "{stderr}");
        assert_eq!(count().await, 6);
        // The contribution columns, absent from this file, stay as recorded.
        let base: i64 = sqlx::query_scalar(
            "SELECT deposit_base_fen FROM members WHERE personal_account = '5300001'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(base, 500_000);
        db.close().await;
    }
}

/// `--properties`: who owns a house in the city, each row checked like a member's 证件号码, the
/// person's records replaced by the file's, the number sealed and found by its lookup.
#[tokio::test]
async fn property_records_are_checked_and_replace_a_persons_records() {
    for store in stores() {
        let url = fresh_database_url(store).await;
        let db = Db::connect(&url, 2).await.unwrap();
        let (key_file, key) = data_key();
        server::protect::prepare(&db, &key).await.unwrap();
        let members = format!("{MEMBERS_HEADER}\n");
        let loans = format!("{LOANS_HEADER}\n");
        let import = |properties: String| {
            import_files(
                &url,
                &key_file,
                &[
                    ("members", &members),
                    ("loans", &loans),
                    ("properties", &properties),
                ],
            )
        };
        let sun = id("22010219820707751");
        let zhou = id("22010219850310815");
        let records = |db: &Db, who: String| {
            let lookup = key.lookup(&who);
            let pool = db.pool.clone();
            async move {
                let mut rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT id_number, address FROM property_records WHERE id_number_lookup = $1",
                )
                .bind(lookup)
                .fetch_all(&pool)
                .await
                .unwrap();
                rows.sort();
                rows
            }
        };
        let (ok, _, stderr) = import(format!(
            "id_number,address\n220102198207077512,长春市1号\n{sun},\n{sun},长春市2号\n{sun},长春市2号\n"
        ));
        assert!(!ok);
        for expected in [
            "properties.csv:2: id_number: 证件号码校验位不正确，请核对",
            "properties.csv:3: address: required, at most 100 characters",
            "properties.csv:5: address: 长春市2号 appears twice for this person",
        ] {
            assert!(stderr.contains(expected), "{expected}\n{stderr}");
        }
        assert!(records(&db, sun.clone()).await.is_empty());

        let (ok, stdout, stderr) = import(format!(
            "id_number,address\n{sun},长春市南关区人民大街100号\n{sun},长春市朝阳区2号\n{zhou},长春市绿园区3号\n"
        ));
        assert!(ok, "{stderr}");
        assert!(stdout.contains(", 3 property record(s)"), "{stdout}");
        let held = records(&db, sun.clone()).await;
        assert_eq!(held.len(), 2);
        assert_eq!(key.open(&held[0].0).unwrap(), sun);
        // 孙八 sold one: the next file lists one, and only it remains; 周九's are untouched.
        let (ok, _, stderr) = import(format!("id_number,address\n{sun},长春市朝阳区2号\n"));
        assert!(ok, "{stderr}");
        let held: Vec<String> = records(&db, sun.clone())
            .await
            .into_iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(held, ["长春市朝阳区2号"]);
        assert_eq!(records(&db, zhou.clone()).await.len(), 1);
        db.close().await;
    }
}
