//! Demo accounts for `peel serve --demo` and the tests: one per role, with made-up names
//! and known passwords (printed at startup: for a demonstration on loopback only). The
//! partner and the liaison officer are scoped to Heartlands Hospital, created if the store
//! has no such site; the officer and supervisor to the local investigation team.

use crate::auth::{hash_password, Role};
use peel_domain::date::Timestamp;
use peel_http::CaseStore;
use peel_store::accounts::NewAccount;
use peel_store::casework::NewSite;
use peel_store::StoreError;

/// The demo site's name and organisation.
pub const SITE_NAME: &str = "Heartlands Hospital";
pub const SITE_ORGANISATION: &str = "University Hospitals Birmingham NHS Foundation Trust";
/// The team the demo officer and supervisor are in (a THRIVE allocation team).
pub const TEAM: &str = "Local investigation team";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub role: Role,
    pub username: &'static str,
    pub display_name: &'static str,
    pub password: String,
}

/// The demo accounts, one per role (synthetic names).
pub fn accounts() -> Vec<DemoAccount> {
    let names: [(Role, &str, &str); 9] = [
        (Role::Partner, "partner", "Demo Partner Reporter"),
        (Role::Liaison, "liaison", "Demo Liaison Officer"),
        (Role::Registrar, "registrar", "Demo Crime Registrar"),
        (Role::Officer, "officer", "Demo Investigating Officer"),
        (Role::Supervisor, "supervisor", "Demo Supervisor"),
        (Role::VictimCare, "victimcare", "Demo Victim Care Coordinator"),
        (Role::Analyst, "analyst", "Demo Analyst"),
        (Role::Admin, "admin", "Demo Administrator"),
        (Role::Auditor, "auditor", "Demo Information Assurance Auditor"),
    ];
    names
        .into_iter()
        .map(|(role, username, display_name)| DemoAccount {
            role,
            username,
            display_name,
            password: format!("peel-demo-{username}"),
        })
        .collect()
}

/// The demo site's id: Heartlands Hospital if the store has it (as the synthetic force
/// does), else created.
pub fn demo_site(store: &mut dyn CaseStore, now: Timestamp) -> Result<i64, StoreError> {
    if let Some(s) = store.sites()?.into_iter().find(|s| s.details.name == SITE_NAME) {
        return Ok(s.id);
    }
    // Heartlands Hospital's public postcode; placed from the gazetteer when the store has
    // one, else kept with its coordinates as given.
    let given = peel_store::casework::Place {
        postcode: Some("B9 5SS".into()),
        latitude: Some(52.4776),
        longitude: Some(-1.8150),
        ..Default::default()
    };
    let place = peel_casework::locate(&*store, &given).unwrap_or(given);
    let site = NewSite {
        organisation: SITE_ORGANISATION.into(),
        organisation_kind: "hospital".into(),
        name: SITE_NAME.into(),
        address: None,
        place,
    };
    Ok(store.add_site(&site, "peel-demo", now)?.id)
}

/// Creates the demo accounts if the store has no accounts at all; returns them if it did,
/// `None` if the store already had accounts (left as they are).
pub fn ensure_accounts(store: &mut dyn CaseStore, now: Timestamp) -> Result<Option<Vec<DemoAccount>>, StoreError> {
    if !store.accounts()?.is_empty() {
        return Ok(None);
    }
    let site = demo_site(store, now)?;
    let list = accounts();
    for a in &list {
        let account = NewAccount {
            username: a.username.into(),
            display_name: a.display_name.into(),
            role: a.role,
            password_hash: hash_password(&a.password),
            site: a.role.site_scoped().then_some(site),
            team: a.role.team_scoped().then(|| TEAM.to_string()),
            collar: None,
        };
        store.create_account(&account, "peel-demo", now)?;
    }
    hand_caseload(store, now)?;
    Ok(Some(list))
}

/// Open crimes of the demo team handed to the demo officer, so that their worklist shows
/// what an investigating officer's does.
pub const CASELOAD: usize = 20;

/// Reallocates the demo team's [`CASELOAD`] most recent open crimes, if it has any, to the
/// demo officer (audited like any reallocation). Returns how many.
pub fn hand_caseload(store: &mut dyn CaseStore, now: Timestamp) -> Result<usize, StoreError> {
    let today = now.date();
    let open = store.open_crime_facts_in(today.add_days(-365), today, &peel_store::casework::Scope::team(TEAM))?;
    let mut handed = 0;
    for fact in open.iter().rev().filter(|f| f.officer.as_deref() != Some("officer")).take(CASELOAD) {
        let version = store.crime(fact.id)?.crime.version;
        store.allocate(fact.id, version, Some(TEAM), Some("officer"), "peel-demo", now)?;
        handed += 1;
    }
    Ok(handed)
}
