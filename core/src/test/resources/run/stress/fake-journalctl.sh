#!/usr/bin/env bash
# SYNTHETIC stand-in for journalctl in the stress runner tests (not journalctl). It records its
# arguments, one per line, in $FAKE_JOURNALCTL_ARGV when set, and prints the file $FAKE_KERNEL_LOG
# (a recorded kernel log, e.g. tests/bats/fixtures/kernel-logs/xid79.log) or, without it, what the
# real journalctl prints for a window without entries. FAKE_JOURNALCTL_FAIL=1 makes it exit 1 with
# journalctl's message for a user who may not read the journal.
set -euo pipefail
[ -z "${FAKE_JOURNALCTL_ARGV:-}" ] || printf '%s\n' "$@" >"$FAKE_JOURNALCTL_ARGV"
if [ "${FAKE_JOURNALCTL_FAIL:-0}" = 1 ]; then
  echo "No journal files were opened due to insufficient permissions." >&2
  exit 1
fi
if [ -n "${FAKE_KERNEL_LOG:-}" ]; then
  cat "$FAKE_KERNEL_LOG"
else
  echo "-- No entries --"
fi
