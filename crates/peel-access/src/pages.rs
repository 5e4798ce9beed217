//! The web pages' access policy: who may open or post each page route, as data. The pages'
//! gate (`peel-web`'s `pages::gate`) finds the route's row by its template (axum's matched
//! path) and refuses 403 a signed-in user whose role is not in it, before the handler runs;
//! **deny by default**: a page route with no row is refused to everyone, so a page added
//! without a row cannot be open. The handlers then apply the record scope (a crime in the
//! officer's team, a site that is the liaison officer's own), with the same rules as the API
//! ([`crate::policy`]), and the finer rules of a page's forms.
//!
//! Together with [`crate::policy::POLICY`] (the API's routes) this is the role × action ×
//! scope matrix; `peel-web`'s `access_matrix` test walks both for every role and checks each
//! answer is the table's.

use crate::Role;
use Role::*;

/// Who may reach a page route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not: the sign-in page, the style sheet.
    Anyone,
    /// Any signed-in account (the home redirect, sign-out, one's own password).
    SignedIn,
    /// These roles only.
    Roles(&'static [Role]),
}

/// The scope a page applies after the role check: what the record must be to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageScope {
    /// No record, or none narrowed further.
    None,
    /// `{id}` is a crime: [`crate::policy::crime_in_scope`].
    Crime,
    /// `{id}` is a site: a liaison officer's own.
    Site,
    /// `{id}` is a report: a partner's or liaison officer's site's, or an officer's crime's.
    Report,
    /// The list is narrowed to the user: an officer's own crimes, a team supervisor's team.
    OwnWork,
    /// `{id}` is a person: one on a crime within the user's reach
    /// ([`crate::policy::reach`]).
    Person,
}

/// One page route: method, path as the router writes it, who may reach it, its scope.
#[derive(Debug, Clone, Copy)]
pub struct PageRule {
    pub method: &'static str,
    pub path: &'static str,
    pub who: Who,
    pub scope: PageScope,
}

const fn page(method: &'static str, path: &'static str, who: Who, scope: PageScope) -> PageRule {
    PageRule { method, path, who, scope }
}

const fn roles(roles: &'static [Role]) -> Who {
    Who::Roles(roles)
}

/// The roles of the registrar's work: the recording-decision queue and its forms.
const REGISTRAR_WORK: &[Role] = &[Registrar, Supervisor, Admin];
/// The roles that read the analysis pages.
const ANALYSIS: &[Role] = &[Analyst, Supervisor, Admin];
/// The roles that see a crime page (each within its scope).
const CRIME_READERS: &[Role] = &[Liaison, Registrar, Officer, Supervisor, VictimCare, Admin];
/// The roles that run investigations: evidence, outcomes, plans and reviews.
const INVESTIGATORS: &[Role] = &[Officer, Supervisor, Admin];
/// The records role: keeps the nominal index (possible duplicates, merges and their undoing).
pub const RECORDS: &[Role] = &[Registrar, Admin];
/// The roles that change what a crime is: its flags, its offence (asked for), its links.
const CHANGERS: &[Role] = &[Registrar, Officer, Supervisor, Admin];
/// The roles that see the list of sites and a site's page.
const SITE_READERS: &[Role] = &[Liaison, Registrar, Supervisor, VictimCare, Analyst, Admin];

/// Every page route. The role lists are the pages' own (issue 4), kept here as one table.
pub static PAGES: &[PageRule] = &[
    page("GET", "/", Who::SignedIn, PageScope::None),
    page("GET", "/assets/peel.css", Who::Anyone, PageScope::None),
    page("GET", "/login", Who::Anyone, PageScope::None),
    page("POST", "/login", Who::Anyone, PageScope::None),
    page("POST", "/logout", Who::SignedIn, PageScope::None),
    // Partners (Operation Nexo): their site's reports and the report form.
    page("GET", "/partner", roles(&[Partner]), PageScope::Site),
    page("POST", "/partner/reports", roles(&[Partner]), PageScope::Site),
    page(
        "GET",
        "/reports/{id}",
        roles(&[Partner, Liaison, Registrar, Officer, Supervisor, VictimCare, Analyst, Admin]),
        PageScope::Report,
    ),
    page("GET", "/site", roles(&[Liaison, Partner]), PageScope::Site),
    page("GET", "/sites", roles(SITE_READERS), PageScope::None),
    page("GET", "/sites/{id}", roles(SITE_READERS), PageScope::Site),
    page("GET", "/sites/{id}/reports.csv", roles(SITE_READERS), PageScope::Site),
    page("GET", "/registrar", roles(REGISTRAR_WORK), PageScope::None),
    page("GET", "/registrar.csv", roles(REGISTRAR_WORK), PageScope::None),
    page("GET", "/registrar/incidents/{id}", roles(REGISTRAR_WORK), PageScope::None),
    page("POST", "/registrar/incidents/{id}", roles(REGISTRAR_WORK), PageScope::None),
    page("POST", "/registrar/incidents/{id}/triage", roles(REGISTRAR_WORK), PageScope::None),
    page("GET", "/officer", roles(&[Officer]), PageScope::OwnWork),
    page("GET", "/officer/crimes.csv", roles(&[Officer]), PageScope::OwnWork),
    // Victim care's queues: force-wide for victim care and admin, a team supervisor's team.
    page("GET", "/victim-care", roles(&[VictimCare, Supervisor, Admin]), PageScope::OwnWork),
    page("GET", "/victim-care.csv", roles(&[VictimCare, Supervisor, Admin]), PageScope::OwnWork),
    page("GET", "/victim-care/enhanced", roles(&[VictimCare, Supervisor, Admin]), PageScope::OwnWork),
    page("GET", "/victim-care/fraud", roles(&[VictimCare, Supervisor, Admin]), PageScope::OwnWork),
    page("GET", "/crimes/{id}", roles(CRIME_READERS), PageScope::Crime),
    page("POST", "/crimes/{id}/contacts", roles(&[Officer, Supervisor, VictimCare, Admin]), PageScope::Crime),
    page("POST", "/crimes/{id}/reviews", roles(INVESTIGATORS), PageScope::Crime),
    page("POST", "/crimes/{id}/outcome", roles(INVESTIGATORS), PageScope::Crime),
    page("POST", "/crimes/{id}/evidence", roles(INVESTIGATORS), PageScope::Crime),
    page("POST", "/crimes/{id}/evidence-secured", roles(INVESTIGATORS), PageScope::Crime),
    // Suspects, witnesses and further victims; arrests, interviews, bail, charges (right 6).
    page("POST", "/crimes/{id}/people", roles(INVESTIGATORS), PageScope::Crime),
    page("POST", "/crimes/{id}/events", roles(INVESTIGATORS), PageScope::Crime),
    // Tasks (issue 10 §4): set by those who work the crime; a result recorded by the task's
    // owner or a supervisor (the handler checks which, and the crime's scope).
    page("POST", "/crimes/{id}/tasks", roles(INVESTIGATORS), PageScope::Crime),
    // Flags, reclassification and links (issue 10 §3): those who work the crime and the
    // registrar; only the registrar decides a reclassification (final arbiter, Counting Rules).
    page("POST", "/crimes/{id}/flags", roles(CHANGERS), PageScope::Crime),
    page("POST", "/crimes/{id}/reclassification", roles(CHANGERS), PageScope::Crime),
    page("POST", "/crimes/{id}/reclassification/decision", roles(&[Registrar, Admin]), PageScope::Crime),
    page("GET", "/crimes/{id}/links", roles(CRIME_READERS), PageScope::Crime),
    page("POST", "/crimes/{id}/links", roles(CHANGERS), PageScope::Crime),
    page("POST", "/crimes/{id}/links/remove", roles(CHANGERS), PageScope::Crime),
    page("POST", "/tasks/{id}/done", roles(crate::policy::SEARCHERS), PageScope::None),
    // Everyone's own notifications.
    page("GET", "/notifications", Who::SignedIn, PageScope::None),
    page("POST", "/notifications/read", Who::SignedIn, PageScope::None),
    // Moving a crime to another team or officer is a supervisor's decision.
    page("POST", "/crimes/{id}/allocation", roles(&[Supervisor, Admin]), PageScope::Crime),
    page("POST", "/crimes/{id}/reopen", roles(&[Supervisor, Admin]), PageScope::Crime),
    // Only a designated decision maker cancels a recorded crime (Home Office Counting Rules,
    // General Rules section C); the registrar's accounts act as one.
    page("POST", "/crimes/{id}/cancel", roles(&[Registrar, Admin]), PageScope::Crime),
    page("POST", "/crimes/{id}/cancellation-request", roles(&[Officer, Supervisor]), PageScope::Crime),
    page("POST", "/crimes/{id}/cancellation-request/refuse", roles(&[Registrar, Admin]), PageScope::Crime),
    page("GET", "/supervisor", roles(&[Supervisor, Admin]), PageScope::OwnWork),
    // The meeting's list as CSV, its decisions and actions, and the meeting held (issue 10 §5).
    page("GET", "/supervisor/meeting.csv", roles(&[Supervisor, Admin]), PageScope::OwnWork),
    page("GET", "/supervisor/reviews.csv", roles(&[Supervisor, Admin]), PageScope::OwnWork),
    page("POST", "/supervisor/decisions", roles(&[Supervisor, Admin]), PageScope::OwnWork),
    page("POST", "/supervisor/meetings", roles(&[Supervisor, Admin]), PageScope::OwnWork),
    // The search box in every searcher's header, and a person's page from its results.
    page("GET", "/search", roles(crate::policy::SEARCHERS), PageScope::OwnWork),
    page("GET", "/search.csv", roles(crate::policy::SEARCHERS), PageScope::OwnWork),
    page("GET", "/people/{id}", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("GET", "/people/{id}/crimes.csv", roles(crate::policy::SEARCHERS), PageScope::Person),
    // The nominal index (issue 10 §1): whoever may see a person adds what is known of them.
    page("POST", "/people/{id}/aliases", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/addresses", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/phone", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/identity", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/markers", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/markers/end", roles(crate::policy::SEARCHERS), PageScope::Person),
    page("POST", "/people/{id}/tasks", roles(crate::policy::SEARCHERS), PageScope::Person),
    // The person themselves onto a crime the user works on (issue 10 §3: "from the index").
    page("POST", "/people/{id}/crimes", roles(INVESTIGATORS), PageScope::Person),
    // Possible duplicates and merges are the records role's: the force crime registrar's
    // office keeps the nominal index whole, across every team.
    page("GET", "/people/duplicates", roles(RECORDS), PageScope::None),
    page("GET", "/people/duplicates.csv", roles(RECORDS), PageScope::None),
    page("GET", "/people/duplicates/{id}", roles(RECORDS), PageScope::None),
    page("POST", "/people/duplicates/{id}/distinct", roles(RECORDS), PageScope::None),
    page("POST", "/people/merges", roles(RECORDS), PageScope::None),
    page("POST", "/people/merges/{id}/undo", roles(RECORDS), PageScope::None),
    page("GET", "/analyst", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/board-paper", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/board-paper.pdf", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/performance", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/outcomes", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/areas", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/impact-areas", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/concentration", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/hotspots", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/density", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/gi-star", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/near-repeat", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/backtest", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/patrols", roles(ANALYSIS), PageScope::None),
    page("GET", "/analyst/hours", roles(ANALYSIS), PageScope::None),
    page("GET", "/admin", roles(&[Admin]), PageScope::None),
    page("GET", "/admin/accounts.csv", roles(&[Admin]), PageScope::None),
    page("POST", "/admin/accounts", roles(&[Admin]), PageScope::None),
    page("POST", "/admin/sites", roles(&[Admin]), PageScope::None),
    // One account: its state, role and scope, password reset, unlock, API tokens.
    page("GET", "/admin/accounts/{username}", roles(&[Admin]), PageScope::None),
    page("POST", "/admin/accounts/{username}", roles(&[Admin]), PageScope::None),
    // Everyone changes their own password.
    // The audit trail (Data Protection Act 2018 s.62): who read or changed what. Reading it is
    // itself logged.
    page("GET", "/audit", roles(&[Auditor, Admin]), PageScope::None),
    page("GET", "/audit.csv", roles(&[Auditor, Admin]), PageScope::None),
    page("GET", "/account/password", Who::SignedIn, PageScope::None),
    page("POST", "/account/password", Who::SignedIn, PageScope::None),
];

/// The row for a method and route template (`/crimes/{id}`); HEAD is answered by GET.
pub fn find_page(method: &str, template: &str) -> Option<&'static PageRule> {
    let method = if method == "HEAD" { "GET" } else { method };
    PAGES.iter().find(|r| r.method == method && r.path == template)
}

impl PageRule {
    /// Whether a signed-in user of `role` may reach the route (before its record scope).
    pub fn allows(&self, role: Role) -> bool {
        match self.who {
            Who::Anyone | Who::SignedIn => true,
            Who::Roles(roles) => roles.contains(&role),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_one_route_and_names_roles() {
        for (i, r) in PAGES.iter().enumerate() {
            assert!(
                PAGES[..i].iter().all(|o| (o.method, o.path) != (r.method, r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            if let Who::Roles(roles) = r.who {
                assert!(!roles.is_empty(), "{} {} is open to no role", r.method, r.path);
            }
        }
        assert!(find_page("GET", "/crimes/{id}").unwrap().allows(Officer));
        assert!(!find_page("GET", "/crimes/{id}").unwrap().allows(Analyst), "the analyst reads figures, not files");
        assert!(!find_page("GET", "/victim-care").unwrap().allows(Officer));
        assert!(find_page("HEAD", "/login").is_some());
        assert!(find_page("GET", "/nowhere").is_none());
    }
}
