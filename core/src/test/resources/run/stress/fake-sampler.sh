#!/usr/bin/env bash
# SYNTHETIC stand-in for scripts/sample-telemetry.sh in the runner tests (not nvidia-smi; its values
# are made up, not measurements). Same interface: --interval SECONDS --output FILE, runs until
# SIGINT/SIGTERM, then exits 0. It writes sample-telemetry.sh's telemetry CSV (docs/gpu-validation.md,
# header with units as nvidia-smi prints it), one row per GPU every --interval seconds by the real
# clock (each sample at its scheduled time, so a busy machine delays rows but loses none), with
# the values of a typical loaded RTX 5090 row; GPU i runs i degrees hotter than GPU 0.
# Knobs: FAKE_SAMPLER_GPUS (4), FAKE_SAMPLER_TEMP (71), FAKE_SAMPLER_MASK (0x0000000000000004, the
# normal SW power cap; 0x...44 adds HW thermal slowdown, a throttle), FAKE_SAMPLER_DIE_AFTER=N (exit
# 15 after N samples, as nvidia-smi does when a GPU falls off the bus), FAKE_SAMPLER_ARGV (a file
# that receives its arguments and TZ).
set -euo pipefail
interval='' output=''
while [ $# -gt 0 ]; do
  case $1 in
    --interval) interval=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    *) echo "fake sampler: unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$interval" ] || [ -z "$output" ]; then
  echo "fake sampler: --interval and --output are required" >&2
  exit 2
fi
if [ -n "${FAKE_SAMPLER_ARGV:-}" ]; then
  printf '%s\n' --interval "$interval" --output "$output" "TZ=${TZ:-}" >"$FAKE_SAMPLER_ARGV"
fi
gpus=${FAKE_SAMPLER_GPUS:-4}
temp=${FAKE_SAMPLER_TEMP:-71}
mask=${FAKE_SAMPLER_MASK:-0x0000000000000004}
die_after=${FAKE_SAMPLER_DIE_AFTER:-0}
interval_us=$(awk -v s="$interval" 'BEGIN { printf "%d", s * 1000000 }')
stop=0
trap 'stop=1' INT TERM
echo "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], clocks.mem [MHz], pcie.link.gen.current, pcie.link.width.current, fan.speed [%], clocks_event_reasons.active" >"$output"
start_us=${EPOCHREALTIME/[.,]/}
k=0
while [ "$stop" -eq 0 ]; do
  ts=$(date '+%Y/%m/%d %H:%M:%S.%3N')
  for ((g = 0; g < gpus; g++)); do
    printf '%s, %d, GPU-00000000-0000-0000-0000-%012d, P1, %d, 512.33, 575.00, 100, 35, 30521, 2745, 14001, 5, 16, 68, %s\n' \
      "$ts" "$g" "$((g + 1))" "$((temp + g))" "$mask"
  done >>"$output"
  k=$((k + 1))
  if [ "$die_after" -gt 0 ] && [ "$k" -ge "$die_after" ]; then
    echo "fake sampler: stopping by itself with status 15 (as nvidia-smi when a GPU fell off the bus)" >&2
    exit 15
  fi
  wait_us=$((start_us + k * interval_us - ${EPOCHREALTIME/[.,]/}))
  if [ "$wait_us" -gt 0 ]; then
    sleep "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))" &
    wait $! || true
  fi
done
exit 0
