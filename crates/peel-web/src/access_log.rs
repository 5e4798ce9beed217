//! The access log (Data Protection Act 2018 Part 3 s.62): every answer that showed records
//! holding personal data leaves an audit entry naming who, when, which records and the
//! route, before the answer leaves (one entry per answer; a list's records are indexed a few
//! seconds behind it by this module's indexer thread: "Lists" in `peel_store::audit`).
//!
//! Handlers say what they showed by attaching a [`Disclosed`] response part (the crime page
//! `Disclosed::read("crime", id)`, a worklist `Disclosed::list("person", victims)`, an API read
//! likewise; `peel-http` describes it). This one middleware, around every page and API route,
//! takes it off the answer and, for a 2xx answer, writes the entries in one transaction
//! ([`peel_store::audit::AuditTrail::log_access`]) with the signed-in username as actor (a page
//! names its user; the API's router names the user the gate signed in) and the route's
//! template (`GET /crimes/{id}`), never the query string. If the entries cannot be written —
//! the store fails, or nobody is named — the answer is replaced by a 503: a disclosure is never
//! served unlogged (fail closed). Answers that are not 2xx showed nothing and log nothing.
//!
//! **Group commit.** The entries are written by one thread ([`AccessLog`]) that takes every
//! answer waiting when it starts a transaction and writes them all in it, then lets each
//! answer go. A lone answer waits for its own commit, as before; under load, answers that
//! arrive while a commit is in progress share the next one. Why: with every read audited,
//! every request was a write transaction of its own — on SQLite one writer at a time, and each
//! commit empties every other connection's page cache — and `peel bench-load` found the
//! embedded store saturated at about 280 requests a second. Still fail closed: no answer
//! leaves before the transaction holding its entries has committed.

use crate::{WebError, WebState};
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use peel_http::Pool;
pub use peel_http::{Access, Disclosed};
use peel_store::audit::AccessEntry;
use std::sync::mpsc;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Answers one transaction takes at most: bounds a transaction's size when many are waiting.
const MOST_PER_COMMIT: usize = 256;

struct Waiting {
    entry: AccessEntry,
    done: oneshot::Sender<Result<(), String>>,
}

/// The writer of the access log's entries (see the module documentation). Cloned with the
/// server's state; its thread ends when the last clone is dropped.
#[derive(Clone)]
pub struct AccessLog {
    queue: mpsc::Sender<Waiting>,
}

/// How often the indexer of list entries runs (see "Lists" in `peel_store::audit`): a search
/// reads what it has not reached directly, so this bounds that extra reading, not what a
/// search finds.
const INDEX_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
/// List entries one indexer pass reads at most before it writes (then it goes on).
const INDEX_MOST: usize = 2_000;

impl AccessLog {
    pub fn start(pool: Arc<Pool>) -> AccessLog {
        let (queue, waiting) = mpsc::channel::<Waiting>();
        // The indexer stops when the writer does: the writer holds `running`.
        let (running, stopped) = mpsc::channel::<()>();
        let indexer_pool = pool.clone();
        std::thread::Builder::new()
            .name("peel-audit-index".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(INDEX_EVERY) {
                    index_lists(&indexer_pool);
                }
            })
            .expect("starting the audit index's writer");
        std::thread::Builder::new()
            .name("peel-access-log".into())
            .spawn(move || {
                let _running = running;
                while let Ok(first) = waiting.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MOST_PER_COMMIT {
                        match waiting.try_recv() {
                            Ok(w) => batch.push(w),
                            Err(_) => break,
                        }
                    }
                    let (entries, done): (Vec<AccessEntry>, Vec<_>) =
                        batch.into_iter().map(|w| (w.entry, w.done)).unzip();
                    let written = match pool.get() {
                        Ok(mut store) => {
                            let r = store.log_accesses(&entries).map_err(|e| e.to_string());
                            if r.is_err() {
                                store.discard();
                            }
                            r
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    for d in done {
                        let _ = d.send(written.clone());
                    }
                }
            })
            .expect("starting the access log's writer");
        AccessLog { queue }
    }

    /// Writes `entry` (with whatever else is waiting) and answers once it has committed.
    pub async fn write(&self, entry: AccessEntry) -> Result<(), String> {
        let (done, committed) = oneshot::channel();
        self.queue.send(Waiting { entry, done }).map_err(|_| "the access log's writer has stopped".to_string())?;
        committed.await.map_err(|_| "the access log's writer stopped before writing".to_string())?
    }
}

/// Indexes the list entries made since the last pass. A failure is reported and tried again
/// at the next pass: searches read unindexed lists directly, so nothing is missed meanwhile.
fn index_lists(pool: &Pool) {
    let mut store = match pool.get() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("audit index: no connection ({e}); trying again shortly");
            return;
        }
    };
    loop {
        match store.index_shown(INDEX_MOST) {
            Ok(n) if n == INDEX_MOST => continue,
            Ok(_) => return,
            Err(e) => {
                eprintln!("audit index: not written ({e}); trying again shortly");
                store.discard();
                return;
            }
        }
    }
}

/// The middleware (see the module documentation).
pub async fn record(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let route = match req.extensions().get::<MatchedPath>() {
        Some(p) => format!("{} {}", req.method(), p.as_str()),
        None => format!("{} {}", req.method(), req.uri().path()),
    };
    let mut res = next.run(req).await;
    let Some(shown) = res.extensions_mut().remove::<Disclosed>() else { return res };
    if !res.status().is_success() || shown.records.is_empty() {
        return res;
    }
    let Some(actor) = shown.actor else {
        eprintln!("access log: {route} showed records to nobody named; answered 503");
        return WebError::Unavailable("This answer could not be logged, so it is not shown. Try again.".into())
            .into_response();
    };
    let entry = AccessEntry { at: web.now(), actor, access: shown.access, route, records: shown.records };
    let logged = web.access_log.write(entry).await;
    match logged {
        Ok(()) => res,
        Err(e) => {
            eprintln!("access log: not written ({e}); answered 503");
            WebError::Unavailable("This answer could not be logged, so it is not shown. Try again.".into())
                .into_response()
        }
    }
}
