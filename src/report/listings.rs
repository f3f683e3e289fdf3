//! `accepted.csv` and `rejected.csv`: one line per input row, in input
//! order, with what happened to it and every cell of the original row, so
//! that the listings can be read without the input at hand.

use std::io::Write;

use super::csv_safe::{RecordBuf, write_record, writer};
use crate::prepared::Prepared;
use crate::route::{BankBatch, Payment};
use crate::validate::{Candidate, Code, Severity};

/// The columns of `accepted.csv` before the input's own.
pub(crate) const ACCEPTED_COLUMNS: [&str; 10] = [
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

/// What an input header that is also one of ours is renamed with.
pub(crate) const RENAMED: &str = " (input)";

/// The input's headers, renamed where they would collide with ours.
fn input_headers(result: &Prepared, ours: &[&str]) -> Vec<String> {
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
                format!("{h}{RENAMED}")
            } else {
                h
            }
        })
        .collect()
}

fn input_cells(result: &Prepared, index: usize) -> impl Iterator<Item = &str> + Clone + '_ {
    let row = result.table.row(index);
    (0..result.table.headers.len()).map(move |col| row.raw(col))
}

/// Rows of `accepted.csv` rendered per parallel chunk.
const CHUNK: usize = 4096;

/// Writes `accepted.csv`.
pub fn write_accepted(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
    let mut header: Vec<String> = ACCEPTED_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(input_headers(result, &ACCEPTED_COLUMNS));
    let mut w = writer(&mut *out);
    write_record(&mut w, &header)?;
    w.flush()?;
    drop(w);
    let render = |first: usize, chunk: &[Candidate], buf: &mut Vec<u8>| {
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
    };
    // The list's rows are read in order: what a group read is let go once
    // it is rendered, so that the list does not come back into memory
    // whole (see `Table::line`).
    let rendered = |range: std::ops::Range<usize>| {
        if let (Some(first), Some(last)) = (
            result.candidates.get(range.start),
            range
                .end
                .checked_sub(1)
                .and_then(|i| result.candidates.get(i)),
        ) {
            result.table.release_lines(first.index()..last.index() + 1);
        }
    };
    crate::write::chunked::write_chunked_then(out, &result.candidates, CHUNK, render, rendered)
}

/// One line of `accepted.csv`.
fn accepted_row(
    records: &mut RecordBuf,
    buf: &mut Vec<u8>,
    result: &Prepared,
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
    // A plain row is copied from the list as it was read.
    records.push_with_line(
        buf,
        ours,
        result.table.line(c.index()),
        result.table.headers.len(),
        input_cells(result, c.index()),
    );
}

/// Writes `rejected.csv`.
pub fn write_rejected(out: &mut (dyn Write + Send), result: &Prepared) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::prepare;
    use crate::generate::{Spec, write_csv};
    use crate::period::Period;
    use crate::settings::RunSettings;

    /// A generated list (CRLF, over 1 MiB so that it is mapped) with rows
    /// made awkward where validation does not look: cells that need
    /// quotes, formulas, numbers with signs, a row short of a cell, line
    /// breaks of both kinds.
    fn awkward_list() -> Vec<u8> {
        let mut text = Vec::new();
        write_csv(&mut text, &Spec::district(8_000, 11)).unwrap();
        let text = String::from_utf8(text).unwrap();
        let endings = [
            "=1+1",
            "\"a,b\"",
            "-5",
            "+84 912 345 678",
            "-1+cmd|' /C calc'!A0",
            "@SUM(A1)",
            " spaced ",
            "\"say \"\"hi\"\"\"",
            "\"two\r\nlines\"",
            "\"\"",
            "tab\there",
        ];
        let mut out = String::new();
        for (k, line) in text.split_inclusive("\r\n").enumerate() {
            let body = line.strip_suffix("\r\n").unwrap_or(line);
            // The header and most rows stay as generated.
            let body = match k % 97 {
                _ if k == 0 => body.to_owned(),
                1..=11 => format!("{body}{}", endings[k % 97 - 1]),
                // One cell short: the note's empty cell is missing.
                12 => body.strip_suffix(',').unwrap().to_owned(),
                // A quoted commune with a comma in it.
                13 => {
                    let mut cells: Vec<&str> = body.split(',').collect();
                    cells[6] = "\"Xã Phú Đô, huyện Phú Lương\"";
                    cells.join(",")
                }
                _ => body.to_owned(),
            };
            out.push_str(&body);
            out.push_str(if k % 5 == 0 { "\n" } else { "\r\n" });
        }
        out.into_bytes()
    }

    #[test]
    fn rows_copied_from_the_list_are_the_rows_written_from_their_cells() {
        let text = awkward_list();
        assert!(text.len() > 1 << 20, "the list is mapped");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, &text).unwrap();
        let settings = RunSettings::load(None, Period::new(2024, 1)).unwrap();
        let mut result = prepare(&path, &settings).unwrap();
        let table = &result.table;
        let copyable = (0..table.height())
            .filter(|&i| {
                table
                    .line(i)
                    .is_some_and(|l| super::super::csv_safe::is_verbatim_line(l, 13))
            })
            .count();
        assert!(
            copyable > 7_000 && copyable < table.height(),
            "{copyable} of {} rows are copied whole",
            table.height()
        );
        let mut copied = Vec::new();
        write_accepted(&mut copied, &result).unwrap();
        result.table.forget_source();
        assert_eq!(result.table.line(0), None);
        let mut from_cells = Vec::new();
        write_accepted(&mut from_cells, &result).unwrap();
        assert_eq!(
            String::from_utf8(copied).unwrap(),
            String::from_utf8(from_cells.clone()).unwrap()
        );
        let listing = String::from_utf8(from_cells).unwrap();
        for expected in [
            ",'=1+1\n",
            ",\"a,b\"\n",
            ",-5\n",
            ",'@SUM(A1)\n",
            ",\"two\r\nlines\"\n",
        ] {
            assert!(listing.contains(expected), "{expected:?}");
        }
    }
}
