//! The twelve-month figures the dashboards show — Victims' Code compliance and positive
//! outcome rates, for the force and for each team — kept in memory and refreshed in the
//! background.
//!
//! # Why a summary and not a query per page
//!
//! Compliance over a year reads every obligation of the year's crimes: on the synthetic
//! force of a million crimes that is 2.4 million obligations and about five seconds on
//! SQLite, far over the 100 ms a dashboard may take (issue 4). The figures are a year's
//! worth and move slowly, so a page reads the last summary and says when it was taken; a
//! summary older than [`MAX_AGE_MINUTES`] is still shown while a fresh one is computed in the
//! background (one at a time per scope), and `peel serve` computes the force's summary
//! when it starts. Worklists — what is due and overdue, the meeting list, the queues —
//! are never summarised: they are read live from the store, a page at a time.

use crate::{WebError, WebState};
use peel_casework::performance::{self, ComplianceReport, OutcomeRate};
use peel_domain::date::Timestamp;
use peel_store::casework::Scope;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A summary older than this is recomputed in the background on the next page that reads it
/// (the default of [`crate::WebConfig::summary_minutes`]).
pub const MAX_AGE_MINUTES: i64 = 5;
/// The window the figures cover, in days back from the day they are taken.
pub const WINDOW_DAYS: i64 = 365;

/// The figures for one scope (the force, or one team).
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

#[derive(Default)]
struct Slot {
    summary: Option<Arc<Summary>>,
    refreshing: bool,
}

/// The summaries by team (`None`: the whole force).
#[derive(Default)]
pub struct Summaries {
    slots: Mutex<HashMap<Option<String>, Slot>>,
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
    fn plan(&self, team: &Option<String>, now: Timestamp, max_age_minutes: i64) -> Plan {
        let mut slots = self.slots.lock().expect("summary lock");
        let slot = slots.entry(team.clone()).or_default();
        match &slot.summary {
            Some(s) => {
                let stale = s.as_of.minutes_until(now) >= max_age_minutes;
                let start_refresh = stale && !slot.refreshing;
                if start_refresh {
                    slot.refreshing = true;
                }
                Plan::Show(s.clone(), start_refresh)
            }
            None if slot.refreshing => Plan::Wait,
            None => {
                slot.refreshing = true;
                Plan::Compute
            }
        }
    }

    /// Marks a computation begun (at start), so readers wait for it rather than start another.
    fn begin(&self, team: &Option<String>) -> bool {
        let mut slots = self.slots.lock().expect("summary lock");
        let slot = slots.entry(team.clone()).or_default();
        !std::mem::replace(&mut slot.refreshing, true)
    }

    fn put(&self, team: &Option<String>, summary: Arc<Summary>) {
        let mut slots = self.slots.lock().expect("summary lock");
        let slot = slots.entry(team.clone()).or_default();
        let newer = slot.summary.as_ref().is_none_or(|old| old.as_of.minutes_until(summary.as_of) >= 0);
        if newer {
            slot.summary = Some(summary);
        }
        slot.refreshing = false;
    }

    fn failed(&self, team: &Option<String>) {
        if let Some(slot) = self.slots.lock().expect("summary lock").get_mut(team) {
            slot.refreshing = false;
        }
    }
}

/// Computes the summary for `team` (the force for `None`) from the store, now.
pub async fn compute(state: &WebState, team: Option<String>) -> Result<Arc<Summary>, WebError> {
    let summary = state
        .run(move |store, now| {
            let started = Instant::now();
            let today = now.date();
            let (from, to) = (today.add_days(-WINDOW_DAYS).to_string(), today.to_string());
            let scope = team.as_deref().map(Scope::team).unwrap_or_default();
            let crimes = store.crime_facts_in(&from, &to, &scope)?;
            let rates = performance::positive_outcome_rates(&crimes);
            drop(crimes);
            let obligations = store.obligation_facts_in(&from, &to, &scope)?;
            let compliance = performance::compliance(&obligations, today);
            Ok(Summary { as_of: now, took_ms: started.elapsed().as_millis(), compliance, rates })
        })
        .await?;
    Ok(Arc::new(summary))
}

/// The summary for `team`: the one held if it is fresh; the one held while a fresh one is
/// computed in the background if it is stale; if none is held yet, the one being computed
/// (waited for) or one computed now. One computation at a time per scope: two cores do not
/// compute the same year twice.
pub async fn get(state: &WebState, team: Option<String>) -> Result<Arc<Summary>, WebError> {
    loop {
        match state.summaries.plan(&team, state.now(), state.config.summary_minutes) {
            Plan::Show(s, refresh) => {
                if refresh {
                    spawn_compute(state.clone(), team);
                }
                return Ok(s);
            }
            Plan::Wait => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            Plan::Compute => {
                // Whatever ends this computation — done, failed, or the request dropped when its
                // client went away — the slot stops waiting for it (see `Computing`).
                let mut guard = Computing { summaries: &state.summaries, team: &team, done: false };
                let result = compute(state, team.clone()).await;
                guard.done = true;
                return match result {
                    Ok(s) => {
                        state.summaries.put(&team, s.clone());
                        Ok(s)
                    }
                    Err(e) => {
                        state.summaries.failed(&team);
                        Err(e)
                    }
                };
            }
        }
    }
}

/// A first computation on a request's own task. If the request is dropped before it ends,
/// the slot is freed, so that readers waiting for it (`Plan::Wait`) do not wait for ever and
/// the next reader computes it again.
struct Computing<'a> {
    summaries: &'a Summaries,
    team: &'a Option<String>,
    done: bool,
}

impl Drop for Computing<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.summaries.failed(self.team);
        }
    }
}

/// Starts computing `team`'s first summary in the background (at start), unless one is
/// being computed already.
pub fn warm(state: WebState, team: Option<String>) {
    if state.summaries.begin(&team) {
        spawn_compute(state, team);
    }
}

/// Computes `team`'s summary in the background and keeps it.
fn spawn_compute(state: WebState, team: Option<String>) {
    tokio::spawn(async move {
        match compute(&state, team.clone()).await {
            Ok(s) => state.summaries.put(&team, s),
            Err(e) => {
                state.summaries.failed(&team);
                eprintln!("peel: the twelve-month summary for {} failed: {e}", team.as_deref().unwrap_or("the force"));
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
