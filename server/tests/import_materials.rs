//! `hpf import --materials` on SQLite and PostgreSQL: the back office's 提取材料, each row checked
//! (and every bad row named), put in place by number — added, or its 剩余额度 and 材料状态
//! replaced — and refused whole when a number belongs to another member.

mod common;

use common::import::{data_key, id, import_files, LOANS_HEADER, MEMBERS_HEADER};
use common::{fresh_database_url, stores};
use server::db::Db;

const HEADER: &str = "material_no,personal_account,reason,address,limit,remaining,status";

#[tokio::test]
async fn materials_are_checked_added_and_updated_by_number() {
    for store in stores() {
        let url = fresh_database_url(store).await;
        let db = Db::connect(&url, 2).await.unwrap();
        let (key_file, key) = data_key();
        server::protect::prepare(&db, &key).await.unwrap();
        let members = format!(
            "{MEMBERS_HEADER}\n5300001,褚一,{},13904318001,3002,公司一一一一,normal,13545.67,,,\n\
             5300002,卫二,{},13904318002,3002,公司一一一一,normal,2000.00,,,\n",
            id("22010219800101001"),
            id("22010219800101002")
        );
        let loans = format!("{LOANS_HEADER}\n");
        let import = |materials: String| {
            import_files(
                &url,
                &key_file,
                &[
                    ("members", &members),
                    ("loans", &loans),
                    ("materials", &materials),
                ],
            )
        };
        let (ok, _, stderr) = import(format!(
            "{HEADER}\n2200101000180000001,5300001,购买自住住房,长春市1号,1000,1000,有效\n\
             22001010001800000101,5300001,买车,长春市1号,1000,1000,有效\n\
             22001010001800000102,5300001,购买自住住房,长春市1号,1000,1200,有效\n\
             22001010001800000103,9999999,购买自住住房,长春市1号,1000,1000,有效\n\
             22001010001800000104,5300001,购买自住住房,长春市1号,1000,1000,待定\n\
             22001010001800000105,5300001,购买自住住房,长春市1号,1000,500,有效\n\
             22001010001800000105,5300001,购买自住住房,长春市1号,1000,500,有效\n"
        ));
        assert!(!ok);
        for expected in [
            "materials.csv:2: material_no: 20 digits (提取材料编号)",
            "materials.csv:3: reason: one of",
            "materials.csv:4: remaining: at most the limit",
            "materials.csv:5: personal_account: unknown member 9999999",
            "materials.csv:6: status: 有效 or 失效, not '待定'",
            "materials.csv:8: material_no: 22001010001800000105 appears twice",
        ] {
            assert!(stderr.contains(expected), "{expected}\n{stderr}");
        }
        let held = |db: &Db| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_as::<_, (String, i64, String)>(
                    "SELECT material_no, remaining_fen, status FROM withdrawal_materials ORDER BY material_no",
                )
                .fetch_all(&pool)
                .await
                .unwrap()
            }
        };
        assert!(held(&db).await.is_empty(), "a bad file imports nothing");

        let (ok, stdout, stderr) = import(format!(
            "{HEADER}\n22001010001800000105,5300001,购买自住住房,长春市南关区人民大街88号,200000,200000,有效\n\
             22001010001800000106,5300002,建造、翻建、大修自住住房,长春市绿园区3号,50000,12000.50,valid\n"
        ));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("and 2 material(s)"), "{stdout}");
        // The back office found the first one wrong: made 失效, its remaining lowered.
        let (ok, _, stderr) = import(format!(
            "{HEADER}\n22001010001800000105,5300001,购买自住住房,长春市南关区人民大街88号,200000,150000,失效\n"
        ));
        assert!(ok, "{stderr}");
        assert_eq!(
            held(&db).await,
            [
                (
                    "22001010001800000105".to_owned(),
                    15_000_000,
                    "invalid".to_owned()
                ),
                (
                    "22001010001800000106".to_owned(),
                    1_200_050,
                    "valid".to_owned()
                ),
            ]
        );
        // A number held by another member: the whole file is refused, nothing changes.
        let (ok, _, stderr) = import(format!(
            "{HEADER}\n22001010001800000107,5300002,购买自住住房,长春市1号,1000,1000,有效\n\
             22001010001800000105,5300002,购买自住住房,长春市1号,1000,1000,有效\n"
        ));
        assert!(!ok);
        assert!(stderr.contains("belongs to member 5300001"), "{stderr}");
        assert_eq!(held(&db).await.len(), 2);
        db.close().await;
    }
}
