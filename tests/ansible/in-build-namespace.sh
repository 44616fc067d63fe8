#!/usr/bin/env bash
# Runs COMMAND with ROOTFS prepared for Ansible's chroot connection, inside the private namespaces
# that `unshare` created: the mounts (proc, sys, dev) exist only in this mount namespace, the host
# name only in this UTS namespace, and every process started here dies with this PID namespace.
# The network namespace is the host's on purpose: apt in the chroot needs it. Whatever could
# touch the host's network (ufw, sysctl -p, service starts) is what the roles' image-build mode
# and the root file system's policy-rc.d forbid; the suite's host guard checks that it held.
#
#   unshare --uts --pid --mount --fork --mount-proc tests/ansible/in-build-namespace.sh ROOTFS COMMAND...
set -euo pipefail

die() { echo "in-build-namespace: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: in-build-namespace.sh ROOTFS COMMAND..."
rootfs=$(cd "$1" && pwd)
shift
[ "$$" -eq 1 ] || die "not PID 1 of a new PID namespace; run me through unshare --pid --fork"
[ -x "$rootfs/usr/bin/python3" ] || die "$rootfs is not a root file system with python3"

mount --make-rprivate /
hostname vault-build-sandbox
mount -t proc proc "$rootfs/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$rootfs/sys"
mount --rbind /dev "$rootfs/dev"
mount --make-rslave "$rootfs/dev"

# As PID 1, wait for the command and hand its status back (a signal to PID 1 would be ignored).
# (<&0: a background job would otherwise read /dev/null instead of our standard input.)
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
set +e
wait "$child"
status=$?
set -e
exit "$status"
