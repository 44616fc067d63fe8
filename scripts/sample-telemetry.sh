#!/usr/bin/env bash
# sample-telemetry.sh: the GPU telemetry sampler (its CSV format: docs/gpu-validation.md).
#
#   sample-telemetry.sh --interval SECONDS --output FILE [--duration SECONDS]
#
# Runs exactly
#   CUDA_DEVICE_ORDER=PCI_BUS_ID nvidia-smi --query-gpu=<the fields below> \
#     "--format=csv,nounits" -lms INTERVAL_MS -f FILE
# so FILE is nvidia-smi's own CSV: one header line, then one row per GPU per interval, each row
# with its timestamp, index and uuid. It runs until SIGINT or SIGTERM (both stop it cleanly: the
# nvidia-smi child is stopped and waited for) or, with --duration, for that many seconds.
# SECONDS may be fractional (--interval 0.5); the interval is rounded to whole milliseconds.
#
# Exit codes:
#   0  stopped by SIGINT/SIGTERM or at the end of --duration
#   2  usage error (missing or invalid option)
#   3  nvidia-smi not found: no NVIDIA driver on this host
#   4  nvidia-smi ended by itself with status 0 (it should loop until stopped)
#   N  nvidia-smi ended by itself with status N (e.g. 9: driver not loaded, 15: GPU fell off the bus)
set -euo pipefail

readonly FIELDS=timestamp,index,uuid,pstate,temperature.gpu,power.draw,power.limit,utilization.gpu,utilization.memory,memory.used,clocks.sm,clocks.mem,pcie.link.gen.current,pcie.link.width.current,fan.speed,clocks_event_reasons.active

usage() {
  cat <<'EOF'
usage: sample-telemetry.sh --interval SECONDS --output FILE [--duration SECONDS]
  --interval SECONDS   sampling interval (e.g. 5 or 0.5)
  --output FILE        the CSV file nvidia-smi writes (-f FILE)
  --duration SECONDS   stop after this many seconds (default: run until SIGINT/SIGTERM)
EOF
}

die_usage() { echo "sample-telemetry.sh: $*" >&2; usage >&2; exit 2; }

is_positive_number() { [[ $1 =~ ^([0-9]+([.][0-9]*)?|[.][0-9]+)$ ]] && [[ $1 =~ [1-9] ]]; }

# Seconds (possibly fractional) to whole milliseconds, without floating point in bash.
to_millis() {
  local int=${1%%.*} frac=
  [[ $1 == *.* ]] && frac=${1#*.}
  frac="${frac}000"
  frac=${frac:0:3}
  [ -n "$int" ] || int=0
  echo $(( 10#$int * 1000 + 10#$frac ))
}

interval='' output='' duration=''
while [ $# -gt 0 ]; do
  case $1 in
    --interval) [ $# -ge 2 ] || die_usage "--interval needs a value"; interval=$2; shift 2 ;;
    --interval=*) interval=${1#*=}; shift ;;
    --output) [ $# -ge 2 ] || die_usage "--output needs a value"; output=$2; shift 2 ;;
    --output=*) output=${1#*=}; shift ;;
    --duration) [ $# -ge 2 ] || die_usage "--duration needs a value"; duration=$2; shift 2 ;;
    --duration=*) duration=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown argument: $1" ;;
  esac
done
[ -n "$interval" ] || die_usage "--interval is required"
[ -n "$output" ] || die_usage "--output is required"
is_positive_number "$interval" || die_usage "--interval must be a positive number of seconds: $interval"
interval_ms=$(to_millis "$interval")
[ "$interval_ms" -ge 1 ] || die_usage "--interval must be at least 0.001 s: $interval"
if [ -n "$duration" ]; then
  is_positive_number "$duration" || die_usage "--duration must be a positive number of seconds: $duration"
fi
out_dir=$(dirname -- "$output")
[ -d "$out_dir" ] || die_usage "the directory of --output does not exist: $out_dir"

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "sample-telemetry.sh: nvidia-smi not found: the NVIDIA driver is not installed on this host" >&2
  exit 3
fi

export CUDA_DEVICE_ORDER=PCI_BUS_ID
argv=(nvidia-smi "--query-gpu=$FIELDS" "--format=csv,nounits" -lms "$interval_ms" -f "$output")

# Background jobs of a non-interactive shell ignore SIGINT, so the child is always stopped
# explicitly with SIGTERM, whichever signal reached us.
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

"${argv[@]}" &
child=$!
stopping=0
stop_deadline_us=
stop_child() {
  if [ "$stopping" -eq 0 ]; then
    stopping=1
    stop_deadline_us=$(( $(now_us) + 10000000 ))
  fi
  kill -TERM "$child" 2>/dev/null || true
}
trap stop_child INT TERM

deadline_us=
if [ -n "$duration" ]; then
  deadline_us=$(( $(now_us) + $(to_millis "$duration") * 1000 ))
fi

# Poll rather than block in wait: a trapped signal interrupts the short sleep at once, and the
# child's status is collected exactly once, after the loop.
poll=1
[ -z "$deadline_us" ] || poll=0.2
[ "$stopping" -eq 0 ] || poll=0.2
while kill -0 "$child" 2>/dev/null; do
  if [ -n "$deadline_us" ] && [ "$stopping" -eq 0 ] && [ "$(now_us)" -ge "$deadline_us" ]; then
    stop_child
  fi
  if [ "$stopping" -eq 1 ]; then
    poll=0.2
    # nvidia-smi stops on SIGTERM at once; a child that does not is killed after 10 s.
    [ "$(now_us)" -lt "$stop_deadline_us" ] || kill -KILL "$child" 2>/dev/null || true
  fi
  sleep "$poll" & wait $! || true
done
if wait "$child"; then rc=0; else rc=$?; fi
trap - INT TERM

if [ "$stopping" -eq 1 ]; then
  exit 0
fi
if [ "$rc" -eq 0 ]; then
  echo "sample-telemetry.sh: nvidia-smi stopped by itself (status 0) before it was asked to" >&2
  exit 4
fi
echo "sample-telemetry.sh: nvidia-smi failed with status $rc: ${argv[*]}" >&2
exit "$rc"
