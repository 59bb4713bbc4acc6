"""precis.browser_backend on CPython: planning from a header-only prefix with an adapter's limits, and the
checks that run before anything reaches the JS executor. (The executor itself runs in
tests/browser/test_webgpu_engine.py, in Chromium.)"""

import pytest

from precis.browser_backend import BrowserBackend, plan_for_adapter
from precis.gguf import GGUFError, open_gguf
from precis.plan import PlanError
from precis_build.paths import DEFAULT_MODEL

MiB = 1 << 20


@pytest.fixture(scope="module")
def header():
    """What the browser has before the weights stream: a prefix of the file and the file's size."""
    data = DEFAULT_MODEL.read_bytes()
    return data[:4 * MiB], len(data)


def test_plan_from_a_header_prefix_uses_the_adapters_binding_limit(header):
    prefix, size = header
    g = open_gguf(prefix, file_size=size)
    plan = plan_for_adapter(g, {"maxStorageBufferBindingSize": 16 * MiB, "maxBufferSize": 1024 * MiB},
                            context=512)
    assert plan.model["max_binding"] == 16 * MiB and plan.model["context"] == 512
    # token_embd (Q8_0, 49152 x 576: 30 MB) no longer fits one binding: it is split into row shards
    # that cover the tensor exactly, each within the limit.
    emb = g.tensors["token_embd.weight"]
    shards = [b for b in plan.buffers if b.kind == "weight" and b.tensor == "token_embd.weight"]
    assert len(shards) == 2
    assert all(b.size <= 16 * MiB for b in shards)
    assert shards[0].file_offset == emb.offset
    assert sum(b.nbytes for b in shards) == emb.nbytes
    assert all(off + n <= size for b in plan.buffers if b.kind == "weight" for _, off, n in b.weight_parts())


def test_default_context_and_cpu_adapters(header):
    g = open_gguf(header[0], file_size=header[1])
    gpu_plan = plan_for_adapter(g, None)
    cpu_plan = plan_for_adapter(g, None, cpu_adapter=True)
    assert gpu_plan.model["context"] == 4096                      # the model's 8192, capped
    assert plan_for_adapter(g, None, context=100_000).model["context"] == 8192
    sources = lambda plan: {s for p in plan.pipelines for s in p.sources}
    assert "matmul_tiled.wgsl" in sources(gpu_plan)
    assert "matmul_tiled.wgsl" not in sources(cpu_plan)           # SwiftShader keeps the per-row kernel
    assert "matmul_rowwise.wgsl" in sources(cpu_plan) and "matmul.wgsl" not in sources(cpu_plan)
    assert "matmul_rowwise.wgsl" not in sources(gpu_plan)


def test_a_prefix_too_short_or_a_truncated_file_is_a_gguf_error(header):
    prefix, size = header
    with pytest.raises(GGUFError, match="truncated file"):
        open_gguf(prefix[:100_000], file_size=size)
    with pytest.raises(GGUFError, match="runs past the end of the file"):
        open_gguf(prefix, file_size=20 * MiB)


def test_an_impossible_context_is_a_plan_error(header):
    g = open_gguf(header[0], file_size=header[1])
    with pytest.raises(PlanError, match="context"):
        plan_for_adapter(g, None, context=0)


class NeverCalled:
    """An executor the checks must stop before: any feed is a test failure."""
    lost = None

    def feed(self, ids, pos):
        raise AssertionError(f"feed({ids}, {pos}) reached the executor")


MODEL = {"vocab": 100, "context": 8, "chunk": 4}


@pytest.mark.parametrize("call,message", [
    (lambda b: b.next_candidates([]), "no tokens"),
    (lambda b: b.next_candidates([5, 100]), "token id 100 outside the vocabulary 0..99"),
    (lambda b: b.next_candidates([-1]), "token id -1"),
    (lambda b: b.next_candidates(list(range(9))), "exceed the context of 8 tokens"),
    (lambda b: b.step([1, 2], [0, 2]), "consecutive"),
    (lambda b: b.step([1], [3]), "skips past the 0 tokens the cache holds"),
    (lambda b: b.greedy([1], 0), "max_new must be at least 1"),
    (lambda b: b.greedy([], 3), "no tokens"),
])
def test_bad_steps_are_refused_before_the_gpu(call, message):
    with pytest.raises(ValueError, match=message):
        call(BrowserBackend(NeverCalled(), MODEL))
