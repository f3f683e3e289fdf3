//! CSV cells that a spreadsheet will not execute. A cell starting with `=`,
//! `+`, `-` or `@` followed by something other than a digit (or a tab or
//! carriage return) is a formula to Excel and LibreOffice; such a cell gets a
//! leading `'`, which shows the text as written. Numbers like `-5` stay.

use std::borrow::Cow;

/// The cell, neutralised if a spreadsheet would run it.
pub fn cell(value: &str) -> Cow<'_, str> {
    let mut chars = value.chars();
    let risky = match chars.next() {
        Some('=' | '+' | '-' | '@') => !chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some('\t' | '\r') => true,
        _ => false,
    };
    if risky {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(cell("-5"), "-5");
        assert_eq!(cell("+84912345678"), "+84912345678");
        assert_eq!(cell("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(cell(""), "");
    }
}
