//! Files to rows: reads a beneficiary list (CSV today; the format is
//! detected, so other readers plug in beside `csv`) into a [`Table`] of text
//! cells whose columns are identified by the alias table.
//!
//! A file that cannot be used at all is one [`IngestError`] naming what to
//! fix; a bad row is never an error here, only later in validation.

mod csv;
mod decode;
mod fields;
mod header;

use std::path::{Path, PathBuf};

use polars::prelude::StringChunked;
use sha2::{Digest, Sha256};

use crate::reference::{ColumnAliases, Field};

pub use decode::Encoding;
pub use header::ColumnMap;

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
    /// Nothing in it.
    #[error("`{file}` is empty")]
    Empty {
        /// The file name.
        file: String,
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
            IngestError::Undecodable { .. } => {
                Some("save the list as CSV UTF-8 or as an Excel workbook".to_owned())
            }
            _ => None,
        }
    }
}

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFormat {
    /// `csv`.
    pub kind: &'static str,
    /// The text encoding.
    pub encoding: Encoding,
    /// The CSV delimiter.
    pub delimiter: char,
}

/// A beneficiary list as read: header, identified columns and text cells.
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
    /// The spreadsheet row of the header.
    pub header_row: u32,
    /// The header's cells, as written.
    pub headers: Vec<String>,
    /// Which column holds which field.
    pub columns: ColumnMap,
    /// Cells by column; `None` is an empty cell.
    cells: Vec<StringChunked>,
    /// Data rows (0-based, ascending) with more cells than the header (a
    /// sign of an unquoted delimiter inside a value).
    overflow: Vec<usize>,
    /// Data rows read, blank ones included.
    height: usize,
}

impl Table {
    /// Data rows, blank rows included.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The spreadsheet row number of data row `i`.
    pub fn row_number(&self, i: usize) -> u32 {
        self.header_row + 1 + i as u32
    }

    /// The cell of column `col` in data row `i` ("" when empty).
    pub fn raw(&self, col: usize, i: usize) -> &str {
        self.cells[col].get(i).unwrap_or("")
    }

    /// The cell holding `field` in data row `i` ("" when the list has no such
    /// column or the cell is empty).
    pub fn get(&self, field: Field, i: usize) -> &str {
        self.columns
            .column(field)
            .map_or("", |col| self.raw(col, i))
    }

    /// True when data row `i` has no text at all.
    pub fn is_blank(&self, i: usize) -> bool {
        !self.has_overflow(i) && (0..self.cells.len()).all(|c| self.raw(c, i).trim().is_empty())
    }

    /// True when data row `i` has more cells than the header.
    pub fn has_overflow(&self, i: usize) -> bool {
        self.overflow.binary_search(&i).is_ok()
    }
}

/// Reads a beneficiary list, choosing the reader by content.
pub fn read_table(path: &Path, aliases: &ColumnAliases) -> Result<Table, IngestError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    read_table_as(path, &file_name, aliases)
}

/// Reads a beneficiary list stored at `path` under the name it was sent
/// with (a watched folder renames what it takes).
pub fn read_table_as(
    path: &Path,
    file_name: &str,
    aliases: &ColumnAliases,
) -> Result<Table, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Read {
        path: path.to_owned(),
        source,
    })?;
    read_bytes(file_name, &bytes, aliases)
}

/// Reads a beneficiary list from memory; `file_name` is used in messages.
pub fn read_bytes(
    file_name: &str,
    bytes: &[u8],
    aliases: &ColumnAliases,
) -> Result<Table, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty {
            file: file_name.to_owned(),
        });
    }
    let sha256 = hex::encode(Sha256::digest(bytes));
    csv::read(file_name, sha256, bytes, aliases)
}
