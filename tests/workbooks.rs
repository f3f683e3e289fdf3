//! Lists as offices keep them in Excel: title rows, a two-row header with
//! merged cells, a row of column numbers, date and number cells, a totals
//! row and signatures. The same data as a clean CSV must pay the same: it
//! guards against an office layout changing who is paid or how much.

mod common;

use common::{Workdir, csv_records, manifest, strip_ids};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A clean generated list: header and rows.
fn list(rows: usize) -> Vec<Vec<String>> {
    let out = common::generated_list(rows, 21);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&out[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn write_csv(w: &Workdir, name: &str, rows: &[Vec<String>]) {
    let mut out = csv::Writer::from_writer(Vec::new());
    for r in rows {
        out.write_record(r).unwrap();
    }
    w.write(name, out.into_inner().unwrap());
}

/// Options for the workbook's layout.
#[derive(Default)]
struct Layout {
    declared_offset: i64,
    after_totals: Option<Vec<String>>,
    numeric_account_row: Option<(usize, f64)>,
    second_sheet: bool,
}

/// The office's workbook for the same rows.
fn write_workbook(w: &Workdir, name: &str, rows: &[Vec<String>], layout: &Layout) {
    let mut book = Workbook::new();
    if layout.second_sheet {
        book.add_worksheet()
            .set_name("Ghi chú")
            .unwrap()
            .write_string(0, 0, "Xem trang sau")
            .unwrap();
    }
    let ws = book.add_worksheet();
    ws.set_name("Danh sách").unwrap();
    let plain = Format::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(0, 0, "UBND HUYỆN PHÚ LƯƠNG").unwrap();
    ws.write_string(1, 0, "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
        .unwrap();
    ws.write_string(
        2,
        0,
        "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 01/2024 QUA TÀI KHOẢN",
    )
    .unwrap();
    // Header on rows 5-6: "Tài khoản" merged over account number and bank,
    // the other headers merged down over both rows.
    let header = &rows[0];
    for (c, h) in header.iter().enumerate() {
        let c16 = c as u16;
        match c {
            10 => {
                ws.merge_range(4, 10, 4, 11, "Tài khoản", &plain).unwrap();
                ws.write_string(5, 10, "Số tài khoản").unwrap();
            }
            11 => {
                ws.write_string(5, 11, "Ngân hàng").unwrap();
            }
            _ => {
                ws.merge_range(4, c16, 5, c16, h, &plain).unwrap();
            }
        }
        ws.write_string(6, c16, format!("({})", c + 1)).unwrap();
    }
    let mut r = 7u32;
    let mut total: i64 = 0;
    for (i, row) in rows[1..].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            match c {
                0 | 8 | 9 => {
                    ws.write_number(r, c16, v.replace(',', ".").parse::<f64>().unwrap())
                        .unwrap();
                }
                3 => {
                    let d = disburse::cells::parse_date(v).unwrap();
                    use chrono::Datelike;
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .unwrap();
                    ws.write_datetime_with_format(r, c16, &dt, &date).unwrap();
                }
                10 => match layout.numeric_account_row {
                    Some((row, number)) if row == i => {
                        ws.write_number(r, c16, number).unwrap();
                    }
                    _ if !v.starts_with('0') => {
                        ws.write_number(r, c16, v.parse::<f64>().unwrap()).unwrap();
                    }
                    _ => {
                        ws.write_string(r, c16, v).unwrap();
                    }
                },
                _ => {
                    ws.write_string(r, c16, v).unwrap();
                }
            }
        }
        total += row[9].parse::<i64>().unwrap();
        r += 1;
        if i == 4 {
            r += 1; // a blank row inside the data
        }
    }
    ws.write_string(r, 2, "Tổng cộng").unwrap();
    ws.write_string(r, 3, format!("{} người", rows.len() - 1))
        .unwrap();
    ws.write_number(r, 9, (total + layout.declared_offset) as f64)
        .unwrap();
    if let Some(extra) = &layout.after_totals {
        for (c, v) in extra.iter().enumerate() {
            ws.write_string(r + 1, c as u16, v).unwrap();
        }
    }
    ws.write_string(r + 3, 1, "Người lập biểu").unwrap();
    ws.write_string(r + 3, 6, "Kế toán").unwrap();
    ws.write_string(r + 3, 10, "Thủ trưởng đơn vị").unwrap();
    ws.write_string(r + 7, 1, "Nguyễn Thị Lập").unwrap();
    book.save(w.join(name)).unwrap();
}

#[test]
fn a_workbook_pays_exactly_what_the_same_csv_pays() {
    let w = Workdir::new();
    let rows = list(30);
    write_csv(&w, "list.csv", &rows);
    write_workbook(&w, "list.xlsx", &rows, &Layout::default());
    w.ok(&[
        "run", "list.csv", "--period", "2024-01", "--out", "from-csv",
    ]);
    // No --period: the title says THÁNG 01/2024.
    let out = w.ok(&["run", "list.xlsx", "--out", "from-xlsx"]);
    assert!(
        out.stdout.contains("the rows add up to the list's total"),
        "{}",
        out.render()
    );

    let (a, b) = (
        manifest(&w.join("from-csv")),
        manifest(&w.join("from-xlsx")),
    );
    assert_eq!(b["period"], "2024-01");
    assert_eq!(b["input"]["format"], "xlsx");
    assert_eq!(b["input"]["sheet"], "Danh sách");
    assert_eq!(b["input"]["header_row"], 6);
    assert_eq!(a["totals"]["accepted"], b["totals"]["accepted"]);
    assert_eq!(a["totals"]["accepted_vnd"], b["totals"]["accepted_vnd"]);
    assert_eq!(b["totals"]["rows"], 30);
    assert_eq!(b["totals"]["declared_vnd"], a["totals"]["accepted_vnd"]);
    assert_eq!(b["totals"]["declared_rows"], 30);
    let payments = |dir: &str| -> Vec<Vec<String>> {
        csv_records(&w.join(dir).join("accepted.csv"))
            .into_iter()
            .map(|r| r[1..10].to_vec())
            .collect()
    };
    assert_eq!(payments("from-csv"), payments("from-xlsx"));
    // Row numbers are the workbook's: data starts on row 8, a blank row
    // after the fifth beneficiary.
    let rows_seen: Vec<String> = csv_records(&w.join("from-xlsx/accepted.csv"))
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(&rows_seen[..7], ["8", "9", "10", "11", "12", "14", "15"]);
    for f in w.files("from-csv/banks") {
        assert_eq!(
            strip_ids(&w.read(&format!("from-csv/banks/{f}"))),
            strip_ids(&w.read(&format!("from-xlsx/banks/{f}"))),
            "{f}"
        );
    }
}

#[test]
fn a_totals_row_that_disagrees_is_reported_and_refused_when_strict() {
    let w = Workdir::new();
    let rows = list(12);
    write_workbook(
        &w,
        "list.xlsx",
        &rows,
        &Layout {
            declared_offset: 1000,
            ..Layout::default()
        },
    );
    let out = w.ok(&["run", "list.xlsx", "--out", "batch"]);
    assert!(
        out.stdout.contains("WARNING   the rows add up to"),
        "{}",
        out.render()
    );
    assert!(
        out.stdout.contains("difference -1.000 đ"),
        "{}",
        out.render()
    );
    assert!(
        w.read("batch/reconciliation.csv")
            .contains("difference_from_declared,,,,0,-1000")
    );

    let out = w.run(&["run", "list.xlsx", "--out", "strict", "--strict-totals"]);
    assert_eq!(out.code, 8, "{}", out.render());
    assert!(out.stderr.contains("(difference -1000)"), "{}", out.stderr);
    assert!(!w.join("strict").exists());
}

#[test]
fn an_account_stored_as_a_number_is_named_as_excel_damage() {
    let w = Workdir::new();
    let rows = list(6);
    let agribank_row = rows[1..]
        .iter()
        .position(|r| r[11].contains("Agribank") || r[11] == "970405" || r[11].contains("NHNo"))
        .unwrap();
    let lost_zero: f64 = rows[agribank_row + 1][10][1..].parse().unwrap();
    write_workbook(
        &w,
        "list.xlsx",
        &rows,
        &Layout {
            numeric_account_row: Some((agribank_row, lost_zero)),
            ..Layout::default()
        },
    );
    w.ok(&["run", "list.xlsx", "--out", "batch"]);
    let rejected = w.read("batch/rejected.csv");
    assert!(
        rejected.contains("stored as a number in Excel; format the column as text"),
        "{rejected}"
    );
}

#[test]
fn a_beneficiary_below_the_totals_row_refuses_the_file() {
    let w = Workdir::new();
    let rows = list(4);
    let extra = rows[1].clone();
    write_workbook(
        &w,
        "list.xlsx",
        &rows,
        &Layout {
            after_totals: Some(extra),
            ..Layout::default()
        },
    );
    let out = w.run(&["run", "list.xlsx", "--out", "batch"]);
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(
        out.stderr
            .contains("comes after the totals row but looks like a beneficiary"),
        "{}",
        out.stderr
    );
    assert!(!w.join("batch").exists());
}

#[test]
fn the_sheet_is_chosen_by_name_or_number() {
    let w = Workdir::new();
    let rows = list(5);
    write_workbook(
        &w,
        "list.xlsx",
        &rows,
        &Layout {
            second_sheet: true,
            ..Layout::default()
        },
    );
    let out = w.run(&["run", "list.xlsx", "--out", "first"]);
    assert_eq!(
        out.code,
        3,
        "the first sheet holds no list: {}",
        out.render()
    );
    w.ok(&[
        "run",
        "list.xlsx",
        "--out",
        "by-name",
        "--sheet",
        "Danh sách",
    ]);
    w.ok(&["run", "list.xlsx", "--out", "by-number", "--sheet", "2"]);
    let out = w.run(&["run", "list.xlsx", "--out", "none", "--sheet", "Tháng 2"]);
    assert!(
        out.stderr
            .contains("no sheet `Tháng 2`; the sheets are: Ghi chú, Danh sách"),
        "{}",
        out.stderr
    );
}

/// A workbook's bytes with its date system switched to 1904 (Excel for Mac
/// used it; rust_xlsxwriter cannot write it, so the flag is set in the
/// package's `xl/workbook.xml`).
fn with_1904_dates(xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("<workbookPr"), "{text}");
            bytes = text
                .replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn dates_in_the_1904_system_and_error_cells_are_read_as_excel_shows_them() {
    use rust_xlsxwriter::Formula;
    let w = Workdir::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Số CCCD",
        "Số tiền",
        "Số tài khoản",
        "Ngân hàng",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // 1948-03-07 and 1950-11-12 as 1904-system serials (days since
    // 1904-01-01); in the 1900 system the same numbers are four years and a
    // day earlier.
    let serial = |y, m, d| {
        (chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
            - chrono::NaiveDate::from_ymd_opt(1904, 1, 1).unwrap())
        .num_days() as f64
    };
    let rows = [
        (
            1.0,
            "Nguyễn Thị Hoa",
            serial(1948, 3, 7),
            "019148001234",
            "8507205123456",
        ),
        (
            2.0,
            "Trần Văn Dũng",
            serial(1950, 11, 12),
            "019050004321",
            "8507205000002",
        ),
    ];
    for (r, (n, name, born, id, account)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, *n).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number_with_format(r, 2, *born, &date).unwrap();
        ws.write_string(r, 3, *id).unwrap();
        ws.write_string(r, 5, *account).unwrap();
        ws.write_string(r, 6, "Agribank").unwrap();
    }
    ws.write_number(1, 4, 360000.0).unwrap();
    // The second amount is a formula whose cached value is #N/A.
    ws.write_formula(2, 4, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    w.write("mac.xlsx", with_1904_dates(&bytes));
    let out = w.ok(&["run", "mac.xlsx", "--period", "2024-01", "--out", "b"]);
    assert!(
        out.stdout.contains("accepted        1 rows"),
        "{}",
        out.render()
    );
    let accepted = csv_records(&w.join("b/accepted.csv"));
    let born = accepted[0].iter().position(|h| h == "Ngày sinh").unwrap();
    assert_eq!(accepted[1][born], "1948-03-07");
    // The error cell is that row's problem, named, not the file's.
    let rejected = csv_records(&w.join("b/rejected.csv"));
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[1][0], "3");
    assert!(rejected[1][1].contains("BAD_AMOUNT"), "{:?}", rejected[1]);
    assert!(rejected[1][2].contains("#N/A"), "{:?}", rejected[1]);
}

/// A hidden first sheet (a working copy, last month's list) is never paid
/// unless named: the first sheet a person sees is read, and the summary and
/// the report say which.
#[test]
fn a_hidden_sheet_is_passed_over_and_the_sheet_read_is_named() {
    let w = Workdir::new();
    let old = list(3);
    let current = list(5);
    let mut book = Workbook::new();
    for (name, rows, hidden) in [("Tháng trước", &old, true), ("Tháng 1", &current, false)] {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
        if hidden {
            sheet.set_hidden(true);
        }
    }
    book.worksheet_from_index(1).unwrap().set_active(true);
    book.save(w.join("list.xlsx")).unwrap();
    let out = w.ok(&["run", "list.xlsx", "--period", "2024-01", "--out", "b"]);
    assert!(
        out.stdout.contains("list.xlsx, sheet `Tháng 1` (5 rows"),
        "{}",
        out.render()
    );
    assert_eq!(common::manifest(&w.join("b"))["input"]["sheet"], "Tháng 1");
    assert!(
        w.read("b/report.html")
            .contains(r#"<dd data-field="sheet">Tháng 1</dd>"#)
    );
    w.ok(&[
        "run",
        "list.xlsx",
        "--period",
        "2024-01",
        "--out",
        "named",
        "--sheet",
        "Tháng trước",
    ]);
    assert_eq!(common::manifest(&w.join("named"))["input"]["rows"], 3);
}

/// A small workbook with a header, one row, and `extra` cells.
fn tiny_workbook(extra: &[(u32, u16)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Họ và tên", "Số tiền", "Số tài khoản", "Ngân hàng"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Lê Văn An", "540000", "8507205123456", "Agribank"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    for &(row, col) in extra {
        sheet.write_string(row, col, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// Cells at opposite corners of a sheet would make calamine hold all 17
/// billion cells between them: refused, naming the span, before that.
#[test]
fn a_workbook_whose_cells_span_the_whole_sheet_is_refused_before_it_is_held() {
    let w = Workdir::new();
    w.write("ok.xlsx", tiny_workbook(&[]));
    w.ok(&["run", "ok.xlsx", "--period", "2024-01", "--out", "ok"]);
    w.write("corners.xlsx", tiny_workbook(&[(1_048_575, 16_383)]));
    let refused = w.run(&["run", "corners.xlsx", "--period", "2024-01", "--out", "b"]);
    assert_eq!(refused.code, 3, "{}", refused.render());
    assert!(
        refused
            .stderr
            .contains("spans 1048576 rows by 16384 columns"),
        "{}",
        refused.render()
    );
    assert!(!w.join("b").exists());
}

/// A workbook whose parts declare more than a list can take (a zip bomb
/// expands that way) is refused before any part is expanded.
#[test]
fn a_workbook_that_expands_beyond_a_list_is_refused() {
    let mut bytes = tiny_workbook(&[]);
    // The central directory entry of the sheet: its uncompressed size is at
    // offset 24 of the entry, its name at 46.
    let name = b"xl/worksheets/sheet1.xml";
    let at = (0..bytes.len() - 46 - name.len())
        .find(|&i| {
            bytes[i..i + 4] == [0x50, 0x4b, 0x01, 0x02]
                && &bytes[i + 46..i + 46 + name.len()] == name
        })
        .expect("the sheet's central directory entry");
    bytes[at + 24..at + 28].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let w = Workdir::new();
    w.write("bomb.xlsx", bytes);
    let refused = w.run(&["run", "bomb.xlsx", "--period", "2024-01", "--out", "b"]);
    assert_eq!(refused.code, 3, "{}", refused.render());
    assert!(
        refused.stderr.contains("the workbook expands to 2048 MiB"),
        "{}",
        refused.render()
    );
}

/// A cell reference too long for calamine's arithmetic (it panics on one in
/// a debug build, found by tests/fuzz.rs) refuses the file as damaged; it
/// never ends the process with a panic.
#[test]
fn a_cell_reference_beyond_any_sheet_refuses_the_file() {
    use std::io::{Read, Write};
    let xlsx = tiny_workbook(&[]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("r=\"A2\""), "{text}");
            bytes = text
                .replacen("r=\"A2\"", "r=\"AAAAAAAAAAAAAAAA2\"", 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    let w = Workdir::new();
    w.write("long-ref.xlsx", out.finish().unwrap().into_inner());
    let outcome = w.run(&["run", "long-ref.xlsx", "--period", "2024-01", "--out", "b"]);
    assert_eq!(outcome.code, 3, "{}", outcome.render());
    assert!(
        outcome.stderr.contains("long-ref.xlsx"),
        "{}",
        outcome.render()
    );
    assert!(!w.join("b").exists());
}
