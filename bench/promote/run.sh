#!/usr/bin/env bash
# Benchmark: vault promote of one large file against the baseline of the issue, "cp, then sha256sum
# of the copy", side by side in one run, several rounds in rotating order. vault promote copies
# while hashing, fsyncs, re-reads and verifies the copy, writes manifest/SHA256SUMS and renames the
# version into place; the baseline neither verifies nor fsyncs, so a third column, "cp, sync the
# copy, sha256sum", shows the baseline with the data on disk too. Results are in README.md here.
#
#   bench/promote/run.sh [--size 2G] [--rounds 5] [--dir DIR]
#
# DIR must have room for the file and one copy (2 x size). The source file is read once before
# timing, so every contender reads it from the page cache.
set -euo pipefail

size=2G
rounds=5
dir=${TMPDIR:-/var/tmp}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in sha256sum cp sync java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done
"$root/vault" --version >/dev/null # builds the CLI when needed
vault=("$root/vault") # as users run it: the launcher's JVM options included

work=$(mktemp -d "$dir/vault-bench-promote.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/image.qcow2
bytes=$(numfmt --from=iec "$size")
need=$((2 * bytes + (64 << 20)))
free=$(df --output=avail -B1 "$work" | tail -1)
[ "$free" -gt "$need" ] || { echo "run.sh: $work has $free bytes free, needs $need" >&2; exit 2; }
echo "making a $size file in $work ..."
if ! openssl enc -aes-128-ctr -nosalt -pass pass:vault-bench -in /dev/zero 2>/dev/null | head -c "$bytes" >"$file"; then
  head -c "$bytes" /dev/urandom >"$file"
fi
[ "$(stat -c %s "$file")" -eq "$bytes" ] || { echo "run.sh: could not make the file" >&2; exit 2; }
sync "$file"
cat "$file" >/dev/null
# A real gate report, bound to the evidence it judged (bench/lib/gate-report.sh).
# shellcheck source=bench/lib/gate-report.sh
. "$root/bench/lib/gate-report.sh"
bench_gate_report vault "$work"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A times

run_vault() {
  local repo=$work/repo start end
  start=$(now)
  "${vault[@]}" promote "$file" --repo "$repo" --name bench --version "r$1" --gate-report "$work/gate.json" \
    --no-git --no-progress >/dev/null
  end=$(now)
  times[vault]+="$(secs "$start" "$end") "
  digest=$(awk '{ print $1; exit }' "$repo/bench/r$1/SHA256SUMS")
  rm -rf "$repo"
}
run_cp() {
  local start end copy=$work/copy.qcow2
  start=$(now)
  cp "$file" "$copy"
  if [ "$2" = sync ]; then sync "$copy"; fi
  out=$(sha256sum "$copy")
  end=$(now)
  times[$1]+="$(secs "$start" "$end") "
  [ "${out:0:64}" = "$expected" ] || { echo "run.sh: the copy is wrong?" >&2; exit 1; }
  rm -f "$copy"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; $(df --output=source,fstype "$work" | tail -1 | tr -s ' ')"
echo "java: $("${VAULT_JAVA:-java}" -version 2>&1 | head -1); $(sha256sum --version | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
expected=$(openssl dgst -sha256 -r "$file" 2>/dev/null | cut -c1-64 || sha256sum "$file" | cut -c1-64)
echo
contenders=(vault cp+sha256sum cp+sync+sha256sum)
printf '%-6s %12s %18s %18s\n' round "${contenders[@]}"
for ((r = 1; r <= rounds; r++)); do
  for ((k = 0; k < ${#contenders[@]}; k++)); do
    case ${contenders[$(((k + r) % ${#contenders[@]}))]} in
      vault) run_vault "$r" ;;
      cp+sha256sum) run_cp cp+sha256sum nosync ;;
      cp+sync+sha256sum) run_cp cp+sync+sha256sum sync ;;
    esac
    sync # each contender starts with no dirty pages of the one before
  done
  [ "$digest" = "$expected" ] || { echo "run.sh: vault recorded $digest, expected $expected" >&2; exit 1; }
  printf '%-6s' "$r"
  for c in "${contenders[@]}"; do printf ' %*s' $((${#c} > 12 ? ${#c} : 12)) "$(echo "${times[$c]}" | awk '{ print $NF }')"; done
  echo
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A med
for c in "${contenders[@]}"; do med[$c]=$(echo "${times[$c]}" | median); done
printf '\nmedian of %d rounds, %s:\n' "$rounds" "$size"
for c in "${contenders[@]}"; do printf '  %-18s %8.3f s\n' "$c" "${med[$c]}"; done
echo
awk -v v="${med[vault]}" -v b="${med[cp+sha256sum]}" -v s="${med[cp+sync+sha256sum]}" 'BEGIN {
  printf "vault promote time / (cp + sha256sum) time = %.2f (target <= 0.70; ratio of the medians)\n", v / b
  printf "vault promote time / (cp + sync + sha256sum) time = %.2f\n", v / s
}'
# The same ratios taken within each round (the contenders of a round share its load), then the median.
paired() { paste <(echo "${times[vault]}" | tr ' ' '\n' | grep -v '^$') <(echo "${times[$1]}" | tr ' ' '\n' | grep -v '^$') \
  | awk '{ printf "%.3f ", $1 / $2 }'; }
echo "per-round vault / (cp + sha256sum): $(paired cp+sha256sum)-> median $(paired cp+sha256sum | median)"
echo "per-round vault / (cp + sync + sha256sum): $(paired cp+sync+sha256sum)-> median $(paired cp+sync+sha256sum | median)"
