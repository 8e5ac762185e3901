//! Demo data (`hpf serve --demo`): the seed manual's people and figures — 冯七 and his withdrawal
//! material, 佟一 and loan 2015000211 — plus a few more so that every business has a success and a
//! refusal case. Idempotent: rows that exist are left as they are.

mod accounts;
mod fund;
mod history;
mod people;
pub mod twin;

pub use accounts::DEMO_PASSWORD;

use crate::db::Db;
use chrono::NaiveDate;
use people::MEMBERS;
use rust_decimal::Decimal;
use shared::account::IdNumber;
use shared::loan::amortization::{equal_installment, equal_principal, monthly_rate, schedule};
use shared::loan::RepaymentMethod;
use shared::money::to_fen;

/// A loan whose current figures are given as the seed prints them.
struct SeedLoan {
    borrower_no: &'static str,
    personal_account: &'static str,
    disbursement: &'static str,
    amount: &'static str,
    term: u32,
    balance: &'static str,
    rate: &'static str,
    due_day: u32,
    remaining: u32,
    monthly_payment: &'static str,
    last_due: &'static str,
    maturity: &'static str,
    address: &'static str,
    card: (&'static str, &'static str),
}

const SEED_LOAN: SeedLoan = SeedLoan {
    borrower_no: "2015000211",
    personal_account: "3816301",
    disbursement: "2015-08-28",
    amount: "690000",
    term: 300,
    balance: "646609.84",
    rate: "3.25",
    due_day: 28,
    remaining: 272,
    monthly_payment: "3362.48",
    last_due: "2017-12-28",
    maturity: "2040-08-28",
    address: "建行9999号",
    card: ("建行", "6217001234561716"),
};

/// A loan made up for the demo: its figures are computed by the engine from the original terms and
/// the number of installments paid, so they are consistent to the fen.
struct DerivedLoan {
    borrower_no: &'static str,
    personal_account: &'static str,
    method: RepaymentMethod,
    disbursement: &'static str,
    amount: &'static str,
    term: u32,
    rate: &'static str,
    paid: u32,
    /// Installments due but unpaid, after `paid`.
    in_arrears: u32,
    settled: bool,
    address: &'static str,
    card: (&'static str, &'static str),
}

const DERIVED_LOANS: &[DerivedLoan] = &[
    DerivedLoan {
        borrower_no: "2016000305",
        personal_account: "3816302",
        method: RepaymentMethod::EqualInstallment,
        disbursement: "2016-03-15",
        amount: "300000",
        term: 240,
        rate: "3.25",
        paid: 20,
        in_arrears: 1,
        settled: false,
        address: "长春市南关区人民大街100号",
        card: ("建行", "6217001234562345"),
    },
    DerivedLoan {
        borrower_no: "2017000120",
        personal_account: "3816303",
        method: RepaymentMethod::EqualPrincipal,
        disbursement: "2017-06-10",
        amount: "240000",
        term: 180,
        rate: "3.25",
        paid: 6,
        in_arrears: 0,
        settled: false,
        address: "长春市朝阳区西安大路88号",
        card: ("交行", "6222600012345678"),
    },
    DerivedLoan {
        borrower_no: "2012000088",
        personal_account: "3816304",
        method: RepaymentMethod::EqualInstallment,
        disbursement: "2012-05-20",
        amount: "150000",
        term: 120,
        rate: "4.50",
        paid: 60,
        in_arrears: 0,
        settled: true,
        address: "长春市绿园区青年路6号",
        card: ("中行", "6216610012349999"),
    },
];

fn fen(text: &str) -> i64 {
    text.parse::<Decimal>()
        .ok()
        .and_then(to_fen)
        .unwrap_or_default()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// The figures a loan row needs, as the back office would hold them.
struct LoanRow {
    borrower_no: String,
    personal_account: String,
    status: &'static str,
    disbursement: String,
    amount_fen: i64,
    term: i64,
    balance_fen: i64,
    rate: String,
    method: RepaymentMethod,
    due_day: i64,
    remaining: i64,
    monthly_payment_fen: i64,
    last_due: String,
    maturity: String,
    arrears_fen: i64,
    address: String,
    holder: String,
    card: (String, String),
}

fn derive(loan: &DerivedLoan, holder: &str) -> LoanRow {
    let disbursed = date(loan.disbursement);
    let amount: Decimal = loan.amount.parse().unwrap_or_default();
    let rate: Decimal = loan.rate.parse().unwrap_or_default();
    let i = monthly_rate(rate);
    let payment = match loan.method {
        RepaymentMethod::EqualInstallment => equal_installment(amount, i, loan.term),
        RepaymentMethod::EqualPrincipal => equal_principal(amount, loan.term),
    }
    .unwrap_or_default();
    let due_day = chrono::Datelike::day(&disbursed);
    let plan = schedule(
        loan.method,
        amount,
        i,
        loan.term,
        payment,
        disbursed,
        due_day,
    );
    let paid = plan.rows.get(loan.paid as usize - 1);
    let arrears: Decimal = plan
        .rows
        .iter()
        .skip(loan.paid as usize)
        .take(loan.in_arrears as usize)
        .map(|r| r.installment)
        .sum();
    let maturity = plan.rows.last().map(|r| r.due_date).unwrap_or(disbursed);
    LoanRow {
        borrower_no: loan.borrower_no.into(),
        personal_account: loan.personal_account.into(),
        status: if loan.settled { "settled" } else { "normal" },
        disbursement: loan.disbursement.into(),
        amount_fen: to_fen(amount).unwrap_or_default(),
        term: loan.term.into(),
        balance_fen: if loan.settled {
            0
        } else {
            paid.and_then(|r| to_fen(r.balance)).unwrap_or_default()
        },
        rate: loan.rate.into(),
        method: loan.method,
        due_day: due_day.into(),
        remaining: if loan.settled {
            0
        } else {
            (loan.term - loan.paid).into()
        },
        monthly_payment_fen: to_fen(payment).unwrap_or_default(),
        last_due: paid.map(|r| r.due_date.to_string()).unwrap_or_default(),
        maturity: maturity.to_string(),
        arrears_fen: to_fen(arrears).unwrap_or_default(),
        address: loan.address.into(),
        holder: holder.into(),
        card: (loan.card.0.into(), loan.card.1.into()),
    }
}

fn seed_row(loan: &SeedLoan) -> LoanRow {
    LoanRow {
        borrower_no: loan.borrower_no.into(),
        personal_account: loan.personal_account.into(),
        status: "normal",
        disbursement: loan.disbursement.into(),
        amount_fen: fen(loan.amount),
        term: loan.term.into(),
        balance_fen: fen(loan.balance),
        rate: loan.rate.into(),
        method: RepaymentMethod::EqualInstallment,
        due_day: loan.due_day.into(),
        remaining: loan.remaining.into(),
        monthly_payment_fen: fen(loan.monthly_payment),
        last_due: loan.last_due.into(),
        maturity: loan.maturity.into(),
        arrears_fen: 0,
        address: loan.address.into(),
        holder: "佟一".into(),
        card: (loan.card.0.into(), loan.card.1.into()),
    }
}

/// Inserts the demo rows that are not there yet.
pub async fn load(
    db: &Db,
    key: &crate::protect::DataKey,
    deposit_rates: &[shared::fund::DepositRate],
    now: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for m in MEMBERS {
        let id = IdNumber::parse(m.id_number, date("2018-01-05"))
            .map_err(|e| sqlx::Error::Protocol(format!("demo ID {}: {e}", m.id_number)))?;
        let gender = match id.gender() {
            shared::account::Gender::Male => "male",
            shared::account::Gender::Female => "female",
        };
        sqlx::query(
            "INSERT INTO members (personal_account, name, id_number, phone, gender, birth_date, unit_account, unit_name, \
             account_status, balance_fen, card_holder, card_bank, card_number, card_status, updated_at, \
             id_number_lookup, phone_lookup) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT DO NOTHING",
        )
        .bind(m.personal_account)
        .bind(m.name)
        .bind(key.seal(id.as_str()))
        .bind(key.seal(m.phone))
        .bind(gender)
        .bind(id.birth_date().to_string())
        .bind(m.unit.0)
        .bind(m.unit.1)
        .bind(m.status)
        .bind(fen(m.balance))
        .bind(m.card.map(|_| m.name))
        .bind(m.card.map(|c| c.0))
        .bind(m.card.map(|c| key.seal(c.1)))
        .bind(m.card.map(|c| c.2))
        .bind(now)
        .bind(key.lookup(id.as_str()))
        .bind(key.lookup(m.phone))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, remaining_fen, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind("22001010001800000001")
    .bind("3934081")
    .bind("购买自住住房")
    .bind("长春市浦东路与会展大街交汇")
    .bind(fen("2365897"))
    .bind(fen("2365897"))
    .bind("valid")
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // 佟一's earlier materials, which 选择 refuses: one 失效, one drawn to 0 (已用完).
    for (no, reason, address, limit, remaining, status) in [
        (
            "22001010001700000007",
            "购买自住住房",
            "长春市南关区人民大街与解放大路交汇",
            "300000",
            "300000",
            "invalid",
        ),
        (
            "22001010001700000012",
            "建造、翻建、大修自住住房",
            "长春市二道区东盛大街与吉林大路交汇",
            "50000",
            "0",
            "valid",
        ),
    ] {
        sqlx::query(
            "INSERT INTO withdrawal_materials (material_no, personal_account, reason, address, limit_fen, remaining_fen, status, created_at) \
             VALUES ($1, '3816301', $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(no)
        .bind(reason)
        .bind(address)
        .bind(fen(limit))
        .bind(fen(remaining))
        .bind(status)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    // 李梅 owns a house in the city: 租房提取 is refused with its address masked.
    let owner = "220102196106154224";
    sqlx::query(
        "INSERT INTO property_records (id_number_lookup, id_number, address, imported_at) \
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM property_records WHERE id_number_lookup = $1)",
    )
    .bind(key.lookup(owner))
    .bind(key.seal(owner))
    .bind("长春市朝阳区西民主大街88号3单元502室")
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let holder = |account: &str| {
        MEMBERS
            .iter()
            .find(|m| m.personal_account == account)
            .map_or("", |m| m.name)
    };
    let rows = std::iter::once(seed_row(&SEED_LOAN)).chain(
        DERIVED_LOANS
            .iter()
            .map(|l| derive(l, holder(l.personal_account))),
    );
    for loan in rows {
        let method = match loan.method {
            RepaymentMethod::EqualInstallment => "equal_installment",
            RepaymentMethod::EqualPrincipal => "equal_principal",
        };
        sqlx::query(
            "INSERT INTO loans (borrower_no, personal_account, status, disbursement_date, amount_fen, term_months, balance_fen, \
             loan_type, house_address, annual_rate, method, due_day, remaining_periods, monthly_payment_fen, last_due_date, \
             maturity_date, arrears_fen, repay_card_holder, repay_card_bank, repay_card_number, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
             ON CONFLICT DO NOTHING",
        )
        .bind(loan.borrower_no)
        .bind(loan.personal_account)
        .bind(loan.status)
        .bind(loan.disbursement)
        .bind(loan.amount_fen)
        .bind(loan.term)
        .bind(loan.balance_fen)
        .bind("公积金贷款")
        .bind(loan.address)
        .bind(loan.rate)
        .bind(method)
        .bind(loan.due_day)
        .bind(loan.remaining)
        .bind(loan.monthly_payment_fen)
        .bind(loan.last_due)
        .bind(loan.maturity)
        .bind(loan.arrears_fen)
        .bind(loan.holder)
        .bind(loan.card.0)
        .bind(key.seal(&loan.card.1))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    fund::load(&mut tx, deposit_rates).await?;
    tx.commit().await?;
    let demo_loans: Vec<&str> = std::iter::once(SEED_LOAN.borrower_no)
        .chain(DERIVED_LOANS.iter().map(|l| l.borrower_no))
        .collect();
    history::load_all(db, &demo_loans).await?;
    accounts::load(db, key).await
}
