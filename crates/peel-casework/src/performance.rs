//! What supervisors, victim-care staff and the command team look at: Victims' Code
//! compliance by right, team, offence group and month; the daily management meeting list;
//! the monthly dip sample for audit; positive outcome rates; the monthly outcome return;
//! outstanding suspects ranked. Pure functions over facts the store returns.

use peel_domain::date::{Date, Timestamp};
use peel_domain::thrive::Level;
use peel_domain::victims_code::PERSISTENTLY_TARGETED;
use peel_domain::{harm, offence, outcome::outcome_type};
use peel_store::casework::{CrimeFact, Due, ObligationFact, Scope};
use peel_store::CaseStore;
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

    fn merge(&mut self, other: &Compliance) {
        self.due += other.due;
        self.met_on_time += other.met_on_time;
        self.met_late += other.met_late;
        self.unmet += other.unmet;
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
    /// By the crime's officer (username; "unallocated" for none): a supervisor's view of
    /// their team (issue 10 §5).
    pub by_officer: BTreeMap<String, Compliance>,
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
        r.by_officer.entry(f.officer.clone().unwrap_or_else(|| "unallocated".into())).or_default().add(s);
        let group = offence::by_code(&f.offence_code).map_or("unknown offence code", |o| o.group);
        r.by_offence_group.entry(group.to_string()).or_default().add(s);
        let recorded = f.recorded_at.date();
        r.by_month.entry(format!("{:04}-{:02}", recorded.year(), recorded.month())).or_default().add(s);
    }
    r
}

/// Compliance by right, team and officer of the crimes recorded on days `from..=to`, as
/// [`compliance`] measures it, counted by the store (`CaseStore::obligation_compliance`, the
/// board paper's year of a large force; by offence group and by month are left empty).
pub fn compliance_by_right_and_team(
    store: &dyn peel_store::CaseStore,
    from: Date,
    to: Date,
    as_of: Date,
) -> peel_store::Result<ComplianceReport> {
    let mut r = ComplianceReport::default();
    for g in store.obligation_compliance(from, to, as_of)? {
        let counted = Compliance {
            due: g.met_on_time + g.met_late + g.unmet,
            met_on_time: g.met_on_time,
            met_late: g.met_late,
            unmet: g.unmet,
        };
        let unallocated = || "unallocated".to_string();
        for c in [
            &mut r.overall,
            r.by_right.entry(g.right_no).or_default(),
            r.by_team.entry(g.team.unwrap_or_else(unallocated)).or_default(),
            r.by_officer.entry(g.officer.unwrap_or_else(unallocated)).or_default(),
        ] {
            c.merge(&counted);
        }
    }
    Ok(r)
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
/// still outstanding in a domestic abuse case. `repeat` is each repeat victim with their
/// crimes in the window (`CaseStore::open_crime_repeat_victims`: individuals only).
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

/// The daily meeting looks back twelve months (a year of 365 days) to the day it is held.
pub const MEETING_WINDOW_DAYS: i64 = 365;

/// The meeting's order: the crimes with most reasons first (risk, vulnerability, repetition,
/// an outstanding suspect together), then the newest.
pub fn meeting_order(items: &mut [MeetingItem]) {
    items.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then(b.crime.cmp(&a.crime)));
}

/// The daily management meeting list for a scope on a day, as the supervisor's page, the API
/// and the CLI all give it: the scope's open crimes of the last twelve months and their repeat
/// victims (individuals only: a business or "The Crown" is never a repeat victim, Victims'
/// Code 2021 on persistently targeted victims), in the meeting's order.
pub fn meeting_list(store: &dyn CaseStore, on: Date, scope: &Scope) -> peel_store::Result<Vec<MeetingItem>> {
    let from = on.add_days(-MEETING_WINDOW_DAYS);
    let facts = store.open_crime_facts_in(from, on, scope)?;
    let repeat = store.open_crime_repeat_victims(from, on, scope, PERSISTENTLY_TARGETED.crimes as usize)?;
    let mut items = daily_meeting(&facts, &repeat);
    meeting_order(&mut items);
    Ok(items)
}

/// A monthly dip sample for audit (seed 001 §121): `per_group` crimes drawn from each unit
/// (team) and each offence type (police.uk category) within it, so that a small team's rare
/// offences are audited as well as a large team's common ones. Each crime's place in the draw
/// is a hash of its reference and the seed, mixed so that neighbouring references land far
/// apart (a plain FNV-1a of sequential references kept them in order, and the sample came
/// out as a run of consecutive references): the same month and seed always give the same
/// sample, any crime is as likely as any other in its group, and another seed gives another.
pub fn dip_sample(
    facts: &[CrimeFact],
    month: &str,
    per_group: usize,
    seed: u64,
) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    type Group<'a> = Vec<(u64, &'a str)>;
    let mut groups: BTreeMap<String, BTreeMap<String, Group>> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.status == "recorded" && f.recorded_at.to_string().starts_with(month)) {
        let category =
            offence::by_code(&f.offence_code).map_or("Unknown".to_string(), |o| o.category.name().to_string());
        groups
            .entry(f.team.clone().unwrap_or_else(|| "unallocated".into()))
            .or_default()
            .entry(category)
            .or_default()
            .push((draw_rank(&f.reference, seed), &f.reference));
    }
    groups
        .into_iter()
        .map(|(team, by_type)| {
            let by_type = by_type
                .into_iter()
                .map(|(category, mut v)| {
                    v.sort();
                    let mut drawn: Vec<String> = v.into_iter().take(per_group).map(|(_, r)| r.to_string()).collect();
                    // Listed in reference order, for the auditor to work through.
                    drawn.sort();
                    (category, drawn)
                })
                .collect();
            (team, by_type)
        })
        .collect()
}

/// A crime's rank in the dip-sample draw: FNV-1a of the reference and seed, then the
/// SplitMix64 finaliser (Steele, Lea and Flood 2014), whose avalanche sends references that
/// differ in one digit to unrelated ranks.
fn draw_rank(reference: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in reference.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
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
    fn dip_sample_is_stable_and_per_team_and_offence_type() {
        // 400 crimes: two teams (even and odd ids), burglary and shoplifting alternating in
        // pairs, so that each (team, offence type) group holds 100.
        let facts: Vec<_> = (1..=400).map(|i| crime(i, if (i / 2) % 2 == 0 { "28E" } else { "46" }, None)).collect();
        let a = dip_sample(&facts, "2026-11", 10, 7);
        assert_eq!(a.len(), 2, "{a:?}");
        for (team, by_type) in &a {
            assert_eq!(by_type.keys().collect::<Vec<_>>(), ["Burglary", "Shoplifting"], "{team}");
            assert!(by_type.values().all(|v| v.len() == 10));
        }
        assert_eq!(a, dip_sample(&facts, "2026-11", 10, 7));
        assert_ne!(a, dip_sample(&facts, "2026-11", 10, 8));
        assert!(dip_sample(&facts, "2026-10", 10, 7).is_empty());
        // Random, not a run: the ten drawn of a hundred are spread over the group, not its
        // first or last ten references nor one consecutive block.
        let ids = |refs: &[String]| -> Vec<i64> { refs.iter().map(|r| r[9..].parse().unwrap()).collect() };
        for by_type in a.values() {
            for refs in by_type.values() {
                let ids = ids(refs);
                let span = ids.last().unwrap() - ids.first().unwrap();
                assert!(span > 200, "the draw spans {span} of 400 ids: {ids:?}");
                let gaps = ids.windows(2).filter(|w| w[1] - w[0] > 4).count();
                assert!(gaps >= 5, "drawn as runs: {ids:?}");
            }
        }
        // Every crime can be drawn: over many seeds each of one group's 100 is drawn at least once.
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200 {
            seen.extend(dip_sample(&facts, "2026-11", 10, seed)["Coventry"]["Burglary"].clone());
        }
        assert_eq!(seen.len(), 100);
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
        let list = daily_meeting(&facts, &[(102, 2)]);
        let ids: Vec<i64> = list.iter().map(|i| i.crime).collect();
        // Victims 101, 102, 100 cycle through ids: crime 5's victim is 102, a repeat victim.
        assert!(ids.contains(&1) && ids.contains(&2) && ids.contains(&3) && ids.contains(&5));
        assert!(list.iter().find(|i| i.crime == 5).unwrap().reasons == ["repeat victim: 2 crimes in 12 months"]);
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
