//! The crime page's forms over plain HTTP, with real sign-ins: the outcome, evidence, and
//! cancellation — an officer's request on the registrar's list, the registrar's decision —
//! each with its errors shown beside the field and what was typed kept, the crime's version
//! guarding against someone else's change, and the CSRF token required.

mod support;

use support::{Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

#[test]
fn an_outcome_set_through_the_form_shows_on_the_crime_page() {
    an_outcome_set_through_the_form_shows_on_the_crime_page_on(Server::start());
}

#[test]
fn an_outcome_set_through_the_form_shows_on_the_crime_page_on_postgres() {
    an_outcome_set_through_the_form_shows_on_the_crime_page_on(Server::start_postgres());
}

fn an_outcome_set_through_the_form_shows_on_the_crime_page_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<dt>Outcome</dt><dd>none yet</dd>"), "{}", page.body);
    let right_6 = page.body.matches(">Right 6</span>").count();
    assert!(page.body.contains("<label for=\"outcome\">Outcome</label>"), "the field is labelled");
    let r = officer.post(
        &format!("{path}/outcome"),
        &[
            ("_csrf", &page.csrf()),
            ("version", &page.version()),
            ("outcome", "18"),
            ("suspect_identified", "no"),
            ("suspect_age", ""),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(format!("{path}?done=outcome#outcome").as_str()));
    let after = officer.get(r.header("location").unwrap());
    assert!(
        after.body.contains("<dt>Outcome</dt><dd>18 Investigation complete - no suspect identified</dd>"),
        "{}",
        after.body
    );
    assert!(after.body.contains("Outcome set."));
    assert!(after.body.contains("Investigation closed"), "the status in plain words follows the outcome");
    // Closing without a suspect owes the victim the news (Victims' Code right 6).
    assert_eq!(after.body.matches(">Right 6</span>").count(), right_6 + 1, "{}", after.body);
}

#[test]
fn an_invalid_outcome_is_shown_again_with_the_fields_error_and_what_was_typed() {
    an_invalid_outcome_is_shown_again_with_the_fields_error_and_what_was_typed_on(Server::start());
}

#[test]
fn an_invalid_outcome_is_shown_again_with_the_fields_error_and_what_was_typed_on_postgres() {
    an_invalid_outcome_is_shown_again_with_the_fields_error_and_what_was_typed_on(Server::start_postgres());
}

fn an_invalid_outcome_is_shown_again_with_the_fields_error_and_what_was_typed_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    let (token, version) = (page.csrf(), page.version());
    // An adult caution for a suspect of 16: the age is at fault.
    let r = officer.post(
        &format!("{path}/outcome"),
        &[
            ("_csrf", &token),
            ("version", &version),
            ("outcome", "3"),
            ("suspect_identified", "yes"),
            ("suspect_age", "16"),
            ("admission", "yes"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("<span class=\"error-message\" id=\"suspect_age-error\">Error: Outcome 3 (Caution - adult) needs a suspect aged 18 or over; the suspect is 16</span>"), "{}", r.body);
    assert!(r.body.contains("value=\"16\""), "the age typed is kept");
    assert!(r.body.contains("<option value=\"3\" selected>"), "the outcome chosen is kept");
    assert!(r.body.contains("value=\"yes\" checked><label for=\"admission\""), "the admission ticked is kept");
    assert!(r.body.contains("href=\"#suspect_age\""), "the summary links to the field");
    assert!(r.body.contains("<dt>Outcome</dt><dd>none yet</dd>"), "nothing was set");
    // A charge without a suspect: the suspect question is at fault.
    let r = officer.post(
        &format!("{path}/outcome"),
        &[("_csrf", &token), ("version", &version), ("outcome", "1"), ("suspect_identified", "no")],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "id=\"suspect_identified-error\">Error: Outcome 1 (Charged/summonsed) needs an identified suspect"
        ),
        "{}",
        r.body
    );
    // Not an outcome at all, sent by hand: shown as sent, beside the field.
    let r = officer.post(&format!("{path}/outcome"), &[("_csrf", &token), ("version", &version), ("outcome", "99")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"outcome-error\">Error: '99' is not a Home Office outcome type"), "{}", r.body);
    assert!(r.body.contains("<option value=\"99\" selected>99</option>"));
}

#[test]
fn a_form_filled_in_on_an_old_version_is_refused_with_a_clear_message() {
    a_form_filled_in_on_an_old_version_is_refused_with_a_clear_message_on(Server::start());
}

#[test]
fn a_form_filled_in_on_an_old_version_is_refused_with_a_clear_message_on_postgres() {
    a_form_filled_in_on_an_old_version_is_refused_with_a_clear_message_on(Server::start_postgres());
}

fn a_form_filled_in_on_an_old_version_is_refused_with_a_clear_message_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let mut supervisor = signed_in(&s, "supervisor");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    // The supervisor sets an outcome while the officer's page is open.
    let theirs = supervisor.get(&path);
    let r = supervisor.post(
        &format!("{path}/outcome"),
        &[("_csrf", &theirs.csrf()), ("version", &theirs.version()), ("outcome", "18"), ("suspect_identified", "no")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = officer.post(
        &format!("{path}/outcome"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("outcome", "14"), ("suspect_identified", "no")],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Someone else changed this crime after you opened the page"), "{}", r.body);
    assert!(r.body.contains("<option value=\"14\" selected>"), "what was chosen is kept");
    assert!(r.body.contains("<dt>Outcome</dt><dd>18 "), "the page shows the crime as it now is");
    assert_ne!(r.version(), page.version(), "the form now carries the version shown");
    // Evidence is guarded the same way.
    let r = officer.post(
        &format!("{path}/evidence"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("kind", "cctv"), ("description", "Camera 3")],
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Someone else changed this crime") && r.body.contains(">Camera 3</textarea>"));
}

#[test]
fn evidence_added_through_the_form_shows_on_the_crime_page() {
    evidence_added_through_the_form_shows_on_the_crime_page_on(Server::start());
}

#[test]
fn evidence_added_through_the_form_shows_on_the_crime_page_on_postgres() {
    evidence_added_through_the_form_shows_on_the_crime_page_on(Server::start_postgres());
}

fn evidence_added_through_the_form_shows_on_the_crime_page_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    assert!(page.body.contains("No evidence recorded yet."));
    let (token, version) = (page.csrf(), page.version());
    let bad = officer.post(
        &format!("{path}/evidence"),
        &[
            ("_csrf", &token),
            ("version", &version),
            ("kind", "cctv"),
            ("description", "  "),
            ("deadline", "2026-12-01"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"description-error\">Error: Say what the evidence is and where it is"));
    assert!(bad.body.contains("value=\"2026-12-01\""), "the deadline typed is kept");
    let r = officer.post(
        &format!("{path}/evidence"),
        &[
            ("_csrf", &token),
            ("version", &version),
            ("kind", "cctv"),
            ("description", "Car park camera 3, held by security <office>"),
            ("deadline", "2026-12-01"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = officer.get(r.header("location").unwrap());
    assert!(after.body.contains("Evidence added."));
    assert!(after.body.contains("<td data-label=\"Kind\">CCTV</td>"), "{}", after.body);
    assert!(after.body.contains("Car park camera 3, held by security &lt;office&gt;"), "escaped");
    assert!(after.body.contains("1 Dec 2026"), "the deadline to secure it by");
    // Victim care sees the crime but does not investigate it.
    let mut vc = signed_in(&s, "victimcare");
    let seen = vc.get(&path);
    assert!(seen.body.contains("Car park camera 3"), "{}", seen.body);
    assert!(!seen.body.contains("/evidence\"") && !seen.body.contains("/outcome\""), "no evidence or outcome form");
    let r = vc.post(
        &format!("{path}/evidence"),
        &[("_csrf", &seen.csrf()), ("version", &version), ("kind", "cctv"), ("description", "x")],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn an_officers_cancellation_request_waits_on_the_registrars_list_until_the_registrar_cancels() {
    an_officers_cancellation_request_waits_on_the_registrars_list_until_the_registrar_cancels_on(Server::start());
}

#[test]
fn an_officers_cancellation_request_waits_on_the_registrars_list_until_the_registrar_cancels_on_postgres() {
    an_officers_cancellation_request_waits_on_the_registrars_list_until_the_registrar_cancels_on(
        Server::start_postgres(),
    );
}

fn an_officers_cancellation_request_waits_on_the_registrars_list_until_the_registrar_cancels_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    assert!(page.body.contains("action=\"/crimes/") && page.body.contains("/cancellation-request\""));
    assert!(!page.body.contains(&format!("action=\"{path}/cancel\"")), "an officer has no cancel form");
    let (token, version) = (page.csrf(), page.version());
    // The detail the reason rests on is required, as for a cancellation.
    let bad = officer.post(
        &format!("{path}/cancellation-request"),
        &[("_csrf", &token), ("version", &version), ("reason", "duplicate"), ("detail", "")],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains(
            "id=\"detail-error\">Error: Cancelling as 'duplicate' needs the reference of the crime it duplicates"
        ),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"duplicate\" checked"), "the reason chosen is kept");
    let r = officer.post(
        &format!("{path}/cancellation-request"),
        &[
            ("_csrf", &token),
            ("version", &version),
            ("reason", "duplicate"),
            ("detail", "Same theft as CRM-2026-000001"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let waiting = officer.get(r.header("location").unwrap());
    assert!(waiting.body.contains("Waiting for a decision maker"), "{}", waiting.body);
    assert!(!waiting.body.contains("/cancellation-request\""), "one request waits at a time");

    let mut registrar = signed_in(&s, "registrar");
    let list = registrar.get("/registrar");
    assert!(list.body.contains("Cancellations needing a decision maker"));
    assert!(list.body.contains(&format!("<a href=\"/crimes/{crime}#cancel\">")), "{}", list.body);
    assert!(list.body.contains("Same theft as CRM-2026-000001") && list.body.contains("Duplicate record"));
    let form = registrar.get(&path);
    assert!(form.body.contains(&format!("action=\"{path}/cancel\"")));
    assert!(form.body.contains(">Same theft as CRM-2026-000001</textarea>"), "the request's detail is filled in");
    assert!(form.body.contains("value=\"duplicate\" checked"), "and its reason");
    let r = registrar.post(
        &format!("{path}/cancel"),
        &[
            ("_csrf", &form.csrf()),
            ("version", &form.version()),
            ("reason", "duplicate"),
            ("detail", "Same theft as CRM-2026-000001"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let cancelled = registrar.get(r.header("location").unwrap());
    assert!(cancelled.body.contains("Crime record cancelled"), "{}", cancelled.body);
    assert!(cancelled.body.contains("<dt>Cancelled</dt><dd>Duplicate record of a crime already recorded: Same theft as CRM-2026-000001 (by registrar"));
    assert!(registrar.get("/registrar").body.contains("No cancellation is waiting for a decision."));
    let seen = officer.get(&path);
    assert!(seen.body.contains("Crime record cancelled") && !seen.body.contains("Waiting for a decision maker"));
}

#[test]
fn the_registrar_may_refuse_a_request_with_a_note_the_officer_sees() {
    the_registrar_may_refuse_a_request_with_a_note_the_officer_sees_on(Server::start());
}

#[test]
fn the_registrar_may_refuse_a_request_with_a_note_the_officer_sees_on_postgres() {
    the_registrar_may_refuse_a_request_with_a_note_the_officer_sees_on(Server::start_postgres());
}

fn the_registrar_may_refuse_a_request_with_a_note_the_officer_sees_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&path);
    let r = officer.post(
        &format!("{path}/cancellation-request"),
        &[
            ("_csrf", &page.csrf()),
            ("version", &page.version()),
            ("reason", "additional-verifiable-information"),
            ("detail", "The bag was found at home"),
        ],
    );
    assert_eq!(r.status, 303);
    let mut registrar = signed_in(&s, "registrar");
    let form = registrar.get(&path);
    let at = form.body.find("name=\"request\" value=\"").unwrap() + 22;
    let request: String = form.body[at..].split('"').next().unwrap().to_string();
    let empty = registrar.post(
        &format!("{path}/cancellation-request/refuse"),
        &[("_csrf", &form.csrf()), ("request", &request), ("note", " ")],
    );
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("id=\"note-error\">Error: Say why the request is refused"));
    let r = registrar.post(
        &format!("{path}/cancellation-request/refuse"),
        &[("_csrf", &form.csrf()), ("request", &request), ("note", "A smashed window is still criminal damage")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let seen = officer.get(&path);
    assert!(seen.body.contains("Recorded as a crime"), "the crime stays recorded");
    assert!(seen.body.contains("Refused") && seen.body.contains("A smashed window is still criminal damage"));
    assert!(seen.body.contains("/cancellation-request\""), "the officer may ask again");
    assert!(registrar.get("/registrar").body.contains("No cancellation is waiting for a decision."));
    // The request is answered once.
    let again = registrar.post(
        &format!("{path}/cancellation-request/refuse"),
        &[("_csrf", &form.csrf()), ("request", &request), ("note", "again")],
    );
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already answered"), "{}", again.body);
}

#[test]
fn only_a_decision_maker_cancels_and_only_within_scope() {
    only_a_decision_maker_cancels_and_only_within_scope_on(Server::start());
}

#[test]
fn only_a_decision_maker_cancels_and_only_within_scope_on_postgres() {
    only_a_decision_maker_cancels_and_only_within_scope_on(Server::start_postgres());
}

fn only_a_decision_maker_cancels_and_only_within_scope_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let cancel = |c: &mut Client| {
        let page = c.get(&path);
        c.post(
            &format!("{path}/cancel"),
            &[("_csrf", &page.csrf()), ("version", &page.version()), ("reason", "duplicate"), ("detail", "CRM-1")],
        )
    };
    let mut officer = signed_in(&s, "officer");
    let r = cancel(&mut officer);
    assert_eq!(r.status, 403);
    // Only a designated decision maker cancels (the registrar's accounts act as one).
    assert!(r.body.contains("for these accounts only: crime registrar and administrator"), "{}", r.body);
    let mut supervisor = signed_in(&s, "supervisor");
    assert_eq!(cancel(&mut supervisor).status, 403);
    assert!(officer.get(&path).body.contains("Recorded as a crime"), "nothing was cancelled");
    // Another team's crime: the officer may neither see nor change it.
    let (_, theirs) = s.recorded_crime("Economic Crime Unit", None, None);
    let token = officer.get(&path).csrf();
    let r = officer.post(
        &format!("/crimes/{theirs}/outcome"),
        &[("_csrf", &token), ("version", "1"), ("outcome", "18"), ("suspect_identified", "no")],
    );
    assert_eq!(r.status, 403);
    let r = officer.post(
        &format!("/crimes/{theirs}/cancellation-request"),
        &[("_csrf", &token), ("version", "1"), ("reason", "duplicate"), ("detail", "CRM-1")],
    );
    assert_eq!(r.status, 403);
    // The registrar, as decision maker, cancels directly; the reason must be one the rules list.
    let mut registrar = signed_in(&s, "registrar");
    let page = registrar.get(&path);
    let r = registrar.post(
        &format!("{path}/cancel"),
        &[("_csrf", &page.csrf()), ("version", &page.version()), ("reason", "victim-withdrew"), ("detail", "x")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"reason-error\""), "{}", r.body);
    assert_eq!(cancel(&mut registrar).status, 303);
    assert!(registrar.get(&path).body.contains("Crime record cancelled"));
}

#[test]
fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    a_form_without_the_csrf_token_is_refused_and_changes_nothing_on(Server::start());
}

#[test]
fn a_form_without_the_csrf_token_is_refused_and_changes_nothing_on_postgres() {
    a_form_without_the_csrf_token_is_refused_and_changes_nothing_on(Server::start_postgres());
}

fn a_form_without_the_csrf_token_is_refused_and_changes_nothing_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let path = format!("/crimes/{crime}");
    let mut officer = signed_in(&s, "officer");
    let version = officer.get(&path).version();
    let r = officer
        .post(&format!("{path}/outcome"), &[("version", &version), ("outcome", "18"), ("suspect_identified", "no")]);
    assert_eq!(r.status, 403);
    assert!(r.body.contains("security token"), "{}", r.body);
    let r = officer.post(
        &format!("{path}/evidence"),
        &[("_csrf", "0000"), ("version", &version), ("kind", "cctv"), ("description", "x")],
    );
    assert_eq!(r.status, 403, "a wrong token");
    let r = officer.post(
        &format!("{path}/cancellation-request"),
        &[("version", &version), ("reason", "duplicate"), ("detail", "x")],
    );
    assert_eq!(r.status, 403);
    let mut registrar = signed_in(&s, "registrar");
    let r =
        registrar.post(&format!("{path}/cancel"), &[("version", &version), ("reason", "duplicate"), ("detail", "x")]);
    assert_eq!(r.status, 403);
    let page = officer.get(&path);
    assert!(page.body.contains("<dt>Outcome</dt><dd>none yet</dd>") && page.body.contains("No evidence recorded yet."));
    assert!(page.body.contains("Recorded as a crime") && !page.body.contains("Waiting for a decision maker"));
}

#[test]
fn a_plan_then_a_review_move_the_crime_off_the_supervisors_list() {
    a_plan_then_a_review_move_the_crime_off_the_supervisors_list_on(Server::start());
}

#[test]
fn a_plan_then_a_review_move_the_crime_off_the_supervisors_list_on_postgres() {
    a_plan_then_a_review_move_the_crime_off_the_supervisors_list_on(Server::start_postgres());
}

fn a_plan_then_a_review_move_the_crime_off_the_supervisors_list_on(s: Server) {
    let (_, crime) = s.recorded_crime(TEAM, Some("officer"), None);
    let reference = s.case_store().crime(crime).unwrap().crime.reference;
    let mut sup = signed_in(&s, "supervisor");
    // Recorded today (Mon 23 Nov): the plan is due within two days, so it is on this week's list.
    let due = sup.get("/supervisor");
    let row = due.body.split("<tr>").find(|r| r.contains(&reference)).unwrap_or_else(|| panic!("{}", due.body));
    assert!(row.contains("investigation plan") && row.contains("2026-11-25"), "{row}");

    let mut officer = signed_in(&s, "officer");
    let path = format!("/crimes/{crime}");
    let page = officer.get(&path);
    assert!(page.body.contains("The investigation plan is due by"), "{}", page.body);
    assert!(!page.body.contains("value=\"review\""), "an officer writes plans, not reviews");
    // A plan with no text: the field's error, and the choice kept.
    let r = officer.post(&format!("{path}/reviews"), &[("_csrf", &page.csrf()), ("kind", "plan"), ("text", " ")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("error-summary"), "{}", r.body);
    // An officer cannot write a supervisor's review.
    let r = officer.post(&format!("{path}/reviews"), &[("_csrf", &page.csrf()), ("kind", "review"), ("text", "x")]);
    assert_eq!(r.status, 403);
    let r = officer.post(
        &format!("{path}/reviews"),
        &[("_csrf", &page.csrf()), ("kind", "plan"), ("text", "CCTV from the car park; house-to-house on Ward Road.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = officer.get(r.header("location").unwrap());
    assert!(after.body.contains("Investigation plan recorded.") && after.body.contains("house-to-house"));
    // With a plan, the next review falls 28 days on (21 Dec): off this week's list.
    assert!(after.body.contains("The next supervisor's review is due by"), "{}", after.body);
    assert!(!sup.get("/supervisor").body.contains(&reference));

    // The supervisor reviews and sets the next review for Friday: back on the list for then.
    let page = sup.get(&path);
    let r = sup.post(
        &format!("{path}/reviews"),
        &[
            ("_csrf", &page.csrf()),
            ("kind", "review"),
            ("text", "Good plan; chase the CCTV today."),
            ("next_review_due", "2026-11-27"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let list = sup.get("/supervisor");
    let row = list.body.split("<tr>").find(|r| r.contains(&reference)).unwrap_or_else(|| panic!("{}", list.body));
    assert!(row.contains("supervisor review") && row.contains("2026-11-27"), "{row}");
    // A date in the past is refused, named.
    let r = sup.post(
        &format!("{path}/reviews"),
        &[("_csrf", &page.csrf()), ("kind", "review"), ("text", "x"), ("next_review_due", "2026-11-01")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("in the past"), "{}", r.body);
}
