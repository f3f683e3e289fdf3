//! The monthly base level of social assistance (mức chuẩn trợ giúp xã hội)
//! by effective date, from `schemas/base_levels.csv`.

use chrono::NaiveDate;

use super::{ReferenceError, read_table};

/// Base levels in force from their effective dates, oldest first.
#[derive(Debug, Clone)]
pub struct BaseLevels {
    levels: Vec<(NaiveDate, i64)>,
}

impl BaseLevels {
    /// Parses `base_levels.csv`.
    pub fn parse(text: &str) -> Result<BaseLevels, ReferenceError> {
        let mut levels = Vec::new();
        read_table(
            "base_levels.csv",
            text,
            &["effective_from", "base_vnd"],
            |r| {
                let from = r.get("effective_from");
                let date = NaiveDate::parse_from_str(from, "%Y-%m-%d")
                    .map_err(|_| format!("`{from}` is not a date (yyyy-mm-dd)"))?;
                let base = r.get("base_vnd");
                let amount: i64 = base
                    .parse()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or_else(|| format!("`{base}` is not a whole number of đồng"))?;
                levels.push((date, amount));
                Ok(())
            },
        )?;
        levels.sort();
        Ok(BaseLevels { levels })
    }

    /// The base level in force on `date`, if any was.
    pub fn on(&self, date: NaiveDate) -> Option<i64> {
        self.levels
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_in_force_follows_the_decrees() {
        let levels = super::super::Reference::builtin().unwrap().base_levels;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(levels.on(day(2021, 6, 30)), None);
        assert_eq!(levels.on(day(2024, 1, 1)), Some(360_000));
        assert_eq!(levels.on(day(2024, 6, 30)), Some(360_000));
        assert_eq!(levels.on(day(2024, 7, 1)), Some(500_000));
    }
}
