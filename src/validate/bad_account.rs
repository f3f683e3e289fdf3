//! `BAD_ACCOUNT`: the account number is empty, holds characters other than
//! letters and digits (spaces are removed first), is longer than the 19
//! characters NAPAS allows, breaks the bank's rule from the directory, or
//! shows Excel damage (`1.23457E+12`, a decimal point).

use crate::reference::Bank;
use compact_str::CompactString;

const MAX_LEN: usize = 19;

/// Normalises and checks an account number against its bank's rule.
/// `was_number` says the cell was a number in a workbook, where leading
/// zeros and digits past the 15th are lost.
pub fn check(cell: &str, bank: Option<&Bank>, was_number: bool) -> Result<CompactString, String> {
    let result = check_text(cell, bank);
    if was_number && let Err(message) = result {
        return Err(format!(
            "{message}: the account number was stored as a number in Excel; format the column as text and type it again"
        ));
    }
    result
}

fn check_text(cell: &str, bank: Option<&Bank>) -> Result<CompactString, String> {
    let account = crate::text::without_spaces(cell);
    if account.is_empty() {
        return Err("the account number is empty".to_owned());
    }
    if looks_like_excel_number(&account) {
        return Err(format!(
            "the account number `{account}` was stored as a number in Excel and has lost digits; \
             format the column as text and type it again"
        ));
    }
    if let Some(bad) = account.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "the account number `{account}` contains `{bad}`: only letters and digits are allowed"
        ));
    }
    let mut account = account;
    account.make_ascii_uppercase();
    if account.len() > MAX_LEN {
        return Err(format!(
            "the account number has {} characters, more than {MAX_LEN}",
            account.len()
        ));
    }
    if let Some(bank) = bank {
        let rule = &bank.account_rule;
        if rule.digits_only && !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{} account numbers are digits only, not `{account}`",
                bank.short_name
            ));
        }
        if !rule.allows_length(account.len()) {
            return Err(format!(
                "{} account numbers have {} digits, `{account}` has {}",
                bank.short_name,
                rule.describe_lengths(),
                account.len()
            ));
        }
    }
    Ok(account)
}

/// `1.23457E+12`, `3700205123456.0`, `3,70021E+12`: what Excel leaves of a
/// number typed into a numeric cell.
fn looks_like_excel_number(s: &str) -> bool {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let upper = s.to_ascii_uppercase();
    let scientific = upper
        .split_once("E+")
        .or_else(|| upper.split_once('E'))
        .is_some_and(|(m, e)| {
            !m.is_empty()
                && m.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
                && m.bytes().any(|b| b == b'.' || b == b',')
                && !e.is_empty()
                && e.bytes().all(|b| b.is_ascii_digit())
        });
    let decimal = s.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.bytes().all(|x| x.is_ascii_digit())
            && b.bytes().all(|x| x.is_ascii_digit())
    });
    scientific || decimal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{BankMatch, Reference};

    fn agribank() -> Bank {
        let banks = Reference::builtin().unwrap().banks;
        let BankMatch::Found(id) = banks.resolve("970405") else {
            panic!()
        };
        banks.get(id).clone()
    }

    #[test]
    fn good_accounts_are_normalised() {
        assert_eq!(
            check(" 3700 205 123456 ", Some(&agribank()), false).unwrap(),
            "3700205123456"
        );
        assert_eq!(check("mo12ab", None, false).unwrap(), "MO12AB");
    }

    #[test]
    fn bad_accounts_say_why() {
        let a = agribank();
        assert_eq!(
            check("", Some(&a), false).unwrap_err(),
            "the account number is empty"
        );
        assert!(
            check("1.23457E+12", Some(&a), false)
                .unwrap_err()
                .contains("stored as a number in Excel")
        );
        assert!(
            check("3700205123456.0", Some(&a), false)
                .unwrap_err()
                .contains("stored as a number in Excel")
        );
        assert!(
            check("3700-205-123456", Some(&a), false)
                .unwrap_err()
                .contains("contains `-`")
        );
        assert!(
            check("12345678901234567890", None, false)
                .unwrap_err()
                .contains("more than 19")
        );
        assert_eq!(
            check("370020512345", Some(&a), false).unwrap_err(),
            "Agribank account numbers have 13 digits, `370020512345` has 12"
        );
        assert!(
            check("370020512345A", Some(&a), false)
                .unwrap_err()
                .contains("digits only")
        );
    }
}
