//! `BAD_NAME`: the beneficiary's or account holder's name holds characters
//! no person's name has (digits, `=`, `<`, `@`, brackets...). Such a name is
//! a data-entry slip or something pasted from elsewhere, and the bank would
//! reject the payment for a name that does not match the account (BE01).

/// The most characters a name may have: a bank file's name field holds
/// 140 (ISO 20022 `Max140Text`).
pub const MAX_CHARS: usize = 140;

/// Checks a cleaned name (empty names are `MISSING_NAME`'s).
pub fn check(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if length > MAX_CHARS {
        let start: String = name.chars().take(20).collect();
        return Err(format!(
            "the name (`{start}…`) is {length} characters long; no name has more than {MAX_CHARS}"
        ));
    }
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
        assert!(check(&"A".repeat(140)).is_ok());
        let long = check(&"A".repeat(40_000)).unwrap_err();
        assert!(long.contains("is 40000 characters long"), "{long}");
        assert!(long.len() < 200, "the message does not repeat the cell");
    }
}
