"""The README's main job, typed as a user types it: `precis summarize tests/browser/pages/short.html --style
key-points --length short`, in its own process (its own headless Chromium, the real extension, the default
model; on this machine without a GPU, the CPU device). Checked: the summary it prints on stdout, how many of its
points the page supports, and what it says on stderr runs the model (the panel's own "Runs on" words)."""

import os
import re
import subprocess
import sys

import pytest

from precis.device_choice import cpu_threads
from precis_build.paths import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "tests/browser/pages/short.html"
# What the default model (SmolLM2-135M-Instruct Q4_1) writes for this page on the CPU device, greedy with the
# engine's repetition penalty 1.1 (the same on one wasm thread and on two): a 135M model that copies the page's
# first sentence as every point, numbering it after the "- " the engine starts the list with ("- 1. ...",
# "- 2. ..."). Generation stops as the second copy repeats the first (precis.generation, "repetition"), and the
# summary printed is the tidied list (precis.key_points): that sentence once, without the model's numbering.
SENTENCE = ("The stone bridge over the Vell river in Esterby reopened on the first of October, eleven months after "
            "the spring flood destroyed the old iron bridge.")
GOLDEN = f"- {SENTENCE}"


def test_the_readme_main_job_prints_the_summary_and_what_ran_it():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "py"), str(REPO_ROOT / "build")]))
    done = subprocess.run([sys.executable, "-m", "precis_build.cli", "summarize", PAGE, "--style", "key-points",
                           "--length", "short"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == GOLDEN
    # The device the panel names: on a machine without a real GPU, llama.cpp's wasm build, threads as Python
    # chooses them for the cores the browser reports.
    threads = cpu_threads(os.cpu_count(), True)
    runs_on = f"CPU, {threads} thread" + ("" if threads == 1 else "s")
    assert re.search(rf"^precis summarize: .+ on {runs_on}$", done.stderr, re.M), done.stderr
    assert re.search(r"time to first token \d+\.\d\d s, \d+\.\d\d tokens/s", done.stderr), done.stderr
    assert re.search(r"generated \d+ tokens \(repetition\)", done.stderr), done.stderr
    # The one point is the page's own sentence: found in the page.
    assert "grounding: 1 of 1 points supported by the page" in done.stderr, done.stderr
