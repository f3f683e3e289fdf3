//! Batch results to documents people review: the accepted and rejected
//! listings and the reconciliation, as CSV that is safe to open in a
//! spreadsheet; the same reconciliation as a page to read and print
//! (`report.html`) and as a workbook (`reconciliation.xlsx`).

pub mod csv_safe;
pub mod html;
pub mod listings;
pub mod mau09;
pub mod page;
pub mod reconciliation;
pub mod words;
pub mod workbook;
