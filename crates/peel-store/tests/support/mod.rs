//! The stores every test runs on: an in-memory SQLite store, and a PostgreSQL store in a
//! schema of its own (dropped when the test ends) of the database at `PEEL_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL must be running: the tests
//! fail, saying how to start it, rather than skip.

#![allow(dead_code)]

use peel_store::*;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering};

pub fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A schema name no other test (in this run or a concurrent one) uses.
pub fn unique_schema() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("peel_test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn pg_failed(url: &str, e: impl std::fmt::Display) -> ! {
    panic!(
        "cannot open a PostgreSQL test store at {url}: {e}\n\
         The store tests run on SQLite and on PostgreSQL, so PostgreSQL must be running. Start the \
         local server with\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
         (`bash .ci/run` installs it, starts it and creates the `test` database if missing), or set \
         PEEL_TEST_DATABASE_URL to a server whose user may create schemas."
    )
}

/// A store under test; a PostgreSQL one drops its schema when the test ends.
pub struct TestStore {
    store: Option<Box<dyn CaseStore>>,
    pg_schema: Option<String>,
}

impl Deref for TestStore {
    type Target = dyn CaseStore;
    fn deref(&self) -> &(dyn CaseStore + 'static) {
        self.store.as_deref().unwrap()
    }
}

impl DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut (dyn CaseStore + 'static) {
        self.store.as_deref_mut().unwrap()
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        drop(self.store.take());
        if let Some(schema) = &self.pg_schema {
            let _ = PostgresStore::drop_schema(&pg_url(), schema);
        }
    }
}

pub fn sqlite_store() -> TestStore {
    TestStore { store: Some(Box::new(SqliteStore::in_memory().unwrap())), pg_schema: None }
}

pub fn postgres_store() -> TestStore {
    let (url, schema) = (pg_url(), unique_schema());
    let store = PostgresStore::open_in_schema(&url, &schema).unwrap_or_else(|e| pg_failed(&url, e));
    TestStore { store: Some(Box::new(store)), pg_schema: Some(schema) }
}

/// Each test once per store, as `sqlite::NAME` and `postgres::NAME`, with its store made by
/// the two functions named first: `each_store!(sqlite_store, postgres_store; fn name(s) { … })`.
#[macro_export]
macro_rules! each_store {
    ($sqlite:path, $postgres:path; $(fn $name:ident($s:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(#[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $s = $sqlite();
                $body
            })*
        }
        mod postgres {
            use super::*;
            $(#[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $s = $postgres();
                $body
            })*
        }
    };
}
