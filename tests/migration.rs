//! A ledger written by the release with schema version 2 opens in this one
//! and is migrated in place: nothing lost, still verifiable, the same list
//! still refused, the next month still paid; a kill during the migration
//! leaves the old ledger or the new one; a ledger changed behind its
//! journal's back is not migrated.
//!
//! The fixture (`tests/fixtures/ledger-v2`) was made by that release: a
//! 40-row generated list run for 2024-01 at
//! `/tmp/disburse-fixture-ledger-v2`, then a pain.002 read (21 settled,
//! 2 accepted, 3 rejected). Its ledger records that absolute path, so each
//! test puts the fixture back there (one test at a time).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::{Outcome, user_version};

/// Where the fixture was made, and is restored.
const HOME: &str = "/tmp/disburse-fixture-ledger-v2";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The fixture, fresh, at the path its ledger names.
fn restore() -> PathBuf {
    common::restore_fixture("ledger-v2", HOME)
}

fn run(home: &Path, args: &[&str], failpoint: Option<&str>) -> Outcome {
    match failpoint {
        Some(point) => common::run_in(home, args, &[(disburse::failpoint::VAR, point)]),
        None => common::run_in(home, args, &[]),
    }
}

fn ok(home: &Path, args: &[&str]) -> Outcome {
    let out = run(home, args, None);
    assert_eq!(out.code, 0, "{}", out.render());
    out
}

/// Each row of a re-issue list as header to cell (its columns may come in
/// another order).
fn reissue_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let records = common::csv_records(path);
    let headers: Vec<String> = records[0]
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    records[1..]
        .iter()
        .map(|r| headers.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn a_ledger_of_the_previous_release_is_migrated_with_nothing_lost() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = restore();
    let ledger = home.join("ledger.sqlite");
    assert_eq!(user_version(&ledger), 2);

    // The same tallies, word for word, from the migrated ledger.
    let status = ok(&home, &["status", "--ledger", "ledger.sqlite"]);
    assert!(
        status.stderr.contains("migrating ledger"),
        "{}",
        status.render()
    );
    assert_eq!(user_version(&ledger), 4);
    assert_eq!(
        status.stdout,
        std::fs::read_to_string(home.join("status-v2.txt")).unwrap()
    );

    // Verifiable, the migration itself a journal record.
    let verify = ok(&home, &["ledger", "verify", "--ledger", "ledger.sqlite"]);
    assert!(verify.stdout.contains("is intact"), "{}", verify.render());
    let kinds: Vec<String> = rusqlite::Connection::open(&ledger)
        .unwrap()
        .prepare("SELECT kind FROM journal ORDER BY seq DESC LIMIT 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kinds, ["migration"]);

    // The same list is still refused, and nothing is paid again.
    let again = run(
        &home,
        &[
            "run",
            "list-2024-01.csv",
            "--period",
            "2024-01",
            "--ledger",
            "ledger.sqlite",
            "--out",
            "again",
        ],
        None,
    );
    assert_eq!(again.code, 6, "{}", again.render());
    assert!(!home.join("again").exists());

    // The re-issue list names the same people with the same cells, read
    // now from the batch's accepted.csv.
    ok(
        &home,
        &[
            "reissue",
            "--ledger",
            "ledger.sqlite",
            "--period",
            "2024-01",
            "--out",
            "reissue-v3.csv",
        ],
    );
    let before = reissue_rows(&home.join("reissue-v2.csv"));
    assert_eq!(before.len(), 2, "the fixture has two payments to re-issue");
    assert_eq!(reissue_rows(&home.join("reissue-v3.csv")), before);

    // A payment rejected before the migration is re-issued, once, when its
    // account is corrected.
    let corrected = std::fs::read_to_string(home.join("reissue-v3.csv"))
        .unwrap()
        .replace("8507425428701", "8507425428719")
        .replace("8507998621441", "8507998621459");
    std::fs::write(home.join("corrected.csv"), &corrected).unwrap();
    let reissue = |list: &str, out: &str| {
        ok(
            &home,
            &[
                "run",
                list,
                "--period",
                "2024-01",
                "--ledger",
                "ledger.sqlite",
                "--out",
                out,
            ],
        );
        let accepted = common::csv_records(&home.join(out).join("accepted.csv"));
        let rejected = common::csv_records(&home.join(out).join("rejected.csv"));
        (
            accepted.len() - 1,
            rejected[1..]
                .iter()
                .map(|r| r[1].clone())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(reissue("corrected.csv", "reissued"), (2, vec![]));
    std::fs::write(
        home.join("corrected-again.csv"),
        corrected.replace("\n", "\r\n"),
    )
    .unwrap();
    assert_eq!(
        reissue("corrected-again.csv", "reissued-again"),
        (
            0,
            vec!["ALREADY_PAID".to_owned(), "ALREADY_PAID".to_owned()]
        )
    );

    // The next month runs into the same ledger.
    std::fs::write(home.join("list-2024-02.csv"), common::generated_list(40, 7)).unwrap();
    ok(
        &home,
        &[
            "run",
            "list-2024-02.csv",
            "--period",
            "2024-02",
            "--ledger",
            "ledger.sqlite",
            "--out",
            "batch-2024-02",
        ],
    );
    let verify = ok(&home, &["ledger", "verify", "--ledger", "ledger.sqlite"]);
    assert!(verify.stdout.contains("is intact"), "{}", verify.render());
    let status = ok(
        &home,
        &["status", "--ledger", "ledger.sqlite", "--period", "2024-02"],
    );
    assert!(
        status.stdout.contains("HUYENX-202402-"),
        "{}",
        status.render()
    );
}

#[test]
fn a_kill_during_the_migration_leaves_the_old_ledger_or_the_new_one() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for (point, version) in [("migration-copied", 2), ("migration-committed", 4)] {
        let home = restore();
        let ledger = home.join("ledger.sqlite");
        let killed = run(&home, &["status", "--ledger", "ledger.sqlite"], Some(point));
        assert_ne!(killed.code, 0, "{point}: {}", killed.render());
        assert_eq!(user_version(&ledger), version, "{point}");
        if version == 2 {
            // The old tables, whole.
            let rows: i64 = rusqlite::Connection::open(&ledger)
                .unwrap()
                .query_row(
                    "SELECT count(*) FROM payments WHERE source_row <> ''",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(rows, 40, "{point}");
        }
        let status = ok(&home, &["status", "--ledger", "ledger.sqlite"]);
        assert_eq!(
            status.stdout,
            std::fs::read_to_string(home.join("status-v2.txt")).unwrap(),
            "{point}"
        );
        let verify = ok(&home, &["ledger", "verify", "--ledger", "ledger.sqlite"]);
        assert!(
            verify.stdout.contains("is intact"),
            "{point}: {}",
            verify.render()
        );
    }
}

#[test]
fn a_ledger_changed_behind_its_journal_is_not_migrated() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = restore();
    let ledger = home.join("ledger.sqlite");
    rusqlite::Connection::open(&ledger)
        .unwrap()
        .execute(
            "UPDATE payments SET account = '0000000000' WHERE row = 3",
            [],
        )
        .unwrap();
    let refused = run(&home, &["status", "--ledger", "ledger.sqlite"], None);
    // Exit 7: the ledger cannot be used.
    assert_eq!(refused.code, 7, "{}", refused.render());
    assert!(
        refused.stderr.contains("cannot be migrated")
            && refused.stderr.contains("not those its journal sealed")
            && refused.stderr.contains("left as it was"),
        "{}",
        refused.render()
    );
    assert_eq!(user_version(&ledger), 2);
}
