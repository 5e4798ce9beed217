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

use crate::name_search::{name_words, sounds};

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
    explain(&Prepared::of(a), &Prepared::of(b))
}

/// A record made ready for comparing many times: its name's words folded, sorted and sounded
/// once (the sweep compares each record with several others).
/// A million of these are held at once by a sweep, so they are kept small: the sorted words
/// as a hash (checked word by word only when two hashes agree), each word's sounds as the
/// Double Metaphone keys packed into integers (a key is at most four letters).
struct Prepared<'a> {
    n: &'a Nominal<'a>,
    words: Vec<Box<str>>,
    sorted: u64,
    sounds: Vec<[u32; 2]>,
}

impl<'a> Prepared<'a> {
    fn of(n: &'a Nominal<'a>) -> Prepared<'a> {
        let words: Vec<Box<str>> = name_words(n.name).into_iter().map(String::into_boxed_str).collect();
        let sounds = words
            .iter()
            .map(|w| {
                let mut k = [0u32; 2];
                for (slot, s) in k.iter_mut().zip(sounds(w)) {
                    *slot = pack(&s);
                }
                k
            })
            .collect();
        Prepared { n, sorted: fnv1a(&sorted_name(&words)), words, sounds }
    }

    /// Word `i` of one and word `j` of the other are the same or share a sound.
    fn alike(&self, i: usize, other: &Prepared, j: usize) -> bool {
        self.words[i] == other.words[j] || self.sounds[i].iter().any(|k| *k != 0 && other.sounds[j].contains(k))
    }

    fn same_words(&self, other: &Prepared) -> bool {
        self.sorted == other.sorted && sorted_name(&self.words) == sorted_name(&other.words)
    }
}

fn sorted_name(words: &[Box<str>]) -> String {
    let mut sorted: Vec<&str> = words.iter().map(|w| &**w).collect();
    sorted.sort_unstable();
    sorted.join(" ")
}

/// A phonetic key of at most four ASCII letters as one integer (0 for none).
fn pack(key: &str) -> u32 {
    key.bytes().take(4).fold(0, |acc, b| (acc << 8) | u32::from(b))
}

/// The name's evidence: (weight, what it is), or `None` for names not alike at all.
enum NameEvidence {
    Same,
    SoundAlike,
    Close(f64),
}

fn name_evidence(a: &Prepared, b: &Prepared) -> Option<NameEvidence> {
    if a.words.is_empty() || b.words.is_empty() {
        return None;
    }
    if a.same_words(b) {
        return Some(NameEvidence::Same);
    }
    if sound_alike(a, b) {
        return Some(NameEvidence::SoundAlike);
    }
    let close = closeness(a, b).min(closeness(b, a));
    (close >= weights::CLOSE_NAMES).then_some(NameEvidence::Close(close))
}

/// [`crate::name_search::similarity`] over prepared words: for each word of `typed`, its best Jaro-Winkler
/// similarity with a word of `name`, averaged.
fn closeness(typed: &Prepared, name: &Prepared) -> f64 {
    let best = |t: &str| name.words.iter().map(|w| strsim::jaro_winkler(t, w)).fold(0.0, f64::max);
    typed.words.iter().map(|t| best(t)).sum::<f64>() / typed.words.len() as f64
}

/// The score alone, without the reasons' words: what the sweep computes for every pair it
/// considers (the reasons are written only for the pairs that reach [`POSSIBLE_DUPLICATE`]).
fn score(a: &Prepared, b: &Prepared) -> Option<i32> {
    use weights::*;
    let mut score = match name_evidence(a, b)? {
        NameEvidence::Same => SAME_NAME,
        NameEvidence::SoundAlike => NAMES_SOUND_ALIKE,
        NameEvidence::Close(_) => NAMES_CLOSE,
    };
    score += match (a.n.date_of_birth, b.n.date_of_birth) {
        (Some(x), Some(y)) if x == y => SAME_DATE_OF_BIRTH,
        (Some(x), Some(y)) if day_and_month_swapped(x, y) => DAY_AND_MONTH_SWAPPED,
        (Some(x), Some(y)) if one_digit_apart(x, y) => DATES_ONE_DIGIT_APART,
        (Some(_), Some(_)) => DIFFERENT_DATES_OF_BIRTH,
        _ => 0,
    };
    if a.n.postcodes.iter().any(|p| b.n.postcodes.contains(p)) {
        score += SAME_POSTCODE;
    }
    Some(score.clamp(0, 100))
}

/// The score with its reasons.
fn explain(a: &Prepared, b: &Prepared) -> Option<Likeness> {
    use weights::*;
    let mut reasons = Vec::new();
    let mut score = match name_evidence(a, b)? {
        NameEvidence::Same => {
            reasons.push(format!("same name (+{SAME_NAME})"));
            SAME_NAME
        }
        NameEvidence::SoundAlike => {
            reasons.push(format!("names sound alike (+{NAMES_SOUND_ALIKE})"));
            NAMES_SOUND_ALIKE
        }
        NameEvidence::Close(close) => {
            reasons.push(format!("names {close:.2} alike in spelling (+{NAMES_CLOSE})"));
            NAMES_CLOSE
        }
    };
    match (a.n.date_of_birth, b.n.date_of_birth) {
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
    if let Some(p) = a.n.postcodes.iter().find(|p| b.n.postcodes.contains(p)) {
        score += SAME_POSTCODE;
        reasons.push(format!("both at {p} (+{SAME_POSTCODE})"));
    }
    Some(Likeness { score: score.clamp(0, 100), reasons })
}

/// Every word of the shorter name sounds like a word of the longer, and the family names
/// (the last words) sound alike.
fn sound_alike(a: &Prepared, b: &Prepared) -> bool {
    let (short, long) = if a.words.len() <= b.words.len() { (a, b) } else { (b, a) };
    a.alike(a.words.len() - 1, b, b.words.len() - 1)
        && (0..short.words.len()).all(|i| (0..long.words.len()).any(|j| short.alike(i, long, j)))
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
/// date of birth and with each postcode, the given name's sound with the date of birth and
/// with each postcode, the whole name with each postcode, and the whole name with a date of
/// birth's year and with its month and day (for dates one slip apart). A pair the scorer
/// accepts shares one unless both its names are misspelt out of their sound, or its family
/// name is and its date of birth slipped with no address shared: those are left to the
/// search's spelling tolerance as people are entered.
pub fn blocking_keys(n: &Nominal) -> Vec<String> {
    keys_of(&Prepared::of(n))
}

fn keys_of(p: &Prepared) -> Vec<String> {
    let n = p.n;
    let words = &p.words;
    let Some(family) = words.last() else { return vec![] };
    let mut family_sounds: Vec<String> =
        p.sounds[words.len() - 1].iter().filter(|k| **k != 0).map(|k| format!("{k:x}")).collect();
    if family_sounds.is_empty() {
        family_sounds.push(family.to_string());
    }
    let mut keys = Vec::new();
    for s in &family_sounds {
        if let Some(d) = n.date_of_birth {
            keys.push(format!("b|{s}|{d}"));
        }
        for pc in n.postcodes {
            keys.push(format!("p|{s}|{pc}"));
        }
    }
    // A slip in the family name that changes its sound leaves the given name and the date.
    if let (Some(given), Some(d)) = (p.sounds.first().filter(|_| words.len() > 1), n.date_of_birth) {
        if given[0] != 0 {
            keys.push(format!("g|{:x}|{d}", given[0]));
        }
    }
    // A shared address with the given name's sound (the family name misspelt out of its
    // sound) or with the whole name (words in another order, no date of birth).
    for pc in n.postcodes {
        if let Some(given) = p.sounds.first().filter(|_| words.len() > 1).filter(|g| g[0] != 0) {
            keys.push(format!("q|{:x}|{pc}", given[0]));
        }
        keys.push(format!("s|{}|{pc}", sorted_name(words)));
    }
    if let Some(d) = n.date_of_birth.filter(|d| d.len() == 10) {
        let name = sorted_name(words);
        // A slip in the day or month leaves the year; a slip in the year leaves the rest.
        keys.push(format!("y|{name}|{}", &d[..4]));
        keys.push(format!("m|{name}|{}", &d[5..]));
    }
    keys
}

/// FNV-1a, 64 bits: a block's key as a number, so that a million people's keys sort as
/// integers. Two keys that collide only put two blocks together: more pairs compared, none
/// missed.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// One thread's share of the records, prepared, with (block, record) for each of their keys.
type PreparedPart<'a> = (Vec<Prepared<'a>>, Vec<(u64, u32)>);

/// Every pair of records (by their ids, the lower first) that is a possible duplicate, with
/// its likeness, from a sweep of `people` by their [`blocking_keys`]. Pairs come out ordered
/// by the first id, then the second. The records are prepared and the pairs scored on every
/// core.
pub fn possible_duplicates(people: &[(i64, Nominal)]) -> Vec<(i64, i64, Likeness)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = people.len().div_ceil(threads).max(1);
    // Prepared records, and (block, record) for every key of every record.
    let parts: Vec<PreparedPart> = std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    let mut prepared = Vec::with_capacity(part.len());
                    let mut keys = Vec::with_capacity(part.len() * 5);
                    for (i, (_, n)) in part.iter().enumerate() {
                        let p = Prepared::of(n);
                        let at = (c * chunk + i) as u32;
                        keys.extend(keys_of(&p).iter().map(|k| (fnv1a(k), at)));
                        prepared.push(p);
                    }
                    (prepared, keys)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("preparing records")).collect()
    });
    let mut prepared = Vec::with_capacity(people.len());
    let mut keys = Vec::new();
    for (p, k) in parts {
        prepared.extend(p);
        keys.extend(k);
    }
    keys.sort_unstable();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for block in keys.chunk_by(|a, b| a.0 == b.0) {
        for (x, &(_, i)) in block.iter().enumerate() {
            for &(_, j) in &block[x + 1..] {
                if i != j {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    drop(keys);
    pairs.sort_unstable();
    pairs.dedup();
    let chunk = pairs.len().div_ceil(threads).max(1);
    let prepared = &prepared;
    let mut found: Vec<(i64, i64, Likeness)> = std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for &(i, j) in part {
                        let (a, b) = (&prepared[i as usize], &prepared[j as usize]);
                        if score(a, b).is_some_and(|s| s >= POSSIBLE_DUPLICATE) {
                            let (x, y) = (people[i as usize].0, people[j as usize].0);
                            out.push((x.min(y), x.max(y), explain(a, b).expect("scored")));
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("scoring pairs")).collect()
    });
    found.sort_by_key(|p| (p.0, p.1));
    found
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
        let there = vec!["WS1 1AA".to_string()];
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
            // Close in spelling, not in sound, with day and month swapped at one address.
            (12, n("Robin Thompson", Some("2001-02-03"), &there)),
            (13, n("Robin Thomspon", Some("2001-03-02"), &there)),
            // The same words in another order at one address.
            (14, n("Smith Jordan", None, &there)),
            (15, n("Jordan Smith", None, &there)),
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
                (9, 10, 75),
                (12, 13, 75),
                (14, 15, 70)
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
