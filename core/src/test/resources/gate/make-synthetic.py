#!/usr/bin/env python3
"""Writes the SYNTHETIC evidence directories of the gate tests (see README.md). Run from this folder:
    python3 make-synthetic.py
Nothing here was measured: values follow docs/metrics.md's metric names and the reference facts
(a 5090 reports 32607 MiB), chosen so that policies/demo-box.yaml passes on demo-box-pass."""
import json
import math
import os
import random

RECORDED_FROM = "synthetic test fixture (core/src/test/resources/gate/README.md)"
UUIDS = ["GPU-5d3b9d2e-0c6a-4c1e-9f51-0a1b2c3d4e5f", "GPU-7e2f1a0b-9c8d-4e7f-a6b5-1b2c3d4e5f60",
         "GPU-1a2b3c4d-5e6f-4a0b-8c9d-2c3d4e5f6071", "GPU-9f8e7d6c-5b4a-4392-8170-3d4e5f607182"]


def metric(value, file, line=None, unit=None):
    m = {"value": value}
    if unit:
        m["unit"] = unit
    m["file"] = file
    if line:
        m["line"] = line
    return m


def write(root, stage, metrics):
    os.makedirs(os.path.join(root, stage), exist_ok=True)
    with open(os.path.join(root, stage, "metrics.json"), "w") as f:
        json.dump({"schema": "vault-metrics/1", "stage": stage, "metrics": metrics}, f, indent=2)
        f.write("\n")
    with open(os.path.join(root, stage, "stage.json"), "w") as f:
        json.dump({"schema": "vault-stage/1", "stage": stage, "status": "RECORDED",
                   "started": "2026-11-27T08:00:00Z", "ended": "2026-11-28T09:00:00Z", "commands": [],
                   "messages": ["SYNTHETIC: hand-made test evidence"], "recordedFrom": RECORDED_FROM}, f, indent=2)
        f.write("\n")


def gpu_stage(root):
    q = "gpu/nvidia-smi-query.csv"
    m = {"gpu.count": metric(4, q), "gpu.pci_devices": metric(4, "gpu/lspci.txt")}
    for i in range(4):
        m[f"gpu[{i}].name"] = metric("NVIDIA GeForce RTX 5090", q, i + 2)
        m[f"gpu[{i}].uuid"] = metric(UUIDS[i], q, i + 2)
        m[f"gpu[{i}].memory_total_mib"] = metric(32607, q, i + 2, "MiB")
        m[f"gpu[{i}].temperature_c"] = metric([34, 36, 38, 35][i], q, i + 2, "C")
        m[f"gpu[{i}].pcie_gen_max"] = metric(5, q, i + 2)
        m[f"gpu[{i}].pcie_gen_current"] = metric(1, q, i + 2)
        m[f"gpu[{i}].pcie_width_current"] = metric(16, q, i + 2)
        m[f"gpu[{i}].power_limit_w"] = metric(575, q, i + 2, "W")
    m.update({
        "gpu.memory_total_mib.min": metric(32607, q, unit="MiB"),
        "gpu.memory_total_mib.max": metric(32607, q, unit="MiB"),
        "gpu.temperature_c.max": metric(38, q, 4, "C"),
        "gpu.pcie_gen_max.min": metric(5, q),
        "gpu.pcie_gen_current.min": metric(1, q),
        "gpu.pcie_width_current.min": metric(16, q),
        "gpu.throttled.count": metric(0, q),
        "xid.count": metric(0, "gpu/kernel.log"),
        "xid.fatal.count": metric(0, "gpu/kernel.log"),
        "xid.codes": metric("", "gpu/kernel.log"),
        "gpu.fell_off_bus.count": metric(0, "gpu/kernel.log"),
    })
    write(root, "gpu", m)


def stress_stage(root):
    t = "stress/telemetry.csv"
    k = "stress/kernel.log"
    m = {
        "telemetry.gpus": metric(4, t), "telemetry.duration_s": metric(86415, t, unit="s"),
        "telemetry.coverage": metric(0.9987, t), "telemetry.max_gap_s": metric(11, t, unit="s"),
        "telemetry.temperature_c.max": metric(79, t, 51234, "C"), "telemetry.temperature_c.p99": metric(77, t, unit="C"),
        "telemetry.utilization_pct.median": metric(100, t, unit="%"), "telemetry.power_ratio.median": metric(0.97, t),
        "telemetry.throttle_events": metric(0, t), "telemetry.pcie_gen_loaded.min": metric(5, t),
        "telemetry.pcie_width_loaded.min": metric(16, t),
        "stress.xid.count": metric(0, k), "stress.xid.fatal.count": metric(0, k),
        "stress.gpu.fell_off_bus.count": metric(0, k), "stress.complete": metric(True, "stress/stress-gpus.json"),
        "stress.planned_duration_s": metric(86400, "stress/stress-gpus.json", unit="s"),
        "stress.workload_ok": metric(True, "stress/stress-gpus.json"),
        "stress.faulty_gpus": metric(0, "stress/stress-gpus.json"),
    }
    for i in range(4):
        m[f"telemetry.gpu[{i}].temperature_c.max"] = metric([76, 79, 77, 74][i], t, unit="C")
        m[f"telemetry.gpu[{i}].samples"] = metric(17283, t)
    write(root, "stress", m)
    telemetry_csv(os.path.join(root, "stress", "telemetry.csv"))


def telemetry_csv(path, minutes=20, interval=10):
    """A short synthetic sampler log in sample-telemetry.sh's format (nvidia-smi CSV, nounits)."""
    rnd = random.Random(5090)
    header = ("timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], utilization.gpu [%], "
              "utilization.memory [%], memory.used [MiB], clocks.sm [MHz], clocks.mem [MHz], pcie.link.gen.current, "
              "pcie.link.width.current, fan.speed [%], clocks_event_reasons.active")
    with open(path, "w") as f:
        f.write(header + "\n")
        for s in range(0, minutes * 60, interval):
            hh, mm, ss = 10 + s // 3600, (s // 60) % 60, s % 60
            for i in range(4):
                load = s >= 60
                temp = 35 + (40 + 3 * i) * (1 - math.exp(-s / 300.0)) + rnd.uniform(-0.8, 0.8) if load else 35 + i
                power = 560 + rnd.uniform(-12, 12) if load else 30 + rnd.uniform(0, 5)
                clock = 2700 + rnd.uniform(-40, 40) if load else 180
                reasons = "0x0000000000000004" if load else "0x0000000000000001"
                f.write(f"2026/11/28 {hh:02d}:{mm:02d}:{ss:02d}.{100 + i:03d}, {i}, {UUIDS[i]}, {'P1' if load else 'P8'}, "
                        f"{temp:.0f}, {power:.2f}, 575.00, {100 if load else 0}, {35 if load else 0}, "
                        f"{30521 if load else 1}, {clock:.0f}, {14001 if load else 405}, {5 if load else 1}, 16, "
                        f"{68 if load else 30}, {reasons}\n")


def bench_stages(root):
    d = "bench-ddp/ddp.json"
    write(root, "bench-ddp", {
        "ddp.world_size": metric(4, d), "ddp.throughput_samples_per_s": metric(4290.5, d, unit="samples/s"),
        "ddp.single_gpu_throughput_samples_per_s": metric(1120.4, d, unit="samples/s"),
        "ddp.scaling_efficiency": metric(0.95736, d), "ddp.per_device_batch": metric(256, d),
        "ddp.amp": metric(False, d),
        "ddp.telemetry.utilization_pct.median": metric(98, "bench-ddp/telemetry.csv", unit="%"),
    })
    v = "bench-vllm/vllm.json"
    write(root, "bench-vllm", {
        "vllm.output_tokens_per_s": metric(3512.7, v, unit="tokens/s"),
        "vllm.total_tokens_per_s": metric(7025.1, v, unit="tokens/s"),
        "vllm.requests_per_s": metric(13.7, v, unit="requests/s"), "vllm.failed_requests": metric(0, v),
        "vllm.smoke_ok": metric(True, v),
    })
    tf = "bench-tensorflow/tensorflow.json"
    m = {"tensorflow.gpus": metric(4, tf), "tensorflow.ok": metric(True, tf), "tensorflow.version": metric("2.20.0", tf)}
    write(root, "bench-tensorflow", m)


def build_stages(root):
    p = "packer/packer-build.log"
    write(root, "packer", {"packer.builds": metric(1, p), "packer.builds_failed": metric(0, p),
                           "packer.artifacts": metric(1, p, 312), "packer.errors": metric(0, p),
                           "packer.duration_s": metric(1273, p, unit="s"), "packer.version": metric("1.11.2", p)})
    a = "ansible/ansible-run-1.log"
    write(root, "ansible", {"ansible.runs": metric(3, a), "ansible.hosts": metric(1, a), "ansible.ok": metric(212, a, 980),
                            "ansible.changed": metric(87, a, 980), "ansible.failed": metric(0, a),
                            "ansible.unreachable": metric(0, a), "ansible.skipped": metric(31, a, 980),
                            "ansible.rescued": metric(0, a), "ansible.ignored": metric(0, a),
                            "ansible.idempotent": metric(True, "ansible/ansible-run-3.log"),
                            "ansible.duration_s": metric(1502, a, unit="s")})


def baseline(root):
    d = "bench-ddp/ddp.json"
    write(root, "bench-ddp", {
        "ddp.throughput_samples_per_s": metric(4301.0, d, unit="samples/s"),
        "ddp.single_gpu_throughput_samples_per_s": metric(1131.0, d, unit="samples/s"),
        "ddp.scaling_efficiency": metric(0.9507, d)})
    write(root, "bench-vllm", {"vllm.output_tokens_per_s": metric(3604.2, "bench-vllm/vllm.json", unit="tokens/s")})


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    ok = os.path.join(here, "evidence", "demo-box-pass")
    for fn in (gpu_stage, stress_stage, bench_stages, build_stages):
        fn(ok)
    baseline(os.path.join(here, "evidence", "demo-box-baseline"))
