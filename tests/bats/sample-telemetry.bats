#!/usr/bin/env bats
# scripts/sample-telemetry.sh against the recorded-output nvidia-smi stand-in (fixtures/SOURCE.md).

# Each @test runs in its own subshell, so exports in a test are meant to stay local to it.
# shellcheck disable=SC2030,SC2031
load helpers

setup() { common_setup; }

contract_fields=timestamp,index,uuid,pstate,temperature.gpu,power.draw,power.limit,utilization.gpu,utilization.memory,memory.used,clocks.sm,clocks.mem,pcie.link.gen.current,pcie.link.width.current,fan.speed,clocks_event_reasons.active

@test "runs exactly the contract's nvidia-smi invocation and stops after --duration" {
  export FAKE_NVSMI_ARGV_LOG="$SCRATCH/argv"
  run "$SCRIPTS/sample-telemetry.sh" --interval 0.5 --output "$SCRATCH/telemetry.csv" --duration 1
  [ "$status" -eq 0 ]
  expected=$(printf '%s\n' "--query-gpu=$contract_fields" --format=csv,nounits -lms 500 -f "$SCRATCH/telemetry.csv" \
             CUDA_DEVICE_ORDER=PCI_BUS_ID --)
  [ "$(cat "$SCRATCH/argv")" = "$expected" ]
  cmp "$SCRATCH/telemetry.csv" "$FIXTURES/rtx5090-4gpu/load.csv"
}

@test "converts whole and fractional seconds to milliseconds" {
  export FAKE_NVSMI_ARGV_LOG="$SCRATCH/argv"
  run "$SCRIPTS/sample-telemetry.sh" --interval 5 --output "$SCRATCH/t.csv" --duration 0.3
  [ "$status" -eq 0 ]
  grep -qx 5000 "$SCRATCH/argv"
  : >"$SCRATCH/argv"
  run "$SCRIPTS/sample-telemetry.sh" --interval=0.25 --output="$SCRATCH/t.csv" --duration=0.3
  [ "$status" -eq 0 ]
  grep -qx 250 "$SCRATCH/argv"
}

stop_with() {
  export FAKE_NVSMI_PID_FILE="$SCRATCH/nvsmi.pid" FAKE_NVSMI_STOP_FILE="$SCRATCH/nvsmi.stop"
  # A background job of a non-interactive shell starts with SIGINT ignored (and bash cannot trap a
  # signal ignored on entry); reset it, as a process runner starting the sampler does.
  /usr/bin/python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$SCRIPTS/sample-telemetry.sh" --interval 1 --output "$SCRATCH/telemetry.csv" &
  local sampler=$!
  # An event with a generous bound (60 s): a busy machine may take seconds to start the loop.
  for _ in $(seq 1 600); do [ -s "$FAKE_NVSMI_PID_FILE" ] && break; sleep 0.1; done
  [ -s "$FAKE_NVSMI_PID_FILE" ]
  kill -0 "$sampler"   # still running: it does not stop by itself
  kill "-$1" "$sampler"
  local rc=0
  timeout 20 tail --pid="$sampler" -f /dev/null || true
  kill -0 "$sampler" 2>/dev/null && { kill -KILL "$sampler"; echo "the sampler ignored SIG$1" >&2; return 1; }
  wait "$sampler" || rc=$?
  [ "$rc" -eq 0 ]
  # nvidia-smi was stopped too, not left behind.
  if kill -0 "$(cat "$FAKE_NVSMI_PID_FILE")" 2>/dev/null; then echo "nvidia-smi left running" >&2; return 1; fi
  # ... and it was asked to stop with SIGTERM (not killed after the grace period).
  [ "$(cat "$FAKE_NVSMI_STOP_FILE")" = TERM ]
  [ -s "$SCRATCH/telemetry.csv" ]
}

@test "SIGTERM stops the sampler and its nvidia-smi cleanly (exit 0)" {
  stop_with TERM
}

@test "SIGINT stops the sampler and its nvidia-smi cleanly (exit 0)" {
  stop_with INT
}

@test "an nvidia-smi that fails passes its exit status on (9: driver not loaded)" {
  export FAKE_GPU_SCENARIO="$FIXTURES/no-driver"
  run "$SCRIPTS/sample-telemetry.sh" --interval 1 --output "$SCRATCH/t.csv"
  [ "$status" -eq 9 ]
  [[ "$output" == *"nvidia-smi failed with status 9"* ]]
}

@test "no nvidia-smi on the host: exit 3 with a clear message" {
  require_no_system_nvidia_smi
  PATH=$(path_without_nvidia_smi) run "$SCRIPTS/sample-telemetry.sh" --interval 1 --output "$SCRATCH/t.csv"
  [ "$status" -eq 3 ]
  [[ "$output" == *"nvidia-smi not found"* ]]
}

@test "usage errors exit 2" {
  run "$SCRIPTS/sample-telemetry.sh" --interval 1
  [ "$status" -eq 2 ]
  [[ "$output" == *"--output is required"* ]]
  run "$SCRIPTS/sample-telemetry.sh" --interval abc --output "$SCRATCH/t.csv"
  [ "$status" -eq 2 ]
  run "$SCRIPTS/sample-telemetry.sh" --interval 0 --output "$SCRATCH/t.csv"
  [ "$status" -eq 2 ]
  run "$SCRIPTS/sample-telemetry.sh" --interval 1 --output "$SCRATCH/no/such/dir/t.csv"
  [ "$status" -eq 2 ]
  run "$SCRIPTS/sample-telemetry.sh" --interval 1 --output "$SCRATCH/t.csv" --bogus
  [ "$status" -eq 2 ]
}
