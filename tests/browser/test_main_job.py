"""The README's main job, typed as a user types it: `precis summarize tests/browser/pages/short.html --style
key-points --length short`, in its own process (its own headless Chromium, the real extension, the real default
model Qwen2.5-Coder-0.5B-Instruct as the built-in; on this machine without a GPU, the CPU device). Checked: the
summary it prints on stdout, how many of its points the page supports, and what it says on stderr runs the model
(the panel's own "Runs on" words). And the same command on a Chinese page: the default answers in Chinese, with
at least two thirds of its points grounded by our own check (precis.grounding)."""

import os
import re
import subprocess
import sys

import pytest

from precis.device_choice import cpu_threads
from precis_build.models_catalog import DEFAULT_MODEL_NAME
from precis_build.paths import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "tests/browser/pages/short.html"
# What the default model (Qwen2.5-Coder-0.5B-Instruct) writes for this page on the CPU device, greedy with the
# engine's repetition penalty 1.1, its shape enforced by the decoder (precis.summary_shape): the 3 points asked.
# The third invents a date the page does not hold; our grounding check flags it (asserted below).
GOLDEN = "\n".join([
    "- The stone bridge over the Vell river in Esterby reopened on the first of October, eleven months after the "
    "spring flood destroyed the old iron bridge.",
    "- Twenty-two masons built its three granite arches by hand.",
    "- The bridge was reopened on October 11, 2021.",
])


def summarize(page: str):
    """`precis summarize PAGE --style key-points --length short`, as the README types it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "py"), str(REPO_ROOT / "build")]))
    done = subprocess.run([sys.executable, "-m", "precis_build.cli", "summarize", page, "--style", "key-points",
                           "--length", "short"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture
def default_built_in(built_in_model, qwen05_path):
    """The extension as `precis setup` leaves it: the default model built in."""
    assert DEFAULT_MODEL_NAME == "qwen2.5-coder-0.5b"
    built_in_model(DEFAULT_MODEL_NAME)


def test_the_readme_main_job_prints_the_summary_and_what_ran_it(default_built_in):
    done = summarize(PAGE)
    assert done.stdout.strip() == GOLDEN
    # The device the panel names: on a machine without a real GPU, llama.cpp's wasm build, threads as Python
    # chooses them for the cores the browser reports.
    threads = cpu_threads(os.cpu_count(), True)
    runs_on = f"CPU, {threads} thread" + ("" if threads == 1 else "s")
    assert re.search(rf"^precis summarize: .+ on {runs_on}$", done.stderr, re.M), done.stderr
    assert re.search(r"time to first token \d+\.\d\d s, \d+\.\d\d tokens/s", done.stderr), done.stderr
    assert re.search(r"generated \d+ tokens \(eos\)", done.stderr), done.stderr
    # The grounding check finds the first two points' words and numbers in the page, and flags the third's date.
    assert "grounding: 2 of 3 points supported by the page" in done.stderr, done.stderr
    assert ("flagged: The bridge was reopened on October 11, 2021.  [October 11, 2021: the page dates this to the "
            "first of October]") in done.stderr, done.stderr


ZH_PAGE = "tests/browser/pages/zh_article.html"
# What the default model writes for the Chinese page (same command): 3 points, in Chinese, each supported by the
# page. Left to itself the model names the bridge "斯河石桥" in its second point (the page says "维尔河石桥"): the
# decoder takes that name back as soon as it is finished and draws its first token again (precis.summary_shape,
# take_back), so the point is written otherwise. Without it the answer was 1 of 3 supported.
ZH_GOLDEN = "\n".join(["- 2024年10月1日重新开放", "- 原修缮工程持续了十一个月", "- 施工耗资240万欧元"])


def test_the_default_model_summarizes_a_chinese_page_in_chinese(default_built_in):
    done = summarize(ZH_PAGE)
    points = done.stdout.strip().split("\n")
    assert len(points) == 3 and all(p.startswith("- ") for p in points)
    # In Chinese: most of each point's letters are CJK ideographs (numbers and names may stay Latin).
    for point in points:
        letters = [c for c in point if c.isalpha()]
        assert sum("\u4e00" <= c <= "\u9fff" for c in letters) > 0.8 * len(letters), point
    assert done.stdout.strip() == ZH_GOLDEN
    assert "grounding: 3 of 3 points supported by the page" in done.stderr, done.stderr
    assert "flagged" not in done.stderr and "斯河" not in done.stderr, done.stderr
    assert "names taken back while writing (the page does not use them): 1" in done.stderr, done.stderr
