//! Analytics as pure functions over column-oriented crime data.
//!
//! The store loads a force's street-level records into [`StreetColumns`] (one vector per
//! field, dictionary-encoded) with the [`Geography`] they refer to; everything here is
//! computed from those in memory, so it can be tested without files or a database and runs
//! at the speed of a scan over a few integer vectors.

pub mod areas;
pub mod boundary;
pub mod columns;
pub mod concentration;
pub mod counts;
pub mod facts;
pub mod gi_star;
pub mod hotspot;
pub mod impact;
pub mod kde;
pub mod live;
pub mod near_repeat;
pub mod outcomes;
pub mod own;
pub mod paper;
pub mod patrols;
pub mod predict;
pub mod scope;
pub mod spc;
pub mod surface;
pub mod trend;

pub use columns::{Geography, Lsoa, StreetColumns, NONE};
pub use facts::{CrimeFacts, Dictionary};
pub use paper::{BoardPaper, MonthStats};
