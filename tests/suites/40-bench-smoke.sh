#!/usr/bin/env bash
# Smoke run of the telemetry benchmark (bench/telemetry/run.sh) on one minute of synthetic
# telemetry: the script works and vault agrees with the gawk baseline. No timing is asserted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
WORK=$work bench/telemetry/run.sh --seconds 60 --rounds 1 --big-copies 0 | tee "$work/out.txt"
grep -q 'per-GPU max temperature: vault and gawk agree' "$work/out.txt"
echo "bench smoke: ok"
