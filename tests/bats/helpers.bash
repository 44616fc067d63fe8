# Shared set-up of the bats tests: the recorded-output stand-ins of tests/bats/fixtures/bin come
# first on PATH (see fixtures/SOURCE.md); each test gets its own scratch directory.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are used by the .bats files that load this file

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FIXTURES="$BATS_TEST_DIRNAME/fixtures"
SCRIPTS="$REPO_ROOT/scripts"

common_setup() {
  export PATH="$FIXTURES/bin:$PATH"
  export FAKE_GPU_SCENARIO="$FIXTURES/rtx5090-4gpu"
  unset FAKE_KERNEL_LOG FAKE_LSPCI_OUTPUT FAKE_NVSMI_LOOP_CSV FAKE_NVSMI_ARGV_LOG FAKE_NVSMI_PID_FILE \
        FAKE_JOURNALCTL_FAIL FAKE_DMESG_FAIL CUDA_DEVICE_ORDER
  SCRATCH="$BATS_TEST_TMPDIR"
  EVIDENCE="$SCRATCH/evidence"
}

# A PATH on which nvidia-smi cannot be found, keeping the other stand-ins: a scratch directory
# with links to them, then the system directories. On a machine with a real nvidia-smi in a
# system directory that is impossible, and the calling test says so and is skipped.
path_without_nvidia_smi() {
  local dir="$SCRATCH/bin-no-nvidia-smi" tool
  mkdir -p "$dir"
  for tool in lspci journalctl dmesg; do ln -sf "$FIXTURES/bin/$tool" "$dir/$tool"; done
  echo "$dir:/usr/local/bin:/usr/bin:/bin"
}

require_no_system_nvidia_smi() {
  if PATH="/usr/local/bin:/usr/bin:/bin" command -v nvidia-smi >/dev/null 2>&1; then
    skip "this machine has a real nvidia-smi in a system directory; the no-driver case cannot be staged"
  fi
}
