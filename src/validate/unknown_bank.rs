//! `UNKNOWN_BANK`: the bank cell names no bank of the directory, or names
//! several (an ambiguous name is never guessed: the money would go to the
//! wrong bank).

use crate::reference::{BankDirectory, BankId, BankMatch};

/// Resolves the bank cell.
pub fn check(cell: &str, banks: &BankDirectory) -> Result<BankId, String> {
    match banks.resolve(cell) {
        BankMatch::Found(id) => Ok(id),
        BankMatch::Unknown if cell.trim().is_empty() => Err("the bank is empty".to_owned()),
        BankMatch::Unknown => Err(format!(
            "no bank in the directory is called `{}`",
            cell.trim()
        )),
        BankMatch::Ambiguous(ids) => {
            let names: Vec<String> = ids
                .iter()
                .map(|id| {
                    let b = banks.get(*id);
                    format!("{} ({})", b.short_name, b.bin)
                })
                .collect();
            Err(format!(
                "`{}` could be any of: {}",
                cell.trim(),
                names.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;

    #[test]
    fn unknown_empty_and_ambiguous_banks_are_reported() {
        let banks = Reference::builtin().unwrap().banks;
        assert!(check("Agribank", &banks).is_ok());
        assert_eq!(check(" ", &banks).unwrap_err(), "the bank is empty");
        assert_eq!(
            check("NH Sao Hỏa", &banks).unwrap_err(),
            "no bank in the directory is called `NH Sao Hỏa`"
        );
        let err = check("IBKOVNVX", &banks).unwrap_err();
        assert!(
            err.contains("IBK HN (970455)") && err.contains("IBK HCM (970456)"),
            "{err}"
        );
    }
}
