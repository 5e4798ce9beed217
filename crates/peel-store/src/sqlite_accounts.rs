//! Accounts and sessions on the embedded SQLite store.

use crate::accounts::*;
use crate::{Result, SqliteStore, StoreError};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, a.role, a.password_hash, a.site, a.team, a.created_at";

fn account_row(r: &Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: r.get(3)?,
        password_hash: r.get(4)?,
        site: r.get(5)?,
        team: r.get(6)?,
        created_at: r.get(7)?,
    })
}

impl Accounts for SqliteStore {
    fn create_account(&mut self, account: &NewAccount, actor: &str, at: &str) -> Result<Account> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken: Option<i64> =
            tx.query_row("SELECT id FROM account WHERE username = ?1", [&account.username], |r| r.get(0)).optional()?;
        if taken.is_some() {
            return Err(StoreError::Refused(format!("the username '{}' is taken", account.username)));
        }
        if let Some(site) = account.site {
            let found: Option<i64> =
                tx.query_row("SELECT id FROM site WHERE id = ?1", [site], |r| r.get(0)).optional()?;
            found.ok_or(StoreError::NotFound { entity: "site", id: site })?;
        }
        tx.execute(
            "INSERT INTO account (username, display_name, role, password_hash, site, team, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                account.username,
                account.display_name,
                account.role,
                account.password_hash,
                account.site,
                account.team,
                at
            ],
        )?;
        let id = tx.last_insert_rowid();
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
             VALUES (?1, ?2, 'account', ?3, 'create', NULL, ?4)",
            params![at, actor, id, after],
        )?;
        tx.commit()?;
        Ok(created)
    }

    fn account(&self, id: i64) -> Result<Account> {
        self.conn
            .query_row(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.id = ?1"), [id], account_row)
            .optional()?
            .ok_or(StoreError::NotFound { entity: "account", id })
    }

    fn find_account(&self, username: &str) -> Result<Option<Account>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.username = ?1"),
                [username],
                account_row,
            )
            .optional()?)
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let mut st = self.conn.prepare(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a ORDER BY a.username"))?;
        let rows = st.query_map([], account_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn create_session(&mut self, s: &NewSession) -> Result<Session> {
        let found: Option<i64> =
            self.conn.query_row("SELECT id FROM account WHERE id = ?1", [s.account], |r| r.get(0)).optional()?;
        found.ok_or(StoreError::NotFound { entity: "account", id: s.account })?;
        self.conn.execute(
            "INSERT INTO account_session (token, account, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.token, s.account, s.csrf, s.created_at, s.expires_at],
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
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT s.token, s.account, s.csrf, s.created_at, s.expires_at, {ACCOUNT_COLUMNS}
                     FROM account_session s JOIN account a ON a.id = s.account
                     WHERE s.token = ?1 AND s.expires_at > ?2"
                ),
                params![token, now],
                |r| {
                    let session = Session {
                        token: r.get(0)?,
                        account: r.get(1)?,
                        csrf: r.get(2)?,
                        created_at: r.get(3)?,
                        expires_at: r.get(4)?,
                    };
                    let account = Account {
                        id: r.get(5)?,
                        username: r.get(6)?,
                        display_name: r.get(7)?,
                        role: r.get(8)?,
                        password_hash: r.get(9)?,
                        site: r.get(10)?,
                        team: r.get(11)?,
                        created_at: r.get(12)?,
                    };
                    Ok((session, account))
                },
            )
            .optional()?)
    }

    fn delete_session(&mut self, token: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM account_session WHERE token = ?1", [token])? > 0)
    }

    fn delete_expired_sessions(&mut self, now: &str) -> Result<u64> {
        Ok(self.conn.execute("DELETE FROM account_session WHERE expires_at <= ?1", [now])? as u64)
    }
}
