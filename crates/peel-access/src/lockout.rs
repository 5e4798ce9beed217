//! How many failed sign-ins an account may have before sign-in slows down and then stops,
//! as data.
//!
//! OWASP Authentication Cheat Sheet ("Account lockout"; "Login throttling") and NCSC
//! password guidance (allow about 10 attempts before locking; throttle rather than lock
//! at first, so an attacker cannot cheaply lock people out): after [`THROTTLE_AFTER`]
//! failures in a run, each further attempt must wait a delay that doubles with every
//! failure (1, 2, 4, 8 … minutes, at most [`MAX_DELAY_MINUTES`]); an attempt inside the
//! delay is answered 429 with `Retry-After` and is not checked (no hash is computed), but
//! it is counted, as a guess is a guess; at [`LOCK_AFTER`] failures the account locks until
//! an administrator unlocks it. A run of failures ends [`WINDOW_MINUTES`] after its last
//! failure, or at a successful sign-in.
//!
//! Only accounts that exist have counters (two columns on the account, not a row per
//! failure): a guess at a username that has no account costs one hash, the same as a
//! wrong password, and writes nothing, so no volume of such guesses grows the database.
//! What this gives away: after 5 failures an existing account answers 429 and an unknown
//! name still answers 401, so a patient attacker can tell that a username exists. Usernames
//! are not secret in a force (they are on every audit line and page); the passwords are
//! what the limits protect.

use peel_domain::date::Timestamp;
use peel_store::accounts::Account;

pub const THROTTLE_AFTER: i64 = 5;
pub const LOCK_AFTER: i64 = 10;
pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_DELAY_MINUTES: i64 = 15;

/// What a sign-in attempt for an account may do at `now`, before any password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open,
    /// Too many recent failures: refuse without checking; try again after this many seconds.
    Wait { seconds: i64 },
    /// Locked until an administrator unlocks it.
    Locked,
}

/// The start of the run of failures a failure at `now` continues: the store counts on from
/// a last failure at or after it.
pub fn run_since(now: Timestamp) -> Timestamp {
    now.add_minutes(-WINDOW_MINUTES)
}

/// How long after failure number `failures` the next attempt must wait, in minutes.
pub fn delay_minutes(failures: i64) -> i64 {
    if failures < THROTTLE_AFTER {
        return 0;
    }
    let doublings = (failures - THROTTLE_AFTER).min(10) as u32;
    (1i64 << doublings).min(MAX_DELAY_MINUTES)
}

pub fn gate(account: &Account, now: Timestamp) -> Gate {
    if account.locked_at.is_some() {
        return Gate::Locked;
    }
    let Some(last) = account.last_failed_at else { return Gate::Open };
    if last < run_since(now) {
        return Gate::Open;
    }
    let until = last.add_minutes(delay_minutes(account.failed_sign_ins));
    if now < until {
        Gate::Wait { seconds: now.minutes_until(until) * 60 }
    } else {
        Gate::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_the_fifth_failure_and_is_capped() {
        let d: Vec<i64> = (1..=12).map(delay_minutes).collect();
        assert_eq!(d, [0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]);
    }
}
