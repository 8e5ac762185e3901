//! 购房提取, 租房提取 and 偿还贷款提取（按年） through real HTTP and the real end-of-day run, on
//! SQLite and PostgreSQL: each refusal in the page's own sentence (the page computes it from the
//! facts the server sends, with the same `shared` function), the amount re-checked by the server,
//! one open withdrawal per member even when submissions race, the run paying (balance, 缴存明细,
//! the material's 剩余额度) or refusing with the reason what no longer holds.

mod common;

use common::batch::{batch, count, status_of};
use common::citizen::Citizen;
use common::loans::{app, demo_login, key, logged_in, person};
use common::{stores, TestApp};
use serde_json::{json, Value};
use shared::policy::Policy;
use shared::withdrawal::housing::{allowance_for, Business, HousingFacts, HousingPolicy};
use shared::withdrawal::Material;

const TEN: &str = "2018-01-05T10:00:00+08:00";

fn feng_qi() -> Value {
    person("冯七", "220102197803121510", "13904310001")
}

fn tong_yi() -> Value {
    person("佟一", "220102198005202134", "13904310002")
}

/// The refusal the page shows for `business` (on `material`), computed as the page does: from
/// the facts of `GET /api/withdrawal` with `shared`'s rules.
fn page_says(home: &Value, business: Business, material: Option<&str>) -> Result<String, String> {
    let facts: HousingFacts = serde_json::from_value(home["housing"].clone()).unwrap();
    let policy: HousingPolicy = serde_json::from_value(home["housing_policy"].clone()).unwrap();
    let materials: Vec<Material> = serde_json::from_value(home["materials"].clone()).unwrap();
    let material = material.map(|no| materials.iter().find(|m| m.material_no == no).unwrap());
    match allowance_for(business, material, &facts, &policy) {
        Ok(a) => Ok(a.max.to_string()),
        Err(errors) => Err(shared::withdrawal::housing::why_not(&errors)),
    }
}

async fn submit(
    citizen: &Citizen<'_>,
    business: &str,
    material: Option<&str>,
    amount: &str,
    n: usize,
) -> (u16, Value) {
    citizen
        .post(
            "/api/withdrawal/housing",
            &json!({"business": business, "material_no": material, "amount": amount,
                    "idempotency_key": key(n)}),
        )
        .await
}

async fn balance_fen(app: &TestApp, account: &str) -> i64 {
    count(
        app,
        &format!("SELECT balance_fen FROM members WHERE personal_account = '{account}'"),
    )
    .await
}

#[tokio::test]
async fn a_purchase_draws_on_the_material_and_the_run_lowers_its_quota() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = logged_in(&app, feng_qi()).await;
        let (status, home) = citizen.get("/api/withdrawal").await;
        assert_eq!(status, 200, "{home}");
        let material = "22001010001800000001";
        // 24,902.73 in the account, 2,365,897.00 on the seed's material: the balance binds.
        assert_eq!(
            page_says(&home, Business::Purchase, Some(material)),
            Ok("24902.73".into())
        );
        let (status, over) = submit(&citizen, "purchase", Some(material), "24902.74", 1).await;
        assert_eq!(status, 422, "{over}");
        assert_eq!(over["field"], "amount");
        assert_eq!(over["message"], "提取金额不能超过可提取金额24,902.73元");
        let (status, accepted) = submit(&citizen, "purchase", Some(material), "10,000.00", 2).await;
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(
            (accepted["status"].as_str(), accepted["title"].as_str()),
            (Some("accepted"), Some("购房提取"))
        );
        assert_eq!(accepted["amount"], "10000.00");
        // One open withdrawal per member, whichever business.
        let (status, second) = submit(&citizen, "rent", None, "100", 3).await;
        assert_eq!(
            (status, second["code"].as_str()),
            (409, Some("application_open"))
        );

        let report = batch(&app, &Policy::default(), "2018-01-05").await;
        assert_eq!(report.done, 1, "{report:?}");
        let no = accepted["application_no"].as_str().unwrap();
        assert_eq!(status_of(&app, no).await.0, "done");
        assert_eq!(balance_fen(&app, "3934081").await, 1_490_273);
        let remaining = count(
            &app,
            &format!(
                "SELECT remaining_fen FROM withdrawal_materials WHERE material_no = '{material}'"
            ),
        )
        .await;
        assert_eq!(remaining, 235_589_700);
        // The 缴存明细 ends with the 提取 and at the balance.
        let (status, entries) = citizen.get("/api/fund/entries?year=2018").await;
        assert_eq!(status, 200, "{entries}");
        let first = &entries["entries"][0];
        assert_eq!(
            (
                first["kind"].as_str(),
                first["amount"].as_str(),
                first["balance"].as_str()
            ),
            (Some("withdrawal"), Some("10000.00"), Some("14902.73")),
            "{entries}"
        );
        // 业务进度查询 and the receipt name the business, the reason and the material.
        let (_, progress) = citizen.get(&format!("/api/progress/{no}")).await;
        assert_eq!(progress["title"], "购房提取");
        assert_eq!(progress["status"], "done");
        let figures: Vec<(String, String)> =
            serde_json::from_value(progress["figures"].clone()).unwrap();
        assert_eq!(
            figures[..3],
            [
                ("提取原因".to_owned(), "购买自住住房".to_owned()),
                ("提取材料编号".to_owned(), material.to_owned()),
                ("提取金额".to_owned(), "10,000.00".to_owned()),
            ]
        );
    }
}

#[tokio::test]
async fn a_material_drawn_to_nothing_is_used_up_and_cannot_be_chosen() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let citizen = logged_in(&app, feng_qi()).await;
        let (status, added) = citizen
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "建造、翻建、大修自住住房", "address": "长春市南关区人民大街88号",
                        "limit": "3000", "idempotency_key": key(1)}),
            )
            .await;
        assert_eq!(status, 200, "{added}");
        let no = added["material_no"].as_str().unwrap().to_owned();
        let (status, accepted) = submit(&citizen, "purchase", Some(&no), "3000", 2).await;
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(accepted["title"], "建造、翻建、大修自住住房提取");
        assert_eq!(batch(&app, &Policy::default(), "2018-01-05").await.done, 1);
        let (_, home) = citizen.get("/api/withdrawal").await;
        let row = home["materials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["material_no"] == no.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (row["remaining"].as_str(), row["status"].as_str()),
            (Some("0.00"), Some("已用完"))
        );
        let says = page_says(&home, Business::Purchase, Some(&no)).unwrap_err();
        assert_eq!(says, "所选提取材料的剩余额度已用完。");
        let (status, refused) = submit(&citizen, "purchase", Some(&no), "1", 3).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("material_used_up"))
        );
        assert_eq!(refused["message"], format!("不符合购房提取条件：{says}"));
        assert_eq!(balance_fen(&app, "3934081").await, 2_490_273 - 300_000);
    }
}

/// Every refusal, each from a demo person who shows it: the server's message is the page's own
/// sentence, and nothing is stored.
#[tokio::test]
async fn each_refusal_is_the_pages_sentence_and_changes_nothing() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let cases: Vec<(Value, &str, Option<&str>, &str, &str)> = vec![
            // 佟一 repays an HPF loan: no 租房提取.
            (tong_yi(), "rent", None, "open_loan", "有未结清的住房公积金贷款，不能办理租房提取"),
            // …and his earlier materials are 失效 and 已用完.
            (tong_yi(), "purchase", Some("22001010001700000007"), "material_invalid", "所选提取材料不是有效状态"),
            (tong_yi(), "purchase", Some("22001010001700000012"), "material_used_up", "剩余额度已用完"),
            // 李梅 owns a house in the city (the record's address masked).
            (
                person("李梅", "220102196106154224", "13904310004"),
                "rent", None, "owns_property",
                "本市有登记在您名下的住房（长春市朝阳区****），不能办理租房提取",
            ),
            // 赵六's account is sealed and has had no deposits for a year.
            (
                person("赵六", "220102196009015310", "13904310005"),
                "rent", None, "account_not_normal",
                "账户状态须为正常（当前为封存）；须连续缴存满3个月，2017年10月、2017年11月、2017年12月没有缴存记录",
            ),
            // 冯七 has no HPF loan to repay.
            (feng_qi(), "repayment", None, "no_open_loan", "没有正常还款中的本人住房公积金贷款"),
            // 孙八's loan has an installment in arrears.
            (
                person("孙八", "220102198207077511", "13904310007"),
                "repayment", None, "loan_in_arrears", "贷款有逾期未还金额",
            ),
        ];
        let mut citizens: Vec<(String, Citizen)> = Vec::new();
        for (who, business, material, code, text) in cases {
            let name = who["name"].as_str().unwrap().to_owned();
            // Each person registers once (the cases of one person follow each other).
            if citizens.last().is_none_or(|(last, _)| *last != name) {
                citizens.push((name.clone(), logged_in(&app, who).await));
            }
            let citizen = &citizens.last().unwrap().1;
            let (_, home) = citizen.get("/api/withdrawal").await;
            let kind: Business = serde_json::from_value(json!(business)).unwrap();
            let says = page_says(&home, kind, material).unwrap_err();
            assert!(says.contains(text), "{name}: {says}");
            let (status, refused) = submit(citizen, business, material, "100", 1).await;
            assert_eq!(
                (status, refused["code"].as_str()),
                (422, Some(code)),
                "{name}: {refused}"
            );
            assert_eq!(
                refused["message"],
                format!("不符合{}条件：{says}", kind.label()),
                "{name}"
            );
        }
        // 吴十's loan is 结清 and he has no card for the money.
        let wu = demo_login(&app, "13904310009").await;
        let (_, home) = wu.get("/api/withdrawal").await;
        assert_eq!(
            page_says(&home, Business::Repayment, None).unwrap_err(),
            "没有正常还款中的本人住房公积金贷款；未关联本人名下正常储蓄卡，提取款项无法转入。"
        );
        // A material of someone else's is not found, whatever the browser sends.
        let feng = &citizens.iter().find(|(name, _)| name == "冯七").unwrap().1;
        let (status, refused) =
            submit(feng, "purchase", Some("22001010001700000007"), "1", 9).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some("material_no"))
        );
        let (status, refused) = submit(feng, "retirement", None, "1", 10).await;
        assert_eq!((status, refused["field"].as_str()), (422, Some("business")));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 0);
    }
}

#[tokio::test]
async fn rent_is_once_a_quarter_and_repayment_once_in_twelve_months() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let feng = logged_in(&app, feng_qi()).await;
        let (_, home) = feng.get("/api/withdrawal").await;
        // 3 × 1,500.00 binds before the balance.
        assert_eq!(page_says(&home, Business::Rent, None), Ok("4500".into()));
        let (status, accepted) = submit(&feng, "rent", None, "4500", 1).await;
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(accepted["title"], "租房提取");
        let tong = logged_in(&app, tong_yi()).await;
        let (_, home) = tong.get("/api/withdrawal").await;
        // 佟一: 12 installments of 3,362.48 in the last 12 months (40,349.76), the loan's
        // 646,609.84, the fund's 35,218.60 — the fund binds.
        assert_eq!(home["housing"]["loan"]["paid_last_12_months"], "40349.76");
        assert_eq!(
            page_says(&home, Business::Repayment, None),
            Ok("35218.60".into())
        );
        let (status, repaid) = submit(&tong, "repayment", None, "30000", 2).await;
        assert_eq!(status, 200, "{repaid}");
        assert_eq!(repaid["title"], "偿还贷款提取（按年）");
        assert_eq!(batch(&app, &Policy::default(), "2018-01-05").await.done, 2);
        assert_eq!(balance_fen(&app, "3934081").await, 2_490_273 - 450_000);
        assert_eq!(balance_fen(&app, "3816301").await, 3_521_860 - 3_000_000);

        let (_, home) = feng.get("/api/withdrawal").await;
        let says = page_says(&home, Business::Rent, None).unwrap_err();
        assert_eq!(
            says,
            "本季度（第1季度）已办理租房提取4,500.00元，每季度限提取一次。"
        );
        let (status, refused) = submit(&feng, "rent", None, "100", 3).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("drawn_this_quarter"))
        );
        let (_, home) = tong.get("/api/withdrawal").await;
        let says = page_says(&home, Business::Repayment, None).unwrap_err();
        assert_eq!(
            says,
            "20180105已办理偿还贷款提取，每12个月限一次，20190105起可再次办理。"
        );
        let (status, refused) = submit(&tong, "repayment", None, "100", 4).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("drawn_this_year"))
        );
    }
}

/// Between 提交 and the end of the day the fund's records change: the run decides on what it
/// reads, refuses with the reason, and pays nothing.
#[tokio::test]
async fn the_run_refuses_what_no_longer_holds() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let feng = logged_in(&app, feng_qi()).await;
        let (_, rent) = submit(&feng, "rent", None, "4500", 1).await;
        // An import records a house of his in the city meanwhile.
        let key_ = app.key.clone();
        sqlx::query(
            "INSERT INTO property_records (id_number_lookup, id_number, address, imported_at) \
             VALUES ($1, $2, '长春市南关区解放大路1号', '2018-01-05')",
        )
        .bind(key_.lookup("220102197803121510"))
        .bind(key_.seal("220102197803121510"))
        .execute(&app.db.pool)
        .await
        .unwrap();
        let tong = logged_in(&app, tong_yi()).await;
        // 佟一 adds a material and draws 10,000 on it; the back office lowers it to 5,000.
        let (_, added) = tong
            .post(
                "/api/withdrawal/materials",
                &json!({"reason": "购买自住住房", "address": "长春市南关区人民大街88号",
                        "limit": "20000", "idempotency_key": key(2)}),
            )
            .await;
        let no = added["material_no"].as_str().unwrap();
        let (status, purchase) = submit(&tong, "purchase", Some(no), "10000", 3).await;
        assert_eq!(status, 200, "{purchase}");
        sqlx::query(
            "UPDATE withdrawal_materials SET remaining_fen = 500000 WHERE material_no = $1",
        )
        .bind(no)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let report = batch(&app, &Policy::default(), "2018-01-05").await;
        assert_eq!((report.done, report.rejected), (0, 2), "{report:?}");
        let (status, reason) = status_of(&app, rent["application_no"].as_str().unwrap()).await;
        assert_eq!(status, "rejected");
        assert_eq!(
            reason.as_deref(),
            Some("不符合租房提取条件：本市有登记在您名下的住房（长春市南关区****），不能办理租房提取，提取未执行")
        );
        let (_, reason) = status_of(&app, purchase["application_no"].as_str().unwrap()).await;
        assert_eq!(
            reason.as_deref(),
            Some("可提取金额已变为5,000.00元，少于申请的10,000.00元，提取未执行")
        );
        assert_eq!(balance_fen(&app, "3934081").await, 2_490_273);
        assert_eq!(balance_fen(&app, "3816301").await, 3_521_860);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM fund_transactions WHERE application_no IS NOT NULL"
            )
            .await,
            0
        );
    }
}

/// Eight submissions of one member at the same moment, different keys and businesses: one is
/// accepted, the others are told one is open; never a 500.
#[tokio::test]
async fn racing_submissions_leave_one_open_withdrawal() {
    for store in stores() {
        let app = app(store, TEN, Policy::default()).await;
        let feng = logged_in(&app, feng_qi()).await;
        let mut racing = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (http, url) = (feng.http.clone(), app.url("/api/withdrawal/housing"));
            let body = if i % 2 == 0 {
                json!({"business": "rent", "amount": "4500", "idempotency_key": key(20 + i)})
            } else {
                json!({"business": "purchase", "material_no": "22001010001800000001",
                       "amount": "1000", "idempotency_key": key(20 + i)})
            };
            racing.spawn(async move {
                let response = http
                    .post(url)
                    .header("x-hpf-csrf", "1")
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, body["code"].as_str().unwrap_or("").to_owned())
            });
        }
        let mut answers = Vec::new();
        while let Some(answer) = racing.join_next().await {
            answers.push(answer.unwrap());
        }
        let accepted = answers.iter().filter(|(s, _)| *s == 200).count();
        let open = answers
            .iter()
            .filter(|(s, c)| *s == 409 && c == "application_open")
            .count();
        assert_eq!((accepted, open), (1, 7), "{answers:?}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 1);
    }
}
