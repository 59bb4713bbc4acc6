"""precis.paired_amounts: which amount goes with which party in one English sentence (exact outcomes)."""

import pytest

from precis.facts import extract_facts
from precis.grounding import ground_points
from precis.grounding import _number_matches
from precis.paired_amounts import amount_pairs, pairing_conflicts

PAGE = ("The work was paid for by a grant of £1.35 million from the Heritage Lottery Fund and £200,000 from the "
        "Gazette's owner, Northgate Media. In the final, Lena Varga received £12,000 and Tomas Kral £8,000.")


def pairs(text):
    return [(a.text, n.text) for a, n in amount_pairs(text, extract_facts(text))]


def test_amounts_are_paired_with_their_parties():
    assert pairs("a grant of £1.35 million from the Heritage Lottery Fund and £200,000 from Northgate Media") == [
        ("£1.35 million", "Heritage Lottery Fund"), ("£200,000", "Northgate Media")]
    assert pairs("Lena Varga received £12,000 and Tomas Kral £8,000.") == [("£12,000", "Lena Varga"),
                                                                          ("£8,000", "Tomas Kral")]
    # a comparison pairs nothing, nor does an ordinal
    assert pairs("Lena Varga won more than Tomas Kral against £8,000 last year") == []
    assert pairs("Priya Nair was the first to Northwind") == []


def test_swapped_pairs_are_caught_and_the_pages_pairs_kept():
    sentence = "In the final, Lena Varga received £12,000 and Tomas Kral £8,000."
    page = [(sentence, extract_facts(sentence))]

    def reasons(point):
        return [(point[s:e], why) for (s, e), (why, _) in pairing_conflicts(point, extract_facts(point), page,
                                                                            _number_matches)]

    assert reasons("Tomas Kral received £12,000 and Lena Varga £8,000.") == [
        ("Tomas Kral", "the page pairs £12,000 with Lena Varga"), ("Lena Varga", "the page pairs £8,000 with Tomas Kral")]
    assert reasons("Lena Varga received £12,000 and Tomas Kral £8,000.") == []
    # the page's amount said of a party it pairs with nothing else is not a swap
    assert reasons("Lena Varga received £12,000 and Anna Rao £8,000.") == []


def test_the_reader_sees_the_pages_pair():
    (swapped, kept) = ground_points("- The work was paid for by a grant of £1.35 million from Northgate Media and "
                                    "£200,000 from the Heritage Lottery Fund.\n"
                                    "- The Heritage Lottery Fund gave £1.35 million and Northgate Media £200,000.", PAGE)
    assert [(r["span"], r["reason"]) for r in swapped["reasons"]] == [
        ("Heritage Lottery Fund", "the page pairs £200,000 with Gazette's")]
    assert (kept["supported"], kept["reasons"]) == (True, [])


def test_chinese_counts_of_things_in_a_list():
    from precis.paired_amounts import cjk_count_pairs
    assert [(v, t, w) for v, t, _, w in cjk_count_pairs("共采集到标本11只，其中雄性8只、雌性3只。")] == [
        (8.0, "雄性", "8只"), (3.0, "雌性", "3只")]
    assert [(v, t, w) for v, t, _, w in cjk_count_pairs("随车的运输团队包括两名兽医和一名饲养员。")] == [
        (2.0, "兽医", "两名"), (1.0, "饲养员", "一名")]
    page = "研究团队共采集到标本11只，其中雄性8只、雌性3只。随车的运输团队包括两名兽医和一名饲养员。"
    swapped = ground_points("- 共采集到标本11只，其中雄性3只、雌性8只。\n- 随车的运输团队包括两名饲养员和一名兽医。", page)
    assert [[(r["span"], r["reason"]) for r in p["reasons"]] for p in swapped] == [
        [("雄性", "the page pairs 3只 with 雌性"), ("雌性", "the page pairs 8只 with 雄性")],
        [("饲养员", "the page pairs 两名 with 兽医"), ("兽医", "the page pairs 一名 with 饲养员")]]
    kept = ground_points("- 标本共11只，其中雄性8只、雌性3只。\n- 运输团队有两名兽医和一名饲养员。", page)
    assert [(p["supported"], p["reasons"]) for p in kept] == [(True, []), (True, [])]


def test_chinese_things_and_the_amounts_they_are():
    page = "总决赛由联赛公司主办，冠军奖金为1000万元，亚军奖金为500万元。"
    (swapped, kept) = ground_points("- 冠军奖金为500万元\n- 亚军奖金为500万元", page)
    assert [(r["span"], r["reason"]) for r in swapped["reasons"]] == [
        ("冠军奖金", "the page pairs 500万元 with 亚军奖金"), ("500万元", "the page says 1000万元 here")]
    assert (kept["supported"], kept["reasons"]) == (True, [])


def test_a_surname_opening_the_point_is_a_party():
    page = "Lena Varga beat Tomas Kral in a tiebreak. Varga received £12,000 and Kral £8,000."
    (g,) = ground_points("- Kral took £12,000 as runner-up.", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("Kral", "the page pairs £12,000 with Varga")]


def test_an_amount_the_page_gives_to_a_party_it_does_not_name():
    page = ("The repairs cost £9 million, of which £5 million came from the county and £2 million from the Harbour "
            "Trust; the rest was raised from donors.")
    swapped, kept = ground_points("- The Harbour Trust gave £5 million for the repairs.\n"
                                  "- The Harbour Trust gave £2 million for the repairs.", page)
    assert [(r["span"], r["reason"]) for r in swapped["reasons"]] == [
        ("Harbour Trust", "the page pairs Harbour Trust with £2 million")]
    assert (kept["supported"], kept["reasons"]) == (True, [])
    # "from 48,000 tonnes to 39,000 tonnes": a change, not an amount given to a party with no name
    sentence = "The catch allowed in the Marren Sea will fall from 48,000 tonnes to 39,000 tonnes."
    point = "The Marren Sea quota drops to 39,000 tonnes."
    assert pairing_conflicts(point, extract_facts(point), [(sentence, extract_facts(sentence))], _number_matches) == []


@pytest.mark.parametrize("point, expected", [
    # the count of one thing given to another, outside a list
    ("公司已派出80名技术人员到现场。", [("技术", "the page pairs 80名 with 工人")]),
    ("湖区钾盐储量约90万吨，锂盐储量超过1500万吨。", [("湖区钾盐储量", "the page pairs 90万吨 with 湖区锂盐储量"),
                                               ("锂盐储量", "the page pairs 1500万吨 with 钾盐储量")]),
    # the page's own pairings, an ordinal and an article are no swap
    ("公司已派出5名技术人员，高峰期有约80名工人。", []),
    ("湖区锂盐储量约90万吨。", []),
    ("这是公司在华东的第一家工厂，也是一家新工厂。", []),
    # a thing named in three characters or more, given another count, where no sentence gives it this one
    ("滑雪场现有雪道21条，其中高级道9条。", [("高级道", "the page gives 高级道 5")]),
    ("滑雪场现有雪道21条，其中高级道5条。", []),
    # 第一家滑雪场 is an ordinal, not one 滑雪场 against the page's three
    ("白桦岭是雪峰体育的第一家滑雪场。", []),
])
def test_a_chinese_count_given_to_another_thing(point, expected):
    page = ["公司已派出5名技术人员到现场，施工高峰期现场将有约80名工人。", "初步查明湖区锂盐储量约90万吨，钾盐储量超过1500万吨。",
            "这是公司在华东的第一家工厂。", "滑雪场现有雪道21条，其中高级道5条。", "明年将新建雪道9条。",
            "雪峰体育在河北和吉林经营着3家滑雪场。"]
    sentences = [(text, extract_facts(text)) for text in page]
    found = pairing_conflicts(point, extract_facts(point), sentences, _number_matches)
    assert [(point[s:e], why) for (s, e), (why, _) in found] == expected
