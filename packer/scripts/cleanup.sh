#!/usr/bin/env bash
# Last provisioner of the Packer build, run as root in the VM after Ansible: makes the image
# generic (no host keys, no machine id, no cloud-init state, no logs, no apt lists), locks the
# build account, installs the shutdown step that removes that account, and fails the build if any
# account still has a usable password. The converge test runs it in the test root file system too.
#   VAULT_BUILD_USER=packer [VAULT_FINALIZE_SCRIPT=/tmp/finalize.sh] cleanup.sh
set -euo pipefail

build_user=${VAULT_BUILD_USER:?set VAULT_BUILD_USER to the Packer build account}
finalize_script=${VAULT_FINALIZE_SCRIPT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/finalize.sh}
log() { printf 'cleanup: %s\n' "$*"; }
[ "$(id -u)" -eq 0 ] || { echo "cleanup: must run as root" >&2; exit 2; }

export DEBIAN_FRONTEND=noninteractive
log "removing unused packages and the apt cache"
apt-get -y -qq autoremove --purge
apt-get -y -qq clean
find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete

if command -v cloud-init >/dev/null 2>&1; then
  log "resetting cloud-init (first boot on the box runs it again)"
  cloud-init clean --logs --seed
fi

log "removing SSH host keys (ssh.service generates new ones on each box)"
rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub

log "emptying the machine id (systemd makes a new one at first boot)"
: >/etc/machine-id
if [ -e /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then
  rm -f /var/lib/dbus/machine-id
  ln -s /etc/machine-id /var/lib/dbus/machine-id
fi

if getent passwd "$build_user" >/dev/null; then
  log "locking the password of the build account $build_user"
  usermod --lock "$build_user"
  log "installing the shutdown step that removes $build_user"
  [ -r "$finalize_script" ] || { echo "cleanup: $finalize_script is missing" >&2; exit 2; }
  install -o root -g root -m 0755 "$finalize_script" /usr/local/sbin/vault-build-finalize
fi

log "removing logs, shell histories and temporary files"
find /var/log -type f \( -name '*.gz' -o -name '*.[0-9]' -o -name '*.old' \) -delete
find /var/log -type f -exec truncate -s 0 {} +
rm -rf /var/log/journal/*
rm -f /root/.bash_history /home/*/.bash_history
find /tmp /var/tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} +

log "checking that no account has a usable password"
usable=$(awk -F: '$2 == "" || $2 !~ /^[!*]/ { print $1 }' /etc/shadow)
if [ -n "$usable" ]; then
  echo "cleanup: these accounts still have a usable password (or none at all): $usable" >&2
  exit 1
fi
log "done"
