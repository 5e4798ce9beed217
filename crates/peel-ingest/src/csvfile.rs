//! Reading a CSV file the way every importer needs it: header checked by column name,
//! rows as raw bytes so that a non-UTF-8 field is reported by name rather than failing the
//! file, line numbers for every row, and progress as bytes are read.

use crate::problem::{FileError, RowProblem};
use crate::Progress;
use csv::ByteRecord;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Counts bytes as the CSV reader pulls them, for the progress bar.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

pub struct CsvFile {
    pub path: PathBuf,
    pub header: Vec<String>,
    reader: csv::Reader<Counting<BufReader<File>>>,
    record: ByteRecord,
    rows: u64,
}

/// One data row, borrowed from the reader.
pub struct Row<'a> {
    pub path: &'a Path,
    pub line: u64,
    pub record: &'a ByteRecord,
    pub header: &'a [String],
}

impl Row<'_> {
    pub fn problem(&self, field: &str, message: impl Into<String>) -> RowProblem {
        RowProblem { file: self.path.to_path_buf(), line: self.line, field: field.to_string(), message: message.into() }
    }

    /// Field `index` as text; a field that is not UTF-8 is a problem named by its column.
    pub fn text(&self, index: usize) -> Result<&str, RowProblem> {
        let bytes = self.record.get(index).unwrap_or(b"");
        std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            self.problem(
                &self.header[index],
                format!("not valid UTF-8 (byte 0x{:02X} at position {}); save the file as UTF-8", bytes[at], at + 1),
            )
        })
    }
}

impl CsvFile {
    pub fn open(path: &Path, progress: &mut dyn Progress) -> Result<CsvFile, FileError> {
        let file = File::open(path).map_err(|e| FileError::io(path, e))?;
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        progress.file_started(&name, bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Counting { inner: BufReader::with_capacity(1 << 20, file), bytes: 0 });
        let mut first = ByteRecord::new();
        let header_error = |message: String| FileError::Header { path: path.to_path_buf(), line: 1, message };
        match reader.read_byte_record(&mut first) {
            Ok(true) => {}
            Ok(false) => return Err(header_error("the file is empty".into())),
            Err(e) => return Err(header_error(e.to_string())),
        }
        let mut header = Vec::with_capacity(first.len());
        for (i, field) in first.iter().enumerate() {
            // Excel writes a UTF-8 byte order mark; it is not part of the first column's name.
            let field = if i == 0 { field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field) } else { field };
            let name = std::str::from_utf8(field)
                .map_err(|_| header_error(format!("column {} name is not valid UTF-8", i + 1)))?;
            header.push(name.trim().to_string());
        }
        Ok(CsvFile { path: path.to_path_buf(), header, reader, record: ByteRecord::new(), rows: 0 })
    }

    /// Index of each required column by name (case-insensitive), or a header error naming
    /// every column that is missing.
    pub fn columns(&self, required: &[&str]) -> Result<Vec<usize>, FileError> {
        let mut missing = Vec::new();
        let found: Vec<usize> = required
            .iter()
            .map(|name| {
                self.column(name).unwrap_or_else(|| {
                    missing.push(format!("'{name}'"));
                    usize::MAX
                })
            })
            .collect();
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(FileError::Header {
                path: self.path.clone(),
                line: 1,
                message: format!(
                    "missing column{} {} (found: {})",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.join(", "),
                    self.header.join(", ")
                ),
            })
        }
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Reads the next data row and hands it to `f`; `Ok(false)` at end of file. A row with
    /// the wrong number of fields (a truncated last line, a stray comma) is reported as a
    /// problem of the row, not handed on.
    pub fn next_row<T>(
        &mut self,
        progress: &mut dyn Progress,
        mut f: impl FnMut(Row<'_>) -> T,
    ) -> Result<Option<Result<T, RowProblem>>, FileError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                progress.rows_read(self.rows, self.reader.get_ref().bytes);
                progress.file_finished();
                return Ok(None);
            }
            Ok(true) => {}
            Err(e) => {
                return Err(FileError::Format { path: self.path.clone(), message: e.to_string() });
            }
        }
        self.rows += 1;
        if self.rows.is_multiple_of(16384) {
            progress.rows_read(self.rows, self.reader.get_ref().bytes);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        if self.record.len() != self.header.len() {
            let problem = RowProblem {
                file: self.path.clone(),
                line,
                field: "row".into(),
                message: format!(
                    "expected {} fields as in the header, found {}{}",
                    self.header.len(),
                    self.record.len(),
                    if self.record.len() < self.header.len() {
                        " (truncated or unquoted line?)"
                    } else {
                        " (an unquoted comma?)"
                    }
                ),
            };
            return Ok(Some(Err(problem)));
        }
        Ok(Some(Ok(f(Row { path: &self.path, line, record: &self.record, header: &self.header }))))
    }

    pub fn rows_read(&self) -> u64 {
        self.rows
    }
}
