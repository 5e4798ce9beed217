//! `peel accounts …`: the accounts of the web application and their API tokens, kept from
//! the command line (the first administrator is made here; the admin pages do the rest).
//!
//! Passwords are read from standard input (`--password-stdin`: the first line), never from
//! the command line, where they would be in the shell's history and the process list; they
//! must pass the one password rule (`peel_access::passwords`). An API token is printed once
//! and kept only as its hash.
//!
//! Every change is audited like a change made on the admin pages, with the actor
//! `cli:USER`, USER being the operating-system user that ran the command (`$USER`, else
//! `$LOGNAME`, else `unknown`): whoever holds the store's credentials is trusted here.

use anyhow::{anyhow, bail, Context, Result};
use peel_access::{passwords, secrets, Role};
use peel_domain::date::Timestamp;
use peel_store::accounts::{Account, AccountChange, NewAccount, NewApiToken};
use peel_store::CaseStore;
use serde::Serialize;
use std::io::{BufRead, Write};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Add an account; its password is the first line of standard input.
    Add {
        /// Lower case letters, digits, dots, dashes and underscores.
        username: String,
        /// partner, liaison, registrar, officer, supervisor, victim-care, analyst or admin.
        #[arg(long)]
        role: String,
        /// The site's number, for a partner or liaison officer.
        #[arg(long)]
        site: Option<i64>,
        /// The team, for an officer or supervisor.
        #[arg(long)]
        team: Option<String>,
        /// The person's full name (default: the username).
        #[arg(long)]
        name: Option<String>,
        /// The person's collar number, if they have one.
        #[arg(long)]
        collar: Option<String>,
        /// Read the password from the first line of standard input (required).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Every account with its role, scope and state.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Stop an account signing in; its sessions and tokens stop at once.
    Disable {
        /// The account's username.
        username: String,
    },
    /// Let a disabled account sign in again.
    Enable {
        /// The account's username.
        username: String,
    },
    /// Unlock an account locked by failed sign-ins.
    Unlock {
        /// The account's username.
        username: String,
    },
    /// Set a new password (first line of standard input); ends the account's sessions.
    ResetPassword {
        /// The account's username.
        username: String,
        /// Read the password from the first line of standard input (required).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make an API token for the account (`Authorization: Bearer TOKEN`), printed once.
    Token {
        /// The account's username.
        username: String,
        /// The token ends after this many days (default: until revoked).
        #[arg(long)]
        expires_days: Option<i64>,
        /// What the token is for, shown in the token list.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke one of the account's API tokens (by its number) or all of them.
    RevokeToken {
        /// The account's username.
        username: String,
        /// The token's number, as `peel accounts tokens` lists it.
        id: Option<i64>,
        /// Revoke every token of the account.
        #[arg(long)]
        all: bool,
    },
    /// The account's API tokens.
    Tokens {
        /// The account's username.
        username: String,
    },
}

/// The actor of the audit entries this command makes.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
    format!("cli:{}", if user.is_empty() { "unknown" } else { &user })
}

fn password_from_stdin(given: bool, username: &str) -> Result<String> {
    if !given {
        bail!("--password-stdin: give the password on standard input (e.g. `peel accounts … --password-stdin < file`), never on the command line");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("--password-stdin: reading standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    passwords::check(&password, username).map_err(|why| anyhow!("--password-stdin: {why}"))?;
    Ok(password)
}

fn role(word: &str) -> Result<Role> {
    Role::parse(word).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.word()).collect();
        anyhow!("--role: '{word}' is not a role; roles are {}", all.join(", "))
    })
}

fn account(store: &dyn CaseStore, username: &str) -> Result<Account> {
    store
        .find_account(&username.trim().to_lowercase())?
        .ok_or_else(|| anyhow!("USERNAME: there is no account '{username}'"))
}

#[derive(Serialize)]
struct Listed<'a> {
    username: &'a str,
    name: &'a str,
    collar: Option<&'a str>,
    role: &'static str,
    site: Option<i64>,
    team: Option<&'a str>,
    state: &'static str,
    last_sign_in: Option<Timestamp>,
    failed_sign_ins: i64,
}

pub fn run(store: &mut dyn CaseStore, args: Args) -> Result<()> {
    let mut out = crate::out::stdout();
    let now = peel_casework::now();
    let who = actor();
    match args.what {
        What::Add { username, role: word, site, team, name, collar, password_stdin } => {
            let username = username.trim().to_lowercase();
            if username.is_empty() || !username.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
                bail!("USERNAME: '{username}' is not a username; use lower case letters, digits, dots, dashes and underscores");
            }
            let role = role(&word)?;
            if role.site_scoped() && site.is_none() {
                bail!("--site: a {} needs the number of their site", role.label().to_lowercase());
            }
            if role.team_scoped() && team.as_deref().is_none_or(|t| t.trim().is_empty()) {
                bail!("--team: a {} needs a team", role.label().to_lowercase());
            }
            if let Some(c) = collar
                .as_deref()
                .filter(|c| c.is_empty() || c.len() > 20 || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                bail!("--collar: '{c}' is not a collar number; use letters and digits, at most 20");
            }
            let password = password_from_stdin(password_stdin, &username)?;
            let new = NewAccount {
                display_name: name
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| username.clone()),
                username,
                role,
                password_hash: secrets::hash_password(&password),
                site: site.filter(|_| role.site_scoped()),
                team: team.map(|t| t.trim().to_string()).filter(|_| role.team_scoped()),
                collar,
            };
            let made = store.create_account(&new, &who, now).map_err(|e| match e {
                peel_store::StoreError::NotFound { entity: "site", id } => anyhow!("--site: there is no site {id}"),
                peel_store::StoreError::Refused(m) if m.contains("collar") => anyhow!("--collar: {m}"),
                peel_store::StoreError::Refused(m) => anyhow!("USERNAME: {m}"),
                e => e.into(),
            })?;
            writeln!(out, "peel: added {} ({})", made.username, made.role.label())?;
        }
        What::List { json } => {
            let all = store.accounts()?;
            let listed: Vec<Listed> = all
                .iter()
                .map(|a| Listed {
                    username: &a.username,
                    name: &a.display_name,
                    collar: a.collar.as_deref(),
                    role: a.role.word(),
                    site: a.site,
                    team: a.team.as_deref(),
                    state: a.state(),
                    last_sign_in: a.last_sign_in_at,
                    failed_sign_ins: a.failed_sign_ins,
                })
                .collect();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&listed)?)?;
            } else {
                writeln!(
                    out,
                    "{:<24} {:<11} {:<10} {:<16} {:<9} {:<17} name",
                    "username", "role", "collar", "site or team", "state", "last sign-in"
                )?;
                for a in &listed {
                    let scope = a.site.map(|s| format!("site {s}")).or(a.team.map(str::to_string)).unwrap_or_default();
                    let last = a.last_sign_in.map_or_else(|| "never".to_string(), |t| t.to_string());
                    writeln!(
                        out,
                        "{:<24} {:<11} {:<10} {:<16} {:<9} {:<17} {}",
                        a.username,
                        a.role,
                        a.collar.unwrap_or(""),
                        scope,
                        a.state,
                        last,
                        a.name
                    )?;
                }
            }
        }
        What::Disable { username } => change(store, &username, AccountChange::Disable, &who, now, "disabled")?,
        What::Enable { username } => change(store, &username, AccountChange::Enable, &who, now, "enabled")?,
        What::Unlock { username } => change(store, &username, AccountChange::Unlock, &who, now, "unlocked")?,
        What::ResetPassword { username, password_stdin } => {
            let a = account(store, &username)?;
            let password = password_from_stdin(password_stdin, &a.username)?;
            let reset = AccountChange::Password { hash: secrets::hash_password(&password), keep_session: None };
            change(store, &a.username, reset, &who, now, "given a new password; its sessions have ended")?;
        }
        What::Token { username, expires_days, label } => {
            let a = account(store, &username)?;
            if let Some(d) = expires_days.filter(|d| !(1..=3650).contains(d)) {
                bail!("--expires-days: {d} is not a number of days from 1 to 3650");
            }
            let token = secrets::random_hex(32);
            let new = NewApiToken {
                account: a.id,
                token_hash: secrets::hash_token(&token),
                label: label.trim().to_string(),
                expires_at: expires_days.map(|d| now.add_minutes(d * 24 * 60)),
            };
            let made = store.create_api_token(&new, &who, now)?;
            let until = made.expires_at.map_or_else(|| "until revoked".to_string(), |t| format!("until {t}"));
            eprintln!("peel: API token {} for {} ({until}); it is shown only now: keep it safe", made.id, a.username);
            writeln!(out, "{token}")?;
        }
        What::RevokeToken { username, id, all } => {
            let a = account(store, &username)?;
            let which = match (id, all) {
                (Some(_), true) => bail!("--all: give either a token's number or --all, not both"),
                (None, false) => bail!("ID: give the token's number (peel accounts tokens {}) or --all", a.username),
                (id, _) => id,
            };
            let n = store.revoke_api_tokens(a.id, which, &who, now).map_err(|e| match e {
                peel_store::StoreError::NotFound { id, .. } => anyhow!("ID: {} has no token {id}", a.username),
                e => e.into(),
            })?;
            writeln!(out, "peel: revoked {n} token{} of {}", if n == 1 { "" } else { "s" }, a.username)?;
        }
        What::Tokens { username } => {
            let a = account(store, &username)?;
            writeln!(
                out,
                "{:<6} {:<17} {:<17} {:<17} {:<24} label",
                "number", "made", "last used", "expires", "state"
            )?;
            for t in store.api_tokens(a.id)? {
                let state = match t.revoked_at {
                    Some(r) => format!("revoked {r}"),
                    None if t.expires_at.is_some_and(|x| x <= now) => "expired".into(),
                    None => "live".into(),
                };
                let used = t.last_used_at.map_or_else(|| "never".to_string(), |x| x.to_string());
                let expires = t.expires_at.map_or_else(|| "never".to_string(), |x| x.to_string());
                writeln!(
                    out,
                    "{:<6} {:<17} {:<17} {:<17} {:<24} {}",
                    t.id,
                    t.created_at.to_string(),
                    used,
                    expires,
                    state,
                    t.label
                )?;
            }
        }
    }
    Ok(())
}

fn change(
    store: &mut dyn CaseStore,
    username: &str,
    change: AccountChange,
    who: &str,
    now: Timestamp,
    done: &str,
) -> Result<()> {
    let a = account(store, username)?;
    store.change_account(a.id, &change, who, now)?;
    writeln!(crate::out::stdout(), "peel: {} {done}", a.username)?;
    Ok(())
}
