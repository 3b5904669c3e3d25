#!/usr/bin/env python3
"""Generate the small ONNX models under Tests/Fixtures/ that NetworkTests import.

Weights are random (seeded) and BatchNorm statistics are perturbed so that
folding is exercised; nothing is trained or downloaded. Rerun after changing:

    python3 scripts/make_network_fixtures.py
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures")


def randomize_bn(model, gen):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
            n = m.num_features
            m.weight.data = torch.rand(n, generator=gen) + 0.5
            m.bias.data = torch.randn(n, generator=gen) * 0.1
            m.running_mean.data = torch.randn(n, generator=gen) * 0.1
            m.running_var.data = torch.rand(n, generator=gen) + 0.5


def conv_bn(cin, cout, k, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(cin, cout, 3, stride), nn.ReLU(), *conv_bn(cout, cout, 3))
        self.short = nn.Sequential(*conv_bn(cin, cout, 1, stride)) if stride != 1 or cin != cout else None

    def forward(self, x):
        return F.relu(self.body(x) + (x if self.short is None else self.short(x)))


class Bottleneck(nn.Module):
    def __init__(self, c, mid):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(c, mid, 1), nn.ReLU(), *conv_bn(mid, mid, 3), nn.ReLU(), *conv_bn(mid, c, 1))

    def forward(self, x):
        return F.relu(self.body(x) + x)


class TinyResNet(nn.Module):
    """stem – maxpool – basic – basic/projection (stride 2) – bottleneck – GAP – FC."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.blocks = nn.Sequential(Basic(8, 8, 1), Basic(8, 16, 2), Bottleneck(16, 8))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class Inverted(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = [] if expand == 1 else [*conv_bn(cin, hidden, 1), nn.ReLU6()]
        layers += [*conv_bn(hidden, hidden, 3, stride, hidden), nn.ReLU6(), *conv_bn(hidden, cout, 1)]
        self.body = nn.Sequential(*layers)
        self.skip = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.skip else self.body(x)


class TinyMobileNet(nn.Module):
    """stem – IR(t=1, skip) – IR(t=4, stride 2, no skip) – IR(t=4, skip) – head 1×1 – GAP – FC."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3), nn.ReLU6())
        self.blocks = nn.Sequential(Inverted(8, 8, 1, 1), Inverted(8, 12, 2, 4), Inverted(12, 12, 1, 4))
        self.head = nn.Sequential(*conv_bn(12, 32, 1), nn.ReLU6())
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class TinyOps(nn.Module):
    """Operators the bundled models do not use: AveragePool with padding, Reshape
    with a constant shape, MatMul + Add, Clip with other bounds, BatchNorm1d."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=(2, 1), padding=(1, 0), bias=True)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.w = nn.Parameter(torch.randn(4 * 7 * 5, 12) * 0.1)
        self.b = nn.Parameter(torch.randn(12) * 0.1)
        self.bn = nn.BatchNorm1d(12)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        x = self.pool(torch.clamp(self.conv(x), -0.5, 2.0))
        x = x.reshape(-1, 4 * 7 * 5)
        x = F.relu(self.bn(torch.matmul(x, self.w) + self.b))
        return self.fc(x)


class TinyActivations(nn.Module):
    """Activations the bundled models do not use, in a residual network:
    LeakyReLU, Hardswish and Tanh between blocks, Hardsigmoid and Sigmoid inside one."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3), nn.LeakyReLU(0.1))
        self.body1 = nn.Sequential(*conv_bn(8, 8, 3), nn.Hardswish(), *conv_bn(8, 8, 3))
        self.body2 = nn.Sequential(*conv_bn(8, 12, 3, 2), nn.Hardsigmoid(), *conv_bn(12, 12, 3), nn.Sigmoid(), *conv_bn(12, 12, 1))
        self.fc = nn.Linear(12, 10)

    def forward(self, x):
        x = self.stem(x)
        x = torch.tanh(x + self.body1(x))
        x = self.body2(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class InvertedSE(nn.Module):
    """MobileNetV3 block: expand 1×1 – depthwise 3×3 – squeeze-excitation – project 1×1, with a skip
    when the shape allows. The gate multiplies from the left (gate * x), so the importer must
    reorder Mul's operands."""

    def __init__(self, c, hidden, squeeze, out=None, stride=1):
        super().__init__()
        out = out or c
        self.skip = stride == 1 and out == c
        self.expand = nn.Sequential(*conv_bn(c, hidden, 1), nn.Hardswish())
        self.depthwise = nn.Sequential(*conv_bn(hidden, hidden, 3, stride, hidden), nn.Hardswish())
        self.fc1, self.fc2 = nn.Conv2d(hidden, squeeze, 1), nn.Conv2d(squeeze, hidden, 1)
        self.project = nn.Sequential(*conv_bn(hidden, out, 1))

    def forward(self, x):
        h = self.depthwise(self.expand(x))
        # Sigmoid, not MobileNetV3's hard one: it never saturates flat, so the gate's gradient shows.
        gate = torch.sigmoid(self.fc2(F.relu(self.fc1(F.adaptive_avg_pool2d(h, 1)))))
        y = self.project(gate * h)
        return x + y if self.skip else y


class Fire(nn.Module):
    """SqueezeNet: squeeze 1×1, then 1×1 and 3×3 expansions joined by Concat."""

    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Sequential(nn.Conv2d(cin, squeeze, 1), nn.ReLU())
        self.e1 = nn.Sequential(nn.Conv2d(squeeze, expand, 1), nn.ReLU())
        self.e3 = nn.Sequential(nn.Conv2d(squeeze, expand, 3, padding=1), nn.ReLU())

    def forward(self, x):
        s = self.squeeze(x)
        return torch.cat([self.e1(s), self.e3(s)], 1)


class TinyBranches(nn.Module):
    """Branches: a squeeze-excitation Mul inside a skip block and inside a
    stride-2 block without skip, a Fire module's Concat, a constant Mul."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3, 2), nn.Hardswish())
        self.block = InvertedSE(8, 24, 6)
        self.down = InvertedSE(8, 24, 6, out=12, stride=2)
        self.fire = Fire(12, 4, 8)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.fire(self.down(self.block(self.stem(x)))) * 0.5
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class TinyView(nn.Module):
    """`x.view(x.size(0), -1)` under a dynamic batch axis: Shape → Gather →
    Unsqueeze → Concat → Reshape, the flatten of many CIFAR ResNets."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*conv_bn(1, 6, 3), nn.ReLU(), nn.MaxPool2d(2), *conv_bn(6, 8, 3, 2), nn.ReLU())
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.features(x)
        return self.fc(x.view(x.size(0), -1))


def export(model, name, shape):
    gen = torch.Generator().manual_seed(len(name))
    torch.manual_seed(len(name))
    randomize_bn(model, gen)
    model.eval()
    path = os.path.join(OUT, name)
    torch.onnx.export(model, (torch.randn(1, *shape),), path, dynamo=False, opset_version=17,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print("wrote", path, os.path.getsize(path), "bytes")
    return model


def save_gradients(model, name, shape, layers):
    """PyTorch autograd's ∂(Σ r·logits)/∂x for a fixed batch, and ∂/∂W of the
    convs in `layers` (ONNX node name → module; convs without BatchNorm, whose
    weights the import keeps as they are): the independent reference for the
    engine's backward pass through the whole network."""
    gen = torch.Generator().manual_seed(99)
    x = torch.rand(2, *shape, generator=gen, requires_grad=True)
    r = torch.randn(2, 10, generator=gen)
    (model(x) * r).sum().backward()
    stem = os.path.join(OUT, name.replace(".onnx", ""))
    saved = [("input", x.detach()), ("output-weights", r), ("input-gradient", x.grad)]
    saved += [(node.strip("/").replace("/", "_") + ".weight-gradient", m.weight.grad) for node, m in layers.items()]
    for suffix, value in saved:
        np.save(f"{stem}.{suffix}.npy", value.numpy().astype(np.float32))
        print("wrote", f"{stem}.{suffix}.npy")


def save(graph_nodes, inputs, outputs, initializers, name, opset=17):
    graph = helper.make_graph(graph_nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    print("wrote", path, os.path.getsize(path), "bytes")


def hand_built():
    """Graphs torch does not emit: Identity, Dropout, Constant, Gemm with transB=0
    and typed (non-raw) initializers; and the broken models for the error tests."""
    rng = np.random.default_rng(7)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 6])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])
    w = rng.standard_normal((6, 3)).astype(np.float32)
    typed_w = helper.make_tensor("w", TensorProto.FLOAT, [6, 3], w.flatten().tolist(), raw=False)
    save([helper.make_node("Identity", ["x"], ["x1"], name="id"),
          helper.make_node("Dropout", ["x1"], ["x2"], name="drop"),
          helper.make_node("Constant", [], ["c"], name="bias",
                           value=helper.make_tensor("cv", TensorProto.FLOAT, [3], [0.5, -1.0, 2.0])),
          helper.make_node("Gemm", ["x2", "w", "c"], ["g"], name="gemm", alpha=0.5, beta=2.0),
          helper.make_node("Clip", ["g", "", "six"], ["y"], name="clip_max_only")],
         [x], [y], [typed_w, numpy_helper.from_array(np.array(6.0, np.float32), "six")], "handmade_gemm")

    img = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 8, 8])
    out = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", 4, 8, 8])
    w4 = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "w")
    save([helper.make_node("Conv", ["image", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
          helper.make_node("Erf", ["c"], ["out"], name="gate")], [img], [out], [w4], "unsupported_erf")
    save([helper.make_node("Conv", ["image", "w_missing"], ["out"], name="conv_without_weight", pads=[1, 1, 1, 1])],
         [img], [out], [], "missing_initializer")
    w_wrong = numpy_helper.from_array(rng.standard_normal((4, 5, 3, 3)).astype(np.float32), "w")
    save([helper.make_node("Conv", ["image", "w"], ["out"], name="conv_wrong_channels", pads=[1, 1, 1, 1])],
         [img], [out], [w_wrong], "shape_mismatch")
    external = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4, 3, 3, 3])
    external.data_location = TensorProto.EXTERNAL
    entry = external.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    save([helper.make_node("Conv", ["image", "w"], ["out"], name="conv", pads=[1, 1, 1, 1])],
         [img], [out], [external], "external_data")

    # Height and width left symbolic: only config.json's input_shape makes it runnable.
    any_size = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, "H", "W"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])
    save([helper.make_node("Conv", ["image", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
          helper.make_node("Relu", ["c"], ["r"], name="relu"),
          helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool"),
          helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
          helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], name="fc", transB=1)],
         [any_size], [logits],
         [w4, numpy_helper.from_array(rng.standard_normal((10, 4)).astype(np.float32), "fc_w"),
          numpy_helper.from_array(np.zeros(10, np.float32), "fc_b")], "dynamic_hw")

    # A classifier that returns probabilities: the importer drops the final Softmax, export restores it.
    probs = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10])
    save([helper.make_node("Conv", ["image", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
          helper.make_node("Relu", ["c"], ["r"], name="relu"),
          helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool"),
          helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
          helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
          helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=-1)],
         [img], [probs],
         [w4, numpy_helper.from_array(rng.standard_normal((10, 4)).astype(np.float32), "fc_w"),
          numpy_helper.from_array(np.zeros(10, np.float32), "fc_b")], "softmax_output")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    export(TinyResNet(), "tiny_resnet.onnx", (1, 16, 16))
    export(TinyMobileNet(), "tiny_mobilenet.onnx", (1, 16, 16))
    export(TinyOps(), "tiny_ops.onnx", (1, 28, 12))
    save_gradients(export(TinyActivations(), "tiny_activations.onnx", (1, 16, 16)), "tiny_activations.onnx", (1, 16, 16), {})
    branches = export(TinyBranches(), "tiny_branches.onnx", (1, 16, 16))
    # The squeeze-excitation conv learns only through the Mul gate; e1 only through its Concat slice.
    save_gradients(branches, "tiny_branches.onnx", (1, 16, 16),
                   {"/block/fc1/Conv": branches.block.fc1, "/fire/e1/e1.0/Conv": branches.fire.e1[0]})
    # Models are built before `export` seeds, so each depends on the ones before it: add new ones last.
    export(TinyView(), "tiny_view.onnx", (1, 16, 16))
    hand_built()
