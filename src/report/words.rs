//! Amounts in Vietnamese words, as treasury forms write the total ("Tổng số
//! tiền bằng chữ"): "Hai tỷ một trăm năm mươi hai triệu chín trăm tám mươi
//! nghìn đồng chẵn".
//!
//! Groups of three digits are read with their unit (nghìn, triệu, tỷ; past
//! a thousand billion the units repeat: nghìn tỷ, triệu tỷ). Inside a
//! group: `không trăm` for a zero hundred after a higher group, `linh` for
//! a zero ten before a unit (105: một trăm linh năm), `mười` for ten,
//! `mươi` after two to nine tens, `mốt` for a one after them (21: hai mươi
//! mốt), `tư` for a four after them (24: hai mươi tư), `lăm` for a five
//! after any ten (15: mười lăm, 25: hai mươi lăm). A group of zeros is not
//! read. An amount of whole thousands ends `đồng chẵn`.

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// A three-digit group; `full` when a higher group was read before it (so
/// its hundreds and tens are said even when zero).
fn group(n: u32, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    if h > 0 || full {
        out.push(DIGITS[h]);
        out.push("trăm");
    }
    match (t, u) {
        (0, 0) => {}
        (0, u) => {
            if h > 0 || full {
                out.push("linh");
            }
            out.push(DIGITS[u]);
        }
        (1, u) => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                u => out.push(DIGITS[u]),
            }
        }
        (t, u) => {
            out.push(DIGITS[t]);
            out.push("mươi");
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                u => out.push(DIGITS[u]),
            }
        }
    }
}

/// The words of an amount below a billion: its groups of millions,
/// thousands and units, each with its unit, zero groups not read; `full`
/// when a higher part was read before it.
fn below_billion(n: u64, mut full: bool, out: &mut Vec<&'static str>) {
    for (divisor, unit) in [
        (1_000_000, Some("triệu")),
        (1_000, Some("nghìn")),
        (1, None),
    ] {
        let g = ((n / divisor) % 1000) as u32;
        if g == 0 {
            continue;
        }
        group(g, full, out);
        out.extend(unit);
        full = true;
    }
}

/// The words of an amount: the billions read as a number of their own
/// before `tỷ` (3,004 billion: ba nghìn không trăm linh bốn tỷ), then the
/// rest.
fn read(n: u64, full: bool, out: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        read(n / BILLION, full, out);
        out.push("tỷ");
        below_billion(n % BILLION, true, out);
    } else {
        below_billion(n, full, out);
    }
}

/// The words of a non-negative amount, without the currency.
pub fn number_in_words(amount: u64) -> String {
    if amount == 0 {
        return DIGITS[0].to_owned();
    }
    let mut words = Vec::new();
    read(amount, false, &mut words);
    words.join(" ")
}

/// An amount in đồng as a form writes it, capitalised: "Một triệu đồng
/// chẵn".
pub fn vnd_in_words(amount: i64) -> String {
    let mut text = String::new();
    if amount < 0 {
        text.push_str("âm ");
    }
    text.push_str(&number_in_words(amount.unsigned_abs()));
    text.push_str(" đồng");
    if amount % 1000 == 0 {
        text.push_str(" chẵn");
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_cases_read_as_a_treasury_form_writes_them() {
        let cases: &[(i64, &str)] = &[
            (0, "Không đồng chẵn"),
            (5, "Năm đồng"),
            (10, "Mười đồng"),
            (11, "Mười một đồng"),
            (14, "Mười bốn đồng"),
            (15, "Mười lăm đồng"),
            (20, "Hai mươi đồng"),
            (21, "Hai mươi mốt đồng"),
            (24, "Hai mươi tư đồng"),
            (25, "Hai mươi lăm đồng"),
            (101, "Một trăm linh một đồng"),
            (105, "Một trăm linh năm đồng"),
            (110, "Một trăm mười đồng"),
            (115, "Một trăm mười lăm đồng"),
            (1_000, "Một nghìn đồng chẵn"),
            (1_005, "Một nghìn không trăm linh năm đồng"),
            (1_015, "Một nghìn không trăm mười lăm đồng"),
            (1_050, "Một nghìn không trăm năm mươi đồng"),
            (10_000, "Mười nghìn đồng chẵn"),
            (15_000, "Mười lăm nghìn đồng chẵn"),
            (21_000, "Hai mươi mốt nghìn đồng chẵn"),
            (105_000, "Một trăm linh năm nghìn đồng chẵn"),
            (360_000, "Ba trăm sáu mươi nghìn đồng chẵn"),
            (540_000, "Năm trăm bốn mươi nghìn đồng chẵn"),
            (1_000_000, "Một triệu đồng chẵn"),
            (1_000_500, "Một triệu năm trăm đồng"),
            (1_080_000, "Một triệu không trăm tám mươi nghìn đồng chẵn"),
            (
                1_200_005,
                "Một triệu hai trăm nghìn không trăm linh năm đồng",
            ),
            (
                2_152_980_000,
                "Hai tỷ một trăm năm mươi hai triệu chín trăm tám mươi nghìn đồng chẵn",
            ),
            (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
            (5_000_000_000, "Năm tỷ đồng chẵn"),
            (1_000_000_000_000_000, "Một triệu tỷ đồng chẵn"),
            (
                i64::MAX,
                "Chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ tám trăm năm mươi tư triệu bảy trăm bảy mươi lăm nghìn tám trăm linh bảy đồng",
            ),
            (1_000_000_000_000, "Một nghìn tỷ đồng chẵn"),
            (
                3_004_000_021_000,
                "Ba nghìn không trăm linh bốn tỷ không trăm hai mươi mốt nghìn đồng chẵn",
            ),
        ];
        for &(amount, words) in cases {
            assert_eq!(vnd_in_words(amount), words, "{amount}");
        }
    }
}
