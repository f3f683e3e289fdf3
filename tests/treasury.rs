//! Mẫu 09, the payment table the treasury checks against the withdrawal
//! form: read back with calamine, it has one line per payment, each bank's
//! subtotal equal to that bank's file, and a total equal to the accepted
//! total, written in figures and in Vietnamese words; the printable page
//! says the same.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::Workdir;

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn mau_09_lists_every_payment_and_adds_up_to_the_bank_files() {
    let w = Workdir::new();
    w.run_sample("district-2024-01.csv", "out", &[]);
    let manifest = common::manifest(&w.join("out"));
    let accepted = manifest["totals"]["accepted"].as_u64().unwrap();
    let accepted_vnd = manifest["totals"]["accepted_vnd"].as_i64().unwrap();
    let kinds: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"mau-09") && kinds.contains(&"mau-09-page"),
        "{kinds:?}"
    );

    let mut book = open_workbook_auto(w.join("out/treasury/mau-09.xlsx")).unwrap();
    let sheet = book.worksheet_range("Mẫu 09").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(text).collect()).collect();
    assert!(rows[0][0].starts_with("Đơn vị: "), "{:?}", rows[0]);
    assert_eq!(rows[0][5], "Mẫu số 09");
    assert!(rows.iter().any(|r| {
        r.iter()
            .any(|c| c == "BẢNG THANH TOÁN CHO ĐỐI TƯỢNG THỤ HƯỞNG")
    }));
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c == "Tháng 01 năm 2024"))
    );
    // Payment lines: a number in STT; accounts are text.
    let header = rows.iter().position(|r| r[0] == "STT").unwrap();
    let lines: Vec<&Vec<String>> = rows[header + 1..]
        .iter()
        .filter(|r| r[0].parse::<u64>().is_ok())
        .collect();
    assert_eq!(lines.len() as u64, accepted);
    assert_eq!(lines.last().unwrap()[0], accepted.to_string());
    let range_start = sheet.start().unwrap().0 as usize;
    let account_cell = sheet
        .get_value(((header + 1 + range_start) as u32, 2))
        .unwrap();
    assert!(matches!(account_cell, Data::String(_)), "{account_cell:?}");
    let sum: i64 = lines
        .iter()
        .map(|r| r[4].parse::<f64>().unwrap() as i64)
        .sum();
    assert_eq!(sum, accepted_vnd);
    // Each bank's subtotal is its file's.
    for f in manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "pain.001")
    {
        let bin = f["bank_bin"].as_str().unwrap();
        let subtotal = rows
            .iter()
            .find(|r| {
                r[1].starts_with("Cộng ")
                    && f["path"]
                        .as_str()
                        .unwrap()
                        .contains(&r[1]["Cộng ".len()..].replace(' ', "-"))
            })
            .unwrap_or_else(|| panic!("no subtotal for {bin}"));
        assert_eq!(
            subtotal[4].parse::<f64>().unwrap() as i64,
            f["total_vnd"].as_i64().unwrap(),
            "{bin}"
        );
        assert_eq!(
            subtotal[2],
            f["transactions"].as_u64().unwrap().to_string(),
            "{bin}"
        );
    }
    let total = rows.iter().find(|r| r[1] == "Tổng cộng").unwrap();
    assert_eq!(total[4].parse::<f64>().unwrap() as i64, accepted_vnd);
    let words = rows
        .iter()
        .flat_map(|r| r.iter())
        .find(|c| c.starts_with("Tổng số tiền bằng chữ: "))
        .unwrap();
    assert_eq!(
        words,
        "Tổng số tiền bằng chữ: Hai tỷ một trăm năm mươi hai triệu chín trăm tám mươi nghìn đồng chẵn"
    );
    for role in ["Người lập biểu", "Kế toán trưởng", "Thủ trưởng đơn vị"] {
        assert!(rows.iter().any(|r| r.iter().any(|c| c == role)), "{role}");
    }

    let page = w.read("out/treasury/mau-09.html");
    assert_eq!(
        page.matches("<tr><td class=\"num\">").count() as u64,
        accepted
    );
    assert!(page.contains("2.152.980.000 đ"));
    assert!(page.contains("Hai tỷ một trăm năm mươi hai triệu chín trăm tám mươi nghìn đồng chẵn"));
}

#[test]
fn names_reach_the_form_as_text_never_as_markup_or_formulas() {
    let w = Workdir::new();
    w.write(
        "list.csv",
        "STT,Họ và tên,Số CCCD,Đối tượng,Hệ số,Số tiền,Số tài khoản,Ngân hàng\n\
         1,<script>alert(1)</script>,001085012345,Người khuyết tật nặng,1.5,540000,3761012345678,Agribank\n\
         2,=HYPERLINK(\"http://x\"),001085012346,Người khuyết tật nặng,1.5,540000,3761012345679,Agribank\n",
    );
    w.ok(&["run", "list.csv", "--period", "2024-01", "--out", "out"]);
    let page = w.read("out/treasury/mau-09.html");
    assert!(!page.contains("<script>alert"), "markup escaped");
    let mut book = open_workbook_auto(w.join("out/treasury/mau-09.xlsx")).unwrap();
    let sheet = book.worksheet_range("Mẫu 09").unwrap();
    for row in sheet.rows() {
        for cell in row {
            if let Data::String(s) = cell {
                assert!(!s.starts_with('=') || s.starts_with("=HYPERLINK"), "{s}");
            }
        }
    }
    let formulas = book.worksheet_formula("Mẫu 09").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula cells"
    );
}

#[test]
fn a_batch_larger_than_the_form_takes_gets_it_by_bank_and_says_so() {
    let w = Workdir::new();
    let config = std::fs::read_to_string(common::repo_file("schemas/config.default.toml"))
        .unwrap()
        .replace("mau_09_max_lines = 50000", "mau_09_max_lines = 10");
    w.write("office.toml", config);
    w.write("list.csv", common::generated_list(40, 3));
    let out = w.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "out",
    ]);
    assert!(
        out.stdout
            .contains("Mẫu 09 lists each bank's count and total"),
        "{}",
        out.render()
    );
    let manifest = common::manifest(&w.join("out"));
    assert!(
        manifest["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == "MAU_09_BY_BANK"),
        "{manifest}"
    );
    let mut book = open_workbook_auto(w.join("out/treasury/mau-09.xlsx")).unwrap();
    let sheet = book.worksheet_range("Mẫu 09").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(text).collect()).collect();
    assert!(
        rows.iter().all(|r| r[0].parse::<u64>().is_err()),
        "no payment line"
    );
    assert!(
        rows.iter()
            .any(|r| r[1].starts_with("Danh sách ") && r[1].contains("accepted.csv"))
    );
    let total = rows.iter().find(|r| r[1] == "Tổng cộng").unwrap();
    assert_eq!(
        total[4].parse::<f64>().unwrap() as i64,
        manifest["totals"]["accepted_vnd"].as_i64().unwrap()
    );
    assert_eq!(
        total[2],
        manifest["totals"]["accepted"].as_u64().unwrap().to_string()
    );
    let page = w.read("out/treasury/mau-09.html");
    assert_eq!(page.matches("<tr><td class=\"num\">").count(), 0);
    assert!(page.contains("data-field=\"lines_elsewhere\""));
}
