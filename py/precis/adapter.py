"""The WebGPU adapter as the engine sees it, and the Plan made for it. Pure stdlib (runs in Pyodide).

JS reports the adapter once, raw (extension/engine/webgpu_executor.js `adapterReport()`, requested with
powerPreference "high-performance" in that one place):
    {available: true, info: {vendor, architecture, device, description}, isFallbackAdapter,
     features: [...], limits: {maxStorageBufferBindingSize, ...}, deviceMemoryGiB}
    {available: false, reason}
Every decision about it is made here: its name, whether it is a CPU implementation of WebGPU
(SwiftShader, lavapipe/llvmpipe), the plan's kernel variants and limits, the memory budget.

    adapter = describe_adapter(raw)        # {available, name, vendor, architecture, cpu, features, limits, ...}
    plan = plan_for_adapter(gguf, adapter, context=2048)
"""

from __future__ import annotations

import re
from typing import Any, Optional

from precis.memory import cpu_memory_budget
from precis.model_plan import DEFAULT_MAX_BINDING, build_plan
from precis.plan import Plan, PlanError

DEFAULT_CHUNK = 32           # prefill tokens per GPU step: the plan's chunk, the only one
DEFAULT_CONTEXT = 4096       # KV-cache positions (capped by the model's own context)

# Software WebGPU: these run on the CPU, and get the plan variants CPUs run fastest.
# (Chrome flags its own fallback, SwiftShader, with isFallbackAdapter; drivers' software renderers are not.)
_CPU_ADAPTER = re.compile(r"swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver", re.IGNORECASE)
# Limits the plan may need raised above WebGPU's defaults (requested at the adapter's value).
RAISED_LIMITS = ("maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize",
                 "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX")
REPORTED_LIMITS = RAISED_LIMITS + ("maxStorageBuffersPerShaderStage", "maxComputeWorkgroupsPerDimension",
                                   "maxUniformBufferBindingSize")


def to_py(value: Any) -> Any:
    """A JS value (JsProxy) as Python; Python values unchanged."""
    return value.to_py() if hasattr(value, "to_py") else value


def describe_adapter(raw: Any) -> dict:
    """The adapter's plain description (see the module docstring) from JS's raw report."""
    raw = to_py(raw) or {}
    if not raw.get("available"):
        return {"available": False, "reason": str(raw.get("reason") or "no WebGPU adapter was found")}
    info = raw.get("info") or {}
    fields = [str(info.get(k) or "") for k in ("vendor", "architecture", "device", "description")]
    name = info.get("description") or " ".join(f for f in fields[:3] if f) or "unknown adapter"
    cpu = bool(raw.get("isFallbackAdapter") or info.get("isFallbackAdapter")) or bool(
        _CPU_ADAPTER.search(" ".join(fields)))
    limits = {k: int(v) for k, v in (raw.get("limits") or {}).items() if v is not None}
    described = {
        "available": True, "name": str(name), "vendor": fields[0], "architecture": fields[1], "cpu": cpu,
        "features": sorted(str(f) for f in raw.get("features") or ()), "limits": limits,
    }
    # A CPU adapter's buffers live in the machine's memory: the CPU device's budget applies. A GPU's own
    # memory is not reported by WebGPU; its per-buffer limits still apply (precis.memory).
    budget = cpu_memory_budget(raw.get("deviceMemoryGiB")) if cpu else None
    if budget is not None:
        described["memory_budget"] = budget
    return described


def plan_for_adapter(gguf, adapter: Optional[dict] = None, *, chunk: int = DEFAULT_CHUNK,
                     context: Optional[int] = None) -> Plan:
    """The Plan of `gguf` (a precis.gguf.GGUFFile; a header-only prefix is enough) for `adapter`
    (describe_adapter's dict; None: WebGPU's defaults, a GPU). A CPU adapter gets the per-row matmuls
    (matmul_rowwise.wgsl, no tiles), which CPUs run fastest; features pick kernel variants (build_plan).
    `context`: KV-cache positions (default DEFAULT_CONTEXT), capped by the model's. Raises PlanError."""
    adapter = adapter or {}
    limits = adapter.get("limits") or {}
    sizes = [int(limits[k]) for k in ("maxStorageBufferBindingSize", "maxBufferSize") if limits.get(k)]
    max_binding = min(sizes) if sizes else DEFAULT_MAX_BINDING
    cpu = bool(adapter.get("cpu"))
    model_context = int(gguf.arch_value("context_length", DEFAULT_CONTEXT) or DEFAULT_CONTEXT)
    context = min(model_context, DEFAULT_CONTEXT) if context is None else int(context)
    if context < 1:
        raise PlanError(f"context {context} must be positive")
    if chunk < 2:
        raise PlanError(f"prefill chunk {chunk} must be at least 2 tokens")
    return build_plan(gguf, chunk=chunk, context=min(context, model_context), max_binding=max_binding,
                      tiled_prefill=not cpu, rowwise_matmul=cpu, features=list(adapter.get("features") or ()))
