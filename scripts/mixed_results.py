#!/usr/bin/env python3
"""Mixed precision against uniform bits: runs `brecq search` and `brecq quantize`
and renders docs/mixed-results.md from every summary under results/mixed/.

Per model, all W*A4 with the same reconstruction settings (BRECQ, block,
--iters/--act-iters below, 1024 calibration images, seed 0):
  - uniform W2 and uniform W4 (stem and classifier at 8 bits, as always);
  - mixed {2,4,8} found by the genetic search at 2.5, 3 and 3.5 average weight bits;
  - 5 random configurations per budget that use it (`brecq search --random --seed k`: no layer can go
    one step up without breaking the budget).

Runs are cached per reconstruction length in results/mixed/<model>/<iters>-<act-iters>/
(a run whose summary exists is skipped; --force reruns). At the ladder's length the
uniform rows are the ladder's own brecq-W2A4 / brecq-W4A4 runs (the same computation):

    scripts/mixed_results.py --models resnet20 --budgets 3 --iters 200 --act-iters 100
    scripts/mixed_results.py --render          # only rewrite docs/mixed-results.md
"""
import argparse, json, math, os, shutil, statistics, subprocess, sys, time

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRECQ = os.environ.get("BRECQ_BINARY", os.path.join(ROOT, ".build", "release", "brecq"))
OUT = os.path.join(ROOT, "results", "mixed")
MODELS = {
    "resnet20": "Examples/fashion-resnet20/model.onnx",
    "mobilenetv2": "Examples/fashion-mobilenetv2/model.onnx",
}
BUDGETS = ["2.5", "3", "3.5"]
RANDOM_SEEDS = range(1, 6)


def sh(cmd):
    print("+", " ".join(cmd), flush=True)
    t0 = time.time()
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(f"  {time.time() - t0:.0f}s", flush=True)


def settings_directory(model, args):
    return os.path.join(OUT, model, f"{args.iters}-{args.act_iters}")


def quantize(model, name, flags, args):
    directory = settings_directory(model, args)
    summary = os.path.join(directory, name + ".json")
    if os.path.exists(summary) and not args.force:
        return
    ladder = os.path.join(ROOT, "results", "ladder", model, name.replace("uniform-", "brecq-") + ".json")
    if name.startswith("uniform-") and os.path.exists(ladder):
        with open(ladder) as fh:
            run = json.load(fh)
        if (run["iterations"], run["activation_iterations"], run["calib_size"]) == (args.iters, args.act_iters, 1024):
            shutil.copyfile(ladder, summary)
            return
    sh([BRECQ, "quantize", "--model", MODELS[model], "--data", "fashion-mnist", "--method", "brecq", "--abits", "4",
        "--seed", "0", "--iters", str(args.iters), "--act-iters", str(args.act_iters), "--calib-size", "1024",
        "--checkpoint", os.path.join(directory, "checkpoints", name), "--summary", summary] + flags)


def search(model, name, flags, args):
    bits = os.path.join(settings_directory(model, args), name + ".bits.json")
    if not os.path.exists(bits) or args.force:
        sh([BRECQ, "search", "--model", MODELS[model], "--data", "fashion-mnist", "--abits", "4",
            "--sensitivity-images", str(args.sensitivity_images), "--output", bits] + flags)
    return bits


def run(model, args):
    os.makedirs(settings_directory(model, args), exist_ok=True)
    if "uniform" in args.parts:
        for w in ["2", "4"]:
            quantize(model, f"uniform-W{w}A4", ["--wbits", w], args)
    for budget in args.budgets:
        if "mixed" in args.parts:
            bits = search(model, f"mixed-{budget}", ["--budget", f"avgbits={budget}", "--seed", "0"], args)
            quantize(model, f"mixed-{budget}", ["--bits-config", bits], args)
        if "random" in args.parts:
            for seed in args.seeds:
                bits = search(model, f"random-{budget}-s{seed}", ["--budget", f"avgbits={budget}", "--random", "--seed", str(seed)], args)
                quantize(model, f"random-{budget}-s{seed}", ["--bits-config", bits], args)


def weight_counts(model):
    """Weights per Conv/Gemm node (brecq's layer names), and the searchable ones (not first, not last)."""
    g = onnx.load(os.path.join(ROOT, MODELS[model])).graph
    inits = {t.name: math.prod(t.dims) for t in g.initializer}
    layers = [(n.name or f"{n.op_type}_{i}", inits[n.input[1]], inits.get(n.input[2], 0) if len(n.input) > 2 else 0)
              for i, n in enumerate(g.node) if n.op_type in ("Conv", "Gemm")]
    return layers, {name for name, _, _ in layers[1:-1]}


def sizes(summary, layers, searchable):
    """(average weight bits over searchable layers, model size in KiB: weights at their bits, biases at 32)."""
    bits = summary["bits"]
    num = sum(w * bits[name]["wbits"] for name, w, _ in layers if name in searchable)
    den = sum(w for name, w, _ in layers if name in searchable)
    total_bits = sum(w * bits[name]["wbits"] + b * 32 for name, w, b in layers)
    return num / den, total_bits / 8 / 1024


def load(directory):
    found = {}
    if os.path.isdir(directory):
        for f in sorted(os.listdir(directory)):
            if f.endswith(".json") and not f.endswith(".bits.json"):
                with open(os.path.join(directory, f)) as fh:
                    found[f[:-5]] = json.load(fh)
    return found


def settings():
    """(model, "<iters>-<act-iters>") for every directory of runs, shortest first."""
    out = []
    for model in MODELS:
        directory = os.path.join(OUT, model)
        lengths = [d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d))] if os.path.isdir(directory) else []
        out += [(model, d) for d in sorted(lengths, key=lambda d: [int(x) for x in d.split("-")])]
    return out


def render():
    lines = ["# Mixed precision: results", "",
             "Produced by `scripts/mixed_results.py` (generated; rerun `scripts/mixed_results.py --render`).",
             "Fashion-MNIST test split; every run W*A4, BRECQ block reconstruction with the same settings and seed;",
             "stem and classifier at 8 bits everywhere. *avg bits*: mean weight bits over the searchable layers",
             "(weighted by weight count); *size*: all weights at their bits plus 32-bit biases.",
             "*mixed*: the genetic search's choice under `--budget avgbits=B`; *random*: 5 random feasible",
             "configurations of the same budget (`brecq search --random`: random bits, lowered until feasible, then",
             "raised while the budget allows, so they spend it as the search may), mean ± standard deviation;",
             "KL = mean KL(FP softmax ‖ quantized softmax) over the test set (random: mean of the 5).", ""]
    for model, length in settings():
        runs = load(os.path.join(OUT, model, length))
        if not runs or not os.path.exists(os.path.join(ROOT, MODELS[model])):
            continue
        layers, searchable = weight_counts(model)
        fp = next((r.get("fp_top1") for r in runs.values() if r.get("fp_top1") is not None), None)
        lines += [f"## {model}, {length.replace('-', '/')} iterations", "", f"FP top-1: {fp:.2f}" if fp is not None else "FP top-1: —", "",
                  "| configuration | avg bits | size (KiB) | top-1 | KL | iters (w/a) |", "|---|---|---|---|---|---|"]
        def row(label, r):
            avg, kib = sizes(r, layers, searchable)
            lines.append(f"| {label} | {avg:.2f} | {kib:.1f} | {r['quant_top1']:.2f} | {r['kl']:.4f} | "
                         f"{r['iterations']}/{r['activation_iterations']} |")
        for name in ["uniform-W2A4", "uniform-W4A4"]:
            if name in runs:
                row(name, runs[name])
        verdicts = []
        for budget in BUDGETS:
            mixed = runs.get(f"mixed-{budget}")
            randoms = [runs[k] for k in (f"random-{budget}-s{s}" for s in RANDOM_SEEDS) if k in runs]
            if mixed:
                row(f"mixed avgbits={budget}", mixed)
            if randoms:
                accs = [r["quant_top1"] for r in randoms]
                avgs = [sizes(r, layers, searchable) for r in randoms]
                sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
                lines.append(f"| random avgbits={budget} (n={len(accs)}) | {statistics.mean(a for a, _ in avgs):.2f} | "
                             f"{statistics.mean(k for _, k in avgs):.1f} | {statistics.mean(accs):.2f} ± {sd:.2f} | "
                             f"{statistics.mean(r['kl'] for r in randoms):.4f} | "
                             f"{randoms[0]['iterations']}/{randoms[0]['activation_iterations']} |")
            if mixed:
                parts = [f"avgbits={budget}: mixed {mixed['quant_top1']:.2f}"]
                if randoms:
                    m = statistics.mean(r["quant_top1"] for r in randoms)
                    kl = statistics.mean(r["kl"] for r in randoms)
                    parts.append(f"{'beats' if mixed['quant_top1'] > m else 'does NOT beat'} random mean {m:.2f}"
                                 f" (KL {mixed['kl']:.4f} vs {kl:.4f})")
                if "uniform-W2A4" in runs:
                    w2 = runs["uniform-W2A4"]["quant_top1"]
                    parts.append(f"{'beats' if mixed['quant_top1'] > w2 else 'does NOT beat'} uniform W2 {w2:.2f}")
                if "uniform-W4A4" in runs:
                    parts.append(f"{mixed['quant_top1'] - runs['uniform-W4A4']['quant_top1']:+.2f} vs uniform W4")
                verdicts.append("- " + ", ".join(parts))
        lines += [""] + verdicts + [""]
    with open(os.path.join(ROOT, "docs", "mixed-results.md"), "w") as f:
        f.write("\n".join(lines))
    # docs/results.md includes this file; regenerate it too.
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "ladder.py"), "--render"], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="resnet20,mobilenetv2")
    ap.add_argument("--budgets", default=",".join(BUDGETS))
    ap.add_argument("--parts", default="uniform,mixed,random")
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--act-iters", type=int, default=1000)
    ap.add_argument("--sensitivity-images", type=int, default=256)
    ap.add_argument("--seeds", default=",".join(map(str, RANDOM_SEEDS)), help="seeds of the random baselines to run")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--render", action="store_true", help="only regenerate docs/mixed-results.md")
    args = ap.parse_args()
    args.budgets = args.budgets.split(",")
    args.parts = set(args.parts.split(","))
    args.seeds = [int(x) for x in args.seeds.split(",")]
    if not args.render:
        if not os.path.exists(BRECQ):
            sys.exit("build first: swift build -c release --product brecq")
        for model in args.models.split(","):
            if not os.path.exists(os.path.join(ROOT, MODELS[model])):
                print(f"skipping {model}: {MODELS[model]} not there yet", flush=True)
                continue
            run(model, args)
            render()
    render()


if __name__ == "__main__":
    main()
