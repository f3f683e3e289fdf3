//! Workbooks (xlsx, xls, xlsb, ods) through calamine: the first sheet, or the
//! one `--sheet` names. Cells become the text a CSV of the same list would
//! hold: whole numbers without `.0`, dates as `yyyy-mm-dd` (1900 and 1904
//! date systems), errors as written (`#N/A`: that row's problem, not the
//! file's). A header may span two rows (merged cells over sub-columns).

use std::io::Cursor;

use calamine::{Data, Reader, SheetType, SheetVisible, open_workbook_auto_from_rs};
use polars::prelude::{NewChunkedArray, StringChunked};

use super::header::{header_columns, looks_like_header, map_header};
use super::layout::is_numbering_row;
use super::{Column, IngestError, SourceFormat, Table, TableParts};
use crate::reference::ColumnAliases;

/// Rows looked at for the header.
const HEADER_SCAN: usize = 30;

/// The most a workbook's parts may take uncompressed: a full Excel sheet
/// of 1,048,576 rows of a beneficiary list is well under it.
const MAX_UNCOMPRESSED: u64 = 1 << 30;
/// The most cells a sheet's used range may span (calamine holds every cell
/// of it): 1,048,576 rows of 32 columns.
const MAX_CELLS: u64 = 1 << 25;

/// Why a workbook would cost more than a beneficiary list can (a zip bomb,
/// or cells placed at opposite corners of the sheet), before anything of
/// it is held in memory.
fn too_costly(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // The size the central directory declares, which the zip reader
        // holds each part to.
        let size = zip.by_index_raw(i).map_or(0, |f| f.size());
        total = total.saturating_add(size);
    }
    (total > MAX_UNCOMPRESSED).then(|| {
        format!(
            "the workbook expands to {} MiB, more than the {} MiB a list may take; save the list as CSV, or split it",
            total >> 20,
            MAX_UNCOMPRESSED >> 20
        )
    })
}

/// Why an xlsx sheet's used range is too large to hold, read cell by cell
/// without holding it.
fn sheet_too_large<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<RS>,
    name: &str,
) -> Option<String> {
    let mut cells = book.worksheet_cells_reader(name).ok()?;
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let mut count: u64 = 0;
    while let Ok(Some(cell)) = cells.next_cell() {
        let (row, col) = cell.get_position();
        first = (first.0.min(row), first.1.min(col));
        last = (last.0.max(row), last.1.max(col));
        count += 1;
        if count > MAX_CELLS {
            break;
        }
    }
    if count == 0 {
        return None;
    }
    let span = u64::from(last.0 - first.0 + 1) * u64::from(last.1 - first.1 + 1);
    (span > MAX_CELLS).then(|| {
        format!(
            "sheet `{name}` spans {} rows by {} columns ({span} cells, more than the {MAX_CELLS} a list may have); delete the stray cells far from the list, or save it as CSV",
            last.0 - first.0 + 1,
            last.1 - first.1 + 1
        )
    })
}

/// The text of a cell, and whether it was a number.
fn text(cell: &Data) -> (String, bool) {
    match cell {
        Data::Empty => (String::new(), false),
        Data::String(s) => (s.clone(), false),
        Data::Int(i) => (i.to_string(), true),
        Data::Float(f) => (float_text(*f), true),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_owned(), false),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => (dt.date().format("%Y-%m-%d").to_string(), false),
            None => (d.to_string(), false),
        },
        Data::DateTimeIso(s) => (s.split('T').next().unwrap_or(s).to_owned(), false),
        Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (e.to_string(), false),
    }
}

/// A number as Excel shows it: whole numbers exactly (up to 15 significant
/// digits, what a double holds), larger ones in the scientific form that
/// tells the account-number rule precision was lost.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else if f.fract() == 0.0 {
        format!("{f:.5E}").replace("E", "E+")
    } else {
        format!("{f}")
    }
}

/// Reads the workbook's sheet into a table.
pub fn read(
    file_name: &str,
    bytes: &[u8],
    aliases: &ColumnAliases,
    sheet: Option<&str>,
) -> Result<Table, IngestError> {
    let kind = if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "xls"
    } else {
        "xlsx"
    };
    // calamine panics on some damaged workbooks (a cell reference too long
    // for its arithmetic, where a release build wraps silently): such a file
    // is refused like any other damaged one, in every build.
    let (name, range) = std::panic::catch_unwind(|| open_sheet(file_name, bytes, sheet))
        .unwrap_or_else(|_| {
            Err(IngestError::Workbook {
                file: file_name.to_owned(),
                message: "the workbook is damaged: its sheet cannot be read".to_owned(),
            })
        })?;
    let (top, _left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<(String, bool)>> =
        range.rows().map(|r| r.iter().map(text).collect()).collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, (String::new(), false));
    }
    let (at, header, header_rows) = find_header_rows(file_name, &rows, aliases)?;
    let header_row = top + at as u32 + header_rows;
    let columns = header_columns(file_name, header_row, &header, aliases)?;
    let titles: Vec<String> = rows[..at]
        .iter()
        .map(|r| {
            plain(r)
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect();
    let (cells, numeric) = data_columns(&rows[at + header_rows as usize..], width);
    Table::build(TableParts {
        file_name: file_name.to_owned(),
        // The digest is the caller's (`read_bytes`, in parallel).
        sha256: String::new(),
        format: SourceFormat {
            kind,
            encoding: None,
            delimiter: None,
            sheet: Some(name),
        },
        title_lines: titles,
        header_row,
        first_row: header_row + 1,
        headers: header,
        columns,
        cells,
        overflow: Vec::new(),
        numeric,
        spans: None,
    })
}

/// The sheet asked for (by name or 1-based number; the first visible one
/// by default) and its cells.
fn open_sheet(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(String, calamine::Range<Data>), IngestError> {
    let workbook_error = |message: String| IngestError::Workbook {
        file: file_name.to_owned(),
        message,
    };
    if let Some(why) = too_costly(bytes) {
        return Err(workbook_error(why));
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| workbook_error(format!("not a readable workbook ({e})")))?;
    let names = book.sheet_names();
    // By default the first sheet a person sees: a hidden sheet (a working
    // copy, last month's list) is never paid unless named.
    let first_visible = book
        .sheets_metadata()
        .iter()
        .find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone());
    let name = match sheet {
        None => first_visible,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => names.get(n - 1).cloned(),
            _ => names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(s.trim()))
                .cloned(),
        },
    }
    .ok_or_else(|| {
        workbook_error(format!(
            "no sheet `{}`; the sheets are: {}",
            sheet.unwrap_or("1"),
            names.join(", ")
        ))
    })?;
    if let calamine::Sheets::Xlsx(xlsx) = &mut book
        && let Some(why) = sheet_too_large(xlsx, &name)
    {
        return Err(workbook_error(why));
    }
    let range = book
        .worksheet_range(&name)
        .map_err(|e| workbook_error(format!("sheet `{name}` cannot be read ({e})")))?;
    Ok((name, range))
}

/// A row's cells as text, cleaned.
fn plain(r: &[(String, bool)]) -> Vec<String> {
    r.iter().map(|c| crate::text::clean(&c.0)).collect()
}

/// The header: the first row that looks like one, merged with the row
/// below when that row names sub-columns (a two-row header). Its index, its
/// cells and how many rows it takes.
fn find_header_rows(
    file_name: &str,
    rows: &[Vec<(String, bool)>],
    aliases: &ColumnAliases,
) -> Result<(usize, Vec<String>, u32), IngestError> {
    let at = (0..rows.len().min(HEADER_SCAN))
        .find(|&i| {
            let cells = plain(&rows[i]);
            let names_a_field = cells.iter().any(|c| aliases.field(c).is_some());
            let merged = rows
                .get(i + 1)
                .map(|next| merge_header(&cells, &plain(next), aliases));
            looks_like_header(&cells, aliases)
                || (names_a_field && merged.is_some_and(|m| looks_like_header(&m, aliases)))
        })
        .ok_or_else(|| IngestError::NoHeader {
            file: file_name.to_owned(),
            scanned: HEADER_SCAN,
        })?;
    let upper = plain(&rows[at]);
    if let Some(next) = rows.get(at + 1) {
        let lower = plain(next);
        let merged = merge_header(&upper, &lower, aliases);
        let recognised = |cells: &[String]| {
            map_header(cells, aliases)
                .map(|m| m.recognised())
                .unwrap_or(0)
        };
        if !is_numbering_row(&lower) && recognised(&merged) > recognised(&upper) {
            return Ok((at, merged, 2));
        }
    }
    Ok((at, upper, 1))
}

/// The data rows as text columns, and which cells were numbers.
fn data_columns(
    data: &[Vec<(String, bool)>],
    width: usize,
) -> (Vec<Column>, rustc_hash::FxHashSet<(u32, u32)>) {
    let mut numeric = rustc_hash::FxHashSet::default();
    let cells: Vec<Column> = (0..width)
        .map(|col| {
            let values: Vec<Option<&str>> = data
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    let (value, is_number) = &row[col];
                    if *is_number {
                        numeric.insert((r as u32, col as u32));
                    }
                    (!value.is_empty()).then_some(value.as_str())
                })
                .collect();
            StringChunked::from_slice_options(format!("c{col}").into(), &values).into()
        })
        .collect();
    (cells, numeric)
}

/// The header of a two-row header: each column named by its lower cell
/// when that names a field, else by its upper cell (merged cells spread to
/// the right), else by both.
fn merge_header(upper: &[String], lower: &[String], aliases: &ColumnAliases) -> Vec<String> {
    let mut spread = String::new();
    upper
        .iter()
        .zip(lower)
        .map(|(u, l)| {
            if !u.is_empty() {
                spread = u.clone();
            }
            let above = if u.is_empty() {
                spread.as_str()
            } else {
                u.as_str()
            };
            if l.is_empty() {
                above.to_owned()
            } else if aliases.field(l).is_some()
                || above.is_empty()
                || (aliases.field(above).is_some() && u.is_empty())
            {
                l.clone()
            } else {
                format!("{above} {l}")
            }
        })
        .collect()
}
