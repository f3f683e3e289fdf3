//! `COEFFICIENT_MISMATCH`: the list's coefficient is not what the
//! beneficiary's category pays at their age in the paid month (Decree
//! 20/2021/NĐ-CP Art. 6, from `schemas/categories.csv`). A warning by
//! default: the decision on file may be right and the list's category
//! wording loose, and the reviewer decides. `AMOUNT_MISMATCH` keeps
//! checking the amount against the list's own coefficient; both can fire.
//!
//! Age is counted in the paid month: the age a person reaches by the
//! month's last day, so a birthday inside the month moves them to the new
//! band that month. Without a birth date the citizen ID's birth year gives
//! two possible ages, and a coefficient either of them pays is accepted.

use chrono::{Datelike, NaiveDate};

use super::bad_citizen_id::CitizenId;
use crate::cells::{format_coefficient, parse_coefficient};
use crate::period::Period;
use crate::reference::{Categories, Category, CategoryId};

/// The age someone born on `birth` reaches by the last day of `period`;
/// none when they are born after it.
pub fn age_in(birth: NaiveDate, period: Period) -> Option<u32> {
    let month = period.first_day();
    let years = month.year() - birth.year() - i32::from(birth.month() > month.month());
    u32::try_from(years).ok()
}

/// When the person was born, as far as the row tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    /// The birth date.
    Date(NaiveDate),
    /// Only the year, from the citizen ID.
    Year(i32),
}

impl Birth {
    /// The birth date, else the citizen ID's year.
    pub fn of(date: Option<NaiveDate>, citizen_id: Option<&CitizenId>) -> Option<Birth> {
        date.map(Birth::Date)
            .or_else(|| citizen_id.and_then(CitizenId::birth_year).map(Birth::Year))
    }

    /// The age in `period` when the birth date is known.
    pub fn exact_age(self, period: Period) -> Option<u32> {
        match self {
            Birth::Date(d) => age_in(d, period),
            Birth::Year(_) => None,
        }
    }

    /// The ages the person may be in `period`, youngest first.
    fn ages(self, period: Period) -> Vec<u32> {
        match self {
            Birth::Date(d) => age_in(d, period).into_iter().collect(),
            Birth::Year(y) => {
                let oldest = period.first_day().year() - y;
                [oldest - 1, oldest]
                    .into_iter()
                    .filter_map(|a| u32::try_from(a).ok())
                    .collect()
            }
        }
    }

    /// `born 2019-03-02, 5 in 2024-07` or `born in 2019 (year from the
    /// citizen ID), 4 or 5 in 2024-07`.
    fn describe(self, ages: &[u32], period: Period) -> String {
        let ages = ages
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(" or ");
        match self {
            Birth::Date(d) => format!("born {d}, {ages} in {period}"),
            Birth::Year(y) => {
                format!("born in {y} (year from the citizen ID), {ages} in {period}")
            }
        }
    }
}

/// What the category pays at age `age`, in words: `orphan or child without
/// support from 4 to under 16, 1.5` or `… is paid under 16 only`.
fn expected(category: &Category, age: u32) -> String {
    match category.band(age) {
        Some(band) => {
            let per = if category.per_child { " per child" } else { "" };
            format!(
                "{} {}, {}{per}",
                category.name_en,
                band.describe(),
                format_coefficient(band.coefficient)
            )
        }
        None => format!("{} is paid {} only", category.name_en, category.ages()),
    }
}

/// A message when the coefficient is not the category's at this age;
/// `found` is the category the wording names ([`Categories::find`]).
pub fn check(
    category_cell: &str,
    found: Option<CategoryId>,
    coefficient_cell: &str,
    birth: Option<Birth>,
    period: Period,
    categories: &Categories,
) -> Option<String> {
    let wording = category_cell.trim();
    // Unreadable coefficients are AMOUNT_MISMATCH's to report.
    let coefficient = parse_coefficient(coefficient_cell)?;
    if wording.is_empty() {
        return None;
    }
    let Some(id) = found else {
        return Some(format!(
            "the category `{wording}` is not one of Decree 20/2021's in categories.csv, so the \
             coefficient {} is unchecked: add the wording to category_aliases.csv",
            format_coefficient(coefficient)
        ));
    };
    let category = categories.get(id);
    let ages = birth.map(|b| b.ages(period)).unwrap_or_default();
    if ages.is_empty() {
        // Without an age only a category of one band at every age can be
        // checked.
        return match category.bands.as_slice() {
            [band] if band.from_age == 0 && band.below_age.is_none() => {
                (!category.pays(band, coefficient)).then(|| {
                    format!(
                        "`{wording}` is {}, {}, not {} ({})",
                        category.name_en,
                        format_coefficient(band.coefficient),
                        format_coefficient(coefficient),
                        category.basis
                    )
                })
            }
            _ => None,
        };
    }
    let pays = |age: &u32| {
        category
            .band(*age)
            .is_some_and(|band| category.pays(band, coefficient))
    };
    if ages.iter().any(pays) {
        return None;
    }
    let mut owed: Vec<String> = ages.iter().map(|&a| expected(category, a)).collect();
    owed.dedup();
    let birth = birth
        .expect("ages come from a birth")
        .describe(&ages, period);
    Some(format!(
        "{birth}: {}, not {} ({})",
        owed.join(" or "),
        format_coefficient(coefficient),
        category.basis
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn period(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn run(category: &str, coefficient: &str, birth: Option<Birth>, p: &str) -> Option<String> {
        let categories = Reference::builtin().unwrap().categories;
        let found = categories.find(category);
        check(category, found, coefficient, birth, period(p), &categories)
    }

    #[test]
    fn age_counts_a_birthday_anywhere_in_the_paid_month() {
        assert_eq!(age_in(date("2020-07-31"), period("2024-07")), Some(4));
        assert_eq!(age_in(date("2020-07-01"), period("2024-07")), Some(4));
        assert_eq!(age_in(date("2020-08-01"), period("2024-07")), Some(3));
        assert_eq!(age_in(date("2020-06-30"), period("2024-07")), Some(4));
        assert_eq!(age_in(date("2020-02-29"), period("2024-02")), Some(4));
        assert_eq!(age_in(date("2024-08-01"), period("2024-07")), None);
    }

    #[test]
    fn the_orphan_s_fourth_birthday_inside_and_outside_the_paid_month() {
        let born = |d: &str| Some(Birth::Date(date(d)));
        // Turns 4 on the last day of July: 1.5 from July.
        assert_eq!(
            run("Trẻ em mồ côi", "2.5", born("2020-07-31"), "2024-07").unwrap(),
            "born 2020-07-31, 4 in 2024-07: orphan or child without support from 4 to under \
             16, 1.5, not 2.5 (Decree 20/2021 Art. 5.1 and 6.1(a))"
        );
        assert_eq!(
            run("Trẻ em mồ côi", "1.5", born("2020-07-31"), "2024-07"),
            None
        );
        // Turns 4 in August: still 2.5 in July.
        assert_eq!(
            run("Trẻ em mồ côi", "2.5", born("2020-08-01"), "2024-07"),
            None
        );
        assert!(run("Trẻ em mồ côi", "1.5", born("2020-08-01"), "2024-07").is_some());
        assert_eq!(
            run("Trẻ em mồ côi", "2.5", born("2019-03-02"), "2024-07").unwrap(),
            "born 2019-03-02, 5 in 2024-07: orphan or child without support from 4 to under \
             16, 1.5, not 2.5 (Decree 20/2021 Art. 5.1 and 6.1(a))"
        );
    }

    #[test]
    fn every_age_boundary_of_the_decree() {
        // (category, birthday in the paid month makes the new band, before, after)
        let cases = [
            ("Trẻ em nhiễm HIV", 4, "2.5", "2.0"),
            ("Người cao tuổi thuộc hộ nghèo", 80, "1.5", "2.0"),
            ("Người khuyết tật nặng", 16, "2.0", "1.5"),
            ("Người khuyết tật nặng", 60, "1.5", "2.0"),
            ("Người khuyết tật đặc biệt nặng", 16, "2.5", "2.0"),
            ("Người khuyết tật đặc biệt nặng", 60, "2.0", "2.5"),
        ];
        for (category, age, before, after) in cases {
            let inside = Some(Birth::Date(date(&format!("{}-07-15", 2024 - age))));
            let outside = Some(Birth::Date(date(&format!("{}-08-15", 2024 - age))));
            assert_eq!(
                run(category, after, inside, "2024-07"),
                None,
                "{category} {age}"
            );
            assert!(
                run(category, before, inside, "2024-07").is_some(),
                "{category} {age}"
            );
            assert_eq!(
                run(category, before, outside, "2024-07"),
                None,
                "{category} {age}"
            );
            assert!(
                run(category, after, outside, "2024-07").is_some(),
                "{category} {age}"
            );
        }
    }

    #[test]
    fn ages_outside_the_category_are_named() {
        let msg = run(
            "Người cao tuổi từ đủ 80 tuổi trở lên",
            "1.0",
            Some(Birth::Date(date("1950-01-01"))),
            "2024-07",
        )
        .unwrap();
        assert_eq!(
            msg,
            "born 1950-01-01, 74 in 2024-07: elderly person from 80 without a pension is paid \
             from 80 only, not 1.0 (Decree 20/2021 Art. 5.5(c) and 6.1(đ))"
        );
    }

    #[test]
    fn the_citizen_id_s_year_accepts_either_age() {
        let year = Some(Birth::Year(2020));
        assert_eq!(run("Trẻ em mồ côi", "2.5", year, "2024-07"), None);
        assert_eq!(run("Trẻ em mồ côi", "1.5", year, "2024-07"), None);
        assert_eq!(
            run("Trẻ em mồ côi", "2.0", year, "2024-07").unwrap(),
            "born in 2020 (year from the citizen ID), 3 or 4 in 2024-07: orphan or child \
             without support under 4, 2.5 or orphan or child without support from 4 to under \
             16, 1.5, not 2.0 (Decree 20/2021 Art. 5.1 and 6.1(a))"
        );
    }

    #[test]
    fn unknown_categories_are_named_never_guessed() {
        assert_eq!(
            run("Hộ nghèo", "1.0", None, "2024-07").unwrap(),
            "the category `Hộ nghèo` is not one of Decree 20/2021's in categories.csv, so the \
             coefficient 1.0 is unchecked: add the wording to category_aliases.csv"
        );
        assert_eq!(run("", "1.0", None, "2024-07"), None);
        assert_eq!(run("Trẻ em mồ côi", "", None, "2024-07"), None);
        // Age-banded and no age: nothing to say.
        assert_eq!(run("Trẻ em mồ côi", "3.0", None, "2024-07"), None);
        // One band at every age: checked without an age.
        assert!(run("Người đơn thân", "1.5", None, "2024-07").is_some());
        assert_eq!(run("Người đơn thân", "2.0", None, "2024-07"), None);
    }
}
