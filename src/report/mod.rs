//! Batch results to documents people review: the accepted and rejected
//! listings and the reconciliation, as CSV that is safe to open in a
//! spreadsheet.

pub mod csv_safe;
pub mod listings;
pub mod reconciliation;
