//! Property: any list of rows written as CSV (UTF-8, UTF-8 with BOM,
//! UTF-16, Windows-1258) or as an xlsx workbook reads back as the same rows:
//! it guards the readers against losing or changing a cell on the way in.

mod common;

use common::to_windows_1258;
use disburse::ingest::{Encoding, ReadOptions, read_bytes};
use disburse::reference::{Field, Reference};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const HEADER: [&str; 5] = ["name", "account_number", "bank", "amount", "note"];

fn text() -> impl Strategy<Value = String> {
    // Vietnamese letters in both cases, digits, spaces and CSV-hostile
    // punctuation (delimiters, quotes, a line break).
    proptest::string::string_regex("[a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐÂÊÔƠƯ0-9 ,;\"'\n-]{0,24}")
        .unwrap()
        .prop_map(|s| s.trim().nfc().collect::<String>())
}

fn row() -> impl Strategy<Value = [String; 5]> {
    (text(), "[0-9]{6,19}", text(), "[1-9][0-9]{0,8}", text())
        .prop_map(|(name, account, bank, amount, note)| [name, account, bank, amount, note])
}

fn csv_text(rows: &[[String; 5]]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn xlsx(rows: &[[String; 5]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn read_back(name: &str, bytes: &[u8], encoding: Option<Encoding>) -> Vec<[String; 5]> {
    let reference = Reference::builtin().unwrap();
    let options = ReadOptions {
        encoding,
        ..ReadOptions::default()
    };
    let table = read_bytes(name, bytes, &reference.columns, &options).unwrap();
    let fields = [
        Field::Name,
        Field::AccountNumber,
        Field::Bank,
        Field::Amount,
        Field::Note,
    ];
    (0..table.height())
        .filter(|i| !table.is_blank(*i))
        .map(|i| fields.map(|f| table.get(f, i).to_owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_format_reads_back_the_same_rows(rows in proptest::collection::vec(row(), 1..12)) {
        let text = csv_text(&rows);
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        // An 8-bit list is told from its font encodings by how Vietnamese
        // its words look, and random letters look Vietnamese in none of
        // them: the Windows-1258 round trip names its encoding, as an
        // office does with `--encoding` (`tests/encodings.rs` checks that
        // real lists are recognised).
        for (name, bytes, encoding) in [
            ("utf8.csv", text.as_bytes().to_vec(), None),
            ("bom.csv", with_bom, None),
            ("utf16.csv", utf16, None),
            ("cp1258.csv", to_windows_1258(&text), Some(Encoding::Windows1258)),
            ("list.xlsx", xlsx(&rows), None),
        ] {
            prop_assert_eq!(&read_back(name, &bytes, encoding), &rows, "{}", name);
        }
    }
}

/// Detection, where it can tell: a real name, and a lone letter (which is
/// no syllable in any decoding, so the code page is kept).
#[test]
fn a_windows_1258_list_is_recognised_without_being_named() {
    for rows in [
        [["Nguyễn Thị Hoà", "000000", "Ngân hàng", "1", "Truy lĩnh"]],
        [["", "000000", "ế", "1", ""]],
    ] {
        let rows: Vec<[String; 5]> = rows
            .iter()
            .map(|r| r.map(|c| c.nfc().collect::<String>()))
            .collect();
        let bytes = to_windows_1258(&csv_text(&rows));
        assert_eq!(read_back("cp1258.csv", &bytes, None), rows);
    }
}
