//! Counts the cells of every CSV record, to find the rows with more cells
//! than the header. The column reader cannot tell a missing cell from an
//! empty one, and a row shifted by an unquoted delimiter (`360,000` in a
//! comma file) may well end in an empty cell: such a row must be rejected,
//! never read with its values in the wrong columns.
//!
//! One pass over the bytes with the RFC 4180 quoting rules: a quote opens a
//! quoted cell only at the start of a cell, `""` inside it is a quote, line
//! breaks inside it belong to the cell.

#[derive(Clone, Copy)]
enum State {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The number of records and the (0-based) records with more than `width`
/// cells.
///
/// A line without a quote is one record whose cells are its delimiters
/// plus one: such lines (nearly all of a list) are counted with `memchr`'s
/// vectorised search. A record with a quote is read byte by byte
/// ([`quoted_record`]), since a quoted cell may hold delimiters and line
/// breaks.
pub fn overflowing_records(data: &[u8], delimiter: u8, width: usize) -> (usize, Vec<usize>) {
    let mut records = 0;
    let mut overflow = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let rest = &data[at..];
        let line = memchr::memchr(b'\n', rest).map_or(rest, |end| &rest[..=end]);
        let (cells, consumed) = if memchr::memchr(b'"', line).is_none() {
            (1 + memchr::memchr_iter(delimiter, line).count(), line.len())
        } else {
            quoted_record(rest, delimiter)
        };
        if cells > width {
            overflow.push(records);
        }
        records += 1;
        at += consumed;
    }
    (records, overflow)
}

/// The cells of the record at the start of `data`, and the bytes it takes
/// (its line break included), with the RFC 4180 quoting rules.
fn quoted_record(data: &[u8], delimiter: u8) -> (usize, usize) {
    let mut state = State::CellStart;
    let mut cells = 1;
    for (i, &b) in data.iter().enumerate() {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') | (State::CellStart, b'"') => State::Quoted,
            (_, b'\n') => return (cells, i + 1),
            (_, d) if d == delimiter => {
                cells += 1;
                State::CellStart
            }
            (State::CellStart, b'\r') => State::CellStart,
            _ => State::Unquoted,
        };
    }
    (cells, data.len())
}

/// [`overflowing_records`] byte by byte: what the fast version must agree
/// with.
#[cfg(test)]
fn overflowing_records_bytewise(data: &[u8], delimiter: u8, width: usize) -> (usize, Vec<usize>) {
    let mut state = State::CellStart;
    let mut cells = 1;
    let mut records = 0;
    let mut pending = false;
    let mut overflow = Vec::new();
    for &b in data {
        pending = true;
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') | (State::CellStart, b'"') => State::Quoted,
            (_, b'\n') => {
                if cells > width {
                    overflow.push(records);
                }
                records += 1;
                cells = 1;
                pending = false;
                State::CellStart
            }
            (_, d) if d == delimiter => {
                cells += 1;
                State::CellStart
            }
            (State::CellStart, b'\r') => State::CellStart,
            _ => State::Unquoted,
        };
    }
    if pending {
        if cells > width {
            overflow.push(records);
        }
        records += 1;
    }
    (records, overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cells_with_quotes_line_breaks_and_crlf() {
        let data = b"a,b,c\r\n\"x,\ny\",\"q\"\"r\",3\r\n\r\n1,2,3,\r\n5\" screen,b,c\n1,360,000,x";
        let (records, overflow) = overflowing_records(data, b',', 3);
        assert_eq!(records, 6);
        assert_eq!(overflow, vec![3, 5]);
    }

    proptest::proptest! {
        #[test]
        fn the_fast_count_agrees_with_the_bytewise_one(
            data in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b';', b'"', b'\n', b'\r', b' ']),
                0..200,
            ),
            width in 1usize..6,
        ) {
            proptest::prop_assert_eq!(
                overflowing_records(&data, b',', width),
                overflowing_records_bytewise(&data, b',', width)
            );
        }
    }

    #[test]
    fn no_trailing_newline_and_empty_input() {
        assert_eq!(overflowing_records(b"a;b", b';', 2), (1, vec![]));
        assert_eq!(overflowing_records(b"", b';', 2), (0, vec![]));
        assert_eq!(overflowing_records(b"a;b;c\n", b';', 2), (1, vec![0]));
    }
}
