#!/bin/sh
# Prints a line, then waits until the test creates the file named by $1, then exits 0.
# Proves that a line reaches the listener while the child is still running.
echo "first line"
while [ ! -e "$1" ]; do sleep 0.05; done
echo "released"
