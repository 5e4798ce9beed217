//! The administrator: accounts (with their role and scope) and sites, added as the scheme
//! rolls out.

use super::{notice, render, Notice};
use crate::auth::{hash_password, Role, User};
use crate::form::{FormData, PostForm};
use crate::html::{self, Attrs, Errors};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, Render};
use peel_store::accounts::NewAccount;
use peel_store::casework::NewSite;

/// The shortest password an administrator may set.
const MIN_PASSWORD: usize = 12;

/// What the banner names after a POST: the account's username or the site's id.
#[derive(serde::Deserialize, Default)]
pub struct Added {
    done: Option<String>,
    account: Option<String>,
    site: Option<String>,
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
                Some(n @ Notice::AccountAdded) => {
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
            let rows: Vec<Vec<Markup>> = accounts
                .into_iter()
                .map(|a| {
                    let scope = site_name(a.site).or(a.team.clone()).unwrap_or_default();
                    vec![
                        a.username.render(),
                        a.display_name.render(),
                        a.role.word().render(),
                        scope.render(),
                        html::when(a.created_at).render(),
                    ]
                })
                .collect();
            let roles: Vec<(String, String)> =
                Role::ALL.iter().map(|r| (r.word().to_string(), format!("{} ({})", r.label(), r.word()))).collect();
            let site_options: Vec<(String, String)> = std::iter::once((String::new(), "No site".to_string()))
                .chain(sites.iter().map(|s| (s.id.to_string(), s.details.name.clone())))
                .collect();
            let e = &account_errors;
            let f = &account_form;
            let se = &site_errors;
            let sf = &site_form;
            let kinds: Vec<(String, String)> =
                ["hospital", "business", "partner", "other"].iter().map(|k| (k.to_string(), k.to_string())).collect();
            let no_caps = Attrs { autocapitalize: Some("none"), spellcheck: Some("false"), ..Attrs::NONE };
            let password_hint = format!("At least {MIN_PASSWORD} characters.");
            Ok(html! {
                h1 { "Accounts and sites" }
                (notice(banner.as_deref()))
                h2 { "Accounts" }
                (html::table("Accounts", &["Username", "Name", "Role", "Site or team", "Created"], &rows, "No accounts."))
                h2 id="new-account" { "Add an account" }
                (e.summary())
                form method="post" action="/admin/accounts" novalidate {
                    (html::csrf_input(&u))
                    (e.input("text", "username", "Username", "Lower case letters, digits, dots and dashes.", f.get("username"), no_caps))
                    (e.input("text", "display_name", "Name", "", f.get("display_name"), Attrs::NONE))
                    (e.select("role", "Role", &roles, f.get("role")))
                    (e.select("site", "Site (partners and liaison officers)", &site_options, f.get("site")))
                    (e.input("text", "team", "Team (officers and supervisors)", "", f.get("team"), Attrs::NONE))
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
                    (se.input("text", "neighbourhood_unit", "Neighbourhood policing unit", "", sf.get("neighbourhood_unit"), Attrs::NONE))
                    button type="submit" { "Add the site" }
                }
            })
        })
        .await
}

pub async fn page(State(state): State<WebState>, user: User, Query(q): Query<Added>) -> Result<Response, WebError> {
    user.require(&[Role::Admin])?;
    let body =
        render_page(&state, &user, Errors::default(), FormData::default(), Errors::default(), FormData::default(), q)
            .await?;
    Ok(render(&user, "Accounts and sites", body).into_response())
}

pub async fn create_account(State(state): State<WebState>, post: PostForm) -> Result<Response, WebError> {
    let PostForm { user, form } = post;
    user.require(&[Role::Admin])?;
    let mut errors = Errors::default();
    let username = form.get("username").trim().to_lowercase();
    if username.is_empty() || !username.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        errors.add("username", "Enter a username of lower case letters, digits, dots and dashes");
    }
    if form.get("display_name").trim().is_empty() {
        errors.add("display_name", "Enter the person's name");
    }
    let role = Role::parse(form.get("role"));
    let site: Option<i64> = form.get("site").parse().ok();
    let team = form.opt("team");
    match role {
        None => errors.add("role", "Choose a role"),
        Some(r) if r.site_scoped() && site.is_none() => errors.add("site", "A partner or liaison officer needs a site"),
        Some(r) if r.team_scoped() && team.is_none() => errors.add("team", "An officer or supervisor needs a team"),
        _ => {}
    }
    let password = form.get("password").to_string();
    if password.chars().count() < MIN_PASSWORD {
        errors.add("password", format!("The password needs at least {MIN_PASSWORD} characters"));
    }
    if errors.is_empty() {
        let role = role.expect("checked");
        let account = NewAccount {
            username: username.clone(),
            display_name: form.get("display_name").trim().to_string(),
            role,
            password_hash: String::new(),
            site: if role.site_scoped() { site } else { None },
            team: if role.team_scoped() { team } else { None },
        };
        let actor = user.username().to_string();
        let result = state
            .run(move |store, now| {
                let account = NewAccount { password_hash: hash_password(&password), ..account };
                match store.create_account(&account, &actor, now) {
                    Ok(_) => Ok(Ok(())),
                    Err(e @ peel_store::StoreError::Refused(_)) => Ok(Err(("username", e.to_string()))),
                    Err(e @ peel_store::StoreError::NotFound { .. }) => Ok(Err(("site", e.to_string()))),
                    Err(e) => Err(e.into()),
                }
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
    user.require(&[Role::Admin])?;
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
            latitude: None,
            longitude: None,
            lsoa_code: None,
            neighbourhood_unit: form.opt("neighbourhood_unit"),
            impact_area: None,
        };
        let actor = user.username().to_string();
        let added = state.run(move |store, now| Ok(store.add_site(&site, &actor, now)?)).await?;
        let to = format!("/admin?done={}&site={}", Notice::SiteAdded.key(), added.id);
        return Ok(Redirect::to(&to).into_response());
    }
    let body =
        render_page(&state, &user, Errors::default(), FormData::default(), errors, form, Added::default()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&user, "Accounts and sites", body)).into_response())
}
