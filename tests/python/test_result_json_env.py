"""VAULT_RESULT_JSON: the vault runners (vault bench, vault stress) append nothing to a command;
they name the result file in this variable, and every script takes it as the default of --json-out.
Staged with a broken framework (a synthetic stub package, see conftest.stub_package), so that each
script writes its result at once without loading torch, TensorFlow or vLLM."""
import pytest

from conftest import load_json, run_script, stub_package

# script, the package to break, its arguments
CASES = [
    ("stress-gpus.py", "torch", ["--device", "cpu", "--duration", "1s"], "vault-stress-gpus/1"),
    ("test-pytorch-ddp.py", "torch", ["--device", "cpu", "--nproc", "2"], "vault-ddp/1"),
    ("test-tensorflow.py", "tensorflow", [], "vault-tensorflow/1"),
    ("test-vllm-inference.py", "vllm", ["--model", "some/model"], "vault-vllm/1"),
]


@pytest.mark.parametrize("script,package,args,schema", CASES, ids=[c[0] for c in CASES])
def test_the_result_goes_to_VAULT_RESULT_JSON_without_any_option(tmp_path, script, package, args, schema):
    stubs = stub_package(tmp_path / "stubs", package, "synthetic: broken for the VAULT_RESULT_JSON test")
    out = tmp_path / "from-env.json"
    result = run_script(script, *args, env={"PYTHONPATH": stubs, "VAULT_RESULT_JSON": str(out)}, timeout=60)
    assert result.returncode == 3, result.stdout
    doc = load_json(out)
    assert doc["schema"] == schema and doc["ok" if "ok" in doc else "smoke_ok"] is False


@pytest.mark.parametrize("script,package,args,schema", CASES, ids=[c[0] for c in CASES])
def test_an_explicit_json_out_wins_over_the_variable(tmp_path, script, package, args, schema):
    stubs = stub_package(tmp_path / "stubs", package, "synthetic: broken for the VAULT_RESULT_JSON test")
    env_file, explicit = tmp_path / "from-env.json", tmp_path / "explicit.json"
    result = run_script(script, *args, "--json-out", explicit,
                        env={"PYTHONPATH": stubs, "VAULT_RESULT_JSON": str(env_file)}, timeout=60)
    assert result.returncode == 3, result.stdout
    assert load_json(explicit)["schema"] == schema
    assert not env_file.exists()
