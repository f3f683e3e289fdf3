//! The month being paid (`YYYY-MM`).

use chrono::{Datelike, NaiveDate};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// A period from a year and month (1-12).
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1..=12).contains(&month) && (2000..=2999).contains(&year))
            .then_some(Period { year, month })
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.day(1)
    }

    /// Day `day` (1-28) of the month.
    pub fn day(self, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, 28)).expect("days 1-28 exist")
    }

    /// `YYYYMM`, for identifiers.
    pub fn compact(self) -> String {
        format!("{:04}{:02}", self.year, self.month)
    }

    /// `MM/YYYY`, as Vietnamese documents write it.
    pub fn slashed(self) -> String {
        format!("{:02}/{:04}", self.month, self.year)
    }

    /// The period containing a date.
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        let bad = || format!("`{s}` is not a period: write it as YYYY-MM, for example 2024-07");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Period::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print() {
        let p: Period = "2024-07".parse().unwrap();
        assert_eq!(p.to_string(), "2024-07");
        assert_eq!(p.compact(), "202407");
        assert_eq!(p.slashed(), "07/2024");
        assert_eq!(p.day(10), NaiveDate::from_ymd_opt(2024, 7, 10).unwrap());
        for bad in ["2024-13", "2024-7", "24-07", "july", "2024-00"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}
