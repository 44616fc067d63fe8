#!/usr/bin/env bash
# Acceptance checks of the converged base image, run INSIDE the booted container (nsenter into
# systemd-nspawn --private-network). Every check prints one line; the script fails if any failed.
#   check-booted-image.sh --ssh-port 2222 --admin vaultadmin --allow 2222/tcp --allow 443/tcp \
#       --hostname vault-cube-test --key /root/vault-test-key [--monitor-script]
set -uo pipefail

ssh_port=22 admin=vaultadmin hostname_expected="" key="" monitor_script=0
allowed=()
while [ $# -gt 0 ]; do
  case $1 in
    --ssh-port) ssh_port=$2; shift 2 ;;
    --admin) admin=$2; shift 2 ;;
    --allow) allowed+=("$2"); shift 2 ;;
    --hostname) hostname_expected=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --monitor-script) monitor_script=1; shift ;;
    *) echo "check-booted-image: unknown option $1" >&2; exit 2 ;;
  esac
done

passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; shift; [ $# -eq 0 ] || printf '      %s\n' "$@"; }
# check DESCRIPTION COMMAND...: passes when COMMAND exits 0; shows its output when it does not.
check() {
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what" "${out//$'\n'/$'\n'      }"; fi
}
has_line() { grep -qxF -- "$1" <<<"$2"; }
not_listening_on() { ! grep -qE "[:.]$1\b" <<<"$2"; }
netfilter_accepts() { iptables -S ufw-user-input | grep -q -- "--dport $1 -j ACCEPT"; }

# The checks may start before the container's D-Bus is up: wait for the bus, then for boot to end.
for _ in $(seq 1 120); do
  state=$(systemctl is-system-running 2>&1)
  case $state in ""|*"Failed to connect to bus"*) sleep 1 ;; *) break ;; esac
done
state=$(timeout 120 systemctl is-system-running --wait 2>&1)
if [ "$state" = running ]; then
  pass "systemd reached running"
else
  fail "systemd reached running (state: $state)" "$(systemctl --failed --no-legend --plain 2>&1)"
fi
for unit in ssh.service ufw.service fail2ban.service; do
  check "$unit is active" systemctl is-active --quiet "$unit"
done
check "ssh.socket is disabled (socket activation ignores Port)" test "$(systemctl is-enabled ssh.socket 2>&1)" = disabled
check "sysstat.service is enabled" systemctl is-enabled --quiet sysstat.service
check "vault-gpu-telemetry.service is enabled" systemctl is-enabled --quiet vault-gpu-telemetry.service
check "vault-gpu-telemetry.service did not fail without nvidia-smi" test "$(systemctl is-failed vault-gpu-telemetry.service)" != failed

# --- SSH ------------------------------------------------------------------------------------
effective=$(sshd -T -C "user=$admin,host=client.example,addr=192.0.2.50" 2>&1)
for want in "port $ssh_port" "passwordauthentication no" "kbdinteractiveauthentication no" \
            "permitrootlogin no" "pubkeyauthentication yes" "permitemptypasswords no" \
            "authenticationmethods publickey" "allowusers $admin"; do
  if has_line "$want" "$effective"; then pass "sshd -T: $want"; else fail "sshd -T: $want" "$(grep -E "^${want%% *} " <<<"$effective")"; fi
done
check "cloud-init's 50-cloud-init.conf is gone" test ! -e /etc/ssh/sshd_config.d/50-cloud-init.conf
listening=$(ss -Hltn 2>&1)
check "sshd listens on port $ssh_port" grep -qE "[:.]$ssh_port\b" <<<"$listening"
if [ "$ssh_port" != 22 ]; then
  check "nothing listens on port 22" not_listening_on 22 "$listening"
fi
check "host keys were generated at boot" test -s /etc/ssh/ssh_host_ed25519_key.pub
if [ -n "$key" ]; then
  ssh_opts=(-p "$ssh_port" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10)
  check "$admin logs in with the key and runs sudo without a password" \
    ssh "${ssh_opts[@]}" -i "$key" -o IdentitiesOnly=yes "$admin@127.0.0.1" sudo -n true
  out=$(ssh "${ssh_opts[@]}" -o PubkeyAuthentication=no -o PreferredAuthentications=password,keyboard-interactive "$admin@127.0.0.1" true 2>&1)
  if grep -q 'Permission denied (publickey)' <<<"$out"; then pass "password login is refused (only publickey offered)"; else fail "password login is refused" "$out"; fi
  out=$(ssh "${ssh_opts[@]}" -i "$key" -o IdentitiesOnly=yes root@127.0.0.1 true 2>&1)
  if grep -q 'Permission denied' <<<"$out"; then pass "root login is refused"; else fail "root login is refused" "$out"; fi
fi

# --- UFW ------------------------------------------------------------------------------------
status=$(ufw status verbose 2>&1)
check "ufw is active" has_line "Status: active" "$status"
# Routed shows "disabled" while IP forwarding is off (Docker turns it on, then "deny").
check "ufw default: deny incoming, allow outgoing, deny or no routing" \
  grep -qxE 'Default: deny \(incoming\), allow \(outgoing\), (deny|disabled) \(routed\)' <<<"$status"
# The rule table after the "--" line: "2222/tcp  ALLOW IN  Anywhere" and "2222/tcp (v6)  ALLOW IN  Anywhere (v6)".
rules=$(sed -n '/^--/,$p' <<<"$status" | sed '1d' | awk 'NF')
got=$(awk '{ v6 = ($2 == "(v6)"); action = v6 ? $3 : $2; print $1 (v6 ? " (v6) " : " ") action }' <<<"$rules" | sort)
want=$(for port in "${allowed[@]}"; do echo "$port ALLOW"; echo "$port (v6) ALLOW"; done | sort)
if [ -n "$rules" ] && [ "$got" = "$want" ]; then
  pass "ufw allows exactly: ${allowed[*]} (IPv4 and IPv6)"
else
  fail "ufw allows exactly: ${allowed[*]} (IPv4 and IPv6)" "$status"
fi
check "the rules are loaded in the container's netfilter" netfilter_accepts "$ssh_port"

# --- fail2ban -------------------------------------------------------------------------------
check "fail2ban has an sshd jail" grep -q "Jail list:.*sshd" <<<"$(fail2ban-client status 2>&1)"
check "the sshd jail reads sshd's journal (systemd backend)" \
  grep -q "_SYSTEMD_UNIT=sshd.service" <<<"$(fail2ban-client get sshd journalmatch 2>&1)"

# --- administrator, time zone, host name, passwords -----------------------------------------
check "$admin exists" id "$admin"
check "$admin is in the sudo group" grep -qx sudo <<<"$(id -nG "$admin" | tr ' ' '\n')"
check "$admin may run everything with sudo, no password" grep -q "(ALL : ALL) NOPASSWD: ALL" <<<"$(sudo -l -U "$admin")"
check "$admin's password is locked" test "$(getent shadow "$admin" | cut -d: -f2 | cut -c1)" = "!"
usable=$(awk -F: '$2 == "" || $2 !~ /^[!*]/ { print $1 }' /etc/shadow)
if [ -z "$usable" ]; then pass "no account has a usable password"; else fail "no account has a usable password" "$usable"; fi
check "time zone is UTC (/etc/localtime)" test "$(readlink -f /etc/localtime)" = /usr/share/zoneinfo/Etc/UTC
check "date reports UTC" test "$(date +%Z)" = UTC
check "/etc/timezone says Etc/UTC" test "$(cat /etc/timezone)" = Etc/UTC
if [ -n "$hostname_expected" ]; then
  check "host name is $hostname_expected" test "$(hostname)" = "$hostname_expected"
fi

# --- the rest of the base image ---------------------------------------------------------------
check "sysctl: redirects refused (net.ipv4.conf.all.accept_redirects = 0)" test "$(sysctl -n net.ipv4.conf.all.accept_redirects)" = 0
check "sysctl: SYN cookies on" test "$(sysctl -n net.ipv4.tcp_syncookies)" = 1
check "unattended upgrades are scheduled" bash -c 'apt-config dump | grep -qx "APT::Periodic::Unattended-Upgrade \"1\";"'
check "the NVIDIA driver is kept out of unattended upgrades" \
  bash -c 'apt-config dump | grep -q "^Unattended-Upgrade::Package-Blacklist:: \"nvidia-\";"'
check "the journal is persistent" test -d /var/log/journal
check "netplan file is private (0600)" test "$(stat -c %a /etc/netplan/60-vault.yaml)" = 600
check "python3 is at least 3.10 and venv works" python3 -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 10)'
for tool in htop iotop nvtop sar sensors git curl jq; do
  check "$tool is installed" command -v "$tool"
done
if [ "$monitor_script" = 1 ]; then
  check "vault-monitor (scripts/monitor.sh) is installed" test -x /usr/local/bin/vault-monitor
fi

echo "check-booted-image: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
