//! The shape of the synthetic force, as data: West Midlands Police (WMP) — its eight
//! neighbourhood policing units, its 19 Impact Areas, the hospitals crime is reported from,
//! the offence mix, domestic abuse, outcome rates and victim satisfaction. Each table names
//! its source; where the seeds give no figure the line says the number is Peel's
//! assumption for the demo.

use crate::rng::Rng;

/// Recorded crimes a month. Source: seed 001 §72: "The monthly volume remains stable, at an
/// average of 14,771 offences"; the issue rounds it to about 14,800.
pub const CRIMES_PER_MONTH: f64 = 14_800.0;

/// Domestic abuse crimes a month. Source: seed 001 §80: "The new average of 1460 crimes per
/// month is believed to be the new base line for DA crimes."
pub const DOMESTIC_ABUSE_PER_MONTH: f64 = 1_460.0;

/// The share of victims surveyed by SMS who score 8, 9 or 10 out of 10. Source: seed 002
/// §67: "80% of 2232 victims that completed the SMS survey scored 8,9 or 10".
pub const SATISFIED_SHARE: f64 = 0.80;

/// Share of victims of a finalised crime who answer the SMS survey. Seed 002 §67 gives 2,232
/// answers without the period; Peel's assumption: one victim in eight.
pub const SURVEY_RESPONSE: f64 = 0.125;

/// Share of all recorded crime that falls in the 19 Impact Areas. Seed 004 §21: areas with
/// "a disproportionate amount of crime, demand, deprivation and harm"; §26: 1.4% of the
/// force's geography holds 19% of serious youth violence. Peel's assumption: 20% of crime.
pub const IMPACT_AREA_SHARE: f64 = 0.20;

/// One neighbourhood policing unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Npu {
    /// The abbreviation seed 004 table 3 uses.
    pub code: &'static str,
    pub name: &'static str,
    pub local_authority: &'static str,
    /// Where its crime is centred (WGS84), and how far it spreads (km, one standard
    /// deviation of the diffuse part).
    pub centre: (f64, f64),
    pub spread_km: f64,
    /// Residents: ONS 2011 LSOA population summed by local authority over the LSOAs of the
    /// West Midlands police force area (shared/data/ons); Birmingham, two units, is split
    /// 47% East / 53% West (Peel's assumption).
    pub population: u32,
    /// Crime per resident against the force's average. Peel's assumption: Birmingham West,
    /// with the city centre, highest; Solihull and Dudley lowest.
    pub rate_index: f64,
}

/// WMP's eight neighbourhood policing units. Source: seed 004 table 3 (codes and the units
/// their Impact Areas belong to) and the issue (names). Centres: the units' main towns.
pub const NPUS: &[Npu] = &[
    Npu {
        code: "BE",
        name: "Birmingham East",
        local_authority: "Birmingham",
        centre: (52.4950, -1.8200),
        spread_km: 4.0,
        population: 504_331,
        rate_index: 1.10,
    },
    Npu {
        code: "BW",
        name: "Birmingham West",
        local_authority: "Birmingham",
        centre: (52.4650, -1.9250),
        spread_km: 4.2,
        population: 568_714,
        rate_index: 1.30,
    },
    Npu {
        code: "CV",
        name: "Coventry",
        local_authority: "Coventry",
        centre: (52.4080, -1.5100),
        spread_km: 3.5,
        population: 316_960,
        rate_index: 1.00,
    },
    Npu {
        code: "DY",
        name: "Dudley",
        local_authority: "Dudley",
        centre: (52.4950, -2.1000),
        spread_km: 4.0,
        population: 312_925,
        rate_index: 0.85,
    },
    Npu {
        code: "SW",
        name: "Sandwell",
        local_authority: "Sandwell",
        centre: (52.5150, -2.0100),
        spread_km: 3.5,
        population: 308_063,
        rate_index: 1.00,
    },
    Npu {
        code: "SH",
        name: "Solihull",
        local_authority: "Solihull",
        centre: (52.4350, -1.7600),
        spread_km: 5.0,
        population: 206_674,
        rate_index: 0.80,
    },
    Npu {
        code: "WS",
        name: "Walsall",
        local_authority: "Walsall",
        centre: (52.5860, -1.9820),
        spread_km: 4.0,
        population: 269_323,
        rate_index: 1.00,
    },
    Npu {
        code: "WV",
        name: "Wolverhampton",
        local_authority: "Wolverhampton",
        centre: (52.5860, -2.1290),
        spread_km: 3.5,
        population: 249_470,
        rate_index: 1.10,
    },
];

pub fn npu(code: &str) -> Option<&'static Npu> {
    NPUS.iter().find(|n| n.code == code)
}

/// One Impact Area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpactArea {
    pub npu: &'static str,
    /// As seed 004 table 3 writes it.
    pub name: &'static str,
    /// Approximate centre of the neighbourhood (WGS84), and its radius (km, one standard
    /// deviation). Peel's reading of a map; the seed gives names only.
    pub centre: (f64, f64),
    pub radius_km: f64,
    /// Crime harm (CCHI days), December 2021 to November 2022: seed 004 table 3, last
    /// column. An area's share of the Impact Areas' crime is its share of this harm.
    pub harm: f64,
}

/// The 19 Impact Areas. Source: seed 004 §21-23 and table 3 ("Change in Crime harm in each
/// Impact Area – Sept 2021 to November 2022"), names and units exactly as written there.
pub const IMPACT_AREAS: &[ImpactArea] = &[
    ImpactArea { npu: "BE", name: "Bordesley Green", centre: (52.4790, -1.8480), radius_km: 0.6, harm: 498_532.5 },
    ImpactArea { npu: "BE", name: "Erdington", centre: (52.5230, -1.8390), radius_km: 0.6, harm: 584_366.0 },
    ImpactArea {
        npu: "BE",
        name: "Sparkbrook and Sparkhill",
        centre: (52.4600, -1.8660),
        radius_km: 0.7,
        harm: 755_214.5,
    },
    ImpactArea {
        npu: "BW",
        name: "Birmingham City Centre",
        centre: (52.4800, -1.9000),
        radius_km: 0.7,
        harm: 2_580_001.5,
    },
    ImpactArea { npu: "BW", name: "Lozells", centre: (52.5010, -1.9030), radius_km: 0.5, harm: 623_289.5 },
    ImpactArea { npu: "BW", name: "Three Estates", centre: (52.4050, -1.9300), radius_km: 0.5, harm: 201_894.5 },
    ImpactArea { npu: "CV", name: "Hillfields", centre: (52.4130, -1.4980), radius_km: 0.5, harm: 471_793.5 },
    ImpactArea {
        npu: "CV",
        name: "Wood End and Bell Green",
        centre: (52.4360, -1.4810),
        radius_km: 0.6,
        harm: 152_626.0,
    },
    ImpactArea { npu: "DY", name: "Brierley Hill", centre: (52.4810, -2.1200), radius_km: 0.6, harm: 244_936.5 },
    ImpactArea { npu: "DY", name: "Dudley Central", centre: (52.5120, -2.0820), radius_km: 0.6, harm: 464_298.5 },
    ImpactArea { npu: "SW", name: "Princes End", centre: (52.5470, -2.0430), radius_km: 0.5, harm: 204_071.0 },
    ImpactArea {
        npu: "SW",
        name: "Smethwick Soho and Victoria",
        centre: (52.4950, -1.9570),
        radius_km: 0.6,
        harm: 227_712.0,
    },
    ImpactArea {
        npu: "SW",
        name: "West Bromwich Central",
        centre: (52.5180, -1.9950),
        radius_km: 0.6,
        harm: 192_939.5,
    },
    ImpactArea { npu: "SH", name: "Chelmsley Town", centre: (52.4830, -1.7320), radius_km: 0.5, harm: 377_215.0 },
    ImpactArea { npu: "SH", name: "Smiths Wood", centre: (52.4930, -1.7430), radius_km: 0.5, harm: 156_509.0 },
    ImpactArea { npu: "WS", name: "St Matthews Caldmore", centre: (52.5800, -1.9850), radius_km: 0.5, harm: 399_605.0 },
    ImpactArea { npu: "WS", name: "Willenhall", centre: (52.5850, -2.0560), radius_km: 0.5, harm: 43_939.5 },
    ImpactArea { npu: "WV", name: "Bilston", centre: (52.5660, -2.0730), radius_km: 0.5, harm: 89_339.0 },
    ImpactArea { npu: "WV", name: "Whitmore Reans", centre: (52.5930, -2.1440), radius_km: 0.5, harm: 331_849.5 },
];

/// A hospital crime is reported from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hospital {
    pub organisation: &'static str,
    pub name: &'static str,
    pub npu: &'static str,
    pub centre: (f64, f64),
    /// Crimes a month recorded at the site. Seed 000 says only "a high volume of crime
    /// linked to Heartlands Hospital"; the numbers are Peel's assumption.
    pub crimes_per_month: f64,
    /// Intelligence reports a month from the site (seed 000: "a noticeable increase in
    /// intelligence reports submitted to police, particularly in relation to drug use and
    /// dealing on hospital grounds"); Peel's assumption.
    pub intelligence_per_month: f64,
}

const UHB: &str = "University Hospitals Birmingham NHS Foundation Trust";

/// Source: seed 000 (Operation Nexo): Heartlands Hospital, then the Queen Elizabeth Hospital
/// and Good Hope Hospital of the same trust (UHB). The other acute hospitals of the force
/// area are added by Peel (public names of the sites, not in the seeds).
pub const HOSPITALS: &[Hospital] = &[
    Hospital {
        organisation: UHB,
        name: "Heartlands Hospital",
        npu: "BE",
        centre: (52.4846, -1.8137),
        crimes_per_month: 45.0,
        intelligence_per_month: 12.0,
    },
    Hospital {
        organisation: UHB,
        name: "Queen Elizabeth Hospital",
        npu: "BW",
        centre: (52.4531, -1.9390),
        crimes_per_month: 40.0,
        intelligence_per_month: 6.0,
    },
    Hospital {
        organisation: UHB,
        name: "Good Hope Hospital",
        npu: "BE",
        centre: (52.5706, -1.8157),
        crimes_per_month: 25.0,
        intelligence_per_month: 4.0,
    },
    Hospital {
        organisation: UHB,
        name: "Solihull Hospital",
        npu: "SH",
        centre: (52.4180, -1.7800),
        crimes_per_month: 10.0,
        intelligence_per_month: 1.0,
    },
    Hospital {
        organisation: "Sandwell and West Birmingham Hospitals NHS Trust",
        name: "City Hospital",
        npu: "BW",
        centre: (52.4880, -1.9300),
        crimes_per_month: 20.0,
        intelligence_per_month: 1.0,
    },
    Hospital {
        organisation: "Sandwell and West Birmingham Hospitals NHS Trust",
        name: "Sandwell General Hospital",
        npu: "SW",
        centre: (52.5290, -1.9880),
        crimes_per_month: 20.0,
        intelligence_per_month: 1.0,
    },
    Hospital {
        organisation: "University Hospitals Coventry and Warwickshire NHS Trust",
        name: "University Hospital Coventry",
        npu: "CV",
        centre: (52.4210, -1.4400),
        crimes_per_month: 35.0,
        intelligence_per_month: 2.0,
    },
    Hospital {
        organisation: "The Dudley Group NHS Foundation Trust",
        name: "Russells Hall Hospital",
        npu: "DY",
        centre: (52.5030, -2.1130),
        crimes_per_month: 20.0,
        intelligence_per_month: 1.0,
    },
    Hospital {
        organisation: "Walsall Healthcare NHS Trust",
        name: "Manor Hospital",
        npu: "WS",
        centre: (52.5870, -2.0000),
        crimes_per_month: 20.0,
        intelligence_per_month: 1.0,
    },
    Hospital {
        organisation: "The Royal Wolverhampton NHS Trust",
        name: "New Cross Hospital",
        npu: "WV",
        centre: (52.5940, -2.0940),
        crimes_per_month: 25.0,
        intelligence_per_month: 1.0,
    },
];

/// Families of offences that behave alike: when and where they happen, who the victim is,
/// how they are reported and how they end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Homicide,
    ViolenceWithInjury,
    ViolenceWithoutInjury,
    StalkingHarassment,
    Rape,
    OtherSexual,
    Robbery,
    ResidentialBurglary,
    BusinessBurglary,
    VehicleTheft,
    TheftFromVehicle,
    Shoplifting,
    OtherTheft,
    TheftFromPerson,
    Bicycle,
    CriminalDamage,
    Arson,
    PublicOrder,
    Drugs,
    Weapons,
    Misc,
}

impl Group {
    pub fn is_burglary(self) -> bool {
        matches!(self, Group::ResidentialBurglary | Group::BusinessBurglary)
    }

    pub fn is_sexual(self) -> bool {
        matches!(self, Group::Rape | Group::OtherSexual)
    }

    pub fn is_violent(self) -> bool {
        matches!(
            self,
            Group::Homicide | Group::ViolenceWithInjury | Group::ViolenceWithoutInjury | Group::StalkingHarassment
        )
    }

    /// Crimes against the state: the Crown is the victim (Home Office Counting Rules).
    pub fn is_state_based(self) -> bool {
        matches!(self, Group::Drugs | Group::Weapons | Group::Misc)
    }

    /// Share of crimes that end in a positive outcome (Home Office types 1-4, 6-8).
    /// Sources: burglary 7.3% (seed 002 §32: "Current outcome rate YTD is 7.3%"), robbery
    /// 9.2% (seed 002 §39), theft or unauthorised taking of a motor vehicle 1.22% (seed 002
    /// §45). The other groups are Peel's assumption for the same period (2022), from the
    /// usual order of outcome rates: possession offences found by officers highest, crimes
    /// without witnesses lowest.
    pub fn positive_rate(self) -> f64 {
        match self {
            Group::ResidentialBurglary | Group::BusinessBurglary => 0.073,
            Group::Robbery => 0.092,
            Group::VehicleTheft => 0.0122,
            Group::Homicide => 0.80,
            Group::ViolenceWithInjury => 0.14,
            Group::ViolenceWithoutInjury => 0.11,
            Group::StalkingHarassment => 0.07,
            Group::Rape => 0.04,
            Group::OtherSexual => 0.08,
            Group::TheftFromVehicle => 0.02,
            Group::Shoplifting => 0.22,
            Group::OtherTheft => 0.06,
            Group::TheftFromPerson => 0.03,
            Group::Bicycle => 0.03,
            Group::CriminalDamage => 0.07,
            Group::Arson => 0.05,
            Group::PublicOrder => 0.13,
            Group::Drugs => 0.75,
            Group::Weapons => 0.65,
            Group::Misc => 0.40,
        }
    }

    /// Monthly seasonality (January first), mean 1. Seed 002 §32: burglary rises "throughout
    /// the darker nights and the winter period"; violence and public order peak in summer.
    /// The amplitudes are Peel's assumption.
    pub fn seasonality(self, month: u8) -> f64 {
        const WINTER: [f64; 12] = [1.10, 1.00, 0.95, 0.90, 0.88, 0.86, 0.88, 0.92, 0.98, 1.12, 1.20, 1.21];
        const SUMMER: [f64; 12] = [0.92, 0.90, 0.97, 0.99, 1.05, 1.07, 1.10, 1.05, 1.01, 1.00, 0.98, 0.96];
        const FLAT: [f64; 12] = [1.0; 12];
        let table = match self {
            Group::ResidentialBurglary | Group::BusinessBurglary | Group::VehicleTheft | Group::TheftFromVehicle => {
                &WINTER
            }
            Group::ViolenceWithInjury | Group::ViolenceWithoutInjury | Group::PublicOrder | Group::Bicycle => &SUMMER,
            _ => &FLAT,
        };
        table[(month - 1) as usize]
    }

    /// Which of `HOUR_PROFILES` the group follows.
    pub fn hour_profile(self) -> usize {
        match self {
            Group::Homicide
            | Group::ViolenceWithInjury
            | Group::ViolenceWithoutInjury
            | Group::PublicOrder
            | Group::Rape
            | Group::Weapons => NIGHT,
            Group::ResidentialBurglary
            | Group::BusinessBurglary
            | Group::VehicleTheft
            | Group::TheftFromVehicle
            | Group::CriminalDamage
            | Group::Arson
            | Group::Robbery => EVENING,
            Group::Shoplifting | Group::TheftFromPerson => SHOP,
            _ => DAY,
        }
    }
}

pub const NIGHT: usize = 0;
pub const EVENING: usize = 1;
pub const SHOP: usize = 2;
pub const DAY: usize = 3;

/// Relative likelihood of each hour of the day (0-23): night-time, evening, shop hours and
/// day. Peel's assumption, from the familiar shapes: violence in the night-time economy,
/// burglary after dark, theft and shoplifting in shop hours. Night-time crime is also more
/// likely on Fridays and Saturdays.
pub const HOUR_PROFILES: [[f64; 24]; 4] = [
    [
        3.0, 2.6, 2.2, 1.6, 1.0, 0.6, 0.5, 0.6, 0.8, 1.0, 1.1, 1.2, 1.3, 1.3, 1.4, 1.6, 1.8, 2.0, 2.2, 2.3, 2.4, 2.6,
        2.9, 3.1,
    ],
    [
        1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.6, 0.8, 1.0, 1.1, 1.1, 1.1, 1.1, 1.1, 1.2, 1.3, 1.5, 1.8, 2.1, 2.3, 2.3, 2.2,
        2.0, 1.8,
    ],
    [
        0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.3, 1.8, 2.2, 2.4, 2.5, 2.5, 2.5, 2.5, 2.5, 2.3, 2.0, 1.6, 1.2, 0.8,
        0.4, 0.2,
    ],
    [
        0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 0.9, 1.2, 1.4, 1.5, 1.6, 1.6, 1.6, 1.6, 1.7, 1.8, 1.8, 1.7, 1.5, 1.3, 1.1,
        0.9, 0.7,
    ],
];

/// Recorded crime of West Midlands by offence code, financial year 2017/18 (all four
/// quarters), and the demo's group of each. Source: Home Office police recorded crime by
/// police force area, 2017/18 (shared/data/home-office/prc-pfa-2017-18.csv, Force_Name
/// "West Midlands"; Open Government Licence v3.0): 233,393 crimes, 19,449 a month. Only the
/// mix is used: the demo scales it to `CRIMES_PER_MONTH`. Codes with no crimes that year
/// are left out.
pub const OFFENCE_MIX: &[(&str, u32, Group)] = &[
    ("8N", 24620, Group::ViolenceWithInjury),
    ("45", 20663, Group::TheftFromVehicle),
    ("46", 19883, Group::Shoplifting),
    ("28E", 16619, Group::ResidentialBurglary),
    ("105A", 12818, Group::ViolenceWithoutInjury),
    ("58C", 12175, Group::CriminalDamage),
    ("49", 11616, Group::OtherTheft),
    ("48", 10112, Group::VehicleTheft),
    ("49A", 8642, Group::OtherTheft),
    ("58A", 7052, Group::CriminalDamage),
    ("9A", 6991, Group::PublicOrder),
    ("34B", 6552, Group::Robbery),
    ("30C", 6279, Group::BusinessBurglary),
    ("126", 5473, Group::TheftFromVehicle),
    ("8R", 5390, Group::StalkingHarassment),
    ("11A", 4778, Group::ViolenceWithoutInjury),
    ("8L", 3956, Group::StalkingHarassment),
    ("28F", 3886, Group::ResidentialBurglary),
    ("58D", 3583, Group::CriminalDamage),
    ("44", 3227, Group::Bicycle),
    ("39", 3012, Group::TheftFromPerson),
    ("9B", 2454, Group::PublicOrder),
    ("5D", 2418, Group::ViolenceWithInjury),
    ("92E", 2342, Group::Drugs),
    ("58B", 2227, Group::CriminalDamage),
    ("66", 2106, Group::PublicOrder),
    ("40", 2062, Group::OtherTheft),
    ("20A", 1632, Group::OtherSexual),
    ("19C", 1601, Group::Rape),
    ("10D", 964, Group::Weapons),
    ("92A", 959, Group::Drugs),
    ("34A", 910, Group::Robbery),
    ("56B", 887, Group::Arson),
    ("30D", 869, Group::BusinessBurglary),
    ("59", 840, Group::Misc),
    ("86", 835, Group::Misc),
    ("92D", 821, Group::Drugs),
    ("22B", 718, Group::OtherSexual),
    ("3B", 608, Group::ViolenceWithoutInjury),
    ("47", 578, Group::OtherTheft),
    ("104", 549, Group::ViolenceWithoutInjury),
    ("20B", 535, Group::OtherSexual),
    ("10C", 495, Group::Weapons),
    ("79", 451, Group::Misc),
    ("35", 435, Group::OtherTheft),
    ("106", 400, Group::ViolenceWithoutInjury),
    ("105B", 365, Group::ViolenceWithoutInjury),
    ("41", 359, Group::OtherTheft),
    ("8Q", 353, Group::StalkingHarassment),
    ("8S", 351, Group::ViolenceWithInjury),
    ("21", 327, Group::OtherSexual),
    ("37.2", 326, Group::VehicleTheft),
    ("28G", 325, Group::ResidentialBurglary),
    ("19D", 324, Group::Rape),
    ("8P", 303, Group::ViolenceWithInjury),
    ("69", 302, Group::Misc),
    ("99", 295, Group::Misc),
    ("19E", 289, Group::Rape),
    ("36", 274, Group::ViolenceWithoutInjury),
    ("88E", 247, Group::OtherSexual),
    ("10A", 240, Group::Weapons),
    ("17B", 198, Group::OtherSexual),
    ("802", 179, Group::Misc),
    ("17A", 161, Group::OtherSexual),
    ("56A", 159, Group::Arson),
    ("54", 144, Group::Misc),
    ("8M", 144, Group::StalkingHarassment),
    ("10B", 137, Group::Weapons),
    ("19H", 131, Group::Rape),
    ("5E", 125, Group::ViolenceWithInjury),
    ("13", 103, Group::ViolenceWithoutInjury),
    ("58J", 102, Group::CriminalDamage),
    ("19F", 92, Group::Rape),
    ("2", 79, Group::ViolenceWithInjury),
    ("38", 76, Group::Misc),
    ("42", 73, Group::OtherTheft),
    ("43", 71, Group::OtherTheft),
    ("61", 68, Group::Misc),
    ("29A", 63, Group::ResidentialBurglary),
    ("88A", 61, Group::OtherSexual),
    ("33", 58, Group::Misc),
    ("71", 49, Group::OtherSexual),
    ("1/4.1/4.10/4.2", 41, Group::Homicide),
    ("19G", 33, Group::Rape),
    ("28H", 32, Group::ResidentialBurglary),
    ("33A", 30, Group::Misc),
    ("80", 29, Group::Misc),
    ("4.4", 29, Group::ViolenceWithInjury),
    ("22A", 29, Group::OtherSexual),
    ("62A", 28, Group::PublicOrder),
    ("27", 26, Group::Misc),
    ("23", 24, Group::OtherSexual),
    ("60", 20, Group::Misc),
    ("81", 20, Group::Weapons),
    ("814", 12, Group::Misc),
    ("83", 10, Group::Misc),
    ("92C", 8, Group::Drugs),
    ("61A", 8, Group::Misc),
    ("31A", 7, Group::BusinessBurglary),
    ("24", 7, Group::Misc),
    ("73", 4, Group::OtherSexual),
    ("37.1", 4, Group::ViolenceWithInjury),
    ("4.8", 3, Group::ViolenceWithInjury),
    ("88C", 3, Group::OtherSexual),
    ("70", 3, Group::OtherSexual),
    ("67", 2, Group::Misc),
    ("88D", 2, Group::OtherSexual),
    ("26", 1, Group::Misc),
    ("4.3", 1, Group::ViolenceWithInjury),
    ("90", 1, Group::Weapons),
];

/// How domestic abuse divides over offences (shares of `DOMESTIC_ABUSE_PER_MONTH`). The
/// seeds give the total only; the split is Peel's assumption, after the usual picture of
/// domestic abuse crime (assault first, then harassment, malicious communications and
/// damage). Each share stays below the offence's own volume.
pub const DOMESTIC_ABUSE_MIX: &[(&str, f64)] = &[
    ("8N", 0.35),
    ("105A", 0.27),
    ("8R", 0.08),
    ("8L", 0.07),
    ("58A", 0.06),
    ("9A", 0.03),
    ("19C", 0.03),
    ("3B", 0.02),
    ("5D", 0.02),
    ("11A", 0.02),
    ("8Q", 0.01),
    ("20A", 0.01),
    ("58D", 0.01),
    ("58C", 0.01),
    ("40", 0.01),
];

/// Offences that are racially or religiously aggravated: flagged as hate crime.
pub const HATE_CODES: &[&str] = &["8M", "8P", "105B", "9B", "58J"];

/// The positive outcome types and how often each was given. Source: seed 003 (HMIC PEEL
/// 2015) figure 4, West Midlands Police, 12 months to 30 June 2015: charged/summonsed
/// 30,263; taken into consideration 346; youth cautions 964; adult cautions 4,017; penalty
/// notices for disorder 1,133; cannabis/khat warnings 806; community resolutions 8,074.
pub const POSITIVE_OUTCOMES: &[(&str, f64)] =
    &[("1", 30_263.0), ("4", 346.0), ("2", 964.0), ("3", 4_017.0), ("6", 1_133.0), ("7", 806.0), ("8", 8_074.0)];

/// The other outcomes, by kind of crime. Peel's assumption: property crime mostly ends with
/// no suspect identified (18); violence and domestic abuse mostly with evidential
/// difficulties, the victim not supporting action (16); state-based crime with the
/// evidential, public-interest and diversionary outcomes.
pub fn other_outcomes(group: Group, domestic_abuse: bool) -> &'static [(&'static str, f64)] {
    const PROPERTY: &[(&str, f64)] =
        &[("18", 70.0), ("14", 8.0), ("15", 7.0), ("16", 8.0), ("20", 2.0), ("21", 4.0), ("10", 1.0)];
    const PERSON: &[(&str, f64)] =
        &[("18", 15.0), ("14", 10.0), ("15", 22.0), ("16", 45.0), ("20", 3.0), ("21", 2.0), ("10", 2.0), ("22", 1.0)];
    const RETAIL: &[(&str, f64)] = &[("18", 50.0), ("14", 5.0), ("15", 20.0), ("16", 10.0), ("21", 10.0), ("20", 5.0)];
    const STATE: &[(&str, f64)] = &[("15", 40.0), ("10", 20.0), ("21", 15.0), ("20", 15.0), ("22", 10.0)];
    if domestic_abuse || group.is_violent() || group.is_sexual() || group == Group::PublicOrder {
        PERSON
    } else if group == Group::Shoplifting {
        RETAIL
    } else if group.is_state_based() {
        STATE
    } else {
        PROPERTY
    }
}

/// A victim's self-defined ethnicity (census wording), with approximate shares for the West
/// Midlands metropolitan county (ONS Census 2021, rounded; Peel's reading for the demo).
/// `None` (not stated) is drawn separately.
pub const ETHNICITIES: &[(&str, f64)] = &[
    ("White: English, Welsh, Scottish, Northern Irish or British", 60.0),
    ("White: Irish", 1.0),
    ("White: Other White", 4.0),
    ("Asian or Asian British: Pakistani", 9.0),
    ("Asian or Asian British: Indian", 7.0),
    ("Asian or Asian British: Bangladeshi", 2.0),
    ("Asian or Asian British: Other Asian", 2.0),
    ("Black or Black British: African", 4.0),
    ("Black or Black British: Caribbean", 3.0),
    ("Mixed or Multiple ethnic groups", 4.0),
    ("Other ethnic group", 4.0),
];

/// Share of crimes whose victim did not state an ethnicity. Peel's assumption.
pub const ETHNICITY_NOT_STATED: f64 = 0.15;

/// NPUs' share of the force's crime: residents × rate index.
pub fn npu_weights() -> Vec<f64> {
    NPUS.iter().map(|n| n.population as f64 * n.rate_index).collect()
}

/// Each Impact Area's share of the force's crime: `IMPACT_AREA_SHARE` divided by harm.
pub fn impact_area_shares() -> Vec<f64> {
    let total: f64 = IMPACT_AREAS.iter().map(|a| a.harm).sum();
    IMPACT_AREAS.iter().map(|a| IMPACT_AREA_SHARE * a.harm / total).collect()
}

/// Kilometres to degrees at a latitude.
pub fn offset((lat, lon): (f64, f64), north_km: f64, east_km: f64) -> (f64, f64) {
    (lat + north_km / 111.2, lon + east_km / (111.32 * lat.to_radians().cos()))
}

/// A point around `centre`: normal with `sd_km` in each direction.
pub fn scatter(rng: &mut Rng, centre: (f64, f64), sd_km: f64) -> (f64, f64) {
    offset(centre, rng.normal() * sd_km, rng.normal() * sd_km)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_units_and_nineteen_impact_areas_of_seed_004() {
        let codes: Vec<_> = NPUS.iter().map(|n| n.code).collect();
        assert_eq!(codes, ["BE", "BW", "CV", "DY", "SW", "SH", "WS", "WV"]);
        assert_eq!(IMPACT_AREAS.len(), 19);
        for a in IMPACT_AREAS {
            assert!(npu(a.npu).is_some(), "{}", a.name);
        }
        // Every unit has at least one Impact Area, and their shares of the NPU's crime fit.
        let npu_w = npu_weights();
        let total: f64 = npu_w.iter().sum();
        let shares = impact_area_shares();
        for (i, n) in NPUS.iter().enumerate() {
            let in_areas: f64 = IMPACT_AREAS.iter().zip(&shares).filter(|(a, _)| a.npu == n.code).map(|(_, s)| s).sum();
            assert!(in_areas > 0.0 && in_areas < 0.6 * npu_w[i] / total, "{}: {in_areas}", n.code);
        }
        assert!((shares.iter().sum::<f64>() - IMPACT_AREA_SHARE).abs() < 1e-9);
    }

    #[test]
    fn offence_codes_are_home_office_codes_and_domestic_abuse_fits() {
        for (code, _, _) in OFFENCE_MIX {
            assert!(peel_domain::offence::by_code(code).is_some(), "{code}");
        }
        let total: u32 = OFFENCE_MIX.iter().map(|(_, n, _)| n).sum();
        assert_eq!(total, 233_393, "West Midlands 2017/18");
        let scale = CRIMES_PER_MONTH / (total as f64 / 12.0);
        let share: f64 = DOMESTIC_ABUSE_MIX.iter().map(|(_, s)| s).sum();
        assert!((share - 1.0).abs() < 1e-9);
        for (code, s) in DOMESTIC_ABUSE_MIX {
            let (_, n, _) = OFFENCE_MIX.iter().find(|(c, _, _)| c == code).unwrap();
            assert!(DOMESTIC_ABUSE_PER_MONTH * s < *n as f64 / 12.0 * scale * 0.8, "{code}");
        }
        for (code, _) in POSITIVE_OUTCOMES {
            assert!(peel_domain::outcome::outcome_type(code).unwrap().group.is_positive());
        }
        for g in [Group::Shoplifting, Group::Drugs, Group::Robbery, Group::ViolenceWithInjury] {
            for (code, _) in other_outcomes(g, false) {
                assert!(!peel_domain::outcome::outcome_type(code).unwrap().group.is_positive());
            }
        }
    }

    #[test]
    fn seasonality_averages_one() {
        for g in [Group::ResidentialBurglary, Group::ViolenceWithInjury, Group::Drugs] {
            let mean: f64 = (1..=12).map(|m| g.seasonality(m)).sum::<f64>() / 12.0;
            assert!((mean - 1.0).abs() < 0.005, "{g:?} {mean}");
        }
    }
}
