//! Peel's domain vocabulary: pure data and rules, no I/O.
//!
//! Every table here carries its source in a comment. Other crates turn the words of the
//! published data (police.uk, Home Office, ONS) into these types and back; nothing here
//! knows about files or databases, so every rule can be tested in isolation.

pub mod bng;
pub mod calendar;
pub mod category;
pub mod contact;
pub mod date;
pub mod field_error;
pub mod flags;
pub mod force;
pub mod force_area;
pub mod harm;
pub mod month;
pub mod name_search;
pub mod nominal;
pub mod notification;
pub mod offence;
mod offence_table;
pub mod outcome;
pub mod recording;
pub mod role;
pub mod thrive;
pub mod victims_code;

pub use category::Category;
pub use contact::ContactMethod;
pub use force::Force;
pub use month::{FinancialYear, YearMonth};
pub use outcome::{OutcomeGroup, OutcomeType};
