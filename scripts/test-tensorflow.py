#!/usr/bin/env python3
"""test-tensorflow.py: TensorFlow sees the GPUs and computes on each of them.

For every GPU TensorFlow lists: a matmul on that GPU checked against float64 on the CPU, and an
allocation of --alloc-mib MiB on that GPU filled and read back. JSON result: schema
vault-tensorflow/1 (docs/gpu-validation.md). CUDA_DEVICE_ORDER=PCI_BUS_ID, so /GPU:i is nvidia-smi's GPU i.

  test-tensorflow.py [--json-out FILE] [--expect-gpus N] [--matrix-size N] [--alloc-mib MIB]

When TensorFlow cannot be imported (not installed, or a broken install such as missing CUDA
libraries) it says so clearly, writes {"ok": false, "error": "<the import error>"} and exits 3:
never an empty pass.

Exit codes: 0 every GPU passed (and --expect-gpus matched); 1 a check failed or no GPU is
visible; 2 usage error; 3 TensorFlow cannot be imported.
"""
import os

os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import argparse
import math
import platform
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # vault_result beside this script
import vault_result  # noqa: E402

SCHEMA = "vault-tensorflow/1"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_MODULE = 0, 1, 2, 3


def parse_args(argv):
    p = argparse.ArgumentParser(prog="test-tensorflow.py",
                                description="TensorFlow GPU check: visible GPUs, a matmul and an "
                                            "allocation on each (JSON vault-tensorflow/1).",
                                epilog="Exit codes: 0 ok, 1 failed, 2 usage, 3 TensorFlow missing.")
    vault_result.add_json_out_argument(p)
    p.add_argument("--expect-gpus", type=int, default=None, help="number of GPUs TensorFlow must list")
    p.add_argument("--matrix-size", type=int, default=1024)
    p.add_argument("--alloc-mib", type=int, default=1024, help="MiB allocated and verified per GPU")
    args = p.parse_args(argv)
    if args.matrix_size < 16 or args.alloc_mib < 1:
        p.error("--matrix-size must be >= 16 and --alloc-mib >= 1")
    return args




def log(message):
    print(f"tensorflow: {message}", flush=True)


def check_gpu(tf, np, index, args):
    entry = {"index": index, "name": None, "matmul_ok": False, "alloc_ok": False, "error": None}
    gpu = tf.config.list_physical_devices("GPU")[index]
    try:
        details = tf.config.experimental.get_device_details(gpu)
        entry["name"] = details.get("device_name")
        if details.get("compute_capability"):
            entry["compute_capability"] = ".".join(str(x) for x in details["compute_capability"])
    except Exception:  # details are informational; older TF lacks them
        pass
    name = f"/GPU:{index}"
    try:
        n = args.matrix_size
        with tf.device(name):
            a = tf.random.stateless_uniform((n, n), seed=(7, index), minval=-1.0, maxval=1.0)
            b = tf.random.stateless_uniform((n, n), seed=(11, index), minval=-1.0, maxval=1.0)
            c = tf.linalg.matmul(a, b)
        if not c.device.endswith(f"GPU:{index}"):
            raise RuntimeError(f"the matmul ran on {c.device}, not on {name}")
        exact = a.numpy().astype(np.float64) @ b.numpy().astype(np.float64)
        # TensorFloat-32 is on by default on Ampere and newer: allow its rounding.
        error = float(np.max(np.abs(c.numpy().astype(np.float64) - exact)))
        entry["matmul_max_error"] = error
        entry["matmul_ok"] = math.isfinite(error) and error <= 5e-3 * math.sqrt(n) / 3.0
        elements = args.alloc_mib * 1024 * 1024 // 4
        with tf.device(name):
            block = tf.fill([elements], tf.constant(1.5, dtype=tf.float32))
            intact = tf.reduce_all(tf.equal(block, 1.5))
        if not block.device.endswith(f"GPU:{index}"):
            raise RuntimeError(f"the allocation was placed on {block.device}, not on {name}")
        entry["alloc_ok"] = bool(intact.numpy())
        del block
    except Exception as exc:
        entry["error"] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    return entry


def run(args):
    doc = {"schema": SCHEMA}
    try:
        import numpy as np
        import tensorflow as tf
    except Exception as exc:  # ImportError, or a broken install failing inside its import
        message = f"{type(exc).__name__}: {exc}"
        log(f"TensorFlow cannot be imported by {sys.executable}: {message}")
        log("install it in the image (e.g. pip install 'tensorflow[and-cuda]') and run again")
        doc.update({"gpus": [], "ok": False, "error": message})
        if args.json_out:
            vault_result.write_json_atomically(args.json_out, doc, "tensorflow")
        return EXIT_NO_MODULE

    doc["tensorflow_version"] = tf.__version__
    try:
        build = tf.sysconfig.get_build_info()
        doc["build"] = {k: str(build[k]) for k in ("cuda_version", "cudnn_version") if k in build}
    except Exception:
        pass
    doc["python"] = platform.python_version()
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except Exception:  # only possible before initialisation; harmless otherwise
            pass
    doc["gpus_visible"] = len(gpus)
    log(f"TensorFlow {tf.__version__}: {len(gpus)} GPU(s) visible")
    doc["gpus"] = [check_gpu(tf, np, i, args) for i in range(len(gpus))]
    for entry in doc["gpus"]:
        log(f"GPU {entry['index']} ({entry['name']}): matmul {'ok' if entry['matmul_ok'] else 'FAILED'}, "
            f"allocation {'ok' if entry['alloc_ok'] else 'FAILED'}"
            + (f", {entry['error']}" if entry["error"] else ""))
    problems = []
    if not gpus:
        problems.append("TensorFlow sees no GPU")
    if args.expect_gpus is not None and len(gpus) != args.expect_gpus:
        problems.append(f"TensorFlow sees {len(gpus)} GPU(s), expected {args.expect_gpus}")
    problems += [f"GPU {e['index']} failed" for e in doc["gpus"] if not (e["matmul_ok"] and e["alloc_ok"])]
    doc["ok"] = not problems
    if problems:
        doc["error"] = "; ".join(problems)
    log("PASSED" if doc["ok"] else f"FAILED: {doc['error']}")
    if args.json_out:
        vault_result.write_json_atomically(args.json_out, doc, "tensorflow")
    return EXIT_OK if doc["ok"] else EXIT_FAILED


def main(argv=None):
    return run(parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
