//! `BAD_BIRTH_DATE`: the birth date cannot be read, or lies in the future
//! or more than 130 years back. A warning by default: the payment does not
//! depend on it, but the citizen-ID check does.

use chrono::{Datelike, NaiveDate};

use crate::cells::parse_date;
use crate::period::Period;

/// The birth date, `None` when the cell is empty.
pub fn check(cell: &str, period: Period) -> Result<Option<NaiveDate>, String> {
    let text = cell.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = parse_date(text).ok_or_else(|| {
        format!("the birth date `{text}` is not a date (dd/mm/yyyy or yyyy-mm-dd)")
    })?;
    let today = period.first_day();
    if date > today || today.year() - date.year() > 130 {
        return Err(format!("the birth date `{text}` is impossible"));
    }
    Ok(Some(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_are_read_and_checked() {
        let p: Period = "2024-07".parse().unwrap();
        assert_eq!(check("", p), Ok(None));
        assert_eq!(
            check("07/03/1948", p),
            Ok(NaiveDate::from_ymd_opt(1948, 3, 7))
        );
        assert!(
            check("31/02/1948", p)
                .unwrap_err()
                .contains("is not a date")
        );
        assert!(check("01/01/2030", p).unwrap_err().contains("impossible"));
        assert!(check("01/01/1850", p).unwrap_err().contains("impossible"));
    }
}
