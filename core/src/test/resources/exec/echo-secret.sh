#!/bin/sh
# Prints the secret given as $1 on stdout and on stderr, then in two halves with a pause between
# them (one line split across two writes), then exits 0.
secret=$1
echo "password is $secret"
echo "stderr: $secret!" >&2
half=$(( ${#secret} / 2 ))
first=$(printf '%s' "$secret" | cut -c1-"$half")
rest=$(printf '%s' "$secret" | cut -c$((half + 1))-)
printf 'split:%s' "$first"
sleep 0.3
printf '%s:end\n' "$rest"
