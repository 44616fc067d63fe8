#!/usr/bin/env python3
"""stress-gpus.py: a burn-in load on every GPU that verifies its own results.

One process per GPU multiplies two fixed random matrices over and over, into as many result
buffers as the memory budget allows (so the load exercises the memory too), and compares every
result with a reference computed once on that GPU, the way gpu-burn compares its GEMM results:
a GPU that computes a wrong answer, a NaN or an Inf is caught and counted, per GPU. The reference itself is first checked against a float64
computation on the CPU at sampled rows and columns, so a GPU that is wrong from the start is
caught too. Results are JSON (schema vault-stress-gpus/1, docs/gpu-validation.md).

  stress-gpus.py [--device cuda|cpu] [--duration 60|90s|10m|24h] [--gpus 0,1,...]
                 [--dtype fp32|tf32|bf16|fp16] [--matrix-size N] [--memory-fraction F]
                 [--buffers N] [--workers N] [--json-out FILE] [--report-interval S]

  --device cuda (default) runs on every visible CUDA GPU (or those of --gpus); --device cpu
  runs --workers CPU processes (default 2) with the same code, for tests and machines without
  a GPU. CPU is never chosen silently.

Stopping: SIGINT or SIGTERM stops every worker after its current round; the JSON result is
still written, with "interrupted": true. A worker that does not stop within --stop-grace
seconds (a hung GPU) is killed and its GPU counted as faulty.

Test hook (for tests only): --inject-fault INDEX adds an error to the results of the worker with
that index after its reference is computed, so the comparison must flag that GPU (ok=false,
faulty_gpus=1). The JSON records "test_hooks" whenever a hook is used.

Exit codes: 0 every GPU verified for the planned duration; 1 a GPU computed wrong results,
failed or died; 2 usage error or no CUDA device; 3 torch is not installed; 130 interrupted
(SIGINT/SIGTERM) before the planned duration with no fault found.
"""
import os

# CUDA indices must follow the PCI bus order so that they match nvidia-smi's (ref §0 item 13).
os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"

import argparse
import math
import multiprocessing
import platform
import queue
import re
import signal
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # vault_result beside this script
import vault_result  # noqa: E402

SCHEMA = "vault-stress-gpus/1"
EXIT_OK, EXIT_FAULT, EXIT_USAGE, EXIT_NO_MODULE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Tolerances relative to the typical magnitude of a result element, sqrt(n)/3 for inputs
# uniform in [-1, 1]. "repeat": between a result and the reference on the same GPU (GEMM is
# bitwise reproducible on one GPU with one cuBLAS, so this only leaves room for one or two ulps
# of the output type). "reference": the GPU's reference against float64 on the CPU (rounding of
# the accumulation, TF32 inputs, bf16/fp16 outputs).
TOLERANCES = {
    "fp32": {"repeat": 1e-4, "reference": 1e-4},
    "tf32": {"repeat": 1e-4, "reference": 5e-3},
    "bf16": {"repeat": 2e-2, "reference": 3e-2},
    "fp16": {"repeat": 4e-3, "reference": 5e-3},
}


def parse_duration(text):
    """'90' or '90s' -> 90.0, '10m' -> 600.0, '24h' -> 86400.0."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([smh]?)\s*", str(text))
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90, 90s, 10m, 24h)")
    value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if value <= 0:
        raise argparse.ArgumentTypeError("the duration must be positive")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="stress-gpus.py",
        description="Burn-in load on every GPU with verified results (JSON vault-stress-gpus/1).",
        epilog="Exit codes: 0 ok, 1 fault, 2 usage/no CUDA, 3 torch missing, 130 interrupted.")
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda",
                   help="cuda (default): every visible GPU; cpu: --workers CPU processes (tests)")
    p.add_argument("--duration", type=parse_duration, default=60.0,
                   help="time under load after every worker is ready: 90, 90s, 10m, 24h (default 60 s)")
    p.add_argument("--gpus", default=None, help="comma-separated CUDA indices (default: all visible)")
    p.add_argument("--workers", type=int, default=2, help="CPU workers with --device cpu (default 2)")
    p.add_argument("--threads", type=int, default=1, help="torch threads per CPU worker (default 1)")
    p.add_argument("--dtype", choices=sorted(TOLERANCES), default=None,
                   help="matmul type: bf16 on cuda (tensor cores, highest power), fp32 on cpu by default")
    p.add_argument("--matrix-size", type=int, default=None,
                   help="n of the n x n matrices (default 8192 on cuda, 256 on cpu)")
    p.add_argument("--memory-fraction", type=float, default=0.7,
                   help="cuda: share of the free GPU memory used for result buffers (default 0.7)")
    p.add_argument("--buffers", type=int, default=None,
                   help="result buffers per worker (default: from --memory-fraction on cuda, 2 on cpu)")
    p.add_argument("--max-buffers", type=int, default=256, help="upper bound on result buffers (default 256)")
    p.add_argument("--seed", type=int, default=20261128, help="seed of the input matrices")
    vault_result.add_json_out_argument(p)
    p.add_argument("--report-interval", type=float, default=10.0, help="seconds between progress lines")
    p.add_argument("--startup-timeout", type=float, default=600.0,
                   help="seconds a worker may take to become ready (default 600)")
    p.add_argument("--stop-grace", type=float, default=60.0,
                   help="seconds a worker may take to stop before it is killed (default 60)")
    p.add_argument("--inject-fault", type=int, default=None, metavar="INDEX",
                   help="TEST HOOK: corrupt the results of the worker with this index")
    args = p.parse_args(argv)
    if args.dtype is None:
        args.dtype = "bf16" if args.device == "cuda" else "fp32"
    if args.matrix_size is None:
        args.matrix_size = 8192 if args.device == "cuda" else 256
    if args.matrix_size < 16:
        p.error("--matrix-size must be at least 16")
    if args.device == "cpu" and args.workers < 1:
        p.error("--workers must be at least 1")
    if args.buffers is not None and args.buffers < 1:
        p.error("--buffers must be at least 1")
    if not 0 < args.memory_fraction <= 0.95:
        p.error("--memory-fraction must be in (0, 0.95]")
    if args.report_interval <= 0:
        p.error("--report-interval must be positive")
    return args




def log(message):
    print(f"stress-gpus: {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Worker: one process per GPU (or per CPU worker). CPU and CUDA share this code path.

def _worker(slot, device_kind, device_index, cfg, stop_event, out_q, parent_pid):
    # The parent coordinates the stop; a terminal's Ctrl-C reaches the whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        import torch

        dtype = {"fp32": torch.float32, "tf32": torch.float32,
                 "bf16": torch.bfloat16, "fp16": torch.float16}[cfg["dtype"]]
        n = cfg["matrix_size"]
        if device_kind == "cuda":
            device = torch.device("cuda", device_index)
            torch.cuda.set_device(device)
            torch.backends.cuda.matmul.allow_tf32 = cfg["dtype"] == "tf32"
            torch.backends.cudnn.allow_tf32 = cfg["dtype"] == "tf32"
            props = torch.cuda.get_device_properties(device_index)
            name = props.name
            uuid = getattr(props, "uuid", None)
            uuid = f"GPU-{uuid}" if uuid is not None and not str(uuid).startswith("GPU-") else (
                str(uuid) if uuid is not None else None)
            def sync():
                torch.cuda.synchronize(device)
        else:
            device = torch.device("cpu")
            torch.set_num_threads(cfg["threads"])
            name, uuid = platform.processor() or "cpu", None
            def sync():
                pass

        # Same inputs on every GPU: fixed seed, generated on the CPU, rounded to the work type.
        gen = torch.Generator(device="cpu").manual_seed(cfg["seed"])
        a_host = (torch.rand(n, n, generator=gen) * 2 - 1).to(dtype)
        b_host = (torch.rand(n, n, generator=gen) * 2 - 1).to(dtype)
        a = a_host.to(device)
        b = b_host.to(device)
        scale = math.sqrt(n) / 3.0
        tol = TOLERANCES[cfg["dtype"]]
        repeat_threshold = tol["repeat"] * scale

        reference = torch.matmul(a, b)
        sync()

        # Check the reference at sampled rows x columns against float64 on the CPU.
        rows = torch.randperm(n, generator=gen)[: min(8, n)]
        cols = torch.randperm(n, generator=gen)[: min(64, n)]
        exact = a_host[rows].double() @ b_host[:, cols].double()
        got = reference[rows.to(device)][:, cols.to(device)].double().cpu()
        ref_diff = (got - exact).abs()
        ref_max_error = float(torch.nan_to_num(ref_diff, nan=math.inf).max())
        reference_ok = bool(torch.isfinite(got).all()) and ref_max_error <= tol["reference"] * scale

        reference32 = reference.float()
        del reference
        # Result buffers: fill the memory budget, like gpu-burn's 90 % of memory.
        buffers = cfg["buffers"]
        if buffers is None:
            if device_kind == "cuda":
                free, _total = torch.cuda.mem_get_info(device)
                per_buffer = n * n * torch.tensor([], dtype=dtype).element_size()
                # Leave room for the comparison's temporaries (a float32 difference and masks).
                compare_temp = n * n * 8
                buffers = int((free * cfg["memory_fraction"] - compare_temp) // per_buffer)
            else:
                buffers = 2
        buffers = max(1, min(buffers, cfg["max_buffers"]))
        results = [torch.empty(n, n, dtype=dtype, device=device) for _ in range(buffers)]
        inject = cfg["inject_fault"] == slot
        out_q.put(("ready", slot, {"name": name, "uuid": uuid, "buffers": buffers,
                                    "reference_ok": reference_ok,
                                    "reference_max_error": ref_max_error}))

        flops_per_matmul = 2.0 * n * n * n
        iterations = errors = mismatched = nonfinite = 0
        max_abs_error = None
        busy_s = 0.0
        last_report = time.monotonic()
        while not stop_event.is_set():
            if os.getppid() != parent_pid:  # the parent died: stop loading the GPU
                return
            t0 = time.perf_counter()
            for out in results:
                torch.matmul(a, b, out=out)
                if stop_event.is_set():
                    break
            else:
                if inject:
                    # TEST HOOK: a few wrong elements in one result of every round.
                    results[0].view(-1)[:: max(1, n * n // 7)] += 1000.0 * scale + 1.0
                bad_counts, max_errors, nonfinite_counts = [], [], []
                for out in results:
                    # For fp32 .float() is the buffer itself: the difference is taken in place
                    # (the next round overwrites it); other types get one float32 temporary.
                    diff = out.float().sub_(reference32).abs_()
                    # "not <=" also counts NaN, which compares false with everything.
                    bad_counts.append(torch.logical_not(diff <= repeat_threshold).sum())
                    nonfinite_counts.append(torch.logical_not(torch.isfinite(diff)).sum())
                    max_errors.append(diff.nan_to_num_(nan=0.0, posinf=0.0, neginf=0.0).max())
                    del diff
                bad = torch.stack(bad_counts).cpu()
                round_max = float(torch.stack(max_errors).max())
                round_nonfinite = int(torch.stack(nonfinite_counts).sum())
                sync()
                busy_s += time.perf_counter() - t0
                iterations += len(results)
                errors += int(bad.sum())
                mismatched += int((bad > 0).sum())
                nonfinite += round_nonfinite
                max_abs_error = round_max if max_abs_error is None else max(max_abs_error, round_max)
            now = time.monotonic()
            if now - last_report >= cfg["report_interval"]:
                last_report = now
                gflops = iterations * flops_per_matmul / busy_s / 1e9 if busy_s > 0 else 0.0
                out_q.put(("progress", slot, {"iterations": iterations, "errors": errors,
                                               "gflops": gflops}))
        gflops = iterations * flops_per_matmul / busy_s / 1e9 if busy_s > 0 else None
        out_q.put(("done", slot, {"iterations": iterations, "errors": errors,
                                   "mismatched_iterations": mismatched, "nonfinite_values": nonfinite,
                                   "max_abs_error": max_abs_error, "gflops": gflops}))
    except BaseException as exc:  # report every failure of the GPU or the code, then end
        out_q.put(("error", slot, {"error": f"{type(exc).__name__}: {exc}",
                                    "traceback": traceback.format_exc()}))


# ---------------------------------------------------------------------------------------------
# Parent: starts the workers, prints progress, stops them, writes the verdict.

def nvidia_smi_uuids():
    """index -> uuid from nvidia-smi (PCI bus order), when CUDA_VISIBLE_DEVICES does not remap."""
    if os.environ.get("CUDA_VISIBLE_DEVICES"):
        return {}
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=index,uuid", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    uuids = {}
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 2 and parts[0].isdigit():
            uuids[int(parts[0])] = parts[1]
    return uuids


def base_document(args):
    doc = {"schema": SCHEMA, "device": args.device, "planned_duration_s": args.duration,
           "matrix_size": args.matrix_size, "dtype": args.dtype}
    if args.inject_fault is not None:
        doc["test_hooks"] = {"inject_fault": args.inject_fault}
    return doc


def finish(args, doc, code):
    if args.json_out:
        vault_result.write_json_atomically(args.json_out, doc, "stress-gpus")
    return code


def run(args):
    try:
        import torch
    except ImportError as exc:
        log(f"torch is not installed for {sys.executable}: {exc}")
        doc = base_document(args)
        doc.update({"gpus": [], "faulty_gpus": 0, "ok": False, "interrupted": False,
                    "error": f"{type(exc).__name__}: {exc}"})
        return finish(args, doc, EXIT_NO_MODULE)

    doc = base_document(args)
    doc["versions"] = {"torch": torch.__version__, "python": platform.python_version()}
    if args.device == "cuda":
        if not torch.cuda.is_available() or torch.cuda.device_count() == 0:
            log("no CUDA device is available (driver, CUDA_VISIBLE_DEVICES or a CPU-only torch); "
                "use --device cpu only for tests")
            doc.update({"gpus": [], "faulty_gpus": 0, "ok": False, "interrupted": False,
                        "error": "no CUDA device available"})
            return finish(args, doc, EXIT_USAGE)
        count = torch.cuda.device_count()
        indices = list(range(count)) if args.gpus is None else [int(i) for i in args.gpus.split(",") if i.strip()]
        bad = [i for i in indices if not 0 <= i < count]
        if bad or not indices:
            log(f"--gpus {args.gpus}: {count} CUDA device(s) visible")
            doc.update({"gpus": [], "faulty_gpus": 0, "ok": False, "interrupted": False,
                        "error": f"invalid --gpus {args.gpus}"})
            return finish(args, doc, EXIT_USAGE)
        if torch.version.cuda:
            doc["versions"]["cuda"] = torch.version.cuda
        smi_uuids = nvidia_smi_uuids()
    else:
        indices = list(range(args.workers))
        smi_uuids = {}
    if args.inject_fault is not None and args.inject_fault not in range(len(indices)):
        log(f"--inject-fault {args.inject_fault}: no such worker")
        return EXIT_USAGE

    cfg = {"dtype": args.dtype, "matrix_size": args.matrix_size, "seed": args.seed,
           "threads": args.threads, "buffers": args.buffers, "max_buffers": args.max_buffers,
           "memory_fraction": args.memory_fraction, "inject_fault": args.inject_fault,
           "report_interval": args.report_interval}
    ctx = multiprocessing.get_context("spawn")  # CUDA cannot be used in forked children
    stop_event = ctx.Event()
    out_q = ctx.Queue()
    state = {"interrupted": False, "signal": None}

    # Children start with SIGINT/SIGTERM ignored (inherited across spawn), so a signal during their
    # start-up cannot kill them half-way; the parent's handlers stop them in order.
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    procs = []
    for slot, device_index in enumerate(indices):
        proc = ctx.Process(target=_worker, name=f"stress-{slot}",
                           args=(slot, args.device, device_index, cfg, stop_event, out_q, os.getpid()))
        proc.start()
        procs.append(proc)

    def on_signal(signum, _frame):
        state["interrupted"] = True
        state["signal"] = signal.Signals(signum).name
        stop_event.set()

    for s in previous:
        signal.signal(s, on_signal)

    gpus = [{"index": device_index if args.device == "cuda" else slot,
             "uuid": smi_uuids.get(device_index) if args.device == "cuda" else None,
             "iterations": 0, "errors": 0, "ok": False, "error": None}
            for slot, device_index in enumerate(indices)]
    ready = [False] * len(procs)
    finished = [False] * len(procs)
    started = time.monotonic()
    load_started = None
    deadline = None
    last_progress = {}
    last_print = time.monotonic()

    def handle(message):
        kind, slot, payload = message
        gpu = gpus[slot]
        if kind == "ready":
            ready[slot] = True
            gpu["name"] = payload["name"]
            if payload["uuid"]:
                gpu["uuid"] = payload["uuid"]
            gpu["buffers"] = payload["buffers"]
            gpu["reference_ok"] = payload["reference_ok"]
            gpu["reference_max_error"] = payload["reference_max_error"]
            log(f"{args.device} {gpu['index']} ({gpu['name']}, {gpu['uuid'] or 'no uuid'}): ready, "
                f"{payload['buffers']} result buffer(s), reference "
                f"{'verified' if payload['reference_ok'] else 'WRONG'} "
                f"(max error {payload['reference_max_error']:.3g})")
        elif kind == "progress":
            last_progress[slot] = payload
        elif kind == "done":
            finished[slot] = True
            gpu.update({k: v for k, v in payload.items() if v is not None})
        elif kind == "error":
            finished[slot] = True
            ready[slot] = True
            gpu["error"] = payload["error"]
            log(f"{args.device} {gpu['index']}: worker FAILED: {payload['error']}\n{payload['traceback']}")

    try:
        while True:
            try:
                handle(out_q.get(timeout=0.25))
            except queue.Empty:
                pass
            now = time.monotonic()
            for slot, proc in enumerate(procs):
                if not finished[slot] and not proc.is_alive() and proc.exitcode is not None:
                    # Drain what it may have sent just before it ended.
                    try:
                        while True:
                            handle(out_q.get_nowait())
                    except queue.Empty:
                        pass
                    if not finished[slot]:
                        finished[slot] = ready[slot] = True
                        gpus[slot]["error"] = f"worker died (exit code {proc.exitcode})"
                        log(f"{args.device} {gpus[slot]['index']}: worker DIED (exit code {proc.exitcode})")
            if load_started is None:
                if all(ready):
                    load_started = last_print = now
                    deadline = now + args.duration
                    log(f"running: {len(procs)} worker(s), {args.dtype}, n={args.matrix_size}, "
                        f"for {args.duration:g} s")
                elif now - started > args.startup_timeout:
                    log(f"workers not ready after {args.startup_timeout:g} s; stopping")
                    for slot in range(len(procs)):
                        if not ready[slot]:
                            gpus[slot]["error"] = "not ready within the start-up timeout"
                    stop_event.set()
                    break
            if state["interrupted"] or (deadline is not None and now >= deadline) or all(finished):
                break
            if load_started is not None and now - last_print >= args.report_interval:
                last_print = now
                parts = []
                for slot, gpu in enumerate(gpus):
                    p = last_progress.get(slot)
                    if p:
                        parts.append(f"{gpu['index']}: {p['iterations']} it {p['gflops']:.0f} Gflop/s "
                                     f"err {p['errors']}{' (FAULTY)' if p['errors'] else ''}")
                    else:
                        parts.append(f"{gpu['index']}: -")
                log(f"{now - load_started:7.1f}/{args.duration:g} s  " + " | ".join(parts))
    finally:
        stop_event.set()
        stop_at = time.monotonic()
        if state["interrupted"]:
            log(f"{state['signal']}: stopping the workers")
        while not all(finished) and time.monotonic() - stop_at < args.stop_grace:
            try:
                handle(out_q.get(timeout=0.25))
            except queue.Empty:
                pass
            for slot, proc in enumerate(procs):
                if not finished[slot] and not proc.is_alive():
                    try:
                        while True:
                            handle(out_q.get_nowait())
                    except queue.Empty:
                        pass
                    if not finished[slot]:
                        finished[slot] = True
                        gpus[slot]["error"] = f"worker died (exit code {proc.exitcode})"
        for slot, proc in enumerate(procs):
            if not finished[slot]:
                gpus[slot]["error"] = f"worker did not stop within {args.stop_grace:g} s (hung); killed"
                log(f"{args.device} {gpus[slot]['index']}: {gpus[slot]['error']}")
                proc.kill()
            proc.join(timeout=10)
        for s, handler in previous.items():
            signal.signal(s, handler)

    ended = time.monotonic()
    faulty = 0
    for gpu in gpus:
        broken = (gpu["errors"] > 0 or gpu.get("reference_ok") is False or gpu["error"] is not None
                  or gpu.get("nonfinite_values", 0) > 0)
        gpu["faulty"] = broken
        gpu["ok"] = not broken and gpu["iterations"] > 0
        faulty += broken
    doc["duration_s"] = round(ended - load_started, 3) if load_started is not None else 0.0
    doc["gpus"] = gpus
    doc["faulty_gpus"] = faulty
    doc["interrupted"] = state["interrupted"]
    doc["ok"] = bool(gpus) and all(g["ok"] for g in gpus) and faulty == 0
    for gpu in gpus:
        verdict = "FAULTY" if gpu["faulty"] else ("OK" if gpu["ok"] else "NOT VERIFIED")
        log(f"{args.device} {gpu['index']}: {verdict}: {gpu['iterations']} result(s) checked, "
            f"{gpu['errors']} wrong element(s), max error {gpu.get('max_abs_error', 'n/a')}"
            + (f", {gpu['error']}" if gpu["error"] else ""))
    if doc["ok"] and state["interrupted"]:
        verdict = "INTERRUPTED before the planned duration, no fault found so far"
    else:
        verdict = "PASSED" if doc["ok"] else "FAILED"
    log(f"{len(gpus)} {args.device} worker(s), {faulty} faulty, {doc['duration_s']:g} of "
        f"{args.duration:g} s under load: {verdict}")
    if faulty:
        code = EXIT_FAULT
    elif state["interrupted"]:
        code = EXIT_INTERRUPTED
    elif not doc["ok"]:
        code = EXIT_FAULT
    else:
        code = EXIT_OK
    return finish(args, doc, code)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
