#!/usr/bin/env bash
# Runs the tests of the Python scripts in scripts/ (tests/python) with Debian's /usr/bin/python3,
# which has python3-torch, python3-torchvision and python3-pytest (the python3 first on PATH may be
# another interpreter without them). The scripts run for real on CPU: DDP with gloo, the stress
# burn-in, and the TensorFlow/vLLM checks where those frameworks are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
python=/usr/bin/python3
[ -x "$python" ] || { echo "21-python-scripts: $python not found (Debian package python3)" >&2; exit 1; }
for module in pytest torch torchvision; do
  if ! "$python" -c "import $module" >/dev/null 2>&1; then
    echo "21-python-scripts: $python cannot import $module (Debian packages python3-pytest python3-torch python3-torchvision; ./test.sh installs them)" >&2
    exit 1
  fi
done
exec "$python" -m pytest -p no:cacheprovider --durations=5 -q tests/python
