"""Shared helpers of the script tests. They run with Debian's /usr/bin/python3 (python3-torch,
python3-torchvision, python3-pytest); the scripts run as real child processes of that interpreter."""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"


def script_path(name):
    return str(SCRIPTS / name)


def run_script(name, *args, timeout=300, env=None, cwd=None):
    """Runs scripts/NAME with this interpreter; returns the CompletedProcess (text, merged output)."""
    full_env = dict(os.environ)
    full_env["PYTHONUNBUFFERED"] = "1"
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, script_path(name), *map(str, args)], cwd=cwd, env=full_env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)


def load_json(path):
    with open(path) as f:
        return json.load(f)


def load_script_module(name):
    """Imports scripts/NAME (file names have dashes) without running its main()."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_").removesuffix(".py"), script_path(name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session", autouse=True)
def require_torch():
    missing = [m for m in ("torch", "torchvision") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.fail(f"{sys.executable} lacks {', '.join(missing)}: install Debian's python3-torch and "
                    f"python3-torchvision (./test.sh does) and run these tests with /usr/bin/python3",
                    pytrace=False)


def stub_package(root, name, message):
    """A package NAME whose import raises ImportError(message): a broken install (e.g. missing CUDA
    libraries), put first on PYTHONPATH. Synthetic, and labelled so by its own text."""
    package = Path(root) / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        "# Synthetic stand-in for a broken installation, created by tests/python/conftest.py.\n"
        f"raise ImportError({message!r})\n")
    return str(root)
