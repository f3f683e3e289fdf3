//! One column of a list's cells, as the parser made it.
//!
//! Some columns of a welfare list repeat a few long texts down the whole
//! list: the bank, the category, the commune, the village. Those are read
//! as polars categoricals: a 4-byte code per row and each distinct text
//! once, where a text column holds a 16-byte view per row and a copy of
//! every text longer than 12 bytes (at the national caseload, about 110
//! bytes a row the run never has to touch). Columns of short texts (dates,
//! amounts: a view holds them whole, and looking a code up would cost
//! more than it saves), columns that differ on every row (names, IDs,
//! accounts) and columns the program does not know stay text.

use std::sync::Arc;

use polars::prelude::{
    CategoricalMapping, CategoricalPhysical, Categories, DataType, StaticArray, StringChunked,
    UInt32Chunked,
};

use crate::reference::Field;

/// The cells of one column; an empty cell is `None`.
#[derive(Clone)]
pub(crate) enum Column {
    /// Text as written.
    Text(StringChunked),
    /// A code per row into the column's distinct texts.
    Coded {
        codes: UInt32Chunked,
        texts: Arc<[Box<str>]>,
    },
}

impl Column {
    /// True for the fields whose long texts repeat down a list, read as
    /// codes.
    pub fn repeats(field: Field) -> bool {
        use Field::*;
        matches!(
            field,
            Commune | Village | Category | Bank | Branch | PaymentType | Note
        )
    }

    /// The type to ask the parser for: coded, with its own set of texts, or
    /// text.
    pub fn dtype(coded: bool) -> DataType {
        if coded {
            DataType::from_categories(Categories::random(
                "disburse".into(),
                CategoricalPhysical::U32,
            ))
        } else {
            DataType::String
        }
    }

    /// The parser's column, as text or codes.
    pub fn from_parsed(column: &polars::prelude::Column) -> polars::prelude::PolarsResult<Column> {
        let series = column.as_materialized_series();
        Ok(match series.dtype() {
            DataType::String => Column::Text(series.str()?.clone()),
            _ => {
                let coded = series.cat32()?;
                Column::Coded {
                    codes: coded.physical().clone(),
                    texts: texts(coded.get_mapping()),
                }
            }
        })
    }

    /// Rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(c) => c.len(),
            Column::Coded { codes, .. } => codes.len(),
        }
    }

    /// The length of each chunk.
    pub fn chunk_lengths(&self) -> Vec<usize> {
        match self {
            Column::Text(c) => c.chunk_lengths().collect(),
            Column::Coded { codes, .. } => codes.chunk_lengths().collect(),
        }
    }

    /// The same cells in one chunk.
    pub fn rechunk(self) -> Column {
        match self {
            Column::Text(c) => Column::Text(c.rechunk().into_owned()),
            Column::Coded { codes, texts } => Column::Coded {
                codes: codes.rechunk().into_owned(),
                texts,
            },
        }
    }

    /// The cell of physical row `row`.
    pub fn get(&self, row: usize) -> Option<&str> {
        match self {
            Column::Text(c) => c.get(row),
            Column::Coded { codes, texts } => texts.get(codes.get(row)? as usize).map(|t| &**t),
        }
    }

    /// The code of the cell at `offset` in chunk `chunk`: `None` for an
    /// empty cell or a column held as text.
    #[inline]
    pub fn code_in(&self, chunk: usize, offset: usize) -> Option<u32> {
        match self {
            Column::Text(_) => None,
            Column::Coded { codes, .. } => codes.downcast_get(chunk)?.get(offset),
        }
    }

    /// The distinct texts by code, for a column held as codes.
    pub fn texts(&self) -> Option<&[Box<str>]> {
        match self {
            Column::Text(_) => None,
            Column::Coded { texts, .. } => Some(texts),
        }
    }

    /// The cell at `offset` in chunk `chunk`.
    #[inline]
    pub fn get_in(&self, chunk: usize, offset: usize) -> Option<&str> {
        match self {
            Column::Text(c) => c.downcast_get(chunk)?.get(offset),
            Column::Coded { codes, texts } => texts
                .get(codes.downcast_get(chunk)?.get(offset)? as usize)
                .map(|t| &**t),
        }
    }
}

/// A parsed column's distinct texts by code, in one table (the parser's
/// own mapping is built for concurrent inserts and costs more to read).
fn texts(mapping: &CategoricalMapping) -> Arc<[Box<str>]> {
    (0..mapping.num_cats_upper_bound())
        .map(|code| mapping.cat_to_str(code as u32).unwrap_or("").into())
        .collect()
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Text(c) => write!(f, "Text({} rows)", c.len()),
            Column::Coded { codes, texts } => {
                write!(f, "Coded({} rows, {} texts)", codes.len(), texts.len())
            }
        }
    }
}

impl From<StringChunked> for Column {
    fn from(c: StringChunked) -> Column {
        Column::Text(c)
    }
}
