#!/usr/bin/env bash
# Dashboard measurements for docs/benchmarks.md ("Dashboard"):
#   1. bytes per second the terminal receives from `brecq tui` during a steady
#      run at 120×40 (tmux pipe-pane captures everything the program writes);
#   2. engine iterations per second with the dashboard open vs headless, the
#      same configuration run back to back (headless, tui, tui, headless), from
#      the iteration events of each run's --events log;
#   3. an attached viewer (`brecq attach`, issue #16): bytes per second its
#      terminal receives at 120×40 while a headless run is watched, and the
#      engine's it/s with 0 and 20 viewers (plain socket readers that read all
#      they get), run 0, 20, 20, 0.
# Usage: scripts/measure_dashboard.sh [BRECQ] [SECONDS]   (default .build/release/brecq, 30 s window)
# Env: FPS (default 10), ITERS (iterations per unit of the it/s runs, default 3000),
#      SECTIONS (default "1 2 3"), VIEWERS (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
BRECQ=$(realpath "${1:-.build/release/brecq}")
WINDOW=${2:-30}
FPS=${FPS:-10}
ITERS=${ITERS:-3000}
SECTIONS=${SECTIONS:-1 2 3}
VIEWERS=${VIEWERS:-20}
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

tmux_ -f /dev/null new-session -d -s m -x 120 -y 40 -e LANG=C.UTF-8 sh

# The it/s of --events logs: Δiteration / Δt between consecutive iteration events
# of the same unit and phase (no start-up, no evaluation).
RATE_PY='
import json, sys
def rate(path):
    its = secs = 0.0
    prev = None
    for line in open(path):
        e = json.loads(line)
        if e["type"] == "unit_started":
            prev = None
        elif e["type"] == "iteration":
            if prev is not None and e["iteration"] > prev[0]:
                its += e["iteration"] - prev[0]; secs += e["t"] - prev[1]
            prev = (e["iteration"], e["t"])
    return its / secs, its
'

# measure_bytes OUT LABEL QUIT_KEYS EXIT_MARK: what the pane receives for $WINDOW s, then quit the program.
measure_bytes() {
    tmux_ pipe-pane -o -t m "cat >> $1"
    local start end bytes screen
    start=$(date +%s.%N)
    sleep "$WINDOW"
    tmux_ pipe-pane -t m
    end=$(date +%s.%N)
    bytes=$(wc -c < "$1")
    screen=$(tmux_ capture-pane -p -t m | sed -n 2p)
    # shellcheck disable=SC2086
    tmux_ send-keys -t m $3
    wait_for_pane "$4" 60
    python3 - "$bytes" "$start" "$end" "$FPS" "$2" <<'PY'
import sys
b, s, e, fps, label = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t = e - s
print(f"{label}: {b} in {t:.1f} s at 120x40, --fps {fps}: {b / t / 1024:.2f} KiB/s ({b / t / fps:.0f} B/frame at {fps} fps)")
PY
    echo "  (header during the window: $screen)"
}

if [[ " $SECTIONS " == *" 1 "* ]]; then
# 1. Bytes per second at 120×40 while the first block reconstructs (100 000 iterations: it never ends here).
tmux_ send-keys -t m "$BRECQ tui ${COMMON[*]} --iters 100000 --fps $FPS --checkpoint $WORK/ck-bytes; echo __EXIT" Enter
wait_for_pane ' it [0-9]+/100000' 120
sleep 3   # past the first frames (the full first paint is not part of a steady run)
measure_bytes "$WORK/bytes.out" "bytes" "q y" __EXIT

fi

if [[ " $SECTIONS " == *" 2 "* ]]; then
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
fi

if [[ " $SECTIONS " == *" 3 "* ]]; then
# 3a. An attached viewer's terminal bytes at 120×40: a headless run (100 000 iterations, stopped
#     afterwards) watched by `brecq attach` in the pane.
"$BRECQ" quantize "${COMMON[@]}" --iters 100000 --checkpoint "$WORK/ck-attach" 2>/dev/null &
OWNER=$!
for _ in $(seq 600); do [ -S "$WORK/ck-attach/events.sock" ] && break; sleep 0.1; done
tmux_ send-keys -t m "clear; $BRECQ attach --fps $FPS $WORK/ck-attach; echo __EXIT_ATTACH" Enter
wait_for_pane ' it [0-9]+/100000' 120
sleep 3
measure_bytes "$WORK/attach-bytes.out" "attached viewer bytes" q __EXIT_ATTACH
kill -INT "$OWNER"; wait "$OWNER" || true

# 3b. Engine it/s with 0 and $VIEWERS viewers: 0, N, N, 0, same flags, headless.
READER_PY='
import socket, sys, time
path = sys.argv[1]
for _ in range(600):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); break
    except OSError:
        time.sleep(0.05)
n = 0
while True:
    d = s.recv(65536)
    if not d: break
    n += len(d)
print(n)
'
run_viewed() {  # run_viewed NAME VIEWERS
    rm -rf "$WORK/ck-$1"
    "$BRECQ" quantize "${COMMON[@]}" --iters "$ITERS" --events "$WORK/$1.jsonl" --checkpoint "$WORK/ck-$1" 2>/dev/null &
    local run=$! pids=()
    for _ in $(seq "$2"); do python3 -c "$READER_PY" "$WORK/ck-$1/events.sock" > "$WORK/$1.reader.$RANDOM" & pids+=($!); done
    wait "$run"
    for p in "${pids[@]}"; do wait "$p" || true; done
}
run_viewed v0a 0
run_viewed v20a "$VIEWERS"
run_viewed v20b "$VIEWERS"
run_viewed v0b 0
python3 - "$WORK" "$VIEWERS" <<PY
$RATE_PY
d, n = sys.argv[1], sys.argv[2]
r = {k: rate(f"{d}/{k}.jsonl") for k in ["v0a", "v20a", "v20b", "v0b"]}
for k, (v, its) in r.items():
    print(f"{k}: {v:8.1f} it/s over {its:.0f} iterations")
z = (r["v0a"][0] + r["v0b"][0]) / 2; w = (r["v20a"][0] + r["v20b"][0]) / 2
print(f"{n} viewers / none = {w:.1f} / {z:.1f} = {w / z:.3f}")
PY
fi
