"""precis.cjk_swaps: two parties of a Chinese point, each given the other's deed (exact outcomes)."""

from precis.cjk_swaps import swapped_parties
from precis.grounding import ground_points

PAGE = ("清溪河疏浚工程由江海航道工程公司中标，合同金额约4.6亿元。报价第二低的东港建设集团以约4.9亿元落选。"
        "龙舟赛上，沙头村龙舟队以2分08.36秒夺得直道赛冠军。上届冠军石湾队以0.4秒之差屈居亚军。")


def reasons(point):
    (g,) = ground_points(f"- {point}", PAGE)
    return [(r["span"], r["reason"]) for r in g["reasons"]]


def test_two_parties_each_given_the_others_deed():
    assert reasons("东港建设集团中标，江海航道工程公司落选") == [
        ("东港建设集团", "the page says it the other way round"),
        ("江海航道工程公司", "the page says it the other way round")]
    assert reasons("石湾队夺得直道赛冠军，沙头村龙舟队屈居亚军") == [
        ("石湾队", "the page says it the other way round"), ("沙头村龙舟队", "the page says it the other way round")]
    # the page's passage is the one that gives the first party's deed to the other
    (spans, clause) = swapped_parties("石湾队夺得直道赛冠军，沙头村龙舟队屈居亚军", PAGE)
    assert clause == "沙头村龙舟队以2分08.36秒夺得直道赛冠军"


def test_each_party_with_its_own_deed_or_one_party_alone_is_not_a_swap():
    assert reasons("江海航道工程公司中标，东港建设集团落选") == []
    assert reasons("沙头村龙舟队夺得直道赛冠军，石湾队屈居亚军") == []
    assert swapped_parties("石湾队屈居亚军", PAGE) is None
    # the scene before a party is not its deed
    assert swapped_parties("这次比赛中沙头村龙舟队夺得直道赛冠军，石湾队屈居亚军", PAGE) is None
