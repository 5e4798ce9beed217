//! The recording and victim-care service: what officers, crime registrars, supervisors and
//! victim-care staff do, each action checked against the rules in `peel-domain` and then
//! written through the store in one transaction (with its audit entry).
//!
//! The service decides; the store keeps. Every function here takes the time it acts at, so
//! that rules about dates are tested on fixed clocks.

pub mod board;
mod error;
mod input;
pub mod performance;
pub mod search;

pub use error::CaseError;
pub use input::*;

use peel_domain::date::{Date, Timestamp};
use peel_domain::field_error::FieldError;
use peel_domain::recording::{self, CancellationReason, CancellationRequest, OutcomeFacts, RecordingDecision, Role};
use peel_domain::thrive::{self, AllocationInput, CaseTheme};
use peel_domain::victims_code::{self, Event, SeriousCrime, VictimCircumstances, VictimKind};
use peel_domain::ContactMethod;
use peel_domain::{offence, outcome::outcome_type};
use peel_store::casework::*;
/// What a casework service needs of a store (both stores are one).
pub use peel_store::CaseStore;

pub type Result<T> = std::result::Result<T, CaseError>;

/// How a report reached the force.
pub const CHANNELS: [&str; 5] = ["999", "101", "online", "partner-portal", "officer"];
const REPORT_KINDS: [&str; 3] = ["crime", "incident", "intelligence"];
const ROLES: [&str; 3] = ["victim", "suspect", "witness"];
const EVIDENCE_KINDS: [&str; 5] = ["cctv", "forensic", "statement", "digital", "other"];

fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("'{value}' is not one of: {}", allowed.join(", "))).into())
    }
}

fn required(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(FieldError::new(field, "is required").into())
    } else {
        Ok(())
    }
}

fn timestamp(field: &'static str, s: &str) -> Result<Timestamp> {
    Timestamp::parse(s).map_err(|e| FieldError::new(field, e.to_string()).into())
}

fn date(field: &'static str, s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| FieldError::new(field, e.to_string()).into())
}

fn check_person(field: &'static str, p: &PersonDetails, on: Date) -> Result<()> {
    required(field, &p.name).map_err(|_| FieldError::new(field, "a person needs a name"))?;
    if let Some(dob) = &p.date_of_birth {
        let d = Date::parse(dob).map_err(|e| FieldError::new("date_of_birth", e.to_string()))?;
        if d > on {
            return Err(FieldError::new("date_of_birth", format!("{dob} is after {on}")).into());
        }
    }
    Ok(())
}

/// The time now, as Peel keeps time: wall-clock time in England and Wales, to the minute
/// (see `Timestamp::from_unix_london`). Every caller that needs "now" asks here.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Timestamp::from_unix_london(secs)
}

/// A report's place: coordinates in range and given as a pair; an LSOA code of the 2011
/// form (E01 or W01 and six digits).
fn check_place(p: &Place) -> Result<()> {
    match (p.latitude, p.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(FieldError::new("latitude", format!("{lat} is not a latitude")).into());
            }
            if !(-180.0..=180.0).contains(&lon) {
                return Err(FieldError::new("longitude", format!("{lon} is not a longitude")).into());
            }
        }
        (None, None) => {}
        (Some(_), None) => return Err(FieldError::new("longitude", "is required with a latitude").into()),
        (None, Some(_)) => return Err(FieldError::new("latitude", "is required with a longitude").into()),
    }
    if let Some(code) = &p.lsoa_code {
        let b = code.as_bytes();
        let ok = b.len() == 9
            && (b[0] == b'E' || b[0] == b'W')
            && &b[1..3] == b"01"
            && b[3..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(FieldError::new(
                "lsoa_code",
                format!("'{code}' is not an LSOA code (E01 or W01 and six digits)"),
            )
            .into());
        }
    }
    Ok(())
}

/// Places a report or a site (see [`Place`]): from its postcode, else from its latitude and
/// longitude (the areas of the gazetteer postcode nearest the point). What Peel derives (grid
/// point, LSOA, MSOA, ward, local authority, NPU, Impact Area) replaces whatever the caller
/// sent for it. A postcode the gazetteer does not hold is kept, and the record is never
/// refused for it: the place is then the LSOA, NPU and Impact Area the caller named, if any
/// (a store without a gazetteer, a client that knows its LSOA), else unknown.
pub fn locate(store: &dyn CaseStore, given: &Place) -> Result<Place> {
    check_place(given)?;
    let postcode = given.postcode.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let mut point = None;
    let found = match (postcode, given.latitude, given.longitude) {
        (Some(pc), _, _) => match store.locate_postcode(pc) {
            Err(peel_store::StoreError::Invalid(why)) => return Err(FieldError::new("postcode", why).into()),
            other => other?,
        },
        (None, Some(lat), Some(lon)) => {
            let (e, n) = peel_domain::bng::BritishNationalGrid::new()
                .project(lon, lat)
                .filter(|(e, n)| (0.0..=700_000.0).contains(e) && (0.0..=1_300_000.0).contains(n))
                .ok_or_else(|| FieldError::new("latitude", format!("{lat}, {lon} is not in Great Britain")))?;
            point = Some((e, n));
            store.locate_grid(e, n)?
        }
        _ => None,
    };
    let mut p = Place {
        // As the force writes it ("B9 5SS"), however typed, so that one postcode is one key.
        postcode: postcode.map(|pc| peel_store::normalise_postcode(pc).unwrap_or_else(|| pc.to_string())),
        latitude: given.latitude,
        longitude: given.longitude,
        easting: point.map(|p| p.0),
        northing: point.map(|p| p.1),
        ..Place::default()
    };
    match found {
        Some(f) => {
            if p.postcode.is_some() {
                p.postcode = Some(f.postcode);
            }
            p.easting = Some(f.easting);
            p.northing = Some(f.northing);
            p.lsoa_code = Some(f.lsoa);
            p.msoa_code = f.msoa;
            p.ward_code = f.ward_code;
            p.la_code = f.la_code;
            p.neighbourhood_unit = f.npu.map(|a| a.name);
            p.impact_area = f.impact_area.map(|a| a.name);
        }
        None => {
            // Nothing the gazetteer knows: the areas the caller named (if any) stand.
            p.lsoa_code = given.lsoa_code.clone();
            p.neighbourhood_unit = given.neighbourhood_unit.clone();
            p.impact_area = given.impact_area.clone();
        }
    }
    Ok(p)
}

/// The kinds of partner organisation a site may belong to.
pub const ORGANISATION_KINDS: [&str; 4] = ["hospital", "business", "partner", "other"];

/// A partner's site (a hospital, a shop), placed by its postcode ([`locate`]).
pub fn add_site(store: &mut dyn CaseStore, site: &NewSite, actor: &str, now: Timestamp) -> Result<Site> {
    required("organisation", &site.organisation)?;
    required("name", &site.name)?;
    one_of("organisation_kind", &site.organisation_kind, &ORGANISATION_KINDS)?;
    let mut placed = site.clone();
    placed.place = locate(&*store, &site.place)?;
    Ok(store.add_site(&placed, actor, now)?)
}

/// Age in whole years on `on`.
pub fn age_on(dob: Date, on: Date) -> u32 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// The force's five-step victim contact standard (seed 002 §29), kept beside the Code's
/// rights as obligations with right number 0: steps 1, 2, 3 and 5 from the recording of the
/// crime (step 2 within seven days), step 4 with each arrest, charge or caution.
pub const FIVE_STEP_RIGHT: u8 = 0;

fn five_step(step: u8, at: Date) -> NewObligation {
    let s = &victims_code::FIVE_STEP_STANDARD[step as usize - 1];
    NewObligation {
        entitlement: format!("five-step-{step}"),
        right_no: FIVE_STEP_RIGHT,
        description: format!("Five-step standard, step {step}: {}", s.description),
        due: victims_code::five_step_due(step, at).map(Due::By),
        met_at: None,
    }
}

fn five_step_at_recording(recorded: Date) -> Vec<NewObligation> {
    [1, 2, 3, 5].into_iter().map(|step| five_step(step, recorded)).collect()
}

/// A dated entitlement as the store keeps it.
fn to_store(o: victims_code::Obligation) -> NewObligation {
    NewObligation {
        entitlement: o.key.to_string(),
        right_no: o.right,
        description: o.description,
        due: Due::of(o.due),
        met_at: None,
    }
}

/// A victim's entitlements owed from the report, as the recording decision at `decided`
/// leaves them: right 2 met by that decision (`MET_BY_THE_RECORDING_DECISION`), the rest open.
fn owed_at_recording(reported_at: Timestamp, kind: VictimKind, decided: Timestamp) -> Vec<NewObligation> {
    victims_code::obligations_at_report(reported_at, kind)
        .into_iter()
        .map(to_store)
        .map(|mut o| {
            if victims_code::MET_BY_THE_RECORDING_DECISION.contains(&o.entitlement.as_str()) {
                o.met_at = Some(decided);
            }
            o
        })
        .collect()
}

/// A report from the public, a partner or an officer. Opens an incident (with its 24-hour
/// recording-decision clock) unless it is intelligence.
pub fn submit_report(store: &mut dyn CaseStore, input: &ReportInput, actor: &str, now: Timestamp) -> Result<Report> {
    one_of("channel", &input.channel, &CHANNELS)?;
    one_of("kind", &input.kind, &REPORT_KINDS)?;
    required("account", &input.account)?;
    let reported_at = match &input.reported_at {
        Some(t) => timestamp("reported_at", t)?,
        None => now,
    };
    if reported_at > now {
        return Err(FieldError::new("reported_at", format!("{reported_at} is in the future")).into());
    }
    let occurred_at = input.occurred_at.as_deref().map(|t| timestamp("occurred_at", t)).transpose()?;
    if let Some(at) = occurred_at {
        if at > now {
            return Err(FieldError::new("occurred_at", format!("{at} is in the future")).into());
        }
        if at > reported_at {
            return Err(FieldError::new(
                "occurred_at",
                format!("{at} is after the report was received ({reported_at})"),
            )
            .into());
        }
    }
    if let Some(p) = &input.reporter {
        check_person("reporter", p, reported_at.date())?;
    }
    // Where it happened: the place given, else the partner site's.
    let mut place = locate(&*store, &input.place)?;
    if place == Place::default() {
        if let Some(site) = input.site {
            if let Some(s) = store.sites()?.into_iter().find(|s| s.id == site) {
                place = s.details.place;
            }
        }
    }
    let report = NewReport {
        channel: input.channel.clone(),
        kind: input.kind.clone(),
        reported_at,
        occurred_at,
        reporter: input.reporter.clone(),
        site: input.site,
        location: input.location.clone(),
        place,
        account: input.account.trim().to_string(),
        created_by: actor.to_string(),
        decision_due: (input.kind != "intelligence").then(|| recording::recording_decision_due(reported_at)),
    };
    Ok(store.create_report(&report)?)
}

/// THRIVE on an incident → response grade and allocation, by the rule tables.
pub fn triage(
    store: &mut dyn CaseStore,
    incident: i64,
    input: &TriageInput,
    actor: &str,
    now: Timestamp,
) -> Result<Incident> {
    let themes = input
        .themes
        .iter()
        .map(|t| CaseTheme::parse(t))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| FieldError::new("themes", e.message))?;
    let assessment = thrive::assess(&AllocationInput { thrive: input.thrive, themes });
    let t = Triage {
        thrive: input.thrive,
        grade: assessment.grade.label().to_string(),
        team: assessment.team.label().to_string(),
        allocation_reason: format!(
            "{}; {} ({})",
            assessment.grade_reason, assessment.allocation_condition, assessment.allocation_source
        ),
    };
    Ok(store.triage(incident, input.version, &t, actor, now)?)
}

/// The recording decision on an incident. For a crime: one crime per victim, the principal
/// (most serious) offence for each, each victim's enhanced eligibility worked out with its
/// reasons, and every Victims' Code entitlement dated from the report.
pub fn record_decision(
    store: &mut dyn CaseStore,
    incident: i64,
    input: &DecisionInput,
    actor: &str,
    now: Timestamp,
) -> Result<(Incident, Vec<Crime>)> {
    let decision = RecordingDecision::parse(&input.decision)?;
    let inc = store.incident(incident)?;
    let report = store.report(inc.report)?;
    let reported_at = report.reported_at;
    let status = match decision {
        RecordingDecision::Crime => "crime".to_string(),
        other => other.word().to_string(),
    };
    if decision != RecordingDecision::Crime {
        if !input.victims.is_empty() {
            return Err(FieldError::new("victims", "a non-crime or transferred decision records no crimes").into());
        }
        return Ok(store.decide(incident, input.version, &Decision { status, crimes: vec![] }, actor, now)?);
    }
    if input.victims.is_empty() {
        return Err(FieldError::new("victims", "a crime decision needs at least one victim and offence").into());
    }
    let mut crimes = Vec::new();
    for (i, v) in input.victims.iter().enumerate() {
        if v.offence_codes.is_empty() {
            return Err(FieldError::new("offence_codes", format!("victim {} has no offence", i + 1)).into());
        }
        for f in &v.flags {
            peel_domain::flags::check(f)?;
        }
        let codes: Vec<&str> = v.offence_codes.iter().map(String::as_str).collect();
        // One crime per victim: the most serious of the offences against them.
        let principal = recording::principal_offence(&codes)?;
        let themes = v
            .themes
            .iter()
            .map(|t| SeriousCrime::parse(t))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| FieldError::new("themes", e.message))?;
        let (details, existing) = match &v.person {
            PersonRef::New(p) => {
                check_person("victims", p, reported_at.date())?;
                (p.clone(), None)
            }
            PersonRef::Existing(id) => (PersonDetails::default(), Some(*id)),
        };
        let age = details.date_of_birth.as_deref().map(|d| age_on(Date::parse(d).unwrap(), reported_at.date()));
        let earlier = match existing {
            Some(id) => store.victim_crime_dates(id)?,
            None => vec![],
        };
        let mut dates: Vec<Date> = earlier;
        dates.push(reported_at.date());
        let marker = |m: &str| details.vulnerabilities.iter().any(|x| x == m);
        let eligibility = victims_code::enhanced_eligibility(&VictimCircumstances {
            age_at_offence: age.or(v.age_at_offence),
            themes,
            bereaved_close_relative: v.bereaved_close_relative,
            mental_disorder: marker("mental-disorder"),
            significant_impairment_of_intelligence_and_social_functioning: marker("learning-disability"),
            physical_disability_or_disorder: marker("physical-disability"),
            fear_or_distress_about_testifying: marker("intimidated"),
            crimes_in_last_12_months: victims_code::crimes_in_window(&dates, reported_at.date()),
        });
        let kind = VictimKind {
            enhanced: eligibility.enhanced,
            business: details.is_business,
            bereaved_relative: v.bereaved_close_relative,
        };
        let mut obligations = owed_at_recording(reported_at, kind, now);
        obligations.extend(five_step_at_recording(now.date()));
        crimes.push(NewCrime {
            victim: v.person.clone(),
            offence_code: principal.code.to_string(),
            flags: v.flags.clone(),
            team: input.team.clone().or(inc.team.clone()),
            officer: input.officer.clone(),
            enhanced: eligibility.enhanced,
            enhanced_reasons: eligibility.reasons.iter().map(|r| r.reason.clone()).collect(),
            obligations,
        });
    }
    Ok(store.decide(incident, input.version, &Decision { status, crimes }, actor, now)?)
}

/// Cancels a recorded crime: only for a reason in the Crime Recording Rules and only by a
/// designated decision maker (or the Force Crime Registrar).
pub fn cancel_crime(store: &mut dyn CaseStore, crime: i64, input: &CancelInput, now: Timestamp) -> Result<Crime> {
    // A request waiting on the crime is answered by the same write, so that it leaves the
    // decision makers' list as the crime is cancelled, whichever way the cancel came.
    if let Some(r) = store.cancel_requests(crime)?.into_iter().find(|r| r.status == "pending") {
        return cancel_on_request(store, r.id, input, now);
    }
    let request = CancellationRequest {
        reason: CancellationReason::parse(&input.reason)?,
        decided_by: Role::parse(&input.role)?,
        detail: input.detail.clone(),
    };
    recording::validate_cancellation(&request)?;
    let record = serde_json::json!({
        "reason": request.reason.word(),
        "detail": request.detail,
        "decided_by": input.actor,
        "role": input.role,
        "at": now.to_string(),
    });
    Ok(store.cancel_crime(crime, input.version, &record, &input.actor, now)?)
}

pub fn add_person(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &PersonInput,
    actor: &str,
    now: Timestamp,
) -> Result<Person> {
    one_of("role", &input.role, &ROLES)?;
    if let PersonRef::New(p) = &input.person {
        check_person("person", p, now.date())?;
    }
    // A victim added later is owed what every victim is owed, dated from now; the crime is
    // already recorded, so right 2 is met as they are added.
    let obligations: Vec<NewObligation> = if input.role == "victim" {
        let business = matches!(&input.person, PersonRef::New(p) if p.is_business);
        owed_at_recording(now, VictimKind { enhanced: input.enhanced, business, bereaved_relative: false }, now)
    } else {
        vec![]
    };
    let reasons: Vec<String> = if input.enhanced { vec!["assessed as enhanced by the officer".into()] } else { vec![] };
    Ok(store.add_person(crime, &input.person, &input.role, input.enhanced, &reasons, &obligations, actor, now)?)
}

/// An investigation event (arrest, charge, …): each victim is owed an update within 5
/// working days, 1 if enhanced (Victims' Code right 6).
pub fn record_event(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &EventInput,
    actor: &str,
    now: Timestamp,
) -> Result<Vec<Obligation>> {
    let event = Event::parse(&input.event)?;
    let on = match &input.on {
        Some(d) => date("on", d)?,
        None => now.date(),
    };
    let file = store.crime(crime)?;
    let mut out = Vec::new();
    for v in file.people.iter().filter(|p| p.role == "victim") {
        let mut new = vec![to_store(victims_code::obligation_for_event(event, on, v.enhanced))];
        if victims_code::five_step_4_applies(event) {
            new.push(five_step(4, on));
        }
        out.extend(store.add_obligations(crime, v.person.id, &new, actor, now)?);
    }
    Ok(out)
}

pub fn log_contact(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &ContactInput,
    actor: &str,
    now: Timestamp,
) -> Result<Contact> {
    let method = ContactMethod::parse(&input.method).ok_or_else(|| {
        let words: Vec<&str> = ContactMethod::ALL.iter().map(|m| m.word()).collect();
        FieldError::new("method", format!("'{}' is not one of: {}", input.method, words.join(", ")))
    })?;
    let at = match &input.at {
        Some(t) => timestamp("at", t)?,
        None => now,
    };
    if at > now {
        return Err(FieldError::new("at", format!("{at} is in the future")).into());
    }
    let contact = NewContact {
        crime,
        person: input.person,
        at,
        method,
        by_whom: actor.to_string(),
        notes: input.notes.clone(),
        meets: input.meets.clone(),
    };
    Ok(store.log_contact(&contact, actor)?)
}

pub fn add_evidence(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &EvidenceInput,
    actor: &str,
    now: Timestamp,
) -> Result<Evidence> {
    one_of("kind", &input.kind, &EVIDENCE_KINDS)?;
    required("description", &input.description)?;
    let deadline = input.deadline.as_deref().map(|d| date("deadline", d)).transpose()?;
    let e = NewEvidence {
        crime,
        kind: input.kind.clone(),
        description: input.description.clone(),
        deadline,
        secured_at: None,
        added_by: actor.to_string(),
    };
    Ok(store.add_evidence(&e, now)?)
}

/// Marks an item of evidence secured (the CCTV copied, the swab sent): it then leaves the
/// deadline lists. Not in the future, and once.
pub fn secure_evidence(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &SecureInput,
    actor: &str,
    now: Timestamp,
) -> Result<Evidence> {
    let at = match &input.at {
        Some(t) => timestamp("at", t)?,
        None => now,
    };
    if at > now {
        return Err(FieldError::new("at", format!("{at} is in the future")).into());
    }
    Ok(store.secure_evidence(crime, input.evidence, at, actor, now)?)
}

/// Finalises a crime with a Home Office outcome, if the outcome's rules allow it on the
/// facts given. Every outcome owes each victim a right-6 update (`Event::for_outcome`): of
/// the charge, of the out-of-court disposal, or that the investigation has ended.
pub fn set_outcome(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &OutcomeInput,
    actor: &str,
    now: Timestamp,
) -> Result<Crime> {
    let file = store.crime(crime)?;
    let suspect_identified = input.suspect_identified.unwrap_or(file.people.iter().any(|p| p.role == "suspect"));
    let facts = OutcomeFacts {
        suspect_identified,
        suspect_age: input.suspect_age,
        admission: input.admission,
        recorded_by_nfib: recording::recorded_by_nfib(&file.crime.offence_code),
    };
    let o = recording::validate_outcome(&input.outcome, &facts)?;
    let crime_after = store.set_outcome(crime, input.version, o.code, actor, now)?;
    // Each victim is told of the outcome as a right-6 event: a charge, an out-of-court
    // disposal, or the end of the investigation. An update already owed for the same event on
    // the same day (recorded with `record_event` before the outcome was set) is not owed twice.
    if let Some(event) = Event::for_outcome(o.group) {
        let on = now.date();
        for v in file.people.iter().filter(|p| p.role == "victim") {
            let owed = to_store(victims_code::obligation_for_event(event, on, v.enhanced));
            let already = file.obligations.iter().any(|x| x.person == v.person.id && x.description == owed.description);
            if already {
                continue;
            }
            let mut new = vec![owed];
            if victims_code::five_step_4_applies(event) {
                new.push(five_step(4, on));
            }
            store.add_obligations(crime, v.person.id, &new, actor, now)?;
        }
    }
    Ok(crime_after)
}

/// The teams a crime is allocated to: the THRIVE allocation table's teams (peel-domain
/// `thrive::Team`) and the local and neighbourhood teams that take the rest.
pub const TEAMS: [&str; 9] = [
    "Local investigation team",
    "Neighbourhood team",
    "Public Protection Unit",
    "Public Protection Unit - high-risk domestic abuse",
    "Public Protection Unit - serious sexual offences",
    "Public Protection Unit - child abuse",
    "Child sexual exploitation team",
    "Economic Crime Unit",
    "High Harm and Vulnerability Team",
];

/// Moves a recorded crime to a team and, if given, an investigating officer (an officer's
/// account, active); without one the crime waits in the team unallocated. The previous
/// allocation is in the audit entry.
pub fn reallocate(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &ReallocateInput,
    actor: &str,
    now: Timestamp,
) -> Result<Crime> {
    one_of("team", &input.team, &TEAMS)?;
    if let Some(o) = &input.officer {
        let ok = store.find_account(o)?.is_some_and(|a| a.role == peel_domain::role::Role::Officer && a.active());
        if !ok {
            return Err(FieldError::new("officer", format!("'{o}' is not an active officer's account")).into());
        }
    }
    let c = store.crime(crime)?.crime;
    if c.status != "recorded" {
        return Err(peel_store::StoreError::Refused(format!(
            "crime {} is cancelled: it is not allocated",
            c.reference
        ))
        .into());
    }
    Ok(store.reallocate(crime, input.version, &input.team, input.officer.as_deref(), actor, now)?)
}

/// Reopens a finalised crime: new evidence or information, or an outcome set in error, puts
/// the investigation back in hand (Home Office Counting Rules, crime outcomes: an outcome may
/// be revised when the investigation resumes). The outcome it had and the reason stay in the
/// audit trail; a new outcome is set as any other.
pub fn reopen(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &ReopenInput,
    actor: &str,
    now: Timestamp,
) -> Result<Crime> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", "say why the crime is reopened").into());
    }
    if reason.chars().count() > 2000 {
        return Err(FieldError::new("reason", "the reason is longer than 2,000 characters").into());
    }
    Ok(store.reopen(crime, input.version, reason, actor, now)?)
}

/// Asks for a recorded crime's offence to be changed, with a Counting Rules reason; when
/// `decides` (the Force Crime Registrar, final arbiter of classification under the Counting
/// Rules) the change is approved in the same breath, otherwise it waits on the registrar's
/// list. The new code must be a Home Office offence code.
pub fn reclassify(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &ReclassifyInput,
    actor: &str,
    decides: bool,
    now: Timestamp,
) -> Result<peel_store::changes::Reclassification> {
    let Some(offence) = peel_domain::offence::by_code(&input.to_code) else {
        return Err(FieldError::new(
            "to_code",
            format!("'{}' is not a Home Office offence code", input.to_code.trim()),
        )
        .into());
    };
    if !recording::RECLASSIFICATION_REASONS.iter().any(|(w, _)| *w == input.reason) {
        return Err(FieldError::new("reason", "choose a reason the Counting Rules accept").into());
    }
    let detail = input.detail.trim();
    if detail.is_empty() {
        return Err(FieldError::new("detail", "say what the reason rests on").into());
    }
    if detail.chars().count() > 2000 {
        return Err(FieldError::new("detail", "say it in at most 2,000 characters").into());
    }
    let request = peel_store::changes::NewReclassification {
        crime,
        to_code: offence.code.to_string(),
        reason: input.reason.clone(),
        detail: detail.to_string(),
        requested_by: actor.to_string(),
    };
    if decides {
        return Ok(store.reclassify_now(&request, input.version, "Made by the crime registrar", now)?);
    }
    Ok(store.request_reclassification(&request, input.version, now)?)
}

/// Peel's rules for investigation oversight (HMIC, seed 003: "regular use of investigation
/// plans ... reviews by supervisors within appropriate time frames"; the time frames are
/// each force's own, so these are Peel's defaults): an investigation plan within 2 days of
/// recording; a supervisor's review every 28 days while the crime is open, or on the day the
/// last review set.
pub const PLAN_WITHIN_DAYS: i64 = 2;
pub const REVIEW_EVERY_DAYS: i64 = 28;

/// An investigation plan (by the investigating officer) or a supervisor's review, which sets
/// the next review date.
pub fn add_review(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &ReviewInput,
    actor: &str,
    now: Timestamp,
) -> Result<Review> {
    one_of("kind", &input.kind, &["plan", "review"])?;
    required("text", &input.text)?;
    // Only a review sets the next review date: a plan's is the plan's day plus
    // REVIEW_EVERY_DAYS until a supervisor reviews (see `review_due`), so a second plan
    // cannot move a date a supervisor set.
    let next = match (input.kind.as_str(), &input.next_review_due) {
        ("plan", Some(_)) => {
            return Err(
                FieldError::new("next_review_due", "a plan sets no review date: a supervisor's review does").into()
            )
        }
        ("plan", None) => None,
        (_, Some(d)) => {
            let d = date("next_review_due", d)?;
            if d < now.date() {
                return Err(FieldError::new("next_review_due", format!("{d} is in the past")).into());
            }
            Some(d)
        }
        (_, None) => Some(now.date().add_days(REVIEW_EVERY_DAYS)),
    };
    Ok(store.add_review(crime, &input.kind, input.text.trim(), actor, now, next)?)
}

/// What an open crime needs next and by when: an investigation plan within
/// `PLAN_WITHIN_DAYS` of recording; then a supervisor's review on the day the latest review
/// set, or `REVIEW_EVERY_DAYS` after the first plan if none has.
pub fn review_due(
    recorded_at: Timestamp,
    plan_at: Option<Timestamp>,
    next_review_due: Option<Date>,
) -> (&'static str, Date) {
    match (plan_at, next_review_due) {
        (None, _) => ("investigation plan", recorded_at.date().add_days(PLAN_WITHIN_DAYS)),
        (Some(_), Some(next)) => ("supervisor review", next),
        (Some(plan), None) => ("supervisor review", plan.date().add_days(REVIEW_EVERY_DAYS)),
    }
}

/// Plans and reviews due on or before `on`, for one team if given, overdue first.
pub fn reviews_due(store: &dyn CaseStore, team: Option<&str>, on: Date) -> Result<Vec<ReviewDue>> {
    let mut out: Vec<ReviewDue> = store
        .review_status(team)?
        .into_iter()
        .filter_map(|s| {
            let (what, due) = review_due(s.recorded_at, s.plan_at, s.next_review_due);
            (due <= on).then(|| ReviewDue { what: what.to_string(), due, overdue: due < on, status: s })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.status.crime.cmp(&b.status.crime)));
    Ok(out)
}

/// Entitlement key of a fraud victim's referral to the Victim Care Unit: an obligation like
/// the Code's, due the next working day, which the unit's queue lists until a contact
/// meets it.
pub const VICTIM_CARE_REFERRAL: &str = "victim-care-unit-referral";

/// Fraud victim triage (seed 002 §10: romance fraud, aged 70 or over, or an NDM score above
/// 15 of 35 are referred to the Victim Care Unit). A referral becomes an obligation on the
/// crime with the reasons in its description; a victim not referred gets none.
pub fn fraud_triage(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &FraudTriageInput,
    actor: &str,
    now: Timestamp,
) -> Result<FraudTriageResult> {
    let triage = victims_code::fraud_triage(&input.victim)?;
    let file = store.crime(crime)?;
    if !file.people.iter().any(|p| p.person.id == input.person && p.role == "victim") {
        return Err(FieldError::new("person", format!("person {} is not a victim on this crime", input.person)).into());
    }
    let referral = if triage.refer {
        let due = peel_domain::calendar::add_working_days(now.date(), 1);
        let o = NewObligation {
            entitlement: VICTIM_CARE_REFERRAL.to_string(),
            right_no: 4,
            description: format!("Refer to the Victim Care Unit (fraud triage): {}", triage.reasons.join("; ")),
            due: Some(Due::By(due)),
            met_at: None,
        };
        store.add_obligations(crime, input.person, &[o], actor, now)?.into_iter().next()
    } else {
        None
    };
    Ok(FraudTriageResult { refer: triage.refer, reasons: triage.reasons, referral })
}

/// A crime's offence, for display: code, description and police.uk category.
pub fn offence_label(code: &str) -> String {
    offence::by_code(code).map_or(code.to_string(), |o| format!("{} {}", o.code, o.description))
}

pub fn outcome_label(code: &str) -> String {
    outcome_type(code).map_or(code.to_string(), |o| format!("{} {}", o.code, o.title))
}

/// Open incidents awaiting a recording decision, with the time left on the 24-hour clock.
pub fn decisions_due(store: &dyn CaseStore, now: Timestamp) -> Result<Vec<DecisionDue>> {
    Ok(store
        .decisions_due()?
        .into_iter()
        .map(|i| {
            let minutes_left = now.minutes_until(i.decision_due);
            DecisionDue { overdue: minutes_left < 0, minutes_left, incident: i }
        })
        .collect())
}

/// An officer's or supervisor's request that a decision maker cancel a crime.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequestInput {
    /// The crime's version as read.
    pub version: i64,
    /// additional-verifiable-information | duplicate | outside-jurisdiction | part-of-another-crime
    pub reason: String,
    pub detail: String,
}

/// Asks a designated decision maker to cancel a recorded crime. Only a DDM (or the Force
/// Crime Registrar) may cancel (Home Office Counting Rules, General Rules section C), so an
/// officer or supervisor who finds a reason asks one. The request is held to what a
/// cancellation needs (a listed reason, the detail it rests on), so that the decision maker
/// decides on a complete request.
pub fn request_cancellation(
    store: &mut dyn CaseStore,
    crime: i64,
    input: &CancelRequestInput,
    actor: &str,
    now: Timestamp,
) -> Result<CancelRequest> {
    let reason = CancellationReason::parse(&input.reason)?;
    // The detail rule is the cancellation's own, so checked as if a decision maker cancelled.
    recording::validate_cancellation(&CancellationRequest {
        reason,
        decided_by: Role::DesignatedDecisionMaker,
        detail: input.detail.clone(),
    })?;
    let request = NewCancelRequest {
        crime,
        reason: reason.word().to_string(),
        detail: input.detail.trim().to_string(),
        requested_by: actor.to_string(),
    };
    Ok(store.request_cancellation(&request, input.version, now)?)
}

/// A decision maker cancels a crime on a pending request: checked as [`cancel_crime`] checks
/// a cancellation (reason, role, detail), and written with the request's answer in one
/// transaction. The reason and detail are the decision maker's, which may differ from the
/// request's.
pub fn cancel_on_request(
    store: &mut dyn CaseStore,
    request: i64,
    input: &CancelInput,
    now: Timestamp,
) -> Result<Crime> {
    let checked = CancellationRequest {
        reason: CancellationReason::parse(&input.reason)?,
        decided_by: Role::parse(&input.role)?,
        detail: input.detail.clone(),
    };
    recording::validate_cancellation(&checked)?;
    let record = serde_json::json!({
        "reason": checked.reason.word(),
        "detail": checked.detail,
        "decided_by": input.actor,
        "role": input.role,
        "at": now.to_string(),
        "request": request,
    });
    let decision = CancelRequestDecision::Cancel { version: input.version, cancellation: record };
    let (_, crime) = store.decide_cancel_request(request, &decision, input.detail.trim(), &input.actor, now)?;
    Ok(crime)
}

/// A decision maker refuses a pending request; the crime stays recorded. Refusing is the
/// decision maker's decision as much as cancelling (General Rules section C), so the same
/// roles may make it, and the note says why, for the officer who asked.
pub fn refuse_cancellation_request(
    store: &mut dyn CaseStore,
    request: i64,
    role: &str,
    note: &str,
    actor: &str,
    now: Timestamp,
) -> Result<CancelRequest> {
    let role = Role::parse(role)?;
    if !recording::CANCELLING_ROLES.contains(&role) {
        return Err(FieldError::new(
            "decided_by",
            "only a designated decision maker (or the Force Crime Registrar) answers a cancellation request",
        )
        .into());
    }
    if note.trim().is_empty() {
        return Err(FieldError::new("note", "say why the request is refused, for the officer who made it").into());
    }
    let (answered, _) =
        store.decide_cancel_request(request, &CancelRequestDecision::Refuse, note.trim(), actor, now)?;
    Ok(answered)
}
