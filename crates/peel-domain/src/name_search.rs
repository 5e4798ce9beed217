//! Finding a person by name as an officer types it: misspelt, partial, with or without a date
//! of birth (issue 10 §2, "misspellings found").
//!
//! A person is indexed under the words of their name, each word's Double Metaphone keys
//! (Philips 2000: "Smith" and "Smyth" share SM0, "Jonson" and "Johnson" JNSN) and their date
//! of birth. A query asks, for every word typed, for that word, a word it begins, or a word
//! that sounds like it; the people found are then ranked by how close their name is to what
//! was typed (Jaro-Winkler over the words, best match for each). A phonetic key is not an
//! oracle: "Thompson" (TMPS) and "Tomson" (TMSN) differ, and only the first three letters
//! typed would then find the one from the other. The same words go into
//! SQLite's FTS5 index and PostgreSQL's `tsvector`, so both stores find the same people.
//!
//! Keys are prefixed (`0k…` for a metaphone key, `0b…` for a date of birth) so that neither
//! a word of a name nor the beginning of one typed matches them: names begin with a letter,
//! and a word typed is matched by its beginning ("max" must not find the key of "Ashley",
//! AXL, were it kept as `maxl`). Words are folded to ASCII letters and digits, the only
//! characters both stores' tokenisers keep whole.

use rphonetic::DoubleMetaphone;

/// The words a person is indexed under: name words, their phonetic keys, the date of birth.
pub fn index_words(name: &str, date_of_birth: Option<&str>) -> String {
    let mut out: Vec<String> = Vec::new();
    let encoder = DoubleMetaphone::default();
    let mut words = name_words(name);
    for part in apostrophe_parts(name) {
        if !words.contains(&part) {
            words.push(part);
        }
    }
    for w in words {
        for k in keys(&encoder, &w) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    if let Some(d) = date_of_birth.and_then(date_word) {
        out.push(d);
    }
    out.join(" ")
}

/// A name search: for each word typed, the alternatives any of which a person's words must
/// hold (the word, a word it begins, a word with its sound); and a date of birth, if typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameQuery {
    pub words: Vec<Alternatives>,
    pub date_of_birth: Option<String>,
    /// The name as typed, for ranking.
    pub typed: String,
}

/// One word of a query and what may stand for it in the index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alternatives {
    /// The word itself.
    pub word: String,
    /// Whether a word that begins with it counts (a word of three letters or more).
    pub prefix: bool,
    /// Its phonetic keys, as indexed.
    pub sounds: Vec<String>,
}

impl NameQuery {
    /// The query's words and date of birth; `None` when it holds no word of a name.
    pub fn parse(q: &str) -> Option<NameQuery> {
        let encoder = DoubleMetaphone::default();
        let mut query = NameQuery::default();
        let mut typed = Vec::new();
        for piece in q.split_whitespace() {
            if let Some(d) = crate::date::Date::parse(piece).ok().or_else(|| uk_date(piece)) {
                query.date_of_birth = Some(d.to_string());
                continue;
            }
            for w in name_words(piece) {
                typed.push(w.clone());
                query.words.push(Alternatives { prefix: w.len() >= 3, sounds: keys(&encoder, &w), word: w });
            }
        }
        query.typed = typed.join(" ");
        (!query.words.is_empty()).then_some(query)
    }

    /// The date of birth as the index holds it.
    pub fn date_word(&self) -> Option<String> {
        self.date_of_birth.as_deref().and_then(date_word)
    }
}

/// How close a person's name is to the name typed, 0 to 1: for each word typed, its best
/// Jaro-Winkler similarity with a word of the name, averaged. Word order does not matter
/// ("Example Avery" finds Avery Example as well as the other way round).
pub fn similarity(typed: &str, name: &str) -> f64 {
    let words: Vec<String> = name_words(name);
    let typed: Vec<String> = name_words(typed);
    if typed.is_empty() || words.is_empty() {
        return 0.0;
    }
    let best = |t: &String| words.iter().map(|w| strsim::jaro_winkler(t, w)).fold(0.0, f64::max);
    typed.iter().map(best).sum::<f64>() / typed.len() as f64
}

/// A name's words: lower case, letters and digits only, accents dropped where they have a
/// plain letter ("Zoë" → "zoe"); an apostrophe joins ("O'Neill" → "oneill"), a hyphen or
/// space splits.
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !(c.is_alphanumeric() || APOSTROPHES.contains(&c)))
        .map(|w| w.chars().filter_map(fold).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

const APOSTROPHES: [char; 3] = ['\'', '’', '‘'];

/// The parts of a word an apostrophe joined ("O'Neill" → "o", "neill"), indexed as well, so
/// that "Neill" alone also finds the name.
fn apostrophe_parts(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.chars().filter_map(fold).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

fn fold(c: char) -> Option<char> {
    let c = c.to_lowercase().next()?;
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    // Latin letters with marks, as names in English records carry them.
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        _ => return None,
    };
    Some(plain)
}

/// A word's Double Metaphone keys (primary, and alternate where it differs), as indexed.
fn keys(encoder: &DoubleMetaphone, word: &str) -> Vec<String> {
    if !word.chars().any(|c| c.is_ascii_alphabetic()) {
        return vec![];
    }
    let r = encoder.double_metaphone(word);
    let mut out = Vec::new();
    for k in [r.primary(), r.alternate()] {
        let k = format!("0k{}", k.to_ascii_lowercase());
        if k.len() > 2 && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// A word's Double Metaphone keys, as they are (no index prefix): for comparing two names.
pub fn sounds(word: &str) -> Vec<String> {
    keys(&DoubleMetaphone::default(), word).into_iter().map(|k| k[2..].to_string()).collect()
}

/// A date of birth as one index word: `0b19900501`.
fn date_word(date: &str) -> Option<String> {
    let d = crate::date::Date::parse(date).ok()?;
    Some(format!("0b{}", d.to_string().replace('-', "")))
}

/// A date typed the British way, DD/MM/YYYY.
fn uk_date(s: &str) -> Option<crate::date::Date> {
    let mut p = s.split('/');
    let (d, m, y) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() || y.len() != 4 {
        return None;
    }
    crate::date::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(index: &str, q: &NameQuery) -> bool {
        let words: Vec<&str> = index.split(' ').collect();
        q.words.iter().all(|a| {
            words
                .iter()
                .any(|w| *w == a.word || (a.prefix && w.starts_with(&a.word)) || a.sounds.iter().any(|s| s == w))
        }) && q.date_word().is_none_or(|d| words.contains(&d.as_str()))
    }

    #[test]
    fn misspelt_names_sound_alike() {
        for (stored, typed) in [
            ("Avery Smith", "avery smyth"),
            ("Jordan Johnson", "Jordan Jonson"),
            ("Casey Thomson", "casey tomson"),
            ("Sam Stephens", "sam stevens"),
            ("Ali Mohammed", "ali muhammad"),
            ("Robin Reid", "robin reed"),
            ("Kathryn Example", "Catherine Example"),
            ("Morgan O'Neill", "morgan oneil"),
            ("Morgan O'Neill", "morgan o'neill"),
            ("Morgan O'Neill", "neill"),
            ("Zoë Sample", "zoe sample"),
        ] {
            let q = NameQuery::parse(typed).unwrap();
            assert!(holds(&index_words(stored, None), &q), "{typed} → {stored}: {}", index_words(stored, None));
        }
        // A different name is not found, nor a name whose phonetic key a typed word begins.
        let q = NameQuery::parse("avery jones").unwrap();
        assert!(!holds(&index_words("Avery Smith", None), &q));
        assert!(!holds(&index_words("Ashley Example", None), &NameQuery::parse("max").unwrap()));
        assert!(!holds(&index_words("Aaron Example", None), &NameQuery::parse("mar").unwrap()));
    }

    #[test]
    fn a_word_begun_finds_the_name_and_a_date_of_birth_narrows() {
        let stored = index_words("Avery Example", Some("1990-05-01"));
        assert!(holds(&stored, &NameQuery::parse("exam").unwrap()));
        assert!(holds(&stored, &NameQuery::parse("avery example 01/05/1990").unwrap()));
        assert!(holds(&stored, &NameQuery::parse("avery 1990-05-01").unwrap()));
        assert!(!holds(&stored, &NameQuery::parse("avery example 02/05/1990").unwrap()));
        assert_eq!(NameQuery::parse("01/05/1990"), None, "a date alone names nobody");
        assert_eq!(NameQuery::parse("avery 1990-05-01").unwrap().date_of_birth.as_deref(), Some("1990-05-01"));
    }

    #[test]
    fn similarity_ranks_the_closest_name_first() {
        let typed = "avery smyth";
        let mut names = ["Avery Smithers", "Avery Smith", "Ava Smith", "Avery Smyth"];
        names.sort_by(|a, b| similarity(typed, b).total_cmp(&similarity(typed, a)));
        assert_eq!(names[0], "Avery Smyth");
        assert_eq!(names[1], "Avery Smith");
        assert!((similarity("example avery", "Avery Example") - 1.0).abs() < 1e-12);
        assert_eq!(similarity("", "Avery"), 0.0);
    }
}
