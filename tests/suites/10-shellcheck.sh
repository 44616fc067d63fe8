#!/usr/bin/env bash
# Runs ShellCheck on every shell file of the repository: *.sh, *.bash, and scripts with a sh or bash shebang.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
files=()
while IFS= read -r -d '' f; do
  case $f in
    *.sh|*.bash) files+=("$f") ;;
    *) if head -n1 "$f" 2>/dev/null | grep -qE '^#!.*\b(ba)?sh\b'; then files+=("$f"); fi ;;
  esac
done < <(git ls-files -z --cached --others --exclude-standard)
[ ${#files[@]} -gt 0 ] || { echo "no shell files found" >&2; exit 1; }
shellcheck --external-sources "${files[@]}"
echo "shellcheck: ${#files[@]} files clean"
