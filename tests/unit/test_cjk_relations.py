"""precis.cjk_relations: which side of a relation a party is on, read from Chinese clauses (exact outcomes)."""

from precis.cjk_relations import relation_conflicts
from precis.grounding import ground_points

PAGE = ("明溪化工有限公司因超标排放废水被处以罚款520万元。该公司是上市企业瑞丰化学的全资子公司。"
        "陈一鸣的教练为七段棋手刘建国。")


def reasons(point):
    return [reason for _, (reason, _) in relation_conflicts(point, PAGE)]


def test_a_relation_turned_around_is_caught():
    assert reasons("瑞丰化学是明溪化工的全资子公司") == ["the page says: 该公司是上市企业瑞丰化学的全资子公司"]


def test_the_pages_side_and_relations_it_never_states_pass():
    assert reasons("明溪化工是瑞丰化学的全资子公司") == []
    # a relation the page says of no one is not contradicted here
    assert reasons("瑞丰化学是明溪化工的最大客户") == []


def test_the_reader_sees_the_pages_relation():
    (g,) = ground_points("- 瑞丰化学是明溪化工的全资子公司。", PAGE)
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [
        ("瑞丰化学", "the page says: 该公司是上市企业瑞丰化学的全资子公司")]


def test_a_party_the_page_never_names_is_caught_by_its_relation():
    # no kind of body marks 国家电投 or 先正达 as a name; the relation does
    assert relation_conflicts("明溪化工是国家电投的全资子公司", PAGE) == [((5, 9), ("the page never names 国家电投", ""))]
    assert relation_conflicts("明溪化工主要向先正达供应农药中间体", PAGE) == [((7, 10), ("the page never names 先正达", ""))]
    # a party the page names, and a relation's other side that is no party (的原因), pass
    assert relation_conflicts("明溪化工主要向瑞丰化学供应中间体", PAGE) == []
    assert relation_conflicts("明溪化工是罚款的主要原因", PAGE) == []
    (g,) = ground_points("- 明溪化工是国家电投的全资子公司。", PAGE)
    assert [(r["span"], r["reason"], r["passage"]) for r in g["reasons"]] == [("国家电投", "the page never names 国家电投", -1)]
