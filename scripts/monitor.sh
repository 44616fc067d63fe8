#!/usr/bin/env bash
# monitor.sh: live dashboard of the box: GPU status (nvidia-smi), system status (load, memory,
# disk) and the top processes, refreshed every --interval seconds until Ctrl-C.
#
#   monitor.sh [--interval SECONDS] [--once] [--top N] [--disk PATH]...
#
#   --interval SECONDS  refresh interval (default 2)
#   --once              print one frame without clearing the screen and exit (for scripts, tests)
#   --top N             number of processes listed (default 8)
#   --disk PATH         file systems to show (default: / and, when present, /var/lib/docker)
#
# GPU rows come from one nvidia-smi --query-gpu call (CUDA_DEVICE_ORDER=PCI_BUS_ID); the THROTTLE
# column decodes clocks_event_reasons.active and flags only the bits that mean throttling
# (0x08 HW slowdown, 0x20 SW thermal, 0x40 HW thermal, 0x80 HW power brake); 0x04 (SW power cap)
# is normal under load and shown as "pwr-cap" (the Java's NvidiaCodes.THROTTLE_BITS; a core test
# checks that the two agree). Without nvidia-smi the GPU section says so and
# the rest of the dashboard still runs.
# Exit codes: 0 (stopped with Ctrl-C/SIGTERM, or --once done), 2 usage error.
set -euo pipefail

readonly GPU_FIELDS=index,name,temperature.gpu,utilization.gpu,memory.used,memory.total,power.draw,power.limit,pstate,pcie.link.gen.current,pcie.link.width.current,fan.speed,clocks_event_reasons.active
readonly APP_FIELDS=gpu_uuid,pid,process_name,used_memory

usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die_usage() { echo "monitor.sh: $*" >&2; usage >&2; exit 2; }

interval=2 once=0 top=8 disks=()
while [ $# -gt 0 ]; do
  case $1 in
    --interval) [ $# -ge 2 ] || die_usage "--interval needs a value"; interval=$2; shift 2 ;;
    --once) once=1; shift ;;
    --top) [ $# -ge 2 ] || die_usage "--top needs a value"; top=$2; shift 2 ;;
    --disk) [ $# -ge 2 ] || die_usage "--disk needs a value"; disks+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown argument: $1" ;;
  esac
done
if ! [[ $interval =~ ^([0-9]+([.][0-9]*)?|[.][0-9]+)$ ]] || ! [[ $interval =~ [1-9] ]]; then
  die_usage "--interval must be a positive number: $interval"
fi
[[ $top =~ ^[0-9]+$ ]] || die_usage "--top must be a whole number: $top"
if [ ${#disks[@]} -eq 0 ]; then
  disks=(/)
  [ ! -d /var/lib/docker ] || disks+=(/var/lib/docker)
fi
export CUDA_DEVICE_ORDER=PCI_BUS_ID

gpu_section() {
  echo "GPUs"
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "  nvidia-smi not found: no NVIDIA driver on this host"
    return 0
  fi
  local out rc=0
  out=$(nvidia-smi "--query-gpu=$GPU_FIELDS" "--format=csv,noheader,nounits" 2>&1) || rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '  nvidia-smi failed (exit %s): %s\n' "$rc" "$(head -n 3 <<<"$out")"
    return 0
  fi
  printf '%s\n' "$out" | awk -F', *' '
    function hex(s,   i, c, n) { s = tolower(s); sub(/^0x/, "", s); n = 0
      for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); if (c == 0) return -1; n = n * 16 + c - 1 }
      return n }
    function bit(n, b) { return int(n / b) % 2 == 1 }
    function reasons(s,   r, t) {
      if (s !~ /^0x[0-9a-fA-F]+$/) return s
      r = hex(s); t = ""
      if (bit(r, 8)) t = t ",HW-SLOWDOWN"
      if (bit(r, 32)) t = t ",SW-THERMAL"
      if (bit(r, 64)) t = t ",HW-THERMAL"
      if (bit(r, 128)) t = t ",HW-POWER-BRAKE"
      if (t == "" && bit(r, 4)) t = ",pwr-cap"
      if (t == "" && bit(r, 1)) t = ",idle"
      return t == "" ? "-" : substr(t, 2)
    }
    BEGIN { printf "  %-3s %-26s %5s %5s %15s %17s %6s %8s %4s  %s\n", "GPU", "NAME", "TEMP", "UTIL", "MEMORY MiB", "POWER W", "PSTATE", "PCIE", "FAN", "THROTTLE" }
    NF >= 13 {
      printf "  %-3s %-26s %4sC %4s%% %15s %17s %6s %8s %4s  %s\n", $1, substr($2, 1, 26), $3, $4, $5 "/" $6, $7 "/" $8, $9, "Gen" $10 " x" $11, $12, reasons($13)
    }
    NF < 13 && NF > 0 { print "  unexpected nvidia-smi line: " $0 }'
  local apps
  apps=$(nvidia-smi "--query-compute-apps=$APP_FIELDS" "--format=csv,noheader,nounits" 2>/dev/null || true)
  if [ -n "$apps" ]; then
    echo "  GPU processes (uuid, pid, name, MiB):"
    printf '%s\n' "$apps" | sed 's/^/    /'
  else
    echo "  GPU processes: none"
  fi
}

system_section() {
  local load mem_total mem_avail swap_total swap_free
  read -r load _ < <(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
  echo "System: $(uname -n), up $(awk '{ d = int($1 / 86400); h = int($1 % 86400 / 3600); m = int($1 % 3600 / 60); printf "%dd %02dh %02dm", d, h, m }' /proc/uptime), load $load (1/5/15 min), $(nproc) CPUs"
  mem_total=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  mem_avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
  swap_total=$(awk '/^SwapTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  swap_free=$(awk '/^SwapFree:/ { print int($2 / 1024) }' /proc/meminfo)
  echo "Memory: $((mem_total - mem_avail)) MiB used of $mem_total MiB ($mem_avail MiB available); swap $((swap_total - swap_free)) of $swap_total MiB used"
  echo "Disk:"
  df -h -P -- "${disks[@]}" 2>/dev/null | awk 'NR == 1 { printf "  %-24s %8s %8s %8s %5s\n", "MOUNT", "SIZE", "USED", "AVAIL", "USE%"; next }
    { printf "  %-24s %8s %8s %8s %5s\n", $6, $2, $3, $4, $5 }' || echo "  df failed"
}

process_section() {
  echo "Top processes by CPU:"
  ps -eo pid,user,pcpu,pmem,etime,comm --sort=-pcpu 2>/dev/null | head -n "$((top + 1))" | sed 's/^/  /' || true
}

frame() {
  echo "Vault Cube monitor  $(date '+%Y-%m-%d %H:%M:%S %Z')$([ "$once" -eq 1 ] || echo "  (every ${interval}s, Ctrl-C to stop)")"
  echo
  gpu_section
  echo
  system_section
  echo
  process_section
}

if [ "$once" -eq 1 ]; then
  frame
  exit 0
fi

interactive=0
[ -t 1 ] && interactive=1
cleanup() {
  [ "$interactive" -eq 0 ] || tput cnorm 2>/dev/null || true
  exit 0
}
trap cleanup INT TERM
[ "$interactive" -eq 0 ] || tput civis 2>/dev/null || true
while :; do
  # Build the frame first, then clear and print it in one go, so the screen does not flicker.
  text=$(frame)
  if [ "$interactive" -eq 1 ]; then
    clear_seq=$(tput clear 2>/dev/null || printf '\033[H\033[2J')
    printf '%s%s\n' "$clear_seq" "$text"
  else
    printf '%s\n\n' "$text"
  fi
  sleep "$interval" & wait $! || true
done
