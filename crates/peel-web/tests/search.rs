//! The search box and a person's page over real HTTP, on both stores: a victim found by a
//! misspelt surname, their page and their crime at its reference; crimes by postcode, by
//! offence and by officer; within the searcher's reach; every read in the access log.

mod support;

use support::{Client, Server};

const TEAM: &str = peel_web::demo::TEAM;

fn signed_in(s: &Server, user: &str) -> Client {
    let mut c = s.client();
    c.login(user);
    c
}

/// A crime against `name` (born `dob`), of `offence`, reported at `postcode`, allocated to the
/// demo officer's team and to `officer`; its reference.
fn crime_against(
    s: &Server,
    name: &str,
    dob: Option<&str>,
    offence: &str,
    postcode: &str,
    officer: Option<&str>,
) -> String {
    s.crime_against((name, dob), offence, postcode, TEAM, officer)
}

#[test]
fn a_victim_is_found_by_a_misspelt_surname() {
    a_victim_is_found_by_a_misspelt_surname_on(Server::start());
}

#[test]
fn a_victim_is_found_by_a_misspelt_surname_on_postgres() {
    a_victim_is_found_by_a_misspelt_surname_on(Server::start_postgres());
}

fn a_victim_is_found_by_a_misspelt_surname_on(s: Server) {
    let reference = crime_against(&s, "Jordan Thomson", Some("1988-02-03"), "8N", "B9 5SS", Some("officer"));
    crime_against(&s, "Jordan Thompson-Price", None, "105A", "B9 5SS", Some("officer"));
    crime_against(&s, "Casey Example", None, "8N", "B10 0AB", Some("officer"));
    let mut officer = signed_in(&s, "officer");
    // The search box is in the header of the officer's pages.
    let home = officer.get("/officer");
    assert!(home.body.contains("action=\"/search\""), "{}", home.body);

    let found = officer.get("/search?q=jordan+tomson");
    assert_eq!(found.status, 200, "{}", found.body);
    let first = found.body.find("/people/").expect("a person found");
    assert!(found.body[first..].starts_with("/people/"));
    let link = &found.body[first..first + found.body[first..].find('"').unwrap()];
    let name_at = found.body[first..].find('>').unwrap() + first + 1;
    assert!(found.body[name_at..].starts_with("Jordan Thomson<"), "the closest name first: {}", found.body);
    assert!(!found.body.contains("Casey Example"), "{}", found.body);
    // With the date of birth typed the British way, only the one person.
    let exact = officer.get("/search?q=jordan+tomson+03%2F02%2F1988").body;
    assert!(exact.contains("Jordan Thomson") && !exact.contains("Thompson-Price"), "{exact}");

    // Their page: who they are, and their crime by its reference, as the victim.
    let person = officer.get(link);
    assert_eq!(person.status, 200, "{}", person.body);
    assert!(person.body.contains("<h1>Jordan Thomson</h1>"), "{}", person.body);
    assert!(person.body.contains("3 Feb 1988"), "{}", person.body);
    assert!(person.body.contains(&format!("href=\"/crimes/{reference}\"")), "{}", person.body);
    assert!(person.body.contains(">Victim<"), "{}", person.body);
    let logged = s
        .case_store()
        .audit_search(&peel_store::audit::AuditQuery {
            actor: Some("officer".into()),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert!(
        logged.iter().any(|e| e.route.as_deref() == Some("GET /people/{id}")
            && e.entity == "person"
            && e.record.as_deref() == Some("Jordan Thomson")),
        "the person's page read is logged: {logged:?}"
    );
    assert!(logged.iter().any(|e| e.route.as_deref() == Some("GET /search")
        && e.entity == "person"
        && e.record.as_deref() == Some("Jordan Thomson")));

    // The crime answers at its reference, and a search for the reference goes straight to it.
    let page = officer.get(&format!("/crimes/{reference}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&reference));
    let typed = officer.get(&format!("/search?q={}", reference.to_lowercase()));
    assert_eq!(typed.status, 303);
    assert_eq!(typed.header("location"), Some(format!("/crimes/{reference}").as_str()));
    assert_eq!(officer.get("/crimes/CRM-2026-999999").status, 404);
}

#[test]
fn crimes_are_found_by_postcode_offence_and_officer() {
    let s = Server::start();
    let a = crime_against(&s, "Avery Sample", None, "34B", "b9 5ss", Some("officer"));
    let b = crime_against(&s, "Robin Sample", None, "34B", "B10 0AB", None);
    let c = crime_against(&s, "Sam Sample", None, "8N", "B9 5SS", Some("officer"));
    let mut registrar = signed_in(&s, "registrar");
    let by_postcode = registrar.get("/api/search?q=B95SS").json();
    let refs = |v: &serde_json::Value| -> Vec<String> {
        v["crimes"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(refs(&by_postcode), vec![c.clone(), a.clone()], "newest first: {by_postcode}");
    assert_eq!(by_postcode["crimes_total"], 2);
    assert!(by_postcode["people"].as_array().unwrap().is_empty(), "a postcode is not a name");
    let by_offence = registrar.get("/api/search?q=robbery+personal").json();
    assert_eq!(refs(&by_offence), vec![b.clone(), a.clone()], "{by_offence}");
    let by_code = registrar.get("/api/search?q=8n").json();
    assert_eq!(refs(&by_code), vec![c.clone()]);
    let by_officer = registrar.get("/api/search?q=Demo+Investigating+Officer").json();
    assert_eq!(refs(&by_officer), vec![c.clone(), a.clone()], "{by_officer}");
    // The page says how they were found, and pages them.
    let page = registrar.get("/search?q=robbery+personal");
    assert!(page.body.contains("2 crimes of offences matching"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/crimes/{b}\"")));
    // Nothing found is said so.
    let none = registrar.get("/search?q=zzzzqqq");
    assert!(none.body.contains("Nothing found for"), "{}", none.body);
    // A search longer than any reference or name is refused by name, on the page and the API.
    let long = "a".repeat(201);
    assert_eq!(registrar.get(&format!("/search?q={long}")).status, 400);
    let r = registrar.get(&format!("/api/search?q={long}"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "q");
}

#[test]
fn only_the_roles_that_work_the_records_search() {
    let s = Server::start();
    for (user, status) in [("analyst", 403), ("partner", 403), ("liaison", 403), ("auditor", 403), ("victimcare", 200)]
    {
        let mut c = signed_in(&s, user);
        assert_eq!(c.get("/search?q=Sample").status, status, "{user}");
        assert_eq!(c.get("/api/search?q=Sample").status, status, "{user} through the API");
        let home = c.get("/");
        let home = if home.status == 303 { c.get(home.header("location").unwrap()) } else { home };
        assert_eq!(home.body.contains("action=\"/search\""), status == 200, "{user}'s header");
    }
}

#[test]
fn the_crimes_found_filter_sort_and_download() {
    the_crimes_found_filter_sort_and_download_on(Server::start());
}

#[test]
fn the_crimes_found_filter_sort_and_download_on_postgres() {
    the_crimes_found_filter_sort_and_download_on(Server::start_postgres());
}

/// The references of the crimes a search page lists, in order.
fn listed(body: &str) -> Vec<String> {
    let table = &body[body.find("Crimes found").unwrap_or(0)..];
    let mut out: Vec<String> = vec![];
    for part in table.split("href=\"/crimes/").skip(1) {
        let r = part[..part.find('"').unwrap()].to_string();
        if r.starts_with("CRM-") && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

fn the_crimes_found_filter_sort_and_download_on(s: Server) {
    let robbery = crime_against(&s, "Avery Filterby", None, "34B", "B9 5SS", Some("officer"));
    let assault = crime_against(&s, "Robin Filterby", None, "8N", "B9 5SS", Some("officer"));
    let elsewhere = s.crime_against(("Sam Filterby", None), "34B", "B9 5SS", "Neighbourhood team", None);
    let mut registrar = signed_in(&s, "registrar");
    // A flag set through the API narrows the list by flag.
    let id = s.case_store().find_reference(&assault).unwrap().unwrap().1;
    let v = registrar.get(&format!("/api/crimes/{id}")).json()["crime"]["version"].as_i64().unwrap();
    let flagged = registrar.json(
        "POST",
        &format!("/api/crimes/{id}/flags"),
        &serde_json::json!({"version": v, "flags": ["domestic-abuse"]}),
    );
    assert_eq!(flagged.status, 200, "{}", flagged.body);

    let all = registrar.get("/search?q=B9+5SS");
    assert_eq!(listed(&all.body), vec![elsewhere.clone(), assault.clone(), robbery.clone()], "newest first");
    let cases = [
        ("&group=Robbery", vec![elsewhere.clone(), robbery.clone()]),
        ("&team=Neighbourhood+team", vec![elsewhere.clone()]),
        ("&officer=officer", vec![assault.clone(), robbery.clone()]),
        ("&flag=domestic-abuse", vec![assault.clone()]),
        ("&status=finalised", vec![]),
        ("&status=open&group=Robbery&sort=oldest", vec![robbery.clone(), elsewhere.clone()]),
        ("&to=2026-11-22", vec![]),
        ("&from=2026-11-24", vec![]),
        ("&from=2026-11-23&to=2026-11-23", vec![elsewhere.clone(), assault.clone(), robbery.clone()]),
    ];
    for (filter, want) in cases {
        let page = registrar.get(&format!("/search?q=B9+5SS{filter}"));
        assert_eq!(page.status, 200, "{filter}: {}", page.body);
        assert_eq!(listed(&page.body), want, "{filter}");
        // The true total of the narrowed list, and the form to change it (even with none left).
        assert!(page.body.contains(&format!("{} crimes reported at B9 5SS", want.len())), "{filter}: {}", page.body);
        assert!(page.body.contains("Filter the crimes found"), "{filter}");
    }
    // A day that is not one is refused by name.
    let bad = registrar.get("/search?q=B9+5SS&from=yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("from"), "{}", bad.body);

    // The download holds every crime of the filtered list, officers by name, no ids.
    let csv = registrar.get("/search.csv?q=B9+5SS&group=Robbery");
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "reference,offence_code,offence,recorded,team,officer,outcome");
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(lines[1].starts_with(&elsewhere) && lines[2].starts_with(&robbery), "{}", csv.body);
    assert!(lines[2].contains("Demo Investigating Officer"), "by name: {}", csv.body);
    let exported = s
        .case_store()
        .audit_search(&peel_store::audit::AuditQuery {
            actor: Some("registrar".into()),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert!(
        exported.iter().any(|e| e.route.as_deref() == Some("GET /search.csv")),
        "the download is in the access log: {exported:?}"
    );

    // An officer's search and download stay within their reach, whatever the filter asks.
    let mut officer = signed_in(&s, "officer");
    let theirs = officer.get("/search?q=B9+5SS&team=Neighbourhood+team");
    assert_eq!(listed(&theirs.body), Vec::<String>::new(), "{}", theirs.body);
    let csv = officer.get("/search.csv?q=B9+5SS").body;
    assert!(!csv.contains(&elsewhere) && csv.contains(&robbery), "{csv}");

    // A person's crimes filter and download the same way.
    let person =
        s.case_store().crime(s.case_store().find_reference(&robbery).unwrap().unwrap().1).unwrap().people[0].person.id;
    let added = officer.json(
        "POST",
        &format!("/api/crimes/{id}/people"),
        &serde_json::json!({"person": {"Existing": person}, "role": "witness"}),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    let page = registrar.get(&format!("/people/{person}"));
    assert!(page.body.contains("2 recorded crimes you can see"), "{}", page.body);
    let narrowed = registrar.get(&format!("/people/{person}?group=Robbery"));
    assert!(narrowed.body.contains("1 recorded crime you can see, filtered"), "{}", narrowed.body);
    assert!(!narrowed.body.contains(&format!("href=\"/crimes/{assault}\"")), "{}", narrowed.body);
    let csv = registrar.get(&format!("/people/{person}/crimes.csv?sort=oldest"));
    assert_eq!(csv.status, 200, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "reference,role,offence_code,offence,recorded,team,officer,outcome");
    assert!(
        lines[1].starts_with(&format!("{robbery},victim")) && lines[2].starts_with(&format!("{assault},witness")),
        "{}",
        csv.body
    );
    // The download is a disclosure of the person as well as of their crimes.
    let logged = s
        .case_store()
        .audit_search(&peel_store::audit::AuditQuery {
            actor: Some("registrar".into()),
            limit: 5000,
            ..Default::default()
        })
        .unwrap();
    assert!(
        logged.iter().any(|e| e.route.as_deref() == Some("GET /people/{id}/crimes.csv") && e.entity == "person"),
        "{logged:?}"
    );
}
