"""The added weight types' dequantizers executed in Chromium's WebGPU (Tint + Dawn, SwiftShader adapter): the
kernels the extension runs there (matmul_rowwise.wgsl on CPU adapters; matmul_subgroup.wgsl where subgroups are
used) on weights from a real quantizer, against gguf-py's dequantize and a float64 numpy product. The same
tolerance as on lavapipe: relative 1e-5 of the largest row L1 norm."""

import base64

import numpy as np
import pytest

from precis.model_plan import matmul_sources
from precis_build import browser
from precis_oracles.wgpu_executor import load_kernel_source

from kernel_harness import step_bytes
from test_quant_kernels import QUANTIZED, k_for, matmul_groups, random_tensor, seed
from test_subgroup_chromium import RUN_ONE, b64

pytestmark = [pytest.mark.gpu, pytest.mark.browser]

KERNELS = [("matmul_rowwise.wgsl", ""), ("matmul_subgroup.wgsl", "enable subgroups;\n")]


def test_added_types_match_numpy_in_chromium():
    jobs, expected = [], []
    n_tokens, max_tokens = 3, 4
    for type_name in QUANTIZED:
        for kernel, directives in KERNELS:
            rng = np.random.default_rng(seed("chromium", type_name, kernel))
            n, k = (70 if kernel == "matmul_rowwise.wgsl" else 37), k_for(type_name)
            raw, w = random_tensor(type_name, n, k, rng)
            x = rng.standard_normal((max_tokens, k)).astype(np.float32)
            jobs.append({"code": directives + load_kernel_source(matmul_sources(type_name, kernel)),
                         "constants": {"K": k, "N": n, "ROWS": 4, "TT": 2},
                         "uniform": b64(step_bytes(0, n_tokens)),
                         "storage": [b64(raw), b64(x), b64(np.zeros((max_tokens, n), np.float32)),
                                     b64(np.zeros(1, np.float32))],
                         "workgroups": [*matmul_groups(kernel, n, max_tokens, 2), 1], "out": 3})
            xs = x[:n_tokens].astype(np.float64)
            expected.append((f"{type_name} {kernel}", n, xs @ w.T, 1e-5 * (np.abs(xs) @ np.abs(w).T).max() + 1e-6))
    with browser.launch() as driver:
        driver.get(browser.extension_url("manifest.json"))   # any extension page: a secure context
        results = [driver.execute_async_script(RUN_ONE, job) for job in jobs]
    for (name, n, exp, tol), result in zip(expected, results):
        assert "error" not in result, f"{name}: {result.get('error')}"
        y = np.frombuffer(base64.b64decode(result["out"]), dtype=np.float32)[:max_tokens * n].reshape(max_tokens, n)
        np.testing.assert_allclose(y[:n_tokens], exp, rtol=1e-4, atol=tol, err_msg=name)
        assert (y[n_tokens:] == 0).all(), name
