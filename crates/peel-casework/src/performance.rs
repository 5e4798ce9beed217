//! What supervisors, victim-care staff and the command team look at: Victims' Code
//! compliance by right, team, offence group and month; the daily management meeting list;
//! the monthly dip sample for audit; positive outcome rates; the monthly outcome return;
//! outstanding suspects ranked. Pure functions over facts the store returns.

use peel_domain::date::{Date, Timestamp};
use peel_domain::thrive::Level;
use peel_domain::{harm, offence, outcome::outcome_type};
use peel_store::casework::{CrimeFact, Due, ObligationFact};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compliance {
    /// Obligations whose due date has passed (or that were met).
    pub due: u64,
    pub met_on_time: u64,
    pub met_late: u64,
    /// Due, passed, and not met: the breaches.
    pub unmet: u64,
}

impl Compliance {
    /// Share met on time, of those due; `None` with nothing due.
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.met_on_time as f64 / self.due as f64)
    }

    fn add(&mut self, state: State) {
        match state {
            State::Pending => return,
            State::OnTime => self.met_on_time += 1,
            State::Late => self.met_late += 1,
            State::Unmet => self.unmet += 1,
        }
        self.due += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not met and not yet due: not counted for or against.
    Pending,
    OnTime,
    Late,
    Unmet,
}

/// Met by the end of the due day (or by the minute, for a due time) is on time.
fn state(o: &peel_store::casework::Obligation, as_of: Date) -> Option<State> {
    state_of(o.due, o.met_at, as_of)
}

fn state_of(due: Option<Due>, met_at: Option<Timestamp>, as_of: Date) -> Option<State> {
    let due = due?;
    let on_time = |met: Timestamp| match due {
        Due::At(t) => met <= t,
        Due::By(d) => met.date() <= d,
    };
    Some(match met_at {
        Some(met) if on_time(met) => State::OnTime,
        Some(_) => State::Late,
        None if due.date() < as_of => State::Unmet,
        None => State::Pending,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceReport {
    pub overall: Compliance,
    /// By right number; 0 is the force's five-step standard. (JSON keys are text: "6".)
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Compliance>))]
    pub by_right: BTreeMap<u8, Compliance>,
    pub by_team: BTreeMap<String, Compliance>,
    pub by_offence_group: BTreeMap<String, Compliance>,
    /// By month the crime was recorded (YYYY-MM).
    pub by_month: BTreeMap<String, Compliance>,
}

/// Victims' Code compliance as it stands on `as_of` (seed 001 §121, seed 002 §62-68).
pub fn compliance(facts: &[ObligationFact], as_of: Date) -> ComplianceReport {
    let mut r = ComplianceReport::default();
    for f in facts {
        let Some(s) = state(&f.obligation, as_of) else { continue };
        r.overall.add(s);
        r.by_right.entry(f.obligation.right_no).or_default().add(s);
        r.by_team.entry(f.team.clone().unwrap_or_else(|| "unallocated".into())).or_default().add(s);
        let group = offence::by_code(&f.offence_code).map_or("unknown offence code", |o| o.group);
        r.by_offence_group.entry(group.to_string()).or_default().add(s);
        let recorded = f.recorded_at.date();
        r.by_month.entry(format!("{:04}-{:02}", recorded.year(), recorded.month())).or_default().add(s);
    }
    r
}

/// Compliance by right and team of the crimes recorded on days `from..=to`, as
/// [`compliance`] measures it, read from the store one obligation at a time (the board
/// paper's year of a large force; by offence group and by month are left empty).
pub fn compliance_by_right_and_team(
    store: &dyn peel_store::CaseStore,
    from: Date,
    to: Date,
    as_of: Date,
) -> peel_store::Result<ComplianceReport> {
    let mut r = ComplianceReport::default();
    // Teams as they come: a few dozen names over millions of rows, kept once each.
    let mut teams: HashMap<String, Compliance> = HashMap::new();
    store.each_obligation_due(from, to, &mut |right, team, due, met| {
        let Some(s) = state_of(due, met, as_of) else { return };
        r.overall.add(s);
        r.by_right.entry(right).or_default().add(s);
        let team = team.unwrap_or("unallocated");
        match teams.get_mut(team) {
            Some(c) => c.add(s),
            None => teams.entry(team.to_string()).or_default().add(s),
        }
    })?;
    r.by_team = teams.into_iter().collect();
    Ok(r)
}

/// Repeat victimisation (Peel's rule, `victims_code::PERSISTENTLY_TARGETED`): victim of this
/// many crimes within the facts given (the caller passes the last 12 months).
pub fn repeat_victims(facts: &[CrimeFact], at_least: usize) -> Vec<(i64, usize)> {
    let mut n: HashMap<i64, usize> = HashMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded") {
        for (v, _) in &f.victims {
            *n.entry(*v).or_default() += 1;
        }
    }
    let mut out: Vec<_> = n.into_iter().filter(|(_, c)| *c >= at_least).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Repeat locations: partner sites with at least this many crimes in the facts given.
pub fn repeat_locations(facts: &[CrimeFact], at_least: usize) -> Vec<(i64, usize)> {
    let mut n: HashMap<i64, usize> = HashMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded") {
        if let Some(s) = f.site {
            *n.entry(s).or_default() += 1;
        }
    }
    let mut out: Vec<_> = n.into_iter().filter(|(_, c)| *c >= at_least).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingItem {
    pub crime: i64,
    pub reference: String,
    pub offence_code: String,
    pub team: Option<String>,
    pub reasons: Vec<String>,
}

/// The daily management meeting list (seed 003, "daily management meetings"): open crimes
/// with a high-risk THRIVE, an enhanced (vulnerable) victim, a repeat victim, or a suspect
/// still outstanding in a domestic abuse case. `repeat` is `repeat_victims` over 12 months.
pub fn daily_meeting(facts: &[CrimeFact], repeat: &[(i64, usize)]) -> Vec<MeetingItem> {
    let repeat: HashMap<i64, usize> = repeat.iter().copied().collect();
    facts
        .iter()
        .filter(|f| f.status == "recorded" && f.outcome.is_none())
        .filter_map(|f| {
            let mut reasons = Vec::new();
            if let Some(t) = &f.thrive {
                if t.risk == Level::High || t.threat == Level::High {
                    reasons.push("high risk or threat (THRIVE)".to_string());
                }
            }
            if f.victims.iter().any(|(_, enhanced)| *enhanced) {
                reasons.push("vulnerable victim: enhanced rights".into());
            }
            for (v, _) in &f.victims {
                if let Some(n) = repeat.get(v) {
                    reasons.push(format!("repeat victim: {n} crimes in 12 months"));
                }
            }
            if f.suspects > 0 && f.flags.iter().any(|x| x == "domestic-abuse") {
                reasons.push("domestic abuse with a suspect outstanding".into());
            }
            (!reasons.is_empty()).then(|| MeetingItem {
                crime: f.id,
                reference: f.reference.clone(),
                offence_code: f.offence_code.clone(),
                team: f.team.clone(),
                reasons,
            })
        })
        .collect()
}

/// A monthly dip sample of `per_team` crimes per team for audit (seed 001 §121): the same
/// month and seed always give the same sample, and any crime is as likely as any other.
pub fn dip_sample(facts: &[CrimeFact], month: &str, per_team: usize, seed: u64) -> BTreeMap<String, Vec<String>> {
    let mut by_team: BTreeMap<String, Vec<(u64, &str)>> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded" && f.recorded_at.to_string().starts_with(month)) {
        // FNV-1a of the reference and seed: a stable pseudo-random rank.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in f.reference.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        by_team.entry(f.team.clone().unwrap_or_else(|| "unallocated".into())).or_default().push((h, &f.reference));
    }
    by_team
        .into_iter()
        .map(|(team, mut v)| {
            v.sort();
            (team, v.into_iter().take(per_team).map(|(_, r)| r.to_string()).collect())
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeRate {
    pub crimes: u64,
    pub positive: u64,
    pub rate: Option<f64>,
}

/// Positive outcome rate by police.uk category of the crimes recorded in the facts given
/// (positive: outcome types 1-4 and 6-8, as `OutcomeGroup::is_positive`).
pub fn positive_outcome_rates(facts: &[CrimeFact]) -> BTreeMap<String, OutcomeRate> {
    let mut out: BTreeMap<String, OutcomeRate> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded") {
        let category =
            offence::by_code(&f.offence_code).map_or("Unknown".to_string(), |o| o.category.name().to_string());
        let r = out.entry(category).or_default();
        r.crimes += 1;
        if f.outcome.as_deref().and_then(outcome_type).is_some_and(|o| o.group.is_positive()) {
            r.positive += 1;
        }
    }
    for r in out.values_mut() {
        r.rate = (r.crimes > 0).then(|| r.positive as f64 / r.crimes as f64);
    }
    out
}

/// The monthly outcome return as CSV: outcomes assigned in `month` (YYYY-MM) by offence code
/// and outcome type, one line each, in the Home Office outcomes data's shape.
pub fn outcome_return_csv(facts: &[CrimeFact], force: &str, month: &str) -> String {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded") {
        if let (Some(o), Some(at)) = (&f.outcome, &f.outcome_at) {
            if at.to_string().starts_with(month) {
                *counts.entry((f.offence_code.clone(), o.clone())).or_default() += 1;
            }
        }
    }
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut csv =
        String::from("force,month,offence_code,offence_description,outcome_type,outcome_description,crimes\n");
    for ((code, outcome), n) in counts {
        let description = offence::by_code(&code).map_or("", |o| o.description);
        let title = outcome_type(&outcome).map_or("", |o| o.title);
        csv.push_str(&format!(
            "{},{month},{code},{},{outcome},{},{n}\n",
            quote(force),
            quote(description),
            quote(title)
        ));
    }
    csv
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutstandingSuspect {
    pub crime: i64,
    pub reference: String,
    pub score: f64,
    pub days_outstanding: i64,
    pub why: String,
}

/// Crimes with a suspect identified and no outcome yet, ranked by a documented score:
///
/// ```text
///   threat (THRIVE low/medium/high = 1/2/3) × 10
/// + risk (1/2/3) × 10
/// + harm: 10 × log10(1 + CCHI days of the offence's subgroup)
/// + 15 if any victim is vulnerable (enhanced rights)
/// + 1 for each full week outstanding.
/// ```
///
/// Threat and risk lead because they are about what the suspect may do next; harm ranks the
/// offence; the weekly point stops old cases sinking out of sight.
pub fn outstanding_suspects(facts: &[CrimeFact], today: Date) -> Vec<OutstandingSuspect> {
    let level = |l: Level| match l {
        Level::Low => 1.0,
        Level::Medium => 2.0,
        Level::High => 3.0,
    };
    let mut out: Vec<OutstandingSuspect> = facts
        .iter()
        .filter(|f| f.status == "recorded" && f.outcome.is_none() && f.suspects > 0)
        .map(|f| {
            let (threat, risk) = f.thrive.map_or((1.0, 1.0), |t| (level(t.threat), level(t.risk)));
            let days = offence::by_code(&f.offence_code).and_then(|o| harm::subgroup_weight(o.subgroup)).unwrap_or(0.0);
            let vulnerable = f.victims.iter().any(|(_, e)| *e);
            let recorded = f.recorded_at.date();
            let outstanding = recorded.days_until(today).max(0);
            let score = threat * 10.0
                + risk * 10.0
                + 10.0 * (1.0 + days).log10()
                + if vulnerable { 15.0 } else { 0.0 }
                + (outstanding / 7) as f64;
            OutstandingSuspect {
                crime: f.id,
                reference: f.reference.clone(),
                score,
                days_outstanding: outstanding,
                why: format!(
                    "threat {threat}, risk {risk}, harm {days} days{}, {outstanding} days outstanding",
                    if vulnerable { ", vulnerable victim" } else { "" }
                ),
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.reference.cmp(&b.reference)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_domain::thrive::Thrive;
    use peel_store::casework::Obligation;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn ob(right: u8, due: &str, met: Option<&str>) -> ObligationFact {
        ObligationFact {
            obligation: Obligation {
                id: 1,
                crime: 1,
                person: 1,
                entitlement: "x".into(),
                right_no: right,
                description: String::new(),
                due: Some(Due::parse(due).unwrap()),
                met_at: met.map(|m| Timestamp::parse(m).unwrap()),
                met_by: None,
            },
            crime_reference: "CRM-1".into(),
            recorded_at: peel_domain::date::Timestamp::parse("2026-11-02T10:00").unwrap(),
            offence_code: "28E".into(),
            team: Some("Walsall".into()),
            officer: None,
        }
    }

    #[test]
    fn compliance_counts_on_time_late_unmet_and_leaves_pending_out() {
        let facts = vec![
            ob(4, "2026-11-04", Some("2026-11-04T17:00")), // on time: by the end of the day
            ob(4, "2026-11-04", Some("2026-11-05T09:00")), // late
            ob(6, "2026-11-10", None),                     // unmet by 20 Nov
            ob(6, "2026-11-30", None),                     // not yet due
            ob(2, "2026-11-02T10:00", Some("2026-11-02T09:30")), // a due time, met before it
        ];
        let r = compliance(&facts, d("2026-11-20"));
        assert_eq!(r.overall, Compliance { due: 4, met_on_time: 2, met_late: 1, unmet: 1 });
        assert_eq!(r.overall.rate(), Some(0.5));
        assert_eq!(r.by_right[&4], Compliance { due: 2, met_on_time: 1, met_late: 1, unmet: 0 });
        assert_eq!(r.by_right[&6].unmet, 1);
        assert_eq!(r.by_team["Walsall"].due, 4);
        assert_eq!(r.by_offence_group["Theft offences"].due, 4);
        assert_eq!(r.by_month["2026-11"].met_on_time, 2);
    }

    fn crime(id: i64, code: &str, outcome: Option<&str>) -> CrimeFact {
        CrimeFact {
            id,
            reference: format!("CRM-2026-{id:06}"),
            recorded_at: peel_domain::date::Timestamp::parse("2026-11-02T10:00").unwrap(),
            offence_code: code.into(),
            status: "recorded".into(),
            team: Some(if id % 2 == 0 { "Coventry" } else { "Dudley" }.into()),
            officer: None,
            outcome: outcome.map(Into::into),
            outcome_at: outcome.map(|_| peel_domain::date::Timestamp::parse("2026-11-20T10:00").unwrap()),
            flags: vec![],
            victims: vec![(100 + id % 3, false)],
            suspects: 0,
            thrive: None,
            site: None,
        }
    }

    #[test]
    fn positive_outcome_rate_by_category() {
        let facts = vec![
            crime(1, "28E", Some("1")),
            crime(2, "28E", Some("18")),
            crime(3, "28E", None),
            crime(4, "46", Some("8")),
        ];
        let r = positive_outcome_rates(&facts);
        assert_eq!(r["Burglary"], OutcomeRate { crimes: 3, positive: 1, rate: Some(1.0 / 3.0) });
        assert_eq!(r["Shoplifting"].rate, Some(1.0));
    }

    #[test]
    fn outcome_return_lists_outcomes_of_the_month() {
        let facts = vec![
            crime(1, "28E", Some("1")),
            crime(2, "28E", Some("1")),
            crime(3, "46", Some("18")),
            crime(4, "46", None),
        ];
        let csv = outcome_return_csv(&facts, "West Midlands Police", "2026-11");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1], "\"West Midlands Police\",2026-11,28E,\"Burglary Residential\",1,\"Charged/summonsed\",2");
        assert!(lines[2].starts_with("\"West Midlands Police\",2026-11,46,\"Shoplifting\",18,"));
        assert!(outcome_return_csv(&facts, "x", "2026-10").lines().count() == 1);
    }

    #[test]
    fn dip_sample_is_stable_and_per_team() {
        let facts: Vec<_> = (1..=40).map(|i| crime(i, "28E", None)).collect();
        let a = dip_sample(&facts, "2026-11", 5, 7);
        assert_eq!(a.len(), 2);
        assert!(a.values().all(|v| v.len() == 5));
        assert_eq!(a, dip_sample(&facts, "2026-11", 5, 7));
        assert_ne!(a, dip_sample(&facts, "2026-11", 5, 8));
        assert!(dip_sample(&facts, "2026-10", 5, 7).is_empty());
    }

    #[test]
    fn daily_meeting_lists_each_reason() {
        let mut high = crime(1, "8N", None);
        high.thrive = Some(Thrive {
            threat: Level::High,
            harm: Level::Low,
            risk: Level::Low,
            investigation: false,
            vulnerability: false,
            engagement: false,
        });
        let mut da = crime(2, "8N", None);
        da.flags = vec!["domestic-abuse".into()];
        da.suspects = 1;
        let mut vulnerable = crime(3, "28E", None);
        vulnerable.victims = vec![(7, true)];
        let closed = crime(4, "8N", Some("1"));
        let plain = crime(5, "46", None);
        let facts = vec![high, da, vulnerable, closed, plain];
        let repeat = repeat_victims(&facts, 2);
        let list = daily_meeting(&facts, &repeat);
        let ids: Vec<i64> = list.iter().map(|i| i.crime).collect();
        // Victims 101, 102, 100 cycle through ids: 1 and 4 share victim 101 (repeat), and so on.
        assert!(ids.contains(&1) && ids.contains(&2) && ids.contains(&3));
        assert!(!ids.contains(&4), "a crime with an outcome is off the list");
        assert!(list.iter().find(|i| i.crime == 2).unwrap().reasons.iter().any(|r| r.contains("domestic abuse")));
        assert!(list.iter().find(|i| i.crime == 3).unwrap().reasons.iter().any(|r| r.contains("enhanced")));
    }

    #[test]
    fn outstanding_suspects_rank_by_the_documented_score() {
        let mut robbery = crime(1, "34B", None);
        robbery.suspects = 1;
        let mut shoplifting = crime(2, "46", None);
        shoplifting.suspects = 1;
        let mut charged = crime(3, "34B", Some("1"));
        charged.suspects = 1;
        let ranked = outstanding_suspects(&[shoplifting, robbery, charged], d("2026-11-23"));
        assert_eq!(ranked.len(), 2);
        assert_eq!(ranked[0].crime, 1, "robbery (365 days) outranks shoplifting (1 day)");
        // 10 + 10 + 10·log10(366) + 0 + 21 days / 7 = 3 weeks.
        let expected = 20.0 + 10.0 * 366f64.log10() + 3.0;
        assert!((ranked[0].score - expected).abs() < 1e-9, "{}", ranked[0].score);
        assert_eq!(ranked[0].days_outstanding, 21);
    }
}
