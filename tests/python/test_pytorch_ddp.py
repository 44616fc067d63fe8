"""scripts/test-pytorch-ddp.py on CPU: gloo, 2 processes, a tiny ResNet-50 configuration."""
import math
import statistics

import pytest

from conftest import load_json, load_script_module, run_script, stub_package

TINY = ["--device", "cpu", "--nproc", "2", "--per-device-batch", "2", "--image-size", "32",
        "--warmup-steps", "1", "--timed-steps", "2", "--repeats", "3", "--num-classes", "10",
        "--phase-timeout-s", "150"]
CONTRACT_KEYS = {"schema", "model", "device", "backend", "world_size", "per_device_batch", "amp", "image_size",
                 "warmup_steps", "timed_steps", "repeats", "single", "multi", "scaling_efficiency", "versions"}


def check_ddp_document(doc):
    """The check the `ddp` parser makes (docs/metrics.md, `ddp`): the stated efficiency must equal
    multi.median / (world_size * single.median) from two separate runs, within 1e-6 relative."""
    single, multi, n = doc["single"], doc["multi"], doc["world_size"]
    assert single["world_size"] == 1, "the baseline must be a single-process run"
    assert multi["world_size"] == n
    for run in (single, multi):
        assert len(run["throughputs_samples_per_s"]) == doc["repeats"] >= 3
        assert all(t > 0 and math.isfinite(t) for t in run["throughputs_samples_per_s"])
        assert run["median_samples_per_s"] == statistics.median(run["throughputs_samples_per_s"])
    expected = multi["median_samples_per_s"] / (n * single["median_samples_per_s"])
    assert doc["scaling_efficiency"] == pytest.approx(expected, rel=1e-6)
    return expected


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp") / "ddp.json"
    result = run_script("test-pytorch-ddp.py", *TINY, "--json-out", out, timeout=400)
    print(result.stdout)
    assert result.returncode == 0, result.stdout
    return load_json(out), result.stdout


@pytest.fixture(scope="module")
def straggler_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp-straggler") / "ddp.json"
    # Rank 1 reports 60 s more per timed step than it took: a GPU far slower than the others.
    # ResNet-18 keeps this second run short; the code path is the same.
    result = run_script("test-pytorch-ddp.py", *TINY, "--model", "resnet18", "--inject-straggler-ms", "60000",
                        "--json-out", out, timeout=400)
    print(result.stdout)
    assert result.returncode == 0, result.stdout
    return load_json(out)


def test_result_follows_the_contract(plain_run):
    doc, _ = plain_run
    assert CONTRACT_KEYS <= doc.keys()
    assert doc["schema"] == "vault-ddp/1"
    assert (doc["model"], doc["device"], doc["backend"]) == ("resnet50", "cpu", "gloo")
    assert doc["world_size"] == 2 and doc["per_device_batch"] == 2 and doc["image_size"] == 32
    assert (doc["warmup_steps"], doc["timed_steps"], doc["repeats"]) == (1, 2, 3)
    assert doc["amp"] is False and doc["ok"] is True
    assert "test_hooks" not in doc
    assert {"torch", "torchvision", "python"} <= doc["versions"].keys()
    assert None not in doc["versions"].values()


def test_efficiency_is_multi_over_n_times_single(plain_run):
    doc, output = plain_run
    check_ddp_document(doc)
    assert "scaling efficiency = " in output


def test_efficiency_comes_from_two_independent_runs(plain_run):
    """A self-dividing script reports exactly 1.0 (and a baseline equal to multi/N); two real
    measurements on a shared machine never agree to the last bit."""
    doc, _ = plain_run
    assert doc["scaling_efficiency"] != 1.0
    assert doc["single"]["median_samples_per_s"] != doc["multi"]["median_samples_per_s"] / doc["world_size"]
    assert doc["single"]["throughputs_samples_per_s"] != doc["multi"]["throughputs_samples_per_s"]


def test_a_slow_rank_lowers_the_efficiency(straggler_run):
    doc = straggler_run
    assert doc["model"] == "resnet18"
    assert doc["test_hooks"] == {"inject_straggler_ms": 60000.0}
    efficiency = check_ddp_document(doc)
    # The multi run's window is the slowest rank's: >= 120 s for 2 steps, so T_N <= 4 / 120
    # samples/s, far below any 2-process throughput the tiny model reaches on a CPU.
    assert efficiency < 0.5
    assert doc["multi"]["median_samples_per_s"] <= 2 * 2 * 2 / 120.0 + 1e-9


def test_the_check_rejects_a_self_divided_efficiency(plain_run):
    """The contract's check catches the naive script: per-GPU throughput divided by itself."""
    doc, _ = plain_run
    naive = dict(doc)
    per_gpu = doc["multi"]["median_samples_per_s"] / doc["world_size"]
    naive["scaling_efficiency"] = per_gpu / per_gpu
    with pytest.raises(AssertionError):
        check_ddp_document(naive)


def test_efficiency_arithmetic():
    ddp = load_script_module("test-pytorch-ddp.py")
    assert ddp.scaling_efficiency(100.0, 150.0, 2) == pytest.approx(0.75)
    assert ddp.scaling_efficiency(1129.0, 4064.4, 4) == pytest.approx(0.9)
    assert ddp.scaling_efficiency(100.0, 410.0, 4) == pytest.approx(1.025)  # never clamped
    for bad in [(0.0, 100.0, 2), (100.0, 0.0, 2), (100.0, 100.0, 0), (float("nan"), 100.0, 2)]:
        with pytest.raises(ValueError):
            ddp.scaling_efficiency(*bad)


def test_a_failing_worker_fails_the_run_loudly(tmp_path):
    out = tmp_path / "ddp.json"
    result = run_script("test-pytorch-ddp.py", *TINY, "--model", "resnet18", "--inject-worker-failure", "1",
                        "--json-out", out,
                        timeout=400)
    assert result.returncode == 1, result.stdout
    assert "rank 1 fails on purpose" in result.stdout
    assert "FAILED: 2-process run failed" in result.stdout
    doc = load_json(out)
    assert doc["ok"] is False and "2-process run failed" in doc["error"]
    assert "scaling_efficiency" not in doc and "multi" not in doc


def test_usage_errors(tmp_path):
    result = run_script("test-pytorch-ddp.py", "--device", "cpu", "--repeats", "2", timeout=60)
    assert result.returncode == 2
    assert "--repeats must be at least 3" in result.stdout


def test_cuda_requested_without_a_gpu_fails_clearly(tmp_path):
    out = tmp_path / "ddp.json"
    result = run_script("test-pytorch-ddp.py", "--device", "cuda", "--json-out", out, timeout=120)
    assert result.returncode == 2, result.stdout
    assert "CUDA is not available" in result.stdout
    assert load_json(out)["ok"] is False


def test_missing_torch_is_reported(tmp_path):
    stubs = stub_package(tmp_path / "stubs", "torch", "synthetic: torch is broken")
    out = tmp_path / "ddp.json"
    result = run_script("test-pytorch-ddp.py", *TINY, "--json-out", out, env={"PYTHONPATH": stubs}, timeout=60)
    assert result.returncode == 3, result.stdout
    doc = load_json(out)
    assert doc["ok"] is False and "synthetic: torch is broken" in doc["error"]
