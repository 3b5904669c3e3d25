#!/usr/bin/env bash
# Installs what BrecqQuant needs on Debian 12, and nothing when all is present.
#   scripts/setup.sh          system packages for building and running
#   scripts/setup.sh --test   also the Python packages the test suite checks against
set -euo pipefail

APT_PACKAGES=(libncursesw5-dev ncurses-term libopenblas-dev zlib1g-dev libssl-dev libjpeg62-turbo-dev libpng-dev dataset-fashion-mnist tmux libonnx-testdata)
# torch (CPU wheel) exports the 224×224 architectures the parity tests check (scripts/make_imagenet_models.py).
PIP_PACKAGES=(numpy onnx onnxruntime pillow torch==2.13.0+cpu)

fail() { echo "setup: $*" >&2; exit 1; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and apt-get is not available; install them with your package manager"
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        fail "missing ${missing[*]}; run as root or with password-less sudo, or: sudo apt-get install ${missing[*]}"
    fi
    echo "setup: installing ${missing[*]}" >&2
    "${SUDO[@]}" apt-get update -qq >/dev/null || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null \
        || fail "apt-get install ${missing[*]} failed"
fi

if [ "${1:-}" = "--test" ]; then
    PY=${PYTHON:-python3}
    command -v "$PY" >/dev/null 2>&1 || fail "python3 is needed for the reference checks (onnxruntime)"
    pip_missing=()
    for p in "${PIP_PACKAGES[@]}"; do
        module=${p%%==*}
        [ "$p" = pillow ] && module=PIL  # the package's import name differs
        "$PY" -c "import $module" >/dev/null 2>&1 || pip_missing+=("$p")
    done
    if [ ${#pip_missing[@]} -gt 0 ]; then
        echo "setup: pip installing ${pip_missing[*]}" >&2
        "$PY" -m pip install -q --disable-pip-version-check "${pip_missing[@]}" >/dev/null 2>&1 \
            || fail "pip install ${pip_missing[*]} failed (PyPI must be reachable)"
    fi
fi
