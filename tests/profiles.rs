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
