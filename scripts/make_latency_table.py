#!/usr/bin/env python3
"""Write a latency lookup table (µs per conv/linear layer and weight bit width)
for `brecq search --latency-table`, from a model's layer names and shapes.

The numbers come from an analytic cost model of a hypothetical bit-flexible
accelerator, not from a measurement; they exist so that the latency budget has
a realistic shape (compute-bound layers scale with bits, memory-bound ones
less). With real hardware, measure each layer at each bit width and write the
same JSON format (docs/mixed-precision.md).

Model (Bit Fusion style: 2-bit "bricks" fused into wider multipliers):
    bricks(w, a)  = ceil(w/2) * ceil(a/2)         brick operations per MAC
    compute_us    = MACs * bricks / (BRICKS_PER_CYCLE * CLOCK_MHZ)
    memory_us     = (weights*w/8 + inputs*a/8 + outputs*8/8) bytes / BYTES_PER_US
    latency_us    = max(compute_us, memory_us) + OVERHEAD_US
Activation bits a: 8 for the first layer (the image) and the classifier's input,
--abits for every other layer (as a W*A4 run places them).

    scripts/make_latency_table.py Examples/fashion-resnet20/model.onnx -o Examples/latency-table.json
    scripts/make_latency_table.py --architecture resnet20 -o Examples/latency-table.json

`--architecture` builds the untrained network of Examples/train.py and exports
it to ONNX in memory: node names and shapes are those of the trained export,
so the table can be made before training has finished.
"""
import argparse, io, json, math, os, sys

import onnx
from onnx import shape_inference

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRICKS_PER_CYCLE = 512      # 2-bit x 2-bit multipliers
CLOCK_MHZ = 500
BYTES_PER_US = 4_000        # 4 GB/s
OVERHEAD_US = 1.0           # launch/synchronisation per layer


def untrained_export(architecture):
    sys.path.insert(0, os.path.join(ROOT, "Examples"))
    import torch
    import train  # Examples/train.py: the architectures of the bundled examples
    model = train.ResNet20() if architecture == "resnet20" else train.MobileNetV2()
    model.eval()
    buffer = io.BytesIO()
    torch.onnx.export(model, (torch.zeros(1, 1, 28, 28),), buffer, dynamo=False, opset_version=17,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    return onnx.load_from_string(buffer.getvalue())


def dims(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


def layers(model):
    """(name, weights, macs, input elements, output elements) per Conv/Gemm, in order,
    named as brecq's importer names nodes (the ONNX name, or OpType_index)."""
    model = shape_inference.infer_shapes(model)
    g = model.graph
    shapes = {v.name: dims(v) for v in list(g.value_info) + list(g.input) + list(g.output)}
    inits = {t.name: list(t.dims) for t in g.initializer}
    out = []
    for index, node in enumerate(g.node):
        if node.op_type not in ("Conv", "Gemm"):
            continue
        name = node.name or f"{node.op_type}_{index}"
        w = inits[node.input[1]]
        weights = math.prod(w)
        x = shapes[node.input[0]][1:]
        y = shapes[node.output[0]][1:]
        if node.op_type == "Conv":
            macs = math.prod(y) * math.prod(w[1:])      # out elements x (Cin/groups * kh * kw)
        else:
            macs = weights
        out.append((name, weights, macs, math.prod(x), math.prod(y)))
    return out


def latency(weights, macs, inputs, outputs, w, a):
    bricks = math.ceil(w / 2) * math.ceil(a / 2)
    compute = macs * bricks / (BRICKS_PER_CYCLE * CLOCK_MHZ)
    memory = (weights * w / 8 + inputs * a / 8 + outputs) / BYTES_PER_US
    return round(max(compute, memory) + OVERHEAD_US, 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?", help="ONNX model (default: --architecture)")
    ap.add_argument("--architecture", choices=["resnet20", "mobilenetv2"], help="untrained network of Examples/train.py")
    ap.add_argument("--abits", type=int, default=4)
    ap.add_argument("--bits", default="2,4,8")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.model:
        model, origin = onnx.load(args.model), os.path.relpath(args.model, ROOT)
    elif args.architecture:
        model, origin = untrained_export(args.architecture), f"Examples/train.py {args.architecture} (untrained export)"
    else:
        ap.error("give a model or --architecture")
    found = layers(model)
    bits = [int(b) for b in args.bits.split(",")]
    table = {}
    for k, (name, weights, macs, inputs, outputs) in enumerate(found):
        a = 8 if k == 0 or k == len(found) - 1 else args.abits
        table[name] = {str(b): latency(weights, macs, inputs, outputs, b, a) for b in bits}
    doc = {"unit": "us", "activation_bits": args.abits,
           "source": (f"analytic model, not measured: scripts/make_latency_table.py on {origin}; "
                      f"Bit Fusion style 2-bit bricks, {BRICKS_PER_CYCLE} bricks/cycle at {CLOCK_MHZ} MHz, "
                      f"{BYTES_PER_US // 1000} GB/s, {OVERHEAD_US} us per layer"),
           "layers": table}
    with open(args.output, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"wrote {args.output}: {len(table)} layers x {bits} bits")


if __name__ == "__main__":
    main()
