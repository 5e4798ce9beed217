//! The application on 127.0.0.1:0 over a temporary SQLite store with the demo accounts, a
//! fixed clock, and a small HTTP/1.1 client with a cookie jar of one cookie.

#![allow(dead_code)]

use peel_domain::date::Timestamp;
use peel_http::{AppState, CaseStore, Pool};
use peel_store::casework::NewSite;
use peel_store::SqliteStore;
use peel_web::WebConfig;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;

/// The time the application acts at: a Monday morning.
pub const NOW: &str = "2026-11-23T09:05";

pub struct Server {
    pub addr: SocketAddr,
    pub db: PathBuf,
    /// The store's name for `peel_store::open`: the SQLite file, or a PostgreSQL URL.
    pub store_name: String,
    pg_schema: Option<String>,
    /// The application's clock, in minutes since the epoch: [`Server::set_now`] moves it.
    clock: std::sync::Arc<std::sync::atomic::AtomicI64>,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(schema) = &self.pg_schema {
            let _ = peel_store::PostgresStore::drop_schema(&pg_url(), schema);
        }
    }
}

/// The PostgreSQL server the store tests use (`PEEL_TEST_DATABASE_URL`).
pub fn pg_url() -> String {
    std::env::var("PEEL_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl Server {
    pub fn start() -> Server {
        Server::start_with(WebConfig::default())
    }

    pub fn start_with(config: WebConfig) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peel.db");
        Server::start_on(path.display().to_string(), None, dir, config)
    }

    /// The application on a PostgreSQL store, in a schema of its own (dropped afterwards).
    pub fn start_postgres() -> Server {
        Server::start_postgres_with(WebConfig::default())
    }

    /// [`Server::start_postgres`] with a configuration of its own.
    pub fn start_postgres_with(config: WebConfig) -> Server {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let schema =
            format!("peel_web_test_{}_{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let url = format!("{}?options=-csearch_path%3D{schema}", pg_url());
        Server::start_on(url, Some(schema), tempfile::tempdir().unwrap(), config)
    }

    fn start_on(name: String, pg_schema: Option<String>, dir: tempfile::TempDir, config: WebConfig) -> Server {
        let path = PathBuf::from(&name);
        let n = name.clone();
        let pool = Pool::new(3, move || peel_store::open(&n)).unwrap_or_else(|e| {
            panic!("cannot open the test store {}: {e}", peel_store::PostgresStore::redact_url(&name))
        });
        let now = Timestamp::parse(NOW).unwrap();
        let clock = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(now.minutes_since_epoch()));
        let hand = clock.clone();
        let state = AppState::new(pool)
            .with_clock(move || Timestamp::from_minutes(hand.load(std::sync::atomic::Ordering::SeqCst)));
        {
            let mut store = state.pool.get().unwrap();
            peel_web::demo::ensure_accounts(&mut *store, now).unwrap().expect("a new store has no accounts");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(peel_web::serve(listener, state, config));
        Server { addr, db: path, store_name: name, pg_schema, clock, _runtime: runtime, _dir: dir }
    }

    /// Moves the application's clock to `at` ("YYYY-MM-DDTHH:MM").
    pub fn set_now(&self, at: &str) {
        let t = Timestamp::parse(at).unwrap();
        self.clock.store(t.minutes_since_epoch(), std::sync::atomic::Ordering::SeqCst);
    }

    /// Moves the application's clock on by `minutes`.
    pub fn advance(&self, minutes: i64) {
        self.clock.fetch_add(minutes, std::sync::atomic::Ordering::SeqCst);
    }

    /// A store on the same database, whichever kind it is.
    pub fn case_store(&self) -> Box<dyn CaseStore + Send> {
        peel_store::open(&self.store_name).unwrap()
    }

    /// A store on the same file, for setting up what a test needs besides the pages.
    pub fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.db).unwrap()
    }

    /// Another site with a report of its own; returns (site id, report id).
    pub fn other_site_report(&self) -> (i64, i64) {
        let mut store = self.case_store();
        let site = NewSite {
            organisation: "Synthetic Retail Ltd".into(),
            organisation_kind: "business".into(),
            name: "Riverside Shopping Centre".into(),
            address: None,
            place: Default::default(),
        };
        let site = store.add_site(&site, "test", Timestamp::parse(NOW).unwrap()).unwrap();
        let input = peel_casework::ReportInput {
            channel: "partner-portal".into(),
            kind: "crime".into(),
            reported_at: None,
            occurred_at: None,
            reporter: None,
            site: Some(site.id),
            location: Some("Entrance".into()),
            place: Default::default(),
            account: "Shoplifting at the entrance (synthetic).".into(),
        };
        let report = peel_casework::submit_report(&mut *store, &input, "test", Timestamp::parse(NOW).unwrap()).unwrap();
        (site.id, report.id)
    }

    /// Street-level records for West Yorkshire, 24 months to 2017-07: enough for a board
    /// paper with its charts (made-up rows, a few per category and month).
    pub fn street_data(&self) {
        use peel_domain::{Category, YearMonth};
        use peel_store::{RecordKey, SnapPoint, Store, StreetBatch, StreetRecord, NONE};
        let mut store = self.store();
        let last = YearMonth { year: 2017, month: 7 };
        let mut rows = Vec::new();
        for k in 0..24 {
            let month = last.plus(-23 + k);
            for (c, category) in Category::ALL.iter().enumerate() {
                for n in 0..(2 + (c + k as usize) % 5) {
                    rows.push(StreetRecord {
                        line: rows.len() as u32 + 2,
                        key: RecordKey::from_crime_id(&format!("{month}-{c}-{n}")),
                        month,
                        force: 42,
                        reported_by: 42,
                        category: *category,
                        lsoa: (n % 2) as u32,
                        point: 0,
                        outcome: NONE,
                    });
                }
            }
        }
        let batch = StreetBatch {
            file_name: "synthetic-west-yorkshire-street.csv".into(),
            refused: 0,
            lsoas: vec![("E01011111".into(), "Leeds 001A".into()), ("E01011112".into(), "Leeds 001B".into())],
            points: vec![SnapPoint {
                longitude: -1.55,
                latitude: 53.80,
                location: "On or near Park Row".into(),
                easting: 429_800.0,
                northing: 433_600.0,
            }],
            outcomes: vec![],
            rows,
        };
        store.save_street_batch(&batch).unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn client(&self) -> Client {
        Client { addr: self.addr, cookie: None }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Server {
    /// A crime of `offence` against a new victim `name` (born `dob`), reported at `postcode`,
    /// recorded for `team` and allocated to `officer`; its reference.
    pub fn crime_against(
        &self,
        (name, dob): (&str, Option<&str>),
        offence: &str,
        postcode: &str,
        team: &str,
        officer: Option<&str>,
    ) -> String {
        let mut store = self.case_store();
        let now = peel_domain::date::Timestamp::parse(NOW).unwrap();
        let input = peel_casework::ReportInput {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: None,
            occurred_at: None,
            reporter: None,
            site: None,
            location: Some("Outside the shops".into()),
            place: peel_store::casework::Place { postcode: Some(postcode.into()), ..Default::default() },
            account: "Synthetic account for the tests.".into(),
        };
        let report = peel_casework::submit_report(&mut *store, &input, "test", now).unwrap();
        let decision = peel_casework::DecisionInput {
            version: 1,
            decision: "crime".into(),
            victims: vec![peel_casework::VictimOffences {
                person: peel_store::casework::PersonRef::New(peel_store::casework::PersonDetails {
                    name: name.into(),
                    date_of_birth: dob.map(Into::into),
                    ..Default::default()
                }),
                offence_codes: vec![offence.into()],
                themes: vec![],
                flags: vec![],
                age_at_offence: None,
                bereaved_close_relative: false,
            }],
            team: Some(team.into()),
            officer: officer.map(Into::into),
        };
        let (_, crimes) =
            peel_casework::record_decision(&mut *store, report.incident.unwrap(), &decision, "test", now).unwrap();
        crimes[0].reference.clone()
    }
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The value of the first hidden `_csrf` input.
    pub fn csrf(&self) -> String {
        let at = self.body.find("name=\"_csrf\" value=\"").expect("a form with a CSRF token") + 20;
        self.body[at..].split('"').next().unwrap().to_string()
    }
}

pub struct Client {
    pub addr: SocketAddr,
    /// The session cookie's value, as the last Set-Cookie left it.
    pub cookie: Option<String>,
}

/// `application/x-www-form-urlencoded` of the pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Client {
    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: peel_session={c}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
            }
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut body_bytes = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
            body_bytes = dechunk(&body_bytes);
        }
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") && v.starts_with("peel_session=") {
                let value = v["peel_session=".len()..].split(';').next().unwrap().to_string();
                self.cookie = (!value.is_empty()).then_some(value);
            }
        }
        Response { status, headers, body: String::from_utf8_lossy(&body_bytes).to_string() }
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, &[], "")
    }

    pub fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Response {
        self.send("POST", path, &[], &form(pairs))
    }

    /// Signs in; panics unless it works.
    pub fn login(&mut self, username: &str) -> Response {
        let r = self.post("/login", &[("username", username), ("password", &format!("peel-demo-{username}"))]);
        assert_eq!(r.status, 303, "signing in as {username}: {}", r.body);
        assert!(self.cookie.is_some(), "a session cookie");
        r
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

// ---- crimes and JSON, for the form and API access tests --------------------------------------

impl Server {
    /// The demo partner's and liaison officer's site (Heartlands Hospital).
    pub fn demo_site(&self) -> i64 {
        let sites = self.case_store().sites().unwrap();
        sites.into_iter().find(|s| s.details.name == peel_web::demo::SITE_NAME).expect("the demo site").id
    }

    /// A crime recorded through the casework service (a report, then the registrar's crime
    /// decision) with one victim, allocated to `team` and `officer`, reported from `site` if
    /// given; returns (report id, crime id).
    pub fn recorded_crime(&self, team: &str, officer: Option<&str>, site: Option<i64>) -> (i64, i64) {
        self.recorded_crime_at(team, officer, site, NOW)
    }

    /// [`Server::recorded_crime`], reported and recorded at `at` (earlier than [`NOW`], its
    /// victim's obligations are due or overdue).
    pub fn recorded_crime_at(&self, team: &str, officer: Option<&str>, site: Option<i64>, at: &str) -> (i64, i64) {
        use peel_store::casework::{PersonDetails, PersonRef};
        let mut store = self.case_store();
        let now = Timestamp::parse(at).unwrap();
        let input = peel_casework::ReportInput {
            channel: if site.is_some() { "partner-portal" } else { "101" }.into(),
            kind: "crime".into(),
            reported_at: None,
            occurred_at: None,
            reporter: None,
            site,
            location: Some("Car park B".into()),
            place: Default::default(),
            account: "A car window smashed and a bag taken (synthetic).".into(),
        };
        let report = peel_casework::submit_report(&mut *store, &input, "test", now).unwrap();
        let decision = peel_casework::DecisionInput {
            version: 1,
            decision: "crime".into(),
            victims: vec![peel_casework::VictimOffences {
                person: PersonRef::New(PersonDetails { name: "Alex Synthetic".into(), ..Default::default() }),
                offence_codes: vec!["45".into()],
                themes: vec![],
                flags: vec![],
                age_at_offence: None,
                bereaved_close_relative: false,
            }],
            team: Some(team.into()),
            officer: officer.map(str::to_string),
        };
        let (_, crimes) =
            peel_casework::record_decision(&mut *store, report.incident.unwrap(), &decision, "test", now).unwrap();
        (report.id, crimes[0].id)
    }
}

impl Response {
    /// The body as JSON; panics if it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The value of the first hidden `version` input (the record's version a form was filled in on).
    pub fn version(&self) -> String {
        let at = self.body.find("name=\"version\" value=\"").expect("a form with a version") + 22;
        self.body[at..].split('"').next().unwrap().to_string()
    }
}

impl Client {
    /// A request with a JSON body.
    pub fn json(&mut self, method: &str, path: &str, body: &serde_json::Value) -> Response {
        self.send(method, path, &[("Content-Type", "application/json")], &body.to_string())
    }
}

impl Server {
    /// A client signed in as `username` (a demo account).
    pub fn client_as(&self, username: &str) -> Client {
        let mut c = self.client();
        c.login(username);
        c
    }
}

/// The real public data beside the checkout (`../shared/data`), or where `PEEL_SHARED_DATA`
/// points.
pub fn shared_data() -> PathBuf {
    match std::env::var("PEEL_SHARED_DATA") {
        Ok(p) => PathBuf::from(p),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

impl Server {
    /// Imports the gazetteer rows of the postcode districts `districts` ("B1", "CV1") of the
    /// real file in `../shared/data/geography`, and returns those rows (the CSV lines).
    pub fn import_postcode_districts(&self, districts: &[&str]) -> Vec<String> {
        let real = std::fs::read_to_string(shared_data().join("geography/postcodes-west-midlands-west-yorkshire.csv"))
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let subset = dir.path().join("postcodes.csv");
        let rows: Vec<String> = real
            .lines()
            .filter(|l| districts.iter().any(|d| l.starts_with(&format!("{d} "))))
            .map(str::to_string)
            .collect();
        std::fs::write(&subset, format!("{}\n{}\n", real.lines().next().unwrap(), rows.join("\n"))).unwrap();
        let kind = peel_ingest::FileKind::sniff(&subset).unwrap();
        let options = peel_ingest::ImportOptions::default();
        let mut store = self.case_store();
        peel_ingest::import_file(&mut *store, kind, &subset, &options, &mut peel_ingest::NoProgress).unwrap();
        rows
    }

    /// Imports files of the shared data (paths under it), each recognised by its header.
    pub fn import(&self, files: &[&str]) {
        use peel_ingest::{FileKind, ImportOptions, NoProgress};
        let mut store = self.store();
        for f in files {
            let path = shared_data().join(f);
            let kind =
                FileKind::sniff(&path).unwrap_or_else(|| panic!("{} is not a file Peel imports", path.display()));
            let report = peel_ingest::import_file(&mut store, kind, &path, &ImportOptions::default(), &mut NoProgress)
                .unwrap_or_else(|e| panic!("importing {}: {e}", path.display()));
            assert!(report.saved.is_some(), "{} was refused", path.display());
        }
    }
}
