#!/usr/bin/env python3
"""Independent reference for `brecq analyze`'s accumulated error.

    analysis_reference.py FP.onnx QDQ.onnx INPUT.npy TENSORS.json

FP.onnx is the original model, QDQ.onnx the same model quantized and exported
by `brecq export` / `brecq analyze --export` (QuantizeLinear/DequantizeLinear).
TENSORS.json is a JSON object {layer: tensor} naming each layer's output tensor
(the same name in both models; in the QDQ model the value before any
QuantizeLinear on it). Both models run in ONNX Runtime (graph optimisations
off, so the QDQ model runs as written) on INPUT (float32 [N, ...]) with those
tensors exposed as outputs, and for every layer NumPy computes, in float64
over all elements of all images:

    noise_to_signal_db = 10·log10(‖q − f‖² / ‖f‖²)
    cosine             = ⟨q, f⟩ / (‖q‖·‖f‖)

Prints one JSON object {layer: {"noise_to_signal_db", "cosine"}}.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def fail(message):
    sys.exit(f"analysis_reference: {message}")


def run(path, tensors, x):
    model = onnx.load(path)
    produced = {o for n in model.graph.node for o in n.output}
    exposed = {o.name for o in model.graph.output}
    for name in tensors:
        if name not in produced:
            fail(f"{path} has no tensor {name}")
        if name not in exposed:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    outputs = session.run(tensors, {input_name: x})
    return dict(zip(tensors, outputs))


def main():
    if len(sys.argv) != 5:
        fail("usage: analysis_reference.py FP.onnx QDQ.onnx INPUT.npy TENSORS.json")
    fp_path, qdq_path, input_path, tensors_path = sys.argv[1:]
    x = np.load(input_path).astype(np.float32)
    with open(tensors_path) as f:
        layers = json.load(f)
    tensors = sorted(set(layers.values()))
    fp = run(fp_path, tensors, x)
    qdq = run(qdq_path, tensors, x)
    result = {}
    for layer, tensor in layers.items():
        f = fp[tensor].astype(np.float64).ravel()
        q = qdq[tensor].astype(np.float64).ravel()
        if f.shape != q.shape:
            fail(f"{tensor}: FP shape {fp[tensor].shape}, QDQ shape {qdq[tensor].shape}")
        noise = float(np.sum((q - f) ** 2))
        signal = float(np.sum(f ** 2))
        result[layer] = {
            "noise_to_signal_db": 10 * np.log10(noise / signal) if noise > 0 and signal > 0 else None,
            "cosine": float(np.dot(q, f) / np.sqrt(np.dot(q, q) * np.dot(f, f))),
        }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
