//! The force's own areas — neighbourhood policing units (NPUs) and Impact Areas — as data:
//! each area is a set of members (local authorities, wards or LSOAs of the postcode
//! gazetteer), and [`AreaMap`] answers which NPU and which Impact Area a place is in.
//!
//! Why sets of public codes rather than polygons: the force's exact boundaries are not
//! public, every place Peel knows already carries its LSOA, ward and local authority (the
//! gazetteer), and a set of codes can be checked member by member against that gazetteer.
//!
//! How a place is placed ([`AreaMap::area`]):
//! 1. the area that lists the place's LSOA, else the one that lists its ward, else the one
//!    that lists its local authority — the most specific member wins, so a definition may
//!    name a borough and carve one LSOA out of it for a neighbouring unit;
//! 2. if the place's own codes are in no NPU, the LSOA's *home* ward and local authority
//!    (where most of the LSOA's postcodes lie, [`Gazetteer`]) stand in for them, for both
//!    kinds. This places the postcodes the gazetteer gives no ward (four in B42 9) and a
//!    postcode of a neighbouring district inside a force LSOA (WV6 8AX: South
//!    Staffordshire's Codsall ward, in a Wolverhampton LSOA); a place its own codes put in an
//!    NPU is never moved into an Impact Area by its LSOA's home.
//!
//! A definition is refused ([`check`]) if a member is not in the gazetteer, if a member is
//! listed twice within one kind (the map would have two answers), if an Impact Area has no
//! NPU or one not defined, or if any member of an Impact Area is placed in another NPU than
//! its own.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub mod west_midlands;

/// The two kinds of area the force defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Neighbourhood policing unit (seed 004 §7: "8 Neighbourhood Policing Units").
    Npu,
    /// Impact Area (seed 004 §21: "19 geographical areas within the Neighbourhood Policing
    /// Units").
    ImpactArea,
}

impl AreaKind {
    pub const ALL: [AreaKind; 2] = [AreaKind::Npu, AreaKind::ImpactArea];

    /// The word the store and files use: `npu`, `impact_area`.
    pub fn word(self) -> &'static str {
        match self {
            AreaKind::Npu => "npu",
            AreaKind::ImpactArea => "impact_area",
        }
    }

    /// `npu`, `impact_area` or `impact-area`, any case.
    pub fn parse(text: &str) -> Option<AreaKind> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "npu" => Some(AreaKind::Npu),
            "impact_area" => Some(AreaKind::ImpactArea),
            _ => None,
        }
    }

    /// In the force's words, plural: "NPUs", "Impact Areas".
    pub fn label(self) -> &'static str {
        match self {
            AreaKind::Npu => "NPUs",
            AreaKind::ImpactArea => "Impact Areas",
        }
    }
}

/// What an area's member is a code of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    /// Local authority (E08…).
    La,
    /// Electoral ward (E05…).
    Ward,
    /// Lower layer super output area, 2011 (E01…).
    Lsoa,
}

impl MemberKind {
    pub fn word(self) -> &'static str {
        match self {
            MemberKind::La => "la",
            MemberKind::Ward => "ward",
            MemberKind::Lsoa => "lsoa",
        }
    }

    pub fn parse(text: &str) -> Option<MemberKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "la" => Some(MemberKind::La),
            "ward" => Some(MemberKind::Ward),
            "lsoa" => Some(MemberKind::Lsoa),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AreaMember {
    pub kind: MemberKind,
    pub code: String,
}

/// One NPU or Impact Area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceArea {
    pub kind: AreaKind,
    /// The force's abbreviation for an NPU ("BE"); for an Impact Area, a code of the
    /// definition's own (the seed gives names only).
    pub code: String,
    pub name: String,
    /// The NPU an Impact Area belongs to; `None` for an NPU.
    pub npu: Option<String>,
    /// Where the definition came from and how it was drawn.
    pub source: String,
    pub members: Vec<AreaMember>,
}

/// An LSOA's home: (ward code, local authority code).
pub type Home = (Option<String>, Option<String>);

/// What the gazetteer knows of the codes areas are built from, and how they nest: each
/// LSOA's home ward and local authority (those of most of its postcodes), each ward's local
/// authority, and the local authorities. Built by the store from its postcodes (and its LSOA
/// boundaries, for LSOAs without a postcode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gazetteer {
    pub lsoas: HashMap<String, Home>,
    pub wards: HashMap<String, Option<String>>,
    pub las: HashSet<String>,
}

impl Gazetteer {
    /// From (LSOA, ward, local authority, postcodes) counts, as the store groups its
    /// postcodes: the home of an LSOA, or of a ward, is where most of its postcodes are (ties:
    /// the smaller code, so the answer does not depend on the order rows come in).
    pub fn from_counts(rows: impl IntoIterator<Item = (String, Option<String>, Option<String>, u64)>) -> Gazetteer {
        let mut lsoa_votes: HashMap<String, BTreeMap<Home, u64>> = HashMap::new();
        let mut ward_votes: HashMap<String, BTreeMap<Option<String>, u64>> = HashMap::new();
        let mut las = HashSet::new();
        for (lsoa, ward, la, n) in rows {
            if let Some(la) = &la {
                las.insert(la.clone());
            }
            if let Some(w) = &ward {
                *ward_votes.entry(w.clone()).or_default().entry(la.clone()).or_default() += n;
            }
            *lsoa_votes.entry(lsoa).or_default().entry((ward, la)).or_default() += n;
        }
        fn most<K: Clone + Ord>(votes: BTreeMap<K, u64>) -> K {
            // BTreeMap iterates keys in order; max_by_key keeps the last maximum, so reverse.
            votes.into_iter().rev().max_by_key(|(_, n)| *n).map(|(k, _)| k).expect("at least one vote")
        }
        Gazetteer {
            lsoas: lsoa_votes.into_iter().map(|(l, v)| (l, most(v))).collect(),
            wards: ward_votes.into_iter().map(|(w, v)| (w, most(v))).collect(),
            las,
        }
    }

    pub fn knows(&self, member: &AreaMember) -> bool {
        match member.kind {
            MemberKind::La => self.las.contains(&member.code),
            MemberKind::Ward => self.wards.contains_key(&member.code),
            MemberKind::Lsoa => self.lsoas.contains_key(&member.code),
        }
    }

    /// A member as a place (LSOA, ward, local authority), with what it nests in filled in.
    fn place_of<'a>(&'a self, member: &'a AreaMember) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
        let code = Some(member.code.as_str());
        match member.kind {
            MemberKind::La => (None, None, code),
            MemberKind::Ward => (None, code, self.wards.get(&member.code).and_then(Option::as_deref)),
            MemberKind::Lsoa => (code, None, None),
        }
    }
}

/// NPU and Impact Area of any place, loaded once from the store's definitions and
/// gazetteer; no I/O.
#[derive(Debug, Clone, Default)]
pub struct AreaMap {
    areas: Vec<ForceArea>,
    /// (area kind, member) → index into `areas`.
    index: HashMap<(AreaKind, AreaMember), usize>,
    defined: HashSet<AreaKind>,
    gazetteer: Gazetteer,
}

impl AreaMap {
    /// The map of `areas`. A member listed by two areas of one kind is placed in the first:
    /// [`check`] refuses such a definition before it is stored.
    pub fn new(areas: Vec<ForceArea>, gazetteer: Gazetteer) -> AreaMap {
        let mut index = HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            for m in &a.members {
                index.entry((a.kind, m.clone())).or_insert(i);
            }
        }
        let defined = areas.iter().map(|a| a.kind).collect();
        AreaMap { areas, index, defined, gazetteer }
    }

    /// Whether any area of `kind` is defined: "in no Impact Area" and "no Impact Areas
    /// defined" are different answers.
    pub fn defined(&self, kind: AreaKind) -> bool {
        self.defined.contains(&kind)
    }

    pub fn areas(&self) -> &[ForceArea] {
        &self.areas
    }

    /// The area of `kind` a place is in (see the module's rule); any of its codes may be
    /// unknown.
    pub fn area(&self, kind: AreaKind, lsoa: Option<&str>, ward: Option<&str>, la: Option<&str>) -> Option<&ForceArea> {
        let (lsoa, ward, la) = self.standing(lsoa, ward, la);
        self.listing(kind, lsoa, ward, la)
    }

    /// The area of `kind` that lists the LSOA, else the ward, else the authority.
    fn listing(&self, kind: AreaKind, lsoa: Option<&str>, ward: Option<&str>, la: Option<&str>) -> Option<&ForceArea> {
        let find = |member: MemberKind, code: Option<&str>| {
            code.and_then(|c| self.index.get(&(kind, AreaMember { kind: member, code: c.to_string() })))
        };
        let found =
            find(MemberKind::Lsoa, lsoa).or_else(|| find(MemberKind::Ward, ward)).or_else(|| find(MemberKind::La, la));
        found.map(|&i| &self.areas[i])
    }

    /// The codes a place is placed by: its own, unless they place it in no NPU (or, with no
    /// NPUs defined, it has neither ward nor authority) and its LSOA has a home, whose ward
    /// and authority then stand in. Decided once for both kinds, so that a place's Impact
    /// Area is always judged by the same codes as its NPU (a postcode of a ward in no Impact
    /// Area is not moved into one because its LSOA mostly lies in one).
    fn standing<'a>(
        &'a self,
        lsoa: Option<&'a str>,
        ward: Option<&'a str>,
        la: Option<&'a str>,
    ) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
        let own = if self.defined(AreaKind::Npu) {
            self.listing(AreaKind::Npu, lsoa, ward, la).is_some()
        } else {
            ward.is_some() || la.is_some()
        };
        match lsoa.and_then(|l| self.gazetteer.lsoas.get(l)).filter(|_| !own) {
            Some((home_ward, home_la)) => {
                // A home ward without a local authority still nests in the ward's.
                let home_la = home_la.as_deref().or_else(|| {
                    home_ward.as_ref().and_then(|w| self.gazetteer.wards.get(w)).and_then(Option::as_deref)
                });
                (lsoa, home_ward.as_deref(), home_la)
            }
            None => (lsoa, ward, la),
        }
    }

    pub fn npu(&self, lsoa: Option<&str>, ward: Option<&str>, la: Option<&str>) -> Option<&ForceArea> {
        self.area(AreaKind::Npu, lsoa, ward, la)
    }

    pub fn impact_area(&self, lsoa: Option<&str>, ward: Option<&str>, la: Option<&str>) -> Option<&ForceArea> {
        self.area(AreaKind::ImpactArea, lsoa, ward, la)
    }
}

/// One thing wrong with a definition: which area (index into the list checked) and, if it
/// is about one member, which (index into the area's members), the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionProblem {
    pub area: usize,
    pub member: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

/// Everything wrong with `areas` as the whole definition of the force's areas (the areas
/// of every kind the store will hold once they are stored), against the `gazetteer`. Empty:
/// the definition may be stored.
pub fn check(areas: &[ForceArea], gazetteer: &Gazetteer) -> Vec<DefinitionProblem> {
    let mut problems = Vec::new();
    let mut say = |area: usize, member: Option<usize>, field: &'static str, message: String| {
        problems.push(DefinitionProblem { area, member, field, message })
    };
    let mut codes: HashMap<(AreaKind, &str), usize> = HashMap::new();
    let mut members: HashMap<(AreaKind, &AreaMember), usize> = HashMap::new();
    for (i, a) in areas.iter().enumerate() {
        if a.code.trim().is_empty() {
            say(i, None, "code", "empty: every area needs a code".into());
        } else if let Some(&first) = codes.get(&(a.kind, a.code.as_str())) {
            if areas[first].name != a.name || areas[first].npu != a.npu {
                say(
                    i,
                    None,
                    "code",
                    format!("'{}' is defined twice, as '{}' and '{}'", a.code, areas[first].name, a.name),
                );
            } else {
                say(i, None, "code", format!("'{}' is defined twice", a.code));
            }
        } else {
            codes.insert((a.kind, a.code.as_str()), i);
        }
        if a.name.trim().is_empty() {
            say(i, None, "name", "empty: every area needs a name".into());
        }
        if a.members.is_empty() {
            say(i, None, "member_code", format!("{} '{}' has no members", a.kind.word(), a.code));
        }
        for (j, m) in a.members.iter().enumerate() {
            if !gazetteer.knows(m) {
                say(i, Some(j), "member_code", format!("{} '{}' is not in the gazetteer", m.kind.word(), m.code));
            } else if let Some(&other) = members.get(&(a.kind, m)) {
                say(
                    i,
                    Some(j),
                    "member_code",
                    format!("{} '{}' is already in {} '{}'", m.kind.word(), m.code, a.kind.word(), areas[other].code),
                );
            } else {
                members.insert((a.kind, m), i);
            }
        }
    }
    let npus: Vec<ForceArea> = areas.iter().filter(|a| a.kind == AreaKind::Npu).cloned().collect();
    let npu_codes: HashSet<&str> = npus.iter().map(|a| a.code.as_str()).collect();
    let map = AreaMap::new(npus.clone(), gazetteer.clone());
    for (i, a) in areas.iter().enumerate() {
        match (a.kind, a.npu.as_deref()) {
            (AreaKind::Npu, Some(n)) if !n.is_empty() => {
                say(i, None, "npu", format!("an NPU belongs to no NPU; leave it empty (not '{n}')"))
            }
            (AreaKind::Npu, _) => {}
            (AreaKind::ImpactArea, None) | (AreaKind::ImpactArea, Some("")) => {
                say(i, None, "npu", "empty: an Impact Area lies within an NPU; give its code".into())
            }
            (AreaKind::ImpactArea, Some(n)) if !npu_codes.contains(n) => say(
                i,
                None,
                "npu",
                format!(
                    "'{n}' is not a defined NPU (defined: {})",
                    if npu_codes.is_empty() { "none".to_string() } else { sorted(&npu_codes).join(", ") }
                ),
            ),
            (AreaKind::ImpactArea, Some(n)) => {
                for (j, m) in a.members.iter().enumerate().filter(|(_, m)| gazetteer.knows(m)) {
                    let (lsoa, ward, la) = gazetteer.place_of(m);
                    let placed = map.npu(lsoa, ward, la).map(|p| p.code.as_str());
                    if placed != Some(n) {
                        say(
                            i,
                            Some(j),
                            "member_code",
                            format!(
                                "{} '{}' lies in NPU {}, not in this Impact Area's NPU '{n}'",
                                m.kind.word(),
                                m.code,
                                placed.map_or("(none)".to_string(), |p| format!("'{p}'"))
                            ),
                        )
                    }
                }
            }
        }
    }
    problems
}

fn sorted<'a>(set: &HashSet<&'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = set.iter().copied().collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(kind: MemberKind, code: &str) -> AreaMember {
        AreaMember { kind, code: code.into() }
    }

    fn area(kind: AreaKind, code: &str, npu: Option<&str>, members: &[(MemberKind, &str)]) -> ForceArea {
        ForceArea {
            kind,
            code: code.into(),
            name: format!("{code} name"),
            npu: npu.map(str::to_string),
            source: "test".into(),
            members: members.iter().map(|(k, c)| member(*k, c)).collect(),
        }
    }

    /// Two boroughs: LA1 with wards W1 (LSOAs L1, L2) and W2 (L3); LA2 with ward W3 (L4).
    /// L5 has a postcode with no ward or authority, and most of its postcodes in W3.
    fn gazetteer() -> Gazetteer {
        let s = |t: &str| Some(t.to_string());
        Gazetteer::from_counts([
            ("L1".to_string(), s("W1"), s("LA1"), 10),
            ("L2".to_string(), s("W1"), s("LA1"), 10),
            ("L3".to_string(), s("W2"), s("LA1"), 10),
            ("L4".to_string(), s("W3"), s("LA2"), 10),
            ("L5".to_string(), s("W3"), s("LA2"), 7),
            ("L5".to_string(), None, None, 2),
            ("L5".to_string(), s("W9"), s("LA9"), 1),
        ])
    }

    #[test]
    fn the_most_specific_member_wins_and_an_lsoa_falls_back_to_its_home() {
        use MemberKind::*;
        let map = AreaMap::new(
            vec![
                area(AreaKind::Npu, "A", None, &[(La, "LA1")]),
                area(AreaKind::Npu, "B", None, &[(Ward, "W3"), (Lsoa, "L3")]),
                area(AreaKind::ImpactArea, "IA", Some("A"), &[(Lsoa, "L1")]),
                area(AreaKind::ImpactArea, "IB", Some("B"), &[(Ward, "W3")]),
            ],
            gazetteer(),
        );
        let npu = |l: Option<&str>, w: Option<&str>, la: Option<&str>| map.npu(l, w, la).map(|a| a.code.as_str());
        assert_eq!(npu(Some("L1"), Some("W1"), Some("LA1")), Some("A"));
        // L3 is carved out of LA1 for B.
        assert_eq!(npu(Some("L3"), Some("W2"), Some("LA1")), Some("B"));
        assert_eq!(npu(Some("L4"), Some("W3"), Some("LA2")), Some("B"));
        // A postcode with no ward nor authority, or of a district no area names, goes by
        // its LSOA's home (W3).
        assert_eq!(npu(Some("L5"), None, None), Some("B"));
        assert_eq!(npu(Some("L5"), Some("W9"), Some("LA9")), Some("B"));
        assert_eq!(npu(Some("L9"), Some("W9"), Some("LA9")), None);
        assert_eq!(map.impact_area(Some("L1"), Some("W1"), Some("LA1")).map(|a| a.code.as_str()), Some("IA"));
        assert_eq!(map.impact_area(Some("L2"), Some("W1"), Some("LA1")), None);
        let ia =
            |l: Option<&str>, w: Option<&str>, la: Option<&str>| map.impact_area(l, w, la).map(|a| a.code.as_str());
        // L5's home (W3) stands in for both kinds when its own codes are in no NPU...
        assert_eq!(ia(Some("L5"), Some("W9"), Some("LA9")), Some("IB"));
        // ...but a place its own codes put in an NPU keeps them: in L5, yet in ward W2 of A.
        assert_eq!(npu(Some("L5"), Some("W2"), Some("LA1")), Some("A"));
        assert_eq!(ia(Some("L5"), Some("W2"), Some("LA1")), None);
        assert!(map.defined(AreaKind::ImpactArea));
        let empty = AreaMap::new(vec![], gazetteer());
        assert!(!empty.defined(AreaKind::Npu) && empty.npu(Some("L1"), None, None).is_none());
    }

    #[test]
    fn homes_are_the_majority_and_ties_go_to_the_smaller_code() {
        let g = gazetteer();
        assert_eq!(g.lsoas["L5"], (Some("W3".into()), Some("LA2".into())));
        let s = |t: &str| Some(t.to_string());
        let tie =
            Gazetteer::from_counts([("L".to_string(), s("W2"), s("A"), 3), ("L".to_string(), s("W1"), s("A"), 3)]);
        assert_eq!(tie.lsoas["L"].0.as_deref(), Some("W1"));
    }

    #[test]
    fn a_definition_is_refused_for_each_thing_wrong_with_it() {
        use MemberKind::*;
        let g = gazetteer();
        let good = vec![
            area(AreaKind::Npu, "A", None, &[(La, "LA1")]),
            area(AreaKind::Npu, "B", None, &[(La, "LA2")]),
            area(AreaKind::ImpactArea, "IA", Some("A"), &[(Ward, "W1"), (Lsoa, "L3")]),
        ];
        assert_eq!(check(&good, &g), vec![]);
        let bad = vec![
            area(AreaKind::Npu, "A", None, &[(La, "LA1"), (Ward, "W404")]),
            area(AreaKind::Npu, "B", Some("A"), &[(La, "LA2")]),
            area(AreaKind::Npu, "A", None, &[(La, "LA1")]),
            area(AreaKind::ImpactArea, "IA", Some("A"), &[(Ward, "W3")]),
            area(AreaKind::ImpactArea, "IB", Some("Z"), &[(Ward, "W1")]),
            area(AreaKind::ImpactArea, "IC", None, &[]),
        ];
        let found: Vec<(usize, Option<usize>, &str)> =
            check(&bad, &g).iter().map(|p| (p.area, p.member, p.field)).collect();
        assert_eq!(
            found,
            vec![
                (0, Some(1), "member_code"), // W404 unknown
                (2, None, "code"),           // A twice
                (2, Some(0), "member_code"), // LA1 already in A
                (5, None, "member_code"),    // no members
                (1, None, "npu"),            // an NPU with an NPU
                (3, Some(0), "member_code"), // W3 lies in B
                (4, None, "npu"),            // Z undefined
                (5, None, "npu"),            // no NPU
            ]
        );
        let text = check(&bad, &g).iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("\n");
        assert!(text.contains("ward 'W404' is not in the gazetteer"), "{text}");
        assert!(text.contains("ward 'W3' lies in NPU 'B', not in this Impact Area's NPU 'A'"), "{text}");
        assert!(text.contains("'Z' is not a defined NPU (defined: A, B)"), "{text}");
    }

    #[test]
    fn kinds_are_read_as_files_write_them() {
        assert_eq!(AreaKind::parse("Impact-Area"), Some(AreaKind::ImpactArea));
        assert_eq!(AreaKind::parse("impact_area"), Some(AreaKind::ImpactArea));
        assert_eq!(AreaKind::parse(" NPU "), Some(AreaKind::Npu));
        assert_eq!(AreaKind::parse("sector"), None);
        assert_eq!(MemberKind::parse("LSOA"), Some(MemberKind::Lsoa));
        assert_eq!(MemberKind::parse("msoa"), None);
    }
}
