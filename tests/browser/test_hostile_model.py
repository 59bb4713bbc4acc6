"""A hostile model file added through the settings' "Add a model (.gguf)" is refused with the same line the
CLI prints (tests/unit/test_hostile_models.py), as the model notice, and nothing of it is kept. The file is
the real SmolLM2 135M with one 16 MB control token (precis_build.hostile_models): before the bounds, the
engine built a 16-million-node trie for it (3.2 GB in CPython; past the 32-bit wasm heap in the browser)."""

from precis_build.hostile_models import write_hostile
from test_panel import _pick_file, _wait_for_model_message

REFUSAL = ("This model file cannot be used: token #3 of 'tokenizer.ggml.tokens' is 16,777,216 bytes long, "
           "over the ceiling of 4,096 bytes")


def test_a_model_with_a_16_mb_control_token_is_refused_with_the_clis_line(ext, pages_url, smollm2_path, tmp_path):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    hostile = write_hostile(smollm2_path, tmp_path / "huge-token.gguf", "huge_control_token")
    _pick_file(panel, hostile)
    assert _wait_for_model_message(panel) == REFUSAL
    kept = panel.evaluate("""(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {create: true});
        const names = []; for await (const [name] of dir.entries()) names.push(name);
        return { setting: window.precisPanel.state.settings.model, stored: names,
                 choices: [...document.querySelectorAll('#model-source option:not([disabled])')].map(o => o.value) };
    })()""")
    assert kept == {"setting": "package", "stored": [], "choices": ["package"]}
