#!/usr/bin/env bash
# The whole test suite: unit, CLI and snapshot tests, then the checks
# against the official ISO 20022 XSDs (fetched, not vendored) and the
# report page rendered in a real browser. Needs xmllint (Debian:
# libxml2-utils), chromium (Debian: chromium) and python3 with pip.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v xmllint >/dev/null || { echo "test.sh: xmllint is missing (apt-get install libxml2-utils)" >&2; exit 1; }
command -v "${DISBURSE_CHROMIUM:-chromium}" >/dev/null || { echo "test.sh: chromium is missing (apt-get install chromium)" >&2; exit 1; }
bash scripts/fetch-xsd.sh target/xsd
export DISBURSE_XSD_DIR="$PWD/target/xsd"
export INSTA_UPDATE=no
cargo test
cargo test --test xsd -- --ignored
cargo test --test browser -- --ignored
