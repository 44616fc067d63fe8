#!/usr/bin/env bash
# Benchmark: vault checksum against openssl dgst -sha256 and coreutils sha256sum on one large file,
# side by side in one run, several rounds in rotating order; prints per-round times, medians,
# throughputs and ratios, plus the machine it ran on. Results are recorded in README.md here.
#
#   bench/checksum/run.sh [--size 2G] [--rounds 5] [--dir DIR]
#
# The file is made once (pseudo-random bytes from openssl's AES-CTR, or /dev/urandom) and read
# once before timing, so every tool hashes from the page cache: this measures hashing, not the disk.
# vault's time is the whole command (JVM start included); its JVM start alone is measured too.
set -euo pipefail

size=2G
rounds=5
dir=${TMPDIR:-/var/tmp}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in openssl sha256sum java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done
"$root/vault" --version >/dev/null # builds the CLI when needed
vault=("$root/vault") # as users run it: the launcher's JVM options included

work=$(mktemp -d "$dir/vault-bench-checksum.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/image.bin
bytes=$(numfmt --from=iec "$size")
echo "making a $size file in $work ..."
if ! openssl enc -aes-128-ctr -nosalt -pass pass:vault-bench -in /dev/zero 2>/dev/null | head -c "$bytes" >"$file"; then
  head -c "$bytes" /dev/urandom >"$file"
fi
[ "$(stat -c %s "$file")" -eq "$bytes" ] || { echo "run.sh: could not make the file" >&2; exit 2; }
cat "$file" >/dev/null
: >"$work/empty"

now() { date +%s%N; }
# time_it NAME CMD...: runs CMD, records seconds in times[NAME] (space-separated), digest in digests[NAME].
declare -A times digests
time_it() {
  local name=$1 start end out
  shift
  start=$(now)
  out=$("$@")
  end=$(now)
  times[$name]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') "
  digests[$name]=$(printf '%s\n' "$out" | sed -E 's/^\\//; s/^SHA2-256\(.*\)= //' | cut -c1-64)
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

tools=(vault openssl sha256sum)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, sha_ni: $(grep -q -m1 sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "java: $("${VAULT_JAVA:-java}" -version 2>&1 | head -1); UseSHA256Intrinsics: $("${VAULT_JAVA:-java}" -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal -version 2>/dev/null | awk '/UseSHA256Intrinsics/ { print $4 }')"
echo "openssl: $(openssl version); sha256sum: $(sha256sum --version | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-6s %10s %10s %10s %10s\n' round "${tools[@]}" "vault-jvm-start"
for ((r = 1; r <= rounds; r++)); do
  # Rotate the order so that no tool always runs first (or last) in a round.
  for ((k = 0; k < ${#tools[@]}; k++)); do
    t=${tools[$(((k + r) % ${#tools[@]}))]}
    case $t in
      vault) time_it vault "${vault[@]}" checksum --no-progress "$file" ;;
      openssl) time_it openssl openssl dgst -sha256 "$file" ;;
      sha256sum) time_it sha256sum sha256sum "$file" ;;
    esac
  done
  time_it start "${vault[@]}" checksum --no-progress "$work/empty"
  printf '%-6s' "$r"
  for t in "${tools[@]}" start; do printf ' %10s' "$(echo "${times[$t]}" | awk '{ print $NF }')"; done
  echo
done
for t in vault openssl; do
  [ "${digests[$t]}" = "${digests[sha256sum]}" ] || { echo "run.sh: $t disagrees with sha256sum: ${digests[$t]} vs ${digests[sha256sum]}" >&2; exit 1; }
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); all three agree on ${digests[sha256sum]}"
declare -A med
for t in "${tools[@]}" start; do med[$t]=$(echo "${times[$t]}" | median); done
mib=$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')
printf '\nmedian of %d rounds, %s:\n' "$rounds" "$size"
for t in "${tools[@]}"; do
  printf '  %-10s %8.3f s  %8.0f MiB/s\n' "$t" "${med[$t]}" "$(awk -v m="$mib" -v s="${med[$t]}" 'BEGIN { print m / s }')"
done
printf '  %-10s %8.3f s  (JVM start and exit: vault checksum of an empty file)\n' "vault-jvm" "${med[start]}"
echo
awk -v v="${med[vault]}" -v o="${med[openssl]}" -v s="${med[sha256sum]}" -v j="${med[start]}" 'BEGIN {
  printf "vault throughput / openssl throughput = %.2f (target >= 0.90)\n", o / v
  printf "vault throughput / openssl, JVM start excluded = %.2f\n", o / (v - j)
  printf "vault throughput / sha256sum throughput = %.2f\n", s / v
}'
# Throughput ratios taken within each round (the tools of a round share its load), then the median.
paired() { paste <(echo "${times[$1]}" | tr ' ' '\n' | grep -v '^$') <(echo "${times[vault]}" | tr ' ' '\n' | grep -v '^$') \
  | awk '{ printf "%.3f ", $1 / $2 }'; }
echo "per-round openssl time / vault time: $(paired openssl)-> median $(paired openssl | median)"
echo "per-round sha256sum time / vault time: $(paired sha256sum)-> median $(paired sha256sum | median)"
