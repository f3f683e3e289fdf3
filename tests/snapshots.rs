//! Snapshots of a small batch in which every rule fires: the bank files,
//! listings, reconciliation, manifest and the terminal summary. Any change
//! to what a bank or a reviewer receives shows up here.

mod common;

use common::Workdir;

fn every_rule_batch() -> (Workdir, common::Outcome) {
    let w = Workdir::new();
    let out = w.run_sample("every-rule.csv", "batch", &[]);
    (w, out)
}

#[test]
fn every_rule_batch_files() {
    let (w, out) = every_rule_batch();
    insta::assert_snapshot!(
        "summary",
        out.render().replace(w.path().to_str().unwrap(), "[TMP]")
    );
    for f in w.files("batch") {
        if f.ends_with(".xlsx") {
            continue; // binary: read back in tests/reports.rs
        }
        let name = f.replace('/', "__");
        insta::assert_snapshot!(name, w.read(&format!("batch/{f}")));
    }
}

#[test]
fn every_rule_fires_in_the_every_rule_sample() {
    let (w, _) = every_rule_batch();
    let rejected = w.read("batch/rejected.csv");
    let accepted = w.read("batch/accepted.csv");
    for code in disburse::validate::Code::ALL {
        use disburse::validate::Code;
        if matches!(
            code,
            Code::AlreadyPaid
                | Code::FailedBefore
                | Code::IdentityConflict
                | Code::AccountChanged
                | Code::RepeatedFailure
        ) {
            // Need a ledger: tests/ledger.rs, returns.rs, identity.rs,
            // changes.rs.
            continue;
        }
        assert!(
            rejected.contains(code.as_str()) || accepted.contains(code.as_str()),
            "{code} does not fire"
        );
    }
}

#[test]
fn json_summary() {
    let w = Workdir::new();
    let out = w.run_sample("every-rule.csv", "batch", &["--json"]);
    insta::assert_snapshot!(out.stdout.replace(w.path().to_str().unwrap(), "[TMP]"));
}
