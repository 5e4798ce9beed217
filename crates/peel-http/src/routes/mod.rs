//! The route table. Each handler says its method, path, parameters, body and answers in its
//! `#[utoipa::path]`; the one list in [`routes!`] registers each handler in the router at
//! that method and path *and* lists it in the document's paths ([`ApiDoc`]), whose schemas
//! are derived from the types the handlers take and answer. So the router and
//! `/api/openapi.json` cannot drift apart.

mod cancellations;
mod changes;
mod crimes;
mod incidents;
pub(crate) mod people;
mod performance;
mod reports;
pub(crate) mod search;
mod service;
mod sites;
mod worklists;

use crate::error::ErrorBody;
use crate::idempotency::Documented as IdempotencyKey;
use crate::{ApiError, AppState};
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::routing::{on, MethodFilter};
use axum::Router;
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::OpenApi;

pub(crate) struct Api {
    pub router: Router<AppState>,
    /// (method, path) of each route, in the order registered.
    pub ops: Vec<(Method, String)>,
}

impl Api {
    fn new() -> Api {
        Api { router: Router::new(), ops: Vec::new() }
    }

    /// The router, answering a known route asked with the wrong method with Peel's JSON error
    /// (the method fallback applies to the routes already added, so this comes last). An
    /// unknown route is the caller's to answer (`crate::no_route` under /api; the web
    /// application's HTML page elsewhere), as only one router of a merge may have a fallback.
    pub fn into_router(self) -> Router<AppState> {
        self.router.method_not_allowed_fallback(|| async {
            ApiError::NoRoute(
                StatusCode::METHOD_NOT_ALLOWED,
                "the route does not take that method: see /api/openapi.json".into(),
            )
        })
    }

    /// Serves `handler` at the method and path its `#[utoipa::path]` gives (`documented` is
    /// the struct the attribute made beside the handler).
    fn route<P: utoipa::Path, H: Handler<T, AppState>, T: 'static>(mut self, _documented: P, handler: H) -> Api {
        let path = P::path();
        let [method] = &P::methods()[..] else { panic!("{path}: one method per handler") };
        let method = match method {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Delete => Method::DELETE,
            HttpMethod::Patch => Method::PATCH,
            HttpMethod::Head => Method::HEAD,
            HttpMethod::Options => Method::OPTIONS,
            HttpMethod::Trace => Method::TRACE,
        };
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        self.router = self.router.route(&path, on(filter, handler));
        self.ops.push((method, path));
        self
    }
}

/// Every route, once: `module::handler(struct)`, where the struct is the one the handler's
/// `#[utoipa::path]` made (`__path_` and the handler's name). Makes the document
/// ([`ApiDoc`], with these paths) and the router ([`api`], with these handlers).
macro_rules! routes {
    ($($module:ident :: $handler:ident ($documented:ident)),* $(,)?) => {
        /// The API document, generated: the paths from the handlers' attributes, the schemas
        /// from the types they name (`ToSchema`, derived), the errors from [`ErrorBody`].
        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "Peel casework API",
                description = "Crime recording and victim care: reports, incidents, recorded crimes, the people on them, Victims' Code obligations, contacts, evidence and outcomes. Every write is checked against the rules and written with its audit entry. Every route but this document needs a signed-in account: an API token (`Authorization: Bearer TOKEN`, made with `peel accounts token USERNAME`) or the session cookie of the sign-in page; the account's role and scope decide which routes and records it reaches (401 without one, 403 outside them). Times are YYYY-MM-DDTHH:MM (no zone; the server's clock is UTC), dates YYYY-MM-DD. Records that change carry a `version`: a write names the version it read and is refused 409 if the record has changed since.",
                license(name = "Apache-2.0", identifier = "Apache-2.0"),
            ),
            paths($($module::$handler),*),
            components(schemas(ErrorBody)),
            modifiers(&Gate, &IdempotencyKey),
        )]
        pub(crate) struct ApiDoc;

        pub(crate) fn api() -> Api {
            Api::new()$(.route($module::$documented, $module::$handler))*
        }
    };
}

routes! {
    service::check(__path_check),
    service::openapi_json(__path_openapi_json),
    // Sites: hospitals, businesses and partners that report.
    sites::create(__path_create),
    sites::list(__path_list),
    reports::for_site(__path_for_site),
    // Reports.
    reports::create(__path_create),
    reports::get(__path_get),
    // Incidents.
    incidents::get(__path_get),
    incidents::triage(__path_triage),
    incidents::decide(__path_decide),
    // Crimes.
    crimes::get(__path_get),
    crimes::add_person(__path_add_person),
    crimes::record_event(__path_record_event),
    crimes::log_contact(__path_log_contact),
    crimes::add_evidence(__path_add_evidence),
    crimes::set_outcome(__path_set_outcome),
    crimes::reallocate(__path_reallocate),
    crimes::reopen(__path_reopen),
    crimes::secure_evidence(__path_secure_evidence),
    crimes::cancel(__path_cancel),
    crimes::add_review(__path_add_review),
    crimes::fraud_triage(__path_fraud_triage),
    cancellations::request(__path_request),
    cancellations::pending(__path_pending),
    cancellations::refuse(__path_refuse),
    crimes::reviews(__path_reviews),
    crimes::audit(__path_audit),
    // Flags, offence and links as the investigation moves.
    changes::set_flags(__path_set_flags),
    changes::reclassifications(__path_reclassifications),
    changes::reclassify(__path_reclassify),
    changes::pending(__path_pending),
    changes::decide(__path_decide),
    changes::links(__path_links),
    changes::link(__path_link),
    changes::unlink(__path_unlink),
    // Worklists.
    worklists::decisions(__path_decisions),
    worklists::obligations(__path_obligations),
    worklists::reviews(__path_reviews),
    performance::meeting(__path_meeting),
    performance::suspects(__path_suspects),
    // Performance.
    performance::compliance(__path_compliance),
    performance::outcomes(__path_outcomes),
    // Search.
    search::search(__path_search),
    // People, tasks and notifications.
    people::duplicates(__path_duplicates),
    people::distinct(__path_distinct),
    people::merge(__path_merge),
    people::undo_merge(__path_undo_merge),
    people::get(__path_get),
    people::add_marker(__path_add_marker),
    people::end_marker(__path_end_marker),
    people::notifications(__path_notifications),
    people::tasks(__path_tasks),
    people::add_task(__path_add_task),
}

/// How a client signs in, as the document's security schemes, required on every `/api/`
/// route but the document itself (`/healthz` is open too): `bearerToken`, a token made with
/// `peel accounts token USERNAME` sent as `Authorization: Bearer TOKEN` (machine clients), or
/// `sessionCookie`, the cookie the sign-in page sets. Either acts as its account under the
/// same role and scope checks as the pages. The gate that checks them (in `peel-web`) answers
/// before the handler, so every gated route also lists its 401 and 403.
struct Gate;

impl utoipa::Modify for Gate {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token made with `peel accounts token USERNAME` (shown once, stored hashed, \
                         revocable): `Authorization: Bearer TOKEN`. It acts as its account.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "sessionCookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "peel_session",
                "The session cookie set by signing in at POST /login (browsers; writes must come from the same origin).",
            ))),
        );
        let anyone = || SecurityRequirement::new("bearerToken", Vec::<String>::new());
        openapi.security = Some(vec![anyone(), SecurityRequirement::new("sessionCookie", Vec::<String>::new())]);
        let refused = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let open = !path.starts_with("/api/") || path == "/api/openapi.json";
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                if open {
                    // An empty requirement: no sign-in needed.
                    op.security = Some(vec![SecurityRequirement::default()]);
                    continue;
                }
                let answers = &mut op.responses.responses;
                answers.entry("401".into()).or_insert_with(|| {
                    refused("Unauthenticated (`unauthenticated`): no session cookie or Bearer token, or one that has ended.")
                        .into()
                });
                answers.entry("403".into()).or_insert_with(|| {
                    refused("Forbidden (`forbidden`): the account's role or scope does not cover this route or record.")
                        .into()
                });
            }
        }
    }
}

/// The OpenAPI document, generated once.
pub(crate) fn document() -> Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| serde_json::to_value(ApiDoc::openapi()).expect("the document is JSON")).clone()
}
