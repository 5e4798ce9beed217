//! Accounts and sessions on the PostgreSQL store: the same operations, with the same answers,
//! as `sqlite_accounts.rs`.
//!
//! Creating an account is one transaction that first takes a lock on the username (an
//! advisory lock in the store's schema), so two creators of the same name queue and the
//! second is refused, as SQLite's writers queue on the file.

use crate::accounts::*;
use crate::{PostgresStore, Result, StoreError};
use postgres::Row;

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, a.role, a.password_hash, a.site, a.team, a.created_at";

fn account_at(r: &Row, from: usize) -> Result<Account> {
    Ok(Account {
        id: r.try_get(from)?,
        username: r.try_get(from + 1)?,
        display_name: r.try_get(from + 2)?,
        role: r.try_get(from + 3)?,
        password_hash: r.try_get(from + 4)?,
        site: r.try_get(from + 5)?,
        team: r.try_get(from + 6)?,
        created_at: r.try_get(from + 7)?,
    })
}

impl Accounts for PostgresStore {
    fn create_account(&mut self, account: &NewAccount, actor: &str, at: &str) -> Result<Account> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('peel-account:' || current_schema() || ':' || $1::text))",
            &[&account.username],
        )?;
        if tx.query_opt("SELECT id FROM account WHERE username = $1", &[&account.username])?.is_some() {
            return Err(StoreError::Refused(format!("the username '{}' is taken", account.username)));
        }
        if let Some(site) = account.site {
            if tx.query_opt("SELECT id FROM site WHERE id = $1", &[&site])?.is_none() {
                return Err(StoreError::NotFound { entity: "site", id: site });
            }
        }
        let id: i64 = tx
            .query_one(
                "INSERT INTO account (username, display_name, role, password_hash, site, team, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &account.username,
                    &account.display_name,
                    &account.role,
                    &account.password_hash,
                    &account.site,
                    &account.team,
                    &at,
                ],
            )?
            .try_get(0)?;
        let created = Account {
            id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            role: account.role.clone(),
            password_hash: account.password_hash.clone(),
            site: account.site,
            team: account.team.clone(),
            created_at: at.to_string(),
        };
        // The audit entry leaves the hash out (Account does not serialise it).
        let after = serde_json::to_string(&created).expect("serialisable");
        tx.execute(
            "INSERT INTO audit_log (at, actor, entity, entity_id, action, before, after)
             VALUES ($1, $2, 'account', $3, 'create', NULL, $4)",
            &[&at, &actor, &id, &after],
        )?;
        tx.commit()?;
        Ok(created)
    }

    fn account(&self, id: i64) -> Result<Account> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.id = $1"), &[&id])?;
        match row {
            Some(r) => account_at(&r, 0),
            None => Err(StoreError::NotFound { entity: "account", id }),
        }
    }

    fn find_account(&self, username: &str) -> Result<Option<Account>> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.username = $1"), &[&username])?;
        row.map(|r| account_at(&r, 0)).transpose()
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let rows = self
            .client
            .borrow_mut()
            .query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a ORDER BY a.username"), &[])?;
        rows.iter().map(|r| account_at(r, 0)).collect()
    }

    fn create_session(&mut self, s: &NewSession) -> Result<Session> {
        let mut client = self.client.borrow_mut();
        if client.query_opt("SELECT id FROM account WHERE id = $1", &[&s.account])?.is_none() {
            return Err(StoreError::NotFound { entity: "account", id: s.account });
        }
        client.execute(
            "INSERT INTO account_session (token, account, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&s.token, &s.account, &s.csrf, &s.created_at, &s.expires_at],
        )?;
        Ok(Session {
            token: s.token.clone(),
            account: s.account,
            csrf: s.csrf.clone(),
            created_at: s.created_at.clone(),
            expires_at: s.expires_at.clone(),
        })
    }

    fn find_session(&self, token: &str, now: &str) -> Result<Option<(Session, Account)>> {
        let row = self.client.borrow_mut().query_opt(
            &format!(
                "SELECT s.token, s.account, s.csrf, s.created_at, s.expires_at, {ACCOUNT_COLUMNS}
                 FROM account_session s JOIN account a ON a.id = s.account
                 WHERE s.token = $1 AND s.expires_at > $2"
            ),
            &[&token, &now],
        )?;
        let Some(r) = row else { return Ok(None) };
        let session = Session {
            token: r.try_get(0)?,
            account: r.try_get(1)?,
            csrf: r.try_get(2)?,
            created_at: r.try_get(3)?,
            expires_at: r.try_get(4)?,
        };
        Ok(Some((session, account_at(&r, 5)?)))
    }

    fn delete_session(&mut self, token: &str) -> Result<bool> {
        Ok(self.client.borrow_mut().execute("DELETE FROM account_session WHERE token = $1", &[&token])? > 0)
    }

    fn delete_expired_sessions(&mut self, now: &str) -> Result<u64> {
        Ok(self.client.borrow_mut().execute("DELETE FROM account_session WHERE expires_at <= $1", &[&now])?)
    }
}
