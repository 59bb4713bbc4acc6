"""The models the user manages in the panel's settings: stored once, listed with their size, deleted,
a vanished file falling back to the built-in model; leftovers of interrupted adds cleaned; and the
memory the other windows' engines hold, counted by a new load. Real extension, headless Chromium,
the real SmolLM2 135M (the tests' fast model) added through the settings' file input."""

import json
import time

import pytest

from precis_build import browser, extension_driver
from precis_build.extension_driver import ExtensionDriver, Session

pytestmark = pytest.mark.browser

MiB = 1 << 20


def js(value):
    return json.dumps(value)


def _panel(ext, pages_url):
    return ext.panel or ext.open_with_panel(f"{pages_url}/article.html")


def _start_clean(panel):
    """No stored model, the built-in one chosen, no message shown."""
    panel.evaluate("""(async () => {
        const root = await navigator.storage.getDirectory();
        for (const folder of ['models', 'models-incoming']) await root.removeEntry(folder, {recursive: true}).catch(() => {});
        await chrome.storage.local.remove('model');
        window.precisPanel.state.settings.model = 'package';
        await (await import('./model_picker.js')).fillModelChoices();
        document.getElementById('model-message').textContent = '';
        return true; })()""")


def _shown(panel):
    """What the settings show and what the browser keeps."""
    return panel.evaluate("""(async () => {
        const root = await navigator.storage.getDirectory(), stored = [];
        for (const folder of ['models', 'models-incoming']) {
            const dir = await root.getDirectoryHandle(folder, {create: true});
            for await (const [name] of dir.entries()) stored.push(`${folder}/${name}`); }
        return { stored: stored.sort(), setting: window.precisPanel.state.settings.model,
                 saved: (await chrome.storage.local.get('model')).model ?? null,
                 selected: document.getElementById('model-source').value,
                 choices: [...document.querySelectorAll('#model-source option:not([disabled])')].map((o) => o.value),
                 listed: [...document.querySelectorAll('#stored-models li')].map((li) => li.firstChild.textContent),
                 noneShown: !document.getElementById('stored-models-none').hidden,
                 message: document.getElementById('model-message').textContent,
                 notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice').textContent };
    })()""")


def _wait_for_message(panel, starts, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = panel.evaluate("document.getElementById('model-message').textContent")
        if message.startswith(starts):
            return message
        time.sleep(0.2)
    raise AssertionError(f"the model message never started with {starts!r}; it reads {message!r}")


def test_the_same_file_added_twice_is_stored_once(ext, pages_url, smollm2_path, tmp_path):
    panel = _panel(ext, pages_url)
    _start_clean(panel)
    data = smollm2_path.read_bytes()
    mine, again = tmp_path / "mine.gguf", tmp_path / "again.gguf"   # same bytes, another name
    mine.write_bytes(data)
    again.write_bytes(data)
    assert ext.add_model(mine) == "Using SmolLM2 135M Instruct (llama)."
    assert ext.add_model(again) == ("This file is already stored as mine.gguf: that copy is used. "
                                    "Using SmolLM2 135M Instruct (llama).")
    assert _shown(panel) == {
        "stored": ["models/mine.gguf"], "setting": "opfs:mine.gguf", "saved": "opfs:mine.gguf",
        "selected": "opfs:mine.gguf", "choices": ["package", "opfs:mine.gguf"],
        "listed": [f"mine.gguf ({len(data) / MiB:.1f} MiB)"], "noneShown": False,
        "message": "This file is already stored as mine.gguf: that copy is used. Using SmolLM2 135M Instruct (llama).",
        "notice": ""}
    # Same size, one byte changed in the last or the first MiB: another model, not a stored copy.
    assert ext.panel.evaluate("""(async () => {
        const { findStoredCopy } = await import('../engine/model_source.js');
        const root = await navigator.storage.getDirectory();
        const stored = await (await (await root.getDirectoryHandle('models')).getFileHandle('mine.gguf')).getFile();
        const bytes = new Uint8Array(await stored.arrayBuffer());
        bytes[bytes.length - 10] ^= 0xFF;                       // the last MiB differs
        const tail = await findStoredCopy(new File([bytes], 'x.gguf'));
        bytes[bytes.length - 10] ^= 0xFF; bytes[100] ^= 0xFF;  // the first MiB differs
        const head = await findStoredCopy(new File([bytes], 'x.gguf'));
        bytes[100] ^= 0xFF;
        const same = await findStoredCopy(new File([bytes], 'x.gguf'));
        return [tail, head, same]; })()""") == [None, None, "opfs:mine.gguf"]


def test_deleting_stored_models_and_the_one_in_use(ext, pages_url, smollm2_path, tmp_path):
    panel = _panel(ext, pages_url)
    _start_clean(panel)
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(smollm2_path.read_bytes())
    assert ext.add_model(mine) == "Using SmolLM2 135M Instruct (llama)."
    # A second stored file, not in use.
    panel.evaluate("""(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
        const writable = await (await dir.getFileHandle('spare.gguf', {create: true})).createWritable();
        await writable.write(new Uint8Array(3 * 1048576 + 52429)); await writable.close();
        await (await import('./model_picker.js')).fillModelChoices(); return true; })()""")
    assert _shown(panel)["listed"] == [f"mine.gguf ({mine.stat().st_size / MiB:.1f} MiB)", "spare.gguf (3.1 MiB)"]

    panel.evaluate("document.querySelector('#stored-models button[data-source=\"opfs:spare.gguf\"]').click(), true")
    _wait_for_message(panel, "Deleted")
    shown = _shown(panel)
    assert (shown["message"], shown["stored"], shown["setting"]) == ("Deleted spare.gguf.", ["models/mine.gguf"],
                                                                     "opfs:mine.gguf")

    # The model in use: the built-in model is loaded first, then the file goes.
    panel.evaluate("document.querySelector('#stored-models button[data-source=\"opfs:mine.gguf\"]').click(), true")
    message = _wait_for_message(panel, "Deleted")
    assert message == "Deleted mine.gguf; it was the model in use: now using the built-in model."
    assert _shown(panel) == {
        "stored": [], "setting": "package", "saved": "package", "selected": "package", "choices": ["package"],
        "listed": [], "noneShown": True, "message": message, "notice": ""}
    assert panel.evaluate("window.precisPanel.state.model.source") == "package"


def test_a_vanished_stored_model_falls_back_to_the_built_in_one_with_a_notice(ext, pages_url):
    panel = _panel(ext, pages_url)
    _start_clean(panel)
    # The setting names a stored file; then the file goes (cleared site data, another window deleted it).
    panel.evaluate("""(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {create: true});
        const writable = await (await dir.getFileHandle('gone.gguf', {create: true})).createWritable();
        await writable.write('GGUF'); await writable.close();
        window.precisPanel.state.settings.model = 'opfs:gone.gguf';
        await chrome.storage.local.set({model: 'opfs:gone.gguf'});
        await (await import('./model_picker.js')).fillModelChoices();
        await dir.removeEntry('gone.gguf');
        return true; })()""")
    assert panel.evaluate("document.getElementById('model-source').value") == "opfs:gone.gguf"
    # The next request's model: the built-in one, and the notice says why.
    model = panel.evaluate("(async () => (await (await import('./model_picker.js')).ensureModel()).source)()")
    assert model == "package"
    shown = _shown(panel)
    assert shown["notice"] == "Your model gone.gguf is no longer in the browser's storage: using the built-in model."
    assert {k: shown[k] for k in ("setting", "saved", "selected", "choices", "listed")} == {
        "setting": "package", "saved": "package", "selected": "package", "choices": ["package"], "listed": []}

    # Choosing "built in" fires a change and loads it (it once fired none when the select already showed it).
    panel.evaluate("""(() => { const el = document.getElementById('model-source'); el.value = 'package';
        el.dispatchEvent(new Event('change')); return true; })()""")
    assert _wait_for_message(panel, "Using") == "Using SmolLM2 135M Instruct (llama)."


def test_leftovers_of_interrupted_adds_are_removed_but_not_a_file_being_added(ext, pages_url):
    """clearIncoming is what the engine worker runs at boot; a file another window is adding (its Web Lock
    held) stays."""
    panel = _panel(ext, pages_url)
    _start_clean(panel)
    result = panel.evaluate("""(async () => {
        const { clearIncoming, incomingLock } = await import('../engine/model_source.js');
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models-incoming', {create: true});
        for (const name of ['left.gguf', 'adding.gguf']) {
            const writable = await (await dir.getFileHandle(name, {create: true})).createWritable();
            await writable.write('GGUF'); await writable.close(); }
        let release;
        const held = new Promise((resolve) => { release = resolve; });
        await new Promise((granted) => navigator.locks.request(incomingLock('adding.gguf'), () => { granted(); return held; }));
        const removed = await clearIncoming();
        release();
        const kept = []; for await (const [name] of dir.entries()) kept.push(name);
        return { removed, kept }; })()""")
    assert result == {"removed": ["left.gguf"], "kept": ["adding.gguf"]}


def _open_second_panel(ext) -> Session:
    """The panel's page in another tab: its own engine worker, as another window's side panel has."""
    url = browser.extension_url(extension_driver.PANEL_PATH)
    target = ext.cdp.send("Target.createTarget", {"url": url})["targetId"]
    panel = Session(ext.cdp, target)
    deadline = time.monotonic() + 120
    while not ExtensionDriver._evaluate_when_ready(panel, "Boolean(globalThis.chrome?.runtime?.getURL)", deadline):
        time.sleep(0.1)
    return panel


def _holdings(panel):
    return panel.evaluate("""navigator.locks.query().then(({held}) => held.map((l) => l.name)
        .filter((n) => n.startsWith('precis-engine-memory:')).map((n) => Number(n.split(':').pop())))""")


def test_a_load_counts_the_memory_the_other_windows_engines_hold(ext, pages_url):
    panel = _panel(ext, pages_url)
    first = panel.evaluate("(async () => { const { engine } = await import('./engine.js');"
                           " return engine.request('load_model', {source: 'package'}); })()")
    held = first["gpu_bytes"] or first["file_bytes"]
    assert held > 50 * MiB
    assert _holdings(panel) == [held]
    second = _open_second_panel(ext)
    try:
        info = second.evaluate("(async () => { const { engine } = await import('./engine.js');"
                               " await engine.boot(); return engine.request('load_model', {source: 'package'}); })()")
        assert info["others_bytes"] == held
        adapter_budget = second.evaluate("(async () => (await (await import('./engine.js')).engine.boot())"
                                         ".adapter.memory_budget ?? null)()")
        assert info["memory_budget"] == (max(1, adapter_budget - held) if adapter_budget else None)
        assert sorted(_holdings(panel)) == sorted([held, info["gpu_bytes"] or info["file_bytes"]])
    finally:
        ext.cdp.send("Target.closeTarget", {"targetId": second.target_id})
    # The closed window's engine holds nothing any more: its lock went with its worker.
    deadline = time.monotonic() + 30
    while _holdings(panel) != [held] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _holdings(panel) == [held]


def test_a_panel_opened_on_a_vanished_stored_model_says_so_and_uses_the_built_in_one(ext, pages_url):
    panel = _panel(ext, pages_url)
    _start_clean(panel)
    panel.evaluate("chrome.storage.local.set({model: 'opfs:gone.gguf'}).then(() => true)")   # no such file stored
    panel.send("Page.reload")
    deadline = time.monotonic() + 120
    while not ExtensionDriver._evaluate_when_ready(panel, "Boolean(window.precisPanel?.state?.settings)", deadline):
        assert time.monotonic() < deadline, "the panel did not start again"
        time.sleep(0.1)
    panel.evaluate("window.precisPanel.ready")
    shown = _shown(panel)
    assert shown["notice"] == "Your model gone.gguf is no longer in the browser's storage: using the built-in model."
    assert {k: shown[k] for k in ("setting", "saved", "selected", "choices", "message")} == {
        "setting": "package", "saved": "package", "selected": "package", "choices": ["package"],
        "message": "Your model gone.gguf is no longer in the browser's storage: using the built-in model."}
