//! Accounts and sessions: who may sign in to the web application, with which role and scope.
//!
//! The store keeps them; it does not decide anything. The web application (`peel-web`) hashes
//! passwords (Argon2id) before they reach the store, makes the session tokens and hashes them
//! (the store is given, and keeps, only the hash), and checks roles and scopes. Usernames are
//! compared exactly: the web application normalises them (trimmed, lower case) first.
//!
//! Times are [`Timestamp`]s, kept as text "YYYY-MM-DDTHH:MM" as in casework: a session is
//! live while `now < expires_at` and its account is neither disabled nor locked.
//!
//! The store also keeps what the sign-in rules (`peel_access::lockout`) count — failed
//! sign-ins in a run, on the account, never a row per failure — and API tokens, by their
//! BLAKE2b hash, for `Authorization: Bearer`. Every change to an account, every sign-in,
//! failure, lock, sign-out and token made or revoked is an audit entry on the account
//! (entity `account`), without the password hash or any token.

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
    /// The person's collar number, when they have one (unique).
    #[serde(default)]
    pub collar: Option<String>,
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
    pub collar: Option<String>,
    /// Set while the account is disabled: it cannot sign in, and its sessions and tokens
    /// are refused.
    pub disabled_at: Option<Timestamp>,
    /// Set when too many failed sign-ins locked it; only an administrator clears it.
    pub locked_at: Option<Timestamp>,
    pub password_changed_at: Option<Timestamp>,
    pub last_sign_in_at: Option<Timestamp>,
    /// Failed sign-ins in the current run (see [`Accounts::record_sign_in_failure`]).
    pub failed_sign_ins: i64,
    pub last_failed_at: Option<Timestamp>,
}

impl Account {
    /// Whether it may sign in or act at all: neither disabled nor locked.
    pub fn active(&self) -> bool {
        self.disabled_at.is_none() && self.locked_at.is_none()
    }

    /// "active", "disabled" or "locked", as the admin page and `peel accounts list` say it.
    pub fn state(&self) -> &'static str {
        match (self.disabled_at, self.locked_at) {
            (Some(_), _) => "disabled",
            (None, Some(_)) => "locked",
            (None, None) => "active",
        }
    }
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
    /// When it was last used, to the minute it was recorded (see [`Accounts::touch_session`]).
    pub last_seen_at: Timestamp,
}

/// A new API token: the hash of the token (the token itself is shown once and never kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub account: i64,
    #[serde(skip_serializing, default)]
    pub token_hash: String,
    pub label: String,
    pub expires_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub account: i64,
    /// Kept out of anything serialised (the audit log, JSON).
    #[serde(skip_serializing, default)]
    pub token_hash: String,
    pub label: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// A change an administrator makes to an account (each audited with its actor).
#[derive(Debug, Clone, PartialEq)]
pub enum AccountChange {
    Disable,
    Enable,
    /// Clears the lock and the failed sign-ins.
    Unlock,
    /// A new password hash (a reset by an administrator or the person's own change): ends
    /// every session of the account but `keep_session` (the one the person changed it in).
    Password {
        hash: String,
        keep_session: Option<String>,
    },
    /// Role and scope together, as they must agree.
    Role {
        role: peel_domain::role::Role,
        site: Option<i64>,
        team: Option<String>,
    },
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
    /// Changes an account (audited, without the password hash). Disabling, locking and
    /// password changes end its sessions at once.
    fn change_account(&mut self, id: i64, change: &AccountChange, actor: &str, at: Timestamp) -> Result<Account>;
    /// Counts a failed sign-in at `at`: one more than before if the last failure was at or
    /// after `since`, else the first of a new run; locks the account when the count reaches
    /// `lock_after`. Audited ("sign-in-failed", and "lock" when it locks). The rules are the
    /// caller's (peel-access).
    fn record_sign_in_failure(&mut self, id: i64, since: Timestamp, lock_after: i64, at: Timestamp) -> Result<Account>;
    /// Starts a session (a sign-in: audited, clears the failed sign-ins, notes the time).
    fn create_session(&mut self, session: &NewSession) -> Result<Session>;
    /// The session with this token hash and its account, if it is live at `now` and its
    /// account is neither disabled nor locked. Idleness is the caller's to judge from
    /// `last_seen_at`.
    fn find_session(&self, token: &str, now: Timestamp) -> Result<Option<(Session, Account)>>;
    /// Notes that the session was used at `now`.
    fn touch_session(&mut self, token: &str, now: Timestamp) -> Result<()>;
    /// Ends a session, audited as `action` ("sign-out", "idle"); whether there was one.
    fn delete_session(&mut self, token: &str, action: &str, at: Timestamp) -> Result<bool>;
    /// Removes the sessions expired by `now`; how many.
    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;
    /// Makes an API token for an account (audited without the hash).
    fn create_api_token(&mut self, token: &NewApiToken, actor: &str, at: Timestamp) -> Result<ApiToken>;
    /// An account's API tokens, newest first.
    fn api_tokens(&self, account: i64) -> Result<Vec<ApiToken>>;
    /// Revokes one of an account's tokens (`Some(id)`) or all of them (`None`); how many
    /// were live and are now revoked. Audited.
    fn revoke_api_tokens(&mut self, account: i64, token: Option<i64>, actor: &str, at: Timestamp) -> Result<u64>;
    /// The account a bearer token acts as: only if the token is neither revoked nor expired
    /// at `now` and the account is neither disabled nor locked. Notes the use at most once
    /// a minute (`last_used_at`), so a client's stream of requests does not write each time.
    fn find_api_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<Account>>;
}
