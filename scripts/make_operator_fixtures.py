#!/usr/bin/env python3
"""Generate ONNX fixtures for operators torch is not needed to build, with
onnx.helper (torch is not a dependency of the test suite):

    tiny_normalise.onnx  Sub and Div by constants, as torchvision and PaddleOCR
                         exports normalise inputs: per-channel (x - mean) / std
                         on the input, a per-channel Sub after a Conv (folds into
                         its bias), scalar Div and Sub after a Relu.
    tiny_pad.onnx        zero Pad before Convs (asymmetric bottom/right before a
                         stride-2 Conv, as TensorFlow-style "same" exports do; a
                         symmetric one before a second Conv), folded into the
                         Convs' padding at import.
    pad_before_maxpool.onnx  a zero Pad read by a MaxPool: refused at import
                         (zero padding is not MaxPool's -inf padding).

NetworkTests compare the executor with ONNX Runtime on random inputs.
Rerun after changing:  python3 scripts/make_operator_fixtures.py
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures")


def tiny_normalise():
    rng = np.random.default_rng(18)
    init = [
        numpy_helper.from_array(np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1), "mean"),
        numpy_helper.from_array(np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1), "std"),
        numpy_helper.from_array(rng.normal(0, 0.3, (4, 3, 3, 3)).astype(np.float32), "conv.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (4,)).astype(np.float32), "conv.bias"),
        numpy_helper.from_array(rng.normal(0, 0.2, (1, 4, 1, 1)).astype(np.float32), "shift"),
        numpy_helper.from_array(np.array(2.5, np.float32), "two_and_a_half"),
        numpy_helper.from_array(np.array(0.1, np.float32), "tenth"),
        numpy_helper.from_array(rng.normal(0, 0.5, (5, 4)).astype(np.float32), "fc.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (5,)).astype(np.float32), "fc.bias"),
    ]
    nodes = [
        helper.make_node("Sub", ["input", "mean"], ["centred"], name="normalise_sub"),
        helper.make_node("Div", ["centred", "std"], ["normalised"], name="normalise_div"),
        helper.make_node("Conv", ["normalised", "conv.weight", "conv.bias"], ["conv"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Sub", ["conv", "shift"], ["shifted"], name="shift_sub"),
        helper.make_node("Relu", ["shifted"], ["relu"], name="relu"),
        helper.make_node("Div", ["relu", "two_and_a_half"], ["halved"], name="scalar_div"),
        helper.make_node("Sub", ["halved", "tenth"], ["lowered"], name="scalar_sub"),
        helper.make_node("GlobalAveragePool", ["lowered"], ["pooled"], name="pool"),
        helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["output"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "tiny_normalise",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 5])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "tiny_normalise.onnx"))
    save_gradient_reference({t.name: numpy_helper.to_array(t).astype(np.float64) for t in init}, rng)


def forward_backward(p, x, r):
    """The network in float64 NumPy: logits and the gradient of sum(r * logits) with respect to x."""
    n = (x - p["mean"]) / p["std"]
    padded = np.pad(n, ((0, 0), (0, 0), (1, 1), (1, 1)))
    w = p["conv.weight"]
    conv = np.zeros((x.shape[0], 4, 8, 8)) + p["conv.bias"].reshape(1, 4, 1, 1)
    for ki in range(3):
        for kj in range(3):
            conv += np.einsum("bchw,oc->bohw", padded[:, :, ki:ki + 8, kj:kj + 8], w[:, :, ki, kj])
    s = conv - p["shift"]
    h = np.maximum(s, 0) / p["two_and_a_half"] - p["tenth"]
    logits = h.mean(axis=(2, 3)) @ p["fc.weight"].T + p["fc.bias"]
    ds = (r @ p["fc.weight"])[:, :, None, None] / 64.0 / p["two_and_a_half"] * (s > 0)
    dpadded = np.zeros_like(padded)
    for ki in range(3):
        for kj in range(3):
            dpadded[:, :, ki:ki + 8, kj:kj + 8] += np.einsum("bohw,oc->bchw", ds, w[:, :, ki, kj])
    return logits, dpadded[:, :, 1:-1, 1:-1] / p["std"]


def save_gradient_reference(p, rng):
    """input, output-weights r and input-gradient for ExecutorGradientTests; the analytic gradient is
    checked here against central finite differences in float64 before it is saved."""
    x = rng.uniform(0, 1, (2, 3, 8, 8))
    r = rng.normal(0, 1, (2, 5))
    logits, gradient = forward_backward(p, x, r)
    eps = 1e-6
    for index in [(0, 0, 0, 0), (0, 1, 3, 4), (1, 2, 7, 7), (1, 0, 4, 2)]:
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric = ((forward_backward(p, plus, r)[0] * r).sum() - (forward_backward(p, minus, r)[0] * r).sum()) / (2 * eps)
        assert abs(numeric - gradient[index]) <= 1e-6 * max(1.0, abs(numeric)), (index, numeric, gradient[index])
    import onnxruntime
    session = onnxruntime.InferenceSession(os.path.join(OUT, "tiny_normalise.onnx"))
    ort = session.run(None, {"input": x.astype(np.float32)})[0]
    assert np.abs(ort - logits).max() < 1e-4, np.abs(ort - logits).max()
    for suffix, value in [("input", x), ("output-weights", r), ("input-gradient", gradient)]:
        np.save(os.path.join(OUT, "tiny_normalise.%s.npy" % suffix), value.astype(np.float32))


def tiny_pad():
    rng = np.random.default_rng(19)
    init = [
        numpy_helper.from_array(np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64), "pads_after"),
        numpy_helper.from_array(np.array([0, 0, 1, 2, 0, 0, 1, 2], np.int64), "pads_around"),
        numpy_helper.from_array(rng.normal(0, 0.3, (6, 3, 3, 3)).astype(np.float32), "conv1.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (6,)).astype(np.float32), "conv1.bias"),
        numpy_helper.from_array(rng.normal(0, 0.3, (4, 6, 3, 3)).astype(np.float32), "conv2.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (4,)).astype(np.float32), "conv2.bias"),
        numpy_helper.from_array(rng.normal(0, 0.5, (5, 4)).astype(np.float32), "fc.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (5,)).astype(np.float32), "fc.bias"),
    ]
    nodes = [
        helper.make_node("Pad", ["input", "pads_after"], ["padded1"], name="pad1", mode="constant"),
        helper.make_node("Conv", ["padded1", "conv1.weight", "conv1.bias"], ["conv1"], name="conv1", strides=[2, 2]),
        helper.make_node("Relu", ["conv1"], ["relu1"], name="relu1"),
        helper.make_node("Pad", ["relu1", "pads_around"], ["padded2"], name="pad2"),
        helper.make_node("Conv", ["padded2", "conv2.weight", "conv2.bias"], ["conv2"], name="conv2"),
        helper.make_node("Relu", ["conv2"], ["relu2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["relu2"], ["pooled"], name="pool"),
        helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["output"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "tiny_pad",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 9, 9])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 5])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "tiny_pad.onnx"))
    save_pad_gradient_reference({t.name: numpy_helper.to_array(t).astype(np.float64) for t in init}, rng)


def conv2d(x, w, b, stride):
    """Unpadded cross-correlation in float64 (the Pads are applied before it, as in the ONNX graph)."""
    k = w.shape[2]
    oh, ow = (x.shape[2] - k) // stride + 1, (x.shape[3] - k) // stride + 1
    out = np.zeros((x.shape[0], w.shape[0], oh, ow)) + b.reshape(1, -1, 1, 1)
    for ki in range(k):
        for kj in range(k):
            patch = x[:, :, ki:ki + stride * (oh - 1) + 1:stride, kj:kj + stride * (ow - 1) + 1:stride]
            out += np.einsum("bchw,oc->bohw", patch, w[:, :, ki, kj])
    return out


def tiny_pad_forward(p, x):
    h = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)))
    h = np.maximum(conv2d(h, p["conv1.weight"], p["conv1.bias"], 2), 0)
    h = np.pad(h, ((0, 0), (0, 0), (1, 1), (2, 2)))
    h = np.maximum(conv2d(h, p["conv2.weight"], p["conv2.bias"], 1), 0)
    return h.mean(axis=(2, 3)) @ p["fc.weight"].T + p["fc.bias"]


def save_pad_gradient_reference(p, rng):
    """The gradient of sum(r * logits) with respect to every input value by central finite differences in
    float64, for ExecutorGradientTests (the folded Pads' backward is the Convs' padded backward)."""
    x = rng.uniform(0, 1, (2, 3, 9, 9))
    r = rng.normal(0, 1, (2, 5))
    import onnxruntime
    ort = onnxruntime.InferenceSession(os.path.join(OUT, "tiny_pad.onnx")).run(None, {"input": x.astype(np.float32)})[0]
    assert np.abs(ort - tiny_pad_forward(p, x)).max() < 1e-4
    gradient = np.zeros_like(x)
    eps = 1e-5
    for index in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        gradient[index] = ((tiny_pad_forward(p, plus) - tiny_pad_forward(p, minus)) * r).sum() / (2 * eps)
    for suffix, value in [("input", x), ("output-weights", r), ("input-gradient", gradient)]:
        np.save(os.path.join(OUT, "tiny_pad.%s.npy" % suffix), value.astype(np.float32))


def pad_before_maxpool():
    init = [numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")]
    nodes = [
        helper.make_node("Pad", ["input", "pads"], ["padded"], name="pad"),
        helper.make_node("MaxPool", ["padded"], ["pooled"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["pooled"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["output"], name="flatten"),
    ]
    graph = helper.make_graph(nodes, "pad_before_maxpool",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 3])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "pad_before_maxpool.onnx"))


if __name__ == "__main__":
    tiny_normalise()
    tiny_pad()
    pad_before_maxpool()
