#!/usr/bin/env bash
# Packer's shutdown_command (sudo -n /usr/local/sbin/vault-build-finalize): removes the build
# account with its home, SSH keys and sudo rule, removes itself, and powers the VM off. It runs
# last because Packer connects as that account until this moment.
#   VAULT_BUILD_USER=packer vault-build-finalize
set -euo pipefail

build_user=${VAULT_BUILD_USER:-packer}
[ "$(id -u)" -eq 0 ] || { echo "finalize: must run as root" >&2; exit 2; }

rm -f /etc/sudoers.d/90-vault-build
if getent passwd "$build_user" >/dev/null; then
  # --force: the account's own SSH session (this command's parent) is still open. userdel warns
  # (and may exit non-zero) about a missing mail spool; what counts is the check below.
  userdel --force --remove "$build_user" || true
fi
if getent passwd "$build_user" >/dev/null; then
  echo "finalize: could not remove $build_user" >&2
  exit 1
fi
rm -f -- "$0" /usr/local/sbin/vault-build-finalize
echo "finalize: $build_user removed; powering off"
systemctl --no-block poweroff
