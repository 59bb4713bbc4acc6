"""The device contract (py/precis/device.py; JS: extension/engine/device_contract.js), one suite for every
implementation, each driven by the real precis Engine on the real SmolLM2-135M Q4_1 (the tests' fast model; the browser tests make it the built-in):

    CPython  reference (numpy), wgpu (our WGSL through wgpu-py on lavapipe), llama_cpp (native llama.cpp),
             recording (`precis prompt`'s device: answers end-of-text, computes nothing)
    browser  webgpu (webgpu_executor.js on SwiftShader), cpu (wllama_device.js: llama.cpp in wasm), through
             the real extension's engine worker in headless Chromium (the worker's DeviceLink hands them to
             Python in Pyodide)

Each device runs behind a Harness (CPython: an Engine and the device object; browser: the engine host page's
requests); the tests are written once against the harness. What each test checks per device is in its
docstring; what a harness cannot reach (the browser's devices are only reachable through the engine) is said
there too."""

import json

import pytest

from precis.device import Device, DeviceError
from precis.engine import Engine
from precis_build import browser
from precis_build.paths import SMOLLM2_MODEL

CONTEXT = 64
# "Be brief." / "Capital of France?" in SmolLM2's chat template (precis.chat_template), as ids.
PROMPT = [1, 9690, 198, 6077, 5453, 30, 2, 198, 1, 4093, 198, 39832, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]
NEW_TOKENS = 6
# The numpy reference's greedy answer (native llama.cpp gives the same ids): every computing device must give it.
EXPECTED_IDS = [504, 3575, 282, 4649, 314, 7042]
EXPECTED_TEXT = "The capital of France is Paris"
TOP_K = 64            # the plan's top-k, and the CPU spec's
VOCAB = 49152


# ---- CPython devices -------------------------------------------------------------------------------------

class Tap:
    """Around the device the engine drives: records the text riding on each step and poll (what the worker
    streams to the panel), and calls `on_text` with it: a test's stand-in for the worker's cancel."""

    def __init__(self, device):
        self.device = device
        self.streamed = ""
        self.on_text = None

    def _text(self, text):
        if text:
            self.streamed += text
            if self.on_text:
                self.on_text(text)

    def step(self, ids, positions, k, text=""):
        self._text(text)
        return self.device.step(ids, positions, k, "")

    def poll(self, text=""):
        self._text(text)
        return self.device.poll("")

    def close(self):
        self.device.close()


def _prepared(adapter: dict, **options) -> tuple:
    """An Engine that prepared the default model (nothing committed yet), and the device spec it asks for."""
    engine = Engine()
    engine.set_adapter(adapter)
    data = SMOLLM2_MODEL.read_bytes()
    prepared = engine.prepare(data, len(data), SMOLLM2_MODEL.name, "package", context=CONTEXT, **options)
    return engine, prepared["spec"]


NUMPY_ADAPTER = {"available": True, "info": {"description": "numpy reference"}, "features": [], "limits": {}}


def _reference():
    from precis.gguf import open_gguf
    from precis_oracles.reference.device import ReferenceDevice
    return _prepared(NUMPY_ADAPTER)[0], ReferenceDevice(open_gguf(SMOLLM2_MODEL), context=CONTEXT)


def _wgpu():
    from precis_oracles.wgpu_executor import WgpuDevice, adapter_report, open_device
    gpu = open_device()
    # device "gpu": "auto" gives lavapipe (a CPU adapter) to the CPU device
    engine, spec = _prepared(adapter_report(gpu), device="gpu", chunk=8)
    return engine, WgpuDevice.create(spec, SMOLLM2_MODEL, gpu)


def _llama_cpp():
    from precis_build.llama_cpp_device import LlamaCppDevice, native_llama
    engine, _ = _prepared({"available": False, "reason": "native llama.cpp"}, device="cpu")
    return engine, LlamaCppDevice(native_llama(SMOLLM2_MODEL, CONTEXT), owns=True)


def _recording():
    from precis_build.commands.prompt import _RecordingDevice
    return _prepared(NUMPY_ADAPTER)[0], _RecordingDevice(eos=0, vocab=VOCAB, context=CONTEXT)


CPYTHON = {"reference": _reference, "wgpu": _wgpu, "llama_cpp": _llama_cpp, "recording": _recording}


class CPythonHarness:
    browser = False

    def __init__(self, name):
        self.name = name
        self.computes = name != "recording"
        self.engine = self.device = self.tap = None

    def load(self):
        self.engine, self.device = CPYTHON[self.name]()
        self.tap = Tap(self.device)
        self.engine.commit(self.tap)

    def greedy(self, prompt, n, cancel_on_text=False, fresh=True):
        self.tap.streamed = ""
        self.tap.on_text = (lambda text: self.engine.cancel()) if cancel_on_text else None
        answer = self.engine.handle("greedy", {"prompt_ids": prompt, "max_tokens": n, "fresh": fresh})
        if "error" in answer:
            return answer
        return {**answer["value"], "streamed": self.tap.streamed}

    def bad_request_kinds(self):
        """The device itself refuses bad steps (precis.device.check_step), each as DeviceError(kind)."""
        self.engine.greedy([5], 1)                 # the cache holds one position
        kinds = []
        for ids, positions, k in (([5], [3], 8),           # skips past what the cache holds
                                  ([5, 6], [0, 2], 8),     # not consecutive
                                  ([VOCAB], [0], 8),       # outside the vocabulary
                                  ([5], [0], 0),           # no candidates asked
                                  ([5] * CONTEXT, list(range(1, CONTEXT + 1)), 8)):   # past the context
            try:
                self.device.step(ids, positions, k)
                kinds.append("accepted")
            except DeviceError as e:
                kinds.append(e.kind)
        return kinds

    def close(self):
        self.device.close()
        self.device.close()       # idempotent

    def held(self):
        """What the closed device still holds: GPU buffers (wgpu), the llama.cpp model, the numpy weights."""
        d = self.device
        return {"wgpu": lambda: len(d.executor.buffers), "llama_cpp": lambda: int(d.llm is not None),
                "reference": lambda: int(d.model is not None), "recording": lambda: 0}[self.name]()


# ---- the browser's devices, through the real extension's engine worker ------------------------------------

HOST = "extension/dev/engine_host.html"


class BrowserHarness:
    browser = True
    computes = True

    def __init__(self, name, driver):
        self.name = name
        self.kind = {"webgpu": "gpu", "cpu": "cpu"}[name]
        self.driver = driver

    def _run(self, expression, timeout=900):
        return browser.await_promise(self.driver, expression, timeout)

    def _attempt(self, type_, payload):
        """{"value": ...} or {"error": {"kind", "message"}}: the worker's structured answer."""
        return self._run(f"window.precisEngine.request({type_!r}, {json.dumps(payload)}).then((value) => ({{value}}),"
                         f" (e) => ({{error: {{kind: e.kind, message: e.message}}}}))")

    def load(self):
        if not self._run("Promise.resolve(Boolean(window.precisEngine))"):
            self.driver.get(browser.extension_url(HOST))
        self._run("window.precisBoot")
        self._run("Promise.resolve(window.precisProgress.length = 0)")
        answer = self._attempt("load_model", {"source": "package", "device": self.kind, "context": CONTEXT})
        assert "value" in answer, answer
        assert answer["value"]["device"]["kind"] == {"gpu": "webgpu", "cpu": "cpu"}[self.kind]
        self.progress = self._run("Promise.resolve(window.precisProgress.filter((m) => m.stage === 'model'))")

    def greedy(self, prompt, n, cancel_on_text=False, fresh=True):
        payload = json.dumps({"prompt_ids": prompt, "max_tokens": n, "device": self.kind, "continue": not fresh})
        outcome = self._run(f"""(async () => {{
            const engine = window.precisEngine, streamed = [];
            const {{ requestId, done }} = engine.generate("generate_ids", {payload}, {{
              onToken: (text) => {{ streamed.push(text); if ({json.dumps(cancel_on_text)}) engine.cancel(requestId); }} }});
            try {{ return {{ value: await done, streamed: streamed.join("") }}; }}
            catch (e) {{ return {{ error: {{ kind: e.kind, message: e.message }} }}; }}
        }})()""")
        if "error" in outcome:
            return outcome
        value = outcome["value"]
        # A cancelled request is answered at once with what streamed so far (engine_worker.js cancelledResult).
        return {**value, "finish_reason": value.get("finish_reason") or value["stats"]["finish_reason"],
                "streamed": outcome["streamed"]}

    def bad_request_kinds(self):
        """Only the engine reaches the browser's devices: a token id outside the vocabulary, refused with its
        kind in the structured error (never parsed from a message)."""
        answer = self._attempt("generate_ids", {"prompt_ids": [VOCAB], "max_tokens": 1, "device": self.kind})
        return [answer["error"]["kind"]]

    def close(self):
        """The worker closes a device when another one replaces it: load the other kind."""
        other = "cpu" if self.kind == "gpu" else "gpu"
        answer = self._attempt("load_model", {"source": "package", "device": other, "context": CONTEXT})
        assert "value" in answer, answer

    def held(self):
        """WebGPU: the buffers and devices alive in the worker (webgpu_executor.js liveGpuMemory). The CPU
        device's close ends llama.cpp's worker, which the page cannot count: None (not checked)."""
        if self.kind != "gpu":
            return None
        live = self._run("window.precisEngine.request('gpu_memory')")
        return live["devices"] + live["buffers"] + live["bytes"]


BROWSER = [pytest.mark.browser, pytest.mark.slow]
COMPUTING = [pytest.param("reference"), pytest.param("wgpu", marks=pytest.mark.gpu), pytest.param("llama_cpp"),
             pytest.param("webgpu", marks=BROWSER), pytest.param("cpu", marks=BROWSER)]
CPYTHON_DEVICES = [pytest.param("reference"), pytest.param("wgpu", marks=pytest.mark.gpu),
                   pytest.param("llama_cpp"), pytest.param("recording")]
EVERY = COMPUTING + [pytest.param("recording")]
each = pytest.mark.parametrize("harness", EVERY, indirect=True)


@pytest.fixture(scope="module")
def harness(request):
    if request.param in CPYTHON:
        h = CPythonHarness(request.param)
    else:
        h = BrowserHarness(request.param, request.getfixturevalue("driver"))
    h.load()
    return h


# ---- the suite ---------------------------------------------------------------------------------------------

@each
def test_the_same_prompt_gives_the_same_greedy_ids(harness):
    """Every computing device: the reference's greedy ids and text, the text streamed on the steps (and the
    last poll) equal to it, and the prompt step's top-k (64, best first). The recording device: it answers
    end-of-text (its one candidate), so the engine stops at once, having fed exactly the prompt."""
    result = harness.greedy(PROMPT, NEW_TOKENS)
    first_logits = result["first_logits"]
    assert first_logits == sorted(first_logits, reverse=True)
    if not harness.computes:
        assert result["first_ids"] == [0] and harness.device.fed == PROMPT + result["ids"][:-1]
        return
    assert result["ids"] == EXPECTED_IDS and result["text"] == EXPECTED_TEXT
    assert result["streamed"] == EXPECTED_TEXT and result["finish_reason"] == "max_tokens"
    assert len(result["first_ids"]) == len(set(result["first_ids"])) == TOP_K
    assert result["first_ids"][0] == EXPECTED_IDS[0]


@pytest.mark.parametrize("harness", COMPUTING, indirect=True)
def test_a_cancel_ends_the_request_at_its_next_step(harness):
    """A cancel made as the first text streams (the worker's cancel message; in CPython, Engine.cancel) ends the
    request "cancelled" with a prefix of the answer; the device then answers the next request in full."""
    result = harness.greedy(PROMPT, 40, cancel_on_text=True)
    assert result["finish_reason"] == "cancelled"
    assert result["streamed"] and EXPECTED_TEXT.startswith(result["streamed"]) and result["streamed"] != EXPECTED_TEXT
    if not harness.browser:
        assert len(result["ids"]) < 40
    assert harness.greedy(PROMPT, NEW_TOKENS)["ids"] == EXPECTED_IDS


@pytest.mark.parametrize("harness", CPYTHON_DEVICES, indirect=True)
def test_poll_carries_text_and_says_whether_cancelled(harness):
    """CPython devices: they are precis.device.Device (runtime check of the Protocol's methods), and poll(text)
    answers {"cancelled": False} when nothing was cancelled. In the browser,
    poll is the worker's DeviceLink (its cancel answer is what the cancel test sees)."""
    assert isinstance(harness.device, Device)        # step, poll, close (precis.device.Device)
    assert harness.device.poll("some text") == {"cancelled": False}
    assert harness.device.poll() == {"cancelled": False}


@each
def test_a_lower_first_position_drops_the_cache_from_there(harness):
    """A new prompt sharing a prefix feeds only what follows: the engine steps at the shared length, the device
    drops what its cache held past it, and the answer is as from an empty cache."""
    harness.greedy(PROMPT[:10] + [520, 9531, 198], 2)               # fills the cache with another ending
    result = harness.greedy(PROMPT, NEW_TOKENS, fresh=False)        # the engine keeps the common prefix
    if harness.computes:
        assert result["ids"] == EXPECTED_IDS
    else:
        assert harness.device.done                                  # a second prompt ends `precis prompt`


@each
def test_bad_requests_are_refused_with_their_kind(harness):
    """Bad step arguments are refused as errors of kind "bad_input" (CPython: by the device itself, every
    check of precis.device.check_step; browser: through the engine); the device keeps working."""
    kinds = harness.bad_request_kinds()
    assert kinds == ["bad_input"] * len(kinds) and kinds
    if harness.computes:
        assert harness.greedy(PROMPT, NEW_TOKENS)["ids"] == EXPECTED_IDS


@pytest.mark.parametrize("harness", [p for p in COMPUTING if p.values[0] in ("webgpu", "cpu")], indirect=True)
def test_a_load_reports_the_weights_progress(harness):
    """loadWeights(source, onProgress(fraction, bytesDone)), the same on both JS devices: the worker's load
    progress rises from 0 to 1 and its last weights message counts the whole file."""
    fractions = [m["fraction"] for m in harness.progress]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    weights = [m["message"] for m in harness.progress if "MiB" in m["message"]]
    assert weights and weights[-1].endswith(f": {SMOLLM2_MODEL.stat().st_size / 1048576:.0f} MiB")


@each
def test_close_frees_everything_and_a_new_device_loads(harness):
    """close() frees what the device held (wgpu: every buffer; llama.cpp: its model and context; numpy: the
    weights; WebGPU in the browser: no buffer nor device left alive), is idempotent, and a closed CPython device
    refuses steps as "device_lost", which the engine reports with that kind. A new device then loads and gives
    the same ids."""
    harness.close()
    assert harness.held() in (0, None)
    if not harness.browser:
        with pytest.raises(DeviceError) as refused:
            harness.device.step([5], [0], 8)
        assert refused.value.kind == "device_lost"
        assert harness.greedy(PROMPT, 1)["error"]["kind"] == "device_lost"
    harness.load()
    result = harness.greedy(PROMPT, NEW_TOKENS)
    if harness.computes:
        assert result["ids"] == EXPECTED_IDS
