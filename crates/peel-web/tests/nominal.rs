//! The nominal index over real HTTP, on both stores (issue 10 §1): the registrar's list of
//! possible duplicates with the reasons each scored, a merge that joins two records for the
//! officer's pages and search, its undo; markers, other names, addresses and phone added on a
//! person's page, refused with the field named when wrong, and only within reach.

mod support;

use peel_domain::name_search::NameQuery;
use peel_store::casework::Reach;
use support::{form, Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

/// A crime against `name` (born `dob`) for `team`; its reference.
fn crime_against(s: &Server, name: &str, dob: Option<&str>, team: &str) -> String {
    s.crime_against((name, dob), "105A", "B9 5SS", team, None)
}

/// The id of the one person the force finds by `name`.
fn person_named(s: &Server, name: &str) -> i64 {
    let found = s.case_store().find_people(&NameQuery::parse(name).unwrap(), &Reach::force(), 10).unwrap();
    let exact: Vec<_> = found.iter().filter(|p| p.name == name).collect();
    assert_eq!(exact.len(), 1, "{name}: {found:?}");
    exact[0].id
}

/// The first `href="…"` starting with `prefix`.
fn link(body: &str, prefix: &str) -> String {
    let at = body.find(&format!("href=\"{prefix}")).unwrap_or_else(|| panic!("no link {prefix} in {body}")) + 6;
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

#[test]
fn the_registrar_merges_two_records_and_undoes_it() {
    the_registrar_merges_two_records_and_undoes_it_on(Server::start());
}

#[test]
fn the_registrar_merges_two_records_and_undoes_it_on_postgres() {
    the_registrar_merges_two_records_and_undoes_it_on(Server::start_postgres());
}

fn the_registrar_merges_two_records_and_undoes_it_on(s: Server) {
    let first = crime_against(&s, "Jordan Smith", Some("1990-03-04"), TEAM);
    let second = crime_against(&s, "Jordon Smyth", Some("1990-03-04"), TEAM);
    crime_against(&s, "Casey Example", Some("1980-01-01"), TEAM);
    let (kept, merged) = (person_named(&s, "Jordan Smith"), person_named(&s, "Jordon Smyth"));

    let mut officer = signed_in(&s, "officer");
    assert_eq!(officer.get("/people/duplicates").status, 403, "the records role's list");

    let mut registrar = signed_in(&s, "registrar");
    let list = registrar.get("/people/duplicates");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("1 pair to review"), "{}", list.body);
    assert!(list.body.contains("Jordan Smith") && list.body.contains("Jordon Smyth"));
    assert!(list.body.contains("names sound alike (+40); same date of birth (+40)"), "{}", list.body);
    assert!(!list.body.contains("Casey Example"));
    let csv = registrar.get("/people/duplicates.csv");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.lines().nth(1).unwrap().starts_with("80,Jordan Smith,1990-03-04,"), "{}", csv.body);
    assert!(!csv.body.contains("/people/"), "no database ids in the download");

    // The pair's page: a merge needs the record kept and a reason.
    let pair_href = link(&list.body, "/people/duplicates/");
    let pair = registrar.get(&pair_href);
    assert_eq!(pair.status, 200, "{}", pair.body);
    let csrf = pair.csrf();
    let pair_id = pair_href.rsplit('/').next().unwrap().to_string();
    let missing =
        registrar.post("/people/merges", &[("_csrf", &csrf), ("pair", &pair_id), ("keep", &kept.to_string())]);
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("Say why they are one person"), "{}", missing.body);
    let done = registrar.post(
        "/people/merges",
        &[
            ("_csrf", &csrf),
            ("pair", &pair_id),
            ("keep", &kept.to_string()),
            ("reason", "Same date of birth; confirmed by phone"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some(format!("/people/{kept}?done=merged#merged").as_str()));

    // The officer's view: one person with both crimes, found by either name.
    let page = officer.get(&format!("/people/{kept}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"/crimes/{first}\""))
            && page.body.contains(&format!("href=\"/crimes/{second}\""))
    );
    assert!(page.body.contains("Also recorded as"), "{}", page.body);
    assert!(page.body.contains("2 recorded crimes you can see"));
    assert!(!page.body.contains("Undo merge"), "only the records role undoes");
    let found = officer.get("/search?q=jordon+smyth").body;
    assert!(found.contains(&format!("href=\"/people/{kept}\"")), "{found}");
    assert!(!found.contains(&format!("href=\"/people/{merged}\"")), "the merged record is not offered: {found}");
    let away = officer.get(&format!("/people/{merged}")).body;
    assert!(away.contains("This record was merged into"), "{away}");
    assert!(registrar.get("/people/duplicates").body.contains("0 pairs to review"));

    // Undone, with a reason, from the kept person's page.
    let kept_page = registrar.get(&format!("/people/{kept}"));
    let undo = link(&kept_page.body.replace("action=\"/people/merges/", "href=\"/people/merges/"), "/people/merges/");
    let csrf = kept_page.csrf();
    let no_reason = registrar.post(&undo, &[("_csrf", &csrf), ("back", &kept.to_string()), ("undo_reason", " ")]);
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("Say why the merge is undone"));
    let undone =
        registrar.post(&undo, &[("_csrf", &csrf), ("back", &kept.to_string()), ("undo_reason", "Two people: twins")]);
    assert_eq!(undone.status, 303, "{}", undone.body);
    let page = officer.get(&format!("/people/{kept}")).body;
    assert!(page.contains("1 recorded crime you can see") && !page.contains(&second), "{page}");
    assert!(registrar.get("/people/duplicates").body.contains("1 pair to review"));
    let trail = s.case_store().audit_trail("person", kept).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"merge-keep") && actions.contains(&"merge-undo"), "{actions:?}");
}

#[test]
fn an_officer_adds_markers_names_addresses_and_phone_within_reach() {
    let s = Server::start();
    crime_against(&s, "Morgan Example", Some("1985-07-01"), TEAM);
    crime_against(&s, "Robin Elsewhere", None, "Another team");
    let (ours, theirs) = (person_named(&s, "Morgan Example"), person_named(&s, "Robin Elsewhere"));
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&format!("/people/{ours}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No current warning markers."));
    let csrf = page.csrf();
    let path = |what: &str| format!("/people/{ours}/{what}");

    let marker = officer.post(
        &path("markers"),
        &[
            ("_csrf", &csrf),
            ("marker_kind", "weapons"),
            ("marker_noted_on", "2026-11-24"),
            ("marker_note", "Knife found on arrest"),
        ],
    );
    assert_eq!(marker.status, 303, "{}", marker.body);
    let page = officer.get(&format!("/people/{ours}")).body;
    assert!(page.contains("<strong>Weapons</strong>"), "{page}");
    assert!(page.contains("review due 24 Nov 2027"), "a year by default: {page}");
    let unknown = officer
        .post(&path("markers"), &[("_csrf", &csrf), ("marker_kind", "armed"), ("marker_noted_on", "2026-11-24")]);
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("Choose the marker"));

    let bad = officer
        .post(&path("addresses"), &[("_csrf", &csrf), ("address_postcode", "nowhere"), ("address_line", "1 Road")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not a UK postcode"), "{}", bad.body);
    assert!(bad.body.contains("value=\"1 Road\""), "what was typed is kept");
    assert_eq!(officer.post(&path("addresses"), &[("_csrf", &csrf), ("address_postcode", "b95ss")]).status, 303);
    assert_eq!(officer.post(&path("aliases"), &[("_csrf", &csrf), ("alias_name", "Mo Sample")]).status, 303);
    let phone = officer.post(&path("phone"), &[("_csrf", &csrf), ("phone", "ring me")]);
    assert_eq!(phone.status, 422);
    assert_eq!(officer.post(&path("phone"), &[("_csrf", &csrf), ("phone", "0121 496 0000")]).status, 303);
    let page = officer.get(&format!("/people/{ours}")).body;
    for shown in ["B9 5SS", "Mo Sample", "0121 496 0000"] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(officer.get("/search?q=mo+sample").body.contains(&format!("href=\"/people/{ours}\"")));

    // Who they are: the date of birth corrected, sex and self-defined ethnicity by its code.
    let bad =
        officer.post(&path("identity"), &[("_csrf", &csrf), ("date_of_birth", "1985-07-02"), ("ethnicity", "ZZ")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not an 18+1 code"), "{}", bad.body);
    let later = officer.post(&path("identity"), &[("_csrf", &csrf), ("date_of_birth", "2099-01-01")]);
    assert_eq!(later.status, 422);
    let set = officer.post(
        &path("identity"),
        &[("_csrf", &csrf), ("date_of_birth", "1985-07-02"), ("sex", "female"), ("ethnicity", "W3")],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let page = officer.get(&format!("/people/{ours}")).body;
    assert!(page.contains("White: Gypsy or Irish Traveller") && page.contains("2 Jul 1985"), "{page}");
    let found = officer.get("/search?q=morgan+example+02%2F07%2F1985").body;
    assert!(found.contains(&format!("href=\"/people/{ours}\"")), "found by the corrected date: {found}");

    // Another team's victim: neither seen nor changed.
    assert_eq!(officer.get(&format!("/people/{theirs}")).status, 403);
    let refused = officer.send(
        "POST",
        &format!("/people/{theirs}/aliases"),
        &[],
        &form(&[("_csrf", &csrf), ("alias_name", "Someone")]),
    );
    assert_eq!(refused.status, 403);
    assert!(s.case_store().nominal(theirs).unwrap().aliases.is_empty());
}

#[test]
fn a_persons_page_lists_the_contacts_with_them_and_to_the_force_roles_their_reports() {
    let s = Server::start();
    let reference = crime_against(&s, "Morgan Example", Some("1985-07-01"), TEAM);
    let person = person_named(&s, "Morgan Example");
    let now = peel_domain::date::Timestamp::parse(support::NOW).unwrap();
    let crime = s.case_store().find_reference(&reference).unwrap().unwrap().1;
    let contact = peel_casework::ContactInput {
        person,
        method: "phone".into(),
        at: None,
        notes: "Told of the arrest".into(),
        meets: vec![],
    };
    peel_casework::log_contact(&mut *s.case_store(), crime, &contact, "officer", now).unwrap();
    // Someone passed on intelligence: a report made, on no crime.
    let intelligence = peel_casework::ReportInput {
        channel: "101".into(),
        kind: "intelligence".into(),
        reported_at: None,
        occurred_at: None,
        reporter: Some(peel_store::casework::PersonDetails { name: "Casey Informant".into(), ..Default::default() }),
        site: None,
        location: Some("Car park".into()),
        place: Default::default(),
        account: "Dealing seen most evenings (synthetic).".into(),
    };
    let report = peel_casework::submit_report(&mut *s.case_store(), &intelligence, "test", now).unwrap();
    let informant = person_named(&s, "Casey Informant");
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&format!("/people/{person}")).body;
    assert!(page.contains("Told of the arrest") && page.contains("Demo Investigating Officer"), "{page}");
    assert_eq!(officer.get(&format!("/people/{informant}")).status, 403, "on no crime of the officer's");
    let mut registrar = signed_in(&s, "registrar");
    let page = registrar.get(&format!("/people/{informant}")).body;
    assert!(page.contains(&report.reference) && page.contains("intelligence"), "{page}");
}

#[test]
fn markers_merges_and_duplicates_through_the_api() {
    markers_merges_and_duplicates_through_the_api_on(Server::start());
}

#[test]
fn markers_merges_and_duplicates_through_the_api_on_postgres() {
    markers_merges_and_duplicates_through_the_api_on(Server::start_postgres());
}

fn markers_merges_and_duplicates_through_the_api_on(s: Server) {
    use serde_json::json;
    crime_against(&s, "Jordan Smith", Some("1990-03-04"), TEAM);
    crime_against(&s, "Jordon Smyth", Some("1990-03-04"), TEAM);
    crime_against(&s, "Kerry Apitest", Some("1985-06-07"), TEAM);
    crime_against(&s, "Kerri Apitest", Some("1985-06-07"), TEAM);
    crime_against(&s, "Morgan Elsewhere", None, "Neighbourhood team");
    let (kept, merged) = (person_named(&s, "Jordan Smith"), person_named(&s, "Jordon Smyth"));
    let beyond = person_named(&s, "Morgan Elsewhere");

    // Markers: within the officer's reach, refused by name when wrong, a year's review by default.
    let mut officer = signed_in(&s, "officer");
    let path = format!("/api/people/{kept}/markers");
    let wrong = officer.json("POST", &path, &json!({"kind": "grumpy", "noted_on": "2026-11-20"}));
    assert_eq!((wrong.status, wrong.json()["field"].as_str()), (422, Some("kind")), "{}", wrong.body);
    let backwards =
        officer.json("POST", &path, &json!({"kind": "violence", "noted_on": "2026-11-20", "review_due": "2026-01-01"}));
    assert_eq!((backwards.status, backwards.json()["field"].as_str()), (422, Some("review_due")), "{}", backwards.body);
    let no_day = officer.json("POST", &path, &json!({"kind": "violence", "noted_on": "last week"}));
    assert_eq!((no_day.status, no_day.json()["field"].as_str()), (422, Some("noted_on")));
    let added =
        officer.json("POST", &path, &json!({"kind": "weapons", "noted_on": "2026-11-20", "note": "Carried a knife"}));
    assert_eq!(added.status, 201, "{}", added.body);
    let marker = added.json();
    assert_eq!(marker["review_due"], "2027-11-20", "{marker}");
    assert_eq!(
        officer
            .json(
                "POST",
                &format!("/api/people/{beyond}/markers"),
                &json!({"kind": "weapons", "noted_on": "2026-11-20"})
            )
            .status,
        403
    );
    let end = format!("/api/people/{kept}/markers/end");
    let ended = officer.json("POST", &end, &json!({"marker": marker["id"]}));
    assert_eq!(ended.status, 200, "{}", ended.body);
    assert!(ended.json()["ended_at"].is_string());
    assert_eq!(officer.json("POST", &end, &json!({"marker": marker["id"]})).status, 409, "ended already");
    assert_eq!(officer.get(&format!("/api/people/{kept}")).json()["record"]["markers"][0]["kind"], "weapons");

    // The review list, a merge, its undo, and a pair marked as two people: the records role's.
    assert_eq!(officer.get("/api/people/duplicates").status, 403);
    assert_eq!(
        officer.json("POST", "/api/people/merges", &json!({"pair": 1, "keep": kept, "reason": "x"})).status,
        403
    );
    let mut registrar = signed_in(&s, "registrar");
    let list = registrar.get("/api/people/duplicates");
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list["total"], 2, "{list}");
    let pair_of = |a: i64| {
        list["pairs"].as_array().unwrap().iter().find(|p| p["low"]["id"] == a || p["high"]["id"] == a).unwrap().clone()
    };
    let smith = pair_of(kept);
    assert!(!smith["reasons"].as_array().unwrap().is_empty(), "{smith}");
    let bad_keep = registrar.json(
        "POST",
        "/api/people/merges",
        &json!({"pair": smith["id"], "keep": beyond, "reason": "Same person"}),
    );
    assert_eq!((bad_keep.status, bad_keep.json()["field"].as_str()), (422, Some("keep")), "{}", bad_keep.body);
    let no_reason =
        registrar.json("POST", "/api/people/merges", &json!({"pair": smith["id"], "keep": kept, "reason": " "}));
    assert_eq!((no_reason.status, no_reason.json()["field"].as_str()), (422, Some("reason")));
    let made = registrar.json(
        "POST",
        "/api/people/merges",
        &json!({"pair": smith["id"], "keep": kept, "reason": "Same date of birth and address"}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let merge = made.json();
    assert_eq!((merge["kept"].as_i64(), merge["merged"].as_i64()), (Some(kept), Some(merged)), "{merge}");
    // One person to a reader now: the kept record holds both crimes.
    assert_eq!(officer.get(&format!("/api/people/{kept}")).json()["crimes_total"], 2);
    let again =
        registrar.json("POST", "/api/people/merges", &json!({"pair": smith["id"], "keep": kept, "reason": "Again"}));
    assert_eq!(again.status, 409, "{}", again.body);
    let undo = format!("/api/people/merges/{}/undo", merge["id"]);
    assert_eq!(registrar.json("POST", &undo, &json!({"reason": ""})).status, 422);
    let undone = registrar.json("POST", &undo, &json!({"reason": "Twins, it turns out"}));
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(undone.json()["undone_by"], "registrar");
    assert_eq!(officer.get(&format!("/api/people/{kept}")).json()["crimes_total"], 1);
    // The other pair is two people: it leaves the list.
    let kerry = pair_of(person_named(&s, "Kerry Apitest"));
    let distinct = registrar.json("POST", &format!("/api/people/duplicates/{}/distinct", kerry["id"]), &json!({}));
    assert_eq!(distinct.status, 200, "{}", distinct.body);
    let after = registrar.get("/api/people/duplicates").json();
    assert!(after["pairs"].as_array().unwrap().iter().all(|p| p["id"] != kerry["id"]), "{after}");
    // Every step is in the audit trail of the person.
    let trail = s.case_store().audit_trail("person", kept).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    for want in ["add-marker", "end-marker", "merge-keep", "merge-undo"] {
        assert!(actions.contains(&want), "{want}: {actions:?}");
    }
}
