#!/bin/bash
# Starts two grandchildren (one in the background, one that starts a session of its own to
# escape the process group), writes every pid to $1/pids, records each signal it gets in
# $1/signals, and on SIGINT writes $1/cleaned (as Packer cleans up) and exits 130.
# With $2 = "stubborn" it ignores SIGINT and SIGTERM, so only SIGKILL stops it.
dir=$1
mode=${2:-polite}
sleep 1000 &
echo $! >>"$dir/pids"
setsid sleep 1001 &
echo $! >>"$dir/pids"
if [ "$mode" = stubborn ]; then
  trap 'echo INT >>"$dir/signals"' INT
  trap 'echo TERM >>"$dir/signals"' TERM
else
  trap 'echo INT >>"$dir/signals"; echo cleaned >"$dir/cleaned"; exit 130' INT
  trap 'echo TERM >>"$dir/signals"; exit 143' TERM
fi
echo $$ >>"$dir/pids"
echo "ready"
# "sleep & wait", not a foreground sleep: bash ignores a SIGINT that reaches it while a foreground
# child exits normally (the child forked but not yet sleep when the signal came, on a busy machine),
# while the wait builtin always returns to run the trap.
while :; do
  sleep 0.1 &
  wait $! || true
done
