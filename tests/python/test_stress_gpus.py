"""scripts/stress-gpus.py on CPU workers: the same code path as on GPUs, with smaller matrices."""
import os
import signal
import subprocess
import sys
import time

from conftest import load_json, run_script, script_path, stub_package

CPU = ["--device", "cpu", "--workers", "2", "--matrix-size", "128", "--report-interval", "1"]


def check_document(doc):
    assert doc["schema"] == "vault-stress-gpus/1"
    assert doc["device"] == "cpu" and doc["dtype"] == "fp32" and doc["matrix_size"] == 128
    for key in ("duration_s", "planned_duration_s", "gpus", "faulty_gpus", "ok", "interrupted"):
        assert key in doc
    assert [g["index"] for g in doc["gpus"]] == [0, 1]
    for gpu in doc["gpus"]:
        assert {"index", "uuid", "iterations", "errors", "ok"} <= gpu.keys()
        assert gpu["uuid"] is None  # CPU workers have none
    assert doc["faulty_gpus"] == sum(1 for g in doc["gpus"] if g["faulty"])


def test_a_short_burn_in_passes(tmp_path):
    out = tmp_path / "stress.json"
    result = run_script("stress-gpus.py", *CPU, "--duration", "3", "--json-out", out, timeout=120)
    print(result.stdout)
    assert result.returncode == 0, result.stdout
    doc = load_json(out)
    check_document(doc)
    assert doc["ok"] is True and doc["faulty_gpus"] == 0 and doc["interrupted"] is False
    assert doc["planned_duration_s"] == 3.0 and doc["duration_s"] >= 3.0
    for gpu in doc["gpus"]:
        assert gpu["ok"] is True and gpu["errors"] == 0 and gpu["iterations"] > 0
        assert gpu["reference_ok"] is True and gpu["max_abs_error"] == 0.0
    assert "test_hooks" not in doc
    assert "PASSED" in result.stdout


def test_an_injected_fault_is_caught_on_that_worker_only(tmp_path):
    out = tmp_path / "stress.json"
    result = run_script("stress-gpus.py", *CPU, "--duration", "2", "--inject-fault", "1", "--json-out", out,
                        timeout=120)
    print(result.stdout)
    assert result.returncode == 1, result.stdout
    doc = load_json(out)
    check_document(doc)
    assert doc["ok"] is False and doc["faulty_gpus"] == 1
    assert doc["test_hooks"] == {"inject_fault": 1}
    good, bad = doc["gpus"]
    assert good["ok"] is True and good["errors"] == 0
    assert bad["ok"] is False and bad["errors"] > 0 and bad["mismatched_iterations"] > 0
    assert bad["max_abs_error"] > 1000
    assert "cpu 1: FAULTY" in result.stdout


def start(args, **kwargs):
    return subprocess.Popen([sys.executable, script_path("stress-gpus.py"), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"), **kwargs)


def wait_for_line(proc, needle, timeout=120):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return seen
    proc.kill()
    raise AssertionError(f"{needle!r} not seen:\n{''.join(seen)}")


def test_sigterm_mid_run_stops_and_still_writes_the_result(tmp_path):
    out = tmp_path / "stress.json"
    proc = start([*CPU, "--duration", "300", "--json-out", out])
    wait_for_line(proc, "running:")
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=90)
    print(rest)
    assert proc.returncode == 130, rest
    doc = load_json(out)
    check_document(doc)
    assert doc["interrupted"] is True
    assert doc["duration_s"] < 300
    assert doc["faulty_gpus"] == 0 and all(g["iterations"] > 0 for g in doc["gpus"])
    assert "SIGTERM: stopping the workers" in rest


def test_ctrl_c_to_the_whole_process_group_stops_it_in_order(tmp_path):
    out = tmp_path / "stress.json"
    proc = start([*CPU, "--duration", "300", "--json-out", out], start_new_session=True)
    wait_for_line(proc, "running:")
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the workers get it too
    rest, _ = proc.communicate(timeout=90)
    assert proc.returncode == 130, rest
    doc = load_json(out)
    assert doc["interrupted"] is True and doc["faulty_gpus"] == 0
    assert "worker died" not in rest and "Traceback" not in rest


def test_no_cuda_device_is_a_clear_failure(tmp_path):
    out = tmp_path / "stress.json"
    result = run_script("stress-gpus.py", "--device", "cuda", "--duration", "1", "--json-out", out, timeout=120)
    assert result.returncode == 2, result.stdout
    assert "no CUDA device is available" in result.stdout
    doc = load_json(out)
    assert doc["ok"] is False and doc["gpus"] == []


def test_missing_torch_is_reported(tmp_path):
    stubs = stub_package(tmp_path / "stubs", "torch", "synthetic: torch is broken")
    out = tmp_path / "stress.json"
    result = run_script("stress-gpus.py", *CPU, "--json-out", out, env={"PYTHONPATH": stubs}, timeout=60)
    assert result.returncode == 3, result.stdout
    doc = load_json(out)
    assert doc["ok"] is False and "synthetic: torch is broken" in doc["error"]


def test_usage_errors():
    for args in (["--duration", "soon"], ["--duration", "0"], ["--device", "tpu"], ["--matrix-size", "4"]):
        result = run_script("stress-gpus.py", *args, timeout=60)
        assert result.returncode == 2, (args, result.stdout)
