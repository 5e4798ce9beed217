//! The force's own areas (NPUs and Impact Areas, migration 0014) and the places they give:
//! listed, replaced a kind at a time in one transaction (checked whole against the
//! gazetteer, audited area by area), and read into peel-domain's [`AreaMap`], which places a
//! postcode ([`ForceAreas::place_of_postcode`]) or a grid point
//! ([`ForceAreas::place_of_grid`]) in its NPU and Impact Area.

use super::json;
use super::places::{postcode_row, POSTCODE_FIELDS};
use crate::sql::{args, values, Conn, Engine, Param, Row, ToParam, Tx};
use crate::{PostcodeRecord, Result, StoreError};
use peel_domain::date::Timestamp;
use peel_domain::force_area::{check, AreaKind, AreaMap, AreaMember, ForceArea, Gazetteer, MemberKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a store holding no areas of a kind says, rather than an empty list.
pub fn none_defined(kind: Option<AreaKind>) -> String {
    format!(
        "no areas defined: the store holds no {}; install the force's with `peel import areas FILE`, or \
         Peel's approximation of West Midlands Police's with `peel import areas --default west-midlands`",
        kind.map_or("NPUs or Impact Areas", AreaKind::label)
    )
}

/// An NPU or Impact Area as a place names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRef {
    pub code: String,
    pub name: String,
}

impl From<&ForceArea> for AreaRef {
    fn from(a: &ForceArea) -> AreaRef {
        AreaRef { code: a.code.clone(), name: a.name.clone() }
    }
}

/// Where a postcode or a grid point is: its gazetteer areas and the force's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// The postcode asked for, or the gazetteer postcode nearest the grid point.
    pub postcode: String,
    /// British National Grid, metres: the postcode's, or the grid point asked for.
    pub easting: f64,
    pub northing: f64,
    /// From the point to the postcode whose areas are given (0 for a postcode): the bound
    /// of the answer's error (see [`ForceAreas::place_of_grid`]).
    pub distance_m: f64,
    pub lsoa: String,
    pub msoa: Option<String>,
    pub ward_code: Option<String>,
    pub ward: Option<String>,
    pub la_code: Option<String>,
    pub la: Option<String>,
    /// `None`: in no NPU, or none defined ([`AreaMap::defined`] tells which).
    pub npu: Option<AreaRef>,
    pub impact_area: Option<AreaRef>,
}

/// What a replacement stored and removed, kind by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AreasReplaced {
    /// (areas stored, members stored, areas removed), by kind.
    pub kinds: BTreeMap<AreaKind, (usize, usize, usize)>,
}

/// Postcodes further than this from a grid point do not place it.
pub const GRID_REACH_M: i64 = 5_000;

/// The force's areas in a store.
pub trait ForceAreas {
    /// The areas of `kind` (every kind: `None`) with their members, by kind and code;
    /// [`StoreError::Refused`] saying "no areas defined" if the store holds none.
    fn force_areas(&self, kind: Option<AreaKind>) -> Result<Vec<ForceArea>>;
    /// Replaces every area of `kinds` with `areas` (each of one of those kinds), in one
    /// transaction: the whole definition the store would then hold (these areas and the kept
    /// ones of other kinds) is checked against the gazetteer first ([`check`]), and nothing
    /// is written if anything is wrong. Each area removed and stored is an audit entry.
    fn replace_force_areas(
        &mut self,
        kinds: &[AreaKind],
        areas: &[ForceArea],
        actor: &str,
        at: Timestamp,
    ) -> Result<AreasReplaced>;
    /// The gazetteer's codes and how they nest (from the postcodes and LSOA boundaries).
    fn area_gazetteer(&self) -> Result<Gazetteer>;
    /// Every area and the gazetteer, read once, as the in-memory map.
    fn area_map(&self) -> Result<AreaMap>;
    /// Every LSOA boundary's code and population-weighted centroid (easting, northing): the
    /// LSOAs a polygon area takes as members are those whose centroid it holds.
    fn lsoa_centroids(&self) -> Result<Vec<(String, f64, f64)>>;
    /// Every ward of the gazetteer: (code, name), by code.
    fn ward_names(&self) -> Result<Vec<(String, String)>>;
    /// Every local authority of the gazetteer: (code, name), by code.
    fn local_authority_names(&self) -> Result<Vec<(String, String)>>;
    /// A postcode's place (`Invalid` if it is not a postcode, `None` if the gazetteer has no
    /// such postcode).
    fn place_of_postcode(&self, map: &AreaMap, postcode: &str) -> Result<Option<Place>>;
    /// A grid point's place: the areas of the gazetteer postcode nearest to it (ties: the
    /// first postcode in order), within [`GRID_REACH_M`]. The rule's error: the point is
    /// misplaced only where an area's boundary passes between it and that postcode, so the
    /// answer is exact more than `distance_m` from every boundary; in the towns of the two
    /// forces the nearest postcode is typically under 100 m away. (The LSOA polygons are
    /// not used: they are generalised by tens of metres, no better near a boundary.)
    fn place_of_grid(&self, map: &AreaMap, easting: f64, northing: f64) -> Result<Option<Place>>;
    /// [`ForceAreas::place_of_postcode`] for one place, reading only what it needs (the
    /// force's areas and the gazetteer around the postcode's LSOA): what placing one report
    /// or site costs, a few hundred rows rather than the whole gazetteer.
    fn locate_postcode(&self, postcode: &str) -> Result<Option<Place>>;
    /// [`ForceAreas::place_of_grid`] for one place, as [`ForceAreas::locate_postcode`].
    fn locate_grid(&self, easting: f64, northing: f64) -> Result<Option<Place>>;
}

const AREA_FIELDS: &str = "id, kind, code, name, npu, source";

fn kind_of(r: &Row, i: usize) -> Result<AreaKind> {
    let word: String = r.get(i)?;
    AreaKind::parse(&word).ok_or_else(|| StoreError::Invalid(format!("force_area: kind '{word}'")))
}

/// The areas of `kinds` with their ids, by kind and code.
fn areas_of(c: &mut dyn Conn, kinds: &[AreaKind]) -> Result<Vec<(i64, ForceArea)>> {
    let words: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
    let in_kinds = |column: &str| {
        // Two kinds at most: written out rather than bound as a list, the same on both stores.
        let list = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ");
        format!("{column} IN ({list})")
    };
    let mut areas: Vec<(i64, ForceArea)> = Vec::new();
    for r in c.query(
        &format!("SELECT {AREA_FIELDS} FROM force_area WHERE {} ORDER BY kind DESC, code", in_kinds("kind")),
        args![],
    )? {
        let rec = r.record("force_area", AREA_FIELDS, 0);
        areas.push((
            rec.get(0)?,
            ForceArea {
                kind: kind_of(&r, 1)?,
                code: rec.get(2)?,
                name: rec.get(3)?,
                npu: rec.get(4)?,
                source: rec.get(5)?,
                members: Vec::new(),
            },
        ));
    }
    let at: std::collections::HashMap<i64, usize> = areas.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    for r in c.query(
        &format!(
            "SELECT area, member_kind, member_code FROM force_area_member WHERE {}
             ORDER BY area, member_kind, member_code",
            in_kinds("kind")
        ),
        args![],
    )? {
        let word: String = r.get(1)?;
        let kind = MemberKind::parse(&word)
            .ok_or_else(|| StoreError::Invalid(format!("force_area_member: member_kind '{word}'")))?;
        if let Some(&i) = at.get(&r.get::<i64>(0)?) {
            areas[i].1.members.push(AreaMember { kind, code: r.get(2)? });
        }
    }
    Ok(areas)
}

fn gazetteer(c: &mut dyn Conn) -> Result<Gazetteer> {
    let counts = c.query(
        "SELECT lsoa_code, ward_code, la_code, count(*) FROM postcode GROUP BY lsoa_code, ward_code, la_code",
        args![],
    )?;
    let mut g = Gazetteer::from_counts(
        counts.iter().map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).collect::<Result<Vec<_>>>()?,
    );
    // An LSOA with a boundary and no postcode is still an LSOA areas may name.
    for r in c.query("SELECT code FROM lsoa_boundary", args![])? {
        g.lsoas.entry(r.get(0)?).or_insert((None, None));
    }
    Ok(g)
}

/// The area map for places in `lsoa`: every area, and the gazetteer's postcodes of the LSOA
/// and of the wards it touches (its home ward's authority is decided by them), so that the
/// LSOA's home and its home ward's authority are exactly what the whole gazetteer gives.
fn map_around(c: &mut dyn Conn, lsoa: &str) -> Result<AreaMap> {
    let counts = c.query(
        "SELECT lsoa_code, ward_code, la_code, count(*) FROM postcode
         WHERE lsoa_code = $1 OR ward_code IN (SELECT ward_code FROM postcode WHERE lsoa_code = $1)
         GROUP BY lsoa_code, ward_code, la_code",
        args![lsoa],
    )?;
    let g = Gazetteer::from_counts(
        counts.iter().map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).collect::<Result<Vec<_>>>()?,
    );
    Ok(AreaMap::new(areas_of(c, &AreaKind::ALL)?.into_iter().map(|(_, a)| a).collect(), g))
}

fn on_the_grid(easting: f64, northing: f64) -> Result<()> {
    if !(0.0..=700_000.0).contains(&easting) || !(0.0..=1_300_000.0).contains(&northing) {
        return Err(StoreError::Invalid(format!("{easting} E, {northing} N is not on the National Grid")));
    }
    Ok(())
}

fn replace(tx: &mut Tx, kinds: &[AreaKind], areas: &[ForceArea], actor: &str, at: Timestamp) -> Result<AreasReplaced> {
    if let Some(a) = areas.iter().find(|a| !kinds.contains(&a.kind)) {
        return Err(StoreError::Invalid(format!(
            "{} '{}' is not of the kinds being replaced ({})",
            a.kind.word(),
            a.code,
            kinds.iter().map(|k| k.word()).collect::<Vec<_>>().join(", ")
        )));
    }
    let gazetteer = gazetteer(tx)?;
    if gazetteer.lsoas.is_empty() {
        return Err(StoreError::Refused(
            "the store holds no postcode gazetteer to check the areas against: import it first \
             (peel import data ../shared/data/geography)"
                .into(),
        ));
    }
    let kept: Vec<AreaKind> = AreaKind::ALL.into_iter().filter(|k| !kinds.contains(k)).collect();
    let kept_areas = if kept.is_empty() { Vec::new() } else { areas_of(tx, &kept)? };
    let mut whole: Vec<ForceArea> = areas.to_vec();
    whole.extend(kept_areas.into_iter().map(|(_, a)| a));
    let problems = check(&whole, &gazetteer);
    if !problems.is_empty() {
        let said: Vec<String> = problems
            .iter()
            .take(10)
            .map(|p| {
                let a = &whole[p.area];
                let stored = if p.area >= areas.len() { " (already stored)" } else { "" };
                format!("{} '{}'{stored}: {}: {}", a.kind.word(), a.code, p.field, p.message)
            })
            .collect();
        let more = if problems.len() > 10 { format!("; and {} more", problems.len() - 10) } else { String::new() };
        return Err(StoreError::Invalid(format!("areas refused, nothing stored: {}{more}", said.join("; "))));
    }

    let mut report = AreasReplaced::default();
    for (id, old) in areas_of(tx, kinds)? {
        tx.audit(at, actor, "force_area", id, "delete", Some(json(&old)), None);
        report.kinds.entry(old.kind).or_default().2 += 1;
    }
    for kind in kinds {
        tx.execute("DELETE FROM force_area_member WHERE kind = $1", args![kind.word()])?;
        tx.execute("DELETE FROM force_area WHERE kind = $1", args![kind.word()])?;
        report.kinds.entry(*kind).or_default();
    }
    for a in areas {
        let id: i64 = tx
            .query_one(
                "INSERT INTO force_area (kind, code, name, npu, source) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                args![a.kind.word(), a.code, a.name, a.npu, a.source],
            )?
            .get(0)?;
        for chunk in a.members.chunks(500) {
            let all: Vec<Param> = chunk
                .iter()
                .flat_map(|m| [Param::Int(id), a.kind.word().to_param(), m.kind.word().to_param(), m.code.to_param()])
                .collect();
            tx.execute(
                &format!(
                    "INSERT INTO force_area_member (area, kind, member_kind, member_code) VALUES {}",
                    values(tx.dialect(), chunk.len(), 4)
                ),
                &all,
            )?;
        }
        tx.audit(at, actor, "force_area", id, "create", None, Some(json(a)));
        let counts = report.kinds.entry(a.kind).or_default();
        counts.0 += 1;
        counts.1 += a.members.len();
    }
    Ok(report)
}

fn place(map: &AreaMap, p: PostcodeRecord, at: Option<(f64, f64)>) -> Place {
    let (lsoa, ward, la) = (Some(p.lsoa_code.as_str()), p.ward_code.as_deref(), p.la_code.as_deref());
    let npu = map.npu(lsoa, ward, la).map(AreaRef::from);
    let impact_area = map.impact_area(lsoa, ward, la).map(AreaRef::from);
    let (pe, pn) = (f64::from(p.easting), f64::from(p.northing));
    let (easting, northing) = at.unwrap_or((pe, pn));
    Place {
        postcode: p.postcode,
        easting,
        northing,
        distance_m: (easting - pe).hypot(northing - pn),
        lsoa: p.lsoa_code,
        msoa: p.msoa_code,
        ward_code: p.ward_code,
        ward: p.ward_name,
        la_code: p.la_code,
        la: p.la_name,
        npu,
        impact_area,
    }
}

/// The gazetteer postcode nearest (`easting`, `northing`), searched in growing squares: a
/// postcode found in a square is the nearest only if it is no further than the square's half
/// side (one in a corner may be beaten by one outside the square).
fn nearest_postcode(c: &mut dyn Conn, easting: f64, northing: f64) -> Result<Option<PostcodeRecord>> {
    let (e, n) = (easting.round() as i64, northing.round() as i64);
    let sql = format!(
        "SELECT {} FROM postcode WHERE easting BETWEEN $1 AND $2 AND northing BETWEEN $3 AND $4
         ORDER BY (easting - $5) * (easting - $5) + (northing - $6) * (northing - $6), postcode LIMIT 1",
        POSTCODE_FIELDS.join(", ")
    );
    for reach in [250, 1_000, GRID_REACH_M] {
        if let Some(r) = c.query_opt(&sql, args![e - reach, e + reach, n - reach, n + reach, e, n])? {
            let p = postcode_row(&r)?;
            let d = (f64::from(p.easting) - easting).hypot(f64::from(p.northing) - northing);
            if d <= reach as f64 {
                return Ok(Some(p));
            }
        }
    }
    Ok(None)
}

impl<E: Engine> ForceAreas for E {
    fn force_areas(&self, kind: Option<AreaKind>) -> Result<Vec<ForceArea>> {
        let kinds: Vec<AreaKind> = kind.map_or_else(|| AreaKind::ALL.to_vec(), |k| vec![k]);
        let areas = self.read(|c| areas_of(c, &kinds))?;
        if areas.is_empty() {
            return Err(StoreError::Refused(none_defined(kind)));
        }
        Ok(areas.into_iter().map(|(_, a)| a).collect())
    }

    fn replace_force_areas(
        &mut self,
        kinds: &[AreaKind],
        areas: &[ForceArea],
        actor: &str,
        at: Timestamp,
    ) -> Result<AreasReplaced> {
        self.write(|tx| replace(tx, kinds, areas, actor, at))
    }

    fn area_gazetteer(&self) -> Result<Gazetteer> {
        self.read(gazetteer)
    }

    fn area_map(&self) -> Result<AreaMap> {
        let (areas, g) = self.read(|c| Ok((areas_of(c, &AreaKind::ALL)?, gazetteer(c)?)))?;
        Ok(AreaMap::new(areas.into_iter().map(|(_, a)| a).collect(), g))
    }

    fn ward_names(&self) -> Result<Vec<(String, String)>> {
        self.conn(|c| {
            code_names(
                c,
                "SELECT ward_code, min(ward_name) FROM postcode WHERE ward_code IS NOT NULL AND ward_name IS NOT NULL
                 GROUP BY ward_code ORDER BY ward_code",
            )
        })
    }

    fn local_authority_names(&self) -> Result<Vec<(String, String)>> {
        self.conn(|c| {
            code_names(
                c,
                "SELECT la_code, min(la_name) FROM postcode WHERE la_code IS NOT NULL AND la_name IS NOT NULL
                 GROUP BY la_code ORDER BY la_code",
            )
        })
    }

    fn lsoa_centroids(&self) -> Result<Vec<(String, f64, f64)>> {
        self.conn(|c| {
            c.query("SELECT code, centroid_easting, centroid_northing FROM lsoa_boundary ORDER BY code", args![])?
                .iter()
                .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .collect()
        })
    }

    fn place_of_postcode(&self, map: &AreaMap, postcode: &str) -> Result<Option<Place>> {
        Ok(self.conn(|c| super::places::postcode(c, postcode))?.map(|p| place(map, p, None)))
    }

    fn place_of_grid(&self, map: &AreaMap, easting: f64, northing: f64) -> Result<Option<Place>> {
        on_the_grid(easting, northing)?;
        Ok(self.conn(|c| nearest_postcode(c, easting, northing))?.map(|p| place(map, p, Some((easting, northing)))))
    }

    fn locate_postcode(&self, postcode: &str) -> Result<Option<Place>> {
        self.read(|c| match super::places::postcode(c, postcode)? {
            Some(p) => Ok(Some(place(&map_around(c, &p.lsoa_code)?, p, None))),
            None => Ok(None),
        })
    }

    fn locate_grid(&self, easting: f64, northing: f64) -> Result<Option<Place>> {
        on_the_grid(easting, northing)?;
        self.read(|c| match nearest_postcode(c, easting, northing)? {
            Some(p) => Ok(Some(place(&map_around(c, &p.lsoa_code)?, p, Some((easting, northing))))),
            None => Ok(None),
        })
    }
}
/// (code, name) rows of a query that selects them.
fn code_names(c: &mut dyn Conn, sql: &str) -> Result<Vec<(String, String)>> {
    c.query(sql, args![])?.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect()
}
