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

/// A summary older than this is recomputed in the background on the next page that reads it.
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

impl Summaries {
    fn fresh(&self, team: &Option<String>, now: Timestamp) -> (Option<Arc<Summary>>, bool) {
        let mut slots = self.slots.lock().expect("summary lock");
        let slot = slots.entry(team.clone()).or_default();
        let Some(s) = &slot.summary else { return (None, false) };
        let stale = s.as_of.minutes_until(now) >= MAX_AGE_MINUTES;
        let start_refresh = stale && !slot.refreshing;
        if start_refresh {
            slot.refreshing = true;
        }
        (Some(s.clone()), start_refresh)
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
/// computed in the background if it is stale; computed now if none is held yet.
pub async fn get(state: &WebState, team: Option<String>) -> Result<Arc<Summary>, WebError> {
    let (held, refresh) = state.summaries.fresh(&team, state.now());
    match held {
        Some(s) => {
            if refresh {
                spawn_refresh(state.clone(), team);
            }
            Ok(s)
        }
        None => {
            let s = compute(state, team.clone()).await?;
            state.summaries.put(&team, s.clone());
            Ok(s)
        }
    }
}

/// Computes `team`'s summary in the background and keeps it.
pub fn spawn_refresh(state: WebState, team: Option<String>) {
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

/// "as at 07:45 on 2026-11-23, taking 5.2 s to compute" for a page's caption.
pub fn as_at(s: &Summary) -> String {
    let (h, m) = s.as_of.time();
    format!(
        "Figures as at {h:02}:{m:02} on {}, refreshed every {} minutes ({:.1} s to compute).",
        s.as_of.date(),
        MAX_AGE_MINUTES,
        s.took_ms as f64 / 1000.0
    )
}
