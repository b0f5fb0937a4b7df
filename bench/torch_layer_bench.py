#!/usr/bin/python3
"""PyTorch peer of `./doppel bench layers`: forward + backward of single layers at GAN-like sizes.

Run with Debian's Python, which has python3-torch 1.13 (the `python3` on PATH does not):

    /usr/bin/python3 bench/torch_layer_bench.py --cases batchnorm2d_b64_32x32x128 --iters 10 --warmup 2

`./doppel bench layers --peer` runs it and prints the ratio per case. It is a benchmark, never a
runtime dependency of Doppel, and CI does not run it.

CASES mirrors the table in src/Doppel.Cli/Commands/Bench/LayerBenchmark.cs: the same names, the
input shape here in PyTorch's native NCHW (contiguous, as a PyTorch DCGAN runs), there NHWC. One
pass, as on the C# side: module in training mode, x.grad and the parameters' grads cleared,
y = module(x) with x requiring grad, y.backward(g) for a fixed random g of y's shape. Two
threads (torch.set_num_threads(2)). The LAST line printed is `cases=<n> <case>=<ms> ...`, the
median milliseconds of forward + backward per case.
"""
import argparse
import statistics
import sys
import time

import torch
import torch.nn as nn

# name -> (module factory, NCHW input shape)
CASES = {
    "batchnorm2d_b64_32x32x128": (lambda: nn.BatchNorm2d(128), (64, 128, 32, 32)),
    "batchnorm2d_b64_16x16x256": (lambda: nn.BatchNorm2d(256), (64, 256, 16, 16)),
    "batchnorm2d_b64_8x8x512": (lambda: nn.BatchNorm2d(512), (64, 512, 8, 8)),
}


def time_case(name, iters, warmup):
    factory, shape = CASES[name]
    torch.manual_seed(1)
    module = factory().train()
    x = torch.randn(shape, requires_grad=True)
    with torch.no_grad():
        g = torch.randn(module(x).shape)
    forward, total = [], []
    for i in range(warmup + iters):
        module.zero_grad(set_to_none=True)
        x.grad = None
        start = time.perf_counter()
        y = module(x)
        mid = time.perf_counter()
        y.backward(g)
        end = time.perf_counter()
        if i >= warmup:
            forward.append((mid - start) * 1e3)
            total.append((end - start) * 1e3)
    return statistics.median(forward), statistics.median(total), min(total)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(2)
    names = [n for n in args.cases.split(",") if n]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print(f"unknown cases: {', '.join(unknown)} (known: {', '.join(CASES)})", file=sys.stderr)
        return 2
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.warmup} warm-up + {args.iters} timed passes")
    fields = [f"cases={len(names)}"]
    for name in names:
        fwd, tot, best = time_case(name, args.iters, args.warmup)
        print(f"{name:28} forward {fwd:8.2f} ms, forward+backward {tot:8.2f} ms (best {best:8.2f})")
        fields.append(f"{name}={tot:.3f}")
    print(" ".join(fields))
    return 0


if __name__ == "__main__":
    sys.exit(main())
