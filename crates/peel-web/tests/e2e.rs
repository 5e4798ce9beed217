//! End to end in real headless Chromium (Debian's `chromium` and `chromium-driver`), through
//! WebDriver: a partner on a phone submits a report → it appears on the liaison officer's
//! site page → the registrar records it as a crime → its Victims' Code obligations appear on
//! the investigating officer's worklist → the officer logs a contact and the obligation shows
//! as met; a partner opening another site's report gets 403. Screenshots (PNG) are saved
//! under `target/e2e/`.

mod support;
#[path = "support/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use support::Server;
use webdriver::{Browser, Driver};

fn shots() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("e2e")
}

fn sign_in(b: &Browser, s: &Server, user: &str) {
    b.sign_in(&s.url("/login"), user);
}

fn sign_out(b: &Browser) {
    b.click("header form[action='/logout'] button[type=submit]");
    b.wait_for_path("/login");
    assert!(b.text("main").contains("You have signed out"));
}

#[test]
fn a_partner_report_is_recorded_and_its_victim_contacted_in_chromium() {
    let s = Server::start();
    let (_, other_report) = s.other_site_report();
    let driver = Driver::start();
    let b = driver.session();
    let dir = shots();

    // The partner, on a phone-sized window: the guided form.
    b.set_size(412, 915);
    sign_in(&b, &s, "partner");
    b.wait_for_path("/partner");
    assert_eq!(b.text("h1"), "Heartlands Hospital");
    b.screenshot_full(&dir.join("01-partner-form-phone.png"), 412);
    // Sent without saying what happened: the error, with what was typed kept.
    b.click("input[name=kind][value=crime]");
    b.type_into("#location", "A&E waiting area");
    b.click("form[action='/partner/reports'] button[type=submit]");
    b.find(".error-summary");
    assert!(b.text(".error-summary").contains("Say what happened"));
    let kept = b.find("#location");
    assert_eq!(b.attribute(&kept, "value").as_deref(), Some("A&E waiting area"));
    b.screenshot(&dir.join("02-partner-form-error-phone.png"));
    b.type_into("#account", "A visitor punched a nurse at the triage desk and ran off (synthetic).");
    b.click("form[action='/partner/reports'] button[type=submit]");
    b.find(".notice");
    let notice = b.text(".notice");
    assert!(notice.contains("has been sent"), "{notice}");
    let reference = notice.split_whitespace().find(|w| w.starts_with("RPT-")).unwrap().to_string();
    assert!(b.text("table").contains(&reference));
    assert!(b.text("table").contains("Waiting for a police decision"));
    b.screenshot_full(&dir.join("03-partner-sent-phone.png"), 412);

    // Another site's report: 403, in the browser and on the wire.
    b.goto(&s.url(&format!("/reports/{other_report}")));
    assert_eq!(b.text("h1"), "Not allowed");
    let mut c = s.client();
    c.cookie = b.cookie("peel_session");
    assert!(c.cookie.is_some(), "the browser holds the session cookie");
    assert_eq!(c.get(&format!("/reports/{other_report}")).status, 403);
    b.screenshot(&dir.join("04-partner-other-site-403.png"));
    b.set_size(1280, 1000);
    b.click("main a[href='/']");
    b.wait_for_path("/partner");
    sign_out(&b);

    // The hospital liaison officer's site page shows it.
    sign_in(&b, &s, "liaison");
    b.wait_for_path("/sites/");
    assert!(b.text("main").contains(&reference));
    b.find("svg#reports-per-month");
    b.screenshot_full(&dir.join("05-liaison-site.png"), 1280);
    sign_out(&b);

    // The registrar records it as a crime, allocated to the demo officer.
    sign_in(&b, &s, "registrar");
    b.wait_for_path("/registrar");
    assert!(b.text("table").contains("left"), "the 24-hour clock");
    b.screenshot(&dir.join("06-registrar-queue.png"));
    let row = b
        .find_all("main tbody tr")
        .into_iter()
        .find(|r| b.element_text(r).contains(&reference))
        .expect("the partner's report is in the queue");
    let link = b.find_within(&row, "a[href^='/registrar/incidents/']");
    b.click_element(&link);
    b.wait_for_path("/registrar/incidents/");
    b.click("input[name=decision][value=crime]");
    b.type_into("#offence_code", "8N");
    b.type_into("#victim_name", "Robin Example");
    b.click("#officer option[value=officer]");
    b.screenshot_full(&dir.join("07-registrar-decision.png"), 1280);
    b.click("form[action^='/registrar/incidents/']:not([action$='/triage']) button[type=submit]");
    b.wait_for_path("/registrar");
    let notice = b.text(".notice");
    assert!(notice.contains("recorded as crime CRM-"), "{notice}");
    sign_out(&b);

    // The officer's worklist has the victim's obligations; a contact meets one.
    sign_in(&b, &s, "officer");
    b.wait_for_path("/officer");
    assert!(b.text("main").contains("Robin Example"));
    b.screenshot_full(&dir.join("08-officer-worklist.png"), 1280);
    // The first obligation due: its link opens the crime with it ticked in the contact form.
    let link = b.find("main table a[href*='?meet=']");
    let href = b.attribute(&link, "href").unwrap();
    let first = href.split("meet=").nth(1).unwrap().split('#').next().unwrap().to_string();
    b.click_element(&link);
    b.wait_for_path("/crimes/");
    let ticked = b.find(&format!("input[name=meets][value='{first}']"));
    assert_eq!(b.attribute(&ticked, "checked").as_deref(), Some("true"), "the worklist's obligation is ticked");
    b.type_into("#notes", "Phoned the victim: explained the Victims' Code and gave the crime reference.");
    b.click("form[action$='/contacts'] button[type=submit]");
    b.find(".notice");
    assert!(b.text(".notice").contains("Contact logged"));
    let row = b.text(&format!("tr:has(#obligation-{first})"));
    assert!(row.contains("Met"), "the obligation shows as met: {row}");
    assert_eq!(b.find_all(&format!("input[name=meets][value='{first}']")).len(), 0, "no longer offered");
    b.screenshot_full(&dir.join("09-obligation-met.png"), 1280);
    sign_out(&b);

    // The partner sees the crime under investigation, in plain words.
    b.set_size(412, 915);
    sign_in(&b, &s, "partner");
    let table = b.text("table");
    assert!(table.contains("Recorded as a crime: under investigation"), "{table}");
    b.screenshot_full(&dir.join("10-partner-status-phone.png"), 412);
}

#[test]
fn the_analyst_board_paper_renders_with_its_charts_in_chromium() {
    let s = Server::start();
    s.street_data();
    let driver = Driver::start();
    let b = driver.session();
    let dir = shots();
    sign_in(&b, &s, "analyst");
    b.wait_for_path("/analyst");
    b.screenshot_full(&dir.join("11-analyst.png"), 1280);
    b.click("a[href^='/analyst/board-paper?force=west-yorkshire']");
    b.wait_for_path("/analyst/board-paper");
    assert!(b.title().contains("West Yorkshire"), "{}", b.title());
    let charts = b.find_all("svg");
    assert!(charts.len() >= 2, "the paper's charts: {}", charts.len());
    b.screenshot(&dir.join("12-board-paper.png"));
    // Partners never see it.
    let mut partner = s.client();
    partner.login("partner");
    assert_eq!(partner.get("/analyst/board-paper?force=west-yorkshire&month=2017-07").status, 403);
}

#[test]
fn the_officer_closes_a_crime_and_the_other_roles_see_their_pages_in_chromium() {
    let s = Server::start();
    s.import(&[
        "ons/lsoa-2011-population-households.csv",
        "ons/lsoa-2011-to-police-force.csv",
        "police-uk/2016-07-west-yorkshire-street.csv",
        "police-uk/2017-07-west-yorkshire-street.csv",
    ]);
    let (_, crime) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), None);
    let driver = Driver::start();
    let b = driver.session();
    let dir = shots();
    b.set_size(1280, 1000);

    // The officer records evidence, then an outcome, on the crime page.
    sign_in(&b, &s, "officer");
    b.goto(&s.url(&format!("/crimes/{crime}")));
    b.click("#kind option[value=cctv]");
    b.type_into("#description", "CCTV of the car park, camera 3, held by the site's security office (synthetic).");
    b.click("form[action$='/evidence'] button[type=submit]");
    b.find(".notice");
    assert!(b.text("main").contains("camera 3"), "the evidence is listed");
    // An outcome the rules refuse (a charge with no suspect): the error names the field.
    b.click("#outcome option[value='1']");
    b.click("form[action$='/outcome'] button[type=submit]");
    b.find(".error-summary");
    b.screenshot_full(&dir.join("13-outcome-refused.png"), 1280);
    b.click("#outcome option[value='18']");
    b.click("form[action$='/outcome'] button[type=submit]");
    b.wait_for_text("main", "Investigation closed");
    b.screenshot_full(&dir.join("14-crime-closed.png"), 1280);
    sign_out(&b);

    // Victim care's queues and the supervisor's meeting render.
    sign_in(&b, &s, "victimcare");
    b.goto(&s.url("/victim-care/enhanced"));
    assert_eq!(b.text("h1"), "Enhanced service");
    b.goto(&s.url("/victim-care/fraud"));
    assert!(b.text("h1").starts_with("Fraud triage"));
    b.screenshot(&dir.join("15-victim-care-fraud.png"));
    sign_out(&b);
    sign_in(&b, &s, "supervisor");
    b.wait_for_path("/supervisor");
    assert_eq!(b.text("h1"), "Daily management meeting");
    b.screenshot_full(&dir.join("16-supervisor.png"), 1280);
    sign_out(&b);

    // The analyst's pages on the real West Yorkshire files: the hotspot map is drawn as cells,
    // the Impact Area table has its legend, the trend its chart; chosen through the form.
    sign_in(&b, &s, "analyst");
    b.goto(&s.url("/analyst/hotspots?force=west-yorkshire&month=2017-07"));
    // Cells are drawn one path per colour class; the ten hottest are also a table.
    let classes = b.find_all("main svg path[fill^='#']");
    assert!(classes.len() >= 3, "colour classes drawn: {}", classes.len());
    assert_eq!(b.find_all("main table tbody tr").len(), 10, "the ten hottest cells");
    b.screenshot_full(&dir.join("17-hotspot-map.png"), 1280);
    b.goto(&s.url("/analyst/impact-areas?force=west-yorkshire&month=2017-07"));
    let legend = b.text("main");
    assert!(legend.contains("OUTSTANDING") || legend.contains("Outstanding"), "{legend}");
    b.screenshot_full(&dir.join("18-impact-areas.png"), 1280);
    b.goto(&s.url("/analyst/performance?force=west-yorkshire&month=2017-07"));
    assert!(!b.find_all("main svg").is_empty());
    b.screenshot_full(&dir.join("19-performance.png"), 1280);
}

/// Issue 10: an officer finds a victim by a misspelt surname from the search box in the
/// header, opens their page and their crime, adds a suspect, records the arrest, and sees the
/// victim's right-6 update on the crime and, on the day it is due, on their own list.
#[test]
fn an_officer_finds_a_victim_by_a_misspelt_name_and_records_an_arrest_in_chromium() {
    let s = Server::start();
    let (_, crime) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), None);
    let reference = s.case_store().crime(crime).unwrap().crime.reference;
    let driver = Driver::start();
    let b = driver.session();
    let dir = shots();
    b.set_size(1280, 1000);
    sign_in(&b, &s, "officer");
    // The victim is Alex Synthetic; typed as it sounds.
    b.type_into("#header-q", "alex sinthetic");
    b.click("header form[action='/search'] button[type=submit]");
    b.wait_for_path("/search");
    b.screenshot_full(&dir.join("20-search.png"), 1280);
    b.click("main a[href^='/people/']");
    b.wait_for_path("/people/");
    assert_eq!(b.text("h1"), "Alex Synthetic");
    b.click(&format!("main a[href='/crimes/{reference}']"));
    b.wait_for_path(&format!("/crimes/{reference}"));
    // The suspect, then the arrest.
    b.click("input[name=role][value=suspect]");
    b.type_into("#name", "Casey Placeholder");
    b.click("form[action$='/people'] button[type=submit]");
    b.find(".notice");
    assert!(b.text("main").contains("Casey Placeholder"), "{}", b.text("main"));
    b.click("#event option[value=arrest]");
    b.click("form[action$='/events'] button[type=submit]");
    // The page before had a notice too (the suspect added): wait for this one's page.
    b.wait_for_text("main", "Tell the victim: suspect arrested on 2026-11-23");
    b.screenshot_full(&dir.join("21-arrest-recorded.png"), 1280);
    sign_out(&b);
    // The day before the update is due, the server's job tells the officer (it runs every
    // minute in `peel serve`; here once, at that time).
    let eve = peel_domain::date::Timestamp::parse("2026-11-29T08:00").unwrap();
    assert!(s.case_store().notify_due(eve).unwrap() >= 1);
    // A week on the update is due: on the officer's own list, and in their notifications.
    s.set_now("2026-11-30T09:00");
    sign_in(&b, &s, "officer");
    b.wait_for_path("/officer");
    assert!(b.text("main").contains("suspect arrested on 2026-11-23"), "{}", b.text("main"));
    let count: u32 = b.text("header .count").trim().parse().unwrap_or(0);
    assert!(count >= 2, "the header counts what is unread: {}", b.text("header"));
    b.click("nav a[href='/notifications']");
    b.wait_for_path("/notifications");
    let told = b.text("main");
    assert!(told.contains(&format!("Due tomorrow (2026-11-30) on {reference}")), "{told}");
    assert!(told.contains("suspect arrested on 2026-11-23 (within 5 working days) for Alex Synthetic"), "{told}");
    b.screenshot_full(&dir.join("22-notifications.png"), 1280);
}

#[test]
fn the_registrar_merges_two_records_of_one_victim_and_undoes_it_in_chromium() {
    let s = Server::start();
    let first =
        s.crime_against(("Jordan Smith", Some("1990-03-04")), "105A", "B9 5SS", peel_web::demo::TEAM, Some("officer"));
    let second =
        s.crime_against(("Jordon Smyth", Some("1990-03-04")), "105A", "B9 5SS", peel_web::demo::TEAM, Some("officer"));
    let driver = Driver::start();
    let b = driver.session();
    let dir = shots();
    b.set_size(1280, 1000);
    sign_in(&b, &s, "registrar");
    // The records role's list, from the navigation.
    b.click("nav a[href='/people/duplicates']");
    b.wait_for_path("/people/duplicates");
    assert!(b.text("main").contains("names sound alike (+40); same date of birth (+40)"), "{}", b.text("main"));
    b.screenshot_full(&dir.join("30-possible-duplicates.png"), 1280);
    b.click("main a[href^='/people/duplicates/']");
    b.wait_for_path("/people/duplicates/");
    // Keep the first record, say why, merge.
    b.click("input[name=keep]");
    b.type_into("#reason", "Same date of birth and address; confirmed by phone");
    b.click("#merge-form button[type=submit]");
    b.find(".notice");
    let page = b.text("main");
    assert_eq!(b.text("h1"), "Jordan Smith");
    assert!(page.contains("Also recorded as") && page.contains("Jordon Smyth"), "{page}");
    assert!(page.contains(&first) && page.contains(&second), "both crimes on the record kept: {page}");
    b.screenshot_full(&dir.join("31-merged.png"), 1280);
    // Undone from the same page, with a reason.
    b.type_into("#undo_reason", "Twins: two people");
    b.click("form[action$='/undo'] button[type=submit]");
    // The merged page had a notice too: wait for the new page's, not the old one's.
    let page = b.wait_for_text("main", "Merge undone");
    assert!(page.contains(&first) && !page.contains(&second), "{page}");
    assert!(!page.contains("Also recorded as"), "{page}");
    b.screenshot_full(&dir.join("32-merge-undone.png"), 1280);
}

#[test]
fn a_crime_page_prints_as_a_marked_case_summary_without_forms_in_chromium() {
    let s = Server::start();
    let (_, crime) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), None);
    let reference = s.case_store().crime(crime).unwrap().crime.reference;
    let driver = Driver::start();
    let b = driver.session();
    sign_in(&b, &s, "officer");
    b.goto(&s.url(&format!("/crimes/{reference}")));
    b.find("main h1");
    let visible = |css: &str| -> Vec<bool> {
        b.execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => getComputedStyle(e).display !== 'none')",
            serde_json::json!([css]),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect()
    };
    // On screen: the forms, and the marking.
    assert!(visible("main form").iter().filter(|v| **v).count() >= 5, "the page's forms");
    assert_eq!(visible(".marking"), [true]);
    assert_eq!(visible(".print-only"), [false]);
    // As printed: no forms, no header or navigation; the marking and who printed it.
    b.cdp("Emulation.setEmulatedMedia", serde_json::json!({"media": "print"}));
    assert!(visible("main form").iter().all(|v| !v), "forms are not printed");
    assert!(visible("header.top").iter().all(|v| !v));
    assert!(visible("details").iter().all(|v| !v));
    for heading in ["h3#add-person", "h3#event", "h2#contact", "h2#outcome"] {
        assert_eq!(visible(heading), [false], "{heading}: a form's heading is not printed");
    }
    assert_eq!(visible("#people"), [true], "the record's own sections are");
    assert_eq!(visible(".marking"), [true]);
    assert_eq!(visible(".print-only"), [true]);
    assert!(b.text(".print-only").contains("Demo Investigating Officer"), "{}", b.text(".print-only"));
    // The browser's Print: a PDF of A4 pages, each page's margin boxes marked and numbered
    // by the style sheet's @page rule.
    let pdf = b.cdp("Page.printToPDF", serde_json::json!({"preferCSSPageSize": true}));
    let data = pdf["data"].as_str().expect("a PDF").to_string();
    let _ = std::fs::create_dir_all(shots());
    std::fs::write(shots().join("33-case-summary.pdf.base64"), &data).unwrap();
    let read = b.execute(
        "const s = atob(arguments[0]); return [s.slice(0, 5), (s.match(/\\/Type\\s*\\/Page[^s]/g) || []).length]",
        serde_json::json!([data]),
    );
    assert_eq!(read[0], "%PDF-", "{read}");
    assert!(read[1].as_u64().unwrap() >= 1, "{read}");
    let css = s.client().get("/assets/peel.css").body;
    assert!(css.contains("@top-center{content:\"OFFICIAL-SENSITIVE\"") && css.contains("counter(page)"), "{css}");
}
