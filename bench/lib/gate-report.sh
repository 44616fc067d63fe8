# shellcheck shell=bash
# Sourced by the promotion benchmarks: writes a real gate report for them to promote with.
# vault promote refuses a report that is not bound to the evidence it judged (issue 19), so the
# benchmarks no longer hand-write one: they read the recorded GPU stage of the demo box stand-in
# (examples/evidence/demo-box-stand-in/gpu) and judge it with a one-gate policy. The benchmarks
# measure copying and hashing; this costs two short vault runs before the timed rounds.
#
#   bench_gate_report VAULT_CMD_ARRAY_NAME WORK_DIR  -> writes WORK_DIR/gate.json (SUCCESS)
bench_gate_report() {
  local -n cmd=$1
  local work=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cat >"$work/bench-policy.yaml" <<'YAML'
schema: vault-policy/1
name: bench
description: The benchmarks' one gate (they measure promotion, not gating).
gates:
  - id: gpu-count
    metric: gpu.count
    eq: 4
YAML
  "${cmd[@]}" gpu-validate --from "$root/examples/evidence/demo-box-stand-in/gpu" \
    --evidence "$work/bench-evidence" >/dev/null
  "${cmd[@]}" gate --policy "$work/bench-policy.yaml" --evidence "$work/bench-evidence" \
    --json "$work/gate.json" >/dev/null
}
