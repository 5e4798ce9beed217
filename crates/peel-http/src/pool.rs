//! A small pool of store connections, the same for every store: N stores opened by a
//! factory, checked out by one request at a time and returned after.
//!
//! Stores are blocking (rusqlite, the synchronous PostgreSQL client), so a checkout happens
//! on tokio's blocking threads, never on the async workers; a request that finds every store
//! in use waits (up to [`Pool::with_wait`]) for one to come back. A store whose work failed
//! in a way that may mean a broken connection, or panicked, is dropped rather than returned,
//! and a fresh one is opened in its place on the next checkout.

use peel_casework::CaseStore;
use peel_store::StoreError;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One store connection, as the pool keeps it.
pub type PooledStore = Box<dyn CaseStore>;

/// Opens one more store connection: `SqliteStore::open(path)` for a SQLite file (each
/// connection its own handle on the one file, in WAL mode), the PostgreSQL store's `open(url)`
/// for a server.
pub type StoreFactory = Box<dyn Fn() -> Result<PooledStore, StoreError> + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("every store connection has been busy for {0:?}; try again")]
    Timeout(Duration),
    #[error("opening a store connection: {0}")]
    Open(#[from] StoreError),
}

pub struct Pool {
    factory: StoreFactory,
    size: usize,
    wait: Duration,
    slots: Mutex<Slots>,
    returned: Condvar,
}

struct Slots {
    idle: Vec<PooledStore>,
    /// Stores in existence: idle plus checked out (plus any being opened).
    open: usize,
}

impl Pool {
    /// Opens `size` stores (at least one) with `factory`, one after the other, so that a
    /// store's first-use setup (creating the file, migrating the schema) runs once.
    pub fn new(
        size: usize,
        factory: impl Fn() -> Result<PooledStore, StoreError> + Send + Sync + 'static,
    ) -> Result<Pool, StoreError> {
        let size = size.max(1);
        let idle = (0..size).map(|_| factory()).collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            factory: Box::new(factory),
            size,
            wait: Duration::from_secs(30),
            slots: Mutex::new(Slots { idle, open: size }),
            returned: Condvar::new(),
        })
    }

    /// How long a request waits for a store before it is answered 503 (default 30 s).
    pub fn with_wait(mut self, wait: Duration) -> Pool {
        self.wait = wait;
        self
    }

    pub fn size(&self) -> usize {
        self.size
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        // A panic while holding this lock leaves the slots consistent (each step is one push,
        // pop or count change), so a poisoned lock is still usable.
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks a store out, waiting for one if all are in use. Blocking: call it on a
    /// blocking thread (`tokio::task::spawn_blocking`).
    pub fn get(&self) -> Result<Lease<'_>, PoolError> {
        let deadline = Instant::now() + self.wait;
        let mut slots = self.lock();
        loop {
            if let Some(store) = slots.idle.pop() {
                return Ok(Lease { pool: self, store: Some(store), discard: false });
            }
            if slots.open < self.size {
                // A store was dropped: open its replacement, outside the lock.
                slots.open += 1;
                drop(slots);
                return match (self.factory)() {
                    Ok(store) => Ok(Lease { pool: self, store: Some(store), discard: false }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(PoolError::Timeout(self.wait));
            }
            slots = self.returned.wait_timeout(slots, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a store may block: the synchronous PostgreSQL client closes its connection on
        // a runtime of its own, which panics on an async worker thread (where the pool is
        // dropped when a server's runtime shuts down). So close them on a thread of their own.
        let idle = std::mem::take(&mut self.slots.get_mut().unwrap_or_else(|p| p.into_inner()).idle);
        if !idle.is_empty() && tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// A checked-out store; goes back to the pool when dropped.
pub struct Lease<'a> {
    pool: &'a Pool,
    store: Option<PooledStore>,
    discard: bool,
}

impl Lease<'_> {
    /// Drop this store instead of returning it (its connection may be broken).
    pub fn discard(&mut self) {
        self.discard = true;
    }
}

impl Deref for Lease<'_> {
    type Target = dyn CaseStore + Send;
    fn deref(&self) -> &Self::Target {
        self.store.as_deref().expect("a lease holds its store until dropped")
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.store.as_deref_mut().expect("a lease holds its store until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(store) = self.store.take() else { return };
        let mut slots = self.pool.lock();
        if self.discard || std::thread::panicking() {
            slots.open -= 1;
            drop(slots);
            drop(store);
        } else {
            slots.idle.push(store);
        }
        self.pool.returned.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_store::SqliteStore;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn counting_pool(size: usize) -> (Pool, Arc<AtomicUsize>) {
        let opened = Arc::new(AtomicUsize::new(0));
        let n = opened.clone();
        let pool = Pool::new(size, move || {
            n.fetch_add(1, Ordering::SeqCst);
            Ok(Box::new(SqliteStore::in_memory()?) as PooledStore)
        })
        .unwrap();
        (pool, opened)
    }

    #[test]
    fn opens_size_stores_and_reuses_them() {
        let (pool, opened) = counting_pool(2);
        assert_eq!(opened.load(Ordering::SeqCst), 2);
        for _ in 0..5 {
            let a = pool.get().unwrap();
            let b = pool.get().unwrap();
            drop((a, b));
        }
        assert_eq!(opened.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn waits_for_a_store_and_times_out() {
        let (pool, _) = counting_pool(1);
        let pool = pool.with_wait(Duration::from_millis(50));
        let held = pool.get().unwrap();
        assert!(matches!(pool.get(), Err(PoolError::Timeout(_))));
        drop(held);
        assert!(pool.get().is_ok());
    }

    #[test]
    fn a_discarded_store_is_replaced() {
        let (pool, opened) = counting_pool(1);
        let mut lease = pool.get().unwrap();
        lease.discard();
        drop(lease);
        let _again = pool.get().unwrap();
        assert_eq!(opened.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_waiting_checkout_gets_the_returned_store() {
        let (pool, _) = counting_pool(1);
        let pool = Arc::new(pool);
        let held = pool.get().unwrap();
        let p = pool.clone();
        let waiter = std::thread::spawn(move || p.get().map(|_| ()).is_ok());
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        assert!(waiter.join().unwrap());
    }
}
