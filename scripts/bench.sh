#!/usr/bin/env bash
# Whole-process benchmark of `disburse run`: generates seeded lists of the
# district size, 100,000, 1,000,000 and the national caseload (3,350,000
# rows), runs the release binary on each under /usr/bin/time, and prints one
# table: rows, wall seconds, peak RSS, rows per second.
#
#   bash scripts/bench.sh            # every size
#   SIZES="3631 1000000" bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-"3631 100000 1000000 3350000"}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --quiet
bin=target/release/disburse
printf '%-10s %10s %12s %14s\n' rows wall_s peak_rss_mib rows_per_s
for rows in $sizes; do
  list="$work/list-$rows.csv"
  [ -f "$list" ] || "$bin" generate --rows "$rows" --seed 2024 --out "$list"
  out="$work/out-$rows"
  rm -rf "$out"
  # Warm the page cache so that the first size is not charged for the disk.
  cat "$list" > /dev/null
  /usr/bin/time -f '%e %M' -o "$work/time-$rows" "$bin" -q run "$list" --period 2024-01 --out "$out"
  read -r wall rss < "$work/time-$rows"
  awk -v r="$rows" -v w="$wall" -v m="$rss" 'BEGIN { printf "%-10d %10.2f %12.0f %14.0f\n", r, w, m / 1024, (w > 0 ? r / w : 0) }'
  rm -rf "$out"
done
