"""precis.english_swaps: two names that trade places in a sentence of the page (exact spans and reasons)."""

import pytest

from precis.english_swaps import swap_conflicts
from precis.grounding import ground_points

SENTENCES = ["Birch, who coached Ashbury for eleven years before moving to Hallam in 2021, said the win was his best.",
             "Hallam beat Ashbury by three lengths, and Ashbury beat Upton Lock."]


@pytest.mark.parametrize("point, expected", [
    ("Tom Birch coached Hallam for eleven years before moving to Ashbury in 2021.",
     [("Hallam", "the page says coached Ashbury")]),
    # the page's places, and a name the page also writes after the point's word, pass
    ("Tom Birch coached Ashbury for eleven years before moving to Hallam.", []),
    ("Ashbury beat Hallam by three lengths.", []),
    # names after joining words say nothing of their place
    ("Hallam and Ashbury raced.", []),
])
def test_two_names_in_each_others_place(point, expected):
    found = swap_conflicts(point, SENTENCES)
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected


def test_the_reader_sees_the_pages_order():
    (g,) = ground_points("- Birch coached Hallam for eleven years before moving to Ashbury in 2021.", " ".join(SENTENCES))
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("Hallam", "the page says coached Ashbury")]
