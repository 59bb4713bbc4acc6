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
