#!/usr/bin/env python3
"""Checks a model written by `brecq export` against ONNX and ONNX Runtime.

    check_export.py MODEL.onnx ENCODINGS.json INPUT.npy OUTPUT.npy [--optimized OUTPUT_OPT.npy]

1. onnx.checker.check_model(full_check=True) (with shape inference);
2. the QDQ layout against the encodings: every layer's weight is an int8 (or
   int32, see docs/export.md) initializer whose values minus the recorded
   offsets are b-bit levels 0..2^b-1, whose zero points plus the offsets are
   the encodings' zero points, scales equal; every activation quantizer has
   its QuantizeLinear/DequantizeLinear pair (and Clip when recorded);
3. runs INPUT (float32 [N, ...]) through ONNX Runtime with graph
   optimisations off (the model as written) and saves the logits to OUTPUT;
   with --optimized also with all optimisations on (ORT may then fuse QDQ
   into integer kernels) and saves those.
Prints one JSON object: {"checker": "ok", "layers", "activations", "ops"}.
Exits non-zero with a message on the first failed check.
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper
import onnxruntime as ort


def fail(message):
    sys.exit(f"check_export: {message}")


def check_layout(model, encodings):
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    nodes_by_output = {o: n for n in model.graph.node for o in n.output}
    for layer in encodings["layers"]:
        w = layer["onnx_weight"]
        dq = nodes_by_output.get(w)
        if dq is None or dq.op_type != "DequantizeLinear":
            fail(f"layer {layer['name']}: {w} is not produced by DequantizeLinear")
        q, scale, zp = (inits[name] for name in dq.input)
        storage = layer["onnx_storage"]
        if q.dtype != np.dtype(storage) or zp.dtype != np.dtype(storage):
            fail(f"layer {layer['name']}: stored as {q.dtype}/{zp.dtype}, encodings say {storage}")
        channels = q.shape[0]
        offsets = np.array(layer["onnx_offsets"], np.int64).reshape((channels,) + (1,) * (q.ndim - 1))
        levels = q.astype(np.int64) + offsets
        top = 2 ** layer["bits"] - 1
        if levels.min() < 0 or levels.max() > top:
            fail(f"layer {layer['name']}: levels outside 0..{top}")
        if storage == "int8" and not np.array_equal(zp.astype(np.int64) + offsets.reshape(-1),
                                                    np.array(layer["zero_points"], np.int64)):
            fail(f"layer {layer['name']}: zero points differ from the encodings")
        if not np.array_equal(scale, np.array(layer["scales"], np.float32)):
            fail(f"layer {layer['name']}: scales differ from the encodings")
        attrs = {a.name: a.i for a in dq.attribute}
        if attrs.get("axis", 1) != 0:
            fail(f"layer {layer['name']}: DequantizeLinear axis is not 0")
    for a in encodings["activations"]:
        dq = nodes_by_output.get(a["tensor"] + "_dequantized")
        if dq is None:
            fail(f"activation {a['tensor']}: no dequantized output")
        if a["onnx_form"] == "qdq":
            q = nodes_by_output.get(dq.input[0])
            if dq.op_type != "DequantizeLinear" or q is None or q.op_type != "QuantizeLinear":
                fail(f"activation {a['tensor']}: not a QuantizeLinear/DequantizeLinear pair")
            if inits[q.input[2]].dtype != np.dtype(a["onnx_type"]):
                fail(f"activation {a['tensor']}: zero point type {inits[q.input[2]].dtype}, encodings say {a['onnx_type']}")
            has_clip = nodes_by_output.get(q.input[0]) is not None and nodes_by_output[q.input[0]].op_type == "Clip" \
                and q.input[0] == a["tensor"] + "_clipped"
            if has_clip != (a.get("onnx_clip") is not None):
                fail(f"activation {a['tensor']}: Clip presence differs from the encodings")


def session(path, optimized):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimized
                                        else ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def main(argv):
    if len(argv) not in (4, 6) or (len(argv) == 6 and argv[4] != "--optimized"):
        fail(__doc__)
    model_path, encodings_path, input_path, output_path = argv[:4]
    model = onnx.load(model_path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # the checker raises several types
        fail(f"onnx.checker: {error}")
    with open(encodings_path) as f:
        encodings = json.load(f)
    check_layout(model, encodings)
    x = np.load(input_path).astype(np.float32)

    def run(sess):
        # Batches of 500 keep memory modest on 10 000 images.
        name = sess.get_inputs()[0].name
        return np.concatenate([sess.run(None, {name: x[i:i + 500]})[0] for i in range(0, len(x), 500)])

    np.save(output_path, run(session(model_path, optimized=False)))
    if len(argv) == 6:
        np.save(argv[5], run(session(model_path, optimized=True)))
    ops = {}
    for n in model.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    print(json.dumps({"checker": "ok", "opset": model.opset_import[0].version, "layers": len(encodings["layers"]),
                      "activations": len(encodings["activations"]), "ops": ops}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
