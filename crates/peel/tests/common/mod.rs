//! Shared by the CLI tests: run the real `peel` binary against a store in a temp folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// The real public data beside the checkout (`../shared/data`), or `PEEL_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    if let Ok(p) = std::env::var("PEEL_SHARED_DATA") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

pub fn peel(db: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_peel")).arg("--db").arg(db).args(args).output().expect("run peel")
}

pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "peel failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}
