#!/usr/bin/env bash
# Telemetry parser benchmark (issue 3): times `vault parse telemetry` against a gawk one-liner that
# computes only the per-GPU maximum temperature, side by side on the same synthetic 24 h x 4 GPU
# log at 1 s (345,600 rows), then parses a ~1 GB log with the JVM heap capped at 64 MB.
#
#   bench/telemetry/run.sh                    full run (a few minutes; writes ~1.1 GB under $WORK)
#   bench/telemetry/run.sh --seconds 60 --rounds 1 --big-copies 0    quick smoke (seconds)
#
# Settings: WORK (default ${TMPDIR:-/tmp}/vault-bench-telemetry) holds the generated logs.
# Output: one line per run, then a summary with medians and the ratio vault/gawk (wall and CPU).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=86400
rounds=5
big_copies=20
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --big-copies) big_copies=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--rounds N] [--big-copies N]" >&2; exit 2 ;;
  esac
done
work=${WORK:-${TMPDIR:-/tmp}/vault-bench-telemetry}
mkdir -p "$work"
for tool in gawk /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install gawk time python3)" >&2; exit 2; }
done

log=$work/telemetry-${seconds}s-4gpu.csv
if [ ! -s "$log" ]; then
  /usr/bin/python3 "$root/bench/telemetry/generate-telemetry.py" --gpus 4 --seconds "$seconds" --interval 1 --output "$log.tmp"
  mv "$log.tmp" "$log"
fi
"$root/vault" --version >/dev/null   # build the CLI first, outside the timings
rows=$(($(wc -l <"$log") - 1))
echo "log: $log ($rows rows, $(stat -c %s "$log") bytes)"
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java (the one vault runs): $("$root/vault" --version 2>&1 | sed -n 2p); gawk: $(gawk --version | head -1)"

# The baseline: per-GPU max temperature only (field 5 is temperature.gpu, field 2 the index).
gawk_max() {
  gawk -F', ' 'NR > 1 { if (!($2 in m) || $5 + 0 > m[$2]) m[$2] = $5 + 0 } END { for (g in m) print g, m[g] }' "$1"
}
results=$work/results.txt
: >"$results"
for r in $(seq 1 "$rounds"); do
  # Alternate the order so that neither always runs on a warmer cache.
  for which in $([ $((r % 2)) -eq 1 ] && echo "vault gawk" || echo "gawk vault"); do
    if [ "$which" = vault ]; then
      /usr/bin/time -f "vault %e %U %S %M" -a -o "$results" "$root/vault" parse telemetry "$log" >"$work/vault.out"
    else
      /usr/bin/time -f "gawk %e %U %S %M" -a -o "$results" bash -c "$(declare -f gawk_max); gawk_max '$log'" >"$work/gawk.out"
    fi
  done
done
# The two must agree on what both compute: the per-GPU maximum temperature.
while read -r gpu max; do
  got=$(grep -E "^telemetry\.gpu\[$gpu\]\.temperature_c\.max " "$work/vault.out" | awk '{print $2}')
  [ "$got" = "$max" ] || { echo "run.sh: GPU $gpu max temperature: vault says '$got', gawk says '$max'" >&2; exit 1; }
done <"$work/gawk.out"
echo "per-GPU max temperature: vault and gawk agree"
echo "runs (tool wall_s user_s sys_s maxrss_kb):"
sed 's/^/  /' "$results"
python3_summary() {
  /usr/bin/python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 5 and p[0] in ("vault", "gawk"):
        runs.setdefault(p[0], []).append((float(p[1]), float(p[2]) + float(p[3]), int(p[4])))
v, g = runs["vault"], runs["gawk"]
vw, gw = statistics.median(r[0] for r in v), statistics.median(r[0] for r in g)
vc, gc = statistics.median(r[1] for r in v), statistics.median(r[1] for r in g)
ratio = lambda a, b: "%.2f" % (a / b) if b > 0 else "n/a (baseline under the timer's resolution)"
print("median wall: vault %.2f s, gawk %.2f s, ratio vault/gawk %s" % (vw, gw, ratio(vw, gw)))
print("median CPU (user+sys): vault %.2f s, gawk %.2f s, ratio vault/gawk %s" % (vc, gc, ratio(vc, gc)))
print("vault max RSS %d KB (whole JVM, default heap)" % max(r[2] for r in v))
PY
}
python3_summary

if [ "$big_copies" -gt 0 ]; then
  big=$work/telemetry-big-${big_copies}x.csv
  if [ ! -s "$big" ]; then
    # Copies of the day with the year shifted, so that every GPU's timestamps keep increasing.
    cp "$log" "$big.tmp"
    for k in $(seq 1 $((big_copies - 1))); do
      tail -n +2 "$log" | sed "s|^2026/|$((2026 + k))/|" >>"$big.tmp"
    done
    mv "$big.tmp" "$big"
  fi
  echo "big log: $big ($(stat -c %s "$big") bytes)"
  if VAULT_JAVA_OPTS="-Xmx64m" /usr/bin/time -f "vault-xmx64m %e %U %S %M" -o "$work/big.txt" \
      "$root/vault" parse telemetry "$big" >"$work/big.out"; then
    echo "parsed with -Xmx64m: $(cat "$work/big.txt")  (tool wall_s user_s sys_s maxrss_kb)"
    grep -E '^telemetry\.(samples|gpus|duration_s) ' "$work/big.out" | sed 's/^/  /'
  else
    echo "run.sh: the 1 GB log did not parse with -Xmx64m:" >&2
    cat "$work/big.txt" >&2
    exit 1
  fi
fi
