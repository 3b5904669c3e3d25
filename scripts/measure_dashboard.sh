#!/usr/bin/env bash
# Dashboard measurements for docs/benchmarks.md ("Dashboard"):
#   1. bytes per second the terminal receives from `brecq tui` during a steady
#      run at 120×40 (tmux pipe-pane captures everything the program writes);
#   2. engine iterations per second with the dashboard open vs headless, the
#      same configuration run back to back (headless, tui, tui, headless), from
#      the iteration events of each run's --events log.
# Usage: scripts/measure_dashboard.sh [BRECQ] [SECONDS]   (default .build/release/brecq, 30 s window)
# Env: FPS (default 10), ITERS (iterations per unit of the it/s runs, default 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
BRECQ=$(realpath "${1:-.build/release/brecq}")
WINDOW=${2:-30}
FPS=${FPS:-10}
ITERS=${ITERS:-3000}
WORK=$(mktemp -d /tmp/brecq-measure.XXXXXX)
SOCKET=brecq-measure-$$
tmux_() { tmux -L "$SOCKET" "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null || true; rm -rf "$WORK" "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET"; }
trap cleanup EXIT

# The tiny fixture model with a generated NPY dataset (as the end-to-end tests use).
python3 - "$WORK" <<'PY'
import json, sys, numpy as np
d = sys.argv[1]
r = np.random.default_rng(7)
for split, n in [("train", 256), ("test", 100)]:
    np.save(f"{d}/{split}_images.npy", r.integers(0, 256, (n, 16, 16), dtype=np.uint8))
    np.save(f"{d}/{split}_labels.npy", r.integers(0, 10, n).astype(np.int64))
json.dump({"input_shape": [1, 16, 16], "classes": 10, "mean": [0.5], "std": [0.25]}, open(f"{d}/config.json", "w"))
PY
cp Tests/Fixtures/tiny_resnet.onnx "$WORK/model.onnx"
COMMON=(--model "$WORK/model.onnx" --data "$WORK" --wbits 4 --abits 4 --act-iters 50
        --calib-size 256 --batch-size 32 --eval-images 100)

wait_for_pane() {  # wait_for_pane REGEX TIMEOUT
    for _ in $(seq $(( $2 * 10 ))); do
        tmux_ capture-pane -p -t m | grep -qE "$1" && return 0
        sleep 0.1
    done
    echo "timed out waiting for /$1/" >&2; tmux_ capture-pane -p -t m >&2; return 1
}

# 1. Bytes per second at 120×40 while the first block reconstructs (100 000 iterations: it never ends here).
tmux_ -f /dev/null new-session -d -s m -x 120 -y 40 -e LANG=C.UTF-8 sh
tmux_ send-keys -t m "$BRECQ tui ${COMMON[*]} --iters 100000 --fps $FPS --checkpoint $WORK/ck-bytes; echo __EXIT" Enter
wait_for_pane ' it [0-9]+/100000' 120
sleep 3   # past the first frames (the full first paint is not part of a steady run)
tmux_ pipe-pane -o -t m "cat >> $WORK/bytes.out"
START=$(date +%s.%N)
sleep "$WINDOW"
tmux_ pipe-pane -t m
END=$(date +%s.%N)
BYTES=$(wc -c < "$WORK/bytes.out")
SCREEN=$(tmux_ capture-pane -p -t m | sed -n 2p)
tmux_ send-keys -t m q y
wait_for_pane '__EXIT' 60
python3 - "$BYTES" "$START" "$END" "$FPS" <<'PY'
import sys
b, s, e, fps = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
t = e - s
print(f"bytes: {b} in {t:.1f} s at 120x40, --fps {fps}: {b / t / 1024:.2f} KiB/s ({b / t / fps:.0f} B/frame at {fps} fps)")
PY
echo "  (header during the window: $SCREEN)"

# 2. it/s with the dashboard vs headless: headless, tui, tui, headless, same flags.
run_headless() { "$BRECQ" quantize "${COMMON[@]}" --iters "$ITERS" --events "$1" --checkpoint "$WORK/ck-$2" 2>/dev/null; }
run_tui() {
    tmux_ send-keys -t m "clear; $BRECQ tui ${COMMON[*]} --iters $ITERS --fps $FPS --events $1 --checkpoint $WORK/ck-$2; echo __DONE_$2" Enter
    wait_for_pane ' DONE *$' 600      # the state badge once every unit is finished
    tmux_ send-keys -t m q
    wait_for_pane "__DONE_$2" 60
}
run_headless "$WORK/h1.jsonl" h1
run_tui "$WORK/t1.jsonl" t1
run_tui "$WORK/t2.jsonl" t2
run_headless "$WORK/h2.jsonl" h2
python3 - "$WORK" <<'PY'
import json, sys
d = sys.argv[1]
def rate(path):
    """Iterations per second over the reconstruction phases: Δiteration / Δt between
    consecutive iteration events of the same unit and phase (no start-up, no evaluation)."""
    its = secs = 0.0
    prev = None; phase = None
    for line in open(path):
        e = json.loads(line)
        if e["type"] == "unit_started":
            prev = None; phase = (e["unit"], e["phase"])
        elif e["type"] == "iteration":
            if prev is not None and e["iteration"] > prev[0]:
                its += e["iteration"] - prev[0]; secs += e["t"] - prev[1]
            prev = (e["iteration"], e["t"])
    return its / secs, its
r = {k: rate(f"{d}/{k}.jsonl") for k in ["h1", "t1", "t2", "h2"]}
for k, (v, n) in r.items():
    print(f"{k}: {v:8.1f} it/s over {n:.0f} iterations")
h = (r["h1"][0] + r["h2"][0]) / 2; t = (r["t1"][0] + r["t2"][0]) / 2
print(f"dashboard / headless = {t:.1f} / {h:.1f} = {t / h:.3f}")
PY
