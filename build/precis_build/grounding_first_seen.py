"""The grounding checker on text it was not tuned to: each held-back split of the grounding set (tests/data/grounding)
as the checker saw it at its once-only check, and the splits pooled. One split holds about 100 errors per language, so
its rate moves by about 8 points either way from one set of pages to another; pooled over the splits, about 3.

    python -m precis_build.grounding_first_seen

For each split, the checker's own code at the commit it was checked at (`git archive` of py/ into a temporary folder)
grounds that split's cases from today's set: a split's pages and cases are not changed after its check, only the
split's name is. Needs the repository's git history. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from precis_build.bench_grounding import ERROR_KINDS, SET_DIR
from precis_build.paths import REPO_ROOT

# Each split the commit its once-only check ran at (where the set's notes record it); earlier splits' are not recorded.
CHECKED_AT = {
    "ninth_held_cases": "64176d3",
    "tenth_held_cases": "c61748a",
    "eleventh_held_cases": "9a56db4",
    "twelfth_held_cases": "4689282",
    "thirteenth_held_cases": "af2d8e4",
    "fourteenth_held_cases": "13f74f8",
    "fifteenth_held_cases": "1913952",
    "sixteenth_held_cases": "dd76f4b",
    "seventeenth_held_cases": "079705a",
    "eighteenth_held_cases": "a411640",
    "nineteenth_held_cases": "2d48aca",
    "twentieth_held_cases": "8dca411",
}
LANGUAGES = ("en", "zh")

# Run by the old checker: [label, supported] for each case of the split, per language.
_GROUND_SPLIT = """
import json, sys
from precis.grounding import ground
split, set_dir = sys.argv[1], sys.argv[2]
out = {}
for lang in sys.argv[3:]:
    data = json.load(open(f"{set_dir}/{lang}.json", encoding="utf-8"))
    out[lang] = [[label, ground(f"- {point}", page["text"])[1][0].supported]
                 for page in data["pages"] for label, point, *_ in page.get(split, [])]
print(json.dumps(out))
"""


def checker_at(commit: str, into: Path) -> Path:
    """The py/ folder of `commit`, unpacked under `into`."""
    archive = into / f"{commit}.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO_ROOT), "archive", commit, "py"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / commit, filter="data")
    return into / commit / "py"


def first_seen(split: str, commit: str, into: Path) -> dict:
    """{language: [(label, supported)]} of `split` grounded by the checker as it was at `commit`."""
    py = checker_at(commit, into)
    done = subprocess.run([sys.executable, "-c", _GROUND_SPLIT, split, str(SET_DIR), *LANGUAGES],
                          env={**os.environ, "PYTHONPATH": str(py)}, capture_output=True, text=True, check=True)
    return {lang: [tuple(row) for row in rows] for lang, rows in json.loads(done.stdout).items()}


def line(name: str, rows: list) -> str:
    true = [supported for label, supported in rows if label == "true"]
    errors = [(label, supported) for label, supported in rows if label != "true"]
    kinds = "  ".join(f"{kind} {sum(not s for k, s in errors if k == kind)}/{sum(k == kind for k, _ in errors)}"
                      for kind in ERROR_KINDS)
    caught = sum(not s for _, s in errors)
    return (f"  {name:24s} kept {sum(true)}/{len(true)} ({100 * sum(true) / len(true):.0f}%)  "
            f"caught {caught}/{len(errors)} ({100 * caught / len(errors):.0f}%)   {kinds}")


def main() -> None:
    pooled = {lang: [] for lang in LANGUAGES}
    with tempfile.TemporaryDirectory() as tmp:
        seen = {split: first_seen(split, commit, Path(tmp)) for split, commit in CHECKED_AT.items()}
    for lang in LANGUAGES:
        print(f"{lang}: each held-back split as checked once (the checker at the commit of its check)")
        for split, commit in CHECKED_AT.items():
            rows = seen[split][lang]
            pooled[lang] += rows
            print(line(f"{split.removesuffix('_held_cases')} at {commit}", rows))
        print(line(f"pooled ({len(CHECKED_AT)} splits)", pooled[lang]))


if __name__ == "__main__":
    main()
