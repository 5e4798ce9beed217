//! The board paper: one self-contained HTML document for a force's Strategic Policing and
//! Crime Board, in the shape of a force performance paper (numbered paragraphs, tables,
//! charts), and a PDF of it printed through headless Chromium.
//!
//! The HTML has no script and refers to nothing outside itself: CSS is inline, charts are
//! inline SVG drawn with plotters ([`charts`]), so the file can be emailed, archived and
//! opened offline. It prints to A4 (`@page`, `@media print`).
//!
//! ```no_run
//! # fn demo(paper: &peel_analytics::BoardPaper) -> Result<(), Box<dyn std::error::Error>> {
//! let meta = peel_report::PaperMeta {
//!     title: "West Yorkshire Police: performance, July 2017".into(),
//!     board: Some("Strategic Policing and Crime Board".into()),
//!     generated_at: "2017-09-01 09:30".into(),
//!     sources: vec!["police.uk street-level crime, 2014-08 to 2017-07".into()],
//! };
//! std::fs::write("paper.html", peel_report::render_html(paper, &meta))?;
//! peel_report::print_pdf("paper.html".as_ref(), "paper.pdf".as_ref())?;
//! # Ok(()) }
//! ```

pub mod charts;
pub mod format;
mod html;
mod pdf;

pub use html::{LIVE_SECTIONS, OGL_LINE, SECTIONS};
pub use pdf::{find_chromium, print_pdf, print_pdf_with, PdfError, CHROMIUM_ENV, CHROMIUM_NAMES};

/// What the paper says about itself, beyond the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperMeta {
    /// The paper's title, e.g. "West Yorkshire Police: performance, July 2017".
    pub title: String,
    /// The board the paper is for, as the user configured it (`peel report --board`, `peel
    /// serve --board`), printed above the title; a neutral "Crime and harm report" without one.
    pub board: Option<String>,
    /// When the paper was generated, as it should be printed.
    pub generated_at: String,
    /// One line per data set imported (file, months, rows), listed under "Data sources".
    pub sources: Vec<String>,
}

/// Renders the board paper as a complete HTML document. All text from the data (force,
/// area names, notes, sources) is escaped.
pub fn render_html(paper: &peel_analytics::BoardPaper, meta: &PaperMeta) -> String {
    html::render(paper, meta)
}

#[cfg(test)]
mod tests;
