//! Places by postcode (issue 9 §1) through the pages, as an administrator and a partner use
//! them: a site added with its postcode is placed from the gazetteer (grid point, LSOA, ward,
//! local authority, NPU, Impact Area); a partner's report takes the site's place unless it
//! gives another postcode; a postcode the gazetteer does not hold is kept and the place is
//! unknown, never refused; a string that is not a postcode is refused beside its field.
//!
//! The gazetteer is the rows of two real districts (B1, CV1) of `../shared/data/geography`,
//! and every expected place is read from those rows here.

mod support;

use peel_domain::force_area::{AreaKind, AreaMember, ForceArea, MemberKind};
use support::Server;

/// (postcode, easting, northing, LSOA, ward code, local authority code) of the file's row.
fn row_of(text: &str, postcode: &str) -> (String, i64, i64, String, String, String) {
    let line = text.lines().find(|l| l.starts_with(&format!("{postcode},"))).unwrap();
    let f: Vec<&str> = line.split(',').collect();
    (f[0].into(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[4].into(), f[9].into(), f[7].into())
}

fn places_on(s: Server) {
    let real = s.import_postcode_districts(&["B1", "CV1"]).join("\n");
    let dir = tempfile::tempdir().unwrap();
    let mut store = s.case_store();
    let b1 = row_of(&real, "B1 1AY");
    let cv1 = row_of(&real, "CV1 1AH");
    let area = |kind, code: &str, name: &str, npu: Option<&str>, member: (MemberKind, &str)| ForceArea {
        kind,
        code: code.into(),
        name: name.into(),
        npu: npu.map(Into::into),
        source: "the test".into(),
        members: vec![AreaMember { kind: member.0, code: member.1.into() }],
    };
    let areas = [
        area(AreaKind::Npu, "BW", "Birmingham West", None, (MemberKind::Ward, &b1.4)),
        area(AreaKind::Npu, "CV", "Coventry", None, (MemberKind::La, &cv1.5)),
        area(AreaKind::ImpactArea, "centre", "City Centre", Some("BW"), (MemberKind::Ward, &b1.4)),
    ];
    let at = peel_domain::date::Timestamp::parse("2026-11-23T09:00").unwrap();
    store.replace_force_areas(&AreaKind::ALL, &areas, "admin", at).unwrap();

    // The administrator adds a site by its postcode, typed as people type it.
    let mut admin = s.client();
    admin.login("admin");
    let page = admin.get("/admin");
    let r = admin.post(
        "/admin/sites",
        &[
            ("_csrf", &page.csrf()),
            ("name", "City Walk-in Centre"),
            ("organisation", "Test Community Health Trust"),
            ("organisation_kind", "hospital"),
            ("postcode", "b11ay"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let site = store.sites().unwrap().into_iter().find(|x| x.details.name == "City Walk-in Centre").unwrap();
    let p = &site.details.place;
    assert_eq!(p.postcode.as_deref(), Some("B1 1AY"));
    assert_eq!((p.easting, p.northing), (Some(b1.1 as f64), Some(b1.2 as f64)));
    assert_eq!((p.lsoa_code.as_deref(), p.ward_code.as_deref()), (Some(b1.3.as_str()), Some(b1.4.as_str())));
    assert_eq!(p.la_code.as_deref(), Some(b1.5.as_str()));
    assert_eq!(
        (p.neighbourhood_unit.as_deref(), p.impact_area.as_deref()),
        (Some("Birmingham West"), Some("City Centre"))
    );
    let list = admin.get("/sites");
    assert!(
        list.body.contains(
            "<td data-label=\"Postcode\">B1 1AY</td><td data-label=\"Neighbourhood unit\">Birmingham West</td>\
             <td data-label=\"Impact Area\">City Centre</td>"
        ),
        "{}",
        list.body
    );
    // Not a postcode: refused beside the field, nothing stored.
    let page = admin.get("/admin");
    let r = admin.post(
        "/admin/sites",
        &[
            ("_csrf", &page.csrf()),
            ("name", "Nowhere"),
            ("organisation", "Test Community Health Trust"),
            ("organisation_kind", "hospital"),
            ("postcode", "not a postcode"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#postcode\""), "the error links to the field: {}", r.body);
    assert!(!store.sites().unwrap().iter().any(|x| x.details.name == "Nowhere"));

    // A partner of that site.
    let page = admin.get("/admin");
    let r = admin.post(
        "/admin/accounts",
        &[
            ("_csrf", &page.csrf()),
            ("username", "walkin.partner"),
            ("display_name", "Test Partner Walk-in"),
            ("role", "partner"),
            ("site", &site.id.to_string()),
            ("team", ""),
            ("collar", ""),
            ("password", "peel-demo-walkin.partner"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let mut partner = s.client();
    partner.login("walkin.partner");
    let report = |partner: &mut support::Client, postcode: &str| {
        let page = partner.get("/partner");
        assert!(page.body.contains("Postcode, if it happened away from the site"), "{}", page.body);
        let r = partner.post(
            "/partner/reports",
            &[
                ("_csrf", &page.csrf()),
                ("kind", "crime"),
                ("occurred_at", ""),
                ("location", "Car park"),
                ("postcode", postcode),
                ("account", "Synthetic account: a car window broken."),
                ("reporter_name", "Test Reporter"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
    };
    report(&mut partner, "");
    report(&mut partner, "CV1 1AH");
    report(&mut partner, "B99 9ZZ");
    let mut sent = store.reports_for_site(site.id).unwrap();
    sent.sort_by_key(|r| r.id);
    assert_eq!(sent.len(), 3);
    // At the site: the site's place.
    assert_eq!(sent[0].place, site.details.place);
    // Away from it: the postcode's.
    let away = &sent[1].place;
    assert_eq!((away.postcode.as_deref(), away.lsoa_code.as_deref()), (Some("CV1 1AH"), Some(cv1.3.as_str())));
    assert_eq!((away.easting, away.neighbourhood_unit.as_deref()), (Some(cv1.1 as f64), Some("Coventry")));
    assert_eq!(away.impact_area, None);
    // A postcode the gazetteer does not hold: kept, the place unknown, the report taken.
    let unknown = &sent[2].place;
    assert_eq!(
        (unknown.postcode.as_deref(), unknown.lsoa_code.as_deref(), unknown.easting),
        (Some("B99 9ZZ"), None, None)
    );

    // With the force's own records (two crimes brought from a previous system, one in each
    // unit), the analyst's start page offers a board paper for each of its units, and each
    // paper counts its unit's crimes.
    let history = dir.path().join("history.csv");
    std::fs::write(
        &history,
        "reference,recorded_at,occurred_at,offence_code,postcode,easting,northing,flags,victim_age,victim_sex,\
         outcome_type,outcome_date,team\nOLD/1,2026-10-01T10:00,,28E,B1 1AY,,,,,,,,\nOLD/2,2026-10-02T10:00,,28E,CV1 1AH,,,,,,,,\n",
    )
    .unwrap();
    let wmp = peel_domain::Force::find("west-midlands").unwrap().code;
    peel_ingest::import_crimes(&mut *store, &history, wmp, &Default::default(), &mut peel_ingest::NoProgress).unwrap();
    let mut analyst = s.client();
    analyst.login("analyst");
    let start = analyst.get("/analyst");
    assert_eq!(start.status, 200);
    for (code, name) in [("BW", "Birmingham West NPU"), ("CV", "Coventry NPU"), ("centre", "City Centre Impact Area")] {
        let href = format!("/analyst/board-paper?force=west-midlands&amp;area=unit%3A{code}&amp;month=2026-10");
        assert!(start.body.contains(&format!("<a href=\"{href}\">{name}</a>")), "{name}: {}", start.body);
        let paper = analyst.get(&href.replace("&amp;", "&"));
        assert_eq!(paper.status, 200, "{}", paper.body);
        assert!(paper.body.contains(&format!("{name} (West Midlands Police): crime and harm, October 2026")));
        assert!(paper.body.contains("<dt>Crimes recorded</dt><dd><span class=\"figure\">1</span>"), "{name}");
    }

    // A person's address is placed by its postcode: the ward and local authority the
    // gazetteer gives, on their page.
    s.crime_against(("Morgan Example", None), "105A", "B1 1AY", peel_web::demo::TEAM, Some("officer"));
    let found = store
        .find_people(
            &peel_domain::name_search::NameQuery::parse("Morgan Example").unwrap(),
            &peel_store::casework::Reach::force(),
            5,
        )
        .unwrap();
    let person = found[0].id;
    let mut officer = s.client();
    officer.login("officer");
    let page = officer.get(&format!("/people/{person}"));
    let csrf = page.csrf();
    let added =
        officer.post(&format!("/people/{person}/addresses"), &[("_csrf", &csrf), ("address_postcode", "b11ay")]);
    assert_eq!(added.status, 303, "{}", added.body);
    let known = store.postcode("B1 1AY").unwrap().unwrap();
    let (ward, la) = (known.ward_name.unwrap(), known.la_name.unwrap());
    let page = officer.get(&format!("/people/{person}")).body;
    assert!(page.contains(&format!("{ward}, {la}")), "{ward}, {la}: {page}");
}

#[test]
fn sites_and_reports_are_placed_by_postcode() {
    places_on(Server::start());
}

#[test]
fn sites_and_reports_are_placed_by_postcode_on_postgres() {
    places_on(Server::start_postgres());
}
