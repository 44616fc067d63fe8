#!/usr/bin/env bash
# First provisioner of the Packer build (root, in the VM): waits until cloud-init has finished
# the first boot, stops apt's timers for the rest of the build and waits for a running apt job.
# An unattended openssh-server upgrade mid-build would restart sshd with the hardened
# configuration (AllowUsers vaultadmin) and lock the build account out; the timers are only
# stopped, not disabled, so the image keeps them.
set -euo pipefail
log() { printf 'first-boot-wait: %s\n' "$*"; }

if command -v cloud-init >/dev/null 2>&1; then
  log "waiting for cloud-init"
  # Exit 2 means "done, with recoverable errors" (deprecated keys and the like).
  rc=0
  cloud-init status --wait >/dev/null || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { cloud-init status --long >&2; exit 1; }
fi

log "stopping apt's timers for the build"
systemctl stop apt-daily.timer apt-daily-upgrade.timer
for unit in apt-daily.service apt-daily-upgrade.service; do
  while systemctl is-active --quiet "$unit"; do
    log "waiting for $unit to finish"
    sleep 5
  done
done
log "ready"
