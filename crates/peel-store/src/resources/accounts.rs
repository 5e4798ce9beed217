//! Accounts and sessions of the web application (the store keeps them; `peel-web` decides).

use super::{prefixed, queue_writers_on, require};
use crate::accounts::{Account, AccountChange, ApiToken, NewAccount, NewApiToken, NewSession, Session};
use crate::sql::{args, Conn, Row, Tx};
use crate::{Result, StoreError};
use peel_domain::date::Timestamp;

const FIELDS: &str = "id, username, display_name, role, password_hash, site, team, created_at, collar, disabled_at, \
                      locked_at, password_changed_at, last_sign_in_at, failed_sign_ins, last_failed_at";
const SESSION_FIELDS: &str = "token, account, csrf, created_at, expires_at, last_seen_at";
const TOKEN_FIELDS: &str = "id, account, token_hash, label, created_at, expires_at, revoked_at, last_used_at";

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
        collar: r.get(from + 8)?,
        disabled_at: r.get(from + 9)?,
        locked_at: r.get(from + 10)?,
        password_changed_at: r.get(from + 11)?,
        last_sign_in_at: r.get(from + 12)?,
        failed_sign_ins: r.get(from + 13)?,
        last_failed_at: r.get(from + 14)?,
    })
}

fn token_at(row: &Row) -> Result<ApiToken> {
    let r = row.record("api_token", TOKEN_FIELDS, 0);
    Ok(ApiToken {
        id: r.get(0)?,
        account: r.get(1)?,
        token_hash: r.get(2)?,
        label: r.get(3)?,
        created_at: r.get(4)?,
        expires_at: r.get(5)?,
        revoked_at: r.get(6)?,
        last_used_at: r.get(7)?,
    })
}

fn session_at(row: &Row) -> Result<Session> {
    let r = row.record("account_session", SESSION_FIELDS, 0);
    Ok(Session {
        token: r.get(0)?,
        account: r.get(1)?,
        csrf: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        last_seen_at: r.get(5)?,
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
    if let Some(collar) = &account.collar {
        collar_free(tx, collar, None)?;
    }
    let created = account_at(
        &tx.query_one(
            &format!(
                "INSERT INTO account (username, display_name, role, password_hash, site, team, created_at, collar, password_changed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) RETURNING {FIELDS}"
            ),
            args![
                account.username,
                account.display_name,
                account.role,
                account.password_hash,
                account.site,
                account.team,
                at,
                account.collar
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

/// Refused if another account (not `except`) has the collar number.
fn collar_free(tx: &mut Tx, collar: &str, except: Option<i64>) -> Result<()> {
    queue_writers_on(tx, "peel-collar", collar)?;
    match tx
        .query_opt("SELECT username FROM account WHERE collar = $1 AND id <> $2", args![collar, except.unwrap_or(0)])?
    {
        Some(row) => {
            let other: String = row.get(0)?;
            Err(StoreError::Refused(format!("the collar number {collar} is already {other}'s")))
        }
        None => Ok(()),
    }
}

/// Ends every session of an account but `keep`.
fn end_sessions(tx: &mut Tx, account: i64, keep: Option<&str>) -> Result<u64> {
    tx.execute("DELETE FROM account_session WHERE account = $1 AND token <> $2", args![account, keep.unwrap_or("")])
}

pub(crate) fn change(tx: &mut Tx, id: i64, change: &AccountChange, actor: &str, at: Timestamp) -> Result<Account> {
    let before = get(tx, id)?;
    let action = match change {
        AccountChange::Disable => {
            tx.execute("UPDATE account SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL", args![id, at])?;
            end_sessions(tx, id, None)?;
            "disable"
        }
        AccountChange::Enable => {
            tx.execute("UPDATE account SET disabled_at = NULL WHERE id = $1", args![id])?;
            "enable"
        }
        AccountChange::Unlock => {
            tx.execute(
                "UPDATE account SET locked_at = NULL, failed_sign_ins = 0, last_failed_at = NULL WHERE id = $1",
                args![id],
            )?;
            "unlock"
        }
        AccountChange::Password { hash, keep_session } => {
            tx.execute(
                "UPDATE account SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
                args![id, hash, at],
            )?;
            end_sessions(tx, id, keep_session.as_deref())?;
            if actor == before.username {
                "password-change"
            } else {
                "password-reset"
            }
        }
        AccountChange::Role { role, site, team } => {
            if let Some(site) = site {
                require(tx, "site", *site)?;
            }
            tx.execute(
                "UPDATE account SET role = $2, site = $3, team = $4 WHERE id = $1",
                args![id, *role, *site, team],
            )?;
            "change-role"
        }
    };
    let after = get(tx, id)?;
    // Account leaves the hash out of its JSON, so a password change shows only its time.
    tx.audit(at, actor, "account", id, action, Some(super::json(&before)), Some(super::json(&after)));
    Ok(after)
}

pub(crate) fn record_failure(
    tx: &mut Tx,
    id: i64,
    since: Timestamp,
    lock_after: i64,
    at: Timestamp,
) -> Result<Account> {
    // One statement, so concurrent failures for one account each count.
    let row = tx.query_opt(
        "UPDATE account SET
             failed_sign_ins = CASE WHEN last_failed_at IS NOT NULL AND last_failed_at >= $2 THEN failed_sign_ins + 1 ELSE 1 END,
             last_failed_at = $3
         WHERE id = $1 RETURNING failed_sign_ins, locked_at",
        args![id, since, at],
    )?;
    let Some(row) = row else { return Err(StoreError::NotFound { entity: "account", id }) };
    let (count, locked): (i64, Option<Timestamp>) = (row.get(0)?, row.get(1)?);
    let username: String = get(tx, id)?.username;
    let detail = serde_json::json!({ "failed_sign_ins": count }).to_string();
    tx.audit(at, &username, "account", id, "sign-in-failed", None, Some(detail.clone()));
    if count >= lock_after && locked.is_none() {
        tx.execute("UPDATE account SET locked_at = $2 WHERE id = $1", args![id, at])?;
        end_sessions(tx, id, None)?;
        tx.audit(at, &username, "account", id, "lock", None, Some(detail));
    }
    get(tx, id)
}

pub(crate) fn create_session(tx: &mut Tx, s: &NewSession) -> Result<Session> {
    let account = get(tx, s.account)?;
    tx.execute(
        "INSERT INTO account_session (token, account, csrf, created_at, expires_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $4)",
        args![s.token, s.account, s.csrf, s.created_at, s.expires_at],
    )?;
    tx.execute(
        "UPDATE account SET last_sign_in_at = $2, failed_sign_ins = 0, last_failed_at = NULL WHERE id = $1",
        args![s.account, s.created_at],
    )?;
    tx.audit(s.created_at, &account.username, "account", account.id, "sign-in", None, None);
    Ok(Session {
        token: s.token.clone(),
        account: s.account,
        csrf: s.csrf.clone(),
        created_at: s.created_at,
        expires_at: s.expires_at,
        last_seen_at: s.created_at,
    })
}

pub(crate) fn delete_session(tx: &mut Tx, token: &str, action: &str, at: Timestamp) -> Result<bool> {
    let Some(row) = tx.query_opt("DELETE FROM account_session WHERE token = $1 RETURNING account", args![token])?
    else {
        return Ok(false);
    };
    let account = get(tx, row.get(0)?)?;
    tx.audit(at, &account.username, "account", account.id, action, None, None);
    Ok(true)
}

pub(crate) fn create_token(tx: &mut Tx, t: &NewApiToken, actor: &str, at: Timestamp) -> Result<ApiToken> {
    require(tx, "account", t.account)?;
    let made = token_at(&tx.query_one(
        &format!(
            "INSERT INTO api_token (account, token_hash, label, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {TOKEN_FIELDS}"
        ),
        args![t.account, t.token_hash, t.label, at, t.expires_at],
    )?)?;
    tx.audit(at, actor, "account", t.account, "token-create", None, Some(super::json(&made)));
    Ok(made)
}

pub(crate) fn tokens(c: &mut dyn Conn, account: i64) -> Result<Vec<ApiToken>> {
    let rows =
        c.query(&format!("SELECT {TOKEN_FIELDS} FROM api_token WHERE account = $1 ORDER BY id DESC"), args![account])?;
    rows.iter().map(token_at).collect()
}

pub(crate) fn revoke_tokens(tx: &mut Tx, account: i64, token: Option<i64>, actor: &str, at: Timestamp) -> Result<u64> {
    require(tx, "account", account)?;
    let n = match token {
        Some(id) => {
            if tx.query_opt("SELECT 1 FROM api_token WHERE id = $1 AND account = $2", args![id, account])?.is_none() {
                return Err(StoreError::NotFound { entity: "api_token", id });
            }
            tx.execute(
                "UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND account = $2 AND revoked_at IS NULL",
                args![id, account, at],
            )?
        }
        None => tx.execute(
            "UPDATE api_token SET revoked_at = $2 WHERE account = $1 AND revoked_at IS NULL",
            args![account, at],
        )?,
    };
    let detail = serde_json::json!({ "token": token, "revoked": n }).to_string();
    tx.audit(at, actor, "account", account, "token-revoke", None, Some(detail));
    Ok(n)
}

pub(crate) fn find_token(c: &mut dyn Conn, token_hash: &str, now: Timestamp) -> Result<Option<Account>> {
    let row = c.query_opt(
        &format!(
            "SELECT t.id, t.last_used_at, {}
             FROM api_token t JOIN account a ON a.id = t.account
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
               AND a.disabled_at IS NULL AND a.locked_at IS NULL",
            prefixed("a", FIELDS)
        ),
        args![token_hash, now],
    )?;
    let Some(row) = row else { return Ok(None) };
    let (id, last_used): (i64, Option<Timestamp>) = (row.get(0)?, row.get(1)?);
    // Times are kept to the minute: one write a minute at most, however busy the client.
    if last_used.is_none_or(|t| t < now) {
        c.execute("UPDATE api_token SET last_used_at = $2 WHERE id = $1", args![id, now])?;
    }
    Ok(Some(account_at(&row, 2)?))
}

/// The session with this token hash and its account, if it is live at `now`.
pub(crate) fn find_session(c: &mut dyn Conn, token: &str, now: Timestamp) -> Result<Option<(Session, Account)>> {
    let row = c.query_opt(
        &format!(
            "SELECT s.token, s.account, s.csrf, s.created_at, s.expires_at, COALESCE(s.last_seen_at, s.created_at), {}
             FROM account_session s JOIN account a ON a.id = s.account
             WHERE s.token = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL AND a.locked_at IS NULL",
            prefixed("a", FIELDS)
        ),
        args![token, now],
    )?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((session_at(&row)?, account_at(&row, 6)?)))
}
