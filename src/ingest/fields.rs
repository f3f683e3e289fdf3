//! Counts the cells of every CSV record, to find the rows with more cells
//! than the header. The column reader cannot tell a missing cell from an
//! empty one, and a row shifted by an unquoted delimiter (`360,000` in a
//! comma file) may well end in an empty cell: such a row must be rejected,
//! never read with its values in the wrong columns.
//!
//! One pass over the bytes with the RFC 4180 quoting rules: a quote opens a
//! quoted cell only at the start of a cell, `""` inside it is a quote, line
//! breaks inside it belong to the cell. The same pass finds misquoted
//! cells: text after a closing quote (`"Agribank"x`), or a quote never
//! closed. The column reader refuses most of those in a text column but
//! reads them into a column of codes (`column.rs`), so the list is refused
//! here, whatever the column.

#[derive(Clone, Copy)]
enum State {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
    /// A carriage return after a closing quote: only a line feed may follow.
    ReturnAfterQuote,
}

/// What one byte did.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    None,
    /// It ended a cell (a delimiter).
    Cell,
    /// It ended a record (a line feed outside quotes).
    Record,
}

/// One byte of the RFC 4180 state machine: the next state, what the byte
/// ended, and whether it makes its cell misquoted.
#[inline]
fn step(state: State, b: u8, delimiter: u8) -> (State, Event, bool) {
    match (state, b) {
        (State::Quoted, b'"') => (State::QuoteInQuoted, Event::None, false),
        (State::Quoted, _) => (State::Quoted, Event::None, false),
        (State::QuoteInQuoted, b'"') | (State::CellStart, b'"') => {
            (State::Quoted, Event::None, false)
        }
        (_, b'\n') => (State::CellStart, Event::Record, false),
        (State::QuoteInQuoted, b'\r') => (State::ReturnAfterQuote, Event::None, false),
        (state, d) if d == delimiter => (
            State::CellStart,
            Event::Cell,
            matches!(state, State::ReturnAfterQuote),
        ),
        (State::CellStart, b'\r') => (State::CellStart, Event::None, false),
        (state, _) => (
            State::Unquoted,
            Event::None,
            matches!(state, State::QuoteInQuoted | State::ReturnAfterQuote),
        ),
    }
}

/// True when data ending in `state` ends inside a quoted cell (or just
/// after a carriage return that closes nothing).
fn misquoted_at_end(state: State) -> bool {
    matches!(state, State::Quoted | State::ReturnAfterQuote)
}

/// What counting a list's records found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// Records.
    pub records: usize,
    /// The (0-based) records with more cells than the header.
    pub overflow: Vec<usize>,
    /// The first misquoted cell: its (0-based) record and column.
    pub misquoted: Option<(usize, usize)>,
    /// Whether a cell not opened with a quote holds one (`5" screen`): a
    /// quote, to this count and to Excel, but the column reader may take it
    /// for an opening quote and read the rows after it otherwise.
    pub stray_quote: bool,
    /// Where each record starts, in bytes from the start of the data, then
    /// the data's length: record `k` is `starts[k]..starts[k + 1]`, its
    /// line break included. Empty when the data has 4 GiB or more.
    pub starts: Vec<u32>,
}

impl Counted {
    fn record(&mut self, start: usize, cells: usize, width: usize, misquoted: Option<usize>) {
        if let Ok(start) = u32::try_from(start) {
            self.starts.push(start);
        }
        if cells > width {
            self.overflow.push(self.records);
        }
        if let (Some(col), None) = (misquoted, self.misquoted) {
            self.misquoted = Some((self.records, col));
        }
        self.records += 1;
    }

    /// Closes [`Counted::starts`] with the data's length (or empties it
    /// when the data is too long for it).
    fn end(mut self, len: usize) -> Counted {
        match u32::try_from(len) {
            Ok(len) if self.starts.len() == self.records => self.starts.push(len),
            _ => self.starts = Vec::new(),
        }
        self
    }
}

/// Counts the records, finds those with more than `width` cells and the
/// first with a misquoted cell.
///
/// A line without a quote is one record whose cells are its delimiters
/// plus one: such lines (nearly all of a list) are counted with `memchr`'s
/// vectorised search. A record with a quote is read byte by byte
/// ([`quoted_record`]), since a quoted cell may hold delimiters and line
/// breaks.
pub fn overflowing_records(data: &[u8], delimiter: u8, width: usize) -> Counted {
    let mut counted = Counted::default();
    let mut at = 0;
    while at < data.len() {
        let rest = &data[at..];
        let line = memchr::memchr(b'\n', rest).map_or(rest, |end| &rest[..=end]);
        let (cells, consumed, misquoted) = if memchr::memchr(b'"', line).is_none() {
            (
                1 + memchr::memchr_iter(delimiter, line).count(),
                line.len(),
                None,
            )
        } else {
            let (cells, consumed, misquoted, stray) = quoted_record(rest, delimiter);
            counted.stray_quote |= stray;
            (cells, consumed, misquoted)
        };
        counted.record(at, cells, width, misquoted);
        at += consumed;
    }
    counted.end(data.len())
}

/// The cells of the record at the start of `data`, the bytes it takes
/// (its line break included), its first misquoted cell (0-based), and
/// whether it has a stray quote.
fn quoted_record(data: &[u8], delimiter: u8) -> (usize, usize, Option<usize>, bool) {
    let (mut state, mut cells, mut misquoted) = (State::CellStart, 1, None);
    let mut stray = false;
    for (i, &b) in data.iter().enumerate() {
        let (next, event, bad) = step(state, b, delimiter);
        if bad {
            misquoted = misquoted.or(Some(cells - 1));
        }
        stray |= b == b'"' && matches!(state, State::Unquoted);
        match event {
            Event::Record => return (cells, i + 1, misquoted, stray),
            Event::Cell => cells += 1,
            Event::None => {}
        }
        state = next;
    }
    if misquoted_at_end(state) {
        misquoted = misquoted.or(Some(cells - 1));
    }
    (cells, data.len(), misquoted, stray)
}

/// For each cell of the one record at the start of `record`, whether it
/// ends with a carriage return outside quotes (`a\r,b`, `"a"\r\n`, the
/// cell before a `\r\n`), which the column reader drops; `"a\r",b` keeps
/// it. Written into `ends` (cleared first).
pub fn cells_ending_in_return(record: &[u8], delimiter: u8, ends: &mut Vec<bool>) {
    ends.clear();
    let (mut state, mut ends_in_return) = (State::CellStart, false);
    for &b in record {
        let (next, event, _) = step(state, b, delimiter);
        match event {
            Event::None => ends_in_return = b == b'\r' && !matches!(state, State::Quoted),
            Event::Cell => ends.push(std::mem::take(&mut ends_in_return)),
            Event::Record => {
                ends.push(ends_in_return);
                return;
            }
        }
        state = next;
    }
    ends.push(ends_in_return);
}

/// [`overflowing_records`] byte by byte: what the fast version must agree
/// with.
#[cfg(test)]
fn overflowing_records_bytewise(data: &[u8], delimiter: u8, width: usize) -> Counted {
    let (mut state, mut cells, mut misquoted) = (State::CellStart, 1, None);
    let mut counted = Counted::default();
    let (mut pending, mut start) = (false, 0);
    for (i, &b) in data.iter().enumerate() {
        let (next, event, bad) = step(state, b, delimiter);
        if bad {
            misquoted = misquoted.or(Some(cells - 1));
        }
        counted.stray_quote |= b == b'"' && matches!(state, State::Unquoted);
        pending = true;
        match event {
            Event::Record => {
                counted.record(start, cells, width, misquoted);
                (cells, misquoted, pending, start) = (1, None, false, i + 1);
            }
            Event::Cell => cells += 1,
            Event::None => {}
        }
        state = next;
    }
    if pending {
        if misquoted_at_end(state) {
            misquoted = misquoted.or(Some(cells - 1));
        }
        counted.record(start, cells, width, misquoted);
    }
    counted.end(data.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(data: &[u8], delimiter: u8, width: usize) -> (usize, Vec<usize>) {
        let counted = overflowing_records(data, delimiter, width);
        (counted.records, counted.overflow)
    }

    #[test]
    fn counts_cells_with_quotes_line_breaks_and_crlf() {
        let data = b"a,b,c\r\n\"x,\ny\",\"q\"\"r\",3\r\n\r\n1,2,3,\r\n5\" screen,b,c\n1,360,000,x";
        assert_eq!(count(data, b',', 3), (6, vec![3, 5]));
        let counted = overflowing_records(data, b',', 3);
        assert_eq!(counted.misquoted, None);
        assert_eq!(counted.starts, [0, 7, 24, 26, 34, 48, 59]);
    }

    #[test]
    fn text_after_a_closing_quote_or_a_quote_never_closed_is_misquoted() {
        let misquoted = |data: &[u8]| overflowing_records(data, b',', 3).misquoted;
        assert_eq!(misquoted(b"a,b,c\n1,\"x\"y,3\n"), Some((1, 1)));
        assert_eq!(misquoted(b"a,b,c\n1,\"x\" ,3\n"), Some((1, 1)));
        assert_eq!(misquoted(b"a,b,c\n1,\"x\"\r,3\n"), Some((1, 1)));
        assert_eq!(misquoted(b"a,b,c\n1,2,\"x\"\r\n\"open,2\n"), Some((2, 0)));
        assert_eq!(misquoted(b"a,b,c\n1,2,\"x\"y\"\r\n"), Some((1, 2)));
        assert_eq!(misquoted(b"a,b,c\n1,2,\"x\"\r\n4,\"\"\"q\"\"\",\"\""), None);
        // A quote inside an unquoted cell is a quote.
        assert_eq!(misquoted(b"a,b,c\n5\" screen,2,3\n"), None);
        let stray = |data: &[u8]| overflowing_records(data, b',', 3).stray_quote;
        assert!(stray(b"a,b,c\n5\" screen,2,3\n"));
        assert!(!stray(b"a,\"b\"\"\",c\n\"5,\"\"\",2,3\n"));
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
    fn cells_ending_in_a_return_outside_quotes() {
        let ends = |record: &[u8]| {
            let mut ends = Vec::new();
            cells_ending_in_return(record, b',', &mut ends);
            ends
        };
        assert_eq!(ends(b"a\r,b\r\n"), [true, true]);
        assert_eq!(ends(b"\"a\r\",\"b\"\r\n"), [false, true]);
        assert_eq!(ends(b"\"x\r\ny\",b\n"), [false, false]);
        assert_eq!(ends(b"\r\n"), [true]);
        assert_eq!(ends(b"a,b\r"), [false, true]);
        assert_eq!(ends(b"a,b\n,c\r\n"), [false, false]);
    }

    #[test]
    fn no_trailing_newline_and_empty_input() {
        assert_eq!(count(b"a;b", b';', 2), (1, vec![]));
        assert_eq!(count(b"", b';', 2), (0, vec![]));
        assert_eq!(count(b"a;b;c\n", b';', 2), (1, vec![0]));
    }
}
