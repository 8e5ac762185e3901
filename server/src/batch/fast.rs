//! A loan application executed in one round trip: the run is bound by round trips (a statement
//! costs ~80 µs of thread hand-off on SQLite, a network round trip on PostgreSQL), and 100 000
//! reservations must run in a minute. One transaction still: an SQLite script between `BEGIN
//! IMMEDIATE` and `COMMIT`, or one PostgreSQL statement of chained data-modifying CTEs. The loan
//! is updated only if its version is the one computed on and the application is still open; the
//! application is closed only if the loan was; the transaction row is written only if both were.
//! On SQLite the script holds the one write lock throughout, so a 撤销 comes wholly before or
//! after it; on PostgreSQL the statement locks the loan row and claims the application before it
//! moves the loan (see [`POSTGRES`]).
//! Both are prepared once per connection, with parameters. Neither reads `loan_transactions`:
//! the transaction's number comes with the page. (A subquery there was planned once, generically,
//! while the table was nearly empty, as a scan of it; each execution then scanned every row
//! written so far, and the run slowed from 4 000/s to a few hundred until autovacuum re-analyzed.)

use super::execute::{fen, Change};
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate};
use sqlx::{AnyConnection, Row};

/// SQLite: a script, its statements sharing the parameters (`$n` names one argument
/// wherever it appears); `changes()` is the rows of the previous statement.
/// Whether *this* script closed the application is kept in a temporary table of the connection:
/// reading the application afterwards would also count one another run closed in the same second
/// (two `hpf batch` at once reported 5,004 done each for 5,004 applications).
const SQLITE: &str = "CREATE TEMP TABLE IF NOT EXISTS batch_closed (n INTEGER); DELETE FROM batch_closed; \
    BEGIN IMMEDIATE; \
    UPDATE loans SET balance_fen = $1, remaining_periods = $2, monthly_payment_fen = $3, maturity_date = $4, \
    status = $5, version = version + 1, updated_at = $6 WHERE borrower_no = $7 AND version = $8 AND \
    EXISTS (SELECT 1 FROM applications WHERE application_no = $9 AND status IN ('reserved', 'accepted')); \
    UPDATE applications SET status = 'done', reason = NULL, open_slot = NULL, closed_at = $10 \
    WHERE application_no = $9 AND status IN ('reserved', 'accepted') AND changes() = 1; \
    INSERT INTO batch_closed SELECT changes(); \
    INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
    interest_fen, balance_after_fen) SELECT $11, $7, $18, $12, $13, $14, $15, $16, $1 \
    WHERE $17 AND (SELECT n FROM batch_closed) = 1; \
    COMMIT; \
    SELECT n FROM batch_closed";

/// PostgreSQL: one statement of chained data-modifying CTEs, in the order that serialises it
/// with a 撤销: the loan row is locked at the version computed on (`FOR UPDATE`, so nothing can
/// change it before the commit), then the application is claimed — an UPDATE, which waits for a
/// concurrent 撤销 and re-reads the row after it, so a cancelled application is not claimed —
/// and only a claimed application moves the loan and writes its transaction. (The loan used to be
/// updated first, on the statement's snapshot of the application, which a 撤销 committed
/// meanwhile did not change: the application then stayed 已撤销 and the loan moved anyway.) Should
/// a claimed application ever not move its loan, the final division by zero aborts the whole
/// statement: never one without the other.
const POSTGRES: &str = "WITH locked AS (SELECT 1 AS ok FROM loans WHERE borrower_no = $7 AND version = $8 \
    FOR UPDATE), \
    app AS (UPDATE applications SET status = 'done', reason = NULL, open_slot = NULL, closed_at = $10 \
    WHERE application_no = $9 AND status IN ('reserved', 'accepted') AND EXISTS (SELECT 1 FROM locked) \
    RETURNING 1 AS ok), \
    loan AS (UPDATE loans SET balance_fen = $1, remaining_periods = $2, \
    monthly_payment_fen = $3, maturity_date = $4, status = $5, version = version + 1, updated_at = $6 \
    WHERE borrower_no = $7 AND version = $8 AND EXISTS (SELECT 1 FROM app) RETURNING 1 AS ok), \
    txn AS (INSERT INTO loan_transactions (id, borrower_no, seq, txn_date, kind, amount_fen, principal_fen, \
    interest_fen, balance_after_fen) SELECT $11::TEXT, $7::TEXT, $18::BIGINT, $12::TEXT, $13::TEXT, $14::BIGINT, $15::BIGINT, \
    $16::BIGINT, $1::BIGINT WHERE $17 AND EXISTS (SELECT 1 FROM loan) RETURNING 1 AS ok) \
    SELECT (SELECT COUNT(*) FROM loan) / CASE WHEN (SELECT COUNT(*) FROM app) = (SELECT COUNT(*) FROM loan) \
    THEN 1 ELSE 0 END AS n";

/// `true` if the application was executed; `false` if its loan or status had changed.
pub async fn execute(
    conn: &mut AnyConnection,
    change: &Change,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
    application_no: &str,
) -> Result<bool> {
    let Change::Loan {
        borrower_no,
        version,
        after,
        transaction,
        fund: None,
    } = change
    else {
        return Err(Error::Internal(
            "the fast path is for loans paid without the fund".into(),
        ));
    };
    let sqlite = conn.backend_name().eq_ignore_ascii_case("sqlite");
    let (seq, kind, amount, principal, interest) = match transaction {
        Some(t) => (
            t.seq,
            t.kind,
            fen(t.amount)?,
            fen(t.principal)?,
            fen(t.interest)?,
        ),
        None => (0, "prepayment", 0, 0, 0),
    };
    let answer = sqlx::query(if sqlite { SQLITE } else { POSTGRES })
        .bind(fen(after.balance)?)
        .bind(i64::from(after.remaining_periods))
        .bind(fen(after.monthly_payment)?)
        .bind(after.maturity_date.to_string())
        .bind(match after.status {
            shared::loan::LoanStatus::Settled => "settled",
            shared::loan::LoanStatus::Normal => "normal",
        })
        .bind(now.to_rfc3339())
        .bind(borrower_no.as_str())
        .bind(*version)
        .bind(application_no)
        .bind(now.timestamp())
        .bind(format!("app-{application_no}"))
        .bind(date.to_string())
        .bind(kind)
        .bind(amount)
        .bind(principal)
        .bind(interest)
        .bind(transaction.is_some())
        .bind(seq)
        .fetch_all(&mut *conn)
        .await;
    match answer {
        Ok(rows) => match rows.last() {
            Some(row) => Ok(row.try_get::<i64, _>("n")? == 1),
            None => Ok(false),
        },
        Err(error) => {
            if sqlite {
                // The script stopped inside its transaction: end it.
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            }
            Err(error.into())
        }
    }
}
