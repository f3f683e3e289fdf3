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
#   bash scripts/bench.sh                    # every size, then the peer
#   SIZES="3631 1000000" bash scripts/bench.sh
#   PEER=0 bash scripts/bench.sh             # without the peer
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-"3631 100000 1000000 3350000"}
runs=${RUNS:-3}
peer=${PEER:-1}
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

[ "$peer" = 1 ] || exit 0
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
