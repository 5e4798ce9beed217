//! A small W3C WebDriver client over HTTP/JSON, driving Debian's headless Chromium through
//! `chromedriver` on a loopback port: new session, navigate, find by CSS, type, click, read
//! text, cookies, window size, screenshot (PNG).

#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn missing(what: &str) -> ! {
    panic!(
        "{what} not found. The end-to-end tests drive Debian's Chromium through chromedriver; install both with\n    \
         apt-get install -y chromium chromium-driver\n(`bash .ci/run` installs them), or point PEEL_CHROMIUM and \
         PEEL_CHROMEDRIVER at the binaries."
    )
}

fn find(env: &str, names: &[&str], extra: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var("PATH").unwrap_or_default();
    for name in names {
        for dir in path.split(':').filter(|d| !d.is_empty()) {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    extra.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Chromium's binary: Debian's real one behind the `/usr/bin/chromium` wrapper when present.
fn chromium() -> PathBuf {
    if let Ok(p) = std::env::var("PEEL_CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file()).unwrap_or_else(|| missing("Chromium (PEEL_CHROMIUM)"));
    }
    if Path::new("/usr/lib/chromium/chromium").is_file() {
        return PathBuf::from("/usr/lib/chromium/chromium");
    }
    find("PEEL_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"], &[])
        .unwrap_or_else(|| missing("Chromium (chromium)"))
}

/// chromedriver on a free loopback port, stopped when dropped.
pub struct Driver {
    child: Child,
    addr: SocketAddr,
    profile: tempfile::TempDir,
}

impl Driver {
    pub fn start() -> Driver {
        // Both must be there before anything starts.
        chromium();
        let driver = find("PEEL_CHROMEDRIVER", &["chromedriver"], &["/usr/lib/chromium/chromedriver"])
            .unwrap_or_else(|| missing("chromedriver (chromium-driver)"));
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", driver.display()));
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let d = Driver { child, addr, profile: tempfile::tempdir().unwrap() };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((_, v)) = d.call("GET", "/status", None) {
                if v["value"]["ready"].as_bool() == Some(true) {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready on {}", d.addr);
            std::thread::sleep(Duration::from_millis(100));
        }
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
        let mut stream = TcpStream::connect(self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        if method != "GET" {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        // chromedriver keeps the connection open whatever the request says: read the head,
        // then exactly Content-Length bytes (or chunks to the last one).
        let mut raw = Vec::new();
        let mut buf = [0u8; 16384];
        let split = loop {
            if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = stream.read(&mut buf)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            raw.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let length = head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok()).flatten()
        });
        loop {
            let have = raw.len() - (split + 4);
            let done = match length {
                Some(n) => have >= n,
                None => raw[split + 4..].ends_with(b"0\r\n\r\n"),
            };
            if done {
                break;
            }
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut payload = raw[split + 4..].to_vec();
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            payload = dechunk(&payload);
        }
        let v = serde_json::from_slice(&payload).unwrap_or(Value::Null);
        Ok((status, v))
    }

    /// A new headless browser session with a fresh profile.
    pub fn session(&self) -> Browser<'_> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium().to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1000", "--lang=en-GB",
                    format!("--user-data-dir={}", self.profile.path().display()),
                ]
            }
        }}});
        let (status, v) = self.call("POST", "/session", Some(&caps)).expect("chromedriver answers");
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver could not start Chromium ({status}): {v}"))
            .to_string();
        Browser { driver: self, id }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// WebDriver's key codes.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const SPACE: &str = "\u{E00D}";
pub const DOWN: &str = "\u{E015}";

/// One browser session; closed when dropped.
pub struct Browser<'a> {
    driver: &'a Driver,
    id: String,
}

#[derive(Clone)]
pub struct Element(String);

impl Browser<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.id);
        let (status, v) = self.driver.call(method, &full, body.as_ref()).expect("chromedriver answers");
        assert!(status < 300, "WebDriver {method} {path}: {status} {v}");
        v["value"].clone()
    }

    fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let full = format!("/session/{}{path}", self.id);
        match self.driver.call(method, &full, body.as_ref()) {
            Ok((status, v)) if status < 300 => Some(v["value"].clone()),
            _ => None,
        }
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    pub fn title(&self) -> String {
        self.cmd("GET", "/title", None).as_str().unwrap_or_default().to_string()
    }

    pub fn source(&self) -> String {
        self.cmd("GET", "/source", None).as_str().unwrap_or_default().to_string()
    }

    pub fn set_size(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// The first element matching `css`, waiting up to 10 s for it.
    pub fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(v) = self.try_cmd("POST", "/element", Some(json!({"using": "css selector", "value": css}))) {
                if let Some(id) = v[ELEMENT].as_str() {
                    return Element(id.to_string());
                }
            }
            if Instant::now() >= deadline {
                let full = format!("/session/{}/element", self.id);
                let last = self.driver.call("POST", &full, Some(&json!({"using": "css selector", "value": css})));
                panic!("no element '{css}' on {} ({last:?}):\n{}", self.url(), self.source());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.cmd("POST", "/elements", Some(json!({"using": "css selector", "value": css})));
        v.as_array()
            .map_or(vec![], |a| a.iter().filter_map(|e| e[ELEMENT].as_str()).map(|s| Element(s.to_string())).collect())
    }

    /// The first element matching `css` inside `parent`.
    pub fn find_within(&self, parent: &Element, css: &str) -> Element {
        let v = self.cmd(
            "POST",
            &format!("/element/{}/element", parent.0),
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(v[ELEMENT].as_str().expect("an element").to_string())
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{}/clear", e.0), Some(json!({})));
        self.cmd("POST", &format!("/element/{}/value", e.0), Some(json!({"text": text})));
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.click_element(&e);
    }

    pub fn click_element(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    pub fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.element_text(&e)
    }

    /// The text of the first element matching `css` once it contains `needle`, waiting up to
    /// 10 s: after a form that leads to a page like the one it was on (a notice on both), the
    /// old page's element can be found and then go stale as the new page loads.
    pub fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = String::new();
        loop {
            let found = self.try_cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
            if let Some(id) = found.as_ref().and_then(|v| v[ELEMENT].as_str()) {
                if let Some(text) = self.try_cmd("GET", &format!("/element/{id}/text"), None) {
                    last = text.as_str().unwrap_or_default().to_string();
                    if last.contains(needle) {
                        return last;
                    }
                }
            }
            assert!(Instant::now() < deadline, "'{css}' never held '{needle}' on {}; last:\n{last}", self.url());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn element_text(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/text", e.0), None).as_str().unwrap_or_default().to_string()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{}/attribute/{name}", e.0), None).as_str().map(str::to_string)
    }

    /// Waits up to 10 s for the URL's path to start with `path`.
    pub fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url();
            let p = url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap_or_default();
            if p.starts_with(path) {
                return;
            }
            assert!(Instant::now() < deadline, "expected to be at {path}, but at {url}:\n{}", self.source());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.try_cmd("GET", &format!("/cookie/{name}"), None).and_then(|v| v["value"].as_str().map(str::to_string))
    }

    /// Saves a PNG screenshot of the viewport to `path` (creating its folder).
    pub fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().expect("a screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Signs a demo account in through the sign-in form at `login_url` (its password is
    /// `peel-demo-USER`), after dropping any session the browser holds.
    pub fn sign_in(&self, login_url: &str, user: &str) {
        self.cmd("DELETE", "/cookie", None);
        self.goto(login_url);
        self.type_into("#username", user);
        self.type_into("#password", &format!("peel-demo-{user}"));
        self.click("main form button[type=submit]");
        self.find("header nav");
    }

    /// Sends keystrokes to whatever has the focus, as a keyboard user types them (WebDriver
    /// key codes: `TAB`, `ENTER`, `SPACE`, `DOWN` below).
    pub fn press(&self, keys: &str) {
        let active = self.cmd("GET", "/element/active", None);
        let id = active[ELEMENT].as_str().expect("an element has the focus").to_string();
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({"text": keys})));
    }

    /// The focused element's id, name and tag, and whether its focus is drawn (an outline
    /// or a box shadow), as "tag#id[name] outline".
    pub fn focused(&self) -> String {
        self.execute(
            "const e = document.activeElement; const s = getComputedStyle(e);
             const drawn = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
             return e.tagName.toLowerCase() + '#' + (e.id || '') + '[' + (e.name || '') + ']' + (drawn ? ' outline' : '');",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Runs `script` (a function body) in the page with `args`; a returned promise is awaited.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Runs a Chrome DevTools Protocol command through ChromeDriver's own endpoint (to emulate
    /// print media, or print to PDF as the browser's Print does).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd("POST", "/goog/cdp/execute", Some(json!({"cmd": cmd, "params": params})))
    }

    /// Saves a screenshot of the whole page: the window is made as tall as the page first.
    pub fn screenshot_full(&self, path: &Path, width: u32) {
        // Measured in a short window: a window left tall by the last screenshot would
        // otherwise be the page's height.
        self.set_size(width, 600);
        let height = self
            .cmd(
                "POST",
                "/execute/sync",
                Some(json!({"script": "return document.documentElement.scrollHeight", "args": []})),
            )
            .as_u64()
            .unwrap_or(1000) as u32;
        self.set_size(width, (height + 140).clamp(600, 6000));
        self.screenshot(path);
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self.driver.call("DELETE", &format!("/session/{}", self.id), None);
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

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
