"""precis.cjk_placings: who placed where, read from Chinese clauses (exact outcomes)."""

from precis.cjk_placings import placing_conflicts
from precis.grounding import ground_points

PAGE = ("在8月4日结束的机器人挑战赛上，青川一中代表队以总分286分夺得高中组冠军，比亚军南湖外国语学校多出12分，"
        "季军是东道主合肥一中。19岁的陈一鸣战胜卫冕冠军孙浩然，首次获得名人战冠军，冠军奖金为60万元。")


def reasons(point):
    return [reason for _, (reason, _) in placing_conflicts(point, PAGE)]


def test_swapped_places_are_caught():
    assert reasons("南湖外国语学校夺得高中组冠军，青川一中获得亚军。") == [
        "the page names 南湖外国语学校 as 亚军", "the page names 青川一中 as 冠军"]
    # the place before its party; 第三名 is 季军
    assert reasons("冠军是南湖外国语学校") == ["the page names 南湖外国语学校 as 亚军"]
    assert reasons("合肥一中获得第一名") == ["the page names 合肥一中 as 季军"]


def test_the_pages_places_and_unplaced_parties_pass():
    assert reasons("青川一中以286分获得高中组第一名，亚军是南湖外国语学校。") == []
    assert reasons("东道主合肥一中获得第三名。") == []
    # a defending champion's title is not this contest's place; a prize is not a party
    assert reasons("孙浩然获得亚军") == []
    assert reasons("陈一鸣获得冠军奖金60万元") == []


def test_the_reader_sees_the_pages_place():
    (g,) = ground_points("- 南湖外国语学校夺得高中组冠军。", PAGE)
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [
        ("南湖外国语学校", "the page names 南湖外国语学校 as 亚军")]
