//! The route table: each route with its handler (one module per resource) and its OpenAPI
//! operation, so the router and `/api/openapi.json` are built from the same list.

mod cancellations;
mod crimes;
mod health;
mod incidents;
mod performance;
mod reports;
mod sites;
mod worklists;

use crate::openapi::{self, Op};
use crate::{ApiError, AppState};
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::routing::{on, MethodFilter};
use axum::Router;
use serde_json::Value;
use std::sync::OnceLock;

pub(crate) struct Api {
    pub router: Router<AppState>,
    pub ops: Vec<(Method, &'static str, Op)>,
}

impl Api {
    fn new() -> Api {
        Api { router: Router::new(), ops: Vec::new() }
    }

    /// The router, answering an unknown route or method with Peel's JSON error (the
    /// method fallback applies to the routes already added, so this comes last).
    pub fn into_router(self) -> Router<AppState> {
        self.router
            .fallback(|| async {
                ApiError::NoRoute(StatusCode::NOT_FOUND, "no such route: see /api/openapi.json".into())
            })
            .method_not_allowed_fallback(|| async {
                ApiError::NoRoute(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "the route does not take that method: see /api/openapi.json".into(),
                )
            })
    }

    fn route<H, T>(mut self, method: Method, path: &'static str, op: Op, handler: H) -> Api
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        self.router = self.router.route(path, on(filter, handler));
        self.ops.push((method, path, op));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, op: Op, handler: H) -> Api {
        self.route(Method::GET, path, op, handler)
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, op: Op, handler: H) -> Api {
        self.route(Method::POST, path, op, handler)
    }
}

pub(crate) fn api() -> Api {
    Api::new()
        .get(
            "/healthz",
            Op::new("health", "Is the service up?", "Answers `{\"status\": \"ok\"}` once a store connection has answered a query; 503 if none does.")
                .ok(openapi::schema("Health")),
            health::check,
        )
        .get(
            "/api/openapi.json",
            Op::new("openapi", "This document", "The OpenAPI 3.0 description of every route.")
                .ok(serde_json::json!({"type": "object"})),
            openapi_document,
        )
        // Sites: hospitals, businesses and partners that report.
        .post(
            "/api/sites",
            Op::new("createSite", "Add a site", "A site of a partner organisation (created if new) that reports: a hospital, a business, a partner.")
                .writes()
                .body("NewSite")
                .created(openapi::schema("Site"))
                .errors(&[422]),
            sites::create,
        )
        .get("/api/sites", Op::new("listSites", "List sites", "Every site.").ok(openapi::array_of("Site")), sites::list)
        .get(
            "/api/sites/{id}/reports",
            Op::new("siteReports", "Reports from a site", "Every report made from the site.").id("site").ok(openapi::array_of("Report")),
            reports::for_site,
        )
        // Reports.
        .post(
            "/api/reports",
            Op::new(
                "submitReport",
                "Submit a report",
                "A report from the public, a partner or an officer. Opens an incident with its 24-hour recording-decision clock, unless it is intelligence.",
            )
            .writes()
            .body("ReportInput")
            .created(openapi::schema("Report"))
            .errors(&[404, 422]),
            reports::create,
        )
        .get("/api/reports/{id}", Op::new("getReport", "A report", "").id("report").ok(openapi::schema("Report")), reports::get)
        // Incidents.
        .get("/api/incidents/{id}", Op::new("getIncident", "An incident", "").id("incident").ok(openapi::schema("Incident")), incidents::get)
        .post(
            "/api/incidents/{id}/triage",
            Op::new("triageIncident", "Triage an incident", "THRIVE assessment → response grade and allocation, by the rule tables.")
                .id("incident")
                .writes()
                .body("TriageInput")
                .ok(openapi::schema("Incident"))
                .errors(&[409, 422]),
            incidents::triage,
        )
        .post(
            "/api/incidents/{id}/decision",
            Op::new(
                "decideIncident",
                "Record the recording decision",
                "For a crime: one crime per victim, with the principal (most serious) offence, enhanced eligibility and every Victims' Code entitlement dated from the report. Refused (409) if the incident is already decided.",
            )
            .id("incident")
            .writes()
            .body("DecisionInput")
            .ok(openapi::schema("DecisionResult"))
            .errors(&[409, 422]),
            incidents::decide,
        )
        // Crimes.
        .get("/api/crimes/{id}", Op::new("getCrime", "A crime with everything on it", "").id("crime").ok(openapi::schema("CrimeFile")), crimes::get)
        .post(
            "/api/crimes/{id}/people",
            Op::new("addPerson", "Add a victim, suspect or witness", "A victim added later is owed every Victims' Code entitlement, dated from now.")
                .id("crime")
                .writes()
                .body("PersonInput")
                .created(openapi::schema("Person"))
                .errors(&[409, 422]),
            crimes::add_person,
        )
        .post(
            "/api/crimes/{id}/events",
            Op::new(
                "recordEvent",
                "Record an investigation event",
                "Arrest, charge, release…: each victim is owed an update within 5 working days, 1 if enhanced (Victims' Code right 6). Answers the obligations made.",
            )
            .id("crime")
            .writes()
            .body("EventInput")
            .created(openapi::schema("EventResult"))
            .errors(&[409, 422]),
            crimes::record_event,
        )
        .post(
            "/api/crimes/{id}/contacts",
            Op::new("logContact", "Log a contact with a person", "A contact may meet obligations (`meets`); an obligation is met once (409 after).")
                .id("crime")
                .writes()
                .body("ContactInput")
                .created(openapi::schema("Contact"))
                .errors(&[409, 422]),
            crimes::log_contact,
        )
        .post(
            "/api/crimes/{id}/evidence",
            Op::new("addEvidence", "Add evidence to secure", "")
                .id("crime")
                .writes()
                .body("EvidenceInput")
                .created(openapi::schema("Evidence"))
                .errors(&[409, 422]),
            crimes::add_evidence,
        )
        .post(
            "/api/crimes/{id}/outcome",
            Op::new(
                "setOutcome",
                "Finalise with a Home Office outcome",
                "Allowed only if the outcome's rules hold on the facts given (e.g. a charge needs an identified suspect: 422 `suspect_identified`). An outcome closing the case without action owes each victim the right-6 update.",
            )
            .id("crime")
            .writes()
            .body("OutcomeInput")
            .ok(openapi::schema("Crime"))
            .errors(&[409, 422]),
            crimes::set_outcome,
        )
        .post(
            "/api/crimes/{id}/cancel",
            Op::new(
                "cancelCrime",
                "Cancel a recorded crime",
                "Only for a reason in the Crime Recording Rules and only by a designated decision maker or the Force Crime Registrar (`role` ddm or fcr; otherwise 422 `decided_by`). The canceller is the acting user.",
            )
            .id("crime")
            .writes()
            .body("CancelInput")
            .ok(openapi::schema("Crime"))
            .errors(&[409, 422]),
            crimes::cancel,
        )
        .post(
            "/api/crimes/{id}/reviews",
            Op::new("addReview", "Add an investigation plan or a supervisor's review", "A plan is due within 2 days of recording; a review every 28 days while the crime is open, or on the day the last review set (`next_review_due`, default 28 days on).")
                .id("crime")
                .writes()
                .body("ReviewInput")
                .created(openapi::schema("Review"))
                .errors(&[422]),
            crimes::add_review,
        )
        .post(
            "/api/crimes/{id}/fraud-triage",
            Op::new("fraudTriage", "Triage a fraud victim for the Victim Care Unit", "Romance fraud, aged 70 or over, or an NDM score above 15 of 35 (seed 002 §10) refers the victim: the referral becomes an obligation due the next working day, with the reasons.")
                .id("crime")
                .writes()
                .body("FraudTriageInput")
                .ok(openapi::schema("FraudTriageResult"))
                .errors(&[404, 422]),
            crimes::fraud_triage,
        )
        .post(
            "/api/crimes/{id}/cancellation-requests",
            Op::new(
                "requestCancellation",
                "Ask a decision maker to cancel the crime",
                "An officer's or supervisor's request, with a Counting Rules reason and its detail; it waits on the decision makers' list until one cancels the crime (POST /api/crimes/{id}/cancel) or refuses it. One request waits at a time (409).",
            )
            .id("crime")
            .writes()
            .body("CancelRequestInput")
            .created(openapi::schema("CancelRequest"))
            .errors(&[409, 422]),
            cancellations::request,
        )
        .get(
            "/api/cancellation-requests",
            Op::new("pendingCancellations", "Cancellations needing a decision maker", "Requests waiting for a decision, oldest first, with their crimes.")
                .ok(openapi::array_of("PendingCancelRequest")),
            cancellations::pending,
        )
        .post(
            "/api/cancellation-requests/{id}/refuse",
            Op::new("refuseCancellation", "Refuse a cancellation request", "The crime stays recorded; the note is the requester's answer. Only a designated decision maker (ddm) or the Force Crime Registrar (fcr).")
                .id("cancellation request")
                .writes()
                .body("RefuseCancellation")
                .ok(openapi::schema("CancelRequest"))
                .errors(&[409, 422]),
            cancellations::refuse,
        )
        .get(
            "/api/crimes/{id}/reviews",
            Op::new("crimeReviews", "A crime's plans and reviews", "Oldest first.").id("crime").ok(openapi::array_of("Review")),
            crimes::reviews,
        )
        .get(
            "/api/crimes/{id}/audit",
            Op::new("crimeAudit", "A crime's audit trail", "Every change to the crime record, oldest first.").id("crime").ok(openapi::array_of("AuditEntry")),
            crimes::audit,
        )
        // Worklists.
        .get(
            "/api/worklists/decisions",
            Op::new("decisionsDue", "Incidents awaiting a recording decision", "Open incidents, soonest decision first, with the minutes left on the 24-hour clock.")
                .ok(openapi::array_of("DecisionDue")),
            worklists::decisions,
        )
        .get(
            "/api/worklists/obligations",
            Op::new("obligationsDue", "Victims' Code obligations due", "Unmet obligations due on or before `on`, oldest first, for one officer if given.")
                .query("on", "Day of the worklist, YYYY-MM-DD; default today (422 `on` if not a date).", openapi::date())
                .query("officer", "Only crimes allocated to this officer.", serde_json::json!({"type": "string"}))
                .ok(openapi::array_of("ObligationDue"))
                .errors(&[422]),
            worklists::obligations,
        )
        .get(
            "/api/worklists/reviews",
            Op::new("reviewsDue", "Investigation plans and supervisor reviews due", "Open crimes whose plan or next review is due on or before `on`, for one team if given, soonest first.")
                .query("on", "YYYY-MM-DD; default today.", openapi::date())
                .query("team", "Only crimes allocated to this team.", serde_json::json!({"type": "string"}))
                .ok(openapi::array_of("ReviewDue"))
                .errors(&[422]),
            worklists::reviews,
        )
        .get(
            "/api/worklists/meeting",
            Op::new("dailyMeeting", "The daily management meeting list", "Open crimes recorded in the 12 months to `on` with a high-risk THRIVE, a vulnerable (enhanced) victim, a repeat victim, or a suspect outstanding in a domestic abuse case; each with its reasons.")
                .query("on", "YYYY-MM-DD; default today.", openapi::date())
                .ok(openapi::array_of("MeetingItem"))
                .errors(&[422]),
            performance::meeting,
        )
        .get(
            "/api/worklists/suspects",
            Op::new("outstandingSuspects", "Outstanding suspects, ranked", "Crimes with a suspect and no outcome, recorded in the 12 months to `on`, highest score first (the score is described in the schema).")
                .query("on", "YYYY-MM-DD; default today.", openapi::date())
                .ok(openapi::array_of("OutstandingSuspect"))
                .errors(&[422]),
            performance::suspects,
        )
        .get(
            "/api/performance/compliance",
            Op::new("compliance", "Victims' Code compliance", "Obligations of crimes recorded from `from` to `to`: due, met on time, met late, unmet, by right, team, offence group and month, as they stood on `as_of` (default today).")
                .query("from", "First day of recording, YYYY-MM-DD.", openapi::date())
                .query("to", "Last day of recording, YYYY-MM-DD.", openapi::date())
                .query("as_of", "YYYY-MM-DD; default today.", openapi::date())
                .ok(openapi::schema("ComplianceReport"))
                .errors(&[422]),
            performance::compliance,
        )
        .get(
            "/api/performance/outcomes",
            Op::new("outcomeRates", "Positive outcome rate by police.uk category", "Crimes recorded from `from` to `to`; positive: Home Office outcome types 1-4 and 6-8.")
                .query("from", "YYYY-MM-DD.", openapi::date())
                .query("to", "YYYY-MM-DD.", openapi::date())
                .ok(serde_json::json!({"type": "object", "additionalProperties": openapi::schema("OutcomeRate")}))
                .errors(&[422]),
            performance::outcomes,
        )
}

/// The OpenAPI document, built once from the route table.
pub(crate) fn document() -> Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| openapi::document(&api().ops)).clone()
}

async fn openapi_document() -> axum::Json<Value> {
    axum::Json(document())
}
