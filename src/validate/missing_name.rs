//! `MISSING_NAME`: the row has no beneficiary name, or none that survives
//! the transliteration banks need (a name of punctuation only).

use compact_str::CompactString;

use crate::text::clean_compact;

/// The cleaned name.
pub fn check(cell: &str) -> Result<CompactString, String> {
    let name = clean_compact(cell);
    if name.is_empty() {
        Err("the name is empty".to_owned())
    } else if !name.chars().any(char::is_alphanumeric) {
        Err(format!("the name `{name}` has no letters"))
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_have_letters() {
        assert_eq!(check("  Lò  Thị Mai ").unwrap(), "Lò Thị Mai");
        assert_eq!(check("").unwrap_err(), "the name is empty");
        assert_eq!(check(" -- ").unwrap_err(), "the name `--` has no letters");
    }
}
