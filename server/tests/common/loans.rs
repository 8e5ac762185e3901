//! Helpers of the loan tests: a logged-in 佟一, the engine's view of a loan, what a browser sends.
#![allow(dead_code)]

use super::citizen::{Citizen, PASSWORD};
use super::{spawn_app, Options, Store, TestApp};
use serde_json::{json, Value};
use server::account::AccountConfig;
use shared::loan::trial::{prepayment, PrepaymentRequest};
use shared::loan::{AdjustMode, Loan};
use shared::policy::Policy;

pub async fn app(store: Store, clock: &'static str, policy: Policy) -> TestApp {
    spawn_app(
        store,
        Options {
            clock: Some(clock),
            policy,
            accounts: AccountConfig {
                test_hooks: true,
                // All test traffic comes from 127.0.0.1: as many 附加码 as the test needs.
                captchas_per_minute: u32::MAX,
                ..AccountConfig::default()
            },
            ..Options::default()
        },
    )
    .await
}

pub async fn logged_in<'a>(app: &'a TestApp, who: Value) -> Citizen<'a> {
    let citizen = Citizen::new(app);
    let (status, body) = citizen.register(&who, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = citizen
        .login(who["phone"].as_str().unwrap(), PASSWORD)
        .await;
    assert_eq!(status, 200, "{body}");
    citizen
}

pub async fn engine_loan(citizen: &Citizen<'_>, borrower_no: &str) -> Loan {
    let (status, detail) = citizen.get(&format!("/api/loans/{borrower_no}")).await;
    assert_eq!(status, 200, "{detail}");
    serde_json::from_value(detail["engine"].clone()).unwrap()
}

pub fn key(n: usize) -> String {
    format!("test-idempotency-key-{n:08}")
}

/// What the browser would send: the inputs and the figures `shared` computed for them.
pub fn prepayment_body(
    loan: &Loan,
    date: &str,
    amount: &str,
    mode: AdjustMode,
    key: String,
) -> Value {
    let request = PrepaymentRequest::parse(loan, date, amount, mode, None).unwrap();
    let shown = prepayment(loan, &request).unwrap();
    json!({"date": date, "amount": amount, "mode": mode, "shown": shown, "idempotency_key": key})
}

/// A pre-registered demo person (钱二, 郑三, 周九, 吴十) logged in.
pub async fn demo_login<'a>(app: &'a TestApp, phone: &str) -> Citizen<'a> {
    let citizen = Citizen::new(app);
    let (status, body) = citizen.login(phone, server::demo::DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    citizen
}

/// A demo person by name, phone and ID, as registration needs.
pub fn person(name: &str, id_number: &str, phone: &str) -> Value {
    serde_json::json!({"name": name, "id_type": "id_card", "id_number": id_number, "phone": phone})
}

pub const QIAN_ER: &str = "13904310010";
pub const ZHOU_JIU: &str = "13904310008";

/// 佟一's 部分提前还本 of the seed — 10 000 on 20180109, 还款额下降 — reserved; its answer.
pub async fn reserve_seed_prepayment(citizen: &Citizen<'_>, key: String) -> Value {
    let loan = engine_loan(citizen, "2015000211").await;
    let body = prepayment_body(&loan, "20180109", "10000", AdjustMode::LowerPayment, key);
    let (status, answer) = citizen
        .post("/api/loans/2015000211/prepayment", &body)
        .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// 周九 (等额本金) logged in, his 调整月还款额 to 120 periods reserved: his borrower number, the
/// answer, and the trial as shown.
pub async fn reserve_zhou_adjustment(
    app: &TestApp,
    policy: &Policy,
    key: String,
) -> (String, Value, shared::loan::AdjustTermTrial) {
    let zhou = demo_login(app, ZHOU_JIU).await;
    let (_, list) = zhou.get("/api/loans").await;
    let borrower_no = list["loans"][0]["borrower_no"].as_str().unwrap().to_owned();
    let loan = engine_loan(&zhou, &borrower_no).await;
    let shown = shared::loan::trial::adjust_term(&loan, 120, policy).unwrap();
    let (status, answer) = zhou
        .post(
            &format!("/api/loans/{borrower_no}/adjust-term"),
            &json!({"new_remaining_periods": 120, "shown": shown, "idempotency_key": key}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    (borrower_no, answer, shown)
}

/// `n` copies of 佟一's loan 2015000211, all his (borrower numbers `{prefix}` + eight digits), and,
/// with `reservation`, a copy of that application on each: their (application number, borrower
/// number) — many loans with an open reservation each, without a login per loan.
pub async fn copies_of_seed_loan(
    app: &TestApp,
    prefix: &str,
    n: usize,
    reservation: Option<&str>,
) -> Vec<(String, String)> {
    let mut copies = Vec::new();
    for i in 0..n {
        let borrower_no = format!("{prefix}{i:08}");
        server::demo::twin::copy_loan(&app.db.pool, "2015000211", &borrower_no, "3816301")
            .await
            .unwrap();
        let application_no = match reservation {
            None => String::new(),
            Some(first) => {
                let application_no = format!("{prefix}{i:08}");
                sqlx::query(
                    "INSERT INTO applications (application_no, personal_account, borrower_no, kind, status, \
                     submitted_at, effective_date, amount_fen, request_json, figures_json, idempotency_key, \
                     open_slot, reason, answer_json) \
                     SELECT $1, personal_account, $2, kind, status, submitted_at, effective_date, amount_fen, \
                     request_json, figures_json, $3, $4, reason, answer_json FROM applications \
                     WHERE application_no = $5",
                )
                .bind(&application_no)
                .bind(&borrower_no)
                .bind(format!("copy-{prefix}-{i}"))
                .bind(format!("loan:{borrower_no}"))
                .bind(first)
                .execute(&app.db.pool)
                .await
                .unwrap();
                application_no
            }
        };
        copies.push((application_no, borrower_no));
    }
    copies
}
