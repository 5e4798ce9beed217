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

pub mod lockout;
pub mod pages;
pub mod passwords;
pub mod policy;
pub mod secrets;

use peel_store::accounts::Account;

pub use peel_domain::role::Role;

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
