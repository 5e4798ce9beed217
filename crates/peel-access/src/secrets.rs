//! Secrets: passwords kept as Argon2id PHC strings, tokens made from the operating system's
//! randomness and kept only as their hash, compared in constant time.

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version, ARGON2ID_IDENT};
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

/// The Argon2 parameters Peel hashes new passwords with: the `argon2` crate's defaults,
/// Argon2id with m = 19456 KiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet's first
/// choice).
fn peel_params() -> Params {
    Params::DEFAULT
}

/// The most memory one hash may use: the blocks of each buffer in the pool. A stored hash
/// that asks for more is refused (it was not made by Peel).
pub fn pool_blocks() -> usize {
    peel_params().block_count()
}

/// An Argon2id PHC string for `password`, with a fresh random salt, computed in a turn of
/// the pool (waiting as long as it takes: only administrators and people changing their
/// own password hash new passwords).
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let params = peel_params();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_turn(Duration::MAX, |memory| {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
            .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
            .expect("Argon2id with default parameters")
    })
    .expect("no time limit");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: params.try_into().expect("the default parameters"),
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).expect("32 bytes is a valid output")),
    }
    .to_string()
}

/// Whether `password` matches the PHC string (in a turn of the pool, waiting as long as it
/// takes). False for a string that is not an Argon2 PHC string or asks for more memory than
/// a buffer of the pool holds.
pub fn verify_password(password: &str, phc: &str) -> bool {
    verify_password_bounded(password, phc, Duration::MAX).unwrap_or(false)
}

/// How many password hashes may be computed at once: one per core. Each Argon2id hash
/// holds its 19 MiB of memory (OWASP's m=19456 KiB) for its whole run and a core for about
/// 50 ms, so a burst of sign-ins — honest or not — beyond the cores only queues.
///
/// Memory is bounded too: the pool holds exactly this many buffers of [`pool_blocks`]
/// Argon2 blocks, allocated once, the first time a password is hashed, and every hash runs
/// in one of them (`hash_password_into_with_memory`). Without the pool each hash allocated
/// and freed its 19 MiB on whichever blocking thread ran it, and the allocator kept the
/// freed memory per thread: 64 concurrent sign-ins grew the process by about 1.2 GB. With
/// it, password hashing adds N × 19 MiB to the process once, whatever the load: `peel serve`
/// stays under its resident memory at start + N × 19 MiB + 64 MiB however many sign-ins
/// arrive at once (measured by `crates/peel/tests/sign_in_memory.rs`: 64 concurrent wrong
/// sign-ins, 4 rounds, on 2 cores: 53 MiB at start, 65 MiB at peak; before the pool the
/// same load took the server from 156 MB to 4.9 GB).
pub fn hashes_at_once() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// How long a sign-in waits for a turn to hash before it is told the server is busy.
pub const HASH_WAIT: Duration = Duration::from_secs(10);

/// The pool: the free buffers, and a condition to wait on for one.
static POOL: LazyLock<(Mutex<Vec<Vec<Block>>>, Condvar)> = LazyLock::new(|| {
    let buffers = (0..hashes_at_once()).map(|_| vec![Block::default(); pool_blocks()]).collect();
    (Mutex::new(buffers), Condvar::new())
});

/// Too many sign-ins are hashing already, and none finished within [`HASH_WAIT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy;

/// [`verify_password`], waiting at most `wait` for a turn among at most [`hashes_at_once`]
/// at once (a blocking call: run it on a blocking thread). `Err(Busy)` if no turn came.
pub fn verify_password_bounded(password: &str, phc: &str, wait: Duration) -> Result<bool, Busy> {
    let Ok(hash) = PasswordHash::new(phc) else { return Ok(false) };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(hash.algorithm), Params::try_from(&hash)) else {
        return Ok(false);
    };
    let version = hash.version.map_or(Ok(Version::V0x13), Version::try_from);
    let (Ok(version), Some(salt), Some(expected)) = (version, hash.salt, hash.hash) else { return Ok(false) };
    if params.block_count() > pool_blocks() {
        return Ok(false);
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return Ok(false) };
    let mut out = vec![0u8; expected.len()];
    let hashed = with_turn(wait, |memory| {
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            memory,
        )
    })?;
    Ok(hashed.is_ok() && constant_time_eq(&out, expected.as_bytes()))
}

/// Runs `work` with a buffer of the pool, waiting at most `wait` for one.
fn with_turn<T>(wait: Duration, work: impl FnOnce(&mut [Block]) -> T) -> Result<T, Busy> {
    let (free, turn) = &*POOL;
    let mut guard = free.lock().unwrap_or_else(|e| e.into_inner());
    guard = if wait == Duration::MAX {
        turn.wait_while(guard, |b| b.is_empty()).unwrap_or_else(|e| e.into_inner())
    } else {
        turn.wait_timeout_while(guard, wait, |b| b.is_empty()).unwrap_or_else(|e| e.into_inner()).0
    };
    let buffer = guard.pop().ok_or(Busy)?;
    drop(guard);
    // The buffer goes back however the work ends.
    struct Lent(Vec<Block>);
    impl Drop for Lent {
        fn drop(&mut self) {
            let (free, turn) = &*POOL;
            free.lock().unwrap_or_else(|e| e.into_inner()).push(std::mem::take(&mut self.0));
            turn.notify_one();
        }
    }
    let mut lent = Lent(buffer);
    Ok(work(&mut lent.0))
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

    /// The pool is the process's: tests that count its buffers take turns with those that hash.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash_password("correct horse"), h, "a fresh salt each time");
        // A hash made by the argon2 crate's own hasher verifies in the pool, and one asking
        // for more memory than a buffer holds is refused without being computed.
        use argon2::PasswordHasher;
        let salt = SaltString::encode_b64(b"sixteen byte sal").unwrap();
        let theirs = Argon2::default().hash_password(b"correct horse", &salt).unwrap().to_string();
        assert!(verify_password("correct horse", &theirs));
        let big = Params::new(pool_blocks() as u32 * 2, 1, 1, None).unwrap();
        let greedy =
            Argon2::new(Algorithm::Argon2id, Version::V0x13, big).hash_password(b"correct horse", &salt).unwrap();
        assert!(!verify_password("correct horse", &greedy.to_string()));
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
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use std::sync::Arc;
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let threads: Vec<_> = (0..hashes_at_once() * 8)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                std::thread::spawn(move || {
                    with_turn(Duration::from_secs(60), |_| {
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
        // Every buffer taken and no wait allowed: busy, not blocked.
        let h = hash_password("correct horse battery");
        let (free, _) = &*POOL;
        let taken = std::mem::take(&mut *free.lock().unwrap());
        assert_eq!(taken.len(), hashes_at_once(), "every buffer went back");
        assert!(taken.iter().all(|b| b.len() == pool_blocks()));
        assert_eq!(verify_password_bounded("correct horse battery", &h, Duration::ZERO), Err(Busy));
        *free.lock().unwrap() = taken;
        assert_eq!(verify_password_bounded("correct horse battery", &h, Duration::ZERO), Ok(true));
        assert_eq!(verify_password_bounded("wrong", &h, Duration::ZERO), Ok(false));
    }
}
