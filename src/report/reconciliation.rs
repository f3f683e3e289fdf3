//! `reconciliation.csv`: per bank, the transactions and total of its file;
//! then the input, accepted and rejected counts and amounts, and the two
//! checks that prove nothing was lost: accepted + rejected = input rows, and
//! the bank files add up to the accepted amount.

use std::io::Write;

use super::csv_safe::{write_record, writer};
use crate::prepared::Prepared;

/// Writes `reconciliation.csv`.
pub fn write(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
    let t = &result.totals;
    let mut w = writer(out);
    write_record(
        &mut w,
        ["line", "bank_bin", "bank", "file", "rows", "amount_vnd"],
    )?;
    for b in &result.batches {
        write_record(
            &mut w,
            [
                "bank",
                &b.bank.bin,
                &b.bank.short_name,
                &format!("banks/{}", b.file_name()),
                &b.payments.len().to_string(),
                &b.total.to_string(),
            ],
        )?;
    }
    let line = |w: &mut csv::Writer<_>, name: &str, rows: usize, amount: String| {
        write_record(w, [name, "", "", "", &rows.to_string(), &amount])
    };
    let files_total: i64 = result.batches.iter().map(|b| b.total).sum();
    let files_rows: usize = result.batches.iter().map(|b| b.payments.len()).sum();
    line(&mut w, "bank_files", files_rows, files_total.to_string())?;
    line(&mut w, "accepted", t.accepted, t.accepted_vnd.to_string())?;
    line(&mut w, "rejected", t.rejected, t.rejected_vnd.to_string())?;
    line(
        &mut w,
        "rejected_without_amount",
        t.rejected_without_amount,
        String::new(),
    )?;
    line(&mut w, "input", t.rows, t.rows_vnd().to_string())?;
    line(&mut w, "blank_rows_skipped", t.blank_rows, String::new())?;
    let layout = &result.table.skipped;
    let layout_rows = layout.numbering + layout.subtotals + layout.footer;
    line(&mut w, "layout_rows_skipped", layout_rows, String::new())?;
    if let Some(declared) = t.declared_vnd {
        line(
            &mut w,
            "declared_by_office",
            t.declared_rows.unwrap_or(0),
            declared.to_string(),
        )?;
        line(
            &mut w,
            "difference_from_declared",
            0,
            (t.rows_vnd() - declared).to_string(),
        )?;
    }
    let rows_ok = t.accepted + t.rejected == t.rows;
    let files_ok = files_total == t.accepted_vnd && files_rows == t.accepted;
    write_record(
        &mut w,
        [
            "check: accepted + rejected = input",
            "",
            "",
            "",
            if rows_ok { "OK" } else { "FAILED" },
            "",
        ],
    )?;
    write_record(
        &mut w,
        [
            "check: bank files = accepted",
            "",
            "",
            "",
            if files_ok { "OK" } else { "FAILED" },
            "",
        ],
    )?;
    w.flush()
}
