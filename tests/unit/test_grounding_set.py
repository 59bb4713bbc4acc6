"""Exact outcomes on the labeled grounding set (tests/data/grounding, the `cases` half): every
true point is kept and every false point is flagged, with the span that failed for a few.
The rates over both halves are printed by `python -m precis_build.bench_grounding`."""

import json
from pathlib import Path

import pytest

from precis.grounding import ground_points

SET_DIR = Path(__file__).resolve().parents[1] / "data" / "grounding"


def _cases(language):
    data = json.loads((SET_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return [(page["text"], label, point) for page in data["pages"] for label, point in page["cases"]]


@pytest.mark.parametrize("language", ["en", "zh", "ja"])
def test_every_case_of_the_tuned_half(language):
    wrong = []
    for text, label, point in _cases(language):
        (g,) = ground_points(f"- {point}", text)
        if g["supported"] != (label == "true"):
            wrong.append((label, point, g["unsupported_spans"]))
        if label == "true":
            assert g["unsupported_spans"] == [], point
        else:
            assert g["supported"] or g["unsupported_spans"], point  # a flag always says why
    assert wrong == []


@pytest.mark.parametrize("language, point, spans", [
    ("en", "The repairs cost 3.4 million euros.", ["3.4 million euros"]),
    ("en", "The ferry service will stop on Sunday, October 9.", ["October 9"]),
    ("en", "The ferry service is run by Esterby Boats.", ["Esterby Boats"]),
    ("en", "Residents can read the inspection report at esterby-bridge.com.", ["esterby-bridge.com"]),
    ("en", "Natarajan said the material is toxic.", ["Natarajan said the material is toxic"]),
    ("zh", "石桥于2024年10月10日重新开放。", ["2024年10月10日"]),
    ("zh", "工程师拉尔斯·奎斯特负责了石桥的修缮工程。", ["拉尔斯·奎斯特"]),
    ("zh", "该研究结果发表在《自然能源》期刊上。", ["《自然能源》"]),
    ("zh", "访客进入大楼仍然需要借书证。", ["访客进入大楼仍然需要借书证"]),
    ("ja", "国内の電池産業の昨年の生産額は3150億円に達した。", ["3150億円"]),
    ("ja", "エスタビー川の石橋が再開通した。", ["エスタビー川"]),
    ("ja", "石橋は2024年10月に再開通しなかった。", ["なかった"]),
    ("ja", "論文はkestrel-energy.ioで読める。", ["kestrel-energy.io"]),
])
def test_failing_spans(language, point, spans):
    text = next(t for t, _, p in _cases(language) if p == point)
    (g,) = ground_points(f"- {point}", text)
    assert g["supported"] is False and g["unsupported_spans"] == spans
