//! The JSON API over real HTTP on loopback: a server on 127.0.0.1:0 over a temporary SQLite
//! file with a clock the test sets, and a small HTTP/1.1 client over `TcpStream`. Every
//! response is checked against the OpenAPI document's schema for its route and status, so
//! the document (generated from the handlers and types) cannot drift from what the API sends.

use peel_domain::date::Timestamp;
use peel_http::{AppState, CaseStore, Pool};
use peel_store::SqliteStore;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

struct Server {
    addr: SocketAddr,
    clock: Arc<AtomicI64>,
    doc: Value,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn field(&self) -> Option<&str> {
        self.body["field"].as_str()
    }
    fn code(&self) -> Option<&str> {
        self.body["code"].as_str()
    }
}

fn minutes(t: &str) -> i64 {
    Timestamp::parse(t).unwrap().minutes_since_epoch()
}

/// The test plays the part of peel-web's gate, which signs the caller in and hands the API
/// the account's username as the [`peel_http::Actor`]: here the test names the actor in a
/// header of its own. (Signing in, roles and scopes are peel-web's tests; these are the API's.)
const TEST_ACTOR: &str = "x-test-actor";

async fn play_the_gate(mut req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    if let Some(actor) = req.headers().get(TEST_ACTOR).and_then(|v| v.to_str().ok()).map(str::to_string) {
        req.extensions_mut().insert(peel_http::Actor(actor));
    }
    next.run(req).await
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peel.db");
        let pool = Pool::new(3, move || Ok(Box::new(SqliteStore::open(&path)?) as Box<dyn CaseStore + Send>)).unwrap();
        let clock = Arc::new(AtomicI64::new(minutes("2026-11-23T09:05")));
        let c = clock.clone();
        let state = AppState::new(pool).with_clock(move || Timestamp::from_minutes(c.load(Ordering::SeqCst)));
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = peel_http::router(state).layer(axum::middleware::from_fn(play_the_gate));
        runtime.spawn(async move { axum::serve(listener, app).await });
        Server { addr, clock, doc: peel_http::openapi(), _runtime: runtime, _dir: dir }
    }

    fn set_time(&self, t: &str) {
        self.clock.store(minutes(t), Ordering::SeqCst);
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Response {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or_default();
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut content = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            content = dechunk(&content);
        }
        let body =
            if content.is_empty() { Value::Null } else { serde_json::from_slice(&content).expect("a JSON body") };
        let response = Response { status, headers, body };
        self.check_against_document(method, path, &response);
        response
    }

    fn get(&self, path: &str) -> Response {
        self.send("GET", path, &[], None)
    }

    fn post(&self, path: &str, user: &str, body: &Value) -> Response {
        let body = serde_json::to_vec(body).unwrap();
        self.send("POST", path, &[("Content-Type", "application/json"), (TEST_ACTOR, user)], Some(&body))
    }

    /// The response's body conforms to the schema the document gives for its route and status.
    fn check_against_document(&self, method: &str, path: &str, response: &Response) {
        let path = path.split('?').next().unwrap();
        let Some(template) = peel_http::routes().into_iter().map(|(_, p)| p).find(|t| matches_template(t, path)) else {
            return; // not a route: the 404 fallback
        };
        let Some(op) = self.doc["paths"][&template].get(method.to_ascii_lowercase()) else {
            return; // not a method of the route: the 405 fallback
        };
        let Some(documented) = op["responses"].get(response.status.to_string()) else {
            panic!(
                "{method} {template} answered {} which the document does not list: {:?}",
                response.status, response.body
            )
        };
        let schema = &documented["content"]["application/json"]["schema"];
        if let Err(e) = conforms(&self.doc, schema, &response.body, "body") {
            panic!(
                "{method} {template} {}: the body does not fit the document: {e}\n{:#}",
                response.status, response.body
            );
        }
    }
}

fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t == p || t.starts_with('{'))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// A small OpenAPI 3.1 (JSON Schema) check: $ref, allOf, oneOf, type (one or a list, with
/// "null"), enum, required, properties (no undeclared ones in an object that declares its
/// properties: across the branches of an allOf, which is how serde's flatten is described),
/// additionalProperties, propertyNames, items.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    fits(doc, schema, value, at, true)
}

/// `closed`: whether a property the schema does not declare is an error here (not within one
/// branch of an allOf, whose other branches may declare it).
fn fits(doc: &Value, schema: &Value, value: &Value, at: &str, closed: bool) -> Result<(), String> {
    let schema = resolve(doc, schema, at)?;
    if let Some(all) = schema["allOf"].as_array() {
        all.iter().try_for_each(|s| fits(doc, s, value, at, false))?;
        if let (true, Some(object)) = (closed, value.as_object()) {
            let mut declared = Vec::new();
            for s in all {
                declared.extend(resolve(doc, s, at)?["properties"].as_object().into_iter().flat_map(|p| p.keys()));
            }
            if let Some(k) = object.keys().find(|k| !declared.contains(k)) {
                return Err(format!("{at}: property {k} is not in the document"));
            }
        }
        return Ok(());
    }
    if let Some(any) = schema["oneOf"].as_array() {
        let fit = any.iter().filter(|s| fits(doc, s, value, at, closed).is_ok()).count();
        return if fit == 1 { Ok(()) } else { Err(format!("{at}: {value} fits {fit} of oneOf")) };
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not in {allowed:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![], // any value, null too
    };
    let is = |t: &str| match t {
        "null" => Ok(value.is_null()),
        "string" => Ok(value.is_string()),
        "integer" => Ok(value.is_i64() || value.is_u64()),
        "number" => Ok(value.is_number()),
        "boolean" => Ok(value.is_boolean()),
        "array" => Ok(value.is_array()),
        "object" => Ok(value.is_object()),
        other => Err(format!("{at}: unknown type {other}")),
    };
    let mut ok = types.is_empty();
    for t in &types {
        ok |= is(t)?;
    }
    if !ok {
        let what = if value.is_null() {
            "null where not nullable".to_string()
        } else {
            format!("{value} is not a {}", schema["type"])
        };
        return Err(format!("{at}: {what}"));
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, v) in values.iter().enumerate() {
            conforms(doc, items, v, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(name.as_str().unwrap()) {
                return Err(format!("{at}: missing required {name}"));
            }
        }
        let props = schema["properties"].as_object();
        let more = schema.get("additionalProperties").filter(|s| s.is_object());
        for (k, v) in object {
            if let Some(names) = schema.get("propertyNames") {
                conforms(doc, names, &json!(k), &format!("{at} (the name {k:?})"))?;
            }
            match (props.and_then(|p| p.get(k)), more) {
                (Some(s), _) | (None, Some(s)) => conforms(doc, s, v, &format!("{at}.{k}"))?,
                (None, None) if props.is_some() && closed => {
                    return Err(format!("{at}: property {k} is not in the document"))
                }
                (None, None) => {}
            }
        }
    }
    Ok(())
}

/// The schema a `$ref` names (OpenAPI 3.1 allows words beside a `$ref`, like `description`:
/// they do not constrain).
fn resolve<'d>(doc: &'d Value, schema: &'d Value, at: &str) -> Result<&'d Value, String> {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name =
                r.strip_prefix("#/components/schemas/").ok_or(format!("{at}: a $ref outside the schemas: {r}"))?;
            let target = doc["components"]["schemas"].get(name).ok_or(format!("{at}: no schema {name}"))?;
            resolve(doc, target, at)
        }
        None => Ok(schema),
    }
}

fn site(s: &Server) -> i64 {
    let r = s.post(
        "/api/sites",
        "admin:jo",
        &json!({
            "organisation": "Heartlands Hospital Trust",
            "organisation_kind": "hospital",
            "name": "Heartlands Hospital, emergency department",
            "place": {"latitude": 52.478, "longitude": -1.812, "neighbourhood_unit": "Birmingham East"},
        }),
    );
    assert_eq!(r.status, 201, "{r:?}");
    // No gazetteer in this store: the point is put on the grid (52.478 N 1.812 W is 412,866 E
    // 286,691 N), the unit named stands.
    let place = &r.body["place"];
    assert_eq!(place["neighbourhood_unit"], "Birmingham East", "{place}");
    let (e, n) = (place["easting"].as_f64().unwrap(), place["northing"].as_f64().unwrap());
    assert_eq!((e.round(), n.round()), (412_866.0, 286_691.0), "{place}");
    r.body["id"].as_i64().unwrap()
}

fn partner_report(s: &Server, site: i64) -> Value {
    let r = s.post(
        "/api/reports",
        "partner:avery",
        &json!({
            "channel": "partner-portal",
            "kind": "crime",
            "reported_at": "2026-11-23T09:00",
            "reporter": {"name": "Nurse Avery Example"},
            "site": site,
            "location": "Ward 4",
            "account": "A patient punched a nurse, causing a cut lip.",
        }),
    );
    assert_eq!(r.status, 201, "{r:?}");
    r.body
}

fn thrive() -> Value {
    json!({"threat": "High", "harm": "Medium", "risk": "Low", "investigation": true, "vulnerability": false, "engagement": true})
}

fn victim(name: &str, dob: Option<&str>, codes: &[&str]) -> Value {
    json!({
        "person": {"New": {"name": name, "date_of_birth": dob}},
        "offence_codes": codes,
        "flags": ["hospital-site"],
    })
}

/// A report, decided a crime against one victim; answers (incident, crime) as JSON.
fn one_crime(s: &Server) -> (Value, Value) {
    let site = site(s);
    let report = partner_report(s, site);
    let incident = s.get(&format!("/api/incidents/{}", report["incident"])).body;
    s.set_time("2026-11-23T12:00");
    let r = s.post(
        &format!("/api/incidents/{}/decision", incident["id"]),
        "registrar:sam",
        &json!({"version": incident["version"], "decision": "crime",
                "victims": [victim("Nurse Avery Example", Some("1990-05-01"), &["8N"])],
                "officer": "pc:morgan"}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    (r.body["incident"].clone(), r.body["crimes"][0].clone())
}

#[test]
fn healthz_answers_ok_once_the_store_answers() {
    let s = Server::start();
    let r = s.get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"status": "ok"}));
    assert!(r.header("content-type").unwrap().starts_with("application/json"));
}

#[test]
fn partner_report_to_triage_decision_event_obligation_and_contact() {
    let s = Server::start();
    let site = site(&s);
    assert_eq!(s.get("/api/sites").body.as_array().unwrap().len(), 1);

    // A partner reports; an incident opens with its 24-hour clock.
    let report = partner_report(&s, site);
    assert!(report["reference"].as_str().unwrap().starts_with("RPT-2026-"));
    assert_eq!(report["created_by"], "partner:avery");
    assert_eq!(s.get(&format!("/api/reports/{}", report["id"])).body, report);
    assert_eq!(s.get(&format!("/api/sites/{site}/reports")).body, json!([report.clone()]));
    let incident_id = report["incident"].as_i64().unwrap();
    let due = s.get("/api/worklists/decisions").body;
    assert_eq!(due[0]["incident"]["id"], incident_id);
    assert_eq!(due[0]["minutes_left"], 24 * 60 - 5, "reported 09:00, now 09:05");
    assert_eq!(due[0]["overdue"], false);

    // Triage.
    let incident = s.get(&format!("/api/incidents/{incident_id}")).body;
    assert_eq!(incident["decision_due"], "2026-11-24T09:00");
    let r = s.post(
        &format!("/api/incidents/{incident_id}/triage"),
        "cst:lee",
        &json!({"version": incident["version"], "thrive": thrive(), "themes": ["domestic-abuse"]}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body["grade"].is_string() && r.body["team"].is_string());
    assert_eq!(r.body["version"], incident["version"].as_i64().unwrap() + 1);

    // The decision: two victims, one crime each, the principal offence for each.
    s.set_time("2026-11-23T12:00");
    let r = s.post(
        &format!("/api/incidents/{incident_id}/decision"),
        "registrar:sam",
        &json!({
            "version": r.body["version"],
            "decision": "crime",
            "victims": [
                victim("Nurse Avery Example", Some("1990-05-01"), &["58A", "8N"]),
                victim("Jordan Sample", Some("2010-06-01"), &["105A"]),
            ],
            "team": "Birmingham East local investigation",
            "officer": "pc:morgan",
        }),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["incident"]["status"], "crime");
    let crimes = r.body["crimes"].as_array().unwrap();
    assert_eq!(crimes.len(), 2);
    assert_eq!(crimes[0]["offence_code"], "8N", "assault with injury outranks criminal damage");
    assert_eq!(crimes[1]["offence_code"], "105A");
    assert_eq!(crimes[0]["recorded_by"], "registrar:sam");
    let crime = crimes[0]["id"].as_i64().unwrap();
    let youth = s.get(&format!("/api/crimes/{}", crimes[1]["id"])).body;
    assert_eq!(youth["people"][0]["enhanced"], true, "a victim under 18 is enhanced");
    assert_eq!(s.get(&format!("/api/incidents/{incident_id}")).body["status"], "crime");

    // An arrest owes the (standard) victim an update within 5 working days: Mon 23 → Mon 30
    // (Victims' Code right 6); and step 4 of the force's five-step standard, 5 days: Sat 28.
    s.set_time("2026-11-23T18:00");
    let r =
        s.post(&format!("/api/crimes/{crime}/events"), "pc:morgan", &json!({"event": "arrest", "on": "2026-11-23"}));
    assert_eq!(r.status, 201, "{r:?}");
    let obligations = r.body["obligations"].as_array().unwrap();
    assert_eq!(obligations.len(), 2);
    assert_eq!((obligations[0]["right_no"].as_i64(), obligations[0]["due"].as_str()), (Some(6), Some("2026-11-30")));
    assert_eq!(obligations[1]["entitlement"], "five-step-4");
    assert_eq!(obligations[1]["due"], "2026-11-28");
    let obligation = obligations[0]["id"].as_i64().unwrap();

    // On the officer's worklist, due (not overdue) on the 30th, overdue after.
    let list = s.get("/api/worklists/obligations?on=2026-11-30&officer=pc%3Amorgan").body;
    let line = list.as_array().unwrap().iter().find(|d| d["obligation"]["id"] == obligation).expect("on the worklist");
    assert_eq!(line["overdue"], false);
    assert_eq!(line["victim_name"], "Nurse Avery Example");
    let others = s.get("/api/worklists/obligations?on=2026-11-30&officer=pc%3Aother").body;
    assert_eq!(others, json!([]));
    let later = s.get("/api/worklists/obligations?on=2026-12-01").body;
    assert!(later.as_array().unwrap().iter().any(|d| d["obligation"]["id"] == obligation && d["overdue"] == true));

    // A phone call meets it.
    s.set_time("2026-11-24T10:05");
    let file = s.get(&format!("/api/crimes/{crime}")).body;
    let victim_id = file["people"][0]["person"]["id"].as_i64().unwrap();
    let r = s.post(
        &format!("/api/crimes/{crime}/contacts"),
        "pc:morgan",
        &json!({"person": victim_id, "method": "phone", "at": "2026-11-24T10:00",
                "notes": "Told of the arrest; bail conditions explained.", "meets": [obligation]}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let contact = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["by_whom"], "pc:morgan");

    let file = s.get(&format!("/api/crimes/{crime}")).body;
    let met = file["obligations"].as_array().unwrap().iter().find(|o| o["id"] == obligation).unwrap();
    assert_eq!(met["met_at"], "2026-11-24T10:00");
    assert_eq!(met["met_by"], contact);
    let later = s.get("/api/worklists/obligations?on=2026-12-01").body;
    assert!(!later.as_array().unwrap().iter().any(|d| d["obligation"]["id"] == obligation), "met: off the worklist");

    // Meeting it again is refused: 409, code refused.
    let r = s.post(
        &format!("/api/crimes/{crime}/contacts"),
        "pc:morgan",
        &json!({"person": victim_id, "method": "phone", "meets": [obligation]}),
    );
    assert_eq!((r.status, r.code()), (409, Some("refused")), "{r:?}");

    // Evidence, and the crime's audit trail with who did what.
    let r = s.post(
        &format!("/api/crimes/{crime}/evidence"),
        "pc:morgan",
        &json!({"kind": "cctv", "description": "Ward 4 corridor camera", "deadline": "2026-12-23"}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(s.get(&format!("/api/crimes/{crime}")).body["evidence"][0]["added_by"], "pc:morgan");
    let trail = s.get(&format!("/api/crimes/{crime}/audit")).body;
    assert_eq!(trail[0]["action"], "record");
    assert_eq!(trail[0]["actor"], "registrar:sam");

    // Compliance as it stood on 1 December: the right-6 update was met on time (24 Nov).
    let c = s.get("/api/performance/compliance?from=2026-11-01&to=2026-11-30&as_of=2026-12-01");
    assert_eq!(c.status, 200, "{c:?}");
    assert_eq!(c.body["by_right"]["6"]["met_on_time"], 1);
    assert!(c.body["overall"]["due"].as_i64().unwrap() > c.body["overall"]["met_on_time"].as_i64().unwrap());
    let bad = s.get("/api/performance/compliance?from=2026-11-30&to=2026-11-01");
    assert_eq!((bad.status, bad.body["field"].as_str()), (422, Some("to")));
    // The investigation plan: due two days after recording, then the supervisor's reviews.
    let due = s.get("/api/worklists/reviews?on=2026-11-30").body;
    assert!(due
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["status"]["crime"] == crime && d["what"] == "investigation plan" && d["overdue"] == true));
    let r = s.post(
        &format!("/api/crimes/{crime}/reviews"),
        "pc:morgan",
        &json!({"kind": "plan", "text": "CCTV; statements."}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["author"], "pc:morgan");
    let r = s.post(&format!("/api/crimes/{crime}/reviews"), "sgt:ash", &json!({"kind": "memo", "text": "x"}));
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("kind")));
    assert_eq!(s.get(&format!("/api/crimes/{crime}/reviews")).body.as_array().unwrap().len(), 1);
    assert_eq!(s.get("/api/crimes/999999/reviews").status, 404);
    // Fraud triage: an NDM score of 20 refers the victim to the Victim Care Unit.
    let r = s.post(
        &format!("/api/crimes/{crime}/fraud-triage"),
        "vcu:triage",
        &json!({"person": victim_id, "ndm_score": 20}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["refer"], true);
    assert_eq!(r.body["referral"]["entitlement"], "victim-care-unit-referral");
    let r = s.post(
        &format!("/api/crimes/{crime}/fraud-triage"),
        "vcu:triage",
        &json!({"person": victim_id, "ndm_score": 99}),
    );
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("ndm_score")));
    // The youth victim is enhanced: the crime is on the daily management meeting list.
    let meeting = s.get("/api/worklists/meeting?on=2026-11-30").body;
    let youth_crime = &crimes[1]["reference"];
    assert!(meeting.as_array().unwrap().iter().any(|i| &i["reference"] == youth_crime), "{meeting}");
}

#[test]
fn validation_errors_name_the_field() {
    let s = Server::start();
    let report = |body: &[u8], content_type: &str| {
        s.send("POST", "/api/reports", &[("Content-Type", content_type), (TEST_ACTOR, "pc:morgan")], Some(body))
    };
    // A rule broken: 422 with the field.
    let r = report(br#"{"channel": "pigeon", "kind": "crime", "account": "stolen bike"}"#, "application/json");
    assert_eq!((r.status, r.code(), r.field()), (422, Some("invalid"), Some("channel")), "{r:?}");
    assert!(r.body["error"].as_str().unwrap().contains("pigeon"));
    let r = report(
        br#"{"channel": "101", "kind": "crime", "account": "x", "reported_at": "2026-11-24T12:00"}"#,
        "application/json",
    );
    assert_eq!((r.status, r.field()), (422, Some("reported_at")), "in the future: {r:?}");

    // Not JSON: 400 with serde's message.
    let r = report(br#"{"channel": "101", "kind": "crime","#, "application/json");
    assert_eq!((r.status, r.code(), r.field()), (400, Some("bad_request"), None), "{r:?}");
    assert!(r.body["error"].as_str().unwrap().contains("line 1"), "{r:?}");
    // JSON of the wrong shape: 400 with the path to the field.
    let r = report(br#"{"channel": "101", "kind": "crime"}"#, "application/json");
    assert_eq!((r.status, r.field()), (400, Some("account")), "missing: {r:?}");
    let r = report(br#"{"channel": 101, "kind": "crime", "account": "x"}"#, "application/json");
    assert_eq!((r.status, r.field()), (400, Some("channel")), "wrong type: {r:?}");
    let mut bad = thrive();
    bad["threat"] = json!("Severe");
    let r = s.post("/api/incidents/1/triage", "cst:lee", &json!({"version": 1, "thrive": bad}));
    assert_eq!((r.status, r.field()), (400, Some("thrive.threat")), "nested: {r:?}");
    // Not sent as JSON: 415.
    let r = report(br#"{"channel": "101", "kind": "crime", "account": "x"}"#, "text/plain");
    assert_eq!((r.status, r.code()), (415, Some("unsupported_media_type")), "{r:?}");
    // A bad query parameter and a bad path id.
    let r = s.get("/api/worklists/obligations?on=30-11-2026");
    assert_eq!((r.status, r.field()), (422, Some("on")), "{r:?}");
    let r = s.get("/api/crimes/abc");
    assert_eq!((r.status, r.field()), (400, Some("id")), "{r:?}");
    // Nothing was stored.
    assert_eq!(s.get("/api/worklists/decisions").body, json!([]));
}

#[test]
fn a_stale_version_is_a_409_conflict() {
    let s = Server::start();
    let site = site(&s);
    let report = partner_report(&s, site);
    let incident = s.get(&format!("/api/incidents/{}", report["incident"])).body;
    let path = format!("/api/incidents/{}/triage", incident["id"]);
    let triage = json!({"version": incident["version"], "thrive": thrive()});
    assert_eq!(s.post(&path, "cst:lee", &triage).status, 200);
    let r = s.post(&path, "cst:kim", &triage);
    assert_eq!((r.status, r.code()), (409, Some("conflict")), "{r:?}");
    assert!(r.body["error"].as_str().unwrap().contains("reload"), "{r:?}");
    // Deciding twice is refused (the state, not the version): also 409.
    let (incident, _) = one_crime(&s);
    let r = s.post(
        &format!("/api/incidents/{}/decision", incident["id"]),
        "registrar:kim",
        &json!({"version": incident["version"], "decision": "crime",
                "victims": [victim("Someone", None, &["8N"])]}),
    );
    assert_eq!((r.status, r.code()), (409, Some("refused")), "{r:?}");
}

#[test]
fn unknown_records_and_routes_are_404() {
    let s = Server::start();
    for path in
        ["/api/crimes/999", "/api/crimes/999/audit", "/api/incidents/999", "/api/reports/999", "/api/sites/999/reports"]
    {
        let r = s.get(path);
        assert_eq!((r.status, r.code()), (404, Some("not_found")), "{path}: {r:?}");
    }
    let r = s.post("/api/crimes/999/events", "pc:morgan", &json!({"event": "arrest"}));
    assert_eq!((r.status, r.code()), (404, Some("not_found")), "{r:?}");
    assert!(r.body["error"].as_str().unwrap().contains("999"));
    let r = s.get("/api/nothing-here");
    assert_eq!((r.status, r.code()), (404, Some("no_route")), "{r:?}");
    let r = s.send("DELETE", "/api/sites", &[(TEST_ACTOR, "admin")], None);
    assert_eq!((r.status, r.code()), (405, Some("method_not_allowed")), "{r:?}");
}

#[test]
fn a_write_the_gate_did_not_sign_in_is_401_whatever_the_headers_say() {
    let s = Server::start();
    let body = br#"{"channel": "101", "kind": "crime", "account": "stolen bike"}"#;
    // The old identification header names no one any more.
    for headers in [
        &[("Content-Type", "application/json")][..],
        &[("Content-Type", "application/json"), ("X-Peel-User", "chief.constable")],
    ] {
        let r = s.send("POST", "/api/reports", headers, Some(body));
        assert_eq!((r.status, r.code()), (401, Some("unauthenticated")), "{r:?}");
        assert!(r.body["error"].as_str().unwrap().contains("sign in"));
    }
    assert_eq!(s.get("/api/worklists/decisions").body, json!([]), "nothing stored");
}

#[test]
fn openapi_json_lists_every_route_the_router_serves() {
    let s = Server::start();
    let r = s.get("/api/openapi.json");
    assert_eq!(r.status, 200);
    let doc = r.body;
    assert_eq!(doc, s.doc, "the served document is the library's");
    // utoipa 5 generates OpenAPI 3.1 (JSON Schema: `"type": ["string", "null"]` for nullable).
    assert_eq!(doc["openapi"], "3.1.0");
    // Sign-in: a bearer token or the session cookie, for the whole document.
    assert_eq!(doc["security"], json!([{"bearerToken": []}, {"sessionCookie": []}]));
    assert_eq!(doc["components"]["securitySchemes"]["bearerToken"]["scheme"], "bearer");
    assert_eq!(doc["components"]["securitySchemes"]["sessionCookie"]["in"], "cookie");
    let routes = peel_http::routes();
    assert!(routes.len() >= 20, "{routes:?}");
    for (method, path) in &routes {
        let op = &doc["paths"][path][method.to_ascii_lowercase()];
        assert!(op["responses"].is_object(), "{method} {path} is not in the document");
        assert!(op["operationId"].is_string());
        // What the extractors, the pool and the gate answer, on every route that uses them.
        let lists = |statuses: &[&str]| statuses.iter().all(|s| op["responses"][s].is_object());
        // Every route but the document needs a signed-in account, and says what the gate answers.
        if path == "/api/openapi.json" || path == "/healthz" {
            assert_eq!(op["security"], json!([{}]), "{method} {path} is open");
        } else {
            assert!(op.get("security").is_none(), "{method} {path} takes the document's sign-in");
            assert!(lists(&["401", "403"]), "{method} {path}: the gate's answers");
        }
        if path.contains("{id}") {
            assert!(lists(&["400", "404"]), "{method} {path}: a path id is malformed or not found");
        }
        if op.get("requestBody").is_some() {
            assert!(lists(&["400", "413", "415"]), "{method} {path}: a body that is not the route's JSON");
        }
        if path != "/api/openapi.json" {
            assert!(lists(&["503"]), "{method} {path}: no store connection");
        }
    }
    // … and nothing else: every documented operation is a route.
    let documented: usize =
        doc["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(documented, routes.len());
    // Every schema the document refers to exists.
    let text = doc.to_string();
    for name in text.split("#/components/schemas/").skip(1).map(|rest| rest.split('"').next().unwrap()) {
        assert!(doc["components"]["schemas"][name].is_object(), "schema {name} is referred to but missing");
    }
    // Each route is really served (answers from its handler, not the router's fallbacks).
    for (method, path) in &routes {
        let path = path.replace("{id}", "999999");
        let r = match method.as_str() {
            "POST" => s.post(&path, "tester", &json!({})),
            _ => s.get(&path),
        };
        assert!(!matches!(r.code(), Some("no_route" | "method_not_allowed")), "{method} {path}: {r:?}");
    }
}

#[test]
fn a_charge_without_a_suspect_is_422_suspect_identified() {
    let s = Server::start();
    let (_, crime) = one_crime(&s);
    let path = format!("/api/crimes/{}/outcome", crime["id"]);
    let charge = json!({"version": crime["version"], "outcome": "1"});
    let r = s.post(&path, "pc:morgan", &charge);
    assert_eq!((r.status, r.field()), (422, Some("suspect_identified")), "{r:?}");
    // With a suspect on the crime the charge stands.
    let r = s.post(
        &format!("/api/crimes/{}/people", crime["id"]),
        "pc:morgan",
        &json!({"person": {"New": {"name": "Casey Placeholder", "date_of_birth": "1985-01-01"}}, "role": "suspect"}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let r = s.post(&path, "pc:morgan", &charge);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["outcome"], "1");
}

#[test]
fn cancellation_by_an_officer_is_422_decided_by() {
    let s = Server::start();
    let (_, crime) = one_crime(&s);
    let path = format!("/api/crimes/{}/cancel", crime["id"]);
    let mut cancel =
        json!({"version": crime["version"], "reason": "duplicate", "detail": "CRM-2026-000001", "role": "officer"});
    let r = s.post(&path, "pc:morgan", &cancel);
    assert_eq!((r.status, r.field()), (422, Some("decided_by")), "{r:?}");
    assert_eq!(s.get(&format!("/api/crimes/{}", crime["id"])).body["crime"]["status"], "recorded", "nothing changed");
    // The canceller is the acting user; naming someone else is refused.
    cancel["role"] = json!("ddm");
    cancel["actor"] = json!("ddm:someone-else");
    let r = s.post(&path, "ddm:patel", &cancel);
    assert_eq!((r.status, r.field()), (422, Some("actor")), "{r:?}");
    cancel.as_object_mut().unwrap().remove("actor");
    let r = s.post(&path, "ddm:patel", &cancel);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(r.body["cancellation"]["decided_by"], "ddm:patel");
}

/// The check above is strict where the generated document has to be right: a flattened
/// record (`Person` is `PersonDetails` and an `id`) takes no property neither part declares
/// and needs the fields of both; null only where a field is an `Option`.
#[test]
fn the_conformance_check_rejects_what_the_document_does_not_describe() {
    let doc = peel_http::openapi();
    let person = json!({"$ref": "#/components/schemas/Person"});
    let ok = json!({"id": 1, "name": "Avery", "date_of_birth": null, "sex": null, "ethnicity": null,
                    "vulnerabilities": [], "is_business": false});
    assert_eq!(conforms(&doc, &person, &ok, "person"), Ok(()));
    let mut extra = ok.clone();
    extra["nickname"] = json!("Av");
    assert!(conforms(&doc, &person, &extra, "person").unwrap_err().contains("nickname"));
    for field in ["id", "name"] {
        let mut missing = ok.clone();
        missing.as_object_mut().unwrap().remove(field);
        assert!(conforms(&doc, &person, &missing, "person").unwrap_err().contains(field));
        let mut null = ok.clone();
        null[field] = Value::Null;
        assert!(conforms(&doc, &person, &null, "person").is_err(), "{field} null");
    }
    let list = json!({"type": "array", "items": {"$ref": "#/components/schemas/ErrorBody"}});
    assert_eq!(conforms(&doc, &list, &json!([{"error": "x", "code": "refused"}]), "errors"), Ok(()));
    assert!(conforms(&doc, &list, &json!([{"error": "x", "code": "nope"}]), "errors").is_err());
    assert!(conforms(&doc, &list, &json!([{"error": "x", "code": "refused", "field": 1}]), "errors").is_err());
}
