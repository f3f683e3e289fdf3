//! The categories of beneficiaries of Decree 20/2021/NĐ-CP (Art. 5) and the
//! coefficient each is paid by age band (Art. 6), from
//! `schemas/categories.csv`, with the words offices write for them, from
//! `schemas/category_aliases.csv`. Wordings are compared folded (case,
//! diacritics, punctuation and spacing ignored).

use std::collections::HashMap;

use super::{ReferenceError, read_table};
use crate::cells::{format_coefficient, parse_coefficient};
use crate::text::fold_key;

/// The position of a category in [`Categories`].
pub type CategoryId = usize;

/// One age band of a category and its coefficient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// The youngest age paid (in completed years).
    pub from_age: u32,
    /// The first age no longer paid this coefficient, if any.
    pub below_age: Option<u32>,
    /// Coefficient in thousandths.
    pub coefficient: u32,
}

impl Band {
    /// Whether `age` falls in the band.
    pub fn holds(&self, age: u32) -> bool {
        age >= self.from_age && self.below_age.is_none_or(|below| age < below)
    }

    /// `under 4`, `from 4 to under 16`, `from 80`, `at any age`.
    pub fn describe(&self) -> String {
        match (self.from_age, self.below_age) {
            (0, None) => "at any age".to_owned(),
            (0, Some(below)) => format!("under {below}"),
            (from, None) => format!("from {from}"),
            (from, Some(below)) => format!("from {from} to under {below}"),
        }
    }
}

/// A category of beneficiary.
#[derive(Debug, Clone)]
pub struct Category {
    /// Its stable id (`orphan`).
    pub id: String,
    /// Where the law sets it.
    pub basis: String,
    /// Its name in Vietnamese.
    pub name_vi: String,
    /// Its name in English.
    pub name_en: String,
    /// Its age bands, youngest first.
    pub bands: Vec<Band>,
    /// The coefficient is paid per child raised: a whole multiple is right.
    pub per_child: bool,
}

impl Category {
    /// The band `age` falls in.
    pub fn band(&self, age: u32) -> Option<&Band> {
        self.bands.iter().find(|b| b.holds(age))
    }

    /// Whether the list's `coefficient` (thousandths) is what `band` pays.
    pub fn pays(&self, band: &Band, coefficient: u32) -> bool {
        if self.per_child {
            band.coefficient > 0 && coefficient > 0 && coefficient.is_multiple_of(band.coefficient)
        } else {
            coefficient == band.coefficient
        }
    }

    /// The ages the category pays at all: `under 16`, `from 80`.
    pub fn ages(&self) -> String {
        let from = self.bands.iter().map(|b| b.from_age).min().unwrap_or(0);
        let below = if self.bands.iter().any(|b| b.below_age.is_none()) {
            None
        } else {
            self.bands.iter().filter_map(|b| b.below_age).max()
        };
        Band {
            from_age: from,
            below_age: below,
            coefficient: 0,
        }
        .describe()
    }
}

/// The categories and their wordings.
#[derive(Debug, Clone, Default)]
pub struct Categories {
    categories: Vec<Category>,
    /// Folded wording (and folded id) to category.
    by_wording: HashMap<String, CategoryId>,
}

impl Categories {
    /// Parses `categories.csv` and `category_aliases.csv`.
    pub fn parse(categories: &str, aliases: &str) -> Result<Categories, ReferenceError> {
        let mut table = Categories::default();
        read_table(
            "categories.csv",
            categories,
            &["category", "basis", "from_age", "below_age", "coefficient"],
            |r| {
                let id = r.get("category");
                if id.is_empty() {
                    return Err("a band without its category".to_owned());
                }
                let age = |name: &str| -> Result<Option<u32>, String> {
                    let text = r.get(name);
                    if text.is_empty() {
                        return Ok(None);
                    }
                    text.parse()
                        .map(Some)
                        .map_err(|_| format!("`{text}` is not an age in years"))
                };
                let from_age = age("from_age")?.unwrap_or(0);
                let below_age = age("below_age")?;
                if below_age.is_some_and(|b| b <= from_age) {
                    return Err(format!("the band of `{id}` ends before it starts"));
                }
                let text = r.get("coefficient");
                let coefficient = parse_coefficient(text)
                    .filter(|c| *c > 0)
                    .ok_or_else(|| format!("`{text}` is not a coefficient"))?;
                let band = Band {
                    from_age,
                    below_age,
                    coefficient,
                };
                let at = match table.categories.iter().position(|c| c.id == id) {
                    Some(at) => at,
                    None => {
                        table.categories.push(Category {
                            id: id.to_owned(),
                            basis: r.get("basis").to_owned(),
                            name_vi: r.get("name_vi").to_owned(),
                            name_en: r.get("name_en").to_owned(),
                            bands: Vec::new(),
                            per_child: r.get("per") == "child",
                        });
                        table.categories.len() - 1
                    }
                };
                let category = &mut table.categories[at];
                if category
                    .bands
                    .iter()
                    .any(|b| b.holds(band.from_age) || band.holds(b.from_age))
                {
                    return Err(format!("the bands of `{id}` overlap"));
                }
                category.bands.push(band);
                category.bands.sort_by_key(|b| b.from_age);
                Ok(())
            },
        )?;
        for (at, c) in table.categories.iter().enumerate() {
            table.by_wording.insert(fold_key(&c.id), at);
            if !c.name_vi.is_empty() {
                table.by_wording.insert(fold_key(&c.name_vi), at);
            }
        }
        read_table(
            "category_aliases.csv",
            aliases,
            &["category", "alias"],
            |r| {
                let id = r.get("category");
                let at = table
                    .categories
                    .iter()
                    .position(|c| c.id == id)
                    .ok_or_else(|| format!("`{id}` is not a category of categories.csv"))?;
                let alias = fold_key(r.get("alias"));
                if alias.is_empty() {
                    return Err("an empty alias".to_owned());
                }
                match table.by_wording.insert(alias, at) {
                    Some(other) if other != at => Err(format!(
                        "`{}` names both `{}` and `{id}`",
                        r.get("alias"),
                        table.categories[other].id
                    )),
                    _ => Ok(()),
                }
            },
        )?;
        Ok(table)
    }

    /// The category a list's wording names, if the tables know it.
    pub fn find(&self, wording: &str) -> Option<CategoryId> {
        self.by_wording.get(&fold_key(wording)).copied()
    }

    /// The category `id`.
    pub fn get(&self, id: CategoryId) -> &Category {
        &self.categories[id]
    }

    /// How many categories there are.
    pub fn len(&self) -> usize {
        self.categories.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }
}

impl std::fmt::Display for Band {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}",
            self.describe(),
            format_coefficient(self.coefficient)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::Reference;

    #[test]
    fn the_shipped_table_holds_the_decree_s_coefficients() {
        let c = Reference::builtin().unwrap().categories;
        let coefficient = |wording: &str, age: u32| {
            let cat = c.get(c.find(wording).unwrap_or_else(|| panic!("{wording}")));
            cat.band(age).map(|b| b.coefficient)
        };
        assert_eq!(coefficient("Trẻ em mồ côi", 3), Some(2500));
        assert_eq!(coefficient("TRẺ EM MỒ CÔI", 4), Some(1500));
        assert_eq!(coefficient("Trẻ em mồ côi", 16), None);
        assert_eq!(coefficient("Trẻ em nhiễm HIV", 4), Some(2000));
        assert_eq!(coefficient("Người cao tuổi thuộc hộ nghèo", 79), Some(1500));
        assert_eq!(coefficient("Người cao tuổi thuộc hộ nghèo", 80), Some(2000));
        assert_eq!(coefficient("Người cao tuổi thuộc hộ nghèo", 59), None);
        assert_eq!(
            coefficient("Người cao tuổi từ đủ 80 tuổi trở lên", 80),
            Some(1000)
        );
        assert_eq!(
            coefficient("Người cao tuổi được nhận chăm sóc tại cộng đồng", 70),
            Some(3000)
        );
        assert_eq!(coefficient("Người khuyết tật nặng", 15), Some(2000));
        assert_eq!(coefficient("Người khuyết tật nặng", 16), Some(1500));
        assert_eq!(coefficient("Người khuyết tật nặng", 60), Some(2000));
        assert_eq!(coefficient("Khuyết tật đặc biệt nặng", 30), Some(2000));
        assert_eq!(
            coefficient("Trẻ em khuyết tật đặc biệt nặng", 10),
            Some(2500)
        );
        assert_eq!(
            coefficient("Người khuyết tật đặc biệt nặng", 60),
            Some(2500)
        );
        assert_eq!(
            coefficient("Người đơn thân nghèo đang nuôi con", 35),
            Some(1000)
        );
        assert!(c.find("Hộ nghèo hỗ trợ tiền điện").is_none());
        let parent = c.get(c.find("Người đơn thân").unwrap());
        let band = parent.band(30).unwrap();
        assert!(parent.pays(band, 2000));
        assert!(!parent.pays(band, 1500));
    }

    #[test]
    fn malformed_tables_are_refused_with_their_line() {
        let header = "category,basis,from_age,below_age,coefficient\n";
        let err = super::Categories::parse(
            &format!("{header}orphan,x,0,4,2.5\norphan,x,3,16,1.5\n"),
            "category,alias\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`categories.csv` line 3: the bands of `orphan` overlap"
        );
        let err = super::Categories::parse(
            &format!("{header}orphan,x,0,4,2.5\n"),
            "category,alias\nnobody,Trẻ em\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`category_aliases.csv` line 2: `nobody` is not a category of categories.csv"
        );
    }
}
