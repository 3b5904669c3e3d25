#!/usr/bin/env python3
"""Generate ONNX fixtures for operators torch is not needed to build, with
onnx.helper (torch is not a dependency of the test suite):

    tiny_normalise.onnx  Sub and Div by constants, as torchvision and PaddleOCR
                         exports normalise inputs: per-channel (x - mean) / std
                         on the input, a per-channel Sub after a Conv (folds into
                         its bias), scalar Div and Sub after a Relu.

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


if __name__ == "__main__":
    tiny_normalise()
