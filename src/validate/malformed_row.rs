//! `MALFORMED_ROW`: the row has more cells than the header, usually an
//! unquoted delimiter inside a value (`1,000,000` in a comma-separated file),
//! which shifts every later cell. Such a row is never paid.

use crate::ingest::Table;

/// Checks data row `i` for cells beyond the header.
pub fn check(table: &Table, i: usize) -> Result<(), String> {
    if table.has_overflow(i) {
        Err(format!(
            "the row has more cells than the header's {}: a value probably contains the delimiter `{}` without quotes",
            table.headers.len(),
            table.format.delimiter.unwrap_or(',')
        ))
    } else {
        Ok(())
    }
}
