//! The store: one set of portable queries and migrations over sqlx's `Any` driver, so the same SQL
//! (with `$1` placeholders, which SQLite accepts too) runs on the embedded SQLite file and on
//! PostgreSQL in production.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::sync::Arc;
use std::time::Duration;

mod read;
pub use read::{Columns, Param, SqliteReads};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite: the hot reads' own connections (`read_all`); `None` on PostgreSQL.
    pub reads: Option<Arc<SqliteReads>>,
}

/// A database URL with any password replaced, fit for a log line or an error message: the
/// `user:password@` part and a `password=` query parameter.
pub fn redact(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let query = query.map(|query| {
        let parameters: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=***"),
                _ => p.to_owned(),
            })
            .collect();
        format!("?{}", parameters.join("&"))
    });
    let base = redact_credentials(url);
    format!("{base}{}", query.unwrap_or_default())
}

fn redact_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Connects and brings the schema up to date. SQLite: the file is created on first run,
    /// WAL journal, foreign keys on, a busy timeout so concurrent writers wait instead of failing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, String> {
        install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            format!(
                "unsupported database URL '{}': use sqlite://FILE?mode=rwc or postgres://…",
                redact(url)
            )
        })?;
        let failed = |e: sqlx::Error| {
            format!(
                "cannot open the database {}: {} ({e})",
                redact(url),
                plain_reason(&e, url)
            )
        };
        // One direct connection first, set up as the pool's will be: its error says what is wrong
        // (refused, unknown host, authentication, a read-only file), where the pool would only
        // report a time-out.
        let mut probe = tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect(url))
            .await
            .map_err(|_| {
                format!(
                    "cannot open the database {}: the host did not answer within 10 s (unreachable, or a firewall drops the packets)",
                    redact(url)
                )
            })?
            .map_err(failed)?;
        if backend == Backend::Sqlite {
            probe.execute(SQLITE_SETUP).await.map_err(failed)?;
        }
        probe.close().await.ok();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SETUP).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(failed)?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL;")
                .await
                .map_err(failed)?;
        }
        MIGRATOR.run(&pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(e) => failed(e),
            e => format!("cannot migrate the database {}: {e}", redact(url)),
        })?;
        let reads = match backend {
            Backend::Sqlite => SqliteReads::open(&pool).await,
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            backend,
            reads,
        })
    }

    /// `hpf serve` writes on every submission: a database that takes no write (a read-only file
    /// or directory, `mode=ro`, a read-only standby) is refused at start, not on the first
    /// citizen. (The other commands — a backup reads only — do not ask.)
    pub async fn check_writable(&self, url: &str) -> Result<(), String> {
        sqlx::query("UPDATE readiness SET checked_at = checked_at WHERE id = 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "cannot open the database {}: {} ({e})",
                    redact(url),
                    plain_reason(&e, url)
                )
            })
    }

    pub async fn close(&self) {
        if let Some(reads) = &self.reads {
            reads.close();
        }
        self.pool.close().await;
    }
}

/// An enum's one text form — its serde name, the same in the database and on the wire
/// (`equal_principal`, `partial_prepayment`, `已…` never).
pub fn enum_text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The enum a stored text names. An unknown text is an error (logged, answered 500), never a
/// default: a loan whose method cannot be read must not be computed as 等额本息.
pub fn parse_enum<T: serde::de::DeserializeOwned>(
    column: &str,
    text: &str,
) -> Result<T, crate::error::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| crate::error::Error::Internal(format!("unknown value '{text}' in {column}")))
}

/// Every SQLite connection: foreign keys on, concurrent writers wait up to 10 s, WAL's safe
/// `synchronous`.
const SQLITE_SETUP: &str =
    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

/// What an operator should fix, in words, for the errors met when the database is opened.
fn plain_reason(e: &sqlx::Error, url: &str) -> String {
    if let Some(db) = e.as_database_error() {
        let code = db.code().unwrap_or_default();
        let file = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let sqlite_family = code.parse::<i32>().ok().map(|code| code & 0xff);
        return match (Backend::of_url(url), sqlite_family, code.as_ref()) {
            // SQLITE_READONLY and its extended codes.
            (Some(Backend::Sqlite), Some(8), _) => format!(
                "the database is read-only: hpf must be able to write {file} and its directory (or the URL says mode=ro)"
            ),
            // SQLITE_BUSY: the busy timeout (10 s) ran out.
            (Some(Backend::Sqlite), Some(5), _) => {
                "another process holds the database's write lock (an import, a long transaction)".into()
            }
            // SQLITE_CANTOPEN.
            (Some(Backend::Sqlite), Some(14), _) => {
                let dir = std::path::Path::new(&file)
                    .parent()
                    .filter(|dir| !dir.as_os_str().is_empty());
                match dir {
                    Some(dir) if !dir.is_dir() => {
                        format!("the directory {} does not exist", dir.display())
                    }
                    _ => format!("cannot open or create the file {file} (its permissions, or add ?mode=rwc to create it)"),
                }
            }
            (Some(Backend::Postgres), _, "28P01") => "wrong user name or password".into(),
            (Some(Backend::Postgres), _, "28000") => {
                "this user may not connect (pg_hba.conf, or the role has no LOGIN)".into()
            }
            (Some(Backend::Postgres), _, "3D000") => "the database does not exist".into(),
            (Some(Backend::Postgres), _, "25006") => {
                "the server is read-only (a standby): connect to the primary".into()
            }
            _ => "the database refused".into(),
        };
    }
    match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "nothing answers at that host and port (is the database running?)".into()
        }
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            "the host did not answer".into()
        }
        sqlx::Error::Io(io)
            if io.to_string().contains("lookup address")
                || io.to_string().contains("not known") =>
        {
            "unknown host name".into()
        }
        sqlx::Error::PoolTimedOut => "no connection could be opened within 10 s".into(),
        _ => "the connection failed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_enum_reads_back_and_an_unknown_text_is_an_error() {
        use shared::application::{ApplicationKind, ApplicationStatus};
        use shared::loan::wire::TransactionKind;
        use shared::loan::{LoanStatus, RepaymentMethod};
        use shared::member::{AccountStatus, CardStatus};
        fn round_trip<
            T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + Copy,
        >(
            all: &[T],
        ) {
            for value in all {
                let text = enum_text(*value);
                assert!(!text.is_empty());
                assert_eq!(parse_enum::<T>("test", &text).unwrap(), *value);
            }
            assert!(parse_enum::<T>("test", "bogus").is_err());
            assert!(parse_enum::<T>("test", "").is_err());
        }
        round_trip(&[
            RepaymentMethod::EqualInstallment,
            RepaymentMethod::EqualPrincipal,
        ]);
        round_trip(&[LoanStatus::Normal, LoanStatus::Settled]);
        round_trip(&[
            TransactionKind::Disbursement,
            TransactionKind::Installment,
            TransactionKind::Prepayment,
            TransactionKind::Settlement,
        ]);
        round_trip(&[
            AccountStatus::Normal,
            AccountStatus::Sealed,
            AccountStatus::Closed,
        ]);
        round_trip(&[
            CardStatus::Normal,
            CardStatus::Frozen,
            CardStatus::Cancelled,
        ]);
        round_trip(&[
            ApplicationStatus::Reserved,
            ApplicationStatus::Accepted,
            ApplicationStatus::Done,
            ApplicationStatus::Cancelled,
            ApplicationStatus::Rejected,
        ]);
        round_trip(&[
            ApplicationKind::PartialPrepayment,
            ApplicationKind::Settlement,
            ApplicationKind::AdjustTerm,
            ApplicationKind::ChangeAccount,
            ApplicationKind::Withdrawal,
        ]);
        // The database's texts are these (migrations and demo data write them).
        assert_eq!(
            enum_text(RepaymentMethod::EqualPrincipal),
            "equal_principal"
        );
        assert_eq!(enum_text(CardStatus::Cancelled), "cancelled");
    }

    #[test]
    fn passwords_never_leave_the_url() {
        assert_eq!(
            redact("postgres://hpf:secret@127.0.0.1:5432/hpf"),
            "postgres://hpf:***@127.0.0.1:5432/hpf"
        );
        assert_eq!(
            redact("postgres://hpf@127.0.0.1/hpf"),
            "postgres://hpf@127.0.0.1/hpf"
        );
        assert_eq!(
            redact("sqlite://hpf.db?mode=rwc"),
            "sqlite://hpf.db?mode=rwc"
        );
        assert_eq!(
            redact("postgres://hpf@db/hpf?sslmode=require&password=secret"),
            "postgres://hpf@db/hpf?sslmode=require&password=***"
        );
    }
}
