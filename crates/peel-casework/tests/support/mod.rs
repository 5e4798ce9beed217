//! The stores the casework tests run on: every test once on SQLite and once on PostgreSQL,
//! in a schema of its own (dropped afterwards) of the database at `PEEL_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL must be running: the
//! tests fail, saying how to start it, rather than skip.

#![allow(dead_code)]

use peel_store::{PostgresStore, SqliteStore};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A schema name no other test (in this run or a concurrent one) uses.
fn unique_schema() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("peel_casework_test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

fn pg_failed(url: &str, e: impl std::fmt::Display) -> ! {
    panic!(
        "cannot open a PostgreSQL test store at {url}: {e}\n\
         The casework tests run on SQLite and on PostgreSQL, so PostgreSQL must be running. Start \
         the local server with\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
         (`bash .ci/run` installs it, starts it and creates the `test` database if missing), or set \
         PEEL_TEST_DATABASE_URL to a server whose user may create schemas."
    )
}

/// Where a test's store lives; any number of connections can be opened on it. A PostgreSQL
/// schema is dropped, a SQLite file deleted, when the place is dropped (so declare it before
/// the stores opened on it: they are dropped first).
pub enum Place {
    SqliteFile { path: PathBuf, _dir: tempfile::TempDir },
    Postgres { schema: String },
}

impl Place {
    /// A SQLite file in a temporary folder.
    pub fn sqlite_file() -> Place {
        let dir = tempfile::tempdir().unwrap();
        Place::SqliteFile { path: dir.path().join("peel.db"), _dir: dir }
    }

    /// A PostgreSQL schema no other test uses.
    pub fn postgres_schema() -> Place {
        Place::Postgres { schema: unique_schema() }
    }

    /// A new connection to the SQLite file.
    pub fn open_sqlite(&self) -> SqliteStore {
        match self {
            Place::SqliteFile { path, .. } => SqliteStore::open(path).unwrap(),
            Place::Postgres { .. } => panic!("not a SQLite place"),
        }
    }

    /// A new connection to the PostgreSQL schema.
    pub fn open_postgres(&self) -> PostgresStore {
        match self {
            Place::Postgres { schema } => {
                let url = pg_url();
                PostgresStore::open_in_schema(&url, schema).unwrap_or_else(|e| pg_failed(&url, e))
            }
            Place::SqliteFile { .. } => panic!("not a PostgreSQL place"),
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres { schema } = self {
            let _ = PostgresStore::drop_schema(&pg_url(), schema);
        }
    }
}

/// Each test once per store, as `sqlite::NAME` (an in-memory store) and `postgres::NAME` (a
/// schema of its own, dropped afterwards), with `$s` the store itself (`SqliteStore`,
/// `PostgresStore`), so that `&mut $s` is a `&mut dyn CaseStore`.
#[allow(unused_macros)]
macro_rules! on_every_store {
    ($(fn $name:ident($s:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(#[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $s = peel_store::SqliteStore::in_memory().unwrap();
                $body
            })*
        }
        mod postgres {
            use super::*;
            $(#[test]
            fn $name() {
                let place = crate::support::Place::postgres_schema();
                #[allow(unused_mut)]
                let mut $s = place.open_postgres();
                $body
            })*
        }
    };
}
