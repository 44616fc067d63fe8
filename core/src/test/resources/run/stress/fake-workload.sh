#!/usr/bin/env bash
# SYNTHETIC stand-in for a stress workload in the runner tests (no GPU, no computation). It prints
# a line a second until SIGINT/SIGTERM or, with FAKE_WORKLOAD_SECONDS, until that many seconds have
# passed; then it writes a result in stress-gpus.py's format (vault-stress-gpus/1, made-up values)
# to $VAULT_RESULT_JSON, unless FAKE_WORKLOAD_NO_RESULT=1, and exits 130 after a signal (as
# stress-gpus.py does), 0 at its own end, or FAKE_WORKLOAD_EXIT. FAKE_WORKLOAD_FAULTY=1 marks GPU 1
# faulty; FAKE_WORKLOAD_UNVERIFIED=1 makes both GPUs check no result (a soak that ended before the
# first check); FAKE_WORKLOAD_IGNORE_INT=1 ignores SIGINT (a workload that must be stopped with SIGTERM).
set -euo pipefail
stop='' seconds=${FAKE_WORKLOAD_SECONDS:-0} faulty=${FAKE_WORKLOAD_FAULTY:-0}
if [ "${FAKE_WORKLOAD_IGNORE_INT:-0}" = 1 ]; then trap '' INT; else trap 'stop=INT' INT; fi
trap 'stop=TERM' TERM
echo "fake workload: running (pid $$)"
n=0
while [ -z "$stop" ]; do
  if [ "$seconds" -gt 0 ] && [ "$n" -ge "$seconds" ]; then break; fi
  sleep 1 &
  wait $! || true
  n=$((n + 1))
  echo "fake workload: ${n} s"
done
interrupted=false
[ -z "$stop" ] || interrupted=true
if [ "${FAKE_WORKLOAD_NO_RESULT:-0}" != 1 ] && [ -n "${VAULT_RESULT_JSON:-}" ]; then
  gpu0='"iterations": 10, "errors": 0, "ok": true'
  if [ "$faulty" = 1 ]; then gpu1='"iterations": 10, "errors": 3, "ok": false'; ok=false; nf=1
  else gpu1='"iterations": 10, "errors": 0, "ok": true'; ok=true; nf=0; fi
  if [ "${FAKE_WORKLOAD_UNVERIFIED:-0}" = 1 ]; then
    gpu0='"iterations": 0, "errors": 0, "ok": false, "faulty": false'; gpu1=$gpu0; ok=false; nf=0
  fi
  cat >"$VAULT_RESULT_JSON" <<JSON
{"schema": "vault-stress-gpus/1", "device": "cpu", "duration_s": $n, "planned_duration_s": $seconds,
 "gpus": [{"index": 0, "uuid": null, $gpu0}, {"index": 1, "uuid": null, $gpu1}],
 "faulty_gpus": $nf, "ok": $ok, "interrupted": $interrupted}
JSON
fi
echo "fake workload: stopped (${stop:-its own end})"
if [ -n "$stop" ]; then exit 130; fi
exit "${FAKE_WORKLOAD_EXIT:-0}"
