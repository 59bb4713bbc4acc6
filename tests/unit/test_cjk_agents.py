"""precis.cjk_agents: a deed the point gives, with 由, to an agent the page does not (exact spans and reasons)."""

import pytest

from precis.cjk_agents import agent_conflicts
from precis.grounding import ground_points

PAGE = ("清溪河上一次大规模疏浚是在2008年，由省航道局负责，此后十多年没有再进行系统清淤。"
        "本次疏浚工程由东港建设集团中标，江海航道工程公司落选。"
        "省文化和旅游厅10月18日公布第三批省级传统工艺村名单，以柴烧陶器闻名的龙窑村入选。"
        "首场讲座定于2月15日，由市天文学会会长郭远舟主讲。"
        "改造工程由上海锐影建筑设计公司设计，计划明年3月开工。"
        "本届灯会由江州市人民政府和省民间艺术家协会共同主办，主办方还请来了12支舞龙队。"
        "女子组冠军由来自邻县的白沙女子龙舟队获得。400米环绕赛的冠军由本镇的西塘村队获得。"
        "新站房由省建筑设计研究院设计。"
        "新店所在的房子属于县文化馆，租期5年。游泳馆的产权仍归文体局所有。")


@pytest.mark.parametrize("point, expected", [
    ("清溪河上一次大规模疏浚由江海航道工程公司负责。", [("江海航道工程公司", "the page says 由省航道局负责")]),
    ("首场讲座由天文馆馆长李慧敏主讲。", [("天文馆馆长李慧敏", "the page says 由市天文学会会长郭远舟主讲")]),
    # an agent opening the clause of the verb
    ("龙窑村入选的名单由县文旅局公布。", [("县文旅局", "the page says 由省文化和旅游厅公布")]),
    # the verb is no part of the agent's name
    ("改造工程由北京华影设计院设计。", [("北京华影设计院", "the page says 由上海锐影建筑设计公司设计")]),
    # the page's agent, in full or in part, passes
    ("清溪河上一次大规模疏浚由省航道局负责。", []),
    ("首场讲座由郭远舟主讲。", []),
    ("龙窑村入选的名单由省文化和旅游厅公布。", []),
    ("改造工程由上海锐影建筑设计公司设计。", []),
    # a joint agent: each party is read (the one the page names passes), the page's 主办方 is no agent
    ("本届灯会由江州市人民政府和江州文旅集团共同主办。",
     [("江州文旅集团", "the page says 由江州市人民政府、省民间艺术家协会主办")]),
    ("本届灯会由江州市人民政府和省民间艺术家协会共同主办。", []),
    ("本届灯会由省民间艺术家协会主办。", []),
    # one name with 和 in it, as the page writes it, is not split
    ("第三批省级传统工艺村名单由省文化和旅游厅公布。", []),
    # a win the page gives the point's agent in another race is no support; 设计研究院 names the agent
    ("400米环绕赛的冠军由白沙女子龙舟队获得。", [("白沙女子龙舟队", "the page says 由本镇的西塘村队获得")]),
    ("400米环绕赛的冠军由西塘村队获得。", []),
    ("新站房由铁路第四勘察设计院设计。", [("铁路第四勘察设计院", "the page says 由省建筑设计研究院设计")]),
    # whose a thing is: 属于 and 归…所有 name its owner
    ("新店所在的房子属于县图书馆。", [("县图书馆", "the page says 属于县文化馆")]),
    ("游泳馆的产权将归浪花体育所有。", [("浪花体育", "the page says 属于文体局")]),
    ("游泳馆的产权归文体局所有。", []),
    ("新店所在的房子属于县文化馆。", []),
    # a deed the page does not say of that thing is not read here
    ("新码头由江海航道工程公司负责。", []),
])
def test_a_deed_given_to_another_agent(point, expected):
    found = agent_conflicts(point, PAGE)
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected


def test_the_reader_sees_the_pages_agent():
    (g,) = ground_points("- 清溪河上一次大规模疏浚由江海航道工程公司负责。", PAGE)
    assert not g["supported"]
    assert ("江海航道工程公司", "the page says 由省航道局负责") in [(r["span"], r["reason"]) for r in g["reasons"]]
