//! What a new password must be: one rule for `peel accounts`, the admin pages and the
//! change-password page.
//!
//! NCSC, "Password administration for system owners" (2018), and NIST SP 800-63B §5.1.1.2:
//! length over complexity — no composition rules (no "one capital, one digit"), no expiry,
//! a generous maximum, and refuse the passwords attackers try first. So a password is
//! refused only if it is shorter than [`MIN_CHARS`], longer than [`MAX_CHARS`], one of the
//! commonest passwords, or the username itself.

/// At least this many characters (NCSC: prefer length; 12 is the floor the force asked for).
pub const MIN_CHARS: usize = 12;
/// At most this many: long passphrases are welcome, but the hash's input is bounded.
pub const MAX_CHARS: usize = 256;

/// The 30,000 commonest passwords, most common first, one a line: the "passwords" frequency
/// list of zxcvbn (Dropbox's password strength estimator; compiled from leaked password
/// sets), as shipped in the `zxcvbn` Python package 4.5.0 (`zxcvbn/frequency_lists.py`),
/// MIT licence, copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.
const COMMON: &str = include_str!("../data/common_passwords.txt");

/// Why a new password is refused, in words for the person choosing it.
pub fn check(password: &str, username: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(format!("the password needs at least {MIN_CHARS} characters (it has {chars})"));
    }
    if chars > MAX_CHARS {
        return Err(format!("the password may have at most {MAX_CHARS} characters (it has {chars})"));
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.trim() == username.trim().to_lowercase() {
        return Err("the password cannot be the username".into());
    }
    if is_common(&lower) {
        return Err("that password is one of the commonest passwords, which are tried first: choose another".into());
    }
    Ok(())
}

/// Whether `password` (any case) is on the list of commonest passwords.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON.lines().any(|p| p == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_and_composition_does_not() {
        assert!(check("short pass", "pat").unwrap_err().contains("at least 12"));
        assert!(check(&"x".repeat(257), "pat").unwrap_err().contains("at most 256"));
        assert_eq!(check("correct horse battery staple", "pat"), Ok(()));
        assert_eq!(check("all lower case letters", "pat"), Ok(()), "no composition rules");
        assert_eq!(check(&"é".repeat(12), "pat"), Ok(()), "characters, not bytes");
    }

    #[test]
    fn the_commonest_and_the_username_are_refused() {
        assert_eq!(COMMON.lines().count(), 30_000);
        assert_eq!(COMMON.lines().next(), Some("123456"));
        assert!(is_common("password"));
        assert!(check("123qweasdzxc", "pat").is_err_and(|e| e.contains("commonest")), "on the list");
        assert!(check("1qaz2wsx3edc", "pat").is_err());
        assert!(check("QAZWSXEDCRFV", "pat").is_err(), "any case");
        assert!(check("sergeant.smith", "sergeant.smith").unwrap_err().contains("username"));
        assert!(check("Sergeant.Smith", "sergeant.smith").is_err());
    }
}
