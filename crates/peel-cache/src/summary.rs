//! The twelve-month figures the dashboards show — Victims' Code compliance and positive
//! outcome rates, for the force and (within it) each team — kept in memory and refreshed
//! in the background.
//!
//! # Why a summary and not a query per page
//!
//! Compliance over a year reads every obligation of the year's crimes: on the synthetic
//! force of a million crimes that is 2.4 million obligations and about five seconds on
//! SQLite, far over the 100 ms a dashboard may take (issue 4). The figures are a year's
//! worth and move slowly, so a page reads the last summary and says when it was taken; a
//! summary older than [`MAX_AGE_MINUTES`] is still shown while a fresh one is computed in the
//! background (one at a time), and `peel serve` computes the force's summary
//! when it starts. Worklists — what is due and overdue, the meeting list, the queues —
//! are never summarised: they are read live from the store, a page at a time.

use crate::{run, CacheError};
use peel_casework::performance::{self, ComplianceReport, OutcomeRate};
use peel_domain::date::Timestamp;
use peel_http::AppState;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A summary older than this is recomputed in the background on the next page that reads it
/// (the default of [`crate::WebConfig::summary_minutes`]).
pub const MAX_AGE_MINUTES: i64 = 5;
/// The window the figures cover, in days back from the day they are taken.
pub const WINDOW_DAYS: i64 = 365;

/// The force's figures.
#[derive(Debug, Clone)]
pub struct Summary {
    /// When the figures were taken.
    pub as_of: Timestamp,
    /// How long they took to compute, in milliseconds (shown to the analyst: it is what a
    /// page would cost without the summary).
    pub took_ms: u128,
    pub compliance: ComplianceReport,
    /// Positive outcome rate by police.uk category, crimes recorded in the window.
    pub rates: BTreeMap<String, OutcomeRate>,
}

/// The force's summary: the one held, and whether one is being computed. One for the force
/// serves every page: its compliance holds each team's figures (`by_team`).
#[derive(Default)]
pub struct Summaries {
    slot: Mutex<Slot>,
}

#[derive(Default)]
struct Slot {
    summary: Option<Arc<Summary>>,
    refreshing: bool,
}

/// What a reader of a summary does.
enum Plan {
    /// Shows this one; and starts a refresh in the background if asked.
    Show(Arc<Summary>, bool),
    /// Waits for the one being computed (the first, at start).
    Wait,
    /// Computes the first one itself.
    Compute,
}

impl Summaries {
    fn plan(&self, now: Timestamp, max_age_minutes: i64) -> Plan {
        let mut slot = self.slot.lock().expect("summary lock");
        match slot.summary.clone() {
            Some(s) => {
                let start_refresh = s.as_of.minutes_until(now) >= max_age_minutes && !slot.refreshing;
                slot.refreshing |= start_refresh;
                Plan::Show(s, start_refresh)
            }
            None if slot.refreshing => Plan::Wait,
            None => {
                slot.refreshing = true;
                Plan::Compute
            }
        }
    }

    /// Marks a computation begun (at start), so readers wait for it rather than start another.
    fn begin(&self) -> bool {
        !std::mem::replace(&mut self.slot.lock().expect("summary lock").refreshing, true)
    }

    fn put(&self, summary: Arc<Summary>) {
        let mut slot = self.slot.lock().expect("summary lock");
        if slot.summary.as_ref().is_none_or(|old| old.as_of.minutes_until(summary.as_of) >= 0) {
            slot.summary = Some(summary);
        }
        slot.refreshing = false;
    }

    fn failed(&self) {
        self.slot.lock().expect("summary lock").refreshing = false;
    }
}

/// Computes the force's summary from the store, now.
pub async fn compute(api: &AppState) -> Result<Arc<Summary>, CacheError> {
    let summary = run(api, move |store, now| {
        let started = Instant::now();
        let today = now.date();
        let (from, to) = (today.add_days(-WINDOW_DAYS), today);
        let crimes = store.crime_facts(from, to)?;
        let rates = performance::positive_outcome_rates(&crimes);
        drop(crimes);
        let obligations = store.obligation_facts(from, to)?;
        let compliance = performance::compliance(&obligations, today);
        Ok(Summary { as_of: now, took_ms: started.elapsed().as_millis(), compliance, rates })
    })
    .await?;
    Ok(Arc::new(summary))
}

/// The force's summary: the one held if it is fresh; the one held while a fresh one is
/// computed in the background if it is stale; if none is held yet, the one being computed
/// (waited for) or one computed now. One computation at a time: two cores do not compute
/// the same year twice.
/// A summary older than `max_age_minutes` is refreshed.
pub async fn get(api: &AppState, summaries: &Arc<Summaries>, max_age_minutes: i64) -> Result<Arc<Summary>, CacheError> {
    loop {
        match summaries.plan(api.now(), max_age_minutes) {
            Plan::Show(s, refresh) => {
                if refresh {
                    spawn_compute(api.clone(), summaries.clone());
                }
                return Ok(s);
            }
            Plan::Wait => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            Plan::Compute => {
                // Whatever ends this computation — done, failed, or the request dropped when its
                // client went away — the slot stops waiting for it (see `Computing`).
                let mut guard = Computing { summaries, done: false };
                let result = compute(api).await;
                guard.done = true;
                match &result {
                    Ok(s) => summaries.put(s.clone()),
                    Err(_) => summaries.failed(),
                }
                return result;
            }
        }
    }
}

/// A first computation on a request's own task. If the request is dropped before it ends,
/// the slot is freed, so that readers waiting for it (`Plan::Wait`) do not wait for ever and
/// the next reader computes it again.
struct Computing<'a> {
    summaries: &'a Summaries,
    done: bool,
}

impl Drop for Computing<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.summaries.failed();
        }
    }
}

/// Starts computing the first summary in the background (at start), unless one is being
/// computed already.
pub fn warm(api: AppState, summaries: Arc<Summaries>) {
    if summaries.begin() {
        spawn_compute(api, summaries);
    }
}

/// Computes the summary in the background and keeps it.
fn spawn_compute(api: AppState, summaries: Arc<Summaries>) {
    tokio::spawn(async move {
        match compute(&api).await {
            Ok(s) => summaries.put(s),
            Err(e) => {
                summaries.failed();
                tracing::warn!(error = %e, "the twelve-month summary failed");
            }
        }
    });
}

/// "Figures as at 07:45 on 2026-11-23, refreshed every 5 minutes (5.2 s to compute)."
pub fn as_at(s: &Summary, max_age_minutes: i64) -> String {
    let (h, m) = s.as_of.time();
    format!(
        "Figures as at {h:02}:{m:02} on {}, refreshed every {} minutes ({:.1} s to compute).",
        s.as_of.date(),
        max_age_minutes,
        s.took_ms as f64 / 1000.0
    )
}
