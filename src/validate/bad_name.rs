//! `BAD_NAME`: the beneficiary's or account holder's name holds characters
//! no person's name has (digits, `=`, `<`, `@`, brackets...). Such a name is
//! a data-entry slip or something pasted from elsewhere, and the bank would
//! reject the payment for a name that does not match the account (BE01).

/// Checks a cleaned name (empty names are `MISSING_NAME`'s).
pub fn check(name: &str) -> Result<(), String> {
    match name
        .chars()
        .find(|c| !(crate::text::is_name_letter(*c) || " .'-".contains(*c)))
    {
        Some(bad) => Err(format!(
            "the name `{name}` contains `{bad}`, which no name has"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_letters_spaces_and_little_else() {
        assert!(check("Nguyễn Thị Hoà").is_ok());
        assert!(check("H'Hen Niê").is_ok());
        assert!(check("Lê Thị Mai-Anh").is_ok());
        assert!(check("Y Moan Êban").is_ok());
        assert!(check("Nguyen Van A2").unwrap_err().contains("`2`"));
        assert!(check("=HYPERLINK(\"x\")").unwrap_err().contains("`=`"));
        assert!(check("<script>").is_err());
    }
}
