//! The `Idempotency-Key` header, on both stores: a retried write is made once and answered
//! the same; a key reused for another body or route is refused; concurrent duplicates write
//! once; a write whose answer was lost (the process stopped between the two) is never made
//! again. Requests go through the API's router itself (`oneshot`), over a pool of real
//! stores: a SQLite file, and a PostgreSQL schema of its own at `PEEL_TEST_DATABASE_URL`.

use axum::body::{to_bytes, Body};
use axum::http::Request;
use axum::Router;
use peel_domain::date::Timestamp;
use peel_http::{AppState, CaseStore, Pool};
use peel_store::{IdempotencyClaim, PostgresStore, SqliteStore};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

const START: &str = "2026-11-23T09:05";

fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A store kind under test: opens connections to one store, and drops a PostgreSQL schema
/// when the test ends.
struct Backing {
    name: &'static str,
    open: Arc<dyn Fn() -> Box<dyn CaseStore> + Send + Sync>,
    schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Backing {
    fn drop(&mut self) {
        if let Some(schema) = &self.schema {
            let _ = PostgresStore::drop_schema(&pg_url(), schema);
        }
    }
}

fn sqlite() -> Backing {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peel.db");
    Backing {
        name: "sqlite",
        open: Arc::new(move || Box::new(SqliteStore::open(&path).unwrap()) as Box<dyn CaseStore>),
        schema: None,
        _dir: Some(dir),
    }
}

fn postgres() -> Backing {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!("peel_idem_{}_{nanos}", std::process::id());
    let (url, s) = (pg_url(), schema.clone());
    let open = move || {
        Box::new(PostgresStore::open_in_schema(&url, &s).unwrap_or_else(|e| {
            panic!("PostgreSQL at {url}: {e} (start it: bash tools/provision, or set PEEL_TEST_DATABASE_URL)")
        })) as Box<dyn CaseStore>
    };
    open(); // creates and migrates the schema once, before the pool's connections race to
    Backing { name: "postgres", open: Arc::new(open), schema: Some(schema), _dir: None }
}

struct Api {
    router: Router,
    clock: Arc<AtomicI64>,
    backing: Backing,
    runtime: tokio::runtime::Runtime,
}

struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

impl Api {
    fn on(backing: Backing) -> Api {
        let open = backing.open.clone();
        let pool = Pool::new(4, move || Ok(open())).unwrap();
        let clock = Arc::new(AtomicI64::new(Timestamp::parse(START).unwrap().minutes_since_epoch()));
        let c = clock.clone();
        let state = AppState::new(pool).with_clock(move || Timestamp::from_minutes(c.load(Ordering::SeqCst)));
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().unwrap();
        Api { router: peel_http::router(state), clock, backing, runtime }
    }

    fn later(&self, minutes: i64) {
        self.clock.fetch_add(minutes, Ordering::SeqCst);
    }

    fn request(path: &str, key: Option<&str>, user: Option<&str>, body: &Value) -> Request<Body> {
        let mut r = Request::post(path).header("content-type", "application/json");
        if let Some(key) = key {
            r = r.header("idempotency-key", key);
        }
        // The acting user, as peel-web's gate hands it on after signing the caller in.
        if let Some(user) = user {
            r = r.extension(peel_http::Actor(user.to_string()));
        }
        r.body(Body::from(serde_json::to_vec(body).unwrap())).unwrap()
    }

    async fn send(router: Router, request: Request<Body>) -> Answer {
        let response = router.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let replayed = response.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Answer { status, replayed, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
    }

    fn post(&self, path: &str, key: Option<&str>, body: &Value) -> Answer {
        self.runtime.block_on(Self::send(self.router.clone(), Self::request(path, key, Some("pc:morgan"), body)))
    }

    /// The reference the next report gets, which says how many reports were made (the
    /// counter is bumped in each report's own transaction).
    fn next_reference(&self) -> String {
        let r = self.post("/api/reports", None, &report("a report made to count the reports (synthetic)"));
        assert_eq!(r.status, 201, "{}", r.body);
        r.body["reference"].as_str().unwrap().to_string()
    }
}

fn report(account: &str) -> Value {
    json!({"channel": "101", "kind": "crime", "account": account, "reported_at": "2026-11-23T08:50"})
}

fn both(test: impl Fn(Api)) {
    for backing in [sqlite(), postgres()] {
        let name = backing.name;
        eprintln!("on {name}");
        test(Api::on(backing));
    }
}

#[test]
fn a_retried_report_is_stored_once_and_answered_the_same() {
    both(|api| {
        let body = report("A bicycle taken from the rack at ward 4 (synthetic).");
        let first = api.post("/api/reports", Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"), &body);
        assert_eq!((first.status, first.replayed), (201, false), "{}", first.body);
        assert_eq!(first.body["reference"], "RPT-2026-000001");
        api.later(3);
        let again = api.post("/api/reports", Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"), &body);
        assert_eq!((again.status, again.replayed), (201, true), "{}", again.body);
        assert_eq!(again.body, first.body, "the same body, not a second report");
        assert_eq!(api.next_reference(), "RPT-2026-000002", "one report for the two sends");
        // Keys are per acting user: another user's same key is another write.
        let other = api.runtime.block_on(Api::send(
            api.router.clone(),
            Api::request("/api/reports", Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"), Some("pc:patel"), &body),
        ));
        assert_eq!((other.status, other.replayed), (201, false));
    });
}

#[test]
fn a_key_reused_for_another_body_or_route_is_refused_naming_the_header() {
    both(|api| {
        let first = api.post("/api/reports", Some("key-1"), &report("A phone taken from a locker (synthetic)."));
        assert_eq!(first.status, 201);
        let other = api.post("/api/reports", Some("key-1"), &report("A different account (synthetic)."));
        assert_eq!((other.status, other.body["code"].as_str()), (422, Some("invalid")), "{}", other.body);
        assert_eq!(other.body["field"], "Idempotency-Key");
        assert!(other.body["error"].as_str().unwrap().contains("another body"), "{}", other.body);
        let route = api.post("/api/sites", Some("key-1"), &json!({"name": "Ward 4", "kind": "hospital"}));
        assert_eq!((route.status, route.body["field"].as_str()), (422, Some("Idempotency-Key")), "{}", route.body);
        assert!(route.body["error"].as_str().unwrap().contains("another route"), "{}", route.body);
        assert_eq!(api.next_reference(), "RPT-2026-000002", "neither refusal wrote");
        // A malformed key is 400 naming the header, before anything is read.
        let bad = api.post("/api/reports", Some("two words"), &report("x"));
        assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("Idempotency-Key")));
        // Without the acting user the write is 401, key or not.
        let anonymous = api
            .runtime
            .block_on(Api::send(api.router.clone(), Api::request("/api/reports", Some("key-2"), None, &report("x"))));
        assert_eq!(anonymous.status, 401);
    });
}

#[test]
fn a_write_that_failed_leaves_no_key_and_a_day_old_key_is_free_again() {
    both(|api| {
        let wrong = json!({"channel": "pigeon", "kind": "crime", "account": "x"});
        let r = api.post("/api/reports", Some("key-3"), &wrong);
        assert_eq!((r.status, r.replayed), (422, false));
        let r = api.post("/api/reports", Some("key-3"), &wrong);
        assert_eq!((r.status, r.replayed), (422, false), "made again, not replayed: nothing was written");
        let r = api.post("/api/reports", Some("key-3"), &report("The corrected report (synthetic)."));
        assert_eq!((r.status, r.replayed), (201, false), "the key was not spent by the failures");
        api.later(25 * 60);
        let r = api.post("/api/reports", Some("key-3"), &report("A new report a day later (synthetic)."));
        assert_eq!((r.status, r.replayed), (201, false), "{}", r.body);
        assert_eq!(api.next_reference(), "RPT-2026-000003");
    });
}

#[test]
fn concurrent_duplicates_make_one_report() {
    both(|api| {
        let body = report("A wallet taken in the waiting room (synthetic).");
        let answers: Vec<Answer> = api.runtime.block_on(async {
            let sends: Vec<_> = (0..12)
                .map(|_| {
                    let request = Api::request("/api/reports", Some("same-key"), Some("pc:morgan"), &body);
                    tokio::spawn(Api::send(api.router.clone(), request))
                })
                .collect();
            let mut answers = Vec::new();
            for s in sends {
                answers.push(s.await.unwrap());
            }
            answers
        });
        let made: Vec<_> = answers.iter().filter(|a| a.status == 201 && !a.replayed).collect();
        assert_eq!(made.len(), 1, "exactly one send wrote ({})", api.backing.name);
        for a in &answers {
            match (a.status, a.replayed) {
                (201, true) => assert_eq!(a.body, made[0].body),
                (201, false) => {}
                (409, _) => assert_eq!(a.body["code"], "in_progress", "{}", a.body),
                other => panic!("{other:?}: {}", a.body),
            }
        }
        assert_eq!(api.next_reference(), "RPT-2026-000002");
    });
}

#[test]
fn a_write_whose_answer_was_lost_is_never_made_again() {
    both(|api| {
        // As a process killed between the write's commit and keeping its answer leaves it:
        // the report and the key committed together, no answer kept.
        let body = report("A coat taken from the cloakroom (synthetic).");
        let bytes = serde_json::to_vec(&body).unwrap();
        let mut store = (api.backing.open)();
        let now = Timestamp::parse(START).unwrap();
        store.claim_with_next_write(Some(IdempotencyClaim {
            actor: "pc:morgan".into(),
            key: "lost-answer".into(),
            route: "POST /api/reports".into(),
            request_hash: sha256_hex(&bytes),
            at: now,
        }));
        let input: peel_casework::ReportInput = serde_json::from_value(body.clone()).unwrap();
        peel_casework::submit_report(store.as_mut(), &input, "pc:morgan", now).unwrap();
        assert!(store.take_claim_committed(), "the claim rode on the report's transaction");
        drop(store);

        let r = api.post("/api/reports", Some("lost-answer"), &body);
        assert_eq!((r.status, r.body["code"].as_str()), (409, Some("in_progress")), "{}", r.body);
        api.later(5);
        let r = api.post("/api/reports", Some("lost-answer"), &body);
        assert_eq!((r.status, r.body["code"].as_str()), (409, Some("answer_lost")), "{}", r.body);
        assert_eq!(api.next_reference(), "RPT-2026-000002", "the retries wrote nothing");
    });
}

#[test]
fn the_document_lists_the_header_on_every_write() {
    let doc = peel_http::openapi();
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(post) = item.get("post") else { continue };
        writes += 1;
        let params = post["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"), "POST {path}");
        for status in ["409", "422"] {
            assert!(post["responses"][status]["description"].as_str().unwrap().contains("Idempotency-Key"), "{path}");
        }
    }
    assert!(writes >= 10, "{writes} writes");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
