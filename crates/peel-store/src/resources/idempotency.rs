//! Idempotency keys: an API write that carries an `Idempotency-Key` header claims the key
//! (per acting user) **in the write's own transaction**, so the key is held if and only if
//! the write committed; the answer the client was sent is kept beside it afterwards, in a
//! second short transaction, and replayed to a retry.
//!
//! Why in the write's transaction rather than a claim of its own before it: a claim made
//! first and committed alone survives a crash or an error before the write, and would then
//! answer every retry "in progress" for a write that never happened. Claimed with the write,
//! a key that exists means its write is done (or still committing), whatever happened after.
//! Two concurrent retries cannot both write: on SQLite writers queue on the database lock
//! (`BEGIN IMMEDIATE`), so the second sees the first's committed key; on PostgreSQL the
//! second's INSERT of the same key waits on the first's uncommitted row and, once it commits,
//! inserts nothing, and the second write is undone before any of its own statements ran.
//!
//! What a crash leaves: a process killed between the write's commit and keeping its answer
//! leaves the key with no answer (`status` NULL). A retry is then told 409 (the write was
//! made, its answer lost) and never writes again; see peel-http's `idempotency` module.

use crate::sql::{args, Conn, Engine};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;

/// Keys are kept a day: a retry after that is a new request (and may be purged before).
pub const KEPT_HOURS: i64 = 24;

/// A key to claim with the next write: who, which key, what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    pub actor: String,
    pub key: String,
    /// Method and path as requested ("POST /api/crimes/7/contacts").
    pub route: String,
    /// SHA-256 of the request body, hex.
    pub request_hash: String,
    pub at: Timestamp,
}

/// A key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub route: String,
    pub request_hash: String,
    /// The answer sent, once kept: (status, JSON body); `None` while its write is committing,
    /// or if the process stopped between the write and keeping its answer.
    pub answer: Option<(u16, String)>,
    pub created_at: Timestamp,
}

/// The claim a store holds for its next write, and whether a write committed it.
#[derive(Debug, Default)]
pub struct ClaimSlot {
    pending: Option<IdempotencyClaim>,
    committed: bool,
}

impl ClaimSlot {
    /// The claim the write about to start must make, if any.
    pub(crate) fn pending(&self) -> Option<&IdempotencyClaim> {
        self.pending.as_ref()
    }

    /// The write that made the claim committed: later writes of the same request make none.
    pub(crate) fn committed(&mut self) {
        if self.pending.take().is_some() {
            self.committed = true;
        }
    }
}

/// Stores whose writes can claim a key: each keeps a [`ClaimSlot`] its `Engine::write` reads.
pub trait HasClaimSlot {
    fn claim_slot(&mut self) -> &mut ClaimSlot;
}

/// Idempotency keys, for the JSON API's writes.
pub trait Idempotency {
    /// The key `key` of `actor`, if claimed in the last [`KEPT_HOURS`] before `now`.
    fn idempotency_key(&self, actor: &str, key: &str, now: Timestamp) -> Result<Option<IdempotencyRecord>>;
    /// The next write transaction claims `claim` before its own statements; if the key is
    /// already held, that write is undone and fails with [`StoreError::Refused`]. `None`
    /// clears a claim no write made.
    fn claim_with_next_write(&mut self, claim: Option<IdempotencyClaim>);
    /// Whether a write committed the claim since it was set (and forgets it).
    fn take_claim_committed(&mut self) -> bool;
    /// Keeps the answer of a claimed key, and purges keys older than [`KEPT_HOURS`].
    fn keep_answer(&mut self, actor: &str, key: &str, status: u16, body: &str, now: Timestamp) -> Result<()>;
}

/// Claims the key in the caller's write transaction. Keys past their day are cleared first,
/// so a key may be used again after it.
pub(crate) fn claim(c: &mut dyn Conn, claim: &IdempotencyClaim) -> Result<()> {
    let expired = claim.at.add_hours(-KEPT_HOURS);
    c.execute(
        "DELETE FROM idempotency_key WHERE actor = $1 AND key = $2 AND created_at < $3",
        args![claim.actor, claim.key, expired],
    )?;
    let claimed = c.execute(
        "INSERT INTO idempotency_key (actor, key, route, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (actor, key) DO NOTHING",
        args![claim.actor, claim.key, claim.route, claim.request_hash, claim.at],
    )?;
    if claimed == 0 {
        return Err(StoreError::Refused(format!("the Idempotency-Key '{}' is already in use", claim.key)));
    }
    Ok(())
}

impl<E: Engine + HasClaimSlot> Idempotency for E {
    fn idempotency_key(&self, actor: &str, key: &str, now: Timestamp) -> Result<Option<IdempotencyRecord>> {
        let since = now.add_hours(-KEPT_HOURS);
        let row = self.conn(|c| {
            c.query_opt(
                "SELECT route, request_hash, status, response, created_at FROM idempotency_key
                 WHERE actor = $1 AND key = $2 AND created_at >= $3",
                args![actor, key, since],
            )
        })?;
        let Some(row) = row else { return Ok(None) };
        let r = row.record("idempotency_key", "route, request_hash, status, response, created_at", 0);
        let status: Option<i64> = r.get(2)?;
        let response: Option<String> = r.get(3)?;
        let answer = match (status, response) {
            (Some(s), Some(body)) => {
                Some((u16::try_from(s).map_err(|_| StoreError::Invalid(format!("idempotency_key: status {s}")))?, body))
            }
            _ => None,
        };
        Ok(Some(IdempotencyRecord { route: r.get(0)?, request_hash: r.get(1)?, answer, created_at: r.get(4)? }))
    }

    fn claim_with_next_write(&mut self, claim: Option<IdempotencyClaim>) {
        *self.claim_slot() = ClaimSlot { pending: claim, committed: false };
    }

    fn take_claim_committed(&mut self) -> bool {
        std::mem::take(self.claim_slot()).committed
    }

    fn keep_answer(&mut self, actor: &str, key: &str, status: u16, body: &str, now: Timestamp) -> Result<()> {
        // No claim may ride on this write: it is the answer's, not a request's.
        let held = std::mem::take(self.claim_slot());
        let kept = self.write(|tx| {
            tx.execute(
                "UPDATE idempotency_key SET status = $3, response = $4 WHERE actor = $1 AND key = $2",
                args![actor, key, i64::from(status), body],
            )?;
            tx.execute("DELETE FROM idempotency_key WHERE created_at < $1", args![now.add_hours(-KEPT_HOURS)])
        });
        *self.claim_slot() = held;
        kept.map(|_| ())
    }
}
