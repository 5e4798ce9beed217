//! The force's geography: the postcode gazetteer (Code-Point Open with the ONS postcode
//! lookup: postcode, grid position, LSOA, MSOA, local authority, ward, force) and the LSOA
//! 2011 boundaries (GeoJSON), as `../shared/data/geography` has them.
//!
//! Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data ©
//! Royal Mail copyright and database right 2025. Contains National Statistics data © Crown
//! copyright and database right 2025.

use crate::csvfile::CsvFile;
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use peel_domain::Force;
use peel_store::{normalise_postcode, BoundaryBatch, LsoaBoundary, PostcodeBatch, PostcodeRecord};
use std::collections::HashMap;
use std::path::Path;

/// Great Britain on the National Grid: eastings 0–700 km, northings 0–1,300 km. A position
/// outside is not one of Code-Point's.
const MAX_EASTING: u32 = 700_000;
const MAX_NORTHING: u32 = 1_300_000;

#[derive(Debug)]
pub struct ParsedPostcodes {
    pub batch: PostcodeBatch,
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    pub repeated_keys: u64,
}

pub fn parse_postcodes(path: &Path, progress: &mut dyn Progress) -> Result<ParsedPostcodes, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    let col = file.columns(&[
        "postcode",
        "eastings",
        "northings",
        "positional_quality",
        "lsoa11_code",
        "msoa11_code",
        "msoa11_name",
        "local_authority_code",
        "local_authority",
        "ward_code",
        "ward",
        "police_force",
    ])?;
    let mut batch = PostcodeBatch {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ..Default::default()
    };
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut repeated = 0;
    let mut forces: HashMap<String, Option<u16>> = HashMap::new();
    while let Some(parsed) = file.next_row(progress, |row| -> Result<PostcodeRecord, RowProblem> {
        let text = |i: usize| row.text(col[i]).map(str::trim);
        let optional = |i: usize| text(i).map(|t| (!t.is_empty()).then(|| t.to_string()));
        let pc_text = text(0)?;
        let postcode = normalise_postcode(pc_text)
            .ok_or_else(|| row.problem("postcode", format!("'{pc_text}' is not a postcode")))?;
        let grid = |i: usize, field: &str, max: u32| -> Result<u32, RowProblem> {
            let t = text(i)?;
            t.parse::<u32>()
                .ok()
                .filter(|v| *v <= max)
                .ok_or_else(|| row.problem(field, format!("'{t}' is not a grid position in metres (0 to {max})")))
        };
        let easting = grid(1, "eastings", MAX_EASTING)?;
        let northing = grid(2, "northings", MAX_NORTHING)?;
        let q = text(3)?;
        let quality = q.parse::<u8>().ok().filter(|v| (10..=90).contains(v)).ok_or_else(|| {
            row.problem("positional_quality", format!("'{q}' is not a Code-Point quality (10 to 90)"))
        })?;
        let lsoa = text(4)?;
        if !crate::police_uk::is_lsoa_code(lsoa) {
            return Err(row.problem("lsoa11_code", format!("'{lsoa}' is not an LSOA code (E01 or W01 and six digits)")));
        }
        let force_text = text(11)?;
        let force = match forces.get(force_text) {
            Some(f) => *f,
            None => {
                let f = if force_text.is_empty() {
                    None
                } else {
                    Some(
                        Force::find(force_text)
                            .ok_or_else(|| {
                                row.problem("police_force", format!("'{force_text}' is not a police force area"))
                            })?
                            .code,
                    )
                };
                forces.insert(force_text.to_string(), f);
                f
            }
        };
        Ok(PostcodeRecord {
            postcode,
            easting,
            northing,
            quality,
            lsoa_code: lsoa.to_string(),
            msoa_code: optional(5)?,
            msoa_name: optional(6)?,
            la_code: optional(7)?,
            la_name: optional(8)?,
            ward_code: optional(9)?,
            ward_name: optional(10)?,
            force,
        })
    })? {
        match parsed.and_then(|r| r) {
            Ok(r) => match seen.get(&r.postcode) {
                Some(&i) => {
                    batch.rows[i] = r;
                    repeated += 1;
                }
                None => {
                    seen.insert(r.postcode.clone(), batch.rows.len());
                    batch.rows.push(r);
                }
            },
            Err(p) => problems.push(p),
        }
    }
    batch.refused = problems.len() as u64;
    Ok(ParsedPostcodes { batch, problems, rows_read: file.rows_read(), repeated_keys: repeated })
}

#[derive(Debug)]
pub struct ParsedBoundaries {
    pub batch: BoundaryBatch,
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
}

/// The LSOA boundaries of a GeoJSON FeatureCollection: each feature's `lsoa11_code`,
/// `lsoa11_name`, `police_force`, `centroid_eastings`, `centroid_northings`, `area_m2` and its
/// Polygon or MultiPolygon. A feature that lacks one is a problem named by its number
/// ("feature 12"), in the `line` of the report.
pub fn parse_boundaries(path: &Path, progress: &mut dyn Progress) -> Result<ParsedBoundaries, FileError> {
    let (features, bytes) = read_features(path, progress)?;
    let mut batch = BoundaryBatch {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ..Default::default()
    };
    let mut problems = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let n = i as u64 + 1;
        let problem = |field: &str, message: String| feature_problem(path, n, field, message);
        let props = f.get("properties");
        let text = |k: &str| props.and_then(|p| p.get(k)).and_then(serde_json::Value::as_str);
        let number =
            |k: &str| props.and_then(|p| p.get(k)).and_then(serde_json::Value::as_f64).filter(|v| v.is_finite());
        let result = (|| -> Result<LsoaBoundary, RowProblem> {
            let code = text("lsoa11_code").ok_or_else(|| problem("lsoa11_code", "missing".into()))?;
            if !crate::police_uk::is_lsoa_code(code) {
                return Err(problem("lsoa11_code", format!("'{code}' is not an LSOA code")));
            }
            let name = text("lsoa11_name").ok_or_else(|| problem("lsoa11_name", "missing".into()))?;
            let force = match text("police_force") {
                None | Some("") => None,
                Some(f) => Some(
                    Force::find(f)
                        .ok_or_else(|| problem("police_force", format!("'{f}' is not a police force area")))?
                        .code,
                ),
            };
            let grid = |k: &str, max: u32| {
                number(k)
                    .filter(|v| *v >= 0.0 && *v <= f64::from(max))
                    .ok_or_else(|| problem(k, format!("not a grid position in metres (0 to {max})")))
            };
            let area = number("area_m2")
                .filter(|v| *v > 0.0)
                .ok_or_else(|| problem("area_m2", "not an area above 0 square metres".into()))?;
            polygons(f.get("geometry")).map_err(|why| problem("geometry", why))?;
            let geometry = &f["geometry"];
            let (kind, coordinates) = (&geometry["type"], &geometry["coordinates"]);
            Ok(LsoaBoundary {
                code: code.to_string(),
                name: name.to_string(),
                force,
                centroid_easting: grid("centroid_eastings", MAX_EASTING)?,
                centroid_northing: grid("centroid_northings", MAX_NORTHING)?,
                area_m2: area,
                polygon: serde_json::json!({"type": kind, "coordinates": coordinates}).to_string(),
            })
        })();
        match result {
            Ok(b) => batch.rows.push(b),
            Err(p) => problems.push(p),
        }
    }
    progress.rows_read(features.len() as u64, bytes);
    progress.file_finished();
    batch.refused = problems.len() as u64;
    Ok(ParsedBoundaries { batch, problems, rows_read: features.len() as u64 })
}

/// The features of a GeoJSON FeatureCollection file, and its size in bytes; the file as a
/// whole is refused if it is too large, not JSON, or not a FeatureCollection.
pub fn read_features(path: &Path, progress: &mut dyn Progress) -> Result<(Vec<serde_json::Value>, u64), FileError> {
    let format = |message: String| FileError::Format { path: path.to_path_buf(), message };
    let bytes = std::fs::read(path).map_err(|e| FileError::io(path, e))?;
    if bytes.len() as u64 > crate::csvfile::MAX_FILE_BYTES {
        return Err(format(format!("the file is {} bytes, too large", bytes.len())));
    }
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    progress.file_started(&name, bytes.len() as u64);
    let doc: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format(format!("not GeoJSON (line {}): {e}", e.line())))?;
    match doc {
        serde_json::Value::Object(mut o) => match o.remove("features") {
            Some(serde_json::Value::Array(features)) => Ok((features, bytes.len() as u64)),
            _ => Err(format("not a GeoJSON FeatureCollection: no 'features' list".into())),
        },
        _ => Err(format("not a GeoJSON FeatureCollection: no 'features' list".into())),
    }
}

/// A problem of feature `n` (from 1) of a GeoJSON file, its number in the report's `line`.
pub fn feature_problem(path: &Path, n: u64, field: &str, message: String) -> RowProblem {
    RowProblem {
        file: path.to_path_buf(),
        line: n,
        field: field.to_string(),
        message: format!("feature {n}: {message}"),
    }
}

/// A ring of (longitude, latitude) points, WGS84.
pub type Ring = Vec<(f64, f64)>;

/// A feature's geometry, a Polygon or MultiPolygon, as polygons (each its outer ring, then
/// its holes); or why it is not one, in words.
pub fn polygons(geometry: Option<&serde_json::Value>) -> Result<Vec<Vec<Ring>>, String> {
    let geometry = geometry.ok_or("missing")?;
    let kind = geometry.get("type").and_then(serde_json::Value::as_str).unwrap_or("");
    let coordinates = geometry.get("coordinates").ok_or("no coordinates")?;
    let ring = |ring: &serde_json::Value| -> Option<Ring> {
        let points = ring.as_array().filter(|pts| pts.len() >= 4)?;
        points
            .iter()
            .map(|p| {
                let xy = p.as_array().filter(|xy| xy.len() >= 2)?;
                let (x, y) = (xy[0].as_f64()?, xy[1].as_f64()?);
                ((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)).then_some((x, y))
            })
            .collect()
    };
    let polygon = |poly: &serde_json::Value| -> Option<Vec<Ring>> {
        poly.as_array().filter(|rings| !rings.is_empty())?.iter().map(ring).collect()
    };
    let read = match kind {
        "Polygon" => polygon(coordinates).map(|p| vec![p]),
        "MultiPolygon" => {
            coordinates.as_array().filter(|ps| !ps.is_empty()).and_then(|ps| ps.iter().map(polygon).collect())
        }
        other => return Err(format!("a {other:?} where a Polygon or MultiPolygon belongs")),
    };
    read.ok_or_else(|| "rings of at least four [longitude, latitude] points are needed".to_string())
}
