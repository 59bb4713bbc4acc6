"""What a Plan needs from the device, checked before anything is allocated. Pure stdlib (runs in Pyodide).

    sizes = estimate(plan)                      # {weights, kv, activations, io, total, largest_buffer, ...}
    check_fits(plan, adapter)                   # raises DoesNotFit naming the sizes and the limit
    needs = device_requirements(plan, adapter)  # {requiredLimits, requiredFeatures}: what createDevice asks for

Every byte the plan's executor allocates is a plan buffer (weights, KV cache, activations, io) plus the
top-k readback; the estimate is their sum, exactly what the executor creates.
"""

from __future__ import annotations

from precis.plan import Plan

MiB = 1 << 20
MIN_STORAGE_BUFFERS = 8    # WebGPU's default per-stage storage buffers, always requested at least


class DoesNotFit(ValueError):
    """The plan needs more than the adapter gives; the message names the sizes."""


def cpu_memory_budget(device_memory_gib, others_bytes: int = 0):
    """Bytes the CPU device may take: half the machine's memory (navigator.deviceMemory, GiB; Chrome caps
    it at 8), less what the other windows' engines announce holding (Web Locks). None: memory unknown."""
    try:
        machine = float(device_memory_gib or 0) * (1 << 30)
    except (TypeError, ValueError):
        return None
    if machine <= 0:
        return None
    return max(1, int(machine) // 2 - max(0, int(others_bytes or 0)))


def mib(n: int) -> str:
    return f"{n / MiB:,.1f} MiB"


def estimate(plan: Plan) -> dict:
    """Bytes by buffer kind, the total (+ the top-k readback), and the largest buffer and binding."""
    by_kind = {"weight": 0, "kv": 0, "activation": 0, "io": 0}
    for b in plan.buffers:
        by_kind[b.kind] = by_kind.get(b.kind, 0) + b.size
    readback = plan.topk * 8
    largest_binding, storage_per_stage = 0, 0
    for steps in plan.steps.values():
        for d in steps.dispatches:
            storage = [size for _, buf, _, size in d.bindings if plan.buffers[buf].usage != "uniform"]
            storage_per_stage = max(storage_per_stage, len(storage))
            largest_binding = max([largest_binding] + storage)
    return {
        "weights": by_kind["weight"], "kv": by_kind["kv"], "activations": by_kind["activation"],
        "io": by_kind["io"] + readback, "total": sum(by_kind.values()) + readback,
        "largest_buffer": max(b.size for b in plan.buffers), "largest_binding": largest_binding,
        "storage_per_stage": storage_per_stage,
    }


def check_fits(plan: Plan, adapter: dict) -> dict:
    """The estimate, after checking it against the adapter's limits and memory budget (adapter:
    precis.adapter.describe_adapter's dict). Raises DoesNotFit with the sizes."""
    sizes = estimate(plan)
    limits = adapter.get("limits") or {}
    context = plan.model.get("context")
    problems = []
    if limits.get("maxBufferSize") and sizes["largest_buffer"] > limits["maxBufferSize"]:
        problems.append(f"a {mib(sizes['largest_buffer'])} buffer (the adapter allows {mib(limits['maxBufferSize'])})")
    if limits.get("maxStorageBufferBindingSize") and sizes["largest_binding"] > limits["maxStorageBufferBindingSize"]:
        problems.append(f"a {mib(sizes['largest_binding'])} storage binding "
                        f"(the adapter allows {mib(limits['maxStorageBufferBindingSize'])})")
    if limits.get("maxStorageBuffersPerShaderStage") and \
            sizes["storage_per_stage"] > limits["maxStorageBuffersPerShaderStage"]:
        problems.append(f"{sizes['storage_per_stage']} storage buffers in one kernel "
                        f"(the adapter allows {limits['maxStorageBuffersPerShaderStage']})")
    missing = [f for f in plan.required_features() if f not in (adapter.get("features") or ())]
    if missing:
        problems.append(f"the WebGPU feature(s) {', '.join(missing)}")
    budget = adapter.get("memory_budget")
    if budget and sizes["total"] > budget:
        problems.append(f"{mib(sizes['total'])} of GPU memory at a context of {context} tokens: weights "
                        f"{mib(sizes['weights'])} + KV cache {mib(sizes['kv'])} + activations "
                        f"{mib(sizes['activations'] + sizes['io'])}, over the {mib(budget)} this device can give")
    if problems:
        raise DoesNotFit(f"This GPU cannot run the model: it needs {' and '.join(problems)}.")
    return sizes


def device_requirements(plan: Plan, adapter: dict) -> dict:
    """The limits and features to request with the device (after check_fits): the adapter's values for
    the limits a plan may raise, and enough storage buffers per stage for the plan's dispatches."""
    from precis.adapter import RAISED_LIMITS

    limits = adapter.get("limits") or {}
    required = {name: int(limits[name]) for name in RAISED_LIMITS if limits.get(name)}
    per_stage = max(estimate(plan)["storage_per_stage"], MIN_STORAGE_BUFFERS)
    if limits.get("maxStorageBuffersPerShaderStage"):
        per_stage = min(per_stage, int(limits["maxStorageBuffersPerShaderStage"]))
    required["maxStorageBuffersPerShaderStage"] = per_stage
    return {"requiredLimits": required, "requiredFeatures": plan.required_features()}
