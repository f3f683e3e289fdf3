//! Typed values read from the text of a cell: amounts in whole đồng,
//! coefficients, dates and account numbers, written the ways labour offices
//! write them.
//!
//! Money never passes through floating point: an amount is parsed digit by
//! digit into an `i64` of đồng, and a coefficient into thousandths.

use chrono::NaiveDate;

/// Why an amount cell is not a usable number of đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountProblem {
    /// The cell is empty.
    Empty,
    /// The text is not a number.
    NotANumber,
    /// The number has a non-zero fraction: VND has no minor unit.
    NotWhole,
    /// Zero or less.
    NotPositive,
    /// More than any payment could be (over 10^15 đồng).
    TooLarge,
}

impl AmountProblem {
    /// A short explanation for the rejects listing.
    pub fn describe(self) -> &'static str {
        match self {
            AmountProblem::Empty => "the amount is empty",
            AmountProblem::NotANumber => "the amount is not a number",
            AmountProblem::NotWhole => "the amount is not a whole number of đồng",
            AmountProblem::NotPositive => "the amount is zero or negative",
            AmountProblem::TooLarge => "the amount is implausibly large",
        }
    }
}

const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Parses an amount in đồng: `750000`, `750.000`, `1.000.000` (Vietnamese
/// grouping), `1,000,000` (English grouping), `1.000.000,00` or
/// `750000.00` (a zero fraction), optionally followed by `đ`, `đồng`, `VND`.
/// A separator followed by exactly three digits after one to three leading
/// digits is grouping; anything else is a decimal separator.
pub fn parse_amount(cell: &str) -> Result<i64, AmountProblem> {
    let text = cell.trim();
    // Plain digits, as most lists write amounts (18 digits cannot overflow).
    if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        let value = text.bytes().fold(0i64, |v, b| v * 10 + i64::from(b - b'0'));
        return match value {
            0 => Err(AmountProblem::NotPositive),
            v if v > MAX_AMOUNT => Err(AmountProblem::TooLarge),
            v => Ok(v),
        };
    }
    let text = strip_currency(text);
    if text.is_empty() {
        return Err(AmountProblem::Empty);
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body: String = body.chars().filter(|c| !is_group_space(*c)).collect();
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(AmountProblem::NotANumber);
    }
    let (integer, fraction) = split_decimal(&body)?;
    if fraction.bytes().any(|b| b != b'0') {
        return Err(AmountProblem::NotWhole);
    }
    let mut value: i64 = 0;
    for b in integer.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(AmountProblem::TooLarge)?;
    }
    if value > MAX_AMOUNT {
        return Err(AmountProblem::TooLarge);
    }
    if negative || value == 0 {
        return Err(AmountProblem::NotPositive);
    }
    Ok(value)
}

fn is_group_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\''
}

fn strip_currency(text: &str) -> &str {
    let lower = text.to_lowercase();
    for suffix in ["đồng", "vnđ", "vnd", "dong", "đ", "d"] {
        // Vietnamese letters keep their UTF-8 length in lower case, so the
        // byte offsets of `lower` are those of `text`.
        if lower.len() == text.len() && lower.ends_with(suffix) {
            return text[..text.len() - suffix.len()].trim_end();
        }
    }
    text
}

/// Splits digits with separators into (integer digits, fraction digits).
fn split_decimal(body: &str) -> Result<(String, &str), AmountProblem> {
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let (group_sep, decimal_at) = match (dots, commas) {
        (0, 0) => return Ok((body.to_owned(), "")),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            if dots + commas > 1 || is_grouped(body, sep) {
                (Some(sep), None)
            } else {
                (None, body.find(sep))
            }
        }
        _ => {
            // Both present: the last one is the decimal separator.
            let last_dot = body.rfind('.').unwrap_or(0);
            let last_comma = body.rfind(',').unwrap_or(0);
            let (decimal, group) = if last_dot > last_comma {
                ('.', ',')
            } else {
                (',', '.')
            };
            if body.matches(decimal).count() > 1 {
                return Err(AmountProblem::NotANumber);
            }
            (Some(group), body.rfind(decimal))
        }
    };
    let (int_part, fraction) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    if fraction.contains(['.', ',']) || (decimal_at.is_some() && fraction.is_empty()) {
        return Err(AmountProblem::NotANumber);
    }
    let integer = match group_sep {
        Some(sep) if int_part.contains(sep) => {
            if !is_grouped(int_part, sep) {
                return Err(AmountProblem::NotANumber);
            }
            int_part.replace(sep, "")
        }
        _ => int_part.to_owned(),
    };
    if integer.is_empty() || !integer.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountProblem::NotANumber);
    }
    Ok((integer, fraction))
}

/// True when `s` is 1-3 digits followed by groups of `sep` and 3 digits.
fn is_grouped(s: &str, sep: char) -> bool {
    let mut groups = s.split(sep);
    let head = groups.next().unwrap_or("");
    let mut any = false;
    let rest_ok = groups.all(|g| {
        any = true;
        g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())
    });
    any && rest_ok && (1..=3).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_digit())
}

/// A coefficient (hệ số) in thousandths: `1.5` and `1,5` are 1500.
pub fn parse_coefficient(cell: &str) -> Option<u32> {
    let text = cell.trim();
    let (int_part, frac_part) = text.split_once(['.', ',']).unwrap_or((text, ""));
    if int_part.is_empty()
        || int_part.len() > 3
        || frac_part.len() > 3
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u32 = int_part.parse().ok()?;
    let mut frac: u32 = 0;
    for i in 0..3 {
        frac = frac * 10
            + frac_part
                .as_bytes()
                .get(i)
                .map_or(0, |b| u32::from(b - b'0'));
    }
    Some(int * 1000 + frac)
}

/// Formats thousandths as a coefficient the way the office wrote it:
/// `1500` is `1.5`, `2000` is `2.0`.
pub fn format_coefficient(milli: u32) -> String {
    let int = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        format!("{int}.0")
    } else {
        let digits = format!("{frac:03}");
        format!("{int}.{}", digits.trim_end_matches('0'))
    }
}

/// A date written `yyyy-mm-dd` or `dd/mm/yyyy` (also `d/m/yyyy` and with
/// `-` or `.` between day, month and year).
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let text = cell.trim();
    // The ISO form needs its `-`: most lists write `dd/mm/yyyy`, which
    // skips the format parser.
    if text.contains('-')
        && let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
    {
        return Some(date);
    }
    let mut parts = text.split(['/', '-', '.']);
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if y.len() == 4 && d.len() <= 2 && m.len() <= 2 {
        return NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    None
}

/// Formats đồng in the Vietnamese way: `2.178.600.000`.
pub fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_every_written_form_are_whole_dong() {
        for (text, want) in [
            ("750000", 750_000),
            ("750.000", 750_000),
            ("1.000.000", 1_000_000),
            ("1,000,000", 1_000_000),
            ("750,000", 750_000),
            ("1.000.000,00", 1_000_000),
            ("1,000,000.00", 1_000_000),
            ("750000.00", 750_000),
            ("750000,0", 750_000),
            (" 540 000 ", 540_000),
            ("540.000 đ", 540_000),
            ("540000 VND", 540_000),
            ("540000 VNĐ", 540_000),
            ("540.000đồng", 540_000),
            ("5", 5),
        ] {
            assert_eq!(parse_amount(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn amounts_that_are_not_whole_dong_are_refused() {
        use AmountProblem::*;
        for (text, want) in [
            ("", Empty),
            ("  ", Empty),
            ("750000.5", NotWhole),
            ("1,5", NotWhole),
            ("1.000.000,50", NotWhole),
            ("0", NotPositive),
            ("0.000", NotPositive),
            ("-540000", NotPositive),
            ("abc", NotANumber),
            ("1.00.000", NotANumber),
            ("1.000,000.5", NotANumber),
            ("12e5", NotANumber),
            ("1.", NotANumber),
            ("99999999999999999999", TooLarge),
        ] {
            assert_eq!(parse_amount(text), Err(want), "{text}");
        }
    }

    #[test]
    fn coefficients_are_thousandths() {
        assert_eq!(parse_coefficient("1.5"), Some(1500));
        assert_eq!(parse_coefficient("1,5"), Some(1500));
        assert_eq!(parse_coefficient("2"), Some(2000));
        assert_eq!(parse_coefficient("2.25"), Some(2250));
        assert_eq!(parse_coefficient("x"), None);
        assert_eq!(parse_coefficient("1.2345"), None);
        assert_eq!(format_coefficient(1500), "1.5");
        assert_eq!(format_coefficient(2000), "2.0");
        assert_eq!(format_coefficient(2250), "2.25");
    }

    #[test]
    fn dates_in_iso_and_vietnamese_order() {
        let d = NaiveDate::from_ymd_opt(1948, 3, 7).unwrap();
        assert_eq!(parse_date("1948-03-07"), Some(d));
        assert_eq!(parse_date("07/03/1948"), Some(d));
        assert_eq!(parse_date("7/3/1948"), Some(d));
        assert_eq!(parse_date("07-03-1948"), Some(d));
        assert_eq!(parse_date("31/02/1948"), None);
        assert_eq!(parse_date("1948"), None);
    }

    #[test]
    fn vnd_uses_dots_for_thousands() {
        assert_eq!(format_vnd(2_178_600_000), "2.178.600.000");
        assert_eq!(format_vnd(500), "500");
        assert_eq!(format_vnd(-1000), "-1.000");
    }
}
