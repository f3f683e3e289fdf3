#!/usr/bin/env bash
# Whole-process benchmark of `disburse run`: generates seeded lists of the
# district size, 100,000, 1,000,000 and the national caseload (3,350,000
# rows), runs the release binary on each under /usr/bin/time (best of RUNS
# runs, 3 by default: the machine is shared and one run can be slowed by
# others), and prints one table: rows, wall seconds of the best run and
# the median run, peak RSS of the best run, rows per second (best run).
#
# Then the side-by-side: the `pain001` PyPI package (installed into a
# throwaway virtualenv under target/bench) generates pain.001 from the same
# 100,000-row list's payments (scripts/peer-input.py turns disburse's
# accepted.csv into the peer's CSV), in its fastest mode (`--streaming`),
# and the table shows both and the ratio.
#
# Then the ledger path (LEDGER=1, the default), each step once, on the
# 1,000,000-row list and the national one: `run --ledger` into a new
# ledger and its size a payment; a pain.002 for the largest bank file
# (scripts/bench-pain002.py) read with `returns`; `ledger verify`; the
# same list as the next month into the same ledger; and a year (YEAR=1):
# twelve national months into one ledger, the first month against the
# twelfth.
#
#   bash scripts/bench.sh                    # every size, the peer, the ledger
#   SIZES="3631 1000000" bash scripts/bench.sh
#   PEER=0 bash scripts/bench.sh             # without the peer
#   PEER=0 SIZES= LEDGER=1 YEAR=0 bash scripts/bench.sh   # the ledger path only
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES-"3631 100000 1000000 3350000"}
runs=${RUNS:-3}
peer=${PEER:-1}
ledger=${LEDGER:-1}
year=${YEAR:-1}
peer_version=${PEER_VERSION:-0.0.74}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --quiet
bin=target/release/disburse

# One line per size: the best of $runs runs (wall seconds, its RSS), then
# the median wall, which shows how noisy the machine was.
measure() {
  local list=$1 out=$2 best="" all=""
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" -q run "$list" --period 2024-01 --out "$out"
    read -r wall rss < "$work/time"
    all="$all $wall"
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best="$wall $rss"
    fi
  done
  echo "$best $(echo $all | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
}

printf '%-22s %10s %10s %10s %12s %14s\n' tool rows wall_s median_s peak_rss_mib rows_per_s
row() {
  awk -v t="$1" -v r="$2" -v w="$3" -v m="$4" -v med="$5" \
    'BEGIN { printf "%-22s %10d %10.2f %10.2f %12.0f %14.0f\n", t, r, w, med, m / 1024, (w > 0 ? r / w : 0) }'
}
declare -A walls
for rows in $sizes; do
  list="$work/list-$rows.csv"
  [ -f "$list" ] || "$bin" generate --rows "$rows" --seed 2024 --out "$list"
  # Warm the page cache so that the first size is not charged for the disk.
  cat "$list" > /dev/null
  read -r wall rss median <<< "$(measure "$list" "$work/out-$rows")"
  walls[$rows]=$wall
  row disburse "$rows" "$wall" "$rss" "$median"
  [ "$rows" = 100000 ] || rm -rf "$work/out-$rows"
done

if [ "$peer" = 1 ]; then
rows=100000
list="$work/list-$rows.csv"
[ -f "$list" ] || "$bin" generate --rows "$rows" --seed 2024 --out "$list"
if [ ! -f "$work/out-$rows/accepted.csv" ]; then
  read -r wall _ <<< "$(measure "$list" "$work/out-$rows")"
  walls[$rows]=$wall
fi
venv="$work/peer-venv"
if [ ! -x "$venv/bin/pain001" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "pain001==$peer_version"
fi
payments=$(python3 scripts/peer-input.py "$work/out-$rows/accepted.csv" "$work/peer-$rows.csv")
rm -rf "$work/peer-out" && mkdir -p "$work/peer-out"
/usr/bin/time -f '%e %M' -o "$work/time-peer" "$venv/bin/pain001" generate \
  -t pain.001.001.09 -d "$work/peer-$rows.csv" -o "$work/peer-out" --streaming > /dev/null
read -r peer_wall peer_rss < "$work/time-peer"
made=$(cat "$work"/peer-out/*.xml | grep -o '<CdtTrfTxInf>' | wc -l)
if [ "$made" != "$payments" ]; then
  echo "the peer wrote $made credit transfers for $payments payments" >&2
  exit 1
fi
row "pain001 $peer_version" "$payments" "$peer_wall" "$peer_rss" "$peer_wall"
awk -v p="$peer_wall" -v d="${walls[$rows]}" \
  'BEGIN { printf "ratio (pain001 wall / disburse wall, same 100,000-row list): %.0fx\n", p / d }'
fi

[ "$ledger" = 1 ] || exit 0
# One step, once: its wall seconds and peak RSS in MiB.
step() {
  if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null; then
    echo "failed: $*" >&2
    echo "failed -"
    return
  fi
  awk 'END { printf "%.2f %.0f", $1, $2 / 1024 }' "$work/time"
}
size_per_payment() {
  local bytes payments
  bytes=$(cat "$1" "$1-wal" 2> /dev/null | wc -c)
  payments=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM payments').fetchone()[0])" "$1")
  awk -v b="$bytes" -v p="$payments" 'BEGIN { printf "%.0f", b / p }'
}
printf '\n%-44s %10s %12s %s\n' "ledger path" wall_s peak_rss_mib note
line() { printf '%-44s %10s %12s %s\n' "$1" "$2" "$3" "${4:-}"; }
for rows in 1000000 3350000; do
  list="$work/list-$rows.csv"
  [ -f "$list" ] || "$bin" generate --rows "$rows" --seed 2024 --out "$list"
  cat "$list" > /dev/null
  db="$work/ledger-$rows.sqlite"
  rm -rf "$db" "$db"-* "$work"/ledger-out-*
  read -r wall rss <<< "$(step "$bin" -q run "$list" --period 2024-01 --ledger "$db" --out "$work/ledger-out-1")"
  first=$wall
  line "run --ledger, $rows rows" "$wall" "$rss" "$(size_per_payment "$db") bytes a payment"
  statuses=$(python3 scripts/bench-pain002.py "$db" "$work/pain002-$rows.xml")
  read -r wall rss <<< "$(step "$bin" -q returns --ledger "$db" --out "$work/ledger-out-returns" "$work/pain002-$rows.xml")"
  line "returns, pain.002 of $statuses statuses" "$wall" "$rss" "$(size_per_payment "$db") bytes a payment"
  read -r wall rss <<< "$(step "$bin" -q ledger verify --ledger "$db")"
  line "ledger verify" "$wall" "$rss"
  # The same people the next month: the same rows, another file (a blank
  # line more, so another sha256).
  { cat "$list"; printf '\r\n'; } > "$work/list-$rows-next.csv"
  read -r wall rss <<< "$(step "$bin" -q run "$work/list-$rows-next.csv" --period 2024-02 --ledger "$db" --out "$work/ledger-out-2")"
  line "next month, same ledger" "$wall" "$rss" "$(awk -v a="$wall" -v b="$first" 'BEGIN { printf "%.2fx the first", a / b }')"
  rm -rf "$db" "$db"-* "$work"/ledger-out-* "$work/pain002-$rows.xml" "$work/list-$rows-next.csv"
done

[ "$year" = 1 ] || exit 0
rows=3350000
list="$work/list-$rows.csv"
db="$work/ledger-year.sqlite"
rm -rf "$db" "$db"-*
for month in 01 02 03 04 05 06 07 08 09 10 11 12; do
  rm -rf "$work/ledger-out-year"
  # Each month's list is another file: the same rows, $month blank lines more.
  { cat "$list"; for _ in $(seq "$((10#$month))"); do printf '\r\n'; done; } > "$work/list-year.csv"
  read -r wall rss <<< "$(step "$bin" -q run "$work/list-year.csv" --period "2024-$month" --ledger "$db" --out "$work/ledger-out-year")"
  [ "$month" = 01 ] && first=$wall && first_rss=$rss
done
line "year: month 1 of 12, $rows rows" "$first" "$first_rss"
line "year: month 12, into a ledger holding 11" "$wall" "$rss" "$(awk -v a="$wall" -v b="$first" 'BEGIN { printf "%.2fx the first; ", a / b }')$(size_per_payment "$db") bytes a payment"
rm -rf "$db" "$db"-* "$work/ledger-out-year" "$work/list-year.csv"
