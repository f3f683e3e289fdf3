//! `BAD_AMOUNT`: the amount is empty, not a whole number of đồng, zero or
//! negative. VND has no minor unit: `750000.5` cannot be paid.

use crate::cells::parse_amount;

/// The amount in đồng, at most `max` (the office's ceiling for one
/// payment).
pub fn check(cell: &str, max: i64) -> Result<i64, String> {
    let amount = parse_amount(cell).map_err(|problem| {
        if cell.trim().is_empty() {
            problem.describe().to_owned()
        } else {
            format!("{}: `{}`", problem.describe(), cell.trim())
        }
    })?;
    if amount > max {
        return Err(format!(
            "the amount {} đ is more than one payment may be ({} đ, `[payment] max_amount_vnd`): `{}`",
            crate::cells::format_vnd(amount),
            crate::cells::format_vnd(max),
            cell.trim()
        ));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: i64 = crate::config::DEFAULT_MAX_AMOUNT_VND;

    #[test]
    fn an_amount_above_the_ceiling_is_refused_with_both_figures() {
        assert_eq!(check("100.000.000", MAX), Ok(100_000_000));
        let error = check("1000000000000000", MAX).unwrap_err();
        assert!(
            error
                .contains("1.000.000.000.000.000 đ is more than one payment may be (100.000.000 đ"),
            "{error}"
        );
    }

    #[test]
    fn amounts_must_be_positive_whole_dong() {
        assert_eq!(check("1.000.000", MAX), Ok(1_000_000));
        assert_eq!(check("", MAX).unwrap_err(), "the amount is empty");
        assert_eq!(
            check("750000.5", MAX).unwrap_err(),
            "the amount is not a whole number of đồng: `750000.5`"
        );
        assert_eq!(
            check("-5", MAX).unwrap_err(),
            "the amount is zero or negative: `-5`"
        );
        assert_eq!(
            check("0", MAX).unwrap_err(),
            "the amount is zero or negative: `0`"
        );
    }
}
