#!/usr/bin/env python3
"""PyTorch CPU reference for `brecq bench kernels`: same shapes, same FLOP
accounting (fwd+bwd = forward + input grad + weight grad = 3x forward FLOPs),
same statistic (median of repeats after warm-up). For context only; the
project never needs Python to run.

    python3 scripts/bench_torch_conv.py [--repeats 7] [--json]
"""
import argparse
import json
import statistics
import time

import torch

SHAPES = [  # name, batch, channels, size, kernel, stride, groups
    ("conv16", 32, 16, 28, 3, 1, 1),
    ("conv32", 32, 32, 14, 3, 1, 1),
    ("conv64", 32, 64, 7, 3, 1, 1),
    ("depthwise96", 32, 96, 14, 3, 1, 96),
]


def median_seconds(fn, repeats, min_seconds=0.05):
    fn(); fn()
    iterations = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(iterations):
            fn()
        t = time.perf_counter() - t0
        if t >= min_seconds:
            break
        iterations *= 2
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iterations):
            fn()
        samples.append((time.perf_counter() - t0) / iterations)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.manual_seed(0)
    n = 1024
    a, b = torch.randn(n, n), torch.randn(n, n)
    sgemm = 2 * n ** 3 / median_seconds(lambda: torch.mm(a, b), args.repeats) / 1e9
    results = {"torch": torch.__version__, "threads": torch.get_num_threads(), "sgemm_gflops": sgemm, "shapes": []}
    for name, batch, c, size, k, stride, groups in SHAPES:
        conv = torch.nn.Conv2d(c, c, k, stride=stride, padding=k // 2, groups=groups)
        x = torch.randn(batch, c, size, size, requires_grad=True)
        y = conv(x)
        flops = 2 * batch * c * y.shape[2] * y.shape[3] * (c // groups) * k * k
        dy = torch.randn_like(y)
        with torch.no_grad():
            fwd = median_seconds(lambda: conv(x), args.repeats)

        def fwdbwd():
            x.grad = None
            conv.weight.grad = None
            conv.bias.grad = None
            conv(x).backward(dy)

        both = median_seconds(fwdbwd, args.repeats)
        results["shapes"].append({
            "name": name, "fwd_gflops": flops / fwd / 1e9, "fwdbwd_gflops": 3 * flops / both / 1e9,
            "fwd_ratio": flops / fwd / 1e9 / sgemm, "fwdbwd_ratio": 3 * flops / both / 1e9 / sgemm,
        })
    if args.json:
        print(json.dumps(results))
        return
    print(f"torch {results['torch']}, {results['threads']} threads; sgemm 1024^3: {sgemm:.1f} GFLOP/s")
    for s in results["shapes"]:
        print(f"{s['name']:<12} fwd {s['fwd_gflops']:6.1f} ({s['fwd_ratio']:.2f})   "
              f"fwd+bwd {s['fwdbwd_gflops']:6.1f} ({s['fwdbwd_ratio']:.2f})")


if __name__ == "__main__":
    main()
