//! Secrets: passwords kept as Argon2id PHC strings, tokens made from the operating system's
//! randomness and kept only as their hash, compared in constant time.

use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use blake2::{Blake2b512, Digest};
use std::fmt::Write;
use std::sync::{Condvar, LazyLock, Mutex};
use std::time::Duration;

/// `n` random bytes from the operating system, as hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The store's key for a session token: its BLAKE2b-512 hash, hex.
pub fn hash_token(token: &str) -> String {
    hex(&Blake2b512::digest(token.as_bytes()))
}

/// An Argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("Argon2id with default parameters").to_string()
}

/// Whether `password` matches the PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// How many password hashes may be computed at once: one per core. Each Argon2id verification
/// holds its 19 MiB of memory (OWASP's m=19456 KiB) for its whole run and a core for about
/// 50 ms, so a burst of sign-ins — honest or not — beyond the cores only queues. (Measured
/// here: the allocator keeps each thread's freed 19 MiB resident, so the process's peak memory
/// still grows with the number of threads that have hashed; bounding memory itself needs
/// Argon2 run in a fixed pool of preallocated buffers — issue 8, not built yet.)
pub fn hashes_at_once() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// How long a sign-in waits for a turn to hash before it is told the server is busy.
pub const HASH_WAIT: Duration = Duration::from_secs(10);

/// The turns: a counting semaphore of [`hashes_at_once`] permits.
static TURNS: LazyLock<(Mutex<usize>, Condvar)> = LazyLock::new(|| (Mutex::new(hashes_at_once()), Condvar::new()));

/// Too many sign-ins are hashing already, and none finished within [`HASH_WAIT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy;

/// [`verify_password`], waiting for a turn among at most [`hashes_at_once`] at once (a
/// blocking call: run it on a blocking thread). `Err(Busy)` if no turn came within `wait`.
pub fn verify_password_bounded(password: &str, phc: &str, wait: Duration) -> Result<bool, Busy> {
    with_turn(wait, || verify_password(password, phc))
}

/// Runs `work` in a turn of the hashing semaphore, waiting at most `wait` for one.
fn with_turn<T>(wait: Duration, work: impl FnOnce() -> T) -> Result<T, Busy> {
    let (free, turn) = &*TURNS;
    {
        let guard = free.lock().unwrap_or_else(|e| e.into_inner());
        let (mut guard, timeout) = turn.wait_timeout_while(guard, wait, |n| *n == 0).unwrap_or_else(|e| e.into_inner());
        if timeout.timed_out() && *guard == 0 {
            return Err(Busy);
        }
        *guard -= 1;
    }
    // The permit is given back however the work ends.
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            let (free, turn) = &*TURNS;
            *free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            turn.notify_one();
        }
    }
    let _release = Release;
    Ok(work())
}

/// A hash to verify against when the username is unknown, so that a failed sign-in takes
/// as long whether or not the account exists.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("no account has this password"));

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash_password("correct horse"), h, "a fresh salt each time");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_hex(32), random_hex(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn at_most_one_hash_a_core_runs_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use std::sync::Arc;
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let threads: Vec<_> = (0..hashes_at_once() * 8)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                std::thread::spawn(move || {
                    with_turn(Duration::from_secs(60), || {
                        let now = running.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, SeqCst);
                    })
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), Ok(()));
        }
        assert_eq!(most.load(SeqCst), hashes_at_once(), "as many at once as there are cores, and no more");
        // Every turn taken and no wait allowed: busy, not blocked.
        let (free, _) = &*TURNS;
        let taken = std::mem::replace(&mut *free.lock().unwrap(), 0);
        let h = hash_password("correct horse battery");
        assert_eq!(verify_password_bounded("correct horse battery", &h, Duration::ZERO), Err(Busy));
        *free.lock().unwrap() = taken;
        assert_eq!(verify_password_bounded("correct horse battery", &h, Duration::ZERO), Ok(true));
        assert_eq!(verify_password_bounded("wrong", &h, Duration::ZERO), Ok(false));
    }
}
