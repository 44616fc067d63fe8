"""scripts/test-tensorflow.py and scripts/test-vllm-inference.py where the framework cannot be
imported (neither is installable on the CI machine): a clear message, ok=false, exit 3."""
import importlib.util

import pytest

from conftest import load_json, run_script, stub_package


def absent(module):
    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed for this interpreter: the 'not installed' case cannot be staged")


def test_tensorflow_not_installed(tmp_path):
    absent("tensorflow")
    out = tmp_path / "tf.json"
    result = run_script("test-tensorflow.py", "--json-out", out, timeout=60)
    assert result.returncode == 3, result.stdout
    assert "TensorFlow cannot be imported" in result.stdout
    assert "No module named 'tensorflow'" in result.stdout
    doc = load_json(out)
    assert doc == {"schema": "vault-tensorflow/1", "gpus": [], "ok": False,
                   "error": "ModuleNotFoundError: No module named 'tensorflow'"}


def test_tensorflow_broken_install(tmp_path):
    message = "libcudart.so.12: cannot open shared object file: No such file or directory"
    stubs = stub_package(tmp_path / "stubs", "tensorflow", message)
    out = tmp_path / "tf.json"
    result = run_script("test-tensorflow.py", "--json-out", out, env={"PYTHONPATH": stubs}, timeout=60)
    assert result.returncode == 3, result.stdout
    doc = load_json(out)
    assert doc["ok"] is False and doc["error"] == f"ImportError: {message}"
    assert "gpus_visible" not in doc and "tensorflow_version" not in doc  # not measured: absent


def test_vllm_not_installed(tmp_path):
    absent("vllm")
    out = tmp_path / "vllm.json"
    result = run_script("test-vllm-inference.py", "--model", tmp_path / "model", "--offline", "--json-out", out,
                        timeout=60)
    assert result.returncode == 3, result.stdout
    assert "vLLM cannot be imported" in result.stdout
    doc = load_json(out)
    assert doc["schema"] == "vault-vllm/1" and doc["smoke_ok"] is False
    assert doc["error"] == "ModuleNotFoundError: No module named 'vllm'"
    for measured in ("output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "failed_requests",
                     "peak_memory_gib", "elapsed_s"):
        assert measured not in doc


def test_vllm_broken_install(tmp_path):
    stubs = stub_package(tmp_path / "stubs", "vllm", "synthetic: vllm._C cannot be loaded")
    out = tmp_path / "vllm.json"
    result = run_script("test-vllm-inference.py", "--model", "some/model", "--json-out", out,
                        env={"PYTHONPATH": stubs}, timeout=60)
    assert result.returncode == 3, result.stdout
    doc = load_json(out)
    assert doc["model"] == "some/model" and doc["smoke_ok"] is False
    assert "vllm._C cannot be loaded" in doc["error"]


def test_vllm_needs_a_model():
    result = run_script("test-vllm-inference.py", timeout=60)
    assert result.returncode == 2
    assert "--model" in result.stdout
