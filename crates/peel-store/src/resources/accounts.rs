//! Accounts and sessions of the web application (the store keeps them; `peel-web` decides).

use super::{prefixed, queue_writers_on, require};
use crate::accounts::{Account, NewAccount, NewSession, Session};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;

const FIELDS: &str = "id, username, display_name, role, password_hash, site, team, created_at";
const SESSION_FIELDS: &str = "token, account, csrf, created_at, expires_at";

/// An account's columns from `from` on.
fn account_at(row: &Row, from: usize) -> Result<Account> {
    let r = row.record("account", FIELDS, from);
    Ok(Account {
        id: r.get(from)?,
        username: r.get(from + 1)?,
        display_name: r.get(from + 2)?,
        role: r.get(from + 3)?,
        password_hash: r.get(from + 4)?,
        site: r.get(from + 5)?,
        team: r.get(from + 6)?,
        created_at: r.get(from + 7)?,
    })
}

/// Creates an account; refused if the username is taken. Two creators of one username queue
/// on it, so the second is refused rather than both finding it free.
pub(crate) fn create(tx: &mut Tx, account: &NewAccount, actor: &str, at: Timestamp) -> Result<Account> {
    queue_writers_on(tx, "peel-account", &account.username)?;
    if tx.query_opt("SELECT id FROM account WHERE username = $1", args![account.username])?.is_some() {
        return Err(StoreError::Refused(format!("the username '{}' is taken", account.username)));
    }
    if let Some(site) = account.site {
        require(tx, "site", site)?;
    }
    let created = account_at(
        &tx.query_one(
            &format!(
                "INSERT INTO account (username, display_name, role, password_hash, site, team, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {FIELDS}"
            ),
            args![
                account.username,
                account.display_name,
                account.role,
                account.password_hash,
                account.site,
                account.team,
                at
            ],
        )?,
        0,
    )?;
    // The audit entry leaves the hash out (Account does not serialise it).
    tx.audit(at, actor, "account", created.id, "create", None, Some(super::json(&created)));
    Ok(created)
}

pub(crate) fn get(c: &mut dyn Conn, id: i64) -> Result<Account> {
    match c.query_opt(&format!("SELECT {FIELDS} FROM account WHERE id = $1"), args![id])? {
        Some(r) => account_at(&r, 0),
        None => Err(StoreError::NotFound { entity: "account", id }),
    }
}

pub(crate) fn find(c: &mut dyn Conn, username: &str) -> Result<Option<Account>> {
    c.query_opt(&format!("SELECT {FIELDS} FROM account WHERE username = $1"), args![username])?
        .map(|r| account_at(&r, 0))
        .transpose()
}

/// Every account, by username.
pub(crate) fn all(c: &mut dyn Conn) -> Result<Vec<Account>> {
    let rows = c.query(&format!("SELECT {FIELDS} FROM account ORDER BY username"), args![])?;
    rows.iter().map(|r| account_at(r, 0)).collect()
}

pub(crate) fn create_session(tx: &mut Tx, s: &NewSession) -> Result<Session> {
    require(tx, "account", s.account)?;
    tx.execute(
        "INSERT INTO account_session (token, account, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        args![s.token, s.account, s.csrf, s.created_at, s.expires_at],
    )?;
    Ok(Session {
        token: s.token.clone(),
        account: s.account,
        csrf: s.csrf.clone(),
        created_at: s.created_at,
        expires_at: s.expires_at,
    })
}

/// The session with this token hash and its account, if it is live at `now`.
pub(crate) fn find_session(c: &mut dyn Conn, token: &str, now: Timestamp) -> Result<Option<(Session, Account)>> {
    let row = c.query_opt(
        &format!(
            "SELECT s.token, s.account, s.csrf, s.created_at, s.expires_at, {}
             FROM account_session s JOIN account a ON a.id = s.account
             WHERE s.token = $1 AND s.expires_at > $2",
            prefixed("a", FIELDS)
        ),
        args![token, now],
    )?;
    let Some(row) = row else { return Ok(None) };
    let r = row.record("account_session", SESSION_FIELDS, 0);
    let session =
        Session { token: r.get(0)?, account: r.get(1)?, csrf: r.get(2)?, created_at: r.get(3)?, expires_at: r.get(4)? };
    Ok(Some((session, account_at(&row, 5)?)))
}
