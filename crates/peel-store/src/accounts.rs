//! Accounts and sessions: who may sign in to the web application, with which role and scope.
//!
//! The store keeps them; it does not decide anything. The web application (`peel-web`) hashes
//! passwords (Argon2id) before they reach the store, makes the session tokens and hashes them
//! (the store is given, and keeps, only the hash), and checks roles and scopes. Usernames are
//! compared exactly: the web application normalises them (trimmed, lower case) first.
//!
//! Times are [`Timestamp`]s, kept as text "YYYY-MM-DDTHH:MM" as in casework: a session is
//! live while `now < expires_at`.

use crate::Result;
use peel_domain::date::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: peel_domain::role::Role,
    /// An Argon2id PHC string; never a password.
    pub password_hash: String,
    /// The site a partner or hospital liaison officer is scoped to.
    pub site: Option<i64>,
    /// The team an officer or supervisor is scoped to.
    pub team: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: peel_domain::role::Role,
    /// Kept out of anything serialised (the audit log, JSON).
    #[serde(skip_serializing, default)]
    pub password_hash: String,
    pub site: Option<i64>,
    pub team: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    /// The hash of the session's token (the token itself stays in the user's cookie).
    pub token: String,
    pub account: i64,
    /// The session's CSRF token, sent back in every form.
    pub csrf: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub account: i64,
    pub csrf: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// The accounts interface every store implements.
pub trait Accounts {
    /// Creates an account (with an audit entry, without the password hash). Refused if the
    /// username is taken; `NotFound` if the site does not exist.
    fn create_account(&mut self, account: &NewAccount, actor: &str, at: Timestamp) -> Result<Account>;
    fn account(&self, id: i64) -> Result<Account>;
    fn find_account(&self, username: &str) -> Result<Option<Account>>;
    /// Every account, by username.
    fn accounts(&self) -> Result<Vec<Account>>;
    fn create_session(&mut self, session: &NewSession) -> Result<Session>;
    /// The session with this token hash and its account, if it is live at `now`.
    fn find_session(&self, token: &str, now: Timestamp) -> Result<Option<(Session, Account)>>;
    /// Ends a session (logout); whether there was one.
    fn delete_session(&mut self, token: &str) -> Result<bool>;
    /// Removes the sessions expired by `now`; how many.
    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;
}
