//! Nothing reaches a bank unsigned: two approvers sign a batch with their
//! own keys, a release hands over exactly what they signed, and `verify`
//! tells a bank whether what it received is that. Every refusal has its
//! exit code; a changed file is never released; a release killed anywhere
//! is finished, never doubled; no passphrase or secret reaches the ledger
//! or the terminal.

mod common;

use common::answers::{Original, TxStatus, by_message, pain002, sent};
use common::{Outcome, Workdir, repo_file};

const PASS_LAN: &str = "kế toán trưởng 2024";
const PASS_HUNG: &str = "thủ trưởng đơn vị 2024";

/// Runs with a passphrase given as scripts give it.
fn run_with(w: &Workdir, pass: &str, args: &[&str]) -> Outcome {
    w.run_env(args, &[("DISBURSE_PASSPHRASE", pass)])
}

fn keygen(w: &Workdir, name: &str, role: &str, file: &str, pass: &str) -> String {
    common::keygen_in(w.path(), name, role, file, pass)
}

/// The entry keygen printed, without its comments.
fn entry(printed: &str) -> String {
    printed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// An office with a chief accountant and a head, each with a key, and a
/// batch of the sample recorded in the ledger at `batch`.
fn office() -> Workdir {
    let w = Workdir::new();
    let lan = keygen(
        &w,
        "Nguyễn Thị Lan",
        "chief_accountant",
        "lan.key",
        PASS_LAN,
    );
    let hung = keygen(&w, "Trần Văn Hùng", "head", "hung.key", PASS_HUNG);
    let config = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    w.write(
        "office.toml",
        format!("{config}\n{}\n{}", entry(&lan), entry(&hung)),
    );
    w.write("list.csv", common::generated_list(40, 11));
    w.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "batch",
    ]);
    w
}

fn approve(w: &Workdir, key: &str, pass: &str) -> Outcome {
    run_with(
        w,
        pass,
        &[
            "approve",
            "batch",
            "--key",
            key,
            "--yes",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ],
    )
}

fn release(w: &Workdir, to: &str) -> Outcome {
    w.run(&[
        "release",
        "batch",
        "--to",
        to,
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
    ])
}

fn verify(w: &Workdir, dir: &str) -> Outcome {
    w.run(&["verify", dir, "--config", "office.toml"])
}

fn ledger_verify(w: &Workdir) {
    w.ok(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
}

#[test]
fn keygen_writes_a_key_only_its_owner_reads_and_the_entry_to_configure() {
    let w = Workdir::new();
    let printed = keygen(
        &w,
        "Nguyễn Thị Lan",
        "chief_accountant",
        "lan.key",
        PASS_LAN,
    );
    assert!(
        printed.contains(
            "[[approvers]]\nname = \"Nguyễn Thị Lan\"\nrole = \"chief_accountant\"\npublic_key = \""
        ),
        "{printed}"
    );
    let key = w.read("lan.key");
    assert!(
        key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{key}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(w.join("lan.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never overwritten; a short passphrase or an unknown role refused.
    let again = run_with(
        &w,
        PASS_LAN,
        &[
            "keygen", "--name", "X", "--role", "head", "--out", "lan.key",
        ],
    );
    assert_eq!(again.code, 5, "{}", again.render());
    assert_eq!(w.read("lan.key"), key);
    let short = run_with(
        &w,
        "short",
        &["keygen", "--name", "X", "--role", "head", "--out", "x.key"],
    );
    assert_eq!(short.code, 2, "{}", short.render());
    let role = run_with(
        &w,
        PASS_LAN,
        &[
            "keygen", "--name", "X", "--role", "cashier", "--out", "x.key",
        ],
    );
    assert_eq!(role.code, 2, "{}", role.render());
    assert!(!w.join("x.key").exists());
    // The passphrase and the secret are nowhere in what was printed.
    assert!(!printed.contains(PASS_LAN));
}

#[test]
fn a_batch_is_released_only_once_both_roles_signed_and_exactly_as_signed() {
    let w = office();
    let manifest = common::manifest(&w.join("batch"));
    assert_eq!(
        manifest["approval"]["required"],
        serde_json::json!(["chief_accountant", "head"])
    );
    let report = w.read("batch/report.html");
    assert!(
        report.contains(r#"data-field="approval" data-state="prepared""#),
        "awaiting approval"
    );
    assert!(report.contains("Nguyễn Thị Lan") && report.contains("Trần Văn Hùng"));

    // Before any signature: release refused, its target untouched.
    let early = release(&w, "tobank");
    assert_eq!(early.code, 9, "{}", early.render());
    assert!(
        early
            .stderr
            .contains("still to sign: Chief accountant, Head of unit"),
        "{}",
        early.render()
    );
    assert!(!w.join("tobank").exists());

    let first = approve(&w, "lan.key", PASS_LAN);
    assert!(
        first.stdout.contains("still to sign: Head of unit"),
        "{}",
        first.render()
    );
    assert!(w.join("batch/approvals/chief_accountant.json").is_file());
    assert!(
        w.read("batch/approvals/index.html")
            .contains("Nguyễn Thị Lan")
    );
    let half = release(&w, "tobank");
    assert_eq!(half.code, 9, "{}", half.render());
    assert!(
        half.stderr.contains("still to sign: Head of unit"),
        "{}",
        half.render()
    );
    assert!(!w.join("tobank").exists());

    let second = approve(&w, "hung.key", PASS_HUNG);
    assert_eq!(second.code, 0, "{}", second.render());
    assert!(
        second.stdout.contains("every required role has signed"),
        "{}",
        second.render()
    );

    let released = release(&w, "tobank");
    assert_eq!(released.code, 0, "{}", released.render());
    let mut expected: Vec<String> = w
        .files("batch")
        .into_iter()
        .filter(|f| f.starts_with("banks/") || f == "manifest.json")
        .collect();
    expected.push("approvals/chief_accountant.json".into());
    expected.push("approvals/head.json".into());
    expected.sort();
    assert_eq!(w.files("tobank"), expected);
    for f in &expected {
        assert_eq!(
            std::fs::read(w.join("tobank").join(f)).unwrap(),
            std::fs::read(w.join("batch").join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(
        w.read("batch/approvals/index.html")
            .contains("Released for the banks")
    );

    // A second release says so and changes nothing.
    let before = w.files("tobank");
    let twice = release(&w, "elsewhere");
    assert_eq!(twice.code, 0, "{}", twice.render());
    assert!(
        twice.stdout.contains("already released"),
        "{}",
        twice.render()
    );
    assert!(!w.join("elsewhere").exists());
    assert_eq!(w.files("tobank"), before);

    // What the bank received, and the batch itself, verify offline.
    let package = verify(&w, "tobank");
    assert_eq!(package.code, 0, "{}", package.render());
    assert!(
        package.stdout.contains("(a release)"),
        "{}",
        package.render()
    );
    let whole = w.run(&[
        "verify",
        "batch",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
    ]);
    assert_eq!(whole.code, 0, "{}", whole.render());
    ledger_verify(&w);
}

#[test]
fn every_refusal_to_sign_has_its_reason_and_exit_code() {
    let w = office();
    // A wrong passphrase.
    let wrong = approve(&w, "lan.key", "not the passphrase");
    assert_eq!(wrong.code, 10, "{}", wrong.render());
    assert!(
        wrong.stderr.contains("passphrase does not open"),
        "{}",
        wrong.render()
    );
    // A key no approver of this office has.
    keygen(&w, "Lê Văn Khách", "head", "stranger.key", PASS_HUNG);
    let stranger = approve(&w, "stranger.key", PASS_HUNG);
    assert_eq!(stranger.code, 10, "{}", stranger.render());
    assert!(
        stranger.stderr.contains("not a configured approver's"),
        "{}",
        stranger.render()
    );
    // A role signed twice.
    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    let twice = approve(&w, "lan.key", PASS_LAN);
    assert_eq!(twice.code, 10, "{}", twice.render());
    assert!(
        twice.stderr.contains("already signed as Chief accountant"),
        "{}",
        twice.render()
    );
    // One key for a second role: the office moves Lan's key to `head`.
    let config = w.read("office.toml");
    let lan_key = config
        .split("public_key = \"")
        .nth(1)
        .and_then(|k| k.split('"').next())
        .unwrap()
        .to_owned();
    let default = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    w.write(
        "moved.toml",
        format!(
            "{default}\n[[approvers]]\nname = \"Nguyễn Thị Lan\"\nrole = \"head\"\npublic_key = \"{lan_key}\"\n\n[[approvers]]\nname = \"Phạm Thu\"\nrole = \"chief_accountant\"\npublic_key = \"{}\"\n",
            entry(&keygen(&w, "Phạm Thu", "chief_accountant", "thu.key", PASS_HUNG))
                .split("public_key = \"")
                .nth(1)
                .and_then(|k| k.split('"').next())
                .unwrap()
        ),
    );
    let moved = run_with(
        &w,
        PASS_LAN,
        &[
            "approve",
            "batch",
            "--key",
            "lan.key",
            "--yes",
            "--config",
            "moved.toml",
            "--ledger",
            "ledger.sqlite",
        ],
    );
    assert_eq!(moved.code, 10, "{}", moved.render());
    assert!(
        moved.stderr.contains("this key already signed batch")
            || moved.stderr.contains("one key signs one role")
            || moved.stderr.contains("does not verify"),
        "{}",
        moved.render()
    );
    assert!(!w.join("batch/approvals/head.json").exists());
    // Without confirmation at a terminal, nothing is signed.
    let unconfirmed = run_with(
        &w,
        PASS_HUNG,
        &[
            "approve",
            "batch",
            "--key",
            "hung.key",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ],
    );
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.render());
    assert!(!w.join("batch/approvals/head.json").exists());
    // A recorded batch is signed through its ledger.
    let no_ledger = run_with(
        &w,
        PASS_HUNG,
        &[
            "approve",
            "batch",
            "--key",
            "hung.key",
            "--yes",
            "--config",
            "office.toml",
        ],
    );
    assert_eq!(no_ledger.code, 2, "{}", no_ledger.render());
    // No configured approvers: nothing to sign.
    let none = run_with(
        &w,
        PASS_HUNG,
        &[
            "approve",
            "batch",
            "--key",
            "hung.key",
            "--yes",
            "--ledger",
            "ledger.sqlite",
        ],
    );
    assert_eq!(none.code, 4, "{}", none.render());
    ledger_verify(&w);
}

#[test]
fn a_bank_file_edited_after_a_signature_is_never_released_and_fails_verification() {
    let w = office();
    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
    let bank = w
        .files("batch")
        .into_iter()
        .find(|f| f.starts_with("banks/"))
        .unwrap();
    let path = w.join("batch").join(&bank);
    let xml = std::fs::read_to_string(&path).unwrap();
    // Someone slips another account into the file.
    let edited = xml.replacen("<Id>", "<Id>9", 1);
    assert_ne!(edited, xml);
    std::fs::write(&path, edited).unwrap();

    let refused = release(&w, "tobank");
    assert_eq!(refused.code, 9, "{}", refused.render());
    assert!(refused.stderr.contains(&bank), "{}", refused.render());
    assert!(!w.join("tobank").exists());
    let verified = verify(&w, "batch");
    assert_eq!(verified.code, 9, "{}", verified.render());
    assert!(
        verified.stderr.contains(&format!("`{bank}` was changed")),
        "{}",
        verified.render()
    );
    // Nothing was released, and the ledger's own check names the file.
    let releases: i64 = rusqlite::Connection::open(w.join("ledger.sqlite"))
        .unwrap()
        .query_row("SELECT count(*) FROM releases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(releases, 0);
    let audit = w.run(&["ledger", "verify", "--ledger", "ledger.sqlite"]);
    assert_eq!(audit.code, 7, "{}", audit.render());
    assert!(audit.stderr.contains(&bank), "{}", audit.render());
}

#[test]
fn a_changed_manifest_or_statement_or_an_extra_file_fails_verification() {
    let w = office();
    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
    w.ok(&[
        "release",
        "batch",
        "--to",
        "tobank",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
    ]);
    assert_eq!(verify(&w, "tobank").code, 0);

    // An unsigned file travelling with the release.
    w.write("tobank/banks/970999-EXTRA.xml", "<Document/>");
    let extra = verify(&w, "tobank");
    assert_eq!(extra.code, 9, "{}", extra.render());
    assert!(
        extra
            .stderr
            .contains("banks/970999-EXTRA.xml` is not in the manifest"),
        "{}",
        extra.render()
    );
    std::fs::remove_file(w.join("tobank/banks/970999-EXTRA.xml")).unwrap();

    // The statement's total raised: its signature no longer holds.
    let path = w.join("tobank/approvals/head.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut approval: serde_json::Value = serde_json::from_str(&text).unwrap();
    approval["statement"]["signed_at"] = "2024-01-06T09:00:00+07:00".into();
    std::fs::write(&path, serde_json::to_string_pretty(&approval).unwrap()).unwrap();
    let forged = verify(&w, "tobank");
    assert_eq!(forged.code, 9, "{}", forged.render());
    assert!(
        forged.stderr.contains("approvals/head.json"),
        "{}",
        forged.render()
    );
    assert!(
        forged.stderr.contains("signature is not"),
        "{}",
        forged.render()
    );
    std::fs::write(&path, text).unwrap();

    // The manifest itself changed: every signature is over another one.
    let manifest = w.join("tobank/manifest.json");
    let m = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        m.replacen("\"period\": \"2024-01\"", "\"period\": \"2024-02\"", 1),
    )
    .unwrap();
    let changed = verify(&w, "tobank");
    assert_eq!(changed.code, 9, "{}", changed.render());
    assert!(
        changed.stderr.contains("manifest.json was changed"),
        "{}",
        changed.render()
    );

    // Without the office's keys a signature cannot be checked at all.
    std::fs::write(&manifest, m).unwrap();
    let keyless = w.run(&["verify", "tobank"]);
    assert_eq!(keyless.code, 9, "{}", keyless.render());
    // A file of the approvers alone is enough for a bank.
    let office = w.read("office.toml");
    let keys: String = office[office.find("[[approvers]]").unwrap()..].to_owned();
    w.write("keys.toml", keys);
    w.ok(&["verify", "tobank", "--config", "keys.toml"]);
}

#[test]
fn an_answer_about_a_batch_not_yet_released_changes_nothing() {
    let w = office();
    let payments = sent(&w.join("ledger.sqlite"));
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
    w.write(
        "a/early.xml",
        pain002("12", "STS-E", &Original::of(file), ("ACSC", None), &txs),
    );
    let early = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r1",
        "a/early.xml",
        "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&early.stdout).unwrap();
    assert_eq!(summary["files"][0]["updated"], 0, "{}", early.stdout);
    let unmatched = w.read("r1/unmatched.csv");
    assert!(unmatched.contains("has not been released"), "{unmatched}");

    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
    w.ok(&[
        "release",
        "batch",
        "--to",
        "tobank",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
    ]);
    w.write(
        "a/late.xml",
        pain002("12", "STS-L", &Original::of(file), ("ACSC", None), &txs),
    );
    let late = w.ok(&[
        "returns",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "r2",
        "a/late.xml",
        "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&late.stdout).unwrap();
    assert_eq!(
        summary["files"][0]["updated"],
        file.len(),
        "{}",
        late.stdout
    );
    ledger_verify(&w);
}

#[test]
fn a_release_killed_anywhere_is_finished_by_the_next_and_never_doubled() {
    for point in ["release-staged", "release-copied", "release-recorded"] {
        let w = office();
        assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
        assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
        let killed = w
            .command(&[
                "release",
                "batch",
                "--to",
                "tobank",
                "--config",
                "office.toml",
                "--ledger",
                "ledger.sqlite",
            ])
            .env(disburse::failpoint::VAR, point)
            .output()
            .unwrap();
        assert!(!killed.status.success(), "{point}");
        if point == "release-staged" {
            assert!(
                !w.join("tobank").exists(),
                "{point}: nothing in place before the rename"
            );
        }
        let again = release(&w, "tobank");
        assert_eq!(again.code, 0, "{point}: {}", again.render());
        let releases: i64 = rusqlite::Connection::open(w.join("ledger.sqlite"))
            .unwrap()
            .query_row("SELECT count(*) FROM releases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(releases, 1, "{point}");
        assert_eq!(verify(&w, "tobank").code, 0, "{point}");
        ledger_verify(&w);
    }
}

#[test]
fn a_signature_interrupted_before_the_ledger_recorded_it_is_recorded_at_release() {
    let w = office();
    let killed = w
        .command(&[
            "approve",
            "batch",
            "--key",
            "lan.key",
            "--yes",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ])
        .env("DISBURSE_PASSPHRASE", PASS_LAN)
        .env(disburse::failpoint::VAR, "approval-written")
        .output()
        .unwrap();
    assert!(!killed.status.success());
    // The file is there and valid; signing again is refused, not doubled.
    let twice = approve(&w, "lan.key", PASS_LAN);
    assert_eq!(twice.code, 10, "{}", twice.render());
    assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
    assert_eq!(release(&w, "tobank").code, 0);
    let approvals: i64 = rusqlite::Connection::open(w.join("ledger.sqlite"))
        .unwrap()
        .query_row("SELECT count(*) FROM approvals", [], |r| r.get(0))
        .unwrap();
    assert_eq!(approvals, 2);
    ledger_verify(&w);
}

#[test]
fn the_hot_folder_keeps_a_batch_in_the_outbox_until_it_is_approved() {
    let w = office();
    std::fs::create_dir_all(w.join("hot/inbox")).unwrap();
    w.write(
        "hot/inbox/chi-tra-2024-02.csv",
        common::generated_list(30, 12),
    );
    let args = [
        "watch",
        "hot",
        "--once",
        "--settle",
        "0",
        "--period",
        "2024-02",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
    ];
    let first = w.ok(&args);
    assert!(
        first.stdout.contains("awaiting approval"),
        "{}",
        first.render()
    );
    let outbox: Vec<String> = std::fs::read_dir(w.join("hot/outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert!(!w.join("hot/tobank").exists());
    let dir = format!("hot/outbox/{}", outbox[0]);
    for (key, pass) in [("lan.key", PASS_LAN), ("hung.key", PASS_HUNG)] {
        let out = run_with(
            &w,
            pass,
            &[
                "approve",
                &dir,
                "--key",
                key,
                "--yes",
                "--config",
                "office.toml",
                "--ledger",
                "ledger.sqlite",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.render());
    }
    let second = w.ok(&args);
    assert!(
        second.stdout.contains("approved, released into"),
        "{}",
        second.render()
    );
    let banks: Vec<String> = common::manifest(&w.join(&dir))["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "pain.001")
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    for bank in &banks {
        let stem = bank.trim_start_matches("banks/").trim_end_matches(".xml");
        let package = format!("hot/tobank/{stem}/{}", outbox[0]);
        assert!(w.join(&package).join(bank).is_file(), "{package}");
        assert_eq!(verify(&w, &package).code, 0, "{package}");
    }
    // Released once: the next scan leaves it alone.
    let third = w.ok(&args);
    assert!(
        !third.stdout.contains("released into"),
        "{}",
        third.render()
    );
    ledger_verify(&w);
}

#[test]
fn without_approvers_a_batch_needs_none_and_says_so() {
    let w = Workdir::new();
    w.write("list.csv", common::generated_list(10, 3));
    let run = w.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "batch",
    ]);
    assert!(
        run.stdout.contains("approval  none needed"),
        "{}",
        run.render()
    );
    assert_eq!(
        common::manifest(&w.join("batch"))["approval"]["required"],
        serde_json::json!([])
    );
    assert!(w.read("batch/report.html").contains(r#"data-state="none""#));
    let out = w.ok(&[
        "release",
        "batch",
        "--to",
        "tobank",
        "--ledger",
        "ledger.sqlite",
    ]);
    assert!(out.stdout.contains("needs no approval"), "{}", out.render());
    w.ok(&["verify", "batch"]);
}

#[test]
fn no_passphrase_or_secret_key_reaches_the_terminal_logs_or_ledger() {
    let w = office();
    let out = w
        .command(&[
            "approve",
            "batch",
            "--key",
            "lan.key",
            "--yes",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ])
        .env("DISBURSE_PASSPHRASE", PASS_LAN)
        .env("DISBURSE_LOG", "trace")
        .output()
        .unwrap();
    assert!(out.status.success());
    let wrong = run_with(
        &w,
        "a wrong one, typed by mistake",
        &[
            "approve",
            "batch",
            "--key",
            "hung.key",
            "--yes",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ],
    );
    let key = w.read("lan.key");
    let secret_body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut seen = String::from_utf8_lossy(&out.stdout).into_owned();
    seen.push_str(&String::from_utf8_lossy(&out.stderr));
    seen.push_str(&wrong.render());
    seen.push_str(&String::from_utf8_lossy(
        &std::fs::read(w.join("ledger.sqlite")).unwrap(),
    ));
    for f in w.files("batch") {
        seen.push_str(&String::from_utf8_lossy(
            &std::fs::read(w.join("batch").join(f)).unwrap(),
        ));
    }
    for secret in [
        PASS_LAN,
        "a wrong one, typed by mistake",
        &secret_body[..40],
    ] {
        assert!(!seen.contains(secret), "`{secret}` leaked");
    }
}

#[test]
fn the_configuration_refuses_approvers_that_would_let_one_person_approve_alone() {
    let w = Workdir::new();
    let lan = entry(&keygen(
        &w,
        "Nguyễn Thị Lan",
        "chief_accountant",
        "lan.key",
        PASS_LAN,
    ));
    let hung = entry(&keygen(&w, "Trần Văn Hùng", "head", "hung.key", PASS_HUNG));
    let default = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    w.write("list.csv", common::generated_list(5, 3));
    let check = |name: &str, extra: &str, says: &str| {
        w.write(name, format!("{default}\n{extra}"));
        let out = w.run(&[
            "run", "list.csv", "--period", "2024-01", "--config", name, "--out", "out",
        ]);
        assert_eq!(out.code, 4, "{name}: {}", out.render());
        assert!(out.stderr.contains(says), "{name}: {}", out.render());
    };
    // The same key in both roles.
    check(
        "same-key.toml",
        &format!(
            "{lan}\n{}",
            lan.replace("chief_accountant", "head")
                .replace("Nguyễn Thị Lan", "Trần Văn Hùng")
        ),
        "configured twice",
    );
    // One person in both roles.
    check(
        "same-person.toml",
        &format!("{lan}\n{}", hung.replace("Trần Văn Hùng", "Nguyễn Thị Lan")),
        "one person signs in one role",
    );
    // A required role nobody can sign.
    check("no-head.toml", &lan, "no approver is configured for `head`");
    // A role the office does not require.
    check(
        "cashier.toml",
        &format!(
            "{lan}\n{hung}\n{}",
            hung.replace("\"head\"", "\"cashier\"")
                .replace("Trần Văn Hùng", "Lê Thu")
        ),
        "is not one of approval.roles",
    );
    // Not a key.
    check(
        "bad-key.toml",
        &format!(
            "{lan}\n[[approvers]]\nname = \"Lê Thu\"\nrole = \"head\"\npublic_key = \"abc\"\n"
        ),
        "64 hexadecimal digits",
    );
}

#[test]
fn a_batch_its_signatories_refuse_is_withdrawn_and_its_people_paid_from_a_corrected_list() {
    let w = office();
    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    let void = |w: &Workdir| {
        w.run(&[
            "void",
            "batch",
            "--reason",
            "sai hệ số dòng 12",
            "--config",
            "office.toml",
            "--ledger",
            "ledger.sqlite",
        ])
    };
    let out = void(&w);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(out.stdout.contains("withdrawn"), "{}", out.render());
    let again = void(&w);
    assert!(
        again.stdout.contains("already withdrawn"),
        "{}",
        again.render()
    );
    // Never signed further, never released.
    let signed = approve(&w, "hung.key", PASS_HUNG);
    assert_ne!(signed.code, 0, "{}", signed.render());
    let released = release(&w, "tobank");
    assert_eq!(released.code, 9, "{}", released.render());
    assert!(
        released.stderr.contains("withdrawn"),
        "{}",
        released.render()
    );
    assert!(!w.join("tobank").exists());
    // Every payment rejected VOID; the status lists no batch awaiting release.
    let statuses = common::answers::statuses(&w.join("ledger.sqlite"));
    assert!(
        statuses
            .values()
            .all(|(s, code)| s == "rejected" && code == "VOID"),
        "{statuses:?}"
    );
    let status = w.ok(&["status", "--ledger", "ledger.sqlite"]);
    assert!(
        !status.stdout.contains("not released"),
        "{}",
        status.render()
    );
    // A corrected list (other bytes) pays the same people, once.
    let list = w.read("list.csv");
    w.write("corrected.csv", format!("{list}\n"));
    let corrected = w.ok(&[
        "run",
        "corrected.csv",
        "--period",
        "2024-01",
        "--config",
        "office.toml",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "batch2",
        "--json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&corrected.stdout).unwrap();
    let first = common::manifest(&w.join("batch"));
    assert_eq!(summary["totals"]["accepted"], first["totals"]["accepted"]);
    ledger_verify(&w);
}

#[test]
fn a_batch_that_needed_no_approval_or_was_released_cannot_be_withdrawn() {
    let w = office();
    assert_eq!(approve(&w, "lan.key", PASS_LAN).code, 0);
    assert_eq!(approve(&w, "hung.key", PASS_HUNG).code, 0);
    assert_eq!(release(&w, "tobank").code, 0);
    let out = w.run(&[
        "void",
        "batch",
        "--reason",
        "late",
        "--ledger",
        "ledger.sqlite",
    ]);
    assert_eq!(out.code, 9, "{}", out.render());
    assert!(out.stderr.contains("was released"), "{}", out.render());

    let plain = Workdir::new();
    plain.write("list.csv", common::generated_list(10, 3));
    plain.ok(&[
        "run",
        "list.csv",
        "--period",
        "2024-01",
        "--ledger",
        "ledger.sqlite",
        "--out",
        "batch",
    ]);
    let out = plain.run(&[
        "void",
        "batch",
        "--reason",
        "late",
        "--ledger",
        "ledger.sqlite",
    ]);
    assert_eq!(out.code, 9, "{}", out.render());
    assert!(
        out.stderr.contains("needed no approval"),
        "{}",
        out.render()
    );
}
