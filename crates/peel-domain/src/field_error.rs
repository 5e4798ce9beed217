//! The error every rule in this crate returns when an input breaks it: the field at fault
//! and what is wrong, written as the importers write theirs ("field 'NAME': what is wrong").

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The input field at fault, as the API and the CLI spell it (snake_case).
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError { field, message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field '{}': {}", self.field, self.message)
    }
}
impl std::error::Error for FieldError {}

/// Parses a kebab-case word against a table of (word, value), case-insensitively, and on
/// failure lists every accepted word so that the caller can correct it at once.
pub(crate) fn parse_word<T: Copy>(
    field: &'static str,
    what: &str,
    table: &[(&str, T)],
    s: &str,
) -> Result<T, FieldError> {
    let s = s.trim();
    table.iter().find(|(w, _)| w.eq_ignore_ascii_case(s)).map(|(_, v)| *v).ok_or_else(|| {
        let words: Vec<_> = table.iter().map(|(w, _)| *w).collect();
        FieldError::new(field, format!("'{s}' is not {what}; expected one of: {}", words.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_field_and_message() {
        let e = FieldError::new("decided_by", "only a designated decision maker may cancel");
        assert_eq!(e.to_string(), "field 'decided_by': only a designated decision maker may cancel");
    }

    #[test]
    fn parse_word_lists_the_choices() {
        let t = [("low", 1), ("high", 3)];
        assert_eq!(parse_word("threat", "a level", &t, " HIGH ").unwrap(), 3);
        assert_eq!(
            parse_word("threat", "a level", &t, "severe").unwrap_err().to_string(),
            "field 'threat': 'severe' is not a level; expected one of: low, high"
        );
    }
}
