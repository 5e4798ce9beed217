//! The recording and victim-care workflow through the service, on a real store: a partner
//! reports, the incident is triaged, the registrar records crimes, obligations are dated,
//! contacts meet them, outcomes and cancellations obey the rules, and every change is in
//! the audit log. Dates are fixed so the Victims' Code clocks can be checked by hand.

use peel_casework::*;
use peel_domain::date::Timestamp;
use peel_domain::thrive::{Level, Thrive};
use peel_store::casework::*;
use peel_store::{SqliteStore, StoreError};

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn store() -> SqliteStore {
    SqliteStore::in_memory().unwrap()
}

fn hospital(s: &mut SqliteStore) -> i64 {
    s.add_site(
        &NewSite {
            organisation: "Heartlands Hospital Trust".into(),
            organisation_kind: "hospital".into(),
            name: "Heartlands Hospital, emergency department".into(),
            address: None,
            latitude: Some(52.478),
            longitude: Some(-1.812),
            lsoa_code: None,
            neighbourhood_unit: Some("Birmingham East".into()),
            impact_area: None,
        },
        "admin",
        "2026-12-01T09:00",
    )
    .unwrap()
    .id
}

fn person(name: &str, dob: Option<&str>) -> PersonDetails {
    PersonDetails { name: name.into(), date_of_birth: dob.map(Into::into), ..Default::default() }
}

fn partner_report(s: &mut SqliteStore, site: i64, when: &str) -> Report {
    let input = ReportInput {
        channel: "partner-portal".into(),
        kind: "crime".into(),
        reported_at: Some(when.into()),
        reporter: Some(person("Nurse Avery Example", None)),
        site: Some(site),
        location: Some("Ward 4".into()),
        account: "A patient punched a nurse, causing a cut lip.".into(),
    };
    submit_report(s, &input, "partner:avery", at(when)).unwrap()
}

fn thrive(threat: Level, vulnerability: bool) -> Thrive {
    Thrive {
        threat,
        harm: Level::Medium,
        risk: Level::Low,
        investigation: true,
        vulnerability,
        engagement: true,
    }
}

fn victim(name: &str, dob: Option<&str>, codes: &[&str]) -> VictimOffences {
    VictimOffences {
        person: PersonRef::New(person(name, dob)),
        offence_codes: codes.iter().map(|c| c.to_string()).collect(),
        themes: vec![],
        flags: vec!["hospital-site".into()],
        age_at_offence: None,
        bereaved_close_relative: false,
    }
}

#[test]
fn a_report_opens_an_incident_with_a_24_hour_clock() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-12-24T10:30");
    assert!(r.reference.starts_with("RPT-2026-"));
    let inc = s.incident(r.incident.unwrap()).unwrap();
    assert_eq!(inc.decision_due, "2026-12-25T10:30");
    assert_eq!(inc.status, "open");
    let due = decisions_due(&s, at("2026-12-25T11:00")).unwrap();
    assert_eq!(due.len(), 1);
    assert!(due[0].overdue);
    assert_eq!(due[0].minutes_left, -30);
    assert_eq!(s.reports_for_site(site).unwrap().len(), 1);
}

#[test]
fn intelligence_opens_no_incident() {
    let mut s = store();
    let input = ReportInput {
        channel: "partner-portal".into(),
        kind: "intelligence".into(),
        reported_at: None,
        reporter: None,
        site: None,
        location: Some("hospital grounds, car park B".into()),
        account: "Drug dealing seen most evenings around 8pm.".into(),
    };
    let r = submit_report(&mut s, &input, "partner:x", at("2026-11-23T12:00")).unwrap();
    assert_eq!(r.incident, None);
    assert!(decisions_due(&s, at("2026-11-23T12:00")).unwrap().is_empty());
}

#[test]
fn bad_report_fields_are_named() {
    let mut s = store();
    let mut input = ReportInput {
        channel: "pigeon".into(),
        kind: "crime".into(),
        reported_at: None,
        reporter: None,
        site: None,
        location: None,
        account: "x".into(),
    };
    let field = |r: Result<Report>| match r {
        Err(CaseError::Invalid(e)) => e.field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(submit_report(&mut s, &input, "a", at("2026-11-23T12:00"))), "channel");
    input.channel = "101".into();
    input.account = "  ".into();
    assert_eq!(field(submit_report(&mut s, &input, "a", at("2026-11-23T12:00"))), "account");
    input.account = "stolen bike".into();
    input.reported_at = Some("2026-11-24T12:00".into());
    assert_eq!(field(submit_report(&mut s, &input, "a", at("2026-11-23T12:00"))), "reported_at");
    input.reported_at = None;
    input.site = Some(99);
    assert!(matches!(
        submit_report(&mut s, &input, "a", at("2026-11-23T12:00")),
        Err(CaseError::Store(StoreError::NotFound { entity: "site", id: 99 }))
    ));
}

#[test]
fn triage_grades_and_allocates_by_the_rule_table() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-11-23T10:00");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let input = TriageInput { version: inc.version, thrive: thrive(Level::High, false), themes: vec!["domestic-abuse".into()] };
    let t = triage(&mut s, inc.id, &input, "cst:lee", at("2026-11-23T10:05")).unwrap();
    assert!(t.grade.is_some() && t.team.is_some());
    assert_eq!(t.version, inc.version + 1);
    // Triage again on the stale version: someone else's change is not overwritten.
    let again = triage(&mut s, inc.id, &input, "cst:kim", at("2026-11-23T10:06"));
    assert!(matches!(again, Err(CaseError::Store(StoreError::Conflict { .. }))), "{again:?}");
    let bad = TriageInput { themes: vec!["aliens".into()], ..input };
    assert!(matches!(triage(&mut s, inc.id, &bad, "x", at("2026-11-23T10:07")), Err(CaseError::Invalid(e)) if e.field == "themes"));
}

#[test]
fn one_crime_per_victim_with_the_principal_offence_and_dated_obligations() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-12-24T10:30");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let input = DecisionInput {
        version: inc.version,
        decision: "crime".into(),
        // The nurse: assault with injury (8N) and criminal damage (58A) → one crime, 8N.
        // A 16-year-old bystander: assault without injury → one crime, enhanced (under 18).
        victims: vec![
            victim("Nurse Avery Example", Some("1990-05-01"), &["58A", "8N"]),
            victim("Jordan Sample", Some("2010-06-01"), &["105A"]),
        ],
        team: Some("Birmingham East local investigation".into()),
        officer: Some("pc:morgan".into()),
    };
    let (inc, crimes) = record_decision(&mut s, inc.id, &input, "registrar:sam", at("2026-12-24T15:00")).unwrap();
    assert_eq!(inc.status, "crime");
    assert_eq!(crimes.len(), 2);
    assert_eq!(crimes[0].offence_code, "8N");
    assert_eq!(crimes[1].offence_code, "105A");
    assert_ne!(crimes[0].reference, crimes[1].reference);

    let adult = s.crime(crimes[0].id).unwrap();
    let youth = s.crime(crimes[1].id).unwrap();
    assert!(!adult.people[0].enhanced);
    assert!(youth.people[0].enhanced, "a victim under 18 is always enhanced");
    assert!(youth.people[0].enhanced_reasons.iter().any(|r| r.contains("18")), "{:?}", youth.people[0].enhanced_reasons);

    // Right 4 (referral within 2 working days of the report on Thu 24 Dec 2026): Fri 25,
    // Sat, Sun, Mon 28 (substitute) are not working days → Tue 29, Wed 30 = 30 Dec.
    let referral = |f: &CrimeFile| f.obligations.iter().find(|o| o.right_no == 4).cloned().unwrap();
    assert_eq!(referral(&adult).due.as_deref(), Some("2026-12-30"));
    assert!(adult.obligations.iter().any(|o| o.right_no == 3));
    assert!(adult.obligations.iter().all(|o| o.met_at.is_none()));

    // Deciding again is refused: the decision was made.
    let again = record_decision(&mut s, inc.id, &DecisionInput { version: inc.version, ..input }, "registrar:kim", at("2026-12-24T16:00"));
    assert!(matches!(again, Err(CaseError::Store(StoreError::Refused(_)))), "{again:?}");
}

#[test]
fn obligations_appear_on_the_worklist_and_a_contact_meets_them() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-11-23T09:00");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let input = DecisionInput {
        version: inc.version,
        decision: "crime".into(),
        victims: vec![victim("Nurse Avery Example", Some("1990-05-01"), &["8N"])],
        team: None,
        officer: Some("pc:morgan".into()),
    };
    let (_, crimes) = record_decision(&mut s, inc.id, &input, "registrar:sam", at("2026-11-23T12:00")).unwrap();
    let crime = crimes[0].id;
    // Arrest on Mon 23 Nov: standard victim, 5 working days → Mon 30 Nov.
    let made = record_event(&mut s, crime, &EventInput { event: "arrest".into(), on: Some("2026-11-23".into()) }, "pc:morgan", at("2026-11-23T18:00")).unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].due.as_deref(), Some("2026-11-30"));

    let on_list = s.obligations_due("2026-11-30", Some("pc:morgan")).unwrap();
    assert!(on_list.iter().any(|d| d.obligation.id == made[0].id && !d.overdue));
    assert!(s.obligations_due("2026-11-30", Some("pc:other")).unwrap().is_empty());
    let later = s.obligations_due("2026-12-01", None).unwrap();
    assert!(later.iter().any(|d| d.obligation.id == made[0].id && d.overdue));

    let victim_id = s.crime(crime).unwrap().people[0].person.id;
    let contact = ContactInput {
        person: victim_id,
        method: "phone".into(),
        at: Some("2026-11-24T10:00".into()),
        notes: "Told of the arrest; bail conditions explained.".into(),
        meets: vec![made[0].id],
    };
    log_contact(&mut s, crime, &contact, "pc:morgan", at("2026-11-24T10:05")).unwrap();
    let file = s.crime(crime).unwrap();
    let met = file.obligations.iter().find(|o| o.id == made[0].id).unwrap();
    assert_eq!(met.met_at.as_deref(), Some("2026-11-24T10:00"));
    assert_eq!(met.met_by, Some(file.contacts[0].id));
    assert!(!s.obligations_due("2026-12-01", None).unwrap().iter().any(|d| d.obligation.id == made[0].id));
    // An obligation can be met once.
    let twice = log_contact(&mut s, crime, &contact, "pc:morgan", at("2026-11-24T11:00"));
    assert!(matches!(twice, Err(CaseError::Store(StoreError::Refused(_)))));
}

#[test]
fn outcomes_follow_the_rules() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-11-23T09:00");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let input = DecisionInput {
        version: inc.version,
        decision: "crime".into(),
        victims: vec![victim("Nurse Avery Example", None, &["8N"])],
        team: None,
        officer: None,
    };
    let (_, crimes) = record_decision(&mut s, inc.id, &input, "registrar:sam", at("2026-11-23T12:00")).unwrap();
    let c = &crimes[0];
    // A charge needs an identified suspect.
    let charge = OutcomeInput { version: c.version, outcome: "1".into(), suspect_identified: None, suspect_age: None, admission: false };
    match set_outcome(&mut s, c.id, &charge, "pc:morgan", at("2026-11-25T12:00")) {
        Err(CaseError::Invalid(e)) => assert_eq!(e.field, "suspect_identified"),
        other => panic!("{other:?}"),
    }
    // Outcome 18 (no suspect) closes the case and owes the victim the news.
    let nfa = OutcomeInput { outcome: "18".into(), ..charge.clone() };
    let done = set_outcome(&mut s, c.id, &nfa, "pc:morgan", at("2026-11-25T12:00")).unwrap();
    assert_eq!(done.outcome.as_deref(), Some("18"));
    let file = s.crime(c.id).unwrap();
    assert!(file.obligations.iter().any(|o| o.right_no == 6 && o.due.as_deref() == Some("2026-12-02")));
    // With a suspect on the crime, a charge is accepted (a later, corrected outcome).
    add_person(&mut s, c.id, &PersonInput { person: PersonRef::New(person("Casey Placeholder", Some("1985-01-01"))), role: "suspect".into(), enhanced: false }, "pc:morgan", at("2026-11-26T09:00")).unwrap();
    let charge = OutcomeInput { version: done.version, ..charge };
    assert_eq!(set_outcome(&mut s, c.id, &charge, "pc:morgan", at("2026-11-26T12:00")).unwrap().outcome.as_deref(), Some("1"));
}

#[test]
fn cancellation_needs_a_reason_and_a_designated_decision_maker() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-11-23T09:00");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let input = DecisionInput {
        version: inc.version,
        decision: "crime".into(),
        victims: vec![victim("Nurse Avery Example", None, &["8N"])],
        team: None,
        officer: None,
    };
    let (_, crimes) = record_decision(&mut s, inc.id, &input, "registrar:sam", at("2026-11-23T12:00")).unwrap();
    let c = &crimes[0];
    let mut cancel = CancelInput {
        version: c.version,
        reason: "duplicate".into(),
        detail: "CRM-2026-000001".into(),
        role: "officer".into(),
        actor: "pc:morgan".into(),
    };
    match cancel_crime(&mut s, c.id, &cancel, at("2026-11-24T09:00")) {
        Err(CaseError::Invalid(e)) => assert_eq!(e.field, "decided_by"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.crime(c.id).unwrap().crime.status, "recorded", "nothing changed");
    cancel.reason = "changed-my-mind".into();
    cancel.role = "ddm".into();
    assert!(matches!(cancel_crime(&mut s, c.id, &cancel, at("2026-11-24T09:00")), Err(CaseError::Invalid(e)) if e.field == "reason"));
    cancel.reason = "duplicate".into();
    cancel.actor = "ddm:patel".into();
    let done = cancel_crime(&mut s, c.id, &cancel, at("2026-11-24T09:00")).unwrap();
    assert_eq!(done.status, "cancelled");
    assert_eq!(done.cancellation.as_ref().unwrap()["reason"], "duplicate");
    // A cancelled crime's obligations leave the worklists.
    assert!(s.obligations_due("2027-12-31", None).unwrap().iter().all(|d| d.obligation.crime != c.id));
}

#[test]
fn every_change_is_in_the_append_only_audit_log() {
    let mut s = store();
    let site = hospital(&mut s);
    let r = partner_report(&mut s, site, "2026-11-23T09:00");
    let inc = s.incident(r.incident.unwrap()).unwrap();
    let t = TriageInput { version: inc.version, thrive: thrive(Level::Low, false), themes: vec![] };
    triage(&mut s, inc.id, &t, "cst:lee", at("2026-11-23T09:10")).unwrap();
    let trail = s.audit_trail("incident", inc.id).unwrap();
    let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["open", "triage"]);
    assert_eq!(trail[1].actor, "cst:lee");
    assert_eq!(trail[1].before.as_ref().unwrap()["grade"], serde_json::Value::Null);
    assert!(trail[1].after.as_ref().unwrap()["grade"].is_string());
}
