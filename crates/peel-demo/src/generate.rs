//! One month of the synthetic force, as a `CaseworkBulk` batch for the store.
//!
//! Each month is drawn from its own random stream (the run's seed and the month), so a month
//! is the same whichever months are loaded with it, and a batch can be made on one thread
//! while the last one is written on another.

use crate::force::{self, Group, DOMESTIC_ABUSE_MIX, HOSPITALS, NPUS, OFFENCE_MIX};
use crate::names;
use crate::place::{Area, Layout, Place};
use crate::rng::{Rng, Weighted};
use peel_domain::calendar::add_working_days;
use peel_domain::date::{days_in_month, Date, Timestamp, Weekday};
use peel_domain::outcome::{outcome_type, OutcomeGroup};
use peel_domain::thrive::{self, AllocationInput, CaseTheme, Level, Team, Thrive};
use peel_domain::victims_code::{self, Event, SeriousCrime, VictimCircumstances, VictimKind};
use peel_domain::ContactMethod;
use peel_domain::YearMonth;
use peel_store::casework::NewSite;
use peel_store::{entitlement_mask, CaseworkBulk};
use std::collections::HashMap;

/// The audit entity and actor of a demo batch.
pub const SOURCE: &str = "demo-load";
pub const ACTOR: &str = "demo";

/// Non-crime incidents for every recorded crime, and non-crime domestic abuse incidents for
/// every domestic abuse crime. Peel's assumption: the seeds give crime volumes only.
const NON_CRIME_PER_CRIME: f64 = 0.10;
const NON_CRIME_DA_PER_DA_CRIME: f64 = 0.35;
const HATE_INCIDENTS_PER_MONTH: f64 = 40.0;
const TRANSFERRED_PER_MONTH: f64 = 70.0;
/// Intelligence reports a month from the public and officers (beside the hospitals').
const INTELLIGENCE_PER_MONTH: f64 = 300.0;
/// Violent, robbery and public order incidents with a second victim (so a second crime, one
/// per victim). Peel's assumption.
const SECOND_VICTIM: f64 = 0.03;
/// Victims already a victim earlier in the month. Peel's assumption.
const REPEAT_DA_VICTIM: f64 = 0.15;
const REPEAT_VICTIM: f64 = 0.03;
/// Repeat victims recorded again as a new person, their name typed with a slip or now and
/// then their date of birth with day and month swapped: the commonest fault of a records
/// system, which the nominal index's review of possible duplicates exists to catch. Peel's
/// assumption.
const RECORDED_AGAIN: f64 = 0.1;
const DATE_SWAPPED: f64 = 0.2;
/// Victims' Code compliance: referral within 2 working days, and right-6 updates on time;
/// late, or never (left on the worklist). Peel's assumption.
const ON_TIME: f64 = 0.88;
const LATE: f64 = 0.07;

/// The sites of the demo (hospitals), in `HOSPITALS` order.
pub fn sites() -> Vec<NewSite> {
    HOSPITALS
        .iter()
        .map(|h| NewSite {
            organisation: h.organisation.to_string(),
            organisation_kind: "hospital".to_string(),
            name: h.name.to_string(),
            address: None,
            place: peel_store::casework::Place {
                latitude: Some(h.centre.0),
                longitude: Some(h.centre.1),
                neighbourhood_unit: Some(h.npu.to_string()),
                ..Default::default()
            },
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum What {
    Crime { code: usize, domestic_abuse: bool, hospital: Option<usize> },
    NonCrime { status: &'static str },
    Intelligence { hospital: Option<usize> },
}

#[derive(Debug, Clone, Copy)]
struct Spec {
    at: Timestamp,
    what: What,
}

/// A time in the month for `group` (`None`: an incident, by the day profile): the hour by
/// the group's profile, Friday and Saturday busier for night-time crime.
fn time_in_month(rng: &mut Rng, month: YearMonth, group: Option<Group>, hours: &[Weighted]) -> Timestamp {
    let days = days_in_month(month.year, month.month) as usize;
    let first = Date::new(month.year, month.month, 1).expect("a real month");
    let profile = group.map_or(force::DAY, Group::hour_profile);
    let day = loop {
        let d = first.add_days(rng.below(days) as i64);
        let weekend = matches!(d.weekday(), Weekday::Friday | Weekday::Saturday);
        if profile != force::NIGHT || weekend || rng.chance(0.85) {
            break d;
        }
    };
    let hour = hours[profile].sample(rng) as u8;
    Timestamp::new(day, hour, rng.below(60) as u8).expect("a real time")
}

/// What generating one month needs that does not change from month to month.
struct Tables {
    hours: Vec<Weighted>,
    ethnicity: Weighted,
    hospital_groups: Weighted,
}

const HOSPITAL_GROUPS: &[(Group, f64)] = &[
    (Group::ViolenceWithoutInjury, 35.0),
    (Group::ViolenceWithInjury, 15.0),
    (Group::PublicOrder, 20.0),
    (Group::OtherTheft, 15.0),
    (Group::CriminalDamage, 5.0),
    (Group::TheftFromVehicle, 5.0),
    (Group::Drugs, 3.0),
    (Group::StalkingHarassment, 2.0),
];

impl Tables {
    fn new() -> Tables {
        Tables {
            hours: force::HOUR_PROFILES.iter().map(|p| Weighted::new(p.iter().copied())).collect(),
            ethnicity: Weighted::new(force::ETHNICITIES.iter().map(|e| e.1)),
            hospital_groups: Weighted::new(HOSPITAL_GROUPS.iter().map(|g| g.1)),
        }
    }
}

/// The month's batch. Nothing is dated after `as_of`: an outcome, contact or event that
/// would come later is not there yet (the crime is still under investigation), and an
/// incident whose decision would come later is still open.
pub fn generate_month(seed: u64, month: YearMonth, as_of: Timestamp) -> CaseworkBulk {
    let mut g = Gen {
        rng: Rng::stream(seed, month.index() as u64),
        layout: Layout::get(),
        tables: Tables::new(),
        as_of,
        b: CaseworkBulk {
            source: SOURCE.to_string(),
            actor: ACTOR.to_string(),
            at: None,
            label: format!("West Midlands demo {month}, seed {seed}"),
            sites: sites(),
            ..Default::default()
        },
        thrive_cache: HashMap::new(),
        businesses: HashMap::new(),
        trusts: HashMap::new(),
        state_victim: None,
        victims: Vec::new(),
        da_victims: Vec::new(),
        times_victim: HashMap::new(),
    };
    let specs = g.specs(month);
    for s in specs {
        match s.what {
            What::Crime { code, domestic_abuse, hospital } => g.crime_incident(s.at, code, domestic_abuse, hospital),
            What::NonCrime { status } => g.non_crime(s.at, status),
            What::Intelligence { hospital } => g.intelligence(s.at, hospital),
        }
    }
    g.b
}

struct Gen {
    rng: Rng,
    layout: &'static Layout,
    tables: Tables,
    as_of: Timestamp,
    b: CaseworkBulk,
    thrive_cache: HashMap<u32, (String, Team, String)>,
    /// Business victims already in the batch: the same shop is the same person.
    businesses: HashMap<(Area, usize), u32>,
    trusts: HashMap<&'static str, u32>,
    state_victim: Option<u32>,
    /// Individual victims so far, for repeat victimisation.
    victims: Vec<u32>,
    da_victims: Vec<u32>,
    times_victim: HashMap<u32, u32>,
}

/// Given that an outcome is positive, which type, for this offence.
fn positive_allowed(code: &str, group: Group, outcome: &str) -> bool {
    match outcome {
        "1" => true,
        _ if matches!(group, Group::Homicide | Group::Rape) => false,
        "7" => code == "92E",
        "6" => matches!(
            group,
            Group::PublicOrder | Group::Shoplifting | Group::OtherTheft | Group::CriminalDamage | Group::Drugs
        ),
        "4" => {
            group.is_burglary()
                || matches!(
                    group,
                    Group::VehicleTheft | Group::TheftFromVehicle | Group::OtherTheft | Group::Shoplifting
                )
        }
        _ => true,
    }
}

fn themes_of(code: &str, group: Group, domestic_abuse: bool) -> (Vec<CaseTheme>, Vec<SeriousCrime>) {
    let mut case = Vec::new();
    let mut serious = Vec::new();
    if domestic_abuse {
        case.push(CaseTheme::DomesticAbuse);
        serious.push(SeriousCrime::DomesticAbuse);
    }
    if group.is_sexual() {
        serious.push(SeriousCrime::SexualOffence);
        if group == Group::Rape || matches!(code, "17A" | "20A" | "22A") {
            case.push(CaseTheme::SeriousSexualOffence);
        }
    }
    match code {
        "71" | "88A" => case.push(CaseTheme::ChildSexualExploitation),
        "11A" | "13" | "20B" | "17B" | "21" | "22B" => case.push(CaseTheme::ChildAbuse),
        "106" => serious.push(SeriousCrime::HumanTrafficking),
        "2" => serious.push(SeriousCrime::AttemptedMurder),
        "36" => serious.push(SeriousCrime::Kidnap),
        "56A" => serious.push(SeriousCrime::ArsonWithIntentToEndangerLife),
        "5D" => serious.push(SeriousCrime::WoundingOrGbhWithIntent),
        _ => {}
    }
    if force::HATE_CODES.contains(&code) {
        serious.push(SeriousCrime::HateCrime);
    }
    (case, serious)
}

fn severity(group: Group, domestic_abuse: bool) -> f64 {
    let s = match group {
        Group::Homicide => 0.95,
        Group::Rape => 0.8,
        Group::OtherSexual => 0.6,
        Group::ViolenceWithInjury | Group::Robbery => 0.55,
        Group::Weapons => 0.5,
        Group::Arson => 0.45,
        Group::ViolenceWithoutInjury | Group::StalkingHarassment | Group::ResidentialBurglary => 0.35,
        Group::PublicOrder => 0.25,
        Group::BusinessBurglary => 0.2,
        _ => 0.12,
    };
    if domestic_abuse {
        (s + 0.2f64).min(0.95)
    } else {
        s
    }
}

/// A victim's age at the offence.
fn victim_age(rng: &mut Rng, code: &str, group: Group, domestic_abuse: bool) -> u32 {
    match code {
        "19E" | "19H" | "20B" | "17B" | "21" => return rng.range(4, 12) as u32,
        "19D" | "19G" | "22B" | "71" | "88A" => return rng.range(13, 15) as u32,
        "11A" | "13" => return rng.range(0, 15) as u32,
        _ => {}
    }
    if domestic_abuse {
        return rng.range(18, 70) as u32 - if rng.chance(0.02) { 2 } else { 0 };
    }
    // Under 18: more often a victim of robbery, sexual offences and violence.
    let young = match group {
        Group::Robbery => 0.25,
        Group::OtherSexual | Group::Rape => 0.30,
        Group::ViolenceWithInjury | Group::ViolenceWithoutInjury | Group::Bicycle | Group::TheftFromPerson => 0.12,
        _ => 0.03,
    };
    if rng.chance(young) {
        rng.range(10, 17) as u32
    } else {
        (18.0 + rng.lognormal(20.0, 0.6)).min(95.0) as u32
    }
}

fn victim_is_female(rng: &mut Rng, code: &str, group: Group, domestic_abuse: bool) -> bool {
    match code {
        "19C" | "19D" | "19E" | "20A" | "20B" => return true,
        "19F" | "19G" | "19H" | "17A" | "17B" => return false,
        _ => {}
    }
    let p = if domestic_abuse {
        0.75
    } else if group.is_sexual() {
        0.85
    } else if matches!(group, Group::Robbery | Group::ViolenceWithInjury) {
        0.35
    } else {
        0.5
    };
    rng.chance(p)
}

fn date_of_birth(rng: &mut Rng, age: u32, on: Date) -> Date {
    on.add_years(-(age as i32)).add_days(-(rng.below(365) as i64))
}

/// Days from recording to the outcome: log-normal, cut at [`LONGEST_INVESTIGATION_DAYS`]
/// (the far tail of a log-normal runs to years, and a month of the demo must be finished
/// by the time it is two years old). Peel's assumption.
fn outcome_delay_days(rng: &mut Rng, outcome: &str) -> f64 {
    let days = match outcome {
        "18" | "14" => rng.lognormal(12.0, 0.7),
        "1" | "4" => rng.lognormal(50.0, 0.8),
        "2" | "3" | "6" | "7" | "8" => rng.lognormal(20.0, 0.8),
        _ => rng.lognormal(35.0, 0.8),
    };
    days.min(LONGEST_INVESTIGATION_DAYS)
}

const LONGEST_INVESTIGATION_DAYS: f64 = 540.0;

fn minutes(days: f64) -> i64 {
    (days * 1440.0).round() as i64
}

impl Gen {
    /// Every report of the month, in time order.
    fn specs(&mut self, month: YearMonth) -> Vec<Spec> {
        let rng = &mut self.rng;
        let day_factor = days_in_month(month.year, month.month) as f64 / (365.25 / 12.0);
        let monthly: f64 = OFFENCE_MIX.iter().map(|o| o.1 as f64).sum::<f64>() / 12.0;
        let scale = force::CRIMES_PER_MONTH / monthly;
        let mut crimes: Vec<(usize, bool)> = Vec::new();
        for (i, (code, n, group)) in OFFENCE_MIX.iter().enumerate() {
            let da_share = DOMESTIC_ABUSE_MIX.iter().find(|(c, _)| c == code).map_or(0.0, |d| d.1);
            let da = force::DOMESTIC_ABUSE_PER_MONTH * da_share;
            let other = (*n as f64 / 12.0 * scale - da).max(0.0) * group.seasonality(month.month);
            for _ in 0..rng.poisson(da * day_factor) {
                crimes.push((i, true));
            }
            for _ in 0..rng.poisson(other * day_factor) {
                crimes.push((i, false));
            }
        }
        // Hospitals: their crimes are taken from the month's, by the hospital mix.
        let mut by_group: HashMap<Group, Vec<usize>> = HashMap::new();
        for (j, &(i, da)) in crimes.iter().enumerate() {
            if !da {
                by_group.entry(OFFENCE_MIX[i].2).or_default().push(j);
            }
        }
        let mut hospital_of: HashMap<usize, usize> = HashMap::new();
        for (h, site) in HOSPITALS.iter().enumerate() {
            for _ in 0..rng.poisson(site.crimes_per_month * day_factor) {
                let group = HOSPITAL_GROUPS[self.tables.hospital_groups.sample(rng)].0;
                if let Some(list) = by_group.get_mut(&group).filter(|l| !l.is_empty()) {
                    let k = rng.below(list.len());
                    hospital_of.insert(list.swap_remove(k), h);
                }
            }
        }
        let mut specs = Vec::with_capacity(crimes.len() * 6 / 5);
        let hours = &self.tables.hours;
        for (j, &(i, da)) in crimes.iter().enumerate() {
            let at = time_in_month(rng, month, Some(OFFENCE_MIX[i].2), hours);
            specs.push(Spec {
                at,
                what: What::Crime { code: i, domestic_abuse: da, hospital: hospital_of.get(&j).copied() },
            });
        }
        let n_crimes = crimes.len() as f64;
        let n_da = crimes.iter().filter(|c| c.1).count() as f64;
        let others: [(&'static str, f64); 4] = [
            ("non-crime", NON_CRIME_PER_CRIME * n_crimes),
            ("non-crime-domestic-abuse", NON_CRIME_DA_PER_DA_CRIME * n_da),
            ("hate-incident", HATE_INCIDENTS_PER_MONTH * day_factor),
            ("transferred", TRANSFERRED_PER_MONTH * day_factor),
        ];
        for (status, lambda) in others {
            for _ in 0..rng.poisson(lambda) {
                specs.push(Spec { at: time_in_month(rng, month, None, hours), what: What::NonCrime { status } });
            }
        }
        for (h, site) in HOSPITALS.iter().enumerate() {
            for _ in 0..rng.poisson(site.intelligence_per_month * day_factor) {
                let at = time_in_month(rng, month, None, hours);
                specs.push(Spec { at, what: What::Intelligence { hospital: Some(h) } });
            }
        }
        for _ in 0..rng.poisson(INTELLIGENCE_PER_MONTH * day_factor) {
            specs
                .push(Spec { at: time_in_month(rng, month, None, hours), what: What::Intelligence { hospital: None } });
        }
        specs.retain(|s| s.at <= self.as_of);
        specs.sort_by_key(|s| s.at);
        specs
    }

    fn person(
        &mut self,
        name: String,
        dob: Option<Date>,
        female: Option<bool>,
        vulnerabilities: Vec<String>,
        business: bool,
    ) -> u32 {
        let p = &mut self.b.people;
        let ethnicity = if business || self.rng.chance(force::ETHNICITY_NOT_STATED) {
            None
        } else {
            Some(force::ETHNICITIES[self.tables.ethnicity.sample(&mut self.rng)].0.to_string())
        };
        p.name.push(name);
        p.date_of_birth.push(dob);
        p.sex.push(female.map(|f| if f { "female" } else { "male" }.to_string()));
        p.ethnicity.push(ethnicity);
        p.vulnerabilities.push(vulnerabilities);
        p.is_business.push(business);
        (p.name.len() - 1) as u32
    }

    /// Person `v` entered again as a new record (see [`RECORDED_AGAIN`]).
    fn recorded_again(&mut self, v: u32) -> u32 {
        let p = &self.b.people;
        let (name, dob, sex, vulnerabilities) = (
            p.name[v as usize].clone(),
            p.date_of_birth[v as usize],
            p.sex[v as usize].clone(),
            p.vulnerabilities[v as usize].clone(),
        );
        // One slip or the other: the name typed wrongly, or the date of birth with day and
        // month swapped (only to an earlier day: the victim is never born after the crime).
        let swapped = dob.and_then(|d| Date::new(d.year(), d.day(), d.month()).ok().filter(|s| *s < d));
        let (name, dob) = match swapped {
            Some(s) if self.rng.chance(DATE_SWAPPED) => (name, Some(s)),
            _ => (names::typed_again(&name, &mut self.rng), dob),
        };
        self.person(name, dob, sex.map(|s| s == "female"), vulnerabilities, false)
    }

    fn name(&mut self, female: bool) -> String {
        let given = if female { names::GIVEN_FEMALE } else { names::GIVEN_MALE };
        format!("{} {}", self.rng.pick(given), self.rng.pick(names::SURNAMES))
    }

    fn new_individual(&mut self, age: u32, female: bool, on: Date, domestic_abuse: bool) -> u32 {
        let name = self.name(female);
        let dob = date_of_birth(&mut self.rng, age, on);
        let mut vulnerabilities = Vec::new();
        for (marker, p) in [
            ("mental-disorder", 0.04),
            ("physical-disability", 0.03),
            ("learning-disability", 0.015),
            ("intimidated", if domestic_abuse { 0.06 } else { 0.01 }),
        ] {
            if self.rng.chance(p) {
                vulnerabilities.push(marker.to_string());
            }
        }
        self.person(name, Some(dob), Some(female), vulnerabilities, false)
    }

    fn report(
        &mut self,
        at: Timestamp,
        channel: &str,
        kind: &str,
        reporter: Option<u32>,
        place: Option<&Place>,
        account: String,
    ) {
        let created_by = match channel {
            "online" => "online-portal".to_string(),
            "partner-portal" => "partner:hospital-liaison".to_string(),
            "officer" => self.officer_of(Team::Neighbourhood, place.map_or(0, |p| p.npu)),
            _ => format!("call-handler:{:04}", self.rng.range(1, 240)),
        };
        let r = &mut self.b.reports;
        r.channel.push(channel.to_string());
        r.kind.push(kind.to_string());
        r.reported_at.push(at);
        r.reporter.push(reporter);
        r.site.push(place.and_then(|p| p.hospital).map(|h| h as u32));
        r.location.push(place.map(Place::text));
        // The layout's point; `peel demo` puts it on real ground (the nearest gazetteer
        // postcode and its areas) when the store holds a gazetteer.
        r.place.push(place.map_or_else(Default::default, |p| peel_store::casework::Place {
            latitude: Some(p.point.0),
            longitude: Some(p.point.1),
            ..Default::default()
        }));
        r.account.push(account);
        r.created_by.push(created_by);
    }

    fn officer_of(&mut self, team: Team, npu: usize) -> String {
        let unit = NPUS[npu].code.to_ascii_lowercase();
        let (prefix, pool): (String, &[u16]) = match team {
            Team::Neighbourhood => (format!("pc:{unit}"), &self.layout.npu_officers[npu]),
            Team::LocalInvestigation => (format!("dc:{unit}"), &self.layout.npu_detectives[npu]),
            Team::SeriousSexualOffences => ("dc:sso".into(), self.layout.team_officers(0)),
            Team::HighRiskDomesticAbuse => ("dc:hrda".into(), self.layout.team_officers(1)),
            Team::ChildSexualExploitation => ("dc:cse".into(), self.layout.team_officers(2)),
            Team::ChildAbuse => ("dc:cat".into(), self.layout.team_officers(3)),
            Team::PublicProtection => ("dc:ppu".into(), self.layout.team_officers(4)),
            Team::EconomicCrimeUnit => ("dc:ecu".into(), self.layout.team_officers(5)),
            Team::HighHarmAndVulnerability => ("dc:hhvt".into(), self.layout.team_officers(6)),
        };
        format!("{prefix}{:04}", pool[self.rng.below(pool.len())])
    }

    fn thrive(
        &mut self,
        group: Group,
        domestic_abuse: bool,
        vulnerable: bool,
        case: &[CaseTheme],
    ) -> (Thrive, String, Team, String) {
        let s = severity(group, domestic_abuse);
        let rng = &mut self.rng;
        let mut level = || {
            let u = rng.f64();
            if u < s * s * 0.6 {
                Level::High
            } else if u < s {
                Level::Medium
            } else {
                Level::Low
            }
        };
        let (threat, harm, risk) = (level(), level(), level());
        let investigation = rng.chance(match group {
            Group::ResidentialBurglary | Group::BusinessBurglary | Group::Robbery | Group::Shoplifting => 0.8,
            Group::ViolenceWithInjury | Group::ViolenceWithoutInjury | Group::Rape | Group::OtherSexual => 0.7,
            Group::VehicleTheft => 0.4,
            Group::TheftFromVehicle => 0.3,
            _ => 0.5,
        });
        let t = Thrive {
            threat,
            harm,
            risk,
            investigation,
            vulnerability: vulnerable || (domestic_abuse && risk == Level::High),
            engagement: rng.chance(0.5),
        };
        let mut key = (t.threat as u32)
            | (t.harm as u32) << 2
            | (t.risk as u32) << 4
            | (t.investigation as u32) << 6
            | (t.vulnerability as u32) << 7
            | (t.engagement as u32) << 8;
        let series = (group.is_burglary() || group == Group::Robbery) && rng.chance(0.04);
        let mut themes = case.to_vec();
        if series {
            themes.push(CaseTheme::SeriesCrime);
        }
        for th in &themes {
            key |= 1 << (9 + CaseTheme::WORDS.iter().position(|(_, c)| c == th).unwrap_or(0));
        }
        let (grade, team, reason) = self
            .thrive_cache
            .entry(key)
            .or_insert_with(|| {
                let a = thrive::assess(&AllocationInput { thrive: t, themes });
                let reason = format!("{}; {} ({})", a.grade_reason, a.allocation_condition, a.allocation_source);
                (a.grade.label().to_string(), a.team, reason)
            })
            .clone();
        (t, grade, team, reason)
    }

    fn channel(&mut self, group: Group, domestic_abuse: bool, hospital: bool) -> &'static str {
        if hospital {
            return ["partner-portal", "partner-portal", "partner-portal", "999", "101"][self.rng.below(5)];
        }
        // (999, 101, online, officer) shares; Peel's assumption.
        let w: [f64; 4] = if domestic_abuse {
            [45.0, 40.0, 5.0, 10.0]
        } else {
            match group {
                Group::Homicide | Group::Robbery => [55.0, 25.0, 5.0, 15.0],
                Group::ViolenceWithInjury | Group::Rape => [40.0, 40.0, 5.0, 15.0],
                Group::ViolenceWithoutInjury | Group::PublicOrder | Group::OtherSexual => [25.0, 45.0, 15.0, 15.0],
                Group::ResidentialBurglary | Group::BusinessBurglary => [30.0, 45.0, 20.0, 5.0],
                Group::Drugs | Group::Weapons => [5.0, 5.0, 0.0, 90.0],
                Group::Misc => [5.0, 20.0, 5.0, 70.0],
                Group::StalkingHarassment => [10.0, 45.0, 40.0, 5.0],
                Group::Shoplifting => [10.0, 50.0, 35.0, 5.0],
                _ => [5.0, 45.0, 45.0, 5.0],
            }
        };
        ["999", "101", "online", "officer"][self.rng.weighted(&w)]
    }

    /// A report that becomes an incident and one crime (two, now and then, for a second
    /// victim), with everything that follows on each up to `as_of`.
    fn crime_incident(&mut self, at: Timestamp, code_i: usize, domestic_abuse: bool, hospital: Option<usize>) {
        let (code, _, group) = OFFENCE_MIX[code_i];
        let business_crime = matches!(group, Group::Shoplifting | Group::BusinessBurglary)
            || matches!(code, "34A" | "49A" | "58B" | "47" | "41");
        let place = match hospital {
            Some(h) => self.layout.hospital_place(&mut self.rng, h),
            None => {
                let area = self.layout.area(&mut self.rng);
                if business_crime {
                    self.layout.business_place(&mut self.rng, area)
                } else {
                    let dwelling = domestic_abuse
                        || group == Group::ResidentialBurglary
                        || matches!(code, "58A" | "40" | "11A" | "56A");
                    self.layout.street_place(&mut self.rng, area, dwelling)
                }
            }
        };
        let victim = self.victim(code, group, domestic_abuse, &place, at.date());
        let channel = self.channel(group, domestic_abuse, hospital.is_some());
        let description = peel_domain::offence::by_code(code).map_or(code, |o| o.description);
        let how = match channel {
            "999" => "999 call",
            "101" => "101 call",
            "online" => "online report",
            "partner-portal" => "hospital staff report through the partner portal",
            _ => "officer on patrol",
        };
        let mut account = format!("{how}: {description} at {}.", place.street);
        if domestic_abuse {
            account.push_str(" Suspect is a partner or former partner of the victim.");
        }
        let reporter = if self.b.people.is_business[victim as usize] && hospital.is_none() && channel == "officer" {
            None
        } else {
            Some(victim)
        };
        self.report(at, channel, "crime", reporter, Some(&place), account);
        let report = (self.b.reports.channel.len() - 1) as u32;

        let (case, serious) = themes_of(code, group, domestic_abuse);
        let vulnerable = !self.b.people.vulnerabilities[victim as usize].is_empty()
            || self.b.people.date_of_birth[victim as usize].is_some_and(|d| d.add_years(18) > at.date());
        let (thrive, grade, team, reason) = self.thrive(group, domestic_abuse, vulnerable, &case);
        let decided = at.add_minutes(self.rng.lognormal(180.0, 1.2).round() as i64 + 1);
        let decider = format!("cst:{:04}", self.rng.range(1, 150));
        let open = decided > self.as_of;
        let inc = &mut self.b.incidents;
        inc.report.push(report);
        inc.status.push(if open { "open" } else { "crime" }.to_string());
        inc.decided_at.push((!open).then_some(decided));
        inc.decided_by.push((!open).then(|| decider.clone()));
        inc.thrive.push(Some(thrive));
        inc.grade.push(Some(grade));
        inc.team.push(Some(team.label().to_string()));
        inc.allocation_reason.push(Some(reason));
        if open {
            return;
        }
        let incident = (inc.report.len() - 1) as u32;
        let mut flags = Vec::new();
        if domestic_abuse {
            flags.push("domestic-abuse".to_string());
        }
        if force::HATE_CODES.contains(&code) {
            flags.push("hate-crime:race".to_string());
        }
        if self.b.people.is_business[victim as usize] && !matches!(group, Group::Drugs | Group::Weapons | Group::Misc) {
            flags.push("business-crime".to_string());
        }
        if hospital.is_some() {
            flags.push("hospital-site".to_string());
        }
        let officer = self.officer_of(team, place.npu);
        let crime = Crime { code, group, domestic_abuse, recorded: decided, recorder: decider, team, officer, flags };
        self.record(&crime, incident, victim, &serious, at, &place);
        let second = (group.is_violent() || matches!(group, Group::Robbery | Group::PublicOrder))
            && !domestic_abuse
            && self.rng.chance(SECOND_VICTIM);
        if second {
            let female = victim_is_female(&mut self.rng, code, group, false);
            let age = victim_age(&mut self.rng, code, group, false);
            let v2 = self.new_individual(age, female, at.date(), false);
            self.record(&crime, incident, v2, &serious, at, &place);
        }
    }

    fn victim(&mut self, code: &str, group: Group, domestic_abuse: bool, place: &Place, on: Date) -> u32 {
        if group.is_state_based() {
            if let Some(v) = self.state_victim {
                return v;
            }
            let v = self.person(names::STATE_VICTIM.to_string(), None, None, vec![], true);
            self.state_victim = Some(v);
            return v;
        }
        if let Some((area, i)) = place.business {
            if let Some(&v) = self.businesses.get(&(area, i)) {
                return v;
            }
            let name = self.layout.business(area, i).name.clone();
            let v = self.person(name, None, None, vec![], true);
            self.businesses.insert((area, i), v);
            return v;
        }
        if let Some(h) = place.hospital {
            if matches!(group, Group::OtherTheft | Group::CriminalDamage) && self.rng.chance(0.4) {
                let org = HOSPITALS[h].organisation;
                if let Some(&v) = self.trusts.get(org) {
                    return v;
                }
                let v = self.person(org.to_string(), None, None, vec![], true);
                self.trusts.insert(org, v);
                return v;
            }
        }
        let (pool, p) =
            if domestic_abuse { (&self.da_victims, REPEAT_DA_VICTIM) } else { (&self.victims, REPEAT_VICTIM) };
        if !pool.is_empty() && self.rng.chance(p) {
            let v = pool[self.rng.below(pool.len())];
            if self.rng.chance(RECORDED_AGAIN) {
                return self.recorded_again(v);
            }
            return v;
        }
        let female = victim_is_female(&mut self.rng, code, group, domestic_abuse);
        let age = victim_age(&mut self.rng, code, group, domestic_abuse);
        let v = self.new_individual(age, female, on, domestic_abuse);
        if domestic_abuse {
            self.da_victims.push(v);
        } else {
            self.victims.push(v);
        }
        v
    }

    #[allow(clippy::too_many_arguments)]
    fn contact(
        &mut self,
        crime: u32,
        person: u32,
        at: Timestamp,
        method: ContactMethod,
        by: &str,
        notes: String,
        meets: u32,
    ) -> Option<u32> {
        if at > self.as_of {
            return None;
        }
        let k = &mut self.b.contacts;
        k.crime.push(crime);
        k.person.push(person);
        k.at.push(at);
        k.method.push(method);
        k.by_whom.push(by.to_string());
        k.notes.push(notes);
        k.meets.push(meets);
        Some((k.crime.len() - 1) as u32)
    }

    fn evidence(
        &mut self,
        crime: u32,
        kind: &str,
        description: String,
        deadline: Option<Date>,
        secured: Option<Timestamp>,
        by: &str,
    ) {
        let e = &mut self.b.evidence;
        e.crime.push(crime);
        e.kind.push(kind.to_string());
        e.description.push(description);
        e.deadline.push(deadline);
        e.secured_at.push(secured.filter(|t| *t <= self.as_of));
        e.added_by.push(by.to_string());
    }

    /// When a Victims' Code duty due on `due` is met: on time, late or never.
    fn met_when(&mut self, from: Timestamp, due: Date) -> Option<Timestamp> {
        let u = self.rng.f64();
        let due_end = Timestamp::new(due, 17, 0).expect("a real time");
        if u < ON_TIME {
            let span = from.minutes_until(due_end).max(30);
            Some(from.add_minutes(30 + self.rng.below(span as usize) as i64))
        } else if u < ON_TIME + LATE {
            Some(due_end.add_minutes(minutes(self.rng.range(1, 10) as f64)))
        } else {
            None
        }
    }

    /// One recorded crime for one victim, with its outcome, suspect, events, contacts and
    /// evidence as far as `as_of`.
    fn record(
        &mut self,
        c: &Crime,
        incident: u32,
        victim: u32,
        serious: &[SeriousCrime],
        reported: Timestamp,
        place: &Place,
    ) {
        let i = self.b.crimes.incident.len() as u32;
        let business = self.b.people.is_business[victim as usize];
        let state = c.group.is_state_based();
        let homicide = c.group == Group::Homicide;
        let dob = self.b.people.date_of_birth[victim as usize];
        let marker = |m: &str, v: &Vec<String>| v.iter().any(|x| x == m);
        let vuln = self.b.people.vulnerabilities[victim as usize].clone();
        let times = {
            let t = self.times_victim.entry(victim).or_insert(0);
            *t += 1;
            *t
        };
        let eligibility = if business {
            victims_code::Eligibility { enhanced: false, reasons: vec![] }
        } else {
            victims_code::enhanced_eligibility(&VictimCircumstances {
                age_at_offence: dob.map(|d| peel_age(d, reported.date())),
                themes: serious.to_vec(),
                bereaved_close_relative: homicide,
                mental_disorder: marker("mental-disorder", &vuln),
                significant_impairment_of_intelligence_and_social_functioning: marker("learning-disability", &vuln),
                physical_disability_or_disorder: marker("physical-disability", &vuln),
                fear_or_distress_about_testifying: marker("intimidated", &vuln),
                crimes_in_last_12_months: times,
            })
        };
        let enhanced = eligibility.enhanced;

        // The outcome this crime will reach, and whether it has reached it by `as_of`.
        let positive = self.rng.chance(c.group.positive_rate());
        let outcome: &'static str = if positive {
            let weights: Vec<f64> = force::POSITIVE_OUTCOMES
                .iter()
                .map(|(o, w)| {
                    let boost = if *o == "7" && c.code == "92E" { 20.0 } else { 1.0 };
                    if positive_allowed(c.code, c.group, o) {
                        w * boost
                    } else {
                        0.0
                    }
                })
                .collect();
            force::POSITIVE_OUTCOMES[self.rng.weighted(&weights)].0
        } else {
            let table = force::other_outcomes(c.group, c.domestic_abuse);
            let weights: Vec<f64> = table.iter().map(|o| o.1).collect();
            table[self.rng.weighted(&weights)].0
        };
        let suspect_identified = !matches!(outcome, "14" | "18");
        let outcome_at = c.recorded.add_minutes(minutes(outcome_delay_days(&mut self.rng, outcome)));
        let finalised = outcome_at <= self.as_of;
        let o = &mut self.b.crimes;
        o.incident.push(incident);
        o.offence_code.push(c.code.to_string());
        o.recorded_at.push(c.recorded);
        o.recorded_by.push(c.recorder.clone());
        o.flags.push(c.flags.clone());
        o.team.push(Some(c.team.label().to_string()));
        o.officer.push(Some(c.officer.clone()));
        o.outcome.push(finalised.then(|| outcome.to_string()));
        o.outcome_at.push(finalised.then_some(outcome_at));
        o.victim.push(victim);
        o.enhanced.push(enhanced);
        o.enhanced_reasons.push(eligibility.reasons.into_iter().map(|r| r.reason).collect());
        o.bereaved_relative.push(homicide);

        // The suspect, when one is identified: a youth for a youth caution, an adult for an
        // adult caution.
        let mut arrested = None;
        if suspect_identified {
            let age = match outcome {
                "2" => self.rng.range(12, 17) as u32,
                "3" => self.rng.range(18, 65) as u32,
                _ if self.rng.chance(0.15) => self.rng.range(12, 17) as u32,
                _ => (18.0 + self.rng.lognormal(12.0, 0.6)).min(80.0) as u32,
            };
            let female = self.rng.chance(if c.domestic_abuse { 0.15 } else { 0.2 });
            let name = self.name(female);
            let dob = date_of_birth(&mut self.rng, age, reported.date());
            let s = self.person(name, Some(dob), Some(female), vec![], false);
            self.b.suspects.crime.push(i);
            self.b.suspects.person.push(s);
            let arrestable = c.group.is_violent()
                || c.group.is_sexual()
                || c.group.is_burglary()
                || matches!(c.group, Group::Robbery | Group::Weapons | Group::Drugs);
            if arrestable && self.rng.chance(0.6) {
                let t = c.recorded.add_minutes(minutes(self.rng.lognormal(2.0, 1.0)));
                if t <= self.as_of && (!finalised || t <= outcome_at) {
                    arrested = Some(t);
                }
            }
        }

        // Contacts meeting the entitlements owed at the report.
        let officer = c.officer.clone();
        let mut kind_keys = vec!["2-recording", "3-acknowledgement", "3-what-to-expect"];
        if state {
            // The Crown has no one to tell: the crime service team closes its entitlements.
            let owed = victims_code::obligations_at_report(
                reported,
                VictimKind { enhanced: false, business: true, bereaved_relative: false },
            );
            let keys: Vec<&str> = owed.iter().map(|o| o.key).collect();
            let mask = entitlement_mask(&keys).expect("Code keys");
            let at = c.recorded.add_minutes(5);
            self.contact(
                i,
                victim,
                at,
                ContactMethod::Letter,
                &c.recorder,
                "State-based crime: no victim to contact.".into(),
                mask,
            );
            kind_keys.clear();
        }
        if !kind_keys.is_empty() && self.rng.chance(0.97) {
            let method = [ContactMethod::Sms, ContactMethod::Sms, ContactMethod::Email, ContactMethod::Letter]
                [self.rng.below(4)];
            let at = c.recorded.add_minutes(self.rng.range(5, 180));
            let notes = "Crime reference, what to expect and the Victims' Code sent.".to_string();
            self.contact(i, victim, at, method, &c.recorder, notes, entitlement_mask(&kind_keys).expect("Code keys"));
        }
        if !state {
            let mut keys = vec!["1-understand", "5-compensation"];
            if self.rng.chance(0.6) {
                keys.push("7-victim-personal-statement");
            }
            if business && self.rng.chance(0.5) {
                keys.push("7-business-impact-statement");
            }
            let at = c.recorded.add_minutes(minutes(self.rng.lognormal(0.8, 1.0)));
            let method = if self.rng.chance(0.4) { ContactMethod::Visit } else { ContactMethod::Phone };
            let notes = "Needs assessment; compensation and the Victim Personal Statement explained.".to_string();
            self.contact(i, victim, at, method, &officer, notes, entitlement_mask(&keys).expect("Code keys"));
            let due = add_working_days(reported.date(), victims_code::REFERRAL_WORKING_DAYS);
            if let Some(at) = self.met_when(c.recorded, due) {
                let notes = if self.rng.chance(0.7) {
                    "Referred to victim support services with consent."
                } else {
                    "Referral to victim support services offered; declined."
                };
                let mask = entitlement_mask(&["4-referral"]).expect("Code key");
                self.contact(i, victim, at, ContactMethod::Email, "victim-care:referrals", notes.to_string(), mask);
            }
        }

        // Investigation events, each owing the victim an update.
        let mut events: Vec<(Event, Timestamp)> = Vec::new();
        if let Some(t) = arrested {
            events.push((Event::Arrest, t));
        }
        if finalised {
            match outcome_type(outcome).map(|o| o.group) {
                Some(OutcomeGroup::ChargedSummonsed | OutcomeGroup::TakenIntoConsideration) => {
                    events.push((Event::Charge, outcome_at))
                }
                Some(OutcomeGroup::OutOfCourtFormal | OutcomeGroup::OutOfCourtInformal) => {
                    events.push((Event::Caution, outcome_at))
                }
                Some(
                    OutcomeGroup::NoSuspect
                    | OutcomeGroup::EvidentialDifficulties
                    | OutcomeGroup::PublicInterest
                    | OutcomeGroup::Prevented,
                ) => events.push((Event::NoFurtherAction, outcome_at)),
                _ => {}
            }
        }
        for (event, t) in events {
            let told = if state {
                None
            } else {
                let (due, _) = victims_code::due_date(event, t.date(), enhanced);
                match self.met_when(t, due) {
                    Some(at) => {
                        let notes = format!("Update: {}.", event.description());
                        let method = [
                            ContactMethod::Phone,
                            ContactMethod::Phone,
                            ContactMethod::Letter,
                            ContactMethod::Email,
                            ContactMethod::Sms,
                        ][self.rng.below(5)];
                        self.contact(i, victim, at, method, &officer, notes, 0)
                    }
                    None => None,
                }
            };
            let ev = &mut self.b.events;
            ev.crime.push(i);
            ev.event.push(event);
            ev.at.push(t);
            ev.told.push(told);
        }

        // Satisfaction: seed 002's SMS survey, answered by some victims after the outcome.
        if finalised && !business && self.rng.chance(force::SURVEY_RESPONSE) {
            let score = if self.rng.chance(force::SATISFIED_SHARE) {
                [8, 9, 10][self.rng.weighted(&[0.25, 0.30, 0.45])]
            } else {
                self.rng.weighted(&[0.03, 0.03, 0.04, 0.06, 0.08, 0.16, 0.25, 0.35]) as u32
            };
            let at = outcome_at.add_minutes(minutes(self.rng.range(2, 10) as f64));
            let verdict = if score >= 8 { "satisfied" } else { "not satisfied" };
            let notes = format!("Victim satisfaction survey (SMS): scored {score} of 10, {verdict}.");
            self.contact(i, victim, at, ContactMethod::Sms, "victim-care:survey", notes, 0);
        }

        // Evidence.
        let hospital = place.hospital.is_some();
        let g = c.group;
        let p_cctv = if hospital {
            0.9
        } else {
            match g {
                Group::Shoplifting => 0.85,
                Group::Robbery => 0.6,
                Group::BusinessBurglary | Group::TheftFromPerson => 0.5,
                Group::ViolenceWithInjury | Group::PublicOrder => 0.4,
                Group::VehicleTheft => 0.3,
                Group::ResidentialBurglary => 0.25,
                Group::CriminalDamage => 0.2,
                Group::TheftFromVehicle => 0.15,
                _ => 0.05,
            }
        };
        if self.rng.chance(p_cctv) {
            let deadline = c.recorded.date().add_days(30);
            let secured = self
                .rng
                .chance(0.8)
                .then(|| c.recorded.add_minutes(minutes(self.rng.lognormal(1.5, 0.8))))
                .filter(|t| t.date() <= deadline);
            let what = if hospital { "Site CCTV and body-worn video" } else { "CCTV covering the scene" };
            self.evidence(i, "cctv", format!("{what}: {}", place.street), Some(deadline), secured, &officer);
        }
        let p_forensic = match g {
            Group::Homicide => 1.0,
            Group::Rape => 0.7,
            Group::ResidentialBurglary => 0.45,
            Group::BusinessBurglary | Group::Arson => 0.4,
            Group::VehicleTheft => 0.25,
            _ => 0.0,
        };
        if self.rng.chance(p_forensic) {
            let secured = self.rng.chance(0.85).then(|| c.recorded.add_minutes(minutes(self.rng.lognormal(1.0, 0.7))));
            self.evidence(i, "forensic", "Scene examination: marks and swabs".into(), None, secured, &officer);
        }
        let p_statement = if g.is_violent() || g.is_sexual() || c.domestic_abuse { 0.7 } else { 0.2 };
        if !state && !business && self.rng.chance(p_statement) {
            let secured = c.recorded.add_minutes(minutes(self.rng.lognormal(1.0, 1.0)));
            self.evidence(i, "statement", "Victim's witness statement".into(), None, Some(secured), &officer);
        }
        let p_digital = if c.domestic_abuse || g == Group::StalkingHarassment {
            0.8
        } else if g.is_violent() || hospital {
            0.3
        } else {
            0.05
        };
        if self.rng.chance(p_digital) {
            let what = if g == Group::StalkingHarassment {
                "Messages downloaded from the victim's phone"
            } else {
                "Body-worn video of the first account"
            };
            let secured = self.rng.chance(0.9).then(|| c.recorded.add_minutes(self.rng.range(10, 3 * 1440)));
            self.evidence(i, "digital", what.into(), None, secured, &officer);
        }
    }

    fn non_crime(&mut self, at: Timestamp, status: &'static str) {
        let area = self.layout.area(&mut self.rng);
        let place = self.layout.street_place(&mut self.rng, area, status == "non-crime-domestic-abuse");
        let female = self.rng.chance(0.55);
        let age = (18.0 + self.rng.lognormal(20.0, 0.6)).min(90.0) as u32;
        let reporter = self.new_individual(age, female, at.date(), false);
        let channel = if self.rng.chance(0.3) { "999" } else { "101" };
        let account = match status {
            "non-crime-domestic-abuse" => "Argument between partners; no notifiable offence disclosed.",
            "hate-incident" => "Hostile remarks perceived as motivated by race; no offence disclosed.",
            "transferred" => "Offence took place outside the force area.",
            _ => "Concern for a neighbour; no offence disclosed.",
        };
        self.report(at, channel, "incident", Some(reporter), Some(&place), account.to_string());
        let report = (self.b.reports.channel.len() - 1) as u32;
        let da = status == "non-crime-domestic-abuse";
        let (thrive, grade, team, reason) = self.thrive(Group::PublicOrder, da, false, &[]);
        let decided = at.add_minutes(self.rng.lognormal(120.0, 1.0).round() as i64 + 1);
        let open = decided > self.as_of;
        let decider = format!("cst:{:04}", self.rng.range(1, 150));
        let inc = &mut self.b.incidents;
        inc.report.push(report);
        inc.status.push(if open { "open" } else { status }.to_string());
        inc.decided_at.push((!open).then_some(decided));
        inc.decided_by.push((!open).then_some(decider));
        inc.thrive.push(Some(thrive));
        inc.grade.push(Some(grade));
        inc.team.push(Some(team.label().to_string()));
        inc.allocation_reason.push(Some(reason));
    }

    fn intelligence(&mut self, at: Timestamp, hospital: Option<usize>) {
        let (place, channel, account) = match hospital {
            Some(h) => (
                self.layout.hospital_place(&mut self.rng, h),
                "partner-portal",
                "Drug use and dealing seen on hospital grounds, most evenings.",
            ),
            None => {
                let area = self.layout.area(&mut self.rng);
                let place = self.layout.street_place(&mut self.rng, area, false);
                let channel = if self.rng.chance(0.6) { "officer" } else { "online" };
                (place, channel, "Vehicles seen meeting briefly at the same spot; suspected drug supply.")
            }
        };
        self.report(at, channel, "intelligence", None, Some(&place), account.to_string());
    }
}

struct Crime {
    code: &'static str,
    group: Group,
    domestic_abuse: bool,
    recorded: Timestamp,
    recorder: String,
    team: Team,
    officer: String,
    flags: Vec<String>,
}

/// Age in whole years on `on` (as peel-casework's `age_on`).
fn peel_age(dob: Date, on: Date) -> u32 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years.max(0) as u32
}
