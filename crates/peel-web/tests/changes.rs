//! Changing a crime as its investigation moves, over real HTTP on both stores (issue 10 §3):
//! flags from the whole vocabulary, a reclassification asked for by the officer and decided
//! by the registrar (with its Counting Rules reason, audited, the officer told), crimes
//! linked into a series with its page, an existing person put on a crime from their page, and
//! outcome 19 only for a crime the National Fraud Intelligence Bureau recorded.

mod support;

use support::{Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

fn crime_id(s: &Server, reference: &str) -> i64 {
    s.case_store().find_reference(reference).unwrap().unwrap().1
}

/// The crime page's version field.
fn version(body: &str) -> String {
    let at = body.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

#[test]
fn flags_reclassification_and_links() {
    flags_reclassification_and_links_on(Server::start());
}

#[test]
fn flags_reclassification_and_links_on_postgres() {
    flags_reclassification_and_links_on(Server::start_postgres());
}

fn flags_reclassification_and_links_on(s: Server) {
    let first = s.crime_against(("Robin Example", None), "105A", "B9 5SS", TEAM, Some("officer"));
    let second = s.crime_against(("Casey Example", None), "105A", "B9 5SS", TEAM, Some("officer"));
    let elsewhere = s.crime_against(("Avery Example", None), "105A", "B9 5SS", "Another team", None);
    let id = crime_id(&s, &first);
    let mut officer = signed_in(&s, "officer");

    // Flags: the whole vocabulary, checked.
    let page = officer.get(&format!("/crimes/{first}"));
    assert!(page.body.contains("value=\"emergency-worker-assault\""), "the emergency worker flag is offered");
    let csrf = page.csrf();
    let v = version(&page.body);
    let bad = officer
        .post(&format!("/crimes/{id}/flags"), &[("_csrf", &csrf), ("version", &v), ("flags", "hate-crime:football")]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not a hate crime strand"), "{}", bad.body);
    let ok = officer.post(
        &format!("/crimes/{id}/flags"),
        &[("_csrf", &csrf), ("version", &v), ("flags", "emergency-worker-assault"), ("flags", "hate-crime:race")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(s.case_store().crime(id).unwrap().crime.flags, ["emergency-worker-assault", "hate-crime:race"]);
    let stale = officer.post(&format!("/crimes/{id}/flags"), &[("_csrf", &csrf), ("version", &v)]);
    assert_eq!(stale.status, 422);
    assert!(stale.body.contains("Someone else changed this crime"), "{}", stale.body);

    // Reclassification: asked by the officer, with a reason the Counting Rules accept.
    let page = officer.get(&format!("/crimes/{first}"));
    let v = version(&page.body);
    let path = format!("/crimes/{id}/reclassification");
    let unknown = officer.post(
        &path,
        &[("_csrf", &csrf), ("version", &v), ("to_code", "ZZZ"), ("reason", "injury-now-known"), ("detail", "x")],
    );
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("is not a Home Office offence code"), "{}", unknown.body);
    let asked = officer.post(
        &path,
        &[
            ("_csrf", &csrf),
            ("version", &v),
            ("to_code", "8n"),
            ("reason", "injury-now-known"),
            ("detail", "Hospital notes: fractured cheekbone"),
        ],
    );
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(s.case_store().crime(id).unwrap().crime.offence_code, "105A", "not until the registrar approves");
    let mut registrar = signed_in(&s, "registrar");
    let queue = registrar.get("/registrar");
    assert!(
        queue.body.contains(&format!("{first}</a>")) && queue.body.contains("fractured cheekbone"),
        "{}",
        queue.body
    );
    let page = registrar.get(&format!("/crimes/{first}"));
    let rcsrf = page.csrf();
    let which = s.case_store().reclassifications(id).unwrap()[0].id.to_string();
    let decided = registrar.post(
        &format!("/crimes/{id}/reclassification/decision"),
        &[("_csrf", &rcsrf), ("reclassification", &which), ("decision", "approve"), ("note", "Agreed")],
    );
    assert_eq!(decided.status, 303, "{}", decided.body);
    assert_eq!(s.case_store().crime(id).unwrap().crime.offence_code, "8N");
    let told = officer.get("/notifications").body;
    assert!(told.contains(&format!("approved your reclassification of {first} to 8N")), "{told}");
    let trail: Vec<String> = s.case_store().audit_trail("crime", id).unwrap().into_iter().map(|e| e.action).collect();
    assert!(trail.contains(&"reclassify".to_string()), "{trail:?}");
    // The registrar's own is made at once, in one write.
    let second_id = crime_id(&s, &second);
    let page = registrar.get(&format!("/crimes/{second}"));
    let made = registrar.post(
        &format!("/crimes/{second_id}/reclassification"),
        &[
            ("_csrf", &rcsrf),
            ("version", &version(&page.body)),
            ("to_code", "8N"),
            ("reason", "classification-error"),
            ("detail", "Injury recorded at the hospital"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(s.case_store().crime(second_id).unwrap().crime.offence_code, "8N");
    let made = s.case_store().reclassifications(second_id).unwrap();
    assert_eq!((made.len(), made[0].status.as_str()), (1, "approved"));
    // The officer cannot decide one.
    assert_eq!(
        officer
            .post(
                &format!("/crimes/{id}/reclassification/decision"),
                &[("_csrf", &csrf), ("reclassification", &which), ("decision", "approve")]
            )
            .status,
        403
    );

    // Links: a series of three through two links, one crime another team's.
    let links = format!("/crimes/{id}/links");
    let itself = officer.post(&links, &[("_csrf", &csrf), ("other", &first), ("kind", "series")]);
    assert_eq!(itself.status, 422);
    let nowhere = officer.post(&links, &[("_csrf", &csrf), ("other", "CRM-2026-999999"), ("kind", "series")]);
    assert!(nowhere.body.contains("There is no crime CRM-2026-999999"), "{}", nowhere.body);
    let linked = officer
        .post(&links, &[("_csrf", &csrf), ("other", &second.to_lowercase()), ("kind", "series"), ("note", "Same MO")]);
    assert_eq!(linked.status, 303, "{}", linked.body);
    let again = officer.post(&links, &[("_csrf", &csrf), ("other", &second), ("kind", "series")]);
    assert!(again.body.contains("linked so already"), "{}", again.body);
    s.case_store()
        .link_crimes(
            second_id,
            crime_id(&s, &elsewhere),
            "same-offender",
            None,
            "registrar",
            peel_domain::date::Timestamp::parse(support::NOW).unwrap(),
        )
        .unwrap();
    let series = officer.get(&format!("/crimes/{first}/links"));
    assert_eq!(series.status, 200, "{}", series.body);
    assert!(series.body.contains(&format!("href=\"/crimes/{second}\"")), "{}", series.body);
    assert!(
        series.body.contains(&elsewhere) && !series.body.contains("Avery Example"),
        "another team's crime by reference only: {}",
        series.body
    );
    assert!(series.body.contains("Another team&#39;s crime") || series.body.contains("Another team's crime"));
    let link = s.case_store().links_of(id).unwrap()[0].id.to_string();
    assert_eq!(officer.post(&format!("/crimes/{id}/links/remove"), &[("_csrf", &csrf), ("link", &link)]).status, 303);
    assert!(s.case_store().links_of(id).unwrap().is_empty());
}

#[test]
fn an_existing_person_is_put_on_a_crime_from_their_page() {
    let s = Server::start();
    let first = s.crime_against(("Jordan Suspectson", Some("1988-01-01")), "105A", "B9 5SS", TEAM, Some("officer"));
    let second = s.crime_against(("Casey Example", None), "8N", "B9 5SS", TEAM, Some("officer"));
    let person = s.case_store().crime(crime_id(&s, &first)).unwrap().people[0].person.id;
    let mut officer = signed_in(&s, "officer");
    let page = officer.get(&format!("/people/{person}"));
    assert!(page.body.contains("Add to a crime"), "{}", page.body);
    let csrf = page.csrf();
    let path = format!("/people/{person}/crimes");
    let bad = officer.post(&path, &[("_csrf", &csrf), ("crime_reference", "nothing"), ("role", "suspect")]);
    assert_eq!(bad.status, 422);
    let added = officer.post(&path, &[("_csrf", &csrf), ("crime_reference", &second), ("role", "suspect")]);
    assert_eq!(added.status, 303, "{}", added.body);
    let file = s.case_store().crime(crime_id(&s, &second)).unwrap();
    assert!(
        file.people.iter().any(|p| p.person.id == person && p.role == "suspect"),
        "the same record: {:?}",
        file.people
    );
    let page = officer.get(&format!("/people/{person}")).body;
    assert!(page.contains("2 recorded crimes you can see"), "{page}");
}

#[test]
fn outcome_19_is_for_a_crime_the_fraud_bureau_recorded() {
    let s = Server::start();
    let fraud = s.crime_against(("Robin Example", None), "AF", "B9 5SS", TEAM, Some("officer"));
    let assault = s.crime_against(("Casey Example", None), "8N", "B9 5SS", TEAM, Some("officer"));
    let mut store = s.case_store();
    let now = peel_domain::date::Timestamp::parse(support::NOW).unwrap();
    for (reference, allowed) in [(fraud, true), (assault, false)] {
        let id = crime_id(&s, &reference);
        let version = store.crime(id).unwrap().crime.version;
        let input = peel_casework::OutcomeInput {
            version,
            outcome: "19".into(),
            suspect_identified: None,
            suspect_age: None,
            admission: false,
        };
        let r = peel_casework::set_outcome(&mut *store, id, &input, "officer", now);
        assert_eq!(r.is_ok(), allowed, "{reference}: {r:?}");
    }
}

#[test]
fn flags_reclassification_and_links_through_the_api() {
    flags_reclassification_and_links_through_the_api_on(Server::start());
}

#[test]
fn flags_reclassification_and_links_through_the_api_on_postgres() {
    flags_reclassification_and_links_through_the_api_on(Server::start_postgres());
}

fn flags_reclassification_and_links_through_the_api_on(s: Server) {
    use serde_json::json;
    let first = s.crime_against(("Avery Apiperson", None), "8N", "B9 5SS", TEAM, Some("officer"));
    let second = s.crime_against(("Robin Apiperson", None), "8N", "B9 5SS", TEAM, Some("officer"));
    let other_team = s.crime_against(("Sam Apiperson", None), "8N", "B9 5SS", "Neighbourhood team", None);
    let (id, other) = (crime_id(&s, &first), crime_id(&s, &other_team));
    let mut officer = signed_in(&s, "officer");
    let version =
        |c: &mut Client, id: i64| c.get(&format!("/api/crimes/{id}")).json()["crime"]["version"].as_i64().unwrap();

    // Flags: replaced at the version read, refused by name when not a flag, 409 when stale.
    let v = version(&mut officer, id);
    let path = format!("/api/crimes/{id}/flags");
    let bad = officer.json("POST", &path, &json!({"version": v, "flags": ["not-a-flag"]}));
    assert_eq!((bad.status, bad.json()["field"].as_str()), (422, Some("flags")), "{}", bad.body);
    let set = officer.json(
        "POST",
        &path,
        &json!({"version": v, "flags": ["hate-crime:religion", "emergency-worker-assault"]}),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.json()["flags"], json!(["emergency-worker-assault", "hate-crime:religion"]), "kept in order");
    let stale = officer.json("POST", &path, &json!({"version": v, "flags": []}));
    assert_eq!((stale.status, stale.json()["code"].as_str()), (409, Some("conflict")), "{}", stale.body);
    // Another team's crime is outside the officer's scope.
    let theirs = officer.json("POST", &format!("/api/crimes/{other}/flags"), &json!({"version": 1, "flags": []}));
    assert_eq!(theirs.status, 403, "{}", theirs.body);

    // Reclassification: the officer asks, with a Counting Rules reason; it waits for the registrar.
    let path = format!("/api/crimes/{id}/reclassifications");
    let v = version(&mut officer, id);
    let no_reason =
        officer.json("POST", &path, &json!({"version": v, "to_code": "8N", "reason": "because", "detail": "x"}));
    assert_eq!((no_reason.status, no_reason.json()["field"].as_str()), (422, Some("reason")), "{}", no_reason.body);
    let asked = officer.json(
        "POST",
        &path,
        &json!({"version": v, "to_code": "5D", "reason": "injury-now-known", "detail": "A fractured jaw, seen at hospital"}),
    );
    assert_eq!(asked.status, 201, "{}", asked.body);
    let asked = asked.json();
    assert_eq!((asked["status"].as_str(), asked["from_code"].as_str()), (Some("pending"), Some("8N")), "{asked}");
    let again = officer.json(
        "POST",
        &path,
        &json!({"version": v, "to_code": "5D", "reason": "injury-now-known", "detail": "Asked twice"}),
    );
    assert_eq!(again.status, 409, "one waiting already: {}", again.body);
    assert_eq!(officer.get("/api/reclassifications").status, 403, "the registrar's queue");
    let decide = format!("/api/reclassifications/{}/decision", asked["id"]);
    assert_eq!(officer.json("POST", &decide, &json!({"approve": true})).status, 403, "the registrar decides");

    let mut registrar = signed_in(&s, "registrar");
    let waiting = registrar.get("/api/reclassifications").json();
    assert!(waiting.as_array().unwrap().iter().any(|r| r["crime_reference"] == first.as_str()), "{waiting}");
    let unexplained = registrar.json("POST", &decide, &json!({"approve": false}));
    assert_eq!((unexplained.status, unexplained.json()["field"].as_str()), (422, Some("note")));
    let approved = registrar.json("POST", &decide, &json!({"approve": true, "note": "Injury confirmed"}));
    assert_eq!(approved.status, 200, "{}", approved.body);
    let approved = approved.json();
    assert_eq!(approved["crime"]["offence_code"], "5D", "{approved}");
    assert_eq!(approved["reclassification"]["status"], "approved");
    let decided_twice = registrar.json("POST", &decide, &json!({"approve": true, "note": "Again"}));
    assert_eq!(decided_twice.status, 409, "{}", decided_twice.body);
    let history = officer.get(&path).json();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history[0]["decided_by"], "registrar");
    // The registrar's own takes effect at once.
    let v = version(&mut registrar, id);
    let own = registrar.json(
        "POST",
        &path,
        &json!({"version": v, "to_code": "8N", "reason": "classification-error", "detail": "Less serious than thought"}),
    );
    assert_eq!(own.status, 201, "{}", own.body);
    assert_eq!(own.json()["status"], "approved");
    assert_eq!(registrar.get(&format!("/api/crimes/{id}")).json()["crime"]["offence_code"], "8N");

    // Links: by reference, a series the other crime sees too; removed, it is gone.
    let path = format!("/api/crimes/{id}/links");
    let nowhere = officer.json("POST", &path, &json!({"other": "CRM-2099-999999", "kind": "series"}));
    assert_eq!((nowhere.status, nowhere.json()["field"].as_str()), (422, Some("other")), "{}", nowhere.body);
    let odd = officer.json("POST", &path, &json!({"other": second, "kind": "cousins"}));
    assert_eq!((odd.status, odd.json()["field"].as_str()), (422, Some("kind")), "{}", odd.body);
    let linked =
        officer.json("POST", &path, &json!({"other": second.to_lowercase(), "kind": "series", "note": "Same street"}));
    assert_eq!(linked.status, 201, "{}", linked.body);
    let link = linked.json();
    assert_eq!(link["other_reference"], second.as_str());
    let from_second = officer.get(&format!("/api/crimes/{}/links", crime_id(&s, &second))).json();
    let mut want = vec![first.clone(), second.clone()];
    want.sort();
    assert_eq!(from_second["series"], json!(want), "{from_second}");
    let twice = officer.json("POST", &path, &json!({"other": second, "kind": "series"}));
    assert_eq!(twice.status, 409, "{}", twice.body);
    let unlink = format!("/api/crimes/{id}/unlink");
    let wrong = officer.json("POST", &unlink, &json!({"link": 999999}));
    assert_eq!(wrong.status, 404, "{}", wrong.body);
    let gone = officer.json("POST", &unlink, &json!({"link": link["id"]}));
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(gone.json()["links"], json!([]));
    assert_eq!(officer.get(&format!("/api/crimes/{other}/links")).status, 403, "another team's crime");
    // Each change is in the crime's audit trail.
    let trail = officer.get(&format!("/api/crimes/{id}/audit")).body;
    for action in ["flags", "reclassif", "link"] {
        assert!(trail.contains(action), "{action}: {trail}");
    }
}
