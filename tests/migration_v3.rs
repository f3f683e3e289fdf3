//! A ledger written by the release with schema version 3 (before
//! approvals) opens in this one and is migrated in place: the same tallies,
//! still verifiable with the migration a journal record, the same list
//! refused, the next month paid and then approved and released; a kill
//! during the migration leaves the old ledger or the new one.
//!
//! The fixture (`tests/fixtures/ledger-v3`) was made by that release: the
//! 40-row list of the version 2 fixture run for 2024-01 at
//! `/tmp/disburse-fixture-ledger-v3`, then its pain.002 read. Its ledger
//! records that absolute path, so each test puts the fixture back there.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::{Outcome, repo_file, user_version};

const HOME: &str = "/tmp/disburse-fixture-ledger-v3";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn restore() -> PathBuf {
    common::restore_fixture("ledger-v3", HOME)
}

fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    common::run_in(home, args, env)
}

fn ok(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let out = run(home, args, env);
    assert_eq!(out.code, 0, "{}", out.render());
    out
}

#[test]
fn a_ledger_of_the_release_before_approvals_is_migrated_and_approves_the_next_month() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = restore();
    let ledger = home.join("ledger.sqlite");
    assert_eq!(user_version(&ledger), 3);

    let status = ok(&home, &["status", "--ledger", "ledger.sqlite"], &[]);
    assert!(
        status.stderr.contains("migrating ledger"),
        "{}",
        status.render()
    );
    assert_eq!(user_version(&ledger), 4);
    assert_eq!(
        status.stdout,
        std::fs::read_to_string(home.join("status-v3.txt")).unwrap()
    );
    let verify = ok(
        &home,
        &["ledger", "verify", "--ledger", "ledger.sqlite"],
        &[],
    );
    assert!(verify.stdout.contains("is intact"), "{}", verify.render());
    let last: String = rusqlite::Connection::open(&ledger)
        .unwrap()
        .query_row(
            "SELECT kind FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "migration");

    // The batch recorded before approvals existed needed none: the old
    // answer still applies to it (read again: nothing changes).
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
        &[],
    );
    assert_eq!(again.code, 6, "{}", again.render());

    // The next month, with approvers, waits for both and is released.
    let pass = "một cụm mật khẩu dài";
    let env = [("DISBURSE_PASSPHRASE", pass)];
    let mut config = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    for (name, role, file) in [
        ("Nguyễn Thị Lan", "chief_accountant", "lan.key"),
        ("Trần Văn Hùng", "head", "hung.key"),
    ] {
        config.push('\n');
        config.push_str(&common::keygen_in(&home, name, role, file, pass));
    }
    std::fs::write(home.join("office.toml"), config).unwrap();
    std::fs::write(home.join("list-2024-02.csv"), common::generated_list(40, 7)).unwrap();
    ok(
        &home,
        &[
            "run",
            "list-2024-02.csv",
            "--period",
            "2024-02",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
            "--out",
            "batch-2024-02",
        ],
        &[],
    );
    for key in ["lan.key", "hung.key"] {
        ok(
            &home,
            &[
                "approve",
                "batch-2024-02",
                "--key",
                key,
                "--yes",
                "--config",
                "office.toml",
                "--ledger",
                "ledger.sqlite",
            ],
            &env,
        );
    }
    ok(
        &home,
        &[
            "release",
            "batch-2024-02",
            "--to",
            "tobank",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ],
        &[],
    );
    let verify = ok(
        &home,
        &["ledger", "verify", "--ledger", "ledger.sqlite"],
        &[],
    );
    assert!(verify.stdout.contains("is intact"), "{}", verify.render());
}

#[test]
fn a_kill_during_the_migration_leaves_the_old_ledger_or_the_new_one() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for (point, version) in [("migration-copied", 3), ("migration-committed", 4)] {
        let home = restore();
        let ledger = home.join("ledger.sqlite");
        let killed = run(
            &home,
            &["status", "--ledger", "ledger.sqlite"],
            &[(disburse::failpoint::VAR, point)],
        );
        assert_ne!(killed.code, 0, "{point}: {}", killed.render());
        assert_eq!(user_version(&ledger), version, "{point}");
        let status = ok(&home, &["status", "--ledger", "ledger.sqlite"], &[]);
        assert_eq!(
            status.stdout,
            std::fs::read_to_string(home.join("status-v3.txt")).unwrap(),
            "{point}"
        );
        assert_eq!(user_version(&ledger), 4, "{point}");
        ok(
            &home,
            &["ledger", "verify", "--ledger", "ledger.sqlite"],
            &[],
        );
    }
}
