//! A seeded generator of synthetic beneficiary lists: realistic Vietnamese
//! names, citizen IDs consistent with birth dates, categories and
//! coefficients from the decrees, an Agribank-heavy bank mix with account
//! numbers that follow each bank's rule. The same seed always gives the
//! same file, so samples and benchmark inputs can be made again anywhere.
//!
//! No real person is in it: names are drawn from common parts, IDs and
//! accounts are random digits.

use std::collections::HashSet;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::period::Period;

const SURNAMES: [(&str, u32); 16] = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Ma", 2),
    ("Hà", 3),
    ("Lương", 2),
];
const MIDDLE_MALE: [&str; 8] = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Đình"];
const MIDDLE_FEMALE: [&str; 6] = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu"];
const GIVEN_MALE: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quý",
    "Sơn", "Thắng", "Tuấn", "Việt",
];
const GIVEN_FEMALE: [&str; 16] = [
    "Hoa",
    "Hằng",
    "Hương",
    "Lan",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phượng",
    "Thảo",
    "Thủy",
    "Hòa",
    "Tâm",
    "Xuân",
    "Yến",
    "Loan",
];
const COMMUNES: [&str; 14] = [
    "Thị trấn Đu",
    "Thị trấn Giang Tiên",
    "Xã Yên Ninh",
    "Xã Yên Trạch",
    "Xã Yên Đổ",
    "Xã Yên Lạc",
    "Xã Ôn Lương",
    "Xã Động Đạt",
    "Xã Phủ Lý",
    "Xã Phú Đô",
    "Xã Hợp Thành",
    "Xã Tức Tranh",
    "Xã Phấn Mễ",
    "Xã Vô Tranh",
];

/// A category of beneficiary: name, coefficient (thousandths), age range at
/// the period, weight in the caseload. A row's age in the paid month is
/// its range's draw or one more, so each range ends a year inside the band
/// its coefficient is paid for (Decree 20/2021 Art. 6).
struct Category {
    name: &'static str,
    coefficient: u32,
    ages: (i32, i32),
    weight: u32,
}

const CATEGORIES: [Category; 8] = [
    Category {
        name: "Người cao tuổi từ đủ 80 tuổi trở lên",
        coefficient: 1000,
        ages: (80, 99),
        weight: 20,
    },
    Category {
        name: "Người cao tuổi từ 60 đến 80 tuổi thuộc hộ nghèo",
        coefficient: 1500,
        ages: (60, 78),
        weight: 14,
    },
    Category {
        name: "Người khuyết tật nặng",
        coefficient: 1500,
        ages: (18, 58),
        weight: 26,
    },
    Category {
        name: "Người khuyết tật đặc biệt nặng",
        coefficient: 2000,
        ages: (18, 58),
        weight: 17,
    },
    Category {
        name: "Trẻ em khuyết tật đặc biệt nặng",
        coefficient: 2500,
        ages: (2, 14),
        weight: 7,
    },
    Category {
        name: "Trẻ em mồ côi dưới 4 tuổi",
        coefficient: 2500,
        ages: (0, 2),
        weight: 2,
    },
    Category {
        name: "Người đơn thân nghèo đang nuôi con",
        coefficient: 1000,
        ages: (22, 50),
        weight: 8,
    },
    Category {
        name: "Người cao tuổi được nhận chăm sóc tại cộng đồng",
        coefficient: 3000,
        ages: (60, 95),
        weight: 6,
    },
];

/// A bank of the mix: how the cell is written (several spellings), how
/// account numbers look, weight.
struct BankMix {
    spellings: &'static [&'static str],
    prefix: &'static str,
    lengths: &'static [usize],
    weight: u32,
}

const BANKS: [BankMix; 8] = [
    BankMix {
        spellings: &[
            "Agribank",
            "Agribank",
            "Agribank",
            "NHNo&PTNT Phú Lương",
            "970405",
        ],
        prefix: "8507",
        lengths: &[13],
        weight: 805,
    },
    BankMix {
        spellings: &["VietinBank", "Vietinbank CN Phú Lương"],
        prefix: "10",
        lengths: &[12],
        weight: 60,
    },
    BankMix {
        spellings: &["BIDV", "BIDV Phú Lương"],
        prefix: "39",
        lengths: &[14],
        weight: 50,
    },
    BankMix {
        spellings: &["Vietcombank", "VCB"],
        prefix: "",
        lengths: &[10, 13],
        weight: 35,
    },
    BankMix {
        spellings: &["NHCSXH"],
        prefix: "",
        lengths: &[13],
        weight: 20,
    },
    BankMix {
        spellings: &["LPBank"],
        prefix: "",
        lengths: &[12],
        weight: 12,
    },
    BankMix {
        spellings: &["MB", "MBBank"],
        prefix: "",
        lengths: &[10, 13],
        weight: 12,
    },
    BankMix {
        spellings: &["Techcombank"],
        prefix: "19",
        lengths: &[14],
        weight: 6,
    },
];

/// The header of generated lists, as a labour office writes it.
pub const HEADER: [&str; 13] = [
    "STT",
    "Mã đối tượng",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Xã/Phường",
    "Đối tượng",
    "Hệ số",
    "Số tiền",
    "Số tài khoản",
    "Ngân hàng",
    "Ghi chú",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Number of beneficiary rows.
    pub rows: usize,
    /// Random seed.
    pub seed: u64,
    /// The paid month (sets ages and the base level).
    pub period: Period,
    /// Base level in đồng.
    pub base: i64,
    /// Province code of the district (3 digits).
    pub province: &'static str,
    /// Rows per million that carry a defect a rule should catch.
    pub defects_per_million: u32,
}

impl Spec {
    /// A clean list for the shipped district's month: January 2024 (base
    /// level 360,000 đ), province 019, no planted defects. Samples, tests
    /// and benchmarks change what they need with `..Spec::district(..)`.
    pub fn district(rows: usize, seed: u64) -> Spec {
        Spec {
            rows,
            seed,
            period: Period::new(2024, 1).expect("a valid month"),
            base: 360_000,
            province: "019",
            defects_per_million: 0,
        }
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut x = rng.random_range(0..total);
    for item in items {
        let w = weight(item);
        if x < w {
            return item;
        }
        x -= w;
    }
    unreachable!("weights add up")
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// One generated row, as cells in `HEADER` order.
fn row(rng: &mut ChaCha8Rng, spec: &Spec, seq: usize, ids: &mut HashSet<String>) -> [String; 13] {
    let category = pick(rng, &CATEGORIES, |c| c.weight);
    let female = rng.random_bool(0.55);
    let surname = pick(rng, &SURNAMES, |s| s.1).0;
    let (middle, given) = if female {
        (
            MIDDLE_FEMALE[rng.random_range(0..MIDDLE_FEMALE.len())],
            GIVEN_FEMALE[rng.random_range(0..GIVEN_FEMALE.len())],
        )
    } else {
        (
            MIDDLE_MALE[rng.random_range(0..MIDDLE_MALE.len())],
            GIVEN_MALE[rng.random_range(0..GIVEN_MALE.len())],
        )
    };
    let year =
        spec.period.first_day().year() - rng.random_range(category.ages.0..=category.ages.1) - 1;
    let birth = NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), rng.random_range(1..=28))
        .expect("valid day");
    let citizen_id = loop {
        let century = (year / 100 - 19) as u32 * 2 + u32::from(female);
        let id = format!(
            "{}{century}{:02}{}",
            spec.province,
            year % 100,
            digits(rng, 6)
        );
        if ids.insert(id.clone()) {
            break id;
        }
    };
    let bank = pick(rng, &BANKS, |b| b.weight);
    let len = bank.lengths[rng.random_range(0..bank.lengths.len())];
    let account = format!("{}{}", bank.prefix, digits(rng, len - bank.prefix.len()));
    let monthly = spec.base * i64::from(category.coefficient) / 1000;
    let (amount, note) = if rng.random_ratio(1, 100) {
        (monthly * 2, "Truy lĩnh 01 tháng")
    } else {
        (monthly, "")
    };
    let commune = COMMUNES[rng.random_range(0..COMMUNES.len())];
    [
        seq.to_string(),
        format!("PL{:07}", seq),
        format!("{surname} {middle} {given}"),
        birth.format("%d/%m/%Y").to_string(),
        if female { "Nữ" } else { "Nam" }.to_owned(),
        citizen_id,
        commune.to_owned(),
        category.name.to_owned(),
        crate::cells::format_coefficient(category.coefficient),
        amount.to_string(),
        account,
        bank.spellings[rng.random_range(0..bank.spellings.len())].to_owned(),
        note.to_owned(),
    ]
}

/// Damages a row the way real lists are damaged, so that one rule fires.
fn damage(rng: &mut ChaCha8Rng, cells: &mut [String; 13], previous: &[String; 13]) {
    match rng.random_range(0..8) {
        0 => cells[11] = "Ngân hàng Sao Mai".to_owned(),
        1 => cells[10] = format!("{}E+12", &cells[10][..1]).replacen("E", ".23457E", 1),
        2 => cells[10].truncate(cells[10].len() - 1),
        3 => cells[2].clear(),
        4 => cells[9] = format!("{}.5", cells[9]),
        5 => cells[5] = cells[5][1..].to_owned(),
        // The same person listed twice, with another account.
        6 => cells[2..=5].clone_from_slice(&previous[2..=5]),
        _ => cells[9] = "0".to_owned(),
    }
    cells[12] = String::new();
}

/// Writes a list of `spec.rows` rows as CSV (UTF-8 with BOM, as Excel saves).
pub fn write_csv(out: &mut dyn Write, spec: &Spec) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut ids = HashSet::with_capacity(spec.rows);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    let mut previous: Option<[String; 13]> = None;
    for seq in 1..=spec.rows {
        let mut cells = row(&mut rng, spec, seq, &mut ids);
        if let Some(prev) = &previous
            && spec.defects_per_million > 0
            && rng.random_ratio(spec.defects_per_million, 1_000_000)
        {
            damage(&mut rng, &mut cells, prev);
        }
        w.write_record(&cells)?;
        previous = Some(cells);
    }
    w.flush()?;
    Ok(())
}

/// The rows of the every-rule list, one a line, cells between commas (no
/// cell holds one); the last cell says what the row shows.
const EVERY_RULE: &str = "\
1,PL0000001,Nguyễn Thị Hoa,07/03/1938,Nữ,019138001234,Xã Yên Ninh,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360.000,8507205123456,Agribank,accepted\n\
2,PL0000002,Trần Văn Dũng,12/11/1975,Nam,019075004321,Xã Yên Ninh,Người khuyết tật đặc biệt nặng,2.0,720000,1012345678,VCB,accepted\n\
3,PL0000003,Lê Văn Tám,01/01/1980,Nam,019080000003,Xã Ôn Lương,Người khuyết tật nặng,1.5,540000,8507205000003,Ngân hàng Sao Mai,UNKNOWN_BANK\n\
4,PL0000004,Phạm Thị Lan,02/02/1934,Nữ,019134000004,Xã Ôn Lương,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8.50721E+12,Agribank,BAD_ACCOUNT (Excel damage)\n\
5,PL0000005,Hoàng Văn Nam,03/03/1985,Nam,019085000005,Xã Phủ Lý,Người khuyết tật nặng,1.5,540000,850720500005,Agribank,BAD_ACCOUNT (12 digits at Agribank)\n\
6,PL0000006,,04/04/1940,Nữ,019140000006,Xã Phủ Lý,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205000006,Agribank,MISSING_NAME\n\
7,PL0000007,Vũ Thị Mai,05/05/1941,Nữ,019141000007,Xã Phú Đô,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000.5,8507205000007,Agribank,BAD_AMOUNT\n\
8,PL0000008,Đặng Văn Đức,06/06/1982,Nam,19082000008,Xã Phú Đô,Người khuyết tật nặng,1.5,540000,8507205000008,Agribank,BAD_CITIZEN_ID (leading 0 lost)\n\
9,PL0000009,Bùi Thị Thủy,07/07/1978,Nữ,019178000009,Xã Hợp Thành,Người khuyết tật nặng,1.5,540000,8507205000009,Agribank,DUPLICATE_BENEFICIARY\n\
10,PL0000010,Bùi Thị Thuỷ,07/07/1978,Nữ,019178000009,Xã Hợp Thành,Người khuyết tật nặng,1.5,540000,8507205000010,Agribank,DUPLICATE_BENEFICIARY\n\
11,PL0000011,Đỗ Minh Khánh,08/08/2012,Nam,019212000011,Xã Tức Tranh,Trẻ em khuyết tật đặc biệt nặng,2.5,900000,101000000011,VietinBank,SHARED_ACCOUNT (guardian)\n\
12,PL0000012,Đỗ Thị Ngọc,09/09/2014,Nữ,019314000012,Xã Tức Tranh,Trẻ em khuyết tật đặc biệt nặng,2.5,900000,101000000011,Vietinbank CN Phú Lương,SHARED_ACCOUNT (guardian)\n\
13,PL0000013,Hồ Văn Hải,10/10/1972,Nam,019072000013,Xã Phấn Mễ,Người khuyết tật nặng,1.5,600000,39100000000013,BIDV,AMOUNT_MISMATCH\n\
14,PL0000014,Ngô Thị Nga,31/02/1970,Nữ,019170000014,Xã Phấn Mễ,Người khuyết tật nặng,1.5,540000,8507205000014,Agribank,BAD_BIRTH_DATE\n\
15,PL0000015,=HYPERLINK(\"http://example.invalid\"),11/11/1935,Nam,019035000015,Xã Vô Tranh,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205000015,Agribank,formula neutralised in the listings\n\
16,PL0000016,Dương Văn Long,12/12/2019,Nam,019219000016,Xã Vô Tranh,Trẻ em mồ côi dưới 4 tuổi,2.5,900000,8507205000016,Agribank,COEFFICIENT_MISMATCH (4 since December)";

/// A small list in which every rule fires at least once, each next to rows
/// that pass. Used by the tests and shipped as `sample_batches/every_rule.csv`.
pub fn write_every_rule(out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<Vec<&str>> = EVERY_RULE.lines().map(|l| l.split(',').collect()).collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(HEADER.iter().chain(&["Loại chi trả"]))?;
    for r in &rows {
        w.write_record(r.iter().chain(&[""]))?;
    }
    // Arrears paid separately from the same person's monthly allowance, and
    // a payment type the office's configuration does not know.
    let mut arrears = rows[0].clone();
    arrears[0] = "17";
    arrears[9] = "720000";
    arrears[12] = "separate arrears payment, accepted";
    w.write_record(arrears.iter().chain(&["Truy lĩnh"]))?;
    let mut unknown = rows[1].clone();
    unknown[0] = "18";
    unknown[12] = "UNKNOWN_PAYMENT_TYPE";
    w.write_record(unknown.iter().chain(&["Quà Tết"]))?;
    w.flush()?;
    // A row whose amount was typed with an unquoted thousands separator:
    // more cells than the header (MALFORMED_ROW).
    let inner = w.into_inner().map_err(|e| e.into_error())?;
    inner.write_all(
        "19,PL0000019,Lý Thị Yến,01/05/1937,Nữ,019137000019,Xã Vô Tranh,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360,000,8507205000019,Agribank,MALFORMED_ROW,\n"
            .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(rows: usize, seed: u64) -> Spec {
        Spec::district(rows, seed)
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        write_csv(&mut a, &spec(200, 7)).unwrap();
        write_csv(&mut b, &spec(200, 7)).unwrap();
        write_csv(&mut c, &spec(200, 8)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
