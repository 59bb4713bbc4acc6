"""precis.english_swaps: two names that trade places in a sentence of the page (exact spans and reasons)."""

import pytest

from precis.english_swaps import page_possessives, possessive_swap_conflicts, swap_conflicts
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


PILOTS = ["The airline's chief executive blamed a larger rival, Atlantic Air, which she said had hired 23 of Skyline's "
          "160 pilots since last summer.", "Skyline trains its own pilots at the Westcombe Flight Academy."]


@pytest.mark.parametrize("point, expected", [
    ("Skyline Regional has hired 23 of Atlantic Air's pilots.", [("Atlantic Air", "the page says Skyline's pilots")]),
    # the page's owner passes; an owner with no other party in the point, or a noun the page owns otherwise, is not read
    ("Atlantic Air has hired 23 of Skyline's pilots.", []),
    ("Atlantic Air's pilots are leaving.", []),
    ("Skyline Regional has hired 23 of Atlantic Air's engineers.", []),
])
def test_two_parties_trade_what_is_owned(point, expected):
    found = possessive_swap_conflicts(point, page_possessives(PILOTS))
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected
