#!/usr/bin/env python3
"""The accuracy ladder: runs `brecq quantize` over the rungs below and renders
docs/results.md from every summary found under results/ladder/.

Runs are cached: a rung whose summary exists is not run again (use --force).
Run a subset and the table merges it with what earlier sittings produced:

    scripts/ladder.py --models resnet20 --only 'rtn-W4A4,brecq-W4A4'
    scripts/ladder.py --render            # only rewrite docs/results.md
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRECQ = os.environ.get("BRECQ_BINARY", os.path.join(ROOT, ".build", "release", "brecq"))
OUT = os.path.join(ROOT, "results", "ladder")
MODELS = {
    "resnet20": "Examples/fashion-resnet20/model.onnx",
    "mobilenetv2": "Examples/fashion-mobilenetv2/model.onnx",
}
BITS = ["W4A32", "W2A32", "W4A4", "W3A3", "W2A4", "W2A2"]
# Ablation rungs that are the same computation as a main rung (`--method adaround`
# is block-wise BRECQ's code at layer granularity): reported from that run, not rerun.
SAME_RUN = {"gran-layer-c1024": "adaround-W2A4", "gran-block-c1024": "brecq-W2A4"}
# BRECQ W2A4 again with other seeds (batch sampling and rounding initialisation
# noise; the calibration images stay the first 1024): how far apart runs that
# differ only in seed land, to judge the gaps in the tables. Seed 0 is brecq-W2A4.
SPREAD_SEEDS = [1, 2, 3, 4]


def rungs():
    """(name, section, flags) for every run of the ladder."""
    out = []
    for b in BITS:
        w, a = b[1:].split("A")
        bits = ["--wbits", w, "--abits", a]
        out.append((f"rtn-{b}", "main", ["--method", "rtn"] + bits))
        out.append((f"brecq-{b}", "main", ["--method", "brecq"] + bits))
    for b in ["W2A4", "W2A2"]:
        w, a = b[1:].split("A")
        bits = ["--wbits", w, "--abits", a]
        out.append((f"adaround-{b}", "main", ["--method", "adaround"] + bits))
        out.append((f"brecq-fisher-{b}", "main", ["--method", "brecq", "--loss", "fisher"] + bits))
        out.append((f"qdrop-{b}", "main", ["--method", "qdrop"] + bits))
    for calib in [1024, 128]:
        for g in ["layer", "block", "stage", "net"]:
            out.append((f"gran-{g}-c{calib}", "granularity",
                        ["--method", "brecq", "--granularity", g, "--wbits", "2", "--abits", "4", "--calib-size", str(calib)]))
    for seed in SPREAD_SEEDS:
        out.append((f"brecq-W2A4-seed{seed}", "seeds", ["--method", "brecq", "--wbits", "2", "--abits", "4", "--seed", str(seed)]))
    return out


def run(model, name, flags, args):
    os.makedirs(os.path.join(OUT, model), exist_ok=True)
    if name in SAME_RUN:
        return
    summary = os.path.join(OUT, model, name + ".json")
    if os.path.exists(summary) and not args.force:
        return
    # A checkpoint directory per rung: runs of the same method and bits that differ
    # only in loss, QDrop or calibration size would otherwise share the default one.
    cmd = [BRECQ, "quantize", "--model", MODELS[model], "--data", "fashion-mnist",
           "--iters", str(args.iters), "--act-iters", str(args.act_iters), "--summary", summary,
           "--checkpoint", os.path.join(OUT, model, "checkpoints", name)] + flags
    if "--seed" not in flags:
        cmd += ["--seed", str(args.seed)]
    if "--calib-size" not in flags:
        cmd += ["--calib-size", "1024"]
    # Two sittings may share the machine: a rung another one is running is left to it.
    claim = summary + ".running"
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        print(f"  {name}: running elsewhere ({claim}), skipped", flush=True)
        return
    try:
        print("+", " ".join(cmd), flush=True)
        t0 = time.time()
        subprocess.run(cmd, cwd=ROOT, check=True)
        print(f"  {name}: {time.time() - t0:.0f}s", flush=True)
    finally:
        os.remove(claim)


def load(model):
    found = {}
    directory = os.path.join(OUT, model)
    if os.path.isdir(directory):
        for f in sorted(os.listdir(directory)):
            if f.endswith(".json"):
                with open(os.path.join(directory, f)) as fh:
                    found[f[:-5]] = json.load(fh)
    return found


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def iters(r):
    """Reconstruction iterations (weights/activations); RTN reconstructs nothing, A32 learns no steps."""
    if r["method"] == "rtn":
        return "—"
    return f"{r['iterations']}/{r['activation_iterations'] if r['abits'] < 32 else '—'}"


def row(name, r):
    bits = f"W{r['wbits']}A{r['abits']}"
    return (f"| {name} | {r['method']} | {bits} | {r['granularity']} | {r['loss']} | {r['calib_size']} | "
            f"{iters(r)} | {fmt(r.get('quant_top1'), '.2f')} | "
            f"{fmt(r.get('kl'), '.5f')} | {fmt(r.get('wall_seconds'), '.0f')}s |")


def granularity_table(runs):
    """Top-1 / KL per granularity (rows) and calibration size (columns), W2A4."""
    calibs = [1024, 128]
    lines = ["Granularity ablation, BRECQ W2A4 (mse), same iterations; top-1 / KL:", "",
             "| granularity | " + " | ".join(f"{c} images" for c in calibs) + " |",
             "|---|" + "---|" * len(calibs)]
    for g in ["layer", "block", "stage", "net"]:
        cells = []
        for c in calibs:
            name = f"gran-{g}-c{c}"
            r = runs.get(name) or runs.get(SAME_RUN.get(name, ""))
            cells.append("—" if r is None else f"{fmt(r.get('quant_top1'), '.2f')} / {fmt(r.get('kl'), '.4f')}")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    return lines + [""]


def seed_table(runs):
    """BRECQ W2A4 over seeds: each run, then mean ± sample standard deviation."""
    names = ["brecq-W2A4"] + [f"brecq-W2A4-seed{k}" for k in SPREAD_SEEDS]
    found = [(n, runs[n]) for n in names if n in runs]
    if len(found) < 2:
        return []
    lines = ["Seed spread, BRECQ W2A4 block-wise (mse), 2000/1000, 1024 images; only `--seed` differs:", "",
             "| seed | top-1 | KL |", "|---|---|---|"]
    lines += [f"| {r.get('seed', 0)} | {fmt(r.get('quant_top1'), '.2f')} | {fmt(r.get('kl'), '.5f')} |" for _, r in found]
    for key, spec in [("quant_top1", ".2f"), ("kl", ".5f")]:
        xs = [r[key] for _, r in found]
        mean = sum(xs) / len(xs)
        sd = (sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5
        lines.append(f"- {'top-1' if key == 'quant_top1' else 'KL'}: {mean:{spec}} ± {sd:{spec}} "
                     f"(min {min(xs):{spec}}, max {max(xs):{spec}}, {len(xs)} seeds)")
    return lines + [""]


def render():
    lines = ["# Results", "",
             "Produced by `scripts/ladder.py` (this file is generated; rerun `scripts/ladder.py --render`).",
             "Fashion-MNIST test split, all 10 000 images; 1024 calibration images (the first of the train split)",
             "unless stated; same seed for every run. KL = mean KL(FP softmax ‖ quantized softmax) over the test set.",
             "Ablation rungs that are the same computation as a ladder rung (`gran-block-c1024` = `brecq-W2A4`,",
             "`gran-layer-c1024` = `adaround-W2A4`) are reported from that run.", ""]
    order = [name for name, _, _ in rungs()]
    for model in MODELS:
        runs = load(model)
        if not runs:
            continue
        fp = next((r.get("fp_top1") for r in runs.values() if r.get("fp_top1") is not None), None)
        header = ["| run | method | bits | granularity | loss | calib | iters (w/a) | top-1 | KL | wall |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        ladder = [n for n in order if n in runs and not n.startswith("gran-") and "-seed" not in n]
        ablation = [n for n in order if n in runs and n.startswith("gran-")]
        lines += [f"## {model}", "", f"FP top-1: {fmt(fp, '.2f')}", ""] + header
        lines += [row(n, runs[n]) for n in ladder] + [""]
        lines += granularity_table(runs)
        if ablation:
            lines += header + [row(n, runs[n]) for n in ablation] + [""]
        lines += seed_table(runs)
    notes = os.path.join(ROOT, "docs", "results-notes.md")
    if os.path.exists(notes):
        lines += [open(notes).read().rstrip(), ""]
    # The mixed-precision comparison (scripts/mixed_results.py) belongs to the same results page.
    mixed = os.path.join(ROOT, "docs", "mixed-results.md")
    if os.path.exists(mixed):
        lines += ["#" + l if l.startswith("#") else l for l in open(mixed).read().rstrip().splitlines()] + [""]
    with open(os.path.join(ROOT, "docs", "results.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="resnet20,mobilenetv2")
    ap.add_argument("--only", default="", help="comma-separated rung names (default: all)")
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--act-iters", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--render", action="store_true", help="only regenerate docs/results.md")
    args = ap.parse_args()
    if not args.render:
        if not os.path.exists(BRECQ):
            sys.exit("build first: swift build -c release --product brecq")
        only = set(filter(None, args.only.split(",")))
        for model in args.models.split(","):
            for name, _, flags in rungs():
                if not only or name in only:
                    run(model, name, flags, args)
                    render()
    render()


if __name__ == "__main__":
    main()
