//! CSV lists: encoding, delimiter and header detection, then a parallel
//! column-wise parse of the data rows by polars.
//!
//! Every column is read as text: typing is validation's job, where a bad
//! cell rejects its row instead of failing the file. Rows with more cells
//! than the header (an unquoted `,` inside `1,000,000`) are found by
//! [`super::fields`] and rejected, never read with shifted values.

use std::io::Cursor;
use std::sync::Arc;

use polars::prelude::{ChunkFullNull, CsvReadOptions, Schema, SerReader};

use super::decode::{Encoding, decode};
use super::header::{ColumnMap, header_columns, looks_like_header};
use super::{Column, IngestError, SourceFormat, Table, TableParts};
use crate::reference::ColumnAliases;

/// Rows looked at for the header.
const HEADER_SCAN: usize = 30;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Where the header is for one delimiter.
struct HeaderAt {
    delimiter: u8,
    row: u32,
    cells: Vec<String>,
    titles: Vec<String>,
    data_offset: usize,
}

/// Finds the header using `delimiter`, if one is within the first rows.
fn find_header(text: &[u8], delimiter: u8, aliases: &ColumnAliases) -> Option<HeaderAt> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut titles = Vec::new();
    let mut record = ::csv::StringRecord::new();
    for _ in 0..HEADER_SCAN {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            _ => return None,
        }
        let cells: Vec<String> = record.iter().map(crate::text::clean).collect();
        if looks_like_header(&cells, aliases) {
            let mut data_offset = reader.position().byte() as usize;
            // The csv reader may stop between the `\r` and `\n` of a CRLF.
            if data_offset > 0
                && text.get(data_offset - 1) == Some(&b'\r')
                && text.get(data_offset) == Some(&b'\n')
            {
                data_offset += 1;
            }
            // Lines up to the end of the header: blank lines count, as they
            // are rows in a spreadsheet.
            let consumed = &text[..data_offset.min(text.len())];
            let newlines = consumed.iter().filter(|b| **b == b'\n').count();
            let row = newlines + usize::from(!consumed.ends_with(b"\n"));
            return Some(HeaderAt {
                delimiter,
                row: row as u32,
                cells,
                titles,
                data_offset,
            });
        }
        let title = cells
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        if !title.is_empty() {
            titles.push(title);
        }
    }
    None
}

/// Reads a CSV list.
pub fn read(
    file_name: &str,
    bytes: &[u8],
    aliases: &ColumnAliases,
    forced: Option<Encoding>,
) -> Result<Table, IngestError> {
    let (text, encoding, header) = detect(file_name, bytes, aliases, forced)?;
    let columns = header_columns(file_name, header.row, &header.cells, aliases)?;
    tracing::debug!("header found");
    let width = header.cells.len();
    let data = &text[header.data_offset.min(text.len())..];
    let Parsed {
        cells,
        overflow,
        starts,
    } = parse_data(file_name, data, &header, &columns)?;
    // A comma-separated list read in place (UTF-8) holds each plain row as
    // the listings write it: where the records lie is kept, so that they
    // can be copied whole ([`Table::line`]).
    let spans = match &text {
        std::borrow::Cow::Borrowed(text) if header.delimiter == b',' && !starts.is_empty() => {
            let at = (text.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize);
            at.map(|at| super::Spans {
                base: at + header.data_offset.min(text.len()),
                starts,
            })
        }
        _ => None,
    };
    tracing::debug!("parsed");
    let cells = if cells.is_empty() {
        (0..width)
            .map(|_| polars::prelude::StringChunked::full_null("".into(), 0).into())
            .collect()
    } else {
        cells
    };
    Table::build(TableParts {
        file_name: file_name.to_owned(),
        // The digest is the caller's (`read_bytes`, in parallel).
        sha256: String::new(),
        format: SourceFormat {
            kind: "csv",
            encoding: Some(encoding),
            delimiter: Some(char::from(header.delimiter)),
            sheet: None,
        },
        title_lines: header.titles,
        header_row: header.row,
        first_row: header.row + 1,
        headers: header.cells,
        columns,
        cells,
        overflow,
        numeric: Default::default(),
        spans,
    })
}

/// A list whose lines end with a carriage return alone (Excel's "CSV
/// (Macintosh)", old Mac editors) has no line feed at all: its carriage
/// returns become line feeds, so that its rows are rows. A list with any
/// line feed is left as it is (a carriage return inside a quoted cell is
/// the cell's own).
fn unix_line_ends(text: std::borrow::Cow<'_, [u8]>) -> std::borrow::Cow<'_, [u8]> {
    if memchr::memchr(b'\n', &text).is_some() || memchr::memchr(b'\r', &text).is_none() {
        return text;
    }
    let mut owned = text.into_owned();
    for b in &mut owned {
        if *b == b'\r' {
            *b = b'\n';
        }
    }
    std::borrow::Cow::Owned(owned)
}

/// The list's encoding and header: the first decoding (most likely first)
/// in which some delimiter gives a header, the header that names the most
/// known columns (the earliest of those).
fn detect<'a>(
    file_name: &str,
    bytes: &'a [u8],
    aliases: &ColumnAliases,
    forced: Option<Encoding>,
) -> Result<(std::borrow::Cow<'a, [u8]>, Encoding, HeaderAt), IngestError> {
    let mut decodings = decode(bytes, forced).peekable();
    if decodings.peek().is_none() {
        // A list that says it is UTF-8 (a byte order mark, or
        // `--encoding utf-8`) is not tried in other encodings: say where it
        // is not UTF-8.
        let declared = bytes.starts_with(b"\xEF\xBB\xBF")
            || matches!(forced, Some(Encoding::Utf8 | Encoding::Utf8Bom));
        if declared && let Err(e) = std::str::from_utf8(bytes) {
            let byte = e.valid_up_to();
            let row = 1 + memchr::memchr_iter(b'\n', &bytes[..byte]).count() as u32;
            return Err(IngestError::NotUtf8 {
                file: file_name.to_owned(),
                row,
                byte,
            });
        }
        return Err(IngestError::Undecodable {
            file: file_name.to_owned(),
            tried: Encoding::TRIED.to_owned(),
        });
    }
    decodings
        .find_map(|(text, encoding)| {
            let text = unix_line_ends(text);
            let header = DELIMITERS
                .iter()
                .filter_map(|d| find_header(&text, *d, aliases))
                .max_by_key(|h| {
                    let known = h
                        .cells
                        .iter()
                        .filter(|c| aliases.field(c).is_some())
                        .count();
                    (known, std::cmp::Reverse(h.row))
                })?;
            Some((text, encoding, header))
        })
        .ok_or_else(|| IngestError::NoHeader {
            file: file_name.to_owned(),
            scanned: HEADER_SCAN,
        })
}

/// The data rows read: text columns, the records with too many cells, and
/// where each record starts.
struct Parsed {
    cells: Columns,
    overflow: Vec<usize>,
    starts: Vec<u32>,
}

/// Reads the data rows: polars parses while the records are counted, and
/// when the two disagree (or a stray quote may have misled polars) the
/// counted records are read one by one.
fn parse_data(
    file_name: &str,
    data: &[u8],
    header: &HeaderAt,
    columns: &ColumnMap,
) -> Result<Parsed, IngestError> {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Parsed {
            cells: Vec::new(),
            overflow: Vec::new(),
            starts: Vec::new(),
        });
    }
    let width = header.cells.len();
    // Counting cells per record is a serial pass over the bytes: done
    // while polars parses.
    let coded = |col: usize| columns.field_of(col).is_some_and(Column::repeats);
    let (counted, parsed) = rayon::join(
        || super::fields::overflowing_records(data, header.delimiter, width),
        || parse_rows(file_name, data, header.delimiter, width, coded),
    );
    let super::fields::Counted {
        records,
        overflow,
        misquoted,
        stray_quote,
        starts,
    } = counted;
    if let Some((record, col)) = misquoted {
        return Err(IngestError::Malformed {
            file: file_name.to_owned(),
            message: format!(
                "the CSV structure is broken at row {}, column {} (`{}`): a cell that opens \
                 with a quote must end with it (text after a closing quote, or a quote never \
                 closed); look for an unclosed quote or a stray quote mark",
                header.row + 1 + record as u32,
                col + 1,
                header.cells.get(col).map_or("", String::as_str),
            ),
        });
    }
    let cells = match parsed {
        Ok((cells, height)) if height == records && !stray_quote => cells,
        // A quote inside a cell not opened with one is a quote (to
        // Excel too), but polars may take it for an opening quote: it
        // then calls a large list malformed, or reads its rows
        // otherwise. The records found by the count above are then read
        // one by one.
        failed if starts.len() == records + 1 => {
            let why = match &failed {
                Ok(_) if stray_quote => "a stray quote".to_owned(),
                Ok((_, height)) => format!("{height} rows against {records} records"),
                Err(e) => e.to_string(),
            };
            tracing::debug!(%why, "the column reader failed: reading record by record");
            parse_records(file_name, data, header.delimiter, width, &starts)?.0
        }
        // Without the record starts (4 GiB or more), polars' reading
        // stands when it counts the rows the count found, as before.
        Ok((cells, height)) if height == records => cells,
        Ok((_, height)) => {
            return Err(IngestError::Malformed {
                file: file_name.to_owned(),
                message: format!(
                    "the rows could not be counted consistently ({records} and {height}); \
                     look for a quote that is opened and never closed"
                ),
            });
        }
        Err(e) => return Err(e),
    };
    Ok(Parsed {
        cells,
        overflow,
        starts,
    })
}

type Columns = Vec<Column>;

/// Parses the data rows into text columns, in parallel. Cells beyond the
/// header's width are dropped here; their rows are rejected by validation.
fn parse_rows(
    file_name: &str,
    data: &[u8],
    delimiter: u8,
    width: usize,
    coded: impl Fn(usize) -> bool,
) -> Result<(Columns, usize), IngestError> {
    let mut schema = Schema::default();
    for i in 0..width {
        schema.with_column(format!("c{i}").into(), Column::dtype(coded(i)));
    }
    let frame = CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_rechunk(false)
        .with_raise_if_empty(false)
        .map_parse_options(|p| {
            p.with_separator(delimiter)
                .with_missing_is_null(true)
                .with_truncate_ragged_lines(true)
        })
        .into_reader_with_file_handle(Cursor::new(data))
        .finish()
        .map_err(|e| IngestError::Malformed {
            file: file_name.to_owned(),
            message: format!("the CSV structure is broken ({e}); look for an unclosed quote"),
        })?;
    let height = frame.height();
    let columns: Columns = frame
        .columns()
        .iter()
        .map(|c| Column::from_parsed(c).expect("every column is read as text or codes"))
        .collect();
    Ok((columns, height))
}

/// Records read per task by [`parse_records`].
const RECORDS_PER_PIECE: usize = 16_384;

/// Reads the records of `data` that start at `starts` (see
/// [`super::fields::Counted::starts`]) one by one, as text columns, with
/// what polars makes of them: an empty or missing cell is `None`, cells
/// past `width` are dropped, a record ends at a line feed outside quotes,
/// and a carriage return ending a cell outside quotes is dropped (the one
/// of a `\r\n`, or `a\r,b`). Pieces of the list are read in
/// parallel, each a chunk of every column.
fn parse_records(
    file_name: &str,
    data: &[u8],
    delimiter: u8,
    width: usize,
    starts: &[u32],
) -> Result<(Columns, usize), IngestError> {
    use polars::prelude::{StringChunked, StringChunkedBuilder};
    use rayon::prelude::*;

    let records = starts.len().saturating_sub(1);
    let malformed = |message: String| IngestError::Malformed {
        file: file_name.to_owned(),
        message,
    };
    let pieces: Vec<Vec<StringChunked>> = (0..records)
        .step_by(RECORDS_PER_PIECE)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|first| {
            let end = (first + RECORDS_PER_PIECE).min(records);
            let mut columns: Vec<StringChunkedBuilder> = (0..width)
                .map(|c| StringChunkedBuilder::new(format!("c{c}").into(), end - first))
                .collect();
            let mut reader = csv_core::ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build();
            let (mut out, mut ends) = (Vec::new(), vec![0; width + 1]);
            let mut returns = Vec::new();
            for k in first..end {
                let record = &data[starts[k] as usize..starts[k + 1] as usize];
                let fields = read_record(&mut reader, record, &mut out, &mut ends);
                super::fields::cells_ending_in_return(record, delimiter, &mut returns);
                for (c, column) in columns.iter_mut().enumerate() {
                    let cell = (c < fields).then(|| {
                        let cell = &out[if c == 0 { 0 } else { ends[c - 1] }..ends[c]];
                        match cell.strip_suffix(b"\r") {
                            Some(cut) if returns.get(c) == Some(&true) => cut,
                            _ => cell,
                        }
                    });
                    match cell.filter(|cell| !cell.is_empty()) {
                        Some(cell) => {
                            column.append_value(std::str::from_utf8(cell).map_err(|_| {
                                malformed(format!("row {} is not valid text", k + 1))
                            })?)
                        }
                        None => column.append_null(),
                    }
                }
            }
            Ok(columns
                .into_iter()
                .map(StringChunkedBuilder::finish)
                .collect())
        })
        .collect::<Result<_, IngestError>>()?;
    let mut pieces = pieces.into_iter();
    let Some(mut columns) = pieces.next() else {
        return Ok((Vec::new(), 0));
    };
    for piece in pieces {
        for (column, more) in columns.iter_mut().zip(piece) {
            column
                .append_owned(more)
                .map_err(|e| malformed(e.to_string()))?;
        }
    }
    Ok((columns.into_iter().map(Column::Text).collect(), records))
}

/// Reads the one record `record` holds (its line break included): the
/// number of its cells, their bytes in `out` and their ends in `ends`; no
/// cell for a line with nothing on it.
fn read_record(
    reader: &mut csv_core::Reader,
    record: &[u8],
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
) -> usize {
    use csv_core::ReadRecordResult;

    reader.reset();
    if out.len() < record.len() {
        out.resize(record.len(), 0);
    }
    let (mut input, mut written, mut ended) = (record, 0, 0);
    loop {
        // Once the input is used up, the next call (with none) ends it.
        let (result, nin, nout, nend) =
            reader.read_record(input, &mut out[written..], &mut ends[ended..]);
        input = &input[nin..];
        written += nout;
        ended += nend;
        match result {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => out.resize(out.len() * 2 + 1, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => return ended,
            ReadRecordResult::End => return 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Field, Reference};

    fn read_str(text: &str) -> Result<Table, IngestError> {
        let aliases = Reference::builtin().unwrap().columns;
        super::super::read_bytes("list.csv", text.as_bytes(), &aliases, &Default::default())
    }

    #[test]
    fn rows_keep_their_spreadsheet_numbers() {
        let table = read_str(
            "name,account_number,bank,amount\r\nAn,1,agribank,5\r\n\r\n\"Bình\nHai\",2,vcb,6\r\nChi,3,bidv,7\r\n",
        )
        .unwrap();
        assert_eq!(table.height(), 4);
        assert_eq!(table.row_number(0), 2);
        assert!(table.is_blank(1));
        assert_eq!(table.get(Field::Name, 2), "Bình\nHai");
        assert_eq!(table.row_number(3), 5);
        assert_eq!(table.get(Field::Amount, 3), "7");
    }

    #[test]
    fn semicolons_bom_and_vietnamese_headers() {
        let table = read_str(
            "\u{feff}STT;Họ và tên;Số tài khoản;Ngân hàng;Số tiền\r\n1;Lê Văn Tám;3700205123456;Agribank;\"1.000.000\"\r\n",
        )
        .unwrap();
        assert_eq!(table.format.delimiter, Some(';'));
        assert_eq!(table.format.encoding, Some(Encoding::Utf8Bom));
        assert_eq!(table.get(Field::Amount, 0), "1.000.000");
        assert_eq!(table.get(Field::Name, 0), "Lê Văn Tám");
    }

    #[test]
    fn quoted_delimiters_stay_in_their_cell_and_extra_cells_are_seen() {
        let table = read_str(
            "name,account_number,bank,amount\nAn,1,agribank,\"1,000,000\"\nBa,2,vcb,1,000,000\n",
        )
        .unwrap();
        assert_eq!(table.get(Field::Amount, 0), "1,000,000");
        assert!(!table.has_overflow(0));
        assert!(table.has_overflow(1));
    }

    #[test]
    fn title_rows_above_the_header_are_kept_as_titles() {
        let table = read_str(
            "DANH SÁCH CHI TRẢ THÁNG 07/2024\n\nHọ tên,STK,Ngân hàng,Số tiền\nAn,1,agribank,5\n",
        )
        .unwrap();
        assert_eq!(table.header_row, 3);
        assert_eq!(table.row_number(0), 4);
        assert_eq!(
            table.title_lines,
            vec!["DANH SÁCH CHI TRẢ THÁNG 07/2024".to_owned()]
        );
    }

    #[test]
    fn a_missing_required_column_names_what_was_looked_for() {
        let err = read_str("name,bank,amount,note\nAn,agribank,5,x\n").unwrap_err();
        assert!(matches!(
            err,
            IngestError::MissingColumn {
                missing: Field::AccountNumber,
                row: 1,
                ..
            }
        ));
        assert!(err.hint().unwrap().contains("`Số tài khoản`"));
    }

    #[test]
    fn a_file_without_a_header_is_refused() {
        let err = read_str("a,b,c\n1,2,3\n").unwrap_err();
        assert!(matches!(err, IngestError::NoHeader { .. }));
        assert!(matches!(
            read_str("  \n").unwrap_err(),
            IngestError::Empty { .. }
        ));
    }

    /// `data` read as the reader does (parse and count), every column as
    /// codes or every column as text.
    /// `data` read the way [`read`] reads it, every column as codes, or
    /// read as text the way it was read before codes (no check for
    /// misquoted cells: the parser refuses most of them in text columns).
    fn read_columns(data: &[u8], width: usize, coded: bool) -> Option<(Columns, usize)> {
        let counted = super::super::fields::overflowing_records(data, b',', width);
        let (columns, height) = parse_rows("t.csv", data, b',', width, |_| coded).ok()?;
        (counted.records == height && (!coded || counted.misquoted.is_none()))
            .then_some((columns, height))
    }

    /// A list read as codes is one that was read as text before, with the
    /// same cells; codes refuse a list text read only if it has a misquoted
    /// cell.
    fn codes_read_as_text(data: &[u8], width: usize) -> Result<usize, String> {
        let misquoted = super::super::fields::overflowing_records(data, b',', width)
            .misquoted
            .is_some();
        let ((text, height), (coded, coded_height)) = match (
            read_columns(data, width, false),
            read_columns(data, width, true),
        ) {
            (Some(t), Some(c)) => (t, c),
            (None, None) => return Ok(0),
            (Some(_), None) if misquoted => return Ok(0),
            (t, c) => return Err(format!("text {:?}, codes {:?}", t.is_some(), c.is_some())),
        };
        if height != coded_height {
            return Err(format!("{height} rows as text, {coded_height} as codes"));
        }
        for (col, (t, c)) in text.iter().zip(&coded).enumerate() {
            if !matches!(c, Column::Coded { .. }) {
                return Err(format!("column {col} was not read as codes"));
            }
            for row in 0..height {
                if t.get(row) != c.get(row) {
                    return Err(format!(
                        "row {row} column {col}: {:?} as text, {:?} as codes",
                        t.get(row),
                        c.get(row)
                    ));
                }
            }
        }
        Ok(height)
    }

    #[test]
    fn a_whole_list_reads_the_same_as_codes_and_as_text() {
        let sample = include_bytes!("../../sample_batches/district-2024-01.csv");
        let data = &sample[sample.iter().position(|b| *b == b'\n').unwrap() + 1..];
        let width = 13;
        assert_eq!(codes_read_as_text(data, width), Ok(3631));
        // Many chunks: the cells are found chunk by chunk.
        let many = data.repeat(40);
        let (columns, _) = parse_rows("t.csv", &many, b',', width, |_| true).unwrap();
        assert!(columns[0].chunk_lengths().len() > 1, "one chunk only");
        let (text, height) = parse_rows("t.csv", &many, b',', width, |_| false).unwrap();
        let (chunks, mut start) = (columns[7].chunk_lengths(), 0);
        for (chunk, len) in chunks.into_iter().enumerate() {
            for offset in 0..len {
                assert_eq!(
                    columns[7].get_in(chunk, offset),
                    text[7].get(start + offset)
                );
            }
            start += len;
        }
        assert_eq!(start, height);
    }

    #[test]
    fn the_long_repeated_columns_are_held_as_codes() {
        let table = read_str(
            "name,account_number,bank,amount,commune,category\nAn,1,agribank,5,Xã Phú Đô,Người cao tuổi\n",
        )
        .unwrap();
        let kinds: Vec<bool> = table
            .cells
            .iter()
            .map(|c| matches!(c, Column::Coded { .. }))
            .collect();
        assert_eq!(kinds, [false, false, true, false, true, true]);
        assert_eq!(table.get(Field::Category, 0), "Người cao tuổi");
    }

    proptest::proptest! {
        #[test]
        fn any_cells_read_the_same_as_codes_and_as_text(
            cells in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "Agribank", "Người khuyết tật", "\"a,b\"", "\"say \"\"hi\"\"\"",
                    "\"two\nlines\"", "\"\"", "\"", "a\"b", " x ", "Xã Phú Đô", "7",
                    "\"x\"y", "\"a\"b\"", "\"x\"\r", "\r", "\"x\" ",
                ]),
                0..120,
            ),
            crlf in proptest::bool::ANY,
        ) {
            let width = 3;
            let mut data = String::new();
            for row in cells.chunks(width) {
                data.push_str(&row.join(","));
                data.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let read = codes_read_as_text(data.as_bytes(), width);
            proptest::prop_assert!(read.is_ok(), "{:?}: {:?}", data, read);
        }
    }

    /// The cells of `data` read record by record are the cells polars
    /// reads, wherever polars reads it: the number of rows, or 0 when
    /// polars (or the count) refuses the data.
    fn records_read_as_polars(data: &[u8], width: usize) -> Result<usize, String> {
        let counted = super::super::fields::overflowing_records(data, b',', width);
        let Some((polars, height)) = read_columns(data, width, false) else {
            return Ok(0);
        };
        // After a stray quote, polars is no reference (see `read`).
        if counted.misquoted.is_some() || counted.stray_quote {
            return Ok(0);
        }
        let (records, read) = parse_records("t.csv", data, b',', width, &counted.starts)
            .map_err(|e| e.to_string())?;
        if read != height {
            return Err(format!("{height} rows by polars, {read} by record"));
        }
        // polars reads a quoted empty cell as "", an unquoted one as
        // nothing: the same to a table.
        for (col, (p, r)) in polars.iter().zip(&records).enumerate() {
            for row in 0..height {
                if p.get(row).unwrap_or("") != r.get(row).unwrap_or("") {
                    return Err(format!(
                        "row {row} column {col}: {:?} by polars, {:?} by record",
                        p.get(row),
                        r.get(row)
                    ));
                }
            }
        }
        Ok(height)
    }

    proptest::proptest! {
        #[test]
        fn records_read_one_by_one_are_what_polars_reads(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "", "Agribank", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"",
                        "\"two\r\nlines\"", "\"\"", "a\"b", " x ", "Xã Phú Đô", "7", "\"x\"\r",
                        "\r", "a\rb", "\"x\r\"",
                    ]),
                    0..5,
                ),
                0..60,
            ),
            crlf in proptest::bool::ANY,
        ) {
            let mut data = String::new();
            for row in &rows {
                data.push_str(&row.join(","));
                data.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let read = records_read_as_polars(data.as_bytes(), 3);
            proptest::prop_assert!(read.is_ok(), "{:?}: {:?}", data, read);
        }
    }

    /// A quote inside an unquoted cell is a quote (as Excel reads it), but
    /// polars' parallel reader takes it for an opening quote when it cuts
    /// the list into chunks, and calls a large list with one such cell
    /// malformed. Such a list is read record by record.
    #[test]
    fn a_stray_quote_in_a_large_list_does_not_refuse_it() {
        let mut text = Vec::new();
        crate::generate::write_csv(&mut text, &crate::generate::Spec::district(8_000, 11)).unwrap();
        let text = String::from_utf8(text).unwrap();
        let mut list = String::new();
        for (k, line) in text.split_inclusive("\r\n").enumerate() {
            let body = line.strip_suffix("\r\n").unwrap();
            list.push_str(body);
            match k {
                // An odd number of quotes in the row.
                4_000 => list.push_str("Màn hình 5\" cũ"),
                // A quoted line break.
                6_000 => list.push_str("\"hai\ndòng\""),
                _ => {}
            }
            list.push_str("\r\n");
        }
        let data = &list.as_bytes()[list.find('\n').unwrap() + 1..];
        // Commune, category, bank and note are read as codes.
        let coded = |col: usize| matches!(col, 6 | 7 | 11 | 12);
        assert!(
            parse_rows("t.csv", data, b',', 13, coded).is_err(),
            "polars reads this list now: the fallback may no longer be needed"
        );
        let table = read_str(&list).unwrap();
        assert_eq!(table.height(), 8_000);
        assert_eq!(table.get(Field::Note, 3_999), "Màn hình 5\" cũ");
        assert_eq!(table.get(Field::Note, 5_999), "hai\ndòng");
        assert_eq!(table.row_number(7_999), 8_001);
        for i in 0..table.height() {
            assert_eq!(table.raw(0, i), (i + 1).to_string(), "row {i}");
        }
    }

    #[test]
    fn a_header_only_list_has_no_rows() {
        let table = read_str("name,account_number,bank,amount\n").unwrap();
        assert_eq!(table.height(), 0);
    }
}
