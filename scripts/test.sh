#!/usr/bin/env bash
# The whole test suite: unit, CLI and snapshot tests (run by cargo-insta,
# which also refuses a snapshot file no test uses), then the checks against
# the official ISO 20022 XSDs (fetched, not vendored) and the report page
# rendered in a real browser, and the legacy Vietnamese encoding tables
# against independent converters, and the approvers' keys and signatures
# against Python's `cryptography`. Needs xmllint (Debian: libxml2-utils),
# chromium (Debian: chromium) and python3 with pip; cargo-insta is
# installed from crates.io when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v xmllint >/dev/null || { echo "test.sh: xmllint is missing (apt-get install libxml2-utils)" >&2; exit 1; }
command -v "${DISBURSE_CHROMIUM:-chromium}" >/dev/null || { echo "test.sh: chromium is missing (apt-get install chromium)" >&2; exit 1; }
cargo insta --version >/dev/null 2>&1 || cargo install cargo-insta --locked --quiet
bash scripts/fetch-xsd.sh target/xsd
export DISBURSE_XSD_DIR="$PWD/target/xsd"
# The `vietnamese` package's letter tables are an oracle for the TCVN3 and
# VNI tables (with glibc's iconv); a pure-Python wheel, imported in place.
oracle=target/oracle/vietnamese-0.0.8-py3-none-any.whl
[ -f "$oracle" ] || python3 -m pip download --quiet --no-deps --dest target/oracle vietnamese==0.0.8
export PYTHONPATH="$PWD/$oracle${PYTHONPATH:+:$PYTHONPATH}"
# Python's `cryptography` checks the approvers' keys and signatures.
crypto=target/oracle/crypto
[ -d "$crypto/cryptography" ] || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$crypto" "cryptography>=42"
export PYTHONPATH="$PWD/$crypto:$PYTHONPATH"
export INSTA_UPDATE=no
cargo insta test --check --unreferenced=reject --test-runner cargo-test --no-quiet
cargo test --test xsd -- --ignored
cargo test --test browser -- --ignored
cargo test --test encodings -- --ignored
cargo test --test signatures -- --ignored
