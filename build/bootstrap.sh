#!/usr/bin/env bash
# Install everything Précis needs on a fresh Debian machine, then fetch its assets.
# Safe to re-run: every step is skipped or verified when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Chromium + its driver (browser tests, `precis status` / `precis summarize`),
# lavapipe (a CPU Vulkan driver: WGSL through wgpu-py without a GPU),
# Noto CJK (headless Chromium has no font for Chinese or Japanese pages and answers otherwise).
if ! [ -x /usr/lib/chromium/chromium ] || ! [ -x /usr/bin/chromedriver ] || ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 \
   || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver mesa-vulkan-drivers \
    fonts-noto-cjk >/dev/null
fi

PY=${PYTHON:-python3}
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'

# llama.cpp's Python binding, built from source for the outside check on the reference
# model. Its AMX code path crashes on these CPUs (docs/PLATFORM.md): build without it.
if ! "$PY" -c "import llama_cpp" 2>/dev/null; then
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_AVX512=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$PY" -m pip install -q --disable-pip-version-check --no-cache-dir llama-cpp-python==0.3.36
fi

# The default model is Qwen2.5-Coder 0.5B Instruct; --test-models adds SmolLM2 135M (the tests' fast model) and
# Gemma 3 270M; the tests also run the 1.5B (tests/gpu/test_qwen_real_kernels.py, tests/browser/test_qwen_real_extension.py).
precis setup --test-models --model qwen2.5-coder-1.5b
