#!/bin/sh
# Prints its working directory and $VAULT_TEST_VAR, then exits with status $1.
echo "pwd=$(pwd)"
echo "var=${VAULT_TEST_VAR-unset}"
exit "$1"
