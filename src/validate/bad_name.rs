//! `BAD_NAME`: the beneficiary's or account holder's name holds characters
//! no person's name has (digits, `=`, `<`, `@`, brackets...). Such a name is
//! a data-entry slip or something pasted from elsewhere, and the bank would
//! reject the payment for a name that does not match the account (BE01).

/// Checks a cleaned name (empty names are `MISSING_NAME`'s).
pub fn check(name: &str) -> Result<(), String> {
    match name
        .chars()
        .find(|c| !(c.is_alphabetic() || " .'-".contains(*c) || is_mark(*c)))
    {
        Some(bad) => Err(format!(
            "the name `{name}` contains `{bad}`, which no name has"
        )),
        None => Ok(()),
    }
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
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
