//! `AMOUNT_MISMATCH`: the amount is not base level × coefficient (plus the
//! arrears column, when the list has one). A warning by default: arrears and
//! one-off support legitimately differ, and the reviewer decides.

use crate::cells::{format_coefficient, format_vnd, parse_coefficient};

/// A message when the amount differs from what the coefficient gives.
pub fn check(
    amount: i64,
    coefficient_cell: &str,
    arrears: Option<i64>,
    base: Option<i64>,
) -> Option<String> {
    let text = coefficient_cell.trim();
    if text.is_empty() {
        return None;
    }
    let Some(milli) = parse_coefficient(text) else {
        return Some(format!(
            "the coefficient `{text}` is not a number, so the amount cannot be checked"
        ));
    };
    let base = base?;
    let product = i128::from(base) * i128::from(milli);
    let monthly = i64::try_from(product / 1000).ok()?;
    let expected = monthly.checked_add(arrears.unwrap_or(0))?;
    if product % 1000 == 0 && expected == amount {
        return None;
    }
    let arrears_part = arrears
        .map(|a| format!(" + arrears {}", format_vnd(a)))
        .unwrap_or_default();
    Some(format!(
        "the amount {} is not base {} × coefficient {}{arrears_part} = {}",
        format_vnd(amount),
        format_vnd(base),
        format_coefficient(milli),
        format_vnd(expected)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_base_times_coefficient() {
        assert_eq!(check(540_000, "1.5", None, Some(360_000)), None);
        assert_eq!(check(540_000, "1,5", None, Some(360_000)), None);
        assert_eq!(check(1_080_000, "1.5", Some(540_000), Some(360_000)), None);
        assert_eq!(check(540_000, "", None, Some(360_000)), None);
        assert_eq!(
            check(600_000, "1.5", None, Some(360_000)).unwrap(),
            "the amount 600.000 is not base 360.000 × coefficient 1.5 = 540.000"
        );
        assert!(
            check(1, "x", None, Some(1))
                .unwrap()
                .contains("not a number")
        );
        assert_eq!(check(540_000, "1.5", None, None), None);
    }
}
