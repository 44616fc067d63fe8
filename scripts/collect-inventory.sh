#!/usr/bin/env bash
# collect-inventory.sh: records what is installed on a machine, or in a mounted image root, as raw
# command outputs in an evidence directory (fixed file names, parsed by `vault inventory`). It
# judges nothing: the parsers turn the files into inventory.* metrics and the policy gates them.
#
# usage: collect-inventory.sh --out DIR [--root ROOT] [--python-env NAME=SITE_DIR]...
#
#   --out DIR      where the files go (created; must be empty)
#   --root ROOT    read the image root mounted at ROOT instead of the running system. Nothing of
#                  ROOT is executed: dpkg-query reads ROOT's database (--admindir), Python's
#                  importlib reads ROOT's site directories, the kernels are ROOT's /lib/modules.
#                  So it works without chroot, without root, and for another architecture.
#   --python-env   a Python environment to list, by its site-packages directory (inside ROOT
#                  when --root is given); repeatable. Without it: the system's dist-packages, the
#                  /usr/local ones and every virtual environment (pyvenv.cfg) up to three levels
#                  under /opt (the roles make /opt/vault/venvs/NAME).
#
# Files (a file is absent when its source is absent: no nvidia-smi, no driver loaded, ...):
#   dpkg-query.txt            dpkg-query -W -f='${db:Status-Abbrev}\t${binary:Package}\t${Version}\t${Architecture}\n'
#   kernel-release.txt        running: uname -r; image root: the directories of ROOT/lib/modules
#   nvidia-driver-version.txt /proc/driver/nvidia/version (running system only)
#   nvidia-smi-inventory.csv  nvidia-smi --query-gpu=index,pci.bus_id,name,driver_version,vbios_version,compute_cap --format=csv
#   python-environments.txt   NAME<TAB>SITE_DIR, one line per listed environment
#   python-NAME.json          the environment's distributions, as `pip list --format=json` writes them
#   torch-NAME.json           running system only, for an environment that has torch: what that
#                             environment's interpreter reports (torch.__version__, torch.version.cuda,
#                             torch.cuda.is_available(), torch.cuda.get_arch_list(), and the compiled
#                             arch flags, which get_arch_list() hides when no GPU is usable)
#   collect.log               what was looked for and not found
set -euo pipefail

out=""
root=""
envs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --root) root="$2"; shift 2 ;;
    --python-env) envs+=("$2"); shift 2 ;;
    *) echo "collect-inventory.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "collect-inventory.sh: --out DIR is required" >&2; exit 2; }
if [ -n "$root" ]; then
  [ -d "$root/var/lib/dpkg" ] || { echo "collect-inventory.sh: $root has no var/lib/dpkg: not a Debian root" >&2; exit 2; }
  root=$(cd "$root" && pwd)
fi
mkdir -p "$out"
log="$out/collect.log"
: >"$log"
note() { echo "$*" >>"$log"; }

# Debian packages. C locale: the format is ours, but dpkg's messages should not be translated.
admindir=()
[ -n "$root" ] && admindir=(--admindir="$root/var/lib/dpkg")
LC_ALL=C dpkg-query "${admindir[@]}" -W \
  -f='${db:Status-Abbrev}\t${binary:Package}\t${Version}\t${Architecture}\n' >"$out/dpkg-query.txt"

# Kernel.
if [ -n "$root" ]; then
  if [ -d "$root/lib/modules" ]; then
    find "$root/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort >"$out/kernel-release.txt"
  else
    : >"$out/kernel-release.txt"
    note "no $root/lib/modules: the image root has no kernel"
  fi
else
  uname -r >"$out/kernel-release.txt"
fi

# NVIDIA driver and GPUs: only a running system has them.
if [ -z "$root" ]; then
  if [ -r /proc/driver/nvidia/version ]; then
    cat /proc/driver/nvidia/version >"$out/nvidia-driver-version.txt"
  else
    note "no /proc/driver/nvidia/version: the NVIDIA kernel module is not loaded"
  fi
  if command -v nvidia-smi >/dev/null 2>&1; then
    if ! CUDA_DEVICE_ORDER=PCI_BUS_ID nvidia-smi \
        --query-gpu=index,pci.bus_id,name,driver_version,vbios_version,compute_cap --format=csv \
        >"$out/nvidia-smi-inventory.csv" 2>>"$log"; then
      note "nvidia-smi --query-gpu failed (exit $?)"
    fi
  else
    note "no nvidia-smi on PATH"
  fi
fi

# probe_torch NAME SITE_DIR: asks the environment's own interpreter what torch was built for. Only on
# a running system: importing torch executes the image's code, which --root promises never to do.
# A venv's interpreter is its bin/python; a system site directory's is the python3.X it belongs to.
probe_torch() {
  local name=$1 dir=$2 py="" base
  base=$(dirname "$(dirname "$(dirname "$dir")")")
  if [ -x "$base/bin/python" ] && [ -f "$base/pyvenv.cfg" ]; then
    py=$base/bin/python
  else
    py=$(basename "$(dirname "$dir")")
    case "$py" in python3*) ;; *) py=python3 ;; esac
    [ "$py" = python3 ] || command -v "$py" >/dev/null 2>&1 || py=python3
  fi
  if ! "$py" - "$dir" >"$out/torch-$name.json" 2>>"$log" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
flags = torch._C._cuda_getArchFlags() if hasattr(torch._C, "_cuda_getArchFlags") else None
print(json.dumps({
    "version": torch.__version__,
    "cuda": torch.version.cuda,
    "cuda_available": torch.cuda.is_available(),
    "arch_list": torch.cuda.get_arch_list(),
    "arch_flags": flags.split() if flags else [],
}))
PY
  then
    rm -f "$out/torch-$name.json"
    note "torch in $name ($dir) could not be imported with $py: no torch-$name.json"
  fi
}

# Python environments.
if [ ${#envs[@]} -eq 0 ]; then
  base="${root:-}"
  [ -d "$base/usr/lib/python3/dist-packages" ] && envs+=("system=/usr/lib/python3/dist-packages")
  for d in "$base"/usr/local/lib/python3*/dist-packages; do
    [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ] && envs+=("local-$(basename "$(dirname "$d")")=${d#"$base"}")
  done
  while IFS= read -r cfg; do
    venv=$(dirname "$cfg")
    for d in "$venv"/lib/python3*/site-packages; do
      [ -d "$d" ] && envs+=("$(basename "$venv")=${d#"$base"}")
    done
  done < <(find "$base/opt" -maxdepth 4 -name pyvenv.cfg 2>/dev/null | LC_ALL=C sort)
fi
: >"$out/python-environments.txt"
if [ ${#envs[@]} -gt 0 ]; then
  if ! command -v python3 >/dev/null 2>&1; then
    note "no python3 to list the Python environments"
  else
    for e in "${envs[@]}"; do
      name=${e%%=*}
      dir=${e#*=}
      case "$name" in ''|*[!A-Za-z0-9._-]*) echo "collect-inventory.sh: bad environment name '$name'" >&2; exit 2 ;; esac
      printf '%s\t%s\n' "$name" "$dir" >>"$out/python-environments.txt"
      # importlib.metadata reads the dist-info/egg-info directories without importing anything;
      # the first distribution of a name wins, as it does on import. The output is pip list's JSON.
      python3 -c '
import importlib.metadata as md, json, re, sys
seen, rows = set(), []
for d in md.distributions(path=[sys.argv[1]]):
    name = d.metadata["Name"]
    if not name:
        continue
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        continue
    seen.add(key)
    rows.append({"name": name, "version": d.version})
rows.sort(key=lambda r: r["name"].lower())
print(json.dumps(rows))
' "${root:-}$dir" >"$out/python-$name.json"
      if [ -z "$root" ] && [ -d "$dir/torch" ]; then
        probe_torch "$name" "$dir"
      fi
    done
  fi
else
  note "no Python environment found"
fi
echo "inventory collected into $out"
