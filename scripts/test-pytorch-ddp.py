#!/usr/bin/env python3
"""test-pytorch-ddp.py: PyTorch DDP scaling of ResNet-50 on synthetic data.

Measures, with the same script and the same per-device batch, precision, model and image size
(../shared/reference/gpu-validation.md §4.1):
  T_1  training throughput of a separate single-process run (one GPU, or one CPU process),
  T_N  training throughput of an N-process DDP run (NCCL on GPUs, gloo on CPU),
each the median of --repeats timed windows after --warmup-steps steps, timed between
synchronisation points (cuda.synchronize + barrier; the window of a repeat is the slowest rank's,
all_reduce MAX), and reports the weak-scaling efficiency

    E = T_N / (N * T_1)

which is below 1 whenever the N-process run is slower per device than the single run. (A naive
version divides the multi-process per-GPU throughput by itself and always prints 100 %.)

  test-pytorch-ddp.py [--device cuda|cpu] [--nproc N] [--per-device-batch B] [--image-size S]
                      [--warmup-steps W] [--timed-steps T] [--repeats R] [--amp]
                      [--model resnet50] [--json-out FILE]

Tiny CPU configuration for tests (a few seconds per phase on 2 cores):
  --device cpu --nproc 2 --per-device-batch 2 --image-size 32 --warmup-steps 1 --timed-steps 2
  --repeats 3 --num-classes 10

Processes are started with torch.multiprocessing (spawn): no torchrun needed. Rendezvous is a
file store in a fresh temporary directory (no port to pick). CUDA_DEVICE_ORDER=PCI_BUS_ID, so
CUDA index i is nvidia-smi's GPU i. The single-process baseline runs on --single-device
(default 0); the N-process run on devices 0..N-1 (or --devices).

If any worker fails, every worker is stopped, the error is printed, the JSON result has
"ok": false and the error and no scaling_efficiency, and the exit code is 1.

Test hooks (tests only; recorded under "test_hooks" in the JSON):
  --inject-straggler-ms MS  rank N-1 of the N-process run adds MS per timed step to the time it
                            measures (a simulated slow GPU, without sleeping, so the test does not
                            depend on the machine's speed); the efficiency must drop accordingly
  --inject-worker-failure RANK  rank RANK of the N-process run raises an error after start-up

SIGINT/SIGTERM stop the workers, write the JSON result with the error and exit 130; a run
(baseline or multi) that outlives --phase-timeout-s is stopped and fails.

Exit codes: 0 measured; 1 a worker failed, hung past --phase-timeout-s, or the measurement is
unusable; 2 usage error (e.g. more processes than GPUs); 3 torch or torchvision is not
installed; 130 interrupted.
"""
import os

os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"
# NCCL errors and hangs become exceptions (and end the job) instead of blocking forever.
os.environ.setdefault("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1")
os.environ.setdefault("NCCL_ASYNC_ERROR_HANDLING", "1")

import argparse
import json
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # vault_result beside this script
import vault_result  # noqa: E402

SCHEMA = "vault-ddp/1"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_MODULE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def scaling_efficiency(single_median, multi_median, world_size):
    """E = T_N / (N * T_1): the N-process throughput over N times the single-process throughput."""
    if world_size < 1:
        raise ValueError(f"world size must be at least 1, got {world_size}")
    if not single_median > 0 or not multi_median > 0:
        raise ValueError(f"throughputs must be positive: single={single_median}, multi={multi_median}")
    return multi_median / (world_size * single_median)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="test-pytorch-ddp.py",
        description="ResNet-50 DDP scaling: single-process baseline vs N processes (JSON vault-ddp/1).",
        epilog="Exit codes: 0 measured, 1 failed, 2 usage, 3 torch/torchvision missing.")
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    p.add_argument("--nproc", type=int, default=None,
                   help="processes of the multi run (default: all visible GPUs; 2 on cpu)")
    p.add_argument("--devices", default=None, help="cuda: comma-separated indices of the multi run")
    p.add_argument("--single-device", type=int, default=0, help="cuda: index of the single-GPU baseline")
    p.add_argument("--model", default="resnet50", help="torchvision model name (default resnet50)")
    p.add_argument("--num-classes", type=int, default=1000)
    p.add_argument("--per-device-batch", type=int, default=64)
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--warmup-steps", type=int, default=10)
    p.add_argument("--timed-steps", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3, help="timed windows per run, median taken (>= 3)")
    p.add_argument("--amp", action="store_true", help="automatic mixed precision")
    p.add_argument("--amp-dtype", choices=["float16", "bfloat16"], default=None,
                   help="default float16 on cuda (with a grad scaler), bfloat16 on cpu")
    p.add_argument("--channels-last", action="store_true", help="channels_last memory format")
    p.add_argument("--threads-per-process", type=int, default=None,
                   help="cpu: torch threads per process (default: CPUs / nproc; same for the baseline)")
    p.add_argument("--timeout-s", type=float, default=900.0, help="collective timeout in seconds")
    p.add_argument("--phase-timeout-s", type=float, default=7200.0,
                   help="limit for each run (baseline, multi) in seconds; then its workers are stopped")
    p.add_argument("--seed", type=int, default=0)
    vault_result.add_json_out_argument(p)
    p.add_argument("--inject-straggler-ms", type=float, default=0.0, help=argparse.SUPPRESS)
    p.add_argument("--inject-worker-failure", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.repeats < 3:
        p.error("--repeats must be at least 3 (the result is a median)")
    for name in ("per_device_batch", "image_size", "timed_steps", "num_classes"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup_steps < 0:
        p.error("--warmup-steps must not be negative")
    if args.amp_dtype is None:
        args.amp_dtype = "float16" if args.device == "cuda" else "bfloat16"
    return args




def log(message):
    print(f"ddp: {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Worker (one per rank). CPU and CUDA share this code; only the device, backend and sync differ.

def _worker(rank, phase, world_size, device_ids, cfg, store_file, result_file):
    import datetime

    import torch
    import torch.distributed as dist
    import torchvision
    from torch.nn.parallel import DistributedDataParallel

    cuda = cfg["device"] == "cuda"
    if cuda:
        device_index = device_ids[rank]
        device = torch.device("cuda", device_index)
        torch.cuda.set_device(device)
        torch.backends.cudnn.benchmark = True
        major, minor = torch.cuda.get_device_capability(device)
        arch = f"sm_{major}{minor}"
        arch_list = torch.cuda.get_arch_list()
        # Runs natively (sm_XY built in) or through PTX of an older virtual architecture.
        ptx = [a for a in arch_list if a.startswith("compute_") and a[8:].isdigit()
               and int(a[8:]) <= major * 10 + minor]
        if arch not in arch_list and not ptx:
            raise RuntimeError(f"{torch.cuda.get_device_name(device)} is {arch}, which this PyTorch build "
                               f"does not support ({' '.join(torch.cuda.get_arch_list())}); "
                               f"RTX 5090 needs PyTorch >= 2.7 from the cu128 wheels")
        backend = "nccl"
    else:
        device = torch.device("cpu")
        torch.set_num_threads(cfg["threads_per_process"])
        backend = "gloo"

    dist.init_process_group(backend, init_method=f"file://{store_file}", rank=rank,
                            world_size=world_size, timeout=datetime.timedelta(seconds=cfg["timeout_s"]))
    try:
        def sync():
            if cuda:
                torch.cuda.synchronize(device)

        def barrier():
            if cuda:
                dist.barrier(device_ids=[device_index])
            else:
                dist.barrier()

        if phase == "multi" and cfg["inject_worker_failure"] == rank:
            raise RuntimeError(f"TEST HOOK --inject-worker-failure: rank {rank} fails on purpose")

        torch.manual_seed(cfg["seed"] + rank)
        builder = getattr(torchvision.models, cfg["model"])
        model = builder(weights=None, num_classes=cfg["num_classes"]).to(device)
        memory_format = torch.channels_last if cfg["channels_last"] else torch.contiguous_format
        model = model.to(memory_format=memory_format)
        ddp = DistributedDataParallel(model, device_ids=[device_index] if cuda else None)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=0.01, momentum=0.9)
        criterion = torch.nn.CrossEntropyLoss()
        batch, size = cfg["per_device_batch"], cfg["image_size"]
        images = torch.randn(batch, 3, size, size, device=device).to(memory_format=memory_format)
        labels = torch.randint(0, cfg["num_classes"], (batch,), device=device)

        amp_dtype = getattr(torch, cfg["amp_dtype"])
        scaler = None
        if cfg["amp"] and cuda and amp_dtype == torch.float16:
            scaler = (torch.amp.GradScaler("cuda") if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler")
                      else torch.cuda.amp.GradScaler())

        def step():
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=cfg["amp"]):
                loss = criterion(ddp(images), labels)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()

        straggle_s = cfg["inject_straggler_ms"] / 1000.0 if phase == "multi" and rank == world_size - 1 else 0.0
        for _ in range(cfg["warmup_steps"]):
            step()
        sync()
        barrier()

        throughputs, windows = [], []
        for _ in range(cfg["repeats"]):
            sync()
            barrier()
            t0 = time.perf_counter()
            for _ in range(cfg["timed_steps"]):
                step()
            sync()
            # TEST HOOK: rank N-1 reports a window longer by the straggler delay per step.
            measured = time.perf_counter() - t0 + straggle_s * cfg["timed_steps"]
            elapsed = torch.tensor([measured], dtype=torch.float64, device=device)
            # The window of this repeat is the slowest rank's.
            dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
            window = float(elapsed.item())
            windows.append(window)
            throughputs.append(world_size * batch * cfg["timed_steps"] / window)

        if rank == 0:
            result = {"world_size": world_size, "throughputs_samples_per_s": throughputs,
                      "windows_s": windows}
            if cuda:
                result["devices"] = [torch.cuda.get_device_name(i) for i in device_ids[:world_size]]
                result["device_indices"] = list(device_ids[:world_size])
            versions = {"torch": torch.__version__, "torchvision": torchvision.__version__,
                        "python": platform.python_version()}
            if cuda:
                versions["cuda"] = torch.version.cuda
                nccl = torch.cuda.nccl.version()
                versions["nccl"] = ".".join(str(x) for x in nccl) if isinstance(nccl, tuple) else str(nccl)
                if torch.backends.cudnn.version():
                    versions["cudnn"] = str(torch.backends.cudnn.version())
            result["versions"] = versions
            with open(result_file, "w") as f:
                json.dump(result, f)
                f.flush()
                os.fsync(f.fileno())
        barrier()
    except BaseException:
        dist.destroy_process_group()
        raise
    # Every rank is past the last collective and rank 0's result is on disk. Leave without
    # tearing DDP down: torch 1.13's gloo process group can deadlock in its destructor (the main
    # thread holds the GIL while a gloo worker thread needs it to free a tensor), seen here.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


class Interrupted(Exception):
    pass


def _raise_interrupted(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def _stop(processes):
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=10)


def run_phase(phase, world_size, device_ids, cfg, workdir):
    """Runs one phase in fresh processes; returns rank 0's result. Raises if any worker fails,
    if the phase outlives --phase-timeout-s, or on SIGINT/SIGTERM; the workers are stopped."""
    import torch.multiprocessing as mp

    store_file = os.path.join(workdir, f"{phase}.store")
    result_file = os.path.join(workdir, f"{phase}.json")
    context = mp.start_processes(_worker, args=(phase, world_size, device_ids, cfg, store_file, result_file),
                                 nprocs=world_size, join=False, start_method="spawn")
    deadline = time.monotonic() + cfg["phase_timeout_s"]
    try:
        # join() raises as soon as one worker fails, and then terminates the others.
        while not context.join(timeout=1):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {phase} run did not finish within {cfg['phase_timeout_s']:g} s")
    except BaseException:
        _stop(context.processes)
        raise
    if not os.path.exists(result_file):
        raise RuntimeError(f"the {phase} run ended without a result from rank 0")
    with open(result_file) as f:
        return json.load(f)


def summarize(result):
    throughputs = result["throughputs_samples_per_s"]
    return {"world_size": result["world_size"], "throughputs_samples_per_s": throughputs,
            "median_samples_per_s": statistics.median(throughputs)}


def run(args):
    doc = {"schema": SCHEMA, "model": args.model, "device": args.device,
           "backend": "nccl" if args.device == "cuda" else "gloo",
           "per_device_batch": args.per_device_batch, "amp": args.amp, "image_size": args.image_size,
           "warmup_steps": args.warmup_steps, "timed_steps": args.timed_steps, "repeats": args.repeats}
    hooks = {}
    if args.inject_straggler_ms:
        hooks["inject_straggler_ms"] = args.inject_straggler_ms
    if args.inject_worker_failure is not None:
        hooks["inject_worker_failure"] = args.inject_worker_failure
    if hooks:
        doc["test_hooks"] = hooks

    def fail(code, message):
        log(f"FAILED: {message}")
        doc["ok"] = False
        doc["error"] = message
        if args.json_out:
            vault_result.write_json_atomically(args.json_out, doc, "ddp")
        return code

    try:
        import torch
        import torchvision  # noqa: F401  (checked here so that the workers cannot fail on it)
    except ImportError as exc:
        return fail(EXIT_NO_MODULE, f"{type(exc).__name__}: {exc} (python {sys.executable})")
    if not hasattr(torchvision.models, args.model):
        return fail(EXIT_USAGE, f"torchvision has no model {args.model!r}")

    if args.device == "cuda":
        if not torch.cuda.is_available():
            return fail(EXIT_USAGE, "CUDA is not available (no driver or GPU, or a CPU-only torch build)")
        count = torch.cuda.device_count()
        device_ids = ([int(i) for i in args.devices.split(",") if i.strip()] if args.devices
                      else list(range(args.nproc if args.nproc else count)))
        nproc = args.nproc or len(device_ids)
        if nproc < 1 or len(device_ids) < nproc or any(not 0 <= i < count for i in device_ids + [args.single_device]):
            return fail(EXIT_USAGE, f"{nproc} process(es) on devices {device_ids} (baseline "
                                    f"{args.single_device}) but {count} CUDA device(s) visible")
        device_ids = device_ids[:nproc]
        single_ids = [args.single_device]
        threads = None
    else:
        nproc = args.nproc or 2
        if nproc < 1:
            return fail(EXIT_USAGE, "--nproc must be at least 1")
        device_ids = single_ids = None
        threads = args.threads_per_process or max(1, (os.cpu_count() or 1) // nproc)
        doc["threads_per_process"] = threads
    if args.inject_worker_failure is not None and not 0 <= args.inject_worker_failure < nproc:
        return fail(EXIT_USAGE, f"--inject-worker-failure {args.inject_worker_failure}: no such rank")
    doc["world_size"] = nproc
    if args.amp:
        doc["amp_dtype"] = args.amp_dtype
    doc["channels_last"] = args.channels_last

    cfg = {"device": args.device, "model": args.model, "num_classes": args.num_classes,
           "per_device_batch": args.per_device_batch, "image_size": args.image_size,
           "warmup_steps": args.warmup_steps, "timed_steps": args.timed_steps, "repeats": args.repeats,
           "amp": args.amp, "amp_dtype": args.amp_dtype, "channels_last": args.channels_last,
           "threads_per_process": threads, "timeout_s": args.timeout_s, "seed": args.seed,
           "phase_timeout_s": args.phase_timeout_s,
           "inject_straggler_ms": args.inject_straggler_ms,
           "inject_worker_failure": args.inject_worker_failure}
    workdir = tempfile.mkdtemp(prefix="vault-ddp-")
    try:
        log(f"single-process baseline: {args.model}, {args.device}, batch {args.per_device_batch}, "
            f"{args.image_size}px, amp={args.amp}, {args.warmup_steps} warm-up + {args.repeats} x "
            f"{args.timed_steps} timed steps")
        try:
            single_raw = run_phase("single", 1, single_ids, cfg, workdir)
        except Interrupted as exc:
            return fail(EXIT_INTERRUPTED, f"interrupted by {exc} during the single-process run")
        except Exception as exc:  # the worker's traceback was printed by torch.multiprocessing
            return fail(EXIT_FAILED, f"single-process run failed: {type(exc).__name__}: {exc}")
        single = summarize(single_raw)
        log(f"single: {', '.join(f'{t:.2f}' for t in single['throughputs_samples_per_s'])} samples/s, "
            f"median {single['median_samples_per_s']:.2f}")
        log(f"{nproc}-process run ({doc['backend']})")
        try:
            multi_raw = run_phase("multi", nproc, device_ids, cfg, workdir)
        except Interrupted as exc:
            doc["single"] = single
            return fail(EXIT_INTERRUPTED, f"interrupted by {exc} during the {nproc}-process run")
        except Exception as exc:
            doc["single"] = single
            return fail(EXIT_FAILED, f"{nproc}-process run failed: {type(exc).__name__}: {exc}")
        multi = summarize(multi_raw)
        log(f"multi:  {', '.join(f'{t:.2f}' for t in multi['throughputs_samples_per_s'])} samples/s, "
            f"median {multi['median_samples_per_s']:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    try:
        efficiency = scaling_efficiency(single["median_samples_per_s"], multi["median_samples_per_s"], nproc)
    except ValueError as exc:
        doc.update({"single": single, "multi": multi})
        return fail(EXIT_FAILED, str(exc))
    if args.device == "cuda":
        single["device_indices"] = single_raw.get("device_indices")
        multi["device_indices"] = multi_raw.get("device_indices")
        doc["devices"] = multi_raw.get("devices")
    doc.update({"single": single, "multi": multi, "scaling_efficiency": efficiency,
                "versions": multi_raw["versions"], "ok": True})
    log(f"scaling efficiency = {multi['median_samples_per_s']:.2f} / ({nproc} x "
        f"{single['median_samples_per_s']:.2f}) = {efficiency:.4f}")
    if args.json_out:
        vault_result.write_json_atomically(args.json_out, doc, "ddp")
    return EXIT_OK


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_interrupted)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
