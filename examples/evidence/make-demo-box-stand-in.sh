#!/usr/bin/env bash
# Regenerates the SYNTHETIC parts of examples/evidence/demo-box-stand-in/ (see its SOURCE.md):
# the telemetry logs, deterministic (seeded) from bench/telemetry/generate-telemetry.py, with the
# UUIDs of the recorded gpu collection. The other files are committed as they are.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$root/examples/evidence/demo-box-stand-in
gen=$root/bench/telemetry/generate-telemetry.py
uuids=$(awk -F', ' 'NR > 1 { printf "%s%s", sep, $2; sep = "," }' "$out/gpu/nvidia-smi-query.csv")

# The 24 h soak: one sample per GPU every 30 s, both ends included (2881 samples, 86400 s).
/usr/bin/python3 "$gen" --gpus 4 --uuids "$uuids" --seconds 86430 --interval 30 --no-throttle \
  --start 2026-11-27T08:00:00 --seed 24 --output "$out/stress/telemetry.csv"
# Telemetry during the benchmarks, every second.
/usr/bin/python3 "$gen" --gpus 4 --uuids "$uuids" --seconds 600 --interval 1 --no-throttle \
  --start 2026-11-27T06:00:00 --seed 1 --output "$out/bench-ddp/telemetry.csv"
/usr/bin/python3 "$gen" --gpus 4 --uuids "$uuids" --seconds 300 --interval 1 --no-throttle \
  --start 2026-11-27T07:00:00 --seed 2 --output "$out/bench-vllm/telemetry.csv"
