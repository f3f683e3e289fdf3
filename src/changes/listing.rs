//! `changes.csv`: one line per changed field of a beneficiary, every cell
//! neutralised for spreadsheets like the other listings.

use std::io::Write;

use super::Changes;
use crate::report::csv_safe::{write_record, writer};

/// The columns of `changes.csv`.
pub const COLUMNS: [&str; 8] = [
    "change",
    "row",
    "previous_row",
    "beneficiary",
    "name",
    "field",
    "before",
    "after",
];

/// Writes `changes.csv`.
pub fn write(out: &mut dyn Write, changes: &Changes) -> std::io::Result<()> {
    let mut w = writer(&mut *out);
    write_record(&mut w, COLUMNS)?;
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    for l in &changes.lines {
        write_record(
            &mut w,
            [
                l.change.as_str(),
                &number(l.row),
                &number(l.previous_row),
                &l.beneficiary,
                &l.name,
                l.field,
                &l.before,
                &l.after,
            ],
        )?;
    }
    w.flush()
}
