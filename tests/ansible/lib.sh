# shellcheck shell=bash
# Helpers of the Ansible converge suites (sourced). The root file system, the namespaces and the
# host guard; no function here changes the machine outside its work directory.

suite_name=${suite_name:-$(basename "$0" .sh)}
ansible_test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "$suite_name: $*" >&2; exit 1; }
note() { printf '%s: %s\n' "$suite_name" "$*"; }

require_tools() {
  local tool missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (./test.sh installs tests/prerequisites.txt)"
}

# make_rootfs DIR: a Debian 12 minbase root file system with python3, python3-apt and systemd
# (what Ansible's chroot connection and an nspawn boot need). With VAULT_TEST_CACHE_DIR set, the
# debootstrap result is kept there as a tarball and reused (local runs only; CI sets nothing).
debootstrap_include=python3,python3-apt,systemd,systemd-sysv,dbus,ca-certificates
debootstrap_mirror=${VAULT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
make_rootfs() {
  local dir=$1 cache="" key
  mkdir -p "$dir"
  if [ -n "${VAULT_TEST_CACHE_DIR:-}" ]; then
    key=$(printf '%s %s' "$debootstrap_include" "$debootstrap_mirror" | sha256sum | cut -c1-12)
    cache=$VAULT_TEST_CACHE_DIR/debootstrap-bookworm-$key.tar
  fi
  if [ -n "$cache" ] && [ -f "$cache" ]; then
    note "root file system from the cache $cache"
    tar --numeric-owner -xpf "$cache" -C "$dir"
    return
  fi
  note "debootstrap bookworm (minbase + $debootstrap_include) from $debootstrap_mirror"
  # In its own mount and PID namespaces: debootstrap mounts proc and sys inside the target.
  unshare --mount --pid --fork --mount-proc \
    debootstrap --variant=minbase --components=main,contrib --include="$debootstrap_include" \
      bookworm "$dir" "$debootstrap_mirror" >"$dir.debootstrap.log" 2>&1 \
    || { tail -n 30 "$dir.debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  if [ -n "$cache" ]; then
    mkdir -p "$VAULT_TEST_CACHE_DIR"
    tar --numeric-owner -cpf "$cache.tmp" -C "$dir" . && mv "$cache.tmp" "$cache"
  fi
}

# in_chroot ROOTFS COMMAND...: a command inside the root file system, in private namespaces.
in_chroot() {
  local rootfs=$1
  shift
  unshare --uts --pid --mount --fork --mount-proc "$ansible_test_dir/in-build-namespace.sh" "$rootfs" chroot "$rootfs" "$@"
}

# in_build_namespace ROOTFS COMMAND...: a host command (ansible, vault) with ROOTFS prepared for
# the chroot connection, in private namespaces.
in_build_namespace() {
  local rootfs=$1
  shift
  unshare --uts --pid --mount --fork --mount-proc "$ansible_test_dir/in-build-namespace.sh" "$rootfs" "$@"
}

# mounted_under DIR: prints mount points of the host's mount namespace under DIR (none expected).
mounted_under() {
  findmnt -rn -o TARGET | awk -v d="$1/" 'index($0 "/", d) == 1'
}

# processes_rooted_in DIR: PIDs of host processes whose root directory is inside DIR.
processes_rooted_in() {
  local dir=$1 link pid root
  for link in /proc/[0-9]*/root; do
    pid=${link#/proc/}
    pid=${pid%/root}
    root=$(readlink "$link" 2>/dev/null) || continue
    case $root in "$dir"|"$dir"/*) echo "$pid" ;; esac
  done
}

# recap_totals FILE: "changed failed unreachable ok" summed over the PLAY RECAP lines of an
# ansible-playbook transcript (default callback); fails when there is no recap.
recap_totals() {
  awk '
    /^PLAY RECAP/ { in_recap = 1; found = 1; next }
    in_recap && /: ok=[0-9]+/ {
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] }
      next
    }
    in_recap && NF == 0 { in_recap = 0 }
    END { if (!found) exit 1; printf "%d %d %d %d\n", v["changed"], v["failed"], v["unreachable"], v["ok"] }
  ' "$1"
}
