//! The auditor's page, `/audit` (auditor and admin): the audit trail searched by record
//! ("who looked at this victim?" — a reference such as CRM-2026-000123, or a person's
//! name), by user ("what did this user open?") and by days, newest first, a page at a time,
//! and the same as CSV (`/audit.csv`). What it shows is itself logged: each entry shown is a
//! `search` (page) or `export` (CSV) entry of the auditor's.

use crate::access_log::{Access, Disclosed};
use crate::auth::User;
use crate::html;
use crate::{WebError, WebState};
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, Render};
use peel_domain::date::Date;
use peel_store::audit::{AuditQuery, AuditRecord};

/// Entries a page shows.
const PAGE_LINES: usize = 50;
/// Entries a download holds at most.
const CSV_LINES: usize = 10_000;

/// The filters, as the form sends them.
#[derive(serde::Deserialize, Default, Clone)]
pub struct Filters {
    record: Option<String>,
    user: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// The next page: entries older than this one.
    before: Option<i64>,
}

impl Filters {
    fn given(v: &Option<String>) -> Option<String> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// The query string of these filters (for the next page and the download).
    fn query(&self, before: Option<i64>) -> String {
        let mut q: Vec<String> =
            [("record", &self.record), ("user", &self.user), ("from", &self.from), ("to", &self.to)]
                .into_iter()
                .filter_map(|(k, v)| Filters::given(v).map(|v| format!("{k}={}", html::url_encode(&v))))
                .collect();
        if let Some(b) = before {
            q.push(format!("before={b}"));
        }
        q.join("&")
    }
}

/// What the search found, or why it could not run (a field at fault).
enum Found {
    Entries(Vec<AuditRecord>),
    Problem(String),
}

fn day(field: &str, v: &Option<String>) -> Result<Option<Date>, String> {
    match Filters::given(v) {
        None => Ok(None),
        Some(s) => Date::parse(&s).map(Some).map_err(|e| format!("{field}: '{s}' is not a day YYYY-MM-DD ({e})")),
    }
}

async fn search(state: &WebState, f: &Filters, limit: usize) -> Result<Found, WebError> {
    let (from, to) = match (day("From", &f.from), day("To", &f.to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Ok(Found::Problem(e)),
    };
    let record = Filters::given(&f.record);
    let actor = Filters::given(&f.user).map(|u| u.to_ascii_lowercase());
    let before = f.before;
    state
        .run(move |store, _| {
            let records = match &record {
                None => None,
                Some(r) => match store.resolve_record(r)? {
                    Some(found) => Some(found.filter()),
                    None => {
                        return Ok(Found::Problem(format!(
                            "Record: no crime, report, incident or person is known as '{r}'."
                        )))
                    }
                },
            };
            let q = AuditQuery { records, actor, from, to, before_id: before, limit };
            Ok(Found::Entries(store.audit_search(&q)?))
        })
        .await
}

fn shown(user: &User, access: Access, entries: &[AuditRecord]) -> Disclosed {
    Disclosed::new(access, "audit_log", entries.iter().map(|e| e.id)).by(user.username())
}

fn filters_form(f: &Filters) -> Markup {
    let field = |name: &str, label: &str, hint: &str, value: &Option<String>| {
        html! {
            div class="field" {
                label for=(name) { (label) }
                @if !hint.is_empty() { span class="hint" id={ (name) "-hint" } { (hint) } }
                input type="text" id=(name) name=(name) value=(value.as_deref().unwrap_or(""))
                    aria-describedby=[(!hint.is_empty()).then(|| format!("{name}-hint"))];
            }
        }
    };
    html! {
        form method="get" action="/audit" class="choose" aria-label="Search the audit trail" {
            (field("record", "Record", "A reference (CRM-2026-000123, RPT-…, INC-…) or a person's full name", &f.record))
            (field("user", "User", "A username", &f.user))
            (field("from", "From", "YYYY-MM-DD", &f.from))
            (field("to", "To", "YYYY-MM-DD", &f.to))
            button type="submit" { "Search" }
        }
    }
}

fn rows(entries: &[AuditRecord]) -> Vec<Vec<Markup>> {
    entries
        .iter()
        .map(|e| {
            vec![
                html::when(e.at).render(),
                e.actor.render(),
                e.action.render(),
                html! { (e.entity) @if let Some(r) = &e.record { ": " (r) } },
                e.route.as_deref().unwrap_or("").render(),
            ]
        })
        .collect()
}

pub async fn page(State(state): State<WebState>, user: User, Query(f): Query<Filters>) -> Result<Response, WebError> {
    let found = search(&state, &f, PAGE_LINES).await?;
    let (entries, problem) = match found {
        Found::Entries(e) => (e, None),
        Found::Problem(p) => (Vec::new(), Some(p)),
    };
    let next = (entries.len() == PAGE_LINES).then(|| entries.last().map(|e| e.id)).flatten();
    let body = html! {
        h1 { "Audit trail" }
        p class="lead" {
            "Who consulted, disclosed, made or changed which record, and when (Data Protection Act 2018, section 62). \
             Newest first. Your searches here are logged too."
        }
        (filters_form(&f))
        @if let Some(p) = &problem { div class="error-summary" role="alert" { p { (p) } } }
        (html::table("Audit entries", &["When", "Who", "What", "Record", "Route"], &rows(&entries), "No entries match."))
        p {
            @if let Some(n) = next { a href={ "/audit?" (f.query(Some(n))) } { "Older entries" } " · " }
            a href={ "/audit.csv?" (f.query(None)) } download { "Download as CSV" }
            " (up to " (CSV_LINES) " entries)"
        }
    };
    Ok((shown(&user, Access::Search, &entries), super::render(&user, "Audit trail", body)).into_response())
}

/// A CSV field, quoted when it must be, and never read as a formula by a spreadsheet.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A download as CSV: the header line, then a line of fields for each row, each field as
/// [`csv_field`] writes it; sent as an attachment named `filename`, never cached (it holds
/// personal data).
pub(crate) fn csv_download<R: AsRef<[String]>>(
    filename: &str,
    header: &str,
    rows: impl IntoIterator<Item = R>,
) -> ([(header::HeaderName, String); 3], String) {
    let mut out = format!("{header}\n");
    for row in rows {
        out.push_str(&row.as_ref().iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    (headers, out)
}

pub async fn csv(State(state): State<WebState>, user: User, Query(f): Query<Filters>) -> Result<Response, WebError> {
    let entries = match search(&state, &f, CSV_LINES).await? {
        Found::Entries(e) => e,
        Found::Problem(p) => return Err(WebError::BadRequest(p)),
    };
    let rows = entries.iter().map(|e| {
        [
            e.id.to_string(),
            e.at.to_string(),
            e.actor.clone(),
            e.action.clone(),
            e.entity.clone(),
            e.record.clone().unwrap_or_default(),
            e.route.clone().unwrap_or_default(),
        ]
    });
    let download = csv_download("audit.csv", "id,at,actor,action,entity,record,route", rows);
    Ok((shown(&user, Access::Export, &entries), download).into_response())
}
