#!/usr/bin/env python3
"""Full-length runs exported to QDQ ONNX, checked by ONNX Runtime on all
10 000 Fashion-MNIST test images; renders the table in docs/export.md between
the `export-results` markers.

    scripts/export_results.py NAME=MODEL.onnx:SUMMARY.json [...]
    scripts/export_results.py --render         # only rewrite the table from results/export/*.check.json

For each run: onnx.checker, then ORT with graph optimisations off (the model
as written) and on (QDQ fused into integer kernels); top-1 against the
engine's simulated top-1 from the run's summary (`quant_top1`).
"""
import gzip, json, os, sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "results", "export")
DOC = os.path.join(ROOT, "docs", "export.md")
DATA = "/usr/share/datasets/fashion-mnist"


def test_split(config):
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32)
    with gzip.open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    scale = config.get("scale", 1 / 255)
    mean = np.array(config["mean"], np.float32).reshape(1, -1, 1, 1)
    std = np.array(config["std"], np.float32).reshape(1, -1, 1, 1)
    return (images * scale - mean) / std, labels


def top1(model_path, images, labels, optimized):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimized else ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = 1
    sess = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    hits = 0
    for i in range(0, len(images), 500):
        logits = sess.run(None, {name: images[i:i + 500]})[0]
        hits += int((logits.argmax(axis=1) == labels[i:i + 500]).sum())
    return 100.0 * hits / len(labels)


def check(name, model_path, summary_path):
    import onnx
    onnx.checker.check_model(onnx.load(model_path), full_check=True)
    summary = json.load(open(summary_path))
    config = json.load(open(os.path.join(ROOT, os.path.dirname(summary["model"]), "config.json")))
    images, labels = test_split(config)
    result = {
        "name": name, "model": os.path.relpath(model_path, ROOT), "summary": os.path.relpath(summary_path, ROOT),
        "simulated_top1": summary["quant_top1"], "fp_top1": summary["fp_top1"],
        "ort_top1": top1(model_path, images, labels, False), "ort_optimized_top1": top1(model_path, images, labels, True),
        "iterations": summary.get("iterations"), "activation_iterations": summary.get("activation_iterations"),
        "wall_seconds": summary.get("wall_seconds"),
    }
    with open(os.path.join(OUT, name + ".check.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    print(json.dumps(result))


def render():
    rows = []
    for f in sorted(os.listdir(OUT)):
        if f.endswith(".check.json"):
            rows.append(json.load(open(os.path.join(OUT, f))))
    lines = ["| run | iterations (w/a) | FP top-1 | simulated top-1 | ORT top-1 (as written) | Δ | ORT top-1 (optimised) |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        its = f"{r['iterations']}/{r['activation_iterations']}" if r.get("iterations") else "see summary"
        lines.append(f"| {r['name']} | {its} | {r['fp_top1']:.2f} | {r['simulated_top1']:.2f} | {r['ort_top1']:.2f} | "
                     f"{r['ort_top1'] - r['simulated_top1']:+.2f} | {r['ort_optimized_top1']:.2f} |")
    doc = open(DOC).read()
    start, end = "<!-- export-results -->", "<!-- /export-results -->"
    table = start + "\n" + "\n".join(lines) + "\n" + end
    if start in doc:
        doc = doc[:doc.index(start)] + table + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip() + "\n\n## Full-length runs, checked by ONNX Runtime\n\n" + table + "\n"
    open(DOC, "w").write(doc)


def main():
    args = sys.argv[1:]
    if args != ["--render"]:
        for arg in args:
            name, paths = arg.split("=", 1)
            model_path, summary_path = paths.split(":", 1)
            check(name, model_path, summary_path)
    render()


if __name__ == "__main__":
    main()
