#!/usr/bin/env bash
# Benchmark: `vault packer-build` against bare `packer build` on the same null-builder template
# (bench.pkr.hcl), side by side, alternating which goes first. Two comparisons:
#   end-to-end  ./vault packer-build (JVM start-up, packer version and packer validate included)
#               vs packer build, as a person runs them
#   in-process  the Packer runner inside one warm JVM (still version + validate + build) vs
#               packer build started from that JVM
# Prints every timing (wall, and CPU = user + sys of the whole process tree, which the load of a
# shared machine disturbs far less) and the medians of the per-pair ratios vault/bare.
#   bench/packer/run.sh [REPS]      (default 9 pairs per comparison)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
reps=${1:-9}
here=$root/bench/packer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/vault" --version >/dev/null # builds the jar when needed, outside the timings
export CHECKPOINT_DISABLE=1        # the same for both: no version check over the network

now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

results=$work/results
: >"$results"
for ((i = 0; i < reps; i++)); do
  for variant in 0 1; do
    if (( (variant == 0) == (i % 2 == 1) )); then which=vault; else which=bare; fi
    TIMEFORMAT='%R %U %S'
    # The tools' own stderr goes to a file, so that the time file holds only bash's timing line.
    { time {
      if [ "$which" = vault ]; then
        (cd "$work" && VAULT_NO_BUILD=1 "$root/vault" packer-build "$here/bench.pkr.hcl" --force \
          --evidence "$work/ev-$i" >/dev/null 2>>"$work/stderr")
      else
        (cd "$work" && packer build -force "$here/bench.pkr.hcl" >/dev/null 2>>"$work/stderr")
      fi
    }; } 2>"$work/time"
    read -r wall user sys <"$work/time"
    echo "end-to-end $which $i $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" | tee -a "$results"
  done
done

java -cp "$root/cli/target/vault.jar" "$here/InProcess.java" "$reps" "$here/bench.pkr.hcl" "$work" | tee -a "$results"

jvm=$( { t0=$(now); VAULT_NO_BUILD=1 "$root/vault" --version >/dev/null; t1=$(now); seconds "$t0" "$t1"; } )
echo "jvm start-up (vault --version): ${jvm}s"

summary() {
  awk -v kind="$1" '
    $1 == kind { t[$2, $3] = $4; c[$2, $3] = $5; n = ($3 + 1 > n ? $3 + 1 : n) }
    function median(a, k,   i, j, x) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
      for (i = 0; i < n; i++) {
        r[i + 1] = t["vault", i] / t["bare", i]; v[i + 1] = t["vault", i]; b[i + 1] = t["bare", i]
        d[i + 1] = t["vault", i] - t["bare", i]; cd[i + 1] = c["vault", i] - c["bare", i]
        cr[i + 1] = c["vault", i] / c["bare", i]; cv[i + 1] = c["vault", i]; cb[i + 1] = c["bare", i]
      }
      printf "%-10s pairs=%d  wall: median bare=%.3fs vault=%.3fs, median ratio vault/bare=%.3f (%+.1f%%), median difference %+.2fs\n",
        kind, n, median(b, n), median(v, n), median(r, n), (median(r, n) - 1) * 100, median(d, n)
      printf "%-10s pairs=%d  cpu:  median bare=%.2fs vault=%.2fs, median ratio vault/bare=%.3f (%+.1f%%), median difference %+.2fs\n",
        kind, n, median(cb, n), median(cv, n), median(cr, n), (median(cr, n) - 1) * 100, median(cd, n)
    }' "$results"
}
summary end-to-end
summary inprocess
