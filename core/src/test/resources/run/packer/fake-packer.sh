#!/bin/sh
# A stand-in for packer (synthetic, for tests): answers "version" with FAKE_PACKER_VERSION, records
# its argv (one argument a line, then "--") and the content of every -var-file into
# FAKE_PACKER_RECORD, prints FAKE_PACKER_BUILD's lines for "build", leaves a file named
# FAKE_PACKER_LEAVE in TMPDIR (as a killed packer would) and exits FAKE_PACKER_BUILD_EXIT.
set -eu
record=${FAKE_PACKER_RECORD:-/dev/null}
for arg in "$@"; do printf '%s\n' "$arg" >>"$record"; done
printf -- '--\n' >>"$record"
case " $* " in
  *" version "*)
    echo "1795905643,,version,${FAKE_PACKER_VERSION:-1.9.4}"
    echo "1795905643,,ui,say,Packer v${FAKE_PACKER_VERSION:-1.9.4}"
    exit 0 ;;
  *" build "*)
    for arg in "$@"; do
      case $arg in -var-file=*) { printf 'var-file:'; cat "${arg#-var-file=}"; printf '\n'; } >>"$record" ;; esac
    done
    if [ -n "${FAKE_PACKER_BUILD:-}" ]; then cat "$FAKE_PACKER_BUILD"; fi
    if [ -n "${FAKE_PACKER_LEAVE:-}" ]; then echo left >"${TMPDIR:?}/$FAKE_PACKER_LEAVE"; fi
    exit "${FAKE_PACKER_BUILD_EXIT:-0}" ;;
  *) exit 0 ;;
esac
