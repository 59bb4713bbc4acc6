"""precis.opposites and the grounding check's use of it: a point that says the page's event the other way
(accepted / rejected, below / above, 下降 / 上涨), with no negation word to mark it (exact outcomes)."""

import pytest

from precis.grounding import ground_points
from precis.opposites import opposite_words


def test_opposite_words_are_whole_words_with_their_inflections():
    assert [(group, side) for _, _, group, side in opposite_words("Prices rose; exports fell; 价格下降")] == [
        ("direction", 1), ("direction", -1), ("direction", -1)]
    assert opposite_words("a flower, the Below Deck show") == [(14, 19, "direction", -1)]   # not "flower"
    assert opposite_words("The club won the cup and lost the final") == [(9, 12, "outcome", 1), (25, 29, "outcome", -1)]
    # the whole inflection, where a shorter one would stop inside the word ("refuse" and a "d")
    assert [(g, side) for _, _, g, side in opposite_words("it refused; it was approved; prices increased; it rises")] == [
        ("assent", -1), ("assent", 1), ("direction", 1), ("direction", 1)]


PAGE = ("Brenna Dairies had argued that the name was generic, but the Commission rejected that claim. "
        "Dr Marsh found pesticide levels above the safety threshold in fewer than 5 per cent of hives. "
        "今年一季度，全市新房价格环比上涨2.1%。")


@pytest.mark.parametrize("point, reasons", [
    ("The Commission accepted the argument that the name was generic", [("accepted", "the page says rejected")]),
    ("Pesticide levels were below the safety threshold in fewer than 5 per cent of hives",
     [("below", "the page says above")]),
    ("今年一季度，全市新房价格环比下降2.1%", [("下降", "the page says 上涨")]),
    # The page's own way, and a clause the page does not match: no conflict.
    ("The Commission rejected the claim that the name was generic", []),
    ("Pesticide levels were above the safety threshold in fewer than 5 per cent of hives", []),
])
def test_a_point_that_says_the_event_the_other_way(point, reasons):
    (g,) = ground_points(f"- {point}", PAGE)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == reasons
    assert g["supported"] is (not reasons)


def test_on_time_and_late_are_opposites():
    assert [(g, side) for _, _, g, side in opposite_words("工程如期完工")] == [("timing", 1)]
    assert [(g, side) for _, _, g, side in opposite_words("比原计划晚了两周")] == [("timing", -1)]
    assert [(g, side) for _, _, g, side in opposite_words("The ferry was delayed")] == [("timing", -1)]


def test_keeping_and_losing_are_opposites():
    assert [(g, side) for _, _, g, side in opposite_words("The staff will keep their jobs; the club lost the lead")] == [
        ("outcome", 1), ("outcome", -1)]
    page = "The estate's 23 permanent staff will keep their jobs, and the winemaker will stay on."
    (g,) = ground_points("- The estate's 23 permanent staff will lose their jobs.", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("lose", "the page says keep")]
    page = "The contractor handed the building back in August, two months later than planned."
    (g,) = ground_points("- The contractor handed the building back on schedule.", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("on schedule", "the page says later than planned")]


def test_open_and_closed_are_opposites():
    assert [(g, side) for _, _, g, side in opposite_words("it would keep the office open; the old quay closed")] == [
        ("open", 1), ("open", -1)]
    assert [(g, side) for _, _, g, side in opposite_words("书屋重新开业，旧店已关门")] == [("open", 1), ("open", -1)]
    page = "Paysmith said it would keep the Glasgow office open and would not cut any jobs for at least two years."
    (g,) = ground_points("- Paysmith said it would close the Glasgow office", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("close", "the page says open")]


def test_may_and_forbidden_are_opposites():
    page = "展厅内可以拍照，但不得使用闪光灯。"
    (g,) = ground_points("- 展厅内禁止拍照", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("禁止", "the page says 可以")]
    (g,) = ground_points("- 展厅内可以拍照", page)
    assert g["reasons"] == []


def test_the_two_sides_of_a_sale_or_a_loan_are_opposites():
    assert [(g, side) for _, _, g, side in opposite_words("the buyer's adviser; 卖方顾问; the lenders; 借款人")] == [
        ("sale", 1), ("sale", -1), ("loan", 1), ("loan", -1)]
    page = "此次交易由华信证券担任卖方顾问。"
    (g,) = ground_points("- 此次交易由华信证券担任买方顾问。", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("买方", "the page says 卖方")]
    (g,) = ground_points("- 华信证券担任此次交易的卖方顾问。", page)
    assert g["reasons"] == []


def test_paying_and_free_are_opposites():
    assert [(g, side) for _, _, g, side in opposite_words("公园免费；骑行道收费")] == [("charge", -1), ("charge", 1)]
    assert [(g, side) for _, _, g, side in opposite_words("entry is free of charge; the museum will charge for entry")] == [
        ("charge", -1), ("charge", 1)]
    # "charge" of a crime or a battery is no fee
    assert opposite_words("the police will charge him; the battery will charge overnight") == []


def test_the_sides_of_a_place_are_opposites_where_no_name_holds_them():
    assert [(g, s) for _, _, g, s in opposite_words("seats in the north stand, not the southern one")] == \
        [("compass_ns", 1), ("compass_ns", -1)]
    assert opposite_words("ferries to the North Sea ports and West Ham") == []
    page = "The club said it would spend part of the money on 1,200 new seats in the south stand."
    (north,) = ground_points("- The club will spend part of the money on 1,200 new seats in the north stand.", page)
    assert [(r["span"], r["reason"]) for r in north["reasons"]] == [("north", "the page says south")]
    (south,) = ground_points("- The club will spend part of the money on 1,200 new seats in the south stand.", page)
    assert (south["supported"], south["reasons"]) == (True, [])
