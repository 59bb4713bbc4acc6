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
# engine's repetition penalty 1.1, its shape enforced by the decoder (precis.summary_shape): unshaped, this 135M
# model copied the page's first sentence as every point and generation stopped on the repeat, leaving one point;
# now a second point may not begin as the first did and end of text before the third point becomes a newline,
# so the list has exactly the 3 points asked, each a different one, and it ends at its end of turn.
GOLDEN = "\n".join([
    "- The stone bridge over the Vell river in Esterby reopened on the first of October, eleven months after the "
    "spring flood destroyed the old iron bridge.",
    "- The stone bridges over the Vell river in Esterby were built by hand by 22 masons.",
    "- The stone arches built by hand by 22 masons are now being restored to their original size.",
])


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
    assert re.search(r"generated \d+ tokens \(eos\)", done.stderr), done.stderr
    # The grounding check finds each of the 3 points' words and numbers in the page (it checks what a point
    # names, not whether "now being restored" is true).
    assert "grounding: 3 of 3 points supported by the page" in done.stderr, done.stderr
