//! The keys and signatures `disburse` makes, checked by an independent
//! implementation: Python's `cryptography` (OpenSSL's Ed25519 and its own
//! PKCS#8 reader) opens each secret key file with its passphrase, finds the
//! public key the configuration names, and verifies every approval over its
//! statement's canonical JSON (RFC 8785, made by Python's `json`); a
//! statement changed by one character fails. `scripts/test.sh` installs
//! the package and runs this with `--ignored`.

mod common;

use common::{Workdir, repo_file};

const ORACLE: &str = r#"
import json, sys
from pathlib import Path
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

work, passphrase = Path(sys.argv[1]), sys.argv[2].encode()
keys = {}
for name in ("lan", "hung"):
    secret = serialization.load_pem_private_key((work / f"{name}.key").read_bytes(), passphrase)
    raw = secret.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    keys[raw.hex()] = secret
config = (work / "office.toml").read_text()
configured = [line.split('"')[1] for line in config.splitlines() if line.startswith("public_key")]
assert sorted(configured) == sorted(keys), (configured, list(keys))

checked = 0
for path in sorted((work / "batch" / "approvals").glob("*.json")):
    approval = json.loads(path.read_text())
    statement = approval["statement"]
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(statement["public_key"]))
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    public.verify(bytes.fromhex(approval["signature"]), canonical)
    assert statement["role"] == path.stem
    statement["accepted_vnd"] = str(int(statement["accepted_vnd"]) + 1)
    altered = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    try:
        public.verify(bytes.fromhex(approval["signature"]), altered)
        raise SystemExit(f"{path.name}: an altered statement verified")
    except InvalidSignature:
        pass
    checked += 1
print(checked)
"#;

#[test]
#[ignore = "needs Python's cryptography package: run scripts/test.sh"]
fn keys_and_approvals_verify_with_an_independent_implementation() {
    let w = Workdir::new();
    let pass = "mật khẩu của đơn vị";
    let mut config = std::fs::read_to_string(repo_file("schemas/config.default.toml")).unwrap();
    for (name, role, file) in [
        ("Nguyễn Thị Lan", "chief_accountant", "lan.key"),
        ("Trần Văn Hùng", "head", "hung.key"),
    ] {
        config.push('\n');
        config.push_str(&common::keygen_in(w.path(), name, role, file, pass));
    }
    w.write("office.toml", &config);
    w.write("list.csv", common::generated_list(25, 9));
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
    for key in ["lan.key", "hung.key"] {
        let out = w
            .command(&[
                "approve",
                "batch",
                "--key",
                key,
                "--yes",
                "--config",
                "office.toml",
                "--ledger",
                "ledger.sqlite",
            ])
            .env("DISBURSE_PASSPHRASE", pass)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(ORACLE)
        .arg(w.path())
        .arg(pass)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the oracle refused: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
}
