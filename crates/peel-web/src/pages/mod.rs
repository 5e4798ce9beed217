//! The pages, one module per user. The role is checked once, by [`gate`], from the pages'
//! access table (`peel_access::pages`); each handler then checks the record's scope, calls
//! the casework service (writes) or reads the store, and renders HTML.

mod account;
mod admin;
mod analyst;
mod analyst_casework;
mod analyst_figures;
mod analyst_map;
mod analyst_patterns;
mod audit;
mod cell_map;
mod crime;
mod crime_filter;
mod login;
mod officer;
mod partner;
mod people;
pub(crate) mod registrar;
mod search;
mod site;
mod supervisor;
mod tasks;
mod victim_care;

use crate::auth::{Role, User};
use crate::html;
use crate::{WebError, WebState};
use axum::extract::{FromRequestParts, MatchedPath, Path, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use peel_domain::outcome::{outcome_type, OutcomeGroup};
use peel_http::CaseStore;
use peel_store::casework::Report;

/// In front of every page: the route's row in the pages' access policy
/// ([`peel_access::pages::PAGES`]) decides who reaches the handler. A route with no row is
/// refused to everyone (deny by default); a page for signed-in users sends anyone else to
/// sign in; a role not in the row gets 403. The signed-in user is kept in the request, so
/// the handler does not look the session up again. Record scope is the handler's.
pub async fn gate(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let template = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_default();
    let Some(rule) = peel_access::pages::find_page(req.method().as_str(), &template) else {
        return WebError::Forbidden(format!(
            "{} {template} is not in Peel's access policy, so it is refused.",
            req.method()
        ))
        .into_response();
    };
    if rule.who == peel_access::pages::Who::Anyone {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let user = match User::from_request_parts(&mut parts, &web).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if !rule.allows(user.role) {
        return WebError::Forbidden(refusal(rule, user.role)).into_response();
    }
    parts.extensions.insert(user);
    next.run(Request::from_parts(parts, body)).await
}

/// Why the gate refused: who the page is for, in the roles' own words.
fn refusal(rule: &peel_access::pages::PageRule, role: Role) -> String {
    let peel_access::pages::Who::Roles(roles) = rule.who else { return "You cannot open this page.".into() };
    let mut names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
    let last = names.pop().unwrap_or_default();
    let who = if names.is_empty() { last.to_string() } else { format!("{} and {last}", names.join(", ")) };
    format!("This is for these accounts only: {who}. Yours is a {} account.", role.label())
}

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route("/assets/peel.css", get(css))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/partner", get(partner::page))
        .route("/partner/reports", post(partner::submit))
        .route("/reports/{id}", get(partner::report))
        .route("/site", get(site::mine))
        .route("/sites", get(site::list))
        .route("/sites/{id}", get(site::page))
        .route("/sites/{id}/reports.csv", get(site::reports_csv))
        .route("/registrar", get(registrar::queue))
        .route("/registrar.csv", get(registrar::queue_csv))
        .route("/registrar/incidents/{id}", get(registrar::form).post(registrar::decide))
        .route("/registrar/incidents/{id}/triage", post(registrar::triage))
        .route("/officer", get(officer::page))
        .route("/officer/crimes.csv", get(officer::crimes_csv))
        .route("/victim-care", get(victim_care::due))
        .route("/victim-care.csv", get(victim_care::csv))
        .route("/victim-care/enhanced", get(victim_care::enhanced))
        .route("/victim-care/fraud", get(victim_care::fraud))
        .route("/crimes/{id}", get(crime::page))
        .route("/crimes/{id}/contacts", post(crime::log_contact))
        .route("/crimes/{id}/reviews", post(crime::add_review))
        .route("/crimes/{id}/outcome", post(crime::set_outcome))
        .route("/crimes/{id}/evidence", post(crime::add_evidence))
        .route("/crimes/{id}/people", post(crime::add_person))
        .route("/crimes/{id}/events", post(crime::record_event))
        .route("/crimes/{id}/allocation", post(crime::reallocate))
        .route("/crimes/{id}/reopen", post(crime::reopen))
        .route("/crimes/{id}/evidence-secured", post(crime::secure_evidence))
        .route("/crimes/{id}/tasks", post(crime::add_task))
        .route("/crimes/{id}/flags", post(crime::set_flags))
        .route("/crimes/{id}/reclassification", post(crime::reclassify))
        .route("/crimes/{id}/reclassification/decision", post(crime::decide_reclassification))
        .route("/crimes/{id}/links", get(crime::series).post(crime::link))
        .route("/crimes/{id}/links/remove", post(crime::unlink))
        .route("/tasks/{id}/done", post(tasks::complete))
        .route("/notifications", get(tasks::notifications))
        .route("/notifications/read", post(tasks::mark_read))
        .route("/crimes/{id}/cancel", post(crime::cancel))
        .route("/crimes/{id}/cancellation-request", post(crime::request_cancellation))
        .route("/crimes/{id}/cancellation-request/refuse", post(crime::refuse_cancellation))
        .route("/supervisor", get(supervisor::page))
        .route("/supervisor/meeting.csv", get(supervisor::meeting_csv))
        .route("/supervisor/reviews.csv", get(supervisor::reviews_csv))
        .route("/supervisor/decisions", post(supervisor::record_decision))
        .route("/supervisor/meetings", post(supervisor::hold_meeting))
        .route("/search", get(search::page))
        .route("/search.csv", get(search::csv))
        .route("/people/duplicates", get(people::duplicates))
        .route("/people/duplicates.csv", get(people::duplicates_csv))
        .route("/people/duplicates/{id}", get(people::pair))
        .route("/people/duplicates/{id}/distinct", post(people::distinct))
        .route("/people/merges", post(people::merge))
        .route("/people/merges/{id}/undo", post(people::undo))
        .route("/people/{id}", get(people::person))
        .route("/people/{id}/crimes.csv", get(people::crimes_csv))
        .route("/people/{id}/aliases", post(people::add_alias))
        .route("/people/{id}/addresses", post(people::add_address))
        .route("/people/{id}/phone", post(people::set_phone))
        .route("/people/{id}/identity", post(people::set_identity))
        .route("/people/{id}/markers", post(people::add_marker))
        .route("/people/{id}/markers/end", post(people::end_marker))
        .route("/people/{id}/tasks", post(people::add_task))
        .route("/people/{id}/crimes", post(people::add_to_crime))
        .route("/analyst", get(analyst::page))
        .route("/analyst/board-paper", get(analyst::board_paper_page))
        .route("/analyst/board-paper.pdf", get(analyst::board_paper_pdf))
        .route("/analyst/performance", get(analyst_figures::performance))
        .route("/analyst/outcomes", get(analyst_figures::outcomes))
        .route("/analyst/areas", get(analyst_figures::areas))
        .route("/analyst/impact-areas", get(analyst_figures::impact_areas))
        .route("/analyst/concentration", get(analyst_figures::concentration))
        .route("/analyst/hotspots", get(analyst_map::hotspots))
        .route("/analyst/density", get(analyst_patterns::density))
        .route("/analyst/gi-star", get(analyst_patterns::gi_star))
        .route("/analyst/near-repeat", get(analyst_patterns::near_repeat))
        .route("/analyst/backtest", get(analyst_patterns::backtest_page))
        .route("/analyst/patrols", get(analyst_patterns::patrols))
        .route("/analyst/hours", get(analyst_patterns::hours))
        .route("/audit", get(audit::page))
        .route("/audit.csv", get(audit::csv))
        .route("/admin", get(admin::page))
        .route("/admin/accounts.csv", get(admin::accounts_csv))
        .route("/admin/accounts", post(admin::create_account))
        .route("/admin/sites", post(admin::add_site))
        .route("/admin/accounts/{username}", get(admin::account).post(admin::change))
        .route("/account/password", get(account::page).post(account::change))
}

async fn home(user: Result<User, WebError>) -> Response {
    match user {
        Ok(u) => Redirect::to(u.role.home()).into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], html::CSS)
        .into_response()
}

/// A page for the signed-in user.
pub(crate) fn render(user: &User, title: &str, body: Markup) -> Html<String> {
    html::page_html(title, Some(user), body)
}

/// An id from the path; 404 for anything that is not one.
pub(crate) struct PathId(pub i64);

impl axum::extract::FromRequestParts<WebState> for PathId {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &WebState) -> Result<Self, WebError> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(PathId(id)),
            Err(_) => Err(WebError::NotFound("There is no such page.".into())),
        }
    }
}

/// A crime named in the path by its reference (`/crimes/CRM-2026-000123`, as people know it)
/// or by its id (the forms' addresses); 404 for anything else.
pub(crate) struct CrimeId(pub i64);

impl axum::extract::FromRequestParts<WebState> for CrimeId {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &WebState) -> Result<Self, WebError> {
        let Ok(Path(key)) = Path::<String>::from_request_parts(parts, state).await else {
            return Err(WebError::NotFound("There is no such page.".into()));
        };
        if let Ok(id) = key.parse::<i64>() {
            return Ok(CrimeId(id));
        }
        let none = || WebError::NotFound(format!("There is no crime {key}."));
        let reference = peel_casework::search::reference_of(&key).filter(|r| r.starts_with("CRM-")).ok_or_else(none)?;
        let found = state.run(move |store, _| Ok(store.find_reference(&reference)?)).await?;
        match found {
            Some(("crime", id)) => Ok(CrimeId(id)),
            _ => Err(none()),
        }
    }
}

/// Whether the user may see what happens at `site`: their own site for partners and
/// liaison officers; every site for the force-wide roles.
pub(crate) fn can_see_site(user: &User, site: Option<i64>) -> bool {
    match user.role {
        Role::Partner | Role::Liaison => site.is_some() && user.account.site == site,
        Role::Registrar | Role::Supervisor | Role::Analyst | Role::Admin | Role::VictimCare => true,
        Role::Officer | Role::Auditor => false,
    }
}

/// A report's status in plain words: (tag colour, headline, what happens next).
pub(crate) fn report_status(store: &dyn CaseStore, r: &Report) -> Result<(&'static str, String, String), WebError> {
    if r.kind == "intelligence" {
        return Ok((
            "",
            "Intelligence received".into(),
            "Thank you. Intelligence helps the police decide where to patrol and whom to look at. \
             Nobody will contact you about it unless they need more detail."
                .into(),
        ));
    }
    let Some(incident) = r.incident else { return Ok(("", "Received".into(), String::new())) };
    let inc = store.incident(incident)?;
    Ok(match inc.status.as_str() {
        "open" => (
            "amber",
            "Waiting for a police decision".into(),
            format!(
                "A crime registrar decides whether this is recorded as a crime. The decision is due within 24 hours of \
                 the report, by {}.",
                html::when(inc.decision_due)
            ),
        ),
        "transferred" => (
            "",
            "Passed to another police force".into(),
            "It happened in another force's area, so that force deals with it.".into(),
        ),
        "crime" => {
            let crimes = store.crimes_for_incident(incident)?;
            let Some(c) = crimes.first() else { return Ok(("amber", "Recorded as a crime".into(), String::new())) };
            crime_status(c.status.as_str(), c.outcome.as_deref())
        }
        _ => (
            "",
            "Recorded as an incident, not a crime".into(),
            "The police looked at it and it did not amount to a crime. It still counts: incidents show where \
             problems are building up."
                .into(),
        ),
    })
}

/// A crime's status in plain words: police action versus court; out-of-court resolution.
pub(crate) fn crime_status(status: &str, outcome: Option<&str>) -> (&'static str, String, String) {
    if status == "cancelled" {
        return (
            "",
            "Crime record cancelled".into(),
            "A decision maker found that no crime took place after all (or it was recorded twice).".into(),
        );
    }
    let Some(code) = outcome else {
        return (
            "amber",
            "Recorded as a crime: under investigation".into(),
            "An officer is investigating, and the victim is kept up to date under the Victims' Code. If there is \
             enough evidence, a suspect can be charged and the case goes to court; a less serious offence may \
             instead be resolved out of court, for example with a caution or a community resolution in which the \
             offender puts things right."
                .into(),
        );
    };
    let Some(o) = outcome_type(code) else { return ("", format!("Outcome {code}"), String::new()) };
    match o.group {
        OutcomeGroup::ChargedSummonsed => (
            "green",
            "Charged: the case goes to court".into(),
            "A suspect has been charged or summonsed. The court decides guilt and sentence; the victim is told \
             about hearings and can make a personal statement."
                .into(),
        ),
        OutcomeGroup::OutOfCourtFormal | OutcomeGroup::OutOfCourtInformal | OutcomeGroup::Diversionary => (
            "green",
            "Resolved out of court".into(),
            format!(
                "The offender was dealt with by the police without going to court ({}). This is a police outcome, \
                 not a court conviction.",
                o.title
            ),
        ),
        OutcomeGroup::TakenIntoConsideration => (
            "green",
            "Dealt with at court with other offences".into(),
            "The offender admitted this offence, and the court took it into account when sentencing for others.".into(),
        ),
        OutcomeGroup::NotYetAssigned | OutcomeGroup::Unknown => {
            ("amber", "Recorded as a crime: under investigation".into(), "An officer is investigating.".into())
        }
        g => (
            "",
            "Investigation closed".into(),
            format!(
                "The police closed the investigation: {} ({}). It can be reopened if new evidence comes to light.",
                g.label().to_lowercase(),
                o.title
            ),
        ),
    }
}

/// Who an account is, as people know them: "Avery Example (collar 4021)", or the name alone,
/// with the site's name for a partner's account; the username only where no account has it
/// (a name from an import or the command line).
pub(crate) fn who(store: &dyn CaseStore, username: &str) -> Result<String, WebError> {
    let Some(a) = store.find_account(username)? else { return Ok(username.to_string()) };
    let site = match a.site {
        Some(id) => store.sites()?.into_iter().find(|s| s.id == id).map(|s| s.details.name),
        None => None,
    };
    Ok(match (&a.collar, site) {
        (Some(c), _) => format!("{} (collar {c})", a.display_name),
        (None, Some(site)) => format!("{}, {site}", a.display_name),
        (None, None) => a.display_name.clone(),
    })
}

/// [`who`] for each of `usernames`, each looked up once: for a page that names the same
/// people many times (a crime's contacts, a list's officers).
pub(crate) fn names_of<'a>(
    store: &dyn CaseStore,
    usernames: impl IntoIterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, String>, WebError> {
    let mut names = std::collections::HashMap::new();
    for u in usernames {
        if !names.contains_key(u) {
            names.insert(u.to_string(), who(store, u)?);
        }
    }
    Ok(names)
}

/// A username as [`names_of`] found it (the username itself if it was not looked up).
pub(crate) fn named<'a>(names: &'a std::collections::HashMap<String, String>, username: &'a str) -> &'a str {
    names.get(username).map_or(username, String::as_str)
}

pub(crate) fn tag(class: &str, text: &str) -> Markup {
    html! { span class={ "tag " (class) } { (text) } }
}

/// The banner shown after a successful POST, which redirects with `?done=KEY`. The words are
/// chosen here, by the key, never taken from the URL: a key not in the list shows no banner.
/// A reference or name in the banner comes from a parameter of its own, checked by the page
/// (see [`is_reference`]) or looked up in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    ReportSent,
    DecisionRecorded,
    AccountAdded,
    SiteAdded,
    ContactLogged,
    OutcomeSet,
    EvidenceAdded,
    PlanRecorded,
    ReviewRecorded,
    CrimeCancelled,
    CancellationRequested,
    CancellationRefused,
    AccountChanged,
    PasswordChanged,
    PersonAdded,
    EventRecorded,
    Reallocated,
    Reopened,
    EvidenceSecured,
    Triaged,
    AliasAdded,
    AddressAdded,
    PhoneSet,
    MarkerAdded,
    MarkerEnded,
    Merged,
    MergeUndone,
    NotDuplicates,
    TaskSet,
    NotificationsRead,
    FlagsChanged,
    Reclassified,
    ReclassificationAsked,
    Linked,
    Unlinked,
    AddedToCrime,
    IdentitySet,
}

impl Notice {
    pub const ALL: [Notice; 37] = [
        Notice::ReportSent,
        Notice::DecisionRecorded,
        Notice::AccountAdded,
        Notice::SiteAdded,
        Notice::ContactLogged,
        Notice::OutcomeSet,
        Notice::EvidenceAdded,
        Notice::PlanRecorded,
        Notice::ReviewRecorded,
        Notice::CrimeCancelled,
        Notice::CancellationRequested,
        Notice::CancellationRefused,
        Notice::AccountChanged,
        Notice::PasswordChanged,
        Notice::PersonAdded,
        Notice::EventRecorded,
        Notice::Reallocated,
        Notice::Reopened,
        Notice::EvidenceSecured,
        Notice::Triaged,
        Notice::AliasAdded,
        Notice::AddressAdded,
        Notice::PhoneSet,
        Notice::MarkerAdded,
        Notice::MarkerEnded,
        Notice::Merged,
        Notice::MergeUndone,
        Notice::NotDuplicates,
        Notice::TaskSet,
        Notice::NotificationsRead,
        Notice::FlagsChanged,
        Notice::Reclassified,
        Notice::ReclassificationAsked,
        Notice::Linked,
        Notice::Unlinked,
        Notice::AddedToCrime,
        Notice::IdentitySet,
    ];

    /// The key in `?done=`.
    pub fn key(self) -> &'static str {
        match self {
            Notice::ReportSent => "report-sent",
            Notice::DecisionRecorded => "decided",
            Notice::AccountAdded => "account-added",
            Notice::SiteAdded => "site-added",
            Notice::ContactLogged => "contact",
            Notice::OutcomeSet => "outcome",
            Notice::EvidenceAdded => "evidence",
            Notice::PlanRecorded => "plan",
            Notice::ReviewRecorded => "review",
            Notice::CrimeCancelled => "cancelled",
            Notice::CancellationRequested => "requested",
            Notice::CancellationRefused => "refused",
            Notice::AccountChanged => "account-changed",
            Notice::PasswordChanged => "password",
            Notice::PersonAdded => "person",
            Notice::EventRecorded => "event",
            Notice::Reallocated => "reallocated",
            Notice::Reopened => "reopened",
            Notice::EvidenceSecured => "secured",
            Notice::Triaged => "triaged",
            Notice::AliasAdded => "alias",
            Notice::AddressAdded => "address",
            Notice::PhoneSet => "phone",
            Notice::MarkerAdded => "marker",
            Notice::MarkerEnded => "marker-ended",
            Notice::Merged => "merged",
            Notice::MergeUndone => "merge-undone",
            Notice::NotDuplicates => "not-duplicates",
            Notice::TaskSet => "task",
            Notice::NotificationsRead => "read",
            Notice::FlagsChanged => "flags",
            Notice::Reclassified => "reclassified",
            Notice::ReclassificationAsked => "reclassification-asked",
            Notice::Linked => "linked",
            Notice::Unlinked => "unlinked",
            Notice::AddedToCrime => "added-to-crime",
            Notice::IdentitySet => "identity",
        }
    }

    /// The notice of a `?done=` key; `None` for any other text.
    pub fn parse(key: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.key() == key)
    }

    /// The banner's words. `detail` is what names the thing done (a report's reference, an
    /// account's username, a site's name), already checked or looked up by the page; without
    /// it the words say what was done without naming it.
    pub fn text(self, detail: Option<&str>) -> String {
        match (self, detail) {
            (Notice::ReportSent, Some(r)) => format!("Thank you: your report {r} has been sent."),
            (Notice::ReportSent, None) => "Thank you: your report has been sent.".into(),
            (Notice::DecisionRecorded, Some(d)) => format!("Decision recorded: {d}."),
            (Notice::DecisionRecorded, None) => "Decision recorded.".into(),
            (Notice::AccountAdded, Some(a)) => format!("Account {a} added."),
            (Notice::AccountAdded, None) => "Account added.".into(),
            (Notice::SiteAdded, Some(s)) => format!("Site {s} added."),
            (Notice::SiteAdded, None) => "Site added.".into(),
            (Notice::AccountChanged, Some(a)) => format!("Account {a} changed."),
            (Notice::AccountChanged, None) => "Account changed.".into(),
            (Notice::PasswordChanged, _) => "Your password is changed. Your other sessions have ended.".into(),
            (Notice::ContactLogged, _) => "Contact logged.".into(),
            (Notice::OutcomeSet, _) => "Outcome set.".into(),
            (Notice::EvidenceAdded, _) => "Evidence added.".into(),
            (Notice::PersonAdded, _) => "Person added to the crime.".into(),
            (Notice::Reallocated, _) => "Crime reallocated.".into(),
            (Notice::Reopened, _) => "Crime reopened: the investigation goes on.".into(),
            (Notice::EvidenceSecured, _) => "Evidence marked secured.".into(),
            (Notice::Triaged, _) => "THRIVE assessment recorded: grade and allocation by the rules.".into(),
            (Notice::EventRecorded, _) => {
                "Investigation event recorded: each victim is owed news of it (Victims' Code right 6).".into()
            }
            (Notice::AliasAdded, _) => "Other name added: a search for it finds this person.".into(),
            (Notice::AddressAdded, _) => "Address added.".into(),
            (Notice::PhoneSet, _) => "Phone number changed.".into(),
            (Notice::MarkerAdded, _) => "Warning marker added.".into(),
            (Notice::MarkerEnded, _) => "Warning marker ended.".into(),
            (Notice::Merged, _) => {
                "Records merged: this record now shows both people's crimes, and the other name is kept as an alias. \
                 The merge can be undone below."
                    .into()
            }
            (Notice::MergeUndone, _) => {
                "Merge undone: the two records stand apart again, and the pair is back on the list of possible duplicates."
                    .into()
            }
            (Notice::NotDuplicates, _) => "Recorded as two people: the pair is off the list.".into(),
            (Notice::TaskSet, _) => "Task set: its owner is told.".into(),
            (Notice::NotificationsRead, _) => "All notifications marked as read.".into(),
            (Notice::FlagsChanged, _) => "Flags saved.".into(),
            (Notice::Reclassified, _) => "Reclassification decided: the crime's offence is as shown.".into(),
            (Notice::ReclassificationAsked, _) => {
                "Reclassification asked for: it waits on the crime registrar's list, and the answer shows here.".into()
            }
            (Notice::Linked, _) => "Crimes linked.".into(),
            (Notice::Unlinked, _) => "Link removed.".into(),
            (Notice::AddedToCrime, _) => "Added to the crime.".into(),
            (Notice::IdentitySet, _) => "Saved.".into(),
            (Notice::PlanRecorded, _) => "Investigation plan recorded.".into(),
            (Notice::ReviewRecorded, _) => "Review recorded.".into(),
            (Notice::CrimeCancelled, _) => "The crime record is cancelled.".into(),
            (Notice::CancellationRequested, _) => {
                "Your request is on the crime registrar's list of cancellations needing a decision maker.".into()
            }
            (Notice::CancellationRefused, _) => {
                "The request is refused: the crime stays recorded, and the officer sees why on this page.".into()
            }
        }
    }
}

/// Whether `s` has the form of a Peel reference: letters, a year, a number
/// ("RPT-2026-000123", "INC-2026-000004", "CRM-2026-000010").
pub fn is_reference(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(letters), Some(year), Some(number), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    (1..=8).contains(&letters.len())
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && (1..=12).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The banner after a successful POST: `text` is a [`Notice`]'s words.
pub(crate) fn notice(text: Option<&str>) -> Markup {
    html! {
        @if let Some(t) = text.filter(|t| !t.is_empty()) {
            div class="notice" role="status" { p { (t) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_come_from_a_fixed_list() {
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.key()), Some(n));
        }
        assert_eq!(Notice::parse("<script>alert(1)</script>"), None);
        assert_eq!(Notice::parse("Outcome set."), None);
        assert_eq!(notice(None).into_string(), "");
    }

    #[test]
    fn references_are_letters_year_digits() {
        assert!(is_reference("RPT-2026-000123"));
        assert!(is_reference("INC-2026-1"));
        for bad in ["", "RPT-2026", "rpt-2026-1", "RPT-26-1", "RPT-2026-1x", "RPT-2026-1-2", "<b>-2026-1", "RPT-2026-"]
        {
            assert!(!is_reference(bad), "{bad}");
        }
    }
}
