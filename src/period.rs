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

    /// The month before.
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
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

/// Finds the paid month in a list's title rows ("DANH SÁCH CHI TRẢ ... THÁNG
/// 07/2024", "tháng 7 năm 2024") or, failing that, in its file name
/// (`chi-tra-2024-07.csv`, `DS_T07_2024.xlsx`). `None` when neither says.
pub fn detect(titles: &[String], file_name: &str) -> Option<Period> {
    titles
        .iter()
        .find_map(|t| after_thang(&crate::text::fold_key(t)))
        .or_else(|| {
            let key = crate::text::fold_key(file_name);
            after_thang(&key).or_else(|| year_and_month(&key))
        })
}

/// "thang 07 2024", "thang 7 nam 2024".
fn after_thang(key: &str) -> Option<Period> {
    let words: Vec<&str> = key.split(' ').collect();
    words.windows(2).enumerate().find_map(|(i, w)| {
        if w[0] != "thang" {
            return None;
        }
        let month: u32 = w[1].parse().ok().filter(|_| w[1].len() <= 2)?;
        let rest = &words[i + 2..];
        let year = match rest {
            ["nam", y, ..] | [y, ..] if y.len() == 4 => y.parse().ok()?,
            _ => return None,
        };
        Period::new(year, month)
    })
}

/// "2024 07", "07 2024", "t07 2024".
fn year_and_month(key: &str) -> Option<Period> {
    let words: Vec<&str> = key
        .split(' ')
        .map(|w| w.strip_prefix('t').unwrap_or(w))
        .collect();
    let number = |w: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<u32>().ok())
            .flatten()
    };
    words.windows(2).find_map(|w| {
        match (
            number(w[0], 4..=4),
            number(w[1], 1..=2),
            number(w[0], 1..=2),
            number(w[1], 4..=4),
        ) {
            (Some(y), Some(m), _, _) | (_, _, Some(m), Some(y)) => Period::new(y as i32, m),
            _ => None,
        }
    })
}

#[cfg(test)]
mod detect_tests {
    use super::*;

    #[test]
    fn periods_are_found_in_titles_and_file_names() {
        let p = |s: &str| s.parse::<Period>().ok();
        let titles = vec![
            "UBND HUYỆN PHÚ LƯƠNG".to_owned(),
            "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 07/2024 QUA TÀI KHOẢN".to_owned(),
        ];
        assert_eq!(detect(&titles, "x.csv"), p("2024-07"));
        assert_eq!(
            detect(&["Danh sách tháng 7 năm 2024".to_owned()], "x.csv"),
            p("2024-07")
        );
        assert_eq!(detect(&[], "chi-tra-2024-01.csv"), p("2024-01"));
        assert_eq!(detect(&[], "DS_T07_2024.xlsx"), p("2024-07"));
        assert_eq!(detect(&[], "danh sach thang 12-2025.csv"), p("2025-12"));
        assert_eq!(detect(&[], "danh-sach.csv"), None);
        assert_eq!(detect(&["Tháng 13/2024".to_owned()], "list.csv"), None);
    }
}
