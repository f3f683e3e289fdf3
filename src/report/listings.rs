//! `accepted.csv` and `rejected.csv`: one line per input row, in input
//! order, with what happened to it and every cell of the original row, so
//! that the listings can be read without the input at hand.

use std::io::Write;

use super::csv_safe::{RecordBuf, write_record, writer};
use crate::batch::BatchResult;
use crate::route::{BankBatch, Payment};
use crate::validate::{Candidate, Code, Severity};

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

fn input_cells(result: &BatchResult, index: usize) -> impl Iterator<Item = &str> + Clone + '_ {
    let row = result.table.row(index);
    (0..result.table.headers.len()).map(move |col| row.raw(col))
}

/// Rows of `accepted.csv` rendered per parallel chunk.
const CHUNK: usize = 4096;

/// Writes `accepted.csv`.
pub fn write_accepted(out: &mut (dyn Write + Send), result: &BatchResult) -> std::io::Result<()> {
    let mut header: Vec<String> = ACCEPTED_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(input_headers(result, &ACCEPTED_COLUMNS));
    let mut w = writer(&mut *out);
    write_record(&mut w, &header)?;
    w.flush()?;
    drop(w);
    crate::write::chunked::write_chunked(out, &result.candidates, CHUNK, |first, chunk, buf| {
        // Each bank's payments are in candidate order: a cursor per bank,
        // started at the chunk's first candidate, finds each row's payment.
        let mut cursors: Vec<(&BankBatch, std::slice::Iter<'_, Payment>)> = result
            .batches
            .iter()
            .map(|b| {
                let at = b.payments.partition_point(|p| p.candidate() < first);
                (b, b.payments[at..].iter())
            })
            .collect();
        let mut records = RecordBuf::default();
        buf.reserve(chunk.len() * 300);
        for (index, c) in (first..).zip(chunk) {
            let found = cursors.iter_mut().find_map(|(b, payments)| {
                let next = payments.as_slice().first()?;
                (next.candidate() == index).then(|| (*b, payments.next().expect("peeked")))
            });
            if let Some((batch, p)) = found {
                accepted_row(&mut records, buf, result, c, batch, p);
            }
        }
        Ok(())
    })
}

/// One line of `accepted.csv`.
fn accepted_row(
    records: &mut RecordBuf,
    buf: &mut Vec<u8>,
    result: &BatchResult,
    c: &Candidate,
    batch: &BankBatch,
    p: &Payment,
) {
    let (mut row, mut amount) = (itoa::Buffer::new(), itoa::Buffer::new());
    let warnings: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| result.config.severity(d.code) == Severity::Warn)
        .collect();
    let (codes, messages) = if warnings.is_empty() {
        (String::new(), String::new())
    } else {
        let mut codes: Vec<Code> = warnings.iter().map(|d| d.code).collect();
        codes.dedup();
        (
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
        )
    };
    let ours = [
        row.format(c.row),
        &p.end_to_end_id,
        &batch.bank.bin,
        &batch.bank.short_name,
        p.account(&result.candidates),
        &c.name,
        &p.creditor_name,
        amount.format(p.amount(&result.candidates)),
        &codes,
        &messages,
    ];
    records.push(buf, ours.into_iter().chain(input_cells(result, c.index())));
}

/// Writes `rejected.csv`.
pub fn write_rejected(out: &mut (dyn Write + Send), result: &BatchResult) -> std::io::Result<()> {
    let mut w = writer(out);
    let mut header: Vec<String> = REJECTED_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(input_headers(result, &REJECTED_COLUMNS));
    write_record(&mut w, &header)?;
    for c in result.candidates.iter().filter(|c| c.rejected) {
        let mut codes: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes.dedup();
        let fixes: Vec<&str> = codes.iter().map(|c| c.fix()).collect();
        let ours = [
            c.row.to_string(),
            c.codes(),
            c.messages(),
            fixes.join("; "),
            c.amount.map(|a| a.to_string()).unwrap_or_default(),
        ];
        let ours = ours.iter().map(String::as_str);
        write_record(&mut w, ours.chain(input_cells(result, c.index())))?;
    }
    w.flush()
}
