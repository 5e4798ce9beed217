//! The access log (Data Protection Act 2018 Part 3 s.62): every answer that showed records
//! holding personal data leaves one audit entry per record, naming who, when, which record
//! and the route, before the answer leaves.
//!
//! Handlers say what they showed by attaching a [`Disclosed`] response part (the crime page
//! `Disclosed::read("crime", id)`, a worklist `Disclosed::list("person", victims)`, an API read
//! likewise; `peel-http` describes it). This one middleware, around every page and API route,
//! takes it off the answer and, for a 2xx answer, writes the entries in one transaction
//! ([`peel_store::audit::AuditTrail::log_access`]) with the signed-in username as actor (a page
//! names its user; the API's router names the user the gate signed in) and the route's
//! template (`GET /crimes/{id}`), never the query string. If the entries cannot be written —
//! the store fails, or nobody is named — the answer is replaced by a 503: a disclosure is never
//! served unlogged (fail closed). Answers that are not 2xx showed nothing and log nothing.

use crate::{WebError, WebState};
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use peel_http::{Access, Disclosed};

/// The middleware (see the module documentation).
pub async fn record(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let route = match req.extensions().get::<MatchedPath>() {
        Some(p) => format!("{} {}", req.method(), p.as_str()),
        None => format!("{} {}", req.method(), req.uri().path()),
    };
    let mut res = next.run(req).await;
    let Some(shown) = res.extensions_mut().remove::<Disclosed>() else { return res };
    if !res.status().is_success() || shown.records.is_empty() {
        return res;
    }
    let Some(actor) = shown.actor else {
        eprintln!("access log: {route} showed records to nobody named; answered 503");
        return WebError::Unavailable("This answer could not be logged, so it is not shown. Try again.".into())
            .into_response();
    };
    let logged = web
        .run(move |store, now| {
            let records: Vec<(&str, i64)> = shown.records.iter().map(|&(e, id)| (e, id)).collect();
            Ok(store.log_access(now, &actor, shown.access, &route, &records)?)
        })
        .await;
    match logged {
        Ok(()) => res,
        Err(e) => {
            eprintln!("access log: not written ({e}); answered 503");
            WebError::Unavailable("This answer could not be logged, so it is not shown. Try again.".into())
                .into_response()
        }
    }
}
