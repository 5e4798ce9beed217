//! ONS LSOA files: the 2011 Census population, households and area per LSOA, and the LSOA →
//! local authority → police force area lookup. Which one a file is, its header says.

use crate::csvfile::{CsvFile, Row};
use crate::police_uk::is_lsoa_code;
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use peel_domain::Force;
use peel_store::{LsoaBatch, LsoaRecord};
use std::collections::HashMap;
use std::path::Path;

pub struct ParsedFile {
    pub batch: LsoaBatch,
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    pub repeated_keys: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnsKind {
    /// "LSOA Code", "Persons", "Hectares", "Households" (2011 Census, population density).
    Population,
    /// "LSOA Code", "Local authority name", "MSOA Name", "Police_force".
    ForceLookup,
}

pub fn parse_file(path: &Path, progress: &mut dyn Progress) -> Result<ParsedFile, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    let kind = if file.column("Police_force").is_some() {
        OnsKind::ForceLookup
    } else if file.column("Persons").is_some() {
        OnsKind::Population
    } else {
        return Err(FileError::Header {
            path: path.to_path_buf(),
            line: 1,
            message: "neither an ONS population file (no 'Persons' column) nor an LSOA to police force lookup (no 'Police_force' column)".into(),
        });
    };
    let common = file.columns(&[
        "LSOA Code",
        "LSOA Name",
        "Local authority code",
        "Local authority name",
        "MSOA Code",
        "MSOA Name",
        "Region name",
    ])?;
    let specific = match kind {
        OnsKind::ForceLookup => file.columns(&["Police_force"])?,
        // The population file repeats "Persons" (all usual residents, then those in
        // households and in communal establishments): the first is the total.
        OnsKind::Population => file.columns(&["Persons", "Hectares", "Households"])?,
    };
    let mut batch = LsoaBatch {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ..Default::default()
    };
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut repeated = 0;
    while let Some(parsed) = file.next_row(progress, |row| parse_row(&row, kind, &common, &specific))? {
        match parsed.and_then(|r| r) {
            Ok(r) => {
                if let Some(&i) = seen.get(&r.code) {
                    batch.rows[i] = r;
                    repeated += 1;
                } else {
                    seen.insert(r.code.clone(), batch.rows.len());
                    batch.rows.push(r);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    batch.refused = problems.len() as u64;
    Ok(ParsedFile { batch, problems, rows_read: file.rows_read(), repeated_keys: repeated })
}

fn parse_row(row: &Row<'_>, kind: OnsKind, common: &[usize], specific: &[usize]) -> Result<LsoaRecord, RowProblem> {
    let text = |i: usize| row.text(i).map(str::trim);
    let optional = |i: usize| -> Result<Option<String>, RowProblem> {
        let t = text(i)?;
        Ok((!t.is_empty()).then(|| t.to_string()))
    };
    let code = text(common[0])?;
    if !is_lsoa_code(code) {
        return Err(row.problem("LSOA Code", format!("'{code}' is not an LSOA code (E01 or W01 and six digits)")));
    }
    let mut r = LsoaRecord {
        code: code.to_string(),
        name: optional(common[1])?,
        la_code: optional(common[2])?,
        la_name: optional(common[3])?,
        msoa_code: optional(common[4])?,
        msoa_name: optional(common[5])?,
        region_name: optional(common[6])?,
        ..Default::default()
    };
    match kind {
        OnsKind::ForceLookup => {
            let f = text(specific[0])?;
            // Blank in the ONS lookup for LSOAs it does not assign (most of Wales in this
            // release): stored without a force rather than refused.
            if !f.is_empty() {
                r.force = Some(
                    Force::find(f)
                        .ok_or_else(|| row.problem("Police_force", format!("'{f}' is not a police force area")))?
                        .code,
                );
            }
        }
        OnsKind::Population => {
            r.persons = Some(count(row, specific[0], "Persons")?);
            r.hectares = Some(hectares(row, specific[1], "Hectares")?);
            r.households = Some(count(row, specific[2], "Households")?);
        }
    }
    Ok(r)
}

/// A count of people or households in an LSOA: a whole number as ONS writes it, with or
/// without thousands separators in their places ("1,563"; not "1,5,6,3"). An LSOA holds about
/// 1,500 people (ONS's design: 1,000 to 3,000), so more than [`MAX_LSOA_COUNT`] makes no
/// sense and is refused rather than stored.
fn count(row: &Row<'_>, index: usize, field: &str) -> Result<u64, RowProblem> {
    let t = row.text(index)?.trim();
    let refuse = |why: &str| row.problem(field, format!("'{t}' {why}"));
    let groups: Vec<&str> = t.split(',').collect();
    let well_grouped = !t.is_empty()
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1 || groups[0].len() <= 3)
        && groups[1..].iter().all(|g| g.len() == 3);
    if !well_grouped {
        return Err(refuse("is not a whole number (digits, with commas only between thousands)"));
    }
    let n: u64 = groups.concat().parse().map_err(|_| refuse("is too large a number"))?;
    if n > MAX_LSOA_COUNT {
        return Err(refuse(&format!("is more than an LSOA can hold (at most {MAX_LSOA_COUNT})")));
    }
    Ok(n)
}

/// At most this many people or households in one LSOA.
pub const MAX_LSOA_COUNT: u64 = 100_000;
/// At most this many hectares in one LSOA (the largest, in rural Northumberland and Powys,
/// are a few tens of thousands).
pub const MAX_LSOA_HECTARES: f64 = 1_000_000.0;

/// An LSOA's area in hectares: a number above zero (rates per hectare divide by it).
fn hectares(row: &Row<'_>, index: usize, field: &str) -> Result<f64, RowProblem> {
    let t = row.text(index)?.trim();
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    let v = cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| row.problem(field, format!("'{t}' is not a number")))?;
    if v <= 0.0 || v > MAX_LSOA_HECTARES {
        return Err(row
            .problem(field, format!("'{t}' is not an LSOA's area: above 0 and at most {MAX_LSOA_HECTARES} hectares")));
    }
    Ok(v)
}
