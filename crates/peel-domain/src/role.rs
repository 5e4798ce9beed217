//! What an account is for: the roles of Peel's users, each with the scope it carries (a
//! partner site, a team). The words are the ones stored on an account ("victim-care").
//! (`recording::Role` is another thing: who may take a recording or cancellation decision.)

use serde::{Deserialize, Serialize};

/// What an account may do. Partners and liaison officers are scoped to a site; officers and
/// supervisors to a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
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
    /// Information assurance: reads the audit trail (who consulted which record, Data
    /// Protection Act 2018 s.62), and nothing of the casework itself.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Partner,
        Role::Liaison,
        Role::Registrar,
        Role::Officer,
        Role::Supervisor,
        Role::VictimCare,
        Role::Analyst,
        Role::Admin,
        Role::Auditor,
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
            Role::Auditor => "auditor",
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
            Role::Auditor => "auditor",
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
            Role::Auditor => "/audit",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_reads_back_from_its_word_and_serialises_as_it() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.word()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.word()));
        }
        assert_eq!(Role::parse("chief-constable"), None);
    }
}
