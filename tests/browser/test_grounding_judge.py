"""The model judge in the extension (issue 16): the panel's "Check points with the model" setting
makes the engine worker's summarize ask the loaded model about every point the lexical check
passes, and only those. Real engine worker on the CPU device (wllama), with the tests' fast built-in
(SmolLM2 135M): the test checks which points the model is asked about and how a verdict is shown, not the
verdicts (the judge's accuracy is bench_grounding's, on the 0.5B)."""

import json

import pytest

from precis.support_judge import JUDGE_REASON
from precis_build import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = "extension/dev/engine_host.html"
PAGE = {"title": "The bridge reopens", "lang": "en", "url": "https://example.test/bridge",
        "text": "The stone bridge over the Vell river reopened on 1 October 2024 after eleven months of repairs. "
                "The work cost 2.4 million euros, paid mostly by the regional council. Engineers replaced "
                "340 of the bridge's 1,200 stones. Lorries over 7.5 tonnes may not cross it."}


def _summarize(driver, judge: bool) -> dict:
    payload = json.dumps({"page": PAGE, "style": "key-points", "length": "short", "judge": judge})
    return browser.await_promise(driver, f"window.precisEngine.generate('summarize', {payload}).done", 900)


def test_the_judge_setting_asks_the_model_about_the_points_the_lexical_check_passes(driver):
    driver.get(browser.extension_url(HOST))
    browser.await_promise(driver, "window.precisBoot")
    info = browser.await_promise(driver, "window.precisEngine.request('load_model', "
                                         "{source: 'package', device: 'cpu'})", 900)
    assert info["executor"]["available"], info["executor"].get("reason")
    plain = _summarize(driver, judge=False)
    assert "judged" not in plain["stats"]
    judged = _summarize(driver, judge=True)
    assert judged["text"] == plain["text"]        # greedy: the same summary, judged afterwards
    lexical = plain["grounding"]["points"]
    passed = [p for p in lexical if p["supported"]]
    assert judged["stats"]["judged"] == len(passed) >= 1
    assert judged["stats"]["judge_s"] > 0 and "judge_s" not in plain["stats"]   # the judge's cost, shown apart
    for before, after in zip(lexical, judged["grounding"]["points"]):
        if not before["supported"]:              # the model is not asked about a point already failed
            assert after == before
        elif not after["supported"]:             # a point the model turned down says so
            assert [r["reason"] for r in after["reasons"]] == [JUDGE_REASON]
