//! The web application over plain HTTP (no browser): sign-in, sessions, CSRF, roles and
//! scopes, errors kept on forms, the API behind the session, and the whole flow from a
//! partner's report to a met Victims' Code obligation.

mod support;

use support::{Server, NOW};

#[test]
fn a_wrong_password_or_unknown_user_signs_nobody_in() {
    let s = Server::start();
    let mut c = s.client();
    let r = c.post("/login", &[("username", "partner"), ("password", "wrong")]);
    assert_eq!(r.status, 401);
    assert!(r.header("set-cookie").is_none());
    assert!(r.body.contains("The username or password is not right"), "{}", r.body);
    assert!(r.body.contains("value=\"partner\""), "the username typed is kept");
    let r = c.post("/login", &[("username", "nobody"), ("password", "peel-demo-partner")]);
    assert_eq!(r.status, 401);
    let r = c.post("/login", &[("username", ""), ("password", "")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter your username"));
    assert!(c.cookie.is_none());
    // Not signed in: pages send you to sign in.
    let r = c.get("/officer");
    assert_eq!((r.status, r.header("location")), (303, Some("/login")));
}

#[test]
fn the_session_cookie_is_httponly_strict_and_secure_when_configured() {
    let s = Server::start();
    let r = s.client().login("partner");
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http on loopback: {cookie}");
    assert_eq!(r.header("location"), Some("/partner"));
    let s = Server::start_with(peel_web::WebConfig { secure_cookies: true, ..Default::default() });
    let r = s.client().login("registrar");
    assert!(r.header("set-cookie").unwrap().contains("; Secure"));
    assert_eq!(r.header("location"), Some("/registrar"));
    // Pages carry a policy that allows no script.
    let page = s.client().get("/login");
    assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
}

#[test]
fn a_post_without_the_csrf_token_is_refused() {
    let s = Server::start();
    let mut c = s.client();
    c.login("partner");
    let page = c.get("/partner");
    let token = page.csrf();
    let report = [("kind", "crime"), ("account", "A visitor punched a porter (synthetic).")];
    let r = c.post("/partner/reports", &report);
    assert_eq!(r.status, 403, "no token");
    let mut wrong = report.to_vec();
    wrong.push(("_csrf", "0000"));
    assert_eq!(c.post("/partner/reports", &wrong).status, 403, "a wrong token");
    let mut good = report.to_vec();
    good.push(("_csrf", &token));
    let from_elsewhere =
        c.send("POST", "/partner/reports", &[("Origin", "http://evil.example")], &support::form(&good));
    assert_eq!(from_elsewhere.status, 403, "posted from another site");
    assert!(c.get("/partner").body.contains("No reports from the site yet"), "nothing was stored");
    let r = c.post("/partner/reports", &good);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().starts_with("/partner?done=report-sent&ref=RPT-2026-"));
    // Logout is a form too.
    assert_eq!(c.post("/logout", &[]).status, 403);
}

#[test]
fn logout_ends_the_session() {
    let s = Server::start();
    let mut c = s.client();
    c.login("officer");
    let old = c.cookie.clone();
    let token = c.get("/officer").csrf();
    let r = c.post("/logout", &[("_csrf", &token)]);
    assert_eq!((r.status, r.header("location")), (303, Some("/login?out=1")));
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(c.cookie.is_none());
    // The old cookie no longer works.
    c.cookie = old;
    let r = c.get("/officer");
    assert_eq!((r.status, r.header("location")), (303, Some("/login")));
}

#[test]
fn every_page_checks_the_role() {
    every_page_checks_the_role_on(&Server::start());
}

/// The same on PostgreSQL, the store of a multi-user deployment.
#[test]
fn every_page_checks_the_role_on_postgres() {
    every_page_checks_the_role_on(&Server::start_postgres());
}

fn every_page_checks_the_role_on(s: &Server) {
    let pages = ["/partner", "/site", "/registrar", "/officer", "/supervisor", "/victim-care", "/analyst", "/admin"];
    let allowed: &[(&str, &[&str])] = &[
        ("partner", &["/partner"]),
        ("liaison", &["/site"]),
        ("registrar", &["/registrar"]),
        ("officer", &["/officer"]),
        ("supervisor", &["/registrar", "/supervisor", "/victim-care", "/analyst"]),
        ("victimcare", &["/victim-care"]),
        ("analyst", &["/analyst"]),
        ("admin", &["/registrar", "/supervisor", "/victim-care", "/analyst", "/admin"]),
    ];
    for (user, ok) in allowed {
        let mut c = s.client();
        c.login(user);
        for page in pages {
            let r = c.get(page);
            let expected = if ok.contains(&page) {
                if page == "/site" {
                    303
                } else {
                    200
                }
            } else if page == "/site" && *user == "partner" {
                303
            } else {
                403
            };
            assert_eq!(r.status, expected, "{user} GET {page}");
        }
    }
}

#[test]
fn a_partner_sees_only_their_own_sites_reports() {
    let s = Server::start();
    let (other_site, other_report) = s.other_site_report();
    let mut c = s.client();
    c.login("partner");
    let token = c.get("/partner").csrf();
    c.post("/partner/reports", &[("_csrf", &token), ("kind", "intelligence"), ("account", "Dealing in car park B.")]);
    let own = c.get("/partner");
    assert!(own.body.contains("Intelligence received"), "{}", own.body);
    assert!(!own.body.contains("Shoplifting"));
    let r = c.get(&format!("/reports/{other_report}"));
    assert_eq!(r.status, 403);
    assert!(r.body.contains("not from your site"));
    assert_eq!(c.get(&format!("/sites/{other_site}")).status, 403);
    let mut liaison = s.client();
    liaison.login("liaison");
    assert_eq!(liaison.get(&format!("/reports/{other_report}")).status, 403);
    assert_eq!(liaison.get(&format!("/sites/{other_site}")).status, 403);
    let mut registrar = s.client();
    registrar.login("registrar");
    assert_eq!(registrar.get(&format!("/reports/{other_report}")).status, 200);
}

#[test]
fn a_form_with_errors_keeps_what_was_typed() {
    let s = Server::start();
    let mut c = s.client();
    c.login("partner");
    let token = c.get("/partner").csrf();
    let r = c.post(
        "/partner/reports",
        &[("_csrf", &token), ("kind", "crime"), ("location", "Ward <12>"), ("account", "   ")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Error: Say what happened"));
    assert!(r.body.contains("value=\"Ward &lt;12&gt;\""), "typed text kept, escaped");
    assert!(r.body.contains("value=\"crime\" checked"));
    let r = c.post(
        "/partner/reports",
        &[("_csrf", &token), ("kind", "crime"), ("occurred_at", "2027-01-01T10:00"), ("account", "x")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is in the future"), "{}", r.body);
    assert!(r.body.contains("value=\"2027-01-01T10:00\""));
}

#[test]
fn the_api_acts_as_the_signed_in_user() {
    let s = Server::start();
    let mut anonymous = s.client();
    assert_eq!(anonymous.get("/healthz").status, 200);
    assert_eq!(anonymous.get("/api/openapi.json").status, 200);
    assert_eq!(anonymous.get("/api/sites").status, 401);
    let spoofed = anonymous.send(
        "POST",
        "/api/reports",
        &[("X-Peel-User", "someone"), ("Content-Type", "application/json")],
        r#"{"channel": "101", "kind": "crime", "account": "x"}"#,
    );
    assert_eq!(spoofed.status, 401, "the header alone is not trusted");
    let mut partner = s.client();
    partner.login("partner");
    assert_eq!(partner.get("/api/sites").status, 403);
    let mut registrar = s.client();
    registrar.login("registrar");
    assert_eq!(registrar.get("/api/sites").status, 200);
    let r = registrar.send(
        "POST",
        "/api/reports",
        &[("X-Peel-User", "someone-else"), ("Content-Type", "application/json")],
        r#"{"channel": "101", "kind": "crime", "account": "A phone stolen (synthetic)."}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.contains("\"created_by\":\"registrar\""), "{}", r.body);
}

/// The whole journey over HTTP: partner report → liaison site page → registrar decision →
/// officer's obligations → contact logged → obligation met.
#[test]
fn a_partner_report_becomes_a_crime_whose_obligations_the_officer_meets() {
    partner_report_to_met_obligation(&Server::start());
}

/// The same journey on PostgreSQL.
#[test]
fn a_partner_report_becomes_a_crime_whose_obligations_the_officer_meets_on_postgres() {
    partner_report_to_met_obligation(&Server::start_postgres());
}

fn partner_report_to_met_obligation(s: &Server) {
    let mut partner = s.client();
    partner.login("partner");
    let token = partner.get("/partner").csrf();
    let r = partner.post(
        "/partner/reports",
        &[
            ("_csrf", &token),
            ("kind", "crime"),
            ("location", "A&E waiting area"),
            ("account", "A patient's relative punched a nurse (synthetic)."),
        ],
    );
    let reference = r.header("location").unwrap().split("ref=").nth(1).unwrap().to_string();
    let page = partner.get("/partner");
    assert!(page.body.contains(&reference) && page.body.contains("Waiting for a police decision"));

    let mut liaison = s.client();
    liaison.login("liaison");
    let site = liaison.get("/site");
    let site_page = liaison.get(site.header("location").unwrap());
    assert!(site_page.body.contains(&reference), "{}", site_page.body);
    assert!(site_page.body.contains("<svg class=\"chart\""));

    let mut registrar = s.client();
    registrar.login("registrar");
    let queue = registrar.get("/registrar");
    let at = queue.body.find("/registrar/incidents/").unwrap();
    let path: String = queue.body[at..].split('"').next().unwrap().to_string();
    let form = registrar.get(&path);
    let token = form.csrf();
    let bad = registrar.post(
        &path,
        &[
            ("_csrf", &token),
            ("version", "1"),
            ("decision", "crime"),
            ("offence_code", "ZZZ"),
            ("victim_name", "Sam Synthetic"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("not a Home Office offence code") && bad.body.contains("value=\"Sam Synthetic\""));
    let r = registrar.post(
        &path,
        &[
            ("_csrf", &token),
            ("version", "1"),
            ("decision", "crime"),
            ("offence_code", "8N"),
            ("victim_name", "Sam Synthetic"),
            ("flags", "hospital-site"),
            ("team", "Local investigation team"),
            ("officer", "officer"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(registrar.get(r.header("location").unwrap()).body.contains("recorded as crime CRM-2026-"));
    assert!(partner.get("/partner").body.contains("Recorded as a crime: under investigation"));

    let mut officer = s.client();
    officer.login("officer");
    let work = officer.get("/officer");
    assert!(work.body.contains("Sam Synthetic"), "{}", work.body);
    let at = work.body.find("/crimes/").unwrap();
    let crime_path: String = work.body[at..].split(['?', '#', '"']).next().unwrap().to_string();
    let crime = officer.get(&crime_path);
    // People by name, not by username.
    assert!(crime.body.contains(" by Demo Crime Registrar</dd>"), "{}", crime.body);
    assert!(crime.body.contains("<dt>Officer</dt><dd>Demo Investigating Officer</dd>"));
    let token = crime.csrf();
    let at = crime.body.find("name=\"meets\" value=\"").unwrap() + 20;
    let obligation: String = crime.body[at..].split('"').next().unwrap().to_string();
    // The victim, as the contact form's own choice offers them.
    let form = &crime.body[crime.body.find("<select id=\"person\" name=\"person\"").unwrap()..];
    let at = form.find("<option value=\"").unwrap() + 15;
    let person: String = form[at..].split('"').next().unwrap().to_string();
    let r = officer.post(
        &format!("{crime_path}/contacts"),
        &[
            ("_csrf", &token),
            ("person", &person),
            ("method", "phone"),
            ("meets", &obligation),
            ("notes", "Called (synthetic)."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = officer.get(&crime_path);
    assert!(after.body.contains(&format!("Met {}", peel_web::html::when(NOW))), "{}", after.body);
    // The same obligation cannot be met twice.
    let again = officer.post(
        &format!("{crime_path}/contacts"),
        &[("_csrf", &token), ("person", &person), ("method", "phone"), ("meets", &obligation)],
    );
    assert_eq!(again.status, 422, "{}", again.body);
    // Another team's officer could not have seen it; a partner never can.
    assert_eq!(partner.get(&crime_path).status, 403);
    // The supervisor sees the crime's investigation plan falling due this week (two days
    // after recording; the clock is fixed at recording, so it is due, not yet overdue).
    let mut supervisor = s.client();
    supervisor.login("supervisor");
    let page = supervisor.get("/supervisor");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Investigation plans and reviews due"), "{}", page.body);
    assert!(!page.body.contains("No plans or reviews due."), "a new crime owes a plan: {}", page.body);
    assert!(
        page.body.contains("investigation plan") && !page.body.contains("<strong>overdue</strong>"),
        "{}",
        page.body
    );
}

/// A banner after a form comes from a fixed list, chosen by the key in `?done=`: text put in
/// the URL is never shown, an unknown key shows nothing, and a reference is shown only if it
/// has the form of one.
#[test]
fn a_done_key_not_in_the_list_shows_no_banner() {
    let s = Server::start();
    let (_, crime) = s.recorded_crime(peel_web::demo::TEAM, Some("officer"), None);
    let script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let crime_path = format!("/crimes/{crime}");
    let pages = [
        ("partner", "/partner"),
        ("registrar", "/registrar"),
        ("admin", "/admin"),
        ("officer", crime_path.as_str()),
        ("registrar", crime_path.as_str()),
    ];
    for (who, path) in pages {
        let mut c = s.client();
        c.login(who);
        for done in [script, "Outcome%20set.", "Decision%20recorded", "nothing", "report-sent%00", ""] {
            let page = c.get(&format!("{path}?done={done}"));
            assert_eq!(page.status, 200, "{path}?done={done}: {}", page.body);
            assert!(!page.body.contains("class=\"notice\""), "{who} {path}?done={done}: {}", page.body);
            assert!(!page.body.contains("<script"), "{who} {path}?done={done}");
            assert!(!page.body.contains("alert(1)"), "{who} {path}?done={done}");
        }
    }
    // A known key shows its own words; what else is in the URL is checked before it is shown.
    let mut partner = s.client();
    partner.login("partner");
    let sent = partner.get("/partner?done=report-sent&ref=RPT-2026-000123");
    assert!(sent.body.contains("Thank you: your report RPT-2026-000123 has been sent."), "{}", sent.body);
    let forged = partner.get(&format!("/partner?done=report-sent&ref={script}"));
    assert!(forged.body.contains("Thank you: your report has been sent."), "{}", forged.body);
    assert!(!forged.body.contains("<script") && !forged.body.contains("alert(1)"));
    // Another page's key shows nothing here.
    let mut officer = s.client();
    officer.login("officer");
    assert!(!officer.get(&format!("{crime_path}?done=report-sent")).body.contains("class=\"notice\""));
    assert!(officer.get(&format!("{crime_path}?done=outcome")).body.contains("Outcome set."));
    // The admin's banner names only an account that exists.
    let mut admin = s.client();
    admin.login("admin");
    let named = admin.get(&format!("/admin?done=account-added&account={script}"));
    assert!(named.body.contains("Account added.") && !named.body.contains("alert(1)"), "{}", named.body);
    assert!(admin.get("/admin?done=account-added&account=officer").body.contains("Account officer added."));
}

/// A machine client signs in with an API token (`Authorization: Bearer`), as its account and
/// under the same role and scope checks; a token that is unknown, malformed or revoked is
/// 401, and no answer carrying personal data may be cached.
#[test]
fn an_api_token_acts_as_its_account_until_revoked() {
    let s = Server::start();
    let now = peel_domain::date::Timestamp::parse(support::NOW).unwrap();
    let mut store = s.case_store();
    let officer = store.find_account("officer").unwrap().unwrap();
    let token = peel_access::secrets::random_hex(32);
    let new = peel_store::accounts::NewApiToken {
        account: officer.id,
        token_hash: peel_access::secrets::hash_token(&token),
        label: "a records app (synthetic)".into(),
        expires_at: None,
    };
    store.create_api_token(&new, "admin", now).unwrap();
    let bearer = format!("Bearer {token}");
    let mut client = s.client();
    let mine = client.send("GET", "/api/worklists/obligations?officer=officer", &[("Authorization", &bearer)], "");
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.header("cache-control"), Some("no-store"));
    // The officer's scope holds for the token too.
    let theirs = client.send("GET", "/api/worklists/obligations?officer=pc:other", &[("Authorization", &bearer)], "");
    assert_eq!(theirs.status, 403);
    assert_eq!(client.send("GET", "/api/sites", &[("Authorization", &bearer)], "").status, 403);
    // A write acts as the token's account.
    let r = client.send(
        "POST",
        "/api/reports",
        &[("Authorization", &bearer), ("Content-Type", "application/json")],
        r#"{"channel": "101", "kind": "crime", "account": "A bicycle stolen (synthetic)."}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.contains("\"created_by\":\"officer\""), "{}", r.body);
    for wrong in [format!("Bearer {}", "0".repeat(64)), "Bearer short".to_string(), format!("Basic {token}")] {
        let r = client.send("GET", "/api/worklists/obligations?officer=officer", &[("Authorization", &wrong)], "");
        assert_eq!(r.status, 401, "{wrong}: {}", r.body);
    }
    store.revoke_api_tokens(officer.id, None, "admin", now).unwrap();
    let r = client.send("GET", "/api/worklists/obligations?officer=officer", &[("Authorization", &bearer)], "");
    assert_eq!(r.status, 401, "a revoked token signs no one in");
}
