#!/usr/bin/env bash
# Converges the base roles (playbooks/base.yml: common, users, packages, networking, security,
# python, monitoring_basic) for real, in image-build mode, into a Debian 12 root file system made
# with debootstrap, twice, through `vault provision --idempotency-runs 2`; runs the whole site.yml
# in check mode without the vendor repositories (NVIDIA, Docker, PyPI); runs the Packer cleanup
# script; boots the result with systemd-nspawn --private-network and checks it (sshd -T, UFW,
# sudo, UTC, fail2ban, an SSH login); then runs Packer's shutdown step, which removes the build
# account and powers the container off; then takes the inventory of the finished image, from outside
# and over the chroot connection, and checks it against dpkg's own list.
#
# The machine running this must not change: converges run in private UTS, PID and mount
# namespaces (the network stays shared, apt needs it), the root file system forbids service
# starts (policy-rc.d), and the host's host name, addresses, routes, firewall rules and the
# roles' sysctl keys are compared before and after.
#
# Settings: VAULT_CONVERGE_WITH=ansible-playbook converges with ansible-playbook twice instead of
# vault provision (for working on the roles before the runner exists); VAULT_TEST_CACHE_DIR keeps
# the debootstrap tarball between local runs; VAULT_KEEP_WORK=1 keeps the work directory.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
suite_name=32-ansible-converge
# shellcheck source=tests/ansible/lib.sh
. tests/ansible/lib.sh

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, unshare, systemd-nspawn)"
require_tools debootstrap unshare chroot systemd-nspawn nsenter findmnt ansible-playbook ssh-keygen \
  iptables-nft iptables-legacy nft ip sysctl /usr/bin/python3
converge_with=${VAULT_CONVERGE_WITH:-vault}
case $converge_with in
  vault) ./vault provision --help >/dev/null 2>&1 \
           || die "./vault provision is not available in this build (issue 6); VAULT_CONVERGE_WITH=ansible-playbook converges without it" ;;
  ansible-playbook) note "VAULT_CONVERGE_WITH=ansible-playbook: converging with ansible-playbook, not vault provision" ;;
  *) die "VAULT_CONVERGE_WITH must be vault or ansible-playbook, not $converge_with" ;;
esac

work=$(mktemp -d "${TMPDIR:-/var/tmp}/vault-converge.XXXXXX")
rootfs=$work/rootfs
nspawn_pid=""
stop_container() {
  [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null || return 0
  kill -TERM "$nspawn_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$nspawn_pid" 2>/dev/null || true
  wait "$nspawn_pid" 2>/dev/null || true
  nspawn_pid=""
}
finish() {
  local status=$? pid
  stop_container
  for pid in $(processes_rooted_in "$rootfs"); do
    echo "$suite_name: process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) still runs in the root file system; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    status=1
  done
  if [ -n "$(mounted_under "$work")" ]; then
    echo "$suite_name: mounts left under $work (kept, not deleted):" >&2
    mounted_under "$work" >&2
    exit 1
  fi
  if [ "${VAULT_KEEP_WORK:-0}" = 1 ] || [ "$status" -ne 0 ]; then
    echo "$suite_name: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap finish EXIT

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# --- host guard -------------------------------------------------------------------------------
mapfile -t sysctl_keys < <(sed -n '/^security_sysctl:/,/^[^ ]/s/^  \([a-z0-9_.]*\): .*/\1/p' ansible/roles/security/defaults/main.yml)
[ ${#sysctl_keys[@]} -gt 0 ] || die "no sysctl keys found in ansible/roles/security/defaults/main.yml"
# The guard must be able to see a change: in a throwaway network namespace, add a firewall rule
# and a host name and expect a difference.
# shellcheck disable=SC2016 # the script's arguments expand inside the new namespaces
unshare --net --uts bash -c '
  set -e
  "$1/host-state.sh" net.ipv4.tcp_syncookies >"$2/guard-a.txt"
  ip link set lo up
  iptables-nft -w -A INPUT -p tcp --dport 9 -j DROP
  hostname guard-self-test
  "$1/host-state.sh" net.ipv4.tcp_syncookies >"$2/guard-b.txt"' _ "$root/tests/ansible" "$work" \
  || die "the host guard's self-test could not run"
for change in 'dport 9' 'guard-self-test' 'lo: <LOOPBACK,UP'; do
  { diff "$work/guard-a.txt" "$work/guard-b.txt" || true; } | grep -q "^> .*$change" \
    || die "the host guard does not notice a change ($change): it would not protect this machine"
done
tests/ansible/host-state.sh "${sysctl_keys[@]}" >"$work/host-before.txt"
check_host_unchanged() {
  tests/ansible/host-state.sh "${sysctl_keys[@]}" >"$work/host-after.txt"
  if ! diff -u "$work/host-before.txt" "$work/host-after.txt"; then
    die "the machine running the test changed ($1): see the diff above"
  fi
  local leftover
  leftover=$(processes_rooted_in "$rootfs")
  [ -z "$leftover" ] || die "processes still run in the root file system after $1: $leftover"
  note "host unchanged after $1 (host name, addresses, routes, iptables, nftables, sysctl)"
}

# --- root file system with what Ubuntu 24.04's installer leaves behind ----------------------------
t0=$(date +%s)
make_rootfs "$rootfs"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# No maintainer script may start a daemon: in a chroot it would run on this machine.
printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $debootstrap_mirror bookworm main contrib
deb $debootstrap_mirror bookworm-updates main contrib
deb ${VAULT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main contrib
SOURCES
in_chroot "$rootfs" apt-get update -qq
in_chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
# Ubuntu 24.04's default: sshd socket-activated (ssh.socket on, ssh.service off).
in_chroot "$rootfs" systemctl disable -q ssh.service
in_chroot "$rootfs" systemctl enable -q ssh.socket
# cloud-init's drop-in that turns passwords back on.
printf 'PasswordAuthentication yes\n' >"$rootfs/etc/ssh/sshd_config.d/50-cloud-init.conf"
# The autoinstall build account: a real password and a sudo rule (Packer's late-commands).
in_chroot "$rootfs" useradd --create-home --shell /bin/bash packer
printf 'packer:%s\n' "$(head -c 18 /dev/urandom | base64)" | in_chroot "$rootfs" chpasswd
mkdir -p "$rootfs/etc/sudoers.d"
printf 'packer ALL=(ALL) NOPASSWD:ALL\n' >"$rootfs/etc/sudoers.d/90-vault-build"
chmod 0440 "$rootfs/etc/sudoers.d/90-vault-build"
note "root file system ready in $(elapsed "$t0")"

# --- inventory ----------------------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C vault-converge-test -f "$work/id_ed25519"
ssh_port=2222
monitor_script=false
if [ -f scripts/monitor.sh ]; then
  monitor_script=true
else
  note "NOTE: scripts/monitor.sh is not in this checkout (it comes with the GPU scripts, issue 7);"
  note "      monitoring_basic runs with monitoring_basic_monitor_script_install=false and its install is NOT checked"
fi
inventory=$work/inventory.yml
cat >"$inventory" <<INVENTORY
all:
  hosts:
    "$rootfs":
      ansible_connection: community.general.chroot
      ansible_python_interpreter: /usr/bin/python3
      ansible_become: false
      vault_image_build: true
      common_hostname: vault-cube-test
      users_admin_authorized_keys:
        - "$(cat "$work/id_ed25519.pub")"
      users_locked_accounts: [packer]
      security_ssh_port: $ssh_port
      security_ufw_allow:
        - {port: $ssh_port, proto: tcp}
        - {port: 443, proto: tcp}
      monitoring_basic_monitor_script_install: $monitor_script
INVENTORY
# Pipelining: the chroot connection sends each module through stdin instead of copying it in.
export ANSIBLE_CONFIG=$root/ansible/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_PIPELINING=True
export ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_REMOTE_TEMP=/tmp/.ansible-vault

# --- converge twice ------------------------------------------------------------------------------
t0=$(date +%s)
if [ "$converge_with" = vault ]; then
  in_build_namespace "$rootfs" ./vault provision ansible/playbooks/base.yml -i "$inventory" \
    --idempotency-runs 2 --evidence "$work/evidence/converge" 2>&1 | tee "$work/converge.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "vault provision --idempotency-runs 2 failed (transcript: $work/converge.log)"
  ./vault metrics "$work/evidence/converge" --json >"$work/converge-metrics.json" \
    || die "vault metrics could not read $work/evidence/converge"
  /usr/bin/python3 - "$work/converge-metrics.json" <<'PY' || die "the converge evidence does not prove an idempotent converge"
import json, sys
metrics = json.load(open(sys.argv[1]))["metrics"]
def need(name, test, what):
    if name not in metrics:
        sys.exit(f"metric {name} is missing")
    if not test(metrics[name]):
        sys.exit(f"metric {name} = {metrics[name]!r}, expected {what}")
need("ansible.runs", lambda v: v == 2, "2")
need("ansible.idempotent", lambda v: v is True, "true")
need("ansible.failed", lambda v: v == 0, "0")
need("ansible.unreachable", lambda v: v == 0, "0")
need("ansible.changed", lambda v: v > 0, "> 0 (the first run converged something)")
print(f"evidence: runs=2, first run changed={metrics['ansible.changed']}, idempotent=true, failed=0")
PY
else
  for run in 1 2; do
    in_build_namespace "$rootfs" ansible-playbook -i "$inventory" ansible/playbooks/base.yml 2>&1 | tee "$work/converge-$run.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || die "converge run $run failed (transcript: $work/converge-$run.log)"
    read -r changed failed unreachable ok < <(recap_totals "$work/converge-$run.log") || die "no PLAY RECAP in run $run"
    if [ "$failed" -ne 0 ] || [ "$unreachable" -ne 0 ]; then die "run $run: failed=$failed unreachable=$unreachable"; fi
    if [ "$run" -eq 1 ]; then
      [ "$changed" -gt 0 ] || die "run 1 changed nothing: the converge did not run"
    elif [ "$changed" -ne 0 ]; then
      grep -B3 '^changed:' "$work/converge-2.log" | grep '^TASK' >&2 || true
      die "not idempotent: run 2 changed $changed task(s) (above)"
    fi
    note "converge run $run: ok=$ok changed=$changed failed=0 unreachable=0"
  done
fi
note "converged twice, second run changed nothing ($(elapsed "$t0"))"
check_host_unchanged "the converge"

# --- check mode of the whole image without vendor repositories ------------------------------------
t0=$(date +%s)
check_args=(ansible/playbooks/site.yml -i "$inventory" --check --skip-tags vendor_repo)
if [ "$converge_with" = vault ]; then
  in_build_namespace "$rootfs" ./vault provision "${check_args[@]}" --evidence "$work/evidence/check" 2>&1 | tee "$work/check.log"
else
  in_build_namespace "$rootfs" ansible-playbook "${check_args[@]}" 2>&1 | tee "$work/check.log"
fi
[ "${PIPESTATUS[0]}" -eq 0 ] || die "check-mode run of site.yml failed (transcript: $work/check.log)"
/usr/bin/python3 tests/ansible/check_mode_coverage.py "$work/check.log" \
  --converged common users packages networking security python monitoring_basic \
  --covered nvidia docker nvidia_container_toolkit pytorch tensorflow vllm \
  || die "check-mode coverage is short (transcript: $work/check.log)"
note "check mode of site.yml passed ($(elapsed "$t0"))"
check_host_unchanged "the check-mode run"

# --- Packer's cleanup, then boot ------------------------------------------------------------------
t0=$(date +%s)
nspawn=(systemd-nspawn -q --register=no --keep-unit --private-network -D "$rootfs")
"${nspawn[@]}" --bind-ro="$root/packer/scripts:/mnt/vault-packer-scripts" --setenv=VAULT_BUILD_USER=packer \
  /bin/bash /mnt/vault-packer-scripts/cleanup.sh || die "packer/scripts/cleanup.sh failed in the image"
[ ! -e "$rootfs/etc/ssh/ssh_host_ed25519_key" ] || die "cleanup.sh left the SSH host keys"
install -m 0600 "$work/id_ed25519" "$rootfs/root/vault-test-key"
install -m 0755 tests/ansible/check-booted-image.sh "$rootfs/root/check-booted-image.sh"

"${nspawn[@]}" -b --console=read-only </dev/null >"$work/boot.log" 2>&1 &
nspawn_pid=$!
init_pid=""
for _ in $(seq 1 60); do
  for pid in $(pgrep -P "$nspawn_pid" || true); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ] && init_pid=$pid
  done
  [ -n "$init_pid" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/boot.log" >&2; die "systemd-nspawn exited during boot"; }
  sleep 1
done
[ -n "$init_pid" ] || { cat "$work/boot.log" >&2; die "the container's systemd did not start"; }
in_container() { nsenter --target "$init_pid" --all "$@"; }
check_args=(--ssh-port "$ssh_port" --admin vaultadmin --allow "$ssh_port/tcp" --allow 443/tcp
            --hostname vault-cube-test --key /root/vault-test-key)
[ "$monitor_script" = false ] || check_args+=(--monitor-script)
if ! in_container /bin/bash /root/check-booted-image.sh "${check_args[@]}"; then
  in_container journalctl --no-pager -n 60 >&2 || true
  die "the booted image failed its checks (above)"
fi
in_container rm -f /root/vault-test-key /root/check-booted-image.sh

# Packer's shutdown_command: removes the build account and powers off.
in_container env VAULT_BUILD_USER=packer /usr/local/sbin/vault-build-finalize || die "vault-build-finalize failed"
for _ in $(seq 1 90); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$nspawn_pid" 2>/dev/null && die "the container did not power off after vault-build-finalize"
wait "$nspawn_pid" || true
nspawn_pid=""
! grep -q '^packer:' "$rootfs/etc/passwd" || die "the build account is still in the image"
[ ! -e "$rootfs/etc/sudoers.d/90-vault-build" ] || die "the build account's sudo rule is still in the image"
[ ! -e "$rootfs/usr/local/sbin/vault-build-finalize" ] || die "vault-build-finalize is still in the image"
note "cleanup, boot checks and shutdown step passed ($(elapsed "$t0"))"
check_host_unchanged "the boot"

# --- inventory of the finished image ------------------------------------------------------------
# The image as Packer would ship it, read twice: from outside as an image root (dpkg-query
# --admindir, importlib over its site directories: nothing in it runs), and through the converge's
# own connection (Ansible's chroot connection, as vault provision used it). Both must read the
# packages dpkg itself lists, with their versions. A virtual environment where the roles put them
# (/opt/vault/venvs/NAME) checks that the default discovery finds it.
t0=$(date +%s)
in_chroot "$rootfs" python3 -m venv --without-pip /opt/vault/venvs/inventory-probe \
  || die "could not make a virtual environment in the image for the inventory"
mkdir -p "$rootfs/opt/vault/venvs/inventory-probe/lib/python3.11/site-packages/vault_probe-1.0.dist-info"
printf 'Metadata-Version: 2.1\nName: vault-probe\nVersion: 1.0rc1\n' \
  >"$rootfs/opt/vault/venvs/inventory-probe/lib/python3.11/site-packages/vault_probe-1.0.dist-info/METADATA"
./vault inventory --root "$rootfs" --evidence "$work/evidence/inventory-root" 2>&1 | tee "$work/inventory-root.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || die "vault inventory --root failed (transcript: $work/inventory-root.log)"
in_build_namespace "$rootfs" ./vault inventory -i "$inventory" --evidence "$work/evidence/inventory-chroot" 2>&1 \
  | tee "$work/inventory-chroot.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || die "vault inventory over the chroot connection failed (transcript: $work/inventory-chroot.log)"
LC_ALL=C dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\n' \
  >"$work/dpkg-direct.txt"
for how in root chroot; do
  ./vault metrics "$work/evidence/inventory-$how" --json >"$work/inventory-$how.json" \
    || die "vault metrics could not read the $how inventory"
done
/usr/bin/python3 - "$work/dpkg-direct.txt" "$work/inventory-root.json" "$work/inventory-chroot.json" <<'PY' \
  || die "the inventory of the converged image does not hold what dpkg lists"
import json, sys
installed = {}
for line in open(sys.argv[1]):
    status, name, version = line.rstrip("\n").split("\t")
    if status[1] == "i":
        installed[name] = version
for path, how in ((sys.argv[2], "root"), (sys.argv[3], "chroot")):
    m = json.load(open(path))["metrics"]
    if m.get("inventory.deb.count") != len(installed):
        sys.exit(f"{how}: inventory.deb.count = {m.get('inventory.deb.count')}, dpkg lists {len(installed)} installed")
    for name, version in installed.items():
        got = m.get(f"inventory.deb[{name}].version")
        if got != version:
            sys.exit(f"{how}: inventory.deb[{name}].version = {got!r}, dpkg says {version!r}")
    # Packages the roles installed (packages, security, python), not debootstrap.
    for name in ("openssh-server", "ufw", "fail2ban", "sudo", "python3-venv", "jq", "tmux"):
        if f"inventory.deb[{name}].version" not in m:
            sys.exit(f"{how}: the role-installed package {name} is missing")
    if m.get("inventory.python[inventory-probe].pkg[vault-probe].version") != "1.0rc1":
        sys.exit(f"{how}: the virtual environment /opt/vault/venvs/inventory-probe was not found or misread")
    if "inventory.python[system].count" not in m:
        sys.exit(f"{how}: the system Python environment is missing")
root = json.load(open(sys.argv[2]))["metrics"]
if root.get("inventory.kernel.count") != 0:
    sys.exit(f"root: a debootstrap tree has no kernel, but inventory.kernel.count = {root.get('inventory.kernel.count')}")
print(f"inventory: {len(installed)} packages read from outside and over the chroot connection, each with dpkg's"
      f" version (openssh-server {installed['openssh-server']}, ufw {installed['ufw']})")
PY
note "inventory of the image read from outside and over the chroot connection ($(elapsed "$t0"))"
check_host_unchanged "the inventory"
echo "$suite_name: passed (converge with $converge_with)"
