//! The worklist pages over plain HTTP: victim care's three queues, the supervisor's meeting
//! list, the liaison officer's site page, and the dashboards' twelve-month summary. Each
//! page's lines are checked against what the store says when read whole.

mod support;

use peel_domain::date::Timestamp;
use peel_store::casework::{PersonDetails, PersonRef};
use support::{Server, NOW};

/// A crime for `team` whose one victim is `name`, born on `dob`; returns the crime id.
fn crime_with_victim(s: &Server, team: &str, name: &str, dob: &str) -> i64 {
    crime_with_flags(s, team, name, dob, &[])
}

fn crime_with_flags(s: &Server, team: &str, name: &str, dob: &str, flags: &[&str]) -> i64 {
    let person = PersonDetails { name: name.into(), date_of_birth: Some(dob.into()), ..Default::default() };
    crime_for(s, team, PersonRef::New(person), flags)
}

/// A crime for `team` whose victim is `person` (new, or one already on another crime).
fn crime_for(s: &Server, team: &str, person: PersonRef, flags: &[&str]) -> i64 {
    crime_at(s, team, person, flags, Timestamp::parse(NOW).unwrap())
}

/// [`crime_for`], recorded at `now`.
fn crime_at(s: &Server, team: &str, person: PersonRef, flags: &[&str], now: Timestamp) -> i64 {
    let mut store = s.case_store();
    let input = peel_casework::ReportInput {
        channel: "101".into(),
        kind: "crime".into(),
        reported_at: None,
        occurred_at: None,
        reporter: None,
        site: None,
        location: Some("Coventry Road".into()),
        place: Default::default(),
        account: "A phone snatched in the street (synthetic).".into(),
    };
    let report = peel_casework::submit_report(&mut *store, &input, "test", now).unwrap();
    let decision = peel_casework::DecisionInput {
        version: 1,
        decision: "crime".into(),
        victims: vec![peel_casework::VictimOffences {
            person,
            offence_codes: vec!["34B".into()],
            themes: vec![],
            flags: flags.iter().map(|f| f.to_string()).collect(),
            age_at_offence: None,
            bereaved_close_relative: false,
        }],
        team: Some(team.into()),
        officer: Some("officer".into()),
    };
    peel_casework::record_decision(&mut *store, report.incident.unwrap(), &decision, "test", now).unwrap().1[0].id
}

/// "<strong>N</strong> in the queue" on a queue page.
fn queue_total(body: &str) -> String {
    let at = body.find("</strong> in the queue").unwrap_or_else(|| panic!("no queue total: {body}"));
    body[..at].rsplit("<strong>").next().unwrap().to_string()
}

#[test]
fn victim_care_queues_show_what_the_store_says_is_owed() {
    victim_care_queues_show_what_the_store_says_is_owed_on(&Server::start());
}

#[test]
fn victim_care_queues_show_what_the_store_says_is_owed_on_postgres() {
    victim_care_queues_show_what_the_store_says_is_owed_on(&Server::start_postgres());
}

fn victim_care_queues_show_what_the_store_says_is_owed_on(s: &Server) {
    let child = crime_with_victim(s, peel_web::demo::TEAM, "Robin Childexample", "2013-04-04");
    let adult = crime_with_victim(s, peel_web::demo::TEAM, "Sam Adultexample", "1971-09-09");
    let mut vc = s.client_as("victimcare");

    // Everything due by the end of today, as the store lists it unpaged.
    let store = s.case_store();
    let due_today = store
        .obligations_due(peel_domain::date::Date::parse("2026-11-23").unwrap(), &peel_store::casework::Scope::default())
        .unwrap();
    let page = vc.get("/victim-care");
    assert_eq!(page.status, 200);
    assert_eq!(queue_total(&page.body), due_today.len().to_string());
    for d in &due_today {
        assert!(page.body.contains(&d.crime_reference), "{} missing", d.crime_reference);
    }
    // The enhanced service: the child (under 18) only, due in the next three days.
    let enhanced = vc.get("/victim-care/enhanced");
    assert_eq!(enhanced.status, 200);
    assert!(enhanced.body.contains("Robin Childexample"), "{}", enhanced.body);
    assert!(!enhanced.body.contains("Sam Adultexample"));
    let child_due = store
        .obligations_due(peel_domain::date::Date::parse("2026-11-26").unwrap(), &peel_store::casework::Scope::default())
        .unwrap()
        .into_iter()
        .filter(|d| d.obligation.crime == child)
        .count();
    assert!(child_due > 0);
    assert_eq!(queue_total(&enhanced.body), child_due.to_string());
    // The same queue as CSV: a line for each obligation, references and names.
    let csv = vc.get("/victim-care.csv?queue=enhanced");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "due,overdue,crime,victim,right,what_the_victim_is_owed,officer,team");
    assert_eq!(lines.len() - 1, child_due, "{}", csv.body);
    let child_ref = store.crime(child).unwrap().crime.reference;
    assert!(lines[1..].iter().all(|l| l.contains(&format!(",{child_ref},Robin Childexample,"))), "{}", csv.body);
    assert!(lines[1..].iter().all(|l| l.contains(",Demo Investigating Officer")), "officers by name: {}", csv.body);
    // Narrowed to a team or an officer, on the page and in the download.
    let count = |c: &mut support::Client, q: &str| {
        c.get(&format!("/victim-care.csv?queue=enhanced&{q}")).body.lines().count() - 1
    };
    assert_eq!(count(&mut vc, "team=Local+investigation+team"), child_due);
    assert_eq!(count(&mut vc, "team=Another+team"), 0);
    assert_eq!(count(&mut vc, "officer=officer"), child_due);
    assert_eq!(count(&mut vc, "officer=nobody"), 0);
    assert_eq!(queue_total(&vc.get("/victim-care/enhanced?team=Another+team").body), "0");
    assert_eq!(vc.get("/victim-care.csv?queue=nonsense").status, 400);
    assert_eq!(s.client_as("officer").get("/victim-care.csv").status, 403);

    // Fraud triage: empty, then the adult's referral, then empty again once contacted.
    let fraud = vc.get("/victim-care/fraud");
    assert!(fraud.body.contains("No fraud victims are waiting"), "{}", fraud.body);
    let victim = store.crime(adult).unwrap().people[0].person.id;
    let r = vc.json(
        "POST",
        &format!("/api/crimes/{adult}/fraud-triage"),
        &serde_json::json!({"person": victim, "romance_fraud": true, "age": 55}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let referral = r.json()["referral"]["id"].as_i64().unwrap_or_else(|| panic!("a referral: {}", r.body));
    let fraud = vc.get("/victim-care/fraud");
    assert_eq!(queue_total(&fraud.body), "1");
    assert!(fraud.body.contains("Sam Adultexample") && fraud.body.contains("romance fraud"), "{}", fraud.body);
    // The unit opens the crime from its queue and logs its call.
    let crime_page = vc.get(&format!("/crimes/{adult}?meet={referral}"));
    assert_eq!(crime_page.status, 200);
    let token = crime_page.csrf();
    let r = vc.post(
        &format!("/crimes/{adult}/contacts"),
        &[
            ("_csrf", &token),
            ("person", &victim.to_string()),
            ("method", "phone"),
            ("notes", "Victim Care Unit called back (synthetic)."),
            ("meets", &referral.to_string()),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(vc.get("/victim-care/fraud").body.contains("No fraud victims are waiting"));

    // A page far past the end is empty, not an error.
    let far = vc.get("/victim-care?page=200000000000000000");
    assert_eq!(far.status, 200, "{}", far.body);
    assert_eq!(s.client_as("liaison").get("/sites/1?page=200000000000000000").status, 200);
    // Not for an officer.
    assert_eq!(s.client_as("officer").get("/victim-care/enhanced").status, 403);
}

/// The analyst's outcome-rate row for the seven robberies the meeting test records.
const ROBBERIES: &str = "<td data-label=\"Category\">Robbery</td><td data-label=\"Crimes\">7</td>";

#[test]
fn the_meeting_lists_the_teams_vulnerable_victims_and_the_figures_refresh() {
    the_meeting_lists_the_teams_vulnerable_victims_and_the_figures_refresh_on(&Server::start_with(
        peel_web::WebConfig { summary_minutes: 0, ..Default::default() },
    ));
}

#[test]
fn the_meeting_lists_the_teams_vulnerable_victims_and_the_figures_refresh_on_postgres() {
    the_meeting_lists_the_teams_vulnerable_victims_and_the_figures_refresh_on(&Server::start_postgres_with(
        peel_web::WebConfig { summary_minutes: 0, ..Default::default() },
    ));
}

fn the_meeting_lists_the_teams_vulnerable_victims_and_the_figures_refresh_on(s: &Server) {
    let mut sup = s.client_as("supervisor");
    let before = sup.get("/supervisor");
    assert_eq!(before.status, 200);
    assert!(before.body.contains("Nothing for the meeting today."), "{}", before.body);

    let first = crime_with_victim(s, peel_web::demo::TEAM, "Robin Childexample", "2013-04-04");
    let other_team = crime_with_victim(s, "Public Protection Unit", "Kit Otherteam", "2012-01-01");
    let page = sup.get("/supervisor");
    assert!(page.body.contains("vulnerable victim: enhanced rights"), "{}", page.body);
    let other_ref = s.case_store().crime(other_team).unwrap().crime.reference;
    assert!(!page.body.contains(&other_ref), "another team's crime is not on this team's meeting list");

    // Most reasons first, then the newest: a domestic abuse crime with a suspect outstanding
    // and a vulnerable victim leads two crimes with a vulnerable victim only.
    let both = crime_with_flags(s, peel_web::demo::TEAM, "Jo Twoexample", "2011-03-03", &["domestic-abuse"]);
    let suspect = peel_casework::PersonInput {
        person: PersonRef::New(PersonDetails { name: "Lee Suspectexample".into(), ..Default::default() }),
        role: "suspect".into(),
        enhanced: false,
    };
    peel_casework::add_person(&mut *s.case_store(), both, &suspect, "officer", Timestamp::parse(NOW).unwrap()).unwrap();
    let newest = crime_with_victim(s, peel_web::demo::TEAM, "Max Newexample", "2014-05-05");
    let page = sup.get("/supervisor");
    let refs: Vec<String> =
        [both, newest, first].iter().map(|c| s.case_store().crime(*c).unwrap().crime.reference).collect();
    let at: Vec<usize> = refs.iter().map(|r| page.body.find(r.as_str()).unwrap_or_else(|| panic!("{r}"))).collect();
    assert!(at[0] < at[1] && at[1] < at[2], "{refs:?} at {at:?}");
    assert!(page.body.contains("domestic abuse with a suspect outstanding"));

    // A victim of three crimes in twelve months is a repeat victim, whichever crime is open.
    let adult = crime_with_victim(s, "Public Protection Unit", "Ash Repeatexample", "1980-01-01");
    let person = s.case_store().crime(adult).unwrap().people[0].person.id;
    crime_for(s, "Public Protection Unit", PersonRef::Existing(person), &[]);
    let third = crime_for(s, peel_web::demo::TEAM, PersonRef::Existing(person), &[]);
    let page = sup.get("/supervisor");
    let third_ref = s.case_store().crime(third).unwrap().crime.reference;
    let row = page.body.split("<tr>").find(|r| r.contains(&third_ref)).unwrap_or_else(|| panic!("{}", page.body));
    assert!(row.contains("repeat victim: 3 crimes in 12 months"), "{row}");

    // The analyst's twelve-month figures were taken before the crimes; a stale summary is
    // shown while a fresh one is computed, so within moments the page shows all seven crimes.
    let mut analyst = s.client_as("analyst");
    let mut seen = String::new();
    for _ in 0..100 {
        seen = analyst.get("/analyst").body;
        if seen.contains(ROBBERIES) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(seen.contains(ROBBERIES), "{seen}");
    assert!(seen.contains("Figures as at 09:05 on 2026-11-23"), "{seen}");
}

#[test]
fn the_site_page_counts_every_report_and_pages_the_table() {
    the_site_page_counts_every_report_and_pages_the_table_on(&Server::start());
}

#[test]
fn the_site_page_counts_every_report_and_pages_the_table_on_postgres() {
    the_site_page_counts_every_report_and_pages_the_table_on(&Server::start_postgres());
}

fn the_site_page_counts_every_report_and_pages_the_table_on(s: &Server) {
    let site = s.demo_site();
    for _ in 0..105 {
        s.recorded_crime(peel_web::demo::TEAM, None, Some(site));
    }
    let mut liaison = s.client_as("liaison");
    let page = liaison.get(&format!("/sites/{site}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<span class=\"big\">105</span>reports in all"), "{}", page.body);
    assert!(page.body.contains("<span class=\"big\">105</span>recorded as crime (105 crimes)"), "{}", page.body);
    assert!(page.body.contains("Reports 1 to 100 of 105, newest first."), "{}", page.body);
    let older = liaison.get(&format!("/sites/{site}?page=2"));
    assert!(older.body.contains("Reports 101 to 105 of 105, newest first."), "{}", older.body);
    // The newest report is on the first page and not the second.
    let newest = s.case_store().site_reports(site, false, 1, 0).unwrap().remove(0).reference;
    assert!(page.body.contains(&newest) && !older.body.contains(&newest));
    // Crimes are linked by reference, never by database id.
    assert!(page.body.contains("href=\"/crimes/CRM-"), "{}", page.body);
    // The download holds every report, newest first, each with the crime recorded from it.
    let csv = liaison.get(&format!("/sites/{site}/reports.csv"));
    assert_eq!(csv.status, 200, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "report,reported,kind,decision,crimes,offences,status");
    assert_eq!(lines.len(), 106, "{}", csv.body);
    assert!(lines[1].starts_with(&format!("{newest},")), "{}", lines[1]);
    assert!(lines[1..].iter().all(|l| l.contains(",CRM-")), "{}", csv.body);
    assert_eq!(s.client_as("partner").get(&format!("/sites/{site}/reports.csv")).status, 403);
}

#[test]
fn the_meeting_shows_what_is_new_or_changed_since_the_last_first_and_keeps_decisions() {
    meeting_since_on(&Server::start());
}

#[test]
fn the_meeting_shows_what_is_new_or_changed_since_the_last_first_and_keeps_decisions_on_postgres() {
    meeting_since_on(&Server::start_postgres());
}

fn meeting_since_on(s: &Server) {
    let team = peel_web::demo::TEAM;
    let older = crime_with_victim(s, team, "Robin Childexample", "2013-04-04");
    let changed = crime_with_victim(s, team, "Kit Childexample", "2012-01-01");
    let mut sup = s.client_as("supervisor");
    let page = sup.get("/supervisor");
    assert!(
        page.body.contains("Compliance by officer") && page.body.contains("Demo Investigating Officer"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    assert_eq!(sup.post("/supervisor/meetings", &[("_csrf", &csrf)]).status, 303);

    // Twenty minutes on (within the session's idle limit): a new crime, a change to another.
    s.advance(20);
    let now = Timestamp::parse(NOW).unwrap().add_minutes(21);
    let child = PersonDetails {
        name: "Max Childexample".into(),
        date_of_birth: Some("2014-05-05".into()),
        ..Default::default()
    };
    let new = crime_at(s, team, PersonRef::New(child), &[], now);
    // The change is evidence added: audited as the evidence's, counted as the crime's.
    s.case_store()
        .add_evidence(
            &peel_store::casework::NewEvidence {
                crime: changed,
                kind: "cctv".into(),
                description: "Bus camera".into(),
                deadline: None,
                secured_at: None,
                added_by: "officer".into(),
            },
            now,
        )
        .unwrap();
    let refs: Vec<String> =
        [new, changed, older].iter().map(|c| s.case_store().crime(*c).unwrap().crime.reference).collect();
    let page = sup.get("/supervisor").body;
    let at: Vec<usize> =
        refs.iter().map(|r| page.find(&format!(">{r}<")).unwrap_or_else(|| panic!("{r}: {page}"))).collect();
    assert!(at[0] < at[1] && at[1] < at[2], "new, then changed, then the rest: {refs:?} at {at:?}");
    let row = |r: &str| page.split("<tr>").find(|x| x.contains(&format!(">{r}<"))).unwrap().to_string();
    assert!(row(&refs[0]).contains(">new<") && row(&refs[1]).contains(">changed<"), "{page}");
    assert!(!row(&refs[2]).contains(">new<") && !row(&refs[2]).contains(">changed<"));

    // A decision against the older crime, shown on its line and in the CSV.
    let done = sup.post(
        "/supervisor/decisions",
        &[("_csrf", &csrf), ("crime", &older.to_string()), ("decision", "Visit the school today")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let page = sup.get("/supervisor").body;
    let line = page.split("<tr>").find(|x| x.contains(&format!(">{}<", refs[2]))).unwrap();
    assert!(line.contains("Visit the school today"), "{line}");
    let csv = sup.get("/supervisor/meeting.csv");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "reference,offence,team,officer,why,since_last_meeting,latest_decision");
    assert_eq!(lines.len(), 4, "{}", csv.body);
    assert!(lines[1].starts_with(&format!("{},", refs[0])) && lines[1].contains(",new,"), "{}", csv.body);
    assert!(lines[3].ends_with(",Visit the school today"), "{}", csv.body);
    // Filters: by the offence's group, by the reason.
    assert_eq!(sup.get("/supervisor/meeting.csv?group=Robbery").body.lines().count(), 4);
    assert_eq!(sup.get("/supervisor/meeting.csv?group=Violence+against+the+person").body.lines().count(), 1);
    assert_eq!(sup.get("/supervisor/meeting.csv?why=repeat+victim").body.lines().count(), 1);
    // Another order on demand: oldest record first, whatever is new or changed.
    let oldest = sup.get("/supervisor/meeting.csv?sort=oldest").body;
    let order: Vec<&str> = oldest.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "{oldest}");
    assert_eq!(order[0], refs[2], "{oldest}");
    let filtered = sup.get("/supervisor?why=enhanced").body;
    assert!(refs.iter().all(|r| filtered.contains(r.as_str())), "{filtered}");
}

#[test]
fn the_officers_crimes_download_as_csv_and_only_theirs() {
    let s = Server::start();
    let mine = crime_with_victim(&s, peel_web::demo::TEAM, "Robin Childexample", "2013-04-04");
    let theirs = s.crime_against(("Casey Example", None), "8N", "B9 5SS", peel_web::demo::TEAM, Some("supervisor"));
    let mut officer = s.client_as("officer");
    let csv = officer.get("/officer/crimes.csv");
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "reference,offence,recorded,victims_code_service,status,outcome");
    let reference = s.case_store().crime(mine).unwrap().crime.reference;
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(
        lines[1].starts_with(&format!("{reference},34B Robbery of personal property,"))
            && lines[1].contains(",enhanced,"),
        "{}",
        csv.body
    );
    assert!(!csv.body.contains(&theirs));
    // Filtered: by status, offence group, flag and the day recorded.
    let rows = |c: &mut support::Client, q: &str| c.get(&format!("/officer/crimes.csv?{q}")).body.lines().count() - 1;
    assert_eq!(rows(&mut officer, "status=open&group=Robbery"), 1);
    assert_eq!(rows(&mut officer, "status=finalised"), 0);
    assert_eq!(rows(&mut officer, "group=Violence+against+the+person"), 0);
    assert_eq!(rows(&mut officer, "flag=domestic-abuse"), 0);
    assert_eq!(rows(&mut officer, "from=2026-11-23&to=2026-11-23"), 1);
    assert_eq!(rows(&mut officer, "from=2026-11-24"), 0);
    // In the order asked for.
    let second = crime_with_victim(&s, peel_web::demo::TEAM, "Kit Childexample", "2012-01-01");
    let second_ref = s.case_store().crime(second).unwrap().crime.reference;
    let first_column = |c: &mut support::Client, q: &str| -> Vec<String> {
        c.get(&format!("/officer/crimes.csv?{q}"))
            .body
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(first_column(&mut officer, ""), [second_ref.clone(), reference.clone()], "newest first");
    assert_eq!(first_column(&mut officer, "sort=oldest"), [reference.clone(), second_ref.clone()]);
    let crimes_table = |body: &str| body[body.find("id=\"crimes\"").unwrap()..].to_string();
    assert!(crimes_table(&officer.get("/officer").body).contains(&reference));
    assert!(
        !crimes_table(&officer.get("/officer?status=finalised").body).contains(&reference),
        "the page filters as the download does"
    );
    assert_eq!(s.client_as("victimcare").get("/officer/crimes.csv").status, 403);
}

#[test]
fn the_reviews_due_and_victim_care_queues_filter_sort_and_download() {
    reviews_and_queues_on(&Server::start());
}

#[test]
fn the_reviews_due_and_victim_care_queues_filter_sort_and_download_on_postgres() {
    reviews_and_queues_on(&Server::start_postgres());
}

fn reviews_and_queues_on(s: &Server) {
    const TEAM: &str = peel_web::demo::TEAM;
    // Three crimes of the officer recorded five days ago (plans overdue), one of the
    // supervisor's own recorded today (its plan due in two days).
    for minute in 0..3 {
        s.recorded_crime_at(TEAM, Some("officer"), None, &format!("2026-11-18T10:{minute:02}"));
    }
    let (_, own) = s.recorded_crime_at(TEAM, Some("supervisor"), None, "2026-11-23T08:00");
    let own_ref = s.case_store().crime(own).unwrap().crime.reference;
    let mut supervisor = s.client_as("supervisor");
    let rows = |body: &str| -> Vec<(String, String)> {
        let Some(at) = body.find(">Plans and reviews due</caption>") else {
            assert!(body.contains("No plans or reviews due."), "{body}");
            return vec![];
        };
        let table = &body[at..];
        let table = &table[..table.find("</table>").unwrap()];
        table
            .split("<tr>")
            .skip(2)
            .map(|row| {
                let due = row.split("data-label=\"Due\">").nth(1).unwrap()[..10].to_string();
                let officer = row.split("data-label=\"Officer\">").nth(1).unwrap();
                (due, officer[..officer.find('<').unwrap()].to_string())
            })
            .collect()
    };
    let all = rows(&supervisor.get("/supervisor").body);
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(all.iter().all(|(_, o)| o.starts_with("Demo ")), "officers by name, never username: {all:?}");
    let overdue = rows(&supervisor.get("/supervisor?overdue=yes").body);
    assert_eq!(overdue.len(), 3, "{overdue:?}");
    assert!(overdue.iter().all(|(d, _)| d.as_str() < "2026-11-23"), "{overdue:?}");
    let theirs = rows(&supervisor.get("/supervisor?officer=supervisor").body);
    assert_eq!(theirs, vec![("2026-11-25".to_string(), "Demo Supervisor".to_string())]);
    assert_eq!(rows(&supervisor.get("/supervisor?what=review").body).len(), 0, "no review is due before a plan");
    assert_eq!(rows(&supervisor.get("/supervisor?what=plan").body).len(), 4);
    let by_recorded = rows(&supervisor.get("/supervisor?rsort=recorded").body);
    assert_eq!(by_recorded[0].0, "2026-11-25", "the newest crime first: {by_recorded:?}");
    let csv = supervisor.get("/supervisor/reviews.csv?overdue=yes");
    assert_eq!(csv.status, 200, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "reference,what,due,overdue,team,officer");
    assert_eq!(lines.len(), 4, "{}", csv.body);
    assert!(lines[1..].iter().all(|l| l.contains(",yes,") && l.contains("Demo Investigating Officer")), "{}", csv.body);
    assert!(!csv.body.contains(&own_ref), "not overdue: {}", csv.body);
    assert_eq!(s.client_as("officer").get("/supervisor/reviews.csv").status, 403);

    // Victim care's queue sorts on demand, on the page and in the download.
    s.recorded_crime_at(TEAM, Some("officer"), None, "2026-11-02T10:00");
    let mut care = s.client_as("victimcare");
    let column = |c: &mut support::Client, q: &str, n: usize| -> Vec<String> {
        let csv = c.get(&format!("/victim-care.csv?queue=due{q}"));
        assert_eq!(csv.status, 200, "{q}: {}", csv.body);
        csv.body.lines().skip(1).map(|l| l.split(',').nth(n).unwrap().to_string()).collect()
    };
    let due = column(&mut care, "", 0);
    assert!(due.len() >= 3 && due.windows(2).all(|w| w[0] <= w[1]), "oldest due first: {due:?}");
    assert!(due.first() != due.last(), "a queue with more than one due date: {due:?}");
    let latest = column(&mut care, "&sort=latest", 0);
    assert!(latest.windows(2).all(|w| w[0] >= w[1]), "latest first: {latest:?}");
    let rights: Vec<u32> = column(&mut care, "&sort=right", 4).iter().map(|r| r.parse().unwrap()).collect();
    assert!(rights.windows(2).all(|w| w[0] <= w[1]), "by right: {rights:?}");
    assert!(rights.first() != rights.last(), "more than one right owed: {rights:?}");
    let page = care.get("/victim-care?sort=latest");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<option value=\"latest\" selected"), "the order chosen is shown");
    assert_eq!(care.get("/victim-care?sort=sideways").status, 400);
}

#[test]
fn the_recording_decision_queue_filters_pages_and_downloads() {
    let s = Server::start();
    // 103 reports waiting for a decision: every third online, the first 40 more than a day old.
    let mut store = s.case_store();
    for i in 0..103 {
        let at = if i < 40 {
            format!("2026-11-21T{:02}:{:02}", 8 + i / 60, i % 60)
        } else {
            format!("2026-11-23T0{}:{:02}", i / 60, i % 60)
        };
        let input = peel_casework::ReportInput {
            channel: if i % 3 == 0 { "online" } else { "101" }.into(),
            kind: "crime".into(),
            reported_at: None,
            occurred_at: None,
            reporter: None,
            site: None,
            location: Some("High Street".into()),
            place: Default::default(),
            account: "A bicycle taken from outside a shop (synthetic).".into(),
        };
        peel_casework::submit_report(&mut *store, &input, "test", Timestamp::parse(&at).unwrap()).unwrap();
    }
    let mut registrar = s.client_as("registrar");
    let incidents = |body: &str| -> Vec<String> {
        let table = &body[body.find(">Recording decisions due</caption>").expect("the queue")..];
        table.split("href=\"/registrar/incidents/").skip(1).map(|p| p[..p.find('"').unwrap()].to_string()).collect()
    };
    let first = registrar.get("/registrar");
    assert_eq!(first.status, 200);
    assert!(first.body.contains("103 awaiting a decision, soonest due first."), "{}", first.body);
    assert_eq!(incidents(&first.body).len(), 100, "a page, not the whole queue");
    assert!(first.body.contains("Lines 1 to 100 of 103."), "{}", first.body);
    assert_eq!(incidents(&registrar.get("/registrar?page=2").body).len(), 3);
    let online = registrar.get("/registrar?channel=online");
    assert!(online.body.contains("35 awaiting a decision, filtered."), "{}", online.body);
    let overdue = registrar.get("/registrar?overdue=yes&channel=101");
    assert!(overdue.body.contains("26 awaiting a decision, filtered."), "{}", overdue.body);
    let csv = registrar.get("/registrar.csv?overdue=yes");
    assert_eq!(csv.status, 200, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "incident,report,reported,decision_due,overdue,kind,channel,site");
    assert_eq!(lines.len(), 41, "the 40 overdue: {}", csv.body);
    assert!(lines[1..].iter().all(|l| l.contains(",yes,") && l.starts_with("INC-")), "{}", csv.body);
    let newest = registrar.get("/registrar.csv?sort=newest").body;
    let reported: Vec<&str> = newest.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
    assert!(reported.windows(2).all(|w| w[0] >= w[1]), "newest report first: {reported:?}");
    assert_eq!(registrar.get("/registrar?site=nowhere").status, 400);
    assert_eq!(s.client_as("officer").get("/registrar.csv").status, 403);
}
