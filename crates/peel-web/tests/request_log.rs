//! The request log through the whole application: every line logged while answering a
//! request carries its id (the one answered in `X-Request-Id`) and the route template, and
//! never the path's ids or the query string. The subscriber is the JSON one the binary
//! installs with `PEEL_LOG_FORMAT=json`, writing into a buffer the test reads.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use support::Server;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn lines_with(&self, needle: &str) -> Vec<serde_json::Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines().filter(|l| l.contains(needle)).map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

#[test]
fn each_line_carries_the_request_id_and_route_template_and_no_query_string() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let s = Server::start();
    let mut c = s.client();
    c.login("registrar");
    let r = c.get("/api/crimes/424242?name=Synthetic-Surname");
    assert_eq!(r.status, 404);
    let id = r.header("x-request-id").expect("the id is answered").to_string();
    assert_eq!(id.len(), 16, "{id}");
    let lines = capture.lines_with(&id);
    assert!(!lines.is_empty(), "no line carries {id}");
    for line in &lines {
        assert_eq!(line["span"]["route"], "/api/crimes/{id}", "{line}");
        assert_eq!(line["span"]["method"], "GET");
    }
    let answered = lines.iter().find(|l| l["fields"]["message"] == "answered").expect("the answered line");
    assert_eq!(answered["fields"]["status"], 404);
    assert!(answered["fields"]["latency_ms"].as_f64().unwrap() >= 0.0);
    let all = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for private in ["Synthetic-Surname", "name=", "424242", "peel-demo-registrar", "password"] {
        assert!(!all.contains(private), "the log holds {private}:\n{all}");
    }

    // A proxy's id is kept; one that could forge a log line is replaced.
    let r = c.send("GET", "/healthz", &[("X-Request-Id", "proxy-7f3a.01")], "");
    assert_eq!(r.header("x-request-id"), Some("proxy-7f3a.01"));
    assert_eq!(capture.lines_with("proxy-7f3a.01")[0]["span"]["route"], "/healthz");
    let r = c.send("GET", "/healthz", &[("X-Request-Id", "x\"}{\"forged")], "");
    let replaced = r.header("x-request-id").unwrap();
    assert!(replaced.len() == 16 && !replaced.contains('"'), "{replaced}");
    assert!(!String::from_utf8(capture.0.lock().unwrap().clone()).unwrap().contains("forged"));
}
