#!/usr/bin/env bash
# Runs every test of the project: installs what is missing (Debian 12, apt-get), then the Maven
# build with all unit and integration tests, then each suite in tests/suites/ in order.
#   ./test.sh                 everything (what CI runs: .ci/run)
#   ./test.sh --fast          the fast lane: the Maven tests not tagged "slow" (no real tools,
#                             processes, servers or soaks) and no suite; for a quick check while working
#   ./test.sh SUITE...        only the named suites (e.g. 10-shellcheck), after Maven
#   VAULT_SKIP_MAVEN=1        skip the Maven build (when iterating on a suite)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"

install_prerequisites() {
  local missing=() pkg
  while read -r pkg; do
    pkg=${pkg%%#*}
    pkg=${pkg//[[:space:]]/}
    [ -n "$pkg" ] || continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done <tests/prerequisites.txt
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "test.sh: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

started=$(date +%s)
if [ "${1:-}" = --fast ]; then
  [ $# -eq 1 ] || { echo "test.sh: --fast takes no suites" >&2; exit 2; }
  echo "== maven (fast lane): tests not tagged slow"
  mvn -B -ntp -Pfast test
  echo "== fast lane passed in $(( $(date +%s) - started ))s (the full suite: ./test.sh)"
  exit 0
fi
install_prerequisites
results=()
if [ "${VAULT_SKIP_MAVEN:-0}" != 1 ]; then
  echo "== maven: build and unit/integration tests"
  t0=$(date +%s)
  mvn -B -ntp verify
  results+=("maven $(( $(date +%s) - t0 ))s")
fi

suites=()
if [ $# -gt 0 ]; then
  for name in "$@"; do suites+=("tests/suites/${name%.sh}.sh"); done
else
  for suite in tests/suites/*.sh; do suites+=("$suite"); done
fi
for suite in "${suites[@]}"; do
  [ -f "$suite" ] || { echo "test.sh: no suite $suite" >&2; exit 2; }
  echo "== $(basename "$suite" .sh)"
  t0=$(date +%s)
  bash "$suite"
  results+=("$(basename "$suite" .sh) $(( $(date +%s) - t0 ))s")
done

echo "== all tests passed in $(( $(date +%s) - started ))s:"
printf '   %s\n' "${results[@]}"
