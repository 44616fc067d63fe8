#!/usr/bin/env bash
# Runs the bats tests of the shell scripts in scripts/ (tests/bats). Recorded nvidia-smi, lspci,
# journalctl and dmesg outputs stand in for those binaries through PATH (tests/bats/fixtures).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v bats >/dev/null 2>&1 || { echo "20-bats: bats is not installed (Debian package bats; ./test.sh installs it)" >&2; exit 1; }
# The .bats files are bash too; 10-shellcheck.sh covers *.sh, *.bash and shebang scripts only.
shellcheck --external-sources tests/bats/*.bats
exec bats --timing tests/bats
