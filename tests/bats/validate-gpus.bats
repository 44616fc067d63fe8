#!/usr/bin/env bats
# scripts/validate-gpus.sh against recorded-output stand-ins for nvidia-smi, lspci, journalctl and
# dmesg (fixtures/bin, sources in fixtures/SOURCE.md).

# Each @test runs in its own subshell, so exports in a test are meant to stay local to it.
# shellcheck disable=SC2030,SC2031
load helpers

setup() { common_setup; }

validate() { run "$SCRIPTS/validate-gpus.sh" --evidence "$EVIDENCE" "$@"; }

inventory_fields=index,uuid,name,pci.bus_id,pci.device_id,driver_version,vbios_version,compute_cap,memory.total,temperature.gpu,pstate,power.limit,power.default_limit,power.max_limit,clocks.max.sm,clocks.max.mem,pcie.link.gen.max,pcie.link.gen.current,pcie.link.width.max,pcie.link.width.current,persistence_mode,ecc.mode.current,clocks_event_reasons.active

@test "4 healthy RTX 5090: exit 0, every evidence file written with its fixed name" {
  export FAKE_NVSMI_ARGV_LOG="$SCRATCH/argv"
  validate --expect-count 4 --expect-model "NVIDIA GeForce RTX 5090" --expect-memory-mib 32000 \
    --expect-pcie-gen 5 --expect-pcie-width 16 --expect-driver-min 570 --max-idle-temp 60 \
    --load-warmup 0 --load-seconds 1 -- sleep 1
  echo "$output"
  [ "$status" -eq 0 ]
  for f in nvidia-smi-query.csv nvidia-smi-query-extra.csv nvidia-smi-q.txt nvidia-smi.txt \
           nvidia-smi-load.csv load.log lspci.txt kernel.log versions.txt commands.tsv summary.txt; do
    [ -f "$EVIDENCE/$f" ] || { echo "missing $f"; return 1; }
  done
  # Raw outputs are kept exactly as the tools printed them.
  cmp "$EVIDENCE/nvidia-smi-query.csv" "$FIXTURES/rtx5090-4gpu/query-inventory.csv"
  cmp "$EVIDENCE/nvidia-smi-q.txt" "$FIXTURES/rtx5090-4gpu/q.txt"
  cmp "$EVIDENCE/lspci.txt" "$FIXTURES/rtx5090-4gpu/lspci.txt"
  cmp "$EVIDENCE/kernel.log" "$FIXTURES/rtx5090-4gpu/kernel.log"
  cmp "$EVIDENCE/nvidia-smi-load.csv" "$FIXTURES/rtx5090-4gpu/load.csv"
  grep -qx 'driver_version=570.124.06' "$EVIDENCE/versions.txt"
  grep -qx 'cuda_version=12.8' "$EVIDENCE/versions.txt"
  grep -q "^0	nvidia-smi-query.csv	nvidia-smi --query-gpu=$inventory_fields --format=csv,nounits\$" "$EVIDENCE/commands.tsv"
  grep -q "^0	kernel.log	journalctl -k -b --no-pager -o short-iso\$" "$EVIDENCE/commands.tsv"
  # Every nvidia-smi call ran with CUDA_DEVICE_ORDER=PCI_BUS_ID.
  [ "$(grep -c '^CUDA_DEVICE_ORDER=' "$SCRATCH/argv")" -ge 4 ]
  [ "$(grep '^CUDA_DEVICE_ORDER=' "$SCRATCH/argv" | grep -vcx 'CUDA_DEVICE_ORDER=PCI_BUS_ID')" -eq 0 ]
  [[ "$output" == *"nvidia-smi GPUs: 4; lspci NVIDIA GPUs: 4; expected 4"* ]]
  [[ "$output" == *"GPU 3 under load: 3 loaded sample(s), PCIe min Gen5 x16"* ]]
  [[ "$output" == *"RESULT: PASSED"* ]]
  [ "$(tail -n1 "$EVIDENCE/summary.txt")" = "exit 0" ]
}

@test "the NVIDIA audio functions on the PCI bus are not counted as GPUs" {
  grep -q 'Audio device \[0403\]' "$FIXTURES/rtx5090-4gpu/lspci.txt"
  validate --expect-count 4 --no-load
  [ "$status" -eq 0 ]
  [[ "$output" == *"lspci NVIDIA GPUs: 4"* ]]
}

@test "single recorded RTX 5090 (F-SMI-1/F-SMI-2): exit 0; the idle Gen1 x8 link is not a fault" {
  export FAKE_GPU_SCENARIO="$FIXTURES/rtx5090-1gpu"
  validate --expect-count 1 --expect-model "NVIDIA GeForce RTX 5090" --expect-memory-mib 32000 --no-load
  [ "$status" -eq 0 ]
  [[ "$output" == *"link at Gen1 x8 now (max Gen5 x16)"* ]]
  grep -qx 'driver_version=570.124.06' "$EVIDENCE/versions.txt"
}

@test "no NVIDIA driver (nvidia-smi exit 9): exit 3, clear message, PCI and kernel evidence still kept" {
  export FAKE_GPU_SCENARIO="$FIXTURES/no-driver"
  validate --expect-count 1 --no-load
  [ "$status" -eq 3 ]
  [[ "$output" == *"NO NVIDIA DRIVER"* ]]
  [[ "$output" == *"couldn't communicate with the NVIDIA driver"* ]]
  [ -s "$EVIDENCE/lspci.txt" ]
  [ -s "$EVIDENCE/kernel.log" ]
  grep -q '^9	nvidia-smi-query.csv	' "$EVIDENCE/commands.tsv"
}

@test "no nvidia-smi at all: exit 3 with 'nvidia-smi not found'" {
  require_no_system_nvidia_smi
  PATH=$(path_without_nvidia_smi) run "$SCRIPTS/validate-gpus.sh" --evidence "$EVIDENCE" --no-load
  [ "$status" -eq 3 ]
  [[ "$output" == *"nvidia-smi not found: the NVIDIA driver is not installed"* ]]
  [ -f "$EVIDENCE/summary.txt" ]
}

@test "GPU count below the expected count: exit 1" {
  validate --expect-count 5 --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAULT nvidia-smi sees 4 GPU(s), expected 5"* ]]
}

@test "a GPU on the PCI bus that the driver did not initialise: exit 1" {
  export FAKE_GPU_SCENARIO="$FIXTURES/rtx5090-1gpu" FAKE_LSPCI_OUTPUT="$FIXTURES/lspci-2gpu.txt"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"lspci shows 2 NVIDIA GPU(s) but the driver initialised 1"* ]]
}

@test "driver loaded but no device initialised ('No devices were found'): exit 1" {
  export FAKE_GPU_SCENARIO="$FIXTURES/no-devices"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"the driver reports no GPU"* ]]
  [[ "$output" == *"lspci shows 1 NVIDIA GPU(s) but the driver initialised 0"* ]]
}

@test "fatal Xid 119 in the kernel log: exit 1" {
  export FAKE_KERNEL_LOG="$FIXTURES/kernel-logs/xid119.log"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAULT kernel log: fatal Xid 119 x1 (first at PCI:0000:9b:00)"* ]]
  [[ "$output" == *"1 Xid (1 fatal; codes: 119)"* ]]
}

@test "GPU fallen off the bus (Xid 79): exit 1" {
  export FAKE_KERNEL_LOG="$FIXTURES/kernel-logs/xid79.log"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"fatal Xid 79 x2"* ]]
  [[ "$output" == *"2 line(s) say a GPU has fallen off the bus"* ]]
}

@test "Xid 38 (driver firmware error) is fatal, as the kernel-log parser counts it: exit 1" {
  export FAKE_KERNEL_LOG="$FIXTURES/kernel-logs/xid38.log"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAULT kernel log: fatal Xid 38 x1 (first at PCI:0000:9b:00)"* ]]
  [[ "$output" == *"1 Xid (1 fatal; codes: 38)"* ]]
}

@test "fallen off the bus without the word Xid: exit 1" {
  export FAKE_KERNEL_LOG="$FIXTURES/kernel-logs/offbus-no-xid.log"
  validate --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *"0 Xid"* ]]
  [[ "$output" == *"1 line(s) say a GPU has fallen off the bus"* ]]
}

@test "an application-class Xid (older form without PCI:) is a warning, not a fault" {
  export FAKE_KERNEL_LOG="$FIXTURES/kernel-logs/xid14.log"
  validate --no-load
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARN  kernel log: Xid 14 x1 (first at 0000:03:00"* ]]
}

@test "PCIe link below Gen5 under load on one GPU: exit 1" {
  export FAKE_NVSMI_LOOP_CSV="$FIXTURES/rtx5090-4gpu/load-gpu2-gen4.csv"
  validate --expect-pcie-gen 5 --expect-pcie-width 16 --load-warmup 0 --load-seconds 1 -- true
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAULT GPU 2 (GPU-00000000-0000-0000-0000-000000000003): PCIe Gen4 under load, expected Gen5"* ]]
  [[ "$output" != *"GPU 1 (GPU-00000000-0000-0000-0000-000000000002): PCIe"* ]]
}

@test "default load: stress-gpus.py through --python, sampling after its 'running:' line" {
  # Synthetic stand-in for a Python with torch and CUDA (this test only): it passes the torch
  # check, records its arguments and plays the start-up and load of stress-gpus.py.
  cat >"$SCRATCH/python-with-cuda" <<'PY'
#!/usr/bin/env bash
[ "$1" != -c ] || exit 0
printf '%s\n' "$@" >"$FAKE_PYTHON_ARGS"
sleep 1
echo "stress-gpus: running: (synthetic stand-in)"
sleep 2
PY
  chmod +x "$SCRATCH/python-with-cuda"
  export FAKE_PYTHON_ARGS="$SCRATCH/python-args"
  validate --python "$SCRATCH/python-with-cuda" --load-warmup 0 --load-seconds 1 --expect-pcie-gen 5
  echo "$output"
  [ "$status" -eq 0 ]
  expected=$(printf '%s\n' "$SCRIPTS/stress-gpus.py" --duration 6 --json-out "$EVIDENCE/load-stress-gpus.json")
  [ "$(cat "$FAKE_PYTHON_ARGS")" = "$expected" ]
  grep -q '^stress-gpus: running:' "$EVIDENCE/load.log"
  [[ "$output" == *"load: completed"* ]]
}

@test "a failing load command is a fault" {
  validate --load-warmup 0 --load-seconds 1 -- false
  [ "$status" -eq 1 ]
  [[ "$output" == *"the load command failed (exit 1): false"* ]]
}

@test "PCIe expectation without a possible load: evidence incomplete, exit 4" {
  validate --expect-pcie-gen 5 --python /bin/false
  [ "$status" -eq 4 ]
  [[ "$output" == *"load: not available: /bin/false cannot import torch with CUDA"* ]]
  [[ "$output" == *"RESULT: INCOMPLETE"* ]]
}

@test "model, memory and driver expectations are checked" {
  validate --expect-model "NVIDIA GeForce RTX 4090" --expect-memory-mib 40000 --expect-driver-min 575 --no-load
  [ "$status" -eq 1 ]
  [[ "$output" == *'model "NVIDIA GeForce RTX 5090", expected "NVIDIA GeForce RTX 4090"'* ]]
  [[ "$output" == *"memory.total 32607 MiB < expected 40000 MiB"* ]]
  [[ "$output" == *"driver 570.124.06 is older than the expected minimum 575"* ]]
}

@test "unreadable journal falls back to dmesg" {
  export FAKE_JOURNALCTL_FAIL=1
  validate --no-load
  [ "$status" -eq 0 ]
  grep -q '^1	kernel.log	journalctl' "$EVIDENCE/commands.tsv"
  grep -q '^0	kernel.log	dmesg$' "$EVIDENCE/commands.tsv"
  cmp "$EVIDENCE/kernel.log" "$FIXTURES/rtx5090-4gpu/kernel.log"
}

@test "no readable kernel log at all: evidence incomplete, exit 4" {
  export FAKE_JOURNALCTL_FAIL=1 FAKE_DMESG_FAIL=1
  validate --no-load
  [ "$status" -eq 4 ]
  [[ "$output" == *"the kernel log since boot is unreadable"* ]]
  [ ! -e "$EVIDENCE/kernel.log" ]
}

@test "a second run into the same directory leaves no stale file of the first" {
  validate --load-warmup 0 --load-seconds 1 -- true
  [ -f "$EVIDENCE/nvidia-smi-load.csv" ]
  validate --no-load
  [ "$status" -eq 0 ]
  [ ! -e "$EVIDENCE/nvidia-smi-load.csv" ]
  [ ! -e "$EVIDENCE/load.log" ]
}

@test "usage errors exit 2" {
  validate --expect-count four
  [ "$status" -eq 2 ]
  validate --bogus
  [ "$status" -eq 2 ]
  validate --no-load -- sleep 1
  [ "$status" -eq 2 ]
}

@test "every evidence file is documented in the script header and in docs/gpu-validation.md" {
  header=$(sed -n '1,/^set -euo pipefail/p' "$SCRIPTS/validate-gpus.sh")
  # The files the script clears before a run are exactly the files it may write.
  files=$(sed -n '/^for f in nvidia-smi-query.csv/,/; do$/p' "$SCRIPTS/validate-gpus.sh" | sed -e 's/for f in//' -e 's/; do//' -e 's/[\\]//g')
  [ "$(wc -w <<<"$files")" -ge 15 ]
  for f in $files; do
    grep -q -- "^#   $f " <<<"$header" || { echo "not in the header: $f"; return 1; }
    grep -qF -- "\`$f\`" "$REPO_ROOT/docs/gpu-validation.md" || { echo "not in the docs: $f"; return 1; }
  done
}
