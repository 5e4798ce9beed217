//! Keeps an embedded store's write-ahead log bounded while a server runs.
//!
//! **Why this exists.** SQLite's automatic checkpoint (after a commit that leaves the log over
//! 1,000 pages) copies the log into the database file but can only *restart* the log from its
//! beginning when no reader is still reading an older part of it. A server under continuous
//! load always has some request reading — and with the access log every read is also a write —
//! so the log is never restarted and grows without end: 13 GB in eight minutes at 500 requests
//! a second (BENCHMARKS.md, issue 8). The file is reused from the start only after a checkpoint
//! that waits for those readers, which the automatic one never does.
//!
//! **What it does.** The server's own connections leave checkpointing to the keeper
//! ([`crate::SqliteStore::wal_autocheckpoint`]`(0)`): otherwise every commit past 1,000 pages
//! runs a checkpoint of its own, which holds the checkpoint lock so much of the time under
//! load that the keeper can seldom take it (measured: the log still reached 600 MB). One
//! thread with a connection of its own looks at the log every `every`. Under `limit` it copies
//! what it can into the database without waiting for anyone (`PASSIVE`), so the file stays
//! current and the next truncation has little to copy. Over `limit` it runs
//! `PRAGMA wal_checkpoint(TRUNCATE)`: take the writer's lock, copy every frame into the
//! database, wait for the readers of older frames to finish (new readers read the database
//! file alone, so they do not hold it up), then cut the log to zero bytes. While it waits,
//! writers wait too, so it waits briefly (`patience`, 50 ms by default) and tries again on the
//! next look rather than stall every write behind a long report; after each miss in a row it
//! waits twice as long (at most 2 s), so that one reader that never stops cannot put the bound
//! off for ever. The log is therefore at most about `limit` plus what the server writes
//! between two looks and during the misses.
//!
//! PostgreSQL needs none of this: its own checkpointer recycles WAL segments.

use rusqlite::Connection;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the keeper runs; [`WalKeeping::default`] is what `peel serve` uses.
#[derive(Clone, Copy, Debug)]
pub struct WalKeeping {
    /// A log larger than this is truncated (smaller ones are copied into the database).
    pub limit_bytes: u64,
    /// How often the log's size is looked at.
    pub every: Duration,
    /// How long one checkpoint waits for readers and the writer before it gives up until the
    /// next look (doubled after each miss in a row, at most [`WalKeeping::MAX_PATIENCE`]).
    pub patience: Duration,
}

impl WalKeeping {
    pub const MAX_PATIENCE: Duration = Duration::from_secs(2);
}

impl Default for WalKeeping {
    fn default() -> Self {
        // 64 MiB: above what a quarter of a second's writes add under heavy load (about
        // 14 MiB at 200 requests a second of bench-load's mix, whose list reads each write
        // some 80 access-log index pages), far below a disk.
        WalKeeping { limit_bytes: 64 << 20, every: Duration::from_millis(250), patience: Duration::from_millis(50) }
    }
}

/// What the keeper has done so far (the passive copies are not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalKeeperStats {
    /// Checkpoints that truncated the log.
    pub truncated: u64,
    /// Checkpoints that gave up waiting (tried again later).
    pub missed: u64,
    /// The largest log seen at a look, in bytes.
    pub largest_seen: u64,
}

#[derive(Default)]
struct Counters {
    truncated: AtomicU64,
    missed: AtomicU64,
    largest_seen: AtomicU64,
}

/// The running keeper; dropping it stops its thread.
pub struct WalKeeper {
    stop: Arc<(Mutex<bool>, Condvar)>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

/// The log file beside a SQLite database: SQLite names it by adding `-wal`.
pub fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

impl WalKeeper {
    /// Starts keeping the log of the SQLite database at `db` (which must already exist, in WAL
    /// mode, as [`crate::SqliteStore::open`] leaves it). The connections that write to it
    /// should have automatic checkpoints turned off (see the module's doc); the keeper works
    /// without that, but loses the race for the checkpoint lock under heavy load.
    pub fn start(db: &Path, keeping: WalKeeping) -> crate::Result<WalKeeper> {
        let conn = Connection::open(db)
            .map_err(|source| crate::StoreError::Open { path: db.display().to_string(), source })?;
        let wal = wal_path(db);
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let counters = Arc::new(Counters::default());
        let thread = {
            let (stop, counters) = (stop.clone(), counters.clone());
            std::thread::Builder::new()
                .name("peel-wal-keeper".into())
                .spawn(move || keep(conn, &wal, keeping, &stop, &counters))
                .map_err(|e| crate::StoreError::Invalid(format!("starting the log keeper: {e}")))?
        };
        Ok(WalKeeper { stop, counters, thread: Some(thread) })
    }

    pub fn stats(&self) -> WalKeeperStats {
        WalKeeperStats {
            truncated: self.counters.truncated.load(Ordering::Relaxed),
            missed: self.counters.missed.load(Ordering::Relaxed),
            largest_seen: self.counters.largest_seen.load(Ordering::Relaxed),
        }
    }
}

impl Drop for WalKeeper {
    fn drop(&mut self) {
        let (flag, wake) = &*self.stop;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

thread_local! {
    /// When the keeper's checkpoint in progress stops waiting (its thread's only connection).
    static KEEPER_DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Retries every 100 µs until the deadline. SQLite's own busy handler sleeps 1, 2, 5, 10 …
/// ms between tries, and a server's writers, each taking the writer's lock again as soon as
/// they can, leave gaps far shorter than that: the keeper would seldom get in (measured: the
/// log at six times its limit). Polling this often costs the keeper's thread a little CPU,
/// and only while it waits.
fn eager_busy_handler(_tries: i32) -> bool {
    match KEEPER_DEADLINE.with(|d| d.get()) {
        Some(deadline) if Instant::now() < deadline => {
            std::thread::sleep(Duration::from_micros(100));
            true
        }
        _ => false,
    }
}

fn keep(mut conn: Connection, wal: &Path, keeping: WalKeeping, stop: &(Mutex<bool>, Condvar), counters: &Counters) {
    let (flag, wake) = stop;
    // Without a deadline set it never waits, which is what the passive copies want.
    let _ = conn.busy_handler(Some(eager_busy_handler));
    let mut patience = keeping.patience;
    loop {
        {
            let stopped = flag.lock().unwrap_or_else(|p| p.into_inner());
            let (stopped, _) =
                wake.wait_timeout_while(stopped, keeping.every, |s| !*s).unwrap_or_else(|p| p.into_inner());
            if *stopped {
                return;
            }
        }
        let size = std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0);
        counters.largest_seen.fetch_max(size, Ordering::Relaxed);
        if size <= keeping.limit_bytes {
            // Never waits: a reader or writer in the way just leaves the rest for next time.
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            continue;
        }
        // The busy handler is what waits for the writer and the readers, until the patience
        // runs out. The pragma answers (busy, log frames, frames checkpointed); busy = 1 when
        // it gave up.
        KEEPER_DEADLINE.with(|d| d.set(Some(Instant::now() + patience)));
        let done = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        KEEPER_DEADLINE.with(|d| d.set(None));
        match done {
            Ok(0) => {
                counters.truncated.fetch_add(1, Ordering::Relaxed);
                patience = keeping.patience;
            }
            // Busy (or an error such as a locked file): try again at the next look, waiting longer.
            _ => {
                counters.missed.fetch_add(1, Ordering::Relaxed);
                patience = (patience * 2).min(WalKeeping::MAX_PATIENCE);
            }
        }
    }
}
