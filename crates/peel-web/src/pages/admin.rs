//! The administrator: accounts (with their role and scope, state and API tokens) and sites,
//! added as the scheme rolls out. Every change is audited with the administrator's username.

use super::account::{capitalised, hash_new};
use super::{notice, render, Notice};
use crate::auth::{Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_access::passwords;
use peel_store::accounts::{Account, AccountChange, ApiToken, NewAccount};
use peel_store::casework::NewSite;

/// What the banner names after a POST: the account's username or the site's id.
#[derive(serde::Deserialize, Default)]
pub struct Added {
    done: Option<String>,
    account: Option<String>,
    site: Option<String>,
    /// The accounts list narrowed to a role (its word) …
    #[serde(default)]
    role: String,
    /// … and a state: active, locked or disabled.
    #[serde(default)]
    state: String,
}

impl Added {
    fn keeps(&self, a: &peel_store::accounts::Account) -> bool {
        (self.role.is_empty() || a.role.word() == self.role) && (self.state.is_empty() || a.state() == self.state)
    }

    fn filters(&self) -> String {
        html::query_tail(&[("role", &self.role), ("state", &self.state)]).trim_start_matches('&').to_string()
    }

    fn form(&self) -> Markup {
        let e = Errors::default();
        let mut roles = vec![(String::new(), "Every role".to_string())];
        roles.extend(role_options());
        let states =
            html::options(&[("", "Every state"), ("active", "Active"), ("locked", "Locked"), ("disabled", "Disabled")]);
        html! {
            details open[!self.filters().is_empty()] {
                summary { "Filter the accounts" }
                form method="get" action="/admin" {
                    (e.select("role", "Role", &roles, &self.role))
                    (e.select("state", "State", &states, &self.state))
                    button type="submit" { "Filter" }
                    " " a href="/admin" { "Clear the filters" }
                }
            }
        }
    }
}

/// The accounts as CSV, filtered as on the page: who has which role and scope, and whether
/// they can sign in (for the force's joiners, movers and leavers checks). No password hashes.
pub async fn accounts_csv(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<Added>,
) -> Result<Response, WebError> {
    let (accounts, sites) = state.run(|store, _| Ok((store.accounts()?, store.sites()?))).await?;
    let site_name = |id: Option<i64>| id.and_then(|i| sites.iter().find(|s| s.id == i)).map(|s| s.details.name.clone());
    let rows = accounts.iter().filter(|a| q.keeps(a)).map(|a| {
        [
            a.username.clone(),
            a.display_name.clone(),
            a.collar.clone().unwrap_or_default(),
            a.role.word().to_string(),
            site_name(a.site).unwrap_or_default(),
            a.team.clone().unwrap_or_default(),
            a.state().to_string(),
            a.last_sign_in_at.map(|t| t.to_string()).unwrap_or_default(),
        ]
    });
    let download =
        super::audit::csv_download("accounts.csv", "username,name,collar,role,site,team,state,last_signed_in", rows);
    let ids: Vec<i64> = accounts.iter().filter(|a| q.keeps(a)).map(|a| a.id).collect();
    let shown =
        crate::access_log::Disclosed::new(peel_store::audit::Access::Export, "account", ids).by(user.username());
    Ok((shown, download).into_response())
}

async fn render_page(
    state: &WebState,
    user: &User,
    account_errors: Errors,
    account_form: FormData,
    site_errors: Errors,
    site_form: FormData,
    done: Added,
) -> Result<Markup, WebError> {
    let u = user.clone();
    state
        .run(move |store, _| {
            let sites = store.sites()?;
            let accounts = store.accounts()?;
            // The banner names only an account or a site that exists: looked up, not taken from the URL.
            let banner = match done.done.as_deref().and_then(Notice::parse) {
                Some(n @ (Notice::AccountAdded | Notice::AccountChanged)) => {
                    let name = done.account.as_deref().and_then(|a| accounts.iter().find(|x| x.username == a));
                    Some(n.text(name.map(|a| a.username.as_str())))
                }
                Some(n @ Notice::SiteAdded) => {
                    let id = done.site.as_deref().and_then(|s| s.parse::<i64>().ok());
                    let site = id.and_then(|i| sites.iter().find(|s| s.id == i));
                    Some(n.text(site.map(|s| s.details.name.as_str())))
                }
                _ => None,
            };
            let site_name = |id: Option<i64>| id.and_then(|i| sites.iter().find(|s| s.id == i)).map(|s| s.details.name.clone());
            let filter_form = done.form();
            let filters = done.filters();
            let rows: Vec<Vec<Markup>> = accounts
                .into_iter()
                .filter(|a| done.keeps(a))
                .map(|a| {
                    let scope = site_name(a.site).or(a.team.clone()).unwrap_or_default();
                    let href = format!("/admin/accounts/{}", html::url_encode(&a.username));
                    vec![
                        html! { a href=(href) { (a.username) } },
                        a.display_name.render(),
                        a.collar.clone().unwrap_or_default().render(),
                        a.role.word().render(),
                        scope.render(),
                        a.state().render(),
                        a.last_sign_in_at.map(html::when).unwrap_or_else(|| "never".into()).render(),
                    ]
                })
                .collect();
            let (roles, site_options) = (role_options(), site_options(&sites));
            let e = &account_errors;
            let f = &account_form;
            let se = &site_errors;
            let sf = &site_form;
            let kinds: Vec<(String, String)> =
                ["hospital", "business", "partner", "other"].iter().map(|k| (k.to_string(), k.to_string())).collect();
            let no_caps = Attrs { autocapitalize: Some("none"), spellcheck: Some("false"), ..Attrs::NONE };
            let password_hint = password_hint();
            Ok(html! {
                h1 { "Accounts and sites" }
                (notice(banner.as_deref()))
                h2 { "Accounts" }
                (filter_form)
                p { a href={ "/admin/accounts.csv?" (filters) } download { "Download the accounts as CSV" } }
                (html::table(
                    "Accounts",
                    &["Username", "Name", "Collar number", "Role", "Site or team", "State", "Last signed in"],
                    &rows,
                    "No accounts."
                ))
                h2 id="new-account" { "Add an account" }
                (e.summary())
                form method="post" action="/admin/accounts" novalidate {
                    (html::csrf_input(&u))
                    (e.input("text", "username", "Username", "Lower case letters, digits, dots and dashes.", f.get("username"), no_caps))
                    (e.input("text", "display_name", "Name", "", f.get("display_name"), Attrs::NONE))
                    (e.select("role", "Role", &roles, f.get("role")))
                    (e.select("site", "Site (partners and liaison officers)", &site_options, f.get("site")))
                    (e.input("text", "team", "Team (officers and supervisors)", "", f.get("team"), Attrs::NONE))
                    (e.input("text", "collar", "Collar number (if they have one)", "", f.get("collar"), no_caps))
                    (e.input(
                        "password",
                        "password",
                        "Password",
                        &password_hint,
                        "",
                        Attrs { autocomplete: Some("new-password"), ..Attrs::NONE }
                    ))
                    button type="submit" { "Add the account" }
                }
                h2 id="new-site" { "Add a site" }
                (se.summary())
                form method="post" action="/admin/sites" novalidate {
                    (html::csrf_input(&u))
                    (se.input("text", "name", "Site name", "", sf.get("name"), Attrs::NONE))
                    (se.input("text", "organisation", "Organisation", "", sf.get("organisation"), Attrs::NONE))
                    (se.select("organisation_kind", "Kind", &kinds, sf.get("organisation_kind")))
                    (se.input(
                        "text",
                        "postcode",
                        "Postcode",
                        "Peel places the site from it (LSOA, ward, neighbourhood policing unit, Impact Area); its partner's \
                         reports take that place unless they give another.",
                        sf.get("postcode"),
                        Attrs { autocomplete: Some("postal-code"), ..Attrs::NONE }
                    ))
                    button type="submit" { "Add the site" }
                }
            })
        })
        .await
}

pub async fn page(State(state): State<WebState>, user: User, Query(q): Query<Added>) -> Result<Response, WebError> {
    let body =
        render_page(&state, &user, Errors::default(), FormData::default(), Errors::default(), FormData::default(), q)
            .await?;
    Ok(render(&user, "Accounts and sites", body).into_response())
}

pub async fn create_account(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let mut errors = Errors::default();
    let username = form.get("username").trim().to_lowercase();
    if username.is_empty() || !username.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        errors.add("username", "Enter a username of lower case letters, digits, dots and dashes");
    }
    if form.get("display_name").trim().is_empty() {
        errors.add("display_name", "Enter the person's name");
    }
    let scope = role_and_scope(&form, &mut errors);
    let collar = form.opt("collar");
    if collar.as_ref().is_some_and(|c| c.chars().count() > 20 || !c.chars().all(|ch| ch.is_ascii_alphanumeric())) {
        errors.add("collar", "Enter the collar number in letters and digits, at most 20");
    }
    let password = form.get("password").to_string();
    if let Err(why) = passwords::check(&password, &username) {
        errors.add("password", capitalised(&why));
    }
    if let (true, Some((role, site, team))) = (errors.is_empty(), scope) {
        let account = NewAccount {
            username: username.clone(),
            display_name: form.get("display_name").trim().to_string(),
            role,
            password_hash: hash_new(password).await?,
            site,
            team,
            collar,
        };
        let actor = user.username().to_string();
        let result = state
            .run(move |store, now| match store.create_account(&account, &actor, now) {
                Ok(_) => Ok(Ok(())),
                Err(peel_store::StoreError::Refused(m)) if m.contains("collar") => Ok(Err(("collar", m))),
                Err(e @ peel_store::StoreError::Refused(_)) => Ok(Err(("username", e.to_string()))),
                Err(e @ peel_store::StoreError::NotFound { .. }) => Ok(Err(("site", e.to_string()))),
                Err(e) => Err(e.into()),
            })
            .await?;
        match result {
            Ok(()) => {
                let to = format!("/admin?done={}&account={}", Notice::AccountAdded.key(), html::url_encode(&username));
                return Ok(Redirect::to(&to).into_response());
            }
            Err((field, message)) => errors.add(field, message),
        }
    }
    let body =
        render_page(&state, &user, errors, form, Errors::default(), FormData::default(), Added::default()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Accounts and sites", body)).into_response())
}

pub async fn add_site(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let mut errors = Errors::default();
    if form.get("name").trim().is_empty() {
        errors.add("name", "Enter the site's name");
    }
    if form.get("organisation").trim().is_empty() {
        errors.add("organisation", "Enter the organisation");
    }
    let kind = form.get("organisation_kind").to_string();
    if !["hospital", "business", "partner", "other"].contains(&kind.as_str()) {
        errors.add("organisation_kind", "Choose the kind of organisation");
    }
    if errors.is_empty() {
        let site = NewSite {
            organisation: form.get("organisation").trim().to_string(),
            organisation_kind: kind,
            name: form.get("name").trim().to_string(),
            address: None,
            place: peel_store::casework::Place { postcode: form.opt("postcode"), ..Default::default() },
        };
        let actor = user.username().to_string();
        let added = state
            .run(move |store, now| match peel_casework::add_site(store, &site, &actor, now) {
                Ok(s) => Ok(Ok(s.id)),
                Err(peel_casework::CaseError::Invalid(f)) => Ok(Err(f)),
                Err(e) => Err(e.into()),
            })
            .await?;
        match added {
            Ok(id) => {
                let to = format!("/admin?done={}&site={id}", Notice::SiteAdded.key());
                return Ok(Redirect::to(&to).into_response());
            }
            Err(f) => errors.add(f.field, f.message),
        }
    }
    let body =
        render_page(&state, &user, Errors::default(), FormData::default(), errors, form, Added::default()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Accounts and sites", body)).into_response())
}

fn role_options() -> Vec<(String, String)> {
    Role::ALL.iter().map(|r| (r.word().to_string(), format!("{} ({})", r.label(), r.word()))).collect()
}

fn site_options(sites: &[peel_store::casework::Site]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "No site".to_string()))
        .chain(sites.iter().map(|s| (s.id.to_string(), s.details.name.clone())))
        .collect()
}

fn password_hint() -> String {
    format!("At least {} characters; not one of the commonest passwords, nor the username.", passwords::MIN_CHARS)
}

/// The role and its scope from a form (`role`, `site`, `team`): a site for partners and
/// liaison officers, a team for officers and supervisors, neither for the rest.
fn role_and_scope(form: &FormData, errors: &mut Errors) -> Option<(Role, Option<i64>, Option<String>)> {
    let site: Option<i64> = form.get("site").parse().ok();
    let team = form.opt("team");
    match Role::parse(form.get("role")) {
        None => errors.add("role", "Choose a role"),
        Some(r) if r.site_scoped() && site.is_none() => errors.add("site", "A partner or liaison officer needs a site"),
        Some(r) if r.team_scoped() && team.is_none() => errors.add("team", "An officer or supervisor needs a team"),
        Some(r) => {
            return Some((r, site.filter(|_| r.site_scoped()), team.filter(|_| r.team_scoped())));
        }
    }
    None
}

/// One account: its state, its tokens and the administrator's forms.
async fn account_page(
    state: &WebState,
    user: &User,
    username: String,
    errors: Errors,
    form: FormData,
    banner: Option<String>,
) -> Result<Markup, WebError> {
    let u = user.clone();
    state
        .run(move |store, _| {
            let a = found(store.find_account(&username)?)?;
            let tokens = store.api_tokens(a.id)?;
            let sites = store.sites()?;
            Ok(account_body(&u, &a, &tokens, &sites, &errors, &form, banner.as_deref()))
        })
        .await
}

fn found(account: Option<Account>) -> Result<Account, WebError> {
    account.ok_or_else(|| WebError::NotFound("There is no account with that username.".into()))
}

fn account_body(
    u: &User,
    a: &Account,
    tokens: &[ApiToken],
    sites: &[peel_store::casework::Site],
    e: &Errors,
    f: &FormData,
    banner: Option<&str>,
) -> Markup {
    let action = format!("/admin/accounts/{}", html::url_encode(&a.username));
    let site = a.site.and_then(|i| sites.iter().find(|s| s.id == i)).map(|s| s.details.name.clone());
    let or = |v: &str, kept: Option<String>| if f.0.is_empty() { kept.unwrap_or_default() } else { v.to_string() };
    let token_rows: Vec<Vec<Markup>> = tokens
        .iter()
        .map(|t| {
            let state = match (t.revoked_at, t.expires_at) {
                (Some(r), _) => format!("revoked {}", html::when(r)),
                (None, Some(x)) => format!("expires {}", html::when(x)),
                (None, None) => "live".into(),
            };
            let revoke = html! {
                @if t.revoked_at.is_none() {
                    form method="post" action=(action) {
                        (html::csrf_input(u))
                        input type="hidden" name="action" value="revoke-token";
                        input type="hidden" name="token" value=(t.id);
                        button type="submit" { "Revoke token " (t.id) }
                    }
                }
            };
            vec![
                t.id.render(),
                t.label.render(),
                html::when(t.created_at).render(),
                t.last_used_at.map(html::when).unwrap_or_else(|| "never".into()).render(),
                state.render(),
                revoke,
            ]
        })
        .collect();
    let button = |act: &str, label: &str| {
        html! {
            form method="post" action=(action) {
                (html::csrf_input(u))
                input type="hidden" name="action" value=(act);
                button type="submit" { (label) }
            }
        }
    };
    html! {
        h1 { "Account " (a.username) }
        (notice(banner))
        (e.summary())
        dl {
            dt { "Name" } dd { (a.display_name) }
            dt { "Collar number" } dd { (a.collar.clone().unwrap_or_else(|| "none".into())) }
            dt { "Role" } dd { (a.role.label()) }
            dt { "Site or team" } dd { (site.clone().or(a.team.clone()).unwrap_or_else(|| "none".into())) }
            dt { "State" } dd { (a.state()) }
            dt { "Last signed in" } dd { (a.last_sign_in_at.map(html::when).unwrap_or_else(|| "never".into())) }
            dt { "Password last changed" } dd { (a.password_changed_at.map(html::when).unwrap_or_else(|| "not known".into())) }
            dt { "Failed sign-ins in a row" } dd { (a.failed_sign_ins) }
        }
        @if a.locked_at.is_some() { (button("unlock", "Unlock the account")) }
        @if a.disabled_at.is_some() { (button("enable", "Enable the account")) } @else { (button("disable", "Disable the account")) }
        h2 { "Role and scope" }
        form method="post" action=(action) novalidate {
            (html::csrf_input(u))
            input type="hidden" name="action" value="role";
            (e.select("role", "Role", &role_options(), &or(f.get("role"), Some(a.role.word().to_string()))))
            (e.select("site", "Site (partners and liaison officers)", &site_options(sites), &or(f.get("site"), a.site.map(|s| s.to_string()))))
            (e.input("text", "team", "Team (officers and supervisors)", "", &or(f.get("team"), a.team.clone()), Attrs::NONE))
            button type="submit" { "Change the role" }
        }
        h2 { "Reset the password" }
        p { "Every session of the account ends; give the person the new password in person or by a trusted route." }
        form method="post" action=(action) novalidate {
            (html::csrf_input(u))
            input type="hidden" name="action" value="password";
            (e.input("password", "password", "New password", &password_hint(), "", Attrs { autocomplete: Some("new-password"), ..Attrs::NONE }))
            button type="submit" { "Reset the password" }
        }
        h2 { "API tokens" }
        p { "Tokens are made with " code { "peel accounts token" } "; each acts as this account." }
        (html::table("API tokens", &["Number", "Label", "Made", "Last used", "State", "Revoke"], &token_rows, "No tokens."))
        @if tokens.iter().any(|t| t.revoked_at.is_none()) { (button("revoke-tokens", "Revoke every token")) }
    }
}

pub async fn account(
    State(state): State<WebState>,
    user: User,
    Path(username): Path<String>,
    Query(q): Query<Added>,
) -> Result<Response, WebError> {
    let banner =
        q.done.as_deref().and_then(Notice::parse).filter(|n| *n == Notice::AccountChanged).map(|n| n.text(None));
    let body = account_page(&state, &user, username, Errors::default(), FormData::default(), banner).await?;
    Ok(render(&user, "Account", body).into_response())
}

/// The administrator's changes to one account, by the form's `action`.
pub async fn change(
    State(state): State<WebState>,
    Path(username): Path<String>,
    post: PostForm,
) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    let mut errors = Errors::default();
    let name = username.clone();
    let target = state.run(move |store, _| found(store.find_account(&name)?)).await?;
    let change = match form.get("action") {
        "disable" if target.id == user.account.id => {
            errors.add("action", "You cannot disable your own account");
            None
        }
        "disable" => Some(AccountChange::Disable),
        "enable" => Some(AccountChange::Enable),
        "unlock" => Some(AccountChange::Unlock),
        "role" => role_and_scope(&form, &mut errors).map(|(role, site, team)| AccountChange::Role { role, site, team }),
        "password" => match passwords::check(form.get("password"), &target.username) {
            Ok(()) => Some(AccountChange::Password {
                hash: hash_new(form.get("password").to_string()).await?,
                keep_session: None,
            }),
            Err(why) => {
                errors.add("password", capitalised(&why));
                None
            }
        },
        "revoke-tokens" | "revoke-token" => None,
        other => return Err(WebError::BadRequest(format!("action: '{other}' is not a change to an account"))),
    };
    if errors.is_empty() {
        // Revoke every token, or the one named (a number that is not the account's is 404).
        let revoke = match form.get("action") {
            "revoke-tokens" => Some(None),
            "revoke-token" => Some(Some(form.get("token").parse::<i64>().map_err(|_| {
                WebError::BadRequest(format!("token: '{}' is not a token's number", form.get("token")))
            })?)),
            _ => None,
        };
        let (actor, id) = (user.username().to_string(), target.id);
        let result = state
            .run(move |store, now| {
                if let Some(which) = revoke {
                    store.revoke_api_tokens(id, which, &actor, now)?;
                    return Ok(Ok(()));
                }
                match store.change_account(id, &change.expect("checked"), &actor, now) {
                    Ok(_) => Ok(Ok(())),
                    Err(e @ peel_store::StoreError::NotFound { .. }) => Ok(Err(e.to_string())),
                    Err(e) => Err(e.into()),
                }
            })
            .await?;
        match result {
            Ok(()) => {
                let to =
                    format!("/admin/accounts/{}?done={}", html::url_encode(&username), Notice::AccountChanged.key());
                return Ok(Redirect::to(&to).into_response());
            }
            Err(m) => errors.add("site", m),
        }
    }
    let body = account_page(&state, &user, username, errors, form, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Account", body)).into_response())
}
