#!/usr/bin/env bash
# The recording `brecq tour` plays (Examples/tour/run.jsonl, committed): the
# bundled ResNet example quantized by BRECQ at W2A4 with the real binary, at
# iteration counts low enough that the file stays small (< 300 KB) and the run
# takes a few minutes. Every unit, loss curve, rounding event and the final
# evaluation are real; only the iteration budget is a demo's.
# Usage: scripts/make_tour_recording.sh [BRECQ]   (default .build/release/brecq)
set -euo pipefail
cd "$(dirname "$0")/.."
BRECQ=$(realpath "${1:-.build/release/brecq}")
OUT=Examples/tour/run.jsonl
WORK=$(mktemp -d /tmp/brecq-tour.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT")"

"$BRECQ" quantize \
    --model Examples/fashion-resnet20/model.onnx \
    --method brecq --wbits 2 --abits 4 \
    --iters 200 --act-iters 50 --calib-size 256 \
    --rounding-interval 50 --analysis-images 64 \
    --eval-images 1000 --seed 0 \
    --checkpoint "$WORK/checkpoint" --no-serve \
    --events "$WORK/run.jsonl"

mv "$WORK/run.jsonl" "$OUT"
SIZE=$(wc -c < "$OUT")
echo "wrote $OUT ($SIZE bytes)"
if [ "$SIZE" -ge 300000 ]; then
    echo "warning: $OUT is $SIZE bytes, more than the 300 KB a committed recording should be" >&2
fi
