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
            r.persons = Some(number(row, specific[0], "Persons")? as u64);
            r.hectares = Some(number(row, specific[1], "Hectares")?);
            r.households = Some(number(row, specific[2], "Households")? as u64);
        }
    }
    Ok(r)
}

/// A non-negative number as ONS writes it, thousands separators and all ("1,563").
fn number(row: &Row<'_>, index: usize, field: &str) -> Result<f64, RowProblem> {
    let t = row.text(index)?.trim();
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| row.problem(field, format!("'{t}' is not a non-negative number")))
}
