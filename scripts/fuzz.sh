#!/usr/bin/env bash
# The readers' fuzz tests (tests/fuzz.rs: the CSV reader, the workbook
# reader, the bank answers' reader) with many more cases than CI runs.
# A failing case is shrunk and saved under proptest-regressions/, where
# every later run (CI's too) tries it first.
#
#   bash scripts/fuzz.sh             # 20,000 cases a reader
#   CASES=200000 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PROPTEST_CASES=${CASES:-20000} cargo test --release --test fuzz
