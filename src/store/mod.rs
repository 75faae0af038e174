//! SQLite storage: the one place that holds SQL. Opens the database in WAL mode
//! and brings every component's schema up to date on start.
//!
//! Each component (settings now, reminders later) owns one file here with its
//! queries and a [`Schema`]: an ordered list of migrations under its own name.
//! `schema_version` records how far each component has been migrated, so
//! components evolve independently. To add one: write `src/store/<name>.rs`
//! with a `pub(crate) const SCHEMA: Schema`, and list it in [`COMPONENTS`].

pub mod reminders;
pub mod settings;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension};

pub use settings::{GuildSettings, RedFlagScope};

/// An error of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or configured.
    #[error(
        "cannot open the database {path}: {source} (check BACKBOT_DB and the folder's permissions)"
    )]
    Open {
        /// The file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A migration failed; the database is left at the previous version.
    #[error("database migration {component} v{version} failed: {source}")]
    Migration {
        /// The component whose migration failed.
        component: &'static str,
        /// The version it was migrating to.
        version: usize,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was written by a newer backbot.
    #[error("the database has {component} schema v{found}, newer than this backbot knows (v{known}); use a newer backbot or another BACKBOT_DB")]
    TooNew {
        /// The component.
        component: String,
        /// Version found in the file.
        found: usize,
        /// Latest version this build knows.
        known: usize,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A thread panicked while holding the connection.
    #[error("the database connection was poisoned by a panic")]
    Poisoned,
}

/// The migrations of one component, applied in order; never edit a released one, append.
#[derive(Debug)]
pub struct Schema {
    /// The component's name in `schema_version`.
    pub component: &'static str,
    /// SQL batches; after applying `migrations[i]` the component is at version `i + 1`.
    pub migrations: &'static [&'static str],
}

/// Every component's schema, migrated in this order on open.
pub const COMPONENTS: &[&Schema] = &[&settings::SCHEMA, &reminders::SCHEMA];

/// The database: one connection behind a mutex (queries are short).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database file in WAL mode and migrates it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        Store::init(conn).map_err(|e| match e {
            StoreError::Sql(source) => open_err(source),
            other => other,
        })
    }

    /// A private in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Store::init(conn)
    }

    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn, COMPONENTS)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, for the component files of this module.
    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// The schema version of a component (0 when never migrated).
    pub fn schema_version(&self, component: &str) -> Result<usize, StoreError> {
        let conn = self.conn()?;
        version_of(&conn, component)
    }

    /// Flushes the write-ahead log into the main file (on shutdown).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        // wal_checkpoint returns a row; in-memory databases report busy = 0 as well.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .optional()?;
        Ok(())
    }
}

fn version_of(conn: &Connection, component: &str) -> Result<usize, StoreError> {
    let v: Option<i64> = conn
        .query_row(
            "SELECT version FROM schema_version WHERE component = ?1",
            [component],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.map_or(0, |v| usize::try_from(v).unwrap_or(0)))
}

/// Brings every component up to its latest version, one transaction per migration.
fn migrate(conn: &mut Connection, components: &[&Schema]) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
             component TEXT PRIMARY KEY,
             version   INTEGER NOT NULL
         );",
    )?;
    for schema in components {
        let current = version_of(conn, schema.component)?;
        let known = schema.migrations.len();
        if current > known {
            return Err(StoreError::TooNew {
                component: schema.component.to_string(),
                found: current,
                known,
            });
        }
        for (i, sql) in schema.migrations.iter().enumerate().skip(current) {
            let version = i + 1;
            let err = |source| StoreError::Migration {
                component: schema.component,
                version,
                source,
            };
            let tx = conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_version (component, version) VALUES (?1, ?2)
                 ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                rusqlite::params![schema.component, version as i64],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
            tracing::info!(component = schema.component, version, "database migrated");
        }
    }
    Ok(())
}

/// Snowflakes are u64; SQLite integers are i64. The bit pattern round-trips.
pub(crate) fn to_sql_id(id: u64) -> i64 {
    id as i64
}

/// The inverse of [`to_sql_id`].
pub(crate) fn from_sql_id(id: i64) -> u64 {
    id as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_records_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version("settings").unwrap(),
            settings::SCHEMA.migrations.len()
        );
        drop(store);
        // Re-opening applies nothing and keeps data.
        let store = Store::open(&path).unwrap();
        store.set_alert_channel(1, Some(2)).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.guild_settings(1).unwrap().alert_channel, Some(2));
    }

    #[test]
    fn journal_mode_is_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("w.db")).unwrap();
        let mode: String = store
            .conn()
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE schema_version SET version = 99 WHERE component = 'settings'",
            [],
        )
        .unwrap();
        drop(conn);
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }

    #[test]
    fn a_new_component_migrates_independently() {
        static EXTRA: Schema = Schema {
            component: "extra",
            migrations: &["CREATE TABLE extra (id INTEGER PRIMARY KEY);"],
        };
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, COMPONENTS).unwrap();
        migrate(&mut conn, &[&settings::SCHEMA, &EXTRA]).unwrap();
        assert_eq!(version_of(&conn, "extra").unwrap(), 1);
        assert_eq!(
            version_of(&conn, "settings").unwrap(),
            settings::SCHEMA.migrations.len()
        );
    }

    #[test]
    fn snowflakes_round_trip() {
        for id in [1u64, 1_000_000_000_000_000_003, u64::MAX - 1] {
            assert_eq!(from_sql_id(to_sql_id(id)), id);
        }
    }
}
