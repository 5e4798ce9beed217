//! Who may do what in Peel, in one place that the web pages and the JSON API both use:
//!
//! - [`Role`]: what an account is for, and the scope it carries (a site or a team);
//! - [`secrets`]: passwords (Argon2id) and session/API tokens (random, stored only hashed);
//! - [`policy`]: the access policy as data, one row per API route with the roles that may
//!   call it and the scope check it gets, and the scope rules for records (a crime, a report,
//!   an incident, a site) that the pages apply too.
//!
//! Nothing here speaks HTTP: the web application's gate (peel-web) reads the request, asks
//! [`policy`], and answers; a principal is an account with its role ([`Principal`]).

pub mod policy;
pub mod secrets;

use peel_store::accounts::Account;

/// What an account may do. Partners and liaison officers are scoped to a site; officers and
/// supervisors to a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Partner reporter, e.g. hospital staff: reports from their site, sees their site's reports.
    Partner,
    /// Hospital liaison officer: all crime at their site.
    Liaison,
    /// Crime registrar: recording decisions.
    Registrar,
    /// Investigating officer: their crimes and the victims' obligations.
    Officer,
    /// Supervisor: the daily management meeting, their team.
    Supervisor,
    /// Victim care: obligations due across the force, enhanced victims.
    VictimCare,
    /// Analyst and command team: performance and the board paper.
    Analyst,
    /// Accounts and sites.
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Partner,
        Role::Liaison,
        Role::Registrar,
        Role::Officer,
        Role::Supervisor,
        Role::VictimCare,
        Role::Analyst,
        Role::Admin,
    ];

    /// The word stored on the account.
    pub fn word(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Liaison => "liaison",
            Role::Registrar => "registrar",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::VictimCare => "victim-care",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(word: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.word() == word)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Partner => "partner reporter",
            Role::Liaison => "hospital liaison officer",
            Role::Registrar => "crime registrar",
            Role::Officer => "investigating officer",
            Role::Supervisor => "supervisor",
            Role::VictimCare => "victim care",
            Role::Analyst => "analyst",
            Role::Admin => "administrator",
        }
    }

    /// Whether the role is scoped to a site (and must have one).
    pub fn site_scoped(self) -> bool {
        matches!(self, Role::Partner | Role::Liaison)
    }

    /// Whether the role is scoped to a team (and must have one).
    pub fn team_scoped(self) -> bool {
        matches!(self, Role::Officer | Role::Supervisor)
    }

    /// The role's start page.
    pub fn home(self) -> &'static str {
        match self {
            Role::Partner => "/partner",
            Role::Liaison => "/site",
            Role::Registrar => "/registrar",
            Role::Officer => "/officer",
            Role::Supervisor => "/supervisor",
            Role::VictimCare => "/victim-care",
            Role::Analyst => "/analyst",
            Role::Admin => "/admin",
        }
    }
}

/// A signed-in account with its role: whose request it is, for the policy's checks.
#[derive(Debug, Clone, Copy)]
pub struct Principal<'a> {
    pub account: &'a Account,
    pub role: Role,
}

impl Principal<'_> {
    pub fn username(&self) -> &str {
        &self.account.username
    }
}
