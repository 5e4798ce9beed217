//! Flags on a crime: what it is as well as what offence it is, for the force's themes and
//! returns. A flag is a kebab-case word from this table; hate crime carries its strand.
//!
//! Sources: Home Office Counting Rules (domestic abuse and hate crime flags; the five
//! centrally monitored hate crime strands); seed 001 §12 (Operation Sentinel's hidden harms:
//! domestic abuse, child sexual exploitation, human trafficking / modern slavery, forced
//! marriage, honour-based violence, female genital mutilation); seed 002 (business crime,
//! assaults on retail workers); seed 000 (Operation Nexo: crime on a hospital site).

use crate::field_error::FieldError;

/// (flag, what it marks).
pub const FLAGS: &[(&str, &str)] = &[
    ("domestic-abuse", "domestic abuse (Home Office flag)"),
    ("business-crime", "crime against a business"),
    ("retail-worker-assault", "assault on a retail worker"),
    ("hospital-site", "committed on a hospital site (Operation Nexo)"),
    ("child-sexual-exploitation", "child sexual exploitation (Operation Sentinel)"),
    ("modern-slavery", "human trafficking and modern slavery (Operation Sentinel)"),
    ("forced-marriage", "forced marriage (Operation Sentinel)"),
    ("honour-based-abuse", "honour-based violence and abuse (Operation Sentinel)"),
    ("female-genital-mutilation", "female genital mutilation (Operation Sentinel)"),
    ("child-abuse", "child abuse"),
    ("rape-serious-sexual-offence", "rape and serious sexual offences"),
];

/// Flags added after the hate crime strands: their bits follow the strands' (see [`bit`]).
/// Assaults on emergency workers: Assaults on Emergency Workers (Offences) Act 2018, which
/// forces flag for its aggravated sentencing (issue 10 §3).
pub const LATER_FLAGS: &[(&str, &str)] =
    &[("emergency-worker-assault", "assault on an emergency worker (Assaults on Emergency Workers Act 2018)")];

/// Every flag but hate crime, in the order they are offered.
pub fn all_flags() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    FLAGS.iter().chain(LATER_FLAGS)
}

/// The five hate crime strands monitored centrally (Home Office), as `hate-crime:<strand>`.
pub const HATE_STRANDS: &[&str] = &["race", "religion", "sexual-orientation", "disability", "transgender-identity"];

/// Checks one flag; hate crime must name its strand, e.g. `hate-crime:religion`.
pub fn check(flag: &str) -> Result<(), FieldError> {
    if let Some(strand) = flag.strip_prefix("hate-crime:") {
        return if HATE_STRANDS.contains(&strand) {
            Ok(())
        } else {
            Err(FieldError::new(
                "flags",
                format!("'{strand}' is not a hate crime strand; expected one of: {}", HATE_STRANDS.join(", ")),
            ))
        };
    }
    if all_flags().any(|(f, _)| *f == flag) {
        Ok(())
    } else {
        let words: Vec<&str> = all_flags().map(|(f, _)| *f).collect();
        Err(FieldError::new(
            "flags",
            format!("'{flag}' is not a flag; expected one of: {}, hate-crime:<strand>", words.join(", ")),
        ))
    }
}

/// A flag's bit in a crime's flag set (the analysis data keeps flags as one integer, so that
/// a scan tests a mask rather than parsing words): bit i is `FLAGS[i]`, bit 11 + j is
/// `hate-crime:<HATE_STRANDS[j]>`, then [`LATER_FLAGS`]. Stored, so the lists only ever grow
/// at their ends, and new flags go in `LATER_FLAGS`.
pub fn bit(flag: &str) -> Result<u64, FieldError> {
    check(flag)?;
    let i = match flag.strip_prefix("hate-crime:") {
        Some(strand) => FLAGS.len() + HATE_STRANDS.iter().position(|s| *s == strand).expect("checked"),
        None => match FLAGS.iter().position(|(f, _)| *f == flag) {
            Some(i) => i,
            None => {
                FLAGS.len() + HATE_STRANDS.len() + LATER_FLAGS.iter().position(|(f, _)| *f == flag).expect("checked")
            }
        },
    };
    Ok(1 << i)
}

/// The flags of a bit set, as words, in bit order.
pub fn words(bits: u64) -> Vec<String> {
    let hate = HATE_STRANDS.iter().map(|s| format!("hate-crime:{s}"));
    FLAGS
        .iter()
        .map(|(f, _)| f.to_string())
        .chain(hate)
        .chain(LATER_FLAGS.iter().map(|(f, _)| f.to_string()))
        .enumerate()
        .filter(|(i, _)| bits >> i & 1 == 1)
        .map(|(_, w)| w)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_bits_go_both_ways() {
        assert_eq!(bit("domestic-abuse").unwrap(), 1);
        assert_eq!(bit("hospital-site").unwrap(), 1 << 3);
        assert_eq!(bit("hate-crime:race").unwrap(), 1 << 11);
        assert_eq!(bit("hate-crime:transgender-identity").unwrap(), 1 << 15);
        assert_eq!(bit("emergency-worker-assault").unwrap(), 1 << 16, "after the strands: stored bits stay");
        assert_eq!(words(1 << 16 | 1), ["domestic-abuse", "emergency-worker-assault"]);
        assert!(bit("hate-crime:football").is_err());
        let set = bit("domestic-abuse").unwrap() | bit("hate-crime:religion").unwrap();
        assert_eq!(words(set), ["domestic-abuse", "hate-crime:religion"]);
        assert!(words(0).is_empty());
    }

    #[test]
    fn known_flags_and_hate_strands() {
        assert!(check("domestic-abuse").is_ok());
        assert!(check("hospital-site").is_ok());
        assert!(check("hate-crime:disability").is_ok());
        let e = check("hate-crime:football").unwrap_err();
        assert_eq!(e.field, "flags");
        assert!(e.message.contains("race, religion"));
        assert!(check("hate-crime").is_err(), "a hate crime flag names its strand");
        assert!(check("Domestic-Abuse").is_err(), "flags are exact words");
    }

    #[test]
    fn sentinel_themes_are_all_flags() {
        for theme in [
            "child-sexual-exploitation",
            "modern-slavery",
            "forced-marriage",
            "honour-based-abuse",
            "female-genital-mutilation",
        ] {
            assert!(check(theme).is_ok(), "{theme}");
        }
    }
}
