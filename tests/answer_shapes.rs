//! The shapes real bank answers take, modelled on the status reports and
//! statements banks publish as samples, and what each may change: a block
//! status that counts only what it lists, a block of another message, a
//! batch-booked block, returns booked as reversals, credit/debit
//! indicators that disagree, a country's namespace, an envelope with a
//! business application header. An answer read wrongly is a person paid
//! twice or never paid: each test checks that the right payments, and only
//! those, change, and that what is not applied is listed with why.

mod common;

use std::collections::BTreeMap;

use common::answers::{
    Block, Entry, Report, Sent, Totals, TxStatus, by_message, camt053, camt054, column,
    in_envelope, in_saa_envelope, paid_batch, statuses,
};
use common::{Workdir, csv_records};

/// Reads `files` (written into the work dir) with `disburse returns` into
/// `out`; the unmatched reasons, one a line.
fn read_answers(w: &Workdir, out: &str, files: &[&str]) -> String {
    let mut args = vec!["returns", "--ledger", "ledger.sqlite", "--out", out];
    args.extend_from_slice(files);
    w.ok(&args);
    let unmatched = csv_records(&w.join(&format!("{out}/unmatched.csv")));
    column(&unmatched, "reason").join("\n")
}

/// The status and reason of every payment now.
fn now(w: &Workdir) -> BTreeMap<String, (String, String)> {
    statuses(&w.join("ledger.sqlite"))
}

/// The payments whose status differs between two readings of the ledger.
fn changed(
    before: &BTreeMap<String, (String, String)>,
    after: &BTreeMap<String, (String, String)>,
) -> BTreeMap<String, (String, String)> {
    after
        .iter()
        .filter(|(id, s)| before.get(*id) != Some(*s))
        .map(|(id, s)| (id.clone(), s.clone()))
        .collect()
}

fn rejected_tx<'a>(p: &'a Sent, code: &'a str) -> TxStatus<'a> {
    TxStatus {
        payment: p,
        status: "RJCT",
        reason: Some((code, "TU CHOI")),
        amount: Some(p.amount_vnd),
    }
}

/// A returns report as some banks send it: no group status, the block
/// `RJCT` with totals `totals`, and the rejected transactions it names
/// (the second without a `TxSts` of its own: it has its block's).
fn block_rejection(version: &str, file: &[&Sent], totals: Totals) -> String {
    let mut second = rejected_tx(file[1], "AC04");
    second.status = "";
    second.reason = None;
    Report {
        version,
        msg_id: "RTN-1",
        original: file[0].message_id.clone(),
        totals: None,
        status: None,
        blocks: vec![Block {
            id: format!("{}-1", file[0].message_id),
            totals: Some(totals),
            status: Some(("RJCT", Some(("AC04", "TAI KHOAN DA DONG")))),
            txs: vec![rejected_tx(file[0], "AC01"), second],
        }],
    }
    .xml()
}

#[test]
fn a_block_status_that_counts_only_what_it_lists_changes_only_those() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 30);
    let file = &by_message(&payments)[0];
    assert!(file.len() >= 5);
    let named = Totals::of(&file[..2]);
    w.write("a/returns.xml", block_rejection("03", file, named));
    let before = now(&w);
    let reasons = read_answers(&w, "r", &["a/returns.xml"]);
    let after = now(&w);
    let expected: BTreeMap<_, _> = [
        (
            file[0].end_to_end_id.clone(),
            ("rejected".into(), "AC01".into()),
        ),
        (
            file[1].end_to_end_id.clone(),
            ("rejected".into(), "AC04".into()),
        ),
    ]
    .into();
    assert_eq!(changed(&before, &after), expected);
    assert!(
        reasons.contains("the payment-block status `RJCT` covers 2 payments")
            && reasons.contains(&format!("the other {} stay as they are", file.len() - 2)),
        "{reasons}"
    );

    // The re-issue list holds the two the bank rejected, and nobody else.
    w.ok(&[
        "reissue",
        "--ledger",
        "ledger.sqlite",
        "--period",
        "2024-01",
        "--out",
        "reissue.csv",
    ]);
    let list = csv_records(&w.join("reissue.csv"));
    assert_eq!(list.len(), 3, "{list:?}");
    let text = w.read("reissue.csv");
    for p in &file[..2] {
        assert!(text.contains(&p.end_to_end_id), "{text}");
    }
    for p in &file[2..] {
        assert!(!text.contains(&p.end_to_end_id), "{text}");
    }
}

#[test]
fn a_block_status_with_the_whole_files_totals_covers_its_unnamed_payments() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    w.write(
        "a/returns.xml",
        block_rejection("12", file, Totals::of(file)),
    );
    let before = now(&w);
    let reasons = read_answers(&w, "r", &["a/returns.xml"]);
    let after = now(&w);
    assert_eq!(reasons, "");
    let moved = changed(&before, &after);
    assert_eq!(moved.len(), file.len());
    assert_eq!(moved[&file[0].end_to_end_id].1, "AC01");
    // Unnamed payments take the block's reason.
    assert_eq!(
        moved[&file[4].end_to_end_id],
        ("rejected".into(), "AC04".into())
    );
}

#[test]
fn a_block_or_group_status_that_cannot_be_tied_to_the_file_changes_nothing() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 30);
    let files = by_message(&payments);
    let (a, b) = (&files[0], &files[1]);
    // About message A, naming the block of message B.
    let foreign = Report {
        version: "12",
        msg_id: "STS-X",
        original: a[0].message_id.clone(),
        totals: None,
        status: Some(("PART", None)),
        blocks: vec![Block {
            id: format!("{}-1", b[0].message_id),
            totals: Some(Totals::of(b)),
            status: Some(("RJCT", Some(("FF01", "LOI")))),
            txs: Vec::new(),
        }],
    };
    w.write("a/foreign-block.xml", foreign.xml());
    // A whole-file rejection that gives no count and no sum.
    let bare = Report {
        version: "03",
        msg_id: "STS-Y",
        original: a[0].message_id.clone(),
        totals: None,
        status: Some(("RJCT", Some("FF01"))),
        blocks: Vec::new(),
    };
    w.write("a/bare-group.xml", bare.xml());
    // A group status whose sum is not the file's: the amount is shown as
    // written, with no currency the file did not give.
    let mut wrong = Totals::of(a);
    wrong.sum += 1;
    let off = Report {
        version: "12",
        msg_id: "STS-Z",
        original: a[0].message_id.clone(),
        totals: Some(wrong),
        status: Some(("ACCP", None)),
        blocks: Vec::new(),
    };
    w.write("a/wrong-sum.xml", off.xml());
    let before = now(&w);
    let reasons = read_answers(
        &w,
        "r",
        &["a/foreign-block.xml", "a/bare-group.xml", "a/wrong-sum.xml"],
    );
    assert_eq!(now(&w), before);
    assert!(
        reasons.contains(&format!(
            "payment block `{}-1` belongs to message `{}`, not to `{}`",
            b[0].message_id, b[0].message_id, a[0].message_id
        )),
        "{reasons}"
    );
    assert!(
        reasons.contains("`RJCT` gives no original number of transactions and control sum"),
        "{reasons}"
    );
    let unmatched = csv_records(&w.join("r/unmatched.csv"));
    assert!(
        column(&unmatched, "amount").contains(&wrong.sum.to_string()),
        "{unmatched:?}"
    );
}

#[test]
fn a_batch_booked_block_settles_it_when_it_adds_up_and_a_partial_one_changes_nothing() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 30);
    let files = by_message(&payments);
    let (a, b) = (&files[0], &files[1]);
    let partial = Entry::Batch {
        message_id: &b[0].message_id,
        count: b.len() - 1,
        total: b[1..].iter().map(|p| p.amount_vnd).sum(),
    };
    w.write(
        "a/statement.xml",
        camt053("STMT-1", &[batch_of(a), partial]),
    );
    let before = now(&w);
    let reasons = read_answers(&w, "r", &["a/statement.xml"]);
    let moved = changed(&before, &now(&w));
    assert_eq!(moved.len(), a.len());
    assert!(a.iter().all(|p| moved[&p.end_to_end_id].0 == "settled"));
    assert!(
        reasons.contains(&format!(
            "the batch entry books {} payments, {} VND, but the file sent has {} payments",
            b.len() - 1,
            b[1..].iter().map(|p| p.amount_vnd).sum::<i64>(),
            b.len()
        )),
        "{reasons}"
    );
    let unmatched = csv_records(&w.join("r/unmatched.csv"));
    assert_eq!(
        column(&unmatched, "message_id"),
        vec![b[0].message_id.clone()]
    );

    // The bank rejected one payment of B, then booked the rest as one
    // entry: the rest are settled, the rejected one stays rejected.
    let rejection = Report {
        version: "12",
        msg_id: "STS-B",
        original: b[0].message_id.clone(),
        totals: Some(Totals::of(b)),
        status: Some(("PART", None)),
        blocks: vec![Block {
            id: format!("{}-1", b[0].message_id),
            totals: None,
            status: None,
            txs: vec![rejected_tx(b[0], "AC04")],
        }],
    };
    w.write("a/rejection.xml", rejection.xml());
    w.write("a/rest.xml", camt053("STMT-2", &[batch_of(&b[1..])]));
    let before = now(&w);
    let reasons = read_answers(&w, "r2", &["a/rejection.xml", "a/rest.xml"]);
    assert_eq!(reasons, "");
    let moved = changed(&before, &now(&w));
    assert_eq!(moved.len(), b.len());
    assert_eq!(moved[&b[0].end_to_end_id].0, "rejected");
    assert!(
        b[1..]
            .iter()
            .all(|p| moved[&p.end_to_end_id].0 == "settled")
    );

    // The whole of B booked after one was rejected: ambiguous, nothing
    // changes.
    w.write("a/whole-b.xml", camt053("STMT-3", &[batch_of(b)]));
    let before = now(&w);
    let reasons = read_answers(&w, "r3", &["a/whole-b.xml"]);
    assert_eq!(now(&w), before);
    assert!(
        reasons.contains("books the whole file sent")
            && reasons.contains("1 of its payments were rejected"),
        "{reasons}"
    );
}

/// A batch entry of these payments (all of one message).
fn batch_of<'a>(payments: &[&'a Sent]) -> Entry<'a> {
    Entry::Batch {
        message_id: &payments[0].message_id,
        count: payments.len(),
        total: payments.iter().map(|p| p.amount_vnd).sum(),
    }
}

#[test]
fn returns_booked_as_reversals_are_returns_and_other_reversals_are_listed() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    w.write(
        "a/reversals.xml",
        camt054(
            "NTF-R",
            &[
                Entry::Reversal(file[0], Some(("AC04", "TAI KHOAN DA DONG")), "ESCT"),
                Entry::Reversal(file[1], None, "RRTN"),
                Entry::Reversal(file[2], None, "ESCT"),
                Entry::DebitReversal(file[3]),
            ],
        ),
    );
    let before = now(&w);
    let reasons = read_answers(&w, "r", &["a/reversals.xml"]);
    let expected: BTreeMap<_, _> = [
        (
            file[0].end_to_end_id.clone(),
            ("returned".into(), "AC04".into()),
        ),
        (
            file[1].end_to_end_id.clone(),
            ("returned".into(), String::new()),
        ),
    ]
    .into();
    assert_eq!(changed(&before, &now(&w)), expected);
    assert!(
        reasons.contains("a reversal of a debit with no return reason or return code"),
        "{reasons}"
    );
    assert!(
        reasons.contains("a debit reversing an earlier credit"),
        "{reasons}"
    );
}

#[test]
fn the_entry_indicator_governs_and_disagreement_with_a_return_is_listed() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    let net = file[1].amount_vnd + file[2].amount_vnd - file[3].amount_vnd;
    w.write(
        "a/indicators.xml",
        camt054(
            "NTF-I",
            &[
                // Money left the account for it: settled, whatever its
                // transaction's indicator says.
                Entry::BookedSaying(file[0], "CRDT", None),
                // A debit carrying return information: ambiguous.
                Entry::BookedSaying(file[4], "CRDT", Some(("AC04", "DA DONG"))),
                // Two payments and a return netted into one debit.
                Entry::Netted {
                    indicator: "DBIT",
                    amount: net,
                    txs: vec![
                        (file[1], "DBIT", None),
                        (file[2], "DBIT", None),
                        (file[3], "CRDT", Some(("MD07", "DA CHET"))),
                    ],
                },
                // A debited batch of credit transfers whose transactions
                // all say CRDT: they describe the entry's debit.
                Entry::Netted {
                    indicator: "DBIT",
                    amount: file[7].amount_vnd + file[8].amount_vnd,
                    txs: vec![(file[7], "CRDT", None), (file[8], "CRDT", None)],
                },
                // The same, but the amounts do not net to the entry.
                Entry::Netted {
                    indicator: "DBIT",
                    amount: net + 1000,
                    txs: vec![
                        (file[5], "DBIT", None),
                        (file[6], "CRDT", Some(("AC04", "X"))),
                    ],
                },
            ],
        ),
    );
    let before = now(&w);
    let reasons = read_answers(&w, "r", &["a/indicators.xml"]);
    let expected: BTreeMap<_, _> = [
        (
            file[0].end_to_end_id.clone(),
            ("settled".into(), String::new()),
        ),
        (
            file[1].end_to_end_id.clone(),
            ("settled".into(), String::new()),
        ),
        (
            file[2].end_to_end_id.clone(),
            ("settled".into(), String::new()),
        ),
        (
            file[3].end_to_end_id.clone(),
            ("returned".into(), "MD07".into()),
        ),
        (
            file[7].end_to_end_id.clone(),
            ("settled".into(), String::new()),
        ),
        (
            file[8].end_to_end_id.clone(),
            ("settled".into(), String::new()),
        ),
    ]
    .into();
    assert_eq!(changed(&before, &now(&w)), expected);
    assert!(
        reasons.contains("return information on a debit")
            && reasons.contains("(the entry says DBIT and its transaction CRDT)"),
        "{reasons}"
    );
    assert_eq!(
        reasons.matches("do not net to the entry's amount").count(),
        2,
        "{reasons}"
    );
}

/// A report rejecting one payment by name.
fn one_rejection<'a>(msg_id: &'a str, version: &'a str, p: &'a Sent) -> Report<'a> {
    Report {
        version,
        msg_id,
        original: p.message_id.clone(),
        totals: None,
        status: Some(("PART", None)),
        blocks: vec![Block {
            id: format!("{}-1", p.message_id),
            totals: None,
            status: None,
            txs: vec![rejected_tx(p, "AC04")],
        }],
    }
}

#[test]
fn a_country_namespace_and_an_application_header_envelope_are_read() {
    let w = Workdir::new();
    let payments = paid_batch(&w, 12);
    let file = &by_message(&payments)[0];
    let swiss = one_rejection("CH-1", "03", file[0]).xml().replace(
        "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
        "http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd",
    );
    w.write("a/swiss.xml", swiss);
    w.write(
        "a/cbpr.xml",
        in_envelope(
            &one_rejection("ENV-1", "12", file[1]).xml(),
            "pain.002.001.12",
        ),
    );
    w.write(
        "a/saa.xml",
        in_saa_envelope(
            &camt054("NTF-S", &[Entry::Returned(file[3], "MD07", "DA CHET")]),
            "camt.054.001.08",
        ),
    );
    w.write(
        "a/intraday.xml",
        camt054("RPT-1", &[Entry::Booked(file[2])])
            .replace("camt.054.001.08", "camt.052.001.08")
            .replace("BkToCstmrDbtCdtNtfctn", "BkToCstmrAcctRpt"),
    );
    w.write("a/other.xml", "<Foo xmlns=\"urn:example:foo\"><Bar/></Foo>");
    let before = now(&w);
    let reasons = read_answers(
        &w,
        "r",
        &[
            "a/swiss.xml",
            "a/cbpr.xml",
            "a/saa.xml",
            "a/intraday.xml",
            "a/other.xml",
        ],
    );
    let moved = changed(&before, &now(&w));
    assert_eq!(moved.len(), 3, "{reasons}");
    assert_eq!(
        moved[&file[3].end_to_end_id],
        ("returned".into(), "MD07".into())
    );
    assert_eq!(moved[&file[0].end_to_end_id].0, "rejected");
    assert_eq!(moved[&file[1].end_to_end_id].0, "rejected");
    assert!(
        reasons.contains(
            "`camt.052.001.08` is not a bank answer disburse reads (namespace `urn:iso:std:iso:20022:tech:xsd:camt.052.001.08`, root `Document`)"
        ),
        "{reasons}"
    );
    assert!(
        reasons.contains(
            "the root element `Foo` (namespace `urn:example:foo`) holds no ISO 20022 `Document`"
        ),
        "{reasons}"
    );
}
