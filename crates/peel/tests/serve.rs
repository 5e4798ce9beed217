//! `peel serve` as a force would start it: refusals that keep passwords off the network and
//! a store without an administrator closed, and https served by Peel itself with a
//! self-signed certificate made here (Secure cookie, HSTS, `Cache-Control: no-store`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

fn refused(db: &std::path::Path, args: &[&str]) -> String {
    let out = common::peel(db, args);
    assert!(!out.status.success(), "peel {args:?} should refuse: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn serve_refuses_what_would_expose_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("peel.db");
    // A store with no administrator: the line to run is printed, nothing listens.
    let e = refused(&db, &["serve", "--addr", "127.0.0.1:0"]);
    assert!(e.contains("has no administrator") && e.contains("accounts add USERNAME --role admin"), "{e}");
    // Demo accounts' passwords are published: loopback only.
    let e = refused(&db, &["serve", "--demo", "--demo-months", "0", "--addr", "0.0.0.0:0"]);
    assert!(e.contains("--demo listens on a loopback address only"), "{e}");
    // Plain http off loopback would carry passwords in clear.
    let e = refused(&db, &["serve", "--addr", "0.0.0.0:0"]);
    assert!(e.contains("unencrypted") && e.contains("--tls-cert") && e.contains("--public-url"), "{e}");
    // The proxy's address must be https.
    let e = refused(&db, &["serve", "--addr", "0.0.0.0:0", "--public-url", "http://peel.example"]);
    assert!(e.contains("--public-url: 'http://peel.example' is not an https origin"), "{e}");
    // A certificate without its key.
    let e = refused(&db, &["serve", "--tls-cert", "c.pem"]);
    assert!(e.contains("--tls-key"), "{e}");
}

/// One HTTP/1.1 exchange over `stream`: the answer's head (status line and headers, lower-cased names).
fn exchange(stream: &mut impl ReadWrite, request: &str) -> (u16, Vec<(String, String)>) {
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn serves_https_with_secure_cookies_hsts_and_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("peel.db");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_pem, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_pem, cert.cert.pem()).unwrap();
    std::fs::write(&key_pem, cert.signing_key.serialize_pem()).unwrap();
    let server = common::serve(
        db.to_str().unwrap(),
        &[
            "--demo",
            "--demo-months",
            "0",
            "--tls-cert",
            cert_pem.to_str().unwrap(),
            "--tls-key",
            key_pem.to_str().unwrap(),
        ],
    );
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.cert.der().clone()).unwrap();
    let config = Arc::new(rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth());
    let tls = |request: &str| {
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let conn = rustls::ClientConnection::new(config.clone(), name).unwrap();
        let mut stream = rustls::StreamOwned::new(conn, TcpStream::connect(("127.0.0.1", server.port)).unwrap());
        exchange(&mut stream, request)
    };
    let host = format!("localhost:{}", server.port);
    let (status, headers) = tls(&format!("GET /login HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "strict-transport-security"), Some("max-age=31536000"));
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    let body = "username=officer&password=peel-demo-officer";
    let (status, headers) = tls(&format!(
        "POST /login HTTP/1.1\r\nHost: {host}\r\nOrigin: https://{host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    assert_eq!(status, 303, "{headers:?}");
    let cookie = header(&headers, "set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("peel_session=") && cookie.ends_with("; Secure"), "{cookie}");
    // An API answer holds personal data: never cached.
    let session = cookie.split(';').next().unwrap();
    let (status, headers) = tls(&format!(
        "GET /api/worklists/obligations?officer=officer HTTP/1.1\r\nHost: {host}\r\nCookie: {session}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 200, "{headers:?}");
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    // Plain http to the https port gets no page.
    let mut plain = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    plain.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    plain.write_all(format!("GET /login HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = plain.read_to_end(&mut raw);
    assert!(!String::from_utf8_lossy(&raw).contains("Sign in"), "the page was served without TLS");
}
