#!/usr/bin/env bash
# Benchmark: vault promote of one large file into an S3 repository (S3Proxy on loopback, started
# here), side by side with two plain uploads of the same file to the same server: the AWS SDK's
# own multipart upload (S3 Transfer Manager, same part size) and `aws s3 cp` (Debian's awscli,
# its defaults). vault also hashes the whole file, writes manifest/SHA256SUMS, checks the listing
# and publishes the commit record, channel and audit objects. Several rounds in rotating order;
# ratios per round and of the medians. Results are in bench/README.md.
#
#   bench/s3-promote/run.sh [--size 2G] [--rounds 3] [--dir DIR]
#
# DIR must have room for the file and the server's copy of it (about 3 x size during a round).
set -euo pipefail

size=2G
rounds=3
dir=${TMPDIR:-/var/tmp}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
aws=/usr/bin/aws # not a pyenv shim first on PATH: Debian's awscli
[ -x "$aws" ] || { echo "run.sh: Debian's awscli ($aws) is not installed (apt-get install awscli)" >&2; exit 2; }
command -v mvn >/dev/null || { echo "run.sh: Maven is needed (S3Proxy's jar, the Transfer Manager's classpath)" >&2; exit 2; }
"$root/vault" --version >/dev/null # builds the CLI when needed
vault=("$root/vault")

work=$(mktemp -d "$dir/vault-bench-s3.XXXXXX")
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The Transfer Manager baseline and S3Proxy come from Maven Central through the cli module's test scope.
cp_file=$work/classpath
# One invocation: the core module resolves from the reactor (never from ~/.m2); cli writes the file last.
(cd "$root" && mvn -B -q -pl cli -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null)
classpath="$root/cli/target/test-classes:$root/cli/target/classes:$root/core/target/classes:$(cat "$cp_file")"
s3proxy_jar=$(tr ':' '\n' <"$cp_file" | grep 's3proxy-.*-jar-with-dependencies.jar$' | head -1)
[ -f "$s3proxy_jar" ] || { echo "run.sh: S3Proxy's jar was not resolved" >&2; exit 2; }

export AWS_ACCESS_KEY_ID=bench-identity AWS_SECRET_ACCESS_KEY=bench-credential-0123456789 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials AWS_PAGER=
: >"$AWS_CONFIG_FILE"
mkdir -p "$work/s3data"
cat >"$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:0
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3data
PROPS
java -jar "$s3proxy_jar" --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 600); do # an event (the listening line), polled; S3Proxy needs 5-30 s to start
  port=$(sed -n 's/.*Started ServerConnector.*{127\.0\.0\.1:\([0-9]*\)}.*/\1/p' "$work/s3proxy.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/s3proxy.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "run.sh: S3Proxy did not start" >&2; exit 1; }
endpoint=http://127.0.0.1:$port
export VAULT_S3_ENDPOINT=$endpoint
part=$((16 << 20)) # vault's default part size; the Transfer Manager gets the same
"$aws" --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null

file=$work/image.qcow2
bytes=$(numfmt --from=iec "$size")
echo "making a $size file in $work ..."
if ! openssl enc -aes-128-ctr -nosalt -pass pass:vault-bench -in /dev/zero 2>/dev/null | head -c "$bytes" >"$file"; then
  head -c "$bytes" /dev/urandom >"$file"
fi
sync "$file"
cat "$file" >/dev/null
# A real gate report, bound to the evidence it judged (bench/lib/gate-report.sh).
# shellcheck source=bench/lib/gate-report.sh
. "$root/bench/lib/gate-report.sh"
bench_gate_report vault "$work"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { tr ' ' '\n' | { grep -v '^$' || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A times
empty() { # the server's copies go between contenders, so that its disk holds one at a time
  "$aws" --endpoint-url "$endpoint" s3 rm --recursive --quiet s3://bench/ >/dev/null
}
run_vault() {
  local start end
  start=$(now)
  "${vault[@]}" promote "$file" --repo s3://bench/repo --name bench --version "r$1" --channel stable \
    --gate-report "$work/gate.json" --no-git --no-progress >"$work/vault.out"
  end=$(now)
  times[vault]+="$(secs "$start" "$end") "
  grep -q "sha256 $expected" "$work/vault.out" || { echo "run.sh: vault recorded another digest" >&2; cat "$work/vault.out" >&2; exit 1; }
}
run_tm() {
  local start end
  start=$(now)
  if ! java -cp "$classpath" io.vaultcube.pipeline.cli.bench.TransferManagerUpload "$endpoint" bench "tm/r$1" "$file" "$part" \
       >"$work/tm.out" 2>&1; then
    # A failed baseline gives no figure and says why (the first S3Exception line).
    echo "transfer-manager failed: $(grep -m1 -o 'S3Exception: [^(]*' "$work/tm.out")" >&2
    return
  fi
  end=$(now)
  times[transfer-manager]+="$(secs "$start" "$end") "
}
run_aws() {
  local start end
  start=$(now)
  "$aws" --endpoint-url "$endpoint" s3 cp --only-show-errors "$file" "s3://bench/aws/r$1"
  end=$(now)
  times[aws-s3-cp]+="$(secs "$start" "$end") "
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; $(df --output=source,fstype "$work" | tail -1 | tr -s ' ')"
echo "java: $(java -version 2>&1 | head -1); $("$aws" --version 2>&1); S3Proxy $(basename "$s3proxy_jar")"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); uptime before: $(uptime)"
expected=$(sha256sum "$file" | cut -c1-64)
echo
contenders=(vault transfer-manager aws-s3-cp)
printf '%-6s %10s %18s %12s\n' round "${contenders[@]}"
for ((r = 1; r <= rounds; r++)); do
  for ((k = 0; k < ${#contenders[@]}; k++)); do
    case ${contenders[$(((k + r) % ${#contenders[@]}))]} in
      vault) run_vault "$r" ;;
      transfer-manager) run_tm "$r" ;;
      aws-s3-cp) run_aws "$r" ;;
    esac
    empty
    sync
  done
  printf '%-6s' "$r"
  for c in "${contenders[@]}"; do printf ' %*s' $((${#c} > 10 ? ${#c} : 10)) "$(echo "${times[$c]:-n/a}" | awk '{ print $NF }')"; done
  echo "   (load $(cut -d' ' -f1-3 /proc/loadavg))"
done
echo
echo "uptime after: $(uptime)"
declare -A med
for c in "${contenders[@]}"; do med[$c]=$(echo "${times[$c]:-}" | median); done
printf '\nmedian of %d rounds, %s:\n' "$rounds" "$size"
for c in "${contenders[@]}"; do printf '  %-18s %8s s\n' "$c" "${med[$c]:-n/a}"; done
faster=$(awk -v a="${med[transfer-manager]:-0}" -v b="${med[aws-s3-cp]}" 'BEGIN { print (a > 0 && a < b ? a : b) }')
echo
awk -v v="${med[vault]}" -v t="${med[transfer-manager]:-0}" -v a="${med[aws-s3-cp]}" -v f="$faster" 'BEGIN {
  if (t > 0) printf "vault / transfer-manager = %.2f; ", v / t; else printf "transfer-manager: no figure; "
  printf "vault / aws-s3-cp = %.2f; vault / faster = %.2f (goal <= 1.10; medians)\n", v / a, v / f
}'
paired() { paste <(echo "${times[vault]}" | tr ' ' '\n' | grep -v '^$') <(echo "${times[$1]}" | tr ' ' '\n' | grep -v '^$') \
  | awk '{ printf "%.3f ", $1 / $2 }'; }
[ -n "${times[transfer-manager]:-}" ] && echo "per-round vault / transfer-manager: $(paired transfer-manager)-> median $(paired transfer-manager | median)"
echo "per-round vault / aws-s3-cp: $(paired aws-s3-cp)-> median $(paired aws-s3-cp | median)"
