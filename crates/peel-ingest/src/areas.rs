//! The force's own areas (NPUs, Impact Areas) from a file, for `peel import areas`: a whole
//! definition, so a file is stored whole or not at all, and every problem is reported with
//! its line before anything is written.
//!
//! Two formats:
//!
//! - **CSV**, one row per member, header `kind,code,name,npu,member_kind,member_code` (any
//!   order, any case; an optional `source` column says where the definition came from):
//!   `kind` is `npu` or `impact_area` (`impact-area`), `npu` the NPU code of an Impact Area
//!   (empty for an NPU), `member_kind` `la`, `ward` or `lsoa`, `member_code` a code of the
//!   postcode gazetteer. An area's rows must agree on its name, NPU and source.
//!
//!   ```text
//!   kind,code,name,npu,member_kind,member_code
//!   npu,BW,Birmingham West,,ward,E05011151
//!   impact_area,city-centre,Birmingham City Centre,BW,lsoa,E01033620
//!   ```
//!
//! - **GeoJSON**, a FeatureCollection of Polygons or MultiPolygons in WGS84 longitude and
//!   latitude, one feature an area, with properties `code`, `name`, `npu` (an Impact Area's)
//!   and optionally `kind` (else `--kind`). Its members are the LSOAs whose
//!   population-weighted centroid (`lsoa_boundary`, from the ONS boundaries) lies inside the
//!   polygon, tested on the National Grid (the polygon's points projected with [`bng`]). The
//!   "line" of a problem is the feature's number.
//!
//! [`bng`]: crate::bng

use crate::csvfile::CsvFile;
use crate::geography::{feature_problem, polygons, read_features, Ring};
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use peel_domain::bng::BritishNationalGrid;
use peel_domain::force_area::{check, AreaKind, AreaMember, ForceArea, Gazetteer, MemberKind};
use std::collections::HashMap;
use std::path::Path;

/// A file's areas, with where each came from, and its problems.
#[derive(Debug, Default)]
pub struct ParsedAreas {
    pub areas: Vec<ForceArea>,
    /// Each area's first line (its feature number in GeoJSON) and each member's line.
    pub lines: Vec<(u64, Vec<u64>)>,
    /// The kinds the file defines, which it replaces.
    pub kinds: Vec<AreaKind>,
    pub problems: Vec<RowProblem>,
}

impl ParsedAreas {
    fn add_kind(&mut self, kind: AreaKind) {
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
            self.kinds.sort();
        }
    }

    /// Checks the file's areas, with `kept` (the areas of the other kinds the store keeps)
    /// against the `gazetteer`, adding each problem at its line: unknown codes, a member in
    /// two areas, an Impact Area outside its NPU.
    pub fn check(&mut self, path: &Path, kept: &[ForceArea], gazetteer: &Gazetteer) {
        let mut whole = self.areas.clone();
        whole.extend(kept.iter().cloned());
        for p in check(&whole, gazetteer) {
            let a = &whole[p.area];
            let (line, message) = match self.lines.get(p.area) {
                Some((first, members)) => (p.member.map_or(*first, |m| members[m]), p.message),
                // A stored area of a kind the file leaves: the file is not at fault by line.
                None => (0, format!("the stored {} '{}' would then be wrong: {}", a.kind.word(), a.code, p.message)),
            };
            self.problems.push(RowProblem { file: path.to_path_buf(), line, field: p.field.to_string(), message });
        }
        self.problems.sort_by_key(|p| p.line);
    }
}

/// Parses `path` as GeoJSON (`.geojson`, `.json`) or CSV (anything else). `kind`: the only
/// kind the file may define (`--kind`), and a GeoJSON feature's kind when it gives none.
/// `centroids`: every LSOA's (code, easting, northing), for GeoJSON.
pub fn parse_areas(
    path: &Path,
    kind: Option<AreaKind>,
    centroids: &[(String, f64, f64)],
    progress: &mut dyn Progress,
) -> Result<ParsedAreas, FileError> {
    let geojson = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
    let mut parsed =
        if geojson { parse_geojson(path, kind, centroids, progress)? } else { parse_csv(path, kind, progress)? };
    if parsed.areas.is_empty() && parsed.problems.is_empty() {
        return Err(FileError::Format { path: path.to_path_buf(), message: "the file defines no areas".into() });
    }
    if let Some(k) = kind {
        // `--kind` replaces that kind even if every line of it was refused.
        parsed.add_kind(k);
    }
    Ok(parsed)
}

/// The kind a line gives, held to `--kind`.
fn kind_of(text: &str, only: Option<AreaKind>) -> Result<AreaKind, String> {
    let kind = AreaKind::parse(text).ok_or_else(|| format!("'{text}' is not a kind of area (npu or impact_area)"))?;
    match only {
        Some(o) if o != kind => Err(format!("'{text}', but --kind {} was given", o.word())),
        _ => Ok(kind),
    }
}

fn parse_csv(path: &Path, only: Option<AreaKind>, progress: &mut dyn Progress) -> Result<ParsedAreas, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    let col = file.columns(&["kind", "code", "name", "npu", "member_kind", "member_code"])?;
    let source_col = file.column("source");
    let mut parsed = ParsedAreas::default();
    // (kind, code) → index of the area; (kind, member) → line first listing it in the file.
    let mut at: HashMap<(AreaKind, String), usize> = HashMap::new();
    while let Some(row) = file.next_row(progress, |row| -> Result<_, RowProblem> {
        let text = |i: usize| row.text(i).map(|t| t.trim().to_string());
        let kind = kind_of(&text(col[0])?, only).map_err(|why| row.problem("kind", why))?;
        let code = text(col[1])?;
        if code.is_empty() {
            return Err(row.problem("code", "empty: every area needs a code"));
        }
        let npu = Some(text(col[3])?).filter(|n| !n.is_empty());
        let member_kind = text(col[4])?;
        let member_kind = MemberKind::parse(&member_kind)
            .ok_or_else(|| row.problem("member_kind", format!("'{member_kind}' is not la, ward or lsoa")))?;
        // ONS codes are upper case ("E05011151"); a spreadsheet may have lowered them.
        let member_code = text(col[5])?.to_ascii_uppercase();
        if member_code.is_empty() {
            return Err(row.problem("member_code", "empty"));
        }
        let source = match source_col {
            Some(i) => Some(text(i)?).filter(|s| !s.is_empty()),
            None => None,
        };
        Ok((row.line, kind, code, text(col[2])?, npu, source, AreaMember { kind: member_kind, code: member_code }))
    })? {
        let (line, kind, code, name, npu, source, member) = match row.and_then(|r| r) {
            Ok(r) => r,
            Err(p) => {
                parsed.problems.push(p);
                continue;
            }
        };
        let source = source.unwrap_or_else(|| format!("{} (peel import areas)", path.display()));
        let problem = |field: &str, message: String| RowProblem {
            file: path.to_path_buf(),
            line,
            field: field.to_string(),
            message,
        };
        parsed.add_kind(kind);
        let i = *at.entry((kind, code.clone())).or_insert_with(|| {
            parsed.areas.push(ForceArea {
                kind,
                code,
                name: name.clone(),
                npu: npu.clone(),
                source: source.clone(),
                members: vec![],
            });
            parsed.lines.push((line, vec![]));
            parsed.areas.len() - 1
        });
        let area = &mut parsed.areas[i];
        let first = parsed.lines[i].0;
        let differs = [
            ("name", Some(&area.name), Some(&name)),
            ("npu", area.npu.as_ref(), npu.as_ref()),
            ("source", Some(&area.source), Some(&source)),
        ]
        .into_iter()
        .find(|(_, was, now)| was != now);
        if let Some((field, was, now)) = differs {
            let said = |v: Option<&String>| v.map_or("(empty)".to_string(), |v| format!("'{v}'"));
            parsed.problems.push(problem(
                field,
                format!("{} here, but {} on line {first}, the area's first", said(now), said(was)),
            ));
            continue;
        }
        if let Some(m) = area.members.iter().position(|m| *m == member) {
            parsed.problems.push(problem("member_code", format!("repeats line {}", parsed.lines[i].1[m])));
            continue;
        }
        area.members.push(member);
        parsed.lines[i].1.push(line);
    }
    Ok(parsed)
}

/// Whether (x, y) lies inside `polygon` (outer ring and holes: the even-odd rule over all of
/// them).
fn inside(polygon: &[Vec<(f64, f64)>], x: f64, y: f64) -> bool {
    let mut odd = false;
    for ring in polygon {
        for (i, &(x1, y1)) in ring.iter().enumerate() {
            let (x2, y2) = ring[(i + ring.len() - 1) % ring.len()];
            if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                odd = !odd;
            }
        }
    }
    odd
}

fn parse_geojson(
    path: &Path,
    only: Option<AreaKind>,
    centroids: &[(String, f64, f64)],
    progress: &mut dyn Progress,
) -> Result<ParsedAreas, FileError> {
    let (features, bytes) = read_features(path, progress)?;
    if centroids.is_empty() {
        return Err(FileError::Format {
            path: path.to_path_buf(),
            message: "the store holds no LSOA boundaries to find the polygons' LSOAs: import them first \
                      (peel import data ../shared/data/geography)"
                .into(),
        });
    }
    let bng = BritishNationalGrid::new();
    let mut parsed = ParsedAreas::default();
    for (i, f) in features.iter().enumerate() {
        let n = i as u64 + 1;
        let problem = |field: &str, message: String| feature_problem(path, n, field, message);
        let text = |k: &str| {
            f.get("properties").and_then(|p| p.get(k)).and_then(serde_json::Value::as_str).map(str::trim).unwrap_or("")
        };
        let result = (|| -> Result<ForceArea, RowProblem> {
            let kind = match (text("kind"), only) {
                ("", Some(k)) => k,
                ("", None) => return Err(problem("kind", "missing: give each feature a kind, or --kind".into())),
                (t, only) => kind_of(t, only).map_err(|why| problem("kind", why))?,
            };
            let code = text("code");
            if code.is_empty() {
                return Err(problem("code", "missing".into()));
            }
            let polygons = polygons(f.get("geometry")).map_err(|why| problem("geometry", why))?;
            // On the grid: the centroids are eastings and northings.
            let grid: Vec<Vec<Ring>> = polygons
                .iter()
                .map(|p| p.iter().map(|r| r.iter().filter_map(|&(lon, lat)| bng.project(lon, lat)).collect()).collect())
                .collect();
            let members: Vec<AreaMember> = centroids
                .iter()
                .filter(|(_, e, n)| grid.iter().any(|p| inside(p, *e, *n)))
                .map(|(code, _, _)| AreaMember { kind: MemberKind::Lsoa, code: code.clone() })
                .collect();
            if members.is_empty() {
                return Err(problem("geometry", "holds no LSOA's population-weighted centroid".into()));
            }
            Ok(ForceArea {
                kind,
                code: code.to_string(),
                name: text("name").to_string(),
                npu: Some(text("npu").to_string()).filter(|n| !n.is_empty()),
                source: format!(
                    "{} feature {n} (peel import areas: the LSOAs whose centroid it holds)",
                    path.display()
                ),
                members,
            })
        })();
        match result {
            Ok(a) => {
                parsed.add_kind(a.kind);
                parsed.lines.push((n, vec![n; a.members.len()]));
                parsed.areas.push(a);
            }
            Err(p) => parsed.problems.push(p),
        }
    }
    progress.rows_read(features.len() as u64, bytes);
    progress.file_finished();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn inside_a_ring_and_not_in_its_hole() {
        let square = |a: f64, b: f64| vec![(a, a), (b, a), (b, b), (a, b), (a, a)];
        let with_hole = vec![square(0.0, 10.0), square(4.0, 6.0)];
        assert!(inside(&with_hole, 1.0, 1.0));
        assert!(!inside(&with_hole, 5.0, 5.0), "in the hole");
        assert!(!inside(&with_hole, 11.0, 5.0));
    }
}
