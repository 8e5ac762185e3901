//! The store: one set of portable queries and migrations over sqlx's `Any` driver, so the same SQL
//! (with `$1` placeholders, which SQLite accepts too) runs on the embedded SQLite file and on
//! PostgreSQL in production.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::Duration;

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
}

/// A database URL with any password replaced, fit for a log line or an error message.
pub fn redact(url: &str) -> String {
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
        // One direct connection first: its error says what is wrong (refused, unknown host,
        // authentication), where the pool would only report a time-out.
        let probe = AnyConnection::connect(url)
            .await
            .map_err(|e| format!("cannot connect to the database {}: {e}", redact(url)))?;
        probe.close().await.ok();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| format!("cannot connect to the database {}: {e}", redact(url)))?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL;")
                .await
                .map_err(|e| format!("cannot switch the SQLite journal to WAL: {e}"))?;
        }
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| format!("cannot migrate the database: {e}"))?;
        Ok(Db { pool, backend })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
