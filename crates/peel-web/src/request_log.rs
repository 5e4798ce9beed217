//! The request log: every request gets an id, answered in `X-Request-Id`, and is served
//! inside a tracing span carrying the id, the method and the route *template*
//! (`/api/crimes/{id}`), so every event logged while answering it (an internal error, a
//! failed access check) carries them too; one event when it is answered adds the status and
//! the latency.
//!
//! What is never logged: the path as requested (it holds record ids), the query string (a
//! search for a victim's name), bodies, and any header but the id. A request that matches
//! no route is logged as route `-`. The id a reverse proxy sends in `X-Request-Id` is kept
//! (so the proxy's log and Peel's share it) if it is 1–64 letters, digits, `-`, `_` or `.`;
//! anything else is replaced by a random one, so a client cannot write into the log.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

/// The header the id travels in, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// The layer: see the module docs.
pub async fn layer(req: Request, next: Next) -> Response {
    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| acceptable(v));
    let id = id.map_or_else(random_id, str::to_string);
    let route = req.extensions().get::<MatchedPath>().map_or("-", |p| p.as_str()).to_string();
    let span = tracing::info_span!("request", id = %id, method = %req.method(), route = %route);
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), latency_ms, "answered"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    response
}

fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// 16 hex digits of OS randomness (a counter if the OS has none to give).
fn random_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        bytes = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_be_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxys_id_is_kept_only_if_plain() {
        assert!(acceptable("4f1c2a9e-77b0-4d3e-9d1a-0c1b2d3e4f50"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("x\"} forged"));
        assert!(!acceptable(&"a".repeat(65)));
        let (a, b) = (random_id(), random_id());
        assert!(a.len() == 16 && a != b && acceptable(&a));
    }
}
