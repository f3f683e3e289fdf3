//! Files to rows: reads a beneficiary list (CSV in UTF-8, UTF-16 or a
//! legacy Vietnamese encoding, or an Excel or OpenDocument workbook, told
//! apart by their bytes) into a [`Table`] of text cells whose columns are
//! identified by the alias table, below the office's title rows.
//!
//! A file that cannot be used at all is one [`IngestError`] naming what to
//! fix; a bad row is never an error here, only later in validation.

mod column;
mod csv;
mod decode;
mod fields;
mod header;
pub mod layout;
pub mod legacy;
mod source;
mod xlsx;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::reference::{ColumnAliases, Field};

pub(crate) use column::Column;
pub use decode::Encoding;
pub use header::ColumnMap;
pub use layout::{Declared, Skipped};
pub use source::{file_head, file_sha256};

/// A file that cannot be read as a beneficiary list.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file was rewritten while it was being read.
    #[error("`{path}` changed while it was being read")]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// Nothing in it.
    #[error("`{file}` is empty")]
    Empty {
        /// The file name.
        file: String,
    },
    /// Declared UTF-8 (by its byte order mark, or by `--encoding`), with
    /// bytes that are not.
    #[error(
        "`{file}` is marked as UTF-8 but row {row} is not UTF-8 text (byte {byte} of the file)"
    )]
    NotUtf8 {
        /// The file name.
        file: String,
        /// The spreadsheet row (line) of the first bad byte.
        row: u32,
        /// Its offset in the file, from 0.
        byte: usize,
    },
    /// Not text in any encoding tried.
    #[error("`{file}` is not a text file in any supported encoding (tried {tried})")]
    Undecodable {
        /// The file name.
        file: String,
        /// The encodings tried.
        tried: String,
    },
    /// No row looks like the header.
    #[error("`{file}`: no header row found in the first {scanned} rows")]
    NoHeader {
        /// The file name.
        file: String,
        /// How many rows were looked at.
        scanned: usize,
    },
    /// A required column is missing.
    #[error("`{file}`: required column `{}` not found in the header on row {row}", .missing.name())]
    MissingColumn {
        /// The file name.
        file: String,
        /// The header row.
        row: u32,
        /// The field not found.
        missing: Field,
        /// The header names that would have been accepted.
        looked_for: Vec<String>,
    },
    /// Two columns name the same field.
    #[error("`{file}`: columns `{first}` and `{second}` on row {row} both name `{}`", .field.name())]
    DuplicateColumn {
        /// The file name.
        file: String,
        /// The header row.
        row: u32,
        /// The field named twice.
        field: Field,
        /// The first column's header.
        first: String,
        /// The second column's header.
        second: String,
    },
    /// The workbook cannot be read, or has no such sheet.
    #[error("`{file}`: {message}")]
    Workbook {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The CSV structure is broken (an unclosed quote, too many cells).
    #[error("`{file}`: {message}")]
    Malformed {
        /// The file name.
        file: String,
        /// What is wrong, with the row where it is known.
        message: String,
    },
}

impl IngestError {
    /// A line suggesting how to fix the file, where there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            IngestError::NoHeader { .. } => Some(
                "the header must name at least the columns `name`, `account_number`, `bank` and \
                 `amount` (or `Họ và tên`, `Số tài khoản`, `Ngân hàng`, `Số tiền`)"
                    .to_owned(),
            ),
            IngestError::MissingColumn { looked_for, .. } => Some(format!(
                "name the column one of: {}",
                looked_for
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            IngestError::DuplicateColumn { .. } => {
                Some("rename or delete one of the two columns".to_owned())
            }
            IngestError::NotUtf8 { .. } => Some(
                "open the list and save it again as CSV UTF-8 (or as an Excel workbook); the row named holds a character another program damaged"
                    .to_owned(),
            ),
            IngestError::Undecodable { .. } => {
                Some("save the list as CSV UTF-8 or as an Excel workbook".to_owned())
            }
            IngestError::Changed { .. } => Some(
                "wait until the list is saved and closed, then run it again: nothing was written"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFormat {
    /// `csv`, `xlsx`, `xls`, `xlsb` or `ods`.
    pub kind: &'static str,
    /// The text encoding (CSV).
    pub encoding: Option<Encoding>,
    /// The CSV delimiter.
    pub delimiter: Option<char>,
    /// The worksheet read (workbooks).
    pub sheet: Option<String>,
}

/// A beneficiary list as read: header, identified columns, text cells, and
/// which rows hold beneficiaries.
#[derive(Debug)]
pub struct Table {
    /// The input's file name (no directories).
    pub file_name: String,
    /// sha256 of the input's bytes, hex.
    pub sha256: String,
    /// How it was read.
    pub format: SourceFormat,
    /// Text of the rows above the header (titles), for the period and office.
    pub title_lines: Vec<String>,
    /// The spreadsheet row of the header (its last row when it spans two).
    pub header_row: u32,
    /// The header's cells, as written.
    pub headers: Vec<String>,
    /// Which column holds which field.
    pub columns: ColumnMap,
    /// What the office declared on its totals row.
    pub declared: Option<Declared>,
    /// Layout rows that are not beneficiaries.
    pub skipped: Skipped,
    /// Cells by column, physical rows; `None` is an empty cell. Every
    /// column is chunked alike (as the parser made them: joining the
    /// chunks would copy the whole list).
    cells: Vec<Column>,
    /// The physical row after the end of each chunk.
    chunk_ends: Vec<u32>,
    /// The spreadsheet row of physical row 0.
    first_row: u32,
    /// Physical rows holding data (beneficiaries or blank), ascending.
    rows: Vec<u32>,
    /// Physical rows with more cells than the header.
    overflow: Vec<usize>,
    /// (physical row, column) of cells that were numbers in a workbook.
    numeric: rustc_hash::FxHashSet<(u32, u32)>,
    /// Where each physical row lies in the list's bytes (comma-separated
    /// UTF-8 read in place only).
    spans: Option<Spans>,
    /// The list's bytes, kept with `spans` by [`read_table_as`].
    source: Option<source::Source>,
}

/// Where the records of a CSV list lie in its bytes.
#[derive(Debug)]
pub(crate) struct Spans {
    /// Where the data rows start in the bytes.
    pub base: usize,
    /// Each physical row's start from `base`, then the data's end (see
    /// [`fields::Counted::starts`]).
    pub starts: Vec<u32>,
}

/// What a reader hands over to make a [`Table`].
pub(crate) struct TableParts {
    pub file_name: String,
    pub sha256: String,
    pub format: SourceFormat,
    pub title_lines: Vec<String>,
    pub header_row: u32,
    pub headers: Vec<String>,
    pub columns: ColumnMap,
    pub cells: Vec<Column>,
    pub first_row: u32,
    pub overflow: Vec<usize>,
    pub numeric: rustc_hash::FxHashSet<(u32, u32)>,
    pub spans: Option<Spans>,
}

struct PartsCells<'a>(&'a TableParts);

impl layout::Cells for PartsCells<'_> {
    fn physical_rows(&self) -> usize {
        self.0.cells.first().map_or(0, |c| c.len())
    }
    fn field(&self, field: Field, row: usize) -> &str {
        self.0
            .columns
            .column(field)
            .and_then(|c| self.0.cells[c].get(row))
            .unwrap_or("")
    }
    fn row_cells(&self, row: usize) -> Vec<&str> {
        self.0
            .cells
            .iter()
            .map(|c| c.get(row).unwrap_or(""))
            .collect()
    }
}

impl Table {
    /// Lays out the rows a reader found: numbering, subtotal and footer rows
    /// set aside, the declared totals read.
    pub(crate) fn build(parts: TableParts) -> Result<Table, IngestError> {
        let layout::Laid { rows, declared, skipped } = layout::lay_out(&PartsCells(&parts)).map_err(|p| IngestError::Malformed {
            file: parts.file_name.clone(),
            message: format!(
                "row {} comes after the totals row but looks like a beneficiary: move it above the totals row",
                parts.first_row + p as u32
            ),
        })?;
        let alike = parts
            .cells
            .windows(2)
            .all(|w| w[0].chunk_lengths() == w[1].chunk_lengths());
        let cells: Vec<Column> = if alike {
            parts.cells
        } else {
            parts.cells.into_iter().map(Column::rechunk).collect()
        };
        let chunk_ends = cells.first().map_or_else(Vec::new, |c| {
            c.chunk_lengths()
                .into_iter()
                .scan(0u32, |end, len| {
                    *end += len as u32;
                    Some(*end)
                })
                .collect()
        });
        tracing::debug!(chunks = chunk_ends.len(), "columns");
        let declared = declared.map(|(g, mut d)| {
            d.row = parts.first_row + g as u32;
            d
        });
        Ok(Table {
            file_name: parts.file_name,
            sha256: parts.sha256,
            format: parts.format,
            title_lines: parts.title_lines,
            header_row: parts.header_row,
            headers: parts.headers,
            columns: parts.columns,
            declared,
            skipped,
            chunk_ends,
            cells,
            first_row: parts.first_row,
            rows,
            overflow: parts.overflow,
            numeric: parts.numeric,
            spans: parts.spans,
            source: None,
        })
    }

    /// Data rows, blank rows included.
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// The spreadsheet row number of data row `i`.
    pub fn row_number(&self, i: usize) -> u32 {
        self.first_row + self.rows[i]
    }

    /// Data row `i`'s cells, for reading several of them.
    pub fn row(&self, i: usize) -> Row<'_> {
        let row = self.rows[i];
        let chunk = self.chunk_ends.partition_point(|end| *end <= row);
        let start = chunk.checked_sub(1).map_or(0, |k| self.chunk_ends[k]);
        Row {
            table: self,
            chunk,
            offset: (row - start) as usize,
        }
    }

    /// The cell of column `col` in data row `i` ("" when empty).
    pub fn raw(&self, col: usize, i: usize) -> &str {
        self.row(i).raw(col)
    }

    /// The distinct texts of the column holding `field`, by code, when the
    /// reader held it as codes (see [`Row::code`]).
    pub fn distinct(&self, field: Field) -> Option<&[Box<str>]> {
        self.cells[self.columns.column(field)?].texts()
    }

    /// The cell holding `field` in data row `i` ("" when the list has no such
    /// column or the cell is empty).
    pub fn get(&self, field: Field, i: usize) -> &str {
        self.columns
            .column(field)
            .map_or("", |col| self.raw(col, i))
    }

    /// True when the cell holding `field` in data row `i` was a number in a
    /// workbook (an account number typed as a number loses leading zeros).
    pub fn is_numeric(&self, field: Field, i: usize) -> bool {
        !self.numeric.is_empty()
            && self
                .columns
                .column(field)
                .is_some_and(|col| self.numeric.contains(&(self.rows[i], col as u32)))
    }

    /// True when data row `i` has no text at all.
    pub fn is_blank(&self, i: usize) -> bool {
        let row = self.row(i);
        !self.has_overflow(i) && (0..self.cells.len()).all(|c| row.raw(c).trim().is_empty())
    }

    /// Data row `i` as the list's bytes hold it, without its line break:
    /// for copying a row whole. Only for a comma-separated UTF-8 list
    /// still at hand (one read by [`read_table_as`]); `None` otherwise.
    ///
    /// The bytes are a record as the CSV rules read it, quotes and all.
    /// When they hold no quote and no carriage return, and one comma fewer
    /// than the header has cells, its cells are exactly this row's cells
    /// ([`Row::raw`]).
    pub fn line(&self, i: usize) -> Option<&[u8]> {
        let spans = self.spans.as_ref()?;
        let bytes = self.source.as_ref()?.bytes();
        let k = *self.rows.get(i)? as usize;
        let start = spans.base + *spans.starts.get(k)? as usize;
        let end = spans.base + *spans.starts.get(k + 1)? as usize;
        let record = bytes.get(start..end)?;
        Some(match record.strip_suffix(b"\n") {
            Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
            None => record,
        })
    }

    /// Keeps the list's bytes for [`Table::line`] (they are dropped when
    /// no row can be copied from them). Nothing reads them until the
    /// listings are written, so their pages are released meanwhile.
    pub(crate) fn keep_source(&mut self, source: source::Source) {
        if self.spans.is_some() {
            source.release(0..source.bytes().len());
            self.source = Some(source);
        }
    }

    /// Releases the pages of the list's bytes that hold data rows `rows`
    /// (see `Source::release`), and those of the 1 MiB before
    /// them: for a writer that copies rows in order and has copied these
    /// and every row before them, so that the list does not come back into
    /// memory whole as it is copied. (A read maps the pages around it too,
    /// some of them before it.)
    pub fn release_lines(&self, rows: std::ops::Range<usize>) {
        let (Some(spans), Some(source)) = (&self.spans, &self.source) else {
            return;
        };
        let (Some(first), Some(last)) = (
            self.rows.get(rows.start),
            self.rows.get(rows.end.wrapping_sub(1)),
        ) else {
            return;
        };
        let (Some(start), Some(end)) = (
            spans.starts.get(*first as usize),
            spans.starts.get(*last as usize + 1),
        ) else {
            return;
        };
        let start = (spans.base + *start as usize).saturating_sub(1 << 20);
        source.release(start..spans.base + *end as usize);
    }

    /// Drops the list's bytes: every row is then written from its cells.
    #[cfg(test)]
    pub(crate) fn forget_source(&mut self) {
        self.source = None;
    }

    /// Fails when the list kept for [`Table::line`] has changed (size or
    /// modification time) since it was read: rows copied from it may then
    /// not be the rows validated. For a writer to call once it has copied
    /// them.
    pub fn check_source(&self) -> Result<(), IngestError> {
        self.source
            .as_ref()
            .map_or(Ok(()), source::Source::check_unchanged)
    }

    /// True when data row `i` has more cells than the header.
    pub fn has_overflow(&self, i: usize) -> bool {
        self.overflow
            .binary_search(&(self.rows[i] as usize))
            .is_ok()
    }
}

/// The cells of one data row: the columns share their chunks (see
/// `Table::build`), so the row's chunk is found once for all of them.
#[derive(Clone, Copy)]
pub struct Row<'t> {
    table: &'t Table,
    chunk: usize,
    offset: usize,
}

impl<'t> Row<'t> {
    /// The cell of column `col` ("" when empty).
    pub fn raw(&self, col: usize) -> &'t str {
        self.table.cells[col]
            .get_in(self.chunk, self.offset)
            .unwrap_or("")
    }

    /// The code of the cell holding `field`, an index into
    /// [`Table::distinct`]: `None` when the cell is empty or the column is
    /// not held as codes.
    pub fn code(&self, field: Field) -> Option<u32> {
        let col = self.table.columns.column(field)?;
        self.table.cells[col].code_in(self.chunk, self.offset)
    }

    /// The cell holding `field` ("" when the list has no such column or the
    /// cell is empty).
    pub fn get(&self, field: Field) -> &'t str {
        self.table
            .columns
            .column(field)
            .map_or("", |col| self.raw(col))
    }
}

/// How to read a list when its content does not say.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// A workbook's sheet, by name or number from 1 (the first by default).
    pub sheet: Option<String>,
    /// A CSV's encoding, instead of detecting it.
    pub encoding: Option<Encoding>,
}

/// Reads a beneficiary list, choosing the reader by content: a workbook
/// (xlsx, xls, xlsb, ods) or CSV.
pub fn read_table(path: &Path, aliases: &ColumnAliases) -> Result<Table, IngestError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    read_table_as(path, &file_name, aliases, &ReadOptions::default())
}

/// Reads a beneficiary list stored at `path` under the name it was sent
/// with (a watched folder renames what it takes).
pub fn read_table_as(
    path: &Path,
    file_name: &str,
    aliases: &ColumnAliases,
    options: &ReadOptions,
) -> Result<Table, IngestError> {
    let read_error = |source| IngestError::Read {
        path: path.to_owned(),
        source,
    };
    let source = source::Source::open(path).map_err(read_error)?;
    tracing::debug!(bytes = source.bytes().len(), "file read");
    let mut table = read_bytes(file_name, source.bytes(), aliases, options)?;
    source.check_unchanged()?;
    table.keep_source(source);
    Ok(table)
}

/// Reads a beneficiary list from memory; `file_name` is used in messages.
pub fn read_bytes(
    file_name: &str,
    bytes: &[u8],
    aliases: &ColumnAliases,
    options: &ReadOptions,
) -> Result<Table, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty {
            file: file_name.to_owned(),
        });
    }
    // The digest of a large list takes as long as a stage: computed while
    // the list is read.
    let (sha256, table) = rayon::join(
        || hex::encode(Sha256::digest(bytes)),
        || {
            if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
                xlsx::read(file_name, bytes, aliases, options.sheet.as_deref())
            } else {
                csv::read(file_name, bytes, aliases, options.encoding)
            }
        },
    );
    let mut table = table?;
    table.sha256 = sha256;
    Ok(table)
}
