//! Closing the loop: a batch, the banks' answers (pain.002 rejecting some
//! payments, a camt.054 returning one after acceptance), the status of
//! every payment, `failed.csv`, and a re-issue list that, corrected and
//! run again, pays exactly the failed beneficiaries and nobody twice.

mod common;

use common::answers::{
    Entry, Original, Sent, TxStatus, by_message, camt054, column, paid_batch, pain002, pay, sent,
    status_json, statuses,
};
use common::{Workdir, csv_records};

#[test]
fn rejections_and_a_return_are_recorded_listed_and_reissued_once() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 30);
    let files = by_message(&payments);
    assert!(files.len() >= 2, "the batch pays at more than one bank");
    let main = &files[0];
    let other = &files[1];
    let (closed, wrong_name, deceased) = (main[0], main[1], main[2]);

    // The main bank rejects two payments and accepts the others one by one;
    // the other bank accepts its whole file at group level (.001.03).
    let mut txs = vec![
        TxStatus {
            payment: closed,
            status: "RJCT",
            reason: Some(("AC04", "TAI KHOAN DA DONG")),
            amount: Some(closed.amount_vnd),
        },
        TxStatus {
            payment: wrong_name,
            status: "RJCT",
            reason: Some(("BE01", "TEN KHONG KHOP")),
            amount: None,
        },
    ];
    for p in &main[2..] {
        txs.push(TxStatus {
            payment: p,
            status: "ACCP",
            reason: None,
            amount: None,
        });
    }
    w.write(
        "answers/status-main.xml",
        pain002("12", "STS-1", &Original::of(main), ("PART", None), &txs),
    );
    w.write(
        "answers/status-other.xml",
        pain002("03", "STS-2", &Original::of(other), ("ACCP", None), &[]),
    );
    // Later, an accepted payment comes back: the beneficiary died.
    w.write(
        "answers/return.xml",
        camt054(
            "NTF-1",
            &[Entry::Returned(deceased, "MD07", "NGUOI HUONG DA CHET")],
        ),
    );
    let out = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "out/returns-1",
        "answers/status-main.xml",
        "answers/status-other.xml",
        "answers/return.xml",
    ]);
    assert!(
        out.stdout
            .contains("answers/return.xml: camt.054 NTF-1: 1 updated"),
        "{}",
        out.render()
    );

    // Every payment has the right status.
    let status = statuses(&w.join("ledger.sqlite"));
    for p in &payments {
        let expected = if p.end_to_end_id == closed.end_to_end_id {
            ("rejected", "AC04")
        } else if p.end_to_end_id == wrong_name.end_to_end_id {
            ("rejected", "BE01")
        } else if p.end_to_end_id == deceased.end_to_end_id {
            ("returned", "MD07")
        } else if p.message_id == main[0].message_id || p.message_id == other[0].message_id {
            ("accepted", "")
        } else {
            ("sent", "")
        };
        let found = &status[&p.end_to_end_id];
        assert_eq!(
            (found.0.as_str(), found.1.as_str()),
            expected,
            "{}",
            p.end_to_end_id
        );
    }
    let json = status_json(&w);
    assert_eq!(json["total"]["sent"]["payments"], payments.len());
    assert_eq!(json["total"]["failed"]["payments"], 2);
    assert_eq!(
        json["total"]["failed"]["vnd"],
        closed.amount_vnd + wrong_name.amount_vnd
    );
    assert_eq!(json["total"]["returned"]["payments"], 1);
    assert_eq!(json["total"]["returned"]["vnd"], deceased.amount_vnd);
    assert_eq!(json["total"]["open"]["payments"], payments.len() - 3);

    // failed.csv holds exactly those three, with contact details and what to do.
    let failed = csv_records(&w.join("out/returns-1/failed.csv"));
    let mut ids = column(&failed, "end_to_end_id");
    ids.sort();
    let mut expected = vec![
        closed.end_to_end_id.clone(),
        wrong_name.end_to_end_id.clone(),
        deceased.end_to_end_id.clone(),
    ];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(column(&failed, "commune").iter().all(|c| !c.is_empty()));
    assert!(column(&failed, "citizen_id").iter().all(|c| c.len() == 12));
    let reasons = column(&failed, "reason_vi");
    assert!(
        reasons.contains(&"Tài khoản đã đóng".to_owned()),
        "{reasons:?}"
    );
    assert!(column(&failed, "reissue").contains(&"no".to_owned()));
    // The page and the workbook say the same.
    let page = w.read("out/returns-1/report.html");
    let failed_vnd = closed.amount_vnd + wrong_name.amount_vnd;
    assert!(
        page.contains(&format!(
            r#"data-total="total_failed" data-value="{failed_vnd}""#
        )),
        "{page}"
    );
    assert!(page.contains(&format!(
        r#"data-total="total_returned" data-value="{}""#,
        deceased.amount_vnd
    )));
    assert_eq!(page.matches("<tr data-payment=").count(), 3);
    assert!(page.contains("Người hưởng đã chết"));
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.join("out/returns-1/outcomes.xlsx")).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("Không thành công").unwrap();
    assert_eq!(sheet.rows().count(), 4);
    let outcomes = csv_records(&w.join("out/returns-1/outcomes.csv"));
    assert_eq!(outcomes.len() - 1, main.len() + other.len() + 1);
    assert_eq!(csv_records(&w.join("out/returns-1/unmatched.csv")).len(), 1);

    // The re-issue list: the two rejected, not the deceased.
    let out = w.ok(&[
        "reissue",
        "--ledger",
        "ledger.sqlite",
        "--period",
        "2024-01",
        "--out",
        "lists/reissue.csv",
    ]);
    assert!(out.stderr.contains("MD07"), "{}", out.render());
    let list = w.read("lists/reissue.csv");
    let records = csv_records(&w.join("lists/reissue.csv"));
    assert_eq!(records.len(), 3, "{list}");
    assert!(list.contains(&closed.account) && list.contains(&wrong_name.account));
    assert!(!list.contains(&deceased.account));

    // The same list as a workbook of text cells, for editing in Excel: it
    // reads back with the accounts intact.
    w.ok(&[
        "reissue",
        "--ledger",
        "ledger.sqlite",
        "--period",
        "2024-01",
        "--out",
        "lists/reissue.xlsx",
    ]);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.join("lists/reissue.xlsx")).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "Chi trả lại").unwrap();
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert_eq!(sheet.rows().count(), 3);
    assert!(cells.contains(&closed.account) && cells.contains(&wrong_name.account));
    let out = w.ok(&[
        "run",
        "lists/reissue.xlsx",
        "--period",
        "2024-01",
        "--out",
        "out/uncorrected-xlsx",
        "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["rows"], 2, "{}", out.render());

    // Run uncorrected, it pays nobody: the accounts are the failed ones.
    let summary = pay(&w, "lists/reissue.csv", "out/uncorrected");
    assert_eq!(summary["totals"]["accepted"], 0, "{summary}");
    let rejected = w.read("out/uncorrected/rejected.csv");
    assert_eq!(rejected.matches("FAILED_BEFORE").count(), 2, "{rejected}");

    // Corrected (new accounts), it pays exactly those two, once.
    let corrected = list
        .replace(
            &closed.account,
            &format!("{}1", &closed.account[..closed.account.len() - 1]),
        )
        .replace(
            &wrong_name.account,
            &format!("{}1", &wrong_name.account[..wrong_name.account.len() - 1]),
        );
    assert_ne!(corrected, list);
    w.write("lists/reissue-corrected.csv", corrected);
    pay(&w, "lists/reissue-corrected.csv", "out/reissued");
    let after = sent(&w.join("ledger.sqlite"));
    assert_eq!(after.len(), payments.len() + 2);
    let new: Vec<&Sent> = after
        .iter()
        .filter(|p| !payments.iter().any(|q| q.end_to_end_id == p.end_to_end_id))
        .collect();
    let mut keys: Vec<&str> = new.iter().map(|p| p.beneficiary_key.as_str()).collect();
    keys.sort();
    let mut expected = vec![
        closed.beneficiary_key.as_str(),
        wrong_name.beneficiary_key.as_str(),
    ];
    expected.sort();
    assert_eq!(keys, expected);

    // The whole month's list again (another file): nobody is paid twice,
    // and the deceased beneficiary is not paid at all.
    let mut again = common::generated_list(30, 5);
    again.extend_from_slice(b"\r\n");
    w.write("lists/chi-tra-2024-01-lan-2.csv", again);
    let summary = pay(&w, "lists/chi-tra-2024-01-lan-2.csv", "out/again");
    assert_eq!(summary["totals"]["accepted"], 0, "{summary}");
    let rejected = w.read("out/again/rejected.csv");
    assert_eq!(rejected.matches("ALREADY_PAID").count(), payments.len() - 1);
    assert_eq!(rejected.matches("FAILED_BEFORE").count(), 1);

    // The ledger's journal agrees with its tables.
    w.ok(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
}

#[test]
fn reading_the_same_answer_twice_changes_nothing() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    let txs: Vec<TxStatus> = file
        .iter()
        .map(|p| TxStatus {
            payment: p,
            status: "ACSC",
            reason: None,
            amount: Some(p.amount_vnd),
        })
        .collect();
    let xml = pain002("12", "STS-9", &Original::of(file), ("ACSC", None), &txs);
    w.write("a/status.xml", &xml);
    w.write("a/status-copy.xml", &xml);
    w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r1",
        "a/status.xml",
    ]);
    let before = statuses(&w.join("ledger.sqlite"));
    let journal = |w: &Workdir| -> i64 {
        rusqlite::Connection::open(w.join("ledger.sqlite"))
            .unwrap()
            .query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0))
            .unwrap()
    };
    let records = journal(&w);
    let out = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r2",
        "a/status-copy.xml",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        json["files"][0]["read_before"].is_string(),
        "{}",
        out.stdout
    );
    assert_eq!(json["files"][0]["updated"], 0);
    assert_eq!(json["files"][0]["unchanged"], file.len());
    assert_eq!(statuses(&w.join("ledger.sqlite")), before);
    assert_eq!(journal(&w), records);
    // Settled is final: a late interim status does not undo it.
    let late: Vec<TxStatus> = file
        .iter()
        .map(|p| TxStatus {
            payment: p,
            status: "ACSP",
            reason: None,
            amount: None,
        })
        .collect();
    w.write(
        "a/late.xml",
        pain002("12", "STS-8", &Original::of(file), ("ACSP", None), &late),
    );
    let out = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r3",
        "a/late.xml",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["kept"], file.len(), "{}", out.stdout);
    assert_eq!(statuses(&w.join("ledger.sqlite")), before);
}

#[test]
fn what_cannot_be_matched_is_listed_and_changes_nothing() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    let (wrong_amount, unknown) = (file[0], file[1]);
    let mut stranger = unknown.clone();
    stranger.end_to_end_id = "OTHER202401-0000000000000000".to_owned();
    let txs = vec![
        TxStatus {
            payment: wrong_amount,
            status: "ACSC",
            reason: None,
            amount: Some(wrong_amount.amount_vnd + 1000),
        },
        TxStatus {
            payment: &stranger,
            status: "RJCT",
            reason: Some(("AC01", "SAI SO TAI KHOAN")),
            amount: None,
        },
    ];
    w.write(
        "a/partly-wrong.xml",
        pain002("12", "STS-3", &Original::of(file), ("PART", None), &txs),
    );
    w.write(
        "a/other-office.xml",
        pain002(
            "03",
            "STS-4",
            &Original {
                message_id: "XAKHAC-202401-0000AAAA-970405".to_owned(),
                count: 3,
                sum: 1_080_000,
            },
            ("RJCT", Some("FF01")),
            &[],
        ),
    );
    w.write(
        "a/broken.xml",
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.12\"><CstmrPmtStsRpt>",
    );
    w.write("a/not-xml.csv", "STT,Họ và tên\n1,A\n");
    let before = statuses(&w.join("ledger.sqlite"));
    let out = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r",
        "a/partly-wrong.xml",
        "a/other-office.xml",
        "a/broken.xml",
        "a/not-xml.csv",
        "a/missing.xml",
    ]);
    assert!(
        out.stdout
            .contains("WARNING: 6 statement(s) could not be applied"),
        "{}",
        out.render()
    );
    assert_eq!(statuses(&w.join("ledger.sqlite")), before);
    let unmatched = csv_records(&w.join("r/unmatched.csv"));
    let reasons = column(&unmatched, "reason").join("\n");
    assert!(
        reasons.contains(&format!("{} VND was sent", wrong_amount.amount_vnd)),
        "{reasons}"
    );
    assert!(reasons.contains("is not in the ledger"), "{reasons}");
    assert!(
        reasons.contains("was not sent from this ledger (another office's report?)"),
        "{reasons}"
    );
    assert!(reasons.contains("not well-formed XML"), "{reasons}");
    assert!(reasons.contains("not an ISO 20022 document"), "{reasons}");
    assert!(reasons.contains("cannot be read"), "{reasons}");
}

#[test]
fn a_group_rejection_rejects_every_payment_of_the_file() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    w.write(
        "a/rejected.xml",
        pain002(
            "03",
            "STS-5",
            &Original::of(file),
            ("RJCT", Some("FF01")),
            &[],
        ),
    );
    w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r",
        "a/rejected.xml",
    ]);
    let status = statuses(&w.join("ledger.sqlite"));
    for p in &payments {
        let expected = if p.message_id == file[0].message_id {
            ("rejected", "FF01")
        } else {
            ("sent", "")
        };
        let found = &status[&p.end_to_end_id];
        assert_eq!((found.0.as_str(), found.1.as_str()), expected);
    }
    assert_eq!(csv_records(&w.join("r/failed.csv")).len() - 1, file.len());
}

#[test]
fn an_answer_dropped_in_the_hot_folder_is_read_into_its_ledger() {
    let w = Workdir::new();
    w.write(
        "hot/inbox/chi-tra-2024-01.csv",
        common::generated_list(12, 5),
    );
    w.ok(&["watch", "hot", "--once", "--settle", "0"]);
    let payments = sent(&w.join("hot/ledger.sqlite"));
    let p = &payments[0];
    w.write(
        "hot/inbox/tra-lai.xml",
        camt054("NTF-7", &[Entry::Booked(p)]),
    );
    let out = w.ok(&["watch", "hot", "--once", "--settle", "0"]);
    assert!(
        out.stdout
            .contains("tra-lai.xml: bank answer, 1 payment(s) updated"),
        "{}",
        out.render()
    );
    assert_eq!(
        statuses(&w.join("hot/ledger.sqlite"))[&p.end_to_end_id].0,
        "settled"
    );
    assert!(w.join("hot/outbox/returns-NTF-7/outcomes.csv").exists());
    assert!(w.join("hot/archive/returns-NTF-7-tra-lai.xml").exists());
    // The same kind of answer saved as UTF-16 is an answer too, not a list.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in camt054("NTF-8", &[Entry::Booked(&payments[1])])
        .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
        .encode_utf16()
    {
        utf16.extend(unit.to_le_bytes());
    }
    w.write("hot/inbox/tra-lai-utf16.xml", utf16);
    let out = w.ok(&["watch", "hot", "--once", "--settle", "0"]);
    assert!(
        out.stdout
            .contains("tra-lai-utf16.xml: bank answer, 1 payment(s) updated"),
        "{}",
        out.render()
    );
    // A payment file dropped by mistake is not an answer.
    w.write(
        "hot/inbox/wrong.xml",
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>",
    );
    let out = w.ok(&["watch", "hot", "--once", "--settle", "0"]);
    assert!(out.stdout.contains("wrong.xml: failed"), "{}", out.render());
    assert!(
        w.read("hot/failed/wrong.xml.error.txt")
            .contains("pain.001")
    );
}

/// An answer read by a `returns` that is killed anywhere (before its
/// ledger commit, after it, after its reports were staged) and read again:
/// each payment's status is the one an uninterrupted reading gives, and the
/// reports of the second reading say what the answer changed, byte for
/// byte as the uninterrupted reading's.
#[test]
fn an_answer_interrupted_anywhere_is_reported_in_full_when_read_again() {
    fn setup() -> (Workdir, Vec<Sent>) {
        let w = Workdir::new();
        let payments = paid_batch(&w, 12);
        let file = by_message(&payments)[0]
            .iter()
            .map(|p| (*p).clone())
            .collect::<Vec<_>>();
        let txs: Vec<TxStatus> = file
            .iter()
            .enumerate()
            .map(|(i, p)| TxStatus {
                payment: p,
                status: if i < 2 { "RJCT" } else { "ACSC" },
                reason: (i < 2).then_some(("AC04", "TAI KHOAN DA DONG")),
                amount: None,
            })
            .collect();
        let refs: Vec<&Sent> = file.iter().collect();
        w.write(
            "a/status.xml",
            pain002("12", "STS-K", &Original::of(&refs), ("PART", None), &txs),
        );
        (w, file)
    }
    let read = |w: &Workdir, out: &str, failpoint: Option<&str>| {
        let mut cmd = w.command(&[
            "returns",
            "--ledger",
            "ledger.sqlite",
            "--out",
            out,
            "a/status.xml",
        ]);
        if let Some(point) = failpoint {
            cmd.env(disburse::failpoint::VAR, point);
        }
        cmd.output().unwrap()
    };
    let (reference, _) = setup();
    assert!(read(&reference, "r", None).status.success());
    let expected = statuses(&reference.join("ledger.sqlite"));
    for point in ["answer-matched", "answer-committed", "reports-staged"] {
        let (w, file) = setup();
        let killed = read(&w, "r", Some(point));
        assert!(
            !killed.status.success(),
            "{point}: the failpoint was not reached"
        );
        assert!(!w.join("r").exists(), "{point}: reports published");
        let again = read(&w, "r", None);
        assert!(
            again.status.success(),
            "{point}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(statuses(&w.join("ledger.sqlite")), expected, "{point}");
        for report in ["outcomes.csv", "failed.csv", "summary.csv"] {
            assert_eq!(
                w.read(&format!("r/{report}")),
                reference.read(&format!("r/{report}")),
                "{point}: {report}"
            );
        }
        let failed = csv_records(&w.join("r/failed.csv"));
        assert_eq!(failed.len(), 3, "{point}: {failed:?}");
        assert!(column(&failed, "end_to_end_id").contains(&file[0].end_to_end_id));
        w.ok(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
    }
}

/// A re-issue list copies each row from its batch's `accepted.csv`: one
/// changed since the batch was written is refused, so that no row is
/// re-issued with cells nobody sent.
#[test]
fn a_reissue_refuses_rows_from_a_listing_changed_after_its_batch() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    w.write(
        "a/rejected.xml",
        pain002(
            "03",
            "STS-6",
            &Original::of(file),
            ("RJCT", Some("AC04")),
            &[],
        ),
    );
    w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r",
        "a/rejected.xml",
    ]);
    // The failed payments' contact details come from the listing.
    let failed = csv_records(&w.join("r/failed.csv"));
    assert_eq!(failed.len() - 1, file.len());
    let reissue = [
        "reissue",
        "--ledger",
        "ledger.sqlite",
        "--period",
        "2024-01",
        "--out",
        "lists/reissue.csv",
    ];
    w.ok(&reissue);
    let listed = w.read("lists/reissue.csv");
    std::fs::remove_file(w.join("lists/reissue.csv")).unwrap();

    let accepted = w.read("out/batch/accepted.csv");
    w.write(
        "out/batch/accepted.csv",
        accepted.replacen(&file[0].account, "9999999999999", 1),
    );
    let refused = w.run(&reissue);
    assert_eq!(refused.code, 7, "{}", refused.render());
    assert!(
        refused
            .stderr
            .contains("accepted.csv` was changed after its batch was written"),
        "{}",
        refused.render()
    );
    assert!(!w.join("lists/reissue.csv").exists());

    // Put back, the listing gives the same list again.
    w.write("out/batch/accepted.csv", accepted);
    w.ok(&reissue);
    assert_eq!(w.read("lists/reissue.csv"), listed);
}
