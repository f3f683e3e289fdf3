//! `disburse run` end to end: the shipped samples, the files a batch holds,
//! how it refuses what it cannot use, and byte-identical reruns.

mod common;

use common::{Workdir, csv_records, generated_list, manifest, repo_file};
use sha2::{Digest, Sha256};

#[test]
fn the_district_sample_adds_up_and_every_file_matches_its_manifest() {
    let w = Workdir::new();
    w.run_sample("district-2024-01.csv", "batch", &[]);
    let dir = w.join("batch");
    let m = manifest(&dir);
    let t = &m["totals"];
    assert_eq!(m["input"]["rows"], 3631);
    assert_eq!(t["rows"], 3631);
    let accepted = t["accepted"].as_u64().unwrap();
    let rejected = t["rejected"].as_u64().unwrap();
    assert_eq!(accepted + rejected, 3631);
    assert!(rejected > 0, "the sample carries defects");

    // The listings hold exactly one line per row, and every row is in one.
    let acc = csv_records(&dir.join("accepted.csv"));
    let rej = csv_records(&dir.join("rejected.csv"));
    assert_eq!(acc.len() as u64 - 1, accepted);
    assert_eq!(rej.len() as u64 - 1, rejected);
    let mut rows: Vec<u32> = acc[1..]
        .iter()
        .chain(&rej[1..])
        .map(|r| r[0].parse().unwrap())
        .collect();
    rows.sort_unstable();
    assert_eq!(rows, (2..=3632).collect::<Vec<u32>>());

    // Bank files: control sums are the sums of their transactions, and the
    // files add up to the accepted amount.
    let mut files_total = 0;
    let mut files_count = 0;
    for f in m["files"].as_array().unwrap() {
        let path = dir.join(f["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            f["sha256"].as_str().unwrap()
        );
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap());
        if f["kind"] == "pain.001" {
            let xml = String::from_utf8(bytes).unwrap();
            let amounts: Vec<i64> = xml
                .split("<InstdAmt Ccy=\"VND\">")
                .skip(1)
                .map(|s| s.split('<').next().unwrap().parse().unwrap())
                .collect();
            let sum: i64 = amounts.iter().sum();
            assert_eq!(sum, f["total_vnd"].as_i64().unwrap());
            assert_eq!(amounts.len() as u64, f["transactions"].as_u64().unwrap());
            assert_eq!(xml.matches(&format!("<CtrlSum>{sum}</CtrlSum>")).count(), 2);
            assert_eq!(
                xml.matches(&format!("<NbOfTxs>{}</NbOfTxs>", amounts.len()))
                    .count(),
                2
            );
            files_total += sum;
            files_count += amounts.len() as u64;
        }
    }
    assert_eq!(files_total, t["accepted_vnd"].as_i64().unwrap());
    assert_eq!(files_count, accepted);
    let amounts: i64 = acc[1..].iter().map(|r| r[7].parse::<i64>().unwrap()).sum();
    assert_eq!(amounts, files_total);
    let recon = w.read("batch/reconciliation.csv");
    assert!(recon.contains("check: accepted + rejected = input,,,,OK,"));
    assert!(recon.contains("check: bank files = accepted,,,,OK,"));
    assert!(
        m["files"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("banks/970405-Agribank")
    );
}

#[test]
fn end_to_end_ids_are_unique_across_the_batch() {
    let w = Workdir::new();
    w.run_sample("district-2024-01.csv", "batch", &[]);
    let acc = csv_records(&w.join("batch/accepted.csv"));
    let mut ids: Vec<&str> = acc[1..].iter().map(|r| r[1].as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(ids.iter().all(|id| id.len() <= 35));
}

#[test]
fn the_same_input_gives_byte_identical_files() {
    let w = Workdir::new();
    let input = repo_file("sample_batches/every-rule.csv");
    let input = input.to_str().unwrap();
    w.ok(&["run", input, "--period", "2024-01", "--out", "a"]);
    w.ok(&["run", input, "--period", "2024-01", "--out", "b"]);
    let files = w.files("a");
    assert_eq!(files, w.files("b"));
    assert!(files.len() >= 6);
    for f in files {
        assert_eq!(
            std::fs::read(w.join("a").join(&f)).unwrap(),
            std::fs::read(w.join("b").join(&f)).unwrap(),
            "{f}"
        );
    }
}

/// Same list, another layout: columns reordered, Vietnamese and English
/// headers mixed, BOM, CRLF, semicolons, Vietnamese thousands separators.
#[test]
fn another_layout_of_the_same_list_pays_the_same() {
    let w = Workdir::new();
    let original = repo_file("sample_batches/district-2024-01.csv");
    let records = csv_records(&original);
    let order = [11, 10, 2, 9, 0, 5, 3, 7, 8, 1, 6, 4, 12];
    let mut text = String::from("\u{feff}");
    for (i, r) in records.iter().enumerate() {
        let cells: Vec<String> = order
            .iter()
            .map(|&c| {
                let mut v = r[c].replace('\u{feff}', "");
                if i == 0 && c == 10 {
                    v = "account_number".to_owned();
                }
                if i > 0 && c == 9 {
                    v = disburse::cells::format_vnd(v.parse().unwrap_or(0));
                }
                if v.contains(';') || v.contains('"') {
                    v = format!("\"{}\"", v.replace('"', "\"\""));
                }
                v
            })
            .collect();
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    let other = w.write("other.csv", text);
    w.ok(&[
        "run",
        original.to_str().unwrap(),
        "--period",
        "2024-01",
        "--out",
        "a",
    ]);
    w.ok(&[
        "run",
        other.to_str().unwrap(),
        "--period",
        "2024-01",
        "--out",
        "b",
    ]);
    let (ma, mb) = (manifest(&w.join("a")), manifest(&w.join("b")));
    assert_eq!(ma["totals"], mb["totals"]);
    assert_eq!(mb["input"]["delimiter"], ";");
    assert_eq!(mb["input"]["encoding"], "utf8-bom");
    // The payments are the same: ids, accounts, names, amounts, warnings.
    let key = |rel: &str| -> Vec<Vec<String>> {
        csv_records(&w.join(rel))
            .into_iter()
            .map(|r| r[..10].to_vec())
            .collect()
    };
    assert_eq!(key("a/accepted.csv"), key("b/accepted.csv"));
    let rejected = |rel: &str| -> Vec<Vec<String>> {
        csv_records(&w.join(rel))
            .into_iter()
            .skip(1)
            .map(|r| r[..2].to_vec())
            .collect()
    };
    assert_eq!(rejected("a/rejected.csv"), rejected("b/rejected.csv"));
    // Bank files differ only in the message ids, which name the input.
    for f in w.files("a/banks") {
        let strip = |dir: &str| -> String {
            w.read(&format!("{dir}/banks/{f}"))
                .lines()
                .filter(|l| !l.contains("<MsgId>") && !l.contains("<PmtInfId>"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip("a"), strip("b"), "{f}");
    }
}

#[test]
fn a_non_empty_output_directory_is_refused_and_left_alone() {
    let w = Workdir::new();
    w.write("batch/keep.txt", "mine");
    let out = w.sample("every-rule.csv", "batch", &[]);
    assert_eq!(out.code, 5, "{}", out.render());
    assert_eq!(w.files("batch"), vec!["keep.txt"]);
    assert!(
        out.stderr
            .contains("error: the output directory `batch` is not empty"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unusable_file_writes_nothing_and_says_what_to_fix() {
    let w = Workdir::new();
    w.write(
        "list.csv",
        "Họ và tên,Ngân hàng,Số tiền,Ghi chú\nAn,Agribank,360000,\n",
    );
    let out = w.run(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    insta::assert_snapshot!(out.render(), @r"
    exit: 3
    --- stdout
    --- stderr
    error: `list.csv`: required column `account_number` not found in the header on row 1
    hint: name the column one of: `account_number`, `account`, `account_no`, `Số tài khoản`, `Số TK`, `STK`, `Tài khoản`
    ");
    assert!(!w.join("batch").exists());
    assert_eq!(w.files(""), vec!["list.csv"]);
}

#[test]
fn a_misquoted_cell_refuses_the_list_in_any_column() {
    // The bank and the category are held as codes, the name as text: a
    // cell with text after its closing quote refuses the list in each, and
    // the row is named.
    for (bank, category, name, column) in [
        ("\"Agribank\"x", "Người cao tuổi", "An", "column 3 (`bank`)"),
        (
            "Agribank",
            "\"Người cao tuổi\" ",
            "An",
            "column 5 (`category`)",
        ),
        ("Agribank", "Người cao tuổi", "\"An\"x", "column 1 (`name`)"),
    ] {
        let w = Workdir::new();
        w.write(
            "list.csv",
            format!(
                "name,account_number,bank,amount,category\n\
                 Ba,8507205000001,Agribank,360000,Người cao tuổi\n\
                 {name},8507205000002,{bank},360000,{category}\n"
            ),
        );
        let out = w.run(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
        assert_eq!(out.code, 3, "{}", out.render());
        assert!(out.stderr.contains("`list.csv`"), "{}", out.stderr);
        let at = format!("broken at row 3, {column}");
        assert!(out.stderr.contains(&at), "{}", out.stderr);
        assert!(!w.join("batch").exists());
    }
}

#[test]
fn a_missing_period_is_refused() {
    let w = Workdir::new();
    let input = repo_file("sample_batches/every-rule.csv");
    let out = w.run(&["run", input.to_str().unwrap(), "--out", "batch"]);
    assert_eq!(out.code, 3, "{}", out.render());
    assert!(out.stderr.contains("no period given"));
    assert!(!w.join("batch").exists());
}

#[test]
fn names_and_text_are_escaped_for_xml_and_neutralised_for_spreadsheets() {
    let w = Workdir::new();
    w.write(
        "list.csv",
        "name,account_number,bank,amount,category,note\n\
         \"<script>alert(1)</script> & Lê\",8507205000001,Agribank,360000,x,=cmd|' /C calc'!A0\n\
         \"@SUM(A1)\",8507205000002,Agribank,360000,x,-x\n\
         Lò Văn Páo,8507205000003,Agribank,360000,\"Người <b>khuyết tật</b> & \"\"nặng\"\"\",+x\n",
    );
    w.ok(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    // Names no person has are not paid (BAD_NAME), and are listed harmlessly.
    let rejected = w.read("batch/rejected.csv");
    assert_eq!(rejected.matches("BAD_NAME").count(), 2, "{rejected}");
    assert!(rejected.contains("'@SUM(A1)"));
    assert!(rejected.contains("'=cmd|' /C calc'!A0"), "{rejected}");
    assert!(rejected.contains("'-x"));
    // Free text reaches the XML only as upper-case ASCII of the SWIFT set.
    let xml = w.read("batch/banks/970405-Agribank.xml");
    assert!(
        xml.contains("<Ustrd>TRO CAP XA HOI THANG 01/2024 - NGUOI B KHUYET TAT /B NANG</Ustrd>"),
        "{xml}"
    );
    assert!(!xml.contains("<b>") && !xml.contains("&amp;") && !xml.contains("script"));
    assert!(w.read("batch/accepted.csv").contains("'+x"));
}

/// One value pasted down a whole column makes every row a duplicate of
/// every other: each row is rejected, and each message names ten rows and
/// counts the rest, so that the listings grow with the list, not with its
/// square (20,000 rows once made messages of 130 KB each).
#[test]
fn one_code_down_a_whole_column_rejects_every_row_with_a_short_message() {
    let rows = 20_000;
    let list = String::from_utf8(generated_list(rows, 11)).unwrap();
    let mut lines = list.lines();
    let mut pasted = format!("{}\r\n", lines.next().unwrap());
    for line in lines {
        let mut cells = line.splitn(3, ',');
        let (number, _code, rest) = (cells.next().unwrap(), cells.next(), cells.next().unwrap());
        pasted.push_str(&format!("{number},PL0000001,{rest}\r\n"));
    }
    let w = Workdir::new();
    w.write("list.csv", pasted);
    w.ok(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    let rejected = csv_records(&w.join("batch/rejected.csv"));
    assert_eq!(rejected.len(), rows + 1);
    assert_eq!(csv_records(&w.join("batch/accepted.csv")).len(), 1);
    let last = rows + 1; // the spreadsheet row of the last data row
    assert_eq!(
        rejected[1][2],
        format!(
            "the same beneficiary code as row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and {} other rows",
            rows - 11
        )
    );
    for r in &rejected[1..] {
        assert!(
            r[1].split(';').any(|code| code == "DUPLICATE_BENEFICIARY") && r[2].len() < 250,
            "{:?}",
            &r[..3]
        );
    }
    assert!(rejected[rows][2].starts_with("the same beneficiary code as row 2, 3, "));
    assert_eq!(rejected[rows][0], last.to_string());
}

/// One account for every row (a commune's own account typed down the
/// column) is a warning on every row, each naming ten rows and counting
/// the rest.
#[test]
fn one_account_down_a_whole_column_warns_every_row_with_a_short_message() {
    let rows = 20_000;
    let list = String::from_utf8(generated_list(rows, 12)).unwrap();
    let mut lines = list.lines();
    let mut pasted = format!("{}\r\n", lines.next().unwrap());
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[10] = "8507205000001";
        cells[11] = "Agribank";
        pasted.push_str(&cells.join(","));
        pasted.push_str("\r\n");
    }
    let w = Workdir::new();
    w.write("list.csv", pasted);
    w.ok(&["run", "list.csv", "--period", "2024-01", "--out", "batch"]);
    let accepted = csv_records(&w.join("batch/accepted.csv"));
    assert_eq!(accepted[0][8], "warnings");
    let warned: Vec<_> = accepted[1..]
        .iter()
        .filter(|r| r[8].split(';').any(|code| code == "SHARED_ACCOUNT"))
        .collect();
    assert_eq!(accepted.len(), rows + 1, "every row is paid");
    assert_eq!(warned.len(), rows, "every row is warned");
    for r in &warned {
        assert!(r[9].len() < 250, "{}", &r[9]);
    }
    assert!(
        warned[0][9].contains("the same account as row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and "),
        "{}",
        warned[0][9]
    );
}

/// The exit codes `--help` and README list are the ones the commands use:
/// both tables are the `Exit` list, code for code, word for word.
#[test]
fn help_and_readme_list_every_exit_code_as_the_code_defines_it() {
    use disburse::exit::Exit;
    let w = Workdir::new();
    let help = w.ok(&["--help"]).stdout;
    assert!(help.contains(&Exit::help()), "{help}");
    let readme = std::fs::read_to_string(common::repo_file("README.md")).unwrap();
    let section = readme
        .split("## Exit codes")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an exit codes section");
    let rows: Vec<(u8, String)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split(" | ").collect();
            Some((
                cells.first()?.trim().parse().ok()?,
                cells.get(1)?.trim().to_owned(),
            ))
        })
        .collect();
    let expected: Vec<(u8, String)> = Exit::ALL
        .into_iter()
        .map(|e| (e.code(), e.meaning().to_owned()))
        .collect();
    assert_eq!(rows, expected);
}

/// A ledger that is not a database: the message names the ledger once and
/// SQLite's word once, as a cause, with the ledger's exit code.
#[test]
fn an_error_is_said_once_with_its_cause_below_it() {
    let w = Workdir::new();
    w.write(
        "ledger.sqlite",
        "STT,Họ và tên\n1,Nguyễn Văn A\n".repeat(200),
    );
    let input = common::repo_file("sample_batches/every-rule.csv");
    let out = w.run(&[
        "run",
        input.to_str().unwrap(),
        "--period",
        "2024-01",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "b",
    ]);
    insta::assert_snapshot!(out.render(), @r"
    exit: 7
    --- stdout
    --- stderr
    error: cannot use the ledger `ledger.sqlite`
      caused by: file is not a database
      caused by: Error code 26: File opened that is not a database file
    ");
}

/// Amounts no welfare payment reaches are refused row by row, and every
/// total is summed without wrapping: 10,000 rows of 10^15 đ once made a
/// negative control sum that the reconciliation called "OK".
#[test]
fn amounts_beyond_the_ceiling_are_rejected_and_totals_never_wrap() {
    /// The list with every amount (the tenth cell) replaced.
    fn with_amount(list: &[u8], amount: &str) -> String {
        let text = String::from_utf8(list.to_vec()).unwrap();
        text.lines()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 || line.trim().is_empty() {
                    return format!("{line}\n");
                }
                let mut cells: Vec<&str> = line.split(',').collect();
                cells[9] = amount;
                format!("{}\n", cells.join(","))
            })
            .collect()
    }
    let w = Workdir::new();
    let list = common::generated_list(10_000, 9);
    w.write("huge.csv", with_amount(&list, "1000000000000000"));
    let out = w.ok(&[
        "run", "huge.csv", "--period", "2024-01", "--out", "b", "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["accepted"], 0, "{summary}");
    assert_eq!(summary["totals"]["rejected"], 10_000);
    assert_eq!(summary["totals"]["accepted_vnd"], 0);
    let rejected = w.read("b/rejected.csv");
    assert_eq!(rejected.matches("BAD_AMOUNT").count(), 10_000);
    assert!(rejected.contains("more than one payment may be (100.000.000 đ"));

    // An office that raises the ceiling to its highest pays such rows, and
    // the totals are exact.
    let config = std::fs::read_to_string(common::repo_file("schemas/config.default.toml"))
        .unwrap()
        .replace(
            "max_amount_vnd = 100000000",
            "max_amount_vnd = 1000000000000",
        );
    w.write("office.toml", config);
    w.write("large.csv", with_amount(&list, "1000000000000"));
    let out = w.ok(&[
        "run",
        "large.csv",
        "--period",
        "2024-01",
        "--out",
        "c",
        "--json",
        "--config",
        "office.toml",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let accepted = summary["totals"]["accepted"].as_i64().unwrap();
    assert!(accepted > 9_000, "{summary}");
    assert_eq!(
        summary["totals"]["accepted_vnd"].as_i64(),
        Some(accepted * 1_000_000_000_000)
    );
    let files: i64 = summary["banks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["total_vnd"].as_i64().unwrap())
        .sum();
    assert_eq!(files, accepted * 1_000_000_000_000);
    let too_high = w.write(
        "bad.toml",
        std::fs::read_to_string(w.join("office.toml"))
            .unwrap()
            .replace(
                "max_amount_vnd = 1000000000000",
                "max_amount_vnd = 1000000000001",
            ),
    );
    let refused = w.run(&[
        "run",
        "large.csv",
        "--period",
        "2024-01",
        "--out",
        "d",
        "--config",
        too_high.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 4, "{}", refused.render());
    assert!(
        refused.stderr.contains("max_amount_vnd"),
        "{}",
        refused.render()
    );
}

/// Beneficiaries at the end of a list are never taken for its footer: a
/// person named Tống Công Minh is not a totals row, and rows with a name,
/// an ID and a category but no account or amount are rejected with their
/// reasons. A real totals row still declares the total.
#[test]
fn rows_at_the_end_of_a_list_are_beneficiaries_unless_they_are_layout() {
    let w = Workdir::new();
    let list = String::from_utf8(common::generated_list(6, 4)).unwrap();
    let mut lines: Vec<String> = list.lines().map(str::to_owned).collect();
    lines.push(
        "7,PL0000007,Tống Công Minh,01/02/1950,Nam,019050000007,Xã Ôn Lương,Người khuyết tật nặng,1.5,540000,,Agribank,"
            .to_owned(),
    );
    lines.push(
        "8,PL0000008,Lê Thị Hạnh,03/04/1948,Nữ,019148000008,Xã Ôn Lương,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,,,,"
            .to_owned(),
    );
    lines.push(",,Người lập biểu,,,,,,,,,,".to_owned());
    lines.push(",,Nguyễn Văn Kế,,,,,,,,,,".to_owned());
    w.write("list.csv", lines.join("\n") + "\n");
    let out = w.ok(&[
        "run", "list.csv", "--period", "2024-01", "--out", "b", "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["rows"], 8, "{summary}");
    assert!(summary["totals"]["declared_vnd"].is_null(), "{summary}");
    let rejected = csv_records(&w.join("b/rejected.csv"));
    let names = common::answers::column(&rejected, "Họ và tên");
    assert_eq!(names, ["Tống Công Minh", "Lê Thị Hạnh"], "{rejected:?}");

    // The same list with its own totals row: declared, and nobody lost.
    lines.insert(lines.len() - 2, ",,Tổng cộng,,,,,,,3.420.000,,,".to_owned());
    w.write("with-total.csv", lines.join("\n") + "\n");
    let out = w.ok(&[
        "run",
        "with-total.csv",
        "--period",
        "2024-01",
        "--out",
        "c",
        "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["rows"], 8, "{summary}");
    assert_eq!(summary["totals"]["declared_vnd"], 3_420_000, "{summary}");
}

/// One very long cell never fails the list: a 40,000-character name is
/// `BAD_NAME` on its row, a 40,000-character note is paid, and every
/// writer stays within its format's limits (an Excel cell holds 32,767
/// characters; the CSV listings keep the cell whole).
#[test]
fn a_cell_longer_than_a_format_holds_is_rejected_or_cut_never_fatal() {
    use calamine::Reader;
    let w = Workdir::new();
    let list = String::from_utf8(common::generated_list(4, 2)).unwrap();
    let mut lines: Vec<String> = list.lines().map(str::to_owned).collect();
    let long = "A".repeat(40_000);
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    cells[2] = long.clone();
    lines[1] = cells.join(",");
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
    cells[12] = long.clone();
    lines[2] = cells.join(",");
    w.write("list.csv", lines.join("\n") + "\n");
    let out = w.ok(&[
        "run", "list.csv", "--period", "2024-01", "--out", "b", "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["rejected"], 1, "{summary}");
    let rejected = w.read("b/rejected.csv");
    assert!(rejected.contains("BAD_NAME"), "{rejected}");
    assert!(rejected.contains("is 40000 characters long"));
    assert!(
        w.read("b/accepted.csv").contains(&long),
        "the CSV keeps the note whole"
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.join("b/reconciliation.xlsx")).unwrap();
    for name in book.sheet_names() {
        let sheet = book.worksheet_range(&name).unwrap();
        for c in sheet.used_cells() {
            assert!(c.2.to_string().chars().count() <= 32_767, "{name}");
        }
    }
}

/// A list saved as Excel's "CSV (Macintosh)", whose lines end with a
/// carriage return alone, pays exactly what the same list with line feeds
/// pays: its rows were once read as one malformed row.
#[test]
fn a_list_with_carriage_returns_alone_reads_as_its_rows() {
    let w = Workdir::new();
    let list = common::generated_list(40, 8);
    let mac: Vec<u8> = String::from_utf8(list.clone())
        .unwrap()
        .replace("\r\n", "\n")
        .replace('\n', "\r")
        .into_bytes();
    assert!(!mac.contains(&b'\n'));
    w.write("unix.csv", &list);
    w.write("mac.csv", &mac);
    let totals = |file: &str, out: &str| -> serde_json::Value {
        let run = w.ok(&["run", file, "--period", "2024-01", "--out", out, "--json"]);
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()["totals"].clone()
    };
    let unix = totals("unix.csv", "u");
    assert_eq!(unix["rows"], 40);
    assert_eq!(totals("mac.csv", "m"), unix);
    assert_eq!(w.read("m/rejected.csv").matches("MALFORMED_ROW").count(), 0);
}

/// README's worked example is what the shipped sample prints, line for
/// line (stdout, then the warning on stderr).
#[test]
fn the_readme_worked_example_is_the_samples_output() {
    let w = Workdir::new();
    std::fs::create_dir_all(w.join("sample_batches")).unwrap();
    std::fs::copy(
        repo_file("sample_batches/district-2024-01.csv"),
        w.join("sample_batches/district-2024-01.csv"),
    )
    .unwrap();
    let out = w.ok(&[
        "run",
        "sample_batches/district-2024-01.csv",
        "--period",
        "2024-01",
        "--out",
        "out/2024-01",
    ]);
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    let command = "$ cargo run --release -- run sample_batches/district-2024-01.csv --period 2024-01 --out out/2024-01\n";
    let example = readme
        .split_once(command)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("README shows the worked example");
    assert_eq!(example, format!("{}{}", out.stdout, out.stderr));
}
