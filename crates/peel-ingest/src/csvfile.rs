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

/// Where a line ends: at '\n' only, so that a line ended "\r\n" (a file saved on Windows or
/// by Excel) keeps its '\r', which [`Row::text`] leaves out of the last field. The csv
/// crate's own handling of "\r\n" ends the record at '\r' and takes the '\n' with the next
/// record, after that record's line is counted: every row of such a file was reported one
/// line short, and a file cut into stretches at its line breaks would number its rows
/// differently from the same file read whole. A blank line is passed over and counted,
/// however it ends.
const LINE_END: csv::Terminator = csv::Terminator::Any(b'\n');

/// The buffer of a reader started again after a quote left open: small, since a broken file
/// may have one on every line.
const RESTART_BUFFER: usize = 64 * 1024;

/// The largest field Peel reads: no field of the files it imports comes near it (police.uk's
/// longest are locations and outcome words, ONS's area names), so a longer one is a broken
/// file — typically a quote opened and never closed, which would swallow the lines after it.
pub const MAX_FIELD_BYTES: usize = 4 * 1024;
/// The longest row.
pub const MAX_ROW_BYTES: u64 = 64 * 1024;
/// The largest file: the biggest police.uk download (every force, a month) is under 100 MB; a
/// file of many months replicated is still far under this.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024 * 1024;

pub struct CsvFile {
    pub path: PathBuf,
    pub header: Vec<String>,
    /// The file, or a stretch of it already read (`CsvFile::stretch`).
    reader: csv::Reader<Counting<Box<dyn Read + Send>>>,
    record: ByteRecord,
    rows: u64,
    /// Lines of the file before the first byte this reader reads, added to every line number.
    lines_before: u64,
    /// Whether a row read has had a line break inside a field.
    last_row_broken: bool,
    /// Bytes this reader reads, and whether the last is a line break: a row's line is counted
    /// back from where the reader stands after it (see `next_row`), and the last row ends
    /// with the file rather than a line break when the file does not end with one.
    length: u64,
    ends_with_break: bool,
    /// Where in the file this reader's first byte lies, when it reads the file itself (not a
    /// stretch already read): after a quote left open it starts again at the next line.
    base: Option<u64>,
}

/// The last byte of the file at `path`, if it has one.
fn last_byte(path: &Path) -> Result<Option<u8>, FileError> {
    use std::io::Seek;
    let mut file = File::open(path).map_err(|e| FileError::io(path, e))?;
    let len = file.metadata().map_err(|e| FileError::io(path, e))?.len();
    if len == 0 {
        return Ok(None);
    }
    let mut byte = [0u8; 1];
    file.seek(std::io::SeekFrom::Start(len - 1)).map_err(|e| FileError::io(path, e))?;
    file.read_exact(&mut byte).map_err(|e| FileError::io(path, e))?;
    Ok(Some(byte[0]))
}

/// One data row, borrowed from the reader.
pub struct Row<'a> {
    pub path: &'a Path,
    pub line: u64,
    pub record: &'a ByteRecord,
    pub header: &'a [String],
    /// The row's fields, one after another, when they are all UTF-8: checked once for the
    /// row rather than once a field. (A field then is a slice of it: fields begin and end
    /// beside a comma or a quote, never inside a character.)
    pub utf8: Option<&'a str>,
}

impl Row<'_> {
    pub fn problem(&self, field: &str, message: impl Into<String>) -> RowProblem {
        RowProblem { file: self.path.to_path_buf(), line: self.line, field: field.to_string(), message: message.into() }
    }

    /// Field `index` as text; a field that is not UTF-8 is a problem named by its column.
    pub fn text(&self, index: usize) -> Result<&str, RowProblem> {
        // The last field of a line ended "\r\n" keeps its '\r' (see `LINE_END`): not its text.
        let last = index + 1 == self.record.len();
        fn cut(t: &str, last: bool) -> &str {
            if last {
                t.strip_suffix('\r').unwrap_or(t)
            } else {
                t
            }
        }
        if let Some(text) = self.utf8.zip(self.record.range(index)).and_then(|(all, at)| all.get(at)) {
            return Ok(cut(text, last));
        }
        let bytes = self.record.get(index).unwrap_or(b"");
        std::str::from_utf8(bytes).map(|t| cut(t, last)).map_err(|e| {
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
        let meta = file.metadata().map_err(|e| FileError::io(path, e))?;
        // Rows are numbered, and a quote left open passed over, by reading the file again
        // from a place in it: a pipe cannot be.
        if !meta.is_file() {
            return Err(FileError::Format {
                path: path.to_path_buf(),
                message: "not a file (a pipe or a device?): save it as a file and import that".into(),
            });
        }
        let bytes = meta.len();
        if bytes > MAX_FILE_BYTES {
            return Err(FileError::Format {
                path: path.to_path_buf(),
                message: format!(
                    "the file is {bytes} bytes, over the {} GiB a file may be: split it by month",
                    MAX_FILE_BYTES >> 30
                ),
            });
        }
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        progress.file_started(&name, bytes);
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).terminator(LINE_END).from_reader(Counting {
                inner: Box::new(BufReader::with_capacity(1 << 20, file)) as Box<dyn Read + Send>,
                bytes: 0,
            });
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
        Ok(CsvFile {
            path: path.to_path_buf(),
            header,
            reader,
            record: ByteRecord::new(),
            rows: 0,
            lines_before: 0,
            last_row_broken: false,
            length: bytes,
            ends_with_break: last_byte(path)? == Some(b'\n'),
            base: Some(0),
        })
    }

    /// The rows of a stretch of the file at `path` (whose columns are `header`), that starts
    /// where a row starts and has `lines_before` lines of the file before it: `bytes` when
    /// they have been read already, else the file from byte `offset` on. Its rows are
    /// numbered by their lines in the file and checked as the whole file's are.
    pub fn stretch(
        path: &Path,
        header: &[String],
        bytes: Option<Vec<u8>>,
        offset: u64,
        lines_before: u64,
    ) -> Result<CsvFile, FileError> {
        CsvFile::stretch_with(path, header, bytes, offset, lines_before, 1 << 20)
    }

    /// [`CsvFile::stretch`] reading the file through a buffer of `buffer` bytes.
    fn stretch_with(
        path: &Path,
        header: &[String],
        bytes: Option<Vec<u8>>,
        offset: u64,
        lines_before: u64,
        buffer: usize,
    ) -> Result<CsvFile, FileError> {
        let base = bytes.is_none().then_some(offset);
        let (source, length, ends_with_break): (Box<dyn Read + Send>, u64, bool) = match bytes {
            Some(b) => {
                let (length, ends) = (b.len() as u64, b.last() == Some(&b'\n'));
                (Box::new(std::io::Cursor::new(b)), length, ends)
            }
            None => {
                use std::io::Seek;
                let mut file = File::open(path).map_err(|e| FileError::io(path, e))?;
                let length = file.metadata().map_err(|e| FileError::io(path, e))?.len().saturating_sub(offset);
                file.seek(std::io::SeekFrom::Start(offset)).map_err(|e| FileError::io(path, e))?;
                (Box::new(BufReader::with_capacity(buffer, file)), length, last_byte(path)? == Some(b'\n'))
            }
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(LINE_END)
            .from_reader(Counting { inner: source, bytes: offset });
        Ok(CsvFile {
            path: path.to_path_buf(),
            header: header.to_vec(),
            reader,
            record: ByteRecord::new(),
            rows: 0,
            lines_before,
            last_row_broken: false,
            length,
            ends_with_break,
            base,
        })
    }

    /// Where the rows start: the byte after the header, and the lines the header took.
    pub fn rows_start(&self) -> (u64, u64) {
        let at = self.reader.position();
        (at.byte(), at.line() - 1)
    }

    /// Whether a row read had a line break inside a field (a quote left open): read from a
    /// stretch already in memory, such a row took in the lines after it, perhaps past the
    /// stretch's end, where the file itself is read again from the next line (see
    /// `read_on_after`); the stretch must then be read from the file.
    pub fn last_row_broken(&self) -> bool {
        self.last_row_broken
    }

    /// Where the row just read, whose quote was left open, really starts in a file read from
    /// the file itself: past the blank lines the csv crate passed over to reach it (and took
    /// the row's position before), how many, and the byte after the row's first line.
    fn broken_row_start(&self) -> Result<Option<(u64, u64)>, FileError> {
        use std::io::Seek;
        let Some(base) = self.base else { return Ok(None) };
        let path = &self.path;
        let start = base + self.record.position().map_or(0, |p| p.byte());
        let mut file = File::open(path).map_err(|e| FileError::io(path, e))?;
        file.seek(std::io::SeekFrom::Start(start)).map_err(|e| FileError::io(path, e))?;
        let mut reader = BufReader::new(file);
        let (mut at, mut blank, mut buf) = (start, 0, Vec::new());
        loop {
            buf.clear();
            let n = std::io::BufRead::read_until(&mut reader, b'\n', &mut buf).map_err(|e| FileError::io(path, e))?;
            at += n as u64;
            if n == 0 || buf != b"\n" {
                return Ok(Some((blank, at)));
            }
            blank += 1;
        }
    }

    /// After a row at `line` whose quote was left open (it took in the lines after it, to the
    /// next quote or the end of the file), reading goes on at the line after it, from byte
    /// `at` of the file: the lines it took in are rows like any other, not lost with it. (A
    /// stretch already in memory cannot: its reader says a row broke, and the stretch is
    /// read from the file.)
    fn read_on_after(&mut self, line: u64, at: u64) -> Result<(), FileError> {
        let rows = self.rows;
        *self = CsvFile::stretch_with(&self.path.clone(), &self.header.clone(), None, at, line, RESTART_BUFFER)?;
        self.rows = rows;
        self.last_row_broken = true;
        Ok(())
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
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => {
                    progress.rows_read(self.rows, self.reader.get_ref().bytes);
                    progress.file_finished();
                    return Ok(None);
                }
                // A blank line of a file whose lines end "\r\n": passed over, as a blank
                // line ended "\n" is.
                Ok(true) if self.record.len() == 1 && &self.record[0] == b"\r" => continue,
                Ok(true) => break,
                Err(e) => {
                    return Err(FileError::Format { path: self.path.clone(), message: e.to_string() });
                }
            }
        }
        self.rows += 1;
        if self.rows.is_multiple_of(16384) {
            progress.rows_read(self.rows, self.reader.get_ref().bytes);
        }
        // The row's line, counted back from where the reader stands after it: the line break
        // that ended it, unless the file ended it. (The csv crate's own position of a row is
        // taken before the blank lines it passes over to reach it, so a row after a blank
        // line would be numbered as the blank line.) A row with line breaks inside a field —
        // a quote left open, which may have run to the end of the file taking its last break
        // in — is where the quote opened: the csv crate's position, past the blank lines it
        // passed over (read from the file; a stretch in memory is read again from the file).
        let broken = self.record.as_slice().contains(&b'\n');
        let mut restart_at = None;
        let line = if broken {
            let line = self.record.position().map_or(1, |p| p.line());
            match self.broken_row_start()? {
                Some((blank, at)) => {
                    restart_at = Some(at);
                    line + blank
                }
                None => line,
            }
        } else {
            let after = self.reader.position();
            let ended_by_break = u64::from(after.byte() < self.length || self.ends_with_break);
            after.line().saturating_sub(ended_by_break).max(1)
        } + self.lines_before;
        self.last_row_broken |= broken;
        if let Some(problem) = self.oversized(line, broken) {
            if let Some(at) = restart_at {
                self.read_on_after(line, at)?;
            }
            return Ok(Some(Err(problem)));
        }
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
        let utf8 = std::str::from_utf8(self.record.as_slice()).ok();
        Ok(Some(Ok(f(Row { path: &self.path, line, record: &self.record, header: &self.header, utf8 }))))
    }

    /// A row over the size limits, or with a line break inside a field (none of the formats
    /// has one: it means a quote opened at `line` and closed lines later, or never), as a
    /// problem of the row and field.
    fn oversized(&self, line: u64, broken: bool) -> Option<RowProblem> {
        let problem = |field: &str, message: String| RowProblem {
            file: self.path.clone(),
            line,
            field: field.to_string(),
            message,
        };
        let name = |i: usize| self.header.get(i).map_or_else(|| format!("column {}", i + 1), String::clone);
        let total: u64 = self.record.as_slice().len() as u64;
        // The common case, a row within the limits and without a break, in one pass over its
        // bytes (no field can be over the limit if the whole row is not); the fields are
        // looked at one by one only to name the one at fault.
        if total <= MAX_FIELD_BYTES as u64 && !broken {
            return None;
        }
        for (i, field) in self.record.iter().enumerate() {
            let breaks = field.iter().filter(|&&b| b == b'\n').count();
            if breaks > 0 {
                return Some(problem(
                    &name(i),
                    format!(
                        "a quote opened on this line is not closed on it (an unterminated quote? it ran over \
                         {breaks} line break{}): the row is refused, and the lines after it are read as rows",
                        if breaks == 1 { "" } else { "s" },
                    ),
                ));
            }
            if field.len() > MAX_FIELD_BYTES {
                return Some(problem(
                    &name(i),
                    format!("{} bytes, over the {MAX_FIELD_BYTES} a field may be", field.len()),
                ));
            }
        }
        (total > MAX_ROW_BYTES).then(|| problem("row", format!("{total} bytes, over the {MAX_ROW_BYTES} a row may be")))
    }

    pub fn rows_read(&self) -> u64 {
        self.rows
    }
}
