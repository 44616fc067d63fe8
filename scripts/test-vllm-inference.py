#!/usr/bin/env python3
"""test-vllm-inference.py: vLLM smoke test and offline throughput on this machine's GPUs.

1. Smoke: a few fixed prompts, greedy, 16 tokens each; every request must finish with text.
2. Throughput: --num-prompts requests of --input-len random tokens, each generating exactly
   --output-len tokens (ignore_eos), one llm.generate call timed around it; a request that
   returns no tokens or does not finish counts as failed.
Peak GPU memory is sampled through NVML (pynvml, or nvidia-smi when pynvml is missing) every
0.5 s while the engine loads and runs, summed over the GPUs the engine uses; it includes every
process on those GPUs (the baseline before loading is reported beside it).
JSON result: schema vault-vllm/1 (docs/gpu-validation.md); ../shared/reference/gpu-validation.md §4.3 has
reference numbers (calibrate against the golden machine, not these).

  test-vllm-inference.py --model PATH_OR_NAME [--offline] [--num-prompts 64] [--input-len 128]
                         [--output-len 128] [--tensor-parallel-size 1] [--json-out FILE]

--offline sets HF_HUB_OFFLINE=1 and TRANSFORMERS_OFFLINE=1 so nothing is fetched: give a local
model directory (or a name already in the Hugging Face cache). CUDA_DEVICE_ORDER=PCI_BUS_ID.

When vLLM cannot be imported it says so clearly, writes {"smoke_ok": false, "error": "..."}
(no throughput figures: they were not measured) and exits 3.

Exit codes: 0 smoke passed and no request failed; 1 smoke failed, a request failed or the
engine failed; 2 usage error; 3 vLLM cannot be imported.
"""
import os

os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"

import argparse
import platform
import random
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # vault_result beside this script
import vault_result  # noqa: E402

SCHEMA = "vault-vllm/1"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_MODULE = 0, 1, 2, 3
SMOKE_PROMPTS = ["The capital of France is", "def fibonacci(n):", "Water boils at a temperature of"]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="test-vllm-inference.py",
                                description="vLLM smoke test and offline throughput (JSON vault-vllm/1).",
                                epilog="Exit codes: 0 ok, 1 failed, 2 usage, 3 vLLM missing.")
    p.add_argument("--model", required=True, help="local model directory or Hugging Face name")
    p.add_argument("--offline", action="store_true", help="never download: HF_HUB_OFFLINE=1")
    p.add_argument("--num-prompts", type=int, default=64)
    p.add_argument("--input-len", type=int, default=128)
    p.add_argument("--output-len", type=int, default=128)
    p.add_argument("--max-model-len", type=int, default=None, help="default: input + output + 64")
    p.add_argument("--gpu-memory-utilization", type=float, default=0.85)
    p.add_argument("--tensor-parallel-size", type=int, default=1)
    p.add_argument("--dtype", default="auto")
    p.add_argument("--enforce-eager", action="store_true", help="no CUDA graphs (faster start)")
    p.add_argument("--seed", type=int, default=0)
    vault_result.add_json_out_argument(p)
    args = p.parse_args(argv)
    for name in ("num_prompts", "input_len", "output_len", "tensor_parallel_size"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 < args.gpu_memory_utilization <= 1:
        p.error("--gpu-memory-utilization must be in (0, 1]")
    if args.max_model_len is None:
        args.max_model_len = args.input_len + args.output_len + 64
    return args




def log(message):
    print(f"vllm: {message}", flush=True)


def engine_gpu_indices(tp):
    """NVML (PCI order) indices of the GPUs the engine uses: the first tp visible ones."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible:
        ids = [v.strip() for v in visible.split(",") if v.strip()]
        if all(v.isdigit() for v in ids):
            return [int(v) for v in ids[:tp]]
        return None  # UUIDs or MIG ids: not mapped here
    return list(range(tp))


class MemorySampler:
    """Samples used memory (MiB) of the given GPUs in a thread; keeps the peak of their sum."""

    def __init__(self, indices, interval=0.5):
        self.indices, self.interval = indices, interval
        self.peak_mib = self.baseline_mib = None
        self.source = None
        self._stop = threading.Event()
        self._thread = None
        self._read = self._nvml_reader() or self._smi_reader()

    def _nvml_reader(self):
        try:
            import pynvml
            pynvml.nvmlInit()
            handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in self.indices]
        except Exception:
            return None
        self.source = "nvml"
        return lambda: sum(pynvml.nvmlDeviceGetMemoryInfo(h).used for h in handles) / 2**20

    def _smi_reader(self):
        def read():
            out = subprocess.run(["nvidia-smi", "--query-gpu=index,memory.used", "--format=csv,noheader,nounits"],
                                 capture_output=True, text=True, timeout=10, check=True).stdout
            used = {}
            for line in out.splitlines():
                parts = [x.strip() for x in line.split(",")]
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    used[int(parts[0])] = int(parts[1])
            return sum(used[i] for i in self.indices)
        try:
            read()
        except Exception:
            return None
        self.source = "nvidia-smi"
        return read

    def start(self):
        if self._read is None or self.indices is None:
            return self
        self.baseline_mib = self._read()
        self.peak_mib = self.baseline_mib
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.peak_mib = max(self.peak_mib, self._read())
            except Exception:
                pass

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        if self._read is not None and self.indices is not None:
            try:
                self.peak_mib = max(self.peak_mib, self._read())
            except Exception:
                pass


def random_prompts(tokenizer, count, length, seed):
    rng = random.Random(seed)
    special = set(getattr(tokenizer, "all_special_ids", []) or [])
    vocab = [t for t in range(min(tokenizer.vocab_size, 32000)) if t not in special]
    return [{"prompt_token_ids": [rng.choice(vocab) for _ in range(length)]} for _ in range(count)]


def request_ok(output):
    return (bool(getattr(output, "finished", True)) and bool(output.outputs)
            and len(output.outputs[0].token_ids) > 0)


def run(args):
    doc = {"schema": SCHEMA, "model": args.model}
    if args.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        if not os.path.isdir(args.model):
            log(f"--offline with {args.model!r}, which is not a local directory: it must already be "
                "in the Hugging Face cache")

    def finish(code, error=None):
        if error:
            doc["error"] = error
            log(f"FAILED: {error}")
        if args.json_out:
            vault_result.write_json_atomically(args.json_out, doc, "vllm")
        return code

    try:
        import vllm
        from vllm import LLM, SamplingParams
    except Exception as exc:  # ImportError, or a broken install failing inside its import
        doc["smoke_ok"] = False
        log(f"vLLM cannot be imported by {sys.executable}: {type(exc).__name__}: {exc}")
        log("install it in the image (pip install vllm, a build for CUDA >= 12.8 on RTX 5090) and run again")
        return finish(EXIT_NO_MODULE, f"{type(exc).__name__}: {exc}")

    versions = {"vllm": getattr(vllm, "__version__", "unknown"), "python": platform.python_version()}
    try:
        import torch
        versions["torch"] = torch.__version__
    except ImportError:
        pass
    doc["versions"] = versions
    doc.update({"input_len": args.input_len, "output_len": args.output_len,
                "tensor_parallel_size": args.tensor_parallel_size, "offline": args.offline})
    sampler = MemorySampler(engine_gpu_indices(args.tensor_parallel_size)).start()
    try:
        log(f"loading {args.model} (vLLM {versions['vllm']}, tp={args.tensor_parallel_size})")
        llm = LLM(model=args.model, tensor_parallel_size=args.tensor_parallel_size,
                  gpu_memory_utilization=args.gpu_memory_utilization, max_model_len=args.max_model_len,
                  dtype=args.dtype, seed=args.seed, enforce_eager=args.enforce_eager)

        smoke = llm.generate(SMOKE_PROMPTS, SamplingParams(temperature=0.0, max_tokens=16), use_tqdm=False)
        doc["smoke_outputs"] = [o.outputs[0].text if o.outputs else None for o in smoke]
        doc["smoke_ok"] = (len(smoke) == len(SMOKE_PROMPTS)
                           and all(request_ok(o) and o.outputs[0].text.strip() for o in smoke))
        log(f"smoke: {'ok' if doc['smoke_ok'] else 'FAILED'}: {doc['smoke_outputs']!r}")

        prompts = random_prompts(llm.get_tokenizer(), args.num_prompts, args.input_len, args.seed)
        params = SamplingParams(temperature=1.0, top_p=1.0, ignore_eos=True, max_tokens=args.output_len)
        doc["requests"] = len(prompts)
        log(f"throughput: {len(prompts)} requests, {args.input_len} in / {args.output_len} out tokens")
        t0 = time.perf_counter()
        try:
            outputs = llm.generate(prompts, params, use_tqdm=False)
        except Exception as exc:
            doc["failed_requests"] = len(prompts)
            traceback.print_exc()
            return finish(EXIT_FAILED, f"generate failed: {type(exc).__name__}: {exc}")
        elapsed = time.perf_counter() - t0
    except Exception as exc:
        doc.setdefault("smoke_ok", False)
        traceback.print_exc()
        return finish(EXIT_FAILED, f"{type(exc).__name__}: {exc}")
    finally:
        sampler.stop()
        if sampler.peak_mib is not None:
            doc["peak_memory_gib"] = round(sampler.peak_mib / 1024, 3)
            doc["baseline_memory_gib"] = round(sampler.baseline_mib / 1024, 3)
            doc["memory_source"] = sampler.source

    completed = [o for o in outputs if request_ok(o)]
    doc["failed_requests"] = len(prompts) - len(completed)
    output_tokens = sum(len(o.outputs[0].token_ids) for o in completed)
    prompt_tokens = sum(len(o.prompt_token_ids or []) for o in completed)
    doc.update({"elapsed_s": round(elapsed, 4), "output_tokens": output_tokens, "prompt_tokens": prompt_tokens,
                "requests_per_s": len(completed) / elapsed,
                "output_tokens_per_s": output_tokens / elapsed,
                "total_tokens_per_s": (prompt_tokens + output_tokens) / elapsed})
    log(f"{len(completed)}/{len(prompts)} requests in {elapsed:.2f} s: {doc['requests_per_s']:.2f} req/s, "
        f"{doc['output_tokens_per_s']:.1f} output tok/s, {doc['total_tokens_per_s']:.1f} total tok/s, "
        f"peak memory {doc.get('peak_memory_gib', 'n/a')} GiB")
    problems = []
    if not doc["smoke_ok"]:
        problems.append("smoke test failed")
    if doc["failed_requests"]:
        problems.append(f"{doc['failed_requests']} request(s) failed")
    return finish(EXIT_FAILED if problems else EXIT_OK, "; ".join(problems) or None)


def main(argv=None):
    return run(parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
