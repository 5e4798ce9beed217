//! One search box for the whole force's records (issue 10 §2): what is typed is read as a
//! reference (CRM-, RPT-, INC-), a postcode, an offence (code or words of its description),
//! an officer (name, username or collar number) and a person's name (misspelt or not, with or
//! without a date of birth), and every reading that finds something is answered. Everything
//! found is within the searcher's reach (`Reach`): a person only with a crime the searcher
//! may see, unless their reach is the force.
//!
//! Decisions: a reference or a postcode is unambiguous, so a match on either answers alone;
//! offence words and names may both fit ("Burglary" is also a surname), so both are tried.
//! People are ranked by how close their name is to what was typed and the closest
//! [`PEOPLE_SHOWN`] shown; crimes are newest first, a page at a time, with a true total (up
//! to `SEARCH_COUNT_CAP`, then "or more").

use crate::Result;
use peel_domain::name_search::{similarity, NameQuery};
use peel_domain::offence;
use peel_store::casework::{Crime, CrimeMatch, CrimeNarrowing, FoundPerson, Reach};
use peel_store::CaseStore;
use serde::Serialize;

/// The longest search taken: a reference, a name with a date of birth, an offence's words.
pub const MAX_QUERY_CHARS: usize = 200;

/// Crimes on one page of results.
pub const CRIMES_PER_PAGE: usize = 25;
/// The closest people shown.
pub const PEOPLE_SHOWN: usize = 25;
/// People a name search considers before ranking: enough for every likely match of a full
/// name; a single common word may find more, and then the ranking is over these.
const PEOPLE_CONSIDERED: usize = 500;
/// Offence codes an offence search takes at most (words such as "theft" match dozens).
const OFFENCES_AT_MOST: usize = 60;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub q: String,
    /// A record the query names by its reference.
    pub record: Option<RecordHit>,
    /// How the crimes listed were found ("crimes at B9 5SS"), if any were looked for.
    pub crimes_found_by: Option<String>,
    pub crimes: Vec<CrimeHit>,
    /// All the crimes found, up to the count cap.
    pub crimes_total: u64,
    /// Whether the count stopped at its cap (there may be more).
    pub crimes_capped: bool,
    pub page: usize,
    pub people: Vec<PersonHit>,
    /// People found before the closest were kept.
    pub people_found: usize,
}

impl SearchResults {
    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.record.is_none() && self.crimes.is_empty() && self.people.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordHit {
    /// crime | report | incident
    pub kind: String,
    pub id: i64,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrimeHit {
    pub id: i64,
    pub reference: String,
    pub offence_code: String,
    pub offence: String,
    pub recorded_at: String,
    pub team: Option<String>,
    pub officer: Option<String>,
    pub outcome: Option<String>,
    /// The person's role on it, for a person's crimes (victim | suspect | witness).
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonHit {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Option<String>,
    pub is_business: bool,
    /// Their recorded crimes within the searcher's reach.
    pub crimes: u64,
    /// How close the name is to what was typed, 0 to 1.
    pub score: f64,
}

impl CrimeHit {
    pub fn of(c: &Crime, role: Option<String>) -> CrimeHit {
        CrimeHit {
            id: c.id,
            reference: c.reference.clone(),
            offence_code: c.offence_code.clone(),
            offence: offence::by_code(&c.offence_code).map_or_else(String::new, |o| o.description.to_string()),
            recorded_at: c.recorded_at.to_string(),
            team: c.team.clone(),
            officer: c.officer.clone(),
            outcome: c.outcome.clone(),
            role,
        }
    }
}

/// A reference as typed, in the form the records hold ("crm-2026-123" → "CRM-2026-000123").
pub fn reference_of(q: &str) -> Option<String> {
    let q = q.trim().to_ascii_uppercase();
    let mut parts = q.split('-');
    let (Some(kind), Some(year), Some(number), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let known = ["CRM", "RPT", "INC"].contains(&kind);
    let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let number: u64 = number.parse().ok().filter(|_| number.bytes().all(|b| b.is_ascii_digit()))?;
    (known && year_ok && number > 0).then(|| format!("{kind}-{year}-{number:06}"))
}

/// The offence codes a query names: a code itself ("28e" → 28E), else every offence whose
/// description holds every word typed ("residential burglary"), at most `OFFENCES_AT_MOST`.
pub fn offences_of(q: &str) -> (Vec<String>, Option<String>) {
    if let Some(o) = offence::by_code(q) {
        return (vec![o.code.to_string()], Some(format!("offence {} {}", o.code, o.description)));
    }
    let words: Vec<String> = q.split_whitespace().map(|w| w.to_lowercase()).filter(|w| w.len() >= 3).collect();
    if words.is_empty() {
        return (vec![], None);
    }
    let codes: Vec<String> = offence::all()
        .filter(|o| {
            let d = o.description.to_lowercase();
            words.iter().all(|w| d.split(|c: char| !c.is_alphanumeric()).any(|x| x.starts_with(w.as_str())))
        })
        .map(|o| o.code.to_string())
        .take(OFFENCES_AT_MOST)
        .collect();
    let label = (!codes.is_empty()).then(|| format!("offences matching \"{}\" ({})", q.trim(), codes.join(", ")));
    (codes, label)
}

/// Searches the records within `reach`: page `page` (from 1) of the crimes found.
pub fn search(store: &dyn CaseStore, q: &str, reach: &Reach, page: usize) -> Result<SearchResults> {
    search_narrowed(store, q, reach, &CrimeNarrowing::default(), page)
}

/// `search`, with the crimes found narrowed and ordered as `narrowing` asks (the people found
/// are not: a person is found by their name).
pub fn search_narrowed(
    store: &dyn CaseStore,
    q: &str,
    reach: &Reach,
    narrowing: &CrimeNarrowing,
    page: usize,
) -> Result<SearchResults> {
    let page = page.max(1);
    let mut out = SearchResults {
        q: q.trim().to_string(),
        record: None,
        crimes_found_by: None,
        crimes: vec![],
        crimes_total: 0,
        crimes_capped: false,
        page,
        people: vec![],
        people_found: 0,
    };
    let q = out.q.clone();
    if q.is_empty() {
        return Ok(out);
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(peel_domain::field_error::FieldError::new(
            "q",
            format!("a search is at most {MAX_QUERY_CHARS} characters"),
        )
        .into());
    }
    if let Some(reference) = reference_of(&q) {
        if let Some((kind, id)) = store.find_reference(&reference)? {
            if record_within(store, kind, id, reach)? {
                out.record = Some(RecordHit { kind: kind.to_string(), id, reference });
            }
        }
        return Ok(out);
    }
    let crimes = crimes_matching(store, &q)?;
    let by_postcode = matches!(crimes, Some((CrimeMatch::Postcode(_), _)));
    if let Some((m, label)) = crimes {
        let (found, total) =
            store.find_crimes_narrowed(&m, reach, narrowing, CRIMES_PER_PAGE, (page - 1) * CRIMES_PER_PAGE)?;
        out.crimes = found.iter().map(|(c, role)| CrimeHit::of(c, role.clone())).collect();
        out.crimes_total = total;
        out.crimes_capped = total >= peel_store::SEARCH_COUNT_CAP;
        out.crimes_found_by = Some(label);
    }
    if !by_postcode {
        if let Some(name) = NameQuery::parse(&q) {
            let found = store.find_people(&name, reach, PEOPLE_CONSIDERED)?;
            out.people_found = found.len();
            out.people = rank(&name.typed, found);
        }
    }
    Ok(out)
}

/// How a query finds crimes, with the words that say so ("crimes reported at B9 5SS"): a
/// postcode, else an officer, else an offence; none for a reference or a name alone.
pub fn crimes_matching(store: &dyn CaseStore, q: &str) -> Result<Option<(CrimeMatch, String)>> {
    let q = q.trim();
    if q.is_empty() || reference_of(q).is_some() {
        return Ok(None);
    }
    if let Some(postcode) = peel_store::normalise_postcode(q) {
        return Ok(Some((CrimeMatch::Postcode(postcode.clone()), format!("crimes reported at {postcode}"))));
    }
    if let Some((username, label)) = officer_of(store, q)? {
        return Ok(Some((CrimeMatch::Officer(username), format!("crimes allocated to {label}"))));
    }
    let (codes, label) = offences_of(q);
    Ok(label.map(|label| (CrimeMatch::Offences(codes), format!("crimes of {label}"))))
}

/// The closest `PEOPLE_SHOWN` people, closest first (then by name, then the earlier record).
fn rank(typed: &str, found: Vec<FoundPerson>) -> Vec<PersonHit> {
    let mut hits: Vec<PersonHit> = found
        .into_iter()
        .map(|p| PersonHit {
            score: similarity(typed, &p.name),
            id: p.id,
            name: p.name,
            date_of_birth: p.date_of_birth,
            is_business: p.is_business,
            crimes: p.crimes,
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)).then(a.id.cmp(&b.id)));
    hits.truncate(PEOPLE_SHOWN);
    hits
}

/// The officer a query names: by username or collar number exactly, or by every word of
/// their name; only when exactly one account with a caseload (officer or supervisor) fits.
fn officer_of(store: &dyn CaseStore, q: &str) -> Result<Option<(String, String)>> {
    use peel_domain::role::Role;
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let fits: Vec<_> = store
        .accounts()?
        .into_iter()
        .filter(|a| matches!(a.role, Role::Officer | Role::Supervisor))
        .filter(|a| {
            let name = a.display_name.to_lowercase();
            a.username.eq_ignore_ascii_case(q.trim())
                || a.collar.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(q.trim()))
                || (words.len() >= 2 && words.iter().all(|w| name.split_whitespace().any(|n| n == w)))
        })
        .collect();
    Ok(match fits.as_slice() {
        [a] => {
            let label = match &a.collar {
                Some(c) => format!("{} (collar {c})", a.display_name),
                None => a.display_name.clone(),
            };
            Some((a.username.clone(), label))
        }
        _ => None,
    })
}

/// Whether a record named by reference is within reach: a crime by its allocation; a report
/// or incident through the crimes recorded from it (only the force-wide see the rest).
fn record_within(store: &dyn CaseStore, kind: &str, id: i64, reach: &Reach) -> Result<bool> {
    if reach.is_force() {
        return Ok(true);
    }
    let incident = match kind {
        "crime" => return Ok(reach.covers(&store.crime(id)?.crime)),
        "report" => match store.report(id)?.incident {
            Some(i) => i,
            None => return Ok(false),
        },
        _ => id,
    };
    Ok(store.crimes_for_incident(incident)?.iter().any(|c| reach.covers(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_however_typed() {
        assert_eq!(reference_of("crm-2026-123").as_deref(), Some("CRM-2026-000123"));
        assert_eq!(reference_of(" RPT-2026-000042 ").as_deref(), Some("RPT-2026-000042"));
        assert_eq!(reference_of("INC-2026-7").as_deref(), Some("INC-2026-000007"));
        assert_eq!(reference_of("XYZ-2026-1"), None);
        assert_eq!(reference_of("CRM-26-1"), None);
        assert_eq!(reference_of("CRM-2026-0"), None);
        assert_eq!(reference_of("CRM-2026-1-2"), None);
        assert_eq!(reference_of("Avery Example"), None);
    }

    #[test]
    fn offences_by_code_or_by_the_words_of_their_description() {
        assert_eq!(offences_of("28e").0, vec!["28E"]);
        let (robbery, label) = offences_of("robbery");
        assert!(robbery.contains(&"34A".to_string()) && robbery.contains(&"34B".to_string()), "{robbery:?}");
        assert!(label.unwrap().contains("robbery"));
        // Every word must be in the description: "robbery personal" is 34B only.
        let (personal, _) = offences_of("robbery personal");
        assert!(personal.contains(&"34B".to_string()) && !personal.contains(&"34A".to_string()), "{personal:?}");
        assert_eq!(offences_of("Avery Example").0, Vec::<String>::new());
        assert_eq!(offences_of("of").0, Vec::<String>::new(), "a short word matches nothing");
    }
}
