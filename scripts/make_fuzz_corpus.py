#!/usr/bin/env python3
"""Seed corpora and regression inputs for the fuzzing harness (docs/fuzzing.md).

    python3 scripts/make_fuzz_corpus.py            # Fuzz/corpus, Fuzz/regressions, Fuzz/generated

Writes
  Fuzz/corpus/<target>/       seeds: the ONNX fixtures, small IDX/NPY files, configs, themes, and
                              the built-in seeds of `brecq-fuzz write-seeds` (valid checkpoints,
                              bits, latency and sensitivity files for the fixed graph)
  Fuzz/regressions/<target>/  one minimized input per crash class of issue #14 (ONNX, IDX, NPY,
                              config, theme, image); the checkpoint, sensitivity-cache, event-log,
                              bits-config and latency-table ones come from
                              `brecq-fuzz write-regressions Fuzz/regressions` (they depend on
                              the fixed graph and the engine's JSON), run here when built
  Fuzz/generated/<target>/    inputs too large to commit (a 5 MB gzip IDX inflating to 5 GiB,
                              a 100 000-node ONNX chain, a 20 MB theme); not in git, kept once made

Deterministic: the same files every run. Needs numpy, onnx and pillow.
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUZZ = os.path.join(ROOT, "Fuzz")
INT64_MAX = 2**63 - 1


def write(kind, target, name, data):
    path = os.path.join(FUZZ, kind, target, name)
    if kind == "generated" and os.path.exists(path):
        return  # deterministic and slow to make (the 5 GiB bomb): kept
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{path} ({len(data)} bytes)")


# ---------------------------------------------------------------- ONNX

def model(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "fuzz", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m.SerializeToString()


def image(name="x", shape=(1, 1, 8, 8)):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def out(name="y"):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, None)


def weight(name, dims, values=None):
    """An initializer with the given dims; values may be fewer than the dims promise (or none)."""
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    if values is not None:
        t.float_data.extend(values)
    return t


def int64s(name, values, dims=None):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.INT64
    t.dims.extend([len(values)] if dims is None else dims)
    t.raw_data = struct.pack(f"<{len(values)}q", *values)
    return t


def conv(pads, kernel=3, name="conv"):
    return model([helper.make_node("Conv", ["x", "w"], ["y"], name=name, pads=pads, kernel_shape=[kernel, kernel])],
                 [image()], [out()], [weight("w", [2, 1, kernel, kernel], [0.1] * (2 * kernel * kernel))])


def reshape_via(constant_values, name):
    """Reshape whose shape is computed from a float constant cast to int64 (shape arithmetic)."""
    nodes = [
        helper.make_node("Constant", [], ["c"], value=helper.make_tensor("cv", TensorProto.FLOAT, [len(constant_values)], constant_values)),
        helper.make_node("Cast", ["c"], ["s"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["x", "s"], ["y"], name=name),
    ]
    return model(nodes, [image()], [out()])


def onnx_regressions():
    r = {}
    big = 2**40
    r["initializer-dims-2e40x2e40.onnx"] = model(
        [helper.make_node("MatMul", ["f", "w"], ["y"]), helper.make_node("Flatten", ["x"], ["f"])][::-1],
        [image()], [out()], [weight("w", [big, big])])
    r["initializer-dims-minus1.onnx"] = model(
        [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[1, 1])], [image()], [out()], [weight("w", [-1, -1, 1, 1], [0.5])])
    r["reshape-int64-max.onnx"] = model([helper.make_node("Reshape", ["x", "s"], ["y"])], [image()], [out()],
                                        [int64s("s", [INT64_MAX, 1])])
    r["reshape-product-2e40.onnx"] = model([helper.make_node("Reshape", ["x", "s"], ["y"])], [image()], [out()],
                                           [int64s("s", [big, big, big])])
    r["reshape-1e30.onnx"] = reshape_via([1.0, 1e30], "reshape_1e30")
    r["reshape-nan.onnx"] = reshape_via([1.0, float("nan")], "reshape_nan")
    nan_index = TensorProto()
    nan_index.name, nan_index.data_type = "i", TensorProto.FLOAT
    nan_index.float_data.append(float("nan"))
    r["gather-nan-index.onnx"] = model([
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Gather", ["shape", "i"], ["g"], axis=0),
        helper.make_node("Unsqueeze", ["g", "axes"], ["u"]),
        helper.make_node("Concat", ["u", "minus1"], ["s"], axis=0),
        helper.make_node("Reshape", ["x", "s"], ["y"]),
    ], [image()], [out()], [nan_index, int64s("axes", [0]), int64s("minus1", [-1])])
    r["conv-pads-2e62.onnx"] = conv([2**62] * 4)
    r["conv-pads-20000.onnx"] = conv([20000] * 4)
    r["maxpool-pads-2e62.onnx"] = model([helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], pads=[2**62] * 4)], [image()], [out()])
    r["avgpool-pads-2e62.onnx"] = model([helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2, 2], pads=[2**62] * 4)], [image()], [out()])
    r["maxpool-pads-not-below-kernel.onnx"] = model(
        [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], pads=[3, 3, 3, 3])], [image()], [out()])
    r["unsqueeze-runtime-tensor.onnx"] = model(
        [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Unsqueeze", ["r", "axes"], ["y"])], [image()], [out()], [int64s("axes", [0])])
    r["no-outputs.onnx"] = model([helper.make_node("Relu", ["x"], ["y"])], [image()], [])
    gemm = helper.make_node("Gemm", ["f", "w"], ["y"], transB=1)
    gemm.attribute.append(helper.make_attribute("alpha", "two"))
    r["gemm-alpha-string.onnx"] = model([helper.make_node("Flatten", ["x"], ["f"]), gemm], [image()], [out()],
                                        [weight("w", [10, 64], [0.01] * 640)])
    r["conv-kernel-2e40.onnx"] = model([helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[big, big])], [image()], [out()],
                                       [weight("w", [2, 1, 3, 3], [0.1] * 18)])
    # Found by libFuzzer: non-finite or huge weights reach Int32(level) in round-to-nearest (cost model, quantize).
    conv_weight = lambda value: model([helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[1, 1])], [image()], [out()],
                                      [weight("w", [2, 1, 1, 1], [value, 0.5])])
    r["conv-weight-nan.onnx"] = conv_weight(float("nan"))
    r["conv-weight-3e38.onnx"] = conv_weight(3e38)
    r["input-dims-2e40.onnx"] = model([helper.make_node("Relu", ["x"], ["y"])], [image(shape=(1, big, big, 1))], [out()])
    # Found by the 100 000-case campaign: a zero-element weight with an axis of 2^40
    # (the importer looped over the empty axis), and a stride of INT64_MAX (row · stride overflowed in im2col).
    r["matmul-weight-dims-2e40x0.onnx"] = model(
        [helper.make_node("Flatten", ["x"], ["f"]), helper.make_node("MatMul", ["f", "w"], ["y"])], [image()], [out()], [weight("w", [big, 0])])
    r["conv-stride-int64-max.onnx"] = model(
        [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[INT64_MAX, 1])], [image()], [out()],
        [weight("w", [2, 1, 3, 3], [0.1] * 18)])
    return r


def chain(n):
    nodes = [helper.make_node("Relu", [f"t{i}" if i else "x"], [f"t{i + 1}" if i + 1 < n else "y"], name=f"n{i}") for i in range(n)]
    return model(nodes, [image()], [out()])


# ---------------------------------------------------------------- IDX, NPY

def idx(dims, payload=b""):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def gzip_bomb(dims, inflated):
    """gzip of an IDX header promising `dims` followed by `inflated` zero bytes, made in 1 MiB steps."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(idx(dims))]
    chunk = bytes(1 << 20)
    for _ in range(inflated >> 20):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts)


def npy(array):
    import io
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def npy_header(descr, shape_text, payload=b""):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


# ---------------------------------------------------------------- terminal escapes

HOSTILE = "\x1b]0;pwned\x07conv\x1b[31;1m\x9b2J"


def escape_name_fixtures():
    """Models whose node names carry an OSC title sequence, SGR codes and a C1 CSI (Tests/EndToEndTests/TerminalEscapeTests)."""
    def net(op):
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name=HOSTILE, kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                 helper.make_node(op, ["c"], ["r"], name="relu" + HOSTILE),
                 helper.make_node("GlobalAveragePool", ["r"], ["p"]),
                 helper.make_node("Flatten", ["p"], ["f"]),
                 helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["y"], name="fc" + HOSTILE, transB=1)]
        return model(nodes, [image()], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
                     [weight("w", [4, 1, 3, 3], [0.1] * 36), weight("fc_w", [10, 4], [0.1] * 40), weight("fc_b", [10], [0.0] * 10)])
    fixtures = os.path.join(ROOT, "Tests", "Fixtures")
    for name, op in (("escape_names.onnx", "Relu"), ("escape_names_unsupported.onnx", "Erf")):
        with open(os.path.join(fixtures, name), "wb") as f:
            f.write(net(op))
        print(os.path.join(fixtures, name))


# ---------------------------------------------------------------- main

def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png_claiming(width, height, color_type=2, bit_depth=8):
    """A PNG whose IHDR claims width × height, with one tiny IDAT: the decoder must refuse before allocating."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + png_chunk(b"IEND", b""))


def jpeg_with_frame(jpeg, width, height):
    """`jpeg` with its SOF0/SOF2 frame header's size replaced."""
    data = bytearray(jpeg)
    i = 2
    while i + 9 < len(data):
        assert data[i] == 0xFF, "a JPEG marker"
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC2):
            data[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise ValueError("no frame header")


def image_files():
    """Seeds and regressions of the image target (JPEG/PNG bytes → decode → transform), made with PIL."""
    import io
    from PIL import Image

    def encoded(img, fmt, **options):
        out = io.BytesIO()
        img.save(out, fmt, **options)
        return out.getvalue()

    rng = np.random.default_rng(1)
    rgb = Image.fromarray(rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8), "RGB")
    corpus = {
        "rgb-8x6.jpg": encoded(rgb, "JPEG", quality=90),
        "rgb-8x6-progressive.jpg": encoded(rgb, "JPEG", quality=90, progressive=True),
        "gray-8x6.jpg": encoded(rgb.convert("L"), "JPEG"),
        "cmyk-8x6.jpg": encoded(rgb.convert("CMYK"), "JPEG"),
        "rgb-8x6.png": encoded(rgb, "PNG"),
        "rgba-8x6.png": encoded(rgb.convert("RGBA"), "PNG"),
        "la-8x6.png": encoded(rgb.convert("LA"), "PNG"),
        "palette-8x6.png": encoded(rgb.convert("P"), "PNG"),
        "bilevel-8x6.png": encoded(rgb.convert("1"), "PNG"),
        "gray16-8x6.png": encoded(Image.fromarray(rng.integers(0, 65536, size=(6, 8), dtype=np.uint16)), "PNG"),
        "rgb-1x1.png": encoded(rgb.crop((0, 0, 1, 1)), "PNG"),
    }
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    corpus["exif-rotated-8x6.jpg"] = encoded(rgb, "JPEG", exif=exif.tobytes())
    for name, data in corpus.items():
        write("corpus", "image", name, data)
    jpeg, png = corpus["rgb-8x6.jpg"], corpus["rgb-8x6.png"]
    write("regressions", "image", "png-claims-2e31-square.png", png_claiming(2**31 - 1, 2**31 - 1))
    write("regressions", "image", "png-claims-65535-square-rgba16.png", png_claiming(65535, 65535, color_type=6, bit_depth=16))
    write("regressions", "image", "png-claims-zero-width.png", png_claiming(0, 8))
    write("regressions", "image", "png-truncated.png", png[: len(png) // 2])
    write("regressions", "image", "png-bad-crc.png", png[:29] + bytes([png[29] ^ 0xFF]) + png[30:])
    write("regressions", "image", "png-signature-only.png", png[:8])
    write("regressions", "image", "jpeg-claims-65500-square.jpg", jpeg_with_frame(jpeg, 65500, 65500))
    write("regressions", "image", "jpeg-claims-zero-height.jpg", jpeg_with_frame(jpeg, 8, 0))
    write("regressions", "image", "jpeg-truncated.jpg", jpeg[: len(jpeg) // 2])
    write("regressions", "image", "jpeg-soi-only.jpg", jpeg[:2])
    write("regressions", "image", "jpeg-garbage-after-soi.jpg", jpeg[:2] + bytes(range(256)) * 4)


def viewer_request_regressions():
    """Lines a hostile local viewer could send on the event socket: each must be refused or round-trip."""
    cases = {
        "nested-16k.json": b"[" * 16000,
        "nested-objects.json": b'{"request":' * 4000 + b'"command"' + b"}" * 4000,
        "longer-than-limit.json": b'{"request":"command","command":"pause","layer":"' + b"x" * 17000 + b'"}',
        "layer-with-escape.json": b'{"request":"command","command":"unlock","layer":"\\u001b]0;pwned\\u0007"}',
        "bits-int64-max.json": b'{"request":"command","command":"lock","layer":"stem","wbits":9223372036854775807,"abits":4}',
        "iterations-negative.json": b'{"request":"command","command":"set_iterations","current":-1}',
        "evaluate-2e63.json": b'{"request":"command","command":"evaluate","images":9223372036854775808}',
        "hyperparameters-1e999.json": b'{"request":"command","command":"set_hyperparameters","hyperparameters":{"learning_rate":1e999}}',
        "stop.json": b'{"request":"command","command":"stop"}',
        "export-path.json": b'{"request":"command","command":"export","checkpoint":"/etc","output":"/etc/passwd"}',
        "not-utf8.json": b'{"request":"command","command":"\xff\xfe"}',
    }
    for name, data in cases.items():
        write("regressions", "viewer-request", name, data)


def main():
    shutil.rmtree(os.path.join(FUZZ, "corpus"), ignore_errors=True)
    for target in ("onnx", "idx", "npy", "model-config", "theme", "image", "viewer-request"):
        shutil.rmtree(os.path.join(FUZZ, "regressions", target), ignore_errors=True)

    escape_name_fixtures()
    fixtures = os.path.join(ROOT, "Tests", "Fixtures")
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".onnx"):
            write("corpus", "onnx", name, open(os.path.join(fixtures, name), "rb").read())
        if name.endswith(".npy") and os.path.getsize(os.path.join(fixtures, name)) < 64 << 10:
            write("corpus", "npy", name, open(os.path.join(fixtures, name), "rb").read())
    for name, data in onnx_regressions().items():
        write("regressions", "onnx", name, data)
    write("generated", "onnx", "chain-100000-nodes.onnx", chain(100_000))

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(4, 6, 6), dtype=np.uint8)
    write("corpus", "idx", "images-4x6x6", idx([4, 6, 6], images.tobytes()))
    write("corpus", "idx", "labels-4", idx([4], bytes([0, 1, 2, 3])))
    write("corpus", "idx", "images-4x6x6.gz", gzip.compress(idx([4, 6, 6], images.tobytes()), mtime=0))
    write("corpus", "idx", "images-2x1x3x3", idx([2, 1, 3, 3], bytes(range(18))))
    write("regressions", "idx", "dims-2e32-1-cubed", idx([2**32 - 1] * 3))
    write("regressions", "idx", "dims-0-2e32-1-2e32-1", idx([0, 2**32 - 1, 2**32 - 1]))
    write("regressions", "idx", "gzip-bomb-64MiB-promising-4GiB.gz", gzip_bomb([1, 65535, 65535], 64 << 20))
    write("regressions", "idx", "truncated-gzip.gz", gzip.compress(idx([4, 6, 6], images.tobytes()), mtime=0)[:40])
    write("generated", "idx", "gzip-bomb-5MB-inflating-5GiB.gz", gzip_bomb([5, 32768, 32768], 5 << 30))

    write("corpus", "npy", "images-u1.npy", npy(images))
    write("corpus", "npy", "images-f4.npy", npy(images.astype(np.float32) / 255))
    write("corpus", "npy", "labels-i8.npy", npy(np.arange(4, dtype=np.int64)))
    write("corpus", "npy", "labels-i4.npy", npy(np.arange(4, dtype=np.int32)))
    write("regressions", "npy", "shape-2e62x2.npy", npy_header("<f4", "(4611686018427387904, 2)"))
    write("regressions", "npy", "label-int64-max.npy", npy(np.array([INT64_MAX], dtype=np.int64)))
    write("regressions", "npy", "label-nan.npy", npy(np.array([float("nan")], dtype=np.float64)))
    write("regressions", "npy", "shape-negative.npy", npy_header("<f4", "(-1, 2)", b"\0" * 8))
    write("regressions", "npy", "header-length-huge.npy", b"\x93NUMPY\x02\x00\xff\xff\xff\x7f{'descr'")

    for example in ("fashion-resnet20", "fashion-mobilenetv2"):
        write("corpus", "model-config", example + ".json", open(os.path.join(ROOT, "Examples", example, "config.json"), "rb").read())
    write("regressions", "model-config", "input-shape-2e40.json",
          b'{"input_shape": [3, 1099511627776, 1099511627776], "classes": 10, "mean": [0], "std": [1]}')
    write("regressions", "model-config", "input-shape-int64-max.json",
          b'{"input_shape": [3, 9223372036854775807, 2], "classes": 10, "mean": [0], "std": [1]}')
    write("regressions", "model-config", "input-shape-20000.json",
          b'{"input_shape": [3, 20000, 20000], "classes": 10, "mean": [0], "std": [1]}')
    write("regressions", "model-config", "classes-int64-max-scale-1e300.json",
          b'{"input_shape": [3, 8, 8], "classes": 9223372036854775807, "mean": [0], "std": [1e-300], "scale": 1e300}')

    image_files()
    viewer_request_regressions()

    themes = os.path.join(ROOT, "themes")
    for name in sorted(os.listdir(themes)):
        write("corpus", "theme", name, open(os.path.join(themes, name), "rb").read())
    write("regressions", "theme", "osc-title-in-value.theme", b'theme[main_fg]="\x1b]0;pwned\x07"\n')
    write("regressions", "theme", "osc-title-in-key.theme", b'theme[\x1b]0;pwned\x07]="#FFFFFF"\n')
    write("regressions", "theme", "long-hex.theme", b'theme[main_fg]="#' + b"F" * 4096 + b'"\n')
    write("regressions", "theme", "not-utf8.theme", b'theme[main_fg]="#\xff\xfe\xfd"\n')
    write("generated", "theme", "20MB.theme", b"# " + b"x" * (20 << 20) + b"\n")

    tool = os.path.join(ROOT, ".build", "release", "brecq-fuzz")
    if os.path.exists(tool):
        subprocess.run([tool, "write-regressions", os.path.join(FUZZ, "regressions")], check=True)
        subprocess.run([tool, "write-seeds", os.path.join(FUZZ, "corpus")], check=True)
    else:
        print(f"{tool} not built: the checkpoint, sensitivity-cache, event-log, bits-config and latency-table "
              "regressions were left as they are (swift build -c release --product brecq-fuzz, then run again)", file=sys.stderr)


if __name__ == "__main__":
    main()
