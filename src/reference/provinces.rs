//! Province codes that open a 12-digit citizen ID (the place of birth
//! registration), from `schemas/provinces.csv`.

use std::collections::BTreeMap;

use super::{ReferenceError, read_table};

/// Known 3-digit province codes and their names.
#[derive(Debug, Clone)]
pub struct Provinces {
    names: BTreeMap<String, String>,
}

impl Provinces {
    /// Parses `provinces.csv`.
    pub fn parse(text: &str) -> Result<Provinces, ReferenceError> {
        let mut names = BTreeMap::new();
        read_table("provinces.csv", text, &["code", "name"], |r| {
            let code = r.get("code");
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{code}` is not a 3-digit province code"));
            }
            names.insert(code.to_owned(), r.get("name").to_owned());
            Ok(())
        })?;
        Ok(Provinces { names })
    }

    /// The province's name, when the code is known.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    /// How many provinces are known.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
