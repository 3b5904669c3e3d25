#!/bin/sh
# brecq bench recon against scripts/bench_torch_recon.py, unit by unit, in
# alternating pairs (farm-bench: brecq, torch, brecq, ...), so each ratio is
# taken in the same minute. Appends every run's JSON line to OUT/<unit>.swift.jsonl
# and OUT/<unit>.torch.jsonl; docs/benchmarks.md reads the medians from there.
#
#   [UNITS='resnet20 block1 block8 mbv2_block3'] scripts/bench_units_vs_torch.sh OUT IMNET [PAIRS] [WORKERS]
#
# IMNET: the folder `python3 scripts/make_imagenet_models.py IMNET --models
# resnet18,mobilenetv2` wrote. WORKERS (default: all cores) sets BRECQ_WORKERS
# (and so OpenBLAS's threads) for brecq and --threads for torch.
set -eu
out=$1 imnet=$2 pairs=${3:-3} workers=${4:-$(nproc)}
brecq=${BRECQ:-.build/release/brecq}
mkdir -p "$out"
export BRECQ_WORKERS=$workers
run() {  # name, iterations, torch's model and unit flags, brecq's (torch's ResNet-20 blocks take none)
    name=$1 n=$2 torch_flags=$3 brecq_flags=$4
    farm-bench -n "$pairs" --warmup 0 --timeout 1800 \
        --vs "sh -c 'exec python3 scripts/bench_torch_recon.py $torch_flags --iterations $n --warmup 2 --threads $workers >>$out/$name.torch.jsonl'" \
        -- sh -c "exec $brecq bench recon $brecq_flags --iterations $n --warmup 2 --json >>$out/$name.swift.jsonl" \
        >"$out/$name.farm.txt" 2>&1 || true
    uptime >>"$out/$name.farm.txt"
}
units=${UNITS:-resnet20 block1 block8 mbv2_block3}
for u in $units; do
    case $u in
    resnet20) run resnet20 200 "" "--model Examples/fashion-resnet20/model.onnx" ;;
    block1) f="--model $imnet/resnet18/model.onnx --unit block1"; run block1 10 "$f" "$f" ;;
    block8) f="--model $imnet/resnet18/model.onnx --unit block8"; run block8 20 "$f" "$f" ;;
    mbv2_block3) f="--model $imnet/mobilenetv2/model.onnx --unit block3"; run mbv2_block3 10 "$f" "$f" ;;
    esac
done
