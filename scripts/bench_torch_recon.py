#!/usr/bin/env python3
"""Times one BRECQ weight-phase reconstruction iteration in PyTorch, with the
same shapes and operations as `brecq bench recon --synthetic`: the first block
of stage 1 (16->16 ch, 28x28) and of stage 3 (32->64 ch, stride 2, 1x1 shortcut,
14x14 -> 7x7) of a ResNet-20 on 28x28x1, batch 32, W4 AdaRound soft-quantized
convs (per-channel grid), channel-summed L2 output loss, rounding regulariser,
Adam on alpha. Prints JSON with iters_per_s per block.

With --model M.onnx --unit NAME it times instead one unit of any model, the
counterpart of `brecq bench recon --model M.onnx --unit NAME`: the unit's input
and output tensors come from `brecq inspect --json`, its nodes are the ONNX
nodes between them (BatchNormalization folded into the convolution before it,
as brecq's importer does), built in torch from the ONNX initializers; the
input is random with the shape ONNX shape inference gives that tensor, two
batches of samples as brecq's unit mode takes.

    python3 scripts/bench_torch_recon.py [--iterations 200] [--threads 2]
    python3 scripts/bench_torch_recon.py --model M.onnx --unit block1 [--batch-size 32] [--brecq .build/release/brecq]
"""
import argparse, json, subprocess, time
import numpy as np
import torch
import torch.nn.functional as F

ZETA, GAMMA = 1.1, -0.1


class SoftConv:
    def __init__(self, cout, cin, k, stride, bits=4, weight=None, bias=None, groups=1, pads=None, dilation=1):
        w = torch.randn(cout, cin, k, k) * (2.0 / (cin * k * k)) ** 0.5 if weight is None else weight
        lo = w.flatten(1).min(1).values.clamp(max=0)
        hi = w.flatten(1).max(1).values.clamp(min=0)
        self.n = 2 ** bits - 1
        self.delta = ((hi - lo) / self.n).view(-1, 1, 1, 1)
        self.zero = (-lo.view(-1, 1, 1, 1) / self.delta).round()
        self.floor = torch.floor(w / self.delta)
        rest = w / self.delta - self.floor
        self.alpha = (-torch.log((ZETA - GAMMA) / (rest - GAMMA) - 1)).requires_grad_(True)
        self.stride, self.pad = stride, k // 2 if pads is None else pads
        self.bias = torch.zeros(cout) if bias is None else bias
        self.groups, self.dilation, self.linear = groups, dilation, False

    def h(self):
        return torch.clamp(torch.sigmoid(self.alpha) * (ZETA - GAMMA) + GAMMA, 0, 1)

    def __call__(self, x):
        w = (torch.clamp(self.floor + self.h() + self.zero, 0, self.n) - self.zero) * self.delta
        if self.linear:
            return F.linear(x, w.flatten(1), self.bias)
        return F.conv2d(x, w, self.bias, stride=self.stride, padding=self.pad, dilation=self.dilation, groups=self.groups)


def block(cin, cout, stride):
    convs = [SoftConv(cout, cin, 3, stride), SoftConv(cout, cout, 3, 1)]
    shortcut = SoftConv(cout, cin, 1, stride) if stride != 1 or cin != cout else None
    def forward(x):
        y = convs[1](F.relu(convs[0](x)))
        return F.relu(y + (shortcut(x) if shortcut else x))
    return forward, convs + ([shortcut] if shortcut else [])


def time_block(cin, cout, stride, size, iterations):
    forward, layers = block(cin, cout, stride)
    return time_unit(forward, layers, torch.relu(torch.randn(256, cin, size, size)), 32, iterations)


def time_unit(forward, layers, inputs, batch, iterations, warmup=10):
    samples = inputs.shape[0]
    with torch.no_grad():
        targets = forward(inputs) + 0.01 * torch.randn_like(forward(inputs))
    opt = torch.optim.Adam([l.alpha for l in layers], lr=1e-3)
    def step():
        idx = torch.randperm(samples)[:batch]
        opt.zero_grad()
        out = forward(inputs[idx])
        rec = (out - targets[idx]).abs().pow(2).sum(1).mean()
        reg = sum(0.01 * (1 - ((l.h() - 0.5).abs() * 2).pow(10.0)).sum() for l in layers)
        (rec + reg).backward()
        opt.step()
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    seconds = time.perf_counter() - start
    return {"iters_per_s": round(iterations / seconds, 2), "ms_per_iter": round(1000 * seconds / iterations, 3)}


def unit_nodes(graph, start, end):
    """The nodes computing `end` from `start` (and initializers/constants), in the file's order."""
    producer = {o: n for n in graph.node for o in n.output}
    needed, stack = set(), [end]
    while stack:
        t = stack.pop()
        if t == start or t not in producer or id(producer[t]) in needed:
            continue
        needed.add(id(producer[t]))
        stack.extend(i for i in producer[t].input if i)
    return [n for n in graph.node if id(n) in needed]


def build_unit(model_path, start, end):
    """A torch forward for the ONNX nodes between `start` and `end`, and its AdaRound layers."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(model_path)
    graph = model.graph
    consts = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant":
            consts[n.output[0]] = torch.from_numpy(numpy_helper.to_array(n.attribute[0].t).copy())
    attrs = lambda n: {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
    nodes = [n for n in unit_nodes(graph, start, end) if n.op_type != "Constant"]
    layers, program, convs = [], [], {}
    for n in nodes:
        a = attrs(n)
        if n.op_type in ("Conv", "Gemm"):
            w = consts[n.input[1]].float()
            b = consts[n.input[2]].float() if len(n.input) > 2 and n.input[2] else torch.zeros(w.shape[0])
            convs[n.output[0]] = [n, w, b, a]
            program.append(["layer", n.output[0], n.input[0]])
        elif n.op_type == "BatchNormalization" and n.input[0] in convs:
            gamma, beta, mean, var = (consts[i].float() for i in n.input[1:5])
            scale = gamma / torch.sqrt(var + a.get("epsilon", 1e-5))
            c = convs.pop(n.input[0])
            c[1] = c[1] * scale.view(-1, *([1] * (c[1].dim() - 1)))
            c[2] = (c[2] - mean) * scale + beta
            convs[n.output[0]] = c
            next(p for p in program if p[1] == n.input[0])[1] = n.output[0]
        else:
            program.append(["op", n])
    for key, (n, w, b, a) in convs.items():
        if n.op_type == "Gemm":
            if a.get("transB", 0) == 0:
                w = w.t().contiguous()
            layer = SoftConv(w.shape[0], w.shape[1], 1, 1, weight=w.view(w.shape[0], w.shape[1], 1, 1), bias=b)
            layer.linear = True
        else:
            pads = a.get("pads", [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3], "asymmetric padding"
            layer = SoftConv(w.shape[0], w.shape[1], w.shape[2], a.get("strides", [1, 1])[0], weight=w, bias=b,
                             groups=a.get("group", 1), pads=(pads[0], pads[1]), dilation=a.get("dilations", [1, 1])[0])
        layers.append(layer)
        next(p for p in program if p[0] == "layer" and p[1] == key).append(layer)

    def run(n, env):
        x = [env[i] if i in env else consts.get(i) for i in n.input]
        a, op = attrs(n), n.op_type
        if op == "Relu": return F.relu(x[0])
        if op == "Clip":
            lo = float(x[1]) if len(x) > 1 and x[1] is not None else a.get("min", -float("inf"))
            hi = float(x[2]) if len(x) > 2 and x[2] is not None else a.get("max", float("inf"))
            return torch.clamp(x[0], lo, hi)
        if op == "Add": return x[0] + x[1]
        if op == "Sub": return x[0] - x[1]
        if op == "Mul": return x[0] * x[1]
        if op == "Div": return x[0] / x[1]
        if op == "HardSwish": return F.hardswish(x[0])
        if op == "HardSigmoid": return torch.clamp(x[0] * a.get("alpha", 0.2) + a.get("beta", 0.5), 0, 1)
        if op == "Sigmoid": return torch.sigmoid(x[0])
        if op == "GlobalAveragePool": return x[0].mean((2, 3), keepdim=True)
        if op == "Flatten": return x[0].flatten(a.get("axis", 1))
        if op in ("MaxPool", "AveragePool"):
            k, s, p = a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0])
            f = F.max_pool2d if op == "MaxPool" else F.avg_pool2d
            return f(x[0], k, s, (p[0], p[1]), ceil_mode=bool(a.get("ceil_mode", 0)))
        raise SystemExit(f"operator {op} ({n.name}) is not supported by this script")

    def forward(x):
        env = {start: x}
        for p in program:
            if p[0] == "layer":
                env[p[1]] = p[3](env[p[2]])
            else:
                env[p[1].output[0]] = run(p[1], env)
        return env[end]

    inferred = onnx.shape_inference.infer_shapes(model).graph
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.value_info) + list(inferred.input) + list(inferred.output)}
    return forward, layers, shapes[start][1:]


def time_model_unit(a):
    brecq = subprocess.run([a.brecq, "inspect", "--json", "--granularity", a.granularity, "--model", a.model],
                           check=True, capture_output=True, text=True).stdout
    units = {u["name"]: u for u in json.loads(brecq)["units"]}
    if a.unit not in units:
        raise SystemExit(f"no unit '{a.unit}' in {a.model}; units: {', '.join(units)}")
    u = units[a.unit]
    forward, layers, sample = build_unit(a.model, u["input"], u["output"])
    inputs = torch.relu(torch.randn(2 * a.batch_size, *sample))
    result = time_unit(forward, layers, inputs, a.batch_size, a.iterations, a.warmup)
    result.update(block=a.unit, input_shape=sample, layers=len(layers))
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=10, help="untimed iterations first (with --unit)")
    ap.add_argument("--model", help="ONNX model: time --unit of it instead of the ResNet-20 blocks")
    ap.add_argument("--unit", help="unit name as `brecq inspect` prints it")
    ap.add_argument("--granularity", default="block")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--brecq", default=".build/release/brecq", help="brecq binary (for the unit's tensors)")
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    if a.model or a.unit:
        if not (a.model and a.unit):
            ap.error("--model and --unit go together")
        print(json.dumps({"torch": torch.__version__, "threads": a.threads, "batch": a.batch_size, "wbits": 4,
                          "model": a.model, "iterations": a.iterations, "unit": time_model_unit(a)}, sort_keys=True))
        return
    print(json.dumps({
        "torch": torch.__version__, "threads": a.threads, "batch": 32, "wbits": 4,
        "stage1_block1": time_block(16, 16, 1, 28, a.iterations),
        "stage3_block1": time_block(32, 64, 2, 14, a.iterations),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
