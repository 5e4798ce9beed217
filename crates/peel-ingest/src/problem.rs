use std::fmt;
use std::path::{Path, PathBuf};

/// One malformed row: where it is and what is wrong, in words an analyst can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub file: PathBuf,
    /// Line in the file, 1 = the header.
    pub line: u64,
    /// Column name, or "row" for a problem with the row as a whole.
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: field '{}': {}", self.file.display(), self.line, self.field, self.message)
    }
}

/// A problem with a file as a whole: nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The error is shown in the message, not also as its cause (which a caller printing the
    /// chain of causes would show a second time).
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path}:{line}: header: {message}")]
    Header { path: PathBuf, line: u64, message: String },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
}

impl FileError {
    pub fn io(path: &Path, source: std::io::Error) -> FileError {
        FileError::Io { path: path.to_path_buf(), error: source }
    }
}
