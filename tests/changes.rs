//! Month-over-month control (issue 21): with a ledger, `run` compares the
//! list with the most recent earlier period it recorded (`changes.csv`, a
//! report section, a workbook sheet, counts in the manifest), flags a
//! changed account (`ACCOUNT_CHANGED`) and three months of failed payments
//! (`REPEATED_FAILURE`); `disburse diff` compares any two recorded months.

mod common;

use common::answers::{Original, TxStatus, by_message, pain002, sent};
use common::{Workdir, csv_records, manifest};

const HEADER: &str = "STT,Mã đối tượng,Họ và tên,Ngày sinh,Số CCCD,Xã/Phường,Đối tượng,Hệ số,Số tiền,Số tài khoản,Ngân hàng\n";

/// January: six beneficiaries, consistent with Decree 20 (base 360,000).
const JANUARY: &str = "\
1,PL01,Lê Văn An,02/03/1980,019080001234,Xã Yên Ninh,Người khuyết tật nặng,1.5,540000,8507205123456,Agribank
2,PL02,Trần Thị Bình,04/05/1938,019138001235,Xã Yên Ninh,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205123457,Agribank
3,PL03,Phạm Văn Cường,06/07/1985,019085001236,Xã Phú Đô,Người khuyết tật nặng,1.5,540000,8507205123458,Agribank
4,PL04,Đỗ Thị Dung,08/09/1975,019175001237,Xã Phú Đô,Người khuyết tật nặng,1.5,540000,1012345678,VCB
5,PL05,Hồ Văn Em,15/02/2020,019220001238,Xã Phú Đô,Trẻ em mồ côi,2.5,900000,8507205123460,Agribank
6,PL06,Ngô Thị Phương,10/10/1970,019170001239,Xã Ôn Lương,Người khuyết tật đặc biệt nặng,2.0,720000,8507205123461,Agribank
";

/// February: An's account changed, Cường's name, Dung's commune; Em turned
/// 4 (band, coefficient and amount); Phương's category; Bình (January's row
/// 3) left; Giang is new.
const FEBRUARY: &str = "\
1,PL01,Lê Văn An,02/03/1980,019080001234,Xã Yên Ninh,Người khuyết tật nặng,1.5,540000,8507205999999,Agribank
2,PL03,Phạm Văn Cường Anh,06/07/1985,019085001236,Xã Phú Đô,Người khuyết tật nặng,1.5,540000,8507205123458,Agribank
3,PL04,Đỗ Thị Dung,08/09/1975,019175001237,Xã Phấn Mễ,Người khuyết tật nặng,1.5,540000,1012345678,VCB
4,PL05,Hồ Văn Em,15/02/2020,019220001238,Xã Phú Đô,Trẻ em mồ côi,1.5,540000,8507205123460,Agribank
5,PL06,Ngô Thị Phương,10/10/1970,019170001239,Xã Ôn Lương,Người khuyết tật nặng,2.0,720000,8507205123461,Agribank
6,PL07,Vũ Thị Giang,01/01/1990,019190001240,Xã Yên Ninh,Người khuyết tật nặng,1.5,540000,8507205123462,Agribank
";

fn pay_month(w: &Workdir, list: &str, period: &str, out: &str, extra: &[&str]) -> common::Outcome {
    let mut args = vec![
        "run",
        list,
        "--period",
        period,
        "--ledger",
        "ledger.sqlite",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    w.ok(&args)
}

/// Pays January and February; February's summary.
fn two_months(w: &Workdir) -> String {
    w.write("jan.csv", format!("{HEADER}{JANUARY}"));
    w.write("feb.csv", format!("{HEADER}{FEBRUARY}"));
    let january = pay_month(w, "jan.csv", "2024-01", "b1", &[]);
    assert!(!january.stdout.contains("changes"), "{}", january.stdout);
    pay_month(w, "feb.csv", "2024-02", "b2", &[]).stdout
}

#[test]
fn every_change_kind_is_listed_with_its_rows() {
    let w = Workdir::new();
    let summary = two_months(&w);
    assert!(
        summary.contains(
            "  changes   since 2024-01: 1 new, 1 stopped, 1 accounts changed, 6 other changes  see changes.csv"
        ),
        "{summary}"
    );
    // The first month has nothing to compare with.
    assert!(!w.join("b1/changes.csv").exists());
    assert!(manifest(&w.join("b1")).get("changes").is_none());
    insta::assert_snapshot!("changes.csv", w.read("b2/changes.csv"));
    let m = manifest(&w.join("b2"));
    insta::assert_json_snapshot!("manifest_changes", m["changes"]);
    assert!(
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "changes.csv" && f["kind"] == "changes")
    );
}

#[test]
fn the_report_shows_the_changes_before_the_rejected_rows() {
    let w = Workdir::new();
    two_months(&w);
    let html = w.read("b2/report.html");
    let title = html.find("Thay đổi so với tháng").unwrap();
    let start = html[..title].rfind("<h2>").unwrap();
    let end = html[title..].find("<h2>").map_or(html.len(), |e| title + e);
    insta::assert_snapshot!("report_changes_section", &html[start..end]);
    assert!(
        html.find("id=\"changes\"").unwrap() < html.find("id=\"rejected\"").unwrap_or(usize::MAX)
    );
}

#[test]
fn the_workbook_has_a_sheet_of_changes() {
    let w = Workdir::new();
    two_months(&w);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.join("b2/reconciliation.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.last().unwrap(), "Thay đổi từ 2024-01");
    let range = book.worksheet_range("Thay đổi từ 2024-01").unwrap();
    let lines = csv_records(&w.join("b2/changes.csv"));
    assert_eq!(range.height(), lines.len());
    assert_eq!(range.get((1, 0)).unwrap().to_string(), lines[1][0]);
}

#[test]
fn a_changed_account_warns_by_default_and_can_be_held() {
    let w = Workdir::new();
    two_months(&w);
    let accepted = w.read("b2/accepted.csv");
    let line = accepted
        .lines()
        .find(|l| l.contains("8507205999999"))
        .unwrap();
    assert!(line.contains("ACCOUNT_CHANGED"), "{line}");
    assert!(
        line.contains("the account is `Agribank 8507205999999`; 2024-01 was paid into `Agribank 8507205123456` (row 2)"),
        "{line}"
    );
    // Held: the office configures the rule to reject.
    let w = Workdir::new();
    let config = std::fs::read_to_string(common::repo_file("schemas/config.default.toml"))
        .unwrap()
        .replace("[rules]\n", "[rules]\nACCOUNT_CHANGED = \"reject\"\n");
    w.write("office.toml", config);
    w.write("jan.csv", format!("{HEADER}{JANUARY}"));
    w.write("feb.csv", format!("{HEADER}{FEBRUARY}"));
    pay_month(&w, "jan.csv", "2024-01", "b1", &["--config", "office.toml"]);
    pay_month(&w, "feb.csv", "2024-02", "b2", &["--config", "office.toml"]);
    let rejected = csv_records(&w.join("b2/rejected.csv"));
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(rejected[1][1], "ACCOUNT_CHANGED");
    // The next list confirms it: against February, where An was not paid,
    // An is new, and paid into the new account.
    let march = FEBRUARY.replace("8507205123462", "8507205123463");
    w.write("mar.csv", format!("{HEADER}{march}"));
    pay_month(&w, "mar.csv", "2024-03", "b3", &["--config", "office.toml"]);
    let changes = w.read("b3/changes.csv");
    assert!(
        changes.contains("NEW,2,,cid:019080001234,Lê Văn An"),
        "{changes}"
    );
    assert!(w.read("b3/accepted.csv").contains("8507205999999"));
}

#[test]
fn an_orphan_turning_four_moves_band_and_the_coefficient_is_checked() {
    let w = Workdir::new();
    two_months(&w);
    let changes = w.read("b2/changes.csv");
    assert!(
        changes.contains("AGE_BAND_CHANGED,5,6,cid:019220001238,Hồ Văn Em,age_band,2.5 (under 4),1.5 (from 4 to under 16)"),
        "{changes}"
    );
    // Had February kept 2.5, the rule says what is owed.
    let w = Workdir::new();
    w.write("feb.csv", format!("{HEADER}5,PL05,Hồ Văn Em,15/02/2020,019220001238,Xã Phú Đô,Trẻ em mồ côi,2.5,900000,8507205123460,Agribank\n"));
    w.ok(&["run", "feb.csv", "--period", "2024-02", "--out", "b"]);
    assert!(w.read("b/accepted.csv").contains(
        "born 2020-02-15, 4 in 2024-02: orphan or child without support from 4 to under 16, 1.5, not 2.5"
    ));
    w.ok(&["run", "feb.csv", "--period", "2024-01", "--out", "a"]);
    assert!(!w.read("a/accepted.csv").contains("COEFFICIENT_MISMATCH"));
}

#[test]
fn a_supplementary_list_does_not_stop_the_month_s_beneficiaries() {
    let w = Workdir::new();
    two_months(&w);
    let extra = "7,PL08,Lý Văn Hùng,01/01/1991,019091001241,Xã Yên Ninh,Người khuyết tật nặng,1.5,540000,8507205123470,Agribank\n";
    w.write("feb-bo-sung.csv", format!("{HEADER}{extra}"));
    pay_month(&w, "feb-bo-sung.csv", "2024-02", "b3", &[]);
    let changes = csv_records(&w.join("b3/changes.csv"));
    let kinds: Vec<&str> = changes[1..].iter().map(|l| l[0].as_str()).collect();
    // Bình stopped in January's comparison; February's own people are paid.
    assert_eq!(kinds, ["NEW", "STOPPED"], "{changes:?}");
    assert_eq!(changes[2][3], "cid:019138001235");
}

#[test]
fn diff_compares_two_recorded_months() {
    let w = Workdir::new();
    two_months(&w);
    let out = w.ok(&[
        "diff",
        "--ledger",
        "ledger.sqlite",
        "--from",
        "2024-01",
        "--to",
        "2024-02",
        "--out",
        "d",
    ]);
    insta::assert_snapshot!("diff_summary", out.stdout);
    // Every row of February was paid: the same comparison as the run's.
    assert_eq!(w.read("d/changes.csv"), w.read("b2/changes.csv"));
    let refused = w.run(&[
        "diff",
        "--ledger",
        "ledger.sqlite",
        "--from",
        "2024-02",
        "--to",
        "2024-01",
    ]);
    assert_eq!(refused.code, 2, "{}", refused.render());
    let missing = w.run(&[
        "diff",
        "--ledger",
        "ledger.sqlite",
        "--from",
        "2023-12",
        "--to",
        "2024-01",
    ]);
    assert_eq!(missing.code, 7, "{}", missing.render());
    assert!(
        missing
            .stderr
            .contains("holds no monthly payments for 2023-12")
    );
}

#[test]
fn a_changed_listing_is_named_and_its_cells_not_compared() {
    let w = Workdir::new();
    w.write("jan.csv", format!("{HEADER}{JANUARY}"));
    w.write("feb.csv", format!("{HEADER}{FEBRUARY}"));
    pay_month(&w, "jan.csv", "2024-01", "b1", &[]);
    let listing = w.read("b1/accepted.csv").replace("Xã Phú Đô", "Xã Khác");
    w.write("b1/accepted.csv", listing);
    pay_month(&w, "feb.csv", "2024-02", "b2", &[]);
    let m = manifest(&w.join("b2"));
    assert_eq!(m["changes"]["not_compared"].as_array().unwrap().len(), 1);
    let changes = w.read("b2/changes.csv");
    // What the ledger holds is still compared; what the listing held is not.
    assert!(changes.contains("ACCOUNT_CHANGED"));
    assert!(!changes.contains("COMMUNE_CHANGED"), "{changes}");
    assert!(w.read("b2/report.html").contains("could not be read"));
}

#[test]
fn three_months_of_failed_payments_are_a_review_for_suspension() {
    let w = Workdir::new();
    let one = "1,PL01,Lê Văn An,02/03/1980,019080001234,Xã Yên Ninh,Người khuyết tật nặng,1.5,540000,8507205123456,Agribank\n\
               2,PL02,Trần Thị Bình,04/05/1938,019138001235,Xã Yên Ninh,Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205123457,Agribank\n";
    let mut answered = 0;
    for (i, period) in ["2024-01", "2024-02", "2024-03"].iter().enumerate() {
        let list = format!("m{i}.csv");
        // The same people; the file differs by its title row.
        w.write(&list, format!("Tháng {period}\n{HEADER}{one}"));
        pay_month(&w, &list, period, &format!("b{i}"), &[]);
        // An's payment is rejected every month; Bình's is settled.
        let payments = sent(&w.join("ledger.sqlite"));
        let file = &by_message(&payments[answered..])[0];
        answered = payments.len();
        let txs: Vec<TxStatus> = file
            .iter()
            .map(|p| TxStatus {
                payment: p,
                status: if p.name == "Lê Văn An" {
                    "RJCT"
                } else {
                    "ACSC"
                },
                reason: (p.name == "Lê Văn An").then_some(("AC04", "TAI KHOAN DA DONG")),
                amount: Some(p.amount_vnd),
            })
            .collect();
        let answer = format!("answers/{period}.xml");
        w.write(
            &answer,
            pain002(
                "12",
                &format!("STS-{i}"),
                &Original::of(file),
                ("PART", None),
                &txs,
            ),
        );
        w.ok(&[
            "returns",
            "--ledger",
            "ledger.sqlite",
            "--out",
            &format!("r{i}"),
            &answer,
        ]);
    }
    // April: An with a new account (AC04 forbids the old one).
    let april = one.replace("8507205123456", "8507205000001");
    w.write("m3.csv", format!("Tháng 2024-04\n{HEADER}{april}"));
    pay_month(&w, "m3.csv", "2024-04", "b3", &[]);
    let accepted = w.read("b3/accepted.csv");
    let an = accepted.lines().find(|l| l.contains("Lê Văn An")).unwrap();
    assert!(an.contains("REPEATED_FAILURE"), "{an}");
    assert!(
        an.contains("every payment of 2024-01, 2024-02 and 2024-03 failed"),
        "{an}"
    );
    let binh = accepted
        .lines()
        .find(|l| l.contains("Trần Thị Bình"))
        .unwrap();
    assert!(!binh.contains("REPEATED_FAILURE"), "{binh}");
    // A month with a payment that reached them breaks the run of failures.
    let w2 = Workdir::new();
    w2.write("m.csv", format!("{HEADER}{one}"));
    pay_month(&w2, "m.csv", "2024-03", "b", &[]);
    w2.write("n.csv", format!("Tháng 4\n{HEADER}{april}"));
    pay_month(&w2, "n.csv", "2024-04", "c", &[]);
    assert!(!w2.read("c/accepted.csv").contains("REPEATED_FAILURE"));
}

#[test]
fn a_rejected_row_is_neither_new_nor_stopped() {
    let w = Workdir::new();
    w.write("jan.csv", format!("{HEADER}{JANUARY}"));
    pay_month(&w, "jan.csv", "2024-01", "b1", &[]);
    // An's account is damaged this month (rejected, yet on the list), and a
    // newcomer's bank is unknown (rejected, so not paid: not new).
    let february = JANUARY.replace("8507205123456", "8.50721E+12").replace(
        "Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205123457,Agribank",
        "Người cao tuổi từ đủ 80 tuổi trở lên,1.0,360000,8507205123457,Ngân hàng Sao Mai",
    );
    w.write("feb.csv", format!("{HEADER}{february}"));
    pay_month(&w, "feb.csv", "2024-02", "b2", &[]);
    assert_eq!(csv_records(&w.join("b2/rejected.csv")).len(), 3);
    let changes = csv_records(&w.join("b2/changes.csv"));
    assert_eq!(changes.len(), 1, "{changes:?}");
}
