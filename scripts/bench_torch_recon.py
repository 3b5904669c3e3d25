#!/usr/bin/env python3
"""Times one BRECQ weight-phase reconstruction iteration in PyTorch, with the
same shapes and operations as `brecq bench recon --synthetic`: the first block
of stage 1 (16->16 ch, 28x28) and of stage 3 (32->64 ch, stride 2, 1x1 shortcut,
14x14 -> 7x7) of a ResNet-20 on 28x28x1, batch 32, W4 AdaRound soft-quantized
convs (per-channel grid), channel-summed L2 output loss, rounding regulariser,
Adam on alpha. Prints JSON with iters_per_s per block.

    python3 scripts/bench_torch_recon.py [--iterations 200] [--threads 2]
"""
import argparse, json, time
import torch
import torch.nn.functional as F

ZETA, GAMMA = 1.1, -0.1


class SoftConv:
    def __init__(self, cout, cin, k, stride, bits=4):
        w = torch.randn(cout, cin, k, k) * (2.0 / (cin * k * k)) ** 0.5
        lo = w.flatten(1).min(1).values.clamp(max=0)
        hi = w.flatten(1).max(1).values.clamp(min=0)
        self.n = 2 ** bits - 1
        self.delta = ((hi - lo) / self.n).view(-1, 1, 1, 1)
        self.zero = (-lo.view(-1, 1, 1, 1) / self.delta).round()
        self.floor = torch.floor(w / self.delta)
        rest = w / self.delta - self.floor
        self.alpha = (-torch.log((ZETA - GAMMA) / (rest - GAMMA) - 1)).requires_grad_(True)
        self.stride, self.pad = stride, k // 2
        self.bias = torch.zeros(cout)

    def h(self):
        return torch.clamp(torch.sigmoid(self.alpha) * (ZETA - GAMMA) + GAMMA, 0, 1)

    def __call__(self, x):
        w = (torch.clamp(self.floor + self.h() + self.zero, 0, self.n) - self.zero) * self.delta
        return F.conv2d(x, w, self.bias, stride=self.stride, padding=self.pad)


def block(cin, cout, stride):
    convs = [SoftConv(cout, cin, 3, stride), SoftConv(cout, cout, 3, 1)]
    shortcut = SoftConv(cout, cin, 1, stride) if stride != 1 or cin != cout else None
    def forward(x):
        y = convs[1](F.relu(convs[0](x)))
        return F.relu(y + (shortcut(x) if shortcut else x))
    return forward, convs + ([shortcut] if shortcut else [])


def time_block(cin, cout, stride, size, iterations):
    forward, layers = block(cin, cout, stride)
    inputs = torch.relu(torch.randn(256, cin, size, size))
    with torch.no_grad():
        targets = forward(inputs) + 0.01 * torch.randn_like(forward(inputs))
    opt = torch.optim.Adam([l.alpha for l in layers], lr=1e-3)
    def step():
        idx = torch.randperm(256)[:32]
        opt.zero_grad()
        out = forward(inputs[idx])
        rec = (out - targets[idx]).abs().pow(2).sum(1).mean()
        reg = sum(0.01 * (1 - ((l.h() - 0.5).abs() * 2).pow(10.0)).sum() for l in layers)
        (rec + reg).backward()
        opt.step()
    for _ in range(10):
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    seconds = time.perf_counter() - start
    return {"iters_per_s": round(iterations / seconds, 2), "ms_per_iter": round(1000 * seconds / iterations, 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    print(json.dumps({
        "torch": torch.__version__, "threads": a.threads, "batch": 32, "wbits": 4,
        "stage1_block1": time_block(16, 16, 1, 28, a.iterations),
        "stage3_block1": time_block(32, 64, 2, 14, a.iterations),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
