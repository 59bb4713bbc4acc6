"""precis.cjk_places: where a deed took place, read from Chinese clauses (exact outcomes)."""

from precis.cjk_doers import clauses
from precis.cjk_places import place_conflicts
from precis.grounding import ground_points

PAGE = ("本届比赛于8月1日在合肥开幕，共有160多支队伍参赛。他说，明年的比赛将在成都举行。"
        "修复中心从浙江一家手工纸坊定制了约2000张补纸。另有两部同版刻本藏于北京和南京。")


def reasons(point, places):
    return [reason for _, (reason, _) in place_conflicts(point, PAGE, clauses(PAGE), set(places))]


def test_a_deed_moved_to_another_place():
    assert reasons("明年的比赛将在合肥举行", ["合肥"]) == ["the page says 成都 here"]
    assert reasons("修复中心从南京一家手工纸坊定制了补纸", ["南京"]) == ["the page says 浙江 here"]


def test_the_pages_place_and_unrelated_statements_pass():
    assert reasons("明年的比赛将在成都举行", ["成都"]) == []
    assert reasons("本届比赛在合肥开幕", ["合肥"]) == []
    # the same deed at another place, but a statement that shares too little with the page's
    assert reasons("选手在合肥举行婚礼", ["合肥"]) == []


def test_the_reader_sees_the_pages_place():
    (g,) = ground_points("- 明年的比赛将在合肥举行。", PAGE)
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("合肥", "the page says 成都 here")]
