#!/bin/sh
# A tool whose grandchild escapes everything but a PID namespace: it starts a session of its own,
# clears its environment (the run's marker with it) and forks once more, so that the process left
# (sleep, its argv $1 a marker the test finds in /proc) has lost its parent before anyone looks.
# Prints "ready" when that process runs; with $2 = "exit" then exits 0, else waits to be stopped.
# shellcheck disable=SC2016 # $1 is the inner shell's argument, expanded there on purpose
setsid env -i sh -c 'sleep "$1" & exit 0' escaper "$1"
echo ready
if [ "${2:-wait}" = exit ]; then
  exit 0
fi
while :; do sleep 0.1; done
