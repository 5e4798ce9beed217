//! A terminal progress bar that shows rows per second while a file imports. Hidden when
//! standard error is not a terminal (CI logs, pipes), so scripts see only the summary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use peel_ingest::Progress;
use std::time::Instant;

pub struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    name: String,
}

impl Bar {
    pub fn new() -> Bar {
        Bar { bar: None, started: Instant::now(), name: String::new() }
    }
}

impl Progress for Bar {
    fn file_started(&mut self, name: &str, bytes: u64) {
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix:.bold} [{bar:30}] {bytes}/{total_bytes} {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        self.name = name.to_string();
        self.started = Instant::now();
        self.bar = Some(bar);
    }

    fn rows_read(&mut self, rows: u64, bytes_read: u64) {
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(1e-9);
            bar.set_position(bytes_read);
            bar.set_message(format!("{rows} rows, {:.0} rows/s", rows as f64 / secs));
        }
    }

    fn file_finished(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
