//! The documents people read: `report.html` (self-contained, escaped, its
//! figures equal to the manifest's), `reconciliation.xlsx` read back with
//! calamine (its totals equal to the manifest's, text where text belongs),
//! and the terminal summary in Vietnamese.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::{Workdir, manifest};

fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_workbook_adds_up_to_the_manifest() {
    let w = Workdir::new();
    w.run_sample("district-2024-01.csv", "b", &[]);
    let m = manifest(&w.join("b"));
    let book = w.join("b/reconciliation.xlsx");

    let summary = sheet(&book, "Tổng hợp");
    let line = |label: &str| {
        summary
            .iter()
            .find(|r| r[0].to_string().starts_with(label))
            .unwrap_or_else(|| panic!("no line {label}"))
            .clone()
    };
    let paid = line("Được chi trả");
    assert_eq!(number(&paid[1]), m["totals"]["accepted"].as_f64().unwrap());
    assert_eq!(
        number(&paid[2]),
        m["totals"]["accepted_vnd"].as_f64().unwrap()
    );
    let rejected = line("Bị từ chối");
    assert_eq!(
        number(&rejected[1]),
        m["totals"]["rejected"].as_f64().unwrap()
    );
    assert_eq!(line("Kiểm tra: tệp ngân hàng")[1].to_string(), "Khớp / OK");

    // One line per bank file, with its message id, and a total.
    let banks = sheet(&book, "Ngân hàng");
    let files: Vec<&serde_json::Value> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "pain.001")
        .collect();
    assert_eq!(banks.len(), files.len() + 2);
    for (row, f) in banks[1..].iter().zip(&files) {
        assert_eq!(row[0].to_string(), f["bank_bin"].as_str().unwrap());
        assert_eq!(number(&row[2]), f["transactions"].as_f64().unwrap());
        assert_eq!(number(&row[3]), f["total_vnd"].as_f64().unwrap());
        assert_eq!(row[4].to_string(), f["path"].as_str().unwrap());
        assert_eq!(row[5].to_string(), f["message_id"].as_str().unwrap());
    }
    let total = banks.last().unwrap();
    assert_eq!(
        number(&total[3]),
        m["totals"]["accepted_vnd"].as_f64().unwrap()
    );

    // Paid rows: all of them, accounts as text (leading zeros kept).
    let accepted = sheet(&book, "Được chi trả");
    assert_eq!(
        accepted.len() - 1,
        m["totals"]["accepted"].as_u64().unwrap() as usize
    );
    let sum: f64 = accepted[1..].iter().map(|r| number(&r[6])).sum();
    assert_eq!(sum, m["totals"]["accepted_vnd"].as_f64().unwrap());
    assert!(
        accepted[1..]
            .iter()
            .all(|r| matches!(r[5], Data::String(_)))
    );
    let rejected = sheet(&book, "Bị từ chối");
    assert_eq!(
        rejected.len() - 1,
        m["totals"]["rejected"].as_u64().unwrap() as usize
    );
}

#[test]
fn hostile_names_are_text_in_every_report() {
    let w = Workdir::new();
    let list = "STT,Họ và tên,Số CCCD,Số tiền,Số tài khoản,Ngân hàng\n\
        1,<script>alert('x')</script> & Co,019148001234,360000,8507205123456,Agribank\n\
        2,\"=HYPERLINK(\"\"http://x\"\")\",019148001235,360000,8507205123457,Agribank\n\
        3,Trần Thị Bình,019148001236,360000,8507205123458,<b>Agribank</b>\n";
    w.write("list.csv", list);
    w.ok(&["run", "list.csv", "--period", "2024-01", "--out", "b"]);
    let html = w.read("b/report.html");
    assert!(
        !html.contains("<script"),
        "a <script> element reached the page"
    );
    assert!(!html.contains("<b>Agribank"));
    assert!(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; Co"));
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;)"));
    // Self-contained: nothing fetched from anywhere.
    for marker in ["http://", "https://", "src=", "@import", "url("] {
        let outside = html
            .replace("http://www.w3.org/2000/svg", "")
            .replace("http://x", "");
        assert!(!outside.contains(marker), "the page refers to `{marker}`");
    }
    // In the workbook the formula is a string cell, not a formula.
    let rejected = sheet(&w.join("b/reconciliation.xlsx"), "Bị từ chối");
    let names: Vec<String> = rejected.iter().map(|r| r[1].to_string()).collect();
    assert!(
        names.iter().any(|n| n == "=HYPERLINK(\"http://x\")"),
        "{names:?}"
    );
}

#[test]
fn the_summary_speaks_vietnamese_when_asked() {
    let w = Workdir::new();
    let out = w.run_sample("every-rule.csv", "batch", &["--lang", "vi"]);
    insta::assert_snapshot!("summary_vi", out.stdout);
}
