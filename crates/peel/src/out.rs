//! Standard output for the commands, and the tables they print.
//!
//! Rust ignores SIGPIPE, so a reader that stops early (`peel worklist obligations | head -1`)
//! makes the next write fail with `BrokenPipe`, and `println!` panics on that. The commands
//! write through [`Out`] instead: its writes fail with a [`Closed`] error, which the command
//! returns like any other and `main` takes for a quiet, successful end ([`is_closed`]).

use std::fmt;
use std::io::{self, Write};

/// Standard output whose reader has gone: not a failure of the command.
#[derive(Debug)]
pub struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("standard output closed by its reader")
    }
}

impl std::error::Error for Closed {}

/// Standard output, each `writeln!` written under one lock; a write to a closed pipe fails
/// with an `io::Error` carrying [`Closed`].
pub struct Out(io::Stdout);

pub fn stdout() -> Out {
    Out(io::stdout())
}

fn closed(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        io::Error::new(io::ErrorKind::BrokenPipe, Closed)
    } else {
        e
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(closed)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(closed)
    }

    fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> io::Result<()> {
        self.0.write_fmt(args).map_err(closed)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(closed)
    }
}

/// Whether the error is standard output's reader going away (see [`Out`]), wherever it is
/// in the chain of contexts.
pub fn is_closed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.is::<Closed>()
            || c.downcast_ref::<io::Error>().and_then(|io| io.get_ref()).is_some_and(|inner| inner.is::<Closed>())
    })
}

/// `--limit N`: how many rows a table prints.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct Limit {
    /// Print at most N rows (default 100; 0 prints them all); the table ends by saying how
    /// many it left out. With --json, the list is cut only when --limit is given.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// Rows a table prints when `--limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;

impl Limit {
    /// The cap on a table's rows.
    pub fn table(self) -> usize {
        cap(self.limit.unwrap_or(DEFAULT_LIMIT))
    }

    /// The cap on a JSON list: none unless `--limit` was given.
    pub fn json(self) -> usize {
        self.limit.map_or(usize::MAX, cap)
    }
}

/// `--limit 0` is no limit.
pub fn cap(n: usize) -> usize {
    if n == 0 {
        usize::MAX
    } else {
        n
    }
}

/// Writes up to `limit` of `rows` with `line`, then, if any were left out, a last line
/// saying how many.
pub fn rows<T>(
    out: &mut Out,
    rows: impl IntoIterator<Item = T>,
    limit: usize,
    mut line: impl FnMut(&mut Out, T) -> io::Result<()>,
) -> io::Result<()> {
    let mut left_out = 0u64;
    for (i, row) in rows.into_iter().enumerate() {
        if i < limit {
            line(out, row)?;
        } else {
            left_out += 1;
        }
    }
    more(out, left_out)
}

/// The line that ends a table cut by `--limit`: "… 1,234 more (use --limit; 0 for all)".
pub fn more(out: &mut Out, left_out: u64) -> io::Result<()> {
    if left_out > 0 {
        writeln!(out, "… {} more (use --limit N; --limit 0 for all)", thousands(left_out))?;
    }
    Ok(())
}

/// Cuts a JSON list to `limit`, telling standard error how many rows it left out.
pub fn cut<T>(list: &mut Vec<T>, limit: usize) {
    if list.len() > limit {
        let left_out = (list.len() - limit) as u64;
        list.truncate(limit);
        // Best effort: a closed standard error is no reason to fail.
        let _ = writeln!(io::stderr(), "peel: … {} more (use --limit N; --limit 0 for all)", thousands(left_out));
    }
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).expect("ASCII digits")).collect();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_recognised_through_contexts() {
        let e = anyhow::Error::from(closed(io::Error::from(io::ErrorKind::BrokenPipe))).context("printing");
        assert!(is_closed(&e));
        let other = anyhow::Error::from(closed(io::Error::from(io::ErrorKind::PermissionDenied)));
        assert!(!is_closed(&other));
        // A broken pipe elsewhere (a socket, a child process) is a real failure.
        assert!(!is_closed(&anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))));
    }

    #[test]
    fn limits() {
        assert_eq!(Limit { limit: None }.table(), DEFAULT_LIMIT);
        assert_eq!(Limit { limit: None }.json(), usize::MAX);
        assert_eq!(Limit { limit: Some(0) }.table(), usize::MAX);
        assert_eq!(Limit { limit: Some(3) }.json(), 3);
        let mut v = vec![1, 2, 3, 4];
        cut(&mut v, 2);
        assert_eq!(v, [1, 2]);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
