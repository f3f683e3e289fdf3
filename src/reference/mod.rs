//! Reference data: the tables in `schemas/` that change without a code change
//! (bank directory, bank aliases, column aliases, base levels, province
//! codes, bank reason codes, beneficiary categories). The copies shipped in `schemas/` are compiled
//! in, so the binary works on its own; a configuration may point at a
//! directory of edited copies, which are loaded and checked the same way.

mod banks;
mod base_levels;
mod categories;
mod columns;
mod profiles;
mod provinces;
mod reason_codes;
mod templates;

use std::path::{Path, PathBuf};

pub use banks::{AccountRule, Bank, BankDirectory, BankId, BankMatch};
pub use base_levels::BaseLevels;
pub use categories::{Band, Categories, Category, CategoryId};
pub use columns::{ColumnAliases, Field};
pub use profiles::{BankFormat, BankProfile, BankProfiles, MIN_MAX_TRANSACTIONS, NameStyle};
pub use provinces::Provinces;
pub use reason_codes::{Reason, ReasonCodes, Reissue};
pub use templates::{Template, TemplateColumn, TemplateField};

/// A reference table that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// The file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line of the table is wrong.
    #[error("`{file}` line {line}: {message}")]
    Malformed {
        /// The table's file name.
        file: String,
        /// The line, counting the header as line 1.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Every reference table a run needs.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Receiving banks and how to recognise them.
    pub banks: BankDirectory,
    /// Header names that identify each input column.
    pub columns: ColumnAliases,
    /// The monthly base level of social assistance by effective date.
    pub base_levels: BaseLevels,
    /// Province codes of citizen IDs.
    pub provinces: Provinces,
    /// Bank status and return reasons in plain words.
    pub reasons: ReasonCodes,
    /// Categories of beneficiaries and their coefficients by age.
    pub categories: Categories,
    /// What each bank's channel loads.
    pub profiles: BankProfiles,
}

const BANKS: &str = include_str!("../../schemas/banks.csv");
const BANK_ALIASES: &str = include_str!("../../schemas/bank_aliases.csv");
const COLUMNS: &str = include_str!("../../schemas/columns.csv");
const BASE_LEVELS: &str = include_str!("../../schemas/base_levels.csv");
const PROVINCES: &str = include_str!("../../schemas/provinces.csv");
const REASON_CODES: &str = include_str!("../../schemas/reason_codes.csv");
const CATEGORIES: &str = include_str!("../../schemas/categories.csv");
const CATEGORY_ALIASES: &str = include_str!("../../schemas/category_aliases.csv");
const BANK_PROFILES: &str = include_str!("../../schemas/bank_profiles.csv");
const GENERIC_TEMPLATE: &str = include_str!("../../schemas/bank_templates/generic.toml");

impl Reference {
    /// The tables shipped in `schemas/`, compiled into the binary.
    pub fn builtin() -> Result<Reference, ReferenceError> {
        Reference::from_texts(|name| {
            Ok(match name {
                "banks.csv" => BANKS.to_owned(),
                "bank_aliases.csv" => BANK_ALIASES.to_owned(),
                "columns.csv" => COLUMNS.to_owned(),
                "base_levels.csv" => BASE_LEVELS.to_owned(),
                "provinces.csv" => PROVINCES.to_owned(),
                "reason_codes.csv" => REASON_CODES.to_owned(),
                "categories.csv" => CATEGORIES.to_owned(),
                "category_aliases.csv" => CATEGORY_ALIASES.to_owned(),
                "bank_profiles.csv" => BANK_PROFILES.to_owned(),
                "bank_templates/generic.toml" => GENERIC_TEMPLATE.to_owned(),
                other if other.starts_with("bank_templates/") => {
                    return Err(ReferenceError::Read {
                        path: PathBuf::from("schemas").join(other),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no such template ships with disburse",
                        ),
                    });
                }
                other => unreachable!("no built-in table `{other}`"),
            })
        })
    }

    /// The tables from a directory laid out like `schemas/`.
    pub fn load(dir: &Path) -> Result<Reference, ReferenceError> {
        Reference::from_texts(|name| {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                // A directory made for a release before bank profiles.
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound && name == "bank_profiles.csv" =>
                {
                    Ok(BANK_PROFILES.to_owned())
                }
                // The shipped generic template, unless the directory has
                // its own.
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound
                        && name == "bank_templates/generic.toml" =>
                {
                    Ok(GENERIC_TEMPLATE.to_owned())
                }
                read => read.map_err(|source| ReferenceError::Read { path, source }),
            }
        })
    }

    fn from_texts(
        read: impl Fn(&str) -> Result<String, ReferenceError>,
    ) -> Result<Reference, ReferenceError> {
        let banks = BankDirectory::parse(&read("banks.csv")?, &read("bank_aliases.csv")?)?;
        Ok(Reference {
            profiles: BankProfiles::parse(&read("bank_profiles.csv")?, &banks, &|file| {
                read(&format!("bank_templates/{file}"))
            })?,
            banks,
            columns: ColumnAliases::parse(&read("columns.csv")?)?,
            base_levels: BaseLevels::parse(&read("base_levels.csv")?)?,
            provinces: Provinces::parse(&read("provinces.csv")?)?,
            reasons: ReasonCodes::parse(&read("reason_codes.csv")?)?,
            categories: Categories::parse(
                &read("categories.csv")?,
                &read("category_aliases.csv")?,
            )?,
        })
    }
}

impl Reference {
    /// The short name of the bank with this BIN (the BIN itself for a bank
    /// the directory does not know).
    pub fn bank_name(&self, bin: &str) -> String {
        match self.banks.resolve(bin) {
            BankMatch::Found(id) => self.banks.get(id).short_name.clone(),
            _ => bin.to_owned(),
        }
    }
}

/// One record of a reference table, read by column name.
struct Record<'a> {
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Record<'_> {
    /// The trimmed value of the named column, empty when absent.
    fn get(&self, name: &str) -> &str {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
            .trim()
    }
}

/// Reads a small CSV table with a header, handing each record and its line
/// number to `each`; an `Err` from `each` becomes a `Malformed` error.
fn read_table(
    file: &str,
    text: &str,
    expected: &[&str],
    mut each: impl FnMut(Record<'_>) -> Result<(), String>,
) -> Result<(), ReferenceError> {
    let malformed = |line: u64, message: String| ReferenceError::Malformed {
        file: file.to_owned(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| malformed(1, e.to_string()))?
        .clone();
    for name in expected {
        if !headers.iter().any(|h| h == *name) {
            return Err(malformed(1, format!("missing column `{name}`")));
        }
    }
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            malformed(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        each(Record {
            headers: &headers,
            record: &record,
        })
        .map_err(|m| malformed(line, m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_load() {
        let reference = Reference::builtin().unwrap();
        assert_eq!(reference.banks.len(), 65);
        assert_eq!(reference.provinces.len(), 63);
    }

    #[test]
    fn shipped_tables_load_from_the_schemas_directory_too() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let reference = Reference::load(&dir).unwrap();
        assert_eq!(reference.banks.len(), 65);
    }

    #[test]
    fn a_malformed_table_names_file_and_line() {
        let err =
            BaseLevels::parse("effective_from,base_vnd,source\n2021-07-01,abc,x\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`base_levels.csv` line 2: `abc` is not a whole number of đồng"
        );
    }
}
