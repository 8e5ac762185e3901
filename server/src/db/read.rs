//! The reads every page makes (the session with its member, the loan list), without a thread
//! hand-off on SQLite.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every statement and every
//! row over a channel: waking those threads was half of the server's CPU under a load of page
//! views. On SQLite these reads run on the calling thread instead, on read-only connections of
//! their own over the same file and the same libsqlite3 (WAL: a reader sees the last commit and
//! never waits for the writer; each statement is reset after use, so no snapshot outlives it). On
//! PostgreSQL, or a SQLite database these connections cannot open (in memory), they go through
//! the pool like every other query. Writes always go through the pool.

use super::{Backend, Db};
use crate::error::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A bound value of a read.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Text(&'a str),
    Int(i64),
}

/// A row of a read, whichever connection it came from: columns by name.
pub trait Columns {
    fn text(&self, column: &str) -> Result<String>;
    fn opt_text(&self, column: &str) -> Result<Option<String>>;
    fn int(&self, column: &str) -> Result<i64>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>>;
}

impl Columns for AnyRow {
    fn text(&self, column: &str) -> Result<String> {
        Ok(self.try_get(column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        Ok(self.try_get(column)?)
    }
    fn int(&self, column: &str) -> Result<i64> {
        Ok(self.try_get(column)?)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        Ok(self.try_get(column)?)
    }
}

fn sqlite_error(e: rusqlite::Error) -> Error {
    Error::Internal(format!("sqlite read: {e}"))
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, column: &str) -> Result<String> {
        self.get(column).map_err(sqlite_error)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        self.get(column).map_err(sqlite_error)
    }
    fn int(&self, column: &str) -> Result<i64> {
        self.get(column).map_err(sqlite_error)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        self.get(column).map_err(sqlite_error)
    }
}

/// Idle read-only connections to one SQLite file, taken and given back around each read.
#[derive(Debug)]
pub struct SqliteReads {
    path: String,
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// Connections open now, idle or reading.
    open: AtomicUsize,
}

/// Idle connections kept: more than the runtime's threads can use at once.
const KEEP_IDLE: usize = 16;

impl SqliteReads {
    /// The reads of the SQLite database the pool has open — the file the pool itself names, so
    /// both read the same one whatever the URL's form —, if a read-only connection opens it in
    /// WAL mode. `None` (the pool serves every read) for an in-memory database, a file it cannot
    /// open, or a journal mode in which readers would wait for the writer.
    pub async fn open(pool: &sqlx::AnyPool) -> Option<Arc<SqliteReads>> {
        let file: Option<String> =
            sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_optional(pool)
                .await
                .ok()
                .flatten();
        let path = file.filter(|file| !file.is_empty())?;
        let reads = SqliteReads {
            path,
            idle: Mutex::new(Vec::new()),
            open: AtomicUsize::new(0),
        };
        let probe = reads.connect().and_then(|connection| {
            let mode: String = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
            connection.query_row("SELECT COUNT(*) FROM readiness", [], |row| {
                row.get::<_, i64>(0)
            })?;
            Ok((connection, mode))
        });
        match probe {
            Ok((connection, mode)) if mode.eq_ignore_ascii_case("wal") => {
                reads.give_back(connection);
                Some(Arc::new(reads))
            }
            Ok((_, mode)) => {
                tracing::warn!(%mode, "SQLite reads go through the pool: the journal is not WAL");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "SQLite reads go through the pool: no read-only connection");
                None
            }
        }
    }

    /// Closes the idle connections (`Db::close`).
    pub fn close(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            self.open.fetch_sub(idle.len(), Ordering::Relaxed);
            idle.clear();
        }
    }

    fn connect(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let connection = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Only while another connection recovers the WAL: short, it blocks the calling thread.
        connection.busy_timeout(Duration::from_secs(1))?;
        connection.set_prepared_statement_cache_capacity(32);
        self.open.fetch_add(1, Ordering::Relaxed);
        Ok(connection)
    }

    /// (reading now, idle): for `/metrics`.
    pub fn connections(&self) -> (usize, usize) {
        let idle = self.idle.lock().map(|idle| idle.len()).unwrap_or(0);
        let open = self.open.load(Ordering::Relaxed);
        (open.saturating_sub(idle), idle)
    }

    fn take(&self) -> rusqlite::Result<rusqlite::Connection> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(connection) => Ok(connection),
            None => self.connect(),
        }
    }

    fn give_back(&self, connection: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < KEEP_IDLE {
                idle.push(connection);
                return;
            }
        }
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    fn all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        map: &dyn Fn(&dyn Columns) -> Result<T>,
    ) -> Result<Vec<T>> {
        let connection = self.take().map_err(sqlite_error)?;
        let result = (|| {
            let mut statement = connection.prepare_cached(sql).map_err(sqlite_error)?;
            // `$N` takes the N-th value wherever it stands, as sqlx binds it (SQLite itself
            // would number the placeholders in the order they first appear).
            for index in 1..=statement.parameter_count() {
                let number = statement
                    .parameter_name(index)
                    .and_then(|name| name.strip_prefix('$'))
                    .and_then(|number| number.parse::<usize>().ok())
                    .filter(|number| (1..=params.len()).contains(number))
                    .ok_or_else(|| {
                        Error::Internal(format!("a read binds $1…${}: {sql}", params.len()))
                    })?;
                match params[number - 1] {
                    Param::Text(text) => statement.raw_bind_parameter(index, text),
                    Param::Int(int) => statement.raw_bind_parameter(index, int),
                }
                .map_err(sqlite_error)?;
            }
            let mut rows = statement.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(sqlite_error)? {
                out.push(map(row)?);
            }
            Ok(out)
        })();
        self.give_back(connection);
        result
    }
}

impl Db {
    /// Every row of a read-only query (`$1`… placeholders, as everywhere), each mapped by `map`.
    pub async fn read_all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        map: impl Fn(&dyn Columns) -> Result<T>,
    ) -> Result<Vec<T>> {
        if let Some(reads) = &self.reads {
            debug_assert_eq!(self.backend, Backend::Sqlite);
            return reads.all(sql, params, &map);
        }
        let mut query = sqlx::query(sql);
        for param in params {
            query = match *param {
                Param::Text(text) => query.bind(text),
                Param::Int(int) => query.bind(int),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|row| map(row)).collect()
    }

    /// The first row of a read-only query, if any.
    pub async fn read_optional<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        map: impl Fn(&dyn Columns) -> Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.read_all(sql, params, map).await?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// The URL names the file through a directory that does not exist (`gone/..`): the reads
    /// must open the file the pool opened, not the URL's text.
    fn scratch(dir: &std::path::Path) -> String {
        format!("sqlite://{}/gone/../hpf.db?mode=rwc", dir.display())
    }

    async fn notes(db: &Db) -> Vec<(i64, String)> {
        db.read_all(
            "SELECT id, note FROM scratch WHERE id >= $1 ORDER BY id",
            &[Param::Int(0)],
            |row| Ok((row.int("id")?, row.text("note")?)),
        )
        .await
        .expect("read")
    }

    /// On a SQLite file the reads take their own connections, see every commit of the pool's
    /// connections at once (a citizen reads what they just submitted), never what is not yet
    /// committed, and answer while a write transaction holds the writer's lock.
    #[tokio::test]
    async fn sqlite_reads_see_each_commit_and_nothing_uncommitted() {
        let dir = std::env::temp_dir().join(format!("hpf_reads_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&scratch(&dir), 4).await.expect("connect");
        assert!(
            db.reads.is_some(),
            "a SQLite file is read on the caller's thread"
        );
        sqlx::query("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO scratch (id, note) VALUES (1, '受理中')")
            .execute(&db.pool)
            .await
            .unwrap();
        assert_eq!(notes(&db).await, vec![(1, "受理中".to_owned())]);

        let mut writer = db.pool.acquire().await.unwrap();
        let mut transaction = writer.begin().await.unwrap();
        sqlx::query("UPDATE scratch SET note = '已撤销' WHERE id = 1")
            .execute(&mut *transaction)
            .await
            .unwrap();
        sqlx::query("INSERT INTO scratch (id, note) VALUES (2, '受理中')")
            .execute(&mut *transaction)
            .await
            .unwrap();
        assert_eq!(
            notes(&db).await,
            vec![(1, "受理中".to_owned())],
            "uncommitted writes are not read"
        );
        transaction.commit().await.unwrap();
        assert_eq!(
            notes(&db).await,
            vec![(1, "已撤销".to_owned()), (2, "受理中".to_owned())]
        );
        // A missing column is an error, not a default.
        let missing = db
            .read_all("SELECT id FROM scratch", &[], |row| row.text("note"))
            .await;
        assert!(missing.is_err());
        placeholders_take_their_numbered_value(&db).await;
        // No read left a snapshot open: a checkpoint through the pool moves the whole WAL.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(busy, 0, "a reader holds a snapshot");
        db.close().await;
        assert_eq!(db.reads.as_ref().unwrap().connections(), (0, 0));
        std::fs::remove_dir_all(&dir).ok();
    }

    /// `$2` takes the second value wherever it stands, on either path.
    async fn placeholders_take_their_numbered_value(db: &Db) {
        let row = db
            .read_optional(
                "SELECT $2 AS second, $1 AS first, $2 || $1 AS both",
                &[Param::Text("甲"), Param::Text("乙")],
                |row| Ok((row.text("first")?, row.text("second")?, row.text("both")?)),
            )
            .await
            .unwrap();
        assert_eq!(
            row,
            Some(("甲".to_owned(), "乙".to_owned(), "乙甲".to_owned()))
        );
        let wrong = db
            .read_all("SELECT $3 AS x", &[Param::Int(1)], |row| row.int("x"))
            .await;
        assert!(wrong.is_err(), "a placeholder without its value");
    }

    /// An in-memory database has no file for other connections: its reads go through the pool.
    #[tokio::test]
    async fn an_in_memory_database_is_read_through_the_pool() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("connect");
        assert!(db.reads.is_none());
        sqlx::query("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO scratch (id, note) VALUES (7, '已完成')")
            .execute(&db.pool)
            .await
            .unwrap();
        assert_eq!(notes(&db).await, vec![(7, "已完成".to_owned())]);
        placeholders_take_their_numbered_value(&db).await;
    }
}
