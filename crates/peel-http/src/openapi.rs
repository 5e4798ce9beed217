//! The OpenAPI 3.0 document: each route's operation (written beside the route, in
//! `routes/mod.rs`) and the schemas of the request and response bodies, which follow the
//! serde shapes of `peel-casework`'s inputs and `peel-store`'s records. Word lists come from
//! the `peel-domain` tables where they are public, so they cannot drift.

use axum::http::Method;
use peel_domain::outcome::OUTCOME_TYPES;
use peel_domain::recording::{RecordingDecision, Role, CANCELLATION_REASONS};
use peel_domain::thrive::CaseTheme;
use peel_domain::victims_code::{Event, SeriousCrime};
use serde_json::{json, Map, Value};

/// One route's operation.
pub(crate) struct Op {
    id: &'static str,
    summary: &'static str,
    description: &'static str,
    path_id: Option<&'static str>,
    query: Vec<Value>,
    writes: bool,
    body: Option<&'static str>,
    status: u16,
    response: Value,
    errors: Vec<u16>,
}

impl Op {
    pub fn new(id: &'static str, summary: &'static str, description: &'static str) -> Op {
        Op {
            id,
            summary,
            description,
            path_id: None,
            query: vec![],
            writes: false,
            body: None,
            status: 200,
            response: json!({}),
            errors: vec![],
        }
    }

    /// The path has an `{id}`: the id of a `what`.
    pub fn id(mut self, what: &'static str) -> Op {
        self.path_id = Some(what);
        self
    }

    pub fn query(mut self, name: &str, description: &str, schema: Value) -> Op {
        self.query.push(
            json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema}),
        );
        self
    }

    /// A write: needs `X-Peel-User`.
    pub fn writes(mut self) -> Op {
        self.writes = true;
        self
    }

    pub fn body(mut self, schema: &'static str) -> Op {
        self.body = Some(schema);
        self
    }

    pub fn ok(mut self, response: Value) -> Op {
        self.response = response;
        self
    }

    pub fn created(mut self, response: Value) -> Op {
        self.status = 201;
        self.response = response;
        self
    }

    pub fn errors(mut self, statuses: &[u16]) -> Op {
        self.errors.extend_from_slice(statuses);
        self
    }

    fn to_json(&self, path: &str) -> Value {
        // Tagged by resource: /api/crimes/… → "crimes"; /healthz and the document → "service".
        let tag = match path.strip_prefix("/api/").and_then(|p| p.split('/').next()) {
            Some(resource) if resource != "openapi.json" => resource,
            _ => "service",
        };
        let mut op = json!({
            "operationId": self.id,
            "summary": self.summary,
            "tags": [tag],
        });
        if !self.description.is_empty() {
            op["description"] = json!(self.description);
        }
        let mut parameters = Vec::new();
        let mut errors = self.errors.clone();
        if let Some(what) = self.path_id {
            parameters.push(json!({
                "name": "id", "in": "path", "required": true,
                "description": format!("The {what}'s id."),
                "schema": {"type": "integer", "format": "int64"},
            }));
            errors.extend([400, 404]);
        }
        parameters.extend(self.query.iter().cloned());
        if !self.query.is_empty() {
            errors.push(400);
        }
        if self.writes {
            parameters.push(json!({
                "name": "X-Peel-User", "in": "header", "required": true,
                "description": "Who is acting: recorded in the audit log. Trusted as sent until accounts arrive (no authentication yet).",
                "schema": {"type": "string"},
            }));
            op["security"] = json!([{"peelUser": []}]);
            errors.push(401);
        }
        if let Some(body) = self.body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema(body)}}});
            errors.extend([400, 413, 415]);
        }
        errors.extend([500, 503]);
        errors.sort_unstable();
        errors.dedup();
        if !parameters.is_empty() {
            op["parameters"] = json!(parameters);
        }
        let mut responses = Map::new();
        let description = if self.status == 201 { "Created" } else { "OK" };
        responses.insert(
            self.status.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": self.response}}}),
        );
        for status in errors {
            responses.insert(
                status.to_string(),
                json!({"description": error_description(status), "content": {"application/json": {"schema": schema("Error")}}}),
            );
        }
        op["responses"] = Value::Object(responses);
        op
    }
}

fn error_description(status: u16) -> &'static str {
    match status {
        400 => "Bad request: the body is not JSON or not the route's shape (`field` is the path to the field at fault), or a path id or query parameter is malformed.",
        401 => "Unauthenticated: a write without X-Peel-User.",
        404 => "Not found: the record does not exist.",
        409 => "Conflict: `code` conflict — the version named is stale, reload and retry; `code` refused — the action does not fit the record's state.",
        413 => "Payload too large (over 2 MB).",
        415 => "Unsupported media type: send Content-Type: application/json.",
        422 => "Invalid: the input breaks a rule; `field` names the field at fault.",
        500 => "Internal error: the detail is in the server's log.",
        503 => "Unavailable: no store connection came free in time, or the store is not answering.",
        _ => "Error.",
    }
}

/// The whole document, from the route table.
pub(crate) fn document(ops: &[(Method, &'static str, Op)]) -> Value {
    let mut paths = Map::new();
    for (method, path, op) in ops {
        let item = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        item[method.as_str().to_ascii_lowercase()] = op.to_json(path);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Peel casework API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Crime recording and victim care: reports, incidents, recorded crimes, the people on them, Victims' Code obligations, contacts, evidence and outcomes. Every write is checked against the rules and written with its audit entry. Writes must name the acting user in the X-Peel-User header: this is identification, not authentication (accounts arrive with the web application). Times are YYYY-MM-DDTHH:MM (no zone; the server's clock is UTC), dates YYYY-MM-DD. Records that change carry a `version`: a write names the version it read and is refused 409 if the record has changed since.",
            "license": {"name": "Apache-2.0"},
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "peelUser": {
                    "type": "apiKey", "in": "header", "name": "X-Peel-User",
                    "description": "The acting user's name, trusted as sent (no authentication yet).",
                }
            },
            "schemas": schemas(),
        },
    })
}

pub(crate) fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(crate) fn array_of(name: &str) -> Value {
    json!({"type": "array", "items": schema(name)})
}

pub(crate) fn date() -> Value {
    json!({"type": "string", "format": "date", "example": "2026-11-23"})
}

fn time() -> Value {
    json!({"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$", "example": "2026-11-23T09:30",
           "description": "YYYY-MM-DDTHH:MM"})
}

fn nullable(mut v: Value) -> Value {
    if v.get("$ref").is_some() {
        return json!({"allOf": [v], "nullable": true});
    }
    v["nullable"] = json!(true);
    v
}

fn string() -> Value {
    json!({"type": "string"})
}

fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}

fn boolean() -> Value {
    json!({"type": "boolean"})
}

fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

fn one_of_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Value {
    json!({"type": "string", "enum": words.into_iter().collect::<Vec<_>>()})
}

fn words_of(words: impl IntoIterator<Item = &'static str>) -> Value {
    json!({"type": "array", "items": one_of_words(words)})
}

fn described(mut v: Value, description: &str) -> Value {
    v["description"] = json!(description);
    v
}

/// An object schema: `required` names the fields a request must send (a response always
/// carries every property, `null` where empty).
fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

fn with(mut base: Value, extra: Value) -> Value {
    let props = base["properties"].as_object_mut().unwrap();
    for (k, v) in extra.as_object().unwrap() {
        props.insert(k.clone(), v.clone());
    }
    base
}

fn person_details() -> Value {
    object(
        &["name"],
        json!({
            "name": string(),
            "date_of_birth": nullable(date()),
            "sex": nullable(string()),
            "ethnicity": nullable(described(string(), "Self-defined ethnicity.")),
            "vulnerabilities": described(strings(), "Vulnerability markers: mental-disorder, learning-disability, physical-disability, intimidated, …"),
            "is_business": described(boolean(), "A business or organisation as victim."),
        }),
    )
}

fn new_site() -> Value {
    object(
        &["organisation", "organisation_kind", "name"],
        json!({
            "organisation": described(string(), "The organisation's name; created if new."),
            "organisation_kind": one_of_words(["hospital", "business", "partner", "other"]),
            "name": string(),
            "address": nullable(string()),
            "latitude": nullable(json!({"type": "number", "minimum": -90, "maximum": 90})),
            "longitude": nullable(json!({"type": "number", "minimum": -180, "maximum": 180})),
            "lsoa_code": nullable(string()),
            "neighbourhood_unit": nullable(string()),
            "impact_area": nullable(string()),
        }),
    )
}

fn new_contact() -> Value {
    json!({
        "crime": int(),
        "person": int(),
        "at": time(),
        "method": string(),
        "by_whom": string(),
        "notes": string(),
        "meets": {"type": "array", "items": int()},
    })
}

fn schemas() -> Value {
    let level = one_of_words(["low", "medium", "high"]);
    let decisions = RecordingDecision::WORDS.iter().map(|(w, _)| *w);
    let events = Event::WORDS.iter().map(|(w, _)| *w);
    let reasons = CANCELLATION_REASONS.iter().map(|(w, ..)| *w);
    let roles = Role::WORDS.iter().map(|(w, _)| *w);
    let case_themes = CaseTheme::WORDS.iter().map(|(w, _)| *w);
    let serious = SeriousCrime::TABLE.iter().map(|(w, ..)| *w);
    let outcomes = OUTCOME_TYPES.iter().map(|o| o.code);
    let mut all = json!({
        "Error": object(&["error", "code"], json!({
            "error": described(string(), "What is wrong, for a person to read."),
            "code": one_of_words(["bad_request", "unauthenticated", "not_found", "no_route", "method_not_allowed",
                "conflict", "refused", "payload_too_large", "unsupported_media_type", "invalid", "internal", "unavailable"]),
            "field": described(string(), "The input field at fault (422), or serde's path to it (400)."),
        })),
        "Health": object(&["status"], json!({"status": one_of_words(["ok"])})),
        "PersonDetails": person_details(),
        "Person": with(object(&["id", "name"], json!({"id": int()})), person_details()["properties"].clone()),
        "PersonRef": described(json!({"oneOf": [
            object(&["New"], json!({"New": schema("PersonDetails")})),
            object(&["Existing"], json!({"Existing": described(int(), "The id of a person already on record.")})),
        ]}), "A new person, {\"New\": {…}}, or one on record, {\"Existing\": id}."),
        "NewSite": new_site(),
        "Site": with(object(&["id", "organisation_id", "organisation", "organisation_kind", "name"],
            json!({"id": int(), "organisation_id": int()})), new_site()["properties"].clone()),
        "ReportInput": object(&["channel", "kind", "account"], json!({
            "channel": one_of_words(["999", "101", "online", "partner-portal", "officer"]),
            "kind": one_of_words(["crime", "incident", "intelligence"]),
            "reported_at": nullable(described(time(), "When reported; default now. Not in the future.")),
            "reporter": nullable(schema("PersonDetails")),
            "site": nullable(described(int(), "The site reported from.")),
            "location": nullable(string()),
            "place": described(schema("Place"), "Where it happened, where known: coordinates as a pair, LSOA, unit, Impact Area."),
            "account": described(string(), "What happened, in the reporter's words."),
        })),
        "Report": object(&["id", "reference", "channel", "kind", "reported_at", "reporter", "site", "location", "place", "account", "created_by", "incident"], json!({
            "id": int(),
            "reference": described(string(), "RPT-YYYY-NNNNNN"),
            "channel": string(),
            "kind": string(),
            "reported_at": time(),
            "reporter": nullable(described(int(), "The reporter's person id.")),
            "site": nullable(int()),
            "location": nullable(string()),
            "place": schema("Place"),
            "account": string(),
            "created_by": string(),
            "incident": nullable(described(int(), "The incident opened; null for intelligence.")),
        })),
        "Level": level,
        "Thrive": object(&["threat", "harm", "risk", "investigation", "vulnerability", "engagement"], json!({
            "threat": schema("Level"),
            "harm": schema("Level"),
            "risk": schema("Level"),
            "investigation": boolean(),
            "vulnerability": boolean(),
            "engagement": boolean(),
        })),
        "Incident": object(&["id", "reference", "report", "opened_at", "decision_due", "status", "decided_at", "decided_by",
            "thrive", "grade", "team", "allocation_reason", "version"], json!({
            "id": int(),
            "reference": string(),
            "report": int(),
            "opened_at": time(),
            "decision_due": described(time(), "24 hours after the report."),
            "status": described(string(), "open, crime, a non-crime decision, or transferred."),
            "decided_at": nullable(time()),
            "decided_by": nullable(string()),
            "thrive": nullable(schema("Thrive")),
            "grade": nullable(string()),
            "team": nullable(string()),
            "allocation_reason": nullable(string()),
            "version": int(),
        })),
        "TriageInput": object(&["version", "thrive"], json!({
            "version": described(int(), "The incident's version as read."),
            "thrive": schema("Thrive"),
            "themes": described(words_of(case_themes), "Case themes for allocation."),
        })),
        "VictimOffences": object(&["person", "offence_codes"], json!({
            "person": schema("PersonRef"),
            "offence_codes": described(strings(), "Home Office offence codes of every offence against this victim; the most serious is recorded."),
            "themes": described(words_of(serious), "Victims' Code most-serious-crime themes."),
            "flags": described(strings(), "domestic-abuse, hate-crime:<strand>, business-crime, retail-worker, hospital-site, …"),
            "age_at_offence": nullable(described(json!({"type": "integer", "minimum": 0}), "When no date of birth is known.")),
            "bereaved_close_relative": boolean(),
        })),
        "DecisionInput": object(&["version", "decision"], json!({
            "version": described(int(), "The incident's version as read."),
            "decision": one_of_words(decisions),
            "victims": described(json!({"type": "array", "items": schema("VictimOffences")}), "For a crime decision: each victim with the offences against them (one crime each)."),
            "team": nullable(string()),
            "officer": nullable(string()),
        })),
        "Crime": object(&["id", "reference", "incident", "offence_code", "status", "recorded_at", "recorded_by", "flags",
            "team", "officer", "outcome", "outcome_at", "cancellation", "version"], json!({
            "id": int(),
            "reference": described(string(), "CRM-YYYY-NNNNNN"),
            "incident": int(),
            "offence_code": described(string(), "The Home Office offence code (the principal offence)."),
            "status": one_of_words(["recorded", "cancelled"]),
            "recorded_at": time(),
            "recorded_by": string(),
            "flags": strings(),
            "team": nullable(string()),
            "officer": nullable(string()),
            "outcome": nullable(described(string(), "Home Office outcome type.")),
            "outcome_at": nullable(time()),
            "cancellation": nullable(json!({"type": "object", "properties": {
                "reason": string(), "detail": string(), "decided_by": string(), "role": string(), "at": time(),
            }})),
            "version": int(),
        })),
        "DecisionResult": object(&["incident", "crimes"], json!({
            "incident": schema("Incident"),
            "crimes": described(array_of("Crime"), "One per victim; none for a non-crime decision."),
        })),
        "CrimePerson": object(&["person", "role", "enhanced", "enhanced_reasons"], json!({
            "person": schema("Person"),
            "role": one_of_words(["victim", "suspect", "witness"]),
            "enhanced": described(boolean(), "Eligible for enhanced services under the Victims' Code."),
            "enhanced_reasons": strings(),
        })),
        "Obligation": object(&["id", "crime", "person", "entitlement", "right_no", "description", "due", "met_at", "met_by"], json!({
            "id": int(),
            "crime": int(),
            "person": int(),
            "entitlement": described(string(), "The Victims' Code entitlement key."),
            "right_no": json!({"type": "integer", "minimum": 1, "maximum": 12}),
            "description": string(),
            "due": nullable(described(string(), "A date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM); null where the Code sets no time.")),
            "met_at": nullable(time()),
            "met_by": nullable(described(int(), "The contact that met it.")),
        })),
        "ContactInput": object(&["person", "method"], json!({
            "person": described(int(), "A person on the crime."),
            "method": one_of_words(["phone", "visit", "letter", "email", "sms", "video"]),
            "at": nullable(described(time(), "Default now; not in the future.")),
            "notes": string(),
            "meets": described(json!({"type": "array", "items": int()}), "Ids of the open obligations to this person the contact meets."),
        })),
        "Contact": object(&["id", "crime", "person", "at", "method", "by_whom", "notes", "meets"],
            with(json!({"properties": {"id": int()}}), new_contact())["properties"].clone()),
        "EvidenceInput": object(&["kind", "description"], json!({
            "kind": one_of_words(["cctv", "forensic", "statement", "digital", "other"]),
            "description": string(),
            "deadline": nullable(described(date(), "E.g. when CCTV is overwritten.")),
        })),
        "Evidence": object(&["id", "crime", "kind", "description", "deadline", "secured_at", "added_by"], json!({
            "id": int(),
            "crime": int(),
            "kind": string(),
            "description": string(),
            "deadline": nullable(date()),
            "secured_at": nullable(time()),
            "added_by": string(),
        })),
        "CrimeFile": object(&["crime", "people", "obligations", "contacts", "evidence"], json!({
            "crime": schema("Crime"),
            "people": array_of("CrimePerson"),
            "obligations": array_of("Obligation"),
            "contacts": array_of("Contact"),
            "evidence": array_of("Evidence"),
        })),
        "PersonInput": object(&["person", "role"], json!({
            "person": schema("PersonRef"),
            "role": one_of_words(["victim", "suspect", "witness"]),
            "enhanced": described(boolean(), "A victim assessed as eligible for enhanced services."),
        })),
        "EventInput": object(&["event"], json!({
            "event": one_of_words(events),
            "on": nullable(described(date(), "Default today.")),
        })),
        "EventResult": object(&["obligations"], json!({
            "obligations": described(array_of("Obligation"), "The right-6 update owed to each victim."),
        })),
        "OutcomeInput": object(&["version", "outcome"], json!({
            "version": described(int(), "The crime's version as read."),
            "outcome": described(one_of_words(outcomes), "Home Office outcome type."),
            "suspect_identified": nullable(described(boolean(), "Default: whether the crime has a suspect on it.")),
            "suspect_age": nullable(json!({"type": "integer", "minimum": 0})),
            "admission": boolean(),
        })),
        "CancelInput": object(&["version", "reason", "detail", "role"], json!({
            "version": described(int(), "The crime's version as read."),
            "reason": one_of_words(reasons),
            "detail": described(string(), "What the reason needs, e.g. the reference of the crime a duplicate repeats."),
            "role": described(one_of_words(roles), "The canceller's role: only a designated decision maker (ddm) or the Force Crime Registrar (fcr) may cancel."),
            "actor": described(string(), "Optional: the canceller, who must be the acting user (X-Peel-User)."),
        })),
        "AuditEntry": object(&["id", "at", "actor", "entity", "entity_id", "action", "before", "after"], json!({
            "id": int(),
            "at": time(),
            "actor": string(),
            "entity": string(),
            "entity_id": int(),
            "action": string(),
            "before": {"description": "The record before the change (any JSON); null for a creation.", "nullable": true},
            "after": {"description": "The record after the change (any JSON).", "nullable": true},
        })),
        "DecisionDue": object(&["incident", "minutes_left", "overdue"], json!({
            "incident": schema("Incident"),
            "minutes_left": described(int(), "Negative once overdue."),
            "overdue": boolean(),
        })),
        "ObligationDue": object(&["obligation", "crime_reference", "officer", "team", "victim_name", "overdue"], json!({
            "obligation": schema("Obligation"),
            "crime_reference": string(),
            "officer": nullable(string()),
            "team": nullable(string()),
            "victim_name": string(),
            "overdue": boolean(),
        })),
    });
    // Supervisors' and command team's views, kept apart: one json! this size is the macro's
    // recursion limit.
    let more = performance_schemas();
    all.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    all.as_object_mut().unwrap().extend(cancellation_schemas().as_object().unwrap().clone());
    all
}

/// Requests to cancel a crime and their answers.
fn cancellation_schemas() -> Value {
    let reasons = CANCELLATION_REASONS.iter().map(|(w, ..)| *w);
    let roles = Role::WORDS.iter().map(|(w, _)| *w);
    let request = json!({
        "id": int(),
        "crime": int(),
        "reason": string(),
        "detail": string(),
        "requested_by": string(),
        "requested_at": time(),
        "status": one_of_words(["pending", "cancelled", "refused"]),
        "decided_by": nullable(string()),
        "decided_at": nullable(time()),
        "note": nullable(described(string(), "The decision maker's note: why refused, or what the cancellation rests on.")),
    });
    json!({
        "CancelRequestInput": object(&["version", "reason", "detail"], json!({
            "version": described(int(), "The crime's version as read."),
            "reason": one_of_words(reasons),
            "detail": described(string(), "What the reason rests on, as the cancellation itself needs it."),
        })),
        "CancelRequest": object(&["id", "crime", "reason", "detail", "requested_by", "requested_at", "status"], request),
        "PendingCancelRequest": object(&["request", "crime_reference", "offence_code"], json!({
            "request": schema("CancelRequest"),
            "crime_reference": string(),
            "offence_code": string(),
            "team": nullable(string()),
            "officer": nullable(string()),
        })),
        "RefuseCancellation": object(&["role", "note"], json!({
            "role": described(one_of_words(roles), "Only a designated decision maker (ddm) or the Force Crime Registrar (fcr)."),
            "note": described(string(), "Why the request is refused: the requester sees it."),
        })),
    })
}

fn performance_schemas() -> Value {
    json!({
        "Place": object(&[], json!({
            "latitude": nullable(json!({"type": "number", "minimum": -90, "maximum": 90})),
            "longitude": nullable(json!({"type": "number", "minimum": -180, "maximum": 180})),
            "lsoa_code": nullable(described(string(), "2011 LSOA code, E01 or W01 and six digits.")),
            "neighbourhood_unit": nullable(string()),
            "impact_area": nullable(string()),
        })),
        "FraudTriageInput": object(&["person"], json!({
            "person": described(int(), "A victim on the crime."),
            "romance_fraud": boolean(),
            "age": nullable(json!({"type": "integer", "minimum": 0})),
            "ndm_score": nullable(described(json!({"type": "integer", "minimum": 0, "maximum": 35}), "National Decision Model vulnerability score, 0-35.")),
        })),
        "FraudTriageResult": object(&["refer", "reasons", "referral"], json!({
            "refer": boolean(),
            "reasons": strings(),
            "referral": nullable(schema("Obligation")),
        })),
        "ReviewInput": object(&["kind", "text"], json!({
            "kind": one_of_words(["plan", "review"]),
            "text": string(),
            "next_review_due": nullable(described(date(), "Default: 28 days on; not in the past.")),
        })),
        "Review": object(&["id", "crime", "kind", "text", "author", "at", "next_review_due"], json!({
            "id": int(),
            "crime": int(),
            "kind": string(),
            "text": string(),
            "author": string(),
            "at": time(),
            "next_review_due": nullable(date()),
        })),
        "ReviewStatus": object(&["crime", "reference", "officer", "team", "recorded_at", "plan_at", "next_review_due"], json!({
            "crime": int(),
            "reference": string(),
            "officer": nullable(string()),
            "team": nullable(string()),
            "recorded_at": time(),
            "plan_at": nullable(time()),
            "next_review_due": nullable(date()),
        })),
        "ReviewDue": object(&["status", "what", "due", "overdue"], json!({
            "status": schema("ReviewStatus"),
            "what": one_of_words(["investigation plan", "supervisor review"]),
            "due": date(),
            "overdue": boolean(),
        })),
        "MeetingItem": object(&["crime", "reference", "offence_code", "team", "reasons"], json!({
            "crime": int(),
            "reference": string(),
            "offence_code": string(),
            "team": nullable(string()),
            "reasons": described(strings(), "Why the crime is on the list: high risk, vulnerable victim, repeat victim, domestic abuse suspect outstanding."),
        })),
        "OutstandingSuspect": object(&["crime", "reference", "score", "days_outstanding", "why"], json!({
            "crime": int(),
            "reference": string(),
            "score": described(json!({"type": "number"}), "threat×10 + risk×10 + 10·log10(1 + CCHI days) + 15 if a victim is vulnerable + 1 a week outstanding."),
            "days_outstanding": int(),
            "why": string(),
        })),
        "Compliance": object(&["due", "met_on_time", "met_late", "unmet"], json!({
            "due": int(),
            "met_on_time": int(),
            "met_late": int(),
            "unmet": int(),
        })),
        "ComplianceReport": object(&["overall", "by_right", "by_team", "by_offence_group", "by_month"], json!({
            "overall": schema("Compliance"),
            "by_right": described(map_of("Compliance"), "By right number; 0 is the force's five-step standard."),
            "by_team": map_of("Compliance"),
            "by_offence_group": map_of("Compliance"),
            "by_month": described(map_of("Compliance"), "By month of recording, YYYY-MM."),
        })),
        "OutcomeRate": object(&["crimes", "positive", "rate"], json!({
            "crimes": int(),
            "positive": int(),
            "rate": nullable(json!({"type": "number"})),
        })),
    })
}

fn map_of(name: &str) -> Value {
    json!({"type": "object", "additionalProperties": schema(name)})
}
