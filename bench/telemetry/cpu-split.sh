#!/usr/bin/env bash
# CPU time (user+sys) of `vault parse telemetry`, split into start-up and parse work, beside the gawk
# one-liner of run.sh, and optionally beside another checkout of vault (a baseline built the same
# way), interleaved round by round. CPU time is steadier than wall time on a busy machine; it is no
# wall-time claim (run.sh measures that).
#
#   bench/telemetry/cpu-split.sh [--rounds N] [--baseline CHECKOUT]
#
# Per vault: `vault --version` (picocli's model of every subcommand), a parse of the log's first 10
# rows (the start-up of the parse path), the parse of the whole log, the same with --json.
# Settings: WORK as for run.sh (run.sh writes the log there first).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=5
baseline=
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --baseline) baseline=$(cd "$2" && pwd); shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--baseline CHECKOUT]" >&2; exit 2 ;;
  esac
done
work=${WORK:-${TMPDIR:-/tmp}/vault-bench-telemetry}
log=$work/telemetry-86400s-4gpu.csv
[ -s "$log" ] || { echo "cpu-split.sh: $log is missing; run bench/telemetry/run.sh --rounds 1 --big-copies 0 first" >&2; exit 2; }
head -n 11 "$log" >"$work/telemetry-10rows.csv"
declare -A checkouts=([new]=$root)
[ -n "$baseline" ] && checkouts[base]=$baseline
for which in "${!checkouts[@]}"; do "${checkouts[$which]}/vault" --version >/dev/null; done # build, train the cache

results=$work/cpu-split.txt
: >"$results"
timed() {
  local name=$1
  shift
  /usr/bin/time -f "$name %e %U %S" -a -o "$results" "$@" >/dev/null 2>&1
}
load_before=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq 1 "$rounds"); do
  for which in "${!checkouts[@]}"; do
    v=${checkouts[$which]}/vault
    timed "$which:version" "$v" --version
    timed "$which:parse-10-rows" "$v" parse telemetry "$work/telemetry-10rows.csv"
    timed "$which:parse" "$v" parse telemetry "$log"
    timed "$which:parse-json" "$v" parse --json telemetry "$log"
  done
  # shellcheck disable=SC2016 # the awk program, single-quoted on purpose
  timed gawk gawk -F', ' 'NR > 1 { if (!($2 in m) || $5 + 0 > m[$2]) m[$2] = $5 + 0 } END { for (g in m) print g, m[g] }' "$log"
done
echo "machine: $(nproc) CPUs, load average (1 min) $load_before before, $(cut -d' ' -f1 /proc/loadavg) after; $rounds rounds"
/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4:
        runs.setdefault(p[0], []).append((float(p[1]), float(p[2]) + float(p[3])))
for name in sorted(runs, key=lambda n: (n == "gawk", n)):
    r = runs[name]
    print("%-22s CPU median %.2f s (%s)  wall median %.2f s" % (
        name, statistics.median(x[1] for x in r), " ".join("%.2f" % x[1] for x in r), statistics.median(x[0] for x in r)))
PY
