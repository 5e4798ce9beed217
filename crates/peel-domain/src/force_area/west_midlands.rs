//! West Midlands Police's areas as Peel draws them by default: the eight neighbourhood
//! policing units (NPUs) and the 19 Impact Areas, each a set of codes of the postcode
//! gazetteer (`../shared/data/geography`: ONS wards as Code-Point Open names them, May 2025;
//! local authorities; LSOA 2011).
//!
//! **These are Peel's approximation.** The force's exact boundaries are not public: seed 004
//! names the units (tables 1 and 2, "Birmingham East NPU" … "Wolverhampton NPU") and the
//! Impact Areas with their NPU (table 3), and says only that Impact Areas are "19
//! geographical areas within the Neighbourhood Policing Units where there is
//! disproportionate amount of crime, demand, deprivation and harm" (§21). They are installed
//! into a store only when asked for (`peel import areas --default west-midlands`, through
//! the store's audited `replace_force_areas`), never by importing the gazetteer, so that a
//! force that holds its own definitions (`peel import areas FILE`) keeps them.
//!
//! ## NPUs
//!
//! Six NPUs are their metropolitan borough, whole (the name is the borough's: seed 004
//! tables 1-2): Coventry (CV, E08000026), Dudley (DY, E08000027), Sandwell (SW,
//! E08000028), Solihull (SH, E08000029), Walsall (WS, E08000030), Wolverhampton (WV,
//! E08000031, "City of Wolverhampton").
//!
//! Birmingham (E08000025) is two NPUs, split **by ward**: each of the city's 69 wards (2018
//! boundaries, the gazetteer's) is given to the former parliamentary constituency (2010-2024)
//! the city council grouped it under for its ward committees, and the constituencies to the
//! units as follows:
//!
//! | NPU | former constituencies | wards |
//! |---|---|---|
//! | Birmingham East (BE) | Erdington, Hall Green, Hodge Hill, Sutton Coldfield, Yardley | 36 |
//! | Birmingham West (BW) | Edgbaston, Ladywood, Northfield, Perry Barr, Selly Oak | 33 |
//!
//! Why these: the east/west line of the city's constituencies is the one seed 004 table 3
//! agrees with — its BE Impact Areas (Bordesley Green, Erdington, Sparkbrook and
//! Sparkhill) lie in Hodge Hill, Erdington and Hall Green; its BW ones (City Centre,
//! Lozells, Three Estates) in Ladywood, Perry Barr and Northfield. The wards along the line
//! whose constituency is a matter of judgement (the 2018 wards do not nest in the 2010
//! constituencies): Balsall Heath West (Hall Green, so BE), Bordesley & Highgate and
//! Nechells (Ladywood, BW), Small Heath (Yardley, BE), Brandwood & King's Heath, Billesley
//! and Highter's Heath (Selly Oak, BW).
//!
//! ## Impact Areas
//!
//! Each is the ward or wards its name names, chosen by name and checked against the postcode
//! sectors of the place (where most of a neighbourhood's postcodes lie). Every ward is inside
//! its NPU. Wards are larger than a neighbourhood, so each Impact Area here is larger than
//! the force's own; an analysis by Impact Area over-counts accordingly.
//!
//! | NPU | Impact Area (seed 004 table 3) | wards | how chosen |
//! |---|---|---|---|
//! | BE | Bordesley Green | Bordesley Green | the ward of the name |
//! | BE | Erdington | Erdington | the ward of the name |
//! | BE | Sparkbrook and Sparkhill | Sparkbrook & Balsall Heath East, Sparkhill | the two wards named |
//! | BW | Birmingham City Centre | Ladywood | the 2018 Ladywood ward holds the city core (B1, B2, B3, B4, B5 centre) |
//! | BW | Lozells | Lozells | the ward of the name |
//! | BW | Three Estates | King's Norton North, King's Norton South | the King's Norton estates (Pool Farm, Primrose, Hawkesley) lie across both |
//! | CV | Hillfields | St. Michael's | Hillfields' sectors (CV1 2, CV1 5) are St. Michael's |
//! | CV | Wood End and Bell Green | Henley | Wood End and Bell Green (CV2 1, CV2 2) are in Henley |
//! | DY | Brierley Hill | Brierley Hill & Wordsley South | the ward of the name |
//! | DY | Dudley Central | Castle & Priory, St. James's | Dudley town centre (DY1 1, DY1 4) lies across both |
//! | SW | Princes End | Princes End | the ward of the name |
//! | SW | Smethwick Soho and Victoria | Soho and Victoria | the ward of the name |
//! | SW | West Bromwich Central | West Bromwich Central | the ward of the name |
//! | SH | Chelmsley Town | Chelmsley Wood | Chelmsley Wood's town centre is in its ward |
//! | SH | Smiths Wood | Smith's Wood | the ward of the name |
//! | WS | St Matthews Caldmore | St. Matthew's | Caldmore is in St. Matthew's ward |
//! | WS | Willenhall | Willenhall South | the town centre's sectors (WV13 1, WV13 2) are Willenhall South |
//! | WV | Bilston | Bilston North, Bilston South | the town centre lies across both |
//! | WV | Whitmore Reans | St. Peters, Park | Whitmore Reans' sectors (WV1 4, WV6 0) are split between them |
//!
//! Impact Area codes are Peel's (the seed gives names only): the name in lower case with
//! hyphens ("bordesley-green").
//!
//! Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data ©
//! Royal Mail copyright and database right 2025. Contains National Statistics data © Crown
//! copyright and database right 2025.

use super::{AreaKind, AreaMember, ForceArea, MemberKind};

/// Birmingham, the local authority split between BE and BW.
pub const BIRMINGHAM: &str = "E08000025";

/// Birmingham's former parliamentary constituencies (2010-2024), by which its wards are
/// given to the two Birmingham NPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constituency {
    Edgbaston,
    Erdington,
    HallGreen,
    HodgeHill,
    Ladywood,
    Northfield,
    PerryBarr,
    SellyOak,
    SuttonColdfield,
    Yardley,
}

use Constituency::*;

impl Constituency {
    /// The NPU of the constituency's wards: see the module's table.
    pub fn npu(self) -> &'static str {
        match self {
            Erdington | HallGreen | HodgeHill | SuttonColdfield | Yardley => "BE",
            Edgbaston | Ladywood | Northfield | PerryBarr | SellyOak => "BW",
        }
    }
}

/// Birmingham's 69 wards (code and name as in the gazetteer) and the former constituency
/// each is counted in (Peel's assignment; see the module's notes).
pub const BIRMINGHAM_WARDS: &[(&str, &str, Constituency)] = &[
    ("E05011118", "Acocks Green", Yardley),
    ("E05011119", "Allens Cross", Northfield),
    ("E05011120", "Alum Rock", HodgeHill),
    ("E05011121", "Aston", PerryBarr),
    ("E05011122", "Balsall Heath West", HallGreen),
    ("E05011123", "Bartley Green", Edgbaston),
    ("E05011124", "Billesley", SellyOak),
    ("E05011125", "Birchfield", PerryBarr),
    ("E05011126", "Bordesley & Highgate", Ladywood),
    ("E05011127", "Bordesley Green", HodgeHill),
    ("E05011128", "Bournbrook & Selly Park", SellyOak),
    ("E05011129", "Bournville & Cotteridge", SellyOak),
    ("E05011130", "Brandwood & King's Heath", SellyOak),
    ("E05011131", "Bromford & Hodge Hill", HodgeHill),
    ("E05011132", "Castle Vale", Erdington),
    ("E05011133", "Druids Heath & Monyhull", SellyOak),
    ("E05011134", "Edgbaston", Edgbaston),
    ("E05011135", "Erdington", Erdington),
    ("E05011136", "Frankley Great Park", Northfield),
    ("E05011137", "Garretts Green", Yardley),
    ("E05011138", "Glebe Farm & Tile Cross", HodgeHill),
    ("E05011139", "Gravelly Hill", Erdington),
    ("E05011140", "Hall Green North", HallGreen),
    ("E05011141", "Hall Green South", HallGreen),
    ("E05011142", "Handsworth", PerryBarr),
    ("E05011143", "Handsworth Wood", PerryBarr),
    ("E05011144", "Harborne", Edgbaston),
    ("E05011145", "Heartlands", HodgeHill),
    ("E05011146", "Highter's Heath", SellyOak),
    ("E05011147", "Holyhead", PerryBarr),
    ("E05011148", "King's Norton North", Northfield),
    ("E05011149", "King's Norton South", Northfield),
    ("E05011150", "Kingstanding", Erdington),
    ("E05011151", "Ladywood", Ladywood),
    ("E05011152", "Longbridge & West Heath", Northfield),
    ("E05011153", "Lozells", PerryBarr),
    ("E05011154", "Moseley", HallGreen),
    ("E05011155", "Nechells", Ladywood),
    ("E05011156", "Newtown", Ladywood),
    ("E05011157", "North Edgbaston", Ladywood),
    ("E05011158", "Northfield", Northfield),
    ("E05011159", "Oscott", PerryBarr),
    ("E05011160", "Perry Barr", PerryBarr),
    ("E05011161", "Perry Common", Erdington),
    ("E05011162", "Pype Hayes", Erdington),
    ("E05011163", "Quinton", Edgbaston),
    ("E05011164", "Rubery & Rednal", Northfield),
    ("E05011165", "Shard End", HodgeHill),
    ("E05011166", "Sheldon", Yardley),
    ("E05011167", "Small Heath", Yardley),
    ("E05011168", "Soho & Jewellery Quarter", Ladywood),
    ("E05011169", "South Yardley", Yardley),
    ("E05011170", "Sparkbrook & Balsall Heath East", HallGreen),
    ("E05011171", "Sparkhill", HallGreen),
    ("E05011172", "Stirchley", SellyOak),
    ("E05011173", "Stockland Green", Erdington),
    ("E05011174", "Sutton Four Oaks", SuttonColdfield),
    ("E05011175", "Sutton Mere Green", SuttonColdfield),
    ("E05011176", "Sutton Reddicap", SuttonColdfield),
    ("E05011177", "Sutton Roughley", SuttonColdfield),
    ("E05011178", "Sutton Trinity", SuttonColdfield),
    ("E05011179", "Sutton Vesey", SuttonColdfield),
    ("E05011180", "Sutton Walmley & Minworth", SuttonColdfield),
    ("E05011181", "Sutton Wylde Green", SuttonColdfield),
    ("E05011182", "Tyseley & Hay Mills", Yardley),
    ("E05011183", "Ward End", HodgeHill),
    ("E05011184", "Weoley & Selly Oak", Northfield),
    ("E05011185", "Yardley East", Yardley),
    ("E05011186", "Yardley West & Stechford", Yardley),
];

/// The NPUs: code (seed 004 table 3's abbreviation), name (tables 1-2, without "NPU"), and
/// the local authority of a unit that is a whole borough (`None`: Birmingham's two, by
/// ward).
pub const NPUS: &[(&str, &str, Option<&str>)] = &[
    ("BE", "Birmingham East", None),
    ("BW", "Birmingham West", None),
    ("CV", "Coventry", Some("E08000026")),
    ("DY", "Dudley", Some("E08000027")),
    ("SW", "Sandwell", Some("E08000028")),
    ("SH", "Solihull", Some("E08000029")),
    ("WS", "Walsall", Some("E08000030")),
    ("WV", "Wolverhampton", Some("E08000031")),
];

/// Wards as (code, name).
pub type Wards = &'static [(&'static str, &'static str)];

/// The Impact Areas: NPU and name as seed 004 table 3 writes them, and their wards (code,
/// name) as the module's table chooses them.
pub const IMPACT_AREAS: &[(&str, &str, Wards)] = &[
    ("BE", "Bordesley Green", &[("E05011127", "Bordesley Green")]),
    ("BE", "Erdington", &[("E05011135", "Erdington")]),
    ("BE", "Sparkbrook and Sparkhill", &[("E05011170", "Sparkbrook & Balsall Heath East"), ("E05011171", "Sparkhill")]),
    ("BW", "Birmingham City Centre", &[("E05011151", "Ladywood")]),
    ("BW", "Lozells", &[("E05011153", "Lozells")]),
    ("BW", "Three Estates", &[("E05011148", "King's Norton North"), ("E05011149", "King's Norton South")]),
    ("CV", "Hillfields", &[("E05001228", "St. Michael's")]),
    ("CV", "Wood End and Bell Green", &[("E05001223", "Henley")]),
    ("DY", "Brierley Hill", &[("E05015905", "Brierley Hill & Wordsley South")]),
    ("DY", "Dudley Central", &[("E05015907", "Castle & Priory"), ("E05015922", "St. James's")]),
    ("SW", "Princes End", &[("E05001274", "Princes End")]),
    ("SW", "Smethwick Soho and Victoria", &[("E05001278", "Soho and Victoria")]),
    ("SW", "West Bromwich Central", &[("E05001283", "West Bromwich Central")]),
    ("SH", "Chelmsley Town", &[("E05001287", "Chelmsley Wood")]),
    ("SH", "Smiths Wood", &[("E05001300", "Smith's Wood")]),
    ("WS", "St Matthews Caldmore", &[("E05001316", "St. Matthew's")]),
    ("WS", "Willenhall", &[("E05001320", "Willenhall South")]),
    ("WV", "Bilston", &[("E05014838", "Bilston North"), ("E05014839", "Bilston South")]),
    ("WV", "Whitmore Reans", &[("E05014853", "St. Peters"), ("E05014851", "Park")]),
];

/// The name of a default definition, as `peel import areas --default` takes it.
pub const NAME: &str = "west-midlands";

/// An Impact Area's code: its name in lower case, words joined by hyphens.
pub fn impact_area_code(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

/// The whole default definition: the eight NPUs, then the 19 Impact Areas.
pub fn areas() -> Vec<ForceArea> {
    let member = |kind, code: &str| AreaMember { kind, code: code.to_string() };
    let npus = NPUS.iter().map(|&(code, name, la)| ForceArea {
        kind: AreaKind::Npu,
        code: code.into(),
        name: name.into(),
        npu: None,
        source: match la {
            Some(_) => format!("Peel default (west-midlands): seed 004 tables 1-3; the {name} local authority whole"),
            None => format!(
                "Peel default (west-midlands): seed 004 tables 1-3; Birmingham's wards of the former constituencies \
                 given to {code} (Peel's approximation)"
            ),
        },
        members: match la {
            Some(la) => vec![member(MemberKind::La, la)],
            None => {
                BIRMINGHAM_WARDS.iter().filter(|w| w.2.npu() == code).map(|w| member(MemberKind::Ward, w.0)).collect()
            }
        },
    });
    let impact_areas = IMPACT_AREAS.iter().map(|&(npu, name, wards)| ForceArea {
        kind: AreaKind::ImpactArea,
        code: impact_area_code(name),
        name: name.into(),
        npu: Some(npu.into()),
        source: format!(
            "Peel default (west-midlands): seed 004 table 3; approximated by the ward(s) {}",
            wards.iter().map(|w| w.1).collect::<Vec<_>>().join(", ")
        ),
        members: wards.iter().map(|w| member(MemberKind::Ward, w.0)).collect(),
    });
    npus.chain(impact_areas).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn eight_npus_nineteen_impact_areas_and_every_birmingham_ward_once() {
        let areas = areas();
        assert_eq!(areas.iter().filter(|a| a.kind == AreaKind::Npu).count(), 8);
        assert_eq!(areas.iter().filter(|a| a.kind == AreaKind::ImpactArea).count(), 19);
        let ward_codes: HashSet<&str> = BIRMINGHAM_WARDS.iter().map(|w| w.0).collect();
        assert_eq!(ward_codes.len(), 69, "69 distinct Birmingham wards");
        let be: Vec<&ForceArea> = areas.iter().filter(|a| a.code == "BE" || a.code == "BW").collect();
        let listed: Vec<&str> = be.iter().flat_map(|a| a.members.iter().map(|m| m.code.as_str())).collect();
        assert_eq!(listed.len(), 69);
        assert_eq!(listed.iter().copied().collect::<HashSet<_>>(), ward_codes);
        assert_eq!((be[0].members.len(), be[1].members.len()), (36, 33));
        // Each Impact Area's NPU is one of the eight, and its code is unique.
        let codes: HashSet<String> = areas.iter().map(|a| a.code.clone()).collect();
        assert_eq!(codes.len(), 27);
        assert_eq!(impact_area_code("St Matthews Caldmore"), "st-matthews-caldmore");
        // Each Birmingham Impact Area's wards are in its own NPU by the constituency table.
        for (npu, name, wards) in IMPACT_AREAS {
            for (code, _) in *wards {
                if let Some(w) = BIRMINGHAM_WARDS.iter().find(|w| w.0 == *code) {
                    assert_eq!(w.2.npu(), *npu, "{name}: {}", w.1);
                }
            }
        }
    }
}
