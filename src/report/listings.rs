//! `accepted.csv` and `rejected.csv`: one line per input row, in input
//! order, with what happened to it and every cell of the original row, so
//! that the listings can be read without the input at hand.

use std::collections::HashMap;
use std::io::Write;

use super::csv_safe::{write_record, writer};
use crate::batch::BatchResult;
use crate::route::{BankBatch, Payment};
use crate::validate::{Code, Severity};

const ACCEPTED_COLUMNS: [&str; 10] = [
    "row",
    "end_to_end_id",
    "bank_bin",
    "bank",
    "account_number",
    "name",
    "creditor_name",
    "amount_vnd",
    "warnings",
    "warning_messages",
];
const REJECTED_COLUMNS: [&str; 5] = ["row", "codes", "message", "fix", "amount_vnd"];

/// The input's headers, renamed where they would collide with ours.
fn input_headers(result: &BatchResult, ours: &[&str]) -> Vec<String> {
    result
        .table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if h.is_empty() {
                format!("column {}", i + 1)
            } else {
                h.clone()
            };
            if ours.contains(&h.as_str()) {
                format!("{h} (input)")
            } else {
                h
            }
        })
        .collect()
}

fn input_cells(result: &BatchResult, index: usize) -> impl Iterator<Item = String> + '_ {
    (0..result.table.headers.len()).map(move |col| result.table.raw(col, index).to_owned())
}

/// Writes `accepted.csv`.
pub fn write_accepted(out: &mut dyn Write, result: &BatchResult) -> std::io::Result<()> {
    let by_candidate: HashMap<usize, (&BankBatch, &Payment)> = result
        .batches
        .iter()
        .flat_map(|b| b.payments.iter().map(move |p| (p.candidate, (b, p))))
        .collect();
    let mut w = writer(out);
    let mut header: Vec<String> = ACCEPTED_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(input_headers(result, &ACCEPTED_COLUMNS));
    write_record(&mut w, &header)?;
    for (i, c) in result.candidates.iter().enumerate() {
        let Some((batch, p)) = by_candidate.get(&i) else {
            continue;
        };
        let warnings: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| result.config.severity(d.code) == Severity::Warn)
            .collect();
        let mut codes: Vec<Code> = warnings.iter().map(|d| d.code).collect();
        codes.dedup();
        let mut record = vec![
            c.row.to_string(),
            p.end_to_end_id.clone(),
            batch.bank.bin.clone(),
            batch.bank.short_name.clone(),
            p.account.clone(),
            c.name.clone(),
            p.creditor_name.clone(),
            p.amount.to_string(),
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            warnings
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ];
        record.extend(input_cells(result, c.index));
        write_record(&mut w, &record)?;
    }
    w.flush()
}

/// Writes `rejected.csv`.
pub fn write_rejected(out: &mut dyn Write, result: &BatchResult) -> std::io::Result<()> {
    let mut w = writer(out);
    let mut header: Vec<String> = REJECTED_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(input_headers(result, &REJECTED_COLUMNS));
    write_record(&mut w, &header)?;
    for c in result.candidates.iter().filter(|c| c.rejected) {
        let mut codes: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes.dedup();
        let fixes: Vec<&str> = codes.iter().map(|c| c.fix()).collect();
        let mut record = vec![
            c.row.to_string(),
            c.codes(),
            c.messages(),
            fixes.join("; "),
            c.amount.map(|a| a.to_string()).unwrap_or_default(),
        ];
        record.extend(input_cells(result, c.index));
        write_record(&mut w, &record)?;
    }
    w.flush()
}
