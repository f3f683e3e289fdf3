//! `BAD_AMOUNT`: the amount is empty, not a whole number of đồng, zero or
//! negative. VND has no minor unit: `750000.5` cannot be paid.

use crate::cells::parse_amount;

/// The amount in đồng.
pub fn check(cell: &str) -> Result<i64, String> {
    parse_amount(cell).map_err(|problem| {
        if cell.trim().is_empty() {
            problem.describe().to_owned()
        } else {
            format!("{}: `{}`", problem.describe(), cell.trim())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_must_be_positive_whole_dong() {
        assert_eq!(check("1.000.000"), Ok(1_000_000));
        assert_eq!(check("").unwrap_err(), "the amount is empty");
        assert_eq!(
            check("750000.5").unwrap_err(),
            "the amount is not a whole number of đồng: `750000.5`"
        );
        assert_eq!(
            check("-5").unwrap_err(),
            "the amount is zero or negative: `-5`"
        );
        assert_eq!(
            check("0").unwrap_err(),
            "the amount is zero or negative: `0`"
        );
    }
}
