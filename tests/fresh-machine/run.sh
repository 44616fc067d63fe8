#!/usr/bin/env bash
# The README's main job on a fresh machine: a Debian 12 root file system with only a JDK 17 and
# Maven (debootstrap --variant=minbase), a clone of this checkout's HEAD, and
# `./vault pipeline run examples/demo/pipeline.yaml` run inside it with systemd-nspawn (as root, the
# network shared: Maven and apt need it). It must build the CLI, install packer, ansible-core,
# openssh-client and git itself (debian_packages), run every stage and end SUCCESS.
#
#   tests/fresh-machine/run.sh [--work DIR] [--copy-m2]
#
# Not part of ./test.sh (debootstrap and the downloads take 10-20 minutes); run it by hand when the
# main job's set-up changes. --copy-m2 copies ~/.m2 into the root file system so Maven does not
# download every plugin again (the check is then of the set-up, not of Maven Central). Needs root,
# debootstrap and systemd-nspawn. Measured: see README.md, "What is verified where".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=/var/tmp/vault-fresh-machine
copy_m2=0
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift 2 ;;
    --copy-m2) copy_m2=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run.sh: needs root (debootstrap, systemd-nspawn)" >&2; exit 2; }
for tool in debootstrap systemd-nspawn git; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done
rootfs=$work/rootfs
if [ ! -x "$rootfs/usr/bin/mvn" ]; then
  rm -rf "$rootfs"
  mkdir -p "$work"
  echo "run.sh: debootstrap of Debian 12 with only openjdk-17-jdk-headless and maven into $rootfs ..."
  debootstrap --variant=minbase --include=openjdk-17-jdk-headless,maven,ca-certificates bookworm "$rootfs" \
    http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
fi
for tool in packer ansible-playbook ssh-keygen git; do
  if [ -e "$rootfs/usr/bin/$tool" ]; then
    echo "run.sh: $rootfs already has $tool: not a fresh machine; remove $rootfs and run again" >&2
    exit 2
  fi
done
rm -rf "$rootfs/root/vault"
git clone -q "$root" "$rootfs/root/vault"
[ "$copy_m2" = 1 ] && [ -d "$HOME/.m2" ] && cp -a "$HOME/.m2" "$rootfs/root/"
log=$work/main-job.log
set +e
systemd-nspawn -q --register=no --keep-unit -D "$rootfs" --pipe --chdir=/root/vault /bin/bash -c \
  'export HOME=/root; ./vault pipeline run examples/demo/pipeline.yaml; echo "main job exit: $?"' 2>&1 | tee "$log"
set -e
grep -q '^vault: installing the Debian packages packer, ansible-core, openssh-client, git' "$log"
grep -q '^verdict: SUCCESS' "$log"
grep -q '^main job exit: 0' "$log"
echo "fresh machine: the main job installed its packages and ended SUCCESS (log: $log)"
