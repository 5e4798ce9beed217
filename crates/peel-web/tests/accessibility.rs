//! Accessibility of every page, checked in real headless Chromium with axe-core (Deque's
//! open-source rules engine, the one most accessibility audits run): each page of each role,
//! with real data on it, is checked against the WCAG 2.1 A and AA rules axe automates
//! (labels, headings, names, landmarks, contrast, tables, language). Any violation fails the
//! test and is listed with the elements at fault. And keyboard use, which axe cannot check:
//! a partner signs in and sends a report with the keyboard alone, the focus drawn at each
//! stop.
//!
//! axe-core (pinned, 4.14.1) is put in place by `tools/provision` under `.tools/axe` (or
//! wherever `PEEL_AXE` names its `axe.min.js`); the test downloads nothing and fails, saying
//! how to get it, when it is missing. It is injected through WebDriver; the pages themselves
//! carry no script.

mod support;
#[path = "support/webdriver.rs"]
mod webdriver;

use serde_json::json;
use std::path::PathBuf;
use support::Server;
use webdriver::{Browser, Driver};

const AXE_VERSION: &str = "4.14.1";

/// axe-core's source: `PEEL_AXE`, or the pinned copy `tools/provision` installs.
fn axe_source() -> String {
    let file = std::env::var_os("PEEL_AXE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/axe/node_modules/axe-core/axe.min.js")
    });
    let source = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "axe-core {AXE_VERSION} is not at {} ({e}): run tools/provision, or \
             npm install --prefix .tools/axe axe-core@{AXE_VERSION}, or set PEEL_AXE to its axe.min.js",
            file.display()
        )
    });
    // axe.min.js opens with its version: the rules checked are the pinned release's.
    assert!(
        source[..source.len().min(200)].contains(&format!("axe v{AXE_VERSION}")),
        "{} is not axe-core {AXE_VERSION}: run tools/provision",
        file.display()
    );
    source
}

/// The WCAG 2.1 A and AA violations axe finds on the page now open. Also checks that axe ran
/// its rules: a page on which it passed none would hide a broken check.
fn violations(b: &Browser, axe: &str) -> Vec<String> {
    b.execute(&format!("{axe}\nreturn 1;"), json!([]));
    let found = b.execute(
        "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => ({passed: r.passes.length, violations: r.violations.map(v => v.id + ' (' + v.impact + '): '
             + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', '))}));",
        json!([]),
    );
    let passed = found["passed"].as_u64().unwrap_or_else(|| panic!("axe answered {found}"));
    assert!(passed >= 10, "axe passed only {passed} rules: {found}");
    found["violations"].as_array().unwrap().iter().map(|v| v.to_string()).collect()
}

#[test]
fn every_page_passes_the_wcag_aa_rules_axe_checks() {
    let axe = axe_source();
    let s = Server::start();
    s.import(&[
        "ons/lsoa-2011-population-households.csv",
        "ons/lsoa-2011-to-police-force.csv",
        "police-uk/2016-07-west-yorkshire-street.csv",
        "police-uk/2017-07-west-yorkshire-street.csv",
    ]);
    let site = s.demo_site();
    let (report, crime) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), Some(site));
    let victim = s.case_store().crime(crime).unwrap().people[0].person.id;
    // The nominal index's pages with something on them: a marker, and the victim recorded
    // twice at one address (a possible duplicate).
    let (_, again) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), Some(site));
    let twin = s.case_store().crime(again).unwrap().people[0].person.id;
    let at = peel_domain::date::Timestamp::parse(support::NOW).unwrap();
    let mut store = s.case_store();
    for p in [victim, twin] {
        store.add_address(p, "B9 5SS", Some("1 Example Road"), "officer", at).unwrap();
    }
    let marker = peel_store::nominal::NewMarker {
        kind: "vulnerable-adult".into(),
        noted_on: at.date(),
        review_due: at.date().add_days(365),
        note: Some("Lives alone; memory loss".into()),
    };
    store.add_marker(victim, &marker, "officer", at).unwrap();
    let pair = store.duplicates_of(victim).unwrap()[0].id;
    // A task on the victim and one on the crime, so the sections and "my tasks" have rows.
    for (crime, person) in [(Some(crime), None), (None, Some(victim))] {
        let task = peel_store::tasks::NewTask {
            crime,
            person,
            kind: "visit".into(),
            description: "Visit the victim at home".into(),
            owner: "officer".into(),
            due: at.date().add_days(2),
        };
        store.add_task(&task, "supervisor", at).unwrap();
    }
    // A month of the demo force's history, every hour of the week, so that the hour and
    // weekday table is drawn in all its shades.
    let history = tempfile::tempdir().unwrap();
    let file = history.path().join("history.csv");
    let lines: Vec<String> = (0..30 * 24)
        .filter(|k| k % 5 != 0 || k % 7 == 0)
        .map(|k| format!("A11Y/{k:05},2026-10-{:02}T{:02}:10,,28E,,404000,287000,,,,,,", 1 + k / 24, k % 24))
        .collect();
    std::fs::write(&file, format!("{}\n{}\n", peel_ingest::crimes::COLUMNS.join(","), lines.join("\n"))).unwrap();
    let wmp = peel_domain::Force::find("west-midlands").unwrap().code;
    peel_ingest::import_crimes(&mut *store, &file, wmp, &Default::default(), &mut peel_ingest::NoProgress).unwrap();
    drop(store);
    let pages: Vec<(&str, String)> = vec![
        ("partner", "/partner".into()),
        ("partner", format!("/reports/{report}")),
        ("liaison", format!("/sites/{site}")),
        ("registrar", "/registrar".into()),
        ("officer", "/officer".into()),
        ("officer", format!("/crimes/{crime}")),
        ("officer", "/search?q=alex+synthetik".into()),
        ("officer", "/search?q=zzzz".into()),
        ("officer", format!("/people/{victim}")),
        ("officer", "/notifications".into()),
        ("officer", "/officer?status=open".into()),
        ("officer", format!("/crimes/{crime}/links")),
        ("registrar", "/search?q=theft".into()),
        ("registrar", "/people/duplicates".into()),
        ("registrar", format!("/people/duplicates/{pair}")),
        ("registrar", format!("/people/{victim}")),
        ("victimcare", "/victim-care?team=Local+investigation+team".into()),
        ("supervisor", "/supervisor".into()),
        ("victimcare", "/victim-care".into()),
        ("victimcare", "/victim-care/enhanced".into()),
        ("victimcare", "/victim-care/fraud".into()),
        ("analyst", "/analyst".into()),
        ("analyst", "/analyst/performance?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/outcomes?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/areas?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/impact-areas?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/concentration?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/hotspots?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/density?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/gi-star?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/near-repeat?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/backtest?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/patrols?force=west-yorkshire&month=2017-07".into()),
        ("analyst", "/analyst/hours?force=west-midlands&month=2026-10".into()),
        ("analyst", "/analyst/board-paper?force=west-yorkshire&month=2017-07".into()),
        ("admin", "/admin".into()),
        ("auditor", "/audit".into()),
        ("auditor", "/audit?user=officer&from=2026-11-01".into()),
        ("admin", "/admin/accounts/officer".into()),
        ("admin", "/account/password".into()),
    ];
    let driver = Driver::start();
    let b = driver.session();
    // The sign-in page, signed out.
    b.goto(&s.url("/login"));
    let mut all: Vec<String> = violations(&b, &axe).into_iter().map(|v| format!("/login: {v}")).collect();
    let mut who = "";
    for (user, path) in &pages {
        if *user != who {
            b.sign_in(&s.url("/login"), user);
            who = user;
        }
        b.goto(&s.url(path));
        b.find("main h1");
        all.extend(violations(&b, &axe).into_iter().map(|v| format!("{path} ({user}): {v}")));
    }
    assert!(all.is_empty(), "{} accessibility violations:\n{}", all.len(), all.join("\n"));
}

/// Tabs forward until the focus is on `target` (a "tag#id[name]" prefix), at most `max`
/// times; returns the focus stops passed, for the failure message.
fn tab_to(b: &Browser, target: &str, max: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..max {
        b.press(webdriver::TAB);
        let now = b.focused();
        let here = now.starts_with(target);
        seen.push(now);
        if here {
            return seen;
        }
    }
    panic!("Tab never reached {target}: {seen:?}");
}

/// A partner signs in and sends a report with the keyboard alone: every control is reached
/// with Tab in reading order, chosen with the arrow keys, sent with Enter, and shows where
/// the focus is.
#[test]
fn a_partner_reports_with_the_keyboard_alone() {
    let s = Server::start();
    let driver = Driver::start();
    let b = driver.session();
    b.goto(&s.url("/login"));
    b.execute("document.activeElement.blur(); return 1;", json!([]));
    // The first stop is the skip link, then the form's fields in order.
    b.press(webdriver::TAB);
    assert!(b.focused().starts_with("a#[]"), "the skip link first: {}", b.focused());
    tab_to(&b, "input#username", 4);
    assert!(b.focused().ends_with("outline"), "focus is drawn: {}", b.focused());
    b.press("partner");
    b.press(webdriver::TAB);
    assert!(b.focused().starts_with("input#password"), "{}", b.focused());
    b.press("peel-demo-partner");
    b.press(webdriver::ENTER);
    b.wait_for_path("/partner");

    // The report form: the kind by arrow keys, then the fields, sent with Enter on the button.
    let stops = tab_to(&b, "input#", 30);
    assert!(stops.last().unwrap().contains("[kind]"), "the first field is the kind: {stops:?}");
    b.press(webdriver::SPACE);
    let first = b.focused();
    b.press(webdriver::DOWN);
    let chosen = b.focused();
    assert_ne!(first, chosen, "the arrow key moves to the next kind");
    // (A date-time field takes a Tab per part: day, month, year, hour, minute.)
    tab_to(&b, "input#location", 10);
    b.press("Main entrance (synthetic)");
    tab_to(&b, "textarea#account", 10);
    b.press("A visitor shouted at reception staff and kicked the door (synthetic).");
    let stops = tab_to(&b, "button#[]", 10);
    assert!(b.focused().ends_with("outline"), "the button shows its focus: {stops:?}");
    b.press(webdriver::ENTER);
    b.find(".notice");
    assert!(b.text(".notice").contains("has been sent"), "{}", b.text(".notice"));
    assert!(b.text("table").contains("Main entrance (synthetic)"));
}
