#!/bin/sh
# Builds and runs scripts/bench_onednn.c: oneDNN convolution speed on the shapes
# of `brecq bench kernels --imagenet-shapes`, as ratios to OpenBLAS sgemm.
# Needs Debian's libdnnl-dev and libopenblas-dev (apt-get install -y libdnnl-dev).
#
#   scripts/bench_onednn.sh [--repeats 7] [--min-seconds 0.05] [--json]
#
# Threads: OMP_NUM_THREADS (oneDNN) and OPENBLAS_NUM_THREADS default to the
# online cores; OPENBLAS_THREAD_TIMEOUT=4 as brecq sets it, so that OpenBLAS's
# idle workers do not spin through the convolutions. ONEDNN_MAX_CPU_ISA=AVX2
# limits oneDNN to AVX2 (with OPENBLAS_CORETYPE=Haswell for the sgemm), to
# compare with `brecq bench kernels --isa avx2`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_ONEDNN_BIN:-/tmp/bench_onednn}
if [ ! -x "$out" ] || [ "$here/bench_onednn.c" -nt "$out" ]; then
    cc -O2 -o "$out" "$here/bench_onednn.c" -I/usr/include/x86_64-linux-gnu -ldnnl -lopenblas -lm
fi
cores=$(nproc)
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$cores}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$cores}"
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
exec "$out" "$@"
