#!/usr/bin/env python3
"""ONNX Runtime reference for brecq's FP parity tests (NetworkTests call this).

    onnx_reference.py run MODEL INPUT.npy OUTPUT.npy
        Runs MODEL on INPUT (float32, [N, ...]) and saves the first output.

    onnx_reference.py eval MODEL DATA_DIR --limit N --logits OUT.npy
        Reads the IDX test split in DATA_DIR (gzip or raw) itself, normalises
        it with the config.json beside MODEL, classifies the first N images and
        prints {"count", "top1", "predictions"} as JSON; saves all logits.

Independent of brecq's own loaders on purpose: a parity failure then points
at either side, never at shared code.
"""
import gzip, json, os, sys
import numpy as np
import onnxruntime as ort


def session(model):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    # No graph rewrites: ORT then runs BatchNormalization unfolded, so the
    # comparison also checks brecq's import-time folding.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"onnx_reference: {name}[.gz] not in {directory}")


def run(model, inp, out):
    sess = session(model)
    x = np.load(inp).astype(np.float32)
    np.save(out, sess.run(None, {sess.get_inputs()[0].name: x})[0])


def evaluate(model, data, limit, logits_path):
    with open(os.path.join(os.path.dirname(os.path.abspath(model)), "config.json")) as f:
        config = json.load(f)
    images = read_idx(find(data, "t10k-images-idx3-ubyte"))[:limit]
    labels = read_idx(find(data, "t10k-labels-idx1-ubyte"))[:limit].astype(np.int64)
    c = config["input_shape"][0]
    x = images.reshape(len(images), c, *config["input_shape"][1:]).astype(np.float64) * config.get("scale", 1 / 255)
    mean = np.array(config["mean"], np.float64).reshape(-1, 1, 1)
    std = np.array(config["std"], np.float64).reshape(-1, 1, 1)
    x = ((x - mean) / std).astype(np.float32)
    sess = session(model)
    name = sess.get_inputs()[0].name
    logits = np.concatenate([sess.run(None, {name: x[i:i + 500]})[0] for i in range(0, len(x), 500)])
    np.save(logits_path, logits)
    predictions = logits.argmax(1)
    print(json.dumps({"count": int(len(labels)), "top1": float(100.0 * (predictions == labels).mean()),
                      "predictions": predictions.tolist()}))


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "run":
        run(*args[1:])
    elif len(args) == 7 and args[0] == "eval" and args[3] == "--limit" and args[5] == "--logits":
        evaluate(args[1], args[2], int(args[4]), args[6])
    else:
        sys.exit(__doc__)
