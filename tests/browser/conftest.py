"""Headless Chromium with the real extension, shared by the browser tests of a module."""

import json
from pathlib import Path

import pytest

from precis_build import browser, extension_driver
from precis_build.llama_cpp_device import LlamaCppDevice
from precis_build.paths import REPO_ROOT, VENDOR
from precis_build.commands.setup import write_asset_manifest
from precis_build.models_catalog import DEFAULT_MODEL_NAME
from precis_build.project import version
from precis_build.wheels import build_precis_wheel

# The built-in model of the unpacked extension during the browser tests: SmolLM2 135M, 5x smaller than the
# default, so the panel tests run in CI's time. The tests that prove the product (test_main_job) make the real
# default the built-in with `built_in_model`.
FAST_BUILT_IN = "smollm2-135m"


@pytest.fixture(scope="session", autouse=True)
def current_precis_wheel():
    """The extension installs the wheel in vendor/wheels: rebuild it so the browser runs
    the py/precis of this checkout, not the one of the last `precis setup`; its built-in model is FAST_BUILT_IN
    for the session, and the default again (as `precis setup` leaves it) after."""
    wheel = build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")
    write_asset_manifest(wheel.name, FAST_BUILT_IN)
    yield wheel
    write_asset_manifest(wheel.name, DEFAULT_MODEL_NAME)


@pytest.fixture
def built_in_model(current_precis_wheel):
    """use(name): make `name` the extension's built-in model (vendor/precis-assets.json) until the test ends."""
    def use(name: str) -> None:
        write_asset_manifest(current_precis_wheel.name, name)
    yield use
    write_asset_manifest(current_precis_wheel.name, FAST_BUILT_IN)


@pytest.fixture(scope="module")
def driver(current_precis_wheel, tmp_path_factory):
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with browser.launch(log_path=log) as drv:
        extension_driver.install_probe(drv)  # the panel's test hook (window.precisPanel, precisStatus)
        yield drv


PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="module")
def pages_url():
    """Base URL of tests/browser/pages, served on 127.0.0.1."""
    with browser.serve_folder(PAGES) as url:
        yield url


@pytest.fixture(scope="module")
def ext(current_precis_wheel, tmp_path_factory):
    """The extension driven as a user drives it: tabs, the toolbar button, the side panel."""
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with extension_driver.launch(log_path=log) as driver:
        x = extension_driver.ExtensionDriver(driver)
        try:
            yield x
        finally:
            x.close()


@pytest.fixture(scope="session")
def llama_cpp():
    """The default model in native llama.cpp (4096 positions, 2 threads): the CPU device's oracle
    (LlamaCppDevice plugs it into a CPython precis Engine)."""
    from precis_build.llama_cpp_device import native_llama
    from precis_build.paths import SMOLLM2_MODEL
    return native_llama(SMOLLM2_MODEL, 4096, threads=2)


@pytest.fixture(scope="session")
def llama_cpp_engine(llama_cpp):
    """make(context) -> a fresh CPython precis Engine on the CPU device's spec whose device is llama.cpp
    (LlamaCppDevice): what the browser's engine on the CPU device must give, token for token, for the same
    request. The engine's `device.fed` records every token fed."""
    from precis.engine import Engine
    from precis_build.paths import SMOLLM2_MODEL

    def make(context: int = 4096):
        engine = Engine()
        engine.set_adapter({"available": False, "reason": "native llama.cpp"})
        data = SMOLLM2_MODEL.read_bytes()
        engine.prepare(data, len(data), SMOLLM2_MODEL.name, "package", context=context, device="cpu")
        engine.commit(LlamaCppDevice(llama_cpp))
        return engine

    return make


# How far below llama.cpp's best candidate a token the CPU device chose may score: native and wasm llama.cpp
# differ by up to ~0.3 in log-probability on this model (and native by ~0.55 between batched and one-by-one
# feeding), so a near-tie may fall either way; a wrong token scores several nats lower.
NEAR_TIE = 0.6


@pytest.fixture(scope="session")
def llama_cpp_would_write(llama_cpp, llama_cpp_engine):
    """check(page, style, length, text, finish_reason): the summary the browser wrote, teacher-forced through
    native llama.cpp with our engine's prompt and sampler (greedy after the repetition penalty, on
    log-softmax): every token of `text`, then the end of turn when it stopped there, must be llama.cpp's
    choice or within NEAR_TIE of it. Returns the largest gap seen. Pages that fit one prompt only."""
    import numpy as np

    from precis.sampler import Sampler, SamplerConfig

    def check(page, style, length, text, finish_reason):
        engine = llama_cpp_engine(4096)
        expected = engine.summarize(page, style, length)
        fed = engine.device.fed
        prompt = [fed[p] for p in range(expected["stats"]["prompt_tokens"])]
        tokenizer = engine.model.tokenizer
        forced = tokenizer.encode(text, add_special=False)
        if finish_reason == "eos":
            forced.append(None)          # any of the end-of-turn ids
        sampler = Sampler(SamplerConfig(temperature=0.0, repetition_penalty=1.1))
        llama_cpp.n_tokens = 0
        llama_cpp.eval(prompt)
        history, worst = list(prompt), 0.0
        for i, token in enumerate(forced):
            logits = np.ctypeslib.as_array(llama_cpp._ctx.get_logits(), shape=(llama_cpp.n_vocab(),)).astype(np.float64)
            shifted = logits - logits.max()
            log_softmax = shifted - np.log(np.exp(shifted).sum())
            top = [int(t) for t in np.argsort(-logits, kind="stable")[:64]]
            scores = dict(zip(top, sampler.penalize(top, [float(log_softmax[t]) for t in top], history)))
            if token is None:
                token = max((t for t in tokenizer.eos_ids if t in scores), key=scores.get, default=-1)
            assert token in top, f"token {i} ({token}) of the browser's text is not among llama.cpp's top 64"
            gap = max(scores.values()) - scores[token]
            assert gap <= NEAR_TIE, (f"token {i} ({tokenizer.decode([token])!r}) scores {gap:.2f} below "
                                     f"llama.cpp's choice; llama.cpp wrote {expected['text']!r}")
            worst = max(worst, gap)
            history.append(token)
            llama_cpp.eval([token])
        return worst

    return check


@pytest.fixture
def ground_and_show():
    """The helper below, for the panel tests that show a grounded summary."""
    return _ground_and_show


def _ground_and_show(panel, summary, go_to):
    """Grounds `summary` against the panel's page through the engine's own `ground` request, shows it as
    a key-points summary, and follows the Show in page button of point `go_to`. Returns each point's
    class, flags, quoted passage and button title, and what goToPassage found."""
    return panel.evaluate(f"""(async () => {{
        const {{ extractPage }} = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        const page = await extractPage(tab.id, {{ url: tab.url }});
        const grounding = await window.precisEngine.ground({json.dumps(summary)}, page.text);
        window.precisPanel.presentSummary({{ text: {json.dumps(summary)}, style: 'key-points', grounding }}, page, tab.id);
        const items = [...document.querySelectorAll('#grounding li')];
        const button = items[{int(go_to)}].querySelector('button.source');
        const result = await window.precisPanel.goToPassage(tab.id, button.title, button);
        return {{
            classes: items.map(li => li.className),
            flags: items.map(li => [...li.querySelectorAll('.flag')].map(f => f.textContent)),
            passages: items.map(li => li.querySelector('.passage')?.textContent ?? null),
            buttons: items.map(li => li.querySelector('button.source')?.title ?? null),
            result,
        }};
    }})()""")
