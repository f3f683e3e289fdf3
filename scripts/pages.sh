#!/usr/bin/env bash
# What one command costs the host: pages allocated by the kernel during it
# (all zones, from /proc/vmstat's pgalloc_* counters, system-wide: run it
# on an otherwise idle machine), transparent huge pages faulted, then wall,
# user and system seconds and peak RSS (/usr/bin/time).
#
#   bash scripts/pages.sh target/release/disburse -q run LIST --period 2024-01 --out DIR
set -euo pipefail
snap() {
  awk '/^pgalloc_(normal|dma32|dma|movable) /{ s += $2 } /^thp_fault_alloc /{ t = $2 } END { print s, t }' /proc/vmstat
}
read -r pages_before thp_before < <(snap)
time_out=$(mktemp)
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KiB peak RSS" -o "$time_out" "$@" > /dev/null
read -r pages_after thp_after < <(snap)
echo "$(( (pages_after - pages_before) * 4096 / 1048576 )) MiB of pages allocated, $(( thp_after - thp_before )) huge pages faulted, $(cat "$time_out")"
rm -f "$time_out"
