//! Home Office police recorded crime tables by police force area: one row per force,
//! financial year, quarter and offence code ("prc-pfa-2017-18.csv").

use crate::csvfile::CsvFile;
use crate::problem::{FileError, RowProblem};
use crate::Progress;
use peel_domain::{offence, FinancialYear, Force};
use peel_store::{RecordedCrime, RecordedCrimeBatch};
use std::collections::HashMap;
use std::path::Path;

pub const COLUMNS: [&str; 5] =
    ["Financial_Year", "Financial_Quarter", "Force_Name", "Offence_Code", "Number_of_Offences"];

/// The most offences one row may count, either way: no force records ten million of one
/// offence in a quarter, so a larger number is a broken file, not a count.
pub const MAX_OFFENCES: u64 = 10_000_000;

pub struct ParsedFile {
    pub batch: RecordedCrimeBatch,
    pub problems: Vec<RowProblem>,
    pub rows_read: u64,
    pub repeated_keys: u64,
}

pub fn parse_file(path: &Path, progress: &mut dyn Progress) -> Result<ParsedFile, FileError> {
    let mut file = CsvFile::open(path, progress)?;
    let col = file.columns(&COLUMNS)?;
    let mut batch = RecordedCrimeBatch {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ..Default::default()
    };
    let mut problems = Vec::new();
    let mut seen: HashMap<(u16, i32, u8, String), usize> = HashMap::new();
    let mut repeated = 0;
    while let Some(parsed) = file.next_row(progress, |row| -> Result<RecordedCrime, RowProblem> {
        let text = |i: usize| row.text(col[i]).map(str::trim);
        let fy_text = text(0)?;
        let fy = FinancialYear::parse(fy_text).map_err(|e| row.problem("Financial_Year", e.to_string()))?;
        let q_text = text(1)?;
        let quarter: u8 = q_text
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(|| row.problem("Financial_Quarter", format!("'{q_text}' is not a quarter 1-4")))?;
        let force_text = text(2)?;
        let force = Force::find(force_text).ok_or_else(|| {
            row.problem("Force_Name", format!("'{force_text}' is not a known force or reporting body"))
        })?;
        let code = text(3)?;
        let offence = offence::by_code(code)
            .ok_or_else(|| row.problem("Offence_Code", format!("'{code}' is not a Home Office offence code")))?;
        let n_text = text(4)?;
        // Negative counts are real: later reclassifications are published as adjustments.
        let offences: i64 =
            n_text.parse().ok().filter(|n: &i64| n.unsigned_abs() <= MAX_OFFENCES).ok_or_else(|| {
                row.problem(
                    "Number_of_Offences",
                    format!("'{n_text}' is not a whole number of offences (at most {MAX_OFFENCES} either way)"),
                )
            })?;
        Ok(RecordedCrime {
            line: row.line as u32,
            force: force.code,
            financial_year: fy.start_year,
            quarter,
            offence_code: offence.code.to_string(),
            offences,
        })
    })? {
        match parsed.and_then(|r| r) {
            Ok(r) => {
                let key = (r.force, r.financial_year, r.quarter, r.offence_code.clone());
                if let Some(&i) = seen.get(&key) {
                    // The published table lists homicide as four rows under the combined
                    // code "1/4.1/4.10/4.2" (murder, manslaughter, corporate manslaughter,
                    // infanticide): rows sharing a force, quarter and code are parts of one
                    // count, so they add.
                    match batch.rows[i].offences.checked_add(r.offences).filter(|n| n.unsigned_abs() <= MAX_OFFENCES) {
                        Some(n) => batch.rows[i].offences = n,
                        None => {
                            problems.push(RowProblem {
                                file: path.to_path_buf(),
                                line: u64::from(r.line),
                                field: "Number_of_Offences".into(),
                                message: format!("the parts of this count add up to more than {MAX_OFFENCES}"),
                            });
                            continue;
                        }
                    }
                    repeated += 1;
                } else {
                    seen.insert(key, batch.rows.len());
                    batch.rows.push(r);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    batch.refused = problems.len() as u64;
    Ok(ParsedFile { batch, problems, rows_read: file.rows_read(), repeated_keys: repeated })
}
