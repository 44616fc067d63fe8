#!/usr/bin/env bash
# Prints what a converge test must never change on the machine that runs it: host name, network
# addresses, links and routes, firewall rules (iptables, both back ends, and nftables), and the
# values of the sysctl keys the roles write. Two outputs are compared before and after the test.
#   host-state.sh [SYSCTL_KEY]...
set -euo pipefail

section() { printf '== %s\n' "$1"; }
section hostname
cat /proc/sys/kernel/hostname
section addresses
ip -o address show | awk '{ $1 = ""; print }' | sed 's/ valid_lft .*//'
section links
ip -o link show | awk '{ $1 = ""; print }' | sed -E 's/ (qlen|link\/).*//'
section routes
ip route show table all
ip -6 route show table all 2>/dev/null || true
for tool in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
  command -v "$tool" >/dev/null || { echo "host-state: $tool is missing (tests/prerequisites.txt installs iptables)" >&2; exit 2; }
  for table in filter nat mangle raw; do
    section "$tool -t $table"
    "$tool" -w -t "$table" -S 2>&1 | sed -E 's/ -c [0-9]+ [0-9]+//'
  done
done
command -v nft >/dev/null || { echo "host-state: nft is missing (tests/prerequisites.txt installs nftables)" >&2; exit 2; }
section "nft ruleset"
nft -s list ruleset
section sysctl
for key in "$@"; do
  printf '%s = %s\n' "$key" "$(sysctl -n "$key" 2>&1)"
done
