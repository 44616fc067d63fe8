#!/bin/sh
# Starts a background sleep that keeps stdout open, records its pid in $1, and exits 0 at once.
# The runner must not hang on the open pipe and must not leave the sleep running.
sleep 1000 &
echo $! >"$1"
echo "parent done"
