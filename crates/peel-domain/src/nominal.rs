//! The nominal index (issue 10 §1): the vocabulary of what a person's record holds beyond
//! their name, and how two records are judged to be possibly the same person.
//!
//! Possible duplicates are scored from three pieces of evidence, each with the reason it
//! gives, in the spirit of Fellegi and Sunter's record linkage (1969): agreement on a rare
//! thing counts for more than agreement on a common one, and disagreement on a date of birth
//! counts against. A name alone, however close, never makes a possible duplicate: a force
//! holds many people of a common name; a name with a date of birth or a shared address does.
//! The weights below are Peel's, chosen so that the sums read as a records officer reasons,
//! and are data, not code: change them here and every list follows.

use crate::name_search::{name_words, similarity, sounds};

/// Self-defined ethnicity: the "18+1" codes police forces record (the 18 categories of the
/// 2011 Census of England and Wales, with the police code of each, and "not stated"; Home
/// Office, Police powers and procedures statistics, ethnicity guidance).
pub const ETHNICITIES: [(&str, &str); 19] = [
    ("W1", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("W2", "White: Irish"),
    ("W3", "White: Gypsy or Irish Traveller"),
    ("W9", "White: any other White background"),
    ("M1", "Mixed: White and Black Caribbean"),
    ("M2", "Mixed: White and Black African"),
    ("M3", "Mixed: White and Asian"),
    ("M9", "Mixed: any other Mixed or multiple ethnic background"),
    ("A1", "Asian or Asian British: Indian"),
    ("A2", "Asian or Asian British: Pakistani"),
    ("A3", "Asian or Asian British: Bangladeshi"),
    ("A4", "Asian or Asian British: Chinese"),
    ("A9", "Asian or Asian British: any other Asian background"),
    ("B1", "Black or Black British: Caribbean"),
    ("B2", "Black or Black British: African"),
    ("B9", "Black or Black British: any other Black, African or Caribbean background"),
    ("O2", "Other ethnic group: Arab"),
    ("O9", "Other ethnic group: any other ethnic group"),
    ("NS", "Not stated"),
];

/// The label of an 18+1 code, or the text itself for a record written before the codes (free
/// text is kept as it was said).
pub fn ethnicity_label(code_or_text: &str) -> &str {
    ETHNICITIES.iter().find(|(c, _)| *c == code_or_text).map_or(code_or_text, |(_, l)| l)
}

/// Warning markers: what an officer must know before meeting the person (issue 10 §1; the
/// College of Policing's Authorised Professional Practice on information management lists
/// these among the warning signals a nominal record carries). Each is dated and reviewed.
pub const WARNING_MARKERS: [(&str, &str); 6] = [
    ("violence", "Violence"),
    ("weapons", "Weapons"),
    ("self-harm", "Self-harm"),
    ("mental-health", "Mental health"),
    ("vulnerable-adult", "Vulnerable adult"),
    ("child", "Child (safeguarding)"),
];

/// A marker's label; `None` for a word that is not a marker.
pub fn marker_label(word: &str) -> Option<&'static str> {
    WARNING_MARKERS.iter().find(|(w, _)| *w == word).map(|(_, l)| *l)
}

/// How long a marker stands before it must be reviewed, when no date is given: a year
/// (APP information management: records are reviewed, and a marker that no longer applies
/// misleads the officer who reads it).
pub const MARKER_REVIEW_DAYS: i64 = 365;

/// What a person's record says, for comparing two of them.
#[derive(Debug, Clone, Copy)]
pub struct Nominal<'a> {
    pub name: &'a str,
    /// YYYY-MM-DD.
    pub date_of_birth: Option<&'a str>,
    /// Their addresses' postcodes, normalised ("B9 5SS").
    pub postcodes: &'a [String],
}

/// How alike two records are, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Likeness {
    /// 0 to 100.
    pub score: i32,
    pub reasons: Vec<String>,
}

/// The score at which two records are a possible duplicate, to be reviewed.
pub const POSSIBLE_DUPLICATE: i32 = 65;

/// The weights of the evidence, each with its reason (see the module's notes).
pub mod weights {
    /// The same words of a name, in any order.
    pub const SAME_NAME: i32 = 50;
    /// Every word of one name sounds like a word of the other (Double Metaphone), and so
    /// does the family name.
    pub const NAMES_SOUND_ALIKE: i32 = 40;
    /// Names close in spelling (Jaro-Winkler, both ways, at least [`CLOSE_NAMES`]).
    pub const NAMES_CLOSE: i32 = 35;
    pub const CLOSE_NAMES: f64 = 0.90;
    pub const SAME_DATE_OF_BIRTH: i32 = 40;
    /// Dates of birth with day and month swapped: the commonest slip, and rare by chance.
    pub const DAY_AND_MONTH_SWAPPED: i32 = 20;
    /// Dates one digit apart: a slip, but two people of a common name are often born a digit
    /// apart by chance, so it does not make a possible duplicate on its own with the name.
    pub const DATES_ONE_DIGIT_APART: i32 = 10;
    /// Both dates known and not one slip apart: most likely two people.
    pub const DIFFERENT_DATES_OF_BIRTH: i32 = -40;
    pub const SAME_POSTCODE: i32 = 20;
}

/// How alike two records are; `None` when their names are not alike at all (no other
/// evidence is then weighed).
pub fn likeness(a: &Nominal, b: &Nominal) -> Option<Likeness> {
    use weights::*;
    let mut reasons = Vec::new();
    let (wa, wb) = (name_words(a.name), name_words(b.name));
    if wa.is_empty() || wb.is_empty() {
        return None;
    }
    let mut score = if same_words(&wa, &wb) {
        reasons.push(format!("same name (+{SAME_NAME})"));
        SAME_NAME
    } else if sound_alike(&wa, &wb) {
        reasons.push(format!("names sound alike (+{NAMES_SOUND_ALIKE})"));
        NAMES_SOUND_ALIKE
    } else {
        let close = similarity(a.name, b.name).min(similarity(b.name, a.name));
        if close < CLOSE_NAMES {
            return None;
        }
        reasons.push(format!("names {close:.2} alike in spelling (+{NAMES_CLOSE})"));
        NAMES_CLOSE
    };
    match (a.date_of_birth, b.date_of_birth) {
        (Some(x), Some(y)) if x == y => {
            score += SAME_DATE_OF_BIRTH;
            reasons.push(format!("same date of birth (+{SAME_DATE_OF_BIRTH})"));
        }
        (Some(x), Some(y)) if day_and_month_swapped(x, y) => {
            score += DAY_AND_MONTH_SWAPPED;
            reasons.push(format!("dates of birth {x} and {y}: day and month swapped (+{DAY_AND_MONTH_SWAPPED})"));
        }
        (Some(x), Some(y)) if one_digit_apart(x, y) => {
            score += DATES_ONE_DIGIT_APART;
            reasons.push(format!("dates of birth {x} and {y} one digit apart (+{DATES_ONE_DIGIT_APART})"));
        }
        (Some(x), Some(y)) => {
            score += DIFFERENT_DATES_OF_BIRTH;
            reasons.push(format!("different dates of birth, {x} and {y} ({DIFFERENT_DATES_OF_BIRTH})"));
        }
        _ => {}
    }
    if let Some(p) = a.postcodes.iter().find(|p| b.postcodes.contains(p)) {
        score += SAME_POSTCODE;
        reasons.push(format!("both at {p} (+{SAME_POSTCODE})"));
    }
    Some(Likeness { score: score.clamp(0, 100), reasons })
}

fn same_words(a: &[String], b: &[String]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

/// Every word of the shorter name sounds like a word of the longer, and the family names
/// (the last words) sound alike.
fn sound_alike(a: &[String], b: &[String]) -> bool {
    let alike = |x: &String, y: &String| x == y || sounds(x).iter().any(|k| sounds(y).contains(k));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let family = match (a.last(), b.last()) {
        (Some(x), Some(y)) => alike(x, y),
        _ => false,
    };
    family && short.iter().all(|w| long.iter().any(|v| alike(w, v)))
}

/// The same date but for day and month, swapped.
fn day_and_month_swapped(x: &str, y: &str) -> bool {
    let (Some(dx), Some(dy)) = (crate::date::Date::parse(x).ok(), crate::date::Date::parse(y).ok()) else {
        return false;
    };
    dx != dy && dx.year() == dy.year() && dx.month() == dy.day() && dx.day() == dy.month()
}

/// The same date written but for one digit.
fn one_digit_apart(x: &str, y: &str) -> bool {
    x.len() == y.len() && x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count() == 1
}

/// The keys under which a record is compared with others in a sweep of the whole index
/// ("blocking": only records sharing a key are compared): the family name's sound with the
/// date of birth and with each postcode, the given name's sound with the date of birth, and
/// the whole name with a date of birth's year and with its month and day (for dates one slip
/// apart). Every pair [`likeness`] scores a possible duplicate shares one, but for names whose
/// given and family names are both misspelt out of their sound: those are left to be found
/// as people are entered, by the search's spelling tolerance.
pub fn blocking_keys(n: &Nominal) -> Vec<String> {
    let words = name_words(n.name);
    let Some(family) = words.last() else { return vec![] };
    let mut family_sounds = sounds(family);
    if family_sounds.is_empty() {
        family_sounds.push(family.clone());
    }
    let mut keys = Vec::new();
    for s in &family_sounds {
        if let Some(d) = n.date_of_birth {
            keys.push(format!("b|{s}|{d}"));
        }
        for p in n.postcodes {
            keys.push(format!("p|{s}|{p}"));
        }
    }
    // A slip in the family name that changes its sound leaves the given name and the date.
    if let (Some(given), Some(d)) = (words.first().filter(|_| words.len() > 1), n.date_of_birth) {
        for s in sounds(given).into_iter().take(1) {
            keys.push(format!("g|{s}|{d}"));
        }
    }
    if let Some(d) = n.date_of_birth.filter(|d| d.len() == 10) {
        let mut sorted = words.clone();
        sorted.sort();
        let name = sorted.join(" ");
        // A slip in the day or month leaves the year; a slip in the year leaves the rest.
        keys.push(format!("y|{name}|{}", &d[..4]));
        keys.push(format!("m|{name}|{}", &d[5..]));
    }
    keys
}

/// Every pair of records (by their ids, the lower first) that is a possible duplicate, with
/// its likeness, from a sweep of `people` by their [`blocking_keys`]. Pairs come out ordered
/// by the first id, then the second.
pub fn possible_duplicates(people: &[(i64, Nominal)]) -> Vec<(i64, i64, Likeness)> {
    let mut blocks: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, (_, n)) in people.iter().enumerate() {
        for k in blocking_keys(n) {
            blocks.entry(k).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for members in blocks.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if i != j {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = Vec::new();
    for (i, j) in pairs {
        let ((a, na), (b, nb)) = (&people[i], &people[j]);
        if let Some(l) = likeness(na, nb).filter(|l| l.score >= POSSIBLE_DUPLICATE) {
            out.push((*a.min(b), *a.max(b), l));
        }
    }
    out.sort_by_key(|p| (p.0, p.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n<'a>(name: &'a str, dob: Option<&'a str>, postcodes: &'a [String]) -> Nominal<'a> {
        Nominal { name, date_of_birth: dob, postcodes }
    }

    #[test]
    fn a_misspelt_name_with_the_same_date_of_birth_is_a_possible_duplicate() {
        let l = likeness(&n("Jon Smyth", Some("1990-03-04"), &[]), &n("John Smith", Some("1990-03-04"), &[])).unwrap();
        assert_eq!(l.score, 80);
        assert_eq!(l.reasons, ["names sound alike (+40)", "same date of birth (+40)"]);
    }

    #[test]
    fn a_name_alone_is_not_enough_and_a_different_date_of_birth_counts_against() {
        let alone = likeness(&n("Avery Example", None, &[]), &n("Avery Example", None, &[])).unwrap();
        assert_eq!(alone.score, 50);
        assert!(alone.score < POSSIBLE_DUPLICATE);
        let two = likeness(&n("Avery Example", Some("1990-01-01"), &[]), &n("Avery Example", Some("1975-06-30"), &[]))
            .unwrap();
        assert_eq!(two.score, 10);
        assert_eq!(likeness(&n("Avery Example", None, &[]), &n("Morgan Sample", None, &[])), None);
    }

    #[test]
    fn a_shared_postcode_and_a_keying_slip_count() {
        let here = ["B9 5SS".to_string()];
        let l = likeness(&n("Avery Example", None, &here), &n("Avery Example", None, &here)).unwrap();
        assert_eq!(l.score, 70);
        assert_eq!(l.reasons[1], "both at B9 5SS (+20)");
        // Day and month swapped; one digit different (not enough with a name alone).
        let swapped =
            likeness(&n("Avery Example", Some("1990-03-04"), &[]), &n("Avery Example", Some("1990-04-03"), &[]))
                .unwrap();
        assert_eq!(swapped.score, 70);
        let digit =
            likeness(&n("Avery Example", Some("1990-03-04"), &[]), &n("Avery Example", Some("1991-03-04"), &[]))
                .unwrap();
        assert_eq!(digit.score, 60);
        assert!(digit.score < POSSIBLE_DUPLICATE);
        let digit_here =
            likeness(&n("Avery Example", Some("1990-03-04"), &here), &n("Avery Example", Some("1991-03-04"), &here))
                .unwrap();
        assert_eq!(digit_here.score, 80);
        // Close in spelling though not in sound.
        let close =
            likeness(&n("Casey Thompson", Some("2001-02-03"), &[]), &n("Casey Thomspon", Some("2001-02-03"), &[]))
                .unwrap();
        assert!(close.score >= POSSIBLE_DUPLICATE, "{close:?}");
    }

    #[test]
    fn the_sweep_finds_each_pair_once_and_only_the_possible_ones() {
        let here = vec!["B9 5SS".to_string()];
        let people = vec![
            (1, n("Jon Smyth", Some("1990-03-04"), &[])),
            (2, n("Avery Example", None, &here)),
            (3, n("John Smith", Some("1990-03-04"), &here)),
            (4, n("Avery Example", None, &here)),
            (5, n("John Smith", Some("1980-01-01"), &[])),
            (6, n("Avery Example", Some("1990-04-03"), &[])),
            (7, n("Avery Example", Some("1990-03-04"), &[])),
            (8, n("Avery Example", Some("1991-03-04"), &here)),
            (11, n("Avery Example", Some("1990-03-04"), &here)),
            (9, n("Casey Thompson", Some("2001-02-03"), &[])),
            (10, n("Casey Thomspon", Some("2001-02-03"), &[])),
        ];
        let found: Vec<(i64, i64, i32)> =
            possible_duplicates(&people).into_iter().map(|(a, b, l)| (a, b, l.score)).collect();
        // By brute force over every pair, for the check.
        let mut all = Vec::new();
        for (i, (a, x)) in people.iter().enumerate() {
            for (b, y) in &people[i + 1..] {
                if let Some(l) = likeness(x, y).filter(|l| l.score >= POSSIBLE_DUPLICATE) {
                    all.push((*a, *b, l.score));
                }
            }
        }
        assert_eq!(found, all);
        assert_eq!(
            found,
            [
                (1, 3, 80),
                (2, 4, 70),
                (2, 8, 70),
                (2, 11, 70),
                (4, 8, 70),
                (4, 11, 70),
                (6, 7, 70),
                (6, 11, 70),
                (7, 11, 90),
                (8, 11, 80),
                (9, 10, 75)
            ]
        );
    }

    #[test]
    fn codes_have_labels() {
        assert_eq!(ethnicity_label("W3"), "White: Gypsy or Irish Traveller");
        assert_eq!(ethnicity_label("said in their own words"), "said in their own words");
        assert_eq!(marker_label("weapons"), Some("Weapons"));
        assert_eq!(marker_label("armed"), None);
    }
}
