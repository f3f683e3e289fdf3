//! CSV cells that a spreadsheet will not execute. A cell starting with `=`,
//! `@`, a tab or a carriage return, or with `+` or `-` not followed by a
//! plain number, is a formula to Excel and LibreOffice (`-1+cmd|...` as much
//! as `=HYPERLINK(...)`); such a cell gets a leading `'`, which shows the
//! text as written. Numbers like `-5`, `-1.5` and `+84912345678` stay.

use std::borrow::Cow;

use either::Either;

/// The cell, neutralised if a spreadsheet would run it.
pub fn cell(value: &str) -> Cow<'_, str> {
    if is_formula(value.as_bytes()) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The cell as it was before [`cell`] neutralised it. (A cell that was
/// written with a leading `'` before a formula reads back without it.)
pub fn uncell(written: &str) -> &str {
    match written.strip_prefix('\'') {
        Some(rest) if is_formula(rest.as_bytes()) => rest,
        _ => written,
    }
}

/// True when a spreadsheet would run `value` (see the module's summary).
fn is_formula(value: &[u8]) -> bool {
    match value.first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => !is_plain_number(&value[1..]),
        _ => false,
    }
}

/// Digits, possibly grouped or with a decimal part (`1.000.000`, `1,5`,
/// `84 912 345 678`): nothing a formula could call.
fn is_plain_number(text: &[u8]) -> bool {
    text.first().is_some_and(u8::is_ascii_digit)
        && text
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' '))
}

/// True when `line`, a CSV record, is `width` comma-separated cells that
/// [`RecordBuf`] would write as they are: no quote, no line break, nothing
/// a spreadsheet would run. The record as the listings write it is then
/// the line itself.
pub(crate) fn is_verbatim_line(line: &[u8], width: usize) -> bool {
    if memchr::memchr(b'\n', line).is_some() {
        return false;
    }
    let (mut cells, mut start) = (0, 0);
    for at in memchr::memchr3_iter(b',', b'"', b'\r', line).chain([line.len()]) {
        if at < line.len() && line[at] != b',' || is_formula(&line[start..at]) {
            return false;
        }
        cells += 1;
        start = at + 1;
    }
    cells == width
}

/// A CSV writer for reports: comma-separated, every field quoted only when
/// needed, LF line ends.
pub fn writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Writes one record, neutralising every cell.
pub fn write_record<W: std::io::Write, I, S>(w: &mut csv::Writer<W>, cells: I) -> csv::Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for c in cells {
        w.write_field(cell(c.as_ref()).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

/// Appends records to a byte buffer, as [`writer`] and [`write_record`]
/// write them (the same quoting, through the same `csv-core` state
/// machine), without a writer's own buffer in between: for listings
/// rendered in parallel chunks.
pub struct RecordBuf {
    core: csv_core::Writer,
}

impl Default for RecordBuf {
    fn default() -> Self {
        RecordBuf {
            core: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
        }
    }
}

impl RecordBuf {
    /// Appends one record, neutralising every cell.
    pub fn push<I, S>(&mut self, buf: &mut Vec<u8>, cells: I)
    where
        I: IntoIterator<Item = S>,
        I::IntoIter: Clone,
        S: AsRef<str>,
    {
        let cells = cells.into_iter();
        let start = buf.len();
        if !self.push_plain(buf, cells.clone()) {
            buf.truncate(start);
            self.push_quoted(buf, cells);
        }
    }

    /// Appends `cells` then the cells of `line` (a CSV record of `width`
    /// comma-separated cells, see [`crate::ingest::Table::line`]) exactly as
    /// [`RecordBuf::push`] appends `cells` then `line_cells`, which must be
    /// the line's cells. When nothing needs quoting or neutralising (nearly
    /// every row of a list), the line is copied whole instead of cell by
    /// cell.
    pub fn push_with_line<I, S, J, T>(
        &mut self,
        buf: &mut Vec<u8>,
        cells: I,
        line: Option<&[u8]>,
        width: usize,
        line_cells: J,
    ) where
        I: IntoIterator<Item = S>,
        I::IntoIter: Clone,
        S: AsRef<str>,
        J: IntoIterator<Item = T>,
        J::IntoIter: Clone,
        T: AsRef<str>,
    {
        let cells = cells.into_iter();
        let start = buf.len();
        let plain_format = self.core.get_delimiter() == b','
            && matches!(self.core.get_terminator(), csv_core::Terminator::Any(b'\n'));
        if let Some(line) = line.filter(|line| plain_format && is_verbatim_line(line, width)) {
            // The line's delimiter follows our cells: there must be one.
            if let Some(1..) = self.push_plain_cells(buf, cells.clone()) {
                buf.push(b',');
                buf.extend_from_slice(line);
                buf.push(b'\n');
                return;
            }
            buf.truncate(start);
        }
        self.push(
            buf,
            cells
                .map(Either::Left)
                .chain(line_cells.into_iter().map(Either::Right)),
        );
    }

    /// Appends the cells, delimited, when none needs quotes: the number of
    /// cells, or `None` (with part of them appended) when one does.
    fn push_plain_cells<S: AsRef<str>>(
        &self,
        buf: &mut Vec<u8>,
        cells: impl Iterator<Item = S>,
    ) -> Option<usize> {
        let mut count = 0;
        for (i, c) in cells.enumerate() {
            if i > 0 {
                buf.push(self.core.get_delimiter());
            }
            let cell = cell(c.as_ref());
            if self.core.should_quote(cell.as_bytes()) {
                return None;
            }
            buf.extend_from_slice(cell.as_bytes());
            count += 1;
        }
        Some(count)
    }

    /// Appends the record as is when none of its cells needs quotes (nearly
    /// every record of a listing), which is what `csv-core` writes for it:
    /// the cells, the delimiter between them and the terminator. `csv-core`
    /// itself decides whether a cell needs quotes. False, with part of a
    /// record appended, when one does, when the record is a single empty
    /// cell (which `csv-core` writes as `""`) or the terminator is not a
    /// single byte.
    fn push_plain<S: AsRef<str>>(&self, buf: &mut Vec<u8>, cells: impl Iterator<Item = S>) -> bool {
        let start = buf.len();
        if self.push_plain_cells(buf, cells).is_none() || buf.len() == start {
            return false;
        }
        match self.core.get_terminator() {
            csv_core::Terminator::Any(b) => buf.push(b),
            // CRLF, which the listings do not use: `csv-core` writes it.
            _ => return false,
        }
        true
    }

    /// Appends one record through `csv-core`'s state machine.
    fn push_quoted<S: AsRef<str>>(&mut self, buf: &mut Vec<u8>, cells: impl Iterator<Item = S>) {
        for (i, c) in cells.enumerate() {
            if i > 0 {
                Self::step(buf, 2, |out| {
                    let (result, n) = self.core.delimiter(out);
                    (result, 0, n)
                });
            }
            let cell = cell(c.as_ref());
            let mut input = cell.as_bytes();
            loop {
                // A quoted cell at most doubles, plus its two quotes: one
                // call takes the whole cell.
                let (nin, done) =
                    Self::step(buf, input.len() * 2 + 2, |out| self.core.field(input, out));
                input = &input[nin..];
                if done {
                    break;
                }
            }
        }
        Self::step(buf, 4, |out| {
            let (result, n) = self.core.terminator(out);
            (result, 0, n)
        });
    }

    /// Runs one `csv-core` call on `room` bytes of fresh space at the end
    /// of `buf`; returns the input consumed and whether all of it was.
    fn step(
        buf: &mut Vec<u8>,
        room: usize,
        call: impl FnOnce(&mut [u8]) -> (csv_core::WriteResult, usize, usize),
    ) -> (usize, bool) {
        let len = buf.len();
        buf.resize(len + room, 0);
        let (result, nin, nout) = call(&mut buf[len..]);
        buf.truncate(len + nout);
        (nin, result == csv_core::WriteResult::InputEmpty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn appended_records_are_what_the_writer_writes(
            // Cells that need quotes and cells that do not, so that records
            // take both the plain path and csv-core's, and switch midway.
            records in (0usize..6).prop_flat_map(|width| {
                let cell = proptest::prop_oneof![
                    "[a-zA-Zđ0-9 ;'=+@\r\t-]{0,12}",
                    "[a-zA-Zđ0-9 ,;\"'=+@\n\r\t-]{0,12}",
                ];
                proptest::collection::vec(proptest::collection::vec(cell, width), 0..5)
            })
        ) {
            let mut expected = Vec::new();
            {
                let mut w = writer(&mut expected);
                for r in &records {
                    write_record(&mut w, r).unwrap();
                }
                w.flush().unwrap();
            }
            let mut buf = Vec::new();
            let mut records_buf = RecordBuf::default();
            for r in &records {
                records_buf.push(&mut buf, r);
            }
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(&buf),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_line_copied_whole_is_the_record_written_cell_by_cell(
            ours in proptest::collection::vec("[a-zđ0-9 ,\"=-]{0,6}", 0..4),
            line in "[a-zđ0-9 ,;\"'=+@\n\r\t-]{0,30}",
            width in 1usize..6,
        ) {
            let cells: Vec<&str> = line.split(',').collect();
            let mut expected = Vec::new();
            RecordBuf::default().push(&mut expected, ours.iter().map(String::as_str).chain(cells.iter().copied()));
            let mut buf = Vec::new();
            RecordBuf::default().push_with_line(&mut buf, &ours, Some(line.as_bytes()), width, &cells);
            if is_verbatim_line(line.as_bytes(), width) && !ours.is_empty() {
                let copied = [line.as_bytes(), b"\n"].concat();
                proptest::prop_assert!(buf.ends_with(&copied));
            }
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(&buf),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    #[test]
    fn only_plain_lines_of_the_right_width_are_copied() {
        assert!(is_verbatim_line(b"1,Nguyen Van An,-5,+84 912", 4));
        assert!(!is_verbatim_line(b"1,Nguyen Van An,-5,+84 912", 5));
        assert!(!is_verbatim_line(b"1,\"a,b\",c", 3));
        assert!(!is_verbatim_line(b"1,=1+1,c", 3));
        assert!(!is_verbatim_line(b"1,a\rb,c", 3));
        assert!(!is_verbatim_line(b"1,a,c\n", 3));
        assert!(!is_verbatim_line(b"@x", 1));
        assert!(is_verbatim_line(b"", 1));
    }

    #[test]
    fn a_record_of_one_empty_cell_or_none_is_quoted() {
        let mut buf = Vec::new();
        let mut records = RecordBuf::default();
        records.push(&mut buf, [""]);
        records.push(&mut buf, [""; 0]);
        records.push(&mut buf, ["", ""]);
        records.push(&mut buf, ["a", "b,c", "d"]);
        records.push(&mut buf, ["=1+1", "x"]);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\"\"\n\"\"\n,\na,\"b,c\",d\n'=1+1,x\n"
        );
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-"), "'-");
        assert_eq!(cell("\t=1"), "'\t=1");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("-1+cmd|' /C calc'!A0"), "'-1+cmd|' /C calc'!A0");
        assert_eq!(cell("+1)*cmd|' /C calc'!A0"), "'+1)*cmd|' /C calc'!A0");
        assert_eq!(cell("-5"), "-5");
        assert_eq!(cell("-1.5"), "-1.5");
        assert_eq!(cell("+84 912 345 678"), "+84 912 345 678");
        assert_eq!(cell("+84912345678"), "+84912345678");
        assert_eq!(cell("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(cell(""), "");
    }
}
