//! Bank profiles: a bank may take pain.001.001.03, cap the transactions of
//! one file (its payments then go into numbered parts, each with its own
//! MsgId, count and sum, adding up to the bank's total, every part in the
//! manifest, the reconciliation and the ledger), or names with their
//! diacritics. A malformed profile is refused with its file and line.

mod common;

use common::Workdir;

#[test]
fn a_bank_capped_at_a_thousand_gets_parts_that_add_up_to_its_total() {
    let w = Workdir::new();
    common::profiled_office(&w, "970405,,1000,,\n");
    let plain = Workdir::new();
    plain.run_sample("district-2024-01.csv", "b", &[]);
    w.run_sample(
        "district-2024-01.csv",
        "b",
        &["--config", "office.toml", "--ledger", "ledger.sqlite"],
    );
    let manifest = common::manifest(&w.join("b"));
    let whole = common::manifest(&plain.join("b"));
    let agribank = |m: &serde_json::Value| -> Vec<serde_json::Value> {
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["bank_bin"] == "970405")
            .cloned()
            .collect()
    };
    let parts = agribank(&manifest);
    let one = &agribank(&whole)[0];
    assert_eq!(parts.len(), 3);
    let mut ids = std::collections::BTreeSet::new();
    for (k, part) in parts.iter().enumerate() {
        let k = k + 1;
        assert_eq!(part["part"], k);
        assert_eq!(part["path"], format!("banks/970405-Agribank-{k}.xml"));
        let id = part["message_id"].as_str().unwrap();
        assert!(id.len() <= 35 && ids.insert(id.to_owned()), "{id}");
        let xml = w.read(&format!("b/{}", part["path"].as_str().unwrap()));
        let n = part["transactions"].as_u64().unwrap();
        assert!(n <= 1000);
        assert_eq!(xml.matches("<CdtTrfTxInf>").count() as u64, n);
        assert!(xml.contains(&format!("<MsgId>{id}</MsgId>")));
        assert_eq!(xml.matches(&format!("<NbOfTxs>{n}</NbOfTxs>")).count(), 2);
        let sum = part["total_vnd"].as_i64().unwrap();
        assert_eq!(xml.matches(&format!("<CtrlSum>{sum}</CtrlSum>")).count(), 2);
        let pmt_inf = xml
            .split("<PmtInfId>")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert!(pmt_inf.len() <= 35, "{pmt_inf}");
    }
    let count: u64 = parts
        .iter()
        .map(|p| p["transactions"].as_u64().unwrap())
        .sum();
    let total: i64 = parts.iter().map(|p| p["total_vnd"].as_i64().unwrap()).sum();
    assert_eq!(count, one["transactions"].as_u64().unwrap());
    assert_eq!(total, one["total_vnd"].as_i64().unwrap());
    assert_eq!(manifest["totals"], whole["totals"]);
    // The reconciliation and the ledger name every part.
    let reconciliation = w.read("b/reconciliation.csv");
    for part in &parts {
        assert!(
            reconciliation.contains(part["path"].as_str().unwrap()),
            "{reconciliation}"
        );
    }
    let recorded: i64 = rusqlite::Connection::open(w.join("ledger.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM bank_files WHERE bank_bin = '970405'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recorded, 3);
    w.ok(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
}

#[test]
fn pain001_03_and_vietnamese_names_are_written_for_the_banks_that_take_them() {
    let w = Workdir::new();
    common::profiled_office(&w, "970405,pain.001.001.03,,,vietnamese\n");
    w.write(
        "list.csv",
        "STT,Họ và tên,Số CCCD,Đối tượng,Hệ số,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Đặng Văn Đức,001085012345,Người khuyết tật nặng,1.5,540000,3761012345678,Agribank\n\
         2,Lê Thị Hồng,001085012346,Người khuyết tật nặng,1.5,540000,3761012345679,Agribank\n\
         3,Trần Văn Bình,001085012347,Người khuyết tật nặng,1.5,540000,1234567890,BIDV\n",
    );
    w.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "b",
    ]);
    let agribank = w.read("b/banks/970405-Agribank.xml");
    assert!(agribank.contains("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"));
    assert!(agribank.contains("<ReqdExctnDt>2024-01-10</ReqdExctnDt>"));
    assert!(agribank.contains("<Nm>Đặng Văn Đức</Nm>"));
    assert!(agribank.contains("<Nm>Lê Thị Hồng</Nm>"), "{agribank}");
    assert!(
        agribank.contains(
            "<Ustrd>Trợ cấp xã hội tháng 01/2024 - Người khuyết tật nặng - hệ số 1.5</Ustrd>"
        ),
        "{agribank}"
    );
    let bidv = w.read("b/banks/970418-BIDV.xml");
    assert!(bidv.contains("pain.001.001.09") && bidv.contains("<Nm>TRAN VAN BINH</Nm>"));
    insta::assert_snapshot!("pain001_v03", agribank);
}

#[test]
fn a_malformed_profile_is_refused_with_its_file_and_line() {
    let w = Workdir::new();
    common::profiled_office(
        &w,
        "970405,pain.001.001.03,,,\n970415,pain.001.001.09,12,,\n",
    );
    w.write("list.csv", common::generated_list(5, 1));
    let out = w.run(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "b",
    ]);
    assert_eq!(out.code, 4, "{}", out.render());
    assert!(
        out.stderr.contains("bank_profiles.csv` line 3"),
        "{}",
        out.render()
    );
    assert!(
        out.stderr.contains("max_transactions `12`"),
        "{}",
        out.render()
    );
    assert!(!w.join("b").exists());
}

#[test]
fn a_past_execution_date_is_warned_of_or_moved_to_the_next_business_day() {
    let w = Workdir::new();
    w.write("list.csv", common::generated_list(5, 1));
    // A January list run on Friday 8 March.
    let late = "2024-03-08T09:00:00+07:00";
    let warned = w
        .command(&[
            "run", "list.csv", "--period", "2024-01", "--out", "a", "--json",
        ])
        .env("DISBURSE_NOW", late)
        .output()
        .unwrap();
    assert!(warned.status.success());
    let manifest = common::manifest(&w.join("a"));
    assert_eq!(manifest["execution_date"], "2024-01-10");
    assert_eq!(manifest["notices"][0]["code"], "EXECUTION_DATE_PAST");
    assert!(
        w.read("a/report.html")
            .contains(r#"data-code="EXECUTION_DATE_PAST""#)
    );
    let xml_files = w.files("a/banks");
    assert!(
        w.read(&format!("a/banks/{}", xml_files[0]))
            .contains("<Dt>2024-01-10</Dt>")
    );

    let config = std::fs::read_to_string(common::repo_file("schemas/config.default.toml"))
        .unwrap()
        .replace(
            "past_execution_date = \"warn\"",
            "past_execution_date = \"next_business_day\"",
        )
        .replace(
            "# agent_member_id = \"970405\"",
            "agent_member_id = \"970405\"",
        );
    w.write("office.toml", config);
    let moved = w
        .command(&[
            "run",
            "list.csv",
            "--period",
            "2024-01",
            "--out",
            "b",
            "--config",
            "office.toml",
        ])
        .env("DISBURSE_NOW", late)
        .output()
        .unwrap();
    assert!(moved.status.success());
    let stdout = String::from_utf8_lossy(&moved.stdout);
    assert!(
        stdout.contains("the next business day, 2024-03-11"),
        "{stdout}"
    );
    assert!(!stdout.contains("given only by name"), "{stdout}");
    let manifest = common::manifest(&w.join("b"));
    assert_eq!(
        manifest["execution_date"], "2024-03-11",
        "Friday's next business day is Monday"
    );
    let xml = w.read(&format!("b/banks/{}", w.files("b/banks")[0]));
    assert!(xml.contains("<Dt>2024-03-11</Dt>"));
    assert!(
        xml.contains("<DbtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Prtry>NAPAS</Prtry></ClrSysId><MmbId>970405</MmbId></ClrSysMmbId></FinInstnId></DbtrAgt>")
            || xml.replace([' ', '\n'], "").contains("<DbtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Prtry>NAPAS</Prtry></ClrSysId><MmbId>970405</MmbId></ClrSysMmbId></FinInstnId></DbtrAgt>"),
        "{xml}"
    );
}

/// The cells of a workbook's first sheet, one line a row, `|` between.
fn sheet_text(path: &std::path::Path) -> (String, Vec<Vec<calamine::Data>>) {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let rows: Vec<Vec<calamine::Data>> = range.rows().map(<[calamine::Data]>::to_vec).collect();
    let text = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect::<Vec<_>>()
        .join("\n");
    (format!("sheet: {name}\n{text}"), rows)
}

#[test]
fn a_bank_that_loads_its_own_workbook_gets_it_from_its_template() {
    let w = Workdir::new();
    common::profiled_office(&w, "970418,template,,generic.toml,\n");
    w.write(
        "list.csv",
        "STT,Họ và tên,Số CCCD,Đối tượng,Hệ số,Số tiền,Số tài khoản,Ngân hàng\n\
         1,Đặng Văn Đức,001085012345,Người khuyết tật nặng,1.5,540000,0123456789,BIDV\n\
         2,=CMD|' /C calc'!A0,001085012346,Người khuyết tật nặng,1.5,540000,0123456788,BIDV\n\
         3,Trần Văn Bình,001085012347,Người khuyết tật nặng,1.5,540000,3761012345678,Agribank\n",
    );
    w.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "b",
        "--ledger",
        "ledger.sqlite",
    ]);
    let manifest = common::manifest(&w.join("b"));
    let bidv = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["bank_bin"] == "970418")
        .unwrap()
        .clone();
    assert_eq!(bidv["kind"], "bank-workbook");
    assert_eq!(bidv["path"], "banks/970418-BIDV.xlsx");
    assert_eq!(bidv["format"], "template:generic.toml");
    let (text, rows) = sheet_text(&w.join("b/banks/970418-BIDV.xlsx"));
    // Accounts keep their leading zero as text; the totals row adds up.
    assert!(
        rows.iter()
            .any(|r| r.contains(&calamine::Data::String("0123456789".into())))
    );
    let total = rows.last().unwrap();
    assert_eq!(total[2], calamine::Data::String("Tổng cộng".into()));
    assert_eq!(
        total[3],
        calamine::Data::Float(bidv["total_vnd"].as_f64().unwrap())
    );
    // The hostile name is a text cell, never a formula.
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.join("b/banks/970418-BIDV.xlsx")).unwrap();
    use calamine::Reader;
    let formulas = book.worksheet_formula("Danh sach").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    insta::assert_snapshot!("template_generic", text);
    // The rest pay by pain.001 as before; the ledger records the workbook.
    assert!(w.join("b/banks/970405-Agribank.xml").is_file());
    w.ok(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
}

#[test]
fn a_malformed_template_is_refused_with_its_file_and_line() {
    let w = Workdir::new();
    common::profiled_office(&w, "970418,template,,bidv.toml,\n");
    let generic =
        std::fs::read_to_string(common::repo_file("schemas/bank_templates/generic.toml")).unwrap();
    std::fs::create_dir_all(w.join("schemas/bank_templates")).unwrap();
    w.write(
        "schemas/bank_templates/bidv.toml",
        generic.replace("field = \"remittance\"", "field = \"memo\""),
    );
    w.write("list.csv", common::generated_list(5, 1));
    let out = w.run(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "b",
    ]);
    assert_eq!(out.code, 4, "{}", out.render());
    let line = generic
        .lines()
        .position(|l| l.contains("field = \"remittance\""))
        .unwrap()
        + 1;
    assert!(
        out.stderr
            .contains(&format!("bank_templates/bidv.toml` line {line}")),
        "{}",
        out.render()
    );
    assert!(out.stderr.contains("field `memo`"), "{}", out.render());
    // A template named by a path is refused before anything is read.
    common::profiled_office(&w, "970418,template,,../../etc/passwd.toml,\n");
    let out = w.run(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--out",
        "b",
    ]);
    assert_eq!(out.code, 4, "{}", out.render());
    assert!(
        out.stderr.contains("is not a file name"),
        "{}",
        out.render()
    );
}
