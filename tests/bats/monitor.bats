#!/usr/bin/env bats
# scripts/monitor.sh against the recorded-output nvidia-smi stand-in (fixtures/SOURCE.md).

# Each @test runs in its own subshell, so exports in a test are meant to stay local to it.
# shellcheck disable=SC2030,SC2031
load helpers

setup() { common_setup; }

@test "--once prints GPU, system and process sections for 4 GPUs and exits 0" {
  run "$SCRIPTS/monitor.sh" --once --top 3
  [ "$status" -eq 0 ]
  [ "$(grep -c 'NVIDIA GeForce RTX 5090' <<<"$output")" -eq 4 ]
  [[ "$output" == *"GPU processes: none"* ]]
  [[ "$output" == *"System: "*"load "* ]]
  [[ "$output" == *"Memory: "*" MiB used of "* ]]
  [[ "$output" == *"Disk:"* ]]
  [[ "$output" == *"Top processes by CPU:"* ]]
  # SW power cap (0x04) is normal and not reported as throttling.
  grep 'NVIDIA GeForce RTX 5090' <<<"$output" | grep -q 'pwr-cap$'
  [ "$(grep 'NVIDIA GeForce RTX 5090' <<<"$output" | grep -c 'THERMAL\|SLOWDOWN')" -eq 0 ]
}

@test "thermal throttling bits are decoded and flagged" {
  export FAKE_GPU_SCENARIO="$FIXTURES/rtx5090-throttled"
  run "$SCRIPTS/monitor.sh" --once
  [ "$status" -eq 0 ]
  grep 'NVIDIA GeForce RTX 5090' <<<"$output" | grep -q 'HW-THERMAL$'
  grep 'NVIDIA GeForce RTX 5090' <<<"$output" | grep -q 'Gen5 x16'
}

@test "without nvidia-smi the dashboard says so and still shows the system" {
  require_no_system_nvidia_smi
  PATH=$(path_without_nvidia_smi) run "$SCRIPTS/monitor.sh" --once
  [ "$status" -eq 0 ]
  [[ "$output" == *"nvidia-smi not found: no NVIDIA driver on this host"* ]]
  [[ "$output" == *"Memory: "* ]]
}

@test "a failing nvidia-smi is shown, not hidden" {
  export FAKE_GPU_SCENARIO="$FIXTURES/no-driver"
  run "$SCRIPTS/monitor.sh" --once
  [ "$status" -eq 0 ]
  [[ "$output" == *"nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate"* ]]
}

@test "refreshes until SIGTERM, then exits 0" {
  "$SCRIPTS/monitor.sh" --interval 0.2 >"$SCRATCH/out" 2>&1 &
  local pid=$!
  # Wait for the event (a second frame), not for a time: on a busy machine a frame can take
  # seconds. The bound only keeps a broken monitor from hanging the suite.
  local frames=0
  for _ in $(seq 1 600); do
    frames=$(grep -c '^Vault Cube monitor' "$SCRATCH/out" || true)
    [ "$frames" -ge 2 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ "$frames" -ge 2 ] || { echo "no second frame within 60 s (frames: $frames)"; cat "$SCRATCH/out"; kill -TERM "$pid"; return 1; }
  kill -0 "$pid"   # still refreshing: it does not stop by itself
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ]
  [ "$(grep -c '^Vault Cube monitor' "$SCRATCH/out")" -ge 2 ]
}

@test "usage errors exit 2" {
  run "$SCRIPTS/monitor.sh" --interval 0
  [ "$status" -eq 2 ]
  run "$SCRIPTS/monitor.sh" --top x
  [ "$status" -eq 2 ]
  run "$SCRIPTS/monitor.sh" --bogus
  [ "$status" -eq 2 ]
}
