"""Stop inside long Python work, with the real extension and model in headless Chromium: the page of one
sentence and 100,000 dots is one ~100,000-symbol word for the tokenizer (about a second of BPE in CPython,
several in Pyodide). The engine's stop check reaches the tokenizer (Tokenizer.checkpoint), so Stop ends the
summary there, within 2 s, with no watchdog restart; the next summary works on the same engine."""

import pytest
from test_robust_panel import panel_view, summarize_then_stop

pytestmark = pytest.mark.browser


def test_stop_while_a_page_of_100k_dots_is_tokenized_frees_the_panel_within_2_s(ext, pages_url):
    took, before, view = summarize_then_stop(ext, f"{pages_url}/dots.html")
    print(f"100,000 dots: free {took:.2f} s after Stop, {view['notice']!r} (stopped during {before['task']!r})")
    assert took < 2.0, (took, view)
    assert view["notice"] == "Stopped.", view          # the engine stopped itself: no restart
    panel = ext.panel
    epoch = panel.evaluate("window.precisEngine.epoch")
    # The next summary works, on the same worker.
    ext.open_with_panel(f"{pages_url}/short.html")
    ext.reset_request()
    ext.request_summary("page")
    result = ext.wait_for_request(timeout=900)
    assert result is not None, panel_view(ext.panel)
    assert result["text"].strip() and result["stats"]["finish_reason"] in ("eos", "stop_string", "max_tokens",
                                                                          "repetition")
    assert ext.panel.evaluate("window.precisEngine.epoch") == epoch
