//! PDF through headless Chromium: the HTML paper is already laid out for A4 print
//! (`@page`, `@media print`), so the browser's own print engine makes the PDF.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Environment variable naming the Chromium (or Chrome) executable to use.
pub const CHROMIUM_ENV: &str = "PEEL_CHROMIUM";
/// Executable names searched for on PATH, in order.
pub const CHROMIUM_NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// How long Chromium may take to print one paper before it is stopped.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug)]
pub enum PdfError {
    /// No browser found; `looked_for` says where Peel looked.
    ChromiumNotFound {
        looked_for: String,
    },
    Io {
        context: String,
        source: std::io::Error,
    },
    ChromiumFailed {
        program: PathBuf,
        status: String,
        stderr: String,
    },
    TimedOut {
        program: PathBuf,
        after: Duration,
    },
    NotAPdf {
        path: PathBuf,
        detail: String,
    },
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::ChromiumNotFound { looked_for } => write!(
                f,
                "cannot print to PDF: no Chromium found (looked for {looked_for}). Install Chromium \
                 (e.g. `apt-get install chromium`) or set {CHROMIUM_ENV} to the browser's executable; \
                 the HTML paper can also be printed to PDF from any browser"
            ),
            PdfError::Io { context, source } => write!(f, "{context}: {source}"),
            PdfError::ChromiumFailed { program, status, stderr } => {
                write!(f, "{} could not print the paper ({status})", program.display())?;
                if !stderr.trim().is_empty() {
                    write!(f, ": {}", stderr.trim())?;
                }
                Ok(())
            }
            PdfError::TimedOut { program, after } => {
                write!(f, "{} did not finish printing within {} s and was stopped", program.display(), after.as_secs())
            }
            PdfError::NotAPdf { path, detail } => {
                write!(f, "Chromium exited but {} is not a PDF: {detail}", path.display())
            }
        }
    }
}

impl std::error::Error for PdfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PdfError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> PdfError {
    let context = context.into();
    move |source| PdfError::Io { context, source }
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

fn search_path(name: &str, path: Option<&OsString>) -> Option<PathBuf> {
    let path = path?;
    std::env::split_paths(path).map(|dir| dir.join(name)).find(|p| is_executable(p))
}

/// Finds the browser: `PEEL_CHROMIUM` if set (a path, or a name looked up on PATH), else the
/// first of `chromium`, `chromium-browser`, `google-chrome` on PATH.
pub fn find_chromium() -> Result<PathBuf, PdfError> {
    locate(std::env::var_os(CHROMIUM_ENV), std::env::var_os("PATH"))
}

/// `find_chromium` with the environment passed in, so it can be tested without touching
/// the process's own environment.
pub(crate) fn locate(env: Option<OsString>, path: Option<OsString>) -> Result<PathBuf, PdfError> {
    let names = CHROMIUM_NAMES.join(", ");
    if let Some(chosen) = env.filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&chosen);
        let found = if p.components().count() > 1 || p.is_absolute() {
            is_executable(&p).then_some(p.clone())
        } else {
            search_path(&p.to_string_lossy(), path.as_ref())
        };
        return found.ok_or_else(|| PdfError::ChromiumNotFound {
            looked_for: format!("{CHROMIUM_ENV}={}, which is not an executable file", p.display()),
        });
    }
    CHROMIUM_NAMES.iter().find_map(|n| search_path(n, path.as_ref())).ok_or_else(|| PdfError::ChromiumNotFound {
        looked_for: format!("{CHROMIUM_ENV} (not set), then {names} on PATH"),
    })
}

/// `file://` URL of an absolute path, with the characters a URL cannot carry escaped.
pub(crate) fn file_url(abs: &Path) -> String {
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => url.push(b as char),
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

fn absolute(p: &Path) -> Result<PathBuf, PdfError> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir().map_err(io("cannot read the current directory"))?.join(p))
    }
}

/// A fresh, empty Chromium profile directory, removed when dropped.
struct TempProfile(PathBuf);

impl TempProfile {
    fn new() -> Result<Self, PdfError> {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "peel-chromium-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(io(format!("cannot create {}", dir.display())))?;
        Ok(TempProfile(dir))
    }
}

impl Drop for TempProfile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the browser with the flags that keep it off the network and out of the user's
/// profile, plus `extra`; waits at most `PRINT_TIMEOUT`.
pub(crate) fn run_headless(program: &Path, extra: &[String], url: &str) -> Result<(), PdfError> {
    let profile = TempProfile::new()?;
    let log_path = profile.0.join("chromium-stderr.log");
    let log = std::fs::File::create(&log_path).map_err(io(format!("cannot create {}", log_path.display())))?;
    let mut cmd = Command::new(program);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ])
    .arg(format!("--user-data-dir={}", profile.0.join("profile").display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(log);
    let mut child = cmd.spawn().map_err(io(format!("cannot start {}", program.display())))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(io(format!("waiting for {}", program.display())))? {
            Some(s) => break s,
            None if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::TimedOut { program: program.to_path_buf(), after: PRINT_TIMEOUT });
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    if !status.success() {
        let stderr = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = stderr.lines().rev().take(8).collect();
        return Err(PdfError::ChromiumFailed {
            program: program.to_path_buf(),
            status: status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(())
}

/// Prints an HTML file to PDF through headless Chromium if one is installed (`PEEL_CHROMIUM`,
/// else `chromium`, `chromium-browser`, `google-chrome` on PATH); the error names what was
/// looked for when none is found. The PDF is checked to exist and start with `%PDF`.
pub fn print_pdf(html: &Path, pdf: &Path) -> Result<(), PdfError> {
    let program = find_chromium()?;
    print_pdf_with(&program, html, pdf)
}

/// `print_pdf` with a given browser executable.
pub fn print_pdf_with(program: &Path, html: &Path, pdf: &Path) -> Result<(), PdfError> {
    let html = absolute(html)?;
    if !html.is_file() {
        return Err(PdfError::Io {
            context: format!("cannot print {}", html.display()),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let pdf = absolute(pdf)?;
    // A PDF left from an earlier run must not pass for this one.
    match std::fs::remove_file(&pdf) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(PdfError::Io { context: format!("cannot replace {}", pdf.display()), source: e })
        }
        _ => {}
    }
    run_headless(
        program,
        &["--no-pdf-header-footer".to_string(), format!("--print-to-pdf={}", pdf.display())],
        &file_url(&html),
    )?;
    check_pdf(&pdf)
}

fn check_pdf(pdf: &Path) -> Result<(), PdfError> {
    use std::io::Read;
    let mut head = [0u8; 4];
    let mut file = std::fs::File::open(pdf)
        .map_err(|e| PdfError::NotAPdf { path: pdf.to_path_buf(), detail: format!("it was not written ({e})") })?;
    let n = file.read(&mut head).map_err(io(format!("cannot read {}", pdf.display())))?;
    if &head[..n] != b"%PDF" {
        return Err(PdfError::NotAPdf { path: pdf.to_path_buf(), detail: "it does not start with %PDF".into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The missing-browser error, with stand-in paths (a PATH holding no browser, a
    /// PEEL_CHROMIUM naming nothing), whether or not this machine has Chromium.
    #[test]
    fn not_found_names_what_was_looked_for() {
        let empty = std::env::temp_dir().join("peel-report-no-such-dir-for-chromium");
        let err = locate(None, Some(empty.into_os_string())).unwrap_err();
        let msg = err.to_string();
        for name in ["PEEL_CHROMIUM", "chromium", "chromium-browser", "google-chrome", "PATH"] {
            assert!(msg.contains(name), "{msg}");
        }
        let err = locate(Some("/nonexistent/chrome".into()), None).unwrap_err().to_string();
        assert!(err.contains("PEEL_CHROMIUM=/nonexistent/chrome"), "{err}");
    }

    #[test]
    fn file_urls_escape_spaces() {
        assert_eq!(file_url(Path::new("/tmp/a b/p&1.html")), "file:///tmp/a%20b/p%261.html");
    }
}
