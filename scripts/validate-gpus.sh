#!/usr/bin/env bash
# validate-gpus.sh: collects the evidence that the GPUs of this machine are present and healthy,
# writes it into an evidence directory (fixed file names, parsed by `vault gpu-validate`) and
# prints a human summary. The gate's verdict comes from the parsed evidence and the policy; this
# script's own exit code is for a person at the console and for "no driver" detection.
#
# usage: validate-gpus.sh [--evidence DIR] [--expect-count N] [--expect-model NAME]
#                         [--expect-memory-mib MIN] [--expect-pcie-gen N] [--expect-pcie-width N]
#                         [--expect-driver-min VERSION] [--max-idle-temp C]
#                         [--load-seconds S] [--load-warmup S] [--python PATH] [--no-load]
#                         [-- LOAD_COMMAND...]
#
# What it does ("ref §N": a section of the team's GPU reference notes; docs/gpu-validation.md
# states each fact):
#   * every nvidia-smi call runs with CUDA_DEVICE_ORDER=PCI_BUS_ID, rows keyed by index and uuid;
#   * the PCIe link is judged under load only: current gen/width drop at idle (ref §1.7), so a
#     short load runs (default: scripts/stress-gpus.py through PYTHON when torch sees CUDA, or the
#     LOAD_COMMAND given after --) while scripts/sample-telemetry.sh samples every second;
#     "loaded" = a sample with utilization.gpu >= 50 % (docs/metrics.md);
#   * the NVIDIA GPU functions on the PCI bus (lspci, class 0300/0302) must equal the GPUs the
#     driver initialised: a GPU that failed to initialise shows in lspci only (ref §7);
#   * the kernel log since boot is scanned for Xid and "fallen off the bus" (ref §2); Xids of the
#     application class (ref §2.3) are warnings, every other Xid (unknown codes included) is fatal.
#
# Evidence files (in DIR; fixed names; a file is absent when its command could not run):
#   nvidia-smi-query.csv        inventory: nvidia-smi --query-gpu=<INVENTORY_FIELDS> --format=csv,nounits
#                               (header line, one row per GPU; on drivers without clocks_event_reasons.*
#                               the last column is the old alias clocks_throttle_reasons.active)
#   nvidia-smi-query-extra.csv  driver-dependent fields (<EXTRA_FIELDS>); may be absent on older drivers
#   nvidia-smi-q.txt            nvidia-smi -q
#   nvidia-smi.txt              nvidia-smi (the default table: driver and CUDA versions)
#   nvidia-smi-topo.txt         nvidia-smi topo -m (informational)
#   nvidia-smi-load.csv         telemetry CSV (sample-telemetry.sh's format) sampled during the load
#   load.log                    output of the load command
#   load-stress-gpus.json       result of the default load (vault-stress-gpus/1), when it ran
#   lspci.txt                   lspci -nn -d 10de:  (every NVIDIA PCI function, GPUs and audio)
#   kernel.log                  journalctl -k -b --no-pager -o short-iso, or dmesg when that fails
#   proc-driver-version.txt     /proc/driver/nvidia/version (says "Open Kernel Module" for open modules)
#   nvcc-version.txt            nvcc --version
#   versions.txt                KEY=VALUE lines: driver_version, cuda_version, nvcc_version,
#                               kernel_module (open|proprietary), kernel, os; a key is absent when unknown
#   commands.tsv                one line per command run: exit status, evidence file, argv
#   summary.txt                 the human summary printed on stdout
#
# Exit codes:
#   0  all checks passed (warnings may have been printed)
#   1  a clear fault: GPU count or model or memory not as expected, lspci and nvidia-smi disagree,
#      fatal Xid, GPU fallen off the bus, "[GPU requires reset]"/"[GPU is lost]"/"ERR!" values,
#      PCIe link under load below expectation, the load command failed, no GPU at all,
#      nvidia-smi hanging (each command is stopped after 180 s)
#   2  usage error
#   3  no NVIDIA driver: nvidia-smi missing, or it cannot talk to the driver (its exit 9, 12, ...)
#   4  evidence incomplete (no fault found, but something needed could not be collected: kernel
#      log unreadable, lspci missing, PCIe expectation given but no loaded sample)
# Precedence: 3, then 1, then 4.
set -euo pipefail

readonly INVENTORY_FIELDS=index,uuid,name,pci.bus_id,pci.device_id,driver_version,vbios_version,compute_cap,memory.total,temperature.gpu,pstate,power.limit,power.default_limit,power.max_limit,clocks.max.sm,clocks.max.mem,pcie.link.gen.max,pcie.link.gen.current,pcie.link.width.max,pcie.link.width.current,persistence_mode,ecc.mode.current,clocks_event_reasons.active
readonly EXTRA_FIELDS=index,uuid,pcie.link.gen.gpumax,pcie.link.gen.hostmax,temperature.gpu.tlimit
# Application-class Xids (ref §2.3): suspicious, reported as warnings; every other code is fatal
# (38, "Driver firmware error", included). The Java reads the same set from NvidiaCodes; the core test
# NvidiaCodesAgreeWithScriptsTest fails when the two differ, as it does for the throttle bits and the
# fault/"not available" values below.
readonly APPLICATION_XIDS=" 8 11 13 14 25 31 32 39 40 41 43 44 45 68 69 "

script_dir=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

usage() {
  sed -n '6,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
  --evidence DIR            evidence directory (default ./gpu-validation-<UTC time>)
  --expect-count N          number of GPUs expected (nvidia-smi and lspci)
  --expect-model NAME       exact product name of every GPU, e.g. "NVIDIA GeForce RTX 5090"
  --expect-memory-mib MIN   minimum memory.total of every GPU in MiB, e.g. 32000
  --expect-pcie-gen N       minimum PCIe generation under load (and pcie.link.gen.max)
  --expect-pcie-width N     minimum PCIe width under load (and pcie.link.width.max)
  --expect-driver-min VER   minimum driver version, e.g. 570
  --max-idle-temp C         maximum temperature.gpu at the start (idle)
  --load-seconds S          seconds of telemetry sampled during the load (default 10)
  --load-warmup S           seconds between the load starting and sampling (default 10; the default
                            load counts from its "running:" line, after its CUDA start-up)
  --python PATH             Python with torch for the default load (default python3)
  --no-load                 skip the load: the PCIe link under load is not measured
  -- LOAD_COMMAND...        use this command as the load instead of stress-gpus.py
Exit codes: 0 ok, 1 fault, 2 usage, 3 no NVIDIA driver, 4 evidence incomplete.
EOF
}
die_usage() { echo "validate-gpus.sh: $*" >&2; echo "try: validate-gpus.sh --help" >&2; exit 2; }
need_value() { [ "$2" -ge 2 ] || die_usage "$1 needs a value"; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

evidence='' expect_count='' expect_model='' expect_memory='' expect_gen='' expect_width=''
expect_driver='' max_idle_temp='' load_seconds=10 load_warmup=10 python=python3 no_load=0
load_command=()
while [ $# -gt 0 ]; do
  case $1 in
    --evidence) need_value "$1" $#; evidence=$2; shift 2 ;;
    --expect-count) need_value "$1" $#; expect_count=$2; shift 2 ;;
    --expect-model) need_value "$1" $#; expect_model=$2; shift 2 ;;
    --expect-memory-mib) need_value "$1" $#; expect_memory=$2; shift 2 ;;
    --expect-pcie-gen) need_value "$1" $#; expect_gen=$2; shift 2 ;;
    --expect-pcie-width) need_value "$1" $#; expect_width=$2; shift 2 ;;
    --expect-driver-min) need_value "$1" $#; expect_driver=$2; shift 2 ;;
    --max-idle-temp) need_value "$1" $#; max_idle_temp=$2; shift 2 ;;
    --load-seconds) need_value "$1" $#; load_seconds=$2; shift 2 ;;
    --load-warmup) need_value "$1" $#; load_warmup=$2; shift 2 ;;
    --python) need_value "$1" $#; python=$2; shift 2 ;;
    --no-load) no_load=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; load_command=("$@"); break ;;
    *) die_usage "unknown argument: $1" ;;
  esac
done
for pair in "--expect-count:$expect_count" "--expect-memory-mib:$expect_memory" \
            "--expect-pcie-gen:$expect_gen" "--expect-pcie-width:$expect_width" \
            "--max-idle-temp:$max_idle_temp" "--load-seconds:$load_seconds" "--load-warmup:$load_warmup"; do
  value=${pair#*:}
  [ -z "$value" ] || is_uint "$value" || die_usage "${pair%%:*} must be a whole number: $value"
done
[ "$load_seconds" -ge 1 ] || die_usage "--load-seconds must be at least 1"
[ -z "$expect_driver" ] || [[ $expect_driver =~ ^[0-9]+(\.[0-9]+)*$ ]] || die_usage "--expect-driver-min must look like 570 or 570.124.06: $expect_driver"
if [ "$no_load" -eq 1 ] && [ ${#load_command[@]} -gt 0 ]; then
  die_usage "--no-load and a LOAD_COMMAND exclude each other"
fi

[ -n "$evidence" ] || evidence="gpu-validation-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p -- "$evidence" || die_usage "cannot create the evidence directory $evidence"
evidence=$(cd -- "$evidence" && pwd)
[ -w "$evidence" ] || die_usage "the evidence directory is not writable: $evidence"
# Files of an earlier run in the same directory would mix with this one's.
for f in nvidia-smi-query.csv nvidia-smi-query-extra.csv nvidia-smi-q.txt nvidia-smi.txt \
         nvidia-smi-topo.txt nvidia-smi-load.csv load.log load-stress-gpus.json lspci.txt kernel.log \
         proc-driver-version.txt nvcc-version.txt versions.txt commands.tsv summary.txt; do
  rm -f -- "${evidence:?}/$f" "${evidence:?}/$f.stderr"
done
: >"$evidence/commands.tsv"

export CUDA_DEVICE_ORDER=PCI_BUS_ID
export LC_ALL=C

faults=() warnings=() incomplete=() infos=()
fault() { faults+=("$*"); }
warn() { warnings+=("$*"); }
missing() { incomplete+=("$*"); }
info() { infos+=("$*"); }

# capture FILE ARGV...: runs ARGV with stdout to FILE (stderr to FILE.stderr, removed when
# empty), records it in commands.tsv and returns its exit status. A command that hangs (nvidia-smi
# can, on a GPU that fell off the bus) is stopped after $COMMAND_TIMEOUT s: status 124.
readonly COMMAND_TIMEOUT=180
capture() {
  local file=$1; shift
  local rc=0
  timeout --foreground --kill-after=10 "$COMMAND_TIMEOUT" "$@" >"$evidence/$file" 2>"$evidence/$file.stderr" || rc=$?
  [ "$rc" -ne 124 ] || echo "timed out after ${COMMAND_TIMEOUT}s: $*" >>"$evidence/$file.stderr"
  [ -s "$evidence/$file.stderr" ] || rm -f -- "$evidence/$file.stderr"
  printf '%s\t%s\t%s\n' "$rc" "$file" "$*" >>"$evidence/commands.tsv"
  return "$rc"
}
# Text of FILE and FILE.stderr, for messages.
captured_text() {
  local f
  for f in "$evidence/$1" "$evidence/$1.stderr"; do [ ! -f "$f" ] || cat -- "$f"; done | tr -s '\n' ' ' | cut -c1-300
}
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

declare -A versions=()
versions[kernel]=$(uname -r)
if [ -r /etc/os-release ]; then
  versions[os]=$(sed -n -E 's/^PRETTY_NAME="?([^"]*)"?$/\1/p' /etc/os-release)
fi

# ---- PCI bus: every NVIDIA function; GPUs are class 0300 (VGA) or 0302 (3D controller).
pci_gpus=''
if command -v lspci >/dev/null 2>&1; then
  if capture lspci.txt lspci -nn -d 10de:; then
    pci_gpus=$(grep -cE '\[030[02]\]' "$evidence/lspci.txt" || true)
  else
    missing "lspci -nn -d 10de: failed: $(captured_text lspci.txt)"
  fi
else
  missing "lspci not found (install pciutils): the NVIDIA PCI device count is unknown"
fi

# ---- Kernel log since boot.
kernel_log_source=''
if command -v journalctl >/dev/null 2>&1 \
   && capture kernel.log journalctl -k -b --no-pager -o short-iso && [ -s "$evidence/kernel.log" ] \
   && ! grep -q -- '^-- No entries --$' "$evidence/kernel.log"; then
  kernel_log_source='journalctl -k -b'
else
  if command -v dmesg >/dev/null 2>&1 && capture kernel.log dmesg && [ -s "$evidence/kernel.log" ]; then
    kernel_log_source='dmesg'
  else
    rm -f -- "$evidence/kernel.log"
    missing "the kernel log since boot is unreadable (journalctl -k -b and dmesg failed or printed nothing; run as root or in group adm)"
  fi
fi
xid_total=0 xid_fatal=0 xid_codes='' offbus=0
if [ -n "$kernel_log_source" ]; then
  # Xid lines with and without "PCI:" (ref §2.1); the code is the number after "): ".
  # One line per code: CODE COUNT FIRST_PCI_ID.
  xid_summary=$(sed -n -E 's/.*NVRM: Xid \(([^)]*)\)[^:]*: ([0-9]+),.*/\2 \1/p' "$evidence/kernel.log" \
    | awk '{ n[$1]++; if (!($1 in first)) first[$1] = $2 } END { for (c in n) print c, n[c], first[c] }' | sort -n)
  while read -r code count pci; do
    [ -n "$code" ] || continue
    xid_total=$((xid_total + count))
    case "$APPLICATION_XIDS" in
      *" $code "*) warn "kernel log: Xid $code x$count (first at $pci; application class, investigate if it repeats)" ;;
      *) xid_fatal=$((xid_fatal + count)); fault "kernel log: fatal Xid $code x$count (first at $pci)" ;;
    esac
  done <<<"$xid_summary"
  xid_codes=$(awk 'NF {print $1}' <<<"$xid_summary" | paste -sd, -)
  offbus=$(grep -ciE 'fallen off the bus' "$evidence/kernel.log" || true)
  if [ "$offbus" -gt 0 ]; then
    fault "kernel log: $offbus line(s) say a GPU has fallen off the bus"
  fi
  rminit=$(grep -c 'RmInitAdapter failed' "$evidence/kernel.log" || true)
  [ "$rminit" -eq 0 ] || warn "kernel log: $rminit 'RmInitAdapter failed' line(s): a GPU failed to initialise at least once (open kernel module? Above-4G decoding and ReBAR on?)"
  limited=$(grep -iE 'limited by' "$evidence/kernel.log" | grep -ciE 'PCIe' || true)
  [ "$limited" -eq 0 ] || warn "kernel log: $limited 'available PCIe bandwidth, limited by' line(s): a link trained below its capability at boot"
fi

# ---- Driver module, nvcc.
if [ -r /proc/driver/nvidia/version ]; then
  cp -- /proc/driver/nvidia/version "$evidence/proc-driver-version.txt"
  if grep -q 'Open Kernel Module' "$evidence/proc-driver-version.txt"; then
    versions[kernel_module]=open
  else
    versions[kernel_module]=proprietary
    warn "the proprietary NVIDIA kernel module is loaded: Blackwell GPUs (RTX 5090) need the open modules (ref §5)"
  fi
fi
nvcc=''
if command -v nvcc >/dev/null 2>&1; then nvcc=nvcc
elif [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc
fi
if [ -n "$nvcc" ] && capture nvcc-version.txt "$nvcc" --version; then
  v=$(sed -n -E 's/.*release [0-9.]+, V([0-9.]+).*/\1/p' "$evidence/nvcc-version.txt" | head -n1)
  [ -z "$v" ] || versions[nvcc_version]=$v
else
  info "nvcc: not found (no CUDA toolkit; PyTorch wheels bring their own CUDA runtime)"
fi

# ---- nvidia-smi.
no_driver=''
smi_count=''
if ! command -v nvidia-smi >/dev/null 2>&1; then
  no_driver="nvidia-smi not found: the NVIDIA driver is not installed on this host"
else
  rc=0
  capture nvidia-smi-query.csv nvidia-smi "--query-gpu=$INVENTORY_FIELDS" "--format=csv,nounits" || rc=$?
  if [ "$rc" -eq 2 ] && grep -q 'is not a valid field' "$evidence/nvidia-smi-query.csv" "$evidence/nvidia-smi-query.csv.stderr" 2>/dev/null; then
    # Drivers before R535 know the throttle reasons under their old name only (ref §1.1).
    rc=0
    capture nvidia-smi-query.csv nvidia-smi "--query-gpu=${INVENTORY_FIELDS/clocks_event_reasons/clocks_throttle_reasons}" "--format=csv,nounits" || rc=$?
  fi
  smi_text=$(captured_text nvidia-smi-query.csv)
  case $rc in
    0) ;;
    9|12) no_driver="nvidia-smi cannot use the NVIDIA driver (exit $rc): $smi_text" ;;
    6) if grep -qi 'No devices were found' <<<"$smi_text"; then smi_count=0; else fault "nvidia-smi --query-gpu failed (exit 6): $smi_text"; fi ;;
    15) fault "nvidia-smi: a GPU has fallen off the bus (exit 15): $smi_text"; offbus=$((offbus + 1)) ;;
    124) fault "nvidia-smi --query-gpu did not answer within ${COMMAND_TIMEOUT}s (a GPU that hangs or fell off the bus?)" ;;
    *) if grep -qiE "couldn't communicate with the NVIDIA driver|NVML Shared Library Not Found|Failed to initialize NVML: Driver" <<<"$smi_text"; then
         no_driver="nvidia-smi cannot use the NVIDIA driver (exit $rc): $smi_text"
       elif grep -qi 'No devices were found' <<<"$smi_text"; then
         smi_count=0
       else
         fault "nvidia-smi --query-gpu failed (exit $rc): $smi_text"
       fi ;;
  esac
  if [ -z "$no_driver" ] && [ "$rc" -eq 0 ]; then
    capture nvidia-smi.txt nvidia-smi || warn "nvidia-smi (table) failed: $(captured_text nvidia-smi.txt)"
    capture nvidia-smi-q.txt nvidia-smi -q || warn "nvidia-smi -q failed: $(captured_text nvidia-smi-q.txt)"
    capture nvidia-smi-query-extra.csv nvidia-smi "--query-gpu=$EXTRA_FIELDS" "--format=csv,nounits" \
      || { info "driver-dependent fields not available ($EXTRA_FIELDS)"; rm -f -- "$evidence/nvidia-smi-query-extra.csv"; }
    capture nvidia-smi-topo.txt nvidia-smi topo -m || rm -f -- "$evidence/nvidia-smi-topo.txt" "$evidence/nvidia-smi-topo.txt.stderr"
    for f in nvidia-smi.txt nvidia-smi-q.txt; do
      [ -f "$evidence/$f" ] || continue
      v=$(sed -n -E 's/.*Driver Version *: *([0-9][0-9.]*).*/\1/p' "$evidence/$f" | head -n1)
      [ -z "$v" ] || [ -n "${versions[driver_version]:-}" ] || versions[driver_version]=$v
      v=$(sed -n -E 's/.*CUDA Version *: *([0-9][0-9.]*).*/\1/p' "$evidence/$f" | head -n1)
      [ -z "$v" ] || [ -n "${versions[cuda_version]:-}" ] || versions[cuda_version]=$v
    done
  fi
fi

# ---- Inventory checks (one awk pass; prints COUNT, GPU, FAULT, WARN, INFO lines).
gpu_rows=()
if [ -z "$no_driver" ] && [ -z "$smi_count" ] && [ -s "$evidence/nvidia-smi-query.csv" ]; then
  while IFS= read -r line; do
    case $line in
      COUNT\ *) smi_count=${line#COUNT } ;;
      GPU\ *) gpu_rows+=("${line#GPU }") ;;
      FAULT\ *) fault "${line#FAULT }" ;;
      WARN\ *) warn "${line#WARN }" ;;
      INFO\ *) info "${line#INFO }" ;;
      DRIVER\ *) [ -n "${versions[driver_version]:-}" ] || versions[driver_version]=${line#DRIVER } ;;
    esac
  done < <(awk -F', *' -v expect_model="$expect_model" -v expect_memory="$expect_memory" \
             -v expect_gen="$expect_gen" -v expect_width="$expect_width" -v max_temp="$max_idle_temp" '
    function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    function missing(v) { return v == "" || v == "[N/A]" || v == "N/A" || v == "[Not Supported]" || v == "[Unknown Error]" || v == "[Insufficient Permissions]" || v == "Requested functionality has been deprecated" }
    function isnum(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    function hex(s,   i, c, n) { s = tolower(s); sub(/^0x/, "", s); n = 0
      for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); if (c == 0) return -1; n = n * 16 + c - 1 }
      return n }
    function bit(n, b) { return int(n / b) % 2 == 1 }
    function get(name) { return (name in col) ? trim($(col[name])) : "" }
    NR == 1 || $1 ~ /^index/ {
      for (i = 1; i <= NF; i++) { h = trim($i); sub(/ \[.*\]$/, "", h); col[h] = i }
      next }
    NF == 0 { next }
    {
      count++
      idx = get("index"); uuid = get("uuid"); name = get("name")
      for (i = 1; i <= NF; i++) {
        v = trim($i)
        if (v == "[GPU requires reset]" || v == "[GPU is lost]" || v == "ERR!")
          print "FAULT GPU " idx " (" uuid "): nvidia-smi reads " v
      }
      mem = get("memory.total"); temp = get("temperature.gpu"); pstate = get("pstate")
      gmax = get("pcie.link.gen.max"); gcur = get("pcie.link.gen.current")
      wmax = get("pcie.link.width.max"); wcur = get("pcie.link.width.current")
      pers = get("persistence_mode"); drv = get("driver_version")
      reasons = ("clocks_event_reasons.active" in col) ? get("clocks_event_reasons.active") : get("clocks_throttle_reasons.active")
      if (drv != "" && !missing(drv)) print "DRIVER " drv
      if (expect_model != "" && name != expect_model)
        print "FAULT GPU " idx " (" uuid "): model \"" name "\", expected \"" expect_model "\""
      if (expect_memory != "") {
        if (!isnum(mem)) print "FAULT GPU " idx " (" uuid "): memory.total unreadable (\"" mem "\")"
        else if (mem + 0 < expect_memory + 0) print "FAULT GPU " idx " (" uuid "): memory.total " mem " MiB < expected " expect_memory " MiB"
      }
      if (expect_gen != "" && isnum(gmax) && gmax + 0 < expect_gen + 0)
        print "FAULT GPU " idx " (" uuid "): pcie.link.gen.max " gmax " < expected Gen" expect_gen " (GPU, slot, riser or BIOS setting)"
      if (expect_width != "" && isnum(wmax) && wmax + 0 < expect_width + 0)
        print "FAULT GPU " idx " (" uuid "): pcie.link.width.max x" wmax " < expected x" expect_width
      if (max_temp != "") {
        if (!isnum(temp)) print "FAULT GPU " idx " (" uuid "): temperature.gpu unreadable (\"" temp "\")"
        else if (temp + 0 > max_temp + 0) print "FAULT GPU " idx " (" uuid "): idle temperature " temp " C > " max_temp " C"
      }
      if (pers == "Disabled") print "WARN GPU " idx " (" uuid "): persistence mode is Disabled (enable nvidia-persistenced)"
      if (isnum(gcur) && isnum(gmax) && gcur + 0 < gmax + 0)
        print "INFO GPU " idx ": link at Gen" gcur " x" wcur " now (max Gen" gmax " x" wmax "): links drop at idle, judged under load"
      r = (reasons ~ /^0x[0-9a-fA-F]+$/) ? hex(reasons) : -1
      if (r >= 0) {
        t = ""
        if (bit(r, 8)) t = t " HW-slowdown"
        if (bit(r, 32)) t = t " SW-thermal"
        if (bit(r, 64)) t = t " HW-thermal"
        if (bit(r, 128)) t = t " HW-power-brake"
        if (t != "") print "WARN GPU " idx " (" uuid "): clock event reasons " reasons ":" t " (throttling)"
      }
      printf "GPU %s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", idx, uuid, name, mem, gmax, wmax, gcur, wcur, temp, pstate
    }
    END { print "COUNT " count + 0 }' "$evidence/nvidia-smi-query.csv")
fi

if [ -n "$expect_driver" ] && [ -n "${versions[driver_version]:-}" ] \
   && ! version_ge "${versions[driver_version]}" "$expect_driver"; then
  fault "driver ${versions[driver_version]} is older than the expected minimum $expect_driver"
fi

# ---- Counts: nvidia-smi, lspci, expectation.
if [ -z "$no_driver" ] && [ -n "$smi_count" ]; then
  if [ "$smi_count" -eq 0 ]; then
    fault "the driver reports no GPU (nvidia-smi: No devices were found / no rows)"
  fi
  if [ -n "$expect_count" ] && [ "$smi_count" -ne "$expect_count" ]; then
    fault "nvidia-smi sees $smi_count GPU(s), expected $expect_count"
  fi
  if [ -n "$pci_gpus" ] && [ "$pci_gpus" -ne "$smi_count" ]; then
    fault "lspci shows $pci_gpus NVIDIA GPU(s) but the driver initialised $smi_count: a GPU failed to initialise (see kernel.log)"
  fi
fi
if [ -n "$no_driver" ] && [ -n "$pci_gpus" ] && [ -n "$expect_count" ] && [ "$pci_gpus" -ne "$expect_count" ]; then
  fault "lspci shows $pci_gpus NVIDIA GPU(s), expected $expect_count"
fi

# ---- PCIe link under a short load.
loaded_rows=()
load_state='not run'
default_load=0
if [ -z "$no_driver" ] && [ "${smi_count:-0}" -gt 0 ] && [ "$no_load" -eq 0 ]; then
  if [ ${#load_command[@]} -eq 0 ]; then
    if "$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() and torch.cuda.device_count() > 0 else 1)' >/dev/null 2>&1; then
      load_command=("$python" "$script_dir/stress-gpus.py" --duration "$((load_warmup + load_seconds + 5))"
                    --json-out "$evidence/load-stress-gpus.json")
      default_load=1
    else
      load_state="not available: $python cannot import torch with CUDA; give a load after -- (e.g. -- gpu_burn 30)"
    fi
  fi
  if [ ${#load_command[@]} -gt 0 ]; then
    echo "validate-gpus.sh: load: ${load_command[*]} (warm-up ${load_warmup}s, sampling ${load_seconds}s)"
    "${load_command[@]}" >"$evidence/load.log" 2>&1 &
    load_pid=$!
    # Ctrl-C during the load stops it too, rather than leaving it running.
    trap 'kill -TERM "$load_pid" 2>/dev/null || true; exit 130' INT TERM
    if [ "$default_load" -eq 1 ]; then
      # stress-gpus.py needs a while for CUDA start-up, its reference and its buffers; its load
      # (and its --duration) starts with the line "stress-gpus: running:".
      for _ in $(seq 1 300); do
        grep -q '^stress-gpus: running:' "$evidence/load.log" 2>/dev/null && break
        kill -0 "$load_pid" 2>/dev/null || break
        sleep 1 & wait $!
      done
    fi
    sleep "$load_warmup" & wait $!
    sampler_rc=0
    "$script_dir/sample-telemetry.sh" --interval 1 --duration "$load_seconds" \
      --output "$evidence/nvidia-smi-load.csv" || sampler_rc=$?
    printf '%s\t%s\t%s\n' "$sampler_rc" nvidia-smi-load.csv "sample-telemetry.sh --interval 1 --duration $load_seconds" >>"$evidence/commands.tsv"
    [ "$sampler_rc" -eq 0 ] || missing "the telemetry sampler failed during the load (exit $sampler_rc)"
    # The default load ends by itself shortly after sampling; a longer one is stopped.
    killed=0
    for _ in $(seq 1 30); do kill -0 "$load_pid" 2>/dev/null || break; sleep 1 & wait $!; done
    if kill -0 "$load_pid" 2>/dev/null; then
      killed=1
      kill -TERM "$load_pid" 2>/dev/null || true
    fi
    load_rc=0
    wait "$load_pid" || load_rc=$?
    trap - INT TERM
    printf '%s\t%s\t%s\n' "$load_rc" load.log "${load_command[*]}" >>"$evidence/commands.tsv"
    if [ "$killed" -eq 1 ]; then
      load_state="stopped with SIGTERM after sampling (exit $load_rc)"
    elif [ "$load_rc" -ne 0 ]; then
      load_state="failed (exit $load_rc)"
      fault "the load command failed (exit $load_rc): ${load_command[*]} (see load.log)"
    else
      load_state="completed"
    fi
    if [ -s "$evidence/nvidia-smi-load.csv" ]; then
      while IFS= read -r line; do loaded_rows+=("$line"); done < <(awk -F', *' '
        function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
        function isnum(v) { return v ~ /^[0-9]+(\.[0-9]+)?$/ }
        $1 ~ /^timestamp/ { for (i = 1; i <= NF; i++) { h = trim($i); sub(/ \[.*\]$/, "", h); col[h] = i }; next }
        NF == 0 || !("uuid" in col) { next }
        {
          u = trim($(col["uuid"])); idx[u] = trim($(col["index"])); seen[u] = 1
          util = trim($(col["utilization.gpu"])); g = trim($(col["pcie.link.gen.current"])); w = trim($(col["pcie.link.width.current"]))
          if (!isnum(util) || util + 0 < 50) next
          n[u]++
          if (isnum(g) && (!(u in gmin) || g + 0 < gmin[u])) gmin[u] = g + 0
          if (isnum(w) && (!(u in wmin) || w + 0 < wmin[u])) wmin[u] = w + 0
        }
        END { for (u in seen) printf "%s|%s|%d|%s|%s\n", idx[u], u, n[u], (u in gmin) ? gmin[u] : "", (u in wmin) ? wmin[u] : "" }
      ' "$evidence/nvidia-smi-load.csv" | sort -t'|' -k1,1n)
    fi
  fi
fi
if [ -z "$no_driver" ] && [ "${smi_count:-0}" -gt 0 ]; then
  need_load=0
  [ -z "$expect_gen" ] && [ -z "$expect_width" ] || need_load=1
  loaded_gpus=0
  for row in "${loaded_rows[@]}"; do
    IFS='|' read -r idx uuid n gmin wmin <<<"$row"
    if [ "$n" -eq 0 ]; then
      if [ "$need_load" -eq 1 ]; then missing "GPU $idx ($uuid): no loaded sample (utilization >= 50 %), PCIe link under load unknown"
      else warn "GPU $idx ($uuid): no loaded sample (utilization >= 50 %)"; fi
      continue
    fi
    loaded_gpus=$((loaded_gpus + 1))
    if [ -n "$expect_gen" ]; then
      if [ -z "$gmin" ]; then missing "GPU $idx ($uuid): pcie.link.gen.current unreadable under load"
      elif [ "$gmin" -lt "$expect_gen" ]; then fault "GPU $idx ($uuid): PCIe Gen$gmin under load, expected Gen$expect_gen"; fi
    fi
    if [ -n "$expect_width" ]; then
      if [ -z "$wmin" ]; then missing "GPU $idx ($uuid): pcie.link.width.current unreadable under load"
      elif [ "$wmin" -lt "$expect_width" ]; then fault "GPU $idx ($uuid): PCIe x$wmin under load, expected x$expect_width"; fi
    fi
  done
  if [ "$loaded_gpus" -lt "$smi_count" ] && [ ${#loaded_rows[@]} -lt "$smi_count" ]; then
    if [ "$need_load" -eq 1 ]; then missing "PCIe link under load measured on ${#loaded_rows[@]} of $smi_count GPU(s) (load: $load_state)"
    else info "PCIe link under load not measured on every GPU (load: $load_state)"; fi
  fi
fi

# ---- versions.txt
{
  for key in driver_version cuda_version nvcc_version kernel_module kernel os; do
    [ -z "${versions[$key]:-}" ] || printf '%s=%s\n' "$key" "${versions[$key]}"
  done
} >"$evidence/versions.txt"

# ---- Summary.
if [ -n "$no_driver" ]; then exit_code=3
elif [ ${#faults[@]} -gt 0 ]; then exit_code=1
elif [ ${#incomplete[@]} -gt 0 ]; then exit_code=4
else exit_code=0
fi
{
  echo "== GPU validation $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n)"
  echo "evidence: $evidence"
  echo "driver ${versions[driver_version]:-unknown} (${versions[kernel_module]:-module type unknown}), CUDA ${versions[cuda_version]:-unknown}, nvcc ${versions[nvcc_version]:-not found}, kernel ${versions[kernel]}"
  [ -z "$no_driver" ] || echo "NO NVIDIA DRIVER: $no_driver"
  if [ ${#gpu_rows[@]} -gt 0 ]; then
    printf '%-4s %-40s %-26s %10s %10s %10s %5s %6s\n' GPU UUID NAME MEMORY 'PCIE MAX' 'PCIE NOW' TEMP PSTATE
    for row in "${gpu_rows[@]}"; do
      IFS='|' read -r idx uuid name mem gmax wmax gcur wcur temp pstate <<<"$row"
      printf '%-4s %-40s %-26s %6s MiB %5s x%-3s %5s x%-3s %4sC %6s\n' "$idx" "$uuid" "$name" "$mem" "Gen$gmax" "$wmax" "Gen$gcur" "$wcur" "$temp" "$pstate"
    done
  fi
  echo "nvidia-smi GPUs: ${smi_count:-unknown}; lspci NVIDIA GPUs: ${pci_gpus:-unknown}${expect_count:+; expected $expect_count}"
  echo "kernel log (${kernel_log_source:-unreadable}): $xid_total Xid ($xid_fatal fatal; codes: ${xid_codes:-none}), fallen off the bus: $offbus"
  echo "load: $load_state"
  for row in "${loaded_rows[@]}"; do
    IFS='|' read -r idx uuid n gmin wmin <<<"$row"
    echo "  GPU $idx under load: $n loaded sample(s), PCIe min Gen${gmin:-?} x${wmin:-?}"
  done
  for m in "${infos[@]}"; do echo "INFO  $m"; done
  for m in "${warnings[@]}"; do echo "WARN  $m"; done
  for m in "${incomplete[@]}"; do echo "MISSING $m"; done
  for m in "${faults[@]}"; do echo "FAULT $m"; done
  case $exit_code in
    0) echo "RESULT: PASSED (${#warnings[@]} warning(s))" ;;
    1) echo "RESULT: FAILED: ${#faults[@]} fault(s)" ;;
    3) echo "RESULT: NO NVIDIA DRIVER" ;;
    4) echo "RESULT: INCOMPLETE: ${#incomplete[@]} item(s) of evidence missing" ;;
  esac
  echo "exit $exit_code"
} | tee "$evidence/summary.txt"
[ -z "$no_driver" ] || echo "validate-gpus.sh: $no_driver" >&2
exit "$exit_code"
