//! `disburse reissue`: the payments of a month that failed (rejected or
//! returned) and have not been paid since, as a beneficiary list in the
//! input format (the columns of the lists they came from), for officers to
//! correct and drop back in. A payment returned because the beneficiary died
//! (a reason whose `reissue` is `no`) is withheld, never listed.

use std::collections::HashMap;
use std::io::Write;

use crate::ledger::{Ledger, LedgerError, PaymentFilter, PaymentRecord, SourceRow, StatusChange};
use crate::reference::{Field, Reference, Reissue};
use crate::report::csv_safe::{write_record, writer};

/// The re-issue list of a month.
#[derive(Debug, Default)]
pub struct ReissueList {
    /// Payments to pay again once corrected, in batch and row order.
    pub rows: Vec<(PaymentRecord, StatusChange)>,
    /// Failed payments that must not be paid again (beneficiary deceased).
    pub withheld: Vec<(PaymentRecord, StatusChange)>,
    /// The input row of each of `rows`, from its batch's `accepted.csv`.
    pub cells: Vec<SourceRow>,
}

/// Header of the column carrying the failure's reason.
pub const REASON_HEADER: &str = "Lý do chi trả không thành công";
/// Header of the column carrying what to correct.
pub const ACTION_HEADER: &str = "Việc cần làm";
/// Header of the column naming the failed payment.
pub const PREVIOUS_HEADER: &str = "Mã giao dịch trước";

/// The failed payments of `period` whose beneficiary has no later payment,
/// with their input rows. A batch whose `accepted.csv` cannot be read (or
/// is not the one its manifest hashed) is an error: a row re-issued
/// without its identifiers could be taken for someone new.
pub fn reissue_list(
    ledger: &Ledger,
    reference: &Reference,
    period: &str,
) -> Result<ReissueList, LedgerError> {
    let payments = ledger.payments(PaymentFilter::Period(period))?;
    let mut latest: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, (p, _)) in payments.iter().enumerate() {
        let key = (p.payment_type.as_str(), p.beneficiary_key.as_str());
        let newer = latest
            .get(&key)
            .is_none_or(|&j| payments[j].0.attempt < p.attempt);
        if newer {
            latest.insert(key, i);
        }
    }
    let mut chosen: Vec<usize> = latest.into_values().collect();
    chosen.sort_unstable();
    let mut list = ReissueList::default();
    for i in chosen {
        let (p, s) = &payments[i];
        if !s.status.is_failed() {
            continue;
        }
        if reference.reasons.reissue(&s.reason_code) == Reissue::No {
            list.withheld.push((p.clone(), s.clone()));
        } else {
            list.rows.push((p.clone(), s.clone()));
        }
    }
    let sources = ledger.source_rows(list.rows.iter().map(|(p, _)| p))?;
    if let Some((batch_id, why)) = sources.missing.first() {
        return Err(LedgerError::Source {
            batch_id: batch_id.clone(),
            message: why.clone(),
        });
    }
    list.cells = list
        .rows
        .iter()
        .map(|(p, _)| sources.of(p).cloned().unwrap_or_default())
        .collect();
    Ok(list)
}

/// The list as a table: the original columns, ordered as the input format
/// orders its fields (the sequence renumbered), then the reason, what to
/// correct and the failed payment's id.
pub fn table(reference: &Reference, list: &ReissueList) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers: Vec<&str> = Vec::new();
    for row in &list.cells {
        for (header, _) in row {
            if !headers.contains(&header.as_str()) {
                headers.push(header);
            }
        }
    }
    let position = |h: &str| {
        reference
            .columns
            .field(h)
            .and_then(|f| Field::ALL.iter().position(|x| *x == f))
            .unwrap_or(Field::ALL.len())
    };
    headers.sort_by_key(|h| position(h));
    let rows = list
        .cells
        .iter()
        .zip(&list.rows)
        .enumerate()
        .map(|(n, (row, (p, s)))| {
            let reason = reference.reasons.get(&s.reason_code);
            let mut cells: Vec<String> = headers
                .iter()
                .map(|h| {
                    if reference.columns.field(h) == Some(Field::Seq) {
                        return (n + 1).to_string();
                    }
                    // A repeated header: its last column, as before.
                    row.iter()
                        .rev()
                        .find(|(header, _)| header == h)
                        .map(|(_, cell)| cell.clone())
                        .unwrap_or_default()
                })
                .collect();
            cells.push(match reason {
                Some(r) => format!("{} ({})", r.vi, r.code),
                None => format!("{} {}", s.status, s.reason_code).trim().to_owned(),
            });
            cells.push(reason.map(|r| r.action_vi.clone()).unwrap_or_default());
            cells.push(p.end_to_end_id.clone());
            cells
        })
        .collect();
    let mut headers: Vec<String> = headers.into_iter().map(str::to_owned).collect();
    headers.extend([REASON_HEADER, ACTION_HEADER, PREVIOUS_HEADER].map(str::to_owned));
    (headers, rows)
}

/// Writes the list as CSV, UTF-8 with a byte-order mark so that Excel shows
/// Vietnamese (but Excel turns account numbers into numbers when it opens a
/// CSV: [`write_xlsx`] is kinder to officers who edit in Excel).
pub fn write_csv(
    out: &mut dyn Write,
    reference: &Reference,
    list: &ReissueList,
) -> std::io::Result<()> {
    let (headers, rows) = table(reference, list);
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = writer(out);
    let io = std::io::Error::other;
    write_record(&mut csv, &headers).map_err(io)?;
    for cells in &rows {
        write_record(&mut csv, cells).map_err(io)?;
    }
    csv.flush()
}

/// Writes the list as a workbook whose cells are all text (account numbers
/// and citizen IDs keep their leading zeros when edited), with a frozen
/// header and the reason columns set apart.
pub fn write_xlsx(
    out: &mut dyn Write,
    reference: &Reference,
    list: &ReissueList,
) -> std::io::Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let (headers, rows) = table(reference, list);
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let text = Format::new().set_num_format("@");
        let bold = Format::new().set_bold().set_background_color("DDE4EC");
        let note = Format::new()
            .set_num_format("@")
            .set_background_color("FFF4CE");
        let mut book = Workbook::new();
        book.set_properties(&crate::report::workbook::properties(
            crate::clock::now().ok(),
        )?);
        let sheet = book.add_worksheet();
        sheet.set_name("Chi trả lại")?;
        let extra = headers.len() - 3;
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, crate::report::workbook::cell(h), &bold)?;
            sheet.set_column_width(c as u16, if c >= extra { 36.0 } else { 16.0 })?;
            sheet.set_column_format(c as u16, if c >= extra { &note } else { &text })?;
        }
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let format = if c >= extra { &note } else { &text };
                sheet.write_string_with_format(
                    r as u32 + 1,
                    c as u16,
                    crate::report::workbook::cell(v),
                    format,
                )?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        book.save_to_buffer()
    };
    out.write_all(&build().map_err(std::io::Error::other)?)
}
